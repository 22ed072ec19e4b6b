//! The engine's JavaScript API: search, papers, related papers, statistics, and (through
//! [`fetch`](super::fetch) in a sharded build) the loader's settings.
//!
//! The index bundle embedded in the module is opened once, when the module starts: the whole
//! index for an embedded build, the core alone for a sharded one. Each call passes a query
//! string in and gets plain objects back (through serde-wasm-bindgen), typed by the TypeScript
//! declarations of `types.rs`. No input makes a call throw: a query that is not a string, options that
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
use super::options;
use super::searcher::{self, abort_error, with_searcher};
use crate::search::{Missing, Searcher, EMBEDDED_INDEX};
#[cfg(feature = "semantic")]
use crate::semantic::fuse::{Exact, Near};

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
    fetch::ask(Box::new(move |s| ask(s).map(|value| to_js(&value).map_err(JsValue::from))), pause_ms, signal)
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
    let mut ask = asker(text, options.as_ref());
    now(|s| ask(s))
}

/// A search as the options ask it: with search by meaning when they say `semantic: true` and the
/// model is loaded (the query embedded once, at the first try that has what it needs), else
/// BM25F alone.
fn asker(
    text: String,
    options: Option<&JsValue>,
) -> impl FnMut(&Searcher<'static>) -> Result<crate::search::SearchResults, Missing> {
    let search_options = options.map(options::search_options).unwrap_or_default();
    #[cfg(feature = "semantic")]
    {
        // Whether the query's vector is still to be worked out, and then what it is.
        let mut pending = options::wants_semantic(options) && super::semantic::loaded();
        let mut nearest: Option<super::semantic::Nearest> = None;
        move |s| {
            if pending {
                // The query as the model reads it, and every paper's code: asked together, so
                // that a sharded build fetches what both lack in one round.
                nearest = match (s.try_model_text(&text), super::semantic::read_codes(s)) {
                    (Ok(meant), Ok(())) => super::semantic::nearest(&meant),
                    (Err(Missing(mut a)), Err(Missing(b))) => {
                        a.extend(b);
                        return Err(Missing(a));
                    }
                    (Err(missing), _) | (_, Err(missing)) => return Err(missing),
                };
                pending = false;
            }
            match &nearest {
                Some((query, estimates)) => {
                    let near = Near { estimates, exact: Exact::Stored(query) };
                    s.try_search_near(&text, &search_options, near)
                }
                None => s.try_search(&text, &search_options),
            }
        }
    }
    #[cfg(not(feature = "semantic"))]
    move |s| s.try_search(&text, &search_options)
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
    let ask = asker(text, options.as_ref());
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
    later(ask, pause, signal)
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

/// The paper as a BibTeX entry to copy (`undefined` for an unknown id): the entry as its `.bib`
/// file wrote it, or one made from its record.
#[wasm_bindgen(unchecked_return_type = "string | undefined")]
pub fn cite(#[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> Result<JsValue, JsError> {
    match doc_id(&id) {
        Some(id) => now(|s| s.try_cite(id)),
        None => Ok(JsValue::UNDEFINED),
    }
}

/// `cite`, answered once the paper's text is at hand (see the TypeScript declaration).
#[wasm_bindgen(js_name = citeAsync, skip_typescript)]
pub fn cite_async(id: JsValue) -> js_sys::Promise {
    #[cfg(feature = "shards")]
    return match doc_id(&id) {
        Some(id) => later(move |s| s.try_cite(id), 0, None),
        None => js_sys::Promise::resolve(&JsValue::UNDEFINED),
    };
    #[cfg(not(feature = "shards"))]
    settled(cite(id))
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
