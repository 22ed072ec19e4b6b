// Assembles the npm package: the <paper-search> element, its styles and types, and the
// wasm-bindgen output it loads, laid out as in www/ so the element finds ./pkg/ beside itself.
//   node scripts/package.mjs [PKG_DIR] [OUT_DIR]     defaults: www/pkg, dist/npm
//
//   import 'paper-search';                     defines <paper-search>
//   import { load } from 'paper-search';       the initialized API, for your own rendering
//   import init, { search } from 'paper-search/api';   the raw wasm-bindgen module
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMain } from './is-main.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WWW = join(ROOT, 'www');

const ELEMENT_FILES = ['paper-search.js', 'paper-search.css', 'paper-search.d.ts'];
const PKG_FILES = ['paper_search.js', 'paper_search.d.ts', 'paper_search_bg.wasm', 'paper_search_bg.wasm.d.ts'];

function cargoField(name) {
  const manifest = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8');
  const m = new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, 'm').exec(manifest);
  return m?.[1];
}

export function buildPackage({ pkg = join(WWW, 'pkg'), out = join(ROOT, 'dist', 'npm') } = {}) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'pkg'), { recursive: true });
  for (const file of ELEMENT_FILES) copyFileSync(join(WWW, file), join(out, file));
  for (const file of PKG_FILES) copyFileSync(join(pkg, file), join(out, 'pkg', file));
  const manifest = {
    name: 'paper-search',
    version: cargoField('version'),
    description: cargoField('description'),
    license: cargoField('license'),
    type: 'module',
    main: './paper-search.js',
    types: './paper-search.d.ts',
    exports: {
      '.': { types: './paper-search.d.ts', default: './paper-search.js' },
      './api': { types: './pkg/paper_search.d.ts', default: './pkg/paper_search.js' },
      './paper-search.css': './paper-search.css',
      './paper_search_bg.wasm': './pkg/paper_search_bg.wasm',
      './package.json': './package.json',
    },
    files: [...ELEMENT_FILES, ...PKG_FILES.map((f) => `pkg/${f}`)],
    sideEffects: ['./paper-search.js'],
    keywords: ['search', 'wasm', 'web-component', 'custom-element', 'offline', 'papers'],
  };
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(out, 'README.md'), `# paper-search

Instant search over research papers in the browser: the corpus and its index are compiled into
a WebAssembly module, so there is no server to run.

\`\`\`js
import 'paper-search';                     // defines <paper-search>
import { load } from 'paper-search';       // the initialized API, to render results yourself
const { search, paper } = await load();
\`\`\`

\`\`\`html
<paper-search placeholder="Search papers…" limit="20"></paper-search>
\`\`\`

The raw wasm-bindgen module is \`paper-search/api\` (\`init\`, \`initSync\`, \`search\`, \`paper\`,
\`stats\`); its wasm file is \`paper-search/paper_search_bg.wasm\`.
`);
  return out;
}

if (isMain(import.meta.url)) {
  const [pkg, out] = process.argv.slice(2);
  console.log(`wrote ${buildPackage({ pkg, out })}`);
}
