//! The model file: the sentence encoder's configuration, its tokenizer and its weights, stored
//! small enough to download (8-bit weights), in one file that the build and the page read alike.
//!
//! Layout (integers little-endian):
//!
//! ```text
//! magic      8 bytes  b"PSMODEL\0"
//! version    u32      MODEL_FORMAT_VERSION
//! id         u64      FNV-1a of every byte after this field: the papers' vectors name it
//! config     u32 length, then JSON: the BERT configuration and `max_tokens`
//! tokenizer  u32 length, then the model's own tokenizer.json
//! count      u32      number of tensors, then each:
//!   name     u16 length, then UTF-8
//!   kind     u8       0: f32 values; 1: int8 rows, each with an f32 scale
//!   rank     u8, then rank × u32 dimensions
//!   data     f32: n × f32; int8: rows × f32 scales, then n × i8
//! ```
//!
//! Every matrix (the token, position and layer weights) is stored as int8 with one scale per
//! row (symmetric: the row's largest magnitude is 127), vectors (biases, layer norms) as f32.
//! Readers dequantize to f32 once; the build and the page then run the same arithmetic.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// First bytes of a model file.
pub const MAGIC: &[u8; 8] = b"PSMODEL\0";

/// Version of the layout above.
pub const MODEL_FORMAT_VERSION: u32 = 1;

const KIND_F32: u8 = 0;
const KIND_INT8_ROWS: u8 = 1;

/// A model file that cannot be read or made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError(pub String);

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ModelError {}

fn err(message: impl Into<String>) -> ModelError {
    ModelError(message.into())
}

/// What the encoder needs besides the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelConfig {
    /// The BERT configuration (`config.json`), as the model ships it.
    pub bert: serde_json::Value,
    /// Longest input in tokens, [CLS] and [SEP] included; longer texts are cut.
    pub max_tokens: usize,
    /// Where the weights come from, for the notice a page shows.
    pub name: String,
}

/// A tensor's values as stored.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    F32(Vec<f32>),
    /// Row-major int8 values and one scale per row (the last dimension is a row).
    Int8 {
        scales: Vec<f32>,
        values: Vec<i8>,
    },
}

/// One named tensor.
#[derive(Debug, Clone, PartialEq)]
pub struct Tensor {
    pub name: String,
    pub shape: Vec<usize>,
    pub values: Values,
}

impl Tensor {
    /// An f32 tensor, quantized to int8 rows when it is a matrix.
    pub fn quantized(name: String, shape: Vec<usize>, data: Vec<f32>) -> Tensor {
        if shape.len() < 2 {
            return Tensor { name, shape, values: Values::F32(data) };
        }
        let width = shape.last().copied().unwrap_or(1).max(1);
        let mut scales = Vec::with_capacity(data.len() / width);
        let mut values = Vec::with_capacity(data.len());
        for row in data.chunks(width) {
            let largest = row.iter().fold(0f32, |m, x| m.max(x.abs()));
            let scale = if largest > 0.0 { largest / 127.0 } else { 1.0 };
            scales.push(scale);
            values.extend(row.iter().map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8));
        }
        Tensor { name, shape, values: Values::Int8 { scales, values } }
    }

    /// The values as f32 (dequantized).
    pub fn to_f32(&self) -> Vec<f32> {
        match &self.values {
            Values::F32(v) => v.clone(),
            Values::Int8 { scales, values } => {
                let width = self.shape.last().copied().unwrap_or(1).max(1);
                values.chunks(width).zip(scales).flat_map(|(row, s)| row.iter().map(move |&q| q as f32 * s)).collect()
            }
        }
    }

    fn len(&self) -> usize {
        self.shape.iter().product()
    }
}

/// A whole model: configuration, tokenizer and tensors.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub config: ModelConfig,
    pub tokenizer_json: Vec<u8>,
    pub tensors: Vec<Tensor>,
    /// FNV-1a of the file's body: the papers' vectors record the model that made them.
    pub id: u64,
}

/// FNV-1a, 64 bits.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

impl Model {
    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let body = self.body();
        let mut out = Vec::with_capacity(body.len() + 20);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&MODEL_FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&fnv1a(&body).to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    fn body(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let config = serde_json::to_vec(&self.config).unwrap_or_default();
        put_bytes(&mut out, &config);
        put_bytes(&mut out, &self.tokenizer_json);
        out.extend_from_slice(&(self.tensors.len() as u32).to_le_bytes());
        for t in &self.tensors {
            out.extend_from_slice(&(t.name.len() as u16).to_le_bytes());
            out.extend_from_slice(t.name.as_bytes());
            out.push(match t.values {
                Values::F32(_) => KIND_F32,
                Values::Int8 { .. } => KIND_INT8_ROWS,
            });
            out.push(t.shape.len() as u8);
            for &d in &t.shape {
                out.extend_from_slice(&(d as u32).to_le_bytes());
            }
            match &t.values {
                Values::F32(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
                Values::Int8 { scales, values } => {
                    scales.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes()));
                    out.extend(values.iter().map(|&q| q as u8));
                }
            }
        }
        out
    }

    /// Reads a model file, checking its magic, version and checksum.
    ///
    /// # Errors
    ///
    /// What is wrong with the bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        if bytes.len() < 20 || &bytes[..8] != MAGIC {
            return Err(err("not a paper-search model file (bad magic bytes)"));
        }
        let version = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
        if version != MODEL_FORMAT_VERSION {
            return Err(err(format!(
                "model format version {version}, but this reader reads version {MODEL_FORMAT_VERSION}"
            )));
        }
        let mut id = [0u8; 8];
        id.copy_from_slice(&bytes[12..20]);
        let id = u64::from_le_bytes(id);
        let body = &bytes[20..];
        if fnv1a(body) != id {
            return Err(err("model file damaged (checksum differs); download or build it again"));
        }
        let mut r = Reader { bytes: body, at: 0 };
        let config: ModelConfig = serde_json::from_slice(r.bytes_of("configuration")?)
            .map_err(|e| err(format!("model configuration: {e}")))?;
        let tokenizer_json = r.bytes_of("tokenizer")?.to_vec();
        let count = r.u32("tensor count")? as usize;
        let mut tensors = Vec::with_capacity(count.min(1024));
        for _ in 0..count {
            let name_len = u16::from_le_bytes(r.array::<2>("tensor name")?) as usize;
            let name = String::from_utf8(r.take(name_len, "tensor name")?.to_vec())
                .map_err(|_| err("tensor name is not UTF-8"))?;
            let [kind, rank] = r.array::<2>("tensor kind")?;
            let mut shape = Vec::with_capacity(rank as usize);
            for _ in 0..rank {
                shape.push(r.u32("tensor shape")? as usize);
            }
            // Sizes a damaged or hostile file could make overflow are refused, not wrapped.
            let n = shape.iter().try_fold(1usize, |n, &d| n.checked_mul(d));
            let bytes_of = |n: Option<usize>| {
                n.and_then(|n| n.checked_mul(4)).ok_or_else(|| err(format!("tensor {name}: too large")))
            };
            let n = n.ok_or_else(|| err(format!("tensor {name}: too large")))?;
            let values = match kind {
                KIND_F32 => {
                    Values::F32(r.take(bytes_of(Some(n))?, "tensor values")?.chunks_exact(4).map(f32_of).collect())
                }
                KIND_INT8_ROWS => {
                    let rows = n / shape.last().copied().unwrap_or(1).max(1);
                    let scales = r.take(bytes_of(Some(rows))?, "tensor scales")?.chunks_exact(4).map(f32_of).collect();
                    let values = r.take(n, "tensor values")?.iter().map(|&b| b as i8).collect();
                    Values::Int8 { scales, values }
                }
                other => return Err(err(format!("tensor {name}: unknown kind {other}"))),
            };
            tensors.push(Tensor { name, shape, values });
        }
        if r.at != body.len() {
            return Err(err("model file has bytes after its last tensor"));
        }
        Ok(Model { config, tokenizer_json, tensors, id })
    }

    /// The tensors by name, dequantized.
    pub fn f32_tensors(&self) -> HashMap<String, (Vec<usize>, Vec<f32>)> {
        self.tensors.iter().map(|t| (t.name.clone(), (t.shape.clone(), t.to_f32()))).collect()
    }

    /// How many values all tensors hold.
    pub fn parameters(&self) -> usize {
        self.tensors.iter().map(Tensor::len).sum()
    }
}

#[cfg(feature = "semantic")]
impl Model {
    /// The model file's contents made from a sentence-transformers release folder, named `name`
    /// (`config.json`, `sentence_bert_config.json`, `tokenizer.json`, `model.safetensors`):
    /// its matrices quantized, inputs cut at its `max_seq_length`.
    ///
    /// # Errors
    ///
    /// A file missing or unreadable, named.
    pub fn from_release(dir: &std::path::Path, name: &str) -> Result<Model, ModelError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path)
                .map_err(|e| err(format!("{}: {e}; run ./build.sh setup to fetch the model", path.display())))
        };
        let json = |name: &str| -> Result<serde_json::Value, ModelError> {
            serde_json::from_slice(&read(name)?).map_err(|e| err(format!("{name}: {e}")))
        };
        let bert = json("config.json")?;
        let max_tokens =
            json("sentence_bert_config.json")?.get("max_seq_length").and_then(|v| v.as_u64()).unwrap_or(256) as usize;
        let tokenizer_json = read("tokenizer.json")?;
        let weights = dir.join("model.safetensors");
        let loaded = candle_core::safetensors::load(&weights, &candle_core::Device::Cpu)
            .map_err(|e| err(format!("{}: {e}", weights.display())))?;
        let mut names: Vec<&String> = loaded.keys().collect();
        names.sort();
        let mut tensors = Vec::new();
        for name in names {
            let t = &loaded[name];
            if t.dtype() != candle_core::DType::F32 {
                continue; // position_ids: the model computes them
            }
            let values = t.flatten_all().and_then(|t| t.to_vec1::<f32>()).map_err(|e| err(format!("{name}: {e}")))?;
            tensors.push(Tensor::quantized(name.clone(), t.dims().to_vec(), values));
        }
        let mut model =
            Model { config: ModelConfig { bert, max_tokens, name: name.to_string() }, tokenizer_json, tensors, id: 0 };
        model.id = fnv1a(&model.body());
        Ok(model)
    }
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

fn f32_of(b: &[u8]) -> f32 {
    f32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], ModelError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| err(format!("model file truncated in {what}")))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], ModelError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }

    fn u32(&mut self, what: &str) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.array::<4>(what)?))
    }

    fn bytes_of(&mut self, what: &str) -> Result<&'a [u8], ModelError> {
        let n = self.u32(what)? as usize;
        self.take(n, what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Model {
        Model {
            config: ModelConfig { bert: serde_json::json!({"hidden_size": 4}), max_tokens: 16, name: "test".into() },
            tokenizer_json: b"{}".to_vec(),
            tensors: vec![
                Tensor::quantized("w".into(), vec![2, 3], vec![0.5, -1.0, 0.25, 0.0, 0.0, 0.0]),
                Tensor::quantized("b".into(), vec![3], vec![0.1, 0.2, 0.3]),
            ],
            id: 0,
        }
    }

    #[test]
    fn a_model_reads_back_as_written() {
        let bytes = sample().to_bytes();
        let back = Model::from_bytes(&bytes).expect("reads");
        assert_eq!(back.tensors, sample().tensors);
        assert_eq!(back.config, sample().config);
        assert_eq!(back.id, fnv1a(&bytes[20..]));
    }

    #[test]
    fn matrices_are_int8_rows_within_half_a_step() {
        let t = Tensor::quantized("w".into(), vec![2, 3], vec![0.5, -1.0, 0.3, 0.0, 0.0, 0.0]);
        assert!(matches!(t.values, Values::Int8 { .. }));
        let back = t.to_f32();
        for (a, b) in back.iter().zip([0.5, -1.0, 0.3, 0.0, 0.0, 0.0]) {
            assert!((a - b).abs() <= 0.5 / 127.0 + 1e-7, "{a} vs {b}");
        }
        assert_eq!(back[1], -1.0, "a row's largest value is exact");
    }

    #[test]
    fn a_damaged_or_cut_file_is_refused() {
        let mut bytes = sample().to_bytes();
        assert!(Model::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert!(Model::from_bytes(&bytes).unwrap_err().0.contains("checksum"));
        assert!(Model::from_bytes(b"PAPRSRCH").is_err());
    }

    #[test]
    fn a_shape_too_large_to_hold_is_refused() {
        let mut model = sample();
        // Three dimensions of u32::MAX: their product overflows any usize.
        let huge = u32::MAX as usize;
        model.tensors = vec![Tensor { name: "w".into(), shape: vec![huge, huge, huge], values: Values::F32(vec![]) }];
        let message = Model::from_bytes(&model.to_bytes()).unwrap_err().0;
        assert!(message.contains("too large"), "{message}");
    }
}
