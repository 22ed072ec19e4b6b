//! The papers' vectors, one per paper in id order, as the build writes them beside the index:
//! int8 components with one scale per vector (a vector's largest component is ±127), about
//! `dims + 4` bytes a paper. Search by meaning ranks every paper by a one-bit code of its
//! vector, the signs of its components (`dims / 8` bytes, [`Vectors::estimated`]), and reads
//! the int8 vector only of the few papers fusion puts first
//! ([`crate::semantic::fuse::rescore`]): what a build that fetches its vectors must download
//! of every paper is the code.
//!
//! ```text
//! magic     8 bytes  b"PSVECTS\0"
//! version   u32      VECTORS_FORMAT_VERSION
//! model     u64      the id of the model file that made them
//! dims      u32
//! count     u32      papers
//! scales    count × f32
//! values    count × dims × i8
//! ```

use crate::index::{DocId, PaperVectors};

use super::model::ModelError;

/// First bytes of a vectors file.
pub const MAGIC: &[u8; 8] = b"PSVECTS\0";

/// Version of the layout above.
pub const VECTORS_FORMAT_VERSION: u32 = 1;

const HEADER_LEN: usize = 8 + 4 + 8 + 4 + 4;

/// Every paper's vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Vectors {
    pub model_id: u64,
    pub dims: usize,
    scales: Vec<f32>,
    values: Vec<i8>,
    codes: Codes,
}

/// Every paper's one-bit code, in id order: what ranks every paper by meaning, and what a
/// sharded build's reader downloads whole when switching meaning on (the index's codes parts).
#[derive(Debug, Clone, PartialEq)]
pub struct Codes {
    pub model_id: u64,
    pub dims: usize,
    /// Per paper, [`code_len`] bytes: bit `i % 8` of byte `i / 8` is set when component `i`
    /// of its int8 vector is positive.
    pub bytes: Vec<u8>,
}

/// The bytes of one paper's code, for vectors `dims` wide.
pub fn code_len(dims: usize) -> usize {
    dims.div_ceil(8)
}

/// The name of the model file of the model `model_id`, as a build serves it beside the module:
/// `paper-search-model-<id>.bin.gz`, the id in 16 hex digits. The page fetches the model by this
/// name, and a new model is a new name (a cached copy is never stale).
pub fn model_file(model_id: u64) -> String {
    format!("paper-search-model-{model_id:016x}.bin.gz")
}

/// The cosine of `query` (a unit vector) with a paper's int8 vector `row` of scale `scale` (0
/// for a query of another width).
pub fn cosine_row(query: &[f32], scale: f32, row: impl ExactSizeIterator<Item = i8>) -> f32 {
    if query.len() != row.len() {
        return 0.0;
    }
    row.zip(query).map(|(q, x)| q as f32 * x).sum::<f32>() * scale
}

/// One vector as the file holds it: int8 components and their scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantized {
    pub scale: f32,
    pub values: Vec<i8>,
}

impl Quantized {
    /// `v` quantized, `dims` wide (cut or padded with zeros).
    pub fn new(v: &[f32], dims: usize) -> Quantized {
        let largest = v.iter().fold(0f32, |m, x| m.max(x.abs()));
        let scale = if largest > 0.0 { largest / 127.0 } else { 1.0 };
        let values =
            (0..dims).map(|i| (v.get(i).copied().unwrap_or(0.0) / scale).round().clamp(-127.0, 127.0) as i8).collect();
        Quantized { scale, values }
    }
}

impl Vectors {
    /// Quantizes unit vectors (all of width `dims`).
    pub fn new(model_id: u64, dims: usize, vectors: &[Vec<f32>]) -> Vectors {
        let quantized: Vec<Quantized> = vectors.iter().map(|v| Quantized::new(v, dims)).collect();
        Vectors::from_quantized(model_id, dims, &quantized)
    }

    /// The vectors quantized already (each `dims` wide), in id order.
    pub fn from_quantized(model_id: u64, dims: usize, vectors: &[Quantized]) -> Vectors {
        let scales = vectors.iter().map(|q| q.scale).collect();
        let values = vectors.iter().flat_map(|q| (0..dims).map(|i| q.values.get(i).copied().unwrap_or(0))).collect();
        Vectors::with_codes(model_id, dims, scales, values)
    }

    fn with_codes(model_id: u64, dims: usize, scales: Vec<f32>, values: Vec<i8>) -> Vectors {
        let bytes = if dims == 0 { Vec::new() } else { values.chunks_exact(dims).flat_map(code).collect() };
        Vectors { model_id, dims, scales, values, codes: Codes { model_id, dims, bytes } }
    }

    /// The vectors as the index writer stores them.
    pub fn stored(&self) -> PaperVectors<'_> {
        PaperVectors {
            model_id: self.model_id,
            dims: self.dims,
            scales: &self.scales,
            values: &self.values,
            codes: &self.codes.bytes,
        }
    }

    /// Every paper's one-bit code.
    pub fn codes(&self) -> &Codes {
        &self.codes
    }

    /// Paper `doc`'s int8 vector and its scale, as stored.
    pub fn row(&self, doc: DocId) -> Option<(f32, &[i8])> {
        let d = doc as usize;
        Some((*self.scales.get(d)?, &self.values[d * self.dims..(d + 1) * self.dims]))
    }

    /// How many papers have a vector.
    pub fn len(&self) -> usize {
        self.scales.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scales.is_empty()
    }

    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + self.scales.len() * 4 + self.values.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VECTORS_FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&self.model_id.to_le_bytes());
        out.extend_from_slice(&(self.dims as u32).to_le_bytes());
        out.extend_from_slice(&(self.scales.len() as u32).to_le_bytes());
        self.scales.iter().for_each(|s| out.extend_from_slice(&s.to_le_bytes()));
        out.extend(self.values.iter().map(|&q| q as u8));
        out
    }

    /// Reads a vectors file.
    ///
    /// # Errors
    ///
    /// What is wrong with the bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Vectors, ModelError> {
        if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
            return Err(ModelError("not a paper-search vectors file (bad magic bytes)".into()));
        }
        let u32_at = |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        let version = u32_at(8);
        if version != VECTORS_FORMAT_VERSION {
            return Err(ModelError(format!(
                "vectors format version {version}, but this reader reads version {VECTORS_FORMAT_VERSION}"
            )));
        }
        let mut id = [0u8; 8];
        id.copy_from_slice(&bytes[12..20]);
        let dims = u32_at(20) as usize;
        let count = u32_at(24) as usize;
        let expected = count.checked_mul(dims + 4).and_then(|n| n.checked_add(HEADER_LEN));
        if expected != Some(bytes.len()) {
            return Err(ModelError("vectors file truncated or too long".into()));
        }
        let values_at = HEADER_LEN + count * 4;
        let scales = bytes[HEADER_LEN..values_at]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let values = bytes[values_at..].iter().map(|&b| b as i8).collect();
        Ok(Vectors::with_codes(u64::from_le_bytes(id), dims, scales, values))
    }

    /// The name of the model file that made these vectors, as a build serves it beside the
    /// module: `paper-search-model-<id>.bin.gz`, the id in 16 hex digits. The page fetches the
    /// model by this name, and a new model is a new name (a cached copy is never stale).
    pub fn model_file(&self) -> String {
        model_file(self.model_id)
    }

    /// Paper `doc`'s vector, dequantized.
    pub fn get(&self, doc: DocId) -> Option<Vec<f32>> {
        let d = doc as usize;
        let scale = *self.scales.get(d)?;
        Some(self.values[d * self.dims..(d + 1) * self.dims].iter().map(|&q| q as f32 * scale).collect())
    }

    /// The cosine of `query` (a unit vector) with every paper, in id order.
    pub fn cosines(&self, query: &[f32]) -> Vec<f32> {
        (0..self.len()).map(|d| self.cosine(query, d as DocId)).collect()
    }

    /// The `k` papers nearest `query`, nearest first (ties by id).
    pub fn nearest(&self, query: &[f32], k: usize) -> Vec<(DocId, f32)> {
        let scored = self.cosines(query).into_iter().enumerate().map(|(d, s)| (d as DocId, s)).collect();
        crate::rank::top_k(scored, k)
    }

    /// The cosine of `query` (a unit vector) with paper `doc` (0 for no such paper or a query
    /// of the wrong width).
    pub fn cosine(&self, query: &[f32], doc: DocId) -> f32 {
        self.row(doc).map_or(0.0, |(scale, row)| cosine_row(query, scale, row.iter().copied()))
    }

    /// The `k` papers whose codes are nearest `query` ([`Codes::estimated`]).
    pub fn estimated(&self, query: &[f32], k: usize) -> Vec<(DocId, f32)> {
        self.codes.estimated(query, k)
    }
}

impl Codes {
    /// How many papers have a code.
    pub fn len(&self) -> usize {
        self.bytes.len().checked_div(code_len(self.dims)).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The name of the model file that made the vectors ([`model_file`]).
    pub fn model_file(&self) -> String {
        model_file(self.model_id)
    }

    /// The `k` papers whose codes are nearest `query` (a unit vector), nearest first (ties by
    /// id), each with its estimated cosine: for a paper at cosine `c` with the query, the query
    /// against the paper's signs, `y = q·sign(x)·√(π / 2d)`, is about `c / √(1 − c²)`, so
    /// `y / √(1 + y²)` is about `c`.
    pub fn estimated(&self, query: &[f32], k: usize) -> Vec<(DocId, f32)> {
        if query.len() != self.dims || self.dims == 0 {
            return Vec::new();
        }
        let bytes = code_len(self.dims);
        // Each code byte's 256 values against its 8 components: Σ ±qᵢ.
        let mut table = vec![0f32; bytes * 256];
        for (b, row) in table.chunks_exact_mut(256).enumerate() {
            let q = &query[b * 8..(b * 8 + 8).min(self.dims)];
            for (v, cell) in row.iter_mut().enumerate() {
                *cell = q.iter().enumerate().map(|(i, &x)| if v >> i & 1 == 1 { x } else { -x }).sum();
            }
        }
        let unit = (std::f32::consts::PI / (2.0 * self.dims as f32)).sqrt();
        let scored = self
            .bytes
            .chunks_exact(bytes)
            .enumerate()
            .map(|(d, code)| {
                let y = code.iter().zip(table.chunks_exact(256)).map(|(&v, row)| row[v as usize]).sum::<f32>() * unit;
                (d as DocId, y / (1.0 + y * y).sqrt())
            })
            .collect();
        crate::rank::top_k(scored, k)
    }
}

/// The one-bit code of a vector's int8 components (see [`Vectors`]).
fn code(values: &[i8]) -> Vec<u8> {
    values.chunks(8).map(|c| c.iter().enumerate().fold(0u8, |b, (i, &x)| if x > 0 { b | 1 << i } else { b })).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: Vec<f32>) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.into_iter().map(|x| x / n).collect()
    }

    #[test]
    fn vectors_read_back_and_keep_their_cosines() {
        let papers = vec![unit(vec![1.0, 0.0, 0.5]), unit(vec![0.0, 1.0, 0.0]), unit(vec![0.3, -0.4, 0.9])];
        let vectors = Vectors::new(7, 3, &papers);
        let back = Vectors::from_bytes(&vectors.to_bytes()).expect("reads");
        assert_eq!(back, vectors);
        assert_eq!(back.model_id, 7);
        let query = unit(vec![0.9, 0.1, 0.4]);
        for (p, c) in papers.iter().zip(back.cosines(&query)) {
            let exact: f32 = p.iter().zip(&query).map(|(a, b)| a * b).sum();
            assert!((exact - c).abs() < 0.01, "{exact} vs {c}");
        }
        assert_eq!(back.nearest(&query, 1)[0].0, 0);
    }

    #[test]
    fn codes_estimate_cosines_from_the_signs() {
        // Pseudo-random unit vectors of 64 components.
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) as f32 / (1u64 << 31) as f32) - 0.5
        };
        let papers: Vec<Vec<f32>> = (0..50).map(|_| unit((0..64).map(|_| next()).collect())).collect();
        let vectors = Vectors::new(1, 64, &papers);
        let query = unit(papers[3].iter().zip(&papers[4]).map(|(a, b)| a + 0.3 * b).collect());
        let estimated = vectors.estimated(&query, 50);
        assert_eq!(estimated.len(), 50);
        assert_eq!(estimated[0].0, 3, "the paper the query is made of comes first");
        for &(d, e) in &estimated {
            let exact = vectors.cosine(&query, d);
            assert!((exact - e).abs() < 0.35, "paper {d}: estimate {e}, cosine {exact}");
            assert!((exact - vectors.cosines(&query)[d as usize]).abs() < 1e-6);
        }
        // Each estimate is the query against the signs of the paper's int8 components (a
        // component rounded to 0 counts as negative), as the formula reads it.
        for &(d, e) in &estimated {
            let int8 = Quantized::new(&papers[d as usize], 64).values;
            let y: f32 = int8.iter().zip(&query).map(|(x, q)| if *x > 0 { *q } else { -q }).sum::<f32>()
                * (std::f32::consts::PI / 128.0).sqrt();
            assert!((y / (1.0 + y * y).sqrt() - e).abs() < 1e-5, "paper {d}");
        }
        assert!(vectors.estimated(&query[..10], 5).is_empty(), "a query of the wrong width");
    }

    #[test]
    fn the_model_file_is_named_after_the_model_id() {
        let vectors = Vectors::new(0x00ab_cdef_0123_4567, 3, &[vec![1.0, 0.0, 0.0]]);
        assert_eq!(vectors.model_file(), "paper-search-model-00abcdef01234567.bin.gz");
    }

    #[test]
    fn a_cut_file_or_a_query_of_the_wrong_width_is_no_answer() {
        let bytes = Vectors::new(1, 3, &[vec![1.0, 0.0, 0.0]]).to_bytes();
        assert!(Vectors::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        let vectors = Vectors::from_bytes(&bytes).expect("reads");
        assert_eq!(vectors.cosines(&[1.0, 0.0]), vec![0.0]);
    }
}
