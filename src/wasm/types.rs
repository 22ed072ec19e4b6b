//! The TypeScript declarations of the engine's exports, written by hand: the lenient argument
//! reading of `engine.rs` takes any value, so the generated declarations would say `any`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A run of text that matched the query (`hit`) or did not. */
export interface Segment { text: string; hit: boolean; }

/** One search result. */
export interface Hit {
  /** The paper's 0-based position in the corpus. */
  id: number;
  /** The corpus's own id (JSON corpora). */
  key?: string;
  title: string;
  /** BM25F score: larger is better; only comparable within one search. */
  score: number;
  /** The whole title, split into matched and unmatched runs. */
  titleSegments: Segment[];
  /** The earliest part of the abstract that shows the most query words. */
  snippet: Segment[];
  authors?: string[];
  year?: number;
  /** Where it appeared: a journal, proceedings, a series. */
  venue?: string;
  /** The paper's page, as the corpus gives it: check the scheme before making it a link. */
  url?: string;
}

/** One value of a facet group, and how many of the search's papers have it. */
export interface FacetCount<T> { value: T; count: number; }

/**
 * The counts of each group the corpus has values for (a corpus with no venues has no `venue`).
 * A group's counts are over the papers that match the query and every *other* group's filter.
 * Years: every year with a paper, in order; other groups: the 20 largest, largest first, with
 * the values a filter names always among them.
 */
export interface Facets {
  year?: FacetCount<number>[];
  venue?: FacetCount<string>[];
  type?: FacetCount<string>[];
  author?: FacetCount<string>[];
}

/**
 * What a search narrows to besides its query: values of a group are alternatives, groups must
 * all pass. A venue or author matches a value when its words (case and accents aside) include
 * all the value's; a type matches its name.
 */
export interface Filters {
  year?: { from?: number; to?: number };
  venue?: string[];
  type?: string[];
  author?: string[];
}

/** What `search` returns. */
export interface SearchResults {
  /** Best first, at most `limit` of them. */
  hits: Hit[];
  /** How many papers matched in all. */
  total: number;
  /** Whether the query had more words than are looked up. */
  truncated: boolean;
  /** "Did you mean": the query with misspelled words replaced by the corpus's nearest words. */
  suggestion?: string;
  /** The counts of each group's values, when asked with `facets`. */
  facets?: Facets;
}

export interface SearchOptions {
  /** Only papers that pass these (see `Filters`); the query's `year:`, `venue:` and `type:` too. */
  filters?: Filters;
  /**
   * `relevance` (the default), `newest` or `oldest` (by year and month; papers with no year
   * last). A query with no words and a filter or a date sort lists every paper that passes.
   */
  sort?: 'relevance' | 'newest' | 'oldest';
  /**
   * Which groups' values the results count (`facets`): `true` for all of them, or their names.
   * Years, venues and types cost a sharded build no download; authors are in parts of their own,
   * fetched with the search's hits.
   */
  facets?: boolean | ('year' | 'venue' | 'type' | 'author')[];
  /** Most hits to return (default 10, at most 1000). */
  limit?: number;
  /**
   * `searchAsync` only: when aborted, the search rejects with an `AbortError`, and its downloads
   * of parts that no other pending question needs are aborted too.
   */
  signal?: AbortSignal;
  /**
   * `searchAsync` only: milliseconds to wait before fetching parts of a sharded index that the
   * search needs (default 0), so that the next keystroke can abort it first. An answer from
   * the parts at hand does not wait.
   */
  pause?: number;
  /**
   * Whether hits carry `titleSegments` and `snippet` (default true). With `false` both are
   * empty (for callers that render hits their own way), and a search takes a fraction of the
   * time: marking the words of every hit is most of a search's work.
   */
  highlight?: boolean;
  /**
   * Search by meaning as well (a build made with `SEMANTIC=on`, once `loadModel` has
   * resolved): the papers nearest the query's vector fused with BM25F's ranking. Without the
   * model, or in another build, the search is BM25F alone.
   */
  semantic?: boolean;
}

/** A paper, whole. */
export interface Paper {
  id: number;
  key?: string;
  title: string;
  abstract: string;
  authors?: string[];
  year?: number;
  /** 1 to 12. */
  month?: number;
  venue?: string;
  /** The kind of work: article, conference paper, preprint, book, chapter, thesis, report, dataset, software, other. */
  type?: string;
  /** The DOI, bare (`10.1038/nature14539`). */
  doi?: string;
  url?: string;
  /** A link to its PDF: check the scheme before making it a link. */
  pdf?: string;
  /** The arXiv id, without version. */
  arxiv?: string;
  keywords?: string[];
  categories?: string[];
}

/** `cite` (the paper as a BibTeX entry), in both builds (a sharded build fetches the paper's text first). */
export function citeAsync(id: number): Promise<string | undefined>;

/** A paper similar to another, as `related` returns it. */
export interface RelatedPaper { id: number; key?: string; title: string; year?: number; }

/**
 * Searches the papers: hits best first, with highlighted title and snippet segments.
 * Any query is valid: one with no words (empty, spaces, punctuation) finds nothing.
 */
export function search(query: string, options?: SearchOptions): SearchResults;

/**
 * Searches as `search` does, in both builds: a sharded build first fetches the parts of the
 * index the search needs (retrying a failed fetch twice), an embedded build answers at once.
 * Rejects with an `Error` saying what failed when a part cannot be loaded; never with partial hits.
 */
export function searchAsync(query: string, options?: SearchOptions): Promise<SearchResults>;

/** `paper`, in both builds (a sharded build fetches the paper's text first). */
export function paperAsync(id: number): Promise<Paper | undefined>;

/** `related`, in both builds (a sharded build fetches the papers' text first). */
export function relatedAsync(id: number, limit?: number): Promise<RelatedPaper[]>;

export interface LoaderOptions {
  /** URL of the folder that holds the build's `index-…/` folder (the module's folder). */
  base?: string;
  /** Most bytes of fetched parts kept in memory (default 32 MiB); the least recently read go first. */
  cacheBytes?: number;
}

/** Tells a sharded build where its parts are; an embedded build has nothing to configure. */
export function configure(options: LoaderOptions): void;

/**
 * The URLs of every part file of a sharded index (none for an embedded build, which holds
 * everything): fetched once each, with a service worker that keeps them (the demo page's
 * does), they let the whole corpus be searched offline. `paper-search.js`'s element does it
 * with progress (`saveOffline()`).
 */
export function partUrls(): string[];

/** What `loadModel` resolves with. */
export interface ModelInfo { name: string; parameters: number; dimensions: number; maxTokens: number; bytes: number; }

/**
 * Loads the sentence model of a build made with `SEMANTIC=on` (`pkg/` + `stats().modelFile`):
 * from a URL (fetched) or from the file's bytes, gzip as the build writes it or gunzipped. A
 * sharded build fetches every paper's code meanwhile (its `codes-<n>.gz` parts). Resolves when
 * searches can use it; rejects with what went wrong (a failed download, a damaged part, another
 * build's model, a build without papers' vectors). Only a semantic build exports it.
 */
export function loadModel(source: string | Uint8Array | ArrayBuffer): Promise<ModelInfo>;

/** The query's unit vector (384 numbers); throws before `loadModel`. Only a semantic build exports it. */
export function embedQuery(text: string): Float32Array;

/**
 * The sentence encoder on its own, on the bytes of a model file (gunzipped): what the npm
 * package's builder runs in Node's worker threads to embed papers (`--semantic`). Only a
 * semantic build exports it.
 */
export class Embedder {
  constructor(model: Uint8Array);
  /** The model file's id, which a build's vectors record. */
  readonly modelId: bigint;
  readonly dims: number;
  /** The unit vectors of `texts`, `dims` numbers each, one after another. */
  embed(texts: string[]): Float32Array;
  free(): void;
}

export interface Stats {
  papers: number;
  terms: number;
  words: number;
  formatVersion: number;
  analyzerVersion: number;
  /** Whether the build is sharded: its index is fetched in parts as queries need them. */
  sharded: boolean;
  /** The facet groups the corpus has values for (absent when none): what a filter panel can show. */
  facets?: ('year' | 'venue' | 'type' | 'author')[];
  /** A sharded build's cache: the bytes of fetched parts kept in memory, how many, and the cap. */
  cachedBytes?: number;
  cachedParts?: number;
  cacheBytes?: number;
  /**
   * A semantic build: whether the module holds its papers' vectors, whether the model is
   * loaded, and the model's file name in the build's folder (for `loadModel`).
   */
  semantic?: boolean;
  modelLoaded?: boolean;
  modelFile?: string;
}
"#;
