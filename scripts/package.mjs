// Assembles the npm package: the <paper-search> element, its styles and types, and the
// wasm-bindgen output it loads (the default corpus), laid out as in www/ so the element finds
// ./pkg/ beside itself; and the site builder (`npx paper-search build`): the indexer compiled
// to wasm for Node, the engines without an index (embedded and sharded) that it appends an
// index to, and the demo page for its one-file output.
//   node scripts/package.mjs [PKG_DIR] [OUT_DIR] [ENGINES_DIR]   defaults: www/pkg, dist/npm, target/npm
//   ENGINES_DIR holds engine/, engine-shards/ and indexer/ (./build.sh package builds them);
//   without it the package has no builder.
//
//   import 'paper-search';                     defines <paper-search>
//   import { load } from 'paper-search';       the initialized API, for your own rendering
//   import init, { search } from 'paper-search/api';   the raw wasm-bindgen module
//   npx paper-search build papers.jsonl --out public/search
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMain } from './is-main.mjs';
import { ELEMENT, PAGE, withMaps } from './site.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WWW = join(ROOT, 'www');

// The element as a build leaves it in www/ (minified, with its source map), and its types.
const ELEMENT_FILES = [...withMaps(ELEMENT), 'paper-search.d.ts'];
const PKG_FILES = ['paper_search.js', 'paper_search.d.ts', 'paper_search_bg.wasm', 'paper_search_bg.wasm.d.ts'];
// The demo page, which the builder's one-file output is made of.
const PAGE_FILES = PAGE;
// The builder: its code (from builder/ and scripts/), the engines it copies, the indexer it runs.
const BUILDER_FILES = [
  ['builder', 'build.mjs'], ['builder', 'cli.mjs'], ['builder', 'gzip-worker.mjs'], ['builder', 'wasm-section.mjs'],
  ['scripts', 'single.mjs'], ['scripts', 'site.mjs'], ['scripts', 'is-main.mjs'],
];
const ENGINE_FILES = { engine: ['paper_search.js', 'paper_search_bg.wasm'], 'engine-shards': ['paper_search.js', 'paper_search_bg.wasm'], indexer: ['paper_search.js', 'paper_search_bg.wasm', 'paper_search.d.ts'] };

function cargoField(name) {
  const manifest = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8');
  const m = new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, 'm').exec(manifest);
  return m?.[1];
}

export function buildPackage({ pkg = join(WWW, 'pkg'), out = join(ROOT, 'dist', 'npm'), engines = null } = {}) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'pkg'), { recursive: true });
  for (const file of [...ELEMENT_FILES, ...PAGE_FILES]) copyFileSync(join(WWW, file), join(out, file));
  for (const file of PKG_FILES) copyFileSync(join(pkg, file), join(out, 'pkg', file));
  const files = [...ELEMENT_FILES, ...PAGE_FILES, ...PKG_FILES.map((f) => `pkg/${f}`)];
  if (engines) {
    mkdirSync(join(out, 'builder'), { recursive: true });
    for (const [dir, file] of BUILDER_FILES) copyFileSync(join(ROOT, dir, file), join(out, 'builder', file));
    for (const [dir, list] of Object.entries(ENGINE_FILES)) {
      mkdirSync(join(out, dir), { recursive: true });
      for (const file of list) copyFileSync(join(engines, dir, file), join(out, dir, file));
      files.push(...list.map((f) => `${dir}/${f}`));
    }
    files.push(...BUILDER_FILES.map(([, f]) => `builder/${f}`));
    // The indexer is a CommonJS module (wasm-bindgen's nodejs target) in an ES module package.
    writeFileSync(join(out, 'indexer', 'package.json'), '{ "type": "commonjs" }\n');
    files.push('indexer/package.json');
  }
  const manifest = {
    name: 'paper-search',
    version: cargoField('version'),
    description: cargoField('description'),
    license: cargoField('license'),
    type: 'module',
    main: './paper-search.js',
    types: './paper-search.d.ts',
    ...(engines ? { bin: { 'paper-search': './builder/cli.mjs' }, engines: { node: '>=20' } } : {}),
    exports: {
      '.': { types: './paper-search.d.ts', default: './paper-search.js' },
      './api': { types: './pkg/paper_search.d.ts', default: './pkg/paper_search.js' },
      './paper-search.css': './paper-search.css',
      './paper_search_bg.wasm': './pkg/paper_search_bg.wasm',
      ...(engines ? { './builder': './builder/build.mjs' } : {}),
      './package.json': './package.json',
    },
    files,
    sideEffects: ['./paper-search.js'],
    keywords: ['search', 'wasm', 'web-component', 'custom-element', 'offline', 'papers'],
  };
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  copyFileSync(join(ROOT, 'builder', 'README.md'), join(out, 'README.md'));
  // The licence that package.json names, as text with its copyright line.
  copyFileSync(join(ROOT, 'LICENSE'), join(out, 'LICENSE'));
  return out;
}

if (isMain(import.meta.url)) {
  const [pkg, out, engines] = process.argv.slice(2);
  console.log(`wrote ${buildPackage({ pkg, out, engines })}`);
}
