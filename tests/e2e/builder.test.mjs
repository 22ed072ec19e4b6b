// The npm package's site builder as a site owner meets it: the package packed (BUILDER_TARBALL,
// made by `./build.sh test`), installed into an empty folder, and `npx paper-search build` run
// with nothing but Node on the PATH (no cargo, no rustc). The sites it writes are searched in
// headless Chromium and compared, query by query, with `./build.sh`'s builds of the same
// corpora: the default corpus (www/pkg), SciFact sharded (NATIVE_SCIFACT), a JSON Lines file
// of a few papers (HOSTILE_PKG, tests/fixtures/hostile.jsonl) and a .bib file with bad entries
// among good ones (NATIVE_BIB, tests/fixtures/collections/publications.bib), whose skipped
// entries the builder reports as the native indexer does, and stops on with --strict.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ask, filterBar, launch, nodeOnlyEnv, open, ready, ui, ROOT, WWW } from './helpers.mjs';
import { ELEMENT, withMaps } from '../../scripts/site.mjs';

const TARBALL = process.env.BUILDER_TARBALL;
const NATIVE_SCIFACT = process.env.NATIVE_SCIFACT;
const HOSTILE_PKG = process.env.HOSTILE_PKG;
const NATIVE_INDEXER = process.env.NATIVE_INDEXER;
const NATIVE_BIB = process.env.NATIVE_BIB;
if (!TARBALL || !NATIVE_SCIFACT || !HOSTILE_PKG || !NATIVE_INDEXER || !NATIVE_BIB) {
  throw new Error('BUILDER_TARBALL, NATIVE_SCIFACT, HOSTILE_PKG, NATIVE_INDEXER and NATIVE_BIB name what to test (./build.sh test makes them)');
}
const SCIFACT = join(ROOT, '..', 'shared', 'scifact', 'corpus.jsonl');
const HOSTILE = join(ROOT, 'tests', 'fixtures', 'hostile.jsonl');
const DEFAULT = join(ROOT, 'data', 'papers.txt');
const BIB = join(ROOT, 'tests', 'fixtures', 'collections', 'publications.bib');

const tmp = mkdtempSync(join(tmpdir(), 'paper-search-builder-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// What a site owner with Node alone has: no cargo, no rustc.
const nodeOnly = nodeOnlyEnv(tmp);

// The site owner's project: an empty folder with the packed package installed into it.
const app = join(tmp, 'app');
function run(command, args, options = {}) {
  return spawnSync(command, args, { cwd: app, env: nodeOnly, encoding: 'utf8', ...options });
}
function npxBuild(...args) {
  return run('npx', ['--no-install', 'paper-search', 'build', ...args]);
}

// A page with the element: the two lines the builder printed, or for a native build the ones
// the README gives.
function page(snippet) {
  return `<!doctype html>\n<meta charset="utf-8">\n<title>Papers</title>\n${snippet.join('\n')}\n`;
}
const NATIVE_SNIPPET = ['<script type="module" src="paper-search.js"></script>', '<paper-search limit="10"></paper-search>'];

// `./build.sh`'s module folder made into a site like the builder's: the element beside pkg/.
function nativeSite(name, pkg) {
  const dir = join(tmp, `native-${name}`);
  cpSync(pkg, join(dir, 'pkg'), { recursive: true });
  for (const file of withMaps(ELEMENT)) copyFileSync(join(WWW, file), join(dir, file));
  writeFileSync(join(dir, 'index.html'), page(NATIVE_SNIPPET));
  return dir;
}

// The two lines the builder told the owner to paste.
function snippetOf(stderr) {
  const lines = stderr.split('\n');
  const at = lines.findIndex((l) => l.startsWith('Paste these two lines'));
  assert.ok(at >= 0, `the builder printed no snippet:\n${stderr}`);
  return lines.slice(at + 1, at + 3).map((l) => l.trim());
}

const queriesOf = (mix) => readFileSync(join(ROOT, 'bench', `queries-${mix}.jsonl`), 'utf8')
  .split('\n').filter(Boolean).map((line) => JSON.parse(line).q);

const CORPORA = {
  default: { corpus: DEFAULT, native: () => join(WWW, 'pkg'), queries: queriesOf('default'), sharded: false },
  scifact: { corpus: SCIFACT, native: () => NATIVE_SCIFACT, queries: queriesOf('scifact'), sharded: true },
  'a few papers in JSON Lines': {
    corpus: HOSTILE, native: () => HOSTILE_PKG, sharded: false,
    queries: [...queriesOf('default'), 'script', 'images', 'quotes', 'mark', 'javascript', 'h1', '<b>'],
  },
  'a .bib with bad entries': {
    corpus: BIB, native: () => NATIVE_BIB, sharded: false,
    queries: [...queriesOf('default'), 'quantenmechanik', 'Schrödinger', 'schrodinger', 'attention', 'lodz', 'łódź',
      'sequencing', 'LoRA', 'low-rank', 'random graphs', 'symphonies', 'Unbalanced', 'Duplicate', '"a Thesis"'],
  },
};
const built = {};

before(() => {
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), '{ "name": "my-papers", "private": true }\n');
  const install = run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', TARBALL]);
  assert.equal(install.status, 0, `npm install of the packed package failed:\n${install.stderr}`);
  for (const [name, { corpus }] of Object.entries(CORPORA)) {
    const out = join(app, 'sites', name.replace(/\W+/g, '-'));
    const result = npxBuild(corpus, '--out', out);
    assert.equal(result.status, 0, `npx paper-search build ${corpus} failed:\n${result.stderr}`);
    writeFileSync(join(out, 'index.html'), page(snippetOf(result.stderr)));
    built[name] = { out, log: result.stderr };
  }
});

test('the packed package holds the licence text', () => {
  const listing = spawnSync('tar', ['-tzf', TARBALL], { encoding: 'utf8' });
  assert.equal(listing.status, 0, listing.stderr);
  assert.ok(listing.stdout.split('\n').includes('package/LICENSE'), `the tarball lists:\n${listing.stdout}`);
  const installed = readFileSync(join(app, 'node_modules', 'paper-search', 'LICENSE'), 'utf8');
  assert.equal(installed, readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
});

test('the builder runs where neither cargo nor rustc is on the PATH', () => {
  for (const tool of ['cargo', 'rustc']) {
    const found = run(tool, ['--version']);
    assert.equal(found.error?.code, 'ENOENT', `${tool} must not be found on the builder's PATH`);
  }
  assert.match(built.default.log, /208 papers, embedded, written to/);
  assert.match(built.scifact.log, /5183 papers, sharded, written to/);
  assert.match(built.scifact.log, /pkg\/index-[0-9a-f]{16}\/ +\d+ part files, [\d.]+ MB gzipped/);
});

for (const [name, { native, queries, sharded }] of Object.entries(CORPORA)) {
  test(`${name}: every query of the benchmark mix answers as ./build.sh's build does`, async (t) => {
    const [mine, theirs] = await Promise.all([open({ dir: built[name].out }), open({ dir: nativeSite(name, native()) })]);
    t.after(() => Promise.all([mine.close(), theirs.close()]));
    await Promise.all([mine.page.goto(mine.url), theirs.page.goto(theirs.url)]);
    await Promise.all([ready(mine.page), ready(theirs.page)]);
    const calls = queries.map((q) => ['searchAsync', q, { limit: 20 }]);
    const [fromBuilder, fromBuild] = await Promise.all([ask(mine.page, calls), ask(theirs.page, calls)]);
    for (const [i, q] of queries.entries()) {
      assert.deepEqual(fromBuilder[i], fromBuild[i], `the query ${JSON.stringify(q)}`);
    }
    assert.ok(fromBuild.some((r) => r.hits.length > 0), 'some queries find papers');
    const ids = [...new Set(fromBuild.flatMap((r) => r.hits.slice(0, 1).map((h) => h.id)))].slice(0, 20);
    const papers = ids.flatMap((id) => [['paperAsync', id], ['relatedAsync', id, 5]]);
    const [a, b] = await Promise.all([ask(mine.page, papers), ask(theirs.page, papers)]);
    assert.deepEqual(a, b, 'papers and related papers');
    const [stats] = await ask(mine.page, [['stats']]);
    assert.equal(stats.sharded, sharded);
    assert.deepEqual([...mine.errors, ...theirs.errors], []);
  });
}

test('the snippet the builder printed puts a working search box on the page', async (t) => {
  const site = await open({ dir: built.default.out });
  t.after(() => site.close());
  await site.page.goto(site.url);
  await ready(site.page);
  await ui(site.page).input.fill('grokking');
  assert.match(await ui(site.page).titles.first().textContent(), /grokking/i);
});

test('a .bib site from the builder has its filter bar, whose code the builder copied', async (t) => {
  const site = await open({ dir: built['a .bib with bad entries'].out });
  t.after(() => site.close());
  const missing = [];
  site.page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) missing.push(r.url()); });
  await site.page.goto(`${site.url}?type=article`);
  await ready(site.page);
  await ui(site.page).options.first().waitFor();
  assert.deepEqual(await filterBar(site.page).bars.evaluateAll((bars) => bars.map((b) => b.dataset.year)).then((y) => [y[0], y.at(-1)]), ['1935', '2022']);
  assert.equal(await filterBar(site.page).chip('type', 'article').getAttribute('aria-pressed'), 'true');
  assert.deepEqual(missing, []);
});

// Every file under `dir`, hashed: what a failed build must leave alone.
function checksum(dir) {
  const hash = createHash('sha256');
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
      const path = join(d, entry.name);
      hash.update(path);
      if (entry.isDirectory()) walk(path);
      else hash.update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

test('a malformed corpus: the error the build gives, and the output folder as it was', () => {
  const out = built['a few papers in JSON Lines'].out;
  const before = checksum(out);
  const malformed = join(ROOT, 'tests', 'fixtures', 'malformed');
  const cases = readdirSync(malformed);
  assert.ok(cases.length >= 5);
  for (const file of cases) {
    const corpus = join(malformed, file);
    const result = npxBuild(corpus, '--out', out);
    assert.equal(result.status, 1, `${file}: the builder must fail`);
    // The native indexer, on the same file, says the same.
    const native = spawnSync(NATIVE_INDEXER, [corpus, join(tmp, 'native-error')], { encoding: 'utf8' });
    const message = native.stderr.split('\n').find((l) => l.startsWith('error: '));
    assert.match(message, new RegExp(`${file.replace('.', '\\.')}:\\d+: [^;]+; `), `${file}: the native indexer's error`);
    assert.equal(result.stderr.trim(), message, `${file}: the builder's error`);
    assert.doesNotMatch(result.stderr, /panicked|RuntimeError|at .*\.mjs:\d+/);
  }
  const tooLarge = join(tmp, 'two-thousand-and-one.jsonl');
  writeFileSync(tooLarge, Array.from({ length: 2001 }, (_, i) => JSON.stringify({ id: `p${i}`, title: `Paper ${i}`, abstract: `Words of paper ${i}.` })).join('\n'));
  const single = npxBuild(tooLarge, '--out', out, '--single');
  assert.equal(single.status, 1);
  assert.match(single.stderr, /2001 papers are more than one file should hold.*--shards off/);
  const usage = npxBuild('--out', out);
  assert.equal(usage.status, 1);
  assert.match(usage.stderr, /usage: paper-search build <corpus> --out <dir>/);
  const semantic = npxBuild(tooLarge, '--out', out, '--semantic');
  assert.equal(semantic.status, 1);
  // This project has no model package: the builder says what to install.
  assert.match(semantic.stderr, /^error: --semantic: search by meaning needs the model's package \(about 25 MB\), which is not installed: run `npm install paper-search-model@\d+\.\d+\.\d+` in this folder, then build again$/m);
  assert.equal(checksum(out), before, 'the output folder is unchanged');
});

// The lines of a build's output that name entries: warnings (left out) or errors (--strict).
const entryLines = (stderr, level) => stderr.split('\n').filter((l) => l.startsWith(`${level}: `) && /:\d+: /.test(l));

test('a .bib with bad entries: the builder skips and reports them as the native indexer does', () => {
  const native = spawnSync(NATIVE_INDEXER, [BIB, join(tmp, 'native-bib')], { encoding: 'utf8' });
  assert.equal(native.status, 0, native.stderr);
  const warnings = entryLines(native.stderr, 'warning');
  assert.equal(warnings.length, 5, native.stderr);
  assert.match(warnings[0], /publications\.bib:70: entry unbalanced2018: unbalanced braces: /);
  const log = built['a .bib with bad entries'].log;
  assert.deepEqual(entryLines(log, 'warning'), warnings, 'the same skipped entries, the same messages');
  assert.match(log, /6 papers, embedded, written to/);
  assert.match(log.trim().split('\n').at(-1), /^paper-search: 6 of 11 entries indexed, 5 skipped \(listed above\)$/);
  assert.match(native.stderr, /paper-search-index: 6 of 11 entries indexed, 5 skipped \(listed above\)/);
});

test('--strict: a .bib with bad entries stops the builder as it stops the native indexer, the output as it was', () => {
  const out = built['a .bib with bad entries'].out;
  const before = checksum(out);
  const native = spawnSync(NATIVE_INDEXER, [BIB, join(tmp, 'native-bib-strict'), '--strict'], { encoding: 'utf8' });
  assert.equal(native.status, 1, native.stderr);
  const errors = native.stderr.trim().split('\n').filter((l) => l.startsWith('error: '));
  assert.equal(errors.length, 6, native.stderr);
  assert.match(errors[5], /5 of 11 entries could not be read \(listed above\), and strict mode/);
  const result = npxBuild(BIB, '--out', out, '--strict');
  assert.equal(result.status, 1, result.stderr);
  assert.deepEqual(result.stderr.trim().split('\n'), errors, 'the same errors, line for line');
  assert.doesNotMatch(result.stderr, /panicked|RuntimeError|at .*\.mjs:\d+/);
  assert.equal(checksum(out), before, 'the output folder is unchanged');
});

test('--single writes one file that searches when opened from disk', async (t) => {
  const out = join(app, 'sites', 'single');
  const result = npxBuild(DEFAULT, '--out', out, '--single');
  assert.equal(result.status, 0, result.stderr);
  const browser = await launch();
  t.after(() => browser.close());
  const page = await browser.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${pathToFileURL(join(out, 'paper-search.html'))}?q=grokking`);
  await ready(page);
  assert.match(await ui(page).titles.first().textContent(), /grokking/i);
  assert.deepEqual(requests.filter((u) => !/^(file|data|blob):/.test(u)), [], 'nothing but the file');
});
