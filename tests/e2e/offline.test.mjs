// Offline, two ways: the single file (and the standalone script) from file:// with no server,
// and the hosted page through its service worker once the server is gone.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSingle, buildStandalone } from '../../scripts/single.mjs';
import { launch, open, ready, screenshot, ui, readmeSnippet, WWW } from './helpers.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'paper-search-offline-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// Opens a file:// URL in a fresh browser, closed after the test, and records every request
// the page makes.
async function openFile(t, url) {
  const browser = await launch();
  t.after(() => browser.close());
  const page = await browser.newPage();
  page.setDefaultTimeout(5000);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(url);
  await ready(page);
  return { browser, page, requests, errors };
}

test('the single file searches when opened from disk, with no server and no network', async (t) => {
  const file = join(tmp, 'paper-search.html');
  writeFileSync(file, buildSingle());
  const { page, requests, errors } = await openFile(t, `${pathToFileURL(file)}?q=grokking`);
  assert.match(await ui(page).titles.first().textContent(), /grokking/i);
  await ui(page).input.fill('linear bandits');
  assert.match(await ui(page).titles.first().textContent(), /bandit/i);
  assert.deepEqual(requests.filter((u) => !/^(file|data|blob):/.test(u)), [], 'nothing but the file');
  assert.deepEqual(errors, []);
  await screenshot(page, 'single-file');
});

test('the single file and the standalone script inline the element minified, without its map', () => {
  const source = readFileSync(join(WWW, 'src', 'paper-search.js'), 'utf8');
  const minified = readFileSync(join(WWW, 'paper-search.js'), 'utf8');
  // The minified element's first statements as the build wrote them (up to its first
  // import.meta, which the inlined code replaces).
  const start = minified.slice(0, minified.indexOf('import.meta'));
  assert.ok(start.length > 100);
  for (const [name, text] of [['standalone', buildStandalone()], ['single file', buildSingle()]]) {
    assert.ok(text.includes(start), `the ${name} holds the minified element`);
    assert.ok(!text.includes(source.split('\n')[0]), `the ${name} holds none of the source's comments`);
    assert.doesNotMatch(text, /sourceMappingURL/, `the ${name} names no source map`);
  }
});

test('the README snippet with the standalone script works from disk', async (t) => {
  const dir = mkdtempSync(join(tmp, 'standalone-'));
  writeFileSync(join(dir, 'paper-search-standalone.js'), buildStandalone());
  const snippet = readmeSnippet().replace(
    '<script type="module" src="paper-search.js"></script>',
    '<script src="paper-search-standalone.js"></script>',
  );
  assert.notEqual(snippet, readmeSnippet(), 'the README snippet loads paper-search.js as a module');
  writeFileSync(join(dir, 'index.html'), snippet);
  const { page, requests } = await openFile(t, pathToFileURL(join(dir, 'index.html')).href);
  await ui(page).input.fill('grokking');
  assert.match(await ui(page).titles.first().textContent(), /grokking/i);
  assert.deepEqual(requests.filter((u) => !u.startsWith('file:')), []);
});

// A copy of www/ that a test may redeploy.
function deployCopy() {
  const dir = mkdtempSync(join(tmp, 'www-'));
  cpSync(WWW, dir, { recursive: true, dereference: true });
  return dir;
}

async function until(check, timeout = 15000) {
  for (const end = Date.now() + timeout; !(await check());) {
    if (Date.now() > end) throw new Error(`not true within ${timeout} ms: ${check}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
}

test('the hosted page searches again with the server stopped after the first visit', async (t) => {
  const env = await open({ dir: deployCopy(), serviceWorkers: 'allow' });
  t.after(() => env.close());
  const { page } = env;
  await page.goto(`${env.url}?q=grokking`);
  await ready(page);
  await controlled(page);
  env.server.closeAllConnections();
  await new Promise((done) => env.server.close(done));
  await assert.rejects(fetch(env.url), 'the server is down');

  await page.reload();
  await ready(page);
  assert.match(await ui(page).titles.first().textContent(), /grokking/i);
  await ui(page).input.fill('linear bandits');
  assert.match(await ui(page).titles.first().textContent(), /bandit/i);
  await screenshot(page, 'offline-hosted');
});

test('a new deployment replaces the offline copy', async (t) => {
  const dir = deployCopy();
  const env = await open({ dir, serviceWorkers: 'allow' });
  t.after(() => env.close());
  const { page } = env;
  await page.goto(env.url);
  await ready(page);
  await controlled(page);
  assert.equal(await page.title(), 'paper-search');

  // Deploy a new build: a changed page and the build id that ./build.sh writes for it.
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  writeFileSync(join(dir, 'index.html'), html.replace('<title>paper-search</title>', '<title>paper-search, new build</title>'));
  writeFileSync(join(dir, 'pkg', 'build-id.js'), "self.PAPER_SEARCH_BUILD = 'new-build';\n");

  await page.reload(); // the browser checks the worker on navigation and installs the new one
  await until(() => page.evaluate(async () => {
    const keys = await caches.keys();
    return keys.length === 1 && keys[0] === 'paper-search-new-build';
  }));
  await page.reload();
  await ready(page);
  assert.equal(await page.title(), 'paper-search, new build');
});
