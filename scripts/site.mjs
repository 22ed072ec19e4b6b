// The files of a site beside its module folder (pkg/), listed once, and the step that copies
// them from www/.
//
//   node scripts/site.mjs copy DIR [--semantic]      the site's files from www/ into DIR
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMain } from './is-main.mjs';

const WWW = join(dirname(fileURLToPath(import.meta.url)), '..', 'www');

// The element: what a page that embeds the search loads, beside pkg/.
export const ELEMENT = ['paper-search.js', 'paper-search.css'];
// The element's code for search by meaning, which only a semantic build's page fetches.
export const SEMANTIC = ['paper-search-semantic.js'];
// The demo page around the element (what the single file is made of)...
export const PAGE = ['index.html', 'style.css', 'favicon.svg'];
// ...and what the hosted demo page adds: its script, which registers the service worker.
export const HOSTED = ['app.js', 'sw.js'];

/** Every file of a site beside pkg/; a semantic build's page also has the element's code for it. */
export function siteFiles({ semantic = false } = {}) {
  return [...PAGE, ...HOSTED, ...ELEMENT, ...(semantic ? SEMANTIC : [])];
}

/** Copies the site's files from `from` (www/ after a build) into `to`, beside its pkg/. */
export function copySite(from, to, options) {
  mkdirSync(to, { recursive: true });
  for (const file of siteFiles(options)) copyFileSync(join(from, file), join(to, file));
}

if (isMain(import.meta.url)) {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'copy' && args[0]) {
    copySite(WWW, args[0], { semantic: args.includes('--semantic') });
  } else {
    console.error('usage: node scripts/site.mjs copy DIR [--semantic]');
    process.exit(2);
  }
}
