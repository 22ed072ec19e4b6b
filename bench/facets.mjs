// The cost of facet counts, measured where pages run them.
//   node bench/facets.mjs SITES [--rounds N] [--requests N]
// SITES holds embedded/ (a few thousand papers with years and authors, built embedded beside the
// page) and sharded/ (corpus-large built sharded), as `./build.sh bench facets` builds them.
//   latency    the harness of harness.mjs on the query mix of bench/scale/queries-large.jsonl,
//              search without facets and with every group, in Node and in headless Chromium,
//              the two taking turns for N rounds (default 3); the medians of the rounds' p50
//              and p95, and their ratio
//   requests   on the sharded site, for N queries of the mix (default 40), each in a fresh
//              page: the part files a first search fetches without facets, with the year and
//              type groups, and with every group (authors are in parts of their own)
// The report goes to stdout and to bench/facets-results.md.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../scripts/serve.mjs';
import { launch } from '../tests/e2e/helpers.mjs';
import { measureLatency, percentile } from './harness.mjs';
import { loadBuilt } from './engines/paper-search.mjs';
import { BENCH } from './paths.mjs';

const argv = process.argv.slice(2);
const sites = argv[0];
if (!sites) throw new Error('usage: node bench/facets.mjs SITES [--rounds N] [--requests N]');
const option = (name, fallback) => {
  const at = argv.indexOf(name);
  return at < 0 ? fallback : Number(argv[at + 1]);
};
const rounds = option('--rounds', 3);
const requestQueries = option('--requests', 40);
const log = (...args) => console.error(...args);
const queries = readFileSync(join(BENCH, 'scale', 'queries-large.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));

const VARIANTS = { without: {}, with: { facets: true } };
const median = (xs) => percentile([...xs].sort((a, b) => a - b), 50);
let papers = 0;

/** Runs `time(variant)` for `rounds` rounds, the variants taking turns; medians of p50 and p95. */
async function takingTurns(time) {
  const runs = { without: [], with: [] };
  for (let r = 0; r < rounds; r++) {
    for (const variant of Object.keys(VARIANTS)) runs[variant].push(await time(variant));
  }
  const out = {};
  for (const [variant, list] of Object.entries(runs)) {
    out[variant] = { p50: median(list.map((x) => x.p50)), p95: median(list.map((x) => x.p95)), runs: list.map((x) => x.p50) };
  }
  return out;
}

async function nodeLatency() {
  const search = await loadBuilt(join(sites, 'embedded', 'pkg'));
  const stats = search.api.stats();
  log(`Node: ${stats.papers} papers, groups ${stats.facets ?? []}`);
  papers = stats.papers;
  return takingTurns((variant) => {
    const options = VARIANTS[variant];
    const timed = measureLatency((q, limit) => search.api.search(q, { limit, ...options }), queries);
    log(`  Node ${variant} facets: p50 ${timed.p50.toFixed(0)} µs`);
    return timed;
  });
}

async function chromiumLatency(browser, base) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  try {
    await page.goto(`${base}embedded/index.html`);
    await page.evaluate(async () => {
      const api = await import(new URL('pkg/paper_search.js', location.href).href);
      await api.default();
      window.benchApi = api;
    });
    return await takingTurns(async (variant) => {
      const timed = await page.evaluate(
        async ({ queries, options }) => {
          const { measureLatency } = await import(new URL('/harness.mjs', location.href).href);
          const r = measureLatency((q, limit) => window.benchApi.search(q, { limit, ...options }), queries);
          return { p50: r.p50, p95: r.p95 };
        },
        { queries, options: VARIANTS[variant] },
      );
      log(`  Chromium ${variant} facets: p50 ${timed.p50.toFixed(0)} µs`);
      return timed;
    });
  } finally {
    await context.close();
  }
}

/** The part files a first search of `q` fetches, in a fresh page of the sharded site. */
async function partsFetched(browser, base, q, options) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const parts = [];
  page.on('request', (r) => {
    if (r.url().includes('/index-')) parts.push(r.url().split('/').pop());
  });
  try {
    await page.goto(`${base}sharded/index.html`);
    await page.evaluate(
      async ({ q, options }) => {
        const api = await import(new URL('pkg/paper_search.js', location.href).href);
        await api.default();
        api.configure({ base: new URL('pkg/', location.href).href });
        await api.searchAsync(q, { limit: 10, ...options });
      },
      { q, options },
    );
    return parts;
  } finally {
    await context.close();
  }
}

async function requests(browser, base) {
  const picked = queries.filter((_, i) => i % Math.max(1, Math.floor(queries.length / requestQueries)) === 0).slice(0, requestQueries);
  const variants = { 'no facets': {}, 'year and type': { facets: ['year', 'type'] }, 'every group': { facets: true } };
  const totals = Object.fromEntries(Object.keys(variants).map((v) => [v, { files: 0, more: 0 }]));
  for (const { q } of picked) {
    const plain = await partsFetched(browser, base, q, {});
    for (const [name, options] of Object.entries(variants)) {
      const got = name === 'no facets' ? plain : await partsFetched(browser, base, q, options);
      totals[name].files += got.length;
      totals[name].more += got.length > plain.length ? 1 : 0;
    }
  }
  log(`  requests over ${picked.length} first searches: ${JSON.stringify(totals)}`);
  return { queries: picked.length, totals };
}

copyFileSync(join(BENCH, 'harness.mjs'), join(sites, 'harness.mjs'));
const ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
const node = await nodeLatency();
const { server, url } = await startServer(sites, 0, { headers: ISOLATED });
const browser = await launch();
let chromium;
let fetched;
try {
  log('Chromium: timing');
  chromium = await chromiumLatency(browser, url);
  log('Chromium: the sharded site, counting part files');
  fetched = await requests(browser, url);
} finally {
  await browser.close();
  server.closeAllConnections?.();
  await new Promise((done) => server.close(done));
}

const row = (name, r) =>
  `| ${name} | ${r.without.p50.toFixed(0)} / ${r.without.p95.toFixed(0)} | ${r.with.p50.toFixed(0)} / ${r.with.p95.toFixed(0)} | ×${(r.with.p50 / r.without.p50).toFixed(2)} / ×${(r.with.p95 / r.without.p95).toFixed(2)} |`;
const report = [
  '# Facet counts: what they cost',
  '',
  `\`./build.sh bench facets\`, ${new Date().toISOString().slice(0, 10)}. Latency: the first ${papers.toLocaleString('en-US')} papers of corpus-large (years and authors) built embedded, the ${queries.length} queries of \`bench/scale/queries-large.jsonl\`, limit 10, the harness of \`bench/harness.mjs\`; search without facets and with every group taking turns, ${rounds} rounds, the medians of the rounds' p50 and p95 (µs).`,
  '',
  '| runtime | without facets p50 / p95 | with facets p50 / p95 | ratio p50 / p95 |',
  '|---|---:|---:|---:|',
  row('Node', node),
  row('Chromium', chromium),
  '',
  `Requests: corpus-large (52,674 papers) built sharded; ${fetched.queries} queries of the mix, each the first search of a fresh page; the part files fetched in all, and how many searches fetched more than without facets.`,
  '',
  '| facets | part files | searches that fetched more |',
  '|---|---:|---:|',
  ...Object.entries(fetched.totals).map(([name, t]) => `| ${name} | ${t.files} | ${t.more} |`),
  '',
  'Counts against brute force (`examples/facets.rs`: every group\'s counts of each query, alone and with filters of the corpus\'s most common values, against a count paper by paper over the whole result set without that group\'s filter):',
  '',
  existsSync(join(sites, 'native.md')) ? readFileSync(join(sites, 'native.md'), 'utf8').trim() : '(not run)',
  '',
];
writeFileSync(join(BENCH, 'facets-results.md'), report.join('\n'));
console.log(report.join('\n'));
