// The cost of reading arXiv's metadata snapshot: `paper-search-index` on corpus-large's 52,674
// papers as JSON Lines and the same papers as arXiv's snapshot (bench/arxiv-snapshot.mjs
// writes it), both gzipped, the two taking turns (one order, then the other), the median of
// several runs each: the whole build's wall time and the time the indexer reports for reading
// the file. `./build.sh bench collections [--runs N]` builds the indexer and runs this; the
// report goes to stdout and to bench/collections-results.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(ROOT, process.env.CARGO_TARGET_DIR) : join(ROOT, 'target');
const INDEXER = join(TARGET, 'release', 'paper-search-index');
const JSONL = resolve(ROOT, '..', 'shared', 'corpus-large', 'papers.jsonl.gz');
const WORK = join(TARGET, 'bench-collections');
const SNAPSHOT = join(WORK, 'arxiv-snapshot.json.gz');
const CONVERTER = join(ROOT, 'bench', 'arxiv-snapshot.mjs');

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;
const progress = (line) => process.stderr.write(`${line}\n`);

if (!existsSync(INDEXER)) throw new Error(`${INDEXER} is missing: run ./build.sh bench collections`);
if (!existsSync(JSONL)) throw new Error(`${JSONL} is missing: the benchmark reads corpus-large`);
mkdirSync(WORK, { recursive: true });
const stale = (file, ...sources) => !existsSync(file) || sources.some((s) => statSync(s).mtimeMs > statSync(file).mtimeMs);
if (stale(SNAPSHOT, JSONL, CONVERTER)) {
  progress(`writing ${SNAPSHOT} from ${JSONL}`);
  const made = spawnSync(process.execPath, [CONVERTER, JSONL, SNAPSHOT], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (made.status !== 0) throw new Error('bench/arxiv-snapshot.mjs failed');
}

const FORMATS = [
  { name: 'JSON Lines', file: JSONL },
  { name: "arXiv's metadata snapshot", file: SNAPSHOT },
];

// One build: its wall time, the reading time the indexer reports, and its papers.
function build({ file }) {
  const out = join(WORK, 'out');
  rmSync(out, { recursive: true, force: true });
  const started = performance.now();
  const run = spawnSync(INDEXER, [file, out], { encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`paper-search-index ${file} failed:\n${run.stderr}`);
  const read = /(\d+) papers read from .* in ([\d.]+) s/.exec(run.stderr);
  const summary = /paper-search-index: (\d+ of \d+ entries indexed.*)/.exec(run.stderr);
  return { seconds, read: Number(read?.[2]), papers: Number(read?.[1]), summary: summary?.[1] ?? '' };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const results = FORMATS.map(() => []);
for (let r = 0; r < runs; r++) {
  const order = r % 2 === 0 ? [0, 1] : [1, 0];
  for (const i of order) {
    const result = build(FORMATS[i]);
    results[i].push(result);
    progress(`run ${r + 1}/${runs}: ${FORMATS[i].name}: ${result.seconds.toFixed(2)} s (reading ${result.read.toFixed(1)} s)`);
  }
}

const base = median(results[0].map((x) => x.seconds));
const rows = FORMATS.map((f, i) => {
  const total = median(results[i].map((x) => x.seconds));
  const read = median(results[i].map((x) => x.read));
  const size = (statSync(f.file).size / 1e6).toFixed(1);
  const ratio = i === 0 ? '' : `${total / base >= 1 ? '+' : ''}${((total / base - 1) * 100).toFixed(1)}%`;
  return `| ${f.name} | ${size} MB | ${results[i][0].papers} | ${read.toFixed(2)} | ${total.toFixed(2)} | ${ratio} |`;
});
const snapshotSummary = results[1][0].summary;
const report = [
  "# Reading arXiv's metadata snapshot",
  '',
  `${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, median of ${runs} runs each,`,
  'the two formats taking turns. `paper-search-index FILE OUT` on corpus-large: the same 52,674',
  'papers as JSON Lines and as arXiv\'s snapshot (`bench/arxiv-snapshot.mjs`: titles wrapped with',
  'indentation, abstracts with leading spaces and line breaks, `authors_parsed`, `versions` with',
  'dates, `journal-ref`), both gzipped. Reading: what the indexer reports for gunzipping and',
  'parsing the file (for the snapshot, LaTeX read as text and names made display names);',
  'build: the whole command.',
  '',
  '| format | file (gzip) | papers | reading (s) | build (s) | build vs JSON Lines |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows,
  '',
  `The snapshot: ${snapshotSummary}.`,
  '',
].join('\n');
process.stdout.write(report);
writeFileSync(join(ROOT, 'bench', 'collections-results.md'), report);
