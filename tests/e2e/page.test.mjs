// End-to-end tests of the demo page (www/index.html, which embeds <paper-search>) in headless
// Chromium, one behaviour per test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { open, fresh as freshIn, ready, screenshot, ui, readmeSnippet, WWW } from './helpers.mjs';

let env;
before(async () => { env = await open(); });
after(async () => { await env?.close(); });

const fresh = (path = '') => freshIn(env.context, env.url + path);

test('the demo page embeds the element exactly as the README says', () => {
  const lines = (text) => text.split('\n').map((line) => line.trim()).filter(Boolean).join('\n');
  const page = lines(readFileSync(join(WWW, 'index.html'), 'utf8'));
  assert.ok(page.includes(lines(readmeSnippet())), 'index.html has the README snippet, line for line');
});

test('the page preloads the wasm and fetches it once', async () => {
  // A preload that does not match the element's own fetch (mode, credentials) would download
  // the module twice; a fresh context, so that nothing comes from an earlier test's cache.
  const context = await env.context.browser().newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const wasm = [];
  const warnings = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url()); });
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await page.goto(env.url + '?q=grokking');
  await ready(page);
  await ui(page).titles.first().waitFor();
  assert.equal(wasm.length, 1, wasm.join(', '));
  assert.deepEqual(warnings.filter((w) => /preload/i.test(w)), []);
  await context.close();
});

test('the page runs its scripts minified, each with the source map of its readable source', async () => {
  const context = await env.context.browser().newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const scripts = new Set();
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname.slice(1);
    if (r.resourceType() === 'script' && !path.startsWith('pkg/')) scripts.add(path);
  });
  await page.goto(env.url);
  await ready(page);
  await context.close();
  assert.deepEqual([...scripts].sort(), ['app.js', 'paper-search.js']);
  for (const name of scripts) {
    const source = readFileSync(join(WWW, 'src', name), 'utf8');
    const served = await (await fetch(env.url + name)).text();
    assert.ok(served.length < source.length, `${name}: ${served.length} bytes served, ${source.length} in its source`);
    assert.doesNotMatch(served, /^\s*\/\/ /m, `${name} is served without its comments`);
    assert.ok(served.endsWith(`\n//# sourceMappingURL=${name}.map\n`), `${name} names its source map`);
    const map = await (await fetch(`${env.url}${name}.map`)).json();
    assert.deepEqual(map.sourcesContent, [source], `${name}.map holds www/src/${name}`);
  }
});

test('typing shows results without pressing Enter', async () => {
  const { page, errors } = await fresh();
  const { input, status, titles } = ui(page);
  await input.pressSequentially('grokking', { delay: 20 });
  await titles.first().waitFor();
  assert.match(await titles.first().textContent(), /grokking/i);
  assert.match(await status.textContent(), /^\d+ results? in [\d.]+ ms$/);
  assert.ok(await page.locator('paper-search [role=listbox] mark').count() > 0, 'matched words are marked');
  await screenshot(page, 'page-typing');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the last word matches as a prefix while typing', async () => {
  const { page } = await fresh();
  const { input, titles } = ui(page);
  await input.fill('neural tang');
  await titles.first().waitFor();
  assert.match(await titles.first().textContent(), /tangent/i);
  await page.close();
});

test('a quoted phrase being typed shows the papers that hold it so far', async () => {
  const { page, errors } = await fresh();
  const { input, status } = ui(page);
  // The count of papers a query finds, read once its results are rendered.
  const count = async (q) => {
    await page.evaluate(() => {
      const list = document.querySelector('paper-search').shadowRoot.querySelector('[role=listbox]');
      window.rendered = new Promise((resolve) => {
        new MutationObserver((_, observer) => { observer.disconnect(); resolve(); }).observe(list, { childList: true });
      });
    });
    await input.fill(q);
    await page.evaluate(() => window.rendered);
    const [, n] = (await status.textContent()).match(/^(\d+) results? in/) ?? [];
    return Number(n ?? 0);
  };
  const words = await count('linear prob');
  const soFar = await count('"linear prob');
  const closed = await count('"linear probing"');
  assert.ok(soFar > 0 && soFar < words, `${soFar} papers hold the phrase so far, of ${words} with the words`);
  assert.ok(closed > 0 && closed <= soFar, `${closed} hold the finished phrase`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the query is kept in the URL and restored on load', async () => {
  const { page } = await fresh();
  await ui(page).input.fill('linear bandits');
  await page.waitForFunction(() => location.search === '?q=linear+bandits');
  await page.reload();
  await ready(page);
  assert.equal(await ui(page).input.inputValue(), 'linear bandits');
  assert.match(await ui(page).titles.first().textContent(), /bandit/i);
  await page.close();
});

test('?q= in a shared link runs the search', async () => {
  const { page } = await fresh('?q=diffusion%20posterior%20sampling');
  assert.match(await ui(page).titles.first().textContent(), /diffusion/i);
  await page.close();
});

test('opening a result shows its full abstract, and going back shows the results again', async () => {
  const { page } = await fresh('?q=grokking');
  const { titles, paper, options } = ui(page);
  const title = await titles.first().textContent();
  await titles.first().click();
  await paper.waitFor();
  assert.equal(await paper.locator('h2').textContent(), title);
  const abstract = await paper.locator('.abstract').textContent();
  assert.ok(abstract.length > 300, 'the whole abstract is shown');
  assert.equal(await options.count(), 0, 'the result list gives way to the paper');
  await screenshot(page, 'page-paper');
  await paper.getByRole('button', { name: /back to results/i }).click();
  await options.first().waitFor();
  assert.equal(await paper.isVisible(), false);
  await page.close();
});

test('a title with 3<z<10 renders as text, not markup', async () => {
  const { page } = await fresh('?q=fine-structure%20constant%20JWST');
  const title = ui(page).titles.filter({ hasText: '3<z<10' });
  assert.equal(await title.count(), 1);
  assert.equal(
    await title.textContent(),
    'Constraints on the variation of the fine-structure constant at 3<z<10 with JWST emission-line galaxies',
  );
  assert.equal(await page.locator('paper-search z').count(), 0, 'no <z> element was created');
  await title.click();
  assert.match(await ui(page).paper.locator('h2').textContent(), /at 3<z<10 with/);
  assert.equal(await page.locator('paper-search z').count(), 0, 'nor in the paper view');
  await page.close();
});

test('an empty query shows the empty state, a query with no match says so', async () => {
  const { page } = await fresh();
  const hint = page.locator('paper-search .hint');
  assert.ok(await hint.isVisible());
  assert.match(await hint.textContent(), /Type to search \d+ papers/);
  assert.match(await ui(page).status.textContent(), /^\d+ papers$/);
  await ui(page).input.fill('qwxzjv');
  const none = page.locator('paper-search .none');
  await none.waitFor();
  assert.match(await none.textContent(), /No papers match “qwxzjv”/);
  assert.equal(await ui(page).options.count(), 0);
  assert.equal(await hint.isVisible(), false);
  await page.close();
});

test('punctuation-only queries find nothing and raise no error', async () => {
  const { page, errors } = await fresh();
  for (const q of ['?!', '"', '((', '   ', '\\', '-']) {
    await ui(page).input.fill(q);
    assert.equal(await ui(page).options.count(), 0, `query ${JSON.stringify(q)}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('a query longer than the engine reads still searches and says it was cut', async () => {
  const { page, errors } = await fresh();
  const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
  await ui(page).input.fill(`grokking ${words}`);
  await ui(page).options.first().waitFor();
  const more = page.locator('paper-search [part=more]');
  assert.match(await more.textContent(), /Only the first words of this long query were searched/);
  assert.ok(await more.isVisible());
  await ui(page).input.fill('grokking');
  assert.doesNotMatch(await more.textContent(), /Only the first words/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('if the wasm cannot load, the page says so instead of showing an empty box', async () => {
  const page = await env.context.newPage();
  await page.route('**/paper_search_bg.wasm', (route) => route.abort());
  await page.goto(env.url);
  await page.waitForSelector('paper-search:state(error)', { state: 'attached' });
  const { error, input } = ui(page);
  assert.ok(await error.isVisible());
  assert.match(await error.textContent(), /could not be loaded/);
  assert.equal(await input.isDisabled(), true);
  assert.match(await ui(page).status.textContent(), /unavailable/);
  await screenshot(page, 'page-load-error');
  await page.close();
});

test('if the element’s script cannot load, the page says so', async () => {
  const page = await env.context.newPage();
  await page.route('**/paper-search.js', (route) => route.abort());
  await page.goto(env.url);
  const message = page.locator('#page-error');
  await message.waitFor();
  assert.match(await message.textContent(), /Search could not start/);
  await page.close();
});
