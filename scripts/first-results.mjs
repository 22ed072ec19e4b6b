// Measures the time from opening the page to its first results in headless Chromium: the
// page is opened with ?q=grokking in a fresh browser context (empty cache, no service worker)
// and the time is the element's `paper-search:first-results` performance mark, in ms since
// the navigation started. Runs the hosted page (served from www/ on 127.0.0.1) and, if it
// exists, the single file from disk.
//   node scripts/first-results.mjs [RUNS] [SINGLE_FILE]     defaults: 7, dist/paper-search.html
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';

const [runs = '7', single = 'dist/paper-search.html'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function measure(url) {
  const times = [];
  for (let i = 0; i < Number(runs); i++) {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(url);
    const handle = await page.waitForFunction(
      () => performance.getEntriesByName('paper-search:first-results')[0]?.startTime, null, { timeout: 15000 });
    times.push(await handle.jsonValue());
    await context.close();
  }
  times.sort((a, b) => a - b);
  const ms = (t) => `${t.toFixed(0)} ms`;
  return `median ${ms(times[Math.floor(times.length / 2)])} (min ${ms(times[0])}, max ${ms(times.at(-1))}, ${times.length} runs)`;
}

const { server, url } = await startServer('www', 0);
console.log(`hosted page (http, cold cache): ${await measure(`${url}?q=grokking`)}`);
server.close();
if (existsSync(single)) {
  console.log(`single file (file://):          ${await measure(`${pathToFileURL(resolve(single))}?q=grokking`)}`);
}
await browser.close();
