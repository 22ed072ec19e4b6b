//! Filters compiled against the index: a paper fails a set of groups (see `search::filter` for
//! what each value matches).

use std::cell::RefCell;
use std::ops::RangeInclusive;

use crate::analyze;
use crate::corpus::KINDS;
use crate::index::{DocId, Facts, View};
use crate::query::Query;

use super::super::filter::Filters;

/// The groups a paper can fail, as bits of [`Filter::fails`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::search) enum Group {
    Year = 0,
    Venue = 1,
    Kind = 2,
    Author = 3,
}

impl Group {
    pub fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A search's filters, compiled against the index.
pub(in crate::search) struct Filter {
    years: Option<RangeInclusive<u16>>,
    /// Per venue number (0: none), whether it passes; empty without a venue filter.
    venues: Vec<bool>,
    /// Per kind (0: none, then `KINDS`), whether it passes; empty without a kind filter.
    kinds: Vec<bool>,
    /// The caller's author values, and the query's, each as its folded words; empty without.
    authors: Vec<Vec<Vec<String>>>,
    /// Per author number, 0 when not yet judged, else 1 (passes) or 2 (fails).
    judged: RefCell<Vec<u8>>,
    /// What the caller asked for, to show among the counts.
    pub asked: Filters,
}

/// The folded words of a name, a venue or a value for them.
pub(in crate::search) fn folded(text: &str) -> Vec<String> {
    analyze::words(text).into_iter().filter(|w| !w.joined).map(|w| w.text).collect()
}

/// Whether a name or venue (its folded words) has all the words of one of `values`.
fn has_any(words: &[String], values: &[Vec<String>]) -> bool {
    values.iter().any(|v| !v.is_empty() && v.iter().all(|w| words.contains(w)))
}

impl Filter {
    pub fn new(ix: &View, query: &Query, filters: &Filters) -> Filter {
        let years = match (&query.years, &filters.years) {
            (Some(a), Some(b)) => Some(*a.start().max(b.start())..=*a.end().min(b.end())),
            (a, b) => a.clone().or_else(|| b.clone()),
        };
        let lists = |asked: &[String], typed: &[String]| -> Vec<Vec<Vec<String>>> {
            [asked, typed]
                .into_iter()
                .filter(|l| !l.is_empty())
                .map(|l| l.iter().map(|v| folded(v)).collect())
                .collect()
        };
        let venue_lists = lists(&filters.venues, &query.venues);
        let venues = if venue_lists.is_empty() {
            Vec::new()
        } else {
            let mut pass = vec![false];
            for id in 1..=ix.venue_count() as u32 {
                let words = folded(ix.venue_name(id).unwrap_or(""));
                pass.push(venue_lists.iter().all(|values| has_any(&words, values)));
            }
            pass
        };
        let kind_lists: Vec<&[String]> =
            [&filters.kinds[..], &query.kinds[..]].into_iter().filter(|l| !l.is_empty()).collect();
        let kinds = if kind_lists.is_empty() {
            Vec::new()
        } else {
            let named = |kind: &str| kind_lists.iter().all(|l| l.iter().any(|v| v.trim().eq_ignore_ascii_case(kind)));
            std::iter::once(false).chain(KINDS.iter().map(|k| named(k))).collect()
        };
        Filter {
            years,
            venues,
            kinds,
            authors: lists(&filters.authors, &[]),
            judged: RefCell::default(),
            asked: filters.clone(),
        }
    }

    /// Whether the search filters by anything.
    pub fn any(&self) -> bool {
        self.years.is_some() || !self.venues.is_empty() || !self.kinds.is_empty() || !self.authors.is_empty()
    }

    /// Whether the search filters by author: its papers' authors must be at hand.
    pub fn by_author(&self) -> bool {
        !self.authors.is_empty()
    }

    /// The groups paper `doc` fails, as [`Group::bit`]s (0: it passes them all). An author
    /// filter reads the paper's facets shard, which a sharded view notes when it lacks it.
    pub fn fails(&self, facts: &Facts, doc: DocId) -> u8 {
        let mut out = 0;
        if let Some(years) = &self.years {
            if !facts.year(doc).is_some_and(|y| years.contains(&y)) {
                out |= Group::Year.bit();
            }
        }
        if !self.venues.is_empty() && !self.venues.get(facts.venue_id(doc) as usize).copied().unwrap_or(false) {
            out |= Group::Venue.bit();
        }
        if !self.kinds.is_empty() && !self.kinds.get(facts.kind_code(doc)).copied().unwrap_or(false) {
            out |= Group::Kind.bit();
        }
        if self.by_author() && !self.author_passes(facts, doc) {
            out |= Group::Author.bit();
        }
        out
    }

    /// Whether one of paper `doc`'s authors matches the author filter.
    fn author_passes(&self, facts: &Facts, doc: DocId) -> bool {
        let Some((ids, names)) = facts.authors(doc) else { return false };
        let mut judged = self.judged.borrow_mut();
        ids.iter().any(|&id| {
            let i = id as usize;
            if judged.len() <= i {
                judged.resize(i + 1, 0);
            }
            if judged[i] == 0 {
                let pass = names.get(id).is_some_and(|n| self.authors.iter().all(|values| has_any(&folded(n), values)));
                judged[i] = if pass { 1 } else { 2 };
            }
            judged[i] == 1
        })
    }

    /// Whether a venue (its number) is one the caller's filter names.
    pub fn names_venue(&self, id: u32) -> bool {
        !self.asked.venues.is_empty() && self.venues.get(id as usize).copied().unwrap_or(false)
    }

    /// Whether an author (a name) is one the caller's filter names.
    pub fn names_author(&self, name: &str) -> bool {
        !self.asked.authors.is_empty() && has_any(&folded(name), &self.authors[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_matches_a_name_that_has_all_its_words_in_any_case_or_accent() {
        let values = vec![folded("Schrodinger"), folded("van gool")];
        assert!(has_any(&folded("Erwin Schrödinger"), &values));
        assert!(has_any(&folded("Luc Van Gool"), &values));
        assert!(!has_any(&folded("Luc Gool"), &values));
        assert!(!has_any(&folded("Anyone"), &[folded("  ")]));
    }
}
