//! Fusion in a module without search by meaning: nothing to keep, nothing to compute.

use crate::index::{DocId, View};
use crate::query::Query;
use crate::rank;
use crate::semantic::fuse::Near;

use super::super::plan::ClausePlan;

/// What fusion would read of a query: nothing, here.
#[derive(Debug, Clone)]
pub(in crate::search) struct Shape {}

impl Shape {
    #[inline]
    pub fn new(_: &Query, _: &[ClausePlan], _: Cover, _filtered: bool) -> Shape {
        Shape {}
    }
}

/// No papers but the matches: nothing is near without search by meaning.
#[inline]
pub(in crate::search) fn others(_: &Shape, _: &[(DocId, f32)], _: Option<Near<'_>>) -> Vec<DocId> {
    Vec::new()
}

/// BM25F's best `limit`.
#[inline]
pub(in crate::search) fn rank(
    _: &View,
    matches: Vec<(DocId, f32)>,
    _: Shape,
    _: Option<Near<'_>>,
    limit: usize,
) -> Vec<(DocId, f32)> {
    rank::top_k(matches, limit)
}

/// Per paper, the clauses it matches: not counted, here.
#[derive(Debug, Clone, Default)]
pub(in crate::search) struct Cover {}

impl Cover {
    #[inline]
    pub fn start(&mut self, _papers: usize, _clauses: usize) {}

    #[inline]
    pub fn matched(&mut self, _paper: usize) {}
}
