// The npm package (./build.sh package) as a consumer sees it: resolved by name through its
// package.json `exports`, in Node (no browser, no bundler). And a check of www/'s source.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildPackage } from '../../scripts/package.mjs';
import { ROOT, WWW } from './helpers.mjs';

const app = mkdtempSync(join(tmpdir(), 'paper-search-consumer-'));
after(() => rmSync(app, { recursive: true, force: true }));
const dir = buildPackage({ out: join(app, 'node_modules', 'paper-search') });
const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

// Runs `source` as a module of the consumer's app, so bare specifiers resolve through
// node_modules/paper-search/package.json.
async function inApp(name, source) {
  const file = join(app, name);
  writeFileSync(file, source);
  return import(pathToFileURL(file).href);
}

test('package.json names an ES module with types for every export', () => {
  assert.equal(manifest.name, 'paper-search');
  assert.equal(manifest.type, 'module');
  assert.match(manifest.version, /^\d+\.\d+\.\d+/);
  for (const [entry, target] of Object.entries(manifest.exports)) {
    for (const path of typeof target === 'string' ? [target] : Object.values(target)) {
      assert.ok(existsSync(join(dir, path)), `${entry} → ${path} exists`);
    }
  }
  assert.equal(manifest.exports['.'].types, './paper-search.d.ts');
  assert.equal(manifest.exports['./api'].types, './pkg/paper_search.d.ts');
  for (const file of manifest.files) assert.ok(existsSync(join(dir, file)), `${file} is in the package`);
  assert.match(readFileSync(join(dir, 'paper-search.d.ts'), 'utf8'), /'paper-search': PaperSearchElement/);
});

test('the package carries the licence package.json names, and npm packs it', () => {
  assert.equal(manifest.license, 'MIT');
  const licence = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
  assert.match(licence, /^MIT License\n\nCopyright \(c\) \d{4} /);
  assert.equal(readFileSync(join(dir, 'LICENSE'), 'utf8'), licence);
  const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], { cwd: dir, encoding: 'utf8' });
  assert.equal(packed.status, 0, packed.stderr);
  const files = JSON.parse(packed.stdout)[0].files.map((f) => f.path);
  assert.ok(files.includes('LICENSE'), `npm pack lists ${files.join(', ')}`);
});

test('the package ships the element minified, with the source map of its readable source', () => {
  const source = readFileSync(join(WWW, 'src', 'paper-search.js'), 'utf8');
  const shipped = readFileSync(join(dir, 'paper-search.js'), 'utf8');
  assert.ok(shipped.length < source.length * 0.6, `${shipped.length} bytes shipped, ${source.length} in the source`);
  assert.ok(shipped.endsWith('\n//# sourceMappingURL=paper-search.js.map\n'));
  assert.ok(manifest.files.includes('paper-search.js.map'));
  const map = JSON.parse(readFileSync(join(dir, 'paper-search.js.map'), 'utf8'));
  assert.deepEqual(map.sourcesContent, [source]);
});

test('import "paper-search/api" searches once given the wasm', async () => {
  const { hits } = await inApp('api.mjs', `
    import { readFileSync } from 'node:fs';
    import { fileURLToPath } from 'node:url';
    import { initSync, search } from 'paper-search/api';
    initSync({ module: readFileSync(fileURLToPath(import.meta.resolve('paper-search/paper_search_bg.wasm'))) });
    export const { hits } = search('grokking', { limit: 3 });
  `);
  assert.match(hits[0].title, /grokking/i);
});

test('import "paper-search" loads outside a browser without defining anything', async () => {
  const element = await inApp('element.mjs', `export * from 'paper-search';`);
  assert.equal(typeof element.load, 'function');
  assert.equal(typeof element.PaperSearchElement, 'function');
});

test('www/ never parses strings as markup', () => {
  const src = join(WWW, 'src');
  for (const file of readdirSync(src).filter((f) => f.endsWith('.js'))) {
    const source = readFileSync(join(src, file), 'utf8');
    assert.doesNotMatch(source, /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write)\b/, file);
  }
});
