// The two corpora of the benchmark, read the way the crate reads them.
//
// `readTextCorpus` mirrors src/corpus.rs (leading page-chrome lines dropped, `Subscribe` glued
// in front of the first title removed, lines alternating title and abstract); the benchmark
// checks its paper count against the built module's `stats()`. `scifactToText` writes BEIR's
// `corpus.jsonl` in that text format until the crate reads JSON Lines itself.
import { readFileSync, writeFileSync } from 'node:fs';

const CHROME_PREFIX = 'Get trending papers in your email inbox';

export function readTextCorpus(path) {
  const lines = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split('\n').map((l) => l.replace(/\r$/, ''));
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  let first = 0;
  while (first < lines.length && lines[first].startsWith(CHROME_PREFIX)) first++;
  const papers = [];
  for (let i = first; i + 1 < lines.length; i += 2) {
    let title = lines[i].trim();
    if (i === first && /^Subscribe[\p{Lu}0-9]/u.test(title)) title = title.slice('Subscribe'.length);
    papers.push({ title, abstract: lines[i + 1].trim() });
  }
  return papers;
}

// One line per field: every run of white space (line breaks included) becomes one space.
const oneLine = (text) => String(text ?? '').replace(/\s+/gu, ' ').trim();

// Writes BEIR `{"_id","title","text"}` records as title/abstract lines. A record with an empty
// text is skipped and one with an empty title gets its text's first words as title; both are
// counted in the returned notes.
export function scifactToText(jsonlPath, outPath) {
  const out = [];
  const notes = { records: 0, skippedEmptyText: [], titledFromText: [] };
  for (const line of readFileSync(jsonlPath, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const record = JSON.parse(line);
    notes.records++;
    let title = oneLine(record.title);
    const text = oneLine(record.text);
    if (!text) {
      notes.skippedEmptyText.push(record._id);
      continue;
    }
    if (!title) {
      title = text.split(' ').slice(0, 12).join(' ');
      notes.titledFromText.push(record._id);
    }
    out.push(title, text);
  }
  writeFileSync(outPath, out.join('\n') + '\n');
  return notes;
}
