//! Compact codes for the papers' vectors, measured by `eval semantic codes` against the int8
//! vectors a build stores (388 bytes a paper): what a sharded build could fetch when a reader
//! switches meaning on. Each gives the `k` papers nearest a float query with a score on the
//! cosine's scale, as fusion reads it.
//!
//! - [`Bits`]: one bit a component (48 bytes a paper), its sign. Ranked by Hamming distance to
//!   the query's signs (the candidates then rescored by their int8 vectors), or by the float
//!   query against the code (asymmetric), the score turned back into an estimate of the cosine.
//! - [`Pq`]: product quantization, the vector cut into `parts` pieces, each the nearest of 256
//!   centroids learnt from the corpus (k-means): one byte a piece, scored against the float
//!   query by a table of each piece's dot products with its centroids.
//! - [`Signs`]: RaBitQ's one-bit codes (a rotation, the mean taken away, a scale a paper).
//! - [`Scalar`]: each component cut at its own quantiles, the widest with more bits.
//!
//! The builds' own method, one-bit codes of every paper whose fused best are rescored by their
//! int8 vectors, is `Vectors::estimated` with `fuse::rescore`.

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

/// Signs of the papers' vectors after taking away the corpus's mean and turning the space by a
/// fixed rotation, each with one scale (RaBitQ's estimator, Gao and Long 2024): 48 bytes and a
/// float a paper. A paper's cosine with the unit query `q` is `q·m + f·Σ±(Pq)ᵢ`, the sum taking
/// each rotated component with the sign of the paper's bit, `f = |c|² / Σ|cᵢ|` for the paper's
/// rotated, centred vector `c`.
pub struct Signs {
    dims: usize,
    mean: Vec<f32>,
    /// Row-major `dims × dims`.
    rotation: Vec<f32>,
    scales: Vec<f32>,
    codes: Vec<u8>,
}

impl Signs {
    pub fn new(vectors: &[Vec<f32>]) -> Signs {
        let dims = vectors.first().map_or(0, Vec::len);
        let mut mean = vec![0f32; dims];
        for v in vectors {
            mean.iter_mut().zip(v).for_each(|(m, x)| *m += x);
        }
        mean.iter_mut().for_each(|m| *m /= vectors.len().max(1) as f32);
        let rotation = rotation(dims);
        let mut s = Signs { dims, mean, rotation, scales: Vec::new(), codes: Vec::new() };
        for v in vectors {
            let centred: Vec<f32> = v.iter().zip(&s.mean).map(|(x, m)| x - m).collect();
            let c = s.turn(&centred);
            let norm2: f32 = c.iter().map(|x| x * x).sum();
            let l1: f32 = c.iter().map(|x| x.abs()).sum();
            s.scales.push(if l1 > 0.0 { norm2 / l1 } else { 0.0 });
            for byte in c.chunks(8) {
                s.codes.push(byte.iter().enumerate().fold(0u8, |b, (i, &x)| if x > 0.0 { b | 1 << i } else { b }));
            }
        }
        s
    }

    fn turn(&self, v: &[f32]) -> Vec<f32> {
        self.rotation.chunks_exact(self.dims).map(|row| row.iter().zip(v).map(|(a, b)| a * b).sum()).collect()
    }

    /// The `k` nearest by the estimate, every paper scored.
    pub fn nearest(&self, query: &[f32], k: usize) -> Vec<(DocId, f32)> {
        let q = self.turn(query);
        let base: f32 = query.iter().zip(&self.mean).map(|(a, b)| a * b).sum();
        let bytes = self.dims.div_ceil(8);
        // A byte's 256 values against its 8 components: Σ±qᵢ.
        let table: Vec<f32> = (0..bytes * 256)
            .map(|bv| {
                let (b, v) = (bv / 256, bv % 256);
                (0..8).filter_map(|i| q.get(b * 8 + i).map(|&x| if v >> i & 1 == 1 { x } else { -x })).sum()
            })
            .collect();
        let scored = self
            .codes
            .chunks_exact(bytes)
            .zip(&self.scales)
            .enumerate()
            .map(|(d, (code, f))| {
                let sum: f32 = code.iter().enumerate().map(|(b, &v)| table[b * 256 + v as usize]).sum();
                (d as DocId, base + f * sum)
            })
            .collect();
        best(scored, k)
    }
}

/// A fixed `dims × dims` rotation: a ±1 matrix from a fixed sequence, its rows made orthonormal
/// (Gram-Schmidt in f64: the same bits on every machine).
fn rotation(dims: usize) -> Vec<f32> {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut rows: Vec<Vec<f64>> = Vec::with_capacity(dims);
    while rows.len() < dims {
        let mut row: Vec<f64> = (0..dims)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                if seed >> 63 == 1 {
                    1.0
                } else {
                    -1.0
                }
            })
            .collect();
        for _ in 0..2 {
            for r in &rows {
                let dot: f64 = r.iter().zip(&row).map(|(a, b)| a * b).sum();
                row.iter_mut().zip(r).for_each(|(x, a)| *x -= dot * a);
            }
        }
        let norm = row.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 1e-6 {
            rows.push(row.into_iter().map(|x| x / norm).collect());
        }
    }
    rows.into_iter().flatten().map(|x| x as f32).collect()
}

/// Each component quantized on its own to `bits[i]` bits: thresholds at the corpus's quantiles
/// of that component (bins of equal population), each bin read as the mean of the components it
/// holds. Scored by the float query against the reconstruction.
pub struct Scalar {
    bits: Vec<u32>,
    /// Per component, its levels (2^bits of them).
    levels: Vec<Vec<f32>>,
    /// Per paper, per component, the bin.
    codes: Vec<u8>,
    dims: usize,
}

impl Scalar {
    /// The `extra` components of the largest variance get `rich_bits` bits, the rest one.
    pub fn new(vectors: &[Vec<f32>], extra: usize, rich_bits: u32) -> Scalar {
        let dims = vectors.first().map_or(0, Vec::len);
        let n = vectors.len();
        let var: Vec<f32> = (0..dims)
            .map(|i| {
                let m = vectors.iter().map(|v| v[i]).sum::<f32>() / n as f32;
                vectors.iter().map(|v| (v[i] - m) * (v[i] - m)).sum::<f32>() / n as f32
            })
            .collect();
        let mut order: Vec<usize> = (0..dims).collect();
        order.sort_by(|&a, &b| var[b].total_cmp(&var[a]));
        let mut bits = vec![1u32; dims];
        order.iter().take(extra).for_each(|&i| bits[i] = rich_bits);
        let mut levels = Vec::new();
        let mut thresholds = Vec::new();
        for i in 0..dims {
            let mut col: Vec<f32> = vectors.iter().map(|v| v[i]).collect();
            col.sort_by(f32::total_cmp);
            let bins = 1usize << bits[i];
            let t: Vec<f32> = (1..bins).map(|b| col[b * n / bins]).collect();
            let l: Vec<f32> = (0..bins)
                .map(|b| {
                    let (lo, hi) = (b * n / bins, ((b + 1) * n / bins).max(b * n / bins + 1));
                    col[lo..hi.min(n)].iter().sum::<f32>() / (hi.min(n) - lo).max(1) as f32
                })
                .collect();
            thresholds.push(t);
            levels.push(l);
        }
        let codes = vectors
            .iter()
            .flat_map(|v| {
                (0..dims).map(|i| thresholds[i].iter().filter(|&&t| v[i] >= t).count() as u8).collect::<Vec<_>>()
            })
            .collect();
        Scalar { bits, levels, codes, dims }
    }

    pub fn bytes(&self) -> f32 {
        self.bits.iter().sum::<u32>() as f32 / 8.0
    }

    pub fn nearest(&self, query: &[f32], k: usize) -> Vec<(DocId, f32)> {
        let table: Vec<Vec<f32>> =
            (0..self.dims).map(|i| self.levels[i].iter().map(|l| l * query[i]).collect()).collect();
        let scored = self
            .codes
            .chunks_exact(self.dims)
            .enumerate()
            .map(|(d, code)| (d as DocId, code.iter().enumerate().map(|(i, &c)| table[i][c as usize]).sum()))
            .collect();
        best(scored, k)
    }
}
