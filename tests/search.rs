//! Integration tests through the public API, on the default corpus embedded at build time.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use paper_search::corpus;
use paper_search::search::{SearchOptions, Searcher};

fn searcher() -> Searcher<'static> {
    Searcher::embedded().expect("the embedded index reads")
}

fn top_titles(q: &str, n: usize) -> Vec<String> {
    searcher()
        .search(q, &SearchOptions { limit: n, ..SearchOptions::default() })
        .hits
        .into_iter()
        .map(|h| h.title)
        .collect()
}

#[test]
fn embeds_all_208_papers_in_file_order() {
    let s = searcher();
    assert_eq!(s.stats().papers, 208);
    assert_eq!(s.paper(0).unwrap().title, "On Invariance Penalties for Risk Minimization");
    assert_eq!(s.paper(1).unwrap().title, "Multi-User Reinforcement Learning with Low Rank Rewards");
    let papers =
        corpus::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data/papers.txt"))).unwrap().papers;
    for (id, p) in papers.iter().enumerate() {
        let record = s.paper(id as u32).unwrap();
        assert_eq!(
            (record.title.as_str(), record.abstract_text.as_str()),
            (p.title.as_str(), p.abstract_text.as_str())
        );
    }
    assert!(s.paper(208).is_none());
}

#[test]
fn linear_bandits_puts_a_linear_bandit_paper_first() {
    let top = &top_titles("linear bandits", 1)[0];
    assert!(top.to_lowercase().contains("linear") && top.to_lowercase().contains("bandit"), "{top}");
}

#[test]
fn diffusion_posterior_sampling_puts_a_posterior_sampling_paper_first() {
    let top = top_titles("diffusion posterior sampling", 3);
    assert!(top[0].to_lowercase().contains("posterior sampling"), "{top:?}");
}

#[test]
fn grokking_finds_the_grokking_papers_first() {
    assert!(top_titles("grokking", 1)[0].contains("Grokking"));
    assert!(top_titles("grokk", 1)[0].contains("Grokking"), "prefix while typing");
}

#[test]
fn neural_tang_completes_to_tangent_kernel() {
    let top = &top_titles("neural tang", 1)[0];
    assert!(top.to_lowercase().contains("tangent"), "{top}");
}

#[test]
fn diacritics_and_latex_accents_match_plain_spelling() {
    for q in ["Konig", "König", "K\\\"onig", "KONIG"] {
        let hits = searcher().search(q, &SearchOptions::default()).hits;
        assert!(!hits.is_empty(), "{q}");
        let abstract_text = searcher().paper(hits[0].id).unwrap().abstract_text;
        assert!(abstract_text.contains("K\\\"onig"), "{q} → {abstract_text}");
    }
}

#[test]
fn stop_words_do_not_dominate() {
    // "the" and "of" are in almost every abstract; the content word decides.
    assert_eq!(top_titles("the grokking of", 1), top_titles("grokking", 1));
}

#[test]
fn the_3_z_10_title_is_kept_verbatim() {
    let t = top_titles("fine-structure constant JWST", 1);
    assert_eq!(
        t[0],
        "Constraints on the variation of the fine-structure constant at 3<z<10 with JWST emission-line galaxies"
    );
}

#[test]
fn every_indexed_title_finds_its_own_paper() {
    let s = searcher();
    for id in 0..s.stats().papers {
        let title = s.paper(id).unwrap().title;
        let hits = s.search(&title, &SearchOptions { limit: 5, ..SearchOptions::default() }).hits;
        assert!(hits.iter().any(|h| h.id == id), "paper {id} ({title}) not in its own title's top 5");
    }
}

/// British and American spellings of a word find the same papers, in the same order, with the
/// same scores and the same words marked: the analyzer writes both the American way.
#[test]
fn british_and_american_spellings_find_the_same_papers() {
    let s = searcher();
    let pairs = [
        ("optimisation", "optimization"),
        ("optimise", "optimize"),
        ("generalisation", "generalization"),
        ("regularisation", "regularization"),
        ("normalisation", "normalization"),
        ("visualisation", "visualization"),
        ("parameterised", "parameterized"),
        ("randomised", "randomized"),
        ("characterise", "characterize"),
        ("minimise", "minimize"),
        ("organisation", "organization"),
        ("modelling", "modeling"),
        ("labelled", "labeled"),
        ("signalling", "signaling"),
        ("behaviour", "behavior"),
        ("neighbour", "neighbor"),
        ("favourable", "favorable"),
        ("colour", "color"),
        ("analyse", "analyze"),
        ("centre", "center"),
        ("catalogue", "catalog"),
        ("tumour", "tumor"),
    ];
    let options = SearchOptions { limit: 50, ..SearchOptions::default() };
    let mut found = 0;
    for (uk, us) in pairs {
        let (a, b) = (s.search(&format!("{uk} "), &options), s.search(&format!("{us} "), &options));
        assert_eq!(a.hits, b.hits, "{uk:?} and {us:?}");
        assert_eq!(a.total, b.total, "{uk} and {us}");
        if !b.hits.is_empty() {
            found += 1;
            // As typed, too, where the corpus has the word (one it lacks is read as a typo of
            // the letters typed, which differ).
            let (a, b) = (s.search(uk, &options), s.search(us, &options));
            assert_eq!(a.hits, b.hits, "{uk:?} and {us:?} as typed");
        }
    }
    assert!(found >= 12, "only {found} of the pairs find papers in the default corpus");
}
