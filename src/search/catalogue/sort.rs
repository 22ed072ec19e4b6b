//! The sort by date: newest or oldest first, papers with no year last, equal dates best first.

use crate::index::{DocId, Facts};
use crate::rank;

/// The first `limit` of `papers` (with their scores) by date: by year and month, newest
/// first or else oldest first; papers with no year last; equal dates best first, then by id.
pub(in crate::search) fn dated(
    facts: &Facts,
    papers: impl Iterator<Item = (DocId, f32)>,
    newest: bool,
    limit: usize,
) -> Vec<(DocId, f32)> {
    let dated = papers.map(|(doc, score)| {
        let date = facts.year(doc).map_or(0, |y| {
            let at = u32::from(y) * 16 + u32::from(facts.month(doc).unwrap_or(0));
            if newest {
                at
            } else {
                u32::MAX - at
            }
        });
        (doc, score, date)
    });
    rank::top_k_dated(dated.collect(), limit).into_iter().map(|(d, s, _)| (d, s)).collect()
}
