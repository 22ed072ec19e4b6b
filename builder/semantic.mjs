// Search by meaning in the npm builder (`--semantic`): the model's package found and checked,
// and the papers embedded with it on worker threads, through the embedding cache.
//
// The model's package, paper-search-model, holds the sentence model, the semantic engine (the
// page's module with the encoder, which embeds the papers here and the queries in the page, so
// that both are embedded by the same code) and the element's code for meaning. This package
// records the SHA-256 of each of its files (model.json, written by the package build): an
// installed model of another version is refused, and the message says what to install.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
// The cache's file in its folder, as paper-search-semantic names it.
const CACHE_FILE = 'paper-search-embeddings.bin';
// Texts a worker embeds at a time: small enough for progress, large enough to keep both busy.
const BATCH = 8;

/** What this package expects of the model's package: its name, version and files' hashes. */
export function expectedModel() {
  return JSON.parse(readFileSync(join(HERE, 'model.json'), 'utf8'));
}

/**
 * The installed model package, checked: { dir, engine, modelFile, files }. Looked for from the
 * folder the builder runs in (a project's node_modules), then beside this package. Throws what to
 * install when it is missing or another version's.
 */
export function findModel({ from = process.cwd() } = {}) {
  const expected = expectedModel();
  const install = `npm install ${expected.name}@${expected.version}`;
  let manifest = null;
  for (const base of [join(resolve(from), 'package.json'), import.meta.url]) {
    try {
      manifest = createRequire(base).resolve(`${expected.name}/package.json`);
      break;
    } catch {
      // Not installed there.
    }
  }
  if (!manifest) {
    throw new Error(`--semantic: search by meaning needs the model's package (about 25 MB), which is not installed: run \`${install}\` in this folder, then build again`);
  }
  const dir = dirname(manifest);
  for (const [file, hash] of Object.entries(expected.hashes)) {
    const path = join(dir, file);
    const found = existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'missing';
    if (found !== hash) {
      const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
      throw new Error(`--semantic: ${dir} (${expected.name} ${version}) is not the model this paper-search ${expected.version} was made with (${file}: ${found === 'missing' ? 'missing' : 'another SHA-256'}): run \`${install}\`, then build again`);
    }
  }
  const modelFile = Object.keys(expected.hashes).find((f) => /^paper-search-model-[0-9a-f]{16}\.bin\.gz$/.test(f));
  return { dir, engine: join(dir, 'engine'), modelFile, files: Object.keys(expected.hashes) };
}

/**
 * The vectors file of `texts` (one a paper, in the index's order), embedded by `model` (what
 * findModel found) on `threads` worker threads; the vectors of texts embedded before come from
 * the cache in `cache` (a folder; null for none), and those embedded now are added to it as they
 * come. `progress(done, total)` hears the texts embedded. Resolves to { file, cached, embedded,
 * seconds, notes }.
 */
export async function embedPapers({ texts, model, cache = null, threads = availableParallelism(), progress = () => {}, Embeddings }) {
  const bytes = gunzipSync(readFileSync(join(model.dir, model.modelFile)));
  const workers = Array.from({ length: Math.max(1, threads) }, () => new Worker(new URL('./embed-worker.mjs', import.meta.url), { workerData: { engine: model.engine, model: bytes } }));
  try {
    const infos = await Promise.all(workers.map((w) => reply(w)));
    const { modelId, dims } = infos[0];
    const cacheFile = cache && join(cache, CACHE_FILE);
    let cacheBytes;
    if (cacheFile) {
      mkdirSync(cache, { recursive: true });
      if (existsSync(cacheFile)) cacheBytes = readFileSync(cacheFile);
    }
    const embeddings = new Embeddings(texts, modelId, dims, cacheBytes);
    cacheBytes = null;
    const notes = embeddings.notes.map((n) => `${cacheFile}: ${n}`);
    let keep = cacheFile !== null;
    const write = (fn) => {
      if (!keep) return;
      try {
        fn();
      } catch (err) {
        notes.push(`${cacheFile}: ${err.message}; the vectors from here on are not kept`);
        keep = false;
      }
    };
    if (embeddings.fresh) write(() => writeFileSync(cacheFile, embeddings.header()));
    else write(() => truncateSync(cacheFile, embeddings.whole));
    const missing = embeddings.missing();
    const started = performance.now();
    let next = 0;
    let done = 0;
    // Each worker takes the next batch when it finishes one.
    await Promise.all(workers.map(async (worker) => {
      while (next < missing.length) {
        const indices = missing.slice(next, next + BATCH);
        next += BATCH;
        worker.postMessage({ batch: next, texts: Array.from(indices, (i) => texts[i]) });
        const { vectors } = await reply(worker);
        const records = embeddings.add(indices, vectors);
        write(() => appendFileSync(cacheFile, records));
        done += indices.length;
        progress(done, missing.length);
      }
    }));
    const file = embeddings.file();
    return { file, cached: embeddings.cached, embedded: missing.length, seconds: (performance.now() - started) / 1000, notes };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

// The worker's next message, or its error.
function reply(worker) {
  return new Promise((done, fail) => {
    const onMessage = (m) => {
      worker.off('error', onError);
      if (m.error) fail(new Error(m.error));
      else done(m);
    };
    const onError = (err) => {
      worker.off('message', onMessage);
      fail(err);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
  });
}
