// Builds paper-search for use from disk (file://), where browsers refuse module scripts and
// fetches: one classic script that holds everything, and one HTML file with it inlined.
//
//   node scripts/single.mjs [PKG_DIR] [OUT_DIR]       defaults: www/pkg, dist
//     OUT_DIR/paper-search-standalone.js   <script src="paper-search-standalone.js"></script>
//     OUT_DIR/paper-search.html            the demo page, nothing beside it needed
//
// How it fits together: the script evaluates the wasm-bindgen glue as a function whose result
// is its exports, publishes `globalThis[Symbol.for('paper-search.config')] = { load, css }`,
// then runs paper-search.js (its exports likewise turned into locals), which finds that config
// and neither fetches its stylesheet nor imports ./pkg/ (nor its filter bar, inlined as `filters`). The wasm module is inlined gzip'd and
// base64'd, decompressed with DecompressionStream and handed to the glue's initSync.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { isMain } from './is-main.mjs';

const WWW = join(dirname(fileURLToPath(import.meta.url)), '..', 'www');

// `export function f` / `export { a, b as c }` → plain declarations, and an expression that
// evaluates the module's body in a function scope and returns its exports as one object. A
// minified module (www/paper-search.js as a build leaves it) ends with its one `export{…}`,
// after a `;` or `}` on the same line. A classic script has no import.meta: its uses (default
// URLs that the inlined build never takes) become the document's URL. The module's source map
// comment goes: the map is not inlined.
export function moduleAsExpression(source) {
  const exported = new Map();
  let body = source.replace(/^\/\/# sourceMappingURL=\S*\s*$/m, '');
  body = body.replace(
    /^export (async function\*?|function\*?|class|const|let|var) ([A-Za-z_$][\w$]*)/gm,
    (_, kind, name) => { exported.set(name, name); return `${kind} ${name}`; },
  );
  body = body.replace(/(^|[;}])export ?\{([^}]*)\};?[ \t]*$/gm, (_, before, list) => {
    for (const item of list.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [local, name = local] = item.split(/\s+as\s+/);
      exported.set(name, local);
    }
    return before;
  });
  body = body.replace(/\bimport\.meta\.url\b/g, 'document.baseURI');
  if (/(^|[;}])\s*(export\b|import[\s{*'"])|\bimport\.meta\b/m.test(body)) {
    throw new Error('single.mjs: a module has an import or export form this builder does not know');
  }
  const entries = [...exported].map(([name, local]) => `${JSON.stringify(name)}: ${local}`).join(', ');
  return `(() => {\n${body}\nreturn Object.freeze({ ${entries} });\n})()`;
}

// Text that goes inside <script> or <style> must not close the element early.
function inlineSafe(text, tag) {
  if (new RegExp(`</${tag}|<!--`, 'i').test(text)) {
    throw new Error(`single.mjs: the code to inline contains "</${tag}" or "<!--"`);
  }
  return text;
}

const jsString = (text) => JSON.stringify(text).replace(/</g, '\\u003c');
const read = (dir, file) => readFileSync(join(dir, file), 'utf8');

// One classic script: the module, its glue, the element and its styles.
export function buildStandalone({ pkg = join(WWW, 'pkg'), www = WWW } = {}) {
  const wasmGz = gzipSync(readFileSync(join(pkg, 'paper_search_bg.wasm')), { level: 9 }).toString('base64');
  return inlineSafe(`// paper-search, standalone: the <paper-search> element with its wasm module inlined.
(() => {
const api = ${moduleAsExpression(read(pkg, 'paper_search.js'))};
const WASM_GZIP_BASE64 = "${wasmGz}";
function base64Bytes(text) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
globalThis[Symbol.for('paper-search.config')] = {
  css: ${jsString(read(www, 'paper-search.css'))},
  filters: ${moduleAsExpression(read(www, 'paper-search-filters.js'))},
  async load() {
    const gz = new Blob([base64Bytes(WASM_GZIP_BASE64)]).stream();
    const bytes = await new Response(gz.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
    const module = await WebAssembly.compile(bytes);
    api.initSync({ module });
    return api;
  },
};
${moduleAsExpression(read(www, 'paper-search.js'))};
})();
`, 'script');
}

// The demo page with its styles and the standalone script inlined.
export function buildSingle({ pkg = join(WWW, 'pkg'), www = WWW } = {}) {
  let html = read(www, 'index.html');
  const replace = (pattern, replacement) => {
    if (!pattern.test(html)) throw new Error(`single.mjs: index.html has no ${pattern}`);
    html = html.replace(pattern, () => replacement);
  };
  replace(/<link rel="icon" href="favicon.svg">/,
    `<link rel="icon" href="data:image/svg+xml,${encodeURIComponent(readFileSync(join(www, 'favicon.svg'), 'utf8').trim())}">`);
  replace(/<link rel="stylesheet" href="style.css">/, `<style>\n${inlineSafe(read(www, 'style.css'), 'style')}</style>`);
  // The service worker and its page script are for the hosted page, not for a file.
  replace(/[ \t]*<script type="module" src="app.js"><\/script>\n/, '');
  // Everything is inlined: nothing to preload.
  replace(/[ \t]*<!-- Optional: start loading[^\n]*\n(?:[ \t]*<link rel="(?:modulepreload|preload)"[^\n]*\n)+/, '');
  replace(/<script type="module" src="paper-search.js"><\/script>/, `<script>\n${buildStandalone({ pkg, www })}</script>`);
  return html;
}

if (isMain(import.meta.url)) {
  const [pkg = join(WWW, 'pkg'), out = 'dist'] = process.argv.slice(2);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'paper-search-standalone.js'), buildStandalone({ pkg }));
  writeFileSync(join(out, 'paper-search.html'), buildSingle({ pkg }));
  console.log(`wrote ${join(out, 'paper-search.html')} and ${join(out, 'paper-search-standalone.js')}`);
}
