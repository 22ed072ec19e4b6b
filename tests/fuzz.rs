//! Hostile queries against the whole query path (parse → plan → score → snippets), on the
//! embedded default corpus. Proptest generates them; set `PROPTEST_CASES` for a long run
//! (`./build.sh fuzz` runs 20,000 cases of each strategy).
//!
//! For every query: no panic; every highlight segment is text of the paper, cut on char
//! boundaries (slicing would panic otherwise), and the segments rebuild the title; hits are
//! best first and within the limit; a query that does not fit the word budget says so.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::LazyLock;

use paper_search::query::MAX_WORDS;
use paper_search::search::{SearchOptions, SearchResults, Searcher};
use paper_search::snippet::ELLIPSIS;
use proptest::prelude::*;

static SEARCHER: LazyLock<Searcher<'static>> = LazyLock::new(|| Searcher::embedded().unwrap());

fn check(q: &str) -> SearchResults {
    let r = SEARCHER.search(q, &SearchOptions { limit: 20, ..SearchOptions::default() });
    assert!(r.hits.len() <= 20);
    assert!(r.hits.windows(2).all(|w| w[0].score >= w[1].score));
    for hit in &r.hits {
        let paper = SEARCHER.paper(hit.id).unwrap();
        let title: String = hit.title_segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(title, paper.title);
        for seg in &hit.snippet {
            assert!(!seg.text.is_empty());
            assert!(seg.text == ELLIPSIS || paper.abstract_text.contains(&seg.text), "{:?}", seg.text);
        }
    }
    r
}

/// Pieces of query syntax and hostile text, to be glued together.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,12}",
        "[ \\t\\n\\r\"\\-:()*^~\\\\]{1,4}",
        Just("\"".to_string()),
        Just("OR".to_string()),
        Just("-".to_string()),
        Just("title:".to_string()),
        Just("author:".to_string()),
        Just("year:".to_string()),
        Just("year:2019-".to_string()),
        "[a-z]{1,15}",
        Just("grokking".to_string()),
        Just("the of and".to_string()),
        "[\\u{0}-\\u{1f}\\u{7f}\\u{200b}-\\u{200f}\\u{202a}-\\u{202e}\\u{feff}]{1,3}",
        "[\\u{300}-\\u{36f}]{1,3}",
        "[\\u{1f300}-\\u{1f64f}]{1,2}",
        "[\\u{590}-\\u{6ff}]{1,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn syntax_soup_never_breaks_search(pieces in proptest::collection::vec(piece(), 0..12), spaces in any::<bool>()) {
        let q = pieces.join(if spaces { " " } else { "" });
        check(&q);
    }

    #[test]
    fn arbitrary_unicode_never_breaks_search(q in "\\PC{0,200}") {
        check(&q);
    }

    #[test]
    fn arbitrary_chars_including_controls_never_break_search(q in any::<String>()) {
        check(&q);
    }
}

#[test]
fn a_100_kb_query_is_cut_and_says_so() {
    let q = "grokking transformers ".repeat(5000);
    assert!(q.len() > 100_000);
    let r = check(&q);
    assert!(!r.hits.is_empty());
    let distinct: String = (0..10_000).map(|i| format!("word{i} ")).collect();
    let r = check(&distinct);
    assert!(r.truncated, "10,000 distinct words are more than {MAX_WORDS}");
}

#[test]
fn ten_thousand_words_of_one_paper() {
    let p = SEARCHER.paper(0).unwrap();
    let q = format!("{} ", p.abstract_text).repeat(40);
    assert!(q.split_whitespace().count() >= 6000);
    let r = check(&q);
    assert!(r.truncated);
    assert_eq!(r.hits[0].id, 0, "the paper whose words these are comes first");
}

#[test]
fn only_stop_words_or_only_punctuation() {
    assert!(!check("the of and to in ").hits.is_empty(), "stop words alone still search");
    for q in ["?!.,;:", "((()))", "\"\"\"", "- - -", "::::", "OR OR OR", "\\\\\\"] {
        let r = check(q);
        assert!(r.hits.is_empty() || q.contains("OR"), "{q:?}");
    }
}

#[test]
fn many_misspelled_words_still_search() {
    // 32 distinct unknown words that typo tolerance could try to correct: only the first
    // MAX_TYPO_WORDS get an automaton, and the query still finds the one real word.
    let mut q: String = (0..MAX_WORDS - 1).map(|i| format!("grokkingz{i:02}x ")).collect();
    q.push_str("transformers ");
    let r = check(&q);
    assert!(!r.hits.is_empty());
}

#[test]
fn regressions_found_by_the_soak() {
    // A lone quote inside a word, then a hyphenated last word: the compound's parts were
    // looked up past the end of the clause list.
    check("Adjustmdep\"iPre-traine");
}
