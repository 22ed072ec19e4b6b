// Writes the query mix of each corpus, deterministically (fixed seed), from the corpus itself:
//   node bench/make-queries.mjs          rewrites bench/queries-default.jsonl and -scifact.jsonl
// The files are committed, so every run and every engine gets the same queries. One JSON object
// a line, { kind, q }, because trailing spaces matter (`diffusion ` is a finished word):
//   word      whole words and phrases, as finished typing leaves them
//   prefix    every prefix of a few phrases, one per keystroke, as a person types them
//   typo      a word with one edit (dropped, doubled, swapped or neighbouring-key letter)
//   question  natural-language questions built from the corpus's own words
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTextCorpus, scifactToText } from './corpus.mjs';
import { BENCH, REPO, SCIFACT_JSONL, WORK, ensureDir } from './paths.mjs';
import { isMain } from '../scripts/is-main.mjs';

const SEED = 20240611;
const COUNTS = { word: 30, prefixPhrases: 4, typo: 24, question: 16 };

const STOP = new Set(
  ('a about above after again against all also among an and any are as at be been before being below between both but by ' +
   'can could did do does doing down during each few for from further had has have having here how however if in into is it ' +
   'its itself just more most much new no nor not now of off on once only or other our out over own same show shows should so ' +
   'some such than that the their them then there these they this those through thus to too under until up using use used via ' +
   'very was we were what when where which while who whom why will with within without would yet you your based towards toward ' +
   'study paper propose proposed results method methods approach approaches model models data well first two one large').split(' '),
);

// mulberry32: a small seeded generator, so the mix is the same on every machine.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const words = (text) => text.toLowerCase().match(/[a-z]+/g) ?? [];
const content = (w) => w.length >= 4 && !STOP.has(w);

function vocabulary(papers) {
  const df = new Map();
  const titleWords = new Set();
  const bigrams = new Map();
  for (const p of papers) {
    for (const w of new Set(words(`${p.title} ${p.abstract}`))) df.set(w, (df.get(w) ?? 0) + 1);
    const t = words(p.title);
    for (const w of t) titleWords.add(w);
    for (let i = 0; i + 1 < t.length; i++) {
      if (content(t[i]) && content(t[i + 1])) {
        const b = `${t[i]} ${t[i + 1]}`;
        bigrams.set(b, (bigrams.get(b) ?? 0) + 1);
      }
    }
  }
  const maxDf = Math.max(10, Math.round(papers.length * 0.05));
  // Topic words: those of titles, in at least two papers and not in most of them.
  const terms = [...titleWords].filter((w) => content(w) && df.get(w) >= 2 && df.get(w) <= maxDf).sort();
  const minBigram = [...bigrams.values()].filter((n) => n >= 2).length >= 40 ? 2 : 1;
  const phrases = [...bigrams].filter(([, n]) => n >= minBigram).map(([b]) => b).sort();
  return { terms, phrases };
}

const NEIGHBOURS = {
  a: 'qwsz', b: 'vghn', c: 'xdfv', d: 'serfcx', e: 'wsdr', f: 'drtgvc', g: 'ftyhbv', h: 'gyujnb', i: 'ujko', j: 'huikmn',
  k: 'jiolm', l: 'kop', m: 'njk', n: 'bhjm', o: 'iklp', p: 'ol', q: 'wa', r: 'edft', s: 'awedxz', t: 'rfgy', u: 'yhji',
  v: 'cfgb', w: 'qase', x: 'zsdc', y: 'tghu', z: 'asx',
};

// One edit, never on the first letter (people rarely miss it).
function misspell(word, pick) {
  const i = 1 + Math.floor(pick() * (word.length - 1));
  switch (Math.floor(pick() * 4)) {
    case 0: return word.slice(0, i) + word.slice(i + 1);                                   // dropped letter
    case 1: return word.slice(0, i) + word[i] + word.slice(i);                              // doubled letter
    case 2: return i + 1 < word.length ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2) // swapped
                                       : word.slice(0, i - 1) + word[i] + word[i - 1];
    default: {
      const near = NEIGHBOURS[word[i]] ?? 'e';
      return word.slice(0, i) + near[Math.floor(pick() * near.length)] + word.slice(i + 1);   // neighbouring key
    }
  }
}

const QUESTIONS = [
  (w, p) => `what is ${p}?`,
  (w, p, v) => `how does ${w} affect ${v}?`,
  (w, p) => `which methods improve ${p}?`,
  (w, p) => `why does ${p} fail`,
  (w, p) => `can ${w} be used for ${p}?`,
  (w, p) => `what are the limitations of ${p}?`,
  (w, p) => `how to reduce ${w} in ${p}`,
  (w, p, v) => `is ${w} related to ${v}?`,
  (w, p) => `what causes ${w} in ${p}?`,
  (w, p, v) => `does ${w} improve ${v}`,
  (w, p) => `best ${p} for ${w}`,
  (w, p) => `how do ${p} work?`,
  (w, p, v) => `evidence that ${w} increases ${v}`,
  (w, p) => `${p} compared to ${w}`,
  (w, p, v) => `what is the role of ${w} in ${v}?`,
  (w, p) => `papers about ${p} and ${w}`,
];

export function makeQueries(papers, seed = SEED) {
  const pick = rng(seed);
  const choose = (list) => list[Math.floor(pick() * list.length)];
  const { terms, phrases } = vocabulary(papers);
  const out = [];
  for (let i = 0; i < COUNTS.word; i++) {
    const r = i % 3;
    const q = r === 0 ? choose(terms) : r === 1 ? choose(phrases) : `${choose(phrases)} ${choose(terms)}`;
    out.push({ kind: 'word', q });
  }
  const typed = [...Array(COUNTS.prefixPhrases - 1)].map(() => choose(phrases));
  typed.push(choose(terms.filter((t) => t.length >= 8)));
  for (const phrase of typed) {
    for (let n = 1; n <= phrase.length; n++) out.push({ kind: 'prefix', q: phrase.slice(0, n) });
  }
  const long = terms.filter((t) => t.length >= 6);
  for (let i = 0; i < COUNTS.typo; i++) {
    const q = misspell(choose(long), pick);
    out.push({ kind: 'typo', q: i % 2 ? `${choose(terms)} ${q}` : q });
  }
  for (let i = 0; i < COUNTS.question; i++) {
    out.push({ kind: 'question', q: QUESTIONS[i % QUESTIONS.length](choose(terms), choose(phrases), choose(terms)) });
  }
  return out;
}

export function queryFile(corpus) {
  return join(BENCH, `queries-${corpus}.jsonl`);
}

if (isMain(import.meta.url)) {
  ensureDir(WORK);
  const scifactText = join(WORK, 'scifact-papers.txt');
  scifactToText(SCIFACT_JSONL, scifactText);
  for (const [corpus, path] of [['default', join(REPO, 'data', 'papers.txt')], ['scifact', scifactText]]) {
    const queries = makeQueries(readTextCorpus(path));
    writeFileSync(queryFile(corpus), queries.map((q) => JSON.stringify(q)).join('\n') + '\n');
    console.log(`${queryFile(corpus)}: ${queries.length} queries`);
  }
}
