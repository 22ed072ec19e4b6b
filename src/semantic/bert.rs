//! BERT's forward pass over packed texts: the tokens of several texts one after another in one
//! matrix, so that every dense layer is one large matrix product with no padding, and only
//! attention looks at each text apart. The products go through candle (the `gemm` crate's
//! kernels); the steps between them are [`kernels`](super::kernels), each one pass.
//!
//! Per layer, for `t` tokens: `[q | k | v] = x·Wqkvᵀ` (one product, the queries' weights scaled
//! by 1/√width beforehand), attention per text and head, `x = norm(x + a·Woᵀ + bo)`, then
//! `x = norm(x + gelu(x·W1ᵀ + b1)·W2ᵀ + b2)`. Mean pooling over each text's tokens and unit
//! length give its vector.

use std::collections::HashMap;

use candle_core::{Device, Tensor};
use serde::Deserialize;

use super::kernels::{self, Attention, Norm, Scratch};
use super::model::{Model, ModelError, Values};

/// The tensor of the word embeddings, which the encoder keeps as the file stores it.
pub const WORD_EMBEDDINGS: &str = "embeddings.word_embeddings.weight";

/// The parts of BERT's configuration (`config.json`) the forward pass reads.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub hidden_act: String,
    pub max_position_embeddings: usize,
    pub type_vocab_size: usize,
    pub layer_norm_eps: f64,
    #[serde(default = "absolute")]
    pub position_embedding_type: String,
}

fn absolute() -> String {
    "absolute".into()
}

fn candle(e: candle_core::Error) -> ModelError {
    ModelError(format!("encoder: {e}"))
}

/// A dense layer: the weight transposed (`in × out`, as the product wants it) and its bias.
struct Dense {
    weight: Tensor,
    bias: Vec<f32>,
}

impl Dense {
    /// `x·W` for the `rows` rows of `x` (the bias is left to the step after it).
    fn product(&self, x: Vec<f32>, rows: usize) -> Result<Tensor, ModelError> {
        let width = x.len() / rows.max(1);
        Tensor::from_vec(x, (rows, width), &Device::Cpu).and_then(|x| x.matmul(&self.weight)).map_err(candle)
    }
}

struct Layer {
    qkv: Dense,
    output: Dense,
    attention_norm: Norm,
    inner: Dense,
    outer: Dense,
    norm: Norm,
}

/// The word embeddings as the model file stores them (int8 rows, a scale each): a text needs a
/// few of the 30,522 rows, and as f32 they would be half of the model's memory (47 of 90 MB).
struct Words {
    values: Values,
    width: usize,
}

impl Words {
    /// Adds the row of `id` to `out`.
    fn add_row(&self, id: u32, out: &mut [f32]) -> Result<(), ModelError> {
        let (row, start) = (id as usize, id as usize * self.width);
        let missing = || ModelError(format!("encoder: token id {id} is past the word embeddings"));
        match &self.values {
            Values::F32(v) => {
                let r = v.get(start..start + self.width).ok_or_else(missing)?;
                out.iter_mut().zip(r).for_each(|(o, x)| *o += x);
            }
            Values::Int8 { scales, values } => {
                let scale = *scales.get(row).ok_or_else(missing)?;
                let q = values.get(start..start + self.width).ok_or_else(missing)?;
                out.iter_mut().zip(q).for_each(|(o, &q)| *o += f32::from(q) * scale);
            }
        }
        Ok(())
    }
}

/// BERT's weights, ready for [`Bert::forward`].
pub struct Bert {
    pub config: Config,
    words: Words,
    /// Each position's embedding plus that of token type 0 (every token's type here).
    positions: Vec<f32>,
    norm: Norm,
    layers: Vec<Layer>,
}

/// The tensors by name, taken out one at a time.
struct Weights {
    tensors: HashMap<String, (Vec<usize>, Vec<f32>)>,
}

impl Weights {
    fn take(&mut self, name: &str, shape: &[usize]) -> Result<Vec<f32>, ModelError> {
        let (got, values) =
            self.tensors.remove(name).ok_or_else(|| ModelError(format!("encoder: the model has no {name}")))?;
        if got != shape {
            return Err(ModelError(format!("encoder: {name} has the shape {got:?}, not {shape:?}")));
        }
        Ok(values)
    }

    fn norm(&mut self, prefix: &str, width: usize, eps: f32) -> Result<Norm, ModelError> {
        let gamma = self.take(&format!("{prefix}.weight"), &[width])?;
        let beta = self.take(&format!("{prefix}.bias"), &[width])?;
        Ok(Norm { gamma, beta, eps })
    }

    /// The linear layers `names` (each `out × inp`, as PyTorch stores them) side by side as one
    /// dense layer, its weight transposed; the first `scaled` of them multiplied by `scale`.
    fn dense(
        &mut self,
        names: &[String],
        inp: usize,
        out: usize,
        scaled: usize,
        scale: f32,
    ) -> Result<Dense, ModelError> {
        let total = out * names.len();
        let mut weight = vec![0f32; inp * total];
        let mut bias = Vec::with_capacity(total);
        for (part, name) in names.iter().enumerate() {
            let s = if part < scaled { scale } else { 1.0 };
            let w = self.take(&format!("{name}.weight"), &[out, inp])?;
            for (o, row) in w.chunks_exact(inp).enumerate() {
                for (i, &x) in row.iter().enumerate() {
                    weight[i * total + part * out + o] = x * s;
                }
            }
            bias.extend(self.take(&format!("{name}.bias"), &[out])?.iter().map(|b| b * s));
        }
        let weight = Tensor::from_vec(weight, (inp, total), &Device::Cpu).map_err(candle)?;
        Ok(Dense { weight, bias })
    }
}

impl Bert {
    /// The forward pass's weights, from a model file's contents.
    ///
    /// # Errors
    ///
    /// A configuration the forward pass does not compute, or a tensor missing or misshapen.
    pub fn new(model: Model) -> Result<Bert, ModelError> {
        let config: Config = serde_json::from_value(model.config.bert.clone())
            .map_err(|e| ModelError(format!("model configuration: {e}")))?;
        if config.hidden_act != "gelu" || config.position_embedding_type != "absolute" {
            return Err(ModelError(format!(
                "encoder: the activation {:?} with {:?} positions is not BERT's GELU with absolute positions",
                config.hidden_act, config.position_embedding_type
            )));
        }
        let (hidden, heads) = (config.hidden_size, config.num_attention_heads);
        if heads == 0 || hidden % heads != 0 {
            return Err(ModelError(format!("encoder: {hidden} dimensions do not split into {heads} heads")));
        }
        let mut words = None;
        let mut tensors = HashMap::new();
        // One tensor at a time, each int8 copy dropped once dequantized (but the word
        // embeddings, kept int8).
        for stored in model.tensors {
            if stored.name == WORD_EMBEDDINGS {
                if stored.shape != [config.vocab_size, hidden] {
                    return Err(ModelError(format!("encoder: {WORD_EMBEDDINGS} has the shape {:?}", stored.shape)));
                }
                words = Some(Words { values: stored.values, width: hidden });
                continue;
            }
            let values = stored.to_f32();
            tensors.insert(stored.name, (stored.shape, values));
        }
        let words = words.ok_or_else(|| ModelError(format!("encoder: the model has no {WORD_EMBEDDINGS}")))?;
        let mut w = Weights { tensors };
        let eps = config.layer_norm_eps as f32;
        let mut positions =
            w.take("embeddings.position_embeddings.weight", &[config.max_position_embeddings, hidden])?;
        let types = w.take("embeddings.token_type_embeddings.weight", &[config.type_vocab_size, hidden])?;
        for row in positions.chunks_exact_mut(hidden) {
            row.iter_mut().zip(&types).for_each(|(p, t)| *p += t);
        }
        let norm = w.norm("embeddings.LayerNorm", hidden, eps)?;
        let scale = 1.0 / ((hidden / heads) as f32).sqrt();
        let inner = config.intermediate_size;
        let mut layers = Vec::with_capacity(config.num_hidden_layers);
        for l in 0..config.num_hidden_layers {
            let p = format!("encoder.layer.{l}.");
            let qkv: Vec<String> = ["query", "key", "value"].iter().map(|n| format!("{p}attention.self.{n}")).collect();
            layers.push(Layer {
                qkv: w.dense(&qkv, hidden, hidden, 1, scale)?,
                output: w.dense(&[format!("{p}attention.output.dense")], hidden, hidden, 0, 1.0)?,
                attention_norm: w.norm(&format!("{p}attention.output.LayerNorm"), hidden, eps)?,
                inner: w.dense(&[format!("{p}intermediate.dense")], hidden, inner, 0, 1.0)?,
                outer: w.dense(&[format!("{p}output.dense")], inner, hidden, 0, 1.0)?,
                norm: w.norm(&format!("{p}output.LayerNorm"), hidden, eps)?,
            });
        }
        Ok(Bert { config, words, positions, norm, layers })
    }

    /// One unit vector per text of token ids (each at most `max_position_embeddings` long),
    /// all computed together.
    ///
    /// # Errors
    ///
    /// A token id past the vocabulary, a text too long, or a failure of the matrix products.
    pub fn forward(&self, texts: &[&[u32]]) -> Result<Vec<Vec<f32>>, ModelError> {
        let hidden = self.config.hidden_size;
        let rows: usize = texts.iter().map(|t| t.len()).sum();
        let mut x = vec![0f32; rows * hidden];
        let mut at = 0;
        for ids in texts {
            if ids.len() * hidden > self.positions.len() {
                return Err(ModelError(format!("encoder: {} tokens, more than the model's positions", ids.len())));
            }
            for (p, &id) in ids.iter().enumerate() {
                let row = &mut x[(at + p) * hidden..(at + p + 1) * hidden];
                row.copy_from_slice(&self.positions[p * hidden..(p + 1) * hidden]);
                self.words.add_row(id, row)?;
            }
            at += ids.len();
        }
        self.norm.add_norm(&mut x, &[], &[]);
        let mut scratch = Scratch::default();
        for layer in &self.layers {
            let qkv = layer.qkv.product(x.clone(), rows)?;
            let mut context = vec![0f32; rows * hidden];
            read(&qkv, |qkv| {
                let mut at = 0;
                for ids in texts {
                    let n = ids.len();
                    let width = 3 * hidden;
                    let attention = Attention {
                        qkv: &qkv[at * width..(at + n) * width],
                        bias: &layer.qkv.bias,
                        n,
                        heads: self.config.num_attention_heads,
                        width: hidden / self.config.num_attention_heads,
                    };
                    attention.run(&mut context[at * hidden..(at + n) * hidden], &mut scratch);
                    at += n;
                }
            })?;
            drop(qkv);
            let attended = layer.output.product(context, rows)?;
            read(&attended, |a| layer.attention_norm.add_norm(&mut x, a, &layer.output.bias))?;
            drop(attended);
            let up = layer.inner.product(x.clone(), rows)?;
            let inner = read(&up, |u| kernels::gelu(u, &layer.inner.bias))?;
            drop(up);
            let down = layer.outer.product(inner, rows)?;
            read(&down, |d| layer.norm.add_norm(&mut x, d, &layer.outer.bias))?;
        }
        // Mean over each text's tokens, then unit length.
        let mut at = 0;
        let mut out = Vec::with_capacity(texts.len());
        for ids in texts {
            let mut mean = vec![0f32; hidden];
            for row in x[at * hidden..(at + ids.len()) * hidden].chunks_exact(hidden) {
                mean.iter_mut().zip(row).for_each(|(m, v)| *m += v);
            }
            let n = ids.len().max(1) as f32;
            mean.iter_mut().for_each(|m| *m /= n);
            out.push(unit(mean));
            at += ids.len();
        }
        Ok(out)
    }
}

/// Runs `f` on the values of a product's result (contiguous, as a product writes them).
fn read<R>(t: &Tensor, f: impl FnOnce(&[f32]) -> R) -> Result<R, ModelError> {
    let (storage, layout) = t.storage_and_layout();
    match &*storage {
        candle_core::Storage::Cpu(cpu) => {
            let all = cpu.as_slice::<f32>().map_err(candle)?;
            let values = all
                .get(layout.start_offset()..layout.start_offset() + layout.shape().elem_count())
                .filter(|_| layout.is_contiguous())
                .ok_or_else(|| ModelError("encoder: a product's result is not one contiguous block".into()))?;
            Ok(f(values))
        }
        _ => Err(ModelError("encoder: the products run on the CPU".into())),
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
