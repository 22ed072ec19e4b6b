//! Search by meaning answers alike in a sharded and an embedded build: SciFact (5,183 papers)
//! with a vector for each paper, built both ways, and every query of the benchmark mix and of
//! SciFact's claims, finished and as typed, asked of both with a query vector: the same ids, in
//! the same order, with the same scores. The sharded searcher starts from its core alone and is
//! given the parts each answer asks for (the codes shards, then the text shards that hold the
//! vectors of the papers fusion puts first), as the page's loader does.
//!
//! The vectors are pseudo-random here (the sentence model's own are `./build.sh eval semantic`'s
//! business): what is tested is that both builds store the same vectors and use them the same
//! way, which does not depend on what the vectors mean.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::shards::{fetching, queries, scifact, sharded};
use paper_search::corpus::{self, Paper};
use paper_search::index::{self, Index, Layout, PartId, PartKind};
use paper_search::search::{SearchOptions, Searcher};
use paper_search::semantic::fuse::{Exact, Near, DEPTH};
use paper_search::semantic::vectors::Vectors;

const DIMS: usize = 384;
const MODEL: u64 = 0x5eed_0000_0000_0001;

/// A pseudo-random generator of numbers in [-0.5, 0.5), seeded.
fn noise(mut seed: u64) -> impl FnMut() -> f32 {
    move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as f32 / (1u64 << 31) as f32) - 0.5
    }
}

fn unit(v: Vec<f32>) -> Vec<f32> {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.into_iter().map(|x| x / n).collect()
}

/// A vector for each paper.
fn vectors(papers: usize) -> Vectors {
    let mut next = noise(7);
    let rows: Vec<Vec<f32>> = (0..papers).map(|_| unit((0..DIMS).map(|_| next()).collect())).collect();
    Vectors::new(MODEL, DIMS, &rows)
}

/// A query's vector: near two papers the query's text picks, so that some papers are near it.
fn query_vector(text: &str, vectors: &Vectors) -> Vec<f32> {
    let seed = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let mut next = noise(seed);
    let pick = |r: f32| ((r + 0.5) * vectors.len() as f32) as u32 % vectors.len() as u32;
    let (a, b) = (vectors.get(pick(next())).unwrap(), vectors.get(pick(next())).unwrap());
    unit((0..DIMS).map(|i| a[i] + 0.7 * b[i] + 0.8 * next()).collect())
}

fn embedded_with(papers: &[Paper], vectors: Option<&Vectors>) -> Vec<u8> {
    index::write_site(papers, &Layout::EMBEDDED, vectors.map(Vectors::stored), &mut |_, _| Ok(()), &mut |_| {})
        .unwrap()
        .bundle
}

#[test]
fn with_meaning_a_sharded_build_answers_every_query_as_the_embedded_build_does() {
    let dir = scifact();
    let papers = corpus::load(&dir.join("corpus.jsonl")).unwrap().papers;
    let vectors = vectors(papers.len());
    let embedded_bytes = embedded_with(&papers, Some(&vectors));
    let embedded = Searcher::new(Index::open(&embedded_bytes).unwrap());
    let plain_bytes = index::build(&papers).unwrap();
    let plain = Searcher::new(Index::open(&plain_bytes).unwrap());
    let (core, parts) = sharded(&papers, &Layout::SHARDED, Some(vectors.stored()));
    let mut sharded = Searcher::new(Index::open(&core).unwrap());

    // Switching meaning on fetches the codes shards, all in one round, and nothing else.
    let codes_parts = parts.keys().filter(|id| id.kind == PartKind::Codes).count();
    assert!(codes_parts > 1, "{codes_parts} codes shards");
    let (codes, rounds) = fetching(&mut sharded, &parts, |s| s.try_codes());
    assert_eq!((codes.as_ref(), rounds), (Some(vectors.codes()), 1));
    assert_eq!(embedded.try_codes().unwrap().as_ref(), Some(vectors.codes()));
    assert_eq!(plain.try_codes().unwrap(), None, "a build without vectors has no codes");
    let codes = codes.unwrap();

    let options = SearchOptions { limit: 10, ..SearchOptions::default() };
    let mut compared = 0;
    // Queries whose answer the exact cosines change: the test reaches the rescoring.
    let mut rescored = 0;
    let mut slow = Vec::new();
    for (i, query) in queries(&dir).iter().enumerate() {
        // Every fiftieth query starts from the core (and the codes) alone again.
        if i % 50 == 0 {
            for id in sharded.index().all_parts().into_iter().filter(|id| id.kind != PartKind::Codes) {
                sharded.remove_part(id);
            }
        }
        let (meant, _) = fetching(&mut sharded, &parts, |s| s.try_model_text(query));
        assert_eq!(meant, embedded.model_text(query), "{query:?}");
        let q = query_vector(&meant, &vectors);
        let estimates = codes.estimated(&q, DEPTH);
        assert_eq!(estimates, vectors.estimated(&q, DEPTH));
        let near = Near { estimates: &estimates, exact: Exact::Stored(&q) };
        let expected = embedded.try_search_near(query, &options, near).unwrap();
        // The index's vectors are the vectors given: the same answer as the evaluation's.
        let cosine = |d| vectors.cosine(&q, d);
        let given = Near { estimates: &estimates, exact: Exact::Given(&cosine) };
        assert_eq!(plain.try_search_near(query, &options, given).unwrap(), expected, "{query:?}");
        let unknown = Near { estimates: &estimates, exact: Exact::Given(&|_| 0.0) };
        if plain.try_search_near(query, &options, unknown).unwrap() != expected {
            rescored += 1;
        }
        let (got, rounds) = fetching(&mut sharded, &parts, |s| s.try_search_near(query, &options, near));
        assert_eq!(got, expected, "{query:?}");
        if rounds > 4 {
            slow.push(query.clone());
        }
        // Without meaning, the vectors change nothing.
        assert_eq!(embedded.search(query, &options), plain.search(query, &options), "{query:?}");
        compared += 1;
    }
    assert!(compared > 2000, "{compared} queries compared");
    assert!(rescored > compared / 2, "{rescored} of {compared} answers changed by the exact cosines");
    assert!(slow.is_empty(), "queries that took more than four rounds of fetching: {slow:?}");
}

#[test]
fn a_damaged_or_foreign_codes_or_text_shard_is_refused() {
    let papers: Vec<Paper> = (0..40).map(|i| Paper::new(format!("Paper {i} on bandits"), "Regret bounds.")).collect();
    let layout = Layout { text_shard_bytes: 200, ..Layout::SHARDED };
    let (core, parts) = sharded(&papers, &layout, Some(vectors(papers.len()).stored()));
    let mut searcher = Searcher::new(Index::open(&core).unwrap());
    let codes = PartId { kind: PartKind::Codes, n: 0 };
    let text = PartId { kind: PartKind::Text, n: 0 };
    let mut cut = parts[&codes].clone();
    cut.truncate(cut.len() - 3);
    assert!(searcher.insert_part(cut).is_err(), "a codes shard cut short");
    // A text shard of the same papers without vectors is not this build's.
    let (_, plain) = sharded(&papers, &layout, None);
    assert!(searcher.insert_part(plain[&text].clone()).is_err(), "a text shard without vectors");
    // Codes of vectors of another width.
    let narrow = Vectors::new(MODEL, 64, &(0..papers.len()).map(|_| vec![0.125; 64]).collect::<Vec<_>>());
    let (_, other) = sharded(&papers, &layout, Some(narrow.stored()));
    assert!(searcher.insert_part(other[&codes].clone()).is_err(), "codes of vectors of another width");
    assert_eq!(searcher.insert_part(parts[&codes].clone()).unwrap(), codes);
    assert_eq!(searcher.insert_part(parts[&text].clone()).unwrap(), text);
}

#[test]
fn vectors_that_are_not_one_a_paper_stop_the_build() {
    let papers: Vec<Paper> = (0..3).map(|i| Paper::new(format!("Paper {i}"), "Text.")).collect();
    let short = vectors(2);
    let built = index::write_site(&papers, &Layout::EMBEDDED, Some(short.stored()), &mut |_, _| Ok(()), &mut |_| {});
    let message = built.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("2 for 3 papers"), "{message}");
}
