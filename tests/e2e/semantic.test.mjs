// End-to-end tests of search by meaning in headless Chromium, one behaviour per test: the
// default corpus built with SEMANTIC=on (SEMANTIC_SITE, made by `./build.sh test`) beside the
// default build (www/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ask, open, ready, screenshot, serveText, ui } from './helpers.mjs';

const SITE = process.env.SEMANTIC_SITE;
if (!SITE) throw new Error('SEMANTIC_SITE names the semantic build to test (./build.sh test makes it)');

const modelFile = readdirSync(join(SITE, 'pkg')).find((f) => /^paper-search-model-[0-9a-f]{16}\.bin\.gz$/.test(f));
const isModel = (url) => /\/pkg\/paper-search-model-[0-9a-f]{16}\.bin\.gz$/.test(url);
const control = (page) => page.locator('paper-search .semantic input[type=checkbox]');
const note = (page) => page.locator('paper-search .semantic-note');

const QUERIES = [
  'reinforcement learning', 'reinforcement learning ', 'grokking', 'neural tang', 'trnasformer', '"neural networks"',
  'learning -deep', 'title:attention', 'year:2017', 'gan OR diffusion', 'guitar distortion pedals', 'a', '  ', '"',
];

let site;
let plain;
// What each page requested, from its first load.
const requested = { site: [], plain: [] };
before(async () => {
  [site, plain] = await Promise.all([open({ dir: SITE }), open()]);
  site.page.on('request', (r) => requested.site.push(r.url()));
  plain.page.on('request', (r) => requested.plain.push(r.url()));
  await Promise.all([site.page.goto(site.url), plain.page.goto(plain.url)]);
  await Promise.all([ready(site.page), ready(plain.page)]);
});
after(async () => {
  await site?.close();
  await plain?.close();
});

test('before the model is loaded, the semantic build answers every query as the default build does', async () => {
  const calls = QUERIES.flatMap((q) => [['search', q, { limit: 20 }], ['search', q, { limit: 20, semantic: true }]]);
  const [mine, theirs] = await Promise.all([ask(site.page, calls), ask(plain.page, calls)]);
  for (const [i, call] of calls.entries()) {
    assert.deepEqual(mine[i], theirs[i], `search ${JSON.stringify(call.slice(1))}`);
  }
  const [stats] = await ask(site.page, [['stats']]);
  assert.equal(stats.semantic, true);
  assert.equal(stats.modelLoaded, false);
  assert.equal(stats.modelFile, modelFile);
});

test('the module folder carries the model with its licence and notice, and the code\'s licence', () => {
  const files = readdirSync(join(SITE, 'pkg'));
  for (const file of ['MODEL-LICENSE', 'MODEL-NOTICE.md', 'LICENSE']) assert.ok(files.includes(file), `pkg/ has ${file}: ${files.join(', ')}`);
  assert.equal(readFileSync(join(SITE, 'pkg', 'LICENSE'), 'utf8'), readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
});

test('the default page has no control for search by meaning and never fetches its code, the semantic build has both', async () => {
  await control(site.page).waitFor();
  assert.equal(await control(site.page).isChecked(), false);
  assert.match(await note(site.page).textContent(), /21 MB/);
  assert.equal(await control(plain.page).count(), 0);
  const addOn = (urls) => urls.filter((url) => new URL(url).pathname.endsWith('/paper-search-semantic.js'));
  assert.deepEqual(addOn(requested.plain), []);
  assert.equal(addOn(requested.site).length, 1);
});

test('switching it on downloads the model once and finds papers that share no word with the query', async () => {
  const { page } = site;
  const models = [];
  page.on('requestfinished', (r) => { if (isModel(r.url())) models.push(r.url()); });
  await ui(page).input.fill('guitar distortion pedals');
  await ui(page).status.filter({ hasText: /results?|No papers/ }).waitFor();
  const byWords = await ui(page).titles.allTextContents();
  await control(page).check();
  await note(page).filter({ hasText: 'Results by meaning' }).waitFor({ timeout: 60000 });
  assert.equal(await page.locator('paper-search').getAttribute('semantic'), '', 'the control sets the attribute');
  await page.waitForFunction((before) => {
    const titles = [...document.querySelector('paper-search').shadowRoot.querySelectorAll('[role=option] .title')];
    return titles.length > 0 && titles.map((t) => t.textContent).join('\n') !== before.join('\n');
  }, byWords, { timeout: 10000 });
  const titles = await ui(page).titles.allTextContents();
  assert.ok(titles.slice(0, 3).some((t) => /audio|guitar|effect|sound/i.test(t)), titles.slice(0, 3).join(' | '));
  // The next query is ranked by meaning too, with no second download.
  await ui(page).input.fill('nutrition calories');
  await page.waitForFunction(() => {
    const first = document.querySelector('paper-search').shadowRoot.querySelector('[role=option] .title');
    return first && /diet|obes|food|nutri/i.test(first.textContent);
  }, null, { timeout: 10000 });
  assert.equal(models.length, 1, `the model was fetched ${models.length} times`);
  const [stats] = await ask(page, [['stats']]);
  assert.equal(stats.modelLoaded, true);
  await screenshot(page, 'semantic-results');
});

test('the page\'s encoder (wasm) gives the reference vectors, as the build\'s native encoder does', async () => {
  // tests/semantic/reference.json: vectors computed without this crate's code; tests/semantic.rs
  // holds the native encoder to the same bound.
  const reference = JSON.parse(readFileSync(join(ROOT, 'tests', 'semantic', 'reference.json'), 'utf8'));
  const page = await site.context.newPage();
  await page.goto(site.url);
  const vectors = await page.evaluate(async ({ file, texts }) => {
    const { default: init, loadModel, embedQuery } = await import('/pkg/paper_search.js');
    await init();
    await loadModel(`/pkg/${file}`);
    return texts.map((t) => Array.from(embedQuery(t)));
  }, { file: modelFile, texts: reference.sentences.map((s) => s.text) });
  assert.ok(reference.sentences.length >= 5);
  for (const [i, s] of reference.sentences.entries()) {
    const cosine = vectors[i].reduce((sum, x, d) => sum + x * s.vector[d], 0);
    assert.ok(cosine > 0.995, `${JSON.stringify(s.text)}: cosine ${cosine} with the reference`);
  }
  await page.close();
});

test('the semantic attribute, set or removed by the page, switches the control', async () => {
  const { page } = site;
  const set = (on) => page.evaluate((on) => document.querySelector('paper-search').toggleAttribute('semantic', on), on);
  await set(false);
  await page.waitForFunction(() => !document.querySelector('paper-search').shadowRoot.querySelector('#semantic').checked);
  await set(true);
  await page.waitForFunction(() => document.querySelector('paper-search').shadowRoot.querySelector('#semantic').checked);
});

test('loadModel refuses a file that is not the build\'s model, saying why', async () => {
  const message = await site.page.evaluate(async () => {
    const { load } = await import('/paper-search.js');
    const api = await load();
    try {
      await api.loadModel(new Uint8Array([1, 2, 3]));
      return 'resolved';
    } catch (err) {
      return err.message;
    }
  });
  assert.match(message, /not a paper-search model file/);
  const missing = await site.page.evaluate(async () => {
    const { load } = await import('/paper-search.js');
    try {
      await (await load()).loadModel('/pkg/no-such-model.bin.gz');
      return 'resolved';
    } catch (err) {
      return err.message;
    }
  });
  assert.match(missing, /could not load the model from .*HTTP 404/);
});

// The README's JavaScript for search by meaning: its ```js blocks under "From JavaScript, in a
// semantic build", in order, as one module of a page at the site's root.
function readmeModelExample() {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('From JavaScript, in a semantic build'), readme.indexOf('## Using it from JavaScript'));
  const blocks = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 2 && blocks.some((b) => /loadModel\(bytes\)/.test(b)), 'the README loads the model from its URL and from its bytes');
  return blocks.join('\n');
}

test('the README\'s loadModel example runs as written: the model from its URL, and from the file\'s bytes as built or gunzipped', async () => {
  const page = await site.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  // What the example leaves: the model loaded, and a search by meaning that finds papers.
  const report = `
window.outcome = { stats: stats(), hits: search('guitar distortion pedals', { semantic: true, limit: 3 }).hits.map((h) => h.title),
  vector: embedQuery('guitar distortion pedals').length };`;
  await serveText(page, `${site.url}readme-model.html`,
    `<!doctype html><meta charset="utf-8"><script type="module">\n${readmeModelExample()}${report}\n</script>`);
  const models = [];
  page.on('requestfinished', (r) => { if (isModel(r.url())) models.push(r.url()); });
  await page.goto(`${site.url}readme-model.html`);
  const ran = page.waitForFunction(() => window.outcome, null, { timeout: 60000 }).catch(() => {});
  await Promise.race([ran, new Promise((done) => page.once('pageerror', done))]);
  assert.deepEqual(errors.map(String), []);
  const outcome = await page.evaluate(() => window.outcome);
  assert.ok(outcome, 'the example ran to its end');
  assert.equal(outcome.stats.modelLoaded, true);
  assert.equal(outcome.vector, 384);
  assert.ok(outcome.hits.some((t) => /audio|guitar|effect|sound/i.test(t)), outcome.hits.join(' | '));
  assert.equal(models.length, 2, 'fetched by the module, then by the page for its bytes');
  // The bytes gunzipped do as well, as the README says.
  const info = await page.evaluate(async (file) => {
    const { loadModel } = await import('/pkg/paper_search.js');
    const gzipped = await (await fetch(`/pkg/${file}`)).blob();
    const raw = await new Response(gzipped.stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
    return { ...(await loadModel(new Uint8Array(raw))), raw: raw.byteLength };
  }, modelFile);
  assert.equal(info.dimensions, 384);
  assert.equal(info.bytes, info.raw);
  await page.close();
});
