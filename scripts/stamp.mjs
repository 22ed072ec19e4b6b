// Writes PKG/build-id.js, the build's identity for the service worker (www/sw.js): a hash of
// the wasm module, its glue and the page files the worker caches. A changed file is a new id.
//   node scripts/stamp.mjs PKG_DIR [WWW_DIR]
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { siteFiles } from './site.mjs';

const [pkg = 'www/pkg', www = 'www'] = process.argv.slice(2);
const files = [
  join(pkg, 'paper_search_bg.wasm'), join(pkg, 'paper_search.js'),
  ...siteFiles({ semantic: true, maps: false }).map((f) => join(www, f)),
];
const hash = createHash('sha256');
for (const file of files) {
  if (!existsSync(file)) continue;
  hash.update(file.slice(file.lastIndexOf('/') + 1)).update('\0').update(readFileSync(file)).update('\0');
}
const id = hash.digest('hex').slice(0, 16);
writeFileSync(join(pkg, 'build-id.js'), `self.PAPER_SEARCH_BUILD = '${id}';\n`);
console.log(`build id ${id}`);
