// Shared set-up for the end-to-end tests: a static server for www/ on 127.0.0.1 and a headless
// Chromium (Debian's, driven through playwright-core), one fresh page per test.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WWW = join(ROOT, 'www');
export const SHOTS = join(ROOT, 'test-results', 'screenshots');
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    // playwright gives each launch a fresh temporary profile (--user-data-dir) of its own.
    args: CHROMIUM_ARGS,
  });
}

// Serves `dir` (www/ by default) and opens a browser; returns what a test needs and a `close`.
// Service workers are blocked unless asked for: a worker would answer requests from its cache,
// out of reach of page.route().
export async function open({ dir = WWW, headers, serviceWorkers = 'block', ...contextOptions } = {}) {
  const { server, url } = await startServer(dir, 0, { headers });
  const browser = await launch();
  const context = await browser.newContext({ serviceWorkers, ...contextOptions });
  context.setDefaultTimeout(5000); // a missing element fails the test quickly
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  return {
    server, url, browser, context, page, errors,
    async close() {
      await browser.close();
      if (!server.listening) return;
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}

// Copies of sites that a test may change or stop serving, in a folder removed when the process
// ends: `copy(site)` is a new copy's folder.
export function siteCopies(prefix) {
  const tmp = mkdtempSync(join(tmpdir(), `paper-search-${prefix}-`));
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
  return (site) => {
    const dir = mkdtempSync(join(tmp, 'site-'));
    cpSync(site, dir, { recursive: true });
    return dir;
  };
}

// A new page in `context` that records its errors, at `url`, once the element is ready.
export async function fresh(context, url) {
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(url);
  await ready(page);
  return { page, errors };
}

// Waits until the element has loaded the wasm and rendered its first state.
export async function ready(page) {
  await page.waitForSelector('paper-search:state(ready)', { state: 'attached', timeout: 15000 });
}

// The answers of the module a page at the site's root loads, through the element's own load():
// `calls` are [name, ...args] of its API, each awaited in turn.
export function ask(page, calls) {
  return page.evaluate(async (calls) => {
    const { load } = await import('/paper-search.js');
    const api = await load();
    const out = [];
    for (const [name, ...args] of calls) out.push(await api[name](...args));
    return out;
  }, calls);
}

// Answers `url` in this page with `body` (a test page that lives only in the test).
export async function serveText(page, url, body, { contentType = 'text/html; charset=utf-8', headers = {} } = {}) {
  await page.route(url, (route) => route.fulfill({ status: 200, contentType, headers, body }));
}

export function fixture(name) {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

// The README's embedding snippet: the first ```html block after the widget heading.
export function readmeSnippet() {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Put search on your page'));
  const m = /```html\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('README.md has no ```html snippet under "## Put search on your page"');
  return m[1];
}

// Locators inside the element (CSS locators pierce open shadow roots).
export const ui = (page) => ({
  input: page.locator('paper-search input[role=combobox]'),
  status: page.locator('paper-search [role=status]'),
  options: page.locator('paper-search [role=listbox] [role=option][part=result]'),
  recent: page.locator('paper-search [role=listbox] [role=option][part=recent]'),
  titles: page.locator('paper-search [role=listbox] [role=option] .title'),
  paper: page.locator('paper-search article.paper'),
  error: page.locator('paper-search .error'),
});

// The filter bar's parts inside the element (a corpus with years, venues, types or authors).
export const filterBar = (page) => ({
  panel: page.locator('paper-search .filter-panel'),
  toggle: page.locator('paper-search .filters-toggle'),
  bars: page.locator('paper-search .histogram .bar'),
  year: (year) => page.locator(`paper-search .histogram .bar[data-year="${year}"]`),
  range: page.locator('paper-search .filter-range'),
  anyYear: page.locator('paper-search .years button.link'),
  chips: (group) => page.locator(`paper-search [aria-labelledby="filter-${group}"] .chip`),
  chip: (group, value) => page.locator(`paper-search [aria-labelledby="filter-${group}"] .chip[data-value="${value}"]`),
  sort: page.locator('paper-search #filter-sort'),
});

// Drags the pointer across the histogram, from the bar of year `from` to that of `to`.
export async function dragYears(page, from, to) {
  const centre = async (year) => {
    const box = await filterBar(page).year(year).boundingBox();
    return [box.x + box.width / 2, box.y + box.height / 2];
  };
  await page.mouse.move(...await centre(from));
  await page.mouse.down();
  await page.mouse.move(...await centre(to), { steps: 6 });
  await page.mouse.up();
}

// Runs `action` and waits until the element has rendered the results it leads to (the list's
// children replaced: a search that finds nothing over an empty list changes nothing to wait for).
export async function afterResults(page, action) {
  await page.evaluate(() => {
    const list = document.querySelector('paper-search').shadowRoot.querySelector('[role=listbox]');
    window.resultsRendered = new Promise((resolve) => {
      new MutationObserver((_, observer) => { observer.disconnect(); resolve(); }).observe(list, { childList: true });
    });
  });
  await action();
  await page.evaluate(() => window.resultsRendered);
}

// The site a variable of the environment names (./build.sh test builds each and sets it).
export function siteFromEnv(name) {
  const dir = process.env[name];
  if (!dir) throw new Error(`${name} names the site to test (./build.sh test makes it)`);
  return dir;
}

export async function screenshot(page, name, options = {}) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false, ...options });
}

/**
 * The environment of a site owner with Node alone: the PATH without the folders that hold cargo
 * or rustc, and Rust's homes pointed at empty folders under `tmp`.
 */
export function nodeOnlyEnv(tmp) {
  const isFile = (path) => existsSync(path) && statSync(path).isFile();
  const path = (process.env.PATH ?? '').split(delimiter)
    .filter((dir) => dir && !['cargo', 'rustc', 'rustup'].some((tool) => isFile(join(dir, tool))))
    .join(delimiter);
  return { ...process.env, PATH: path, CARGO_HOME: join(tmp, 'no-cargo'), RUSTUP_HOME: join(tmp, 'no-rustup') };
}
