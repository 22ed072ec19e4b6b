//! The real sentence model against reference vectors computed without this crate's code
//! (`scripts/model-reference.py`: Hugging Face's tokenizer, the f32 weights, BERT in numpy):
//! the same token ids, and vectors within the error of int8 weights.
#![cfg(feature = "semantic")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use paper_search::semantic::encoder::Encoder;
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
