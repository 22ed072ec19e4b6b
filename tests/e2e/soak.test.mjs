// Soak: many random queries through the wasm API in headless Chromium. After a warm-up, the
// module's linear memory must not grow, and no call may throw. `SOAK_QUERIES` sets the count
// (`./build.sh soak` runs 100,000; the test run a short 10,000).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { open } from './helpers.mjs';

const QUERIES = Number(process.env.SOAK_QUERIES ?? 10000);
const WARM_UP = 2000;

let env;
before(async () => { env = await open(); });
after(async () => { await env?.close(); });

test(`${QUERIES} random queries leave wasm memory flat and throw nothing`, async () => {
  await env.page.goto(env.url);
  const result = await env.page.evaluate(async ({ total, warmUp }) => {
    const api = await import('./pkg/paper_search.js');
    const wasm = await api.default();
    // Words of the corpus, pieces of query syntax and hostile characters, mixed at random
    // (a fixed-seed generator, so a failure can be replayed).
    const words = [];
    for (let id = 0; id < api.stats().papers; id++) words.push(...api.paper(id).title.split(/\s+/));
    const junk = ['"', '-', 'OR', 'title:', 'author:', 'year:2020', '((', '\u0000', '\u202e', '\u200b', 'é', '🔥', '\\', '3<z<10'];
    let seed = 42;
    const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const query = () => {
      const parts = [];
      for (let k = 1 + rand(6); k > 0; k--) {
        const w = rand(5) === 0 ? junk[rand(junk.length)] : words[rand(words.length)];
        parts.push(rand(4) === 0 ? w.slice(0, 1 + rand(w.length)) : w);
      }
      return parts.join(rand(3) === 0 ? '' : ' ');
    };
    let errors = 0;
    let firstError = null;
    const run = (n) => {
      for (let i = 0; i < n; i++) {
        try {
          const r = api.search(query(), { limit: 10 });
          if (r.hits.length) api.paper(r.hits[0].id);
        } catch (e) {
          errors++;
          firstError ??= String(e);
        }
      }
    };
    run(warmUp);
    const before = wasm.memory.buffer.byteLength;
    const started = performance.now();
    run(total);
    const ms = performance.now() - started;
    return { before, after: wasm.memory.buffer.byteLength, errors, firstError, ms };
  }, { total: QUERIES, warmUp: WARM_UP });
  console.log(`soak: ${QUERIES} queries in ${(result.ms / 1000).toFixed(1)} s; wasm memory ${result.before} bytes before, ${result.after} after`);
  assert.equal(result.errors, 0, `no call throws (first: ${result.firstError})`);
  assert.equal(result.after, result.before, 'linear memory is flat after warm-up');
});
