//! Fusion in a module without search by meaning: nothing to keep, nothing to compute.

use crate::query::Query;

use super::super::plan::ClausePlan;

/// What fusion would read of a query: nothing, here.
#[derive(Debug, Clone)]
pub(in crate::search) struct Shape {}

impl Shape {
    #[inline]
    pub fn new(_: &Query, _: &[ClausePlan], _: Cover) -> Shape {
        Shape {}
    }
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
