//! The shard loader of a sharded build: fetches the parts of the index that a question needs,
//! keeps them within a byte cap, and asks again.
//!
//! A question (a search, a paper, its related papers) is first asked of the parts at hand. If
//! it needed parts that are missing, the loader fetches them (all at once, each only once
//! however many questions wait for it) and asks again; a search of whole words needs three
//! rounds: the dictionary shards of its words, then the postings of its terms (and positions,
//! for a quoted phrase), then the text of its hits; a misspelled word adds one. Each part is fetched with `fetch` from
//! `<base>index-<build>/<kind>-<n>.gz`, decompressed with the browser's `DecompressionStream`
//! when it arrives gzipped (a host that serves it with `Content-Encoding: gzip` has the
//! browser decompress it first), and read and checked by the index before it is kept. A failed
//! or slow fetch is tried again after a pause ([`RETRY_PAUSES_MS`], timers from gloo); a part
//! that still cannot be loaded fails the question with a message that says which and why.
//!
//! The parts fetched stay in memory up to the cap ([`DEFAULT_CACHE_BYTES`]), the least
//! recently read going first, except the parts the question being answered reads (the docs
//! part, which every search reads, comes with the module).

use std::cell::RefCell;
use std::collections::HashMap;

use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use super::net;
use super::searcher::{abort_error, with_searcher, with_searcher_mut};
use crate::index::{shards, PartId};
use crate::search::{Missing, Searcher};

/// Bytes of fetched parts kept in memory when the page does not say (`configure`). At 52,674
/// papers the benchmark's mix of 129 varied queries reads 26 MiB of parts (1,428 of them), so
/// that a reader's session asks again with no fetch; 1,000 queries read 75 MiB, and the
/// module's memory stays under 64 MB with the cap full.
pub const DEFAULT_CACHE_BYTES: usize = 32 << 20;

/// Pauses before the second and third tries of a failed fetch.
pub const RETRY_PAUSES_MS: [u32; 2] = [400, 1600];

/// A fetch that has not finished after this long is abandoned and tried again.
pub const FETCH_TIMEOUT_MS: u32 = 15_000;

/// Most rounds of fetching one question may take; a search takes three at most, so more
/// means parts that do not stay (a cap smaller than one question's parts, say).
const MAX_ROUNDS: usize = 8;

/// The loader's state: where the parts are, which are kept, which are on their way.
struct Loader {
    /// URL of the folder of the build's part folder, ending in `/`.
    base: Option<String>,
    cap: usize,
    /// A counter that orders reads: each question asked takes the next value.
    clock: u64,
    /// The fetched parts at hand, with the clock of their latest read and their size.
    kept: HashMap<PartId, (u64, usize)>,
    bytes: usize,
    /// Fetches under way, which later questions for the same part join.
    pending: HashMap<PartId, Promise>,
}

thread_local! {
    static LOADER: RefCell<Loader> = RefCell::new(Loader {
        base: None,
        cap: DEFAULT_CACHE_BYTES,
        clock: 0,
        kept: HashMap::new(),
        bytes: 0,
        pending: HashMap::new(),
    });
}

/// Sets where the parts are and the cache's cap (each when given); a new cap applies at once.
pub fn configure(base: Option<String>, cap: Option<usize>) {
    let evicted = LOADER.with_borrow_mut(|l| {
        if let Some(mut base) = base {
            if !base.ends_with('/') {
                base.push('/');
            }
            l.base = Some(base);
        }
        match cap {
            Some(cap) => {
                l.cap = cap;
                l.evict(u64::MAX)
            }
            None => Vec::new(),
        }
    });
    for victim in evicted {
        let _ = with_searcher_mut(|s| s.remove_part(victim));
    }
}

/// Adds the cache's figures to a `stats()` object: `cachedBytes`, `cachedParts`, `cacheBytes`.
pub fn describe_cache(stats: &JsValue) {
    let (bytes, parts, cap) = LOADER.with_borrow(|l| (l.bytes, l.kept.len(), l.cap));
    for (key, value) in [("cachedBytes", bytes), ("cachedParts", parts), ("cacheBytes", cap)] {
        let _ = Reflect::set(stats, &JsValue::from_str(key), &JsValue::from(value as f64));
    }
}

fn error(message: &str) -> JsValue {
    js_sys::Error::new(&format!("paper-search: {message}")).into()
}

/// A question for the searcher: its answer as JavaScript sees it (or why it could not cross),
/// or the parts it lacked.
pub type Question = dyn FnMut(&Searcher<'static>) -> Result<Result<JsValue, JsValue>, Missing>;

/// Asks `ask` of the searcher until it answers, fetching what it lacks between tries. With
/// `pause_ms`, waits that long before the first fetch, so that an abort (the next keystroke)
/// can come first.
///
/// # Errors
///
/// An `AbortError` when `signal` aborts; an `Error` naming the part that could not be loaded.
pub async fn answer(mut ask: Box<Question>, pause_ms: u32, signal: Option<AbortSignal>) -> Result<JsValue, JsValue> {
    let mut paused = pause_ms == 0;
    let mut rounds = 0;
    loop {
        let (result, read) = with_searcher(|s| (ask(s), s.take_read()))?;
        let tick = LOADER.with_borrow_mut(|l| l.touch(&read));
        let missing = match result {
            Ok(value) => return value,
            Err(Missing(parts)) => parts,
        };
        if signal.as_ref().is_some_and(AbortSignal::aborted) {
            return Err(abort_error());
        }
        if !paused {
            paused = true;
            TimeoutFuture::new(pause_ms).await;
            continue;
        }
        rounds += 1;
        if rounds > MAX_ROUNDS {
            return Err(error(
                "the parts of the index this question needs do not fit in the cache; configure a larger cacheBytes",
            ));
        }
        load(&missing, tick).await?;
    }
}

impl Loader {
    /// Notes a question's reads; returns its clock.
    fn touch(&mut self, read: &[PartId]) -> u64 {
        self.clock += 1;
        for id in read {
            if let Some(kept) = self.kept.get_mut(id) {
                kept.0 = self.clock;
            }
        }
        self.clock
    }

    fn url(&self, id: PartId, build: u64) -> Result<String, JsValue> {
        let base = self.base.as_deref().ok_or_else(|| {
            error("this build fetches its index in parts; call configure({ base }) with the URL of the folder that holds its index-… folder")
        })?;
        Ok(format!("{base}{}/{}", shards::folder_name(build), id.file_name()))
    }
}

/// Fetches the parts (or joins their fetches under way) and waits for all of them.
async fn load(parts: &[PartId], tick: u64) -> Result<(), JsValue> {
    let build = with_searcher(|s| s.index().build_id())?;
    let fetches = Array::new();
    for &id in parts {
        let pending = LOADER.with_borrow(|l| l.pending.get(&id).cloned());
        let promise = match pending {
            Some(promise) => promise,
            None => {
                let url = LOADER.with_borrow(|l| l.url(id, build))?;
                let promise = wasm_bindgen_futures::future_to_promise(async move {
                    let loaded = load_part(id, &url, tick).await;
                    LOADER.with_borrow_mut(|l| l.pending.remove(&id));
                    loaded.map(|()| JsValue::UNDEFINED)
                });
                LOADER.with_borrow_mut(|l| l.pending.insert(id, promise.clone()));
                promise
            }
        };
        fetches.push(&promise);
    }
    JsFuture::from(Promise::all(&fetches)).await.map(|_| ())
}

/// Fetches one part, tries again after a pause when that fails, and keeps it.
async fn load_part(id: PartId, url: &str, tick: u64) -> Result<(), JsValue> {
    let mut last = String::new();
    for attempt in 0..=RETRY_PAUSES_MS.len() {
        if attempt > 0 {
            TimeoutFuture::new(RETRY_PAUSES_MS[attempt - 1]).await;
        }
        let fetched = match net::fetch_bytes(url, Some(FETCH_TIMEOUT_MS)).await {
            Ok(bytes) => keep(id, bytes, tick),
            Err(e) => Err(e),
        };
        match fetched {
            Ok(()) => return Ok(()),
            Err(e) => last = e,
        }
    }
    let tries = RETRY_PAUSES_MS.len() + 1;
    Err(error(&format!(
        "could not load {} of the index ({last}; tried {tries} times). Check the connection and try again; if this persists, the site may have been updated since this page was opened: reload it",
        id.file_name()
    )))
}

/// Reads a fetched part into the index and makes room for it.
fn keep(id: PartId, bytes: Vec<u8>, tick: u64) -> Result<(), String> {
    let size = bytes.len();
    let inserted = with_searcher_mut(|s| s.insert_part(bytes)).map_err(|_| "the module did not start".to_string())?;
    match inserted {
        Ok(got) if got == id => {}
        Ok(got) => {
            return Err(format!(
                "the file holds {}, not {}: the site's files are mixed up",
                got.file_name(),
                id.file_name()
            ));
        }
        Err(e) => return Err(format!("the file is damaged: {}", e.problem())),
    }
    let evicted = LOADER.with_borrow_mut(|l| {
        if let Some((_, old)) = l.kept.insert(id, (tick, size)) {
            l.bytes -= old;
        }
        l.bytes += size;
        l.evict(tick)
    });
    for victim in evicted {
        let _ = with_searcher_mut(|s| s.remove_part(victim));
    }
    Ok(())
}

impl Loader {
    /// The parts to drop to come back within the cap: the least recently read first, never the
    /// docs part nor one read by the question at `tick` (whose parts must stay together).
    fn evict(&mut self, tick: u64) -> Vec<PartId> {
        let mut out = Vec::new();
        while self.bytes > self.cap {
            let oldest = self
                .kept
                .iter()
                .filter(|(id, (read, _))| **id != PartId::DOCS && *read < tick)
                .min_by_key(|(id, (read, _))| (*read, **id))
                .map(|(id, (_, size))| (*id, *size));
            let Some((id, size)) = oldest else { break };
            self.kept.remove(&id);
            self.bytes -= size;
            out.push(id);
        }
        out
    }
}

/// The URLs of every part file of the index (all but what the module holds), in a fixed order:
/// what a page downloads to search the whole corpus offline.
///
/// # Errors
///
/// When the module was not told where its parts are (`configure`).
pub fn part_urls() -> Result<Vec<String>, JsValue> {
    let (parts, build) = with_searcher(|s| (s.index().part_files(), s.index().build_id()))?;
    parts.into_iter().map(|id| LOADER.with_borrow(|l| l.url(id, build))).collect()
}
