//! The collections people have, read as they are exported: BibTeX (al-folio's file with
//! Zotero's and Google Scholar's entries pasted in; JabRef's on Windows, with a byte-order mark
//! and CRLF), CSL-JSON (Zotero), RIS, PubMed's MEDLINE and arXiv's metadata snapshot, each with
//! bad entries among good ones (tests/fixtures/collections/). Every good entry is read, with
//! names and titles free of LaTeX; every bad one is skipped and reported by its line; strict
//! mode stops on any; and the papers read are indexed and found. `paper-search-index` prints
//! the same, and with `--strict` stops and leaves its output as it was.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use paper_search::corpus::{self, Collection, Format, Paper};
use paper_search::index::{self, Index};
use paper_search::search::{SearchOptions, Searcher};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/collections").join(name)
}

fn load(name: &str) -> Collection {
    corpus::load(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The skipped entries as (line, entry, the start of the message).
fn skipped(c: &Collection) -> Vec<(usize, String)> {
    c.skipped.iter().map(|s| (s.line, s.entry.clone())).collect()
}

fn keys(c: &Collection) -> Vec<&str> {
    c.papers.iter().map(|p| p.key.as_deref().unwrap_or("-")).collect()
}

fn paper<'a>(c: &'a Collection, key: &str) -> &'a Paper {
    c.papers.iter().find(|p| p.key.as_deref() == Some(key)).unwrap_or_else(|| panic!("no paper {key}"))
}

/// Titles, names and venues read as text: no LaTeX command, brace or math left.
fn assert_free_of_latex(c: &Collection) {
    for p in &c.papers {
        let texts = std::iter::once(&p.title).chain(&p.authors).chain(&p.venue);
        for t in texts {
            assert!(!t.contains(['\\', '{', '}', '$']), "{:?}: {t:?} still has LaTeX", p.key);
            assert_eq!(t.trim(), t, "{t:?} is trimmed");
            assert!(!t.contains("  ") && !t.contains('\n'), "{t:?} has one space between words");
        }
    }
}

#[test]
fn bibtex_good_entries_read_and_bad_ones_skipped_by_line() {
    let c = load("publications.bib");
    assert_eq!(c.format, Format::Bibtex);
    assert_eq!(
        keys(&c),
        ["schrodinger1935", "vaswani2017attention", "erdos1959", "hu2021lora", "cech2020", "beethoven2022"]
    );
    assert_eq!(
        skipped(&c),
        [
            (70, "unbalanced2018".to_string()),
            (77, "undefined2019".to_string()),
            (81, "vaswani2017attention".to_string()),
            (86, "#9".to_string()),
            (91, "notitle2021".to_string()),
        ]
    );
    let messages: Vec<String> = c.skipped.iter().map(ToString::to_string).collect();
    let path = fixture("publications.bib").display().to_string();
    for (message, expected) in messages.iter().zip([
        "70: entry unbalanced2018: unbalanced braces: the value of `title` runs into the fields after it, and the entry is not \
         closed before the next entry (line 75); add the `}` missing in `title`",
        "77: entry undefined2019: the value of `journal` uses the macro `jmrl`, which no @string defines; define it",
        "81: entry vaswani2017attention: duplicate key (first on line 27); give each entry a key of its own",
        "86: entry #9: the entry has no key; write one after `@article{`",
        "91: entry notitle2021: the entry has no title; add its `title = {…}` field",
    ]) {
        assert!(message.starts_with(&format!("{path}:{expected}")), "{message}");
    }
    assert_eq!(c.summary().as_deref(), Some("6 of 11 entries indexed, 5 skipped (listed above)"));
    assert_free_of_latex(&c);

    let s = paper(&c, "schrodinger1935");
    assert_eq!(s.title, "Die gegenwärtige Situation in der Quantenmechanik");
    assert_eq!(s.authors, ["Erwin Schrödinger"]);
    assert_eq!((s.year, s.month, s.kind.as_deref()), (Some(1935), Some(11), Some("article")));
    assert_eq!(s.doi.as_deref(), Some("10.1007/BF01491891"));
    // A stray dollar is text, and the abstract's line break a space.
    assert!(
        s.abstract_text.ends_with("both alive and dead; a stray $ sign here is only a dollar."),
        "{}",
        s.abstract_text
    );

    let v = paper(&c, "vaswani2017attention");
    assert_eq!(v.authors[6], "Łukasz Kaiser");
    // @string macros, one made of another, and `#` joining them.
    assert_eq!(v.venue.as_deref(), Some("Proceedings of the Advances in Neural Information Processing Systems 30"));
    assert_eq!((v.year, v.month, v.kind.as_deref()), (Some(2017), Some(12), Some("conference paper")));
    assert_eq!((v.pdf.as_deref(), v.arxiv.as_deref()), (Some("attention.pdf"), Some("1706.03762")));
    assert_eq!(v.keywords, ["transformers", "attention", "sequence models"]);
    let bibtex = v.bibtex.as_deref().unwrap();
    assert!(
        bibtex.starts_with("@inproceedings{vaswani2017attention,\n  title = {Attention Is All You Need},\n"),
        "{bibtex}"
    );
    assert!(
        bibtex.contains("  booktitle = {Proceedings of the Advances in Neural Information Processing Systems 30},\n")
    );
    assert!(bibtex.contains("  author = {Vaswani, Ashish and Shazeer, Noam") && bibtex.contains("Kaiser, {\\L}ukasz"));
    assert!(bibtex.contains("  month = dec,\n") && bibtex.ends_with("  selected = {true},\n}"), "{bibtex}");

    let e = paper(&c, "erdos1959");
    assert_eq!(
        (e.title.as_str(), e.authors.clone()),
        ("On random graphs I", vec!["P. Erdős".to_string(), "A. Rényi".to_string()])
    );
    assert!(e.bibtex.as_deref().unwrap().contains("  Year = 1959,\n"));

    let h = paper(&c, "hu2021lora");
    assert_eq!(h.title, "LoRA: Low-Rank Adaptation of Large Language Models");
    assert_eq!(
        (h.kind.as_deref(), h.arxiv.as_deref(), h.categories.clone()),
        (Some("preprint"), Some("2106.09685"), vec!["cs.CL".to_string()])
    );
    // Math becomes text when all of it can, and is kept whole when not.
    assert!(
        h.abstract_text.contains("the ℓ₁ norm and O(n²) cost, and $\\hat{\\theta}_{k}$ kept."),
        "{}",
        h.abstract_text
    );

    let t = paper(&c, "cech2020");
    assert_eq!(t.title, "DNA Sequencing of łódź Samples & Other Stories \u{2014} a Thesis");
    assert_eq!(t.authors, ["Ondřej Čech", "et al."]);
    assert_eq!(
        (t.year, t.month, t.kind.as_deref(), t.venue.as_deref()),
        (Some(2020), Some(6), Some("thesis"), Some("Univerzita Karlova"))
    );
    assert_eq!(t.pdf.as_deref(), Some("files/31/Cech - 2020 - DNA Sequencing.pdf"));

    let b = paper(&c, "beethoven2022");
    assert_eq!(
        b.authors,
        ["Ludwig van Beethoven", "Martin Luther King Jr.", "World Health Organization", "François de la Tour"]
    );
    assert_eq!((b.month, b.doi.as_deref(), b.kind.as_deref()), (Some(3), Some("10.1000/xyz.2022.1"), Some("chapter")));
}

#[test]
fn bibtex_with_a_byte_order_mark_and_crlf() {
    let c = load("windows.bib");
    assert_eq!(keys(&c), ["Mueller2016", "Kocaoglu2018"]);
    assert_eq!(skipped(&c), [(14, "Broken2017".to_string())]);
    assert!(
        c.skipped[0].message.starts_with(
            "unbalanced braces: the `{` of `title` on line 14 is not closed before the next entry (line 18)"
        ),
        "{}",
        c.skipped[0]
    );
    assert_free_of_latex(&c);
    let m = paper(&c, "Mueller2016");
    assert_eq!(m.authors, ["Jörg Müller", "María Núñez", "Karl J. Åström"]);
    assert_eq!(m.title, "ImageNet-Scale Learning of Groß-Features");
    assert_eq!((m.year, m.month), (Some(2016), Some(6)));
    let k = paper(&c, "Kocaoglu2018");
    assert_eq!(
        (k.title.as_str(), k.authors.clone()),
        ("Causal GANs via α-Divergences", vec!["Murat Kocağlu".to_string(), "Ali Koç".to_string()])
    );
    assert!(!k.bibtex.as_deref().unwrap().contains('\r'));
}

#[test]
fn csl_json_items() {
    let c = load("zotero.json");
    assert_eq!(c.format, Format::CslJson);
    assert_eq!(keys(&c), ["he2016deep", "noether1918", "lora-preprint", "42"]);
    assert_eq!(skipped(&c), [(43, "no-title".to_string()), (49, "he2016deep".to_string()), (54, "#6".to_string())]);
    assert!(c.skipped[2].message.starts_with("the item is not valid JSON"), "{}", c.skipped[2]);
    assert_free_of_latex(&c);
    let h = paper(&c, "he2016deep");
    assert_eq!(h.authors, ["Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"]);
    assert_eq!((h.year, h.month, h.kind.as_deref()), (Some(2016), Some(6), Some("conference paper")));
    assert_eq!(
        (h.doi.as_deref(), h.keywords.clone()),
        (Some("10.1109/CVPR.2016.90"), vec!["deep learning".to_string(), "residual networks".to_string()])
    );
    let n = paper(&c, "noether1918");
    assert_eq!(n.title, "Invariante Variationsprobleme");
    assert_eq!(n.authors, ["Emmy Noether", "Ludwig van Beethoven", "The CMS Collaboration"]);
    assert_eq!((n.year, n.month), (Some(1918), Some(7)));
    let l = paper(&c, "lora-preprint");
    assert_eq!((l.year, l.arxiv.as_deref()), (Some(2021), Some("2106.09685")));
    let t = paper(&c, "42");
    assert_eq!((t.year, t.month, t.kind.as_deref()), (Some(2019), Some(9), Some("thesis")));
}

#[test]
fn ris_records() {
    let c = load("library.ris");
    assert_eq!(c.format, Format::Ris);
    assert_eq!(keys(&c), ["lecun2015", "-", "-"]);
    assert_eq!(skipped(&c), [(35, "notitle".to_string()), (41, "#4".to_string()), (52, "lecun2015".to_string())]);
    assert!(c.skipped[1]
        .message
        .starts_with("the record has no `ER  - ` line before the next record's `TY` (line 46)"));
    assert_free_of_latex(&c);
    let l = paper(&c, "lecun2015");
    assert_eq!(
        (l.title.as_str(), l.authors.clone()),
        ("Deep learning", vec!["Yann LeCun".into(), "Yoshua Bengio".into(), "Geoffrey Hinton".into()])
    );
    assert_eq!(
        (l.year, l.month, l.venue.as_deref(), l.kind.as_deref()),
        (Some(2015), Some(5), Some("Nature"), Some("article"))
    );
    assert!(l
        .abstract_text
        .starts_with("Deep learning allows computational models that are composed of multiple processing layers"));
    assert_eq!(l.keywords, ["deep learning", "neural networks"]);
    let adam = &c.papers[1];
    assert_eq!((adam.kind.as_deref(), adam.arxiv.as_deref()), (Some("conference paper"), Some("1412.6980")));
    assert_eq!(adam.pdf.as_deref(), Some("https://arxiv.org/pdf/1412.6980.pdf"));
    let who = &c.papers[2];
    assert_eq!(
        (who.authors.clone(), who.year, who.month, who.kind.as_deref()),
        (vec!["World Health Organization".into()], Some(2020), Some(5), Some("report"))
    );
}

#[test]
fn medline_records() {
    let c = load("pubmed.nbib");
    assert_eq!(c.format, Format::Medline);
    assert_eq!(keys(&c), ["31452104", "34000003"]);
    assert_eq!(skipped(&c), [(24, "32000001".to_string()), (33, "33000002".to_string())]);
    assert_free_of_latex(&c);
    let p = paper(&c, "31452104");
    assert_eq!(
        p.title,
        "Deep learning for the detection of diabetic retinopathy: a systematic review and meta-analysis."
    );
    assert_eq!(p.authors, ["Katrine B Nielsen", "Mads L Lautrup"]);
    assert_eq!((p.year, p.month, p.venue.as_deref()), (Some(2019), Some(8), Some("The Lancet. Digital health")));
    assert_eq!(
        (p.doi.as_deref(), p.url.as_deref()),
        (Some("10.1016/S2589-7500(19)30123-2"), Some("https://pubmed.ncbi.nlm.nih.gov/31452104/"))
    );
    assert_eq!(
        (p.keywords.clone(), p.categories.clone()),
        (vec!["diabetic retinopathy".into(), "screening".into()], vec!["Deep Learning".into(), "Humans".into()])
    );
    let q = paper(&c, "34000003");
    assert_eq!(
        (q.kind.as_deref(), q.authors.clone(), q.venue.as_deref()),
        (Some("preprint"), vec!["Smith J".into()], Some("medRxiv"))
    );
}

#[test]
fn arxiv_snapshot_records() {
    let c = load("arxiv-snapshot.json");
    assert_eq!(c.format, Format::ArxivSnapshot);
    assert_eq!(keys(&c), ["0704.0001", "math/0211159", "2106.09685"]);
    assert_eq!(
        skipped(&c),
        [(3, "#3".to_string()), (5, "#5".to_string()), (6, "0704.0001".to_string()), (7, "0705.0002".to_string())]
    );
    assert_free_of_latex(&c);
    let d = paper(&c, "0704.0001");
    assert_eq!(d.title, "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies");
    assert_eq!(d.authors, ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"]);
    // The first version's date, not the last's nor the update's.
    assert_eq!((d.year, d.month), (Some(2007), Some(4)));
    assert!(d
        .abstract_text
        .starts_with("A fully differential calculation in perturbative quantum chromodynamics is presented"));
    assert_eq!(
        (d.venue.as_deref(), d.doi.as_deref()),
        (Some("Phys.Rev.D76:013009,2007"), Some("10.1103/PhysRevD.76.013009"))
    );
    assert_eq!(
        (d.url.as_deref(), d.pdf.as_deref()),
        (Some("https://arxiv.org/abs/0704.0001"), Some("https://arxiv.org/pdf/0704.0001"))
    );
    let p = paper(&c, "math/0211159");
    assert_eq!(
        (p.year, p.arxiv.as_deref(), p.categories.clone()),
        (Some(2002), Some("math/0211159"), vec!["math.DG".into(), "math.MG".into()])
    );
    assert!(p.abstract_text.ends_with("the entropy W and λ."), "{}", p.abstract_text);
    let l = paper(&c, "2106.09685");
    assert_eq!((l.year, l.month), (Some(2021), Some(6)));
    assert!(l.abstract_text.ends_with("costs $5 less, or a stray $ sign."), "{}", l.abstract_text);
}

#[test]
fn strict_mode_turns_every_skipped_entry_into_an_error() {
    for (name, n) in [
        ("publications.bib", 5),
        ("windows.bib", 1),
        ("zotero.json", 3),
        ("library.ris", 3),
        ("pubmed.nbib", 2),
        ("arxiv-snapshot.json", 4),
    ] {
        let c = load(name);
        assert!(c.check(false).is_ok(), "{name}: tolerant");
        let e = c.check(true).expect_err("strict");
        let shown = e.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines.len(), n + 1, "{shown}");
        for (line, s) in lines.iter().zip(&c.skipped) {
            assert_eq!(*line, s.to_string());
            assert!(line.contains(": entry ") && line.contains("; "), "{line}");
        }
        assert!(
            lines[n].contains(&format!("{n} of {} entries could not be read (listed above)", c.entries())),
            "{shown}"
        );
    }
}

#[test]
fn the_papers_read_are_indexed_and_found() {
    for (name, query, key) in [
        ("publications.bib", "quantenmechanik", "schrodinger1935"),
        ("publications.bib", "lodz sequencing", "cech2020"),
        ("windows.bib", "gross features", "Mueller2016"),
        ("zotero.json", "residual learning", "he2016deep"),
        ("library.ris", "deep learning nature", "lecun2015"),
        ("pubmed.nbib", "diabetic retinopathy", "31452104"),
        ("arxiv-snapshot.json", "diphoton", "0704.0001"),
    ] {
        let c = load(name);
        let bytes = index::build(&c.papers).unwrap();
        let searcher = Searcher::new(Index::open(&bytes).unwrap());
        let hits = searcher.search(query, &SearchOptions { limit: 3, ..SearchOptions::default() }).hits;
        let first = hits.first().unwrap_or_else(|| panic!("{name}: {query} finds nothing"));
        assert_eq!(c.papers[first.id as usize].key.as_deref(), Some(key), "{name}: {query}");
    }
}

/// `paper-search-index` on a collection with bad entries: warnings and the summary, then with
/// `--strict` the same entries as errors, exit status 1 and its output folder as it was.
#[test]
fn the_indexer_reports_skipped_entries_and_stops_on_them_when_strict() {
    let exe = env!("CARGO_BIN_EXE_paper-search-index");
    let bib = fixture("publications.bib");
    let out = std::env::temp_dir().join(format!("paper-search-collections-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let run = |extra: &[&str]| {
        std::process::Command::new(exe).arg(&bib).arg(&out).args(extra).output().expect("paper-search-index runs")
    };
    let tolerant = run(&[]);
    let stderr = String::from_utf8_lossy(&tolerant.stderr);
    assert!(tolerant.status.success(), "{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning: ")).collect();
    let expected: Vec<String> = load("publications.bib")
        .skipped
        .iter()
        .map(|s| {
            format!("warning: {}", s)
                .replace(&fixture("publications.bib").display().to_string(), &bib.display().to_string())
        })
        .collect();
    assert_eq!(warnings, expected);
    assert_eq!(
        stderr.lines().last(),
        Some("paper-search-index: 6 of 11 entries indexed, 5 skipped (listed above)"),
        "{stderr}"
    );
    let index_before = std::fs::read(out.join("index.bin")).unwrap();

    let strict = run(&["--strict"]);
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert_eq!(strict.status.code(), Some(1), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 6, "{stderr}");
    for (error, warning) in errors.iter().zip(&expected) {
        assert_eq!(error.strip_prefix("error: "), warning.strip_prefix("warning: "));
    }
    assert!(errors[5].contains("5 of 11 entries could not be read (listed above), and strict mode"), "{stderr}");
    assert!(!stderr.contains("panicked"));
    assert_eq!(std::fs::read(out.join("index.bin")).unwrap(), index_before, "the output is as it was");
    std::fs::remove_dir_all(&out).unwrap();
}
