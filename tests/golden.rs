//! Golden tests on a small fixture corpus: the index bytes and the top results of known
//! queries are committed, so that a change to either is a deliberate one.
//!
//! After an intended change, regenerate with `UPDATE_GOLDEN=1 cargo test --test golden` and
//! review the diff of `tests/fixtures/`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write;
use std::path::PathBuf;

use paper_search::corpus;
use paper_search::index::{self, Index};
use paper_search::search::{SearchOptions, Searcher};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn check_or_update(name: &str, actual: &[u8]) {
    let path = fixture(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run UPDATE_GOLDEN=1 cargo test --test golden", path.display()));
    assert!(expected == actual, "{} differs from what the code produces; if the change is intended, run UPDATE_GOLDEN=1 cargo test --test golden", path.display());
}

fn mini_index() -> Vec<u8> {
    let papers = corpus::load(&fixture("mini.txt")).unwrap().papers;
    assert_eq!(papers.len(), 5);
    index::build(&papers).unwrap()
}

#[test]
fn index_bytes_match_the_committed_fixture() {
    check_or_update("mini-index.bin", &mini_index());
}

#[test]
fn top_results_match_the_committed_golden_file() {
    let bytes = mini_index();
    let searcher = Searcher::new(Index::open(&bytes).unwrap());
    let queries = [
        "grokking",
        "linear bandits",
        "diffusion posterior sampling",
        "Konig",
        "König graphs",
        "regret",
        "3<z<10",
        "fine structure",
        "neural tang",
        "generaliz",
        "the of and",
        "\"posterior sampling\"",
        "regret -linear",
        "grokkign",
        "title:graphs",
        "finetuning",
    ];
    let mut out = String::new();
    for q in queries {
        let r = searcher.search(q, &SearchOptions::default());
        let ids: Vec<String> = r.hits.iter().map(|h| h.id.to_string()).collect();
        writeln!(out, "{q}\t{}", ids.join(" ")).unwrap();
    }
    check_or_update("mini-golden.tsv", out.as_bytes());
}
