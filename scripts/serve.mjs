// A small static file server for www/, bound to 127.0.0.1 only.
//   node scripts/serve.mjs DIR [PORT] [--cors]   PORT 0 picks a free port; --cors lets pages of
//                                                other origins fetch (the wasm tests' parts)
// Prints the URL on its first line of output. Serves .wasm as application/wasm (needed for
// streaming compilation) and sends no caching headers that would hide a rebuild.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { isMain } from './is-main.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
  '.ts': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export function startServer(dir, port = 0, { headers = {} } = {}) {
  const base = resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
      let file = normalize(join(base, path));
      if (file !== base && !file.startsWith(base + sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
        ...headers,
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain', ...headers }).end('not found');
    }
  });
  return new Promise((done) => {
    server.listen(port, '127.0.0.1', () => done({ server, url: `http://127.0.0.1:${server.address().port}/` }));
  });
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const [dir = 'www', port = '8000'] = args.filter((a) => !a.startsWith('--'));
  const headers = args.includes('--cors') ? { 'access-control-allow-origin': '*' } : {};
  const { url } = await startServer(dir, Number(port), { headers });
  console.log(`paper-search is served at ${url}  (Ctrl+C stops)`);
}
