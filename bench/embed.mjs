// The benchmark of embedding a corpus for search by meaning: SciFact's 5,183 papers through the
// build's encoder (paper-search-semantic embed, no cache) and through the encoder of the commit
// before the fast one, beside references measured in the same run on the same shapes: numpy's
// float32 matrix products (its BLAS) for the model's products on the encoder's own batches,
// and sentence-transformers' `encode` on the first papers of SciFact. Each round runs them all,
// one after another, the order turned round every other round; the table gives the median of
// the rounds. `./build.sh bench embed` builds what it runs and runs this; the report goes to
// stdout and to bench/embed-results.md.
//   node bench/embed.mjs --before BIN --after BIN --model FILE [--python PY] [--model-dir DIR]
//                        [--rounds N] [--st-papers N] [--blas-share F] [--corpus FILE]
//   node bench/embed.mjs --large FILE --after BIN --model FILE     (`./build.sh bench embed large`)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(ROOT, process.env.CARGO_TARGET_DIR) : join(ROOT, 'target');
const WORK = join(TARGET, 'bench-embed');
const SCIFACT = resolve(ROOT, '..', 'shared', 'scifact', 'corpus.jsonl');
const REFERENCE = join(ROOT, 'bench', 'embed-reference.py');

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
// `--large FILE`: only that corpus (corpus-large) through the build's encoder, once, its time
// and peak memory (bench/embed-large-results.md).
const large = option('--large');
const before = option('--before');
const after = option('--after');
const model = option('--model');
const python = option('--python');
const modelDir = option('--model-dir', join(TARGET, 'model', 'release'));
const rounds = Number(option('--rounds', 2));
const stPapers = Number(option('--st-papers', 1000));
const blasShare = Number(option('--blas-share', 0.25));
const beforeName = option('--before-name', 'before');
// Another corpus in BEIR's corpus.jsonl layout, for a quick look (the report names SciFact).
const CORPUS = option('--corpus', SCIFACT);
const log = (m) => process.stderr.write(`[bench embed] ${m}\n`);
if (large && after && model) {
  await embedLarge();
  process.exit(0);
}
if (!before || !after || !model) {
  console.error('usage: node bench/embed.mjs --before BIN --after BIN --model FILE [--python PY] [--rounds N] ...');
  process.exit(2);
}
mkdirSync(WORK, { recursive: true });

function run(command, argv) {
  const started = performance.now();
  const done = spawnSync(command, argv, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - started) / 1000;
  if (done.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed:\n${done.stderr}`);
  return { seconds, stdout: done.stdout, stderr: done.stderr };
}

// The vectors of a vectors file (header, scales, int8 values), dequantized.
function vectors(file) {
  const b = readFileSync(file);
  const dims = b.readUInt32LE(20);
  const count = b.readUInt32LE(24);
  const out = [];
  for (let i = 0; i < count; i++) {
    const scale = b.readFloatLE(28 + 4 * i);
    const at = 28 + 4 * count + i * dims;
    out.push(Array.from({ length: dims }, (_, d) => b.readInt8(at + d) * scale));
  }
  return out;
}

const steps = {
  before: () => {
    const r = run(before, ['embed', model, CORPUS, join(WORK, 'before.vec')]);
    return { seconds: r.seconds };
  },
  after: () => {
    const report = join(WORK, 'report.json');
    const r = run(after, ['embed', model, CORPUS, join(WORK, 'after.vec'), '--no-cache', '--report', report]);
    return { seconds: r.seconds, report: JSON.parse(readFileSync(report, 'utf8')) };
  },
  // numpy as it comes (OpenBLAS on every core) ...
  blas: () => JSON.parse(run(python, [REFERENCE, 'blas', join(WORK, 'report.json'), String(blasShare)]).stdout),
  // ... and one single-threaded process per core, each on its share of the batches, as the
  // encoder runs a batch per core (OpenBLAS's threads do poorly on attention's small products
  // on a busy machine). They start their products together; their throughput is all their
  // FLOPs over the time from that start to the last one's end.
  blasPerCore: async () => {
    const parts = cpus().length;
    const start = Date.now() / 1000 + 30;
    const one = (part) => new Promise((done, fail) => {
      const argv = [REFERENCE, 'blas', join(WORK, 'report.json'), String(blasShare), String(part), String(parts), String(start)];
      const child = spawn(python, argv, { env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      child.on('close', (code) => (code === 0 ? done(JSON.parse(out)) : fail(new Error(`blas part ${part} failed`))));
    });
    const all = await Promise.all(Array.from({ length: parts }, (_, p) => one(p)));
    const sum = (f) => all.reduce((s, r) => s + f(r), 0);
    const span = Math.max(...all.map((r) => r.ended)) - Math.min(...all.map((r) => r.began));
    // The dense layers' and attention's shares of that time, in the proportions each process
    // spent on them.
    const dense = sum((r) => r.dense_seconds) / sum((r) => r.seconds);
    return {
      ...all[0],
      batches: sum((r) => r.batches),
      gflops: sum((r) => r.flops) / span / 1e9,
      dense_gflops: sum((r) => r.dense_flops) / (span * dense) / 1e9,
      attention_gflops: sum((r) => r.flops - r.dense_flops) / (span * (1 - dense)) / 1e9,
    };
  },
  st: () => JSON.parse(run(python, [REFERENCE, 'st', modelDir, CORPUS, String(stPapers)]).stdout),
};

const results = { before: [], after: [], blas: [], blasPerCore: [], st: [] };
let stError = python ? null : 'no Python with sentence-transformers';
const loads = [loadavg()[0]];
for (let round = 0; round < rounds; round++) {
  // The BLAS reference needs the encoder's batches: the first round runs the encoder first.
  const order = round % 2 === 0
    ? ['after', 'before', 'blas', 'blasPerCore', 'st']
    : ['st', 'blasPerCore', 'blas', 'before', 'after'];
  for (const step of order) {
    if (step !== 'before' && step !== 'after' && !python) continue;
    if (step === 'st' && stError && round > 0) continue;
    log(`round ${round + 1} of ${rounds}: ${step}`);
    try {
      results[step].push(await steps[step]());
    } catch (e) {
      if (step !== 'st') throw e;
      stError = String(e.message).split('\n').filter(Boolean).slice(-1)[0];
      log(`sentence-transformers did not run: ${stError}`);
    }
    loads.push(loadavg()[0]);
  }
}

// A rebuild after 1% new papers: the cache made from SciFact less every hundredth paper, then
// SciFact whole embedded through it; its time beside the median of the whole embedding's.
log('the rebuild after 1% new papers');
const corpusLines = readFileSync(CORPUS, 'utf8').split('\n').filter(Boolean);
const fewer = join(WORK, 'corpus-99.jsonl');
writeFileSync(fewer, corpusLines.filter((_, i) => i % 100 !== 99).join('\n') + '\n');
const cacheDir = join(WORK, 'cache');
rmSync(cacheDir, { recursive: true, force: true });
run(after, ['embed', model, fewer, join(WORK, 'rebuild.vec'), '--cache', cacheDir]);
const rebuildReport = join(WORK, 'rebuild.json');
const rebuild = run(after, ['embed', model, CORPUS, join(WORK, 'rebuild.vec'), '--cache', cacheDir, '--report', rebuildReport]);
rebuild.report = JSON.parse(readFileSync(rebuildReport, 'utf8'));
rebuild.same = Buffer.compare(readFileSync(join(WORK, 'rebuild.vec')), readFileSync(join(WORK, 'after.vec'))) === 0;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const report = results.after[0].report;
const papers = report.papers;
const flops = report.flops;
const fmt = (x, d = 1) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const clock = (s) => (s >= 60 ? `${Math.floor(s / 60)} min ${fmt(s % 60, 1)} s` : `${fmt(s, 1)} s`);
const timeOf = (k) => median(results[k].map((r) => r.seconds));
const [tBefore, tAfter] = [timeOf('before'), timeOf('after')];
const blasOf = (list) => (list.length ? {
  gflops: median(list.map((r) => r.gflops)),
  dense: median(list.map((r) => r.dense_gflops)),
  attention: median(list.map((r) => r.attention_gflops)),
  info: list[0],
} : null);
const blas = blasOf(results.blas);
const blasPerCore = blasOf(results.blasPerCore);
const st = results.st.length ? {
  rate: median(results.st.map((r) => r.papers / r.seconds)),
  gflops: median(results.st.map((r) => r.flops / r.seconds / 1e9)),
  info: results.st[0],
} : null;

// The two encoders' vectors side by side.
const [a, b] = [vectors(join(WORK, 'before.vec')), vectors(join(WORK, 'after.vec'))];
const cosines = a.map((v, i) => {
  const dot = (x, y) => x.reduce((s, xi, j) => s + xi * y[j], 0);
  return dot(v, b[i]) / Math.sqrt(dot(v, v) * dot(b[i], b[i]));
});

const rows = [
  `| encoder | SciFact (${papers.toLocaleString('en-US')} papers) | papers a second | effective GFLOP/s |`,
  '|---|---:|---:|---:|',
  `| paper-search-semantic before the fast encoder (${beforeName}) | ${clock(tBefore)} | ${fmt(papers / tBefore)} | ${fmt(flops / tBefore / 1e9)} |`,
  `| paper-search-semantic, this build | ${clock(tAfter)} | ${fmt(papers / tAfter)} | ${fmt(flops / tAfter / 1e9)} |`,
];
for (const [b, how] of [[blas, 'OpenBLAS on both cores'], [blasPerCore, 'one single-threaded process per core']]) {
  if (!b) continue;
  rows.push(`| numpy's float32 matrix products of the same shapes, ${how} (${b.info.blas}, numpy ${b.info.numpy}; ${b.info.batches} of the ${b.info.of} batches) | — | — | ${fmt(b.gflops)} (dense layers ${fmt(b.dense)}, attention ${fmt(b.attention)}) |`);
}
if (st) {
  rows.push(`| sentence-transformers ${st.info.sentence_transformers} \`encode\` (torch ${st.info.torch}, ${st.info.threads} threads; the first ${st.info.papers.toLocaleString('en-US')} papers) | ${clock(papers / st.rate)} (at its rate) | ${fmt(st.rate)} | ${fmt(st.gflops)} |`);
} else {
  rows.push(`| sentence-transformers \`encode\` | did not run: ${stError} | | |`);
}
// The reference: the best BLAS throughput measured, on all of the model's products or on its
// dense layers alone.
const reference = blas ? Math.max(...[blas, blasPerCore].filter(Boolean).flatMap((b) => [b.gflops, b.dense])) : null;
const lines = [
  '# Embedding benchmark',
  '',
  `\`./build.sh bench embed\`: ${rounds} round${rounds === 1 ? '' : 's'} taking turns (the median of each); the machine (2 cores) was shared with other builds and tests, its load average ${fmt(Math.min(...loads), 2)} to ${fmt(Math.max(...loads), 2)} during the run.`,
  '',
  ...rows,
  '',
  `- FLOPs from the model's shapes on the tokens counted (${report.tokens.toLocaleString('en-US')} tokens, at most 256 a paper, ${fmt(report.tokens / papers)} on average): per layer and text of n tokens, 2·n·(4·384² + 2·384·1536) for the dense layers and 4·n²·384 for attention's two products, times 6 layers; ${fmt(flops / 1e12, 2)} TFLOP in all, ${fmt(flops / papers / 1e9, 2)} GFLOP a paper. The steps between the products (layer norms, GELU, softmax) are not counted. The same count serves every row.`,
  `- This build against the one before: ${fmt(tAfter / tBefore * 100)} % of its time (×${fmt(tBefore / tAfter, 2)}); vectors within cosine ${cosines.reduce((m, c) => Math.min(m, c), 1).toFixed(6)} of the old ones (the least of the ${papers.toLocaleString('en-US')}).`,
];
if (reference) {
  lines.push(`- This build's effective GFLOP/s against the BLAS reference's (the best of its four figures, ${fmt(reference)} GFLOP/s): ${fmt(flops / tAfter / 1e9 / reference * 100)} %.`);
}
lines.push(`- A rebuild after 1% new papers (the cache made from ${(papers - rebuild.report.embedded).toLocaleString('en-US')} of the papers, then all ${papers.toLocaleString('en-US')}): ${rebuild.report.embedded} embedded, ${fmt(rebuild.seconds)} s in all (model loaded, ${rebuild.report.cached.toLocaleString('en-US')} vectors read from the cache, the file written), ${fmt(rebuild.seconds / tAfter * 100)} % of the whole embedding's time; its vectors ${rebuild.same ? 'byte for byte those of the whole embedding' : 'not byte for byte those of the whole embedding'}.`);
lines.push(`- Each round's times (s): before ${results.before.map((r) => fmt(r.seconds)).join(', ')}; this build ${results.after.map((r) => fmt(r.seconds)).join(', ')}.`);
const text = lines.join('\n') + '\n';
writeFileSync(join(ROOT, 'bench', 'embed-results.md'), text);
process.stdout.write(text);

// corpus-large (or another corpus) embedded whole, with no cache: the time, the rate and the
// process's peak memory, as the encoder reports them.
async function embedLarge() {
  mkdirSync(WORK, { recursive: true });
  const reportFile = join(WORK, 'large.json');
  log(`embedding ${large} (no cache); progress below`);
  const started = performance.now();
  const done = spawnSync(after, ['embed', model, large, join(WORK, 'large.vec'), '--no-cache', '--report', reportFile],
    { stdio: ['ignore', 'inherit', 'inherit'] });
  if (done.status !== 0) throw new Error(`${after} embed ${large} failed`);
  const seconds = (performance.now() - started) / 1000;
  const r = JSON.parse(readFileSync(reportFile, 'utf8'));
  const fmt = (x, d = 1) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  const clock = (t) => `${Math.floor(t / 60)} min ${fmt(t % 60, 0)} s`;
  const text = [
    '# Embedding a large corpus',
    '',
    `\`./build.sh bench embed large\`: ${large.split('/').slice(-2).join('/')} through the build's encoder on ${r.threads} threads, no cache; the machine's load average ${fmt(loadavg()[0], 2)} at the end.`,
    '',
    '| papers | tokens | embedding | in all (model, corpus, vectors written) | papers a second | effective GFLOP/s | peak memory |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${r.papers.toLocaleString('en-US')} | ${r.tokens.toLocaleString('en-US')} | ${clock(r.seconds)} | ${clock(seconds)} | ${fmt(r.embedded / r.seconds)} | ${fmt(r.flops / r.seconds / 1e9)} | ${r.peak_memory_bytes ? `${fmt(r.peak_memory_bytes / 2 ** 20, 0)} MiB` : 'not reported'} |`,
    '',
  ].join('\n');
  writeFileSync(join(ROOT, 'bench', 'embed-large-results.md'), text);
  process.stdout.write(text);
}
