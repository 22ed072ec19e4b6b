//! A sharded build answers exactly as the embedded build of the same corpus: SciFact (5,183
//! papers) built both ways, and every query of the benchmark mix and of SciFact's claims asked
//! of both, finished and as typed, with a few of the query language's forms: the same ids, in
//! the same order, with the same scores, snippets, totals and suggestions, and the same papers
//! and related papers for every hit. The sharded searcher starts with its core alone and is
//! given the parts each answer asks for, as the page's loader does.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

mod common;

use common::catalogue::{drawn, filters, paper};
use common::shards::{fetching, queries, scifact, sharded};
use paper_search::corpus::{self, Paper};
use paper_search::index::{self, Index, Layout, PartId, PartKind};
use paper_search::search::{Groups, SearchOptions, Searcher, Sort};

#[test]
fn a_sharded_build_answers_every_query_as_the_embedded_build_does() {
    let dir = scifact();
    let papers = corpus::load(&dir.join("corpus.jsonl")).unwrap().papers;
    let embedded_bytes = index::build(&papers).unwrap();
    let embedded = Searcher::new(Index::open(&embedded_bytes).unwrap());
    let (core, parts) = sharded(&papers, &Layout::SHARDED, None);
    let mut sharded = Searcher::new(Index::open(&core).unwrap());
    assert!(sharded.index().is_sharded() && !embedded.index().is_sharded());
    assert_eq!(sharded.stats().papers, embedded.stats().papers);
    let count = |kind| parts.keys().filter(|id| id.kind == kind).count();
    assert!(count(PartKind::Dict) > 5 && count(PartKind::Postings) > 20 && count(PartKind::Text) > 100);

    let queries = queries(&dir);
    let options = SearchOptions { limit: 20, ..SearchOptions::default() };
    let mut compared = 0;
    let mut slow = Vec::new();
    for (i, query) in queries.iter().enumerate() {
        // Every fiftieth query starts from the core alone again, so that the parts a query
        // needs are fetched from nothing as well as found among those fetched before.
        if i % 50 == 0 {
            for id in sharded.index().all_parts() {
                sharded.remove_part(id);
            }
        }
        let expected = embedded.search(query, &options);
        let (got, rounds) = fetching(&mut sharded, &parts, |s| s.try_search(query, &options));
        assert_eq!(got, expected, "{query:?}");
        if rounds > 4 {
            slow.push(query.clone());
        }
        for hit in expected.hits.iter().take(3) {
            let (paper, _) = fetching(&mut sharded, &parts, |s| s.try_paper(hit.id));
            assert_eq!(paper, embedded.paper(hit.id), "paper {}", hit.id);
            let (related, _) = fetching(&mut sharded, &parts, |s| s.try_related(hit.id, 5));
            assert_eq!(related, embedded.related(hit.id, 5), "related to {}", hit.id);
        }
        compared += 1;
    }
    assert!(compared > 2000, "{compared} queries compared");
    assert!(slow.is_empty(), "queries that took more than four rounds of fetching: {slow:?}");
}

/// Words the generated papers and queries are made of: a few that share prefixes, first
/// letters and stems, so that prefixes, typos and phrases find something.
const WORDS: [&str; 24] = [
    "network",
    "networks",
    "neural",
    "neuron",
    "learning",
    "learned",
    "learner",
    "bandit",
    "bandits",
    "regret",
    "graph",
    "graphs",
    "grokking",
    "transformer",
    "transformers",
    "attention",
    "sparse",
    "spectral",
    "tying",
    "tie",
    "lying",
    "konig",
    "dataset",
    "data",
];

fn words(picks: &[proptest::sample::Index]) -> String {
    picks.iter().map(|i| WORDS[i.index(WORDS.len())]).collect::<Vec<_>>().join(" ")
}

/// A query built from picks: words, maybe a quoted pair (or one whose quote is still open),
/// an exclusion, a typo, an unfinished last word.
fn query(picks: &[proptest::sample::Index], form: u8) -> String {
    let base = words(picks);
    match form % 7 {
        0 => base,
        1 => format!("{base} "),
        2 => format!("\"{base}\""),
        6 => format!("\"{}", &base[..base.len() - base.len() / 3]),
        3 => format!("{base} -{}", WORDS[form as usize % WORDS.len()]),
        4 => base.replacen('e', "", 1),
        _ => format!("{} -\"{base}\" learning", WORDS[form as usize % WORDS.len()]),
    }
}

/// A small corpus and a small layout (every kind in several shards), for the property below.
fn small_sharded(papers: &[Paper]) -> (Vec<u8>, HashMap<PartId, Vec<u8>>) {
    let tiny = Layout {
        dict_shard_bytes: 200,
        post_shard_bytes: 80,
        text_shard_bytes: 300,
        pos_shard_bytes: Some(60),
        max_files: 500,
    };
    sharded(papers, &tiny, None)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

    /// Any small corpus, built sharded in small shards, answers any query as built embedded.
    #[test]
    fn any_corpus_answers_alike_sharded_and_embedded(
        docs in proptest::collection::vec(
            (proptest::collection::vec(proptest::prelude::any::<proptest::sample::Index>(), 1..5),
             proptest::collection::vec(proptest::prelude::any::<proptest::sample::Index>(), 3..30)),
            1..25),
        queries in proptest::collection::vec(
            (proptest::collection::vec(proptest::prelude::any::<proptest::sample::Index>(), 1..4), proptest::prelude::any::<u8>()),
            1..8),
    ) {
        let papers: Vec<Paper> = docs.iter().map(|(t, a)| Paper::new(words(t), words(a))).collect();
        let embedded_bytes = index::build(&papers).unwrap();
        let embedded = Searcher::new(Index::open(&embedded_bytes).unwrap());
        let (core, parts) = small_sharded(&papers);
        let mut sharded = Searcher::new(Index::open(&core).unwrap());
        for (picks, form) in &queries {
            let q = query(picks, *form);
            let options = SearchOptions { limit: 1000, ..SearchOptions::default() };
            let (got, _) = fetching(&mut sharded, &parts, |s| s.try_search(&q, &options));
            proptest::prop_assert_eq!(got, embedded.search(&q, &options), "{}", q);
        }
        for doc in 0..papers.len() as u32 {
            let (related, _) = fetching(&mut sharded, &parts, |s| s.try_related(doc, 6));
            proptest::prop_assert_eq!(related, embedded.related(doc, 6));
        }
    }

    /// Any catalogue, sharded, filters, sorts and counts facets as built embedded: the same
    /// hits, totals and counts, a search with facets in the rounds of one without them (its
    /// facets shards come with its hits' text) and an author filter in one more at most.
    #[test]
    fn any_catalogue_filters_and_counts_alike_sharded_and_embedded(
        docs in proptest::collection::vec(drawn(), 1..40),
        queries in proptest::collection::vec(
            (proptest::collection::vec(proptest::prelude::any::<proptest::sample::Index>(), 0..3), filters(), 0u8..3),
            1..6),
    ) {
        let papers: Vec<Paper> = docs.iter().map(paper).collect();
        let embedded_bytes = index::build(&papers).unwrap();
        let embedded = Searcher::new(Index::open(&embedded_bytes).unwrap());
        let (core, parts) = small_sharded(&papers);
        for (picks, filters, sort) in &queries {
            let q = format!("{} ", words(picks));
            let sort = [Sort::Relevance, Sort::Newest, Sort::Oldest][usize::from(*sort)];
            let plain = SearchOptions { limit: 1000, filters: filters.clone(), sort, ..SearchOptions::default() };
            let counted = SearchOptions { facets: Groups::ALL, ..plain.clone() };
            // A fresh sharded searcher for each, so that the rounds are each search's own.
            let mut sharded = Searcher::new(Index::open(&core).unwrap());
            let (got, rounds) = fetching(&mut sharded, &parts, |s| s.try_search(&q, &counted));
            proptest::prop_assert_eq!(&got, &embedded.search(&q, &counted), "{} {:?}", q, filters);
            let mut fresh = Searcher::new(Index::open(&core).unwrap());
            let (_, without) = fetching(&mut fresh, &parts, |s| s.try_search(&q, &plain));
            let extra = usize::from(!filters.authors.is_empty());
            proptest::prop_assert!(rounds <= without.max(3) + extra, "{} rounds with facets, {} without", rounds, without);
            // Years and types are in the docs part: counting them fetches nothing more.
            let light = SearchOptions { facets: Groups { years: true, kinds: true, ..Groups::NONE }, ..plain.clone() };
            let mut fresh = Searcher::new(Index::open(&core).unwrap());
            let (_, light_rounds) = fetching(&mut fresh, &parts, |s| s.try_search(&q, &light));
            proptest::prop_assert_eq!(light_rounds, without);
        }
    }
}
