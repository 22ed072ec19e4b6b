// The benchmark of search by meaning: a semantic build of the default corpus (SEMANTIC=on, made
// by `./build.sh bench semantic`, SITE below) in headless Chromium: the model's download size,
// its load time, the wasm memory before and after, and per query of the benchmark's mix the
// time to embed the query and to search with and without the model. With `--before SITE2` (the
// same build of an earlier commit), both are measured, page loads taking turns, side by side.
// Prints a markdown table and writes it to bench/semantic-results.md.
//   node bench/semantic.mjs SITE [--runs N] [--before SITE2 --before-name NAME]
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { startServer } from '../scripts/serve.mjs';
import { launch } from '../tests/e2e/helpers.mjs';
import { BENCH } from './paths.mjs';
import { percentile } from './harness.mjs';

const [site, ...rest] = process.argv.slice(2);
if (!site) {
  console.error('usage: node bench/semantic.mjs SITE [--runs N] [--before SITE2 --before-name NAME]');
  process.exit(2);
}
const flag = (name) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : undefined);
const runs = Number(flag('--runs') ?? 3) || 3;
const beforeSite = flag('--before');
const beforeName = flag('--before-name') ?? 'before';
const log = (m) => process.stderr.write(`[bench semantic] ${m}\n`);
const queries = readFileSync(join(BENCH, 'queries-default.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).q);
const modelOf = (dir) => readdirSync(join(dir, 'pkg')).find((f) => /^paper-search-model-[0-9a-f]{16}\.bin\.gz$/.test(f));
const brotli = (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }).length;
const builds = [
  ...(beforeSite ? [{ name: beforeName, dir: beforeSite }] : []),
  { name: beforeSite ? 'this build' : 'value', dir: site },
];
for (const b of builds) {
  b.modelFile = modelOf(b.dir);
  b.wasm = brotli(readFileSync(join(b.dir, 'pkg', 'paper_search_bg.wasm')));
  b.model = statSync(join(b.dir, 'pkg', b.modelFile)).size;
  b.results = [];
  Object.assign(b, await startServer(b.dir, 0));
}

const browser = await launch();
try {
  for (let run = 0; run < runs; run++) {
    for (const b of builds) {
      log(`run ${run + 1} of ${runs}: ${b.name}`);
      b.results.push(await measure(b));
    }
  }
} finally {
  await browser.close();
  for (const b of builds) {
    b.server.closeAllConnections();
    b.server.close();
  }
}

async function measure({ url, modelFile }) {
  const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
  await page.goto(url);
  const result = await page.evaluate(async ({ modelFile, queries }) => {
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
  }, { modelFile, queries });
  await page.context().close();
  return result;
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const ms = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(0));
const mb = (b) => (b / 1e6).toFixed(1);
const cells = (f) => builds.map((b) => f(b, (key) => sorted(b.results.flatMap((r) => r[key])), (key) => percentile(sorted(b.results.map((r) => r[key])), 50))).join(' | ');
const p = (all, key) => `${ms(percentile(all(key), 50))} / ${ms(percentile(all(key), 95))}`;
const version = browser.version?.() ?? '';
const lines = [
  '# Search by meaning: the semantic build of the default corpus in headless Chromium',
  '',
  `${queries.length} queries of bench/queries-default.jsonl, ${runs} page loads${builds.length > 1 ? ' of each build, taking turns' : ''}; medians of the loads, percentiles over every query of every load. Chromium ${version}.`,
  '',
  `| measure | ${builds.map((b) => b.name).join(' | ')} |`,
  `|---|${builds.map(() => '---:').join('|')}|`,
  `| model file, gzip as served | ${cells((b) => `${mb(b.model)} MB`)} |`,
  `| wasm module with the papers' vectors, brotli | ${cells((b) => `${(b.wasm / 1e3).toFixed(1)} KB`)} |`,
  `| loadModel from localhost (fetch, gunzip, read, build), median | ${cells((b, all, med) => `${ms(med('load'))} ms`)} |`,
  `| wasm memory before / after loading the model | ${cells((b, all, med) => `${mb(med('before'))} / ${mb(med('after'))} MB`)} |`,
  `| embedding a query, p50 / p95 | ${cells((b, all) => `${p(all, 'embed')} ms`)} |`,
  `| search, words only, p50 / p95 | ${cells((b, all) => `${p(all, 'lexical')} ms`)} |`,
  `| search by meaning (embed + nearest + fusion + hits), p50 / p95 | ${cells((b, all) => `${p(all, 'fused')} ms`)} |`,
  '',
];
const report = lines.join('\n');
writeFileSync(join(BENCH, 'semantic-results.md'), report);
process.stdout.write(report);
