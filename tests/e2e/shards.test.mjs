// End-to-end tests of a sharded site in headless Chromium, one behaviour per test: the first
// 3,000 papers of corpus-large built sharded (SHARDED_SITE) and embedded (EMBEDDED_SITE) by
// `./build.sh test`, each beside the demo page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, renameSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer } from '../../scripts/serve.mjs';
import { afterResults, ask, dragYears, filterBar, open, ready, screenshot, siteCopies, ui } from './helpers.mjs';

const SHARDED = process.env.SHARDED_SITE;
const EMBEDDED = process.env.EMBEDDED_SITE;
if (!SHARDED || !EMBEDDED) throw new Error('SHARDED_SITE and EMBEDDED_SITE name the sites to test (./build.sh test makes them)');

const partsFolder = (site) => readdirSync(join(site, 'pkg')).find((f) => f.startsWith('index-'));
const isPart = (url) => /\/pkg\/index-[0-9a-f]+\/[a-z]+-\d+\.gz$/.test(url);

// Copies of the sharded site that a test may change or stop serving.
const copyOf = siteCopies('shards');

const QUERIES = [
  'reinforcement learning', 'reinforcement learning ', 'graph neural networks', 'diffusion models',
  'contrastive learning ', 'object detection', 'machine translation', 'bandit regret', 'protein structure',
  'neural tang', 'transformer', 'trnasformer', 'convolutonal networks ', 'GAN', 'generative adversarial networks',
  '"neural networks"', 'learning -deep', 'title:attention', 'author:bengio', 'year:2017', 'year:2016-2017 vision',
  'gan OR diffusion', 'fine-tuning', 'finetuning', 'self supervised', 'a', 'zero-shot', 'BERT', '  ', '"',
];

let sharded;
let embedded;
before(async () => {
  [sharded, embedded] = await Promise.all([open({ dir: SHARDED }), open({ dir: EMBEDDED })]);
  await Promise.all([sharded.page.goto(sharded.url), embedded.page.goto(embedded.url)]);
  await Promise.all([ready(sharded.page), ready(embedded.page)]);
});
after(async () => {
  await sharded?.close();
  await embedded?.close();
});

test('the sharded site answers every query as the embedded site does', async () => {
  const calls = QUERIES.map((q) => ['searchAsync', q, { limit: 20 }]);
  const [fromShards, fromModule] = await Promise.all([ask(sharded.page, calls), ask(embedded.page, calls)]);
  for (const [i, q] of QUERIES.entries()) {
    assert.deepEqual(fromShards[i], fromModule[i], `the query ${JSON.stringify(q)}`);
  }
  assert.ok(fromShards.filter((r) => r.hits.length > 0).length > 20, 'most queries find papers');
  const ids = fromModule.flatMap((r) => r.hits.slice(0, 2).map((h) => h.id));
  const papers = ids.flatMap((id) => [['paperAsync', id], ['relatedAsync', id, 5]]);
  const [a, b] = await Promise.all([ask(sharded.page, papers), ask(embedded.page, papers)]);
  assert.deepEqual(a, b, 'papers and related papers');
  const [stats] = await ask(sharded.page, [['stats']]);
  assert.equal(stats.sharded, true);
});

// Searches with filters, sorts and facets (the slice has years and authors), with words and without.
const FILTERED = [
  ['learning', { facets: true, filters: { year: { from: 2022, to: 2022 } } }],
  ['learning', { facets: true, filters: { author: ['Wei Wang'] } }],
  ['graph neural networks', { facets: true, sort: 'newest' }],
  ['reinforcement learning', { facets: ['year', 'author'], sort: 'oldest', filters: { year: { to: 2021 } } }],
  ['year:2021-2022 vision', { facets: true }],
  ['', { facets: ['year'], sort: 'newest', filters: { year: { from: 2025 } } }],
  ['', { facets: true, filters: { author: ['Lei Zhang', 'Wei Zhang'] } }],
  ['', { facets: ['year'], sort: 'oldest' }],
];

test('the sharded site filters, sorts and counts as the embedded site does', async () => {
  const calls = FILTERED.map(([q, options]) => ['searchAsync', q, { limit: 20, ...options }]);
  const [fromShards, fromModule] = await Promise.all([ask(sharded.page, calls), ask(embedded.page, calls)]);
  for (const [i, [q, options]] of FILTERED.entries()) {
    assert.deepEqual(fromShards[i], fromModule[i], `${JSON.stringify(q)} ${JSON.stringify(options)}`);
    assert.ok(fromModule[i].hits.length > 0 && fromModule[i].facets.year.length > 0, `${JSON.stringify(q)} finds and counts papers`);
  }
  assert.ok(fromModule[1].facets.author.length > 0, 'authors are counted');
});

// The facets parts a page fetches (the authors of a sharded build's papers).
const facetParts = (page) => {
  const parts = [];
  page.on('requestfinished', (r) => { if (isPart(r.url()) && /\/facet-\d+\.gz$/.test(r.url())) parts.push(r.url()); });
  return parts;
};

test('the sharded site’s filter bar counts years at once, and authors only when asked', async () => {
  const page = await sharded.context.newPage();
  page.setDefaultTimeout(15000);
  const parts = facetParts(page);
  await page.goto(sharded.url);
  await ready(page);
  const bar = filterBar(page);
  assert.deepEqual(await bar.bars.evaluateAll((bars) => bars.map((b) => b.dataset.year)), ['2021', '2022', '2023', '2024', '2025']);
  await afterResults(page, () => ui(page).input.fill('learning'));
  const [expected] = await ask(embedded.page, [['searchAsync', 'learning', { facets: true }]]);
  const labels = await bar.bars.evaluateAll((bars) => bars.map((b) => b.getAttribute('aria-label')));
  assert.deepEqual(labels.filter((l) => !l.endsWith(' 0 papers')), expected.facets.year.map(({ value, count }) => `${value}: ${count} papers`));
  assert.equal(await bar.chips('author').count(), 0);
  assert.deepEqual(parts, [], 'no facets part for a search or a blank box');
  await afterResults(page, () => page.locator('paper-search [aria-labelledby="filter-author"]').getByRole('button', { name: 'Count authors' }).click());
  const chips = await bar.chips('author').evaluateAll((c) => c.map((chip) => chip.textContent));
  assert.deepEqual(chips, expected.facets.author.slice(0, 6).map(({ value, count }) => `${value}${count} papers`));
  assert.ok(parts.length > 0, 'the authors’ parts, once asked for');
  await screenshot(page, 'sharded-filters', { clip: await page.locator('paper-search').boundingBox() });
  await page.close();
});

test('a drag across the sharded site’s histogram filters its results', async () => {
  const page = await sharded.context.newPage();
  page.setDefaultTimeout(15000);
  await page.goto(`${sharded.url}?q=learning`);
  await ready(page);
  await ui(page).options.first().waitFor();
  await afterResults(page, () => dragYears(page, 2022, 2025));
  assert.equal(new URL(page.url()).searchParams.get('year'), '2022-2025');
  const [expected] = await ask(embedded.page, [['searchAsync', 'learning', { limit: 20, filters: { year: { from: 2022, to: 2025 } } }]]);
  assert.deepEqual(await ui(page).titles.allTextContents(), expected.hits.map((h) => h.title));
  assert.match(await ui(page).status.textContent(), new RegExp(`^${expected.total} results in [\\d.]+ ms · 2022–2025$`));
  await page.close();
});

test('the element lists and counts alike on the sharded and the embedded site', async () => {
  const path = `?q=learning&year=2021-2022&author=${encodeURIComponent('Wei Wang')}&sort=newest`;
  const seen = await Promise.all([sharded, embedded].map(async (site) => {
    const page = await site.context.newPage();
    page.setDefaultTimeout(15000);
    await page.goto(site.url + path);
    await ready(page);
    await ui(page).options.first().waitFor();
    const bar = filterBar(page);
    const shown = {
      titles: await ui(page).titles.allTextContents(),
      total: (await ui(page).status.textContent()).replace(/ in [\d.]+ ms/, ''),
      years: await bar.bars.evaluateAll((bars) => bars.map((b) => b.getAttribute('aria-label'))),
      authors: await bar.chips('author').evaluateAll((c) => c.map((chip) => `${chip.textContent} ${chip.getAttribute('aria-pressed')}`)),
    };
    await page.close();
    return shown;
  }));
  assert.deepEqual(seen[0], seen[1]);
  assert.ok(seen[0].titles.length > 0);
  const [{ facets }] = await ask(embedded.page, [['searchAsync', 'learning', { facets: true, filters: { year: { from: 2021, to: 2022 }, author: ['Wei Wang'] } }]]);
  const { count } = facets.author.find((a) => a.value === 'Wei Wang');
  assert.equal(seen[0].authors[0], `Wei Wang${count} papers true`, 'the author chosen, counted without its own filter');
});

test('a first search downloads a few parts of the index, not all of it', async () => {
  const context = await sharded.browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const parts = [];
  page.on('requestfinished', (r) => { if (isPart(r.url())) parts.push(r.url()); });
  await page.goto(`${sharded.url}?q=${encodeURIComponent('graph neural networks')}`);
  await ready(page);
  await ui(page).titles.first().waitFor({ timeout: 15000 });
  assert.equal(await ui(page).options.count(), 20);
  const all = readdirSync(join(SHARDED, 'pkg', partsFolder(SHARDED))).length;
  assert.ok(parts.length <= 30, `${parts.length} parts fetched`);
  assert.ok(parts.length < all / 10, `${parts.length} of ${all} parts fetched`);
  assert.equal(new Set(parts).size, parts.length, 'no part fetched twice');
  assert.ok(!parts.some((u) => u.endsWith('/docs-0.gz')), 'the docs part comes with the module');
  await screenshot(page, 'sharded-first-search');
  await context.close();
});

test('a link to a paper opens it, its text fetched on demand', async () => {
  const [paper] = await ask(embedded.page, [['paper', 1234]]);
  const page = await sharded.context.newPage();
  await page.goto(`${sharded.url}?q=learning#paper-1234`);
  await ready(page);
  await ui(page).paper.locator('h2', { hasText: paper.title }).waitFor({ timeout: 15000 });
  assert.equal(await ui(page).paper.locator('.abstract').textContent(), paper.abstract);
  await page.close();
});

test('typing fetches for the words typed, not for every keystroke', async () => {
  const page = await sharded.context.newPage();
  await page.goto(sharded.url);
  await ready(page);
  const parts = [];
  page.on('request', (r) => { if (isPart(r.url())) parts.push(r.url()); });
  await ui(page).input.pressSequentially('variational inference', { delay: 40 });
  await ui(page).status.filter({ hasText: /results? in/ }).waitFor({ timeout: 15000 });
  const [expected] = await ask(embedded.page, [['searchAsync', 'variational inference', { limit: 20 }]]);
  assert.deepEqual(await ui(page).titles.allTextContents(), expected.hits.map((h) => h.title));
  // 21 keystrokes at 40 ms: each waits 250 ms before it fetches, so only the last does.
  const files = new Set(parts.map((u) => u.replace(/^.*\//, '')));
  assert.ok(files.size <= 25, `${files.size} parts for one typed query: ${[...files].join(' ')}`);
  await page.close();
});

// The sharded site behind a slow link: each part's response starts after a while and then
// trickles in; `sent` records, for each part asked for, its size and the bytes sent of it before
// the page hung up.
async function slowSite(dir) {
  const upstream = await startServer(dir, 0);
  const sent = [];
  const server = createServer(async (req, res) => {
    const response = await fetch(new URL(req.url, upstream.url));
    const body = Buffer.from(await response.arrayBuffer());
    const head = { 'content-type': response.headers.get('content-type'), 'content-length': body.length };
    if (!isPart(req.url)) {
      res.writeHead(response.status, head).end(body);
      return;
    }
    const record = { part: req.url.replace(/^.*\//, ''), size: body.length, bytes: 0 };
    sent.push(record);
    await sleep(300);
    res.writeHead(response.status, head);
    for (let at = 0; at < body.length && !res.destroyed; at += 1024) {
      res.write(body.subarray(at, at + 1024));
      record.bytes = Math.min(at + 1024, body.length);
      await sleep(25);
    }
    res.end();
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    sent,
    async close() {
      for (const s of [server, upstream.server]) {
        s.closeAllConnections();
        await new Promise((done) => s.close(done));
      }
    },
  };
}

test('on a slow link, typing abandons the downloads of the searches it overtakes', async (t) => {
  const slow = await slowSite(SHARDED);
  const context = await sharded.browser.newContext({ serviceWorkers: 'block' });
  t.after(async () => { await context.close(); await slow.close(); });
  const query = 'protein folding';
  const searched = async (page) => ui(page).status.filter({ hasText: /results? in/ }).waitFor({ timeout: 60000 });
  // The parts the query reads, searched at once.
  const once = await context.newPage();
  await once.goto(`${slow.url}?q=${encodeURIComponent(query)}`);
  await ready(once);
  await searched(once);
  const needed = new Set(slow.sent.map((r) => r.part));
  slow.sent.length = 0;
  // Typed: each keystroke comes after the element's pause, so each search starts fetching,
  // and the next keystroke overtakes it while its parts are still on their way.
  const page = await context.newPage();
  await page.goto(slow.url);
  await ready(page);
  await ui(page).input.pressSequentially(query, { delay: 400 });
  await searched(page);
  const [expected] = await ask(embedded.page, [['searchAsync', query, { limit: 20 }]]);
  assert.deepEqual(await ui(page).titles.allTextContents(), expected.hits.map((h) => h.title));
  // The parts of the searches overtaken, which the query does not read: cut off, not downloaded.
  const overtaken = slow.sent.filter((r) => !needed.has(r.part));
  const sum = (records, key) => records.reduce((n, r) => n + r[key], 0);
  const report = `${sum(overtaken, 'bytes')} of ${sum(overtaken, 'size')} bytes of ${overtaken.length} parts the query does not read`;
  assert.ok(overtaken.length > 0, 'the searches overtaken asked for parts of their own');
  assert.ok(overtaken.some((r) => r.bytes < r.size), `no download was abandoned: ${report}`);
  assert.ok(sum(overtaken, 'bytes') < sum(overtaken, 'size') / 2, report);
});

test('what was searched keeps working offline', async (t) => {
  const env = await open({ dir: copyOf(SHARDED), serviceWorkers: 'allow' });
  t.after(() => env.close());
  const { page } = env;
  await page.goto(env.url);
  await ready(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
  await ui(page).input.fill('bandit regret');
  await ui(page).status.filter({ hasText: /results? in/ }).waitFor({ timeout: 15000 });
  const online = await ui(page).titles.allTextContents();
  env.server.closeAllConnections();
  await new Promise((done) => env.server.close(done));
  const offline = await env.context.newPage();
  await offline.goto(`${env.url}?q=${encodeURIComponent('bandit regret')}`);
  await ready(offline);
  await ui(offline).status.filter({ hasText: /results? in/ }).waitFor({ timeout: 15000 });
  assert.deepEqual(await ui(offline).titles.allTextContents(), online);
});

test('saving every part for offline use shows its progress, then any query works offline', async (t) => {
  const env = await open({ dir: copyOf(SHARDED), serviceWorkers: 'allow' });
  t.after(() => env.close());
  const { page } = env;
  env.context.setDefaultTimeout(60000);
  await page.goto(env.url);
  await ready(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
  const control = page.locator('paper-search [part=offline]');
  const progress = [];
  await page.exposeFunction('noteProgress', (p) => progress.push(p));
  await page.evaluate(() => document.querySelector('paper-search')
    .addEventListener('paper-search-download', (e) => window.noteProgress(e.detail)));
  await control.getByRole('button', { name: /Save all 3,000 papers/ }).click();
  await control.filter({ hasText: /All 3,000 papers are saved for offline use/ }).waitFor({ timeout: 120000 });
  const total = readdirSync(join(SHARDED, 'pkg', partsFolder(SHARDED))).length;
  assert.equal(progress.at(-1).done, total);
  assert.ok(progress.length > 10 && progress.some((p) => p.done > 0 && p.done < total), 'progress along the way');
  await screenshot(page, 'sharded-saved-offline');
  env.server.closeAllConnections();
  await new Promise((done) => env.server.close(done));
  const [expected] = await ask(embedded.page, [['searchAsync', 'speech recognition', { limit: 20 }]]);
  await ui(page).input.fill('speech recognition');
  await ui(page).status.filter({ hasText: /results? in/ }).waitFor({ timeout: 15000 });
  assert.deepEqual(await ui(page).titles.allTextContents(), expected.hits.map((h) => h.title));
});

// Opens the sharded site with `route` answering requests for parts that match `pattern`.
async function withParts(pattern, route) {
  const page = await sharded.context.newPage();
  page.setDefaultTimeout(15000);
  await page.route((url) => isPart(url.href) && pattern.test(url.href), route);
  await page.goto(sharded.url);
  await ready(page);
  return page;
}

async function failsClearly(page, query, message) {
  const { input, error, options, status } = ui(page);
  await input.fill(query);
  await error.filter({ hasText: message }).waitFor();
  // What a screen reader reads out: the alert's sentences apart, each from its capital.
  const text = await error.textContent();
  assert.match(text, new RegExp(`^The search for “${query}” could not be completed\\. [A-Z].*\\. Try again$`));
  assert.equal(await options.count(), 0, 'no hits are shown for a search that failed');
  assert.equal(await status.textContent(), 'The search failed.');
  return text;
}

test('a missing part: a bounded retry, a clear message, and a search that works once it is back', async () => {
  let served = 0;
  const page = await withParts(/\/post-\d+\.gz$/, (route) => { served += 1; return route.fulfill({ status: 404, body: 'not found' }); });
  await failsClearly(page, 'speech recognition', /Could not load post-\d+\.gz of the index \(HTTP 404; tried 3 times\)/);
  assert.ok(served >= 3 && served % 3 === 0, `each missing part is asked for three times (${served} requests)`);
  await screenshot(page, 'sharded-missing-part');
  await page.unrouteAll();
  await ui(page).error.getByRole('button', { name: 'Try again' }).click();
  await ui(page).titles.first().waitFor();
  assert.ok(await ui(page).options.count() > 0);
  assert.ok(await ui(page).error.isHidden());
  await page.close();
});

// A part that arrived damaged (`damage` answers its requests): the search fails saying so
// and what helps, not blaming the connection, and the part is not asked for again (the host
// would send the same bytes).
async function refusedAsDamaged(pattern, damage, message) {
  const asked = [];
  const page = await withParts(pattern, (route) => { asked.push(route.request().url()); return damage(route); });
  const text = await failsClearly(page, 'speech recognition', message);
  assert.match(text, /\. Reload the page; if this persists, the site's files are damaged\. Try again$/);
  assert.doesNotMatch(text, /connection|tried \d times/);
  assert.ok(asked.length > 0);
  assert.equal(new Set(asked).size, asked.length, `each damaged part is asked for once: ${asked.join(' ')}`);
  await page.close();
}

test('a corrupt part is refused with a message, never shown as results', async () => {
  // The real file with bytes in its middle changed: gzip's checksum no longer holds.
  await refusedAsDamaged(/\/text-\d+\.gz$/, async (route) => {
    const response = await route.fetch();
    const body = Buffer.from(await response.body());
    for (let i = body.length >> 2; i < body.length >> 1; i += 7) body[i] ^= 0x5a;
    await route.fulfill({ response, body });
  }, /The file text-\d+\.gz of the index arrived but is not valid gzip\./);
});

test('a file that is not a part is refused with a message', async () => {
  await refusedAsDamaged(/\/text-\d+\.gz$/, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><p>A host’s page for every address</p>' }),
    /The file text-\d+\.gz of the index arrived but is not a part of this build: not a paper-search index/);
});

test('a truncated part is refused with a message', async () => {
  await refusedAsDamaged(/\/dict-\d+\.gz$/, async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    await route.fulfill({ response, body: body.subarray(0, body.length >> 1) });
  }, /The file dict-\d+\.gz of the index arrived but is not valid gzip\./);
});

test('a slow part: the page says it is searching, then shows the results', async () => {
  const page = await withParts(/\/post-\d+\.gz$/, async (route) => {
    await new Promise((done) => setTimeout(done, 1500));
    await route.continue();
  });
  await ui(page).input.fill('speech recognition');
  await ui(page).status.filter({ hasText: 'Searching…' }).waitFor();
  assert.equal(await page.locator('paper-search [role=listbox][aria-busy=true]').count(), 1);
  await ui(page).status.filter({ hasText: /results? in/ }).waitFor();
  assert.ok(await ui(page).options.count() > 0);
  await page.close();
});

test('a page left open across a new deployment says to reload', async (t) => {
  const dir = copyOf(SHARDED);
  const env = await open({ dir });
  t.after(() => env.close());
  const { page } = env;
  env.context.setDefaultTimeout(15000);
  await page.goto(env.url);
  await ready(page);
  // The new build's parts are in a folder of another name; the old one is gone.
  const folder = partsFolder(dir);
  renameSync(join(dir, 'pkg', folder), join(dir, 'pkg', 'index-0123456789abcdef'));
  await failsClearly(page, 'speech recognition', /the site may have been updated since this page was opened: reload it/);
});
