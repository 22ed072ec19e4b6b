// Builds the MiniSearch index of one corpus in a process of its own (time and peak memory are
// the build's alone):
//   node bench/scale/build-minisearch.mjs CORPUS OUT_DIR   writes OUT_DIR/index.json, docs.json
// index.json is JSON.stringify(miniSearch) (the page reads it with MiniSearch.loadJSON); docs.json
// holds, per paper, what a result shows: [title, the first SNIPPET_CHARS characters of the
// abstract]. Prints JSON on stdout: the time from the papers in memory to both files written
// (the caller samples the process's memory, see proc.mjs).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import { readPapers } from './corpora.mjs';
import { MINISEARCH_OPTIONS, SNIPPET_CHARS } from './pages/minisearch-options.mjs';

const [corpus, outDir] = process.argv.slice(2);
const papers = readPapers(corpus);
const t0 = performance.now();
const index = new MiniSearch(MINISEARCH_OPTIONS);
index.addAll(papers.map((p, id) => ({ id, title: p.title, text: p.abstract })));
const indexed = performance.now();
const json = JSON.stringify(index);
writeFileSync(join(outDir, 'index.json'), json);
const snippet = (text) => (text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS)}…` : text);
writeFileSync(join(outDir, 'docs.json'), JSON.stringify(papers.map((p) => [p.title, snippet(p.abstract)])));
const t1 = performance.now();
process.stdout.write(
  JSON.stringify({
    engine: 'minisearch',
    records: papers.length,
    terms: index.termCount,
    seconds: (t1 - t0) / 1000,
    indexSeconds: (indexed - t0) / 1000,
    serializeSeconds: (t1 - indexed) / 1000,
    maxRssKB: process.resourceUsage().maxRSS,
  }),
);
