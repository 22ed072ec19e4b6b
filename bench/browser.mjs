// Chromium runs for one corpus: each engine's page served from the corpus's site folder on
// 127.0.0.1 (cross-origin isolated, so that performance.now() has 5 µs resolution), in headless
// Chromium driven by playwright-core as the page tests do. Service workers are blocked: the
// measures are of the page's own path to its first results.
//   load-to-first-result  a fresh browser context (empty cache) opens <engine>/?q=QUERY; the time
//                         is performance.now() (from navigation start) when the page first says
//                         it is ready, its first results rendered; median of `loadRuns`, taken
//                         round-robin over the engines
//   files                 what the first of those loads requested (for the bytes)
//   latency               the harness of harness.mjs run inside the loaded page
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../scripts/serve.mjs';
import { launch } from '../tests/e2e/helpers.mjs';
import { BENCH } from './paths.mjs';
import { percentile } from './harness.mjs';

const ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
const TIMEOUT = 120000;

// Runs before any script of a page and notes when it first says it is ready: the peer pages and
// the earlier paper-search page set body[data-ready]; the <paper-search> element takes the
// custom state `ready` and renders the query of ?q= in the same task.
const READY_OBSERVER = () => {
  const isReady = () => {
    if (document.querySelector('body[data-ready="true"]')) return true;
    try {
      return document.querySelector('paper-search:state(ready)') !== null;
    } catch {
      return false;
    }
  };
  const check = () => {
    if (window.__firstResult === undefined && isReady()) window.__firstResult = performance.now();
    return window.__firstResult !== undefined;
  };
  new MutationObserver(check).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
  const poll = () => check() || setTimeout(poll, 1);
  poll();
};

// Results on screen: list items of the page and of open shadow roots.
const COUNT_HITS = () => {
  let n = 0;
  const visit = (root) => {
    n += root.querySelectorAll('li').length;
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
  };
  visit(document);
  return n;
};

async function newPage(browser) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(READY_OBSERVER);
  return { context, page, errors };
}

async function firstResult(browser, base, id, query, listFiles) {
  const { context, page, errors } = await newPage(browser);
  try {
    const files = new Set();
    page.on('response', (r) => {
      const url = new URL(r.url());
      if (r.status() === 200 && url.href.startsWith(`${base}${id}/`)) files.add(decodeURIComponent(url.pathname.slice(id.length + 2)) || 'index.html');
    });
    await page.goto(`${base}${id}/?q=${encodeURIComponent(query)}`);
    await page.waitForFunction(() => window.__firstResult !== undefined, null, { timeout: TIMEOUT });
    const ms = await page.evaluate(() => window.__firstResult);
    if (listFiles) await page.waitForLoadState('networkidle');
    const hits = await page.evaluate(COUNT_HITS);
    if (errors.length) throw new Error(`${id}: ${errors.join('; ')}`);
    return { ms, hits, files: [...files].map((f) => (f.endsWith('/') ? `${f}index.html` : f)) };
  } finally {
    await context.close();
  }
}

async function latency(browser, base, id, queries) {
  const { context, page, errors } = await newPage(browser);
  try {
    await page.goto(`${base}${id}/`);
    await page.waitForFunction(() => window.__firstResult !== undefined, null, { timeout: TIMEOUT });
    if (id === 'paper-search') {
      await page.evaluate(async () => {
        const api = await import(new URL('pkg/paper_search.js', location.href).href);
        const wasm = await api.default();
        window.benchSearch = (q, limit) => api.search(q, { limit });
        window.benchSearchPlain = (q, limit) => api.search(q, { limit, highlight: false });
        window.benchWasmMemory = () => wasm.memory.buffer.byteLength;
      });
    }
    const result = await page.evaluate(async (queries) => {
      const { measureLatency } = await import(new URL('/harness.mjs', location.href).href);
      const result = measureLatency(window.benchSearch, queries);
      const plain = window.benchSearchPlain ? measureLatency(window.benchSearchPlain, queries) : null;
      result.wasmMemory = window.benchWasmMemory ? window.benchWasmMemory() : null;
      result.isolated = window.crossOriginIsolated;
      return { latency: result, plain };
    }, queries);
    if (errors.length) throw new Error(`${id}: ${errors.join('; ')}`);
    return result;
  } finally {
    await context.close();
  }
}

// Returns { chromium: version, engines: { id: { load: { ms, runs, hits, files }, latency } } }.
export async function chromiumRuns({ site, engines, queries, loadQuery, loadRuns, log = () => {} }) {
  copyFileSync(join(BENCH, 'harness.mjs'), join(site, 'harness.mjs'));
  const { server, url } = await startServer(site, 0, { headers: ISOLATED });
  const browser = await launch();
  const out = { chromium: browser.version(), engines: {} };
  try {
    // Load runs go round-robin over the engines, so that a busy moment of the machine falls on
    // all of them alike.
    const runs = Object.fromEntries(engines.map((id) => [id, []]));
    for (let i = 0; i < loadRuns; i++) {
      for (const id of engines) runs[id].push(await firstResult(browser, url, id, loadQuery, i === 0));
    }
    for (const id of engines) {
      const ms = runs[id].map((r) => r.ms).sort((a, b) => a - b);
      const load = { ms: percentile(ms, 50), runs: ms, hits: runs[id][0].hits, files: runs[id][0].files.sort() };
      log(`  Chromium ${id}: first results after ${load.ms.toFixed(0)} ms (median of ${loadRuns}); timing queries`);
      const { latency: timed, plain } = await latency(browser, url, id, queries);
      out.engines[id] = { load, latency: timed, ...(plain ? { latencyPlain: plain } : {}) };
    }
  } finally {
    await browser.close();
    server.closeAllConnections?.();
    await new Promise((done) => server.close(done));
  }
  return out;
}
