// The two corpora of the scale benchmark, read into one shape: { id, title, abstract, url }.
//   large    ../shared/corpus-large/papers.jsonl.gz: JSON Lines (gzip), id, title, abstract,
//            authors, year, categories, url; 52,674 papers
//   scifact  ../shared/scifact/corpus.jsonl: BEIR, _id, title, text; 5,183 papers
// Each corpus also has a short hash of its file, part of the key of every cached build.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { REPO, SCIFACT_JSONL } from '../paths.mjs';

export const LARGE_JSONL_GZ = resolve(REPO, '..', 'shared', 'corpus-large', 'papers.jsonl.gz');
export const SCIFACT_QUERIES = resolve(REPO, '..', 'shared', 'scifact', 'queries.jsonl');

export const CORPORA = {
  large: { title: 'corpus-large (../shared/corpus-large/papers.jsonl.gz)', path: LARGE_JSONL_GZ },
  scifact: { title: 'SciFact (../shared/scifact/corpus.jsonl)', path: SCIFACT_JSONL },
};

const oneLine = (text) => String(text ?? '').replace(/\s+/gu, ' ').trim();

export function corpusText(path) {
  const bytes = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

// Every record of the file, in order. A BEIR record without a title is titled with the first
// words of its text, as paper-search's corpus reader does.
export function readPapers(name) {
  const { path } = CORPORA[name];
  const papers = [];
  for (const line of corpusText(path).split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    const abstract = oneLine(r.abstract ?? r.text);
    const title = oneLine(r.title) || abstract.split(' ').slice(0, 12).join(' ');
    papers.push({ id: String(r.id ?? r._id), title, abstract, url: typeof r.url === 'string' ? r.url : null });
  }
  return papers;
}

const hashes = {};
export function corpusHash(name) {
  hashes[name] ??= createHash('sha256').update(readFileSync(CORPORA[name].path)).digest('hex').slice(0, 16);
  return hashes[name];
}

export function corpusAvailable(name) {
  return existsSync(CORPORA[name].path);
}
