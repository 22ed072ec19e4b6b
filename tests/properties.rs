//! Property tests: the index and the search agree with a brute-force scan of every paper.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::sync::LazyLock;

use paper_search::analyze::Analyzer;
use paper_search::corpus::{self, Paper};
use paper_search::index::{self, Index, FIELDS};
use paper_search::rank::{self, Params};
use paper_search::search::{Features, SearchOptions, Searcher};
use proptest::prelude::*;

fn papers() -> Vec<Paper> {
    corpus::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data/papers.txt"))).unwrap().papers
}

/// Every distinct folded word of the corpus (the query vocabulary worth sampling).
fn vocabulary(papers: &[Paper]) -> Vec<String> {
    let mut words: Vec<String> = papers
        .iter()
        .flat_map(|p| paper_search::analyze::words(&format!("{} {}", p.title, p.abstract_text)))
        .map(|w| w.text)
        .filter(|w| !paper_search::analyze::is_stop_word(w))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    words.sort();
    words
}

/// Every paper's terms by field: without joined compounds (for lengths), and with them (for
/// frequencies: `finetuning` for `fine-tuning` is a term too, but not part of a length).
type Analyzed = Vec<([Vec<String>; FIELDS], [Vec<String>; FIELDS])>;

static ANALYZED: LazyLock<Analyzed> = LazyLock::new(|| {
    let a = Analyzer::new();
    FIXTURE
        .0
        .iter()
        .map(|p| {
            let fields = [p.title.clone(), p.abstract_text.clone(), p.authors.join("\n")];
            let tokens = fields.map(|text| a.tokens(&text));
            let plain = tokens.clone().map(|ts| ts.into_iter().filter(|t| !t.joined).map(|t| t.term).collect());
            (plain, tokens.map(|ts| ts.into_iter().map(|t| t.term).collect()))
        })
        .collect()
});

/// The BM25F score of `terms` in every paper, computed from the raw text with no index.
fn brute_force(papers: &[Paper], terms: &[String]) -> Vec<(u32, f32)> {
    let analyzed: Vec<&[Vec<String>; FIELDS]> = ANALYZED.iter().map(|(plain, _)| plain).collect();
    let joined: Vec<&[Vec<String>; FIELDS]> = ANALYZED.iter().map(|(_, all)| all).collect();
    let n = papers.len() as f32;
    let avg: [f32; FIELDS] = [0, 1, 2].map(|f| analyzed.iter().map(|d| d[f].len() as f32).sum::<f32>() / n);
    let mut scores = vec![0f32; papers.len()];
    for term in terms {
        let df = joined.iter().filter(|d| d.iter().any(|f| f.contains(term))).count() as u32;
        if df == 0 {
            continue;
        }
        let idf = rank::idf(papers.len() as u32, df);
        for (doc, fields) in analyzed.iter().enumerate() {
            let tf = [0, 1, 2].map(|f| joined[doc][f].iter().filter(|t| *t == term).count() as u32);
            if tf.iter().any(|&t| t > 0) {
                // The index keeps the lengths this way (each to within 7.5%).
                let len = index::stored_lengths([0, 1, 2].map(|f| fields[f].len() as u32));
                scores[doc] += rank::bm25f(&Params::DEFAULT, idf, tf, len, avg);
            }
        }
    }
    let scored = scores.into_iter().enumerate().filter(|(_, s)| *s > 0.0).map(|(d, s)| (d as u32, s)).collect();
    rank::top_k(scored, usize::MAX)
}

/// The default corpus, its vocabulary and its index, built once for all cases.
static FIXTURE: LazyLock<(Vec<Paper>, Vec<String>, Vec<u8>)> = LazyLock::new(|| {
    let papers = papers();
    let vocab = vocabulary(&papers);
    let bytes = index::build(&papers).unwrap();
    (papers, vocab, bytes)
});

/// Whether a query of `words` gains corpus-defined alternatives: an acronym, a long form or
/// two words the corpus also writes joined.
fn rewritten_by_corpus(index: &Index, words: &[String]) -> bool {
    let index = index.view();
    let a = Analyzer::new();
    let terms: Vec<String> = words.iter().map(|w| a.stem(w)).collect();
    terms.iter().any(|t| !index.long_forms(t).is_empty())
        || words.windows(2).any(|p| index.word(&format!("{}{}", p[0], p[1])).is_some())
        || (2..=terms.len()).any(|n| {
            terms.windows(n).any(|w| index.acronym_of(&w.iter().map(String::as_str).collect::<Vec<_>>()).is_some())
        })
}

fn fixture() -> (&'static [Paper], &'static [String], &'static [u8]) {
    (&FIXTURE.0, &FIXTURE.1, &FIXTURE.2)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Search over the index returns exactly the papers, scores and order of a brute-force scan.
    #[test]
    fn search_agrees_with_a_brute_force_scan(picks in proptest::collection::vec(any::<prop::sample::Index>(), 1..4)) {
        let (papers, vocab, bytes) = fixture();
        // The oracle is plain BM25F: no frequent neighbours of rare words (a rewrite tested on
        // its own in the unit tests).
        let searcher = Searcher::new(Index::open(bytes).unwrap())
            .with_features(Features { rare_neighbours: false, ..Features::ALL });
        let words: Vec<String> = picks.iter().map(|i| vocab[i.index(vocab.len())].clone()).collect();
        // Nor queries that the corpus's acronyms and compounds rewrite (tested on their own in
        // the unit tests).
        prop_assume!(!rewritten_by_corpus(searcher.index(), &words));
        // A trailing space: whole words only (prefix matching is tested on its own).
        let query = format!("{} ", words.join(" "));
        let a = Analyzer::new();
        let mut terms: Vec<String> = words.iter().map(|w| a.stem(w)).collect();
        terms.dedup();
        let unique: Vec<String> = terms.iter().cloned().collect::<HashSet<_>>().into_iter().collect();
        let expected = brute_force(papers, &unique);
        let got = searcher.search(&query, &SearchOptions { limit: 1000, ..SearchOptions::default() });
        prop_assert_eq!(got.total, expected.len());
        for (hit, (doc, score)) in got.hits.iter().zip(&expected) {
            prop_assert!((hit.score - score).abs() <= 1e-4 * score.max(1.0), "{} vs {}", hit.score, score);
            // Near-equal scores may swap only if they are within float noise of each other.
            if hit.id != *doc {
                let theirs = expected.iter().find(|(d, _)| *d == hit.id).map(|x| x.1).unwrap_or(-1.0);
                prop_assert!((theirs - score).abs() <= 1e-4, "order differs at {}: {} vs {}", hit.id, theirs, score);
            }
        }
    }

    /// A query read as typed (its last word unfinished) ranks its first ten hits as the finished
    /// query does whenever the last word is a word of the corpus: the words it begins only add
    /// papers below those.
    #[test]
    fn a_last_word_of_the_corpus_ranks_as_finished(
        picks in proptest::collection::vec(any::<prop::sample::Index>(), 1..4),
        last in proptest::option::of(prop::sample::select(vec![
            "the", "of", "and", "for", "with", "in", "speed-up", "warm-up", "trade-off", "held-out",
        ])),
    ) {
        let (_, vocab, bytes) = fixture();
        let searcher = Searcher::new(Index::open(bytes).unwrap());
        // Words of the corpus, and sometimes a stop word last (finished, it is left out) or a
        // compound of the corpus whose last part is one (finished, that part counts).
        let mut words: Vec<String> = picks.iter().map(|i| vocab[i.index(vocab.len())].clone()).collect();
        words.extend(last.map(String::from));
        let typed = words.join(" ");
        let options = SearchOptions { limit: 10, ..SearchOptions::default() };
        let as_typed = searcher.search(&typed, &options);
        let finished = searcher.search(&format!("{typed} "), &options);
        let ids = |r: &paper_search::search::SearchResults| r.hits.iter().map(|h| (h.id, h.score)).collect::<Vec<_>>();
        let (a, f) = (ids(&as_typed), ids(&finished));
        // Every finished hit comes first, in its order and with its score; completions may
        // follow where the finished query finds fewer than ten.
        prop_assert_eq!(a.get(..f.len()), Some(&f[..]), "{:?}", typed);
        prop_assert!(as_typed.total >= finished.total);
    }

    /// Every word of a paper, typed as a query, finds that paper.
    #[test]
    fn every_word_finds_its_paper(doc in 0usize..208, pick in any::<prop::sample::Index>()) {
        let (papers, _, bytes) = fixture();
        let searcher = Searcher::new(Index::open(bytes).unwrap());
        let p = &papers[doc];
        let words = paper_search::analyze::words(&format!("{} {}", p.title, p.abstract_text));
        let word = &words[pick.index(words.len())].text;
        let got = searcher.search(&format!("{word} "), &SearchOptions { limit: 1000, ..SearchOptions::default() });
        prop_assert!(got.hits.iter().any(|h| h.id as usize == doc), "{} does not find paper {}", word, doc);
    }

    /// No text makes search panic, and highlight segments always rebuild the title.
    #[test]
    fn any_text_is_a_valid_query(q in "\\PC{0,60}") {
        let searcher = Searcher::embedded().unwrap();
        let got = searcher.search(&q, &SearchOptions::default());
        for hit in &got.hits {
            let whole: String = hit.title_segments.iter().map(|s| s.text.as_str()).collect();
            prop_assert_eq!(&whole, &hit.title);
        }
    }

    /// The index round-trips: any small corpus built and read back returns its own text.
    #[test]
    fn index_round_trips_any_corpus(docs in proptest::collection::vec(("\\PC{1,30}", "\\PC{1,80}"), 1..8)) {
        let papers: Vec<Paper> = docs.into_iter().map(|(t, a)| Paper::new(t, a)).collect();
        let bytes = index::build(&papers).unwrap();
        let opened = Index::open(&bytes).unwrap();
        let index = opened.view();
        prop_assert_eq!(index.doc_count() as usize, papers.len());
        for (i, p) in papers.iter().enumerate() {
            prop_assert_eq!(index.title(i as u32), p.title.as_str());
            prop_assert_eq!(index.abstract_text(i as u32), p.abstract_text.as_str());
        }
    }
}
