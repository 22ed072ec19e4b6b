// Keyboard and accessibility of <paper-search> on the demo page, one behaviour per test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { open, fresh as freshIn, screenshot, ui } from './helpers.mjs';

let env;
before(async () => { env = await open(); });
after(async () => { await env?.close(); });

const fresh = (path = '') => freshIn(env.context, env.url + path);
const focusedInBox = (page) => page.evaluate(() => {
  const host = document.querySelector('paper-search');
  return document.activeElement === host && host.shadowRoot.activeElement?.getAttribute('role') === 'combobox';
});
const selected = (page) => page.evaluate(() => {
  const root = document.querySelector('paper-search').shadowRoot;
  const input = root.querySelector('[role=combobox]');
  const id = input.getAttribute('aria-activedescendant');
  const options = [...root.querySelectorAll('[role=option]')];
  return {
    active: id ? options.findIndex((o) => o.id === id) : -1,
    marked: options.findIndex((o) => o.getAttribute('aria-selected') === 'true'),
  };
});

test('/ focuses the search box from anywhere on the page', async () => {
  const { page } = await fresh();
  await page.locator('h1').click();
  assert.equal(await focusedInBox(page), false);
  await page.keyboard.press('/');
  assert.equal(await focusedInBox(page), true);
  assert.equal(await ui(page).input.inputValue(), '', 'the / is not typed into the box');
  await page.close();
});

test('/ typed into another field of the page stays there', async () => {
  const { page } = await fresh();
  await page.evaluate(() => document.body.append(Object.assign(document.createElement('textarea'), { id: 'other' })));
  await page.locator('#other').click();
  await page.keyboard.type('a/b');
  assert.equal(await page.locator('#other').inputValue(), 'a/b');
  assert.equal(await focusedInBox(page), false);
  await page.close();
});

test('Ctrl+K and Cmd+K focus the search box', async () => {
  const { page } = await fresh();
  for (const chord of ['Control+k', 'Meta+k']) {
    await page.locator('h1').click();
    await page.keyboard.press(chord);
    assert.equal(await focusedInBox(page), true, chord);
  }
  await page.close();
});

test('arrow keys move the selection through the results', async () => {
  const { page } = await fresh('?q=neural');
  const { input, options } = ui(page);
  await input.focus();
  const n = await options.count();
  assert.ok(n >= 3);
  assert.deepEqual(await selected(page), { active: 0, marked: 0 }, 'the first result is selected');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.deepEqual(await selected(page), { active: 2, marked: 2 });
  await page.keyboard.press('ArrowUp');
  assert.deepEqual(await selected(page), { active: 1, marked: 1 });
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.deepEqual(await selected(page), { active: n - 1, marked: n - 1 }, 'up from the first wraps to the last');
  await screenshot(page, 'keyboard-selection');
  await page.close();
});

test('Enter opens the selected paper', async () => {
  const { page } = await fresh('?q=neural');
  const { input, titles, paper } = ui(page);
  await input.focus();
  await page.keyboard.press('ArrowDown');
  const second = await titles.nth(1).textContent();
  await page.keyboard.press('Enter');
  await paper.waitFor();
  assert.equal(await paper.locator('h2').textContent(), second);
  assert.match(page.url(), /#paper-\d+$/);
  await page.close();
});

test('Escape clears the box and the results', async () => {
  const { page } = await fresh('?q=grokking');
  const { input, options } = ui(page);
  await input.focus();
  await page.keyboard.press('Escape');
  assert.equal(await input.inputValue(), '');
  assert.equal(await options.count(), 0);
  assert.equal(new URL(page.url()).search, '', '?q= is gone');
  await page.close();
});

test('Escape on a paper goes back to the results', async () => {
  const { page } = await fresh('?q=grokking');
  const { input, paper, options } = ui(page);
  await input.focus();
  await page.keyboard.press('Enter');
  await paper.waitFor();
  await page.keyboard.press('Escape');
  await options.first().waitFor();
  assert.equal(await paper.isVisible(), false);
  assert.equal(await input.inputValue(), 'grokking');
  assert.equal(new URL(page.url()).hash, '');
  await page.close();
});

test('the box is a combobox over a listbox, and the count is a live region', async () => {
  const { page } = await fresh('?q=neural');
  const { input, status } = ui(page);
  assert.equal(await input.getAttribute('role'), 'combobox');
  assert.equal(await input.getAttribute('aria-autocomplete'), 'list');
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  const listbox = page.locator(`paper-search #${await input.getAttribute('aria-controls')}`);
  assert.equal(await listbox.getAttribute('role'), 'listbox');
  assert.ok(await listbox.getAttribute('aria-label'));
  assert.ok(await listbox.locator('[role=option]').count() > 0);
  assert.equal(await page.locator('paper-search label[for=input]').textContent(), 'Search papers');
  assert.equal(await status.getAttribute('role'), 'status');
  assert.equal(await status.getAttribute('aria-live'), 'polite');
  assert.match(await status.textContent(), /results? in/);
  await input.fill('qwxzjv');
  assert.equal(await input.getAttribute('aria-expanded'), 'false', 'collapsed with nothing to list');
  await page.close();
});

test('the focused box and the selected result are visibly marked', async () => {
  const { page } = await fresh('?q=neural');
  const { input, options } = ui(page);
  const ring = () => input.evaluate((el) => getComputedStyle(el).boxShadow);
  const unfocused = await ring();
  await page.keyboard.press('/');
  assert.notEqual(await ring(), unfocused, 'the focus ring appears');
  const outline = (i) => options.nth(i).evaluate((el) => getComputedStyle(el).outlineStyle);
  assert.notEqual(await outline(0), 'none', 'the selected result has an outline');
  assert.equal(await outline(1), 'none');
  await page.close();
});

test('the keyboard alone finds a paper, reads it and comes back', async () => {
  const { page } = await fresh();
  const { input, paper, options } = ui(page);
  for (let i = 0; i < 10 && !(await focusedInBox(page)); i++) await page.keyboard.press('Tab');
  assert.equal(await focusedInBox(page), true, 'Tab reaches the box');
  await page.keyboard.type('bandits');
  await options.first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await paper.waitFor();
  assert.equal(await page.evaluate(() => document.querySelector('paper-search').shadowRoot.activeElement.tagName), 'H2',
    'the focus moves to the paper');
  await page.keyboard.press('Shift+Tab'); // the back button, before the title
  await page.keyboard.press('Enter');
  await options.first().waitFor();
  assert.equal(await focusedInBox(page), true, 'back in the box');
  assert.equal(await input.inputValue(), 'bandits');
  await page.close();
});
