// Gives a prebuilt engine (built without an index) a corpus's index, as the npm package's
// builder does: ENGINE_WASM with INDEX_BIN appended as its `paper-search-index` custom
// section (and, for search by meaning, VECTORS_BIN, the papers' vectors, as its
// `paper-search-vectors` section), written to OUT_WASM. ./build.sh runs it for every corpus
// but the default one, and for any semantic build.
//   node scripts/append-index.mjs ENGINE_WASM INDEX_BIN OUT_WASM [VECTORS_BIN]
import { readFileSync, writeFileSync } from 'node:fs';
import { INDEX_SECTION, VECTORS_SECTION, withCustomSection } from '../builder/wasm-section.mjs';

const [engine, index, out, vectors] = process.argv.slice(2);
if (!out) {
  console.error('usage: node scripts/append-index.mjs ENGINE_WASM INDEX_BIN OUT_WASM [VECTORS_BIN]');
  process.exit(2);
}
let wasm = withCustomSection(readFileSync(engine), INDEX_SECTION, readFileSync(index));
if (vectors) wasm = withCustomSection(wasm, VECTORS_SECTION, readFileSync(vectors));
writeFileSync(out, wasm);
