// <paper-search> on pages other than the demo: the README's snippet alone, a hostile page,
// theming, attributes, a strict Content-Security-Policy, dark mode, a phone, layout stability
// and recent searches. One behaviour per test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../scripts/serve.mjs';
import { open, fresh as freshIn, ready, screenshot, serveText, ui, readmeSnippet, WWW } from './helpers.mjs';

const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

let env;
before(async () => { env = await open(); });
after(async () => { await env?.close(); });

// A page that exists only in the test, at the served origin (so it loads www/'s files).
async function bare(html, { name = 'bare.html', headers, context = env.context, query = '', init } = {}) {
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  page.setDefaultTimeout(5000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await serveText(page, (u) => u.pathname === `/${name}`, html, { headers });
  await page.goto(env.url + name + query);
  return { page, errors };
}

test('the README snippet alone in an empty HTML file searches', async () => {
  const { page, errors } = await bare(readmeSnippet(), { name: 'snippet.html' });
  await ready(page);
  await ui(page).input.fill('grokking');
  assert.match(await ui(page).titles.first().textContent(), /grokking/i);
  assert.equal(await ui(page).input.getAttribute('placeholder'), 'Search papers… e.g. grokking, linear bandits');
  await screenshot(page, 'embed-readme-snippet');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a hostile page stylesheet neither breaks the element nor is touched by it', async () => {
  const { page } = await bare(`<!doctype html><meta charset="utf-8">
<style>
  * { display: inline !important; font-size: 40px !important; color: red !important;
      line-height: 0.5 !important; letter-spacing: 6px !important; text-transform: uppercase !important;
      font-family: serif !important; padding: 30px !important; margin: -20px !important; }
  input, li, a, ul, p, div, form { border: 9px dotted red !important; background: yellow !important; }
</style>
<p>The page’s own text with a <mark>mark</mark>.</p>
${readmeSnippet()}`);
  await ready(page);
  const { input, options, titles } = ui(page);
  await input.fill('neural');
  await options.nth(2).waitFor();
  const style = (loc, prop) => loc.evaluate((el, p) => getComputedStyle(el)[p], prop);
  assert.equal(await page.locator('paper-search').evaluate((el) => getComputedStyle(el).display), 'block');
  assert.equal(await style(options.first(), 'display'), 'block');
  assert.equal(await style(input, 'fontSize'), '18px');
  assert.equal(await style(input, 'textTransform'), 'none');
  assert.equal(await style(titles.first(), 'letterSpacing'), 'normal');
  assert.notEqual(await style(titles.first(), 'color'), 'rgb(255, 0, 0)');
  assert.notEqual(await style(input, 'borderTopStyle'), 'dotted');
  const boxes = await Promise.all([0, 1, 2].map((i) => options.nth(i).boundingBox()));
  for (let i = 1; i < boxes.length; i++) {
    assert.ok(boxes[i].y >= boxes[i - 1].y + boxes[i - 1].height - 1, 'results stack one below another');
    assert.equal(boxes[i].x, boxes[0].x);
  }
  // and nothing of the element's stylesheet reaches the page
  assert.equal(await style(page.locator('body > p mark'), 'backgroundColor'), 'rgb(255, 255, 0)');
  await screenshot(page, 'embed-hostile-css');
  await page.close();
});

test('custom properties and ::part() theme the element', async () => {
  const { page } = await bare(`<!doctype html><meta charset="utf-8">
<style>
  paper-search { --paper-search-accent: rgb(1, 2, 3); --paper-search-font: monospace; --paper-search-radius: 0px; }
  paper-search::part(result-title) { text-decoration: underline wavy; }
</style>
${readmeSnippet()}`, { query: '?q=neural' });
  await ready(page);
  const { input, titles } = ui(page);
  const style = (loc, prop) => loc.evaluate((el, p) => getComputedStyle(el)[p], prop);
  assert.equal(await style(titles.first(), 'color'), 'rgb(1, 2, 3)');
  assert.equal(await style(input, 'fontFamily'), 'monospace');
  assert.equal(await style(input, 'borderTopLeftRadius'), '0px');
  assert.equal(await style(titles.first(), 'textDecorationStyle'), 'wavy');
  await page.close();
});

test('attributes set the placeholder, the result limit and the initial query', async () => {
  const { page } = await bare(`<!doctype html><meta charset="utf-8">
<script type="module" src="paper-search.js"></script>
<paper-search placeholder="Find a paper" limit="3" query="neural"></paper-search>`);
  await ready(page);
  const { input, options } = ui(page);
  assert.equal(await input.getAttribute('placeholder'), 'Find a paper');
  assert.equal(await input.inputValue(), 'neural');
  assert.equal(await options.count(), 3);
  await page.locator('paper-search').evaluate((el) => el.setAttribute('limit', '5'));
  assert.equal(await options.count(), 5);
  await page.close();
});

test('the page and the element work under a strict Content-Security-Policy', async (t) => {
  const { server, url } = await startServer(WWW, 0, { headers: { 'content-security-policy': STRICT_CSP } });
  t.after(() => { server.closeAllConnections(); server.close(); });
  const page = await env.context.newPage();
  page.setDefaultTimeout(5000);
  const violations = [];
  page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text()); });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy: ${e.violatedDirective} ${e.blockedURI}`));
  });
  const response = await page.goto(url);
  assert.equal(response.headers()['content-security-policy'], STRICT_CSP);
  await ready(page);
  await ui(page).input.fill('linear bandits');
  assert.match(await ui(page).titles.first().textContent(), /bandit/i);
  const radius = await ui(page).input.evaluate((el) => getComputedStyle(el).borderTopLeftRadius);
  assert.equal(radius, '8px', 'the element’s stylesheet applies');
  await ui(page).titles.first().click();
  await ui(page).paper.waitFor();
  assert.deepEqual(violations, []);
  await screenshot(page, 'embed-strict-csp');
  await page.close();
});

test('if a policy blocks the wasm, the element says so', async () => {
  const { page } = await bare(`<!doctype html><meta charset="utf-8">
<p id="heard"></p>
${readmeSnippet()}`, {
    headers: { 'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'" },
    init: () => addEventListener('paper-search-error', (e) => {
      document.getElementById('heard').textContent = e.detail.message;
    }),
  });
  await page.waitForSelector('paper-search:state(error)', { state: 'attached' });
  const { error, input } = ui(page);
  assert.ok(await error.isVisible());
  assert.match(await error.textContent(), /could not be loaded/);
  assert.equal(await input.isDisabled(), true);
  assert.match(await page.locator('#heard').textContent(), /\S/, 'the page heard a paper-search-error event');
  await screenshot(page, 'embed-wasm-blocked');
  await page.close();
});

test('colours follow prefers-color-scheme', async () => {
  const page = await env.context.newPage();
  const background = () => page.locator('paper-search .root').evaluate((el) => getComputedStyle(el).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${env.url}?q=grokking`);
  await ready(page);
  assert.equal(await background(), 'rgb(255, 255, 255)');
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await background(), 'rgb(23, 24, 26)');
  const mark = await page.locator('paper-search mark').first().evaluate((el) => getComputedStyle(el).color);
  assert.equal(mark, 'rgb(255, 255, 255)', 'matched words stay readable');
  await screenshot(page, 'embed-dark');
  await page.close();
});

test('on a phone-sized screen nothing overflows and the box does not zoom', async (t) => {
  const context = await env.browser.newContext({
    serviceWorkers: 'block', viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  });
  t.after(() => context.close());
  const { page } = await freshIn(context, `${env.url}?q=neural%20networks`);
  const { input, titles, paper } = ui(page);
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= innerWidth);
  assert.ok(await fits(), 'no horizontal scroll on the results');
  const box = await input.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 360, 'the box fits the screen');
  const size = await input.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(size >= 16, `the box's text is at least 16px (${size}px), so phones do not zoom in`);
  await screenshot(page, 'embed-phone');
  await titles.first().tap();
  await paper.waitFor();
  assert.ok(await fits(), 'no horizontal scroll on a paper');
  await screenshot(page, 'embed-phone-paper');
});

test('typing does not move the box or the results', async () => {
  const { page } = await freshIn(env.context, env.url);
  const { input } = ui(page);
  const body = page.locator('paper-search .body');
  const where = async () => {
    const [a, b] = [await input.boundingBox(), await body.boundingBox()];
    return { box: [a.x, a.y, a.width, a.height], results: [b.x, b.y, b.width] };
  };
  const start = await where();
  await input.focus();
  for (const text of ['g', 'gr', 'grok', 'grokking', 'grokking dynamics', 'qwxzjv', '']) {
    await input.fill(text);
    assert.deepEqual(await where(), start, `after typing ${JSON.stringify(text)}`);
  }
  await page.close();
});

test('recent searches are kept in this browser and offered on focus', async (t) => {
  const context = await env.browser.newContext({ serviceWorkers: 'block' });
  t.after(() => context.close());
  const first = await freshIn(context, env.url);
  await ui(first.page).input.fill('linear bandits');
  await ui(first.page).options.first().waitFor();
  await first.page.keyboard.press('Enter'); // opening a result remembers the search
  await ui(first.page).paper.waitFor();
  await first.page.close();

  const { page } = await freshIn(context, env.url);
  const { input, recent, options } = ui(page);
  assert.equal(await recent.count(), 0, 'not before the box has the focus');
  await input.focus();
  await recent.first().waitFor();
  assert.deepEqual(await recent.allTextContents(), ['↺linear bandits']);
  await screenshot(page, 'embed-recent');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  assert.equal(await input.inputValue(), 'linear bandits');
  await options.first().waitFor();
});
