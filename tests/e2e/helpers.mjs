// Shared set-up for the end-to-end tests: a static server for www/ on 127.0.0.1 and a headless
// Chromium (Debian's, driven through playwright-core), one fresh page per test.
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WWW = join(ROOT, 'www');
export const SHOTS = join(ROOT, 'test-results', 'screenshots');

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
export async function open({ dir = WWW, headers } = {}) {
  const { server, url } = await startServer(dir, 0, { headers });
  const browser = await launch();
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  return {
    server, url, browser, context, page, errors,
    async close() {
      await browser.close();
      await new Promise((done) => server.close(done));
    },
  };
}

// Waits until the page has loaded the wasm and rendered its first state.
export async function ready(page) {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
}

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}
