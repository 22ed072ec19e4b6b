// Writes a JSON Lines corpus (corpus-large's papers.jsonl.gz) as arXiv's metadata snapshot
// (arxiv-metadata-oai-snapshot.json), the same papers in the form arXiv publishes them: one
// object a line with `id`, `submitter`, `authors` (one string) and `authors_parsed`
// (`[last, first, suffix]`), the title wrapped with arXiv's line breaks and indentation, the
// abstract with its leading spaces and line breaks, `versions` with their dates (the first in
// the paper's year), `journal-ref` (the venue a conference record names), `doi`, `categories`,
// `update_date`. An arXiv record keeps its id; another gets an id of arXiv's old form
// (`conf/0012345`, its number in the file), which no arXiv record of the corpus can have.
//
//   node bench/arxiv-snapshot.mjs IN.jsonl[.gz] OUT.json[.gz]
import { createReadStream, createWriteStream } from 'node:fs';
import { createGunzip, createGzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

// Text broken into lines of at most `width` characters, as arXiv's records are.
function wrap(text, width) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

// `Mon, 2 Apr 2007 19:18:42 GMT`: the date format of the snapshot's versions.
function created(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} `
    + `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} GMT`;
}

// [last, first, suffix] of a display name.
function parsed(name) {
  const words = name.trim().split(/\s+/);
  const suffix = /^(Jr\.?|Sr\.?|II|III|IV)$/.test(words.at(-1)) && words.length > 2 ? words.pop() : '';
  const last = words.pop() ?? '';
  return [last, words.join(' '), suffix];
}

export function toSnapshot(paper, n) {
  const year = Number(paper.year) || 2020;
  const month = n % 12;
  const arxivId = /^arxiv:(.+)$/.exec(paper.id)?.[1];
  const id = arxivId ?? `conf/${String(n).padStart(7, '0')}`;
  const first = new Date(Date.UTC(year, month, 1 + (n % 28), n % 24, n % 60, (n * 7) % 60));
  const versions = [{ version: 'v1', created: created(first) }];
  if (n % 3 === 0) versions.push({ version: 'v2', created: created(new Date(first.getTime() + 86400000 * (30 + (n % 90)))) });
  const authors = Array.isArray(paper.authors) ? paper.authors : paper.authors ? [paper.authors] : [];
  const venue = arxivId ? null : `${(paper.categories ?? [])[0] ?? 'Proceedings'} ${year}`;
  return {
    id,
    submitter: authors[0] ?? null,
    authors: authors.join(', ').replace(/, ([^,]*)$/, ' and $1'),
    title: wrap(paper.title, 70).join('\n  '),
    comments: null,
    'journal-ref': venue,
    doi: null,
    'report-no': null,
    categories: (paper.categories ?? []).join(' ') || 'cs.LG',
    license: 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/',
    abstract: `  ${wrap(paper.abstract ?? '', 80).join('\n')}\n`,
    versions,
    update_date: versions.at(-1).created.replace(/^\w+, (\d+) (\w+) (\d+).*$/, (_, d, m, y) => `${y}-${String(MONTHS.indexOf(m) + 1).padStart(2, '0')}-${d.padStart(2, '0')}`),
    authors_parsed: authors.map(parsed),
  };
}

async function main([input, output]) {
  if (!input || !output) throw new Error('usage: node bench/arxiv-snapshot.mjs IN.jsonl[.gz] OUT.json[.gz]');
  const source = createReadStream(input);
  const lines = createInterface({ input: input.endsWith('.gz') ? source.pipe(createGunzip()) : source, crlfDelay: Infinity });
  let n = 0;
  async function* records() {
    for await (const line of lines) {
      if (!line.trim()) continue;
      yield `${JSON.stringify(toSnapshot(JSON.parse(line), n++))}\n`;
    }
  }
  const sink = createWriteStream(output);
  await pipeline(Readable.from(records()), ...(output.endsWith('.gz') ? [createGzip({ level: 6 })] : []), sink);
  process.stderr.write(`${n} papers written to ${output} as arXiv's metadata snapshot\n`);
}

await main(process.argv.slice(2));
