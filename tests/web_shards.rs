//! wasm tests of a sharded build's shard loader, in a headless browser (Chromium or Firefox):
//! fetching, decompressing, caching and failing, against a local static server.
//!
//! `./build.sh test` runs them with the sharded core of the default corpus embedded
//! (`PAPER_SEARCH_INDEX`, the `shards` feature) and, in `PAPER_SEARCH_PARTS_URL`, the URL of a
//! server of a folder that holds the build's `index-…/` folder of parts, `plain/` with the same
//! parts not gzipped, and `embedded.bin`, the embedded build of the same corpus: the answers
//! every fetched answer is compared with.
#![cfg(all(target_arch = "wasm32", feature = "shards"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use js_sys::{Array, Promise, Reflect, Uint8Array};
use paper_search::index::Index;
use paper_search::search::{SearchOptions, Searcher};
use paper_search::wasm;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The server of the parts (ends in `/`).
fn server() -> String {
    let Some(url) = option_env!("PAPER_SEARCH_PARTS_URL") else {
        panic!("PAPER_SEARCH_PARTS_URL names the parts' server; run these tests through ./build.sh test")
    };
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).expect("object property")
}

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn configure(base: &str, cache_bytes: Option<f64>) {
    let mut pairs = vec![("base", JsValue::from_str(base))];
    if let Some(bytes) = cache_bytes {
        pairs.push(("cacheBytes", JsValue::from_f64(bytes)));
    }
    wasm::configure(options(&pairs));
}

async fn settled(promise: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(promise).await
}

async fn search_async(query: &str, opts: JsValue) -> Result<JsValue, JsValue> {
    settled(wasm::search_async(JsValue::from_str(query), Some(opts))).await
}

/// The embedded build of the same corpus, fetched from the server, searched in this module.
async fn embedded() -> Searcher<'static> {
    let window = web_sys::window().unwrap();
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str(&format!("{}embedded.bin", server()))).await.unwrap().dyn_into().unwrap();
    assert!(response.ok(), "embedded.bin is served");
    let bytes = Uint8Array::new(&JsFuture::from(response.array_buffer().unwrap()).await.unwrap()).to_vec();
    Searcher::new(Index::open(Box::leak(bytes.into_boxed_slice())).unwrap())
}

fn cached_bytes() -> f64 {
    get(&wasm::stats().unwrap(), "cachedBytes").as_f64().unwrap()
}

/// The queries compared: words, an unfinished word, a misspelling, a phrase, an exclusion.
const QUERIES: [&str; 8] = [
    "grokking",
    "linear bandits ",
    "neural tang",
    "grokkign",
    "\"diffusion models\"",
    "language models -reasoning",
    "LLM",
    "a",
];

#[wasm_bindgen_test]
async fn fetched_answers_are_the_embedded_builds_answers() {
    configure(&server(), Some(24.0 * 1024.0 * 1024.0));
    let oracle = embedded().await;
    for q in QUERIES {
        let got = search_async(q, JsValue::UNDEFINED).await.expect("the search answers");
        let expected = serde_wasm_bindgen::to_value(&oracle.search(q, &SearchOptions::default())).unwrap();
        assert_eq!(js_sys::JSON::stringify(&got).unwrap(), js_sys::JSON::stringify(&expected).unwrap(), "{q}");
    }
    let paper = settled(wasm::paper_async(JsValue::from_f64(7.0))).await.unwrap();
    assert_eq!(get(&paper, "title").as_string().unwrap(), oracle.paper(7).unwrap().title);
    let related = settled(wasm::related_async(JsValue::from_f64(7.0), JsValue::from_f64(3.0))).await.unwrap();
    assert_eq!(related.dyn_into::<Array>().unwrap().length() as usize, oracle.related(7, 3).len());
    assert!(get(&wasm::stats().unwrap(), "sharded").as_bool().unwrap());
}

#[wasm_bindgen_test]
async fn the_synchronous_search_answers_only_from_parts_at_hand() {
    // A cap of 0 drops every fetched part but the docs part at once.
    configure(&server(), Some(0.0));
    let q = JsValue::from_str("transformers attention");
    let error = wasm::search(q.clone(), None).expect_err("its parts are not fetched yet");
    let message = String::from(JsValue::from(error).dyn_into::<js_sys::Error>().unwrap().message());
    assert!(message.contains("searchAsync"), "the error says what to use: {message}");
    let fetched = search_async("transformers attention", JsValue::UNDEFINED).await.unwrap();
    let now = wasm::search(q, None).expect("its parts are at hand now");
    assert_eq!(js_sys::JSON::stringify(&now).unwrap(), js_sys::JSON::stringify(&fetched).unwrap());
    configure(&server(), Some(24.0 * 1024.0 * 1024.0));
}

#[wasm_bindgen_test]
async fn parts_served_without_gzip_are_read_as_well() {
    configure(&format!("{}plain/", server()), Some(0.0));
    let oracle = embedded().await;
    let got = search_async("sparse autoencoders ", JsValue::UNDEFINED).await.expect("plain parts read");
    let expected =
        serde_wasm_bindgen::to_value(&oracle.search("sparse autoencoders ", &SearchOptions::default())).unwrap();
    assert_eq!(js_sys::JSON::stringify(&got).unwrap(), js_sys::JSON::stringify(&expected).unwrap());
}

#[wasm_bindgen_test]
async fn the_cache_keeps_what_the_cap_allows_and_what_the_latest_search_read() {
    let bytes_after = |cap: f64, queries: &'static [&'static str]| async move {
        configure(&server(), Some(0.0));
        configure(&server(), Some(cap));
        for q in queries {
            search_async(q, JsValue::UNDEFINED).await.unwrap();
        }
        cached_bytes()
    };
    let b_alone = bytes_after(0.0, &["protein folding"]).await;
    assert!(b_alone > 0.0);
    // With no room, a search keeps only what it read: B after A keeps what B alone keeps.
    assert_eq!(bytes_after(0.0, &["reinforcement learning", "protein folding"]).await, b_alone);
    // With room, A's parts stay too.
    assert!(bytes_after(16.0 * 1024.0 * 1024.0, &["reinforcement learning", "protein folding"]).await > b_alone);
    configure(&server(), Some(24.0 * 1024.0 * 1024.0));
}

#[wasm_bindgen_test]
async fn a_missing_part_fails_the_search_with_a_message_naming_it() {
    configure(&format!("{}nowhere/", server()), Some(0.0));
    let error = search_async("completely different words", JsValue::UNDEFINED).await.expect_err("no parts there");
    let message = String::from(error.dyn_into::<js_sys::Error>().unwrap().message());
    assert!(
        message.contains("could not load") && message.contains(".gz of the index") && message.contains("HTTP 404"),
        "{message}"
    );
    assert!(message.contains("tried 3 times"), "{message}");
    configure(&server(), Some(24.0 * 1024.0 * 1024.0));
}

#[wasm_bindgen_test]
async fn an_aborted_search_rejects_with_an_abort_error() {
    configure(&server(), Some(0.0));
    let controller = web_sys::AbortController::new().unwrap();
    let pending = wasm::search_async(
        JsValue::from_str("an unheard of query about quasars"),
        Some(options(&[("signal", controller.signal().into()), ("pause", JsValue::from_f64(200.0))])),
    );
    controller.abort();
    let error = settled(pending).await.expect_err("aborted during its pause");
    assert_eq!(get(&error, "name").as_string().as_deref(), Some("AbortError"));
    let already = options(&[("signal", controller.signal().into())]);
    let error = search_async("grokking", already).await.expect_err("aborted before it started");
    assert_eq!(get(&error, "name").as_string().as_deref(), Some("AbortError"));
    configure(&server(), Some(24.0 * 1024.0 * 1024.0));
}

/// Waits `ms` milliseconds.
async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    settled(promise).await.unwrap();
}

/// The page's `fetch`, wrapped so that each request waits `delay_ms` before it goes (an abort
/// finds it under way) and is recorded as `{ url, signal }` in the array returned, which
/// `restore()` puts the page's own `fetch` back.
fn slow_fetches(delay_ms: u32) -> Array {
    let wrap = js_sys::Function::new_with_args(
        "delay",
        "const fetch = globalThis.fetch, log = [];
         log.restore = () => { globalThis.fetch = fetch; };
         globalThis.fetch = (url, init) => {
           log.push({ url: String(url), signal: init?.signal });
           return new Promise((done) => setTimeout(done, delay)).then(() => fetch(url, init));
         };
         return log;",
    );
    wrap.call1(&JsValue::NULL, &JsValue::from(delay_ms)).unwrap().dyn_into().unwrap()
}

/// The requests recorded from `from` on: their URLs, and how many of them were aborted.
fn requests(log: &Array, from: u32) -> (Vec<String>, usize) {
    let made: Vec<JsValue> = log.iter().skip(from as usize).collect();
    let aborted = made.iter().filter(|r| get(&get(r, "signal"), "aborted").as_bool() == Some(true)).count();
    (made.iter().map(|r| get(r, "url").as_string().unwrap()).collect(), aborted)
}

/// Waits until `log` holds more than `n` requests.
async fn requested_beyond(log: &Array, n: u32) {
    for _ in 0..200 {
        if log.length() > n {
            return;
        }
        sleep(5).await;
    }
    panic!("no request was made");
}

fn assert_aborted(outcome: Result<JsValue, JsValue>) {
    let error = outcome.expect_err("the search was aborted");
    assert_eq!(get(&error, "name").as_string().as_deref(), Some("AbortError"));
}

#[wasm_bindgen_test]
async fn an_aborted_search_aborts_the_fetches_that_no_other_question_waits_for() {
    configure(&server(), Some(0.0));
    let oracle = embedded().await;
    let log = slow_fetches(300);
    let with_signal = |c: &web_sys::AbortController| options(&[("signal", c.signal().into())]);

    // Alone, its requests are aborted with it.
    let alone = web_sys::AbortController::new().unwrap();
    let pending = wasm::search_async(JsValue::from_str("quantum chromodynamics"), Some(with_signal(&alone)));
    requested_beyond(&log, 0).await;
    alone.abort();
    assert_aborted(settled(pending).await);
    sleep(50).await;
    let (urls, aborted) = requests(&log, 0);
    assert_eq!(aborted, urls.len(), "every request of the aborted search is aborted: {urls:?}");

    // A fetch that another search waits for goes on: the other search answers, and no part is
    // fetched twice.
    let matches_oracle = |got: JsValue, q: &str| {
        let expected = serde_wasm_bindgen::to_value(&oracle.search(q, &SearchOptions::default())).unwrap();
        assert_eq!(js_sys::JSON::stringify(&got).unwrap(), js_sys::JSON::stringify(&expected).unwrap(), "{q}");
    };
    let from = log.length();
    let q = "protein structure prediction";
    let first = web_sys::AbortController::new().unwrap();
    let aborted_one = wasm::search_async(JsValue::from_str(q), Some(with_signal(&first)));
    let other = wasm::search_async(JsValue::from_str(q), None);
    requested_beyond(&log, from).await;
    first.abort();
    assert_aborted(settled(aborted_one).await);
    matches_oracle(settled(other).await.expect("the other search answers"), q);
    let (urls, aborted) = requests(&log, from);
    assert_eq!(aborted, 0, "{urls:?}");
    assert_eq!(urls.iter().collect::<std::collections::HashSet<_>>().len(), urls.len(), "{urls:?}");

    // So does one that the search of the next keystroke needs, while that one waits out its
    // pause: as the element aborts a search and starts the next.
    let from = log.length();
    let q = "sparse autoencoders";
    let typed = web_sys::AbortController::new().unwrap();
    let overtaken = wasm::search_async(JsValue::from_str(q), Some(with_signal(&typed)));
    requested_beyond(&log, from).await;
    typed.abort();
    let next = wasm::search_async(JsValue::from_str(q), Some(options(&[("pause", JsValue::from_f64(100.0))])));
    assert_aborted(settled(overtaken).await);
    matches_oracle(settled(next).await.expect("the next search answers"), q);
    let (urls, aborted) = requests(&log, from);
    assert_eq!(aborted, 0, "{urls:?}");
    assert_eq!(urls.iter().collect::<std::collections::HashSet<_>>().len(), urls.len(), "{urls:?}");

    get(&log, "restore").dyn_into::<js_sys::Function>().unwrap().call0(&log).unwrap();
    configure(&server(), Some(24.0 * 1024.0 * 1024.0));
}

#[wasm_bindgen_test]
async fn part_urls_name_every_part_file_and_each_is_there() {
    configure(&server(), None);
    let urls = wasm::part_urls().expect("the base is configured");
    assert!(urls.len() > 10, "{} parts", urls.len());
    assert!(urls.iter().all(|u| u.starts_with(&server()) && u.ends_with(".gz")));
    assert!(!urls.iter().any(|u| u.ends_with("/docs-0.gz")), "the docs part comes with the module");
    let window = web_sys::window().unwrap();
    for url in &urls {
        let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url)).await.unwrap().dyn_into().unwrap();
        assert!(response.ok(), "{url}");
    }
}
