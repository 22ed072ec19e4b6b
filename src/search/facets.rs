//! Facet counts: how many of a search's papers each year, venue, kind of work and author has,
//! as a filter panel shows them.
//!
//! Counts are disjunctive: a group's counts are over the papers that match the query and every
//! *other* group's filter, so that choosing one venue does not hide the others' counts. Years:
//! every year with a paper, in order. Other groups: the [`TOP_VALUES`] largest (ties in the
//! order of the values' numbers: a venue's first appearance, an author's number of papers),
//! with the values the caller's filter names always among them.

use serde::Serialize;

use crate::index::View;

/// How many values of a group (but years) the counts list at most, besides those a filter
/// names.
pub const TOP_VALUES: usize = 20;

/// One value of a group and how many papers have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count<T> {
    pub value: T,
    pub count: u32,
}

/// The counts of each group the corpus has (a corpus with no venues has no `venue`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<Vec<Count<u16>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub venue: Option<Vec<Count<String>>>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<Vec<Count<String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<Vec<Count<String>>>,
}

/// Facet groups: those a corpus has values for, or those a search counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Groups {
    pub years: bool,
    pub venues: bool,
    pub kinds: bool,
    pub authors: bool,
}

impl Groups {
    pub const ALL: Groups = Groups { years: true, venues: true, kinds: true, authors: true };
    pub const NONE: Groups = Groups { years: false, venues: false, kinds: false, authors: false };

    /// The groups both count.
    pub fn and(self, other: Groups) -> Groups {
        Groups {
            years: self.years && other.years,
            venues: self.venues && other.venues,
            kinds: self.kinds && other.kinds,
            authors: self.authors && other.authors,
        }
    }

    pub fn any(self) -> bool {
        self.years || self.venues || self.kinds || self.authors
    }

    /// The groups' names, as the API spells them: `year`, `venue`, `type`, `author`.
    pub fn names(self) -> Vec<&'static str> {
        [(self.years, "year"), (self.venues, "venue"), (self.kinds, "type"), (self.authors, "author")]
            .into_iter()
            .filter_map(|(has, name)| has.then_some(name))
            .collect()
    }

    /// What the docs part says the corpus has (none while it is not at hand).
    pub fn of(ix: &View) -> Groups {
        let n = ix.doc_count();
        Groups {
            years: (0..n).any(|d| ix.year(d).is_some()),
            venues: ix.venue_count() > 0,
            kinds: (0..n).any(|d| ix.kind(d).is_some()),
            authors: ix.author_count() > 0,
        }
    }
}
