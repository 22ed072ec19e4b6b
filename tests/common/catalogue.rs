//! A catalogue of papers drawn by proptest: words, years, months, venues, kinds of work and
//! authors (each missing at times), and filters over them.

use paper_search::corpus::{Paper, KINDS};
use paper_search::search::Filters;
use proptest::prelude::*;
use proptest::sample::Index as Pick;

pub const WORDS: &[&str] = &["graph", "neural", "kernel", "bandit", "regret", "protein", "folding", "model"];
const VENUES: &[&str] = &["NeurIPS", "ICML", "Journal of Graphs", "NeurIPS Workshop", "Nature"];
const AUTHORS: &[&str] =
    &["Ada Lovelace", "Alan Turing", "Erwin Schrödinger", "Grace Hopper", "Emmy Noether", "Kurt Gödel"];

/// A paper from picks: its words, year (none at 0), month, venue, kind and authors.
#[derive(Debug, Clone)]
pub struct Drawn {
    pub words: Vec<Pick>,
    pub year: u8,
    pub month: u8,
    pub venue: Option<Pick>,
    pub kind: Option<Pick>,
    pub authors: Vec<Pick>,
}

pub fn drawn() -> impl Strategy<Value = Drawn> {
    (
        proptest::collection::vec(any::<Pick>(), 1..6),
        0u8..6,
        0u8..13,
        proptest::option::of(any::<Pick>()),
        proptest::option::of(any::<Pick>()),
        proptest::collection::vec(any::<Pick>(), 0..4),
    )
        .prop_map(|(words, year, month, venue, kind, authors)| Drawn { words, year, month, venue, kind, authors })
}

pub fn paper(d: &Drawn) -> Paper {
    let text: Vec<&str> = d.words.iter().map(|w| *w.get(WORDS)).collect();
    let mut p = Paper::new(text.join(" "), "An abstract.");
    p.year = (d.year > 0).then(|| 2017 + u16::from(d.year));
    p.month = (d.month > 0).then_some(d.month);
    p.venue = d.venue.map(|v| v.get(VENUES).to_string());
    p.kind = d.kind.map(|k| k.get(&KINDS[..4]).to_string());
    let mut authors: Vec<String> = d.authors.iter().map(|a| a.get(AUTHORS).to_string()).collect();
    authors.dedup();
    p.authors = authors;
    p
}

/// Filters from picks: a year range, venues, kinds and authors (each group left out at times).
pub fn filters() -> impl Strategy<Value = Filters> {
    (
        proptest::option::of((0u16..6, 0u16..6)),
        proptest::collection::vec(any::<Pick>(), 0..3),
        proptest::collection::vec(any::<Pick>(), 0..2),
        proptest::collection::vec(any::<Pick>(), 0..2),
    )
        .prop_map(|(years, venues, kinds, authors)| Filters {
            years: years.map(|(a, b)| 2017 + a.min(b)..=2017 + a.max(b)),
            venues: venues.iter().map(|v| v.get(&["neurips", "icml", "graphs", "nature"][..]).to_string()).collect(),
            kinds: kinds.iter().map(|k| k.get(&KINDS[..4]).to_string()).collect(),
            authors: authors
                .iter()
                .map(|a| a.get(&["lovelace", "Turing Alan", "schrodinger", "noether"][..]).to_string())
                .collect(),
        })
}
