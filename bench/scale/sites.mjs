// The engines of the scale benchmark and the static site each gets per corpus, in
// bench/work/scale/<corpus>/<engine>/. An engine is one entry of engines():
//   id, name          as in the tables
//   kind              'peer' (the page of pages/page.mjs) or 'paper-search' (the project's
//                     own demo page); browser.mjs knows each kind's signals
//   version()         part of the cache key of its built sites
//   skip(corpus)      null, or why the engine is not measured on this corpus
//   build(corpus, dir, log) writes the site into `dir`; returns { seconds, peakTreeKB, ... }
//                     with the build's wall time and the peak memory of its process tree
// A built site is kept with the key it was built under (.build.json: corpus hash, engine
// version, a hash of the code that builds it) and built again only when the key changes or on
// --rebuild.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { BENCH, REPO, ensureDir } from '../paths.mjs';
import { CORPORA, corpusHash } from './corpora.mjs';
import { sampleTree } from './proc.mjs';
import { css, html } from './pages/page.mjs';
import { snapshot } from '../build-paper-search.mjs';
import { copySite } from '../../scripts/site.mjs';

const HERE = join(BENCH, 'scale');

// How paper-search is built: 'embedded' (the corpus compiled into the wasm, `SHARDS=off`) or
// 'sharded' (the engine in the wasm, the index in part files fetched on demand, `SHARDS=on`).
export const PAPER_SEARCH_BUILDS = ['embedded', 'sharded'];

const sha = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 16);
};
const fileHash = (...files) => sha(...files.map((f) => readFileSync(join(HERE, f))));
const packageVersion = (name) => JSON.parse(readFileSync(join(BENCH, 'node_modules', name, 'package.json'), 'utf8')).version;

// Runs a command, sampling the memory of its process tree every 100 ms; its stderr goes to
// `log`. Resolves to { stdout, wallSeconds, peakTreeKB, processes }.
export function runMeasured(cmd, args, { cwd = REPO, env = process.env, log }) {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const t0 = performance.now();
    const sampler = sampleTree(child.pid);
    const err = createWriteStream(log);
    child.stderr.pipe(err);
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', fail);
    child.on('exit', (code) => {
      const wallSeconds = (performance.now() - t0) / 1000;
      const { peakTreeKB, processes } = sampler.stop();
      err.end();
      if (code !== 0) fail(new Error(`${cmd} ${args.join(' ')} exited with ${code}; its log: ${log}`));
      else done({ stdout, wallSeconds, peakTreeKB, processes: Object.values(processes) });
    });
  });
}

async function bundle(entry, outfile, external = []) {
  await esbuild.build({
    entryPoints: [join(HERE, 'pages', entry)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external,
    outfile,
    logLevel: 'error',
  });
}

function writePage(dir, name) {
  writeFileSync(join(dir, 'index.html'), html(name));
  writeFileSync(join(dir, 'style.css'), css);
}

async function buildPeer(script, corpus, dir, log) {
  const r = await runMeasured(process.execPath, [join(HERE, script), corpus, dir], { cwd: BENCH, log });
  const inner = JSON.parse(r.stdout);
  return { ...inner, seconds: inner.seconds, wallSeconds: r.wallSeconds, peakTreeKB: r.peakTreeKB, processes: r.processes };
}

// paper-search's site: `./build.sh` with PAPERS, SHARDS (on for the sharded build, off for the
// embedded one: without it, ./build.sh chooses by the corpus's size) and OUT inside `outDir`,
// and the demo page's files from www/ beside the module. The demo page lists 20 results; the
// copy lists 10, as the peers' pages do.
//
// The build runs in a snapshot of the working tree (bench/work/scale/tree, laid out as the main
// benchmark does: tracked and untracked files outside bench/, its own target/ kept from run to
// run), not in the repository itself: ./build.sh there reads sources that may be edited while
// it runs (an indexer and a module compiled from different states, a build.sh changed
// half-read) and rewrites target/paper-search-index, which the repository's own builds use. The
// build before it, of the same kind on the default corpus and untimed, compiles what does not
// depend on the corpus (the first time, the dependencies; for a sharded or embedded build of a
// corpus file, the engine without an index, as Pagefind's binary comes prebuilt), so that the
// timed build is a warm one. A build that fails while the sources change is done again from a
// new snapshot (up to three times).
// Returns the build's time and peak memory, and whether it is sharded (a pkg/index-<build>/
// folder of parts beside the module).
export const PAPER_SEARCH_TREE = join(BENCH, 'work', 'scale', 'tree');
export async function buildPaperSearchSite(corpusPath, outDir, log, { sharded = false } = {}) {
  const env = { ...process.env, PAPERS: corpusPath, OUT: join(outDir, 'pkg'), SHARDS: sharded ? 'on' : 'off' };
  delete env.CARGO_TARGET_DIR;
  const tree = PAPER_SEARCH_TREE;
  let r;
  for (let attempt = 1; ; attempt++) {
    const before = treeHash();
    snapshot(tree);
    let failure = null;
    try {
      const warmEnv = { ...env, OUT: join(outDir, 'warm-up-pkg') };
      delete warmEnv.PAPERS;
      await runMeasured('./build.sh', [], { cwd: tree, env: warmEnv, log: log.replace(/\.log$/, '-warm-up.log') });
      rmSync(warmEnv.OUT, { recursive: true, force: true });
      r = await runMeasured('./build.sh', [], { cwd: tree, env, log });
    } catch (err) {
      failure = err;
    }
    if (!failure) break;
    if (treeHash() === before) throw failure;
    if (attempt === 3) throw new Error(`paper-search's build failed three times while its sources changed (log: ${log})`);
  }
  copySite(join(tree, 'www'), outDir);
  const page = join(outDir, 'index.html');
  writeFileSync(page, readFileSync(page, 'utf8').replace(/(<paper-search\b[^>]*\blimit=")\d+"/, '$110"'));
  const parts = readdirSync(join(outDir, 'pkg')).filter((f) => f.startsWith('index-'));
  if (sharded !== parts.length > 0) {
    throw new Error(`asked for ${sharded ? 'a sharded' : 'an embedded'} build, ./build.sh wrote ${parts.length ? 'a sharded' : 'an embedded'} one (log: ${log})`);
  }
  return { seconds: r.wallSeconds, wallSeconds: r.wallSeconds, peakTreeKB: r.peakTreeKB, processes: r.processes, sharded };
}

// The state of what ./build.sh builds from, by content: the crate (src/, build.rs, Cargo.toml,
// Cargo.lock, .cargo/), the build script and the scripts it runs, the default corpus and the
// page (www/), tracked or untracked, not ignored.
const BUILD_INPUTS = ['src/', 'build.rs', 'build.sh', 'Cargo.toml', 'Cargo.lock', '.cargo/', 'scripts/', 'data/', 'www/'];
function treeHash() {
  const files = spawnSync('git', ['-C', REPO, 'ls-files', '-z', '-co', '--exclude-standard', '--', ...BUILD_INPUTS], { encoding: 'utf8' })
    .stdout.split('\0')
    .filter((f) => f && existsSync(join(REPO, f)))
    .sort();
  return sha(...files.flatMap((f) => [f, readFileSync(join(REPO, f))]));
}

function gitDescribe() {
  const head = spawnSync('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['-C', REPO, 'status', '--porcelain', '--', '.', ':!bench'], { encoding: 'utf8' }).stdout.trim() !== '';
  return `${head}${dirty ? '+changes' : ''}`;
}

// paper-search, built one way: its id is paper-search-<build>.
function paperSearch(build) {
  const sharded = build === 'sharded';
  return {
    id: `paper-search-${build}`,
    name: `paper-search (${build})`,
    kind: 'paper-search',
    version: () => `${gitDescribe()} (tree ${treeHash()})`,
    describe: () =>
      sharded
        ? 'the demo page (www/) and `PAPERS=… SHARDS=on ./build.sh`: the engine in the wasm, the index in part files (pkg/index-<build>/) fetched on demand'
        : 'the demo page (www/) and `PAPERS=… SHARDS=off ./build.sh`: the corpus and its index compiled into the wasm',
    skip: (corpus) =>
      corpus === 'large' && !sharded
        ? 'the embedded build of corpus-large would be a wasm of about 30 MB; the sharded build is the one for a corpus this size (--paper-search sharded)'
        : null,
    build: (corpus, dir, log) => buildPaperSearchSite(CORPORA[corpus].path, dir, log, { sharded }),
  };
}

// The engines of a run: paper-search built each of `builds` ways, then the peers.
export function engines(builds = ['embedded']) {
  for (const b of builds) if (!PAPER_SEARCH_BUILDS.includes(b)) throw new Error(`unknown paper-search build '${b}' (${PAPER_SEARCH_BUILDS.join(', ')})`);
  return [...builds.map(paperSearch), ...PEERS];
}

const PEERS = [
  {
    id: 'pagefind',
    name: 'Pagefind',
    kind: 'peer',
    version: () => `${packageVersion('pagefind')} (${fileHash('build-pagefind.mjs', 'corpora.mjs', 'pages/page.mjs', 'pages/pagefind-app.mjs')})`,
    describe: () =>
      `pagefind ${packageVersion('pagefind')}: Node API, one addCustomRecord per paper (content = title + abstract, meta.title), writeFiles; the page uses pagefind.js (search, then data() of the first ten)`,
    skip: () => null,
    async build(corpus, dir, log) {
      const b = await buildPeer('build-pagefind.mjs', corpus, dir, log);
      writePage(dir, 'Pagefind');
      await bundle('pagefind-app.mjs', join(dir, 'app.js'), ['./pagefind/pagefind.js']);
      return b;
    },
  },
  {
    id: 'minisearch',
    name: 'MiniSearch',
    kind: 'peer',
    version: () =>
      `${packageVersion('minisearch')} (${fileHash('build-minisearch.mjs', 'corpora.mjs', 'pages/page.mjs', 'pages/minisearch-app.mjs', 'pages/minisearch-options.mjs')})`,
    describe: () =>
      `minisearch ${packageVersion('minisearch')}: fields title and abstract, boost title ×2, prefix, fuzzy 0.2; index.json = JSON.stringify(index), read with MiniSearch.loadJSON; docs.json = each paper's title and the first 240 characters of its abstract`,
    skip: () => null,
    async build(corpus, dir, log) {
      const b = await buildPeer('build-minisearch.mjs', corpus, dir, log);
      writePage(dir, 'MiniSearch');
      await bundle('minisearch-app.mjs', join(dir, 'app.js'));
      return b;
    },
  },
];

// Files and bytes of a site on disk (the build's marker file left out).
export function diskUsage(dir) {
  let files = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== '.build.json') {
        files++;
        bytes += statSync(p).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

// The site of `engine` for `corpus`: built (into a temporary folder, moved into place when it
// is complete) unless a site built under the same key is there. Returns { dir, key, build,
// cached }.
export async function site(engine, corpus, work, { rebuild = false, log = () => {} } = {}) {
  const dir = join(work, engine.id);
  const marker = join(dir, '.build.json');
  const key = `${corpusHash(corpus)} ${engine.id} ${engine.version()}`;
  if (!rebuild && existsSync(marker)) {
    const old = JSON.parse(readFileSync(marker, 'utf8'));
    if (old.key === key) return { dir, key, build: old.build, cached: true };
  }
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  ensureDir(tmp);
  log(`${corpus}: building the ${engine.name} site`);
  const build = await engine.build(corpus, tmp, join(work, `build-${engine.id}.log`));
  writeFileSync(join(tmp, '.build.json'), JSON.stringify({ key, build, builtAt: new Date().toISOString() }, null, 1));
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return { dir, key, build, cached: false };
}
