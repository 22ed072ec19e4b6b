// The paper view: its URL, history, related papers, the corpus's optional fields, and corpus
// text that tries to be markup. One behaviour per test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { open, fresh as freshIn, ready, screenshot, serveText, ui, fixture } from './helpers.mjs';

let env;
before(async () => { env = await open(); });
after(async () => { await env?.close(); });

const fresh = (path = '') => freshIn(env.context, env.url + path);

// A bare page whose element gets its module from tests/e2e/fixtures/fake-api.js.
async function fake(hash = '', variant = '') {
  const page = await env.context.newPage();
  page.setDefaultTimeout(5000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await serveText(page, `${env.url}fake.html`, `<!doctype html><meta charset="utf-8"><title>fake</title>
<script type="module" src="fake-api.js${variant}"></script>
<script type="module" src="paper-search.js"></script>
<paper-search></paper-search>`);
  await serveText(page, `${env.url}fake-api.js${variant}`, fixture('fake-api.js'), { contentType: 'text/javascript' });
  await page.goto(`${env.url}fake.html${hash}`);
  await ready(page);
  return { page, errors };
}

// Sets the page's hash to #paper-<id> and waits for the element to show that paper.
async function showPaper(page, id) {
  await page.evaluate((h) => { location.hash = h; }, `#paper-${id}`);
  await page.locator(`paper-search article.paper[data-id="${id}"]`).waitFor();
}

const paperId = (page) => Number(/#paper-(\d+)$/.exec(page.url())?.[1]);

test('an open paper has its own URL, #paper-<id>, and the URL opens it', async () => {
  const { page } = await fresh('?q=grokking');
  const { titles, paper } = ui(page);
  const title = await titles.first().textContent();
  await titles.first().click();
  await paper.waitFor();
  const id = paperId(page);
  assert.ok(Number.isInteger(id), `the URL names the paper: ${page.url()}`);
  assert.match(page.url(), /\?q=grokking#paper-\d+$/, 'the search stays in the URL');

  const other = await env.context.newPage();
  await other.goto(`${env.url}#paper-${id}`);
  await ready(other);
  assert.equal(await ui(other).paper.locator('h2').textContent(), title);
  await screenshot(other, 'paper-deep-link');
  await other.close();
  await page.close();
});

test('back and forward move between the results, a paper and a related paper', async () => {
  const { page } = await fresh('?q=grokking');
  const { titles, paper, options, input } = ui(page);
  await titles.first().click();
  await paper.waitFor();
  const first = paperId(page);
  const firstTitle = await paper.locator('h2').textContent();
  await paper.locator('.related a').first().click();
  await page.waitForFunction((id) => !location.hash.endsWith(`-${id}`), first);
  const second = paperId(page);
  const secondTitle = await paper.locator('h2').textContent();
  assert.notEqual(second, first);

  await page.goBack();
  await page.waitForFunction((t) => document.querySelector('paper-search').shadowRoot.querySelector('.paper h2')?.textContent === t, firstTitle);
  assert.equal(paperId(page), first);
  await page.goBack();
  await options.first().waitFor();
  assert.equal(await paper.isVisible(), false);
  assert.equal(await input.inputValue(), 'grokking');
  await page.goForward();
  await paper.waitFor();
  assert.equal(await paper.locator('h2').textContent(), firstTitle);
  await page.goForward();
  await page.waitForFunction((t) => document.querySelector('paper-search').shadowRoot.querySelector('.paper h2')?.textContent === t, secondTitle);
  await page.close();
});

test('a paper lists its related papers, and each opens', async () => {
  const { page } = await fresh('#paper-23');
  const related = ui(page).paper.locator('.related a');
  assert.ok(await related.count() > 0, 'related papers are listed');
  const title = await related.first().textContent();
  await related.first().click();
  await page.waitForFunction(() => location.hash !== '#paper-23');
  assert.equal(await ui(page).paper.locator('h2').textContent(), title);
  await screenshot(page, 'paper-related');
  await page.close();
});

test('a paper opened from a link goes back to an empty search, on the same page', async () => {
  const { page } = await fresh('#paper-23');
  const { paper } = ui(page);
  await paper.getByRole('button', { name: /back to search/i }).click();
  // the empty search: its hint, or the recent searches since the box now has the focus
  await page.locator('paper-search :is(.hint, .recent-head):visible').first().waitFor();
  assert.equal(await paper.isVisible(), false);
  assert.equal(new URL(page.url()).hash, '');
  assert.equal(new URL(page.url()).pathname, '/', 'the page did not go back to where the reader came from');
  await page.close();
});

test('a paper id the index does not have says so', async () => {
  const { page, errors } = await fresh('#paper-99999');
  assert.match(await ui(page).paper.textContent(), /no paper 99999/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a suggested spelling is offered and runs the corrected query', async () => {
  const { page } = await fresh('?q=grokkign');
  const suggestion = page.locator('paper-search .suggestion button');
  assert.equal(await suggestion.textContent(), 'grokking');
  await suggestion.click();
  assert.equal(await ui(page).input.inputValue(), 'grokking');
  assert.equal(await page.locator('paper-search .suggestion').isVisible(), false);
  await page.close();
});

test('a paper shows the authors, venue, year and links the corpus has', async () => {
  const { page } = await fake('#paper-0');
  const meta = ui(page).paper.locator('.meta');
  assert.equal(await meta.locator('.authors').textContent(), 'Ada <b>Lovelace</b>, Alan Turing');
  assert.equal(await meta.locator('.venue').textContent(), '<i>Proceedings</i> & more');
  assert.equal(await meta.locator('.year').textContent(), '2021');
  assert.equal(await meta.locator('.type').textContent(), 'article');
  assert.equal(await meta.locator('.key').textContent(), 'arXiv:2101.00001');
  const links = ui(page).paper.locator('.links');
  assert.equal(await links.locator('a.url').getAttribute('href'), 'https://example.org/papers/0');
  assert.equal(await links.locator('a.url').getAttribute('rel'), 'noopener noreferrer');
  assert.equal(await links.locator('a.doi').getAttribute('href'), 'https://doi.org/10.1000/a%3Cb%3E%231', 'the DOI escaped');
  assert.equal(await links.locator('a.doi').textContent(), 'DOI 10.1000/a<b>#1');
  assert.equal(await links.locator('a.pdf').getAttribute('href'), `${env.url}papers/0.pdf`, 'a PDF path resolved against the page');
  assert.equal(await links.locator('a.arxiv').getAttribute('href'), 'https://arxiv.org/abs/hep-th/9901001');
  assert.equal(await ui(page).paper.locator('.related li').first().textContent(), 'A paper whose link is javascript (1999)');
  await screenshot(page, 'paper-fields');
  await page.close();
});

test('corpus text that looks like markup stays text, and only http(s) links are links', async () => {
  const { page, errors } = await fake();
  await ui(page).input.fill('a');
  await ui(page).options.first().waitFor();
  const count = (selector) => page.locator(`paper-search ${selector}`).count();
  const noMarkup = async (where) =>
    assert.equal(await count(':is(img, script, b, i)'), 0, `no element from corpus text (${where})`);
  await noMarkup('results');
  await showPaper(page, 0);
  await noMarkup('paper 0');
  assert.equal(await ui(page).paper.locator('h2').textContent(), 'Hostile <img src=x onerror="window.pwned=1"> title');
  await showPaper(page, 1);
  assert.equal(await count('.paper :is(.meta, .links) a'), 0, 'a javascript: URL or PDF is no link');
  await showPaper(page, 2);
  assert.equal(await count('.paper :is(.meta, .links) a'), 0, 'a data: URL or PDF is no link');
  assert.equal(await ui(page).paper.locator('.links .url').textContent(), 'data:text/html,<script>window.pwned=4</script>');
  await noMarkup('paper 2');
  await ui(page).input.fill('zzz');
  assert.equal(await page.locator('paper-search .suggestion button').textContent(), '<b>plain</b>');
  assert.equal(await page.evaluate(() => window.pwned), undefined, 'no corpus text ran');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a module without the optional fields and exports still gives a full paper view', async () => {
  const { page, errors } = await fake('#paper-0', '?minimal');
  const { paper } = ui(page);
  assert.match(await paper.locator('.abstract').textContent(), /An abstract with/);
  assert.equal(await paper.locator('.meta').count(), 0);
  assert.equal(await paper.locator('.related').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});
