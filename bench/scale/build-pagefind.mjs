// Builds the Pagefind index of one corpus through Pagefind's Node API, in a process of its own
// so that its time and memory are the build's alone:
//   node bench/scale/build-pagefind.mjs CORPUS OUT_DIR   writes OUT_DIR/pagefind/
// One custom record a paper: url (the paper's own when the corpus has one), content = title and
// abstract, language en, meta.title. Records are sent in batches of concurrent requests (the
// service answers them in any order). Prints JSON on stdout: the time from createIndex to the
// written files. Pagefind's binary runs as a child process of this one; the caller samples the
// memory of the whole tree (see proc.mjs).
import { join } from 'node:path';
import * as pagefind from 'pagefind';
import { readPapers } from './corpora.mjs';

const [corpus, outDir] = process.argv.slice(2);
const BATCH = 500;

const papers = readPapers(corpus);
const t0 = performance.now();
const { index, errors } = await pagefind.createIndex({});
if (errors.length) throw new Error(`pagefind.createIndex: ${errors.join('; ')}`);
for (let i = 0; i < papers.length; i += BATCH) {
  const batch = papers.slice(i, i + BATCH).map((p, k) =>
    index.addCustomRecord({
      url: p.url ?? `/paper/${i + k}`,
      content: `${p.title}\n${p.abstract}`,
      language: 'en',
      meta: { title: p.title },
    }),
  );
  for (const r of await Promise.all(batch)) {
    if (r.errors.length) throw new Error(`pagefind addCustomRecord: ${r.errors.join('; ')}`);
  }
}
const added = performance.now();
const written = await index.writeFiles({ outputPath: join(outDir, 'pagefind') });
if (written.errors.length) throw new Error(`pagefind writeFiles: ${written.errors.join('; ')}`);
const t1 = performance.now();
await pagefind.close();

process.stdout.write(
  JSON.stringify({
    engine: 'pagefind',
    records: papers.length,
    seconds: (t1 - t0) / 1000,
    addSeconds: (added - t0) / 1000,
    writeSeconds: (t1 - added) / 1000,
  }),
);
