// Assembles the npm package: the <paper-search> element, its styles and types, and the
// wasm-bindgen output it loads (the default corpus), laid out as in www/ so the element finds
// ./pkg/ beside itself; and the site builder (`npx paper-search build`): the indexer compiled
// to wasm for Node, the engines without an index (embedded and sharded) that it appends an
// index to, and the demo page for its one-file output.
// With a model, also the model's package beside it (OUT_DIR-model, `paper-search-model`): the
// sentence model, the semantic engine (which embeds the papers in the builder's worker threads
// and the queries in the page) and the element's code for meaning, which `npx paper-search build
// --semantic` finds installed and checks against the hashes the main package records.
//   node scripts/package.mjs [PKG_DIR] [OUT_DIR] [ENGINES_DIR] [MODEL]   defaults: www/pkg, dist/npm, target/npm
//   ENGINES_DIR holds engine/, engine-shards/, indexer/ and, with MODEL (the gzipped model file,
//   named as a build serves it), engine-semantic/ (./build.sh package builds them); without it
//   the package has no builder.
//
//   import 'paper-search';                     defines <paper-search>
//   import { load } from 'paper-search';       the initialized API, for your own rendering
//   import init, { search } from 'paper-search/api';   the raw wasm-bindgen module
//   npx paper-search build papers.jsonl --out public/search
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMain } from './is-main.mjs';
import { ELEMENT, PAGE, SEMANTIC, withMaps } from './site.mjs';

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
  ['builder', 'semantic.mjs'], ['builder', 'embed-worker.mjs'],
  ['scripts', 'single.mjs'], ['scripts', 'site.mjs'], ['scripts', 'is-main.mjs'],
];
const ENGINE_FILES = { engine: ['paper_search.js', 'paper_search_bg.wasm'], 'engine-shards': ['paper_search.js', 'paper_search_bg.wasm'], indexer: ['paper_search.js', 'paper_search_bg.wasm', 'paper_search.d.ts'] };

function cargoField(name) {
  const manifest = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8');
  const m = new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, 'm').exec(manifest);
  return m?.[1];
}

export function buildPackage({ pkg = join(WWW, 'pkg'), out = join(ROOT, 'dist', 'npm'), engines = null, model = null } = {}) {
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
    if (model) {
      // The model's package, and what the builder checks it by.
      const { name, version, hashes } = buildModelPackage({ out: `${out}-model`, engines, model });
      writeFileSync(join(out, 'builder', 'model.json'), `${JSON.stringify({ name, version, hashes }, null, 2)}\n`);
      files.push('builder/model.json');
    }
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

/**
 * The model's package into `out`: the model file (gzipped, under the name a build serves it by),
 * its notice and licences, the semantic engine (`engine/`), and the element's code for meaning.
 * Returns its name, version, and the SHA-256 of each file the builder uses.
 */
export function buildModelPackage({ out, engines, model }) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'engine'), { recursive: true });
  const files = [
    [model, basename(model)],
    [join(engines, 'engine-semantic', 'paper_search.js'), 'engine/paper_search.js'],
    [join(engines, 'engine-semantic', 'paper_search_bg.wasm'), 'engine/paper_search_bg.wasm'],
    ...withMaps(SEMANTIC).map((f) => [join(WWW, f), f]),
  ];
  const hashes = {};
  for (const [from, to] of files) {
    copyFileSync(from, join(out, to));
    hashes[to] = createHash('sha256').update(readFileSync(from)).digest('hex');
  }
  for (const file of ['MODEL-NOTICE.md', 'MODEL-LICENSE']) copyFileSync(join(ROOT, 'data', file), join(out, file));
  copyFileSync(join(ROOT, 'LICENSE'), join(out, 'LICENSE'));
  const name = 'paper-search-model';
  const version = cargoField('version');
  const manifest = {
    name,
    version,
    description: 'The sentence model (all-MiniLM-L6-v2, int8) and semantic engine of paper-search: what `npx paper-search build --semantic` needs.',
    license: 'MIT AND Apache-2.0',
    type: 'module',
    files: [...files.map(([, to]) => to), 'MODEL-NOTICE.md', 'MODEL-LICENSE', 'LICENSE'],
    exports: { './package.json': './package.json' },
  };
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(out, 'README.md'), `# paper-search-model\n\nSearch by meaning for [paper-search](https://www.npmjs.com/package/paper-search)'s builder: install it beside paper-search ${version} and build with \`npx paper-search build <corpus> --out <dir> --semantic\`. It holds the sentence model all-MiniLM-L6-v2 with int8 weights (see MODEL-NOTICE.md and MODEL-LICENSE, Apache-2.0), the engine that embeds papers and queries with it, and the element's code for search by meaning (MIT).\n`);
  return { name, version, hashes };
}

if (isMain(import.meta.url)) {
  const [pkg, out, engines, model] = process.argv.slice(2);
  console.log(`wrote ${buildPackage({ pkg, out, engines, model })}`);
}
