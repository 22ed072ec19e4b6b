//! The sentence encoder: text → one unit vector. The model's own WordPiece tokenizer
//! (`tokenizers`, from the `tokenizer.json` the model file carries), candle's BERT layers, mean
//! pooling over the tokens, L2 normalization: what sentence-transformers does for
//! all-MiniLM-L6-v2. The build runs it on every paper, the page on each query.

use candle_core::{DType, Device, Module, Tensor};
use candle_nn::{Embedding, LayerNorm, VarBuilder};
use candle_transformers::models::bert::{BertEncoder, Config};
use tokenizers::{Tokenizer, TruncationParams};

use super::model::{Model, ModelError, Values};
use crate::corpus::Paper;

/// The tensor of the word embeddings, which the encoder keeps as the file stores it.
const WORD_EMBEDDINGS: &str = "embeddings.word_embeddings.weight";

/// Papers encoded together (padded to the longest of them; papers are sorted by length first).
const BATCH: usize = 8;

/// The text of a paper the model reads: its title, then its abstract.
pub fn paper_text(paper: &Paper) -> String {
    format!("{} {}", paper.title, paper.abstract_text)
}

/// The word embeddings as the model file stores them (int8 rows, a scale each): a text needs a
/// few of the 30,522 rows, and as f32 they would be half of the model's memory (47 of 90 MB).
struct Words {
    values: Values,
    width: usize,
}

impl Words {
    /// The rows of `ids`, one after another, as f32.
    fn rows(&self, ids: &[u32]) -> Result<Vec<f32>, ModelError> {
        let mut out = Vec::with_capacity(ids.len() * self.width);
        for &id in ids {
            let (row, start) = (id as usize, id as usize * self.width);
            let missing = || ModelError(format!("encoder: token id {id} is past the word embeddings"));
            match &self.values {
                Values::F32(v) => out.extend_from_slice(v.get(start..start + self.width).ok_or_else(missing)?),
                Values::Int8 { scales, values } => {
                    let scale = *scales.get(row).ok_or_else(missing)?;
                    let q = values.get(start..start + self.width).ok_or_else(missing)?;
                    out.extend(q.iter().map(|&q| f32::from(q) * scale));
                }
            }
        }
        Ok(out)
    }
}

/// A loaded model, ready to encode: BERT's embeddings (the words' read from their int8 rows)
/// and candle's BERT layers.
pub struct Encoder {
    tokenizer: Tokenizer,
    words: Words,
    positions: Embedding,
    token_types: Embedding,
    norm: LayerNorm,
    layers: BertEncoder,
    device: Device,
    dims: usize,
    /// The model file's id: vectors record it.
    pub model_id: u64,
    pub max_tokens: usize,
}

fn candle(e: candle_core::Error) -> ModelError {
    ModelError(format!("encoder: {e}"))
}

impl Encoder {
    /// Builds the encoder from a model file's contents.
    ///
    /// # Errors
    ///
    /// A configuration, tokenizer or tensor the encoder cannot use.
    pub fn new(model: Model) -> Result<Encoder, ModelError> {
        let config: Config = serde_json::from_value(model.config.bert.clone())
            .map_err(|e| ModelError(format!("model configuration: {e}")))?;
        let dims = config.hidden_size;
        let mut tokenizer =
            Tokenizer::from_bytes(&model.tokenizer_json).map_err(|e| ModelError(format!("tokenizer: {e}")))?;
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: model.config.max_tokens,
                ..TruncationParams::default()
            }))
            .map_err(|e| ModelError(format!("tokenizer: {e}")))?;
        // The file pads every text to 128 tokens; `encode` pads a batch to its longest instead.
        tokenizer.with_padding(None);
        let device = Device::Cpu;
        // One tensor at a time, each int8 copy dropped once dequantized (but the word
        // embeddings, kept int8): the f32 weights (43 MB) are the most memory a load holds.
        let mut tensors = std::collections::HashMap::new();
        let mut words = None;
        for stored in model.tensors {
            if stored.name == WORD_EMBEDDINGS {
                if stored.shape != [config.vocab_size, config.hidden_size] {
                    return Err(ModelError(format!("encoder: {WORD_EMBEDDINGS} has the shape {:?}", stored.shape)));
                }
                words = Some(Words { values: stored.values, width: config.hidden_size });
                continue;
            }
            let values = stored.to_f32();
            tensors.insert(stored.name, Tensor::from_vec(values, stored.shape, &device).map_err(candle)?);
        }
        let words = words.ok_or_else(|| ModelError(format!("encoder: the model has no {WORD_EMBEDDINGS}")))?;
        let vb = VarBuilder::from_tensors(tensors, DType::F32, &device);
        let hidden = config.hidden_size;
        let embeddings = vb.pp("embeddings");
        let positions =
            candle_nn::embedding(config.max_position_embeddings, hidden, embeddings.pp("position_embeddings"))
                .map_err(candle)?;
        let token_types = candle_nn::embedding(config.type_vocab_size, hidden, embeddings.pp("token_type_embeddings"))
            .map_err(candle)?;
        let norm = candle_nn::layer_norm(hidden, config.layer_norm_eps, embeddings.pp("LayerNorm")).map_err(candle)?;
        let layers = BertEncoder::load(vb.pp("encoder"), &config).map_err(candle)?;
        Ok(Encoder {
            tokenizer,
            words,
            positions,
            token_types,
            norm,
            layers,
            device,
            dims,
            model_id: model.id,
            max_tokens: model.config.max_tokens,
        })
    }

    /// BERT's last hidden states for a batch of token ids (`rows` × `width`, padded) and their
    /// attention mask: the embeddings (word + token type + position, normalized), then the
    /// layers, as candle's `BertModel` computes them.
    fn forward(&self, ids: &[u32], mask: &Tensor, rows: usize, width: usize) -> candle_core::Result<Tensor> {
        let device = &self.device;
        let words = self.words.rows(ids).map_err(|e| candle_core::Error::Msg(e.0))?;
        let words = Tensor::from_vec(words, (rows, width, self.dims), device)?;
        let types = self.token_types.forward(&Tensor::zeros((rows, width), DType::U32, device)?)?;
        let positions = self.positions.forward(&Tensor::arange(0u32, width as u32, device)?)?;
        let embedded = self.norm.forward(&(words + types)?.broadcast_add(&positions)?)?;
        // Padding masked out: 0 where the mask is 1, the lowest f32 where it is 0.
        let mask = mask.unsqueeze(1)?.unsqueeze(1)?.to_dtype(DType::F32)?;
        let mask = (mask.ones_like()? - &mask)?.broadcast_mul(&Tensor::new(f32::MIN, device)?)?;
        self.layers.forward(&embedded, &mask)
    }

    /// Width of the vectors.
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// The token ids the model reads for `text` ([CLS] … [SEP], cut to the longest input).
    ///
    /// # Errors
    ///
    /// The tokenizer's own failure (none is known for text).
    pub fn token_ids(&self, text: &str) -> Result<Vec<u32>, ModelError> {
        let encoding = self.tokenizer.encode(text, true).map_err(|e| ModelError(format!("tokenizer: {e}")))?;
        Ok(encoding.get_ids().to_vec())
    }

    /// One unit vector per text, in order. Texts of one call are padded to the longest of
    /// them: callers with many texts batch those of similar lengths.
    ///
    /// # Errors
    ///
    /// A tokenizer or tensor failure.
    pub fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let mut ids = Vec::new();
        let mut mask = Vec::new();
        let mut width = 0;
        for text in texts {
            let encoding = self.tokenizer.encode(*text, true).map_err(|e| ModelError(format!("tokenizer: {e}")))?;
            width = width.max(encoding.get_ids().len());
            ids.push(encoding.get_ids().to_vec());
            mask.push(encoding.get_attention_mask().to_vec());
        }
        for (i, m) in ids.iter_mut().zip(&mut mask) {
            i.resize(width, 0);
            m.resize(width, 0);
        }
        let rows = texts.len();
        let mask = Tensor::from_vec(mask.concat(), (rows, width), &self.device).map_err(candle)?;
        let hidden = self.forward(&ids.concat(), &mask, rows, width).map_err(candle)?;
        // Mean over the real tokens, then unit length.
        let mask = mask.to_dtype(DType::F32).map_err(candle)?.unsqueeze(2).map_err(candle)?;
        let summed = hidden.broadcast_mul(&mask).and_then(|h| h.sum(1)).map_err(candle)?;
        let counts = mask.sum(1).map_err(candle)?;
        let mean = summed.broadcast_div(&counts).map_err(candle)?;
        let rows: Vec<Vec<f32>> = mean.to_vec2().map_err(candle)?;
        Ok(rows.into_iter().map(unit).collect())
    }
}

impl Encoder {
    /// Every paper's vector, in order. `progress` hears how many are done after each batch.
    ///
    /// # Errors
    ///
    /// A tokenizer or tensor failure.
    pub fn embed_papers(
        &self,
        papers: &[Paper],
        progress: impl FnMut(usize) + Send,
    ) -> Result<Vec<Vec<f32>>, ModelError> {
        let texts: Vec<String> = papers.iter().map(paper_text).collect();
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(texts[i].len()));
        let batches: Vec<&[usize]> = order.chunks(BATCH).collect();
        // candle multiplies one small matrix at a time on one core: the batches go to a worker
        // per core instead, each taking the next batch as it finishes one.
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(batches.len().max(1));
        let next = std::sync::atomic::AtomicUsize::new(0);
        let done = std::sync::Mutex::new((0usize, progress));
        type Encoded = Result<Vec<(usize, Vec<f32>)>, ModelError>;
        let results: Vec<Encoded> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| {
                        let mut out = Vec::new();
                        loop {
                            let b = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(batch) = batches.get(b) else { return Ok(out) };
                            let refs: Vec<&str> = batch.iter().map(|&i| texts[i].as_str()).collect();
                            out.extend(batch.iter().copied().zip(self.encode(&refs)?));
                            if let Ok(mut d) = done.lock() {
                                d.0 += batch.len();
                                let n = d.0;
                                (d.1)(n);
                            }
                        }
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(ModelError("an encoder thread panicked".into()))))
                .collect()
        });
        let mut vectors = vec![Vec::new(); texts.len()];
        for result in results {
            for (i, v) in result? {
                vectors[i] = v;
            }
        }
        Ok(vectors)
    }
}

/// `v` scaled to length 1 (a zero vector stays zero).
pub fn unit(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    v
}

#[cfg(test)]
mod tests {
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
    fn tiny_model() -> Model {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut random = |n: usize| -> Vec<f32> {
            (0..n)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    ((seed >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 0.8
                })
                .collect()
        };
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
