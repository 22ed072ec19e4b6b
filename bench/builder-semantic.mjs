// `npx paper-search build --semantic` beside the native build with meaning, on SciFact (5,183
// papers): how long each takes to embed and index the corpus with no embedding cache, and whether
// the builder's vectors (its encoder is the page's module, wasm, on worker threads) search as the
// native ones do. `./build.sh bench builder semantic` builds the packages and tools first.
//
//   node bench/builder-semantic.mjs [--runs N]   runs of each, taking turns (default 1: a run of
//                                                 the builder takes about ten minutes here)
//
// Native: `paper-search-semantic embed MODEL CORPUS VECTORS --no-cache` then `paper-search-index
// CORPUS OUT --vectors VECTORS`, what `SEMANTIC=on PAPERS=CORPUS ./build.sh` runs for a corpus
// (its encoder on every core). Builder: `buildSite({ semantic: true, cache: null })` of the packed
// packages (paper-search and paper-search-model) installed in an empty project, in a Node process
// of its own, as `npx paper-search build CORPUS --out OUT --semantic --no-cache` runs it, writing
// the vectors it indexed. The two vectors files are then compared by `eval semantic compare` (every
// SciFact test query searched with meaning with each). Report: stdout and
// bench/builder-semantic-results.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { BENCH, REPO, SCIFACT_JSONL, WORK, ensureDir } from './paths.mjs';
import { measure } from './scale/proc.mjs';

const argv = process.argv.slice(2);
const RUNS = Number(argv[argv.indexOf('--runs') + 1]) || 1;
const HERE = ensureDir(join(WORK, 'builder-semantic'));
const MODEL = join(REPO, 'target', 'model', 'paper-search-model.bin');
const TOOLS = { embed: join(REPO, 'target', 'release', 'paper-search-semantic'), index: join(REPO, 'target', 'release', 'paper-search-index') };
const log = (line) => process.stderr.write(`${line}\n`);

for (const path of [join(REPO, 'dist', 'npm', 'builder', 'model.json'), join(REPO, 'dist', 'npm-model', 'package.json'), MODEL, ...Object.values(TOOLS)]) {
  if (!existsSync(path)) throw new Error(`${path} is missing; ./build.sh bench builder semantic builds it`);
}

// Both packages as a site owner gets them: packed, and installed into an empty project.
function install() {
  const app = join(HERE, 'app');
  rmSync(app, { recursive: true, force: true });
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{ "name": "bench-site", "private": true }\n');
  const tarballs = ['npm', 'npm-model'].map((dir) => {
    const packed = JSON.parse(spawnSync('npm', ['pack', join(REPO, 'dist', dir), '--json', '--pack-destination', HERE, '--loglevel=error'], { encoding: 'utf8' }).stdout)[0];
    return join(HERE, packed.filename);
  });
  const r = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], { cwd: app, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm install failed: ${r.stderr}`);
  return app;
}

// The builder's run: a Node process that builds the site and keeps the vectors it indexed.
const DRIVER = `
import { writeFileSync } from 'node:fs';
import { buildSite } from 'paper-search/builder';
const [corpus, out, vectors] = process.argv.slice(2);
const built = await buildSite({ corpus, out, semantic: true, cache: null, progress: false });
writeFileSync(vectors, built.vectors);
`;

const app = install();
// In the project, so that it imports the package installed there.
const driver = join(app, 'build-with-meaning.mjs');
writeFileSync(driver, DRIVER);
const native = [];
const builder = [];
const nativeVectors = join(HERE, 'native.vec');
const builderVectors = join(HERE, 'builder.vec');
for (let i = 0; i < RUNS; i++) {
  log(`run ${i + 1} of ${RUNS}: native`);
  const out = join(HERE, 'native-out');
  rmSync(out, { recursive: true, force: true });
  const embed = await measure(TOOLS.embed, ['embed', MODEL, SCIFACT_JSONL, nativeVectors, '--no-cache']);
  const index = await measure(TOOLS.index, [SCIFACT_JSONL, out, '--vectors', nativeVectors]);
  native.push({ seconds: embed.seconds + index.seconds, embed: embed.seconds, peakMB: Math.max(embed.peakMB, index.peakMB) });
  log(`run ${i + 1} of ${RUNS}: builder`);
  const site = join(HERE, 'builder-out');
  rmSync(site, { recursive: true, force: true });
  const b = await measure(process.execPath, [driver, SCIFACT_JSONL, site, builderVectors], { cwd: app });
  const own = /(\d+) papers embedded in ([\d.]+) s/.exec(b.stderr);
  builder.push({ seconds: b.seconds, embed: Number(own?.[2]), peakMB: b.peakMB });
}

log('comparing the vectors: every SciFact test query searched with meaning with each');
const compared = spawnSync('cargo', ['run', '--quiet', '--release', '--features', 'semantic', '--example', 'eval', '--', 'semantic', 'compare', nativeVectors, builderVectors], {
  cwd: REPO, encoding: 'utf8', env: { ...process.env, PAPER_SEARCH_MODEL: MODEL, PAPER_SEARCH_INDEX: 'none' }, maxBuffer: 1 << 24,
});
if (compared.status !== 0) throw new Error(`eval semantic compare failed:\n${compared.stderr}`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const row = (name, runs) => [name, median(runs.map((r) => r.seconds)).toFixed(1), median(runs.map((r) => r.embed)).toFixed(1), (5183 / median(runs.map((r) => r.embed))).toFixed(1), median(runs.map((r) => r.peakMB)).toFixed(0)];
const ratio = median(builder.map((r) => r.seconds)) / median(native.map((r) => r.seconds));
const table = (head, body) => [head, head.map(() => '---'), ...body].map((r) => `| ${r.join(' | ')} |`).join('\n');
const report = `# \`npx paper-search build --semantic\` beside the native build with meaning

${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} (${availableParallelism()} threads for each), Node ${process.version}; SciFact's 5,183 papers, no embedding cache, median of ${RUNS} run(s) each, taking turns.

${table(['build', 'in all (s)', 'embedding (s)', 'papers a second', 'peak memory (MB)'], [row('native: paper-search-semantic embed + paper-search-index', native), row('builder: npx paper-search build --semantic (Node, wasm encoder on worker threads)', builder)])}

The builder takes **×${ratio.toFixed(2)}** the native build's time.

The same papers' vectors, from each (native.vec, builder.vec):
${compared.stdout}`;
writeFileSync(join(BENCH, 'builder-semantic-results.md'), report);
process.stdout.write(report);
