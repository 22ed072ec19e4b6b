// Search at scale: paper-search beside Pagefind and MiniSearch on corpus-large (52,674 papers)
// and SciFact (5,183), each engine a static site served with brotli and searched in headless
// Chromium. `./build.sh bench scale` runs it.
//
//   node bench/scale.mjs [--quick] [--corpus large|scifact]... [--rebuild [IDS]] [--paper-search BUILDS]
//     --quick          fewer queries (3 cold, a third of the warm mix, 5 typed, 300 for memory),
//                      SciFact only unless --corpus says otherwise (for iterating)
//     --corpus NAME    only this corpus (repeatable; default: both)
//     --rebuild [IDS]  build every site again, even one built under the same key; or only the
//                      sites of these engines (comma-separated: paper-search-embedded,
//                      paper-search-sharded, pagefind, minisearch)
//     --paper-search   which builds of paper-search to measure, comma-separated: `embedded` (the
//                      corpus compiled into the wasm, SHARDS=off; SciFact only) and/or `sharded`
//                      (the engine plus part files fetched on demand, SHARDS=on; both corpora).
//                      Default: embedded,sharded
//   node bench/scale.mjs --report   only write the report again from bench/work/scale/results.json
//
// Sites are built into bench/work/scale/<corpus>/<engine>/ and kept (keyed by the corpus's hash,
// the engine's version and the code that builds it), so a second run skips building them.
// Progress goes to stderr; the report (markdown) to stdout and to bench/scale-results.md, the
// raw numbers to bench/work/scale/results.json. What each measure is: bench/scale/browser.mjs.
import { readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus } from 'node:os';
import { join, relative } from 'node:path';
import { BENCH, REPO, WORK, ensureDir } from './paths.mjs';
import { CORPORA, corpusAvailable, corpusHash, readPapers } from './scale/corpora.mjs';
import { queriesFor, queryFiles } from './scale/queries.mjs';
import { diskUsage, engines, site } from './scale/sites.mjs';
import { serve } from './scale/server.mjs';
import { KINDS, chromiumVersion, coldSearch, memoryRun, typingSession, warmQueries } from './scale/browser.mjs';
import { render } from './scale/report.mjs';

const started = performance.now();
const SCALE = ensureDir(join(WORK, 'scale'));
const RESULTS = join(SCALE, 'results.json');
const REPORT = join(BENCH, 'scale-results.md');

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const values = (name) => argv.flatMap((a, i) => (a === name ? [argv[i + 1]] : []));

if (flag('--report')) {
  const report = render(JSON.parse(readFileSync(RESULTS, 'utf8')));
  writeFileSync(REPORT, report);
  process.stdout.write(report);
  process.exit(0);
}

const quick = flag('--quick');
// --rebuild alone: every engine; followed by ids: those.
const rebuildArg = argv[argv.indexOf('--rebuild') + 1];
const rebuild = !flag('--rebuild') ? new Set() : rebuildArg && !rebuildArg.startsWith('--') ? new Set(rebuildArg.split(',')) : null;
const rebuilds = (id) => rebuild === null || rebuild.has(id);
const ENGINES = engines((values('--paper-search')[0] ?? 'embedded,sharded').split(','));
let wanted = values('--corpus');
if (wanted.length === 0) wanted = quick ? ['scifact'] : ['large', 'scifact'];
for (const c of wanted) if (!CORPORA[c]) throw new Error(`unknown corpus '${c}' (large, scifact)`);

const log = (msg) => process.stderr.write(`[scale ${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s] ${msg}\n`);
const notes = [];

// A throttled run longer than this, for an engine whose cold downloads do not depend on the
// query, ends that engine's throttled runs after THROTTLED_MIN_RUNS.
const THROTTLED_SLOW_MS = 20000;
const THROTTLED_MIN_RUNS = 3;
const COLD_TIMEOUT = 300000;
const THROTTLED_TIMEOUT = 900000;

const fmtBytes = (b) => (b >= 1048576 ? `${(b / 1048576).toFixed(1)} MB` : `${(b / 1024).toFixed(1)} KB`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function attempt(e, what, fn) {
  try {
    return await fn();
  } catch (err) {
    const msg = `${what} failed: ${String(err?.message ?? err).split('\n')[0]}`;
    log(`  ${e.name}: ${msg}`);
    e.errors.push(msg);
    return null;
  }
}

async function benchCorpus(corpus) {
  const work = ensureDir(join(SCALE, corpus));
  const papers = readPapers(corpus).length;
  const q = queriesFor(corpus, { quick });
  const out = {
    title: CORPORA[corpus].title,
    papers,
    hash: corpusHash(corpus),
    queries: {
      cold: q.cold,
      warm: q.warm.length,
      warmFile: relative(REPO, queryFiles(corpus).warm),
      typing: q.typing,
      keystrokes: q.typing.reduce((n, s) => n + [...s].length, 0),
      memory: q.memory.length,
    },
    skipped: {},
    engines: {},
  };

  // Sites (built, or found built) and their servers.
  const live = [];
  for (const engine of ENGINES) {
    const why = engine.skip(corpus);
    if (why) {
      out.skipped[engine.name] = why;
      log(`${corpus}: ${engine.name} skipped: ${why}`);
      continue;
    }
    const e = { name: engine.name, kind: engine.kind, version: engine.version(), describe: engine.describe(), errors: [] };
    const t0 = performance.now();
    const built = await attempt(e, 'build', () => site(engine, corpus, work, { rebuild: rebuilds(engine.id), log }));
    if (!built) {
      out.engines[engine.id] = e;
      continue;
    }
    e.build = built.build;
    e.cached = built.cached;
    e.disk = diskUsage(built.dir);
    log(
      `${corpus}: ${engine.name} site ${built.cached ? 'already built' : `built in ${((performance.now() - t0) / 1000).toFixed(1)} s`}` +
        ` (build ${e.build.seconds.toFixed(1)} s, peak ${fmtBytes(e.build.peakTreeKB * 1024)}); ${e.disk.files} files, ${fmtBytes(e.disk.bytes)}`,
    );
    const server = await serve(built.dir, { cacheDir: join(SCALE, 'br'), log: (m) => log(`${corpus}: ${engine.name}: ${m}`) });
    e.wireBytes = server.wireBytes();
    out.engines[engine.id] = e;
    live.push({ engine, e, server });
  }

  try {
    // Cold first searches, round-robin over the engines so that a busy moment of the machine
    // falls on all of them alike.
    // An engine whose first two cold runs both fail is not measured further on this corpus.
    const broken = (e) => e.cold.runs.length >= 2 && e.cold.runs.every((r) => r.error);
    for (const { e } of live) e.cold = { runs: [] };
    for (const [i, query] of q.cold.entries()) {
      for (const { engine, e, server } of live) {
        if (broken(e)) continue;
        const r = await attempt(e, `cold search \`${query}\``, () => coldSearch(server.url, engine.kind, query, { timeout: COLD_TIMEOUT }));
        e.cold.runs.push(r ? { q: query, ...r } : { q: query, error: true });
        if (r) log(`${corpus}: cold ${i + 1}/${q.cold.length} ${engine.name}: ${fmtBytes(r.bytes)}, ${r.requests} requests, ${r.shown} shown, ${r.ms.toFixed(0)} ms`);
      }
    }

    for (const { e } of live) if (broken(e)) e.errors.push('its first two cold runs failed: no further measures on this corpus');
    const working = live.filter(({ e }) => !broken(e));

    // Throttled, engine by engine.
    for (const { engine, e, server } of working) {
      e.throttled = { runs: [] };
      const sizes = e.cold.runs.filter((r) => !r.error).map((r) => r.bytes);
      const fixedDownload = sizes.length > 1 && (Math.max(...sizes) - Math.min(...sizes)) / median(sizes) < 0.02;
      for (const [i, query] of q.cold.entries()) {
        const r = await attempt(e, `throttled search \`${query}\``, () =>
          coldSearch(server.url, engine.kind, query, { throttle: true, timeout: THROTTLED_TIMEOUT }),
        );
        e.throttled.runs.push(r ? { q: query, ...r } : { q: query, error: true });
        if (r) log(`${corpus}: throttled ${i + 1}/${q.cold.length} ${engine.name}: ${(r.ms / 1000).toFixed(2)} s, ${fmtBytes(r.bytes)}`);
        const done = e.throttled.runs.filter((x) => !x.error);
        if (fixedDownload && done.length >= THROTTLED_MIN_RUNS && median(done.map((x) => x.ms)) > THROTTLED_SLOW_MS && i + 1 < q.cold.length) {
          e.throttled.stoppedEarly = `its cold downloads are the same for every query (within 2%) and a throttled run takes over ${THROTTLED_SLOW_MS / 1000} s`;
          break;
        }
      }
    }

    // Warm latency, typing and memory, engine by engine.
    const warm = q.warm.map((x) => x.q);
    const warmup = q.memory.slice(-3);
    for (const { engine, e, server } of working) {
      log(`${corpus}: warm queries, ${engine.name} (${warm.length} queries, twice)`);
      e.warm = await attempt(e, 'warm queries', () => warmQueries(server.url, engine.kind, warm, warmup));
      log(`${corpus}: typing, ${engine.name} (${q.typing.length} queries)`);
      e.typing = await attempt(e, 'typing', () => typingSession(server.url, engine.kind, q.typing));
      log(`${corpus}: memory, ${engine.name} (${q.memory.length} queries)`);
      e.memory = await attempt(e, 'memory', () => memoryRun(server.url, engine.kind, q.memory));
    }
  } finally {
    for (const { server } of live) await server.close();
  }
  return out;
}

const chromium = await chromiumVersion();
const results = {
  date: new Date().toISOString().slice(0, 10),
  args: argv,
  quick,
  machine: `${cpus().length}-core ${arch() === 'x64' ? 'x86_64' : arch()}, Node ${process.versions.node}`,
  chromium,
  notes,
  corpora: {},
  engines: {},
  kinds: KINDS,
};
for (const corpus of wanted) {
  if (!corpusAvailable(corpus)) {
    notes.push(`${CORPORA[corpus].title} was skipped: the file is missing.`);
    log(`${corpus}: skipped, ${CORPORA[corpus].path} is missing`);
    continue;
  }
  log(`${corpus}: ${CORPORA[corpus].title}`);
  results.corpora[corpus] = await benchCorpus(corpus);
  for (const [id, e] of Object.entries(results.corpora[corpus].engines)) results.engines[id] ??= { name: e.name, version: e.version, describe: e.describe };
  results.seconds = (performance.now() - started) / 1000;
  writeFileSync(RESULTS, JSON.stringify(results, null, 1));
}
results.seconds = (performance.now() - started) / 1000;
writeFileSync(RESULTS, JSON.stringify(results, null, 1));
const report = render(results);
writeFileSync(REPORT, report);
process.stdout.write(report);
log(`done in ${(results.seconds / 60).toFixed(1)} min; report in ${relative(REPO, REPORT)}, raw numbers in ${relative(REPO, RESULTS)}`);
