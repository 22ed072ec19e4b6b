// The static server of the scale benchmark: node:http on 127.0.0.1, as a static host would
// serve the sites.
//   - Every compressible file is sent brotli-compressed (quality 11, window 2^24, as the brotli
//     CLI precompresses) to a request that accepts `br`. Compressed files are kept on disk by
//     content hash (bench/work/scale/br/), so each file is compressed once across runs, and all
//     of a site's files are compressed before it is served.
//   - Files that are compressed already are sent as they are: `.gz`, and Pagefind's `.pagefind`
//     (its wasm), `.pf_meta`, `.pf_index` and `.pf_fragment`, which Pagefind writes
//     gzip-compressed and its own JS decompresses (a host that compressed them again would gain
//     nothing).
//   - cache-control max-age=600 with an ETag, as GitHub Pages sends; a conditional request is
//     answered 304.
//   - Cross-origin isolation headers (COOP/COEP), as the main benchmark's pages have, so that
//     performance.now() has 5 µs resolution in the pages.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants } from 'node:zlib';
import { ensureDir } from '../paths.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.gz': 'application/gzip',
};
export const PRECOMPRESSED = ['.gz', '.pagefind', '.pf_meta', '.pf_index', '.pf_fragment'];
const ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

const brotli = promisify(brotliCompress);
const compressible = (file) => !PRECOMPRESSED.some((ext) => file.endsWith(ext));

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (!e.name.startsWith('.')) out.push(p);
  }
  return out;
}

// Compresses every compressible file under `root` (or finds it in `cacheDir`); resolves to a
// map file → { etag, br: path of the compressed copy, or null when it is not smaller }.
async function precompress(root, cacheDir, log) {
  ensureDir(cacheDir);
  const files = walk(root);
  const table = new Map();
  const todo = [];
  for (const file of files) {
    const bytes = readFileSync(file);
    const hash = createHash('sha256').update(bytes).digest('hex');
    const entry = { etag: `"${hash.slice(0, 24)}"`, br: null, size: bytes.length };
    table.set(file, entry);
    if (!compressible(file) || bytes.length < 64) continue;
    const br = join(cacheDir, `${hash}.br`);
    const none = join(cacheDir, `${hash}.none`);
    if (existsSync(br)) entry.br = br;
    else if (!existsSync(none)) todo.push({ bytes, br, none, entry });
  }
  if (todo.length) {
    const mb = todo.reduce((n, t) => n + t.bytes.length, 0) / 1048576;
    log?.(`compressing ${todo.length} files (${mb.toFixed(1)} MB) with brotli quality 11 (kept in ${cacheDir})`);
  }
  // Compression runs in libuv's thread pool: a few files at a time.
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const { bytes, br, none, entry } = todo[next++];
      const out = await brotli(bytes, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_LGWIN]: 24,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      });
      if (out.length < bytes.length) {
        writeFileSync(`${br}.tmp`, out);
        renameSync(`${br}.tmp`, br);
        entry.br = br;
      } else {
        writeFileSync(none, '');
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return table;
}

// Serves `root`; resolves to { url, close, sent } where `sent` counts responses and body bytes
// as they left the server (a cross-check of the browser's own count).
export async function serve(root, { cacheDir, log } = {}) {
  const base = resolve(root);
  const table = await precompress(base, cacheDir, log);
  const sent = { responses: 0, bodyBytes: 0 };
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
      let file = normalize(join(base, path));
      if (file !== base && !file.startsWith(base + sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const entry = table.get(file);
      if (!entry) throw new Error('not found');
      const headers = {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'max-age=600',
        etag: entry.etag,
        vary: 'accept-encoding',
        ...ISOLATED,
      };
      if (req.headers['if-none-match'] === entry.etag) {
        res.writeHead(304, headers).end();
        sent.responses++;
        return;
      }
      const br = entry.br && /\bbr\b/.test(req.headers['accept-encoding'] ?? '');
      const body = await readFile(br ? entry.br : file);
      if (br) headers['content-encoding'] = 'br';
      headers['content-length'] = body.length;
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
      sent.responses++;
      sent.bodyBytes += body.length;
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain', ...ISOLATED }).end('not found');
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    sent,
    // Brotli bytes of the compressible files and raw bytes of the rest: what the site weighs
    // on the wire in all.
    wireBytes: () => [...table.values()].reduce((n, e) => n + (e.br ? statSync(e.br).size : e.size), 0),
    close: () =>
      new Promise((done) => {
        server.closeAllConnections?.();
        server.close(done);
      }),
  };
}
