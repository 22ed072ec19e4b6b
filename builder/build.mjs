// The npm package's site builder: a corpus in, the files a page needs out, with nothing but
// Node. The corpus is indexed by the package's indexer (the crate's own indexing code compiled
// to wasm), and the index is appended to a copy of the package's prebuilt engine as its
// `paper-search-index` custom section, which the element hands to the engine when it starts.
//
//   import { buildSite } from 'paper-search/builder';
//   await buildSite({ corpus: 'papers.jsonl', out: 'public/search' });
//
// Everything is written to a staging folder first and moved into `out` only when every step
// succeeded: a bad corpus leaves `out` as it was.
import { createRequire } from 'node:module';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { embedPapers, findModel } from './semantic.mjs';
import { buildSingle, buildStandalone } from './single.mjs';
import { ELEMENT, withMaps } from './site.mjs';
import { INDEX_SECTION, withCustomSection } from './wasm-section.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
// The package's root: the element's files, the engines, the indexer.
export const PACKAGE = resolve(HERE, '..');
function indexer() {
  return createRequire(import.meta.url)(join(PACKAGE, 'indexer', 'paper_search.js'));
}

// A file's size raw and gzipped (what a static host sends; brotli, where the host has it, is
// about a tenth smaller, but takes a second to measure).
function sizeOf(bytes) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  return `${kb(bytes.length)} (${kb(gzipSync(bytes, { level: 9 }).length)} gzip)`;
}

/**
 * Builds the search for a corpus into `out`.
 *   corpus   path of a corpus file (`.gz` or not): BibTeX, CSL-JSON, RIS, PubMed MEDLINE, arXiv's
 *            metadata snapshot, text, JSON Lines or BEIR corpus.jsonl
 *   strict   stop on a collection's entry that cannot be read, instead of leaving it out
 *   out      the folder to write into (created if missing; files of earlier builds replaced)
 *   shards   'auto' (sharded above 2,000 papers), 'on' or 'off'
 *   single   also write paper-search.html, one file that searches from disk
 *   semantic search by meaning: the papers embedded with the model's package (paper-search-model,
 *            installed beside), on `threads` worker threads (default: one a core), through the
 *            embedding cache in the folder `cache` (null: none)
 *   limit, placeholder   the element's attributes in the snippet printed
 *   log      where the summary goes (stderr by default)
 *   progress whether to show the indexer's progress on stderr (when it is a terminal)
 * A collection's entries that cannot be read are left out, each logged as
 * `warning: path:line: entry <key>: problem; what to do`, as `paper-search-index` prints them.
 * Resolves to { papers, sharded, files, bytes, seconds, snippet, skipped }; with `semantic`, also
 * { embedded, cached, vectors }: the papers embedded now and taken from the cache, and the vectors
 * file the index was made with.
 */
export async function buildSite({
  corpus, out, shards = 'auto', single = false, strict = false, limit = 10, placeholder = 'Search papers…',
  semantic = false, threads = undefined, cache = join('node_modules', '.cache', 'paper-search'),
  log = (line) => process.stderr.write(`${line}\n`), progress = process.stderr.isTTY,
}) {
  const started = performance.now();
  if (!corpus || !out) throw new Error('usage: paper-search build <corpus> --out <dir>');
  if (!['auto', 'on', 'off'].includes(shards)) throw new Error(`--shards ${shards}: say auto, on or off`);
  if (semantic && single) {
    throw new Error('--single cannot hold search by meaning (its model is a 21 MB file beside the page, which one file would make every reader download); leave out --single or --semantic');
  }
  // Checked before any work: a missing model package is said at once.
  const model = semantic ? findModel() : null;
  let bytes;
  try {
    bytes = readFileSync(corpus);
  } catch (err) {
    throw new Error(`${corpus}:1: cannot read the corpus (${err.code ?? err.message}); check the path`);
  }
  const target = resolve(out);
  const staging = join(dirname(target), `.${basename(target)}.paper-search-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'pkg'), { recursive: true });
  // Parts are gzipped and written by a worker thread while the indexer goes on.
  let writer = null;
  try {
    let folder = null;
    let lastProgress = 0;
    const onPart = (name, part) => {
      if (!folder) {
        folder = join(staging, 'pkg', 'index-parts');
        mkdirSync(folder, { recursive: true });
        writer = partWriter();
      }
      writer.write(join(folder, name), part);
    };
    // Progress is one line rewritten in place, on a terminal only: a log gets the summary.
    const onProgress = (stage, done, total) => {
      if (!progress) return;
      const now = performance.now();
      if (done !== total && now - lastProgress < 100) return;
      lastProgress = now;
      process.stderr.write(`\r\x1b[Kpaper-search: ${stage} ${done}/${total}`);
    };
    if (single && shards === 'on') throw new Error('--single holds every paper in one file: it cannot be sharded; leave out --shards on');
    // One file holds every paper: a large corpus is refused unless --shards off says so.
    const mode = single ? (shards === 'off' ? 'off' : 'single') : shards;
    let indexed;
    let embedded = null;
    try {
      if (model) {
        const texts = indexer().paperTexts(corpus, bytes, Boolean(strict));
        // Embedding takes minutes: without a terminal, a line each tenth of the way.
        let tenths = 0;
        const embedding = (done, total) => {
          onProgress('embedding', done, total);
          if (progress || Math.floor((done * 10) / total) <= tenths) return;
          tenths = Math.floor((done * 10) / total);
          log(`paper-search: ${done} of ${total} papers embedded`);
        };
        embedded = await embedPapers({ texts, model, cache, threads, Embeddings: indexer().Embeddings, progress: embedding });
        for (const note of embedded.notes) log(`paper-search: ${note}`);
      }
      indexed = indexer().indexCorpus(corpus, bytes, mode, onPart, onProgress, Boolean(strict), embedded?.file);
    } finally {
      if (progress) process.stderr.write('\r\x1b[K');
    }
    bytes = null;
    for (const entry of indexed.skipped) log(`warning: ${entry}`);
    const { files, bytes: partBytes } = writer ? await writer.finish() : { files: 0, bytes: 0 };
    // One semantic engine serves both layouts, as in ./build.sh.
    const engine = model ? model.engine : join(PACKAGE, indexed.sharded ? 'engine-shards' : 'engine');
    const wasm = withCustomSection(readFileSync(join(engine, 'paper_search_bg.wasm')), INDEX_SECTION, Buffer.from(indexed.bundle));
    writeFileSync(join(staging, 'pkg', 'paper_search_bg.wasm'), wasm);
    copyFileSync(join(engine, 'paper_search.js'), join(staging, 'pkg', 'paper_search.js'));
    // The element a page loads beside the module folder, and the source map of its script.
    for (const file of withMaps(ELEMENT)) copyFileSync(join(PACKAGE, file), join(staging, file));
    if (model) {
      // The model under the name the page asks for, its notice and licences; the element's code for meaning.
      for (const file of [model.modelFile, 'MODEL-NOTICE.md', 'MODEL-LICENSE', 'LICENSE']) copyFileSync(join(model.dir, file), join(staging, 'pkg', file));
      for (const file of model.files.filter((f) => f.startsWith('paper-search-semantic.js'))) copyFileSync(join(model.dir, file), join(staging, file));
    }
    if (folder) renameSync(folder, join(staging, 'pkg', indexed.folder));
    if (single) {
      writeFileSync(join(staging, 'paper-search.html'), buildSingle({ pkg: join(staging, 'pkg'), www: PACKAGE }));
      writeFileSync(join(staging, 'paper-search-standalone.js'), buildStandalone({ pkg: join(staging, 'pkg'), www: PACKAGE }));
    }
    install(staging, target);
    const snippet = [
      '<script type="module" src="paper-search.js"></script>',
      `<paper-search placeholder="${placeholder.replace(/[&"<]/g, (c) => `&#${c.charCodeAt(0)};`)}" limit="${Number(limit) || 10}"></paper-search>`,
    ];
    const seconds = (performance.now() - started) / 1000;
    log(`paper-search: ${indexed.papers} papers, ${indexed.sharded ? 'sharded' : 'embedded'}, written to ${out} in ${seconds.toFixed(1)} s:`);
    log(`  pkg/paper_search_bg.wasm   ${sizeOf(wasm)}: the engine and ${indexed.sharded ? 'the index core' : 'the papers and their index'}`);
    log(`  pkg/paper_search.js, paper-search.js, paper-search.css, paper-search-filters.js: the element (its filter bar for a corpus with years, venues, types or authors) and the module's glue`);
    if (indexed.sharded) log(`  pkg/${indexed.folder}/   ${files} part files, ${(partBytes / 1e6).toFixed(1)} MB gzipped, fetched as searches need them`);
    if (model) {
      const speed = embedded.embedded && embedded.seconds ? `, ${(embedded.embedded / embedded.seconds).toFixed(1)} a second` : '';
      log(`  pkg/${model.modelFile}: the sentence model, which the page fetches when a reader turns meaning on; ${embedded.embedded} papers embedded in ${embedded.seconds.toFixed(1)} s${speed}, ${embedded.cached} from the cache`);
    }
    if (single) log('  paper-search.html, paper-search-standalone.js: one file that searches when opened from disk, and the element as one classic script');
    log('Paste these two lines into a page served from that folder (paper-search.js finds pkg/ beside itself):');
    for (const line of snippet) log(`  ${line}`);
    if (indexed.summary) log(`paper-search: ${indexed.summary}`);
    return {
      papers: indexed.papers, sharded: indexed.sharded, files, bytes: partBytes + wasm.length, seconds, snippet, skipped: indexed.skipped,
      ...(embedded ? { embedded: embedded.embedded, cached: embedded.cached, vectors: embedded.file } : {}),
    };
  } catch (err) {
    await writer?.finish().catch(() => {});
    rmSync(staging, { recursive: true, force: true });
    // The indexer's errors read `path:line: problem; what to do` already.
    throw err instanceof Error ? err : new Error(String(err));
  }
}

// The worker that gzips and writes parts (gzip-worker.mjs): `write(path, bytes)` hands it a
// part, `finish()` resolves to { files, bytes } once all are written, and ends it.
function partWriter() {
  const worker = new Worker(new URL('./gzip-worker.mjs', import.meta.url));
  let failure = null;
  let finished = null;
  worker.on('message', (m) => { if (m.error) failure ??= new Error(m.error); });
  worker.on('error', (err) => { failure ??= err; });
  return {
    write(path, bytes) {
      worker.postMessage({ path, bytes }, [bytes.buffer]);
    },
    // The same promise every time: a failure after the parts are written finishes it again.
    finish() {
      finished ??= new Promise((done, fail) => {
        worker.on('message', (m) => {
          if (!('files' in m)) return;
          worker.terminate();
          if (failure) fail(failure);
          else done(m);
        });
        worker.postMessage({ done: true });
      });
      return finished;
    },
  };
}

// Moves the staged files into `target`, replacing what an earlier build wrote there (its module,
// its element files and its folders of parts) and nothing else.
function install(staging, target) {
  mkdirSync(join(target, 'pkg'), { recursive: true });
  for (const old of readdirSync(join(target, 'pkg'))) {
    if (/^index-[0-9a-f]{16}$/.test(old)) rmSync(join(target, 'pkg', old), { recursive: true, force: true });
  }
  const move = (from, to) => {
    if (statSync(from).isDirectory()) {
      mkdirSync(to, { recursive: true });
      for (const entry of readdirSync(from)) move(join(from, entry), join(to, entry));
    } else {
      rmSync(to, { force: true });
      renameSync(from, to);
    }
  };
  move(staging, target);
  rmSync(staging, { recursive: true, force: true });
}

export const usage = `usage: paper-search build <corpus> --out <dir> [--shards auto|on|off] [--single] [--strict] [--semantic [--threads N] [--cache DIR | --no-cache]] [--limit N] [--placeholder TEXT]

  <corpus>      a .bib (BibTeX, BibLaTeX), CSL-JSON, RIS, PubMed .nbib, arXiv metadata snapshot,
                text, JSON Lines or BEIR corpus.jsonl file, .gz or not
  --out <dir>   the folder of the page that shows the search (created if missing)
  --shards      auto (default): sharded above 2,000 papers; on or off to force either
  --single      also write paper-search.html: one file that searches when opened from disk
  --strict      stop on an entry that cannot be read, instead of leaving it out with a warning
  --semantic    search by meaning, which a reader turns on: the papers embedded with the model's
                package (npm install paper-search-model), on --threads N worker threads (default
                one a core), their vectors kept in --cache DIR (default
                node_modules/.cache/paper-search) so that a rebuild embeds only new papers
  --limit N     results shown (the snippet's limit attribute, default 10)
  --placeholder the search box's placeholder in the snippet`;

export function parseArgs(argv) {
  const [command, ...rest] = argv;
  if (command !== 'build') throw new Error(usage);
  const options = {};
  const positional = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = () => {
      if (i + 1 >= rest.length) throw new Error(`${arg} needs a value\n${usage}`);
      return rest[++i];
    };
    if (arg === '--out' || arg === '-o') options.out = value();
    else if (arg === '--shards') options.shards = value();
    else if (arg === '--single') options.single = true;
    else if (arg === '--strict') options.strict = true;
    else if (arg === '--limit') options.limit = value();
    else if (arg === '--placeholder') options.placeholder = value();
    else if (arg === '-h' || arg === '--help') throw new Error(usage);
    else if (arg === '--semantic') options.semantic = true;
    else if (arg === '--threads') {
      options.threads = Number(value());
      if (!Number.isInteger(options.threads) || options.threads < 1) throw new Error(`--threads ${rest[i]}: say a whole number, 1 or more`);
    }
    else if (arg === '--cache') options.cache = value();
    else if (arg === '--no-cache') options.cache = null;
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}\n${usage}`);
    else positional.push(arg);
  }
  if (positional.length !== 1 || !options.out) throw new Error(usage);
  return { corpus: positional[0], ...options };
}
