//! Fetching a file from the page's or worker's origin, for the shard loader's parts and the
//! sentence model (web-sys `fetch`), and undoing gzip with the browser's `DecompressionStream`,
//! for a fetched file and for bytes a page gives alike.

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

/// The body of the file at `url` as it arrived (still gzipped when the host sent it so without
/// `Content-Encoding`), or what went wrong on the way; `request` aborts it.
pub async fn fetch_body(url: &str, request: Option<&AbortController>) -> Result<Uint8Array, String> {
    let init = RequestInit::new();
    if let Some(request) = request {
        init.set_signal(Some(&request.signal()));
    }
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
    Ok(Uint8Array::new(&body))
}

/// `bytes`, gunzipped by the browser's `DecompressionStream` when they are gzip (by their magic
/// bytes), else as they are.
///
/// # Errors
///
/// When they are gzip that does not decompress (damaged, or cut short).
pub async fn ungzipped(bytes: &Uint8Array) -> Result<Vec<u8>, JsValue> {
    let gzipped = bytes.length() >= 2 && bytes.get_index(0) == 0x1f && bytes.get_index(1) == 0x8b;
    if !gzipped {
        return Ok(bytes.to_vec());
    }
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
