//! Rank: BM25F over title and abstract, and top-k selection.
//!
//! BM25F (Robertson, Zaragoza and Taylor, 2004) normalizes each field's term frequency by the
//! field's length, weights and sums the fields into one pseudo-frequency, and saturates that
//! once:
//!
//! ```text
//! tf~  = Σ_f  w_f · tf_f / (1 − b_f + b_f · len_f / avglen_f)
//! idf  = ln(1 + (N − df + 0.5) / (df + 0.5))
//! score = idf · tf~ / (k1 + tf~)
//! ```
//!
//! Saturating after the sum (not per field) is what makes a word in the title count more than
//! the same word repeated in the abstract, without letting either dominate.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::index::{DocId, FIELDS};

/// The knobs of BM25F. [`Params::DEFAULT`] is the one home of the defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Term-frequency saturation. At 0 a term counts the same once or ten times; the larger,
    /// the longer repeated occurrences keep adding to the score.
    pub k1: f32,
    /// Weight of each field's term frequency, by `Field` index. A title weight of 2 makes a
    /// title occurrence worth two abstract occurrences before saturation.
    pub weight: [f32; FIELDS],
    /// Length normalization of each field: at 0 length is ignored, at 1 a term in a field twice
    /// the mean length counts half. The authors' must be 0: the index keeps no length for them.
    pub b: [f32; FIELDS],
}

impl Params {
    /// Defaults: the usual k1 and abstract b; titles weighted up and less length-normalized,
    /// since a title's words are chosen to say what the paper is about; author names count
    /// like abstract words, unnormalized (a long author list does not dilute a name).
    pub const DEFAULT: Params = Params { k1: 1.2, weight: [2.5, 1.0, 1.0], b: [0.3, 0.75, 0.0] };
}

impl Default for Params {
    fn default() -> Self {
        Params::DEFAULT
    }
}

/// Inverse document frequency of a term found in `df` of `n` papers (always positive).
pub fn idf(n: u32, df: u32) -> f32 {
    let (n, df) = (n as f32, df as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// BM25F score of one term in one paper.
pub fn bm25f(params: &Params, idf: f32, tf: [u32; FIELDS], len: [u32; FIELDS], avg_len: [f32; FIELDS]) -> f32 {
    bm25f_factored(params.k1, idf, tf, field_factors(params, len, avg_len))
}

/// The part of BM25F that depends only on a paper: each field's weight over its length
/// normalization. Computed once per paper, it leaves a few multiplications per posting.
pub fn field_factors(params: &Params, len: [u32; FIELDS], avg_len: [f32; FIELDS]) -> [f32; FIELDS] {
    std::array::from_fn(|f| {
        let ratio = if avg_len[f] > 0.0 { len[f] as f32 / avg_len[f] } else { 1.0 };
        params.weight[f] / (1.0 - params.b[f] + params.b[f] * ratio)
    })
}

/// [`bm25f`] from a paper's [`field_factors`].
pub fn bm25f_factored(k1: f32, idf: f32, tf: [u32; FIELDS], factors: [f32; FIELDS]) -> f32 {
    let mut pseudo_tf = 0.0;
    for f in 0..FIELDS {
        // A field without the term adds nothing, whatever its factor (even one of an empty
        // field at b = 1).
        if tf[f] > 0 {
            pseudo_tf += tf[f] as f32 * factors[f];
        }
    }
    idf * pseudo_tf / (k1 + pseudo_tf)
}

/// Best first; equal scores in id order, so results never depend on iteration order.
pub fn by_rank(a: &(DocId, f32), b: &(DocId, f32)) -> Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// The `k` best of `scored`, ordered by [`by_rank`]: one pass that keeps the best so far in a
/// heap of at most `k` (a binary heap's code is a fraction of a general sort's in the wasm).
pub fn top_k(scored: Vec<(DocId, f32)>, k: usize) -> Vec<(DocId, f32)> {
    heap_top(scored.into_iter().map(Ranked), k).into_iter().map(|r| r.0).collect()
}

/// The papers `scored` (with a date key each: larger first) ordered by date, then best first,
/// then by id: the first `k`.
pub fn top_k_dated(scored: Vec<(DocId, f32, u32)>, k: usize) -> Vec<(DocId, f32, u32)> {
    heap_top(scored.into_iter().map(Dated), k).into_iter().map(|d| d.0).collect()
}

/// The `k` least of `items`: one pass that keeps the least so far in a max-heap of at most `k`.
fn heap_top<T: Ord>(items: impl ExactSizeIterator<Item = T>, k: usize) -> Vec<T> {
    let mut best: BinaryHeap<T> = BinaryHeap::with_capacity(k.min(items.len()));
    for item in items {
        if best.len() < k {
            best.push(item);
        } else if let Some(mut worst) = best.peek_mut() {
            if item < *worst {
                *worst = item;
            }
        }
    }
    best.into_sorted_vec()
}

/// A hit ordered by [`by_rank`]: the greatest is the worst, the top of a max-heap.
struct Ranked((DocId, f32));

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        by_rank(&self.0, &other.0)
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// A hit with a date key, ordered by date (larger first), then by [`by_rank`].
struct Dated((DocId, f32, u32));

impl Ord for Dated {
    fn cmp(&self, other: &Self) -> Ordering {
        let ((a, s, at), (b, t, bt)) = (self.0, other.0);
        bt.cmp(&at).then(by_rank(&(a, s), &(b, t)))
    }
}

impl PartialOrd for Dated {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Dated {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Dated {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bm25f_matches_a_hand_computed_case() {
        // N = 2, df = 1: idf = ln(1 + 1.5 / 1.5) = ln 2.
        // Title: tf 1, len 2, mean 2 → 2 · 1 / (1 − .5 + .5 · 1) = 2.
        // Abstract: tf 2, len 4, mean 3 → 1 · 2 / (1 − .75 + .75 · 4/3) = 2 / 1.25 = 1.6.
        // tf~ = 3.6; score = ln 2 · 3.6 / (1.2 + 3.6) = ln 2 · 0.75.
        let params = Params { k1: 1.2, weight: [2.0, 1.0, 1.0], b: [0.5, 0.75, 0.0] };
        let idf = idf(2, 1);
        assert!((idf - 2f32.ln()).abs() < 1e-6);
        let score = bm25f(&params, idf, [1, 2, 0], [2, 4, 3], [2.0, 3.0, 2.0]);
        assert!((score - 2f32.ln() * 0.75).abs() < 1e-6, "{score}");
    }

    #[test]
    fn an_empty_field_without_the_term_adds_nothing() {
        // At b = 1 an empty field's factor is infinite; a term it lacks must not turn that
        // into NaN.
        let params = Params { k1: 1.2, weight: [1.0, 1.0, 1.0], b: [1.0, 1.0, 1.0] };
        let factors = field_factors(&params, [0, 4, 0], [2.0, 4.0, 2.0]);
        assert!(factors[0].is_infinite());
        let score = bm25f_factored(params.k1, 1.0, [0, 1, 0], factors);
        assert!((score - 1.0 / 2.2).abs() < 1e-6, "{score}");
    }

    #[test]
    fn title_occurrence_outweighs_abstract_occurrence() {
        let p = Params::DEFAULT;
        let avg = [10.0, 150.0, 3.0];
        let in_title = bm25f(&p, 1.0, [1, 0, 0], [10, 150, 3], avg);
        let in_abstract = bm25f(&p, 1.0, [0, 1, 0], [10, 150, 3], avg);
        assert!(in_title > in_abstract);
    }

    #[test]
    fn rarer_terms_weigh_more() {
        assert!(idf(100, 1) > idf(100, 10));
        assert!(idf(100, 100) > 0.0);
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn top_k_is_the_head_of_the_whole_ranking(
            scores in proptest::collection::vec(0u8..8, 0..300),
            k in 0usize..40,
        ) {
            // Ids in no particular order (a bijection of 0..1009), scores with many ties.
            let scored: Vec<(DocId, f32)> =
                (0u32..).zip(&scores).map(|(i, &s)| ((i * 7919) % 1009, f32::from(s) / 2.0)).collect();
            let mut whole = scored.clone();
            whole.sort_by(by_rank);
            whole.truncate(k);
            proptest::prop_assert_eq!(top_k(scored, k), whole);
        }
    }

    #[test]
    fn dated_papers_come_latest_first_then_best_first() {
        let papers =
            vec![(1, 1.0, 2020 * 16), (2, 5.0, 2019 * 16), (3, 2.0, 2020 * 16), (4, 9.0, 0), (5, 2.0, 2020 * 16)];
        let order: Vec<DocId> = top_k_dated(papers.clone(), 10).iter().map(|p| p.0).collect();
        assert_eq!(order, [3, 5, 1, 2, 4]);
        assert_eq!(top_k_dated(papers, 2).iter().map(|p| p.0).collect::<Vec<_>>(), [3, 5]);
    }

    #[test]
    fn top_k_breaks_ties_by_id() {
        let scored = vec![(5, 1.0), (2, 3.0), (9, 1.0), (1, 1.0), (7, 2.0)];
        assert_eq!(top_k(scored.clone(), 3), [(2, 3.0), (7, 2.0), (1, 1.0)]);
        assert_eq!(top_k(scored.clone(), 10).len(), 5);
        assert!(top_k(scored, 0).is_empty());
    }
}
