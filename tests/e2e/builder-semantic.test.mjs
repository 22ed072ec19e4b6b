// `npx paper-search build --semantic` as a site owner meets it: both packed packages
// (BUILDER_TARBALL, and MODEL_TARBALL, the model's package) installed into an empty folder, the
// default corpus built with meaning by Node alone (its papers embedded by the wasm encoder on
// worker threads), embedded and then sharded (from the embedding cache); the sites searched in
// headless Chromium with meaning on beside `./build.sh`'s SEMANTIC=on site (SEMANTIC_SITE).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ask, nodeOnlyEnv, open, ready, ROOT } from './helpers.mjs';

const TARBALL = process.env.BUILDER_TARBALL;
const MODEL_TARBALL = process.env.MODEL_TARBALL;
const NATIVE = process.env.SEMANTIC_SITE;
if (!TARBALL || !MODEL_TARBALL || !NATIVE) {
  throw new Error('BUILDER_TARBALL, MODEL_TARBALL and SEMANTIC_SITE name what to test (./build.sh test makes them)');
}
const DEFAULT = join(ROOT, 'data', 'papers.txt');

const tmp = mkdtempSync(join(tmpdir(), 'paper-search-builder-semantic-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const env = nodeOnlyEnv(tmp);

function npxBuild(app, ...args) {
  return spawnSync('npx', ['--no-install', 'paper-search', 'build', ...args], { cwd: app, env, encoding: 'utf8' });
}

// A project with both packages installed.
function project(name) {
  const app = join(tmp, name);
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), '{ "name": "my-papers", "private": true }\n');
  const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', TARBALL, MODEL_TARBALL], { cwd: app, env, encoding: 'utf8' });
  assert.equal(install.status, 0, `npm install of the packed packages failed:\n${install.stderr}`);
  return app;
}

const QUERIES = [
  'reinforcement learning', 'grokking', 'neural tang', 'trnasformer', '"neural networks"', 'learning -deep',
  'title:attention', 'year:2017', 'gan OR diffusion', 'guitar distortion pedals', 'nutrition calories',
  'how do machines understand pictures', 'teaching computers to see', 'a', '"',
];
const modelFileIn = (dir) => readdirSync(join(dir, 'pkg')).find((f) => /^paper-search-model-[0-9a-f]{16}\.bin\.gz$/.test(f));
const page = '<!doctype html>\n<meta charset="utf-8">\n<title>Papers</title>\n<script type="module" src="paper-search.js"></script>\n<paper-search limit="10"></paper-search>\n';

let app;
const built = {};
before(() => {
  app = project('app');
  for (const [name, args] of [['embedded', []], ['sharded', ['--shards', 'on']]]) {
    const out = join(app, 'sites', name);
    const result = npxBuild(app, DEFAULT, '--out', out, '--semantic', ...args);
    assert.equal(result.status, 0, `npx paper-search build --semantic failed:\n${result.stderr}`);
    writeFileSync(join(out, 'index.html'), page);
    built[name] = { out, log: result.stderr };
  }
});

// Every query, with meaning and without, after the model is loaded.
async function answers(dir) {
  const site = await open({ dir });
  try {
    await site.page.goto(site.url);
    await ready(site.page);
    const calls = QUERIES.flatMap((q) => [['searchAsync', q, { limit: 20, semantic: true }], ['searchAsync', q, { limit: 20 }]]);
    const [info, ...results] = await ask(site.page, [['loadModel', `/pkg/${modelFileIn(dir)}`], ...calls]);
    assert.equal(info.dimensions, 384);
    assert.deepEqual(site.errors, []);
    return results;
  } finally {
    await site.close();
  }
}

test('the builder embeds the papers once: the second build takes every vector from the embedding cache', () => {
  assert.match(built.embedded.log, /208 papers, embedded, written to/);
  assert.match(built.embedded.log, /208 papers embedded in [\d.]+ s, [\d.]+ a second, 0 from the cache/);
  assert.match(built.sharded.log, /208 papers, sharded, written to/);
  assert.match(built.sharded.log, /0 papers embedded in [\d.]+ s, 208 from the cache/);
  assert.ok(existsSync(join(app, 'node_modules', '.cache', 'paper-search', 'paper-search-embeddings.bin')));
});

test('the builder\'s site carries the model under the name the page asks for, with its notice and licences', () => {
  const pkg = join(built.embedded.out, 'pkg');
  assert.equal(modelFileIn(built.embedded.out), modelFileIn(NATIVE));
  for (const file of ['MODEL-NOTICE.md', 'MODEL-LICENSE', 'LICENSE']) assert.ok(existsSync(join(pkg, file)), file);
  assert.ok(existsSync(join(built.embedded.out, 'paper-search-semantic.js')), 'the element\'s code for meaning');
});

test('with meaning on, the builder\'s site ranks every query as ./build.sh\'s does, its scores within 1e-4', async () => {
  const [mine, theirs] = [await answers(built.embedded.out), await answers(NATIVE)];
  for (const [i, q] of QUERIES.entries()) {
    for (const [j, how] of ['with meaning', 'by words'].entries()) {
      const [a, b] = [mine[2 * i + j], theirs[2 * i + j]];
      const what = `${JSON.stringify(q)} ${how}`;
      assert.deepEqual(a.hits.map((h) => h.id), b.hits.map((h) => h.id), what);
      // The papers' vectors come from the wasm encoder here and the native one there: the same
      // arithmetic in another order, whose last bits change a scale, or an int8 value by one
      // step, now and then (on SciFact, scores in a top 10 differed by 4.4e-5 at most).
      for (const [k, h] of a.hits.entries()) assert.ok(Math.abs(h.score - b.hits[k].score) <= 1e-4, `${what}: ${h.score} and ${b.hits[k].score}`);
      if (j === 1) assert.deepEqual(a, b, `${what}: words alone do not read the vectors`);
    }
  }
  const differ = QUERIES.filter((_, i) => JSON.stringify(mine[2 * i].hits) !== JSON.stringify(mine[2 * i + 1].hits));
  assert.ok(differ.length > QUERIES.length / 2, `meaning changed ${differ.length} of ${QUERIES.length} answers`);
});

test('the builder\'s sharded site with meaning answers every query as its embedded one does', async () => {
  const [embedded, sharded] = [await answers(built.embedded.out), await answers(built.sharded.out)];
  assert.deepEqual(sharded, embedded);
});

test('a model package that is not the one this paper-search was made with is refused, saying what to install; the output as it was', () => {
  const other = join(tmp, 'other');
  cpSync(app, other, { recursive: true, filter: (path) => !path.includes(join('app', 'sites')) && !path.includes('.cache') });
  appendFileSync(join(other, 'node_modules', 'paper-search-model', 'paper-search-semantic.js'), '\n');
  const out = join(other, 'site');
  const result = npxBuild(other, DEFAULT, '--out', out, '--semantic');
  assert.equal(result.status, 1);
  assert.match(result.stderr, /^error: --semantic: .*paper-search-model \(paper-search-model \d+\.\d+\.\d+\) is not the model this paper-search \d+\.\d+\.\d+ was made with \(paper-search-semantic\.js: another SHA-256\): run `npm install paper-search-model@\d+\.\d+\.\d+`, then build again$/m);
  assert.equal(existsSync(out), false, 'nothing written');
});

test('--semantic with --single is refused with the reason', () => {
  const result = npxBuild(app, DEFAULT, '--out', join(tmp, 'single'), '--semantic', '--single');
  assert.equal(result.status, 1);
  assert.match(result.stderr, /^error: --single cannot hold search by meaning \(its model is a 21 MB file beside the page/m);
});
