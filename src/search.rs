//! Search: the native API that ties the stages together: query → plan → postings → rank →
//! snippets.
//!
//! [`Searcher`] owns an [`Index`] and the [`Analyzer`]; the wasm boundary keeps one for the
//! embedded index and hands it each query. Everything here is plain Rust, tested natively.
//!
//! A query is first *planned*: each word becomes the dictionary terms it matches (its stem;
//! for the unfinished last word, the words it begins; for a word the dictionary lacks, the
//! words within a small edit distance), and clauses gain alternatives the corpus defines
//! (an acronym and its long forms, a compound and its parts). Then each clause scores every
//! paper by its best alternative, and the scores add up.

use std::collections::HashMap;
use std::ops::ControlFlow;

use serde::Serialize;

use crate::analyze::{self, Analyzer, ANALYZER_VERSION};
use crate::format::{FormatError, FORMAT_VERSION};
use crate::index::{
    max_prefix_terms, DocId, Field, Index, PartId, Slot, TermOrd, TopTerms, View, FIELDS, PREFIX_TABLE_MAX_CHARS,
};
use crate::query::{self, Clause, Phrase, Query, QueryWord};
use crate::rank::{self, Params};
use crate::snippet::{self, Segment, Snippet};

/// The index `build.rs` wrote for the corpus chosen at build time; empty in an engine built
/// to be given its index at run time (the npm package's, whose builder appends the index to a
/// copy of the module).
pub static EMBEDDED_INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/index.bin"));

/// Results a search returns when the caller does not say.
pub const DEFAULT_LIMIT: usize = 10;

/// Most results a search returns, whatever the caller asks.
pub const MAX_LIMIT: usize = 1000;

/// Weight of a word that matches the query's unfinished last word only as a prefix
/// (`tang` → `tangent`), relative to an exact match.
pub const PREFIX_WEIGHT: f32 = 0.8;

/// Weight of a match a few edits from a word the dictionary lacks (`grokkign` → `grokking`).
pub const TYPO_WEIGHT: f32 = 0.7;

/// Most dictionary words a misspelled word expands to (the most frequent are kept).
pub const MAX_TYPO_TERMS: usize = 8;

/// Weight of an acronym's long form matched for the acronym, or the other way round.
pub const ACRONYM_WEIGHT: f32 = 0.9;

/// Most candidate papers whose text is read to check a quoted phrase; bounds the work of a
/// phrase of common words on a large corpus.
pub const MAX_PHRASE_CHECKS: usize = 5000;

/// Edits allowed when matching a word the dictionary lacks: none for short words, where one
/// edit reaches too many others, and none past [`MAX_TYPO_CHARS`]: a long word the corpus
/// lacks is rarely a misspelling of one it has, and its distances cost the most to compute.
pub fn typo_distance(word: &str) -> u32 {
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        8..=MAX_TYPO_CHARS => 2,
        _ => 0,
    }
}

/// Most papers a word may be in for [`Searcher`] to also look for a frequent neighbour of it.
pub const RARE_DOC_FREQ: u32 = 2;

/// How many times more papers a rare word's neighbour must be in to be looked for too.
pub const NEIGHBOUR_RATIO: u32 = 20;

/// Longest word, in chars, that typo tolerance tries to correct.
pub const MAX_TYPO_CHARS: usize = 16;

/// Most words of one query that typo tolerance tries to correct (the first ones), so that a
/// query of many unknown words costs no more than a few dictionary scans.
pub const MAX_TYPO_WORDS: usize = 4;

/// How many of BM25F's best papers say which word an unfinished last word stands for, for the
/// sentence model ([`Searcher::model_text`]).
#[cfg(feature = "semantic")]
pub const COMPLETION_PAPERS: usize = 10;

/// What a search asks for besides the query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchOptions {
    pub limit: usize,
    /// Whether hits carry their title and snippet as highlighted segments. Without, both are
    /// empty (for callers that render hits their own way), and a search takes a fraction of
    /// the time: marking the words of every hit is most of a search's work.
    pub highlight: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions { limit: DEFAULT_LIMIT, highlight: true }
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hit {
    pub id: DocId,
    /// The corpus's own id, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub title: String,
    pub score: f32,
    /// The whole title, with the matched words marked.
    pub title_segments: Vec<Segment>,
    /// The earliest part of the abstract that shows the most query words, marked.
    pub snippet: Vec<Segment>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
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
    /// The query with each word the corpus lacks replaced by its nearest corpus word, when
    /// there is such a word ("did you mean").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

impl SearchResults {
    /// No hits.
    pub fn none() -> Self {
        SearchResults { hits: Vec::new(), total: 0, truncated: false, suggestion: None }
    }
}

/// A paper as `paper(id)` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaperRecord {
    pub id: DocId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub title: String,
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
}

/// A related paper, as `related(id)` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RelatedPaper {
    pub id: DocId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
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
    /// Whether the build is sharded: parts of the index are fetched as queries need them.
    pub sharded: bool,
}

/// The parts of a sharded index that a question needed and that are not at hand: fetch them,
/// add them ([`Searcher::insert_part`]) and ask again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing(pub Vec<PartId>);

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<String> = self.0.iter().map(PartId::file_name).collect();
        write!(f, "parts of the index not at hand: {}", names.join(", "))
    }
}

impl std::error::Error for Missing {}

/// The relevance features beyond BM25F, each of which can be switched off (to measure what
/// it brings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Features {
    /// Words the dictionary lacks match the nearest words within an edit distance.
    pub typos: bool,
    /// Acronyms match their long forms and long forms their acronyms.
    pub acronyms: bool,
    /// Two query words match the corpus's word for them joined (`fine tuning` → `finetuning`).
    pub compounds: bool,
    /// An unfinished last word that is a word of the corpus ranks the papers it finds first: the
    /// words it begins (and, misspelt, the words its correction begins) add papers below them.
    pub finished_first: bool,
    /// A word in very few papers also matches a far more frequent word one edit away.
    pub rare_neighbours: bool,
}

impl Features {
    pub const ALL: Features =
        Features { typos: true, acronyms: true, compounds: true, finished_first: true, rare_neighbours: true };
    pub const NONE: Features =
        Features { typos: false, acronyms: false, compounds: false, finished_first: false, rare_neighbours: false };
}

/// Searches one index.
pub struct Searcher<'a> {
    index: Index<'a>,
    analyzer: Analyzer,
    params: Params,
    features: Features,
    /// Each paper's [`rank::field_factors`] under `params`; empty until the index has its
    /// docs part.
    factors: Vec<[f32; FIELDS]>,
    /// The parts the latest question read ([`Searcher::take_read`]).
    read: std::sync::Mutex<Vec<PartId>>,
}

/// BM25F's matches fused with the papers nearest the query's vector (all of them for a plain
/// query, only those among the matches for a filtered one), and how many papers that makes in
/// all: the matches and the nearest papers that match no word.
#[cfg(feature = "semantic")]
fn fused(
    scored: Vec<(DocId, f32)>,
    shape: Shape,
    nearest: &[(DocId, f32)],
    how: crate::semantic::fuse::Fusion,
) -> (Vec<(DocId, f32)>, usize) {
    use crate::semantic::fuse;
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
    let evidence = fuse::Evidence { held: shape.held, covered };
    (fuse::fuse(&lexical, &near, how, evidence), total)
}

/// What fusion needs to know of a query besides its matches; empty, and no code, in a module
/// without search by meaning (whose queries are never fused).
#[derive(Debug, Clone)]
struct Shape {
    /// Plain words, with no filter (see [`Searcher::try_search_near`]).
    #[cfg(feature = "semantic")]
    plain: bool,
    /// The share of the query's words that match a corpus word other than as a typo's
    /// correction (1 for a query without words).
    #[cfg(feature = "semantic")]
    held: f32,
    /// How many of the query's clauses each paper matches.
    #[cfg(feature = "semantic")]
    cover: Cover,
}

impl Shape {
    #[cfg(feature = "semantic")]
    fn new(query: &Query, plan: &[ClausePlan], cover: Cover) -> Shape {
        let plain = query.excluded.is_empty()
            && query.years.is_none()
            && query.clauses.iter().all(|c| c.single_word().is_some());
        let words: Vec<&Vec<TermMatch>> = plan.iter().flat_map(|c| &c.alternatives).flat_map(|a| &a.words).collect();
        let held = words.iter().filter(|w| w.iter().any(|m| m.weight > TYPO_WEIGHT)).count();
        let held = if words.is_empty() { 1.0 } else { held as f32 / words.len() as f32 };
        Shape { plain, held, cover }
    }

    #[cfg(not(feature = "semantic"))]
    #[inline]
    fn new(_: &Query, _: &[ClausePlan], _: Cover) -> Shape {
        Shape {}
    }
}

/// Per paper, how many of the query's clauses it matches (what fusion reads); empty, and no
/// code, in a module without search by meaning.
#[derive(Debug, Clone, Default)]
struct Cover {
    #[cfg(feature = "semantic")]
    clauses: Vec<u16>,
    #[cfg(feature = "semantic")]
    of: u16,
}

impl Cover {
    /// The query's clauses, those that match nothing included.
    #[inline]
    fn of(&mut self, _clauses: usize) {
        #[cfg(feature = "semantic")]
        {
            self.of = u16::try_from(_clauses).unwrap_or(u16::MAX);
        }
    }

    #[inline]
    fn start(&mut self, _papers: usize) {
        #[cfg(feature = "semantic")]
        {
            self.clauses = vec![0; _papers];
        }
    }

    #[inline]
    fn matched(&mut self, _paper: usize) {
        #[cfg(feature = "semantic")]
        if let Some(c) = self.clauses.get_mut(_paper) {
            *c = c.saturating_add(1);
        }
    }

    /// The share of the clauses `paper` matches (1 for a query without clauses).
    #[cfg(feature = "semantic")]
    fn share(&self, paper: DocId) -> f32 {
        if self.of == 0 {
            return 1.0;
        }
        f32::from(self.clauses.get(paper as usize).copied().unwrap_or(0)) / f32::from(self.of)
    }
}

/// A dictionary term a query word matches, with the weight of that match.
#[derive(Debug, Clone)]
struct TermMatch {
    ord: TermOrd,
    term: String,
    weight: f32,
    /// How many papers contain the term, as the dictionary said when the term was found (so
    /// that scoring needs only the term's postings).
    doc_freq: u32,
    /// A completion of an unfinished word that is a word itself: it adds the papers nothing
    /// else in the query finds, ranked below every paper that something does.
    completion: bool,
}

impl TermMatch {
    /// A match of weight 1 for a term known with its ordinal and document frequency.
    fn exact((term, ord, doc_freq): (&str, TermOrd, u32)) -> Self {
        TermMatch { ord, term: term.to_string(), weight: 1.0, doc_freq, completion: false }
    }
}

/// One alternative of a clause: words that must all match, with their term matches.
#[derive(Debug, Clone)]
struct AltPlan {
    words: Vec<Vec<TermMatch>>,
    weight: f32,
    /// Whether a paper must match every word to score (quoted phrases, long forms); otherwise
    /// each matched word adds its score, as for separate words.
    all_words: bool,
    /// For a quoted phrase, the stems that must appear adjacent and in order: per word, the
    /// stems it accepts (one, but for an unfinished last word: also the terms it expands to).
    phrase: Option<Vec<Vec<String>>>,
}

/// The terms a query matched, for marking them in hits.
struct Matched {
    /// The matched terms, each with the query word it matched for (its match id).
    terms: HashMap<String, snippet::Match>,
    /// How many distinct query words the terms match for.
    words: usize,
    /// How many match ids there are (some may have no terms): `in_abstract` holds them all
    /// when there are at most 64.
    ids: usize,
    /// For each paper, the match ids whose terms its abstract holds (bit `id`), as its postings
    /// tell: a snippet that shows them all is settled.
    in_abstract: Vec<u64>,
    /// The first one, two and three chars of each term, sorted: a word that starts with none
    /// of them cannot stem to a matched term (stems keep a word's start), so it is not stemmed.
    starts: Vec<String>,
    /// The first bytes of `starts`: most words are ruled out by one look-up.
    first_bytes: [bool; 256],
    /// Words of the hits' texts already stemmed for this query, with what they matched: the
    /// same words come back in hit after hit, and stemming is the costly step.
    stemmed: std::cell::RefCell<HashMap<String, snippet::Match>>,
}

impl Matched {
    /// The terms of a plan, each with a match id for its query word (a term two words matched
    /// counts for the first).
    fn new(plan: &[ClausePlan]) -> Self {
        // A match id per query word: the words of a clause's alternatives share its ids by
        // position (an acronym and the first word of its long form, say).
        let mut by_word: Vec<Vec<String>> = Vec::new();
        for clause in plan {
            let base = by_word.len();
            for alt in &clause.alternatives {
                for (i, word) in alt.words.iter().enumerate() {
                    if by_word.len() <= base + i {
                        by_word.resize_with(base + i + 1, Vec::new);
                    }
                    by_word[base + i].extend(word.iter().map(|m| m.term.clone()));
                }
            }
        }
        let ids = by_word.len();
        let mut terms: HashMap<String, snippet::Match> = HashMap::new();
        let mut words = 0;
        for (id, word_terms) in (0u32..).zip(by_word) {
            let before = terms.len();
            for term in word_terms {
                terms.entry(term).or_insert(Some(id));
            }
            words += usize::from(terms.len() > before);
        }
        // Sorted by insertion: a query's terms are few, and a sort's code is large in the wasm.
        let mut starts: Vec<String> = Vec::new();
        for start in terms.keys().map(|t| t.chars().take(MATCH_PREFIX_CHARS).collect::<String>()) {
            if let Err(at) = starts.binary_search(&start) {
                starts.insert(at, start);
            }
        }
        let mut first_bytes = [false; 256];
        for s in &starts {
            if let Some(&b) = s.as_bytes().first() {
                first_bytes[usize::from(b)] = true;
            }
        }
        Matched { terms, words, ids, in_abstract: Vec::new(), starts, first_bytes, stemmed: Default::default() }
    }

    fn could_match(&self, word: &str) -> bool {
        if !word.as_bytes().first().is_some_and(|&b| self.first_bytes[usize::from(b)]) {
            return false;
        }
        word.char_indices()
            .take(MATCH_PREFIX_CHARS)
            .any(|(i, c)| self.starts.binary_search_by(|s| s.as_str().cmp(&word[..i + c.len_utf8()])).is_ok())
    }

    /// How many distinct query words a paper's abstract can show.
    fn wanted_in_abstract(&self, doc: DocId) -> usize {
        match self.in_abstract.get(doc as usize) {
            Some(found) if self.ids <= 64 => found.count_ones() as usize,
            _ => self.words,
        }
    }

    /// The matched term a word of a hit's text stems to, if any.
    fn word(&self, word: &str, analyzer: &Analyzer) -> snippet::Match {
        // Only words that share a start with a matched term can stem to it.
        if !self.could_match(word) {
            return None;
        }
        if let Some(&known) = self.stemmed.borrow().get(word) {
            return known;
        }
        let found = self.id(&analyzer.stem(word));
        self.stemmed.borrow_mut().insert(word.to_string(), found);
        found
    }

    fn id(&self, term: &str) -> snippet::Match {
        self.terms.get(term).copied().flatten()
    }
}

/// A quoted phrase's terms' token positions, in a sharded build: they tell whether a paper
/// holds the phrase as its text would, without fetching the text of every candidate. (A module
/// that embeds every part keeps no positions, and compiles without them.)
struct PhrasePositions {
    /// Per phrase word, in order: per paper that has one of its terms, their positions in each
    /// field (sorted).
    #[cfg(missing_parts)]
    terms: Vec<HashMap<DocId, [Vec<u32>; FIELDS]>>,
}

impl PhrasePositions {
    /// The positions of the phrase's terms, when the index keeps positions (noting the parts
    /// they need); `None` in an embedded build.
    fn new(ix: &View, phrase: &[Vec<String>]) -> Option<Self> {
        #[cfg(missing_parts)]
        {
            if !ix.has_positions() {
                return None;
            }
            let terms = phrase
                .iter()
                .map(|alternatives| {
                    let mut merged: HashMap<DocId, [Vec<u32>; FIELDS]> = HashMap::new();
                    for ord in alternatives.iter().filter_map(|term| ix.term(term)) {
                        for (doc, positions) in ix.positions(ord) {
                            let at = merged.entry(doc).or_default();
                            // Merged in order (a field's positions are few; no sort's code).
                            for (all, more) in at.iter_mut().zip(positions) {
                                for p in more {
                                    if let Err(i) = all.binary_search(&p) {
                                        all.insert(i, p);
                                    }
                                }
                            }
                        }
                    }
                    merged
                })
                .collect();
            Some(PhrasePositions { terms })
        }
        #[cfg(not(missing_parts))]
        {
            let _ = (ix, phrase);
            None
        }
    }

    /// Whether the paper holds the phrase's terms adjacent and in order in one field (`field`,
    /// when given).
    fn holds(&self, doc: DocId, field: Option<Field>) -> bool {
        #[cfg(missing_parts)]
        {
            let Some((first, rest)) = self.terms.split_first() else { return false };
            let Some(starts) = first.get(&doc) else { return false };
            let fields = field.map_or_else(|| Field::ALL.to_vec(), |f| vec![f]);
            fields.into_iter().any(|f| {
                starts[f as usize].iter().any(|&at| {
                    rest.iter()
                        .zip(1u32..)
                        .all(|(term, i)| term.get(&doc).is_some_and(|p| p[f as usize].binary_search(&(at + i)).is_ok()))
                })
            })
        }
        #[cfg(not(missing_parts))]
        {
            let _ = (doc, field);
            false
        }
    }
}

/// How many leading chars of a word are compared with matched terms before stemming it.
const MATCH_PREFIX_CHARS: usize = 3;

/// A scored query, before hits are built.
struct Ranked {
    scored: Vec<(DocId, f32)>,
    shape: Shape,
    /// The matched terms, when the hits are highlighted.
    matched_terms: Option<Matched>,
    truncated: bool,
    suggestion: Option<String>,
}

#[derive(Debug, Clone)]
struct ClausePlan {
    alternatives: Vec<AltPlan>,
    field: Option<Field>,
    required: bool,
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
            read: Default::default(),
        };
        searcher.with_params(Params::DEFAULT)
    }

    /// The same searcher with other ranking parameters (for tuning and tests).
    pub fn with_params(mut self, params: Params) -> Self {
        self.params = params;
        self.factors = self.compute_factors();
        self
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
        }
        Ok(id)
    }

    /// The parts the latest question (`try_search`, `try_paper`, ...) read, each once: for a
    /// cache that keeps the parts read most recently. Questions asked from several threads at
    /// once share this list.
    pub fn take_read(&self) -> Vec<PartId> {
        self.read.lock().map(|mut r| std::mem::take(&mut *r)).unwrap_or_default()
    }

    /// What a view answered, or the parts it lacked to answer; notes the parts it read.
    fn answer<T>(&self, ix: &View, value: T) -> Result<T, Missing> {
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

    /// Drops a part of a sharded index (to keep a cache within its size).
    #[cfg(missing_parts)]
    pub fn remove_part(&mut self, id: PartId) {
        self.index.remove(id);
        if id == PartId::DOCS {
            self.factors = Vec::new();
        }
    }

    /// The same searcher with some relevance features switched off (for measuring them).
    pub fn with_features(mut self, features: Features) -> Self {
        self.features = features;
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
        self.try_search(text, options).unwrap_or_else(|_| SearchResults::none())
    }

    /// [`Searcher::search`] on an index that may lack parts: the results, or the parts they
    /// need. Never partial results: a search that needed a missing part is no answer.
    ///
    /// # Errors
    ///
    /// [`Missing`]: the parts to fetch before asking again.
    pub fn try_search(&self, text: &str, options: &SearchOptions) -> Result<SearchResults, Missing> {
        self.search_with(text, options, |scored, _, limit| (scored.len(), rank::top_k(scored, limit)))
    }

    /// [`Searcher::try_search`] with search by meaning: `nearest`, the papers whose vectors
    /// are nearest the query's (best first, from [`crate::semantic::vectors::Vectors::nearest`]),
    /// fused with BM25F's ranking ([`crate::semantic::fuse`]). A query of plain words also
    /// finds papers that hold none of them; one with a filter (a phrase, a field, an excluded
    /// word, a year) only reorders the papers that satisfy it.
    ///
    /// # Errors
    ///
    /// [`Missing`]: the parts to fetch before asking again.
    #[cfg(feature = "semantic")]
    pub fn try_search_near(
        &self,
        text: &str,
        options: &SearchOptions,
        nearest: &[(DocId, f32)],
    ) -> Result<SearchResults, Missing> {
        self.search_with(text, options, |scored, shape, limit| {
            let (mut fused, count) = fused(scored, shape, nearest, crate::semantic::fuse::Fusion::DEFAULT);
            fused.truncate(limit);
            (count, fused)
        })
    }

    /// The query as the sentence model reads it: the words that say what is sought, as typed
    /// (excluded words, author and year filters, `OR`, quotes and field names left out). An
    /// unfinished last word that no paper holds but that begins words of the corpus (`neural
    /// coll`) is read as the word it begins in the titles and abstracts of BM25F's best papers
    /// (`collapse`: each of the best ten votes with its score), or else as the first word of
    /// its most frequent completion: the model would read half a word as a word of its own. One
    /// that begins none (`guitar distortion pedals`) stays as typed, for the model may know it.
    #[cfg(feature = "semantic")]
    pub fn model_text(&self, text: &str) -> String {
        let query = query::parse(text, &self.analyzer);
        let ix = self.index.view();
        let completed = query
            .clauses
            .iter()
            .flat_map(|c| &c.alternatives)
            .flat_map(|p| &p.words)
            .find(|w| w.prefix && w.span.end == text.len() && ix.word(&w.word).is_none())
            .and_then(|w| Some((w.span.clone(), self.completion(&ix, text, &w.word)?)));
        let mut out = String::new();
        for span in query.meant {
            if !out.is_empty() {
                out.push(' ');
            }
            match &completed {
                Some((w, word)) if span.start <= w.start && w.end <= span.end => {
                    out.push_str(&text[span.start..w.start]);
                    out.push_str(word);
                    out.push_str(&text[w.end..span.end]);
                }
                _ => out.push_str(&text[span]),
            }
        }
        out
    }

    /// The word the unfinished `prefix`, the last of `text`, stands for (see
    /// [`Searcher::model_text`]): of the words it begins in the titles and abstracts of the
    /// best [`COMPLETION_PAPERS`] papers, the one whose papers score highest in all (the first
    /// found of equals), so that a word of the best papers wins over one many weaker papers share.
    #[cfg(feature = "semantic")]
    fn completion(&self, ix: &View, text: &str, prefix: &str) -> Option<String> {
        let best = rank::top_k(self.ranked(ix, text, false).scored, COMPLETION_PAPERS);
        let mut votes: Vec<(String, f32)> = Vec::new();
        for &(doc, score) in &best {
            let mut words: Vec<String> = [Field::Title, Field::Abstract]
                .into_iter()
                .flat_map(|field| self.field_texts(ix, doc, Some(field)))
                .flat_map(analyze::words)
                .filter(|w| !w.joined && w.text.starts_with(prefix))
                .map(|w| w.text)
                .collect();
            // Each paper votes once for each word.
            let mut seen = std::collections::HashSet::new();
            words.retain(|w| seen.insert(w.clone()));
            for w in words {
                match votes.iter_mut().find(|(v, _)| *v == w) {
                    Some((_, total)) => *total += score,
                    None => votes.push((w, score)),
                }
            }
        }
        let held = votes.into_iter().rev().max_by(|a, b| a.1.total_cmp(&b.1)).map(|(w, _)| w);
        held.or_else(|| Some(ix.prefix_terms(prefix, &[], 1).into_iter().next()?.0))
    }

    /// A search whose matches (`scored`, and the query's [`Shape`]) `pick` turns into the
    /// papers shown, at most `limit`, and the count of papers found. Generic, so that a module
    /// that never fuses does not carry the fusion's code.
    fn search_with(
        &self,
        text: &str,
        options: &SearchOptions,
        pick: impl FnOnce(Vec<(DocId, f32)>, Shape, usize) -> (usize, Vec<(DocId, f32)>),
    ) -> Result<SearchResults, Missing> {
        let ix = self.index.view();
        let ranked = self.ranked(&ix, text, options.highlight);
        if !ix.is_complete() {
            return self.answer(&ix, SearchResults::none());
        }
        let (count, best) = pick(ranked.scored, ranked.shape, options.limit.min(MAX_LIMIT));
        let hits =
            best.into_iter().map(|(doc, score)| self.hit(&ix, doc, score, ranked.matched_terms.as_ref())).collect();
        let results = SearchResults { hits, total: count, truncated: ranked.truncated, suggestion: ranked.suggestion };
        self.answer(&ix, results)
    }

    /// [`Searcher::rank`] fused with the papers nearest the query's vector, as `how` says (for
    /// evaluation and tuning; see [`Searcher::try_search_near`]).
    #[cfg(feature = "semantic")]
    pub fn rank_near(
        &self,
        text: &str,
        limit: usize,
        nearest: &[(DocId, f32)],
        how: crate::semantic::fuse::Fusion,
    ) -> Vec<(DocId, f32)> {
        let ix = self.index.view();
        let ranked = self.ranked(&ix, text, false);
        let (mut fused, _) = fused(ranked.scored, ranked.shape, nearest, how);
        fused.truncate(limit);
        fused
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
        let ranked = rank::top_k(self.ranked(&ix, text, false).scored, limit);
        self.answer(&ix, ranked)
    }

    /// Parses, plans and scores a query: every matching paper with its score. When the plan
    /// needed parts that are not at hand, nothing is scored: the scores would rest on a wrong
    /// plan, and fetching their postings would be wasted. The docs part, which every score
    /// needs, is asked for at once.
    fn ranked(&self, ix: &View, text: &str, highlight: bool) -> Ranked {
        let query = query::parse(text, &self.analyzer);
        let mut cover = Cover::default();
        let (plan, suggestion) = self.plan(ix, &query, text, &mut cover);
        // The excluded words are looked up with the plan's, so that their shards come with it.
        for word in query.excluded.iter().flat_map(|p| &p.words) {
            ix.term(&word.term);
        }
        let mut matched_terms = highlight.then(|| Matched::new(&plan));
        let scored = if ix.require_docs() && ix.is_complete() {
            self.score(ix, &plan, &query, matched_terms.as_mut(), &mut cover)
        } else {
            Vec::new()
        };
        let shape = Shape::new(&query, &plan, cover);
        Ranked { scored, shape, matched_terms, truncated: query.truncated, suggestion }
    }

    /// Every paper that satisfies the query, with its score (in id order).
    fn score(
        &self,
        ix: &View,
        plan: &[ClausePlan],
        query: &Query,
        matched: Option<&mut Matched>,
        cover: &mut Cover,
    ) -> Vec<(DocId, f32)> {
        let n = ix.doc_count() as usize;
        // Which query words each abstract holds, only for hits that will be highlighted.
        let mut in_abstract = if matched.is_some() { vec![0u64; n] } else { Vec::new() };
        let mut total = vec![0f32; n];
        let mut ok = vec![true; n];
        let mut clause_scores = vec![0f32; n];
        let mut alt_scores = vec![0f32; n];
        let mut word_scores = vec![0f32; n];
        let mut complete = vec![true; n];
        cover.start(n);

        for clause in plan {
            clause_scores.fill(0.0);
            for alt in &clause.alternatives {
                alt_scores.fill(0.0);
                complete.fill(true);
                for word in &alt.words {
                    word_scores.fill(0.0);
                    for m in word.iter().filter(|m| !m.completion) {
                        let id = match_id(matched.as_deref(), m);
                        self.score_term(ix, m, clause.field, &mut word_scores, &mut in_abstract, id);
                    }
                    for d in 0..n {
                        if word_scores[d] > 0.0 {
                            alt_scores[d] += word_scores[d];
                        } else {
                            complete[d] = false;
                        }
                    }
                }
                // A phrase's positions (a sharded build's) are asked for with its postings; it
                // is checked only once the scores are whole: a check on missing postings would
                // fetch the text of the wrong papers.
                let positions = alt.phrase.as_ref().and_then(|phrase| PhrasePositions::new(ix, phrase));
                let checking = alt.phrase.is_some() && ix.is_complete();
                let mut checks = 0;
                for d in 0..n {
                    if (complete[d] || !alt.all_words) && alt_scores[d] > 0.0 {
                        if let (Some(phrase), true) = (&alt.phrase, checking) {
                            checks += 1;
                            let found = match &positions {
                                Some(p) => p.holds(d as DocId, clause.field),
                                None => self.has_phrase(ix, d as DocId, phrase, clause.field),
                            };
                            if checks > MAX_PHRASE_CHECKS || !found {
                                continue;
                            }
                        }
                        clause_scores[d] = clause_scores[d].max(alt.weight * alt_scores[d]);
                    }
                }
            }
            for d in 0..n {
                if clause.required && clause_scores[d] <= 0.0 {
                    ok[d] = false;
                }
                total[d] += clause_scores[d];
                if clause_scores[d] > 0.0 {
                    cover.matched(d);
                }
            }
        }

        // The papers only completions of the last word find: below every other hit, in their
        // own order (scaled, if their best would reach the least of the others).
        let completions = plan.iter().flat_map(|c| c.alternatives.iter().map(move |a| (c, a)));
        let mut extra: Vec<f32> = Vec::new();
        for (clause, alt) in completions {
            for m in alt.words.iter().flatten().filter(|m| m.completion) {
                if extra.is_empty() {
                    extra = vec![0f32; n];
                }
                let id = match_id(matched.as_deref(), m);
                self.score_term(ix, m, clause.field, &mut extra, &mut in_abstract, id);
            }
        }
        if !extra.is_empty() {
            let floor = (0..n).filter(|&d| ok[d] && total[d] > 0.0).map(|d| total[d]).fold(f32::INFINITY, f32::min);
            let best = (0..n).filter(|&d| total[d] <= 0.0).map(|d| extra[d]).fold(0.0, f32::max);
            let scale = if best >= floor { 0.99 * floor / best } else { 1.0 };
            for d in 0..n {
                if total[d] <= 0.0 && extra[d] > 0.0 {
                    total[d] = extra[d] * scale;
                }
            }
        }

        if let Some(matched) = matched {
            matched.in_abstract = in_abstract;
        }
        let filtering_only = plan.is_empty();
        let mut scored: Vec<(DocId, f32)> = Vec::new();
        for d in 0..n {
            let doc = d as DocId;
            if !ok[d] || (!filtering_only && total[d] <= 0.0) {
                continue;
            }
            if let Some(years) = &query.years {
                if !ix.year(doc).is_some_and(|y| years.contains(&y)) {
                    continue;
                }
            } else if filtering_only {
                continue;
            }
            scored.push((doc, total[d]));
        }
        if !query.excluded.is_empty() {
            let excluded = self.excluded(ix, &query.excluded, &scored);
            scored.retain(|&(doc, _)| !excluded.get(doc as usize).is_some_and(|&e| e));
        }
        scored
    }

    /// Which of the `scored` papers hold an excluded word or phrase (a flag per paper id): a
    /// word's papers from its postings; a phrase's from the papers that hold all its words,
    /// whose text is then read for the words side by side (only once the scores are whole, so
    /// that no text is fetched for the wrong papers).
    fn excluded(&self, ix: &View, excluded: &[Phrase], scored: &[(DocId, f32)]) -> Vec<bool> {
        let n = ix.doc_count() as usize;
        let mut out = vec![false; n];
        let checking = ix.is_complete();
        for phrase in excluded {
            // A word no paper has excludes nothing.
            let Some(ords) = phrase.words.iter().map(|w| ix.term(&w.term)).collect::<Option<Vec<TermOrd>>>() else {
                continue;
            };
            let mut holds = vec![0u8; n];
            for &ord in &ords {
                for p in ix.postings(ord) {
                    if let Some(h) = holds.get_mut(p.doc as usize) {
                        *h = h.saturating_add(1);
                    }
                }
            }
            let all = u8::try_from(ords.len()).unwrap_or(u8::MAX);
            let terms: Vec<Vec<String>> = phrase.words.iter().map(|w| vec![w.term.clone()]).collect();
            let positions = if terms.len() > 1 { PhrasePositions::new(ix, &terms) } else { None };
            for &(doc, _) in scored {
                let d = doc as usize;
                if holds[d] < all || out[d] {
                    continue;
                }
                out[d] = terms.len() == 1
                    || (checking
                        && match &positions {
                            Some(p) => p.holds(doc, None),
                            None => self.has_phrase(ix, doc, &terms, None),
                        });
            }
        }
        out
    }

    /// Turns the parsed query into term matches, adding the alternatives the corpus defines,
    /// and the "did you mean" text when a word matched only through typo tolerance.
    fn plan(&self, ix: &View, query: &Query, text: &str, cover: &mut Cover) -> (Vec<ClausePlan>, Option<String>) {
        let mut corrections: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        let mut typo_budget = MAX_TYPO_WORDS;
        let mut plans = Vec::new();
        let clauses = self.with_corpus_alternatives(ix, &query.clauses);
        cover.of(clauses.len());
        for (clause, extra) in &clauses {
            // A stop word after other words counts only unfinished (`learning the` may become
            // `learning theory`); finished, it is left out: as typed, all it matches (the long
            // forms of an acronym it may be, `NO`, included) only adds papers below the others.
            // Within a compound (`make-up`) it is kept finished, so it counts as typed too.
            let stop_last = clause.single_word().is_some_and(|w| {
                self.features.finished_first && w.prefix && clauses.len() > 1 && analyze::is_stop_word(&w.word)
            });
            let mut alternatives = Vec::new();
            for phrase in &clause.alternatives {
                let mut words = Vec::new();
                for w in &phrase.words {
                    let (mut matches, correction) = self.expand(ix, w, &mut typo_budget);
                    if let Some(c) = correction {
                        corrections.push((w.span.clone(), c));
                    }
                    if stop_last {
                        matches.iter_mut().for_each(|m| m.completion = true);
                    }
                    words.push(matches);
                }
                let phrase_terms = phrase.quoted.then(|| {
                    let mut terms = Vec::new();
                    for (w, matches) in phrase.words.iter().zip(&words) {
                        let mut accepted = vec![w.term.clone()];
                        if w.prefix {
                            accepted.extend(matches.iter().map(|m| m.term.clone()));
                        }
                        terms.push(accepted);
                    }
                    terms
                });
                alternatives.push(AltPlan { words, weight: 1.0, all_words: phrase.quoted, phrase: phrase_terms });
            }
            for long in extra.iter().filter(|long| self.features.acronyms && !long.is_empty()) {
                let words: Vec<Vec<TermMatch>> =
                    long.iter().map(|m| vec![TermMatch { completion: stop_last, ..m.clone() }]).collect();
                // Averaged over its words, a long form fills one word's place, as the acronym it
                // stands for would.
                let weight = ACRONYM_WEIGHT / words.len() as f32;
                alternatives.push(AltPlan { words, weight, all_words: true, phrase: None });
            }
            // An alternative that needs a word nothing matches cannot score.
            alternatives.retain(|a| {
                if a.all_words {
                    a.words.iter().all(|w| !w.is_empty())
                } else {
                    a.words.iter().any(|w| !w.is_empty())
                }
            });
            if alternatives.is_empty() && !clause.required {
                continue;
            }
            plans.push(ClausePlan { alternatives, field: clause.field, required: clause.required });
        }
        let suggestion = (!corrections.is_empty()).then(|| {
            // From the end, so earlier spans stay valid (of two from one place, the shorter
            // first); a span overlapping one already replaced (a compound and its part) is left
            // as typed. A few corrections at most: picked one by one, not sorted.
            let mut out = text.to_string();
            let mut limit = out.len();
            let last = |c: &Vec<(std::ops::Range<usize>, String)>| {
                (0..c.len()).max_by_key(|&i| (c[i].0.start, std::cmp::Reverse(c[i].0.end)))
            };
            while let Some(i) = last(&corrections) {
                let (span, word) = corrections.swap_remove(i);
                if span.end <= limit {
                    limit = span.start;
                    out.replace_range(span, &word);
                }
            }
            out
        });
        (plans, suggestion)
    }

    /// The clauses with the alternatives the corpus defines: a run of words that is an
    /// acronym's long form becomes one clause that the acronym also fills; an acronym gains its
    /// long forms; two words that the corpus also writes as one (`fine tuning`, `finetuning`)
    /// become one clause that the joined word also fills. Extra alternatives are lists of terms.
    fn with_corpus_alternatives(&self, ix: &View, clauses: &[Clause]) -> Vec<(Clause, Vec<Vec<TermMatch>>)> {
        let mut out: Vec<(Clause, Vec<Vec<TermMatch>>)> = Vec::new();
        let mut i = 0;
        while i < clauses.len() {
            // The longest run of plain words, from here, that is a long form.
            let run: Vec<&QueryWord> = clauses[i..].iter().map_while(|c| c.single_word()).take(8).collect();
            let mut merged = false;
            let longest = if self.features.acronyms { run.len() } else { 1 };
            for len in (2..=longest).rev() {
                let terms: Vec<&str> = run[..len].iter().map(|w| w.term.as_str()).collect();
                if let Some(acronym) = ix.acronym_of(&terms) {
                    let words: Vec<QueryWord> = run[..len].iter().map(|w| (*w).clone()).collect();
                    let clause =
                        Clause { alternatives: vec![Phrase { words, quoted: false }], field: None, required: false };
                    out.push((clause, vec![vec![TermMatch::exact(acronym)]]));
                    i += len;
                    merged = true;
                    break;
                }
            }
            if merged {
                continue;
            }
            // An unfinished second word joins only if it is a word itself, read as finished.
            let finished = !run.get(1).is_some_and(|w| w.prefix)
                || (self.features.finished_first && run.get(1).is_some_and(|w| ix.word(&w.word).is_some()));
            if self.features.compounds && run.len() >= 2 && finished {
                let joined = format!("{}{}", run[0].word, run[1].word);
                if let Some(ord) = ix.word(&joined) {
                    let term = self.analyzer.stem(&joined);
                    if let Some(known) = ix.term_with_freq(&term).filter(|&(o, _)| o == ord) {
                        let words = vec![run[0].clone(), run[1].clone()];
                        let clause = Clause {
                            alternatives: vec![Phrase { words, quoted: false }],
                            field: None,
                            required: false,
                        };
                        out.push((clause, vec![vec![TermMatch::exact((&term, known.0, known.1))]]));
                        i += 2;
                        continue;
                    }
                }
            }
            let clause = clauses[i].clone();
            let extra = match clause.single_word() {
                Some(w) => {
                    ix.long_forms(&w.term).into_iter().map(|f| f.into_iter().map(TermMatch::exact).collect()).collect()
                }
                None => Vec::new(),
            };
            out.push((clause, extra));
            i += 1;
        }
        out
    }

    /// The terms a query word matches: its own stem; for an unfinished word, the terms of the
    /// dictionary words it begins; for a word the dictionary lacks, those of the nearest words
    /// (and that nearest word, as a correction to suggest).
    fn expand(&self, ix: &View, word: &QueryWord, typo_budget: &mut usize) -> (Vec<TermMatch>, Option<String>) {
        let mut out = Vec::new();
        let misses = ix.misses();
        if let Some((ord, doc_freq)) = ix.term_with_freq(&word.term) {
            out.push(TermMatch::exact((&word.term, ord, doc_freq)));
        }
        let missed = ix.misses() > misses;
        // An unfinished word longer than the prefix table's keys is expanded by walking its
        // range of the dictionary: without the word's own shard the walk is still asked for,
        // so that its shards come in the same round.
        if word.prefix && (!missed || word.word.chars().count() > PREFIX_TABLE_MAX_CHARS) {
            let have: Vec<TermOrd> = out.iter().map(|m| m.ord).collect();
            let found = ix.prefix_terms(&word.word, &have, max_prefix_terms(word.word.chars().count()));
            // The word typed is a word of the corpus: the words it begins rank below it.
            let completion = self.features.finished_first && !out.is_empty() && ix.word(&word.word).is_some();
            out.extend(self.term_matches(found, PREFIX_WEIGHT, completion));
        }
        if missed {
            // Without the word's shard of the dictionary, whether it needs correcting is unknown.
            return (out, None);
        }
        if !out.is_empty() {
            return self.with_frequent_neighbour(ix, word, out, typo_budget);
        }
        let distance = typo_distance(&word.word);
        if distance == 0 || !self.features.typos || *typo_budget == 0 {
            return (out, None);
        }
        *typo_budget -= 1;
        // The nearest words only: one edit away if there are any, else two. Looking one edit
        // away first is the same answer, found sooner: the walk within one edit prunes far
        // more of the dictionary than the walk within two.
        let mut found = Vec::new();
        for d in 1..=distance {
            found = ix.words_near(&word.word, d, word.prefix);
            if !found.is_empty() {
                break;
            }
        }
        let nearest = found.iter().map(|f| f.distance).min();
        let near: Vec<_> = found.into_iter().filter(|f| Some(f.distance) == nearest).collect();
        // An unfinished word near whole words (`learnig`: `learning`) is their misspelling: the
        // words that only begin with one (`learningrate`) are completions of the correction.
        let (whole, begun): (Vec<_>, Vec<_>) = near.iter().partition(|n| n.whole_distance <= n.distance);
        let split = self.features.finished_first && word.prefix && !whole.is_empty();
        let firsts = if split { &whole } else { &near.iter().collect() };
        let correction =
            firsts.iter().max_by(|a, b| a.doc_freq.cmp(&b.doc_freq).then(b.word.cmp(&a.word))).map(|n| n.word.clone());
        let mut top = TopTerms::new(ix.term_count(), &[], MAX_TYPO_TERMS);
        firsts.iter().for_each(|n| top.offer(&n.word, n.ord, n.doc_freq));
        let picked = top.finish();
        let have: Vec<TermOrd> = picked.iter().map(|p| p.1).collect();
        out.extend(self.term_matches(picked, TYPO_WEIGHT, false));
        if split {
            let mut top = TopTerms::new(ix.term_count(), &have, MAX_TYPO_TERMS);
            begun.iter().for_each(|n| top.offer(&n.word, n.ord, n.doc_freq));
            out.extend(self.term_matches(top.finish(), TYPO_WEIGHT, true));
        }
        (out, correction)
    }

    /// A word the corpus holds in at most [`RARE_DOC_FREQ`] papers also matches the
    /// word one edit away that [`NEIGHBOUR_RATIO`] times as many papers hold, if there is one
    /// (the most frequent), as a typo: `optimisaton`'s one paper does not stop the search for
    /// `optimisation`. The neighbour is suggested.
    fn with_frequent_neighbour(
        &self,
        ix: &View,
        word: &QueryWord,
        mut out: Vec<TermMatch>,
        typo_budget: &mut usize,
    ) -> (Vec<TermMatch>, Option<String>) {
        let Some(doc_freq) = out.first().filter(|m| m.weight == 1.0).map(|m| m.doc_freq) else { return (out, None) };
        // An unfinished word is looked at as a finished one only where it is a word itself.
        let as_finished = !word.prefix || (self.features.finished_first && ix.word(&word.word).is_some());
        if !self.features.rare_neighbours
            || !as_finished
            || doc_freq > RARE_DOC_FREQ
            || typo_distance(&word.word) == 0
            || *typo_budget == 0
        {
            return (out, None);
        }
        *typo_budget -= 1;
        let own = out[0].ord;
        let best = ix
            .words_near(&word.word, 1, false)
            .into_iter()
            .filter(|n| n.ord != own && n.doc_freq >= NEIGHBOUR_RATIO * doc_freq.max(1))
            .max_by(|a, b| a.doc_freq.cmp(&b.doc_freq).then(b.word.cmp(&a.word)));
        let Some(best) = best else { return (out, None) };
        let correction = best.word.clone();
        out.extend(self.term_matches(vec![(best.word, best.ord, best.doc_freq)], TYPO_WEIGHT, false));
        (out, Some(correction))
    }

    /// The matches of the picked words' terms. Stemming waits until the pick is made: a short
    /// prefix begins thousands of words.
    fn term_matches(&self, words: Vec<(String, TermOrd, u32)>, weight: f32, completion: bool) -> Vec<TermMatch> {
        words
            .into_iter()
            .map(|(w, ord, doc_freq)| TermMatch { ord, term: self.analyzer.stem(&w), weight, doc_freq, completion })
            .collect()
    }

    /// Raises `scores[doc]` to this term's score in each paper that has it, if higher, and adds
    /// `id` to `in_abstract[doc]` where the paper's abstract has it.
    fn score_term(
        &self,
        ix: &View,
        m: &TermMatch,
        field: Option<Field>,
        scores: &mut [f32],
        in_abstract: &mut [u64],
        id: u64,
    ) {
        let idf = rank::idf(ix.doc_count(), m.doc_freq);
        for p in ix.postings(m.ord) {
            if id != 0 && p.tf[Field::Abstract as usize] > 0 {
                if let Some(ids) = in_abstract.get_mut(p.doc as usize) {
                    *ids |= id;
                }
            }
            let mut tf = p.tf;
            if let Some(f) = field {
                for (i, t) in tf.iter_mut().enumerate() {
                    if i != f as usize {
                        *t = 0;
                    }
                }
                if tf[f as usize] == 0 {
                    continue;
                }
            }
            let Some(&factors) = self.factors.get(p.doc as usize) else { continue };
            let s = m.weight * rank::bm25f_factored(self.params.k1, idf, tf, factors);
            if let Some(slot) = scores.get_mut(p.doc as usize) {
                *slot = slot.max(s);
            }
        }
    }

    /// The texts of a paper's fields (only `field`, when given).
    fn field_texts<'v>(&self, ix: &View<'v>, doc: DocId, field: Option<Field>) -> Vec<&'v str> {
        let slot = |f: Field| match f {
            Field::Title => Slot::Title,
            Field::Abstract => Slot::Abstract,
            Field::Authors => Slot::Authors,
        };
        match field {
            Some(f) => vec![ix.slot(doc, slot(f))],
            None => Field::ALL.iter().map(|&f| ix.slot(doc, slot(f))).collect(),
        }
    }

    /// Whether the stems of `phrase` appear adjacent and in order in one field of the paper, read
    /// from its text (an embedded build; a sharded one reads [`PhrasePositions`]).
    fn has_phrase(&self, ix: &View, doc: DocId, phrase: &[Vec<String>], field: Option<Field>) -> bool {
        self.field_texts(ix, doc, field).into_iter().any(|text| {
            let terms: Vec<String> =
                self.analyzer.tokens(text).into_iter().filter(|t| !t.joined).map(|t| t.term).collect();
            terms.windows(phrase.len()).any(|w| w.iter().zip(phrase).all(|(t, accepted)| accepted.contains(t)))
        })
    }

    /// One hit; its segments are marked with `matched`, or empty without.
    fn hit(&self, ix: &View, doc: DocId, score: f32, matched: Option<&Matched>) -> Hit {
        let title = ix.title(doc);
        let abstract_text = ix.abstract_text(doc);
        Hit {
            id: doc,
            key: key(ix, doc),
            title: title.to_string(),
            score,
            // A title is shown whole: a window it never fills.
            title_segments: matched.map(|m| self.mark(title, m, usize::MAX, m.words)).unwrap_or_default(),
            snippet: matched
                .map(|m| self.mark(abstract_text, m, snippet::SNIPPET_TOKENS, m.wanted_in_abstract(doc)))
                .unwrap_or_default(),
            authors: list(ix, doc, Slot::Authors),
            year: ix.year(doc),
            url: optional(ix, doc, Slot::Url),
        }
    }

    /// `text` as segments with the tokens of matched terms marked (and the parts of a matched
    /// joined compound): the best window of `window` tokens, reading no further than needed
    /// to find a window that shows `wanted` distinct query words.
    fn mark(&self, text: &str, matched: &Matched, window: usize, wanted: usize) -> Vec<Segment> {
        let mut snippet = Snippet::new(window, wanted);
        crate::analyze::scan(text, |word, span, joined| {
            let hit = matched.word(word, &self.analyzer);
            if joined {
                // A matched compound marks its parts, the words just before it.
                snippet.mark_parts(span.start, hit);
                return ControlFlow::Continue(());
            }
            snippet.push(span, hit)
        });
        snippet.finish(text)
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
        let record = (id < ix.doc_count()).then(|| PaperRecord {
            id,
            key: key(&ix, id),
            title: ix.title(id).to_string(),
            abstract_text: ix.abstract_text(id).to_string(),
            authors: list(&ix, id, Slot::Authors),
            year: ix.year(id),
            url: optional(&ix, id, Slot::Url),
            categories: list(&ix, id, Slot::Categories),
        });
        self.answer(&ix, record)
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
        let found = ids
            .into_iter()
            .take(limit)
            .map(|d| RelatedPaper { id: d, key: key(&ix, d), title: ix.title(d).to_string(), year: ix.year(d) })
            .collect();
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
        }
    }
}

/// The bit that stands for a term match in the per-abstract sets of matched words (0 when
/// there is no highlighting, or more matches than bits).
fn match_id(matched: Option<&Matched>, m: &TermMatch) -> u64 {
    matched.and_then(|t| t.id(&m.term)).filter(|&id| id < 64).map_or(0, |id| 1u64 << id)
}

fn optional(ix: &View, doc: DocId, slot: Slot) -> Option<String> {
    Some(ix.slot(doc, slot)).filter(|s| !s.is_empty()).map(String::from)
}

fn key(ix: &View, doc: DocId) -> Option<String> {
    optional(ix, doc, Slot::Key)
}

fn list(ix: &View, doc: DocId, slot: Slot) -> Vec<String> {
    ix.slot(doc, slot).split('\n').filter(|s| !s.is_empty()).map(String::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Paper;
    use crate::index;

    fn paper(title: &str, abstract_text: &str) -> Paper {
        Paper::new(title, abstract_text)
    }

    fn ids(searcher: &Searcher, q: &str) -> Vec<DocId> {
        searcher.search(q, &SearchOptions::default()).hits.iter().map(|h| h.id).collect()
    }

    fn with_searcher(papers: &[Paper], f: impl FnOnce(&Searcher)) {
        let bytes = index::build(papers).unwrap();
        f(&Searcher::new(Index::open(&bytes).unwrap()));
    }

    /// What the sentence model reads of a query (semantic builds).
    #[cfg(feature = "semantic")]
    mod semantic {
        use super::*;

        #[test]
        fn the_model_reads_what_is_sought_without_the_filters() {
            let papers = [paper("Linear probing", "Transformers and attention, by Hinton, on vision.")];
            with_searcher(&papers, |s| {
                assert_eq!(
                    s.model_text(r#""linear probing" -vision author:hinton year:2020 transformers OR attention "#),
                    "linear probing transformers attention"
                );
                assert_eq!(s.model_text("title:probing -\"linear attention\" "), "probing");
                assert_eq!(s.model_text("-vision author:hinton"), "");
            });
        }

        #[test]
        fn the_model_reads_an_unfinished_last_word_as_the_word_it_begins() {
            let papers = [
                paper("Neural collapse", "Features converge to a simplex."),
                paper("Data collection", "We collect data."),
                paper("Collections", "Collected works, collected again."),
                paper("Connoisseurs", "What experts prefer."),
            ];
            with_searcher(&papers, |s| {
                // Half a word the corpus lacks: the word it begins in the best paper, not the
                // most frequent (`collect`).
                assert_eq!(s.model_text("neural coll"), "neural collapse");
                // A word of the corpus, a finished word, or one that begins no word: as typed.
                assert_eq!(s.model_text("neural connoisseurs"), "neural connoisseurs");
                assert_eq!(s.model_text("neural collapses"), "neural collapses");
                assert_eq!(s.model_text("neural coll "), "neural coll");
                assert_eq!(s.model_text("guitar distortion pedals"), "guitar distortion pedals");
                // Punctuation around it stays.
                assert_eq!(s.model_text("neural (coll"), "neural (collapse");
            });
        }
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
    fn a_phrase_being_typed_finds_the_papers_that_hold_it_so_far() {
        let papers = [
            paper("Linear probing of features", "x"),
            paper("Linear probabilistic models", "x"),
            paper("Probing linear models", "x"),
            paper("A linear problem", "x"),
            paper("Nonlinear", "a probing study"),
        ];
        with_searcher(&papers, |s| {
            let mut so_far = ids(s, "\"linear prob");
            so_far.sort_unstable();
            assert_eq!(so_far, [0, 1, 3]);
            // Its last word a word of the corpus: the phrase as it will be, closed.
            assert_eq!(ids(s, "\"linear probing"), [0]);
            assert_eq!(ids(s, "\"linear probing"), ids(s, "\"linear probing\" "));
            assert_eq!(ids(s, "\"linear probing "), [0]);
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
            let r = s.search("common", &SearchOptions { limit: 5, ..SearchOptions::default() });
            assert_eq!((r.hits.len(), r.total), (5, 30));
            assert!(s.search("common", &SearchOptions { limit: 0, ..SearchOptions::default() }).hits.is_empty());
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
    fn without_highlighting_hits_are_the_same_but_carry_no_segments() {
        with_searcher(&[paper("Linear bandits", "Regret of linear bandits."), paper("Bandit", "Arms.")], |s| {
            let plain = s.search("bandit", &SearchOptions { highlight: false, ..SearchOptions::default() });
            let marked = s.search("bandit", &SearchOptions::default());
            assert_eq!(plain.hits.len(), 2);
            assert!(plain.hits.iter().all(|h| h.title_segments.is_empty() && h.snippet.is_empty()));
            let key = |r: &SearchResults| r.hits.iter().map(|h| (h.id, h.score, h.title.clone())).collect::<Vec<_>>();
            assert_eq!(key(&plain), key(&marked));
            assert!(marked.hits.iter().all(|h| !h.title_segments.is_empty()));
        });
    }

    #[test]
    fn a_joined_compound_marks_its_parts() {
        with_searcher(&[paper("Fine-tuning large models", "We study fine-tuning.")], |s| {
            let hit = &s.search("finetuning ", &SearchOptions::default()).hits[0];
            let marked: Vec<(&str, bool)> = hit.title_segments.iter().map(|g| (g.text.as_str(), g.hit)).collect();
            assert_eq!(marked, [("Fine", true), ("-", false), ("tuning", true), (" large models", false)]);
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

    /// The snippet of `text` from all of its words, without stopping early.
    fn snippet_of_every_word(s: &Searcher, text: &str, matched: &Matched) -> Vec<Segment> {
        let mut snippet = Snippet::new(snippet::SNIPPET_TOKENS, matched.words);
        crate::analyze::scan(text, |word, span, joined| {
            let hit = matched.word(word, &s.analyzer);
            if joined {
                snippet.mark_parts(span.start, hit);
            } else {
                let _ = snippet.push(span, hit);
            }
            ControlFlow::Continue(())
        });
        snippet.finish(text)
    }

    #[test]
    fn snippets_that_stop_reading_early_equal_those_of_every_word() {
        let s = Searcher::embedded().expect("the embedded index reads");
        let mix = include_str!("../bench/queries-default.jsonl");
        let queries = mix.lines().filter_map(|l| l.split("\"q\":\"").nth(1)?.split('"').next()).chain([
            "fine-tuning",
            "fine tuning language",
            "LLM reasoning",
            "state of the art",
            "\"neural networks\"",
        ]);
        let mut compared = 0;
        let ix = s.index.view();
        for q in queries {
            let ranked = s.ranked(&ix, q, true);
            for hit in s.search(q, &SearchOptions::default()).hits {
                let text = ix.abstract_text(hit.id);
                assert_eq!(
                    hit.snippet,
                    snippet_of_every_word(&s, text, ranked.matched_terms.as_ref().expect("highlighting")),
                    "{q}"
                );
                compared += 1;
            }
        }
        assert!(compared > 1000, "{compared} snippets compared");
    }

    #[test]
    fn a_snippet_that_stops_inside_a_compound_still_marks_its_parts() {
        // The snippet is settled by word 1 and ends at word 35, `state`; the reading stops in
        // the compound, which has to be read to its end to learn that `state` matched.
        let filler: String = (0..33).map(|i| format!("w{i} ")).collect();
        let abstract_text = format!("alpha stateoftheart {filler}state-of-the-art y z");
        with_searcher(&[paper("Title", &abstract_text)], |s| {
            let hit = &s.search("alpha stateoftheart", &SearchOptions::default()).hits[0];
            let marked: Vec<&str> = hit.snippet.iter().filter(|g| g.hit).map(|g| g.text.as_str()).collect();
            assert_eq!(marked, ["alpha", "stateoftheart", "state"]);
            assert_eq!(hit.snippet.last().map(|g| g.text.as_str()), Some(snippet::ELLIPSIS));
        });
    }

    #[test]
    fn a_misspelled_word_matches_its_nearest_words_only() {
        with_searcher(&[paper("Networks", "One."), paper("Netwalks", "Two.")], |s| {
            // `networks` is one edit away, `netwalks` two: only the nearest counts.
            assert_eq!(ids(s, "netwrks "), [0]);
            // Nothing is one edit away from `nelwarks`; both are two.
            assert_eq!(ids(s, "nelwarks "), [0, 1]);
        });
    }

    #[test]
    fn a_stop_word_typed_last_ranks_as_the_query_without_it() {
        let papers = [
            paper("Learning the theory", "Of learning."),
            paper("The rest", "The theory of the rest."),
            paper("Learning", "Learning alone."),
        ];
        with_searcher(&papers, |s| {
            let finished = s.rank("learning the ", 10);
            let typed = s.rank("learning the", 10);
            assert_eq!(finished.iter().map(|h| h.0).collect::<Vec<_>>(), [2, 0], "{finished:?}");
            assert_eq!(&typed[..finished.len()], &finished[..], "{typed:?}");
            // `the` and `theory` add the paper without `learning`, below.
            assert_eq!(typed.iter().map(|h| h.0).collect::<Vec<_>>(), [2, 0, 1], "{typed:?}");
        });
    }

    #[test]
    fn a_stop_word_typed_last_that_is_an_acronym_ranks_as_the_query_without_it() {
        let papers = [
            paper("Vessels and nitric oxide", "Nitric oxide (NO) relaxes vessels."),
            paper("Vessels", "Vessels dilate with exercise."),
            paper("Soil", "Nitric oxide in soil."),
        ];
        with_searcher(&papers, |s| {
            let finished = s.rank("exercise vessels no ", 10);
            let typed = s.rank("exercise vessels no", 10);
            assert_eq!(finished.iter().map(|h| h.0).collect::<Vec<_>>(), [1, 0], "{finished:?}");
            assert_eq!(&typed[..finished.len()], &finished[..], "{typed:?}");
            // `nitric oxide`, the long form of `NO`, adds the paper without the other words, below.
            assert_eq!(typed.iter().map(|h| h.0).collect::<Vec<_>>(), [1, 0, 2], "{typed:?}");
        });
    }

    #[test]
    fn a_stop_word_within_a_compound_counts_typed_as_finished() {
        let papers = [
            paper("Genetic make", "Of genes."),
            paper("The genetic make up", "Of genes."),
            paper("Genetic upregulation", "Of genes."),
        ];
        with_searcher(&papers, |s| {
            let finished = s.rank("genetic make-up ", 10);
            let typed = s.rank("genetic make-up", 10);
            assert_eq!(finished[0].0, 1, "{finished:?}");
            assert_eq!(&typed[..finished.len()], &finished[..], "{typed:?}");
        });
    }

    #[test]
    fn two_words_the_corpus_also_joins_rank_typed_as_finished() {
        let mut papers = vec![paper("Migration of B-cells", "The niche of B-cells."), paper("Migration", "Of birds.")];
        papers.extend((0..4).map(|i| paper(&format!("Cells {i}"), "Type b cells, and other cells.")));
        with_searcher(&papers, |s| {
            let finished = s.rank("migration b cells ", 10);
            let typed = s.rank("migration b cells", 10);
            assert_eq!(finished[0].0, 0, "{finished:?}");
            assert_eq!(&typed[..finished.len()], &finished[..], "{typed:?}");
        });
    }

    #[test]
    fn a_rare_word_also_finds_its_frequent_neighbour() {
        // `modle` is in one paper, `model` (one edit away) in forty.
        let mut papers: Vec<Paper> = (0..40).map(|i| paper(&format!("Paper {i}"), "A model of things.")).collect();
        papers.push(paper("The modle", "A paper that spells it so."));
        let bytes = index::build(&papers).unwrap();
        let s = Searcher::new(Index::open(&bytes).unwrap());
        let got = s.search("modle ", &SearchOptions { limit: 100, ..SearchOptions::default() });
        assert_eq!(got.total, 41);
        assert_eq!(got.hits[0].id, 40, "the word typed comes first");
        assert_eq!(got.suggestion.as_deref(), Some("model "));
        let plain = Searcher::new(Index::open(&bytes).unwrap())
            .with_features(Features { rare_neighbours: false, ..Features::ALL });
        assert_eq!(plain.search("modle ", &SearchOptions::default()).total, 1);
        // A word in more papers than a rare one is left alone.
        let mut common = papers.clone();
        common.extend((0..3).map(|i| paper(&format!("Another modle {i}"), "Spelt so again.")));
        with_searcher(&common, |s| assert_eq!(s.search("modle ", &SearchOptions::default()).total, 4));
    }

    /// A plan of one clause whose one alternative has a word per term.
    fn plan_of(terms: &[&str]) -> Vec<ClausePlan> {
        let words = terms.iter().map(|t| vec![TermMatch::exact((t, 0, 1))]).collect();
        let alt = AltPlan { words, weight: 1.0, all_words: false, phrase: None };
        vec![ClausePlan { alternatives: vec![alt], field: None, required: false }]
    }

    #[test]
    fn an_abstract_can_show_the_query_words_its_postings_name() {
        let mut matched = Matched::new(&plan_of(&["alpha", "beta", "gamma", "beta"]));
        // `beta` twice is one match id: three words can show.
        assert_eq!(matched.words, 3);
        matched.in_abstract = vec![0b101, 0];
        assert_eq!(matched.wanted_in_abstract(0), 2);
        assert_eq!(matched.wanted_in_abstract(1), 0);
        // A paper the bookkeeping did not cover could show them all.
        assert_eq!(matched.wanted_in_abstract(2), 3);
    }

    #[test]
    fn more_match_ids_than_bits_means_reading_the_whole_abstract() {
        // 70 words, so ids up to 69, of which only the first 10 have terms of their own: the
        // bits cannot hold ids past 63, so the abstract is not trusted to show fewer words.
        let terms: Vec<String> = (0..70).map(|i| format!("t{}", i % 10)).collect();
        let mut matched = Matched::new(&plan_of(&terms.iter().map(String::as_str).collect::<Vec<_>>()));
        assert_eq!(matched.words, 10);
        matched.in_abstract = vec![0b1];
        assert_eq!(matched.wanted_in_abstract(0), 10);
    }
}
