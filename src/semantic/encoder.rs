//! The sentence encoder: text → one unit vector. The model's own WordPiece tokenizer
//! (`tokenizers`, from the `tokenizer.json` the model file carries), BERT's layers
//! ([`bert`](super::bert)), mean pooling over the tokens, L2 normalization: what
//! sentence-transformers does for all-MiniLM-L6-v2. The build runs it on every paper (natively,
//! batches of papers on every core), the page on each query.

use tokenizers::{Tokenizer, TruncationParams};

pub use super::bert::unit;
use super::bert::Bert;
use super::model::{Model, ModelError};
#[cfg(not(target_arch = "wasm32"))]
use super::paper_text;
#[cfg(not(target_arch = "wasm32"))]
use crate::corpus::Paper;

/// Tokens a batch of texts holds (about): its dense layers are products of this many rows.
#[cfg(not(target_arch = "wasm32"))]
const BATCH_TOKENS: usize = 2048;

/// A loaded model, ready to encode: its tokenizer and BERT's layers.
pub struct Encoder {
    tokenizer: Tokenizer,
    bert: Bert,
    /// The model file's id: vectors record it.
    pub model_id: u64,
    pub max_tokens: usize,
}

fn tokenizer_error(e: impl std::fmt::Display) -> ModelError {
    ModelError(format!("tokenizer: {e}"))
}

impl Encoder {
    /// Builds the encoder from a model file's contents.
    ///
    /// # Errors
    ///
    /// A configuration, tokenizer or tensor the encoder cannot use.
    pub fn new(model: Model) -> Result<Encoder, ModelError> {
        let mut tokenizer = Tokenizer::from_bytes(&model.tokenizer_json).map_err(tokenizer_error)?;
        let max_tokens = model.config.max_tokens;
        tokenizer
            .with_truncation(Some(TruncationParams { max_length: max_tokens, ..TruncationParams::default() }))
            .map_err(tokenizer_error)?;
        // The file pads every text to 128 tokens; the encoder packs texts instead.
        tokenizer.with_padding(None);
        let model_id = model.id;
        let bert = Bert::new(model)?;
        Ok(Encoder { tokenizer, bert, model_id, max_tokens })
    }

    /// Width of the vectors.
    pub fn dims(&self) -> usize {
        self.bert.config.hidden_size
    }

    /// The token ids the model reads for `text` ([CLS] … [SEP], cut to the longest input).
    ///
    /// # Errors
    ///
    /// The tokenizer's own failure (none is known for text).
    pub fn token_ids(&self, text: &str) -> Result<Vec<u32>, ModelError> {
        let encoding = self.tokenizer.encode(text, true).map_err(tokenizer_error)?;
        Ok(encoding.get_ids().to_vec())
    }

    /// One unit vector per text, in order, all computed together.
    ///
    /// # Errors
    ///
    /// A tokenizer or model failure.
    pub fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        let ids = texts.iter().map(|t| self.token_ids(t)).collect::<Result<Vec<_>, _>>()?;
        let refs: Vec<&[u32]> = ids.iter().map(Vec::as_slice).collect();
        self.bert.forward(&refs)
    }

    /// FLOPs of the forward pass over texts of `tokens` tokens (the multiplications and
    /// additions of the matrix products and of attention's two products, each counted as
    /// two; the steps between them, a few per value, left out).
    pub fn flops(&self, tokens: &[usize]) -> f64 {
        let c = &self.bert.config;
        let (h, i) = (c.hidden_size as f64, c.intermediate_size as f64);
        let per_token = 2.0 * (4.0 * h * h + 2.0 * h * i);
        let per_pair = 4.0 * h;
        let per_layer: f64 = tokens.iter().map(|&n| n as f64 * per_token + (n * n) as f64 * per_pair).sum();
        per_layer * c.num_hidden_layers as f64
    }
}

/// How [`Encoder::embed_texts`] cut its texts.
pub struct Packed {
    /// The tokens of each text.
    pub tokens: Vec<usize>,
    /// The texts of each batch (their places in the texts given).
    pub batches: Vec<Vec<usize>>,
}

/// The batches many texts are embedded in.
#[cfg(not(target_arch = "wasm32"))]
impl Encoder {
    /// Embeds `texts` on every core: tokenized, packed longest first into batches of about
    /// `BATCH_TOKENS` tokens, and each batch's vectors handed to `done` with the texts' places
    /// in `texts` as it finishes (in no set order; `done` is called by one batch at a time).
    ///
    /// # Errors
    ///
    /// A tokenizer or model failure, or `done`'s own (the batches not yet begun are dropped).
    pub fn embed_texts<F>(&self, texts: &[&str], done: F) -> Result<Packed, ModelError>
    where
        F: FnMut(&[usize], Vec<Vec<f32>>) -> Result<(), ModelError> + Send,
    {
        use rayon::prelude::*;
        let ids: Vec<Vec<u32>> = texts.par_iter().map(|t| self.token_ids(t)).collect::<Result<_, _>>()?;
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(ids[i].len()));
        let mut batches: Vec<Vec<usize>> = Vec::new();
        let mut tokens = 0;
        for i in order {
            match batches.last_mut() {
                Some(batch) if tokens < BATCH_TOKENS => batch.push(i),
                _ => {
                    batches.push(vec![i]);
                    tokens = 0;
                }
            }
            tokens += ids[i].len();
        }
        let done = std::sync::Mutex::new(done);
        batches.par_iter().try_for_each(|batch| {
            let refs: Vec<&[u32]> = batch.iter().map(|&i| ids[i].as_slice()).collect();
            let vectors = self.bert.forward(&refs)?;
            let mut done = done.lock().map_err(|_| ModelError("an encoder thread panicked".into()))?;
            (*done)(batch, vectors)
        })?;
        Ok(Packed { tokens: ids.iter().map(Vec::len).collect(), batches })
    }

    /// Every paper's vector, in order. `progress` hears how many are done after each batch.
    ///
    /// # Errors
    ///
    /// A tokenizer or model failure.
    pub fn embed_papers(
        &self,
        papers: &[Paper],
        mut progress: impl FnMut(usize) + Send,
    ) -> Result<Vec<Vec<f32>>, ModelError> {
        let texts: Vec<String> = papers.iter().map(paper_text).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let mut vectors = vec![Vec::new(); texts.len()];
        let mut count = 0;
        self.embed_texts(&refs, |batch, embedded| {
            for (&i, v) in batch.iter().zip(embedded) {
                vectors[i] = v;
            }
            count += batch.len();
            progress(count);
            Ok(())
        })?;
        Ok(vectors)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::semantic::model::{ModelConfig, Tensor as Stored};

    const HIDDEN: usize = 8;
    const HEADS: usize = 2;
    const LAYERS: usize = 2;
    const INNER: usize = 16;
    const VOCAB: [&str; 10] =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "graph", "neural", "network", "##s", "bandit", "linear"];

    /// A tiny BERT with the real model's structure (its tensor names, a WordPiece tokenizer,
    /// absolute positions, GELU), seeded random weights.
    pub(crate) fn tiny_model() -> Model {
        tiny_model_seeded(0x9e37_79b9_7f4a_7c15)
    }

    /// `n` values of a xorshift generator's sequence from `seed`, spread evenly over
    /// (-spread / 2, spread / 2).
    pub(crate) fn random(seed: &mut u64, n: usize, spread: f32) -> Vec<f32> {
        (0..n)
            .map(|_| {
                *seed ^= *seed << 13;
                *seed ^= *seed >> 7;
                *seed ^= *seed << 17;
                ((*seed >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * spread
            })
            .collect()
    }

    /// The tiny BERT with the weights of `seed` (another seed: another model, another id).
    pub(crate) fn tiny_model_seeded(mut seed: u64) -> Model {
        let mut random = |n: usize| random(&mut seed, n, 0.8);
        let mut tensors = Vec::new();
        let mut add =
            |name: String, shape: Vec<usize>, values: Vec<f32>| tensors.push(Stored::quantized(name, shape, values));
        add("embeddings.word_embeddings.weight".into(), vec![VOCAB.len(), HIDDEN], random(VOCAB.len() * HIDDEN));
        add("embeddings.position_embeddings.weight".into(), vec![16, HIDDEN], random(16 * HIDDEN));
        add("embeddings.token_type_embeddings.weight".into(), vec![2, HIDDEN], random(2 * HIDDEN));
        let norm = |n: usize, random: &mut dyn FnMut(usize) -> Vec<f32>| {
            random(n).into_iter().map(|x| 1.0 + x).collect::<Vec<_>>()
        };
        add("embeddings.LayerNorm.weight".into(), vec![HIDDEN], norm(HIDDEN, &mut random));
        add("embeddings.LayerNorm.bias".into(), vec![HIDDEN], random(HIDDEN));
        for l in 0..LAYERS {
            let p = format!("encoder.layer.{l}.");
            for (name, rows, cols) in [
                ("attention.self.query", HIDDEN, HIDDEN),
                ("attention.self.key", HIDDEN, HIDDEN),
                ("attention.self.value", HIDDEN, HIDDEN),
                ("attention.output.dense", HIDDEN, HIDDEN),
                ("intermediate.dense", INNER, HIDDEN),
                ("output.dense", HIDDEN, INNER),
            ] {
                add(format!("{p}{name}.weight"), vec![rows, cols], random(rows * cols));
                add(format!("{p}{name}.bias"), vec![rows], random(rows));
            }
            for name in ["attention.output.LayerNorm", "output.LayerNorm"] {
                add(format!("{p}{name}.weight"), vec![HIDDEN], norm(HIDDEN, &mut random));
                add(format!("{p}{name}.bias"), vec![HIDDEN], random(HIDDEN));
            }
        }
        let vocab: serde_json::Map<String, serde_json::Value> =
            VOCAB.iter().enumerate().map(|(i, w)| (w.to_string(), i.into())).collect();
        let special = |name: &str| serde_json::json!({ "SpecialToken": { "id": name, "type_id": 0 } });
        let tokenizer = serde_json::json!({
            "version": "1.0", "truncation": null, "padding": null, "added_tokens": [],
            "normalizer": { "type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true },
            "pre_tokenizer": { "type": "BertPreTokenizer" },
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [special("[CLS]"), { "Sequence": { "id": "A", "type_id": 0 } }, special("[SEP]")],
                "pair": [special("[CLS]"), { "Sequence": { "id": "A", "type_id": 0 } }, special("[SEP]"), { "Sequence": { "id": "B", "type_id": 1 } }, special("[SEP]")],
                "special_tokens": {
                    "[CLS]": { "id": "[CLS]", "ids": [2], "tokens": ["[CLS]"] },
                    "[SEP]": { "id": "[SEP]", "ids": [3], "tokens": ["[SEP]"] }
                }
            },
            "decoder": null,
            "model": { "type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": vocab }
        });
        let bert = serde_json::json!({
            "vocab_size": VOCAB.len(), "hidden_size": HIDDEN, "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
            "intermediate_size": INNER, "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "max_position_embeddings": 16,
            "type_vocab_size": 2, "initializer_range": 0.02, "layer_norm_eps": 1e-12, "pad_token_id": 0,
            "position_embedding_type": "absolute", "use_cache": true, "model_type": "bert"
        });
        let model = Model {
            config: ModelConfig { bert, max_tokens: 8, name: "tiny".into() },
            tokenizer_json: serde_json::to_vec(&tokenizer).unwrap_or_default(),
            tensors,
            id: 0,
        };
        Model::from_bytes(&model.to_bytes()).expect("the tiny model reads back")
    }

    /// BERT written out in f64 from its definition, over the same (dequantized) weights.
    fn reference(model: &Model, ids: &[u32]) -> Vec<f32> {
        let t: HashMap<String, (Vec<usize>, Vec<f32>)> = model.f32_tensors();
        let w = |name: &str| -> Vec<f64> { t[name].1.iter().map(|&x| f64::from(x)).collect() };
        let n = ids.len();
        let layer_norm = |x: &mut [f64], g: &[f64], b: &[f64]| {
            for row in x.chunks_mut(HIDDEN) {
                let mean = row.iter().sum::<f64>() / HIDDEN as f64;
                let var = row.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / HIDDEN as f64;
                for (i, v) in row.iter_mut().enumerate() {
                    *v = (*v - mean) / (var + 1e-12).sqrt() * g[i] + b[i];
                }
            }
        };
        // y = x · Wᵀ + b, for rows of width `inp`.
        let dense = |x: &[f64], name: &str, out: usize, inp: usize| -> Vec<f64> {
            let (wt, b) = (w(&format!("{name}.weight")), w(&format!("{name}.bias")));
            x.chunks(inp)
                .flat_map(|row| {
                    (0..out).map(|o| b[o] + (0..inp).map(|i| row[i] * wt[o * inp + i]).sum::<f64>()).collect::<Vec<_>>()
                })
                .collect()
        };
        let (words, positions, types) = (
            w("embeddings.word_embeddings.weight"),
            w("embeddings.position_embeddings.weight"),
            w("embeddings.token_type_embeddings.weight"),
        );
        let mut x: Vec<f64> = (0..n)
            .flat_map(|p| (0..HIDDEN).map(move |i| (p, i)))
            .map(|(p, i)| words[ids[p] as usize * HIDDEN + i] + positions[p * HIDDEN + i] + types[i])
            .collect();
        layer_norm(&mut x, &w("embeddings.LayerNorm.weight"), &w("embeddings.LayerNorm.bias"));
        let width = HIDDEN / HEADS;
        for l in 0..LAYERS {
            let p = format!("encoder.layer.{l}.");
            let q = dense(&x, &format!("{p}attention.self.query"), HIDDEN, HIDDEN);
            let k = dense(&x, &format!("{p}attention.self.key"), HIDDEN, HIDDEN);
            let v = dense(&x, &format!("{p}attention.self.value"), HIDDEN, HIDDEN);
            let mut context = vec![0f64; n * HIDDEN];
            for h in 0..HEADS {
                for i in 0..n {
                    let scores: Vec<f64> = (0..n)
                        .map(|j| {
                            (0..width)
                                .map(|d| q[i * HIDDEN + h * width + d] * k[j * HIDDEN + h * width + d])
                                .sum::<f64>()
                                / (width as f64).sqrt()
                        })
                        .collect();
                    let top = scores.iter().cloned().fold(f64::MIN, f64::max);
                    let e: Vec<f64> = scores.iter().map(|s| (s - top).exp()).collect();
                    let sum: f64 = e.iter().sum();
                    for d in 0..width {
                        context[i * HIDDEN + h * width + d] =
                            (0..n).map(|j| e[j] / sum * v[j * HIDDEN + h * width + d]).sum();
                    }
                }
            }
            let attended = dense(&context, &format!("{p}attention.output.dense"), HIDDEN, HIDDEN);
            x.iter_mut().zip(&attended).for_each(|(a, b)| *a += b);
            layer_norm(
                &mut x,
                &w(&format!("{p}attention.output.LayerNorm.weight")),
                &w(&format!("{p}attention.output.LayerNorm.bias")),
            );
            let inner: Vec<f64> = dense(&x, &format!("{p}intermediate.dense"), INNER, HIDDEN)
                .into_iter()
                .map(|v| 0.5 * v * (1.0 + libm::erf(v / std::f64::consts::SQRT_2)))
                .collect();
            let out = dense(&inner, &format!("{p}output.dense"), HIDDEN, INNER);
            x.iter_mut().zip(&out).for_each(|(a, b)| *a += b);
            layer_norm(&mut x, &w(&format!("{p}output.LayerNorm.weight")), &w(&format!("{p}output.LayerNorm.bias")));
        }
        let mean: Vec<f32> =
            (0..HIDDEN).map(|i| (x.iter().skip(i).step_by(HIDDEN).sum::<f64>() / n as f64) as f32).collect();
        unit(mean)
    }

    #[test]
    fn the_encoder_computes_bert_as_written_out() {
        let model = tiny_model();
        let encoder = Encoder::new(model.clone()).expect("the tiny encoder builds");
        assert_eq!(encoder.dims(), HIDDEN);
        let texts = ["Graph neural networks", "linear bandit", "bandits", "an unknown word"];
        assert_eq!(encoder.token_ids(texts[0]).expect("tokenizes"), vec![2, 4, 5, 6, 7, 3]);
        assert_eq!(encoder.token_ids(texts[3]).expect("tokenizes"), vec![2, 1, 1, 1, 3]);
        // Padded together, and each alone: the same vectors, and those of the reference.
        let batch = encoder.encode(&texts).expect("encodes");
        for (text, got) in texts.iter().zip(&batch) {
            let want = reference(&model, &encoder.token_ids(text).expect("tokenizes"));
            let alone = encoder.encode(&[*text]).expect("encodes").remove(0);
            for i in 0..HIDDEN {
                assert!((got[i] - want[i]).abs() < 1e-4, "{text:?}[{i}]: {} vs the reference {}", got[i], want[i]);
                assert!((alone[i] - got[i]).abs() < 1e-5, "{text:?}[{i}]: alone {} vs batched {}", alone[i], got[i]);
            }
            let norm: f32 = got.iter().map(|v| v * v).sum();
            assert!((norm - 1.0).abs() < 1e-4);
        }
    }

    #[test]
    fn long_texts_are_cut_to_the_longest_input() {
        let encoder = Encoder::new(tiny_model()).expect("builds");
        let long = "graph ".repeat(40);
        let ids = encoder.token_ids(&long).expect("tokenizes");
        assert_eq!(ids.len(), 8);
        assert_eq!((ids[0], ids[7]), (2, 3), "[CLS] … [SEP] kept");
        assert_eq!(encoder.encode(&[long.as_str(), ""]).expect("encodes").len(), 2);
    }
}
