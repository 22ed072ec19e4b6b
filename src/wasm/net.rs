//! Fetching a file from the page's or worker's origin, for the shard loader's parts and the
//! sentence model: web-sys `fetch`, a gloo timer that aborts a slow download, and gzip undone by
//! the browser's `DecompressionStream` when the file arrives compressed.

use gloo_timers::callback::Timeout;
use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, Blob, CompressionFormat, DecompressionStream, ReadableWritablePair, RequestInit, Response, Window,
    WorkerGlobalScope,
};

/// What a JavaScript error says.
pub fn message(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map_or_else(|| format!("{e:?}"), |e| String::from(e.message()))
}

/// The bytes of the file at `url`, decompressed when gzipped; a message when that fails. A
/// download not finished after `timeout_ms` is aborted.
pub async fn fetch_bytes(url: &str, timeout_ms: Option<u32>) -> Result<Vec<u8>, String> {
    let controller = AbortController::new().map_err(message)?;
    let init = RequestInit::new();
    init.set_signal(Some(&controller.signal()));
    let timeout = timeout_ms.map(|ms| Timeout::new(ms, move || controller.abort()));
    let response: Response = JsFuture::from(global_fetch(url, &init)?)
        .await
        .map_err(|e| format!("the request failed: {}", message(e)))?
        .dyn_into()
        .map_err(message)?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let body = JsFuture::from(response.array_buffer().map_err(message)?)
        .await
        .map_err(|e| format!("the download broke off: {}", message(e)))?;
    drop(timeout);
    let bytes = Uint8Array::new(&body);
    let gzipped = bytes.length() >= 2 && bytes.get_index(0) == 0x1f && bytes.get_index(1) == 0x8b;
    if !gzipped {
        return Ok(bytes.to_vec());
    }
    gunzip(&bytes).await.map_err(|e| format!("the file does not decompress: {}", message(e)))
}

/// `bytes` gunzipped by the browser's `DecompressionStream`.
async fn gunzip(bytes: &Uint8Array) -> Result<Vec<u8>, JsValue> {
    let stream = DecompressionStream::new(CompressionFormat::Gzip)?;
    let blob = Blob::new_with_u8_array_sequence(&Array::of1(bytes))?;
    let pair = ReadableWritablePair::new(&stream.readable(), &stream.writable());
    let decompressed = Response::new_with_opt_readable_stream(Some(&blob.stream().pipe_through(&pair)))?;
    let buffer = JsFuture::from(decompressed.array_buffer()?).await?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// `fetch` of the page or of the worker the module runs in.
fn global_fetch(url: &str, init: &RequestInit) -> Result<Promise, String> {
    let global = js_sys::global();
    if let Some(window) = global.dyn_ref::<Window>() {
        Ok(window.fetch_with_str_and_init(url, init))
    } else if let Some(worker) = global.dyn_ref::<WorkerGlobalScope>() {
        Ok(worker.fetch_with_str_and_init(url, init))
    } else {
        Err("this environment has no fetch".into())
    }
}
