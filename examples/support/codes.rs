//! Compact codes for the papers' vectors, measured by `eval semantic codes` against the int8
//! vectors a build stores (388 bytes a paper): what a sharded build could fetch when a reader
//! switches meaning on. Each gives the `k` papers nearest a float query with a score on the
//! cosine's scale, as fusion reads it.
//!
//! - [`Bits`]: one bit a component (48 bytes a paper), its sign. Ranked by Hamming distance to
//!   the query's signs, or by the float query against the code (asymmetric), the score turned
//!   back into an estimate of the cosine.
//! - [`Pq`]: product quantization, the vector cut into `parts` pieces, each the nearest of 256
//!   centroids learnt from the corpus (k-means): one byte a piece, scored against the float
//!   query by a table of each piece's dot products with its centroids.

use paper_search::index::DocId;
use paper_search::rank::top_k as best;

/// The vectors' signs, a bit each.
pub struct Bits {
    dims: usize,
    words: usize,
    codes: Vec<u64>,
}

impl Bits {
    pub fn new(vectors: &[Vec<f32>]) -> Bits {
        let dims = vectors.first().map_or(0, Vec::len);
        let words = dims.div_ceil(64);
        let codes = vectors.iter().flat_map(|v| Self::code(v, words)).collect();
        Bits { dims, words, codes }
    }

    fn code(v: &[f32], words: usize) -> Vec<u64> {
        let mut code = vec![0u64; words];
        for (i, &x) in v.iter().enumerate() {
            if x > 0.0 {
                code[i / 64] |= 1 << (i % 64);
            }
        }
        code
    }

    fn len(&self) -> usize {
        self.codes.len() / self.words.max(1)
    }

    /// The float query against paper `d`'s signs, as an estimate of their cosine: for a unit
    /// query and a paper at cosine `c`, `q·sign(x)` is about `c·√(2d/π)/√(1 − c²)`.
    fn estimate(&self, query: &[f32], d: usize) -> f32 {
        let code = &self.codes[d * self.words..(d + 1) * self.words];
        let dot: f32 =
            query.iter().enumerate().map(|(i, &q)| if code[i / 64] >> (i % 64) & 1 == 1 { q } else { -q }).sum();
        let y = dot * (std::f32::consts::PI / (2.0 * self.dims as f32)).sqrt();
        y / (1.0 + y * y).sqrt()
    }

    /// The `candidates` papers nearest by Hamming distance to the query's signs.
    pub fn hamming(&self, query: &[f32], candidates: usize) -> Vec<DocId> {
        let q = Self::code(query, self.words);
        let scored = (0..self.len())
            .map(|d| {
                let code = &self.codes[d * self.words..(d + 1) * self.words];
                let distance: u32 = code.iter().zip(&q).map(|(a, b)| (a ^ b).count_ones()).sum();
                (d as DocId, -(distance as f32))
            })
            .collect();
        best(scored, candidates).into_iter().map(|(d, _)| d).collect()
    }

    /// The `k` nearest: Hamming's best `candidates` rescored by the float query.
    pub fn nearest(&self, query: &[f32], candidates: usize, k: usize) -> Vec<(DocId, f32)> {
        let scored =
            self.hamming(query, candidates).into_iter().map(|d| (d, self.estimate(query, d as usize))).collect();
        best(scored, k)
    }

    /// The `k` nearest by the float query against every code.
    pub fn nearest_all(&self, query: &[f32], k: usize) -> Vec<(DocId, f32)> {
        best((0..self.len()).map(|d| (d as DocId, self.estimate(query, d))).collect(), k)
    }
}

/// Product quantization: `parts` pieces of `dims / parts` components, 256 centroids each.
pub struct Pq {
    parts: usize,
    width: usize,
    /// `parts × 256 × width` components.
    centroids: Vec<f32>,
    /// A byte a piece, `parts` bytes a paper.
    codes: Vec<u8>,
}

impl Pq {
    /// Learns the centroids from `vectors` (k-means, `rounds` rounds, started from papers picked
    /// by a fixed sequence) and codes every vector.
    pub fn train(vectors: &[Vec<f32>], parts: usize, rounds: usize) -> Pq {
        let dims = vectors.first().map_or(0, Vec::len);
        let width = dims / parts;
        let n = vectors.len();
        let mut centroids = vec![0f32; parts * 256 * width];
        let mut codes = vec![0u8; n * parts];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for p in 0..parts {
            let piece = |d: usize| &vectors[d][p * width..(p + 1) * width];
            let own = &mut centroids[p * 256 * width..(p + 1) * 256 * width];
            for c in 0..256 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                let d = (seed >> 33) as usize % n.max(1);
                own[c * width..(c + 1) * width].copy_from_slice(piece(d));
            }
            let nearest = |own: &[f32], x: &[f32]| -> u8 {
                let mut best = (0usize, f32::INFINITY);
                for c in 0..256 {
                    let e: f32 = own[c * width..(c + 1) * width].iter().zip(x).map(|(a, b)| (a - b) * (a - b)).sum();
                    if e < best.1 {
                        best = (c, e);
                    }
                }
                best.0 as u8
            };
            for _ in 0..rounds {
                let mut sums = vec![0f32; 256 * width];
                let mut counts = vec![0usize; 256];
                for d in 0..n {
                    let c = nearest(own, piece(d)) as usize;
                    counts[c] += 1;
                    sums[c * width..(c + 1) * width].iter_mut().zip(piece(d)).for_each(|(s, x)| *s += x);
                }
                for c in 0..256 {
                    if counts[c] > 0 {
                        for i in 0..width {
                            own[c * width + i] = sums[c * width + i] / counts[c] as f32;
                        }
                    }
                }
            }
            for d in 0..n {
                codes[d * parts + p] = nearest(own, piece(d));
            }
        }
        Pq { parts, width, centroids, codes }
    }

    /// The `k` nearest by the float query's dot products with the papers' centroids.
    pub fn nearest(&self, query: &[f32], k: usize) -> Vec<(DocId, f32)> {
        let (parts, width) = (self.parts, self.width);
        let table: Vec<f32> = (0..parts * 256)
            .map(|pc| {
                let p = pc / 256;
                let centroid = &self.centroids[pc * width..(pc + 1) * width];
                centroid.iter().zip(&query[p * width..(p + 1) * width]).map(|(a, b)| a * b).sum()
            })
            .collect();
        let scored = self
            .codes
            .chunks_exact(parts)
            .enumerate()
            .map(|(d, code)| (d as DocId, code.iter().enumerate().map(|(p, &c)| table[p * 256 + c as usize]).sum()))
            .collect();
        best(scored, k)
    }
}
