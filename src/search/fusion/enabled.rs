//! Fusion with search by meaning: what it reads of a query, and the fusion itself.

use crate::index::DocId;
use crate::query::Query;
use crate::rank;
use crate::semantic::fuse::{self, Evidence, Fusion};

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
    pub fn new(query: &Query, plan: &[ClausePlan], cover: Cover) -> Shape {
        let plain = query.excluded.is_empty()
            && query.years.is_none()
            && query.clauses.iter().all(|c| c.single_word().is_some());
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

/// BM25F's matches fused with the papers nearest the query's vector (all of them for a plain
/// query, only those among the matches for a filtered one), and how many papers that makes in
/// all: the matches and the nearest papers that match no word.
pub(in crate::search) fn fused(
    scored: Vec<(DocId, f32)>,
    shape: Shape,
    nearest: &[(DocId, f32)],
    how: Fusion,
) -> (Vec<(DocId, f32)>, usize) {
    let plain = shape.plain;
    let mut matches: Vec<DocId> = scored.iter().map(|&(d, _)| d).collect();
    matches.sort_unstable();
    let nearest = &nearest[..nearest.len().min(fuse::DEPTH)];
    let is_match = |d: &DocId| matches.binary_search(d).is_ok();
    let others = nearest.iter().filter(|(d, _)| !is_match(d)).count();
    let near: Vec<(DocId, f32)> = nearest.iter().copied().filter(|(d, _)| plain || is_match(d)).collect();
    let total = matches.len() + if plain { others } else { 0 };
    let lexical = rank::top_k(scored, fuse::DEPTH);
    let covered = lexical.iter().map(|&(d, _)| shape.cover.share(d)).fold(0.0, f32::max);
    let evidence = Evidence { held: shape.held, covered };
    (fuse::fuse(&lexical, &near, how, evidence), total)
}
