// A custom section appended to a wasm module: how the builder (and ./build.sh, for a corpus
// other than the default) gives a prebuilt engine its index. The module reads it from its own
// `WebAssembly.Module` when it starts (src/wasm/engine.rs: INDEX_SECTION), however it is loaded.

// The custom section the module reads its index from.
export const INDEX_SECTION = 'paper-search-index';

// A LEB128 unsigned integer, as wasm writes sizes.
function leb128(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

// `wasm` with a custom section appended: id 0, size, name, bytes. A custom section may come
// anywhere in a module, the end included, and changes nothing the module does.
export function withCustomSection(wasm, name, bytes) {
  const label = Buffer.from(name, 'utf8');
  const payload = Buffer.concat([leb128(label.length), label, bytes]);
  return Buffer.concat([wasm, Buffer.from([0]), leb128(payload.length), payload]);
}
