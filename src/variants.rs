//! Spelling variants: British and Commonwealth spellings written the American way, so that
//! `optimisation` and `optimization`, `tumour` and `tumor`, `modelling` and `modeling`,
//! `haemoglobin` and `hemoglobin` are one term. Part of the analyzer: [`american`] runs on every
//! folded word before stemming, at index and at query time alike.
//!
//! The rules are families of endings and roots (`-ise`/`-ize`, `-isation`/`-ization`,
//! `-yse`/`-yze`, `-our`/`-or`, `-elled`/`-eled`, `-tre`/`-ter`, `-logue`/`-log`, the `ae` and
//! `oe` of medical words) with the words that only look like them left alone (`promise`,
//! `noise`, `pairwise`, `four`, `compelled`, `theatre`-like words are listed by root).

use std::borrow::Cow;

/// Words ending in `-ise` that are spelt so in American English too (and their forms).
const ISE_WORDS: &[&str] = &[
    "advertise",
    "advise",
    "anise",
    "apprise",
    "arise",
    "bruise",
    "chastise",
    "chemise",
    "circumcise",
    "comprise",
    "compromise",
    "concise",
    "cruise",
    "demise",
    "despise",
    "devise",
    "disguise",
    "enterprise",
    "excise",
    "exercise",
    "expertise",
    "franchise",
    "guise",
    "improvise",
    "incise",
    "merchandise",
    "mortise",
    "otherwise",
    "paradise",
    "poise",
    "porpoise",
    "praise",
    "precise",
    "premise",
    "promise",
    "raise",
    "reprise",
    "revise",
    "rise",
    "supervise",
    "surmise",
    "surprise",
    "televise",
    "treatise",
    "valise",
    "appraise",
    "noise",
    "denoise",
    "upraise",
    "sunrise",
];

/// Roots whose `our` is American `or`, and the words made from them (`behavioural`).
const OUR_ROOTS: &[&str] = &[
    "ardour",
    "armour",
    "behaviour",
    "candour",
    "clamour",
    "colour",
    "demeanour",
    "endeavour",
    "favour",
    "fervour",
    "flavour",
    "harbour",
    "honour",
    "humour",
    "labour",
    "neighbour",
    "odour",
    "parlour",
    "rigour",
    "rumour",
    "saviour",
    "savour",
    "splendour",
    "succour",
    "tumour",
    "valour",
    "vapour",
    "vigour",
];

/// Roots that double their final `l` before `-ed`, `-ing`, `-er`, `-or`, `-ous` in British
/// spelling only (`modelled`, `labelling`, `traveller`, `counsellor`, `marvellous`).
const L_ROOTS: &[&str] = &[
    "cancel", "channel", "counsel", "dial", "duel", "equal", "fuel", "funnel", "grovel", "initial", "jewel", "label",
    "level", "libel", "marvel", "model", "panel", "parcel", "pedal", "refuel", "relabel", "remodel", "rival", "shovel",
    "signal", "total", "travel", "tunnel", "unlabel",
];

/// Endings in `-tre` that are `-ter` in American spelling (a word ending in one, or in one
/// followed by `s` or `d`: `centre`, `epicentres`, `kilometre`, `titres`).
const TRE_ENDINGS: &[&str] = &[
    "calibre", "centre", "fibre", "goitre", "litre", "lustre", "meagre", "metre", "mitre", "sabre", "sceptre",
    "sombre", "spectre", "theatre", "titre",
];

/// Infixes of medical and scientific words, British on the left (`haemoglobin`, `anaemia`,
/// `paediatric`, `anaesthesia`), and word beginnings (`oestrogen`, `oedema`, `foetal`).
const INFIXES: &[(&str, &str)] = &[("haem", "hem"), ("aemi", "emi"), ("paed", "ped"), ("anaesth", "anesth")];
const BEGINNINGS: &[(&str, &str)] = &[
    ("aetiol", "etiol"),
    ("caec", "cec"),
    ("coeliac", "celiac"),
    ("faec", "fec"),
    ("foet", "fet"),
    ("oedem", "edem"),
    ("oesoph", "esoph"),
    ("oestr", "estr"),
    ("sulph", "sulf"),
];

/// Whole words.
const WORDS: &[(&str, &str)] = &[
    ("ageing", "aging"),
    ("aluminium", "aluminum"),
    ("defence", "defense"),
    ("grey", "gray"),
    ("judgement", "judgment"),
    ("judgements", "judgments"),
    ("licence", "license"),
    ("manoeuvre", "maneuver"),
    ("offence", "offense"),
    ("programme", "program"),
    ("programmes", "programs"),
];

/// `word` (folded, lower case) in American spelling: itself when no rule applies.
pub fn american(word: &str) -> Cow<'_, str> {
    if word.len() < 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(word);
    }
    if let Some(&(_, us)) = WORDS.iter().find(|(uk, _)| *uk == word) {
        return Cow::Owned(us.to_string());
    }
    if !may_change(word) {
        return Cow::Borrowed(word);
    }
    rules(word)
}

/// Whether a rule of [`rules`] can apply to `word`: each rule's British pattern holds one of
/// these letter pairs (`ae`, `oe`, `ph`, `is`, `ys`, `ou`, `ll`, `gu`) or is an `-re` ending
/// (`-re`, `-res`, `-red`), and most words have neither. A query stems every word a prefix
/// expands to, so this is on its path.
fn may_change(word: &str) -> bool {
    ["re", "res", "red"].iter().any(|end| word.ends_with(end))
        || word.as_bytes().windows(2).any(|pair| {
            matches!(
                pair,
                [b'a' | b'o', b'e'] | [b'p', b'h'] | [b'i' | b'y', b's'] | [b'o', b'u'] | [b'l', b'l'] | [b'g', b'u']
            )
        })
}

/// The rules but the whole words, on a folded lower-case word of four letters or more.
fn rules(word: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(word);
    for &(uk, us) in INFIXES {
        if out.contains(uk) {
            out = Cow::Owned(out.replace(uk, us));
        }
    }
    for &(uk, us) in BEGINNINGS {
        if let Some(rest) = out.strip_prefix(uk) {
            out = Cow::Owned(format!("{us}{rest}"));
            break;
        }
    }
    for (uk, us) in [("rrhoea", "rrhea"), ("pnoea", "pnea")] {
        if let Some(stem) = out.strip_suffix(uk) {
            out = Cow::Owned(format!("{stem}{us}"));
        }
    }
    match ending(&out) {
        Some(changed) => Cow::Owned(changed),
        None => out,
    }
}

/// The word with its British ending made American, if it has one.
fn ending(word: &str) -> Option<String> {
    // -isation(s) and -isational: no American word has them.
    if let Some(at) = word.find("isation") {
        if at >= 2 {
            return Some(format!("{}ization{}", &word[..at], &word[at + "isation".len()..]));
        }
    }
    // -ise and its forms, except the words that are -ise in American English too.
    for suffix in ["ise", "ised", "ises", "ising", "iser", "isers"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            let base = format!("{stem}ise");
            let american_too =
                ["wise", "oise", "uise"].iter().any(|e| base.ends_with(e)) || ISE_WORDS.contains(&base.as_str());
            if stem.len() >= 3 && !american_too {
                return Some(format!("{stem}iz{}", &suffix[2..]));
            }
            return None;
        }
    }
    // -lyse: analyse, catalyse, hydrolyse, paralyse.
    for suffix in ["lyse", "lysed", "lyses", "lysing", "lyser", "lysers"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.len() >= 2 {
                return Some(format!("{stem}lyz{}", &suffix[3..]));
            }
        }
    }
    // -our: a listed root, and what is made from it.
    if let Some(root) = OUR_ROOTS.iter().find(|r| word.starts_with(*r)) {
        let us = &root[..root.len() - 3];
        return Some(format!("{us}or{}", &word[root.len()..]));
    }
    // A doubled l: a listed root before -led, -ling, -ler(s), -lor(s), -lous.
    for suffix in ["led", "ling", "ler", "lers", "lor", "lors", "lous"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.ends_with('l') && L_ROOTS.contains(&stem) {
                return Some(format!("{stem}{}", &suffix[1..]));
            }
        }
    }
    // -tre, -tres, -tred.
    for (tail, keep) in [("", ""), ("s", "s"), ("d", "d")] {
        if let Some(stem) = word.strip_suffix(tail) {
            if let Some(end) = TRE_ENDINGS.iter().find(|e| stem.ends_with(*e)) {
                let front = &stem[..stem.len() - 2];
                let us_keep = if keep == "d" { "ed" } else { keep };
                debug_assert!(end.ends_with("re"));
                return Some(format!("{front}er{us_keep}"));
            }
        }
    }
    // -logue: analogue, catalogue, dialogue, homologue, orthologue.
    for (uk, us) in [("logue", "log"), ("logues", "logs"), ("logued", "loged")] {
        if let Some(stem) = word.strip_suffix(uk) {
            if stem.len() >= 2 {
                return Some(format!("{stem}{us}"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn british_spellings_become_american() {
        let pairs = [
            ("optimisation", "optimization"),
            ("optimise", "optimize"),
            ("optimised", "optimized"),
            ("optimiser", "optimizer"),
            ("generalisation", "generalization"),
            ("organisational", "organizational"),
            ("minimising", "minimizing"),
            ("summarise", "summarize"),
            ("categorised", "categorized"),
            ("characterising", "characterizing"),
            ("analyse", "analyze"),
            ("analysed", "analyzed"),
            ("catalysing", "catalyzing"),
            ("tumour", "tumor"),
            ("tumours", "tumors"),
            ("behavioural", "behavioral"),
            ("favourite", "favorite"),
            ("colour", "color"),
            ("neighbourhood", "neighborhood"),
            ("modelling", "modeling"),
            ("labelled", "labeled"),
            ("traveller", "traveler"),
            ("counsellor", "counselor"),
            ("signalling", "signaling"),
            ("marvellous", "marvelous"),
            ("centre", "center"),
            ("centred", "centered"),
            ("kilometres", "kilometers"),
            ("fibre", "fiber"),
            ("titres", "titers"),
            ("analogue", "analog"),
            ("homologues", "homologs"),
            ("catalogued", "cataloged"),
            ("haemoglobin", "hemoglobin"),
            ("anaemia", "anemia"),
            ("leukaemia", "leukemia"),
            ("paediatric", "pediatric"),
            ("orthopaedic", "orthopedic"),
            ("anaesthesia", "anesthesia"),
            ("oestrogen", "estrogen"),
            ("oedema", "edema"),
            ("oesophageal", "esophageal"),
            ("foetal", "fetal"),
            ("aetiology", "etiology"),
            ("coeliac", "celiac"),
            ("diarrhoea", "diarrhea"),
            ("dyspnoea", "dyspnea"),
            ("sulphate", "sulfate"),
            ("grey", "gray"),
            ("programme", "program"),
            ("ageing", "aging"),
        ];
        for (uk, us) in pairs {
            assert_eq!(american(uk), us, "{uk}");
            assert_eq!(american(us), us, "{us} is American already");
        }
    }

    #[test]
    fn words_that_only_look_british_are_left_alone() {
        for word in [
            "promise",
            "premise",
            "noise",
            "denoising",
            "pairwise",
            "elementwise",
            "otherwise",
            "exercise",
            "precise",
            "advertising",
            "surprising",
            "enterprise",
            "rise",
            "raise",
            "arising",
            "crises",
            "four",
            "hour",
            "contour",
            "compelled",
            "expelled",
            "spelling",
            "excelled",
            "smaller",
            "theatrical",
            "entre",
            "genre",
            "acre",
            "massacre",
            "dialog",
            "log",
            "catalog",
            "analysis",
            "lysis",
            "paralysis",
            "analyses",
            "comprised",
            "devised",
            "revised",
            "supervised",
            "improvised",
            "baseline",
            "realistic",
            "visible",
            "cruise",
            "wise",
            "disguised",
            "poised",
            "sunrise",
            "franchises",
        ] {
            let expected = if word == "analyses" { "analyzes" } else { word };
            assert_eq!(american(word), expected, "{word}");
        }
    }

    /// The letter pairs of `may_change` leave out no word a rule changes: over every word of
    /// the default corpus and of the pairs above, a word without one is one `rules` keeps.
    #[test]
    fn words_without_a_trigger_pair_are_kept() {
        let corpus = include_str!("../data/papers.txt");
        let mut checked = 0;
        let extra = ["grey", "modelling", "sulphur", "fibre", "fibres", "meagre", "calibred", "epicentres", "dialogue"];
        for word in crate::analyze::words(corpus).iter().map(|w| w.text.as_str()).chain(extra) {
            if word.len() >= 4 && word.bytes().all(|b| b.is_ascii_lowercase()) && !may_change(word) {
                assert_eq!(rules(word), word, "{word} has no trigger pair, yet a rule changes it");
                checked += 1;
            }
        }
        assert!(checked > 10_000, "only {checked} words checked");
        // Each family of rules is reached through its pair.
        for (uk, us) in [
            ("haemoglobin", "hemoglobin"),
            ("oestrogen", "estrogen"),
            ("sulphate", "sulfate"),
            ("optimise", "optimize"),
            ("analyse", "analyze"),
            ("tumour", "tumor"),
            ("modelling", "modeling"),
            ("centre", "center"),
            ("fibres", "fibers"),
            ("analogue", "analog"),
        ] {
            assert!(may_change(uk), "{uk}");
            assert_eq!(american(uk), us);
        }
    }
}
