// End-to-end tests of www/index.html in headless Chromium, one behaviour per test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { open, ready, screenshot } from './helpers.mjs';

let env;
before(async () => { env = await open(); });
after(async () => { await env?.close(); });

async function fresh(path = '') {
  const page = await env.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(env.url + path);
  await ready(page);
  return { page, errors };
}

const titles = (page) => page.locator('#results .hit button.title').allTextContents();

test('typing shows results without pressing Enter', async () => {
  const { page, errors } = await fresh();
  await page.locator('#q').pressSequentially('grokking', { delay: 20 });
  await page.waitForFunction(() => document.querySelectorAll('#results .hit').length > 0);
  const first = (await titles(page))[0];
  assert.match(first, /grokking/i);
  assert.match(await page.locator('#status').textContent(), /^\d+ results? in [\d.]+ ms$/);
  assert.ok(await page.locator('#results mark').count() > 0, 'matched words are marked');
  await screenshot(page, 'page-typing');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the last word matches as a prefix while typing', async () => {
  const { page } = await fresh();
  await page.locator('#q').fill('neural tang');
  await page.waitForFunction(() => document.querySelectorAll('#results .hit').length > 0);
  assert.match((await titles(page))[0], /tangent/i);
  await page.close();
});

test('the query is kept in the URL and restored on load', async () => {
  const { page } = await fresh();
  await page.locator('#q').fill('linear bandits');
  await page.waitForFunction(() => location.search === '?q=linear+bandits');
  await page.reload();
  await ready(page);
  assert.equal(await page.locator('#q').inputValue(), 'linear bandits');
  assert.match((await titles(page))[0], /bandit/i);
  await page.close();
});

test('?q= in a shared link runs the search', async () => {
  const { page } = await fresh('?q=diffusion%20posterior%20sampling');
  assert.match((await titles(page))[0], /diffusion/i);
  await page.close();
});

test('a result expands to its full abstract and collapses again', async () => {
  const { page } = await fresh('?q=grokking');
  const hit = page.locator('#results .hit').first();
  const toggle = hit.locator('button.title');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  const abstract = await hit.locator('.abstract').textContent();
  assert.ok(abstract.length > 300, 'the whole abstract is shown');
  assert.ok(await hit.locator('.abstract').isVisible());
  await screenshot(page, 'page-expanded');
  await toggle.click();
  assert.equal(await hit.locator('.abstract').isVisible(), false);
  await page.close();
});

test('a title with 3<z<10 renders as text, not markup', async () => {
  const { page } = await fresh('?q=fine-structure%20constant%20JWST');
  const title = page.locator('#results .hit button.title').filter({ hasText: '3<z<10' });
  assert.equal(await title.count(), 1);
  assert.equal(
    await title.textContent(),
    'Constraints on the variation of the fine-structure constant at 3<z<10 with JWST emission-line galaxies',
  );
  assert.equal(await page.locator('#results z').count(), 0, 'no <z> element was created');
  await page.close();
});

test('an empty query shows the empty state, a query with no match says so', async () => {
  const { page } = await fresh();
  assert.ok(await page.locator('#empty').isVisible());
  assert.match(await page.locator('#status').textContent(), /^\d+ papers$/);
  await page.locator('#q').fill('qwxzjv');
  await page.waitForSelector('#no-results:not([hidden])');
  assert.match(await page.locator('#no-results').textContent(), /No papers match “qwxzjv”/);
  assert.equal(await page.locator('#results .hit').count(), 0);
  assert.equal(await page.locator('#empty').isVisible(), false);
  await page.close();
});

test('punctuation-only queries find nothing and raise no error', async () => {
  const { page, errors } = await fresh();
  for (const q of ['?!', '"', '((', '   ', '\\', '-']) {
    await page.locator('#q').fill(q);
    assert.equal(await page.locator('#results .hit').count(), 0, `query ${JSON.stringify(q)}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('if the wasm cannot load, the page says so', async () => {
  const page = await env.context.newPage();
  await page.route('**/paper_search_bg.wasm', (route) => route.abort());
  await page.goto(env.url);
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.locator('#error').textContent(), /could not be loaded/);
  assert.equal(await page.locator('#q').isDisabled(), true);
  await screenshot(page, 'page-load-error');
  await page.close();
});
