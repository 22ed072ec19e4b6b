//! The encoder's steps between its matrix products, each in one pass over its rows: a layer
//! norm with the residual and the bias it follows, GELU with its bias, the exponential and
//! `erf` they need, and attention over one text's tokens. Plain loops over fixed-width chunks,
//! written so that the compiler turns them into vector instructions; natively [`vectorized`]
//! compiles them for the widest the processor has (AVX-512 or AVX2, chosen at run time).

/// Lanes the loops below are written for: one AVX-512 register of f32, two of AVX2.
pub const LANES: usize = 16;

/// Runs `f` compiled for the processor's widest vector instructions (x86: AVX-512 or AVX2 with
/// FMA, detected once), or as it is where there is no choice to make (wasm). `f` is inlined
/// into the function compiled so: it must be marked `#[inline(always)]`, as must what it calls.
#[inline(always)]
pub fn vectorized<R>(f: impl FnOnce() -> R) -> R {
    pulp::Arch::new().dispatch(f)
}

/// `a × b + c`: one fused instruction where the target has it, two operations where a fused
/// one would be a slow library call (wasm).
#[inline(always)]
fn mul_add(a: f32, b: f32, c: f32) -> f32 {
    #[cfg(not(target_arch = "wasm32"))]
    {
        a.mul_add(b, c)
    }
    #[cfg(target_arch = "wasm32")]
    {
        a * b + c
    }
}

/// The sum of `values`, in `LANES` running sums.
#[inline(always)]
fn sum(values: &[f32]) -> f32 {
    let mut acc = [0f32; LANES];
    let chunks = values.chunks_exact(LANES);
    let rest = chunks.remainder();
    for c in chunks {
        for l in 0..LANES {
            acc[l] += c[l];
        }
    }
    acc.iter().sum::<f32>() + rest.iter().sum::<f32>()
}

/// `e^x`, within an ulp or two of the exact value, for any finite `x` (0 below -87.3, the
/// largest finite power above 88.3): range reduction by powers of two and Cephes' polynomial.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    // Rounds to the nearest integer by adding and taking away 1.5 × 2^23.
    const ROUND: f32 = 12_582_912.0;
    let x = x.clamp(-87.3, 88.3);
    let rounded = x * LOG2E + ROUND;
    let n = rounded - ROUND;
    let r = x - n * LN2_HI - n * LN2_LO;
    let mut p = 1.987_569_1e-4;
    for c in [1.398_199_9e-3, 8.333_452e-3, 4.166_579_6e-2, 0.166_666_65, 0.5] {
        p = mul_add(p, r, c);
    }
    let e = mul_add(p, r * r, r) + 1.0;
    // 2^n: n sits in the low bits of the rounding sum (1.5 × 2^23 + n); a saturating `as`
    // conversion of n would keep the loop from being vectorized.
    e * f32::from_bits(rounded.to_bits().wrapping_sub(ROUND.to_bits()).wrapping_add(127) << 23)
}

/// The error function, within 3 × 10⁻⁷ (Abramowitz and Stegun, 7.1.26: 1.5 × 10⁻⁷, and f32
/// rounding).
#[inline(always)]
pub fn erf(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / mul_add(0.327_591_1, a, 1.0);
    let mut p = 1.061_405_4;
    for c in [-1.453_152_1, 1.421_413_8, -0.284_496_72, 0.254_829_6] {
        p = mul_add(p, t, c);
    }
    let y = 1.0 - p * t * exp(-a * a);
    y.copysign(x)
}

/// GELU of `x + bias` (`bias` repeats along each row), as BERT's feed-forward computes it (with
/// `erf`, not the tanh approximation).
pub fn gelu(x: &[f32], bias: &[f32]) -> Vec<f32> {
    let mut out = vec![0f32; x.len()];
    vectorized(
        #[inline(always)]
        || {
            for (row, o) in x.chunks_exact(bias.len()).zip(out.chunks_exact_mut(bias.len())) {
                for ((o, &v), &b) in o.iter_mut().zip(row).zip(bias) {
                    let v = v + b;
                    *o = 0.5 * v * (1.0 + erf(v * std::f32::consts::FRAC_1_SQRT_2));
                }
            }
        },
    );
    out
}

/// A layer norm's weights.
pub struct Norm {
    pub gamma: Vec<f32>,
    pub beta: Vec<f32>,
    pub eps: f32,
}

impl Norm {
    /// Each row of `x` becomes the norm of `x + delta + bias` (a residual step, then the layer
    /// norm), in one pass over the rows. `delta` may be empty (none).
    pub fn add_norm(&self, x: &mut [f32], delta: &[f32], bias: &[f32]) {
        let width = self.gamma.len();
        vectorized(
            #[inline(always)]
            || {
                for (i, row) in x.chunks_exact_mut(width).enumerate() {
                    if let Some(d) = delta.get(i * width..(i + 1) * width) {
                        for ((v, &d), &b) in row.iter_mut().zip(d).zip(bias) {
                            *v += d + b;
                        }
                    }
                    let mean = sum(row) / width as f32;
                    row.iter_mut().for_each(|v| *v -= mean);
                    let mut acc = [0f32; LANES];
                    for c in row.chunks_exact(LANES) {
                        for l in 0..LANES {
                            acc[l] = mul_add(c[l], c[l], acc[l]);
                        }
                    }
                    let squares = acc.iter().sum::<f32>()
                        + row.chunks_exact(LANES).remainder().iter().map(|v| v * v).sum::<f32>();
                    let scale = 1.0 / (squares / width as f32 + self.eps).sqrt();
                    for ((v, &g), &b) in row.iter_mut().zip(&self.gamma).zip(&self.beta) {
                        *v = mul_add(*v * scale, g, b);
                    }
                }
            },
        );
    }
}

/// One text's self-attention: its `n` tokens' queries, keys and values (rows of `qkv`, each
/// `[q | k | v]` of width `3 × heads × width` before their bias, the queries already scaled by
/// 1/√width), into `out` (`n` rows of `heads × width`).
///
/// Queries go a vector at a time (16 of them with AVX-512): their scores against every key,
/// their softmax and their weighted values are all computed lane by lane, so that keys and
/// values are read from `qkv` as they are. The keys' bias is left out (it adds one number to
/// all of a query's scores, which softmax takes away again), and the values' bias is added at
/// the end (the weights of a query sum to 1).
pub struct Attention<'a> {
    pub qkv: &'a [f32],
    pub bias: &'a [f32],
    pub n: usize,
    pub heads: usize,
    pub width: usize,
}

/// Keys (and columns of values) taken together, so that each vector of queries read serves
/// eight of them.
const GROUP: usize = 8;

/// Buffers an [`Attention`] reuses from call to call.
#[derive(Default)]
pub struct Scratch {
    /// A vector of queries with their bias, transposed: `width` vectors.
    queries: Vec<f32>,
    /// Their scores, then weights, against each key: `n` vectors.
    scores: Vec<f32>,
    /// Their outputs, transposed: `width` vectors.
    outputs: Vec<f32>,
    /// The head's keys and values, `n` rows of `width` each, as `qkv` has them (copied
    /// together, they are read from the nearest cache).
    keys: Vec<f32>,
    values: Vec<f32>,
}

impl Attention<'_> {
    pub fn run(&self, out: &mut [f32], scratch: &mut Scratch) {
        pulp::Arch::new().dispatch(Heads { attention: self, out, scratch });
    }
}

struct Heads<'a, 'b> {
    attention: &'a Attention<'b>,
    out: &'a mut [f32],
    scratch: &'a mut Scratch,
}

impl pulp::WithSimd for Heads<'_, '_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, simd: S) {
        let (lanes, a, s) = (S::F32_LANES, self.attention, self.scratch);
        for head in 0..a.heads {
            s.keys.clear();
            s.values.clear();
            for j in 0..a.n {
                s.keys.extend_from_slice(a.row(j, 1, head));
                s.values.extend_from_slice(a.row(j, 2, head));
            }
            for first in (0..a.n).step_by(lanes) {
                a.queries(simd, head, first, self.out, s);
            }
        }
    }
}

impl Attention<'_> {
    /// The row of token `j`'s part `part` (0 queries, 1 keys, 2 values) in head `head`.
    #[inline(always)]
    fn row(&self, j: usize, part: usize, head: usize) -> &[f32] {
        let hidden = self.heads * self.width;
        let at = j * 3 * hidden + part * hidden + head * self.width;
        &self.qkv[at..at + self.width]
    }

    /// One head's `softmax(q·kᵀ)·v` for the queries `first ..` (a vector of them; those past
    /// the last token are zeros, and their outputs dropped).
    #[inline(always)]
    fn queries<S: pulp::Simd>(&self, simd: S, head: usize, first: usize, out: &mut [f32], s: &mut Scratch) {
        let (n, w, lanes) = (self.n, self.width, S::F32_LANES);
        let hidden = self.heads * w;
        let zero = simd.splat_f32s(0.0);
        let qb = &self.bias[head * w..(head + 1) * w];
        s.queries.clear();
        s.queries.resize(w * lanes, 0.0);
        for l in 0..lanes.min(n - first) {
            for (d, (&q, &b)) in self.row(first + l, 0, head).iter().zip(qb).enumerate() {
                s.queries[d * lanes + l] = q + b;
            }
        }
        let queries = S::as_simd_f32s(&s.queries).0;
        let queries = &queries[..w];
        // Scores: GROUP keys at a time, each component of theirs times the queries' vector.
        s.scores.clear();
        s.scores.resize(n * lanes, 0.0);
        let scores = S::as_mut_simd_f32s(&mut s.scores).0;
        let mut j = 0;
        while j + GROUP <= n {
            let keys: [&[f32]; GROUP] = std::array::from_fn(|g| &s.keys[(j + g) * w..(j + g + 1) * w]);
            let mut acc = [zero; GROUP];
            for (d, &q) in queries.iter().enumerate() {
                for g in 0..GROUP {
                    acc[g] = simd.mul_add_e_f32s(simd.splat_f32s(keys[g][d]), q, acc[g]);
                }
            }
            scores[j..j + GROUP].copy_from_slice(&acc);
            j += GROUP;
        }
        for (j, score) in scores.iter_mut().enumerate().skip(j) {
            let key = &s.keys[j * w..(j + 1) * w];
            *score =
                key.iter().zip(queries).fold(zero, |acc, (&k, &q)| simd.mul_add_e_f32s(simd.splat_f32s(k), q, acc));
        }
        // Softmax down each lane.
        let top = scores.iter().fold(simd.splat_f32s(f32::MIN), |m, &x| simd.max_f32s(m, x));
        scores.iter_mut().for_each(|x| *x = simd.sub_f32s(*x, top));
        s.scores.iter_mut().for_each(|x| *x = exp(*x));
        let scores = &S::as_simd_f32s(&s.scores).0[..n];
        let sums = scores.iter().fold(zero, |acc, &x| simd.add_f32s(acc, x));
        // Values: GROUP columns at a time, each key's weight times its values.
        s.outputs.clear();
        s.outputs.resize(w * lanes, 0.0);
        let outputs = S::as_mut_simd_f32s(&mut s.outputs).0;
        let mut c = 0;
        while c + GROUP <= w {
            let mut acc = [zero; GROUP];
            for (&p, v) in scores.iter().zip(s.values.chunks_exact(w)) {
                let v = &v[c..c + GROUP];
                for g in 0..GROUP {
                    acc[g] = simd.mul_add_e_f32s(simd.splat_f32s(v[g]), p, acc[g]);
                }
            }
            outputs[c..c + GROUP].copy_from_slice(&acc);
            c += GROUP;
        }
        for (c, output) in outputs.iter_mut().enumerate().take(w).skip(c) {
            *output = scores
                .iter()
                .zip(s.values.chunks_exact(w))
                .fold(zero, |acc, (&p, v)| simd.mul_add_e_f32s(simd.splat_f32s(v[c]), p, acc));
        }
        let inverse = simd.div_f32s(simd.splat_f32s(1.0), sums);
        outputs.iter_mut().for_each(|o| *o = simd.mul_f32s(*o, inverse));
        let vb = &self.bias[2 * hidden + head * w..2 * hidden + (head + 1) * w];
        for l in 0..lanes.min(n - first) {
            let o = &mut out[(first + l) * hidden + head * w..(first + l) * hidden + (head + 1) * w];
            for (d, (o, &b)) in o.iter_mut().zip(vb).enumerate() {
                *o = s.outputs[d * lanes + l] + b;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Softmax attention written out in f64 over the same inputs, biases and all.
    fn reference(a: &Attention, out: &mut [f32]) {
        let (w, hidden) = (a.width, a.heads * a.width);
        let at = |j: usize, part: usize, c: usize| {
            f64::from(a.qkv[j * 3 * hidden + part * hidden + c]) + f64::from(a.bias[part * hidden + c])
        };
        for h in 0..a.heads {
            for i in 0..a.n {
                let scores: Vec<f64> =
                    (0..a.n).map(|j| (0..w).map(|d| at(i, 0, h * w + d) * at(j, 1, h * w + d)).sum()).collect();
                let top = scores.iter().cloned().fold(f64::MIN, f64::max);
                let e: Vec<f64> = scores.iter().map(|s| (s - top).exp()).collect();
                let total: f64 = e.iter().sum();
                for d in 0..w {
                    let v: f64 = (0..a.n).map(|j| e[j] / total * at(j, 2, h * w + d)).sum();
                    out[i * hidden + h * w + d] = v as f32;
                }
            }
        }
    }

    #[test]
    fn attention_is_the_same_on_every_kind_of_vector_instructions() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut random = |k: usize| crate::semantic::encoder::tests::random(&mut seed, k, 2.0);
        // Widths of BERT's heads (32) and one no vector divides; token counts around the
        // vectors' and the groups' sizes.
        for (heads, width) in [(2, 32), (3, 12)] {
            for n in [1, 5, 8, 9, 16, 17, 33] {
                let hidden = heads * width;
                let (qkv, bias) = (random(n * 3 * hidden), random(3 * hidden));
                let a = Attention { qkv: &qkv, bias: &bias, n, heads, width };
                let mut want = vec![0f32; n * hidden];
                reference(&a, &mut want);
                let mut outputs = Vec::new();
                let run = |simd: &dyn Fn(Heads)| {
                    let mut out = vec![0f32; n * hidden];
                    simd(Heads { attention: &a, out: &mut out, scratch: &mut Scratch::default() });
                    out
                };
                outputs.push(("scalar", run(&|h| pulp::WithSimd::with_simd(h, pulp::Scalar::new()))));
                #[cfg(target_arch = "x86_64")]
                {
                    if let Some(v3) = pulp::x86::V3::try_new() {
                        outputs.push(("AVX2", run(&|h| v3.vectorize(|| pulp::WithSimd::with_simd(h, v3)))));
                    }
                    if let Some(v4) = pulp::x86::V4::try_new() {
                        outputs.push(("AVX-512", run(&|h| v4.vectorize(|| pulp::WithSimd::with_simd(h, v4)))));
                    }
                }
                let mut dispatched = vec![0f32; n * hidden];
                a.run(&mut dispatched, &mut Scratch::default());
                outputs.push(("dispatched", dispatched));
                for (name, got) in &outputs {
                    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                        assert!((g - w).abs() < 2e-5, "{name}, n {n}, width {width}: [{i}] {g} vs {w}");
                    }
                }
            }
        }
    }

    #[test]
    fn exp_and_erf_are_within_a_few_ulps() {
        for i in -2000..=2000 {
            let x = i as f32 * 0.0435;
            let want = f64::from(x).exp();
            let got = f64::from(exp(x));
            assert!(((got - want) / want).abs() < 3e-7, "exp({x}) = {got}, not {want}");
            let want = libm::erf(f64::from(x));
            let got = f64::from(erf(x));
            assert!((got - want).abs() < 3e-7, "erf({x}) = {got}, not {want}");
        }
        assert_eq!(exp(-1000.0), exp(-87.3));
        assert!(exp(-87.3) < 1e-37 && exp(88.3).is_finite());
    }
}
