//! Fusion with search by meaning: what it reads of a query, and the fusion itself.

use crate::index::{DocId, View};
use crate::query::Query;
use crate::rank;
use crate::semantic::fuse::{self, Evidence, Exact, Fusion, Near};
use crate::semantic::vectors::cosine_row;

use super::super::expand::{TermMatch, TYPO_WEIGHT};
use super::super::plan::ClausePlan;

/// What fusion needs to know of a query besides its matches.
#[derive(Debug, Clone)]
pub(in crate::search) struct Shape {
    /// Plain words, with no filter (see [`crate::search::Searcher::try_search_near`]).
    plain: bool,
    /// The share of the query's words that match a corpus word other than as a typo's
    /// correction (1 for a query without words).
    held: f32,
    /// How many of the query's clauses each paper matches.
    cover: Cover,
}

impl Shape {
    /// The shape of `query`, planned as `plan`, its papers' `cover`; `filtered`: the search
    /// filters by year, venue, kind or author.
    pub fn new(query: &Query, plan: &[ClausePlan], cover: Cover, filtered: bool) -> Shape {
        let plain = query.excluded.is_empty() && !filtered && query.clauses.iter().all(|c| c.single_word().is_some());
        let words: Vec<&Vec<TermMatch>> = plan.iter().flat_map(|c| &c.alternatives).flat_map(|a| &a.words).collect();
        let held = words.iter().filter(|w| w.iter().any(|m| m.weight > TYPO_WEIGHT)).count();
        let held = if words.is_empty() { 1.0 } else { held as f32 / words.len() as f32 };
        Shape { plain, held, cover }
    }
}

/// Per paper, how many of the query's clauses it matches.
#[derive(Debug, Clone, Default)]
pub(in crate::search) struct Cover {
    clauses: Vec<u16>,
    of: u16,
}

impl Cover {
    /// Counts for `papers` papers against a query of `clauses` clauses (those that match
    /// nothing included).
    pub fn start(&mut self, papers: usize, clauses: usize) {
        self.of = u16::try_from(clauses).unwrap_or(u16::MAX);
        self.clauses = vec![0; papers];
    }

    pub fn matched(&mut self, paper: usize) {
        if let Some(c) = self.clauses.get_mut(paper) {
            *c = c.saturating_add(1);
        }
    }

    /// The share of the clauses `paper` matches (1 for a query without clauses).
    fn share(&self, paper: DocId) -> f32 {
        if self.of == 0 {
            return 1.0;
        }
        f32::from(self.clauses.get(paper as usize).copied().unwrap_or(0)) / f32::from(self.of)
    }
}

/// The papers nearest the query's vector (the first [`fuse::DEPTH`] of `nearest`) that match
/// none of its words, when it is plain words: they are results too. None without `nearest`.
pub(in crate::search) fn others(shape: &Shape, matches: &[(DocId, f32)], nearest: Option<Near<'_>>) -> Vec<DocId> {
    let Some(nearest) = nearest.filter(|_| shape.plain).map(|n| n.estimates) else { return Vec::new() };
    let mut matched: Vec<DocId> = matches.iter().map(|&(d, _)| d).collect();
    matched.sort_unstable();
    let nearest = &nearest[..nearest.len().min(fuse::DEPTH)];
    nearest.iter().map(|&(d, _)| d).filter(|d| matched.binary_search(d).is_err()).collect()
}

/// The best `limit` of the results: BM25F's `matches` alone, or fused with `nearest` (the first
/// [`fuse::DEPTH`] papers estimated nearest the query's vector that pass the search's filters):
/// all of them for a plain query, only those among the matches for a filtered one.
pub(in crate::search) fn rank(
    ix: &View,
    matches: Vec<(DocId, f32)>,
    shape: Shape,
    nearest: Option<Near<'_>>,
    limit: usize,
) -> Vec<(DocId, f32)> {
    match nearest {
        None => rank::top_k(matches, limit),
        Some(nearest) => {
            let mut fused = fused(ix, matches, shape, nearest, Fusion::DEFAULT);
            fused.truncate(limit);
            fused
        }
    }
}

/// BM25F's matches fused with the papers estimated nearest the query's vector (all of them for
/// a plain query, only those among the matches for a filtered one), the best
/// [`fuse::RESCORED`] then ordered by their exact cosines ([`fuse::rescore`]), read from `ix`
/// when they are stored (a paper whose text shard is missing is noted, and counts 0).
pub(in crate::search) fn fused(
    ix: &View,
    scored: Vec<(DocId, f32)>,
    shape: Shape,
    nearest: Near<'_>,
    how: Fusion,
) -> Vec<(DocId, f32)> {
    let plain = shape.plain;
    let mut matches: Vec<DocId> = scored.iter().map(|&(d, _)| d).collect();
    matches.sort_unstable();
    let stored = |query: &[f32], d: DocId| {
        ix.vector(d).map_or(0.0, |(scale, row)| cosine_row(query, scale, row.iter().map(|&b| b as i8)))
    };
    let exact = |d: DocId| match nearest.exact {
        Exact::Stored(query) => stored(query, d),
        Exact::Given(exact) => exact(d),
    };
    let nearest = &nearest.estimates[..nearest.estimates.len().min(fuse::DEPTH)];
    let is_match = |d: &DocId| matches.binary_search(d).is_ok();
    let near: Vec<(DocId, f32)> = nearest.iter().copied().filter(|(d, _)| plain || is_match(d)).collect();
    let lexical = rank::top_k(scored, fuse::DEPTH);
    let covered = lexical.iter().map(|&(d, _)| shape.cover.share(d)).fold(0.0, f32::max);
    let evidence = Evidence { held: shape.held, covered };
    let mut fused = fuse::fuse(&lexical, &near, how, evidence);
    fuse::rescore(&mut fused, &near, how, &exact);
    fused
}
