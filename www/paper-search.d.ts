// Types of paper-search.js: the <paper-search> element and the loader of the wasm module.
import type * as Api from './pkg/paper_search.js';

/** The wasm module's API once initialized: search, paper, stats (and related, when built in). */
export type PaperSearchApi = typeof Api;

/** Loads and initializes the wasm module beside this file, once; later calls share it. */
export function load(): Promise<PaperSearchApi>;

/** How far saving every part of a sharded index for offline use has got. */
export interface DownloadProgress { done: number; total: number; bytes: number; }

/**
 * `<paper-search>`: a search box with results, a paper view (with its links and a Cite button
 * that copies the BibTeX entry) and recent searches, rendered in a shadow root; for a corpus
 * with years, venues, types or authors, a filter bar (a year histogram, chips with counts, the
 * order), loaded from `paper-search-filters.js` beside this file. Its state is in the page's
 * URL: `q`, `#paper-<id>`, and `year` (`2019-2022`), `venue`, `type`, `author` (repeated) and
 * `sort` (`newest`, `oldest`). Attributes: `placeholder`, `limit` (results shown, default 10), `query` (the
 * initial query; a `?q=` in the page URL wins), `offline` (a sharded build offers to save every
 * part for offline use). Fires `paper-search-error` (bubbles, composed, `detail.message`, and
 * `detail.query` for a search that failed) when the wasm module or a part of the index cannot
 * load, and `paper-search-download` while saving for offline use. Custom states:
 * `:state(loading)`, `:state(ready)`, `:state(error)`.
 */
export class PaperSearchElement extends HTMLElement {
  static readonly observedAttributes: string[];
  /** The query in the box; setting it runs the search. */
  query: string;
  /** The number of results shown, from the `limit` attribute. */
  readonly limit: number;
  /** Focuses the search box and selects its text. */
  focus(options?: FocusOptions): void;
  /**
   * Downloads every part of a sharded index, so that (with the page's service worker) the
   * whole corpus searches offline; an embedded build resolves at once.
   */
  saveOffline(): Promise<DownloadProgress>;
}

declare global {
  interface HTMLElementTagNameMap {
    'paper-search': PaperSearchElement;
  }
  interface HTMLElementEventMap {
    'paper-search-error': CustomEvent<{ message: string; query?: string }>;
    'paper-search-download': CustomEvent<DownloadProgress>;
  }
}
