// Orama, configured as its docs suggest: both properties searched, title boosted ×2, typo
// tolerance 1 (its prefix matching is on by default). save() / load() serialize the database,
// which keeps the documents too, so its page needs no separate text file.
import { create, insertMultiple, search, save, load as loadRaw } from '@orama/orama';

export const name = 'Orama';
export const setup = 'schema { title, text: "string" }; search { properties: [title, text], boost: { title: 2 }, tolerance: 1 } (prefix by default); save / load';
export const storesText = true;

const schema = { id: 'string', title: 'string', text: 'string' };

export async function build(papers) {
  const db = create({ schema });
  await insertMultiple(db, papers.map((p, id) => ({ id: String(id), title: p.title, text: p.abstract })));
  return JSON.stringify(save(db));
}

export async function load(serialized) {
  const db = create({ schema });
  loadRaw(db, JSON.parse(serialized));
  const find = (query, limit) =>
    search(db, { term: query, properties: ['title', 'text'], boost: { title: 2 }, tolerance: 1, limit }).hits.map((h) =>
      Number(h.id),
    );
  find.paper = (id) => {
    const hit = search(db, { where: { id: String(id) }, limit: 1 }).hits[0];
    return hit && { title: hit.document.title, abstract: hit.document.text };
  };
  return find;
}
