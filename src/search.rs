//! Search: the native API that ties the stages together: query → postings → rank → snippets.
//!
//! [`Searcher`] owns an [`Index`] and the [`Analyzer`]; the wasm boundary keeps one for the
//! embedded index and hands it each query. Everything here is plain Rust, tested natively.

use std::collections::HashSet;

use serde::Serialize;

use crate::analyze::{Analyzer, ANALYZER_VERSION};
use crate::format::{FormatError, FORMAT_VERSION};
use crate::index::{DocId, Field, Index, TermOrd};
use crate::query::{self, QueryWord};
use crate::rank::{self, Params};
use crate::snippet::{self, Segment};

/// The index `build.rs` wrote for the corpus chosen at build time.
pub static EMBEDDED_INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/index.bin"));

/// Results a search returns when the caller does not say.
pub const DEFAULT_LIMIT: usize = 10;

/// Most results a search returns, whatever the caller asks.
pub const MAX_LIMIT: usize = 1000;

/// Weight of a word that matches the query's unfinished last word only as a prefix
/// (`tang` → `tangent`), relative to an exact match.
pub const PREFIX_WEIGHT: f32 = 0.8;

/// Most dictionary words an unfinished last word expands to (the most frequent are kept), so a
/// one-letter prefix costs no more than a long one.
pub const MAX_PREFIX_TERMS: usize = 40;

/// What a search asks for besides the query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchOptions {
    pub limit: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions { limit: DEFAULT_LIMIT }
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hit {
    pub id: DocId,
    pub title: String,
    pub score: f32,
    /// The whole title, with the matched words marked.
    pub title_segments: Vec<Segment>,
    /// The part of the abstract with the most matched words, marked.
    pub snippet: Vec<Segment>,
}

/// What a search returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    /// Best first, at most the limit.
    pub hits: Vec<Hit>,
    /// How many papers matched in all.
    pub total: usize,
    /// Whether the query had more words than are looked up (see [`query::MAX_WORDS`]).
    pub truncated: bool,
}

/// A paper as `paper(id)` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaperRecord {
    pub id: DocId,
    pub title: String,
    #[serde(rename = "abstract")]
    pub abstract_text: String,
}

/// Numbers about the embedded index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    pub papers: u32,
    pub terms: u32,
    pub words: u32,
    pub format_version: u32,
    pub analyzer_version: u32,
}

/// Searches one index.
pub struct Searcher<'a> {
    index: Index<'a>,
    analyzer: Analyzer,
    params: Params,
}

/// A term a query word matches, with the weight of that match.
struct Expansion {
    ord: TermOrd,
    term: String,
    weight: f32,
}

impl Searcher<'static> {
    /// The searcher over the index embedded at build time.
    ///
    /// # Errors
    ///
    /// Only if the embedded index is unreadable, which the build's own tests rule out.
    pub fn embedded() -> Result<Self, FormatError> {
        Ok(Searcher::new(Index::open(EMBEDDED_INDEX)?))
    }
}

impl<'a> Searcher<'a> {
    pub fn new(index: Index<'a>) -> Self {
        Searcher { index, analyzer: Analyzer::new(), params: Params::DEFAULT }
    }

    /// The same searcher with other ranking parameters (for tuning and tests).
    pub fn with_params(mut self, params: Params) -> Self {
        self.params = params;
        self
    }

    pub fn index(&self) -> &Index<'a> {
        &self.index
    }

    /// Searches for `text`. Any text is a valid query; one with no words finds nothing.
    ///
    /// # Example
    ///
    /// ```
    /// use paper_search::search::{Searcher, SearchOptions};
    /// let searcher = Searcher::embedded().expect("the embedded index reads");
    /// let results = searcher.search("grokking", &SearchOptions::default());
    /// assert!(results.hits[0].title.to_lowercase().contains("grokking"));
    /// ```
    pub fn search(&self, text: &str, options: &SearchOptions) -> SearchResults {
        let query = query::parse(text, &self.analyzer);
        let n = self.index.doc_count() as usize;
        let mut total_scores = vec![0f32; n];
        let mut word_scores = vec![0f32; n];
        let mut matched_terms = HashSet::new();

        for word in &query.words {
            let expansions = self.expand(word);
            if expansions.is_empty() {
                continue;
            }
            word_scores.iter_mut().for_each(|s| *s = 0.0);
            for e in &expansions {
                self.score_term(e, &mut word_scores);
                matched_terms.insert(e.term.clone());
            }
            // A word counts once per paper, by its best match (`tang` matching both `tangent`
            // and `tangle` in one paper is still one word matched).
            for (total, s) in total_scores.iter_mut().zip(&word_scores) {
                *total += s;
            }
        }

        let scored: Vec<(DocId, f32)> =
            total_scores.iter().enumerate().filter(|(_, &s)| s > 0.0).map(|(d, &s)| (d as DocId, s)).collect();
        let total = scored.len();
        let limit = options.limit.min(MAX_LIMIT);
        let hits =
            rank::top_k(scored, limit).into_iter().map(|(doc, score)| self.hit(doc, score, &matched_terms)).collect();
        SearchResults { hits, total, truncated: query.truncated }
    }

    /// The terms a query word matches: its own stem, and for an unfinished word the terms of
    /// the dictionary words it begins.
    fn expand(&self, word: &QueryWord) -> Vec<Expansion> {
        let mut out = Vec::new();
        if let Some(ord) = self.index.term(&word.term) {
            out.push(Expansion { ord, term: word.term.clone(), weight: 1.0 });
        }
        if word.prefix {
            let mut found: Vec<(TermOrd, String)> = Vec::new();
            for (w, ord) in self.index.words_with_prefix(&word.word) {
                if !found.iter().any(|(o, _)| *o == ord) && !out.iter().any(|e| e.ord == ord) {
                    found.push((ord, self.analyzer.stem(&w)));
                }
            }
            if found.len() > MAX_PREFIX_TERMS {
                found.sort_by_key(|(ord, term)| (std::cmp::Reverse(self.index.doc_freq(*ord)), term.clone()));
                found.truncate(MAX_PREFIX_TERMS);
            }
            out.extend(found.into_iter().map(|(ord, term)| Expansion { ord, term, weight: PREFIX_WEIGHT }));
        }
        out
    }

    /// Raises `scores[doc]` to this term's score in each paper that has it, if higher.
    fn score_term(&self, e: &Expansion, scores: &mut [f32]) {
        let meta = self.index.meta();
        let idf = rank::idf(meta.doc_count, self.index.doc_freq(e.ord));
        for p in self.index.postings(e.ord) {
            let len = [self.index.field_len(p.doc, Field::Title), self.index.field_len(p.doc, Field::Abstract)];
            let s = e.weight * rank::bm25f(&self.params, idf, p.tf, len, meta.avg_len);
            if let Some(slot) = scores.get_mut(p.doc as usize) {
                *slot = slot.max(s);
            }
        }
    }

    fn hit(&self, doc: DocId, score: f32, matched: &HashSet<String>) -> Hit {
        let title = self.index.title(doc);
        let abstract_text = self.index.abstract_text(doc);
        let title_tokens = self.analyzer.tokens(title);
        let title_hits: Vec<bool> = title_tokens.iter().map(|t| matched.contains(&t.term)).collect();
        let abstract_tokens = self.analyzer.tokens(abstract_text);
        let abstract_hits: Vec<bool> = abstract_tokens.iter().map(|t| matched.contains(&t.term)).collect();
        Hit {
            id: doc,
            title: title.to_string(),
            score,
            title_segments: snippet::highlight(title, &title_tokens, &title_hits),
            snippet: snippet::snippet(abstract_text, &abstract_tokens, &abstract_hits, snippet::SNIPPET_TOKENS),
        }
    }

    /// The paper with this id, if there is one.
    pub fn paper(&self, id: DocId) -> Option<PaperRecord> {
        (id < self.index.doc_count()).then(|| PaperRecord {
            id,
            title: self.index.title(id).to_string(),
            abstract_text: self.index.abstract_text(id).to_string(),
        })
    }

    pub fn stats(&self) -> Stats {
        let meta = self.index.meta();
        Stats {
            papers: meta.doc_count,
            terms: meta.term_count,
            words: meta.word_count,
            format_version: FORMAT_VERSION,
            analyzer_version: ANALYZER_VERSION,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Paper;
    use crate::index;

    fn paper(title: &str, abstract_text: &str) -> Paper {
        Paper { title: title.into(), abstract_text: abstract_text.into() }
    }

    fn ids(searcher: &Searcher, q: &str) -> Vec<DocId> {
        searcher.search(q, &SearchOptions::default()).hits.iter().map(|h| h.id).collect()
    }

    fn with_searcher(papers: &[Paper], f: impl FnOnce(&Searcher)) {
        let bytes = index::build(papers).unwrap();
        f(&Searcher::new(Index::open(&bytes).unwrap()));
    }

    #[test]
    fn ranks_title_matches_above_abstract_matches() {
        with_searcher(
            &[paper("Other things", "We study bandits here."), paper("Bandits", "We study other things here.")],
            |s| assert_eq!(ids(s, "bandits "), [1, 0]),
        );
    }

    #[test]
    fn ranks_exact_matches_above_prefix_matches() {
        with_searcher(&[paper("Tangent kernels", "x"), paper("Tang dynasty", "x")], |s| {
            assert_eq!(ids(s, "tang"), [1, 0]);
        });
    }

    #[test]
    fn unfinished_last_word_matches_as_a_prefix() {
        with_searcher(&[paper("Tangent kernels", "late generalization"), paper("Other", "nothing")], |s| {
            assert_eq!(ids(s, "neural tang"), [0]);
            assert!(ids(s, "neural tang ").is_empty(), "a finished word is not a prefix");
        });
    }

    #[test]
    fn equal_scores_come_in_id_order() {
        with_searcher(&[paper("Same", "text"), paper("Same", "text"), paper("Same", "text")], |s| {
            assert_eq!(ids(s, "same"), [0, 1, 2]);
        });
    }

    #[test]
    fn stop_words_alone_still_find_papers() {
        with_searcher(&[paper("The theory", "of things"), paper("Nothing", "here")], |s| {
            assert_eq!(ids(s, "of the "), [0]);
        });
    }

    #[test]
    fn limit_and_total_count() {
        let papers: Vec<Paper> = (0..30).map(|i| paper(&format!("Paper {i}"), "common words")).collect();
        with_searcher(&papers, |s| {
            let r = s.search("common", &SearchOptions { limit: 5 });
            assert_eq!((r.hits.len(), r.total), (5, 30));
            assert!(s.search("common", &SearchOptions { limit: 0 }).hits.is_empty());
        });
    }

    #[test]
    fn hits_carry_highlighted_segments() {
        with_searcher(&[paper("Linear bandits", "Regret of linear bandits.")], |s| {
            let hit = &s.search("bandit ", &SearchOptions::default()).hits[0];
            let marked: Vec<(&str, bool)> = hit.title_segments.iter().map(|g| (g.text.as_str(), g.hit)).collect();
            assert_eq!(marked, [("Linear ", false), ("bandits", true)]);
            assert!(hit.snippet.iter().any(|g| g.hit && g.text == "bandits"));
        });
    }

    #[test]
    fn paper_and_stats() {
        with_searcher(&[paper("A", "B")], |s| {
            assert_eq!(s.paper(0).unwrap().abstract_text, "B");
            assert_eq!(s.paper(1), None);
            assert_eq!(s.stats().papers, 1);
        });
    }
}
