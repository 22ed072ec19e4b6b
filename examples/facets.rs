//! Facet counts on a real corpus against brute force, and their cost natively.
//!
//!     cargo run --release --example facets -- CORPUS QUERIES.jsonl
//!
//! Indexes CORPUS (any format the build reads), then asks every query of QUERIES (JSON lines
//! with a `q`), alone and with filters drawn from the corpus's own values (its most common
//! years, venues, kinds and authors), for every group's counts. Each count is checked against
//! a count, paper by paper, over the search's whole result set without that group's filter
//! (`Searcher::rank` with no limit, then each paper's record); the filtered hits against the
//! unfiltered result set filtered paper by paper. Prints what was checked and the native time of
//! a search with and without facets; exits with 1 on any difference.

use std::collections::BTreeMap;
use std::time::Instant;

use paper_search::corpus;
use paper_search::index::{self, Index};
use paper_search::search::{Count, Filters, Groups, PaperRecord, SearchOptions, Searcher, TOP_VALUES};

/// The folded words of a name or venue, as a filter value matches them (lower case, accents
/// dropped through the analyzer's own words).
fn words(text: &str) -> Vec<String> {
    paper_search::analyze::words(text).into_iter().filter(|w| !w.joined).map(|w| w.text).collect()
}

fn has(name: &str, value: &str) -> bool {
    let name = words(name);
    words(value).iter().all(|w| name.contains(w))
}

/// Whether a record passes `f`, every group but `skip`.
fn passes(r: &PaperRecord, f: &Filters, skip: &str) -> bool {
    (skip == "year" || f.years.as_ref().is_none_or(|y| r.year.is_some_and(|v| y.contains(&v))))
        && (skip == "venue"
            || f.venues.is_empty()
            || r.venue.as_deref().is_some_and(|v| f.venues.iter().any(|x| has(v, x))))
        && (skip == "type" || f.kinds.is_empty() || r.kind.as_deref().is_some_and(|k| f.kinds.iter().any(|x| x == k)))
        && (skip == "author" || f.authors.is_empty() || r.authors.iter().any(|a| f.authors.iter().any(|x| has(a, x))))
}

fn values(r: &PaperRecord, group: &str) -> Vec<String> {
    match group {
        "year" => r.year.map(|y| y.to_string()).into_iter().collect(),
        "venue" => r.venue.clone().into_iter().collect(),
        "type" => r.kind.clone().into_iter().collect(),
        _ => r.authors.clone(),
    }
}

fn listed<T: ToString>(counts: &Option<Vec<Count<T>>>) -> Vec<(String, u32)> {
    counts.iter().flatten().map(|c| (c.value.to_string(), c.count)).collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(corpus_path), Some(queries_path)) = (args.first(), args.get(1)) else {
        eprintln!("usage: facets CORPUS QUERIES.jsonl");
        std::process::exit(2);
    };
    let collection = corpus::load(std::path::Path::new(corpus_path)).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let papers = collection.papers;
    let bytes = index::build(&papers).expect("the index builds");
    let s = Searcher::new(Index::open(&bytes).expect("the index reads"));
    let queries: Vec<String> = std::fs::read_to_string(queries_path)
        .expect("the queries read")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()?["q"].as_str().map(|q| format!("{q} ")))
        .collect();
    let records: Vec<PaperRecord> = (0..papers.len() as u32).filter_map(|d| s.paper(d)).collect();
    // The corpus's most common values, as filters.
    let common = |group: &str, n: usize| -> Vec<String> {
        let mut tally: BTreeMap<String, usize> = BTreeMap::new();
        records.iter().flat_map(|r| values(r, group)).for_each(|v| *tally.entry(v).or_default() += 1);
        let mut by_count: Vec<(String, usize)> = tally.into_iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        by_count.into_iter().take(n).map(|(v, _)| v).collect()
    };
    let years: Vec<u16> = common("year", 3).iter().filter_map(|y| y.parse().ok()).collect();
    let mut filter_sets = vec![Filters::default()];
    if let (Some(&lo), Some(&hi)) = (years.iter().min(), years.iter().max()) {
        filter_sets.push(Filters { years: Some(lo..=hi), ..Filters::default() });
    }
    filter_sets.push(Filters { authors: common("author", 2), ..Filters::default() });
    filter_sets.push(Filters { venues: common("venue", 2), kinds: common("type", 1), ..Filters::default() });
    filter_sets.retain(|f| *f == Filters::default() || !f.is_empty());

    let (mut checked, mut wrong) = (0usize, 0usize);
    for q in &queries {
        let whole: Vec<&PaperRecord> = s.rank(q, usize::MAX).iter().map(|&(d, _)| &records[d as usize]).collect();
        for f in &filter_sets {
            let options =
                SearchOptions { limit: 1000, filters: f.clone(), facets: Groups::ALL, ..SearchOptions::default() };
            let got = s.search(q, &options);
            let passing = whole.iter().filter(|r| passes(r, f, "")).count();
            if got.total != passing {
                wrong += 1;
                eprintln!("{q:?} {f:?}: total {} against {passing}", got.total);
            }
            let facets = got.facets.unwrap_or_default();
            for (group, list) in [
                ("year", listed(&facets.year)),
                ("venue", listed(&facets.venue)),
                ("type", listed(&facets.kind)),
                ("author", listed(&facets.author)),
            ] {
                let mut truth: BTreeMap<String, u32> = BTreeMap::new();
                for r in whole.iter().filter(|r| passes(r, f, group)) {
                    values(r, group).into_iter().for_each(|v| *truth.entry(v).or_default() += 1);
                }
                for (value, count) in &list {
                    checked += 1;
                    if truth.get(value).copied().unwrap_or(0) != *count {
                        wrong += 1;
                        eprintln!("{q:?} {f:?} {group} {value}: {count} against {:?}", truth.get(value));
                    }
                }
                // Every value larger than the least of the largest listed (the values a filter
                // names come after them) is listed.
                let least = list.iter().take(TOP_VALUES).map(|l| l.1).filter(|&c| c > 0).min().unwrap_or(0);
                let unlisted = truth.iter().filter(|(v, &c)| c > least && !list.iter().any(|l| &l.0 == *v)).count();
                if unlisted > 0 {
                    wrong += 1;
                    eprintln!("{q:?} {f:?} {group}: {unlisted} larger values not listed");
                }
            }
        }
    }
    println!(
        "| corpus | papers | queries | filter sets | counts checked | differences |\n|---|---:|---:|---:|---:|---:|\n| {corpus_path} | {} | {} | {} | {checked} | {wrong} |",
        papers.len(),
        queries.len(),
        filter_sets.len()
    );
    // Native time, the two taking turns.
    let time = |facets: Groups| {
        let options = SearchOptions { facets, ..SearchOptions::default() };
        let t = Instant::now();
        for q in &queries {
            std::hint::black_box(s.search(q, &options));
        }
        t.elapsed().as_secs_f64() * 1e6 / queries.len() as f64
    };
    let (mut without, mut with) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        without.push(time(Groups::NONE));
        with.push(time(Groups::ALL));
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    println!(
        "\nnative, mean µs a search over the queries (5 runs each, taking turns): without facets {:.0}, with every group {:.0} (×{:.2})",
        mean(&without),
        mean(&with),
        mean(&with) / mean(&without)
    );
    if wrong > 0 {
        std::process::exit(1);
    }
}
