//! Relevance regression test: the open judged set (tests/relevance/default.tsv) on the
//! embedded default corpus must keep its nDCG@10. The full tables, per query kind and on
//! SciFact, come from `./build.sh eval`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use paper_search::eval;
use paper_search::search::{SearchOptions, Searcher};

/// nDCG@10 of the open set when last recorded (see the README's relevance table). Raise it
/// when ranking improves; never lower it to make a change pass.
const RECORDED_NDCG10: f64 = 0.801;

/// Float noise and harmless reorderings; a real regression moves the mean by more.
const MARGIN: f64 = 0.01;

#[test]
fn open_set_ndcg_does_not_regress() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/relevance/default.tsv")).unwrap();
    let judged = eval::read_judged_tsv(&text).unwrap();
    assert!(judged.len() >= 40, "the open set has at least 40 queries");
    let searcher = Searcher::embedded().unwrap();
    let scores = eval::evaluate(&judged, |q| {
        searcher
            .search(q, &SearchOptions { limit: 100, ..SearchOptions::default() })
            .hits
            .iter()
            .map(|h| h.id.to_string())
            .collect()
    });
    let all = scores["all"];
    assert!(
        all.ndcg10 >= RECORDED_NDCG10 - MARGIN,
        "open-set nDCG@10 fell to {:.3} (recorded {RECORDED_NDCG10}); run ./build.sh eval for the per-kind table",
        all.ndcg10
    );
}
