// MiniSearch, configured as its README suggests: both fields indexed, title boosted ×2,
// prefix search and fuzzy search (edit distance 0.2 × term length) on by default.
import MiniSearch from 'minisearch';

export const name = 'MiniSearch';
export const setup = 'fields title, text; searchOptions { boost: { title: 2 }, prefix: true, fuzzy: 0.2 }; toJSON / loadJSON';

const OPTIONS = { fields: ['title', 'text'], searchOptions: { boost: { title: 2 }, prefix: true, fuzzy: 0.2 } };

export async function build(papers) {
  const index = new MiniSearch(OPTIONS);
  index.addAll(papers.map((p, id) => ({ id, title: p.title, text: p.abstract })));
  return JSON.stringify(index);
}

export async function load(serialized) {
  const index = MiniSearch.loadJSON(serialized, OPTIONS);
  return (query, limit) => index.search(query).slice(0, limit).map((r) => r.id);
}
