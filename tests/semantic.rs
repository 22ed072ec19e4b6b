//! The real sentence model against reference vectors computed without this crate's code
//! (`scripts/model-reference.py`: Hugging Face's tokenizer, the f32 weights, BERT in numpy):
//! the same token ids, and vectors within the error of int8 weights.
#![cfg(feature = "semantic")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use paper_search::search::{SearchOptions, Searcher};
use paper_search::semantic::encoder::Encoder;
use paper_search::semantic::fuse::{Exact, Near};
use paper_search::semantic::model::Model;

fn encoder() -> Encoder {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/model/release");
    let model = Model::from_release(&dir, "all-MiniLM-L6-v2").unwrap_or_else(|e| panic!("{e}"));
    let model = Model::from_bytes(&model.to_bytes()).expect("the model file reads back");
    Encoder::new(model).expect("the encoder builds")
}

#[test]
fn the_model_gives_the_reference_tokens_and_vectors() {
    let reference: serde_json::Value =
        serde_json::from_str(include_str!("semantic/reference.json")).expect("reference JSON");
    let encoder = encoder();
    let sentences = reference["sentences"].as_array().expect("sentences");
    assert!(sentences.len() >= 5);
    let texts: Vec<&str> = sentences.iter().map(|s| s["text"].as_str().expect("text")).collect();
    // All at once, padded to the longest: padding must not change a vector.
    let batch = encoder.encode(&texts).expect("encodes");
    for (s, vector) in sentences.iter().zip(&batch) {
        let text = s["text"].as_str().expect("text");
        let ids: Vec<u32> = s["ids"].as_array().expect("ids").iter().map(|v| v.as_u64().expect("id") as u32).collect();
        assert_eq!(encoder.token_ids(text).expect("tokenizes"), ids, "tokens of {text:?}");
        let want: Vec<f32> =
            s["vector"].as_array().expect("vector").iter().map(|v| v.as_f64().expect("x") as f32).collect();
        assert_eq!(vector.len(), want.len());
        let cosine: f32 = vector.iter().zip(&want).map(|(a, b)| a * b).sum();
        assert!(cosine > 0.995, "{text:?}: cosine {cosine} with the reference");
        let alone = encoder.encode(&[text]).expect("encodes").remove(0);
        let drift = alone.iter().zip(vector).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
        assert!(drift < 1e-4, "{text:?}: alone and in a batch differ by {drift}");
    }
}

#[test]
fn related_sentences_are_nearer_than_unrelated_ones() {
    let encoder = encoder();
    let v = encoder
        .encode(&[
            "Webb telescope cosmology",
            "early galaxies observed in the infrared by JWST",
            "guitar distortion pedals",
        ])
        .expect("encodes");
    let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    assert!(dot(&v[0], &v[1]) > dot(&v[0], &v[2]) + 0.1, "{} vs {}", dot(&v[0], &v[1]), dot(&v[0], &v[2]));
}

/// The default corpus's engine, as `./build.sh` embeds it.
fn searcher() -> Searcher<'static> {
    Searcher::embedded().expect("the embedded index reads")
}

/// Papers given as near a query, each with the same exact cosine as its estimate (0 for the rest).
fn as_given(nearest: &[(u32, f32)]) -> impl Fn(u32) -> f32 + '_ {
    move |d| nearest.iter().find(|e| e.0 == d).map_or(0.0, |e| e.1)
}

/// Search by meaning, with the nearest papers given (the model's part is tested in
/// the tests above): a plain query gains papers that hold none of its words, a filtered one
/// is only reordered, and no nearest papers is BM25F alone.
#[test]
fn nearest_papers_join_a_plain_query_and_only_reorder_a_filtered_one() {
    let s = searcher();
    let options = SearchOptions { limit: 20, ..SearchOptions::default() };
    let plain = s.search("linear bandits", &options);
    let matched: Vec<u32> = plain.hits.iter().map(|h| h.id).collect();
    assert!(matched.len() >= 3, "{matched:?}");
    let every: Vec<u32> = s
        .search("linear bandits", &SearchOptions { limit: 1000, ..options.clone() })
        .hits
        .iter()
        .map(|h| h.id)
        .collect();
    let outsider = (0..208u32).find(|d| !every.contains(d)).unwrap();
    let nearest = vec![(outsider, 0.9), (matched[matched.len() - 1], 0.8), (matched[0], 0.1)];
    let exact = as_given(&nearest);
    let near = Near { estimates: &nearest, exact: Exact::Given(&exact) };

    let fused = s.try_search_near("linear bandits", &options, near).unwrap();
    assert!(fused.hits.iter().any(|h| h.id == outsider), "a plain query gains the nearest paper");
    assert_eq!(fused.total, plain.total + 1);
    let last = matched[matched.len() - 1];
    let rank = |r: &paper_search::search::SearchResults, id| r.hits.iter().position(|h| h.id == id);
    assert!(rank(&fused, last) < rank(&plain, last), "a near match rises");

    let filtered = s.try_search_near("linear bandits -zzzz", &options, near).unwrap();
    assert!(!filtered.hits.iter().any(|h| h.id == outsider), "a filtered query gains nothing");
    assert_eq!(filtered.total, s.search("linear bandits -zzzz", &options).total);

    let alone =
        s.try_search_near("linear bandits", &options, Near { estimates: &[], exact: Exact::Given(&|_| 0.0) }).unwrap();
    assert_eq!(alone.hits.iter().map(|h| h.id).collect::<Vec<_>>(), matched, "no nearest papers: BM25F's order");
}

/// The estimates choose the papers fusion puts first; their exact cosines order them: a paper
/// whose code looked nearest but whose vector is far loses its share, one whose vector is near
/// rises, and the papers are the same.
#[test]
fn the_exact_cosines_order_the_best_papers() {
    let s = searcher();
    let options = SearchOptions { limit: 10, ..SearchOptions::default() };
    let plain = s.search("linear bandits", &options);
    let matched: Vec<u32> = plain.hits.iter().map(|h| h.id).collect();
    let (first, last) = (matched[0], matched[matched.len() - 1]);
    let estimates = vec![(first, 0.9), (last, 0.1)];
    let hits = |exact: &dyn Fn(u32) -> f32| -> Vec<(u32, f32)> {
        let near = Near { estimates: &estimates, exact: Exact::Given(exact) };
        s.try_search_near("linear bandits", &options, near).unwrap().hits.iter().map(|h| (h.id, h.score)).collect()
    };
    let as_estimated = hits(&as_given(&estimates));
    assert_eq!(as_estimated[0].0, first);
    let turned = hits(&|d| if d == last { 0.9 } else { 0.0 });
    let position = |list: &[(u32, f32)], id| list.iter().position(|e| e.0 == id).unwrap();
    let score = |list: &[(u32, f32)], id| list[position(list, id)].1;
    assert!(position(&turned, last) < position(&as_estimated, last), "{turned:?} against {as_estimated:?}");
    assert!(score(&turned, first) < score(&as_estimated, first), "{turned:?} against {as_estimated:?}");
    let mut same: Vec<u32> = turned.iter().map(|h| h.0).collect();
    same.sort_unstable();
    let mut before: Vec<u32> = as_estimated.iter().map(|h| h.0).collect();
    before.sort_unstable();
    assert_eq!(same, before, "the same papers, in another order");
}

/// BM25F's weight in the fusion follows how well its papers hold the query's words: when one
/// paper holds them all it ranks as usual; when no paper holds more than one of them (each word
/// found apart, or one not at all, as a concept's words often are), the nearest paper leads.
#[test]
fn words_no_paper_holds_together_let_the_nearest_paper_lead() {
    use paper_search::semantic::fuse::Fusion;
    let s = searcher();
    let top = |q: &str| s.rank(q, 1000);
    let outsider = |q: &str| (0..208u32).find(|d| !top(q).iter().any(|(e, _)| e == d)).unwrap();
    for (together, apart) in [("linear bandits", "bandits pathology"), ("diffusion models", "bandits telescope")] {
        assert!(!top(apart).is_empty(), "{apart:?} finds papers by one of its words");
        let near = outsider(together).min(outsider(apart));
        let nearest = [(near, 0.6)];
        let exact = as_given(&nearest);
        let nearest = Near { estimates: &nearest, exact: Exact::Given(&exact) };
        assert_ne!(s.rank_near(together, 10, nearest, Fusion::DEFAULT)[0].0, near, "{together:?}");
        assert_eq!(s.rank_near(apart, 10, nearest, Fusion::DEFAULT)[0].0, near, "{apart:?}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

    /// What the model reads of any query, syntax soup and unfinished words included: no panic,
    /// and words of the query only, but for the completion of its last word.
    #[test]
    fn the_model_reads_only_the_words_of_any_query(q in "((\"|-|OR|title:|author:|year:20|[a-z]{1,9}|\\PC{1,4}) ?){0,8}") {
        let meant = searcher().model_text(&q);
        let pieces: Vec<&str> = meant.split(' ').filter(|p| !p.is_empty()).collect();
        for piece in pieces.iter().rev().skip(1) {
            proptest::prop_assert!(q.contains(piece), "{piece:?} of {meant:?} is not in {q:?}");
        }
    }
}
