//! Facet counts: how many of a search's papers each year, venue, kind of work and author has,
//! as a filter panel shows them.
//!
//! Counts are disjunctive: a group's counts are over the papers that match the query and every
//! *other* group's filter, so that choosing one venue does not hide the others' counts. Years:
//! every year with a paper, in order. Other groups: the [`TOP_VALUES`] largest (ties in the
//! order of the values' numbers: a venue's first appearance, an author's number of papers),
//! with the values the caller's filter names always among them.

use serde::Serialize;

use crate::corpus::KINDS;
use crate::index::{DocId, View};
use crate::rank;

use super::filter::{Filter, Group};

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

/// The groups a corpus has values for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Groups {
    pub years: bool,
    pub venues: bool,
    pub kinds: bool,
    pub authors: bool,
}

impl Groups {
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

/// The counts over `papers` (a search's papers before its filters, each with the groups it
/// fails), of the groups in `groups`. Reads the facets shards of the papers that count for
/// authors.
pub(super) fn count(ix: &View, papers: &[DocId], fails: &[u8], filter: &Filter, groups: Groups) -> Facets {
    let counts_for = |g: Group, fails: u8| fails & !g.bit() == 0;
    let mut years: Vec<u32> = Vec::new();
    let mut first_year = u16::MAX;
    let mut venues = vec![0u32; ix.venue_count() + 1];
    let mut kinds = vec![0u32; KINDS.len() + 1];
    let mut authors: Vec<u32> = Vec::new();
    // Per author number, a paper that has it (to name it by): the first counted.
    let mut named_by: Vec<DocId> = Vec::new();
    if groups.years {
        let present: Vec<u16> = papers
            .iter()
            .zip(fails)
            .filter(|(_, &f)| counts_for(Group::Year, f))
            .filter_map(|(&d, _)| ix.year(d))
            .collect();
        first_year = present.iter().copied().min().unwrap_or(0);
        let last = present.iter().copied().max().unwrap_or(0);
        years = vec![0; usize::from(last.saturating_sub(first_year)) + 1];
        for y in present {
            years[usize::from(y - first_year)] += 1;
        }
    }
    for (&doc, &f) in papers.iter().zip(fails) {
        if groups.venues && counts_for(Group::Venue, f) {
            venues[ix.venue_id(doc) as usize] += 1;
        }
        if groups.kinds && counts_for(Group::Kind, f) {
            let code = ix.kind(doc).and_then(|k| KINDS.iter().position(|&x| x == k)).map_or(0, |i| i + 1);
            kinds[code] += 1;
        }
        if groups.authors && counts_for(Group::Author, f) {
            for &id in ix.authors_of(doc).map_or(&[][..], |(ids, _)| ids) {
                let i = id as usize;
                if authors.len() <= i {
                    authors.resize(i + 1, 0);
                    named_by.resize(i + 1, DocId::MAX);
                }
                authors[i] += 1;
                if named_by[i] == DocId::MAX {
                    named_by[i] = doc;
                }
            }
        }
    }
    let author_name = |id: u32| -> Option<String> {
        let doc = *named_by.get(id as usize)?;
        ix.authors_of(doc)?.1.get(id).map(String::from)
    };
    Facets {
        year: groups.years.then(|| {
            let by_year = years.iter().zip(first_year..);
            by_year.filter(|(&c, _)| c > 0).map(|(&count, value)| Count { value, count }).collect()
        }),
        venue: groups.venues.then(|| {
            let name = |id: u32| ix.venue_name(id).map(String::from);
            largest(&venues, |id| filter.names_venue(id), name, &filter.asked.venues)
        }),
        kind: groups.kinds.then(|| {
            let name = |id: u32| KINDS.get((id as usize).checked_sub(1)?).map(|k| k.to_string());
            let asked = |id: u32| {
                KINDS
                    .get((id as usize).wrapping_sub(1))
                    .is_some_and(|k| filter.asked.kinds.iter().any(|v| v.trim().eq_ignore_ascii_case(k)))
            };
            largest(&kinds, asked, name, &[])
        }),
        author: groups.authors.then(|| {
            let asked =
                |id: u32| !filter.asked.authors.is_empty() && author_name(id).is_some_and(|n| filter.names_author(&n));
            largest(&authors, asked, author_name, &filter.asked.authors)
        }),
    }
}

/// The [`TOP_VALUES`] largest counts of `counts` (by value number, from 1; 0 is "none"), and
/// those `asked` names, largest first; each of `values` that named none is listed with 0.
fn largest(
    counts: &[u32],
    asked: impl Fn(u32) -> bool,
    name: impl Fn(u32) -> Option<String>,
    values: &[String],
) -> Vec<Count<String>> {
    let present: Vec<(DocId, f32)> =
        counts.iter().enumerate().skip(1).filter(|(_, &c)| c > 0).map(|(id, &c)| (id as DocId, c as f32)).collect();
    let mut picked = rank::top_k(present, TOP_VALUES);
    for id in (1..counts.len() as u32).filter(|&id| asked(id)) {
        if !picked.iter().any(|&(p, _)| p == id) {
            picked.push((id, counts[id as usize] as f32));
        }
    }
    let mut out: Vec<Count<String>> =
        picked.into_iter().filter_map(|(id, c)| Some(Count { value: name(id)?, count: c as u32 })).collect();
    let folded = |s: &str| super::filter::folded(s);
    for value in values {
        let words = folded(value);
        if !out.iter().any(|c| words.iter().all(|w| folded(&c.value).contains(w))) {
            out.push(Count { value: value.clone(), count: 0 });
        }
    }
    out
}
