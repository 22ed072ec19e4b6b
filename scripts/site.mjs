// The files of a site beside its module folder (pkg/), listed once, and the two steps that make
// and copy them. The scripts are written readable in www/src/; a build serves them minified
// from www/ (with their source maps; git ignores both), and the single file and the npm
// package take them from there.
//
//   node scripts/site.mjs minify [WWW]               WWW/src/*.js → WWW/*.js + .map (default www)
//   node scripts/site.mjs copy DIR [--semantic]      the site's files from www/ into DIR
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMain } from './is-main.mjs';

const WWW = join(dirname(fileURLToPath(import.meta.url)), '..', 'www');

// The element: what a page that embeds the search loads, beside pkg/ (the filter bar's code
// only for a corpus with years, venues, types or authors).
export const ELEMENT = ['paper-search.js', 'paper-search.css', 'paper-search-filters.js'];
// The element's code for search by meaning, which only a semantic build's page fetches.
export const SEMANTIC = ['paper-search-semantic.js'];
// The demo page around the element (what the single file is made of)...
export const PAGE = ['index.html', 'style.css', 'favicon.svg'];
// ...and what the hosted demo page adds: its script, which registers the service worker.
export const HOSTED = ['app.js', 'sw.js'];

// The scripts served minified, each made from www/src/ with its map beside it (FILE.map), and
// how each is loaded: as a module, or as a classic script (the service worker).
export const MINIFIED = {
  'paper-search.js': 'esm', 'paper-search-filters.js': 'esm', 'paper-search-semantic.js': 'esm', 'app.js': 'esm', 'sw.js': 'iife',
};

/** `files` with the source map of each minified one after it. */
export function withMaps(files) {
  return files.flatMap((file) => (file in MINIFIED ? [file, `${file}.map`] : [file]));
}

/** Every file of a site beside pkg/; a semantic build's page also has the element's code for it. */
export function siteFiles({ semantic = false, maps = true } = {}) {
  const files = [...PAGE, ...HOSTED, ...ELEMENT, ...(semantic ? SEMANTIC : [])];
  return maps ? withMaps(files) : files;
}

/** Minifies www/src/'s scripts into www/, each with its source map (which holds the source). */
export async function minify(www = WWW) {
  // Imported here: the npm package ships this file for its lists, not esbuild.
  const esbuild = await import('esbuild');
  await Promise.all(Object.entries(MINIFIED).map(([file, format]) => esbuild.build({
    entryPoints: [join(www, 'src', file)],
    outfile: join(www, file),
    format,
    minify: true,
    sourcemap: true,
    logLevel: 'error',
  })));
}

/** Copies the site's files from `from` (www/ after a build) into `to`, beside its pkg/. */
export function copySite(from, to, options) {
  mkdirSync(to, { recursive: true });
  for (const file of siteFiles(options)) copyFileSync(join(from, file), join(to, file));
}

if (isMain(import.meta.url)) {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'minify') {
    await minify(args[0]);
  } else if (command === 'copy' && args[0]) {
    copySite(WWW, args[0], { semantic: args.includes('--semantic') });
  } else {
    console.error('usage: node scripts/site.mjs minify [WWW] | copy DIR [--semantic]');
    process.exit(2);
  }
}
