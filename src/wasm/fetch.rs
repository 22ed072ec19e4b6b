//! The shard loader of a sharded build: fetches the parts of the index that a question needs,
//! keeps them within a byte cap, and asks again.
//!
//! A question (a search, a paper, its related papers) is first asked of the parts at hand. If
//! it needed parts that are missing, the loader fetches them (all at once, each only once
//! however many questions wait for it) and asks again; a search of whole words needs three
//! rounds: the dictionary shards of its words, then the postings of its terms (and positions,
//! for a quoted phrase), then the text of its hits; a misspelled word adds one. Each part is
//! fetched with `fetch` from `<base>index-<build>/<kind>-<n>.gz`, decompressed with the
//! browser's `DecompressionStream` when it arrives gzipped (a host that serves it with
//! `Content-Encoding: gzip` has the browser decompress it first), and read and checked by the
//! index before it is kept. A failed or slow fetch is tried again after a pause
//! ([`RETRY_PAUSES_MS`], timers from gloo); a part that still cannot be loaded, or that arrived
//! damaged, fails the question with a message that says which and why.
//!
//! A search aborted by its caller (the next keystroke) stops waiting for its parts, and a fetch
//! that no question waits for any more is aborted: the searches a reader typed past do not go
//! on downloading. A search waiting out its `pause` already counts as waiting for the fetches
//! under way that it needs, so that the part the previous keystroke's search was fetching goes
//! on when the next one needs it too.
//!
//! The parts fetched stay in memory up to the cap ([`DEFAULT_CACHE_BYTES`]), the least
//! recently read going first, except the parts the question being answered reads (the docs
//! part, which every search reads, comes with the module).

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::task::Poll;

use gloo_timers::callback::Timeout;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

use super::net;
use super::searcher::{abort_error, with_searcher, with_searcher_mut};
use crate::format::FormatError;
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
    pending: HashMap<PartId, Pending>,
    /// How many fetches were started: each one's number tells it from a later fetch of its part.
    fetches: u64,
}

/// A part on its way.
struct Pending {
    /// Settles once the part is kept, or could not be.
    promise: Promise,
    /// The fetch's number.
    fetch: u64,
    /// How many questions wait for it.
    waiters: usize,
    /// Aborts the request of the try under way.
    request: AbortController,
}

/// A fetch a question waits for: its part and its number.
type Fetch = (PartId, u64);

thread_local! {
    static LOADER: RefCell<Loader> = RefCell::new(Loader {
        base: None,
        cap: DEFAULT_CACHE_BYTES,
        clock: 0,
        kept: HashMap::new(),
        bytes: 0,
        pending: HashMap::new(),
        fetches: 0,
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
            // Meanwhile it holds the fetches under way that it needs.
            paused = true;
            let (held, _) = join(&missing, None)?;
            until_aborted(TimeoutFuture::new(pause_ms), held, signal.as_ref()).await.ok_or_else(abort_error)?;
            continue;
        }
        rounds += 1;
        if rounds > MAX_ROUNDS {
            return Err(error(
                "the parts of the index this question needs do not fit in the cache; configure a larger cacheBytes",
            ));
        }
        let (fetches, promises) = join(&missing, Some(tick))?;
        until_aborted(JsFuture::from(Promise::all(&promises)), fetches, signal.as_ref())
            .await
            .ok_or_else(abort_error)??;
    }
}

/// [`answer`], begun at once: its promise.
pub fn ask(ask: Box<Question>, pause_ms: u32, signal: Option<AbortSignal>) -> Promise {
    wasm_bindgen_futures::future_to_promise(answer(ask, pause_ms, signal))
}

/// Runs `work` until it is done (`Some` of its result) or `signal` aborts (`None`); either way,
/// the question then stops waiting for `fetches`.
async fn until_aborted<T>(
    work: impl Future<Output = T>,
    fetches: Vec<Fetch>,
    signal: Option<&AbortSignal>,
) -> Option<T> {
    // A promise that the signal's abort event rejects: its `reject` is the listener.
    let mut listening = signal.and_then(|signal| {
        let mut reject = None;
        let aborted = Promise::new(&mut |_, r| reject = Some(r));
        let reject = reject?;
        signal.add_event_listener_with_callback("abort", &reject).ok()?;
        Some((signal, reject, JsFuture::from(aborted)))
    });
    let mut work = pin!(work);
    let outcome = poll_fn(|cx| match (work.as_mut().poll(cx), &mut listening) {
        (Poll::Ready(done), _) => Poll::Ready(Some(done)),
        (Poll::Pending, Some((_, _, aborted))) => Pin::new(aborted).poll(cx).map(|_| None),
        (Poll::Pending, None) => Poll::Pending,
    })
    .await;
    if let Some((signal, reject, _)) = &listening {
        let _ = signal.remove_event_listener_with_callback("abort", reject);
    }
    leave(fetches);
    outcome
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

    /// The fetch under way numbered `fetch`, if it is.
    fn pending(&mut self, (id, fetch): Fetch) -> Option<&mut Pending> {
        self.pending.get_mut(&id).filter(|p| p.fetch == fetch)
    }
}

/// A question waits for the fetches of `parts` under way and, given its clock (a question not
/// pausing), starts those of the others; returns what it waits for, and their promises.
fn join(parts: &[PartId], tick: Option<u64>) -> Result<(Vec<Fetch>, Array), JsValue> {
    let mut fetches = Vec::new();
    let promises = Array::new();
    for &id in parts {
        let under_way = LOADER.with_borrow_mut(|l| {
            let p = l.pending.get_mut(&id)?;
            p.waiters += 1;
            Some((p.fetch, p.promise.clone()))
        });
        let (fetch, promise) = match (under_way, tick) {
            (Some(under_way), _) => under_way,
            (None, None) => continue,
            (None, Some(tick)) => start(id, tick)?,
        };
        fetches.push((id, fetch));
        promises.push(&promise);
    }
    Ok((fetches, promises))
}

/// Starts fetching a part, for one question.
fn start(id: PartId, tick: u64) -> Result<(u64, Promise), JsValue> {
    let build = with_searcher(|s| s.index().build_id())?;
    let url = LOADER.with_borrow(|l| l.url(id, build))?;
    let request = AbortController::new()?;
    let fetch = LOADER.with_borrow_mut(|l| {
        l.fetches += 1;
        l.fetches
    });
    let first = request.clone();
    let promise = wasm_bindgen_futures::future_to_promise(async move {
        let loaded = load_part(id, fetch, &url, tick, first).await;
        LOADER.with_borrow_mut(|l| {
            if l.pending((id, fetch)).is_some() {
                l.pending.remove(&id);
            }
        });
        loaded.map(|()| JsValue::UNDEFINED)
    });
    let pending = Pending { promise: promise.clone(), fetch, waiters: 1, request };
    LOADER.with_borrow_mut(|l| l.pending.insert(id, pending));
    Ok((fetch, promise))
}

/// A question stops waiting for `fetches`. Those that no question waits for any more are
/// aborted a moment later, unless a question joined them meanwhile (the search that the next
/// keystroke started, which joins them as soon as it is asked).
fn leave(fetches: Vec<Fetch>) {
    let unwanted: Vec<Fetch> = LOADER.with_borrow_mut(|l| {
        let mut left = |f: &Fetch| {
            l.pending(*f).is_some_and(|p| {
                p.waiters -= 1;
                p.waiters == 0
            })
        };
        fetches.into_iter().filter(|f| left(f)).collect()
    });
    if unwanted.is_empty() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        TimeoutFuture::new(0).await;
        LOADER.with_borrow_mut(|l| {
            for f in unwanted {
                if let Some(p) = l.pending(f).filter(|p| p.waiters == 0) {
                    p.request.abort();
                    l.pending.remove(&f.0);
                }
            }
        });
    });
}

/// Fetches one part, tries again after a pause when that fails (while a question still waits
/// for it), and reads it.
async fn load_part(id: PartId, fetch: u64, url: &str, tick: u64, first: AbortController) -> Result<(), JsValue> {
    let mut request = Some(first);
    let mut last = String::new();
    for attempt in 0..=RETRY_PAUSES_MS.len() {
        if attempt > 0 {
            TimeoutFuture::new(RETRY_PAUSES_MS[attempt - 1]).await;
            request = LOADER.with_borrow_mut(|l| {
                let p = l.pending((id, fetch))?;
                p.request = AbortController::new().ok()?;
                Some(p.request.clone())
            });
        }
        // No question waits for it any more.
        let Some(request) = request.take() else { return Err(abort_error()) };
        let timer = Timeout::new(FETCH_TIMEOUT_MS, {
            let request = request.clone();
            move || request.abort()
        });
        let fetched = net::fetch_body(url, Some(&request)).await;
        drop(timer);
        match fetched {
            Ok(body) => return read(id, &body, tick).await,
            Err(e) => last = e,
        }
    }
    let tries = RETRY_PAUSES_MS.len() + 1;
    Err(error(&format!(
        "could not load {} of the index ({last}; tried {tries} times). Check the connection and try again; if this persists, the site may have been updated since this page was opened: reload it",
        id.file_name()
    )))
}

/// Reads a part that arrived: decompresses it, has the index check it, and keeps it. A part
/// that arrived damaged is not fetched again: the host would send the same bytes.
async fn read(id: PartId, body: &Uint8Array, tick: u64) -> Result<(), JsValue> {
    let what = match net::ungzipped(body).await {
        Ok(bytes) => match keep(id, bytes, tick) {
            Ok(()) => return Ok(()),
            Err(what) => what,
        },
        Err(_) => "is not valid gzip".into(),
    };
    Err(error(&format!(
        "the file {} of the index arrived but {what}. Reload the page; if this persists, the site's files are damaged",
        id.file_name()
    )))
}

/// Reads a fetched part into the index and makes room for it; what is wrong with it if it
/// cannot be read.
fn keep(id: PartId, bytes: Vec<u8>, tick: u64) -> Result<(), String> {
    let size = bytes.len();
    let inserted = with_searcher_mut(|s| s.insert_part(bytes))
        .map_err(|_| "could not be read: the module did not start".to_string())?;
    match inserted {
        Ok(got) if got == id => {}
        Ok(got) => return Err(format!("is not a part of this build: it holds {}", got.file_name())),
        Err(e @ (FormatError::NotAnIndex | FormatError::Version { .. } | FormatError::Analyzer { .. })) => {
            return Err(format!("is not a part of this build: {}", e.problem()))
        }
        Err(e) => return Err(format!("is damaged: {}", e.problem())),
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
