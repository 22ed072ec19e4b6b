// A hostile corpus (tests/fixtures/hostile.jsonl: <script>, <img onerror>, javascript: and
// data: links, </mark>, entities, right-to-left and zero-width characters) built into the page
// and searched in headless Chromium: no script runs, no element from the corpus appears in the
// DOM, and only http(s) links are made clickable.
//
// The build of that corpus is made by `./build.sh test` (through tests/build-errors.sh) and
// named by HOSTILE_PKG.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, fresh, ui, screenshot, WWW } from './helpers.mjs';

const PKG = process.env.HOSTILE_PKG;
// `./build.sh test` always sets HOSTILE_PKG; a bare `node --test tests/e2e/` skips these tests
// and says why.
const skip = !PKG && 'HOSTILE_PKG is not set: ./build.sh test builds tests/fixtures/hostile.jsonl and sets it';
let env;
let dir;

before(async () => {
  if (skip) return;
  assert.ok(existsSync(join(PKG, 'paper_search_bg.wasm')), `HOSTILE_PKG (${PKG}) holds no build`);
  dir = mkdtempSync(join(tmpdir(), 'paper-search-hostile-'));
  cpSync(WWW, dir, { recursive: true, filter: (src) => !src.startsWith(join(WWW, 'pkg')) });
  cpSync(PKG, join(dir, 'pkg'), { recursive: true });
  env = await open({ dir });
});

after(async () => {
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Elements the corpus tries to smuggle in, looked for inside the element (where corpus text
// is rendered): tags from the corpus, event-handler attributes, links that are neither
// http(s) nor within the page.
async function smuggled(page) {
  return page.evaluate(() => {
    const found = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll('*')) {
        const tag = el.localName;
        if (['script', 'img', 'svg', 'style', 'b', 'iframe', 'object'].includes(tag)) found.push(tag);
        for (const attr of el.attributes) if (/^on/i.test(attr.name)) found.push(`${tag}[${attr.name}]`);
        if (tag === 'a' && el.hasAttribute('href') && !/^(https?:|#|\?)/i.test(el.getAttribute('href'))) found.push(`a[href=${el.getAttribute('href')}]`);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    for (const host of document.querySelectorAll('paper-search')) walk(host.shadowRoot);
    return found;
  });
}

test('hostile titles and abstracts render as text and run nothing', { skip }, async () => {
  const { page, errors } = await fresh(env.context, `${env.url}?q=scripts%20images%20hostile`);
  await ui(page).options.first().waitFor();
  assert.ok(await ui(page).options.count() >= 3);
  const text = await ui(page).titles.allTextContents();
  assert.ok(text.some((t) => t.includes('<script>window.__pwned = 1</script>')), 'the markup shows as text');
  assert.ok(text.some((t) => t.includes('<img src=x onerror="window.__pwned=4">')));
  assert.deepEqual(await smuggled(page), []);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no corpus script ran');
  await screenshot(page, 'hostile-results');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a hostile paper view shows its fields as text and links only http(s)', { skip }, async () => {
  for (const [id, expectLink] of [[0, false], [1, false], [2, true], [3, false], [4, true]]) {
    const { page } = await fresh(env.context, `${env.url}#paper-${id}`);
    await ui(page).paper.waitFor();
    const links = await ui(page).paper.locator('a[href^="http"]').count();
    assert.equal(links > 0, expectLink, `paper ${id}: an http(s) link only when the url is http(s)`);
    assert.deepEqual(await smuggled(page), [], `paper ${id}`);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    if (id === 0) {
      const shown = await ui(page).paper.textContent();
      assert.ok(shown.includes('</mark>') && shown.includes('&lt;entities&gt;'), 'tags and entities are literal text');
      await screenshot(page, 'hostile-paper');
    }
    await page.close();
  }
});

test('right-to-left and zero-width characters are searchable and kept', { skip }, async () => {
  const { page } = await fresh(env.context, `${env.url}?q=${encodeURIComponent('zerowidth joiners')}`);
  await ui(page).options.first().waitFor();
  const first = await ui(page).titles.first().textContent();
  assert.ok(first.includes('\u202e') && first.includes('\u200b'), 'the characters are kept as written');
  await page.close();
});
