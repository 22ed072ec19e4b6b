// paper-search itself, in Node: the wasm-bindgen `--target web` glue initialized synchronously
// from the built module (the page does the same through `init()`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const name = 'paper-search';
export const setup = 'the built page (www/ and www/pkg/ from ./build.sh); search(query, { limit }), and search(query, { limit, highlight: false }) for the rows without highlighting';

// `pkg` is a folder with paper_search.js and paper_search_bg.wasm.
export async function loadBuilt(pkg) {
  const api = await import(pathToFileURL(join(pkg, 'paper_search.js')).href);
  const wasm = api.initSync({ module: readFileSync(join(pkg, 'paper_search_bg.wasm')) });
  const search = (query, limit) => api.search(query, { limit });
  search.plain = (query, limit) => api.search(query, { limit, highlight: false });
  search.wasmMemory = () => wasm.memory.buffer.byteLength;
  search.api = api;
  return search;
}
