// MiniSearch as the main benchmark configures it (bench/engines/minisearch.mjs): title and
// abstract indexed, title boosted ×2, prefix search and fuzzy search (edit distance 0.2 × term
// length). Shared by the build (build-minisearch.mjs) and the page (loadJSON needs the same
// options).
export const MINISEARCH_OPTIONS = {
  fields: ['title', 'text'],
  searchOptions: { boost: { title: 2 }, prefix: true, fuzzy: 0.2 },
};

// What a result shows of the abstract when the engine has no snippet of its own.
export const SNIPPET_CHARS = 240;
