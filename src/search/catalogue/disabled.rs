//! A corpus of plain papers: no year, venue, kind, author or identifier to filter, count, sort
//! or look up by. What the full code would answer on it, with none of that code.

use crate::index::{DocId, Facts, TermOrd, View};
use crate::query::Query;
use crate::rank;

use super::super::facets::{Facets, Groups};
use super::super::filter::Filters;

/// A search's filters, on a corpus no filter can pass a paper of.
pub(in crate::search) struct Filter {
    filtering: bool,
}

impl Filter {
    pub fn new(_: &View, query: &Query, filters: &Filters) -> Filter {
        Filter { filtering: query.filters() || !filters.is_empty() }
    }

    pub fn any(&self) -> bool {
        self.filtering
    }

    /// Every group a filter names, for every paper: none has a value to pass it.
    pub fn fails(&self, _: &Facts, _: DocId) -> u8 {
        if self.filtering {
            0b1111
        } else {
            0
        }
    }
}

/// No group to count.
pub(in crate::search) fn count(
    _: &View,
    _: &[DocId],
    _: &[u8],
    _: &Filter,
    _: Groups,
    _: &mut Vec<(u32, DocId)>,
) -> Facets {
    Facets::default()
}

/// No dates: the best first.
pub(in crate::search) fn dated(
    _: &Facts,
    papers: impl Iterator<Item = (DocId, f32)>,
    _newest: bool,
    limit: usize,
) -> Vec<(DocId, f32)> {
    rank::top_k(papers.collect(), limit)
}

/// No identifiers.
pub(in crate::search) fn identified(_: &View, _: &str) -> Option<TermOrd> {
    None
}
