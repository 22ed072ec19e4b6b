// The benchmark of search by meaning at scale: corpus-large (52,674 papers) built sharded with
// SEMANTIC=on (SITE, made by `./build.sh bench semantic large`, whose build log is BUILD_LOG) in
// headless Chromium, its files served from localhost. Per page load: what switching meaning on
// downloads (the model, and beside it every paper's code), the wasm memory, and each query of
// the corpus-large mix (bench/scale/queries-large.jsonl) searched by meaning as a reader types
// it anew (its parts fetched as it needs them: the embedding, the codes' estimates, fusion and
// the parts of the papers it rescores and shows), then at once again (its parts at hand), beside
// words only in a page of its own; with `--plain SITE2` (the same corpus built sharded without
// meaning), words only there too. The build's time and peak memory come from its log. Prints a
// markdown table and writes it to bench/semantic-large-results.md.
//   node bench/semantic-large.mjs SITE BUILD_LOG [--runs N] [--plain SITE2]
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../scripts/serve.mjs';
import { launch } from '../tests/e2e/helpers.mjs';
import { BENCH } from './paths.mjs';
import { percentile } from './harness.mjs';

const [site, buildLog, ...rest] = process.argv.slice(2);
if (!site || !buildLog) {
  console.error('usage: node bench/semantic-large.mjs SITE BUILD_LOG [--runs N] [--plain SITE2]');
  process.exit(2);
}
const flag = (name) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : undefined);
const runs = Number(flag('--runs') ?? 3) || 3;
const plainSite = flag('--plain');
const log = (m) => process.stderr.write(`[bench semantic large] ${m}\n`);
const queries = readFileSync(join(BENCH, 'scale', 'queries-large.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).q);
const pkg = join(site, 'pkg');
const modelFile = readdirSync(pkg).find((f) => /^paper-search-model-[0-9a-f]{16}\.bin\.gz$/.test(f));
const partsFolder = readdirSync(pkg).find((f) => f.startsWith('index-'));
const codesFiles = readdirSync(join(pkg, partsFolder)).filter((f) => f.startsWith('codes-'));
const codesBytes = codesFiles.reduce((n, f) => n + statSync(join(pkg, partsFolder, f)).size, 0);

// The page's steps, each measured in the page; the bytes of the responses each step received
// are counted in Node (the body as sent, before the module gunzips it).
async function load(browser, url, semantic) {
  const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
  const received = { model: 0, codes: 0, other: 0, requests: 0 };
  page.on('requestfinished', async (r) => {
    const size = (await r.sizes()).responseBodySize;
    const path = new URL(r.url()).pathname;
    received.requests += 1;
    if (path.endsWith(modelFile)) received.model += size;
    else if (/\/codes-\d+\.gz$/.test(path)) received.codes += size;
    else received.other += size;
  });
  await page.goto(url);
  const settle = () => new Promise((done) => setTimeout(done, 200));
  await page.evaluate(async () => {
    const api = await import('/pkg/paper_search.js');
    window.wasm = await api.default({ module_or_path: '/pkg/paper_search_bg.wasm' });
    api.configure({ base: new URL('/pkg/', location.href).href });
    window.api = api;
  });
  await settle();
  const start = { ...received };
  const out = { before: await page.evaluate(() => window.wasm.memory.buffer.byteLength) };
  if (semantic) {
    out.load = await page.evaluate(async (file) => {
      const t = performance.now();
      await window.api.loadModel(`/pkg/${file}`);
      return performance.now() - t;
    }, modelFile);
    await settle();
    out.switchOn = { model: received.model - start.model, codes: received.codes - start.codes, other: received.other - start.other };
    out.afterModel = await page.evaluate(() => window.wasm.memory.buffer.byteLength);
  }
  const before = received.other;
  const requestsBefore = received.requests;
  const timed = await page.evaluate(async ({ queries, semantic }) => {
    const time = async (q) => {
      const t = performance.now();
      await window.api.searchAsync(q, { limit: 10, semantic });
      return performance.now() - t;
    };
    // Each query new, then at once again: its parts at hand (later queries may evict them).
    const first = [];
    const again = [];
    for (const q of queries) {
      first.push(await time(q));
      again.push(await time(q));
    }
    return { first, again, memory: window.wasm.memory.buffer.byteLength };
  }, { queries, semantic });
  await settle();
  Object.assign(out, timed, { searchBytes: received.other - before, searchRequests: received.requests - requestsBefore });
  await page.context().close();
  return out;
}

const { server, url } = await startServer(site, 0);
const other = plainSite ? await startServer(plainSite, 0) : undefined;
const browser = await launch();
const meaning = [];
const words = [];
const plain = [];
try {
  for (let run = 0; run < runs; run++) {
    log(`run ${run + 1} of ${runs}: ${other ? 'words only without meaning built in, ' : ''}words only, then by meaning`);
    if (other) plain.push(await load(browser, other.url, false));
    words.push(await load(browser, url, false));
    meaning.push(await load(browser, url, true));
  }
} finally {
  await browser.close();
  for (const s of [server, other?.server].filter(Boolean)) {
    s.closeAllConnections();
    s.close();
  }
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const all = (results, key) => sorted(results.flatMap((r) => r[key]));
const med = (xs) => percentile(sorted(xs), 50);
const ms = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(0));
const mb = (b) => (b / 1e6).toFixed(2);
const fetched = (results) => `${med(results.map((r) => r.searchRequests))} / ${mb(med(results.map((r) => r.searchBytes)))}`;
const pcts = (results, key) => `${ms(percentile(all(results, key), 50))} / ${ms(percentile(all(results, key), 95))}`;
// The build's figures, as its tools print them.
const text = readFileSync(buildLog, 'utf8');
const embedLine = /paper-search-semantic: (\d+) papers, (\d+) embedded .*\(([\d.]+) s in all(?:, peak memory ([^)]+))?\)/.exec(text);
// (The folder of the parts is named in the log by its path on the machine: left out.)
const indexLine = /paper-search-index: (\d+) papers, core ([\d.]+ MB) in the module, (\d+) part files in \S+ \(([^)]*)\) in ([\d.]+) s, peak memory (.*)/.exec(text);
const papers = indexLine ? Number(indexLine[1]).toLocaleString('en-US') : '?';
const version = browser.version?.() ?? '';
const lines = [
  `# Search by meaning at scale: corpus-large (${papers} papers) sharded, in headless Chromium`,
  '',
  `${queries.length} queries of bench/scale/queries-large.jsonl, limit 10, ${runs} page loads of each kind; each query searched`,
  'once as new (its parts fetched from localhost as it needs them) and at once again (its parts at hand). Medians of',
  `the loads; percentiles over every query of every load. Chromium ${version}.`,
  '',
  `| measure |${plainSite ? ' built without meaning: words |' : ''} words only | search by meaning |`,
  `|---|${plainSite ? '---:|' : ''}---:|---:|`,
  `| switching meaning on: the model (gzip, as served)${plainSite ? ' | | |' : ' | |'} ${mb(med(meaning.map((r) => r.switchOn.model)))} MB |`,
  `| switching meaning on: every paper's code (${codesFiles.length} files, ${mb(codesBytes)} MB on disk)${plainSite ? ' | | |' : ' | |'} ${mb(med(meaning.map((r) => r.switchOn.codes)))} MB |`,
  `| switching meaning on: anything else${plainSite ? ' | | |' : ' | |'} ${mb(med(meaning.map((r) => r.switchOn.other)))} MB |`,
  `| loadModel with the codes, from localhost${plainSite ? ' | | |' : ' | |'} ${ms(med(meaning.map((r) => r.load)))} ms |`,
  `| a new search, p50 / p95 |${plainSite ? ` ${pcts(plain, 'first')} ms |` : ''} ${pcts(words, 'first')} ms | ${pcts(meaning, 'first')} ms |`,
  `| the same search again, p50 / p95 |${plainSite ? ` ${pcts(plain, 'again')} ms |` : ''} ${pcts(words, 'again')} ms | ${pcts(meaning, 'again')} ms |`,
  `| parts fetched by the ${queries.length} searches: files / MB |${plainSite ? ` ${fetched(plain)} |` : ''} ${fetched(words)} | ${fetched(meaning)} |`,
  `| wasm memory: at the start / with the model / after the searches |${plainSite ? ` ${mb(med(plain.map((r) => r.before)))} / / ${mb(med(plain.map((r) => r.memory)))} MB |` : ''} ${mb(med(words.map((r) => r.before)))} / / ${mb(med(words.map((r) => r.memory)))} MB | ${mb(med(meaning.map((r) => r.before)))} / ${mb(med(meaning.map((r) => r.afterModel)))} / ${mb(med(meaning.map((r) => r.memory)))} MB |`,
  '',
  'The build (./build.sh with SEMANTIC=on, sharded; its log):',
  '',
  '| step | time | peak memory |',
  '|---|---:|---:|',
  embedLine
    ? `| embedding the papers (paper-search-semantic embed: ${embedLine[2]} of ${embedLine[1]} embedded, the rest from the cache) | ${embedLine[3]} s | ${embedLine[4] ?? 'not reported'} |`
    : '| embedding the papers | not in the log | |',
  indexLine
    ? `| indexing (paper-search-index: the core, ${indexLine[2]}, in the module; ${indexLine[3]} part files, ${indexLine[4]}) | ${indexLine[5]} s | ${indexLine[6]} |`
    : '| indexing | not in the log | |',
  '',
];
const report = lines.join('\n');
writeFileSync(join(BENCH, 'semantic-large-results.md'), report);
process.stdout.write(report);
