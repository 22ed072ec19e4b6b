// The filter bar on a corpus with years, venues, types and authors: the .bib site (BIB_SITE,
// tests/e2e/fixtures/publications.bib built by `./build.sh test`, 23 papers from 1997 to 2022).
// The year histogram, the chips, the sort, the URL, the keyboard and a narrow screen. One
// behaviour per test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer } from '../../scripts/serve.mjs';
import { buildSingle } from '../../scripts/single.mjs';
import { afterResults, ask, dragYears, filterBar, launch, open, fresh as freshIn, ready, screenshot, siteFromEnv, ui } from './helpers.mjs';

const BIB = siteFromEnv('BIB_SITE');
const NEURIPS = 'Advances in Neural Information Processing Systems';

let env;
before(async () => { env = await open({ dir: BIB }); });
after(async () => { await env?.close(); });

const fresh = (path = '') => freshIn(env.context, env.url + path);
const params = (page) => new URL(page.url()).searchParams;

// The results listed: each one's title, venue and year, from its byline.
const listed = (page) => ui(page).options.evaluateAll((options) => options.map((o) => {
  const bits = o.querySelector('.byline')?.textContent.split(' · ') ?? [];
  return { title: o.querySelector('.title').textContent, venue: bits.length === 3 ? bits[1] : null, year: Number(bits.at(-1)) };
}));
// Each bar's year and count, from its accessible name ("2015: 4 papers").
const histogram = (page) => filterBar(page).bars.evaluateAll((bars) => Object.fromEntries(bars.map((b) => {
  const [, year, n] = /^(\d+): (\d+) papers?$/.exec(b.getAttribute('aria-label'));
  return [year, Number(n)];
})));
const total = async (page) => Number(/^(\d+) results?/.exec(await ui(page).status.textContent())?.[1]);
// The papers of the corpus the API lists for these options, with no words.
const browse = async (page, options) => (await ask(page, [['search', '', { sort: 'newest', limit: 100, ...options }]]))[0];

test('the filter bar shows a bar per year and chips for the groups the corpus has', async () => {
  const { page, errors } = await fresh();
  const bar = filterBar(page);
  assert.equal(await bar.bars.count(), 2022 - 1997 + 1, 'a bar for every year from the first to the last');
  const counts = await histogram(page);
  assert.deepEqual([counts[1997], counts[2015], counts[2018], counts[2021]], [1, 4, 0, 4]);
  const height = (year) => bar.year(year).locator('.fill').evaluate((el) => el.getBoundingClientRect().height);
  assert.ok(await height(2015) > await height(2013), 'four papers stand taller than two');
  assert.equal(await height(2018), 0);
  assert.equal(await bar.chip('venue', 'Nature').textContent(), 'Nature4 papers');
  assert.equal(await bar.chip('type', 'thesis').textContent(), 'thesis1 paper');
  assert.equal(await bar.chips('author').first().textContent(), 'Ilya Sutskever6 papers', 'the most frequent author first');
  assert.equal(await bar.sort.inputValue(), 'relevance');
  await screenshot(page, 'filters-histogram', { clip: await page.locator('paper-search').boundingBox() });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the histogram counts the papers that match the query as it is typed', async () => {
  const { page } = await fresh();
  await afterResults(page, () => ui(page).input.pressSequentially('diffusion', { delay: 20 }));
  const counts = await histogram(page);
  assert.deepEqual(Object.entries(counts).filter(([, n]) => n > 0), [['2020', 1], ['2022', 1]]);
  await page.close();
});

test('dragging across the bars chooses a year range, and the results follow it', async () => {
  const { page } = await fresh('?q=learning');
  const bar = filterBar(page);
  await afterResults(page, () => dragYears(page, 2014, 2016));
  assert.equal(params(page).get('year'), '2014-2016');
  assert.equal(await bar.range.textContent(), '2014–2016');
  const years = (await listed(page)).map((r) => r.year);
  assert.ok(years.length > 0 && years.every((y) => y >= 2014 && y <= 2016), `years listed: ${years}`);
  const [{ total: expected }] = await ask(page, [['search', 'learning', { filters: { year: { from: 2014, to: 2016 } } }]]);
  assert.equal(await total(page), expected);
  assert.equal(await bar.year(2015).getAttribute('aria-pressed'), 'true');
  assert.equal(await bar.year(2017).getAttribute('aria-pressed'), 'false');
  await screenshot(page, 'filters-year-range', { clip: await page.locator('paper-search').boundingBox() });
  await page.close();
});

test('clicking a bar chooses its year; clicking it again, or Any year, lets every year back', async () => {
  const { page } = await fresh('?q=learning');
  const bar = filterBar(page);
  await afterResults(page, () => bar.year(2015).click());
  assert.equal(params(page).get('year'), '2015');
  assert.deepEqual([...new Set((await listed(page)).map((r) => r.year))], [2015]);
  await afterResults(page, () => bar.year(2015).click());
  assert.equal(params(page).get('year'), null);
  await afterResults(page, () => bar.year(2016).click());
  await afterResults(page, () => bar.anyYear.click());
  assert.equal(params(page).get('year'), null);
  assert.equal(await bar.range.textContent(), 'any');
  await page.close();
});

test('the keyboard moves between the years, chooses one and extends the range', async () => {
  const { page } = await fresh('?q=learning');
  const bar = filterBar(page);
  const focusedYear = () => page.evaluate(() => document.querySelector('paper-search').shadowRoot.activeElement?.dataset.year);
  await ui(page).input.focus();
  await page.keyboard.press('Tab'); // the clear button
  await page.keyboard.press('Tab');
  assert.equal(await focusedYear(), '2022', 'Tab from the box reaches the histogram once, at its last year');
  await page.keyboard.press('Home');
  assert.equal(await focusedYear(), '1997');
  for (let i = 0; i < 16; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await focusedYear(), '2013');
  await afterResults(page, () => page.keyboard.press('Enter'));
  assert.equal(params(page).get('year'), '2013');
  await afterResults(page, () => page.keyboard.press('Shift+ArrowRight'));
  await afterResults(page, () => page.keyboard.press('Shift+ArrowRight'));
  assert.equal(params(page).get('year'), '2013-2015');
  assert.equal(await bar.range.textContent(), '2013–2015');
  assert.equal(await focusedYear(), '2015', 'the focus stays on the histogram');
  assert.equal(await bar.bars.evaluateAll((bars) => bars.filter((b) => b.tabIndex === 0).length), 1, 'one tab stop');
  await page.close();
});

test('the chips are reached with Tab and chosen with Enter or Space, keeping the focus', async () => {
  const { page } = await fresh('?q=learning');
  const bar = filterBar(page);
  const focused = () => page.evaluate(() => document.querySelector('paper-search').shadowRoot.activeElement?.dataset.value);
  await bar.year(2022).focus();
  await page.keyboard.press('Tab');
  assert.equal(await focused(), await bar.chips('venue').first().getAttribute('data-value'), 'Tab leaves the years for the first venue');
  await page.keyboard.press('Tab');
  const second = await focused();
  await afterResults(page, () => page.keyboard.press('Enter'));
  assert.deepEqual(params(page).getAll('venue'), [second]);
  assert.equal(await focused(), second, 'the chip chosen keeps the focus as the counts change');
  await afterResults(page, () => page.keyboard.press('Space'));
  assert.deepEqual(params(page).getAll('venue'), []);
  await page.close();
});

test('venue chips filter with OR, and each venue keeps its count', async () => {
  const { page } = await fresh();
  const bar = filterBar(page);
  await afterResults(page, () => bar.chip('venue', 'Nature').click());
  assert.deepEqual(new Set((await listed(page)).map((r) => r.venue)), new Set(['Nature']));
  assert.equal(await total(page), 4);
  await afterResults(page, () => bar.chip('venue', NEURIPS).click());
  assert.deepEqual(new Set((await listed(page)).map((r) => r.venue)), new Set(['Nature', NEURIPS]));
  assert.equal(await total(page), 10);
  assert.deepEqual(params(page).getAll('venue'), ['Nature', NEURIPS]);
  assert.equal(await bar.chip('venue', 'Nature').getAttribute('aria-pressed'), 'true');
  assert.equal(await bar.chip('venue', 'Nature').locator('.chip-count').textContent(), '4 papers', 'a group counts without its own filter');
  assert.equal(await bar.chip('venue', 'Neural Computation').locator('.chip-count').textContent(), '1 paper');
  await screenshot(page, 'filters-chips', { clip: await page.locator('paper-search').boundingBox() });
  await page.close();
});

test('chips of different groups must all pass', async () => {
  const { page } = await fresh();
  const bar = filterBar(page);
  await afterResults(page, () => bar.chip('venue', NEURIPS).click());
  await afterResults(page, () => bar.chip('author', 'Ilya Sutskever').click());
  const titles = (await listed(page)).map((r) => r.title).sort();
  assert.deepEqual(titles, [
    'Distributed Representations of Words and Phrases and their Compositionality',
    'ImageNet Classification with Deep Convolutional Neural Networks',
    'Language Models are Few-Shot Learners',
  ]);
  assert.equal(await bar.chip('author', 'Ilya Sutskever').locator('.chip-count').textContent(), '3 papers', 'his papers at NeurIPS');
  assert.equal(await bar.chip('venue', 'Nature').count(), 0, 'none of his papers is in Nature');
  await page.close();
});

test('the sort lists the matches newest or oldest first', async () => {
  const { page } = await fresh('?q=learning');
  const bar = filterBar(page);
  const byRelevance = (await listed(page)).map((r) => r.year);
  await afterResults(page, () => bar.sort.selectOption('newest'));
  const newest = (await listed(page)).map((r) => r.year);
  assert.notDeepEqual(newest, byRelevance);
  assert.deepEqual(newest, [...newest].sort((a, b) => b - a), `newest first: ${newest}`);
  assert.deepEqual([...newest].sort(), [...byRelevance].sort(), 'the same papers');
  assert.equal(params(page).get('sort'), 'newest');
  await afterResults(page, () => bar.sort.selectOption('oldest'));
  const oldest = (await listed(page)).map((r) => r.year);
  assert.deepEqual(oldest, [...oldest].sort((a, b) => a - b), `oldest first: ${oldest}`);
  await page.close();
});

test('a link with filters opens with them chosen and applied', async () => {
  const { page } = await fresh(`?q=deep&year=2014-2016&venue=Nature&sort=oldest`);
  const bar = filterBar(page);
  await ui(page).options.first().waitFor();
  assert.equal(await ui(page).input.inputValue(), 'deep');
  assert.equal(await bar.range.textContent(), '2014–2016');
  assert.equal(await bar.chip('venue', 'Nature').getAttribute('aria-pressed'), 'true');
  assert.equal(await bar.sort.inputValue(), 'oldest');
  assert.deepEqual((await listed(page)).map((r) => [r.year, r.venue]), [[2015, 'Nature'], [2015, 'Nature'], [2016, 'Nature']]);
  assert.equal(await ui(page).status.textContent().then((s) => s.replace(/ in [\d.]+ ms/, '')),
    '3 results · 2014–2016 · Nature · oldest first');
  await page.close();
});

test('back and forward step through the filters chosen', async () => {
  const { page } = await fresh('?q=learning');
  const bar = filterBar(page);
  const pressed = () => page.locator('paper-search .chip[aria-pressed=true]').evaluateAll((chips) => chips.map((c) => c.dataset.value));
  await afterResults(page, () => bar.chip('type', 'article').click());
  await afterResults(page, () => bar.year(2015).click());
  assert.equal(new URL(page.url()).search, '?q=learning&year=2015&type=article');
  await afterResults(page, () => page.goBack());
  assert.equal(new URL(page.url()).search, '?q=learning&type=article');
  assert.equal(await bar.range.textContent(), 'any');
  assert.deepEqual(await pressed(), ['article']);
  await afterResults(page, () => page.goBack());
  assert.deepEqual(await pressed(), []);
  const [{ total: all }] = await ask(page, [['search', 'learning', {}]]);
  assert.equal(await total(page), all);
  await afterResults(page, () => page.goForward());
  assert.deepEqual(await pressed(), ['article']);
  await page.close();
});

test('with a blank box, a filter lists the papers that pass, newest first', async () => {
  const { page } = await fresh('?venue=Nature');
  await ui(page).options.first().waitFor();
  const expected = await browse(page, { filters: { venue: ['Nature'] } });
  assert.deepEqual((await listed(page)).map((r) => r.title), expected.hits.map((h) => h.title));
  assert.deepEqual((await listed(page)).map((r) => r.year), [2021, 2016, 2015, 2015]);
  await afterResults(page, () => filterBar(page).chip('venue', 'Nature').click());
  assert.ok(await page.locator('paper-search .hint').isVisible(), 'nothing chosen: the hint again');
  assert.equal(new URL(page.url()).search, '');
  await page.close();
});

test('a blank box sorted by date lists every paper', async () => {
  const { page } = await fresh('?sort=oldest');
  await ui(page).options.first().waitFor();
  assert.equal(await total(page), 23);
  assert.equal((await listed(page))[0].title, 'Long Short-Term Memory');
  await page.close();
});

test('the count and what is chosen are announced politely, not the list', async () => {
  const { page } = await fresh('?q=learning');
  const { status } = ui(page);
  assert.equal(await status.getAttribute('role'), 'status');
  assert.equal(await status.getAttribute('aria-live'), 'polite');
  await afterResults(page, () => filterBar(page).chip('type', 'article').click());
  assert.match(await status.textContent(), /^\d+ results? in [\d.]+ ms · article$/);
  assert.equal(await page.locator('paper-search [aria-live]').evaluateAll((regions) => regions.some((r) => r.querySelector('[role=option]'))), false);
  await page.close();
});

test('More shows every author counted', async () => {
  const { page } = await fresh();
  const authors = filterBar(page).chips('author');
  assert.equal(await authors.count(), 6);
  const more = page.locator('paper-search [aria-labelledby="filter-author"] button.link');
  assert.equal(await more.getAttribute('aria-expanded'), 'false');
  await more.click();
  assert.equal(await authors.count(), 20, 'the 20 largest counts');
  assert.equal(await more.getAttribute('aria-expanded'), 'true');
  await page.close();
});

test('a narrow screen folds the filters behind a Filters button', async () => {
  const context = await env.browser.newContext({ serviceWorkers: 'block', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${env.url}?q=learning&type=article`);
  await ready(page);
  const bar = filterBar(page);
  await ui(page).options.first().waitFor();
  assert.equal(await bar.panel.isVisible(), false);
  assert.equal(await bar.toggle.textContent(), 'Filters (1)');
  assert.equal(await bar.toggle.getAttribute('aria-expanded'), 'false');
  await screenshot(page, 'filters-narrow-folded');
  await bar.toggle.click();
  assert.equal(await bar.panel.isVisible(), true);
  assert.equal(await bar.toggle.getAttribute('aria-expanded'), 'true');
  await screenshot(page, 'filters-narrow-open');
  await context.close();
});

test('a paper open hides the filters, and back shows them with the results', async () => {
  const { page } = await fresh('?q=learning&type=article');
  await ui(page).titles.first().click();
  await ui(page).paper.waitFor();
  assert.equal(await filterBar(page).panel.isVisible(), false);
  await afterResults(page, () => page.goBack());
  assert.equal(await filterBar(page).panel.isVisible(), true);
  assert.equal(await filterBar(page).chip('type', 'article').getAttribute('aria-pressed'), 'true');
  await page.close();
});

test('the filter bar works under a strict Content-Security-Policy', async (t) => {
  const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
  const { server, url } = await startServer(BIB, 0, { headers: { 'content-security-policy': csp } });
  t.after(() => { server.closeAllConnections(); server.close(); });
  const page = await env.context.newPage();
  const violations = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP: ${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('console', (m) => { if (/^CSP:/.test(m.text())) violations.push(m.text()); });
  await page.goto(`${url}?q=learning`);
  await ready(page);
  await ui(page).options.first().waitFor();
  const bar = filterBar(page);
  assert.ok(await bar.year(2015).locator('.fill').evaluate((el) => el.getBoundingClientRect().height) > 0, 'the bars have their heights');
  assert.equal(await bar.chip('type', 'article').evaluate((el) => getComputedStyle(el).borderTopLeftRadius), '999px', 'the bar’s styles apply');
  assert.deepEqual(violations, []);
  await page.close();
});

test('the one-file page of a .bib collection has its filter bar inlined, and filters from disk', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'paper-search-filters-'));
  const file = join(dir, 'publications.html');
  writeFileSync(file, buildSingle({ pkg: join(BIB, 'pkg') }));
  const browser = await launch();
  t.after(async () => { await browser.close(); rmSync(dir, { recursive: true, force: true }); });
  const page = await browser.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${pathToFileURL(file)}?q=learning`);
  await ready(page);
  await ui(page).options.first().waitFor();
  await afterResults(page, () => filterBar(page).chip('type', 'article').click());
  assert.deepEqual(new Set((await listed(page)).map((r) => r.venue)), new Set(['Nature']), 'the articles on learning');
  assert.equal(new URL(page.url()).searchParams.get('type'), 'article');
  assert.deepEqual(requests.filter((u) => !/^(file|data|blob):/.test(u)), [], 'nothing but the file');
});
