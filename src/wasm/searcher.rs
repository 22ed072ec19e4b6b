//! The searcher the module's exports ask: opened once from the index the module holds (compiled
//! in, or appended as a custom section) or is given, then shared by the exports (`engine.rs`),
//! the shard loader (`fetch.rs`), which adds the parts it fetches, and search by meaning
//! (`semantic.rs`), which reads the module's other custom section. It uses none of them.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::index::Index;
use crate::search::{Searcher, EMBEDDED_INDEX};

thread_local! {
    /// The searcher over the embedded bundle, opened when the module starts; the loader adds
    /// the parts it fetches.
    static SEARCHER: RefCell<Option<Searcher<'static>>> = const { RefCell::new(None) };
}

/// The custom section a corpus's index is appended to a module as, when the module was built
/// without one: by `./build.sh` for any corpus but the default, and by the npm package's
/// builder (`builder/wasm-section.mjs`).
const INDEX_SECTION: &str = "paper-search-index";

/// Opens the module's index, once (the start function does; a module whose start function did
/// not run, as in a test harness, opens it at its first call): the one compiled in, or the one
/// appended to the module. A module with neither waits for `openIndex` ([`open`]).
pub fn opened() -> Result<(), JsError> {
    if SEARCHER.with_borrow(Option::is_none) {
        if EMBEDDED_INDEX.is_empty() {
            let bytes = appended_index().ok_or_else(|| {
                JsError::new(
                    "paper-search: this module has no index: build it with ./build.sh or npx paper-search build, or give it one with openIndex(bytes)",
                )
            })?;
            return open(bytes);
        }
        let searcher = Searcher::embedded().map_err(|e| JsError::new(&e.to_string()))?;
        SEARCHER.with_borrow_mut(|s| *s = Some(searcher));
    }
    Ok(())
}

/// The index appended to this module as its [`INDEX_SECTION`] custom section, if it has one: the
/// module reads it from its own `WebAssembly.Module`, so that every way of loading it (the
/// element, `init()` of the raw API, `initSync` in the single file, Node) finds its index.
pub fn appended_index() -> Option<Vec<u8>> {
    custom_section(INDEX_SECTION)
}

/// The bytes of this module's custom section `name`, if it has one.
fn custom_section(name: &str) -> Option<Vec<u8>> {
    let module: js_sys::WebAssembly::Module = wasm_bindgen::module().dyn_into().ok()?;
    let section = js_sys::WebAssembly::Module::custom_sections(&module, name).get(0);
    let bytes = section.dyn_into::<js_sys::ArrayBuffer>().ok()?;
    Some(js_sys::Uint8Array::new(&bytes).to_vec())
}

/// Opens the index bundle `bytes`, in place of any index the module had.
///
/// # Errors
///
/// When the bytes are not an index of this version, saying so.
pub fn open(bytes: Vec<u8>) -> Result<(), JsError> {
    // The index lives as long as the module, as an embedded one does.
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let searcher = Searcher::new(Index::open(bytes).map_err(|e| JsError::new(&format!("paper-search: {e}")))?);
    SEARCHER.with_borrow_mut(|s| *s = Some(searcher));
    Ok(())
}

/// Runs `f` with the searcher.
pub fn with_searcher<T>(f: impl FnOnce(&Searcher<'static>) -> T) -> Result<T, JsError> {
    opened()?;
    SEARCHER.with_borrow(|s| s.as_ref().map(f)).ok_or_else(|| JsError::new("paper-search: the module did not start"))
}

/// Runs `f` with the searcher, to change it (a sharded build's fetched parts).
#[cfg(feature = "shards")]
pub fn with_searcher_mut<T>(f: impl FnOnce(&mut Searcher<'static>) -> T) -> Result<T, JsError> {
    opened()?;
    SEARCHER
        .with_borrow_mut(|s| s.as_mut().map(f))
        .ok_or_else(|| JsError::new("paper-search: the module did not start"))
}

/// The error a question rejects with when its caller aborted it.
pub fn abort_error() -> JsValue {
    let error = js_sys::Error::new("paper-search: the search was aborted");
    error.set_name("AbortError");
    error.into()
}
