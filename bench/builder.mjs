// The site builder beside the native indexer: how long `npx paper-search build` (the packed npm
// package, installed into an empty project, run by Node) takes to index a corpus and write its
// site, against `paper-search-index` (the same indexing code compiled natively, which
// `./build.sh` runs) on the same corpus, and what the package weighs. `./build.sh bench builder`
// builds both first and runs it.
//
//   node bench/builder.mjs [--runs N] [--large]
//     --runs N   runs of each tool on each corpus, alternated; the median is reported (default 5)
//     --large    corpus-large too (52,674 papers; one run of each)
//
// Wall time of the whole command, from start to exit; peak memory is the largest resident size
// of its process tree (sampled every 50 ms). The report goes to stdout and bench/builder-results.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { BENCH, REPO, WORK, SCIFACT_JSONL, ensureDir } from './paths.mjs';
import { LARGE_JSONL_GZ } from './scale/corpora.mjs';
import { measure } from './scale/proc.mjs';

const argv = process.argv.slice(2);
const RUNS = Number(argv[argv.indexOf('--runs') + 1]) || 5;
const LARGE = argv.includes('--large');
const PACKAGE = join(REPO, 'dist', 'npm');
const NATIVE = join(REPO, 'target', 'release', 'paper-search-index');
const HERE = ensureDir(join(WORK, 'builder'));
const log = (line) => process.stderr.write(`${line}\n`);

for (const [what, path] of [['the npm package (./build.sh package)', join(PACKAGE, 'builder', 'cli.mjs')], ['the native indexer', NATIVE]]) {
  if (!existsSync(path)) throw new Error(`${what} is missing: ${path}; ./build.sh bench builder builds it`);
}

// The package as a site owner gets it: packed, and installed into an empty project.
function install() {
  const packed = JSON.parse(spawnSync('npm', ['pack', PACKAGE, '--json', '--pack-destination', HERE, '--loglevel=error'], { encoding: 'utf8' }).stdout)[0];
  const app = join(HERE, 'app');
  rmSync(app, { recursive: true, force: true });
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{ "name": "bench-site", "private": true }\n');
  const r = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', join(HERE, packed.filename)], { cwd: app, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm install failed: ${r.stderr}`);
  return { app, packed };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function du(dir) {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = du(path);
      bytes += sub.bytes;
      files += sub.files;
    } else {
      bytes += statSync(path).size;
      files += 1;
    }
  }
  return { bytes, files };
}

const { app, packed } = install();
const corpora = [
  ['default (208 papers)', join(REPO, 'data', 'papers.txt'), RUNS],
  ['SciFact (5,183, sharded)', SCIFACT_JSONL, RUNS],
  ...(LARGE ? [['corpus-large (52,674, sharded)', LARGE_JSONL_GZ, 1]] : []),
];
const rows = [];
for (const [name, corpus, runs] of corpora) {
  const native = [];
  const builder = [];
  for (let i = 0; i < runs; i++) {
    log(`${name}: run ${i + 1} of ${runs}`);
    const nativeOut = join(HERE, 'native-out');
    rmSync(nativeOut, { recursive: true, force: true });
    native.push(await measure(NATIVE, [corpus, nativeOut, '--shards', 'auto']));
    const builderOut = join(HERE, 'builder-out');
    rmSync(builderOut, { recursive: true, force: true });
    builder.push(await measure('npx', ['--no-install', 'paper-search', 'build', corpus, '--out', builderOut], { cwd: app }));
  }
  const site = du(join(HERE, 'builder-out'));
  const n = median(native.map((r) => r.seconds));
  const b = median(builder.map((r) => r.seconds));
  // What the builder reports itself: from its start to its end, without Node's and npx's start.
  const own = median(builder.map((r) => Number(/ in ([\d.]+) s:/.exec(r.stderr)?.[1])));
  rows.push([name, n.toFixed(2), b.toFixed(2), `×${(b / n).toFixed(2)}`, own.toFixed(1),
    median(native.map((r) => r.peakMB)).toFixed(0), median(builder.map((r) => r.peakMB)).toFixed(0),
    `${site.files} files, ${(site.bytes / 1e6).toFixed(1)} MB`]);
}

const table = (head, body) => [head, head.map(() => '---'), ...body].map((r) => `| ${r.join(' | ')} |`).join('\n');
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const parts = ['engine', 'engine-shards', 'indexer', 'pkg'].map((dir) => [dir, kb(du(join(PACKAGE, dir)).bytes)]);
const report = `# The site builder beside the native indexer

${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; median of ${RUNS} runs
(corpus-large: one). Native: \`paper-search-index CORPUS OUT\` (what \`./build.sh\` runs to index a
corpus; it analyzes on every core and gzips parts in threads). Builder: \`npx paper-search build CORPUS
--out OUT\` from the packed package installed in an empty project (Node alone; the indexer is the
same Rust code compiled to wasm, single-threaded), whole command: Node's start, indexing, gzip,
the engine with the index appended, the sizes it prints (its own report, the time it prints,
leaves out Node's and npx's start, about 0.4 s).

${table(['corpus', 'native (s)', 'builder (s)', 'builder / native', 'builder, its own report (s)', 'native peak (MB)', 'builder peak (MB)', 'the builder wrote'], rows)}

The package: ${packed.entryCount} files, ${kb(packed.size)} packed, ${kb(packed.unpackedSize)} unpacked.

${table(['folder', 'size'], parts)}

\`engine\`, \`engine-shards\`: the module without an index, embedded and sharded (the builder appends
the index); \`indexer\`: the indexer for Node; \`pkg\`: the default corpus's module, for \`import 'paper-search'\`.
`;
writeFileSync(join(BENCH, 'builder-results.md'), report);
process.stdout.write(report);
