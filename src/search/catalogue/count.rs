//! Counting each group's values over a search's papers (see `search::facets` for what is
//! counted).

use crate::corpus::KINDS;
use crate::index::{DocId, View};
use crate::rank;

use super::super::facets::{Count, Facets, Groups, TOP_VALUES};
use super::filter::{folded, Filter, Group};

/// The counts over `papers` (a search's papers before its filters, each with the groups it
/// fails), of the groups in `groups`. Reads the facets shards of the papers that count for
/// authors.
///
/// `authors` is a scratch table, per author number, of its count and a paper that has it:
/// all zeros, and left so (it is kept from search to search, so that a search does not clear
/// a table of every author of a large corpus).
pub(in crate::search) fn count(
    ix: &View,
    papers: &[DocId],
    fails: &[u8],
    filter: &Filter,
    groups: Groups,
    authors: &mut Vec<(u32, DocId)>,
) -> Facets {
    let facts = ix.facts();
    let counts_for = |g: Group, fails: u8| fails & !g.bit() == 0;
    let mut years: Vec<u32> = Vec::new();
    let mut first_year = u16::MAX;
    let mut venues = vec![0u32; ix.venue_count() + 1];
    let mut kinds = vec![0u32; KINDS.len() + 1];
    // The author numbers counted, in the order met.
    let mut met: Vec<u32> = Vec::new();
    if groups.years {
        let present: Vec<u16> = papers
            .iter()
            .zip(fails)
            .filter(|(_, &f)| counts_for(Group::Year, f))
            .filter_map(|(&d, _)| facts.year(d))
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
            if let Some(c) = venues.get_mut(facts.venue_id(doc) as usize) {
                *c += 1;
            }
        }
        if groups.kinds && counts_for(Group::Kind, f) {
            if let Some(c) = kinds.get_mut(facts.kind_code(doc)) {
                *c += 1;
            }
        }
        if groups.authors && counts_for(Group::Author, f) {
            for &id in facts.authors(doc).map_or(&[][..], |(ids, _)| ids) {
                let i = id as usize;
                if i >= authors.len() {
                    authors.resize(i + 1, (0, 0));
                }
                let author = &mut authors[i];
                if author.0 == 0 {
                    author.1 = doc;
                    met.push(id);
                }
                author.0 += 1;
            }
        }
    }
    let author_name = |id: u32| -> Option<String> {
        let doc = authors.get(id as usize)?.1;
        facts.authors(doc)?.1.get(id).map(String::from)
    };
    let all = |counts: &[u32]| -> Vec<u32> { (1..counts.len() as u32).filter(|&i| counts[i as usize] > 0).collect() };
    let in_list = |counts: &[u32]| {
        let counts = counts.to_vec();
        move |id: u32| counts.get(id as usize).copied().unwrap_or(0)
    };
    let facets = Facets {
        year: groups.years.then(|| {
            let by_year = years.iter().zip(first_year..);
            by_year.filter(|(&c, _)| c > 0).map(|(&count, value)| Count { value, count }).collect()
        }),
        venue: groups.venues.then(|| {
            let asked: Vec<u32> = (1..venues.len() as u32).filter(|&id| filter.names_venue(id)).collect();
            let name = |id: u32| ix.venue_name(id).map(String::from);
            largest(in_list(&venues), &all(&venues), &asked, name, &filter.asked.venues)
        }),
        kind: groups.kinds.then(|| {
            let name = |id: u32| KINDS.get((id as usize).checked_sub(1)?).map(|k| k.to_string());
            let asked: Vec<u32> = (1..kinds.len() as u32)
                .filter(|&id| {
                    KINDS
                        .get(id as usize - 1)
                        .is_some_and(|k| filter.asked.kinds.iter().any(|v| v.trim().eq_ignore_ascii_case(k)))
                })
                .collect();
            largest(in_list(&kinds), &all(&kinds), &asked, name, &[])
        }),
        author: groups.authors.then(|| {
            let asked: Vec<u32> = if filter.asked.authors.is_empty() {
                Vec::new()
            } else {
                met.iter().copied().filter(|&id| author_name(id).is_some_and(|n| filter.names_author(&n))).collect()
            };
            let count = |id: u32| authors.get(id as usize).map_or(0, |a| a.0);
            largest(count, &met, &asked, author_name, &filter.asked.authors)
        }),
    };
    for &id in &met {
        authors[id as usize] = (0, 0);
    }
    facets
}

/// The [`TOP_VALUES`] largest counts of `count` (by value number; `ids`: the numbers with a
/// count), and those of `asked`, largest first; each of `values` that named none is listed
/// with 0.
fn largest(
    count: impl Fn(u32) -> u32,
    ids: &[u32],
    asked: &[u32],
    name: impl Fn(u32) -> Option<String>,
    values: &[String],
) -> Vec<Count<String>> {
    // Only the values whose count reaches the largest counts' least can be among them: found
    // from how many values have each count, so that the heap sees few.
    let mut have: Vec<u32> = Vec::new();
    for &id in ids {
        let c = count(id) as usize;
        if c >= have.len() {
            have.resize(c + 1, 0);
        }
        have[c] += 1;
    }
    let (mut least, mut seen) = (have.len(), 0);
    while least > 0 && seen < TOP_VALUES as u32 {
        least -= 1;
        seen += have[least];
    }
    let present: Vec<(DocId, f32)> =
        ids.iter().filter(|&&id| count(id) as usize >= least).map(|&id| (id, count(id) as f32)).collect();
    let mut picked = rank::top_k(present, TOP_VALUES);
    for &id in asked {
        if !picked.iter().any(|&(p, _)| p == id) {
            picked.push((id, count(id) as f32));
        }
    }
    let mut out: Vec<Count<String>> =
        picked.into_iter().filter_map(|(id, c)| Some(Count { value: name(id)?, count: c as u32 })).collect();
    let folded = |s: &str| folded(s);
    for value in values {
        let words = folded(value);
        if !out.iter().any(|c| words.iter().all(|w| folded(&c.value).contains(w))) {
            out.push(Count { value: value.clone(), count: 0 });
        }
    }
    out
}
