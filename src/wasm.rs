//! The JavaScript API: the one file that touches wasm-bindgen.
//!
//! The embedded index is opened once, when the module starts; each call passes a query string
//! in and gets plain objects back (through serde-wasm-bindgen), typed by the TypeScript
//! declarations below. No input makes a call throw: a query that is not a string, options that
//! are not an object or a limit that is not a number fall back to the defaults.

use std::sync::OnceLock;

use wasm_bindgen::prelude::*;

use crate::search::{SearchOptions, Searcher, MAX_LIMIT};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A run of text that matched the query (`hit`) or did not. */
export interface Segment { text: string; hit: boolean; }

/** One search result. */
export interface Hit {
  /** The paper's 0-based position in the corpus. */
  id: number;
  /** The corpus's own id (JSON corpora). */
  key?: string;
  title: string;
  /** BM25F score: larger is better; only comparable within one search. */
  score: number;
  /** The whole title, split into matched and unmatched runs. */
  titleSegments: Segment[];
  /** The earliest part of the abstract that shows the most query words. */
  snippet: Segment[];
  authors?: string[];
  year?: number;
  /** The paper's page, as the corpus gives it: check the scheme before making it a link. */
  url?: string;
}

/** What `search` returns. */
export interface SearchResults {
  /** Best first, at most `limit` of them. */
  hits: Hit[];
  /** How many papers matched in all. */
  total: number;
  /** Whether the query had more words than are looked up. */
  truncated: boolean;
  /** "Did you mean": the query with misspelled words replaced by the corpus's nearest words. */
  suggestion?: string;
}

export interface SearchOptions {
  /** Most hits to return (default 10, at most 1000). */
  limit?: number;
  /**
   * Whether hits carry `titleSegments` and `snippet` (default true). With `false` both are
   * empty (for callers that render hits their own way), and a search takes a fraction of the
   * time: marking the words of every hit is most of a search's work.
   */
  highlight?: boolean;
}

/** A paper, whole. */
export interface Paper {
  id: number;
  key?: string;
  title: string;
  abstract: string;
  authors?: string[];
  year?: number;
  url?: string;
  categories?: string[];
}

/** A paper similar to another, as `related` returns it. */
export interface RelatedPaper { id: number; key?: string; title: string; year?: number; }

/**
 * Searches the papers: hits best first, with highlighted title and snippet segments.
 * Any query is valid: one with no words (empty, spaces, punctuation) finds nothing.
 */
export function search(query: string, options?: SearchOptions): SearchResults;

export interface Stats {
  papers: number;
  terms: number;
  words: number;
  formatVersion: number;
  analyzerVersion: number;
  /** Whether the build is sharded: its index is fetched in parts as queries need them. */
  sharded: boolean;
}
"#;

static SEARCHER: OnceLock<Searcher<'static>> = OnceLock::new();

/// Installs the panic hook and opens the embedded index; runs once when the module is
/// instantiated.
///
/// # Errors
///
/// Throws only if the embedded index cannot be read (a broken build), so that a page's
/// `init()` fails visibly instead of every search returning nothing.
#[wasm_bindgen(start, skip_typescript)]
fn start() -> Result<(), JsError> {
    #[cfg(feature = "console_error_panic_hook")]
    console_error_panic_hook::set_once();
    searcher().map(|_| ())
}

/// The searcher over the embedded index, opened on first use.
fn searcher() -> Result<&'static Searcher<'static>, JsError> {
    if let Some(s) = SEARCHER.get() {
        return Ok(s);
    }
    let opened = Searcher::embedded().map_err(|e| JsError::new(&e.to_string()))?;
    Ok(SEARCHER.get_or_init(|| opened))
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    serde_wasm_bindgen::to_value(value).map_err(|e| JsError::new(&e.to_string()))
}

/// Searches the papers: hits best first, with highlighted title and snippet segments.
///
/// Any query is valid: one with no words (empty, spaces, punctuation) finds nothing.
///
/// Its TypeScript declaration is written by hand (above) so that `options` is optional.
#[wasm_bindgen(skip_typescript)]
pub fn search(query: JsValue, options: Option<JsValue>) -> Result<JsValue, JsError> {
    let text = query.as_string().unwrap_or_default();
    let options = options.as_ref().map(options_from).unwrap_or_default();
    to_js(&searcher()?.search(&text, &options))
}

/// The paper with this id, or `undefined` when there is none.
#[wasm_bindgen(unchecked_return_type = "Paper | undefined")]
pub fn paper(#[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> Result<JsValue, JsError> {
    let record = doc_id(&id).and_then(|id| searcher().ok()?.paper(id));
    match record {
        Some(r) => to_js(&r),
        None => Ok(JsValue::UNDEFINED),
    }
}

/// The papers most similar to paper `id` (computed at build time), best first; an empty
/// array for an unknown id. `limit` defaults to 5.
#[wasm_bindgen(unchecked_return_type = "RelatedPaper[]")]
pub fn related(
    #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] limit: JsValue,
) -> Result<JsValue, JsError> {
    let limit = limit.as_f64().filter(|l| l.is_finite() && *l >= 0.0).map_or(5, |l| l as usize);
    let found = match doc_id(&id) {
        Some(id) => searcher()?.related(id, limit),
        None => Vec::new(),
    };
    to_js(&found)
}

/// A paper number from JavaScript: a non-negative whole number.
fn doc_id(id: &JsValue) -> Option<u32> {
    id.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u32::MAX)).map(|f| f as u32)
}

/// Paper count, term count and the index's format and analyzer versions.
#[wasm_bindgen(unchecked_return_type = "Stats")]
pub fn stats() -> Result<JsValue, JsError> {
    to_js(&searcher()?.stats())
}

/// Reads `{ limit }` leniently: anything that is not a usable number keeps the default.
fn options_from(options: &JsValue) -> SearchOptions {
    let mut out = SearchOptions::default();
    if options.is_object() {
        let limit = js_sys::Reflect::get(options, &JsValue::from_str("limit")).ok().and_then(|v| v.as_f64());
        if let Some(limit) = limit.filter(|l| l.is_finite() && *l >= 0.0) {
            out.limit = (limit.floor() as usize).min(MAX_LIMIT);
        }
        if let Some(highlight) =
            js_sys::Reflect::get(options, &JsValue::from_str("highlight")).ok().and_then(|v| v.as_bool())
        {
            out.highlight = highlight;
        }
    }
    out
}
