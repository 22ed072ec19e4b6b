// A publication list's records in the element: the .bib site (BIB_SITE, tests/e2e/fixtures/
// publications.bib built by `./build.sh test`) shows who wrote each paper and where it appeared,
// links the paper's DOI, PDF, arXiv page and web page, and copies its BibTeX entry. One
// behaviour per test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../scripts/serve.mjs';
import { ask, open, fresh as freshIn, screenshot, siteFromEnv, ui, WWW } from './helpers.mjs';

const BIB = siteFromEnv('BIB_SITE');

let env;
before(async () => { env = await open({ dir: BIB, permissions: ['clipboard-read', 'clipboard-write'] }); });
after(async () => { await env?.close(); });

const fresh = (path = '', context = env.context) => freshIn(context, env.url + path);

// The id of the paper whose BibTeX key is `key`.
async function idOf(page, key) {
  const [{ hits }] = await ask(page, [['search', '', { sort: 'newest', limit: 100 }]]);
  return hits.find((hit) => hit.key === key).id;
}

// Opens paper `key` through its deep link.
async function paperPage(key, context = env.context) {
  const { page, errors } = await fresh('', context);
  const id = await idOf(page, key);
  await page.evaluate((hash) => { location.hash = hash; }, `#paper-${id}`);
  await page.locator(`paper-search article.paper[data-id="${id}"] .meta`).waitFor();
  return { page, errors, id };
}

test('each result says who wrote it, where and when, naming three authors at most', async () => {
  const { page } = await fresh('?q=attention');
  const byline = (title) => ui(page).options.filter({ hasText: title }).locator('.byline').textContent();
  assert.equal(await byline('Attention Is All You Need'),
    'Ashish Vaswani, Noam Shazeer, Niki Parmar et al. · Advances in Neural Information Processing Systems · 2017');
  await ui(page).input.fill('memory');
  assert.equal(await byline('Long Short-Term Memory'), 'Sepp Hochreiter, Jürgen Schmidhuber · Neural Computation · 1997');
  await ui(page).input.fill('low-rank adaptation');
  assert.equal(await byline('LoRA'), 'Edward J. Hu, Yelong Shen, Phillip Wallis et al. · 2021', 'a preprint has no venue');
  await screenshot(page, 'records-bylines');
  await page.close();
});

test('the paper view names every author, the venue, the year and the kind of work', async () => {
  const { page } = await paperPage('vaswani2017attention');
  const meta = ui(page).paper.locator('.meta');
  assert.equal(await meta.locator('.authors').textContent(),
    'Ashish Vaswani, Noam Shazeer, Niki Parmar, Jakob Uszkoreit, Llion Jones, Aidan N. Gomez, Łukasz Kaiser, Illia Polosukhin');
  assert.equal(await meta.locator('.venue').textContent(), 'Advances in Neural Information Processing Systems');
  assert.equal(await meta.locator('.year').textContent(), '2017');
  assert.equal(await meta.locator('.type').textContent(), 'conference paper');
  await page.close();
});

test('the paper view links the PDF beside the site, the arXiv page and the web page', async () => {
  const { page } = await paperPage('vaswani2017attention');
  const links = ui(page).paper.locator('.links');
  assert.equal(await links.locator('a.pdf').getAttribute('href'), `${env.url}papers/attention.pdf`, 'resolved against the page');
  assert.equal(await links.locator('a.arxiv').getAttribute('href'), 'https://arxiv.org/abs/1706.03762');
  assert.equal(await links.locator('a.url').getAttribute('href'), 'https://papers.nips.cc/paper/7181-attention-is-all-you-need');
  assert.equal(await links.locator('a.doi').count(), 0, 'no DOI, no DOI link');
  await screenshot(page, 'records-paper-links');
  await page.close();
});

test('a DOI link opens doi.org at the paper, a PDF on the web opens itself', async () => {
  const { page } = await paperPage('lecun2015deep');
  const opened = [];
  await page.route(/^https:\/\/(doi\.org|jmlr\.org)\//, (route) => {
    opened.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'text/plain', body: 'elsewhere' });
  });
  await ui(page).paper.locator('a.doi').click();
  await page.waitForURL('https://doi.org/10.1038/nature14539');
  await page.goBack();
  await ui(page).paper.locator('a.doi').waitFor();
  await page.evaluate((hash) => { location.hash = hash; }, `#paper-${await idOf(page, 'srivastava2014dropout')}`);
  await ui(page).paper.locator('a.pdf').click();
  await page.waitForURL('https://jmlr.org/papers/volume15/srivastava14a/srivastava14a.pdf');
  assert.deepEqual(opened, ['https://doi.org/10.1038/nature14539', 'https://jmlr.org/papers/volume15/srivastava14a/srivastava14a.pdf']);
  await page.close();
});

test('Cite copies the paper’s BibTeX entry to the clipboard and shows it', async () => {
  const { page, id } = await paperPage('vaswani2017attention');
  const [entry] = await ask(page, [['citeAsync', id]]);
  assert.match(entry, /^@inproceedings\{vaswani2017attention,\n/);
  await ui(page).paper.getByRole('button', { name: 'Cite' }).click();
  const shown = ui(page).paper.locator('pre.bibtex');
  await shown.waitFor();
  assert.equal(await shown.textContent(), entry);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), entry);
  assert.equal(await ui(page).paper.locator('[role=status].cite-note').textContent(), 'BibTeX copied.');
  await screenshot(page, 'records-cite');
  await page.close();
});

test('without a clipboard to write, Cite selects the entry for the reader to copy', async () => {
  const context = await env.browser.newContext({ serviceWorkers: 'block' });
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
  const { page, id } = await paperPage('lecun2015deep', context);
  const [entry] = await ask(page, [['citeAsync', id]]);
  await ui(page).paper.getByRole('button', { name: 'Cite' }).click();
  const shown = ui(page).paper.locator('pre.bibtex');
  await shown.waitFor();
  assert.equal(await page.evaluate(() => getSelection().toString()), entry, 'the whole entry is selected');
  assert.equal(await shown.evaluate((pre) => pre.getRootNode().activeElement === pre), true, 'and focused');
  assert.match(await ui(page).paper.locator('.cite-note').textContent(), /selected: press Ctrl\+C/);
  await context.close();
});

test('a corpus without these fields shows no byline, no links and no Cite', async () => {
  const { server, url } = await startServer(WWW, 0);
  const page = await env.context.newPage();
  try {
    await page.goto(`${url}?q=grokking`);
    await ui(page).titles.first().waitFor({ timeout: 15000 });
    assert.equal(await ui(page).options.locator('.byline').count(), 0);
    await ui(page).titles.first().click();
    await ui(page).paper.locator('.abstract').waitFor();
    assert.equal(await ui(page).paper.locator(':is(.meta, .links, .cite, pre)').count(), 0);
  } finally {
    await page.close();
    server.closeAllConnections();
    server.close();
  }
});
