// Prints the size of each file raw, gzip (level 9) and brotli (quality 11), and the total:
// what a browser downloads for the page. Brotli at quality 11 takes about 1.6 s a megabyte, so
// a file over 2 MiB (an embedded module of thousands of papers) is measured at quality 9,
// marked `*`: 0.15 s a megabyte, and about 10% larger than quality 11 on such a module.
//   node scripts/sizes.mjs FILE...
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const QUICK_ABOVE = 2 << 20;
const files = process.argv.slice(2);
const rows = files.map((file) => {
  const bytes = readFileSync(file);
  return {
    file: basename(file),
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: bytes.length > QUICK_ABOVE ? 9 : 11 } }).length,
    quick: bytes.length > QUICK_ABOVE,
  };
});
rows.push(rows.reduce((t, r) => ({ file: 'total', raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli, quick: t.quick || r.quick }),
  { file: 'total', raw: 0, gzip: 0, brotli: 0, quick: false }));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const width = Math.max(...rows.map((r) => r.file.length));
console.log(`${'file'.padEnd(width)}  ${'raw'.padStart(9)}  ${'gzip'.padStart(9)}  ${'brotli'.padStart(9)}`);
for (const r of rows) {
  console.log(`${r.file.padEnd(width)}  ${kb(r.raw).padStart(9)}  ${kb(r.gzip).padStart(9)}  ${kb(r.brotli).padStart(9)}${r.quick ? ' *' : ''}`);
}
if (rows.some((r) => r.quick)) console.log('* brotli at quality 9 for files over 2 MiB (quality 11, what a host precompresses with, is about 9% smaller)');
