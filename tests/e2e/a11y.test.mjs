// Accessibility audits with axe-core (WCAG 2.x A and AA rules and its best practices) of the
// page and the element's shadow root, in each state a reader meets: results listed, recent
// searches, a paper open; on the demo page (the default corpus, no filters) and on the .bib site
// (BIB_SITE: results with their bylines, filters chosen, a paper with its links and citation, a
// narrow screen with the filters unfolded). One state per test; each must have no violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { afterResults, filterBar, open, fresh as freshIn, ready, siteFromEnv, ui } from './helpers.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const BIB = siteFromEnv('BIB_SITE');

let demo;
let bib;
before(async () => { [demo, bib] = await Promise.all([open(), open({ dir: BIB })]); });
after(async () => {
  await demo?.close();
  await bib?.close();
});

// axe's violations on the page (open shadow roots included), each as its rule and the nodes
// it names, with axe's own summary of what is wrong.
async function violations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const results = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => `${n.target.join(' >>> ')}: ${n.failureSummary}`),
    }));
  });
}

test('the demo page with results listed has no violation', async () => {
  const { page } = await freshIn(demo.context, `${demo.url}?q=neural`);
  await ui(page).input.focus();
  await page.keyboard.press('ArrowDown');
  assert.deepEqual(await violations(page), []);
  await page.close();
});

test('the demo page with recent searches listed has no violation', async () => {
  const { page } = await freshIn(demo.context, `${demo.url}?q=grokking`);
  await ui(page).input.focus();
  await page.keyboard.press('Enter'); // opens the paper: the query becomes a recent search
  await ui(page).paper.waitFor();
  await page.keyboard.press('Escape');
  await ui(page).input.fill('');
  await ui(page).recent.first().waitFor();
  assert.deepEqual(await violations(page), []);
  await page.close();
});

test('the demo page with a paper open has no violation', async () => {
  const { page } = await freshIn(demo.context, `${demo.url}?q=grokking#paper-23`);
  await ui(page).paper.locator('.abstract').waitFor();
  assert.deepEqual(await violations(page), []);
  await page.close();
});

test('the .bib site with results listed has no violation', async () => {
  const { page } = await freshIn(bib.context, `${bib.url}?q=learning`);
  await ui(page).options.first().waitFor();
  assert.deepEqual(await violations(page), []);
  await page.close();
});

test('the .bib site with results and filters chosen has no violation', async () => {
  const { page } = await freshIn(bib.context, `${bib.url}?q=learning`);
  const bar = filterBar(page);
  await afterResults(page, () => bar.year(2015).click());
  await afterResults(page, () => bar.chip('type', 'article').click());
  await afterResults(page, () => bar.sort.selectOption('newest'));
  await page.locator('paper-search [aria-labelledby="filter-author"] button.link').click(); // every author
  assert.deepEqual(await violations(page), []);
  await page.close();
});

test('the .bib site with a paper, its links and its citation open has no violation', async () => {
  const context = await bib.browser.newContext({ serviceWorkers: 'block', permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await page.goto(`${bib.url}?q=attention`);
  await ready(page);
  await ui(page).titles.first().click();
  await ui(page).paper.getByRole('button', { name: 'Cite' }).click();
  await ui(page).paper.locator('pre.bibtex').waitFor();
  assert.deepEqual(await violations(page), []);
  await context.close();
});

test('the .bib site on a narrow screen, its filters unfolded, has no violation', async () => {
  const context = await bib.browser.newContext({ serviceWorkers: 'block', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${bib.url}?venue=Nature`);
  await ready(page);
  await ui(page).options.first().waitFor();
  await filterBar(page).toggle.click();
  assert.deepEqual(await violations(page), []);
  await context.close();
});
