// Prints the size of each file raw, gzip (level 9) and brotli (quality 11), and the total:
// what a browser downloads for the page.
//   node scripts/sizes.mjs FILE...
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const files = process.argv.slice(2);
const rows = files.map((file) => {
  const bytes = readFileSync(file);
  return {
    file: basename(file),
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
});
rows.push(rows.reduce((t, r) => ({ file: 'total', raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }),
  { file: 'total', raw: 0, gzip: 0, brotli: 0 }));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const width = Math.max(...rows.map((r) => r.file.length));
console.log(`${'file'.padEnd(width)}  ${'raw'.padStart(9)}  ${'gzip'.padStart(9)}  ${'brotli'.padStart(9)}`);
for (const r of rows) {
  console.log(`${r.file.padEnd(width)}  ${kb(r.raw).padStart(9)}  ${kb(r.gzip).padStart(9)}  ${kb(r.brotli).padStart(9)}`);
}
