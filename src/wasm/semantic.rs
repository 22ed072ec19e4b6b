//! Search by meaning in the engine (the `semantic` feature): the papers' vectors, which the
//! index holds (every paper's one-bit code in its codes shards, its int8 vector in its text
//! shard), and the sentence model, which the page loads only when asked (`loadModel`), fetched
//! with web-sys through [`net`](super::net). Once it is loaded, `search(query, { semantic: true
//! })` embeds the query and fuses the papers whose codes are nearest with BM25F's ranking (a
//! sharded build first fetches the codes shards, once); before, it is BM25F alone.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::net;
use super::searcher::with_searcher;
use crate::index::DocId;
use crate::search::{Missing, Searcher};
use crate::semantic::encoder::Encoder;
use crate::semantic::fuse;
use crate::semantic::model::Model;
use crate::semantic::vectors::{model_file, Codes};

thread_local! {
    /// Every paper's code, read from the index's codes shards once they are at hand, with the
    /// build they belong to (`openIndex` may give the module another).
    static CODES: RefCell<Option<(u64, Codes)>> = const { RefCell::new(None) };
    static ENCODER: RefCell<Option<Encoder>> = const { RefCell::new(None) };
}

/// The id of the model that made the index's vectors (none: the index has no vectors).
fn model_id() -> Option<u64> {
    with_searcher(|s| s.index().vectors().map(|v| v.model_id)).ok().flatten()
}

/// The file name of the model the index's papers' vectors were made with (none: the index has
/// no vectors), and whether the model is loaded.
pub fn status() -> (Option<String>, bool) {
    (model_id().map(model_file), loaded())
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
    // A sharded build fetches every paper's code meanwhile.
    #[cfg(feature = "shards")]
    let codes = wasm_bindgen_futures::JsFuture::from(super::fetch::ask(
        Box::new(|s| read_codes(s).map(|()| Ok(JsValue::UNDEFINED))),
        0,
        None,
    ));
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
    match model_id() {
        None => {
            return Err(error(
                "this build holds no papers' vectors, so a model cannot help it: build it with SEMANTIC=on ./build.sh",
            ))
        }
        Some(id) if id != model.id => {
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
    #[cfg(feature = "shards")]
    codes.await.map_err(|e| JsError::new(&e.as_string().unwrap_or_else(|| js_sys::Error::from(e).message().into())))?;
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

/// The sentence encoder on its own, for the npm package's builder, which runs this module in
/// Node's worker threads to embed a corpus's papers (`npx paper-search build --semantic`), so
/// that papers and queries are embedded by the same code.
#[wasm_bindgen(skip_typescript)]
pub struct Embedder {
    encoder: Encoder,
}

#[wasm_bindgen]
impl Embedder {
    /// An encoder of the model file `model` (its bytes, not gzipped).
    ///
    /// # Errors
    ///
    /// Not a model file, or one the encoder cannot use.
    #[wasm_bindgen(constructor)]
    pub fn new(model: &[u8]) -> Result<Embedder, JsError> {
        let model = Model::from_bytes(model).map_err(|e| error(&e.0))?;
        Ok(Embedder { encoder: Encoder::new(model).map_err(|e| error(&e.0))? })
    }

    /// The model file's id, which the vectors record.
    #[wasm_bindgen(getter, js_name = modelId)]
    pub fn model_id(&self) -> u64 {
        self.encoder.model_id
    }

    /// Width of the vectors.
    #[wasm_bindgen(getter)]
    pub fn dims(&self) -> usize {
        self.encoder.dims()
    }

    /// The unit vectors of `texts`, one after another in one array.
    ///
    /// # Errors
    ///
    /// A tokenizer or model failure.
    pub fn embed(&self, texts: Vec<String>) -> Result<js_sys::Float32Array, JsError> {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let vectors = self.encoder.encode(&refs).map_err(|e| error(&e.0))?;
        Ok(js_sys::Float32Array::from(vectors.concat().as_slice()))
    }
}

/// A query's vector, and the papers whose codes are nearest it with their estimated cosines,
/// best first.
pub type Nearest = (Vec<f32>, Vec<(DocId, f32)>);

/// Reads every paper's code from the index, once a build.
///
/// # Errors
///
/// [`Missing`]: the codes shards, the first time in a sharded build.
pub fn read_codes(s: &Searcher<'static>) -> Result<(), Missing> {
    let build = s.index().build_id();
    if CODES.with_borrow(|c| c.as_ref().is_none_or(|(b, _)| *b != build)) {
        let codes = s.try_codes()?;
        CODES.with_borrow_mut(|c| *c = codes.map(|codes| (build, codes)));
    }
    Ok(())
}

/// What [`Nearest`] says of `text` (the query as the model reads it) once the model is loaded
/// and the codes read ([`read_codes`]); `None` before, without vectors, or for a query with no
/// words.
pub fn nearest(text: &str) -> Option<Nearest> {
    if !text.chars().any(char::is_alphanumeric) {
        return None;
    }
    let query = ENCODER.with_borrow(|e| e.as_ref().map(|e| e.encode(&[text])))?.ok()?.pop()?;
    let estimates = CODES.with_borrow(|c| c.as_ref().map(|(_, codes)| codes.estimated(&query, fuse::DEPTH)))?;
    Some((query, estimates))
}
