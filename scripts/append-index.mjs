// Gives a prebuilt engine (built without an index) a corpus's index, as the npm package's
// builder does: ENGINE_WASM with INDEX_BIN appended as its `paper-search-index` custom
// section, written to OUT_WASM. ./build.sh runs it for every corpus but the default one, and
// for any semantic build (whose index holds the papers' vectors).
//   node scripts/append-index.mjs ENGINE_WASM INDEX_BIN OUT_WASM
import { readFileSync, writeFileSync } from 'node:fs';
import { INDEX_SECTION, withCustomSection } from '../builder/wasm-section.mjs';

const [engine, index, out] = process.argv.slice(2);
if (!out) {
  console.error('usage: node scripts/append-index.mjs ENGINE_WASM INDEX_BIN OUT_WASM');
  process.exit(2);
}
writeFileSync(out, withCustomSection(readFileSync(engine), INDEX_SECTION, readFileSync(index)));
