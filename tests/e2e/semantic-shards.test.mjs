// End-to-end tests of search by meaning in a sharded site, in headless Chromium, one behaviour
// per test: the default corpus built with SEMANTIC=on SHARDS=on (SEMANTIC_SHARDED_SITE) beside
// the same corpus built embedded (SEMANTIC_SITE), both made by `./build.sh test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ask, open, ready, screenshot, siteCopies, ui } from './helpers.mjs';

const SHARDED = process.env.SEMANTIC_SHARDED_SITE;
const EMBEDDED = process.env.SEMANTIC_SITE;
if (!SHARDED || !EMBEDDED) {
  throw new Error('SEMANTIC_SHARDED_SITE and SEMANTIC_SITE name the semantic sites to test (./build.sh test makes them)');
}

const modelFile = readdirSync(join(SHARDED, 'pkg')).find((f) => /^paper-search-model-[0-9a-f]{16}\.bin\.gz$/.test(f));
const partsFolder = readdirSync(join(SHARDED, 'pkg')).find((f) => f.startsWith('index-'));
const isCodes = (url) => /\/pkg\/index-[0-9a-f]+\/codes-\d+\.gz$/.test(url);
const control = (page) => page.locator('paper-search .semantic input[type=checkbox]');
const note = (page) => page.locator('paper-search .semantic-note');

// Copies of the sharded site that a test may change or stop serving.
const copyOf = siteCopies('semantic-shards');

const QUERIES = [
  'reinforcement learning', 'reinforcement learning ', 'grokking', 'neural tang', 'trnasformer', '"neural networks"',
  'learning -deep', 'title:attention', 'year:2017', 'gan OR diffusion', 'guitar distortion pedals',
  'nutrition calories', 'how do machines understand pictures', 'a', '  ', '"',
];

let sharded;
let embedded;
// The part files the sharded page requested, from its first load.
const requested = [];
before(async () => {
  [sharded, embedded] = await Promise.all([open({ dir: SHARDED }), open({ dir: EMBEDDED })]);
  sharded.page.on('request', (r) => requested.push(r.url()));
  await Promise.all([sharded.page.goto(sharded.url), embedded.page.goto(embedded.url)]);
  await Promise.all([ready(sharded.page), ready(embedded.page)]);
});
after(async () => {
  await sharded?.close();
  await embedded?.close();
});

test('the sharded semantic site fetches no codes until meaning is switched on, and then all of them', async () => {
  const [stats] = await ask(sharded.page, [['stats']]);
  assert.equal(stats.semantic, true);
  assert.equal(stats.sharded, true);
  assert.equal(stats.modelFile, modelFile);
  await ask(sharded.page, [['searchAsync', 'reinforcement learning', { limit: 10 }]]);
  assert.deepEqual(requested.filter(isCodes), [], 'a search by words fetches no codes');
  await ask(sharded.page, [['loadModel', `/pkg/${modelFile}`]]);
  const codes = readdirSync(join(SHARDED, 'pkg', partsFolder)).filter((f) => f.startsWith('codes-'));
  assert.ok(codes.length > 0);
  assert.deepEqual(requested.filter(isCodes).map((u) => u.split('/').at(-1)).sort(), codes.sort());
});

test('with the model loaded, the sharded site answers every query as the embedded site does', async () => {
  const load = ['loadModel', `/pkg/${modelFile}`];
  const calls = QUERIES.flatMap((q) => [['searchAsync', q, { limit: 20, semantic: true }], ['searchAsync', q, { limit: 20 }]]);
  const [fromShards, fromModule] = await Promise.all([ask(sharded.page, [load, ...calls]), ask(embedded.page, [load, ...calls])]);
  for (const [i, call] of calls.entries()) {
    assert.deepEqual(fromShards[i + 1], fromModule[i + 1], `searchAsync ${JSON.stringify(call.slice(1))}`);
  }
  // Meaning changes the answers: the comparison reaches the fused ranking.
  const differ = QUERIES.filter((_, i) => JSON.stringify(fromModule[1 + 2 * i]) !== JSON.stringify(fromModule[2 + 2 * i]));
  assert.ok(differ.length > QUERIES.length / 2, `meaning changed ${differ.length} of ${QUERIES.length} answers`);
  const pedals = fromShards[1 + 2 * QUERIES.indexOf('guitar distortion pedals')].hits.slice(0, 3).map((h) => h.title);
  assert.ok(pedals.some((t) => /audio|guitar|effect|sound/i.test(t)), pedals.join(' | '));
});

test('a codes part that arrives damaged fails the model\'s loading with what happened, and the note says so', async (t) => {
  const dir = copyOf(SHARDED);
  const folder = join(dir, 'pkg', partsFolder);
  // Cut short: the gzip stream ends before its end.
  for (const f of readdirSync(folder).filter((f) => f.startsWith('codes-'))) {
    const bytes = readFileSync(join(folder, f));
    writeFileSync(join(folder, f), bytes.subarray(0, bytes.length >> 1));
  }
  const env = await open({ dir });
  t.after(() => env.close());
  const { page } = env;
  await page.goto(env.url);
  await ready(page);
  await control(page).check();
  await note(page).filter({ hasText: /could not be loaded/ }).waitFor({ timeout: 60000 });
  const text = await note(page).textContent();
  assert.match(text, /codes-0\.gz of the index arrived but is not valid gzip/);
  assert.doesNotMatch(text, /connection/i, 'a damaged file is not blamed on the connection');
  const [stats] = await ask(page, [['stats']]);
  assert.equal(stats.modelLoaded, false, 'no search by meaning without the codes');
});

test('switched on in a sharded site, meaning ranks a search, and again offline', async (t) => {
  const env = await open({ dir: copyOf(SHARDED), serviceWorkers: 'allow' });
  t.after(() => env.close());
  const { page } = env;
  env.context.setDefaultTimeout(60000);
  // The element's code for meaning arrives late, as on a slow first visit: it was asked before
  // the worker took control, around it, and must still be there offline.
  await page.route('**/paper-search-semantic.js', async (route) => {
    await new Promise((done) => setTimeout(done, 1500));
    await route.continue();
  });
  await page.goto(env.url);
  await ready(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
  await control(page).check();
  await note(page).filter({ hasText: 'Results by meaning' }).waitFor();
  const byMeaning = async (p, query) => {
    await ui(p).input.fill(query);
    await p.waitForFunction((query) => {
      const titles = [...document.querySelector('paper-search').shadowRoot.querySelectorAll('[role=option] .title')];
      return titles.slice(0, 3).some((t) => /audio|guitar|effect|sound/i.test(t.textContent)) && query;
    }, query);
    return ui(p).titles.allTextContents();
  };
  const online = await byMeaning(page, 'guitar distortion pedals');
  await screenshot(page, 'semantic-sharded-results');
  env.server.closeAllConnections();
  await new Promise((done) => env.server.close(done));
  // A new page, offline: the page, the module, the model, the codes and the parts searched come
  // from the service worker's cache.
  const offline = await env.context.newPage();
  await offline.goto(`${env.url}?q=${encodeURIComponent('guitar distortion pedals')}`);
  await ready(offline);
  await control(offline).check();
  await note(offline).filter({ hasText: 'Results by meaning' }).waitFor();
  await ui(offline).input.fill('');
  assert.deepEqual(await byMeaning(offline, 'guitar distortion pedals'), online);
});
