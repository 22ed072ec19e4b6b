// The queries of the scale benchmark, the same for every engine:
//   cold     first searches from an empty browser profile: ten topics people search a paper
//            collection for (corpus-large); for SciFact five claims of its own queries.jsonl and
//            five two-word topics of the warm mix (an engine that requires every word finds
//            nothing for most claims, and a first search that shows nothing fetches less)
//   warm     the mix of bench/make-queries.mjs (whole words and phrases, every prefix of a few
//            phrases as typed, one-edit misspellings, questions), from the corpus itself:
//            bench/queries-scifact.jsonl for SciFact (the main benchmark's), and
//            bench/scale/queries-large.jsonl for corpus-large
//   typing   twenty short queries typed letter by letter in one page
//   memory   1,000 queries of the same generator (other seeds) for the memory run:
//            bench/scale/queries-<corpus>-memory.jsonl
//
//   node bench/scale/queries.mjs   writes the generated files again (deterministic)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH } from '../paths.mjs';
import { makeQueries } from '../make-queries.mjs';
import { isMain } from '../../scripts/is-main.mjs';
import { readPapers, SCIFACT_QUERIES } from './corpora.mjs';

const HERE = join(BENCH, 'scale');
const MEMORY_QUERIES = 1000;

const LARGE_TOPICS = [
  'reinforcement learning', 'graph neural networks', 'diffusion models', 'contrastive learning', 'machine translation',
  'object detection', 'bandit regret', 'protein structure', 'federated learning', 'adversarial robustness',
];
const LARGE_TYPED = [
  ...LARGE_TOPICS, 'vision transformer', 'knowledge distillation', 'question answering', 'domain adaptation',
  'semantic segmentation', 'speech recognition', 'neural architecture search', 'few-shot learning', 'causal inference',
  'language models',
];

const readJsonl = (path) => readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

const warmFile = (corpus) => (corpus === 'scifact' ? join(BENCH, 'queries-scifact.jsonl') : join(HERE, `queries-${corpus}.jsonl`));
const memoryFile = (corpus) => join(HERE, `queries-${corpus}-memory.jsonl`);

// `n` claims spread evenly over SciFact's queries.jsonl.
function scifactClaims(n) {
  const all = readJsonl(SCIFACT_QUERIES).map((q) => q.text.trim());
  const step = Math.floor(all.length / n);
  return [...Array(n)].map((_, i) => all[i * step]);
}

// `quick` keeps three cold queries, a third of the warm mix and five typed queries.
export function queriesFor(corpus, { quick = false } = {}) {
  const warm = readJsonl(warmFile(corpus));
  const memory = readJsonl(memoryFile(corpus)).map((q) => q.q);
  const topics = warm.filter((q) => q.kind === 'word' && q.q.split(' ').length === 2).map((q) => q.q);
  const cold = corpus === 'large' ? LARGE_TOPICS : [...scifactClaims(5), ...topics.slice(0, 5)];
  const typing = corpus === 'large' ? LARGE_TYPED : warm.filter((q) => q.kind === 'word').slice(0, 20).map((q) => q.q);
  if (!quick) return { cold, warm, typing, memory };
  return { cold: corpus === 'large' ? cold.slice(0, 3) : [cold[0], cold[5], cold[6]], warm: warm.filter((_, i) => i % 3 === 0), typing: typing.slice(0, 5), memory: memory.slice(0, 300) };
}

export function queryFiles(corpus) {
  return { warm: warmFile(corpus), memory: memoryFile(corpus) };
}

function writeJsonl(path, rows) {
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  console.log(`${path}: ${rows.length} queries`);
}

if (isMain(import.meta.url)) {
  for (const corpus of ['large', 'scifact']) {
    const papers = readPapers(corpus);
    if (corpus === 'large') writeJsonl(warmFile(corpus), makeQueries(papers));
    const memory = [];
    for (let seed = 1; memory.length < MEMORY_QUERIES; seed++) memory.push(...makeQueries(papers, seed));
    writeJsonl(memoryFile(corpus), memory.slice(0, MEMORY_QUERIES));
  }
}
