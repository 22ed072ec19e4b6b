//! What a search and the other questions return: the options a caller passes, and the hits,
//! papers, related papers and statistics it gets back, read from the index's stored text.
//!
//! These are the types that cross to JavaScript (through serde-wasm-bindgen, camelCase), so
//! their field names are the API's.

use serde::Serialize;

use crate::index::{DocId, PartId, Slot, View};
use crate::snippet::Segment;

use super::facets::{Facets, Groups};
use super::filter::{Filters, Sort};

/// Results a search returns when the caller does not say.
pub const DEFAULT_LIMIT: usize = 10;

/// Most results a search returns, whatever the caller asks.
pub const MAX_LIMIT: usize = 1000;

/// What a search asks for besides the query text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOptions {
    pub limit: usize,
    /// Whether hits carry their title and snippet as highlighted segments. Without, both are
    /// empty (for callers that render hits their own way), and a search takes a fraction of
    /// the time: marking the words of every hit is most of a search's work.
    pub highlight: bool,
    /// What the results narrow to besides the query (and the query's own `year:`, `venue:`,
    /// `type:`).
    pub filters: Filters,
    pub sort: Sort,
    /// The groups whose values the results count ([`Facets`]): none by default. Authors are in
    /// parts of their own in a sharded build, which a search that counts them fetches.
    pub facets: Groups,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: DEFAULT_LIMIT,
            highlight: true,
            filters: Filters::default(),
            sort: Sort::Relevance,
            facets: Groups::NONE,
        }
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
    pub venue: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Hit {
    /// The hit for paper `doc`, with its title and snippet marked as given (empty segments for
    /// a search without highlighting).
    pub(super) fn read(
        ix: &View,
        doc: DocId,
        score: f32,
        (title_segments, snippet): (Vec<Segment>, Vec<Segment>),
    ) -> Hit {
        Hit {
            id: doc,
            key: key(ix, doc),
            title: ix.title(doc).to_string(),
            score,
            title_segments,
            snippet,
            authors: list(ix, doc, Slot::Authors),
            year: ix.year(doc),
            venue: ix.venue(doc).map(String::from),
            url: optional(ix, doc, Slot::Url),
        }
    }
}

/// What a search returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    /// Best first, at most the limit.
    pub hits: Vec<Hit>,
    /// How many papers matched in all.
    pub total: usize,
    /// Whether the query had more words than are looked up (see [`crate::query::MAX_WORDS`]).
    pub truncated: bool,
    /// The query with each word the corpus lacks replaced by its nearest corpus word, when
    /// there is such a word ("did you mean").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// The counts of each group's values, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}

impl SearchResults {
    /// No hits.
    pub fn none() -> Self {
        SearchResults { hits: Vec::new(), total: 0, truncated: false, suggestion: None, facets: None }
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
    pub month: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    /// The kind of work (`article`, `conference paper`, `preprint`, ...).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdf: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arxiv: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
}

impl PaperRecord {
    /// Paper `id` as its text part stores it.
    pub(super) fn read(ix: &View, id: DocId) -> PaperRecord {
        PaperRecord {
            id,
            key: key(ix, id),
            title: ix.title(id).to_string(),
            abstract_text: ix.abstract_text(id).to_string(),
            authors: list(ix, id, Slot::Authors),
            year: ix.year(id),
            month: ix.month(id),
            venue: ix.venue(id).map(String::from),
            kind: ix.kind(id).map(String::from),
            doi: optional(ix, id, Slot::Doi),
            url: optional(ix, id, Slot::Url),
            pdf: optional(ix, id, Slot::Pdf),
            arxiv: optional(ix, id, Slot::Arxiv),
            keywords: list(ix, id, Slot::Keywords),
            categories: list(ix, id, Slot::Categories),
        }
    }
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

impl RelatedPaper {
    pub(super) fn read(ix: &View, id: DocId) -> RelatedPaper {
        RelatedPaper { id, key: key(ix, id), title: ix.title(id).to_string(), year: ix.year(id) }
    }
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
    /// The facet groups the corpus has values for: `year`, `venue`, `type`, `author`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facets: Vec<&'static str>,
}

/// The parts of a sharded index that a question needed and that are not at hand: fetch them,
/// add them ([`super::Searcher::insert_part`]) and ask again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing(pub Vec<PartId>);

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<String> = self.0.iter().map(PartId::file_name).collect();
        write!(f, "parts of the index not at hand: {}", names.join(", "))
    }
}

impl std::error::Error for Missing {}

fn optional(ix: &View, doc: DocId, slot: Slot) -> Option<String> {
    Some(ix.slot(doc, slot)).filter(|s| !s.is_empty()).map(String::from)
}

fn key(ix: &View, doc: DocId) -> Option<String> {
    optional(ix, doc, Slot::Key)
}

fn list(ix: &View, doc: DocId, slot: Slot) -> Vec<String> {
    ix.slot(doc, slot).split('\n').filter(|s| !s.is_empty()).map(String::from).collect()
}
