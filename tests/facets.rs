//! Filters, sorts and facet counts against brute force: on any small catalogue (papers with
//! years, months, venues, kinds of work and authors, some without), any query of its words with
//! any filters finds exactly the papers of the unfiltered search that pass every filter, and
//! each group's counts equal a count, paper by paper, over the search without that group's
//! filter.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

mod common;

use common::catalogue::{drawn, filters, paper, WORDS};
use paper_search::corpus::Paper;
use paper_search::index::{self, Index};
use paper_search::search::{Count, Filters, Groups, PaperRecord, SearchOptions, Searcher, Sort, TOP_VALUES};
use proptest::prelude::*;
use proptest::sample::Index as Pick;

/// Whether a paper's record passes every group of `filters` but `skip` (a group's name).
fn passes(r: &PaperRecord, f: &Filters, skip: &str) -> bool {
    let fold = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .replace('ö', "o")
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect()
    };
    let has = |name: &str, value: &str| {
        let words = fold(name);
        fold(value).iter().all(|w| words.contains(w))
    };
    let year = skip == "year" || f.years.as_ref().is_none_or(|y| r.year.is_some_and(|v| y.contains(&v)));
    let venue = skip == "venue"
        || f.venues.is_empty()
        || r.venue.as_deref().is_some_and(|v| f.venues.iter().any(|x| has(v, x)));
    let kind =
        skip == "type" || f.kinds.is_empty() || r.kind.as_deref().is_some_and(|k| f.kinds.iter().any(|x| x == k));
    let author =
        skip == "author" || f.authors.is_empty() || r.authors.iter().any(|a| f.authors.iter().any(|x| has(a, x)));
    year && venue && kind && author
}

/// A group's counts, as brute force over the records of `papers`.
fn tally(records: &[PaperRecord], group: &str) -> BTreeMap<String, u32> {
    let mut out = BTreeMap::new();
    for r in records {
        let values: Vec<String> = match group {
            "year" => r.year.map(|y| y.to_string()).into_iter().collect(),
            "venue" => r.venue.clone().into_iter().collect(),
            "type" => r.kind.clone().into_iter().collect(),
            _ => r.authors.clone(),
        };
        for v in values {
            *out.entry(v).or_default() += 1;
        }
    }
    out
}

/// The listed counts of a group hold the brute-force counts; the listed values (but those a
/// filter names) are the largest ones.
fn check_group<T: ToString>(listed: &[Count<T>], truth: &BTreeMap<String, u32>, all_listed: bool, group: &str) {
    let got: Vec<(String, u32)> = listed.iter().map(|c| (c.value.to_string(), c.count)).collect();
    for (value, count) in &got {
        assert_eq!(truth.get(value).copied().unwrap_or(0), *count, "{group} {value}: {got:?} against {truth:?}");
    }
    if all_listed {
        let present: Vec<(String, u32)> = truth.iter().map(|(v, &c)| (v.clone(), c)).collect();
        assert_eq!(got, present, "{group}");
        return;
    }
    // Fewer values than the list holds: every one is listed, largest first.
    assert!(truth.len() <= TOP_VALUES);
    let missing: Vec<_> = truth.keys().filter(|v| !got.iter().any(|g| &g.0 == *v)).collect();
    assert!(missing.is_empty(), "{group}: values not listed: {missing:?} in {got:?}");
    assert!(got.windows(2).all(|w| w[0].1 >= w[1].1 || w[1].1 == 0), "{group}: not largest first: {got:?}");
}

fn records(s: &Searcher, q: &str, filters: &Filters) -> Vec<PaperRecord> {
    let found = s.search(q, &SearchOptions { limit: 1000, filters: filters.clone(), ..SearchOptions::default() });
    found.hits.iter().map(|h| s.paper(h.id).unwrap()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn filters_and_facet_counts_equal_brute_force(
        docs in proptest::collection::vec(drawn(), 1..30),
        query in proptest::collection::vec(any::<Pick>(), 0..3),
        filters in filters(),
        sort in 0u8..3,
    ) {
        let papers: Vec<Paper> = docs.iter().map(paper).collect();
        let bytes = index::build(&papers).unwrap();
        let s = Searcher::new(Index::open(&bytes).unwrap());
        let q = query.iter().map(|w| *w.get(WORDS)).collect::<Vec<_>>().join(" ") + " ";
        let sort = [Sort::Relevance, Sort::Newest, Sort::Oldest][usize::from(sort)];
        let options = SearchOptions { limit: 1000, filters: filters.clone(), sort, facets: Groups::ALL, ..SearchOptions::default() };
        let got = s.search(&q, &options);
        // A query with no words finds nothing, unless it filters or sorts: then every paper.
        let everything: Vec<PaperRecord> = if !q.trim().is_empty() {
            records(&s, &q, &Filters::default())
        } else if filters.is_empty() && sort == Sort::Relevance {
            Vec::new()
        } else {
            (0..papers.len() as u32).map(|d| s.paper(d).unwrap()).collect()
        };
        let mut want: Vec<u32> = everything.iter().filter(|r| passes(r, &filters, "")).map(|r| r.id).collect();
        let mut found: Vec<u32> = got.hits.iter().map(|h| h.id).collect();
        prop_assert_eq!(got.total, found.len());
        // Listed for no words, papers come newest first unless asked oldest.
        let sort = if q.trim().is_empty() && sort == Sort::Relevance { Sort::Newest } else { sort };
        if sort != Sort::Relevance {
            let date = |id: u32| s.paper(id).unwrap().year.map(|y| (y, s.paper(id).unwrap().month.unwrap_or(0)));
            let dates: Vec<_> = found.iter().map(|&id| date(id)).collect();
            let in_order = dates.windows(2).all(|w| match (w[0], w[1]) {
                (Some(a), Some(b)) => if sort == Sort::Newest { a >= b } else { a <= b },
                (None, Some(_)) => false,
                _ => true,
            });
            prop_assert!(in_order, "{:?}", dates);
        }
        want.sort_unstable();
        found.sort_unstable();
        prop_assert_eq!(&found, &want, "{} {:?}", q, filters);
        let facets = got.facets.unwrap();
        for group in ["year", "venue", "type", "author"] {
            let base: Vec<PaperRecord> = everything.iter().filter(|r| passes(r, &filters, group)).cloned().collect();
            let truth = tally(&base, group);
            match group {
                "year" => check_group(facets.year.as_deref().unwrap_or(&[]), &truth, true, group),
                "venue" => check_group(facets.venue.as_deref().unwrap_or(&[]), &truth, false, group),
                "type" => check_group(facets.kind.as_deref().unwrap_or(&[]), &truth, false, group),
                _ => check_group(facets.author.as_deref().unwrap_or(&[]), &truth, false, group),
            }
        }
    }
}
