// FlexSearch, configured as its README suggests for partial and fuzzy matching: a Document
// index over both fields with the "forward" tokenizer (prefixes) and the LatinBalance encoder
// (phonetic normalization, its fuzzy search), `suggest: true` so that a paper matching only some
// of the words still counts, and the title boosted ×2 through its Resolver (a Document search
// has no per-field boost of its own). export() / import() serialize it.
import { Document, Charset, Resolver } from 'flexsearch';

export const name = 'FlexSearch';
export const setup = 'Document { tokenize: "forward", encoder: Charset.LatinBalance }; Resolver: title (boost 2) OR text, suggest: true; export / import';

const options = () => ({
  tokenize: 'forward',
  encoder: Charset.LatinBalance,
  document: { id: 'id', index: ['title', 'text'] },
});

export async function build(papers) {
  const index = new Document(options());
  papers.forEach((p, id) => index.add({ id, title: p.title, text: p.abstract }));
  const parts = {};
  await index.export((key, data) => {
    parts[key] = data;
  });
  return JSON.stringify(parts);
}

export async function load(serialized) {
  const index = new Document(options());
  for (const [key, data] of Object.entries(JSON.parse(serialized))) await index.import(key, data);
  return (query, limit) =>
    new Resolver({ index, field: 'title', query, suggest: true, boost: 2 })
      .or({ index, field: 'text', query, suggest: true })
      .resolve({ limit });
}
