// The benchmark: paper-search beside MiniSearch, FlexSearch, Lunr and Orama, on the default
// corpus and on SciFact, in one run. `./build.sh bench` runs it (after `npm ci --prefix bench`
// when bench/node_modules is missing).
//
//   node bench/run.mjs [--quick] [--corpus default|scifact]... [--memory-queries N] [--memory-seconds S]
//     --quick             no cold build, 10,000 queries for the memory run (for iterating)
//     --corpus NAME       only this corpus (repeatable; default: both)
//     --memory-queries N  searches in the memory run (default 100,000)
//     --memory-seconds S  time limit of the memory run, per corpus (default 60; 0: none)
// The cold build (from an empty target folder) is measured on the default corpus only: the
// dependencies it compiles are the same for every corpus.
//   BENCH_REV=<commit>    measure that commit instead of the working tree
//   node bench/run.mjs --report   only write the report again from bench/work/results.json
//
// Progress goes to stderr; the report (markdown) to stdout and to bench/results.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, arch } from 'node:os';
import { join } from 'node:path';
import { readTextCorpus, scifactToText } from './corpus.mjs';
import { BENCH, REPO, SCIFACT_JSONL, WORK, ensureDir } from './paths.mjs';
import { buildPaperSearch, describeSource, snapshot } from './build-paper-search.mjs';
import { buildPeerSites, compressedSizes, pageBytes, BROTLI_Q11_MAX_BYTES } from './site.mjs';
import { loadBuilt, setup as paperSearchSetup } from './engines/paper-search.mjs';
import { chromiumRuns } from './browser.mjs';
import { queryFile } from './make-queries.mjs';
import { ENGINES, NAMES, render } from './report.mjs';

const started = performance.now();
const argv = process.argv.slice(2);
if (argv.includes('--report')) {
  const report = render(JSON.parse(readFileSync(join(WORK, 'results.json'), 'utf8')));
  writeFileSync(join(BENCH, 'results.md'), report);
  process.stdout.write(report);
  process.exit(0);
}
const flag = (name) => argv.includes(name);
const values = (name) => argv.flatMap((a, i) => (a === name ? [argv[i + 1]] : []));
const quick = flag('--quick');
const memoryQueries = Number(values('--memory-queries')[0] ?? (quick ? 10000 : 100000));
const memorySeconds = Number(values('--memory-seconds')[0] ?? 60) || Infinity;
const rev = process.env.BENCH_REV || null;
const LOAD_RUNS = { default: 9, scifact: 5 };

const log = (msg) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);

const CORPORA = {
  default: { title: 'Default corpus (data/papers.txt)' },
  scifact: { title: 'SciFact (BEIR corpus.jsonl from ../shared/scifact)' },
};
let wanted = values('--corpus');
if (wanted.length === 0) wanted = Object.keys(CORPORA);
for (const c of wanted) if (!CORPORA[c]) throw new Error(`unknown corpus '${c}' (default, scifact)`);
const notes = [];
if (wanted.includes('scifact') && !existsSync(SCIFACT_JSONL)) {
  notes.push('SciFact was skipped: ../shared/scifact/corpus.jsonl is missing.');
  wanted = wanted.filter((c) => c !== 'scifact');
}

function runChild(args) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--expose-gc', join(BENCH, 'node-engine.mjs'), JSON.stringify(args)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? done(JSON.parse(out)) : fail(new Error(`${args.engine} (${args.mode}) exited with ${code}`))));
  });
}

function version(cmd) {
  const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8' });
  return (r.stdout || '').trim().split('\n')[0];
}

function machine(chromium) {
  const release = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  const id = /^NAME="?([^"\n]+?)(?: GNU\/Linux)?"?$/m.exec(release)?.[1] ?? 'Linux';
  const v = /^VERSION_ID="?([^"\n]+)"?$/m.exec(release)?.[1] ?? '';
  return `${cpus().length}-core ${arch() === 'x64' ? 'x86_64' : arch()}, ${id} ${v}, Node ${process.versions.node}, Chromium ${chromium ?? '(not run)'}`;
}

// Whether the commit's corpus reader knows BEIR's JSON Lines: src/corpus.rs in older commits,
// the files of src/corpus/ since it became a folder.
function readsBeir(tree) {
  const single = join(tree, 'src', 'corpus.rs');
  if (existsSync(single)) return readFileSync(single, 'utf8').includes('BEIR');
  const dir = join(tree, 'src', 'corpus');
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true })
    .filter((f) => String(f).endsWith('.rs'))
    .some((f) => readFileSync(join(dir, String(f)), 'utf8').includes('BEIR'));
}

async function benchCorpus(corpus, tree) {
  const work = ensureDir(join(WORK, corpus));
  const site = join(work, 'site');
  rmSync(site, { recursive: true, force: true });
  // The corpus file ./build.sh embeds (null: its default). SciFact's BEIR corpus.jsonl is read
  // directly by a crate that knows JSON Lines, else converted to the text format first.
  let papersPath = null;
  let expected = readTextCorpus(join(tree, 'data', 'papers.txt')).length;
  if (corpus === 'scifact') {
    const records = readFileSync(SCIFACT_JSONL, 'utf8').split('\n').filter((l) => l.trim()).length;
    if (readsBeir(tree)) {
      papersPath = SCIFACT_JSONL;
      expected = records;
      notes.push(`SciFact: ../shared/scifact/corpus.jsonl (${records} records) embedded as it is (BEIR JSON Lines).`);
    } else {
      papersPath = join(work, 'papers.txt');
      const n = scifactToText(SCIFACT_JSONL, papersPath);
      expected = readTextCorpus(papersPath).length;
      const fixed = n.skippedEmptyText.length + n.titledFromText.length;
      notes.push(
        `SciFact: ${n.records} records converted to the text format (one line title, one line text), as this commit reads no JSON Lines` +
          (fixed ? `; ${n.skippedEmptyText.length} skipped for an empty text, ${n.titledFromText.length} titled from their text.` : '; none had an empty title or text.'),
      );
    }
  }

  const cold = !quick && corpus === 'default';
  log(`${corpus}: building paper-search with ./build.sh (${cold ? 'cold, then warm' : 'warm'})`);
  const build = buildPaperSearch({ tree, papers: papersPath, siteDir: join(site, 'paper-search'), logs: work, cold, label: corpus });
  log(`${corpus}: build cold ${build.coldSeconds?.toFixed(1) ?? '—'} s, warm ${build.warmSeconds.toFixed(1)} s`);

  // The peers index exactly the papers the module embeds.
  const ps = await loadBuilt(join(site, 'paper-search', 'pkg'));
  const count = ps.api.stats().papers;
  const papers = [...Array(count)].map((_, id) => {
    const p = ps.api.paper(id);
    return { title: p.title, abstract: p.abstract };
  });
  if (expected !== count) throw new Error(`${corpus}: the module embeds ${count} papers, the corpus file has ${expected}`);

  log(`${corpus}: indexing ${count} papers with each peer and bundling their pages`);
  const peersBuild = await buildPeerSites(site, papers, join(tree, 'www'));

  const queriesPath = queryFile(corpus);
  const queries = readFileSync(queriesPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const byKind = {};
  for (const q of queries) byKind[q.kind] = (byKind[q.kind] ?? 0) + 1;
  const loadQuery = queries.find((q) => q.kind === 'word').q;

  const node = {};
  for (const id of ENGINES) {
    log(`${corpus}: Node latency, ${NAMES[id]}`);
    node[id] = await runChild({ mode: 'latency', engine: id, site, queries: queriesPath });
  }
  log(`${corpus}: Chromium`);
  const chromium = await chromiumRuns({ site, engines: ENGINES, queries, loadQuery, loadRuns: LOAD_RUNS[corpus], log });

  // The bytes of what each page downloaded, beside the corpus text alone.
  const floorText = Buffer.from(papers.map((p) => `${p.title}\n${p.abstract}`).join('\n'));
  let rawTotal = floorText.length;
  for (const id of ENGINES) for (const f of chromium.engines[id].load.files) rawTotal += statSync(join(site, id, f)).size;
  const brotliQuality = rawTotal > BROTLI_Q11_MAX_BYTES ? 9 : 11;
  log(`${corpus}: compressing ${(rawTotal / 1048576).toFixed(0)} MB of page files (brotli quality ${brotliQuality})`);
  const [floor, ...perEngine] = await Promise.all([
    compressedSizes(floorText, brotliQuality),
    ...ENGINES.map((id) => pageBytes(site, id, chromium.engines[id].load.files, brotliQuality)),
  ]);
  const bytes = Object.fromEntries(ENGINES.map((id, i) => [id, perEngine[i]]));

  return {
    corpus,
    title: CORPORA[corpus].title,
    papers: count,
    queries: { count: queries.length, byKind, file: `bench/queries-${corpus}.jsonl` },
    loadQuery,
    build,
    peersBuild,
    bytes,
    floor,
    brotliQuality,
    node,
    chromium,
    site,
  };
}

// One run at a time: a second one would re-lay the snapshot and the sites under the first.
const LOCK = join(ensureDir(WORK), 'run.lock');
try {
  writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
} catch {
  const owner = Number(readFileSync(LOCK, 'utf8'));
  let alive = false;
  try {
    process.kill(owner, 0);
    alive = owner !== process.pid;
  } catch {}
  if (alive) {
    console.error(`bench: another run (process ${owner}) is using bench/work/; wait for it to finish`);
    process.exit(1);
  }
  writeFileSync(LOCK, String(process.pid));
}
process.on('exit', () => {
  if (existsSync(LOCK) && readFileSync(LOCK, 'utf8') === String(process.pid)) rmSync(LOCK);
});

const source = describeSource(rev);
const tree = join(WORK, 'tree');
log(`snapshot of ${rev ? `commit ${source.commit}` : `the working tree (${source.commit}${source.dirty ? ' + changes' : ''})`}`);
snapshot(tree, rev);

const results = [];
for (const corpus of wanted) results.push(await benchCorpus(corpus, tree));

log(`memory: ${memoryQueries.toLocaleString('en')} paper-search queries per corpus, corpora in parallel (time limit ${memorySeconds} s)`);
const memory = await Promise.all(
  results.map((r) =>
    runChild({ mode: 'memory', engine: 'paper-search', site: r.site, queries: queryFile(r.corpus), count: memoryQueries, seconds: memorySeconds }),
  ),
);
results.forEach((r, i) => (r.memory = { 'paper-search': memory[i].memory }));

const pkgVersion = (name) => JSON.parse(readFileSync(join(BENCH, 'node_modules', name, 'package.json'), 'utf8')).version;
const engineVersions = { minisearch: pkgVersion('minisearch'), flexsearch: pkgVersion('flexsearch'), lunr: pkgVersion('lunr'), orama: pkgVersion('@orama/orama') };
const chromium = results[0]?.chromium.chromium;
const meta = {
  date: new Date().toISOString().slice(0, 10),
  machine: machine(chromium),
  source,
  seconds: (performance.now() - started) / 1000,
  versions: [version('rustc --version'), version('wasm-bindgen --version'), version(`'${REPO}/node_modules/.bin/wasm-opt' --version`), `esbuild ${pkgVersion('esbuild')}`].join(', '),
  engineVersions,
};
const setups = { 'paper-search': paperSearchSetup };
for (const id of ENGINES.slice(1)) setups[id] = results[0]?.peersBuild[id].setup;

const report = render({ meta, results, notes, setups, quick });
writeFileSync(join(BENCH, 'results.md'), report);
writeFileSync(join(WORK, 'results.json'), JSON.stringify({ meta, results, notes, setups, quick }, null, 1));
process.stdout.write(report);
log(`done in ${(meta.seconds / 60).toFixed(1)} min; bench/results.md written`);
