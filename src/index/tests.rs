//! Tests of the index: what the writer writes, the reader reads back, embedded and sharded.

use super::near::edit_distance;
use super::prefix::TopTerms;
use super::*;
use crate::corpus::Paper;

fn paper(title: &str, abstract_text: &str) -> Paper {
    Paper::new(title, abstract_text)
}

fn fixture() -> Vec<u8> {
    build(&[
        paper("Grokking in networks", "Networks grok late. Networks!"),
        paper("Linear bandits", "Bandits with linear rewards and König."),
    ])
    .unwrap()
}

#[test]
fn postings_round_trip_with_field_frequencies() {
    let bytes = fixture();
    let opened = Index::open(&bytes).unwrap();
    let index = opened.view();
    let network = index.term("network").unwrap();
    assert_eq!(index.postings(network).collect::<Vec<_>>(), [Posting { doc: 0, tf: [1, 2, 0] }]);
    let linear = index.term("linear").unwrap();
    assert_eq!(index.postings(linear).collect::<Vec<_>>(), [Posting { doc: 1, tf: [1, 1, 0] }]);
    assert_eq!(index.doc_freq(linear), 1);
    assert_eq!(index.term("absent"), None);
}

#[test]
fn a_papers_facet_values_and_identifiers_read_back() {
    let mut a = paper("Grokking", "Late generalization.");
    a.authors = vec!["Alethea Power".into(), "Yuri Burda".into()];
    a.year = Some(2022);
    a.month = Some(1);
    a.kind = Some("preprint".into());
    a.venue = Some("ICLR".into());
    a.doi = Some("10.48550/arXiv.2201.02177".into());
    a.arxiv = Some("2201.02177".into());
    let mut b = paper("Bandits", "Regret.");
    b.authors = vec!["Yuri Burda".into()];
    b.venue = Some("ICLR".into());
    let c = paper("Plain", "No fields.");
    let bytes = build(&[a, b, c]).unwrap();
    let opened = Index::open(&bytes).unwrap();
    let ix = opened.view();
    assert_eq!((ix.month(0), ix.kind(0), ix.venue(0)), (Some(1), Some("preprint"), Some("ICLR")));
    assert_eq!((ix.month(1), ix.kind(1), ix.venue_id(1), ix.venue_id(2)), (None, None, 1, 0));
    assert_eq!(ix.venue_count(), 1);
    let names = |doc| {
        let (ids, names) = ix.authors_of(doc).unwrap();
        ids.iter().map(|&i| names.get(i).unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(names(0), ["Alethea Power", "Yuri Burda"]);
    assert_eq!(names(1), ["Yuri Burda"]);
    assert!(names(2).is_empty());
    // The author of two papers is numbered first.
    assert_eq!(ix.authors_of(1).unwrap().0, [1]);
    for id in ["https://doi.org/10.48550/ARXIV.2201.02177", "arXiv:2201.02177v2"] {
        let term = crate::identifier::lookup_term(id).unwrap();
        let ord = ix.term(&term).unwrap();
        assert_eq!(ix.postings(ord).map(|p| p.doc).collect::<Vec<_>>(), [0], "{id}");
    }
    assert_eq!(ix.slot(0, Slot::Arxiv), "2201.02177");
}

#[test]
fn meta_and_lengths_describe_the_corpus() {
    let bytes = fixture();
    let opened = Index::open(&bytes).unwrap();
    let index = opened.view();
    assert_eq!(index.doc_count(), 2);
    assert_eq!(index.field_len(0, Field::Title), 3);
    assert_eq!(index.field_len(1, Field::Abstract), 6);
    assert_eq!(index.meta().avg_len, [2.5, 5.0, 0.0]);
}

#[test]
fn text_is_stored_verbatim() {
    let bytes = fixture();
    let opened = Index::open(&bytes).unwrap();
    let index = opened.view();
    assert_eq!(index.title(1), "Linear bandits");
    assert_eq!(index.abstract_text(1), "Bandits with linear rewards and König.");
    assert_eq!(index.title(2), "");
}

#[test]
fn words_map_to_their_stems() {
    let bytes = fixture();
    let opened = Index::open(&bytes).unwrap();
    let index = opened.view();
    let words_with_prefix = |prefix: &str| {
        let mut found = Vec::new();
        index.for_each_word_with_prefix(prefix, |w, ord, _| found.push((w.to_string(), ord)));
        found
    };
    let found = words_with_prefix("grok");
    let (grok, grokk) = (index.term("grok").unwrap(), index.term("grokk").unwrap());
    assert_eq!(found, [("grok".to_string(), grok), ("grokking".to_string(), grokk)]);
    let networks = words_with_prefix("networks");
    assert_eq!(networks, [("networks".to_string(), index.term("network").unwrap())]);
    assert_eq!(words_with_prefix("konig").len(), 1);
}

#[test]
fn stores_metadata_fields_and_indexes_authors() {
    let mut p = paper("Title", "Abstract");
    p.key = Some("arxiv:1".into());
    p.authors = vec!["Ada Lovelace".into(), "Alan Turing".into()];
    p.year = Some(2021);
    p.url = Some("https://example.org/1".into());
    let bytes = build(&[p, paper("Other", "Text")]).unwrap();
    let opened = Index::open(&bytes).unwrap();
    let index = opened.view();
    assert_eq!(index.slot(0, Slot::Key), "arxiv:1");
    assert_eq!(index.slot(0, Slot::Authors), "Ada Lovelace\nAlan Turing");
    assert_eq!(index.slot(0, Slot::Url), "https://example.org/1");
    assert_eq!((index.year(0), index.year(1)), (Some(2021), None));
    let turing = index.term("ture").or(index.term("turing")).unwrap();
    assert_eq!(index.postings(turing).next().unwrap().tf, [0, 0, 1]);
}

#[test]
fn mines_acronyms_both_ways() {
    let bytes = build(&[
        paper("On IRM", "The Invariant Risk Minimization (IRM) principle."),
        paper("Other", "Invariant risk minimization again."),
    ])
    .unwrap();
    let opened = Index::open(&bytes).unwrap();
    let index = opened.view();
    let terms = |form: &[(&str, TermOrd, u32)]| form.iter().map(|t| t.0.to_string()).collect::<Vec<_>>();
    let forms = index.long_forms("irm");
    assert_eq!(forms.iter().map(|f| terms(f)).collect::<Vec<_>>(), [["invari", "risk", "minim"]]);
    for (term, ord, doc_freq) in &forms[0] {
        assert_eq!((Some(*ord), *doc_freq), (index.term(term), index.doc_freq(*ord)), "{term}");
    }
    let (acronym, ord, doc_freq) = index.acronym_of(&["invari", "risk", "minim"]).unwrap();
    assert_eq!((acronym, Some(ord), doc_freq), ("irm", index.term("irm"), 1));
    assert_eq!(index.acronym_of(&["risk", "minim"]), None);
}

#[test]
fn related_papers_share_rare_terms() {
    let bytes = build(&[
        paper("Grokking dynamics", "Grokking in transformers with weight decay."),
        paper("Bandit regret", "Linear bandits and regret bounds."),
        paper("Delayed generalization", "Grokking and weight decay in transformers."),
        paper("Contextual bandits", "Regret of contextual linear bandits."),
    ])
    .unwrap();
    let opened = Index::open(&bytes).unwrap();
    let index = opened.view();
    assert_eq!(index.related(0)[0], 2);
    assert_eq!(index.related(1)[0], 3);
    assert!(!index.related(0).contains(&0));
}

#[test]
fn finds_words_within_an_edit_distance() {
    let bytes = fixture();
    let opened = Index::open(&bytes).unwrap();
    let index = opened.view();
    let near = |w: &str, d: u32, prefix: bool| -> Vec<(String, u32)> {
        index.words_near(w, d, prefix).into_iter().map(|n| (n.word, n.distance)).collect()
    };
    assert_eq!(near("netwrks", 1, false), [("networks".to_string(), 1)]);
    assert_eq!(near("grokin", 1, true), [("grokking".to_string(), 1)]);
    assert_eq!(near("nteworks", 1, false), [("networks".to_string(), 1)], "a swap is one edit");
    assert!(near("etworks", 1, false).is_empty(), "the first letter is kept");
}

/// What `words_near` must return: every dictionary word with the target's first letter,
/// each measured by the plain edit-distance table.
#[cfg(not(target_arch = "wasm32"))]
fn words_near_by_scan(index: &View, word: &str, distance: u32, prefix: bool) -> Vec<(String, u32)> {
    let target: Vec<char> = word.chars().collect();
    let mut out = Vec::new();
    let mut words = Vec::new();
    index.for_each_word_with_prefix("", |w, _, _| words.push(w.to_string()));
    for w in &words {
        let candidate: Vec<char> = w.chars().collect();
        if candidate.first() == target.first() {
            if let Some(d) = edit_distance(&target, &candidate, distance, prefix) {
                out.push((w.to_string(), d));
            }
        }
    }
    out
}

#[cfg(not(target_arch = "wasm32"))]
proptest::proptest! {
    #[test]
    fn words_near_agrees_with_a_scan_of_the_dictionary(
        base in proptest::sample::select(&["networks", "grokking", "bandits", "konig", "rewarding", "rewiring", "netting", "lineär", "wrought", "élan"][..]),
        edit in 0usize..5,
        at in proptest::prelude::any::<proptest::sample::Index>(),
        letter in "[a-zäö]",
        distance in 0u32..3,
        prefix in proptest::bool::ANY,
    ) {
        // A dictionary word with one edit (or none): a swap, a deletion, an insertion or a change.
        let mut chars: Vec<char> = base.chars().collect();
        let i = at.index(chars.len());
        let letter = letter.chars().next().unwrap();
        match edit {
            0 if i + 1 < chars.len() => chars.swap(i, i + 1),
            1 => { chars.remove(i); }
            2 => chars.insert(i, letter),
            3 => chars[i] = letter,
            _ => {}
        }
        let word: String = chars.into_iter().collect();
        let bytes = build(&[
            paper("Grokking in networks", "Networks grok late; net work, netting, nets and gnats."),
            paper("Linear bandits", "Bandits with linear rewards and König, Köln, Kröner; lineär élan."),
            paper("Rewards", "Reward shaping, rewarding rewiring: writers wrote, wrought iron."),
        ])
        .unwrap();
        let opened = Index::open(&bytes).unwrap();
        let index = opened.view();
        let found: Vec<(String, u32)> =
            index.words_near(&word, distance, prefix).into_iter().map(|n| (n.word, n.distance)).collect();
        proptest::prop_assert_eq!(found, words_near_by_scan(&index, &word, distance, prefix));
    }
}

#[test]
fn the_prefix_table_picks_what_walking_the_dictionary_picks() {
    // 320 words that begin with `ba` and 120 with `bo` (some with a plural, which stems to
    // the same term), spread over 24 papers so that their frequencies vary.
    let mut seed = 7u32;
    let mut letter = || {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        char::from(b'a' + ((seed >> 16) % 26) as u8)
    };
    let mut words: Vec<String> = Vec::new();
    while words.len() < 440 {
        let start = if words.len() < 320 { "ba" } else { "bo" };
        let word: String = format!("{start}{}{}{}x", letter(), letter(), letter());
        if !words.contains(&word) {
            words.push(word);
        }
    }
    let papers: Vec<Paper> = (0..24)
        .map(|doc| {
            let text: Vec<String> = words
                .iter()
                .enumerate()
                .filter(|(i, _)| (i * 7 + doc) % (i % 6 + 1) == 0)
                .map(|(i, w)| if i % 4 == 0 { format!("{w} {w}s") } else { w.clone() })
                .collect();
            paper(&format!("Paper {doc}"), &text.join(" "))
        })
        .collect();
    let bytes = build(&papers).unwrap();
    let opened = Index::open(&bytes).unwrap();
    let index = opened.view();
    let prefixes = &opened.store.dict[0].as_ref().unwrap().prefixes;
    assert!(prefixes.get("b").is_some() && prefixes.get("ba").is_some());
    assert!(prefixes.get("bo").is_none(), "120 words are walked");
    for prefix in ["b", "ba", "bo", "bax", "c"] {
        let max = max_prefix_terms(prefix.chars().count());
        let walk = |have: &[TermOrd]| {
            let mut top = TopTerms::new(index.term_count(), have, max);
            index.for_each_word_with_prefix(prefix, |w, ord, doc_freq| {
                assert_eq!(doc_freq, index.doc_freq(ord));
                top.offer(w, ord, doc_freq)
            });
            top.finish()
        };
        let best: Vec<TermOrd> = walk(&[]).iter().map(|(_, ord, _)| *ord).collect();
        let haves = [vec![], best.iter().take(1).copied().collect(), best.iter().rev().take(1).copied().collect()];
        for have in haves {
            assert_eq!(index.prefix_terms(prefix, &have, max), walk(&have), "{prefix} without {have:?}");
        }
    }
}

#[test]
fn edit_distance_counts_the_classic_edits() {
    let d = |a: &str, b: &str| {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        edit_distance(&a, &b, 9, false)
    };
    assert_eq!(d("kitten", "sitting"), Some(3));
    assert_eq!(d("grokkign", "grokking"), Some(1));
    assert_eq!(d("", "abc"), Some(3));
    assert_eq!(d("same", "same"), Some(0));
    let a: Vec<char> = "reinforcment".chars().collect();
    let b: Vec<char> = "reinforcement".chars().collect();
    assert_eq!(edit_distance(&a, &b, 1, false), Some(1));
    assert_eq!(edit_distance(&a, &"zzz".chars().collect::<Vec<_>>(), 1, false), None);
}

#[test]
fn corrupt_bytes_are_an_error_not_a_panic() {
    let bytes = fixture();
    for cut in [0, 10, 30, bytes.len() / 2, bytes.len() - 1] {
        assert!(Index::open(&bytes[..cut]).is_err(), "cut at {cut}");
    }
}

/// A small corpus with acronyms, compounds, authors, years and words of many first letters.
#[cfg(missing_parts)]
fn varied_papers() -> Vec<Paper> {
    let mut papers = vec![
        paper("On IRM", "The Invariant Risk Minimization (IRM) principle, fine-tuning and König."),
        paper("Linear bandits", "Bandits with linear rewards; regret of contextual bandits."),
        paper("Grokking in networks", "Networks grok late. Delayed generalization and weight decay."),
        paper("Graph neural networks", "Message passing on graphs; over-smoothing of graph neural networks (GNN)."),
    ];
    let words = [
        "alpha", "beta", "gamma", "delta", "zeta", "theta", "kappa", "lambda", "sigma", "omega", "xenon", "yield",
        "quartz", "über", "éclair",
    ];
    for i in 0..60 {
        let text: Vec<String> =
            (0..12).map(|k| format!("{}{}", words[(i * 7 + k * 3) % words.len()], (i + k) % 9)).collect();
        let mut p = paper(&format!("Paper {i} on {}", words[i % words.len()]), &text.join(" "));
        p.authors = vec![format!("Author {}", i % 5), format!("Coauthor {}", i % 13)];
        p.year = Some(2000 + (i % 20) as u16);
        p.month = (i % 3 != 0).then_some((i % 12) as u8 + 1);
        p.kind = (i % 4 != 0).then(|| crate::corpus::KINDS[i % 3].to_string());
        p.venue = (i % 5 != 0).then(|| format!("Venue {}", i % 7));
        p.doi = (i % 2 == 0).then(|| format!("10.1234/Paper.{i}"));
        p.arxiv = (i % 3 == 0).then(|| format!("2101.{:05}", i));
        papers.push(p);
    }
    papers
}

/// `papers` written in `layout`: the bundle of the core alone and the parts.
#[cfg(missing_parts)]
fn write_sharded(papers: &[Paper], layout: &Layout) -> (Vec<u8>, Vec<Vec<u8>>) {
    let mut parts = Vec::new();
    let core = write(
        papers,
        layout,
        None,
        &mut |_, bytes| {
            parts.push(bytes);
            Ok(())
        },
        &mut |_| {},
    )
    .unwrap();
    (shards::bundle(&core, &[]), parts)
}

/// Shards of a few hundred bytes: many of each kind even for a small corpus.
#[cfg(missing_parts)]
const TINY: Layout = Layout {
    dict_shard_bytes: 300,
    post_shard_bytes: 120,
    text_shard_bytes: 400,
    pos_shard_bytes: Some(200),
    max_files: 1000,
};

#[cfg(missing_parts)]
#[test]
fn a_sharded_index_reads_exactly_what_the_embedded_one_reads() {
    let papers = varied_papers();
    let embedded_bytes = build(&papers).unwrap();
    let embedded = Index::open(&embedded_bytes).unwrap();
    let (core, parts) = write_sharded(&papers, &TINY);
    let mut sharded = Index::open(&core).unwrap();
    for part in parts {
        sharded.insert(part).unwrap();
    }
    assert!(sharded.is_complete());
    let ids = sharded.all_parts();
    let count = |kind| ids.iter().filter(|id| id.kind == kind).count();
    assert!(count(PartKind::Dict) > 5 && count(PartKind::Postings) > 5 && count(PartKind::Text) > 5, "{ids:?}");
    assert_eq!(embedded.meta(), sharded.meta());

    let (e, s) = (embedded.view(), sharded.view());
    let mut words = Vec::new();
    e.for_each_word_with_prefix("", |w, ord, df| words.push((w.to_string(), ord, df)));
    let mut sharded_words = Vec::new();
    s.for_each_word_with_prefix("", |w, ord, df| sharded_words.push((w.to_string(), ord, df)));
    assert_eq!(words, sharded_words);
    for (word, ord, _) in &words {
        assert_eq!(e.word(word), s.word(word), "{word}");
        assert_eq!(e.term(word), s.term(word), "{word}");
        assert_eq!(e.doc_freq(*ord), s.doc_freq(*ord), "{word}");
        assert_eq!(e.postings(*ord).collect::<Vec<_>>(), s.postings(*ord).collect::<Vec<_>>(), "{word}");
        assert_eq!(e.long_forms(word), s.long_forms(word), "{word}");
        for end in 1..=word.chars().count().min(4) {
            let prefix: String = word.chars().take(end).collect();
            for max in [1, 10, 40] {
                assert_eq!(e.prefix_terms(&prefix, &[], max), s.prefix_terms(&prefix, &[], max), "{prefix}");
            }
        }
        for distance in 1..=2 {
            for prefix in [false, true] {
                assert_eq!(e.words_near(word, distance, prefix), s.words_near(word, distance, prefix), "{word}");
            }
        }
    }
    assert_eq!(e.acronym_of(&["invari", "risk", "minim"]).map(|a| a.0), Some("irm"));
    assert_eq!(s.acronym_of(&["invari", "risk", "minim"]), e.acronym_of(&["invari", "risk", "minim"]));
    for doc in 0..=papers.len() as DocId {
        assert_eq!(e.related(doc), s.related(doc));
        assert_eq!(e.year(doc), s.year(doc));
        assert_eq!((e.month(doc), e.kind(doc), e.venue(doc)), (s.month(doc), s.kind(doc), s.venue(doc)));
        let named = |v: &View| {
            v.authors_of(doc)
                .map(|(ids, names)| ids.iter().map(|&i| (i, names.get(i).map(String::from))).collect::<Vec<_>>())
        };
        assert_eq!(named(&e), named(&s));
        for field in Field::ALL {
            assert_eq!(e.field_len(doc, field), s.field_len(doc, field));
        }
        for slot in [
            Slot::Title,
            Slot::Abstract,
            Slot::Key,
            Slot::Authors,
            Slot::Url,
            Slot::Categories,
            Slot::Doi,
            Slot::Pdf,
            Slot::Arxiv,
            Slot::Keywords,
            Slot::Bibtex,
        ] {
            assert_eq!(e.slot(doc, slot), s.slot(doc, slot));
        }
    }
    assert!(sharded.all_parts().iter().filter(|id| id.kind == PartKind::Facets).count() > 1);
    assert!(e.is_complete() && s.is_complete());
    assert!(!e.has_positions() && s.has_positions());
    // Every term's positions are where the analyzer puts its words in each field's text.
    let analyzer = crate::analyze::Analyzer::new();
    for (ord, term) in
        (0..s.term_count() as TermOrd).filter_map(|o| words.iter().find(|w| w.1 == o).map(|w| (o, w.0.clone())))
    {
        let stem = analyzer.stem(&term);
        for (doc, fields) in s.positions(ord) {
            for (f, field) in Field::ALL.into_iter().enumerate() {
                let text = match field {
                    Field::Title => s.slot(doc, Slot::Title),
                    Field::Abstract => s.slot(doc, Slot::Abstract),
                    Field::Authors => s.slot(doc, Slot::Authors),
                };
                let at: Vec<u32> = (0u32..)
                    .zip(analyzer.tokens(text).into_iter().filter(|t| !t.joined))
                    .filter(|(_, t)| t.term == stem)
                    .map(|(i, _)| i)
                    .collect();
                assert_eq!(fields[f], at, "{term} in paper {doc}, field {f}");
            }
        }
    }
}

#[cfg(missing_parts)]
#[test]
fn a_view_of_a_core_alone_notes_the_parts_each_question_needs() {
    let papers = varied_papers();
    let (core, parts) = write_sharded(&papers, &TINY);
    let mut index = Index::open(&core).unwrap();
    assert!(!index.is_complete());
    let v = index.view();
    assert_eq!(v.term("bandit"), None);
    assert_eq!(v.title(1), "");
    let missing = v.missing();
    assert_eq!(missing.iter().map(|id| id.kind).collect::<Vec<_>>(), [PartKind::Dict, PartKind::Text]);
    drop(v);
    for part in parts {
        let id = index.insert(part.clone()).unwrap();
        if missing.contains(&id) {
            continue;
        }
        index.remove(id);
    }
    let v = index.view();
    assert!(v.term("bandit").is_some());
    assert_eq!(v.title(1), "Linear bandits");
    assert!(v.is_complete());
}

#[cfg(missing_parts)]
#[test]
fn truncated_or_damaged_parts_are_refused() {
    let papers = varied_papers();
    let (core, parts) = write_sharded(&papers, &TINY);
    let mut index = Index::open(&core).unwrap();
    for part in &parts {
        for cut in [0, 12, part.len() / 2, part.len() - 1] {
            assert!(index.insert(part[..cut].to_vec()).is_err(), "cut at {cut}");
        }
        let mut flipped = part.clone();
        flipped[8] ^= 0xff;
        assert!(index.insert(flipped).is_err(), "a damaged version is refused");
    }
}
