//! Relevance regression test: the open judged set (tests/relevance/default.tsv) on the
//! embedded default corpus must keep its nDCG@10. The full tables, per query kind and on
//! SciFact, come from `./build.sh eval`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use paper_search::eval;
use paper_search::search::{SearchOptions, Searcher};

/// nDCG@10 of the open set when last recorded (see the README's relevance table), with each
/// query finished (a space after it) and as typed (its last word unfinished). Raise them when
/// ranking improves; never lower them to make a change pass.
const RECORDED_FINISHED: f64 = 0.788;
const RECORDED_AS_TYPED: f64 = 0.807;

/// Float noise and harmless reorderings; a real regression moves the mean by more.
const MARGIN: f64 = 0.01;

#[test]
fn open_set_ndcg_does_not_regress() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/relevance/default.tsv")).unwrap();
    let judged = eval::read_judged_tsv(&text).unwrap();
    assert!(judged.len() >= 40, "the open set has at least 40 queries");
    let searcher = Searcher::embedded().unwrap();
    type Reading = fn(&str) -> String;
    let finished: Reading = |q| format!("{} ", q.trim_end());
    let as_typed: Reading = |q| q.trim_end_matches(|c: char| !c.is_alphanumeric()).to_string();
    for (name, read, recorded) in [("finished", finished, RECORDED_FINISHED), ("as typed", as_typed, RECORDED_AS_TYPED)]
    {
        let scores = eval::evaluate(&judged, |q| {
            searcher
                .search(&read(q), &SearchOptions { limit: 100, ..SearchOptions::default() })
                .hits
                .iter()
                .map(|h| h.id.to_string())
                .collect()
        });
        let all = scores["all"];
        assert!(
            all.ndcg10 >= recorded - MARGIN,
            "open-set nDCG@10 {name} fell to {:.3} (recorded {recorded}); run ./build.sh eval for the per-kind table",
            all.ndcg10
        );
    }
}
