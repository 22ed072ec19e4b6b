// The MiniSearch page: fetches the prebuilt index (index.json) and what results show
// (docs.json) in parallel, loads the index with MiniSearch.loadJSON, then searches in the page.
import MiniSearch from 'minisearch';
import { MINISEARCH_OPTIONS } from './minisearch-options.mjs';
import { LIMIT, start } from './page.mjs';

let index;
let docs;
const ready = Promise.all([fetch('index.json').then((r) => r.text()), fetch('docs.json').then((r) => r.json())]).then(
  ([json, papers]) => {
    index = MiniSearch.loadJSON(json, MINISEARCH_OPTIONS);
    docs = papers;
  },
);
start(
  async (q) => {
    const results = index.search(q);
    return { total: results.length, hits: results.slice(0, LIMIT).map((r) => ({ title: docs[r.id][0], snippet: docs[r.id][1] })) };
  },
  { ready },
);
