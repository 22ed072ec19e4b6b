//! The engine's JavaScript API: search, papers, related papers, statistics, and (through
//! [`fetch`](super::fetch) in a sharded build) the loader's settings.
//!
//! The index bundle embedded in the module is opened once, when the module starts: the whole
//! index for an embedded build, the core alone for a sharded one. Each call passes a query
//! string in and gets plain objects back (through serde-wasm-bindgen), typed by the TypeScript
//! declarations below. No input makes a call throw: a query that is not a string, options that
//! are not an object or a limit that is not a number fall back to the defaults.
//!
//! Both builds export the same functions. The synchronous ones (`search`, `paper`, `related`)
//! answer from the parts at hand: all of them in an embedded build; in a sharded build they
//! throw when the answer needs a part not fetched yet. The `…Async` ones answer in both: an
//! embedded build's promise is settled at once, a sharded build's once the parts the answer
//! needs have been fetched (with the `shards` feature, by [`fetch`](super::fetch)).

use wasm_bindgen::prelude::*;

#[cfg(feature = "shards")]
use super::fetch;
use super::searcher::{self, abort_error, with_searcher};
use crate::search::{Missing, SearchOptions, Searcher, EMBEDDED_INDEX, MAX_LIMIT};

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
   * `searchAsync` only: when aborted, the search rejects with an `AbortError`, and its downloads
   * of parts that no other pending question needs are aborted too.
   */
  signal?: AbortSignal;
  /**
   * `searchAsync` only: milliseconds to wait before fetching parts of a sharded index that the
   * search needs (default 0), so that the next keystroke can abort it first. An answer from
   * the parts at hand does not wait.
   */
  pause?: number;
  /**
   * Whether hits carry `titleSegments` and `snippet` (default true). With `false` both are
   * empty (for callers that render hits their own way), and a search takes a fraction of the
   * time: marking the words of every hit is most of a search's work.
   */
  highlight?: boolean;
  /**
   * Search by meaning as well (a build made with `SEMANTIC=on`, once `loadModel` has
   * resolved): the papers nearest the query's vector fused with BM25F's ranking. Without the
   * model, or in another build, the search is BM25F alone.
   */
  semantic?: boolean;
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

/**
 * Searches as `search` does, in both builds: a sharded build first fetches the parts of the
 * index the search needs (retrying a failed fetch twice), an embedded build answers at once.
 * Rejects with an `Error` saying what failed when a part cannot be loaded; never with partial hits.
 */
export function searchAsync(query: string, options?: SearchOptions): Promise<SearchResults>;

/** `paper`, in both builds (a sharded build fetches the paper's text first). */
export function paperAsync(id: number): Promise<Paper | undefined>;

/** `related`, in both builds (a sharded build fetches the papers' text first). */
export function relatedAsync(id: number, limit?: number): Promise<RelatedPaper[]>;

export interface LoaderOptions {
  /** URL of the folder that holds the build's `index-…/` folder (the module's folder). */
  base?: string;
  /** Most bytes of fetched parts kept in memory (default 32 MiB); the least recently read go first. */
  cacheBytes?: number;
}

/** Tells a sharded build where its parts are; an embedded build has nothing to configure. */
export function configure(options: LoaderOptions): void;

/**
 * The URLs of every part file of a sharded index (none for an embedded build, which holds
 * everything): fetched once each, with a service worker that keeps them (the demo page's
 * does), they let the whole corpus be searched offline. `paper-search.js`'s element does it
 * with progress (`saveOffline()`).
 */
export function partUrls(): string[];

/** What `loadModel` resolves with. */
export interface ModelInfo { name: string; parameters: number; dimensions: number; maxTokens: number; bytes: number; }

/**
 * Loads the sentence model of a build made with `SEMANTIC=on` (`pkg/` + `stats().modelFile`):
 * from a URL (fetched) or from the file's bytes, gzip as the build writes it or gunzipped. Resolves
 * when searches can use it; rejects with what went wrong (a failed download, another build's
 * model, a build without papers' vectors). Only a semantic build exports it.
 */
export function loadModel(source: string | Uint8Array | ArrayBuffer): Promise<ModelInfo>;

/** The query's unit vector (384 numbers); throws before `loadModel`. Only a semantic build exports it. */
export function embedQuery(text: string): Float32Array;

export interface Stats {
  papers: number;
  terms: number;
  words: number;
  formatVersion: number;
  analyzerVersion: number;
  /** Whether the build is sharded: its index is fetched in parts as queries need them. */
  sharded: boolean;
  /** A sharded build's cache: the bytes of fetched parts kept in memory, how many, and the cap. */
  cachedBytes?: number;
  cachedParts?: number;
  cacheBytes?: number;
  /**
   * A semantic build: whether the module holds its papers' vectors, whether the model is
   * loaded, and the model's file name in the build's folder (for `loadModel`).
   */
  semantic?: boolean;
  modelLoaded?: boolean;
  modelFile?: string;
}
"#;

/// Installs the panic hook and opens the module's index; runs once when the module is
/// instantiated.
///
/// # Errors
///
/// Throws only if the index cannot be read (a broken build), so that a page's `init()` fails
/// visibly instead of every search returning nothing.
#[wasm_bindgen(start, skip_typescript)]
fn start() -> Result<(), JsError> {
    #[cfg(feature = "console_error_panic_hook")]
    console_error_panic_hook::set_once();
    if EMBEDDED_INDEX.is_empty() {
        // A module with no index at all waits for `openIndex`.
        return searcher::appended_index().map_or(Ok(()), searcher::open);
    }
    searcher::opened()
}

/// Gives a module its index, in place of any it had: the bytes of an index bundle, such as the
/// one `paper-search-index` writes (a module built with one, or with one appended, opens it
/// itself when it starts).
///
/// # Errors
///
/// Throws when the bytes are not an index of this version, saying so.
#[wasm_bindgen(js_name = openIndex)]
pub fn open_index(#[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: Vec<u8>) -> Result<(), JsError> {
    searcher::open(bytes)
}

/// A synchronous answer: what the searcher says from the parts at hand.
fn now<T: serde::Serialize>(ask: impl FnOnce(&Searcher<'static>) -> Result<T, Missing>) -> Result<JsValue, JsError> {
    match with_searcher(ask)? {
        Ok(value) => to_js(&value),
        Err(_) => Err(JsError::new(
            "paper-search: this build fetches its index in parts, and this answer needs parts not fetched yet; use searchAsync, paperAsync or relatedAsync",
        )),
    }
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    serde_wasm_bindgen::to_value(value).map_err(|e| JsError::new(&e.to_string()))
}

/// An asynchronous answer: in a sharded build, after fetching what it needs. The answer
/// crosses to JavaScript inside `ask`, so that one loop serves every kind of question.
#[cfg(feature = "shards")]
fn later<T: serde::Serialize>(
    mut ask: impl FnMut(&Searcher<'static>) -> Result<T, Missing> + 'static,
    pause_ms: u32,
    signal: Option<web_sys::AbortSignal>,
) -> js_sys::Promise {
    let ask: Box<fetch::Question> = Box::new(move |s| ask(s).map(|value| to_js(&value).map_err(JsValue::from)));
    wasm_bindgen_futures::future_to_promise(fetch::answer(ask, pause_ms, signal))
}

/// An asynchronous answer: an embedded build has every part, so the promise is settled at once.
#[cfg(not(feature = "shards"))]
fn settled(answer: Result<JsValue, JsError>) -> js_sys::Promise {
    match answer {
        Ok(value) => js_sys::Promise::resolve(&value),
        Err(e) => js_sys::Promise::reject(&JsValue::from(e)),
    }
}

/// Searches the papers: hits best first, with highlighted title and snippet segments.
///
/// Any query is valid: one with no words (empty, spaces, punctuation) finds nothing.
///
/// Its TypeScript declaration is written by hand (above) so that `options` is optional.
#[wasm_bindgen(skip_typescript)]
pub fn search(query: JsValue, options: Option<JsValue>) -> Result<JsValue, JsError> {
    let text = query.as_string().unwrap_or_default();
    #[cfg(feature = "semantic")]
    // What the model reads is worked out only once it can read it.
    if wants_semantic(options.as_ref()) && super::semantic::loaded() {
        let meant = with_searcher(|s| s.model_text(&text))?;
        if let Some(nearest) = super::semantic::nearest(&meant) {
            let options = options.as_ref().map(options_from).unwrap_or_default();
            return now(|s| s.try_search_near(&text, &options, &nearest));
        }
    }
    let options = options.as_ref().map(options_from).unwrap_or_default();
    now(|s| s.try_search(&text, &options))
}

/// Whether the options ask for search by meaning (`{ semantic: true }`).
#[cfg(feature = "semantic")]
fn wants_semantic(options: Option<&JsValue>) -> bool {
    options.is_some_and(|o| js_sys::Reflect::get(o, &JsValue::from_str("semantic")).ok() == Some(JsValue::TRUE))
}

/// `search`, answered once the parts it needs are at hand (see the TypeScript declaration).
#[cfg(not(feature = "shards"))]
#[wasm_bindgen(js_name = searchAsync, skip_typescript)]
pub fn search_async(query: JsValue, options: Option<JsValue>) -> js_sys::Promise {
    let signal = options.as_ref().and_then(|o| js_sys::Reflect::get(o, &JsValue::from_str("signal")).ok());
    if signal.is_some_and(|s| js_sys::Reflect::get(&s, &JsValue::from_str("aborted")).ok() == Some(JsValue::TRUE)) {
        return js_sys::Promise::reject(&abort_error());
    }
    settled(search(query, options))
}

/// `search`, answered once the parts it needs are at hand (see the TypeScript declaration).
#[cfg(feature = "shards")]
#[wasm_bindgen(js_name = searchAsync, skip_typescript)]
pub fn search_async(query: JsValue, options: Option<JsValue>) -> js_sys::Promise {
    let text = query.as_string().unwrap_or_default();
    let search_options = options.as_ref().map(options_from).unwrap_or_default();
    let signal = options.as_ref().and_then(|o| js_sys::Reflect::get(o, &JsValue::from_str("signal")).ok());
    if signal
        .as_ref()
        .is_some_and(|s| js_sys::Reflect::get(s, &JsValue::from_str("aborted")).ok() == Some(JsValue::TRUE))
    {
        return js_sys::Promise::reject(&abort_error());
    }
    let pause = options
        .as_ref()
        .and_then(|o| js_sys::Reflect::get(o, &JsValue::from_str("pause")).ok())
        .and_then(|p| p.as_f64())
        .filter(|p| p.is_finite() && *p > 0.0)
        .map_or(0, |p| p.min(10_000.0) as u32);
    let signal = signal.and_then(|s| wasm_bindgen::JsCast::dyn_into::<web_sys::AbortSignal>(s).ok());
    later(move |s| s.try_search(&text, &search_options), pause, signal)
}

/// The paper with this id, or `undefined` when there is none.
#[wasm_bindgen(unchecked_return_type = "Paper | undefined")]
pub fn paper(#[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> Result<JsValue, JsError> {
    match doc_id(&id) {
        Some(id) => now(|s| s.try_paper(id)),
        None => Ok(JsValue::UNDEFINED),
    }
}

/// `paper`, answered once the paper's text is at hand (see the TypeScript declaration).
#[wasm_bindgen(js_name = paperAsync, skip_typescript)]
pub fn paper_async(id: JsValue) -> js_sys::Promise {
    #[cfg(feature = "shards")]
    return match doc_id(&id) {
        Some(id) => later(move |s| s.try_paper(id), 0, None),
        None => js_sys::Promise::resolve(&JsValue::UNDEFINED),
    };
    #[cfg(not(feature = "shards"))]
    settled(paper(id))
}

/// The papers most similar to paper `id` (computed at build time), best first; an empty
/// array for an unknown id. `limit` defaults to 5.
#[wasm_bindgen(unchecked_return_type = "RelatedPaper[]")]
pub fn related(
    #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] limit: JsValue,
) -> Result<JsValue, JsError> {
    let limit = related_limit(&limit);
    match doc_id(&id) {
        Some(id) => now(|s| s.try_related(id, limit)),
        None => to_js(&Vec::<()>::new()),
    }
}

/// `related`, answered once the papers' text is at hand (see the TypeScript declaration).
#[wasm_bindgen(js_name = relatedAsync, skip_typescript)]
pub fn related_async(id: JsValue, limit: JsValue) -> js_sys::Promise {
    #[cfg(feature = "shards")]
    return match doc_id(&id) {
        Some(id) => {
            let limit = related_limit(&limit);
            later(move |s| s.try_related(id, limit), 0, None)
        }
        None => js_sys::Promise::resolve(&JsValue::from(js_sys::Array::new())),
    };
    #[cfg(not(feature = "shards"))]
    settled(related(id, limit))
}

fn related_limit(limit: &JsValue) -> usize {
    limit.as_f64().filter(|l| l.is_finite() && *l >= 0.0).map_or(5, |l| l as usize)
}

/// A paper number from JavaScript: a non-negative whole number.
fn doc_id(id: &JsValue) -> Option<u32> {
    id.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u32::MAX)).map(|f| f as u32)
}

/// Paper count, term count, the index's format and analyzer versions, and whether it is sharded.
#[wasm_bindgen(unchecked_return_type = "Stats")]
pub fn stats() -> Result<JsValue, JsError> {
    let stats = to_js(&with_searcher(|s| s.stats())?)?;
    #[cfg(feature = "shards")]
    fetch::describe_cache(&stats);
    #[cfg(feature = "semantic")]
    {
        let (file, model) = super::semantic::status();
        let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&stats, &JsValue::from_str(k), v);
        let _ = set("semantic", &JsValue::from_bool(file.is_some()));
        let _ = set("modelLoaded", &JsValue::from_bool(model));
        if let Some(file) = file {
            let _ = set("modelFile", &JsValue::from_str(&file));
        }
    }
    Ok(stats)
}

/// Where a sharded build's parts are, and how many bytes of them to keep (see the TypeScript
/// declaration); an embedded build ignores it.
#[wasm_bindgen(skip_typescript)]
pub fn configure(options: JsValue) {
    #[cfg(feature = "shards")]
    {
        let get = |name: &str| js_sys::Reflect::get(&options, &JsValue::from_str(name)).ok();
        let base = get("base").and_then(|b| b.as_string());
        let cache = get("cacheBytes").and_then(|c| c.as_f64()).filter(|c| c.is_finite() && *c >= 0.0);
        fetch::configure(base, cache.map(|c| c as usize));
    }
    #[cfg(not(feature = "shards"))]
    let _ = options;
}

/// The URLs of every part file of a sharded index (see the TypeScript declaration).
///
/// # Errors
///
/// Throws in a sharded build that was not told where its parts are (`configure`).
#[wasm_bindgen(js_name = partUrls, skip_typescript)]
pub fn part_urls() -> Result<Vec<String>, JsValue> {
    #[cfg(feature = "shards")]
    return fetch::part_urls();
    #[cfg(not(feature = "shards"))]
    Ok(Vec::new())
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
