//! The searcher and its pipeline: a query's text → [`plan`](super::plan) → [`score`](super::score)
//! → the best papers → hits, [`highlighted`](super::highlight) and read as
//! [`records`](super::records); and the other questions (a paper, its related papers, the
//! index's numbers), with the bookkeeping of a sharded index's parts.
//!
//! Every question reads the index through one [`View`], which notes the parts it needed and
//! lacked: a question that needed a missing part is no answer ([`Missing`] names the parts to
//! fetch), never a partial one.

use std::sync::Mutex;

use crate::analyze::{Analyzer, ANALYZER_VERSION};
use crate::format::{FormatError, FORMAT_VERSION};
use crate::index::{DocId, Field, Index, PartId, Slot, View, FIELDS};
use crate::query;
use crate::rank::{self, Params};
use crate::semantic::fuse::{Near, DEPTH};

use super::catalogue::{self, Filter};
use super::cite;
use super::facets::Groups;
use super::features::Features;
use super::filter::{Filters, Sort};
use super::fusion::{self, Shape};
use super::highlight::Matched;
use super::plan;
use super::records::{Hit, Missing, PaperRecord, RelatedPaper, SearchOptions, SearchResults, Stats, MAX_LIMIT};
use super::score::{Scored, Scorer};

/// The index `build.rs` wrote for the corpus chosen at build time; empty in an engine built
/// to be given its index at run time (the npm package's, whose builder appends the index to a
/// copy of the module).
pub static EMBEDDED_INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/index.bin"));

/// Searches one index.
pub struct Searcher<'a> {
    pub(super) index: Index<'a>,
    pub(super) analyzer: Analyzer,
    params: Params,
    features: Features,
    /// Each paper's [`rank::field_factors`] under `params`; empty until the index has its
    /// docs part.
    factors: Vec<[f32; FIELDS]>,
    /// The parts the latest question read ([`Searcher::take_read`]).
    read: Mutex<Vec<PartId>>,
    /// The facet groups the corpus has values for; none until the index has its docs part.
    groups: Groups,
    /// The authors' counts of [`facets::count`], kept from search to search.
    author_counts: Mutex<Vec<(u32, DocId)>>,
}

/// A scored query, before its filters and before hits are built.
pub(super) struct Ranked {
    /// The papers the query's words find (every paper, for a query with nothing to score that
    /// filters or sorts), with their scores, in id order; before the filters.
    pub matched: Vec<(DocId, f32)>,
    pub filter: Filter,
    pub shape: Shape,
    /// The matched terms, when the hits are highlighted.
    pub matched_terms: Option<Matched>,
    pub truncated: bool,
    pub suggestion: Option<String>,
    /// Whether the query has no words, so that its papers are listed rather than ranked.
    pub browsing: bool,
}

impl Ranked {
    /// The matches that pass the filters (reading, for an author filter, their facets shards).
    pub fn passing(&self, ix: &View) -> Vec<(DocId, f32)> {
        let facts = ix.facts();
        self.matched.iter().copied().filter(|&(d, _)| self.filter.fails(&facts, d) == 0).collect()
    }
}

/// Ranks `docs` above every paper of `scored` (which is in id order, and stays so).
fn first(scored: &mut Vec<(DocId, f32)>, docs: impl Iterator<Item = DocId>) {
    let top = scored.iter().map(|&(_, s)| s).fold(0.0, f32::max) + 1.0;
    for doc in docs {
        match scored.binary_search_by_key(&doc, |&(d, _)| d) {
            Ok(i) => scored[i].1 = top,
            Err(i) => scored.insert(i, (doc, top)),
        }
    }
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
        let searcher = Searcher {
            index,
            analyzer: Analyzer::new(),
            params: Params::DEFAULT,
            features: Features::ALL,
            factors: Vec::new(),
            read: Mutex::default(),
            groups: Groups::default(),
            author_counts: Mutex::default(),
        };
        searcher.with_params(Params::DEFAULT)
    }

    /// The same searcher with other ranking parameters (for tuning and tests).
    pub fn with_params(mut self, params: Params) -> Self {
        self.params = params;
        self.factors = self.compute_factors();
        self.groups = Groups::of(&self.index.view());
        self
    }

    /// The same searcher with some relevance features switched off (for measuring them).
    pub fn with_features(mut self, features: Features) -> Self {
        self.features = features;
        self
    }

    pub fn index(&self) -> &Index<'a> {
        &self.index
    }

    /// Each paper's field factors, when the docs part is at hand.
    fn compute_factors(&self) -> Vec<[f32; FIELDS]> {
        let ix = self.index.view();
        if !ix.require_docs() {
            return Vec::new();
        }
        let avg_len = ix.meta().avg_len;
        (0..ix.doc_count())
            .map(|doc| rank::field_factors(&self.params, Field::ALL.map(|f| ix.field_len(doc, f)), avg_len))
            .collect()
    }

    /// Adds a part of a sharded index (its file's bytes, decompressed).
    ///
    /// # Errors
    ///
    /// [`FormatError`] when the bytes are not a part of this index or are damaged.
    #[cfg(missing_parts)]
    pub fn insert_part(&mut self, bytes: Vec<u8>) -> Result<PartId, FormatError> {
        let id = self.index.insert(bytes)?;
        if id == PartId::DOCS {
            self.factors = self.compute_factors();
            self.groups = Groups::of(&self.index.view());
        }
        Ok(id)
    }

    /// Drops a part of a sharded index (to keep a cache within its size).
    #[cfg(missing_parts)]
    pub fn remove_part(&mut self, id: PartId) {
        self.index.remove(id);
        if id == PartId::DOCS {
            self.factors = Vec::new();
        }
    }

    /// Asks `ask` until it answers, giving the searcher the parts it lacked from `part` between
    /// tries, as the page's loader does (natively: for tests and evaluation). The answer and the
    /// rounds of fetching it took; `None` when `part` has no such part, gives another or a
    /// damaged one, or the answer still lacks parts after eight rounds.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn answer_from<T>(
        &mut self,
        part: &dyn Fn(PartId) -> Option<Vec<u8>>,
        mut ask: impl FnMut(&Self) -> Result<T, Missing>,
    ) -> Option<(T, usize)> {
        for round in 0..8 {
            match ask(self) {
                Ok(answer) => return Some((answer, round)),
                Err(Missing(missing)) => {
                    for id in missing {
                        if self.insert_part(part(id)?).ok()? != id {
                            return None;
                        }
                    }
                }
            }
        }
        None
    }

    /// The parts the latest question (`try_search`, `try_paper`, ...) read, each once: for a
    /// cache that keeps the parts read most recently. Questions asked from several threads at
    /// once share this list.
    pub fn take_read(&self) -> Vec<PartId> {
        self.read.lock().map(|mut r| std::mem::take(&mut *r)).unwrap_or_default()
    }

    /// What a view answered, or the parts it lacked to answer; notes the parts it read.
    pub(super) fn answer<T>(&self, ix: &View, value: T) -> Result<T, Missing> {
        #[cfg(missing_parts)]
        if let Ok(mut read) = self.read.lock() {
            *read = ix.read();
        }
        if ix.is_complete() {
            Ok(value)
        } else {
            Err(Missing(ix.missing()))
        }
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
        self.try_search(text, options).unwrap_or_else(|_| SearchResults::none())
    }

    /// [`Searcher::search`] on an index that may lack parts: the results, or the parts they
    /// need. Never partial results: a search that needed a missing part is no answer.
    ///
    /// # Errors
    ///
    /// [`Missing`]: the parts to fetch before asking again.
    pub fn try_search(&self, text: &str, options: &SearchOptions) -> Result<SearchResults, Missing> {
        self.search_with(text, options, None)
    }

    /// A search, with search by meaning's `nearest` papers (estimates, best first) fused with BM25F's
    /// ranking when given. Its results are the papers the query matches and, for a query of
    /// plain words with `nearest`, the nearest papers that match none of its words; those that
    /// pass the filters, ranked or sorted by date, at most the limit; the facet counts are over
    /// them before the filters (each group's counts without that group's filter).
    pub(super) fn search_with(
        &self,
        text: &str,
        options: &SearchOptions,
        nearest: Option<Near<'_>>,
    ) -> Result<SearchResults, Missing> {
        let ix = self.index.view();
        let ranked = self.ranked(&ix, text, options.highlight, &options.filters, options.sort);
        if !ix.is_complete() {
            return self.answer(&ix, SearchResults::none());
        }
        let matches = ranked.matched.len();
        let mut results: Vec<(DocId, f32)> = ranked.matched;
        results.extend(fusion::others(&ranked.shape, &results, nearest).into_iter().map(|d| (d, 0.0)));
        let facts = ix.facts();
        let fails: Vec<u8> = results.iter().map(|&(d, _)| ranked.filter.fails(&facts, d)).collect();
        if !ix.is_complete() {
            // An author filter needs the papers' facets shards before the hits are known.
            return self.answer(&ix, SearchResults::none());
        }
        let counted = options.facets.and(self.groups);
        let facets = options.facets.any().then(|| {
            let papers: Vec<DocId> = results.iter().map(|&(d, _)| d).collect();
            match self.author_counts.try_lock() {
                Ok(mut scratch) => catalogue::count(&ix, &papers, &fails, &ranked.filter, counted, &mut scratch),
                // Another thread counts: a table of this search's own.
                Err(_) => catalogue::count(&ix, &papers, &fails, &ranked.filter, counted, &mut Vec::new()),
            }
        });
        let passes = |i: usize| fails[i] == 0;
        let total = (0..results.len()).filter(|&i| passes(i)).count();
        let limit = options.limit.min(MAX_LIMIT);
        // Papers listed for no words have no relevance: newest first, unless asked otherwise.
        let sort = if ranked.browsing && options.sort == Sort::Relevance { Sort::Newest } else { options.sort };
        let best: Vec<(DocId, f32)> = match sort {
            Sort::Relevance => {
                let matched = (0..matches).filter(|&i| passes(i)).map(|i| results[i]).collect();
                let passing: Option<Vec<(DocId, f32)>> = nearest.map(|n| {
                    let n = &n.estimates[..n.estimates.len().min(DEPTH)];
                    n.iter().copied().filter(|&(d, _)| ranked.filter.fails(&facts, d) == 0).collect()
                });
                let near = nearest.zip(passing.as_deref()).map(|(n, passing)| n.with(passing));
                fusion::rank(&ix, matched, ranked.shape, near, limit)
            }
            Sort::Newest | Sort::Oldest => {
                let passing = (0..results.len()).filter(|&i| passes(i)).map(|i| results[i]);
                catalogue::dated(&facts, passing, sort == Sort::Newest, limit)
            }
        };
        let matched = ranked.matched_terms.as_ref();
        let hits = best
            .into_iter()
            .map(|(doc, score)| {
                let segments = matched.map(|m| m.segments(&ix, &self.analyzer, doc)).unwrap_or_default();
                Hit::read(&ix, doc, score, segments)
            })
            .collect();
        let results = SearchResults { hits, total, truncated: ranked.truncated, suggestion: ranked.suggestion, facets };
        self.answer(&ix, results)
    }

    /// The ids and scores of the best `limit` papers for `text`, best first, without building
    /// hits (for evaluation and benchmarks, where snippets are not shown).
    pub fn rank(&self, text: &str, limit: usize) -> Vec<(DocId, f32)> {
        self.try_rank(text, limit).unwrap_or_default()
    }

    /// [`Searcher::rank`] on an index that may lack parts.
    ///
    /// # Errors
    ///
    /// [`Missing`]: the parts to fetch before asking again.
    pub fn try_rank(&self, text: &str, limit: usize) -> Result<Vec<(DocId, f32)>, Missing> {
        let ix = self.index.view();
        let ranked = self.ranked(&ix, text, false, &Filters::default(), Sort::Relevance);
        let best = rank::top_k(ranked.passing(&ix), limit);
        self.answer(&ix, best)
    }

    /// Parses, plans and scores a query: every matching paper with its score, and the query's
    /// filters with `filters`. When the plan needed parts that are not at hand, nothing is
    /// scored: the scores would rest on a wrong plan, and fetching their postings would be
    /// wasted. The docs part, which every score needs, is asked for at once.
    pub(super) fn ranked(&self, ix: &View, text: &str, highlight: bool, filters: &Filters, sort: Sort) -> Ranked {
        let query = query::parse(text, &self.analyzer);
        let filter = Filter::new(ix, &query, filters);
        let plan = plan::plan(ix, &self.analyzer, self.features, &query, text);
        // The excluded words are looked up with the plan's, so that their shards come with it.
        for word in query.excluded.iter().flat_map(|p| &p.words) {
            ix.term(&word.term);
        }
        // A query that is a DOI or an arXiv id looks its paper up with the plan's words.
        let identified = catalogue::identified(ix, text);
        let ids = highlight.then(|| plan.match_ids());
        // A query of no words that filters or sorts lists every paper that passes.
        let browse = query.clauses.is_empty() && (filter.any() || sort != Sort::Relevance);
        let mut scored = if ix.require_docs() && ix.is_complete() {
            let scorer = Scorer { ix, analyzer: &self.analyzer, params: &self.params, factors: &self.factors };
            scorer.score(&plan.clauses, &query, ids.as_ref(), plan.asked, browse)
        } else {
            Scored::default()
        };
        if let Some(ord) = identified.filter(|_| ix.is_complete()) {
            first(&mut scored.papers, ix.postings(ord).map(|p| p.doc));
        }
        let shape = Shape::new(&query, &plan.clauses, scored.cover, filter.any());
        let matched_terms = ids.map(|ids| Matched::new(ids, scored.in_abstract));
        Ranked {
            matched: scored.papers,
            filter,
            shape,
            matched_terms,
            truncated: query.truncated,
            suggestion: plan.suggestion,
            browsing: browse,
        }
    }

    /// The paper with this id, if there is one.
    pub fn paper(&self, id: DocId) -> Option<PaperRecord> {
        self.try_paper(id).unwrap_or_default()
    }

    /// [`Searcher::paper`] on an index that may lack parts.
    ///
    /// # Errors
    ///
    /// [`Missing`]: the parts to fetch before asking again.
    pub fn try_paper(&self, id: DocId) -> Result<Option<PaperRecord>, Missing> {
        let ix = self.index.view();
        let record = (id < ix.doc_count()).then(|| PaperRecord::read(&ix, id));
        self.answer(&ix, record)
    }

    /// Paper `id` as a BibTeX entry to copy, if there is such a paper: its entry as its `.bib`
    /// file wrote it, or one made from its record.
    pub fn cite(&self, id: DocId) -> Option<String> {
        self.try_cite(id).unwrap_or_default()
    }

    /// [`Searcher::cite`] on an index that may lack parts.
    ///
    /// # Errors
    ///
    /// [`Missing`]: the parts to fetch before asking again.
    pub fn try_cite(&self, id: DocId) -> Result<Option<String>, Missing> {
        let ix = self.index.view();
        let entry = (id < ix.doc_count()).then(|| cite::bibtex(&PaperRecord::read(&ix, id), ix.slot(id, Slot::Bibtex)));
        self.answer(&ix, entry)
    }

    /// The papers most similar to paper `id`, best first, at most `limit`.
    pub fn related(&self, id: DocId, limit: usize) -> Vec<RelatedPaper> {
        self.try_related(id, limit).unwrap_or_default()
    }

    /// [`Searcher::related`] on an index that may lack parts.
    ///
    /// # Errors
    ///
    /// [`Missing`]: the parts to fetch before asking again.
    pub fn try_related(&self, id: DocId, limit: usize) -> Result<Vec<RelatedPaper>, Missing> {
        let ix = self.index.view();
        let ids = ix.related(id);
        if !ix.is_complete() {
            return self.answer(&ix, Vec::new());
        }
        let found = ids.into_iter().take(limit).map(|d| RelatedPaper::read(&ix, d)).collect();
        self.answer(&ix, found)
    }

    pub fn stats(&self) -> Stats {
        let meta = self.index.meta();
        Stats {
            papers: meta.doc_count,
            terms: meta.term_count,
            words: meta.word_count,
            format_version: FORMAT_VERSION,
            analyzer_version: ANALYZER_VERSION,
            sharded: self.index.is_sharded(),
            facets: self.groups.names(),
        }
    }
}
