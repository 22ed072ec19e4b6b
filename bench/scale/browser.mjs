// The Chromium measures of the scale benchmark. Every run starts Debian's Chromium through
// playwright-core with a profile of its own (a fresh --user-data-dir: empty HTTP cache), headless,
// service workers blocked (the measures are of the page's own path to its results).
//
//   cold       open <site>/?q=QUERY; bytes on the wire (Chromium's encodedDataLength of every
//              response, headers included; requests of the page's workers too) and requests
//              from navigation start until the results are shown: requests that finished at or
//              before that moment
//   throttled  the same under Network.emulateNetworkConditions (150 ms round trip, 1.6 Mbit/s
//              down, 750 kbit/s up): the time from navigation start to the results shown
//   warm       one loaded page; after a warm-up, each query of the mix once, from setting the
//              input to the results in the DOM (fetches included, as they happen), then the mix
//              again (everything it fetches is cached by then)
//   typing     queries typed letter by letter (120 ms between keys) in one page: the requests
//              made after the page was ready, per keystroke
//   memory     one page, 1,000 queries, then after a garbage collection: the JS heap of the page
//              and of each of its workers (CDP Runtime.getHeapUsage) and the WebAssembly
//              memories reachable in them (CDP Runtime.queryObjects on WebAssembly.Memory)
//
// "Results shown" is the page's own signal: the performance mark `bench:results` of the peers'
// page (pages/page.mjs) after ten results (or all there are) are in the list, and
// `paper-search:first-results` of the <paper-search> element.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--enable-precise-memory-info',
];
export const THROTTLE = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };

// What the harness needs to know of each kind of page.
export const KINDS = {
  peer: { input: '#q', ready: 'body[data-ready="true"]' },
  'paper-search': { input: 'paper-search input[role=combobox]', ready: 'paper-search:state(ready)' },
};

// Runs before any script of the page. window.__bench:
//   shown          { t, epoch } of the first results-shown mark (t from navigation start)
//   run(q)         sets the input to q, fires `input`, resolves to { ms, shown } when the results
//                  of q are in the DOM
//   waitFor(q)     resolves to { settleMs } when the results of q, typed, are in the DOM:
//                  settleMs from the last input event
//   count()        results in the list that have a title and a snippet
// paper-search: results of a search are in when its status line gets `data-ms` (the element sets
// it once a search has rendered); the harness removes the attribute at each input event, before
// the element sees the event, so that a stale one never counts.
const PAGE_HOOKS = (kind) => {
  const B = (window.__bench = { shown: null, lastInput: 0, inputs: 0, rendered: null, waiters: [], errors: [] });
  // What the page reports as an error ends a run at once instead of at its timeout.
  const consoleError = console.error;
  console.error = (...args) => {
    B.errors.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    consoleError.apply(console, args);
  };
  window.addEventListener('error', (e) => B.errors.push(String(e.message)));
  window.addEventListener('unhandledrejection', (e) => B.errors.push(String(e.reason?.message ?? e.reason)));
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (!B.shown && (e.name === 'bench:results' || e.name === 'paper-search:first-results')) {
        B.shown = { t: e.startTime, epoch: performance.timeOrigin + e.startTime };
      }
    }
  }).observe({ type: 'mark', buffered: true });
  const ps = () => {
    const root = document.querySelector('paper-search')?.shadowRoot;
    return root && { root, input: root.querySelector('input[role=combobox]'), status: root.querySelector('[role=status]') };
  };
  const input = () => (kind === 'peer' ? document.getElementById('q') : ps()?.input);
  const record = (q, at) => {
    B.rendered = { q, at };
    B.waiters = B.waiters.filter((w) => !w(B.rendered));
  };
  if (kind === 'peer') {
    window.addEventListener('bench:results', (e) => record(e.detail.q, performance.now()));
  }
  let observed = null;
  document.addEventListener(
    'input',
    () => {
      B.lastInput = performance.now();
      B.inputs++;
      if (kind !== 'paper-search') return;
      const { status } = ps();
      status.removeAttribute('data-ms');
      if (observed !== status) {
        observed = status;
        new MutationObserver(() => {
          if (status.hasAttribute('data-ms')) record(ps().input.value, performance.now());
        }).observe(status, { attributes: true, attributeFilter: ['data-ms'] });
      }
    },
    true,
  );
  // Resolves when the results of q are in; rejects when the page reports an error first, or
  // after two minutes.
  const until = (q) =>
    new Promise((resolve, reject) => {
      const errors = B.errors.length;
      const started = performance.now();
      let timer = 0;
      const test = (r) => r && r.q === q && r.at >= B.lastInput && (clearInterval(timer), resolve(r), true);
      if (test(B.rendered)) return;
      B.waiters.push(test);
      timer = setInterval(() => {
        const why = B.errors.length > errors ? B.errors[errors] : performance.now() - started > 120000 ? 'no results after 120 s' : null;
        if (!why) return;
        clearInterval(timer);
        B.waiters = B.waiters.filter((w) => w !== test);
        reject(new Error(`\`${q}\`: ${why.slice(0, 300)}`));
      }, 50);
    });
  B.count = () => {
    const items = kind === 'peer' ? document.querySelectorAll('#results li') : ps()?.root.querySelectorAll('li[role=option][part=result]') ?? [];
    const title = kind === 'peer' ? 'h2' : '.title';
    return [...items].filter((li) => li.querySelector(title)?.textContent.trim() && li.querySelector('.snippet')?.textContent.trim()).length;
  };
  B.run = async (q) => {
    const box = input();
    const t0 = performance.now();
    box.value = q;
    box.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    if (kind === 'paper-search' && ps().status.hasAttribute('data-ms')) record(box.value, performance.now());
    const r = await until(q);
    return { ms: r.at - t0, shown: B.count() };
  };
  B.waitFor = async (q) => {
    const r = await until(q);
    return { settleMs: r.at - B.lastInput, shown: B.count() };
  };
};

// A fresh browser with a profile of its own. Requests (the page's and its workers') are kept in
// `requests` with their bytes on the wire once finished.
async function open({ throttle = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'scale-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    serviceWorkers: 'block',
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const requests = [];
  const entries = new WeakMap();
  page.on('request', (r) => {
    const entry = { url: r.url(), at: Date.now() };
    entry.done = new Promise((resolve) => (entry.resolve = resolve));
    entries.set(r, entry);
    requests.push(entry);
  });
  page.on('requestfinished', async (r) => {
    const entry = entries.get(r);
    if (!entry) return;
    entry.finished = true;
    const t = r.timing();
    entry.end = t.startTime + t.responseEnd;
    try {
      const sizes = await r.sizes();
      entry.bytes = sizes.responseHeadersSize + sizes.responseBodySize;
    } catch {
      entry.bytes = 0;
    }
    entry.resolve();
  });
  page.on('requestfailed', (r) => {
    const entry = entries.get(r);
    if (!entry) return;
    entry.failed = r.failure()?.errorText ?? 'failed';
    entry.resolve();
  });
  const cdp = await context.newCDPSession(page);
  if (throttle) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', THROTTLE);
  }
  return {
    context,
    page,
    cdp,
    errors,
    requests,
    async close() {
      await context.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Waits until these requests have finished or failed (at most `ms`).
function settled(entries, ms = 30000) {
  return Promise.race([Promise.all(entries.map((r) => r.done)), new Promise((done) => setTimeout(done, ms).unref())]);
}

async function gotoReady(b, url, kind, timeout) {
  await b.page.addInitScript(PAGE_HOOKS, kind);
  await b.page.goto(url, { waitUntil: 'commit', timeout });
  await b.page.waitForSelector(KINDS[kind].ready, { state: 'attached', timeout });
}

// One cold first search; returns { ms, bytes, requests, shown, pendingAtShown, files }.
export async function coldSearch(url, kind, query, { throttle = false, timeout = 180000 } = {}) {
  const b = await open({ throttle });
  try {
    await b.page.addInitScript(PAGE_HOOKS, kind);
    await b.page.goto(`${url}?q=${encodeURIComponent(query)}`, { waitUntil: 'commit', timeout });
    await b.page.waitForFunction(() => window.__bench.shown || window.__bench.errors.length, null, { timeout, polling: 20 });
    const failed = await b.page.evaluate(() => window.__bench.errors);
    if (failed.length) throw new Error(`the page reported: ${failed[0].slice(0, 300)}`);
    const shown = await b.page.evaluate(() => ({ ...window.__bench.shown, n: window.__bench.count() }));
    // Every request that finished by then has reported its size within a moment.
    await b.page.waitForTimeout(250);
    const finished = b.requests.filter((r) => r.finished);
    await settled(finished);
    const before = finished.filter((r) => r.end <= shown.epoch);
    if (b.errors.length) throw new Error(b.errors.join('; '));
    return {
      ms: shown.t,
      shown: shown.n,
      bytes: before.reduce((n, r) => n + r.bytes, 0),
      requests: before.length,
      pendingAtShown: b.requests.length - before.length,
      files: before.map((r) => [new URL(r.url).pathname.replace(/^\//, '') || 'index.html', r.bytes]),
    };
  } finally {
    await b.close();
  }
}

// The warm latency of every query, twice over; returns { first: [{ q, ms, shown }], again: [...],
// requests, bytes, againRequests, againBytes } (what each pass fetched).
export async function warmQueries(url, kind, queries, warmup, { timeout = 180000 } = {}) {
  const b = await open();
  try {
    await gotoReady(b, url, kind, timeout);
    await b.page.evaluate(async (qs) => {
      for (const q of qs) await window.__bench.run(q);
    }, warmup);
    const from = b.requests.length;
    const pass = () =>
      b.page.evaluate(async (qs) => {
        const out = [];
        for (const q of qs) out.push({ q, ...(await window.__bench.run(q)) });
        return out;
      }, queries);
    const first = await pass();
    const during = b.requests.slice(from);
    await settled(during);
    const again = await pass();
    const duringAgain = b.requests.slice(from + during.length);
    await settled(duringAgain);
    if (b.errors.length) throw new Error(b.errors.join('; '));
    const sum = (rs) => rs.reduce((n, r) => n + (r.bytes ?? 0), 0);
    return { first, again, requests: during.length, bytes: sum(during), againRequests: duringAgain.length, againBytes: sum(duringAgain) };
  } finally {
    await b.close();
  }
}

// Typed queries; returns { keystrokes, requests, bytes, settleMs: [...], shown: [...] }.
export async function typingSession(url, kind, queries, { delay = 120, timeout = 180000 } = {}) {
  const b = await open();
  try {
    await gotoReady(b, url, kind, timeout);
    await b.page.waitForLoadState('load');
    await b.page.waitForTimeout(500);
    const input = b.page.locator(KINDS[kind].input);
    await input.click();
    const from = b.requests.length;
    let keystrokes = 0;
    const settleMs = [];
    const shown = [];
    for (const q of queries) {
      await input.fill('');
      await b.page.keyboard.type(q, { delay });
      keystrokes += [...q].length;
      const r = await b.page.evaluate((q) => window.__bench.waitFor(q), q);
      settleMs.push(r.settleMs);
      shown.push(r.shown);
    }
    const during = b.requests.slice(from);
    await settled(during);
    if (b.errors.length) throw new Error(b.errors.join('; '));
    return { keystrokes, requests: during.length, bytes: during.reduce((n, r) => n + (r.bytes ?? 0), 0), settleMs, shown };
  } finally {
    await b.close();
  }
}

// CDP sessions of the page's workers, through the page's session (Target.sendMessageToTarget):
// a live list, kept up to date as workers start and end.
async function workerSessions(cdp) {
  const attached = new Map();
  cdp.on('Target.attachedToTarget', (e) => attached.set(e.sessionId, e));
  cdp.on('Target.detachedFromTarget', (e) => attached.delete(e.sessionId));
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  await new Promise((done) => setTimeout(done, 300));
  let id = 0;
  const pending = new Map();
  cdp.on('Target.receivedMessageFromTarget', (m) => {
    const msg = JSON.parse(m.message);
    const done = pending.get(`${m.sessionId}:${msg.id}`);
    if (done) {
      pending.delete(`${m.sessionId}:${msg.id}`);
      done(msg);
    }
  });
  return () => [...attached.values()]
    .filter((e) => e.targetInfo.type === 'worker')
    .map(({ sessionId, targetInfo }) => ({
      url: targetInfo.url,
      send: (method, params = {}) =>
        new Promise((resolve, reject) => {
          const i = ++id;
          pending.set(`${sessionId}:${i}`, (msg) => (msg.error ? reject(new Error(msg.error.message)) : resolve(msg.result)));
          cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: i, method, params }) }).catch(reject);
        }),
    }));
}

// JS heap and WebAssembly memory of one execution context, after a garbage collection.
async function contextMemory(send) {
  await send('HeapProfiler.collectGarbage');
  const heap = await send('Runtime.getHeapUsage');
  const proto = await send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype' });
  const found = await send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId });
  const sum = await send('Runtime.callFunctionOn', {
    objectId: found.objects.objectId,
    functionDeclaration: 'function () { return this.reduce((n, m) => n + m.buffer.byteLength, 0); }',
    returnByValue: true,
  });
  return { heap: heap.usedSize, wasm: sum.result.value };
}

async function memory(b) {
  b.workers ??= await workerSessions(b.cdp);
  const page = await contextMemory((m, p) => b.cdp.send(m, p));
  const workers = [];
  for (const w of b.workers()) workers.push({ url: w.url, ...(await contextMemory(w.send)) });
  const sum = (k) => page[k] + workers.reduce((n, w) => n + w[k], 0);
  return { heap: sum('heap'), wasm: sum('wasm'), page, workers };
}

// Memory after load and after `queries`; returns { afterLoad, afterQueries, queries, shownZero }.
export async function memoryRun(url, kind, queries, { timeout = 180000 } = {}) {
  const b = await open();
  try {
    await gotoReady(b, url, kind, timeout);
    await b.page.waitForLoadState('load');
    await b.page.waitForTimeout(500);
    const afterLoad = await memory(b);
    let empty = 0;
    for (let i = 0; i < queries.length; i += 100) {
      empty += await b.page.evaluate(async (qs) => {
        let n = 0;
        for (const q of qs) if ((await window.__bench.run(q)).shown === 0) n++;
        return n;
      }, queries.slice(i, i + 100));
    }
    await b.page.waitForTimeout(500);
    const afterQueries = await memory(b);
    if (b.errors.length) throw new Error(b.errors.join('; '));
    return { afterLoad, afterQueries, queries: queries.length, noResults: empty };
  } finally {
    await b.close();
  }
}

export async function chromiumVersion() {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
  const v = browser.version();
  await browser.close();
  return v;
}
