// Lunr, configured as its own type-ahead example does: for each word of the query, the exact
// (stemmed) term boosted ×100, the word as a prefix ×10 and the word within edit distance 1 ×1;
// the title field boosted ×2. The query is built through lunr.Query, so that text a person
// types (`?`, `:`, `-`) is never read as Lunr query syntax. toJSON / lunr.Index.load.
import lunr from 'lunr';

export const name = 'Lunr';
export const setup = 'field title { boost: 2 }, text; per word: exact ×100, prefix (trailing wildcard) ×10, edit distance 1 ×1; toJSON / Index.load';

export async function build(papers) {
  const index = lunr(function () {
    this.ref('id');
    this.field('title', { boost: 2 });
    this.field('text');
    papers.forEach((p, id) => this.add({ id: String(id), title: p.title, text: p.abstract }));
  });
  return JSON.stringify(index);
}

export async function load(serialized) {
  const index = lunr.Index.load(JSON.parse(serialized));
  const { TRAILING } = lunr.Query.wildcard;
  const search = (query, limit) => {
    const words = lunr.tokenizer(query).map((t) => lunr.trimmer(t).toString()).filter(Boolean);
    if (words.length === 0) return [];
    try {
      return index
        .query((q) => {
          for (const word of words) {
            q.term(word, { boost: 100, usePipeline: true });
            q.term(word, { boost: 10, usePipeline: false, wildcard: TRAILING });
            q.term(word, { boost: 1, usePipeline: false, editDistance: 1 });
          }
        })
        .slice(0, limit)
        .map((r) => Number(r.ref));
    } catch (err) {
      // Lunr 2.3.9 throws a TypeError (`posting._index` of undefined) on some expansions of a
      // short prefix over a large vocabulary; such a query counts as answered with no hits.
      search.failures.add(query);
      return [];
    }
  };
  search.failures = new Set();
  return search;
}
