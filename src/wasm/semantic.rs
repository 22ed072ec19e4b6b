//! Search by meaning in the engine (the `semantic` feature): the papers' vectors, which the
//! build appends to the module as its `paper-search-vectors` custom section, and the sentence
//! model, which the page loads only when asked (`loadModel`), fetched with web-sys through
//! [`net`](super::net). Once it is loaded, `search(query, { semantic: true })` embeds the query
//! and fuses the nearest papers with BM25F's ranking; before, it is BM25F alone.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::net;
use super::searcher::{custom_section, with_searcher};
use crate::index::DocId;
use crate::semantic::encoder::Encoder;
use crate::semantic::fuse;
use crate::semantic::model::Model;
use crate::semantic::vectors::Vectors;

/// The custom section the build appends the papers' vectors as.
const VECTORS_SECTION: &str = "paper-search-vectors";

thread_local! {
    /// The papers' vectors, read from the module at the first need (`None` inside: it has none).
    static VECTORS: RefCell<Option<Option<Vectors>>> = const { RefCell::new(None) };
    static ENCODER: RefCell<Option<Encoder>> = const { RefCell::new(None) };
}

/// Runs `f` with the papers' vectors: those of the module's section, when they read and there is
/// one for each paper of the index (vectors of another corpus would name papers it lacks).
fn with_vectors<T>(f: impl FnOnce(Option<&Vectors>) -> T) -> T {
    if VECTORS.with_borrow(Option::is_none) {
        let papers = with_searcher(|s| s.stats().papers as usize).ok();
        let vectors = custom_section(VECTORS_SECTION)
            .and_then(|bytes| Vectors::from_bytes(&bytes).ok())
            .filter(|v| Some(v.len()) == papers);
        VECTORS.with_borrow_mut(|v| *v = Some(vectors));
    }
    VECTORS.with_borrow(|v| f(v.as_ref().and_then(Option::as_ref)))
}

/// The file name of the model the module's papers' vectors were made with (none: the module
/// has no vectors), and whether the model is loaded.
pub fn status() -> (Option<String>, bool) {
    let file = with_vectors(|v| v.map(Vectors::model_file));
    (file, loaded())
}

/// Whether the model is loaded.
pub fn loaded() -> bool {
    ENCODER.with_borrow(Option::is_some)
}

fn error(message: &str) -> JsError {
    JsError::new(&format!("paper-search: {message}"))
}

/// Loads the sentence model (see the TypeScript declaration in `engine.rs`).
///
/// # Errors
///
/// Rejects when the file cannot be fetched or read, or is not the model the build embedded the
/// papers with, saying which.
#[wasm_bindgen(js_name = loadModel, skip_typescript)]
pub async fn load_model(source: JsValue) -> Result<JsValue, JsError> {
    // A URL's file is fetched, and then read as the file's bytes are: gunzipped when gzip.
    let file = if let Some(url) = source.as_string() {
        net::fetch_body(&url, None).await.map_err(|e| error(&format!("could not load the model from {url}: {e}")))?
    } else if let Some(array) = source.dyn_ref::<js_sys::Uint8Array>() {
        array.clone()
    } else if let Some(buffer) = source.dyn_ref::<js_sys::ArrayBuffer>() {
        js_sys::Uint8Array::new(buffer)
    } else {
        return Err(error("loadModel takes the model file's URL or its bytes (a Uint8Array or an ArrayBuffer)"));
    };
    let bytes = net::ungzipped(&file)
        .await
        .map_err(|_| error("the model file is not valid gzip: it is damaged or cut short"))?;
    drop(file);
    let size = bytes.len();
    let model = Model::from_bytes(&bytes).map_err(|e| error(&e.0))?;
    drop(bytes);
    let papers = with_vectors(|v| v.map(|v| (v.model_id, v.len())));
    match papers {
        None => {
            return Err(error(
                "this build holds no papers' vectors, so a model cannot help it: build it with SEMANTIC=on ./build.sh",
            ))
        }
        Some((id, _)) if id != model.id => {
            return Err(error(
                "this model is not the one the build embedded its papers with: serve the paper-search-model.bin of the same build",
            ))
        }
        Some(_) => {}
    }
    let (name, parameters) = (model.config.name.clone(), model.parameters());
    let encoder = Encoder::new(model).map_err(|e| error(&e.0))?;
    let info = js_sys::Object::new();
    let set = |k: &str, v: JsValue| js_sys::Reflect::set(&info, &JsValue::from_str(k), &v);
    let _ = set("name", JsValue::from_str(&name));
    let _ = set("parameters", JsValue::from_f64(parameters as f64));
    let _ = set("dimensions", JsValue::from_f64(encoder.dims() as f64));
    let _ = set("maxTokens", JsValue::from_f64(encoder.max_tokens as f64));
    let _ = set("bytes", JsValue::from_f64(size as f64));
    ENCODER.with_borrow_mut(|e| *e = Some(encoder));
    Ok(info.into())
}

/// The unit vector of `text` (see the TypeScript declaration in `engine.rs`).
///
/// # Errors
///
/// Throws before the model is loaded.
#[wasm_bindgen(js_name = embedQuery, skip_typescript)]
pub fn embed_query(text: JsValue) -> Result<js_sys::Float32Array, JsError> {
    let text = text.as_string().unwrap_or_default();
    let vector = ENCODER
        .with_borrow(|e| e.as_ref().map(|e| e.encode(&[text.as_str()])))
        .ok_or_else(|| error("the model is not loaded: call loadModel first"))?
        .map_err(|e| error(&e.0))?;
    Ok(js_sys::Float32Array::from(vector.first().map_or(&[][..], Vec::as_slice)))
}

/// A query's vector, and the papers whose codes are nearest it with their estimated cosines,
/// best first.
pub type Nearest = (Vec<f32>, Vec<(DocId, f32)>);

/// What [`Nearest`] says of `text`, when the model is loaded and the module has its papers'
/// vectors (`None` otherwise, or for a query with no words).
pub fn nearest(text: &str) -> Option<Nearest> {
    if !text.chars().any(char::is_alphanumeric) {
        return None;
    }
    let query = ENCODER.with_borrow(|e| e.as_ref().map(|e| e.encode(&[text])))?.ok()?.pop()?;
    let estimates = with_vectors(|v| v.map(|v| v.estimated(&query, fuse::DEPTH)))?;
    Some((query, estimates))
}

/// The exact cosine of `query` with paper `doc` (0 without vectors).
pub fn cosine(query: &[f32], doc: DocId) -> f32 {
    with_vectors(|v| v.map_or(0.0, |v| v.cosine(query, doc)))
}
