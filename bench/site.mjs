// Builds one folder per engine for a corpus, each a working search page served as is:
//   paper-search/  the real page: www/ of the snapshot, with its built pkg/
//   <peer>/        index.html and style.css like paper-search's, app.js (the engine and
//                  peer-page.mjs, bundled and minified), index.json (the prebuilt, serialized
//                  index) and docs.json (titles and abstracts, to show hits; Orama keeps them in
//                  its own index)
// and measures the files a page downloads (as Chromium requested them) raw, gzip and brotli.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip, brotliCompress, constants } from 'node:zlib';
import * as esbuild from 'esbuild';
import { BENCH, WORK, ensureDir } from './paths.mjs';

export const PEERS = ['minisearch', 'flexsearch', 'lunr', 'orama'];

const PEER_HTML = (name) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${name} · papers</title>
  <link rel="stylesheet" href="style.css">
  <script type="module" src="app.js"></script>
</head>
<body>
  <header>
    <h1>${name}</h1>
    <form role="search" onsubmit="return false">
      <input id="q" type="search" placeholder="Search papers…" autocomplete="off" aria-controls="results">
    </form>
    <p id="status" role="status">Loading the index…</p>
  </header>
  <main><ol id="results" aria-label="Results"></ol></main>
</body>
</html>
`;

export async function engine(id) {
  return import(join(BENCH, 'engines', `${id}.mjs`));
}

// Writes <site>/<peer>/ for every peer; returns { peer: { name, setup, buildMs } }.
export async function buildPeerSites(site, papers, www) {
  const out = {};
  for (const id of PEERS) {
    const e = await engine(id);
    const dir = ensureDir(join(site, id));
    const t0 = performance.now();
    const serialized = await e.build(papers);
    const buildMs = performance.now() - t0;
    writeFileSync(join(dir, 'index.json'), serialized);
    if (!e.storesText) writeFileSync(join(dir, 'docs.json'), JSON.stringify(papers.map((p) => [p.title, p.abstract])));
    writeFileSync(join(dir, 'index.html'), PEER_HTML(e.name));
    copyFileSync(join(www, 'style.css'), join(dir, 'style.css'));
    await esbuild.build({
      stdin: {
        contents: `import * as engine from './engines/${id}.mjs';\nimport { start } from './peer-page.mjs';\nstart(engine);\n`,
        resolveDir: BENCH,
        sourcefile: `${id}-page.mjs`,
      },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      outfile: join(dir, 'app.js'),
      logLevel: 'error',
    });
    out[id] = { name: e.name, setup: e.setup, buildMs };
  }
  return out;
}

// Brotli quality 11 is what a static host precompresses with, but it runs at about 0.5 MB/s
// here: a corpus whose pages add up to more than this is measured at quality 9 throughout
// (about a tenth larger), and the report says so.
export const BROTLI_Q11_MAX_BYTES = 16 * 1024 * 1024;

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

// Compression runs in libuv's thread pool, so files are compressed in parallel. Results are
// kept by content hash in bench/work/ (the peers' files are the same from run to run), and a
// file that several pages share is compressed once.
const CACHE = join(WORK, 'compressed-sizes.json');
const cache = existsSync(CACHE) ? JSON.parse(readFileSync(CACHE, 'utf8')) : {};
const pending = new Map();

export async function compressedSizes(bytes, brotliQuality = 11) {
  const key = `${createHash('sha256').update(bytes).digest('hex')}:${brotliQuality}`;
  if (cache[key]) return { raw: bytes.length, ...cache[key] };
  if (!pending.has(key)) {
    pending.set(
      key,
      Promise.all([
        gzipAsync(bytes, { level: 9 }),
        brotliAsync(bytes, {
          params: { [constants.BROTLI_PARAM_QUALITY]: brotliQuality, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
        }),
      ]).then(([gz, br]) => {
        cache[key] = { gzip: gz.length, brotli: br.length };
        writeFileSync(CACHE, JSON.stringify(cache));
        return cache[key];
      }),
    );
  }
  return { raw: bytes.length, ...(await pending.get(key)) };
}

// `files` relative to <site>/<id>/; returns { files: [{ file, raw, gzip, brotli }], total }.
export async function pageBytes(site, id, files, brotliQuality) {
  const sizes = await Promise.all(
    files.map(async (file) => ({ file, ...(await compressedSizes(readFileSync(join(site, id, file)), brotliQuality)) })),
  );
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of sizes) for (const k of Object.keys(total)) total[k] += f[k];
  return { files: sizes, total };
}
