// The benchmark of search by meaning: a semantic build of the default corpus (SEMANTIC=on, made
// by `./build.sh bench semantic`, SITE below) in headless Chromium: the model's download size,
// its load time, the wasm memory before and after, and per query of the benchmark's mix the
// time to embed the query and to search with and without the model. Prints a markdown table
// and writes it to bench/semantic-results.md.
//   node bench/semantic.mjs SITE [--runs N]
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { startServer } from '../scripts/serve.mjs';
import { launch } from '../tests/e2e/helpers.mjs';
import { BENCH } from './paths.mjs';
import { percentile } from './harness.mjs';

const [site, ...rest] = process.argv.slice(2);
if (!site) {
  console.error('usage: node bench/semantic.mjs SITE [--runs N]');
  process.exit(2);
}
const runs = Number(rest[rest.indexOf('--runs') + 1] ?? 3) || 3;
const log = (m) => process.stderr.write(`[bench semantic] ${m}\n`);
const queries = readFileSync(join(BENCH, 'queries-default.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).q);
const pkg = join(site, 'pkg');
const modelFile = readdirSync(pkg).find((f) => /^paper-search-model-[0-9a-f]{16}\.bin\.gz$/.test(f));
const wasm = readFileSync(join(pkg, 'paper_search_bg.wasm'));
const brotli = (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }).length;

const { server, url } = await startServer(site, 0);
const browser = await launch();
const results = [];
try {
  for (let run = 0; run < runs; run++) {
    const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
    await page.goto(url);
    log(`run ${run + 1} of ${runs}`);
    results.push(await page.evaluate(async ({ modelFile, queries }) => {
      const api = await import('/pkg/paper_search.js');
      const wasm = await api.default({ module_or_path: '/pkg/paper_search_bg.wasm' });
      const memory = () => wasm.memory.buffer.byteLength;
      const before = memory();
      let t = performance.now();
      await api.loadModel(`/pkg/${modelFile}`);
      const load = performance.now() - t;
      const after = memory();
      const time = (f) => queries.map((q) => { const s = performance.now(); f(q); return performance.now() - s; });
      time((q) => api.embedQuery(q)); // warm-up
      const embed = time((q) => api.embedQuery(q));
      const lexical = time((q) => api.search(q, { limit: 10 }));
      const fused = time((q) => api.search(q, { limit: 10, semantic: true }));
      return { load, before, after: Math.max(after, memory()), embed, lexical, fused };
    }, { modelFile, queries }));
    await page.context().close();
  }
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const all = (key) => sorted(results.flatMap((r) => r[key]));
const med = (key) => percentile(sorted(results.map((r) => r[key])), 50);
const ms = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(0));
const mb = (b) => (b / 1e6).toFixed(1);
const version = browser.version?.() ?? '';
const lines = [
  '# Search by meaning: the semantic build of the default corpus in headless Chromium',
  '',
  `${queries.length} queries of bench/queries-default.jsonl, ${runs} page loads; medians of the loads, percentiles over every query of every load. Chromium ${version}.`,
  '',
  '| measure | value |',
  '|---|---:|',
  `| model file (${modelFile}), gzip as served | ${mb(statSync(join(pkg, modelFile)).size)} MB |`,
  `| wasm module with the papers' vectors, brotli | ${(brotli(wasm) / 1e3).toFixed(1)} KB |`,
  `| loadModel from localhost (fetch, gunzip, read, build), median | ${ms(med('load'))} ms |`,
  `| wasm memory before / after loading the model | ${mb(med('before'))} / ${mb(med('after'))} MB |`,
  `| embedding a query, p50 / p95 | ${ms(percentile(all('embed'), 50))} / ${ms(percentile(all('embed'), 95))} ms |`,
  `| search, words only, p50 / p95 | ${ms(percentile(all('lexical'), 50))} / ${ms(percentile(all('lexical'), 95))} ms |`,
  `| search by meaning (embed + nearest + fusion + hits), p50 / p95 | ${ms(percentile(all('fused'), 50))} / ${ms(percentile(all('fused'), 95))} ms |`,
  '',
];
const report = lines.join('\n');
writeFileSync(join(BENCH, 'semantic-results.md'), report);
process.stdout.write(report);
