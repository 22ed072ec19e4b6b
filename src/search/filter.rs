//! Filtering: which papers a search narrows to, by year, venue, kind of work and author.
//!
//! Values of one group are alternatives (a paper of any of the venues passes); groups must all
//! pass. A group's values come from the caller's [`Filters`] and from the query language
//! (`year:`, `venue:`, `type:`), and a paper must satisfy both where both say something, so
//! that `year:2019-2022 venue:neurips` is the same search as the filters `{ year: 2019 to 2022,
//! venue: ['NeurIPS'] }`. A venue or an author matches a value when its words, folded as the
//! analyzer folds them, include all the value's (`neurips` matches `NeurIPS`, `schrodinger`
//! matches `Erwin Schrödinger`); a kind of work matches its name, in any case.
//!
//! The filters are compiled once per search against the index (`catalogue`): the venues and
//! kinds that pass are worked out once, an author's verdict once per author. Years, venues and
//! kinds are in the docs part, always at hand; authors are in the facets parts, which a sharded
//! build fetches (an author filter costs a search one more round of fetching).

use std::ops::RangeInclusive;

/// What a search narrows to, besides its query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Only papers of these years (a paper with no year is left out).
    pub years: Option<RangeInclusive<u16>>,
    /// Only papers whose venue has the words of one of these.
    pub venues: Vec<String>,
    /// Only papers of one of these kinds of work (`article`, `conference paper`, ...).
    pub kinds: Vec<String>,
    /// Only papers with an author whose name has the words of one of these.
    pub authors: Vec<String>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.years.is_none() && self.venues.is_empty() && self.kinds.is_empty() && self.authors.is_empty()
    }
}

/// The order of the results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Latest year (and month) first; papers with no year last.
    Newest,
    /// Earliest first; papers with no year last.
    Oldest,
}
