//! Fusion of the two rankings: BM25F's best and the nearest vectors', each scaled to [0, 1]
//! ([`Scale`]), added with a weight, the best first.

use crate::index::DocId;
use crate::rank;

/// How many papers of each ranking take part.
pub const DEPTH: usize = 100;

/// How many of the fused best have their vectors' share computed again from the exact cosine
/// ([`rescore`]): chosen on SciFact's training queries with `./build.sh eval semantic codes`,
/// the fewest within 0.001 nDCG@10 of the best of 10, 20, 30 and 50 in both readings.
pub const RESCORED: usize = 30;

/// The papers nearest a query's vector, as fusion reads them: every paper's estimated cosine
/// from its one-bit code, the best first ([`crate::semantic::vectors::Codes::estimated`]),
/// and the exact cosine of one paper from its int8 vector, asked for the fused best
/// [`RESCORED`].
#[derive(Clone, Copy)]
pub struct Near<'a> {
    pub estimates: &'a [(DocId, f32)],
    pub exact: Exact<'a>,
}

/// Where the exact cosines of the fused best come from.
#[derive(Clone, Copy)]
pub enum Exact<'a> {
    /// From the index: the query's vector against the int8 vectors its text shards hold (a
    /// build with search by meaning), which a sharded build fetches as it fetches the hits' text.
    Stored(&'a [f32]),
    /// From the caller, for each paper (evaluation and tests, with vectors of their own).
    Given(&'a dyn Fn(DocId) -> f32),
}

impl<'a> Near<'a> {
    /// The same papers' exact cosines, with `estimates` in place of these.
    pub fn with(self, estimates: &'a [(DocId, f32)]) -> Near<'a> {
        Near { estimates, ..self }
    }
}

/// How one ranking's scores are brought to [0, 1] before they are added.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    /// Over the list itself: its best 1, its last 0 (a list of equal scores: all 1).
    MinMax,
    /// `s / max`: the best 1, the rest in proportion.
    Max,
    /// The score as it is (cosines).
    Raw,
    /// `s / (s + k)`: an absolute scale, so that a weak best match stays weak.
    Saturate(f32),
}

/// A way to fuse: how each ranking is scaled, and the vectors' weight (BM25F has 1 − it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fusion {
    pub lexical: Scale,
    pub semantic: Scale,
    pub weight: f32,
    /// BM25F's weight is scaled by the share of the query's words the corpus holds (as typed or
    /// as the beginning of its words, not only as a typo's correction): a query whose words the
    /// papers never use has only corrections to rank by, and they say little.
    pub by_held_words: bool,
    /// BM25F's weight is multiplied by the largest share of the query's words (clauses,
    /// typo corrections included) that one of its papers matches, to this power (0: not at
    /// all): a query whose words no paper holds together (`global warming projections`, each
    /// word in other senses) has BM25F papers that match it only in part, and the vectors
    /// know better.
    pub best_coverage: f32,
}

impl Fusion {
    /// Tuned on SciFact's training queries with `./build.sh eval semantic tune`, then frozen.
    /// Train does not separate the fusions at its top (`semantic finalists`: ten within 0.002
    /// nDCG@10); among them this one ranks the open set's short queries best.
    pub const DEFAULT: Fusion =
        Fusion { lexical: Scale::Max, semantic: Scale::Raw, weight: 0.5, by_held_words: true, best_coverage: 1.0 };
}

impl Scale {
    /// `s` scaled against a list whose scores run from `lo` to `hi`.
    fn apply(self, s: f32, lo: f32, hi: f32) -> f32 {
        match self {
            Scale::MinMax if hi > lo => (s - lo) / (hi - lo),
            Scale::MinMax => 1.0,
            Scale::Max if hi > 0.0 => s / hi,
            Scale::Max => 0.0,
            Scale::Raw => s,
            Scale::Saturate(k) => s.max(0.0) / (s.max(0.0) + k),
        }
    }
}

/// The lowest and the highest score of `list`.
fn bounds(list: &[(DocId, f32)]) -> (f32, f32) {
    let hi = list.iter().map(|&(_, s)| s).fold(f32::NEG_INFINITY, f32::max);
    let lo = list.iter().map(|&(_, s)| s).fold(f32::INFINITY, f32::min);
    (lo, hi)
}

fn scaled(list: &[(DocId, f32)], scale: Scale) -> Vec<(DocId, f32)> {
    let (lo, hi) = bounds(list);
    list.iter().map(|&(d, s)| (d, scale.apply(s, lo, hi))).collect()
}

/// What BM25F's matches say of how well the words of a query were found, which sets its
/// weight ([`Fusion::by_held_words`], [`Fusion::best_coverage`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    /// The share of the query's words the corpus holds other than as a typo's correction.
    pub held: f32,
    /// The largest share of the query's clauses that one of BM25F's best papers matches.
    pub covered: f32,
}

impl Evidence {
    /// Every word held, and held together by one paper.
    pub const FULL: Evidence = Evidence { held: 1.0, covered: 1.0 };
}

/// The fused ranking of `lexical` and `semantic` (each best first, at most [`DEPTH`] taken),
/// best first, ties by id; a paper absent from one list has 0 from it.
pub fn fuse(lexical: &[(DocId, f32)], semantic: &[(DocId, f32)], how: Fusion, evidence: Evidence) -> Vec<(DocId, f32)> {
    let lexical = &lexical[..lexical.len().min(DEPTH)];
    let semantic = &semantic[..semantic.len().min(DEPTH)];
    let lexical_weight = (1.0 - how.weight)
        * if how.by_held_words { evidence.held.clamp(0.0, 1.0) } else { 1.0 }
        * if how.best_coverage > 0.0 { evidence.covered.clamp(0.0, 1.0).powf(how.best_coverage) } else { 1.0 };
    let mut fused: Vec<(DocId, f32)> = Vec::with_capacity(lexical.len() + semantic.len());
    for (d, s) in scaled(lexical, how.lexical) {
        fused.push((d, lexical_weight * s));
    }
    for (d, s) in scaled(semantic, how.semantic) {
        match fused.iter_mut().find(|(e, _)| *e == d) {
            Some(entry) => entry.1 += how.weight * s,
            None => fused.push((d, how.weight * s)),
        }
    }
    let n = fused.len();
    rank::top_k(fused, n)
}

/// The first [`RESCORED`] of `fused` (as [`fuse`] made it from `semantic`) with the vectors'
/// share computed from `exact` cosines in place of `semantic`'s estimates (a paper absent from
/// it gains its share), and put in order again; the rest as they were. The estimates choose
/// which papers reach the top, the exact cosines their order: what one-bit codes lose of the
/// vectors' ranking is mostly won back (`./build.sh eval semantic codes`).
pub fn rescore(fused: &mut [(DocId, f32)], semantic: &[(DocId, f32)], how: Fusion, exact: &dyn Fn(DocId) -> f32) {
    let semantic = &semantic[..semantic.len().min(DEPTH)];
    let (lo, hi) = bounds(semantic);
    let before = scaled(semantic, how.semantic);
    let best = RESCORED.min(fused.len());
    for entry in &mut fused[..best] {
        let was = before.iter().find(|(d, _)| *d == entry.0).map_or(0.0, |&(_, s)| s);
        let now = how.semantic.apply(exact(entry.0), lo, hi);
        entry.1 += how.weight * (now - was);
    }
    let ordered = rank::top_k(fused[..best].to_vec(), best);
    fused[..best].copy_from_slice(&ordered);
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVEN: Fusion = Fusion { weight: 0.5, lexical: Scale::MinMax, semantic: Scale::MinMax, ..Fusion::DEFAULT };

    #[test]
    fn a_paper_both_rankings_like_wins() {
        let lexical = [(1, 9.0), (2, 5.0), (3, 1.0)];
        let semantic = [(4, 0.8), (2, 0.7), (5, 0.1)];
        let fused = fuse(&lexical, &semantic, EVEN, Evidence::FULL);
        let ids: Vec<_> = fused.iter().map(|f| f.0).collect();
        assert_eq!(ids, vec![2, 1, 4, 3, 5]);
    }

    #[test]
    fn the_weight_picks_the_ranking() {
        let lexical = [(1, 9.0), (2, 5.0)];
        let semantic = [(2, 0.9), (1, 0.1)];
        assert_eq!(fuse(&lexical, &semantic, Fusion { weight: 0.0, ..EVEN }, Evidence::FULL)[0].0, 1);
        assert_eq!(fuse(&lexical, &semantic, Fusion { weight: 1.0, ..EVEN }, Evidence::FULL)[0].0, 2);
        assert_eq!(fuse(&[], &semantic, Fusion::DEFAULT, Evidence::FULL)[0].0, 2, "no lexical hit: the vectors' order");
    }

    #[test]
    fn rescoring_orders_the_best_by_their_exact_cosines_and_leaves_the_rest() {
        let lexical = [(1, 9.0), (2, 9.0)];
        // The estimates favour 3; the exact cosines favour 2, and give 9 (no estimate) a share.
        let semantic = [(3, 0.6), (2, 0.5), (1, 0.1)];
        let exact = |d: DocId| match d {
            2 => 0.9,
            3 => 0.2,
            9 => 0.7,
            _ => 0.1,
        };
        let mut fused = fuse(&lexical, &semantic, Fusion::DEFAULT, Evidence::FULL);
        assert_eq!(fused.iter().map(|f| f.0).collect::<Vec<_>>(), vec![2, 1, 3]);
        fused.push((9, 0.0));
        rescore(&mut fused, &semantic, Fusion::DEFAULT, &exact);
        let w = Fusion::DEFAULT.weight;
        assert_eq!(fused[0], (2, (1.0 - w) + w * 0.9));
        assert_eq!(fused.iter().map(|f| f.0).collect::<Vec<_>>(), vec![2, 1, 9, 3]);
        assert!((fused[2].1 - w * 0.7).abs() < 1e-6);
        let mut many: Vec<(DocId, f32)> = (0..RESCORED as DocId + 5).map(|d| (d, 100.0 - d as f32)).collect();
        let tail = many[RESCORED..].to_vec();
        rescore(&mut many, &[], Fusion::DEFAULT, &|_| 1.0);
        assert_eq!(many[RESCORED..], tail[..], "past the first RESCORED, nothing moves");
    }

    #[test]
    fn a_saturating_scale_keeps_a_weak_best_match_weak() {
        let weak = [(1, 0.5)];
        let strong = [(1, 20.0)];
        let semantic = [(2, 0.6), (1, 0.2)];
        let how = Fusion {
            lexical: Scale::Saturate(5.0),
            semantic: Scale::Raw,
            weight: 0.5,
            by_held_words: false,
            ..Fusion::DEFAULT
        };
        assert_eq!(fuse(&weak, &semantic, how, Evidence::FULL)[0].0, 2);
        assert_eq!(fuse(&strong, &semantic, how, Evidence::FULL)[0].0, 1);
    }

    #[test]
    fn words_the_corpus_lacks_weaken_bm25f() {
        let lexical = [(1, 9.0)];
        let semantic = [(2, 0.5), (1, 0.1)];
        let how =
            Fusion { lexical: Scale::Max, semantic: Scale::Raw, weight: 0.5, by_held_words: true, ..Fusion::DEFAULT };
        assert_eq!(fuse(&lexical, &semantic, how, Evidence::FULL)[0].0, 1, "every word held: BM25F as usual");
        assert_eq!(
            fuse(&lexical, &semantic, how, Evidence { held: 0.0, covered: 1.0 })[0].0,
            2,
            "no word held: the vectors decide"
        );
        assert_eq!(
            fuse(&lexical, &semantic, Fusion { by_held_words: false, ..how }, Evidence { held: 0.0, covered: 1.0 })[0]
                .0,
            1
        );
    }

    #[test]
    fn words_no_paper_holds_together_weaken_bm25f() {
        let lexical = [(1, 9.0)];
        let semantic = [(2, 0.5), (1, 0.1)];
        let how = Fusion { weight: 0.5, by_held_words: false, best_coverage: 1.0, ..Fusion::DEFAULT };
        let apart = Evidence { held: 1.0, covered: 1.0 / 3.0 };
        assert_eq!(fuse(&lexical, &semantic, how, Evidence::FULL)[0].0, 1, "one paper holds every word");
        assert_eq!(fuse(&lexical, &semantic, how, apart)[0].0, 2, "no paper holds more than a third of them");
        assert_eq!(fuse(&lexical, &semantic, Fusion { best_coverage: 0.0, ..how }, apart)[0].0, 1);
    }
}
