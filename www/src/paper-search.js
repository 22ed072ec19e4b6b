// <paper-search>: search over the embedded papers as one custom element.
//
// A page loads this file as a module script and writes
//   <paper-search placeholder="Search papers…" limit="20" query=""></paper-search>
//
// The element renders inside an open shadow root styled by paper-search.css (loaded with a
// <link>, so a page with a strict Content-Security-Policy needs no inline style), loads the
// wasm module from ./pkg/ beside this file, and keeps its state in the page's URL: the query in
// ?q=, an open paper in #paper-<id>, and for a corpus with years, venues, types or authors the
// filters of its filter bar (paper-search-filters.js, loaded only for such a corpus): year=,
// venue=, type=, author=, sort=. Corpus text is only ever set as text nodes and <mark>
// elements. Exports `load()` (the initialized API, for pages that render their own results) and
// the element class.
//
// The same element serves an embedded build (the whole index in the module: answers come at
// once) and a sharded one (the module fetches the parts of the index a search needs from
// ./pkg/index-<build>/): it always asks the module's …Async functions, aborts the search of
// the previous keystroke, and shows a message when a part of the index cannot be loaded.

// A page (or the single-file build) may supply the module itself before this script runs:
//   globalThis[Symbol.for('paper-search.config')] = { load: async () => api, css: '...' }
const CONFIG = Symbol.for('paper-search.config');
const RECENT_KEY = 'paper-search:recent';
const RECENT_MAX = 8;
const DEFAULT_LIMIT = 10;
const RELATED_LIMIT = 5;
// A result's byline names this many authors before "et al."; the paper view names them all.
const SHORT_AUTHORS = 3;
// A sharded build waits this long after a keystroke before fetching what the search needs, so
// that typing fetches for the words typed, not for every letter (an answer from the parts at
// hand comes at once). A search that is not typed letter by letter (pasted, ?q=, a link, a
// retry) does not wait.
const TYPING_PAUSE_MS = 250;
// A search that has not answered after this long says so in the status line.
const BUSY_AFTER_MS = 200;

let loading;

/** Loads and initializes the wasm module once; resolves to its API (search, paper, stats…). */
export function load() {
  loading ??= (async () => {
    const config = globalThis[CONFIG];
    if (typeof config?.load === 'function') return config.load();
    // The wasm is fetched and compiled while the glue loads, not after it: one round trip fewer.
    const module = compile(fetch(new URL('./pkg/paper_search_bg.wasm', import.meta.url)));
    module.catch(() => {}); // a failure is reported by the init below
    const api = await import('./pkg/paper_search.js');
    await api.default({ module_or_path: await module });
    // A sharded build fetches the parts of its index from beside its module.
    api.configure?.({ base: new URL('./pkg/', import.meta.url).href });
    return api;
  })().catch((err) => {
    loading = undefined; // a later call may retry
    throw err;
  });
  return loading;
}

// The wasm module, compiled as it downloads where the server says it is wasm.
async function compile(response) {
  const r = await response;
  if (!r.ok) throw new Error(`the wasm module could not be fetched (HTTP ${r.status})`);
  if (r.headers.get('content-type')?.startsWith('application/wasm')) return WebAssembly.compileStreaming(r);
  return WebAssembly.compile(await r.arrayBuffer());
}

// The module's answers as promises: the …Async functions where it has them (every build of
// this version), else its synchronous ones (a stand-in module, an older build).
function searchIn(api, query, options) {
  return api.searchAsync ? api.searchAsync(query, options) : Promise.resolve().then(() => api.search(query, options));
}

function paperIn(api, id) {
  return api.paperAsync ? api.paperAsync(id) : Promise.resolve().then(() => api.paper(id));
}

function relatedIn(api, id, limit) {
  if (api.relatedAsync) return api.relatedAsync(id, limit);
  if (typeof api.related === 'function') return Promise.resolve().then(() => api.related(id, limit));
  return Promise.resolve([]);
}

// How many files `downloadEvery` fetches at once, and its pauses before a second and a third try.
const DOWNLOADS_AT_ONCE = 6;
const RETRY_PAUSES_MS = [400, 1600];

// Fetches every URL whole (a service worker keeps each), a few at a time, each tried three
// times; tells `report` of each file done. Resolves to { done, total, bytes }.
async function downloadEvery(urls, report) {
  const progress = { done: 0, total: urls.length, bytes: 0 };
  let next = 0;
  const fetchOne = async (url) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return (await response.arrayBuffer()).byteLength;
      } catch (err) {
        if (attempt >= RETRY_PAUSES_MS.length) throw new Error(`could not download ${url} (${err.message}; tried ${attempt + 1} times)`);
        await new Promise((done) => setTimeout(done, RETRY_PAUSES_MS[attempt]));
      }
    }
  };
  const worker = async () => {
    while (next < urls.length) {
      const url = urls[next++];
      progress.bytes += await fetchOne(url);
      progress.done += 1;
      report({ ...progress });
    }
  };
  await Promise.all(Array.from({ length: Math.min(DOWNLOADS_AT_ONCE, urls.length) }, worker));
  return { ...progress };
}

// An error's message for a person: the module prefixes its own with "paper-search: ".
function reasonOf(err) {
  return String(err?.message ?? err).replace(/^paper-search: /, '');
}

// The same, to show after another sentence: with a capital first and a full stop last.
const sentence = (err) => reasonOf(err).replace(/^./, (c) => c.toUpperCase()).replace(/[^.!?]$/, '$&.');

// ---- small DOM helpers: elements from tag, attributes and children (strings become text) ----

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value == null) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children);
  return node;
}

// Highlight segments → text nodes and <mark> elements.
function segmentsInto(parent, segments) {
  for (const { text, hit } of segments ?? []) {
    parent.append(hit ? h('mark', { part: 'mark' }, String(text)) : String(text));
  }
  return parent;
}

// A hit-like object's title: its segments when it has them, else its plain title.
function titleInto(parent, hit) {
  return Array.isArray(hit.titleSegments)
    ? segmentsInto(parent, hit.titleSegments)
    : (parent.append(String(hit.title ?? '')), parent);
}

// The authors as one line: every name, or (`short`) the first three and "et al.". A corpus's own
// "et al." (BibTeX's `and others`) follows the names without a comma.
function authorList(authors, short = false) {
  let names = Array.isArray(authors) ? authors.map(String).filter(Boolean) : [];
  if (short && names.length > SHORT_AUTHORS) names = [...names.slice(0, SHORT_AUTHORS), 'et al.'];
  return names.reduce((line, name) => (line ? `${line}${name === 'et al.' ? ' ' : ', '}${name}` : name), '');
}

// Only http(s) links from the corpus become clickable: an absolute URL, or (`relative`, for a
// PDF kept beside the site) a path resolved against the page.
function corpusUrl(value, relative = false) {
  if (typeof value !== 'string') return null;
  try {
    const url = relative ? new URL(value, document.baseURI) : new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

// Appends `bits` to `parent` with " · " between them, and `parent` to `parts` when there are any.
function line(parts, parent, bits) {
  for (const [i, bit] of bits.entries()) parent.append(...(i ? [' · ', bit] : [bit]));
  if (bits.length) parts.push(parent);
}

// doi.org's and arXiv's addresses of an identifier, each of its segments escaped.
const idUrl = (base, id) => base + String(id).split('/').map(encodeURIComponent).join('/');

function paperIdFromHash(hash) {
  const m = /^#paper-(\d{1,10})$/.exec(hash);
  return m ? Number(m[1]) : null;
}

function formatMs(ms) {
  return ms < 1 ? ms.toFixed(2) : ms.toFixed(1);
}

function isEditable(node) {
  return node instanceof Element &&
    (node.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(node.tagName));
}

// ---- recent searches, kept in this browser's localStorage ----

const recent = {
  list() {
    try {
      const value = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
      return Array.isArray(value) ? value.filter((q) => typeof q === 'string') : [];
    } catch {
      return [];
    }
  },
  add(query) {
    const q = query.trim();
    if (!q) return;
    const next = [q, ...this.list().filter((old) => old.toLowerCase() !== q.toLowerCase())];
    this.save(next.slice(0, RECENT_MAX));
  },
  save(list) {
    try {
      if (list.length) localStorage.setItem(RECENT_KEY, JSON.stringify(list));
      else localStorage.removeItem(RECENT_KEY);
    } catch {
      // storage may be disabled; recent searches are a convenience
    }
  },
};

// ---- the / and Ctrl/Cmd+K shortcuts focus the first connected element ----

const connected = [];

function onShortcut(event) {
  const target = connected[0];
  if (!target || event.defaultPrevented) return;
  const key = event.key.toLowerCase();
  const slash = key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey &&
    !isEditable(event.composedPath()[0]);
  const k = key === 'k' && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey;
  if (slash || k) {
    event.preventDefault();
    target.focus();
  }
}

const Base = globalThis.HTMLElement ?? class {};

export class PaperSearchElement extends Base {
  static observedAttributes = ['placeholder', 'limit', 'query', 'offline'];

  #api = null;
  #papers = 0;
  #sharded = false;
  #search = null;    // { seq, controller } of the search under way
  #searchSeq = 0;
  #paperSeq = 0;
  #searchFailed = false;
  #internals;
  #ui;
  #hits = [];        // options currently in the listbox: { kind: 'hit', id } | { kind: 'recent', query }
  #active = -1;      // index of the selected option
  #paperOpen = null; // id of the paper shown, or null
  #recentHidden = false;
  #started = false;
  #firstResults = false;
  #semantic = null;  // search by meaning, in a build that has it (paper-search-semantic.js)
  #bar = null;       // the filter bar, for a corpus with facets (paper-search-filters.js)
  #onPop = () => this.#route({ fromHistory: true });

  constructor() {
    super();
    this.#internals = this.attachInternals?.();
    const shadow = this.attachShadow({ mode: 'open' });
    this.#ui = this.#build(shadow);
    this.#setState('loading');
  }

  // ---- public API ----

  /** The query in the box; setting it runs the search. */
  get query() { return this.#ui.input.value; }
  set query(value) {
    this.#ui.input.value = String(value ?? '');
    this.#closePaperQuietly();
    this.#run();
  }

  /** Focuses the search box and selects its text. */
  focus(options) {
    this.#ui.input.focus(options);
    this.#ui.input.select();
  }

  get limit() {
    const n = Number.parseInt(this.getAttribute('limit') ?? '', 10);
    return Number.isFinite(n) && n > 0 ? Math.min(n, 1000) : DEFAULT_LIMIT;
  }

  // ---- lifecycle ----

  connectedCallback() {
    connected.push(this);
    if (connected.length === 1) document.addEventListener('keydown', onShortcut);
    window.addEventListener('popstate', this.#onPop);
    window.addEventListener('hashchange', this.#onPop);
    this.#ui.input.placeholder = this.getAttribute('placeholder') ?? 'Search papers…';
    if (!this.#started) {
      this.#started = true;
      this.#start();
    }
  }

  disconnectedCallback() {
    connected.splice(connected.indexOf(this), 1);
    if (connected.length === 0) document.removeEventListener('keydown', onShortcut);
    window.removeEventListener('popstate', this.#onPop);
    window.removeEventListener('hashchange', this.#onPop);
  }

  attributeChangedCallback(name, _old, value) {
    if (name === 'placeholder') this.#ui.input.placeholder = value ?? 'Search papers…';
    else if (name === 'offline') this.#refreshOffline();
    else if (name === 'limit' && this.#api) this.#run();
    else if (name === 'query' && this.#api && value != null) this.query = value;
  }

  async #start() {
    const url = new URL(location.href);
    const initial = url.searchParams.get('q') ?? this.getAttribute('query') ?? '';
    // Keystrokes typed while the module loads are kept.
    if (!this.#ui.input.value) this.#ui.input.value = initial;
    try {
      this.#api = await load();
      const stats = this.#api.stats();
      this.#papers = stats.papers;
      this.#sharded = stats.sharded === true;
      // A build with search by meaning: its control and ranking, from a file of their own.
      if (stats.semantic) {
        import('./paper-search-semantic.js').then(({ attach }) => {
          this.#semantic = attach(this, this.#api, stats, {
            ui: this.#ui, h, reasonOf, run: () => this.#run(), seq: () => this.#searchSeq,
            options: () => this.#bar?.options(false),
            render: (...args) => this.#render(...args),
          });
        }).catch((err) => console.error('paper-search: search by meaning could not start:', err));
      }
      // A corpus with years, venues, types or authors: the filter bar, from a file of its own,
      // in place before the first search, which the page's URL may filter.
      if (stats.facets?.length) await this.#attachFilters(stats);
    } catch (err) {
      this.#fail(err);
      return;
    }
    this.#refreshOffline();
    this.#route({ fromHistory: false });
    this.#setState('ready');
  }

  async #attachFilters(stats) {
    try {
      const { attach } = await (globalThis[CONFIG]?.filters ?? import('./paper-search-filters.js'));
      this.#bar = await attach(this, this.#api, stats, { ui: this.#ui, h, searchIn, run: () => this.#run(), filtered: () => this.#filtered() });
    } catch (err) {
      console.error('paper-search: the filters could not start:', err);
    }
  }

  /**
   * Downloads every part of a sharded index, so that the whole corpus searches offline (with
   * the page's service worker); resolves to `{ done, total, bytes }`. Fires
   * `paper-search-download` events with the same `detail` as it goes. An embedded build
   * already has everything and resolves at once.
   */
  async saveOffline() {
    const api = this.#api ?? await load();
    const report = (progress) => {
      this.#showOffline(progress);
      this.dispatchEvent(new CustomEvent('paper-search-download', { bubbles: true, composed: true, detail: progress }));
    };
    const urls = typeof api.partUrls === 'function' ? api.partUrls() : [];
    this.#offlineBusy = true;
    try {
      const done = await downloadEvery(urls, report);
      report(done);
      return done;
    } catch (err) {
      this.#showOffline(null, err);
      throw err;
    } finally {
      this.#offlineBusy = false;
    }
  }

  #offlineBusy = false;

  // The offline control: shown for a sharded build when the page asks for it (`offline`).
  #refreshOffline() {
    const { offline } = this.#ui;
    offline.hidden = !(this.#sharded && this.hasAttribute('offline'));
    if (!offline.hidden && !this.#offlineBusy && !offline.dataset.state) this.#showOffline();
  }

  #showOffline(progress, err) {
    const { offline } = this.#ui;
    const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
    if (err) {
      offline.dataset.state = 'error';
      offline.replaceChildren(`Saving for offline use stopped: ${reasonOf(err)} `, this.#offlineButton('Try again'));
    } else if (!progress) {
      offline.replaceChildren(`This page fetches papers as you search; what you have seen works offline. `,
        this.#offlineButton(`Save all ${this.#papers.toLocaleString('en')} papers for offline use`));
    } else if (progress.done < progress.total) {
      offline.dataset.state = 'saving';
      offline.replaceChildren(`Saving for offline use: ${progress.done} of ${progress.total} files (${mb(progress.bytes)}) `,
        h('progress', { max: progress.total, value: progress.done }));
    } else {
      offline.dataset.state = 'saved';
      offline.replaceChildren(`All ${this.#papers.toLocaleString('en')} papers are saved for offline use (${progress.total} files, ${mb(progress.bytes)}).`);
    }
  }

  #offlineButton(text) {
    const button = h('button', { type: 'button', class: 'link' }, text);
    button.addEventListener('click', () => { this.saveOffline().catch(() => {}); });
    return button;
  }

  #fail(err) {
    const { input, status, error } = this.#ui;
    const reason = err?.message ?? String(err);
    console.error('paper-search: the search index could not be loaded:', err);
    error.replaceChildren(h('strong', {}, 'The search index could not be loaded.'),
      ' Reload the page; if this persists, the site’s paper-search files are missing or blocked.');
    error.hidden = false;
    status.textContent = 'Search is unavailable.';
    input.disabled = true;
    this.#show('error');
    this.#setState('error');
    this.dispatchEvent(new CustomEvent('paper-search-error', {
      bubbles: true, composed: true, detail: { message: reason },
    }));
  }

  #setState(state) {
    const states = this.#internals?.states;
    try {
      for (const s of ['loading', 'ready', 'error']) states?.delete(s);
      states?.add(state);
    } catch {
      // browsers before custom states took plain names: the states are a convenience
    }
  }

  // ---- the shadow DOM, built once ----

  #build(shadow) {
    const config = globalThis[CONFIG];
    let stylesheet = null;
    if (typeof config?.css === 'string') {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(config.css);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      stylesheet = h('link', { rel: 'stylesheet', href: new URL('./paper-search.css', import.meta.url).href });
      shadow.append(stylesheet);
    }

    const input = h('input', {
      id: 'input', part: 'input', type: 'text', role: 'combobox', autocomplete: 'off',
      autocapitalize: 'off', spellcheck: 'false', enterkeyhint: 'search',
      'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': 'listbox',
      'aria-describedby': 'status',
    });
    const label = h('label', { for: 'input', class: 'visually-hidden' }, 'Search papers');
    const shortcut = h('kbd', { class: 'shortcut', part: 'shortcut', 'aria-hidden': 'true' }, '/');
    const clear = h('button', { type: 'button', class: 'clear', part: 'clear', 'aria-label': 'Clear the search', hidden: true }, '×');
    const form = h('form', { class: 'search', part: 'search', role: 'search' }, label, input, shortcut, clear);

    const status = h('p', { id: 'status', class: 'status', part: 'status', role: 'status', 'aria-live': 'polite' }, 'Loading the index…');
    const error = h('p', { class: 'error', part: 'error', role: 'alert', hidden: true });
    const hint = h('p', { class: 'hint', part: 'hint', hidden: true });
    const recentHead = h('div', { class: 'recent-head', hidden: true },
      h('span', { id: 'recent-label' }, 'Recent searches'),
      h('button', { type: 'button', class: 'link', part: 'clear-recent' }, 'Clear'));
    const suggest = h('p', { class: 'suggestion', part: 'suggestion', hidden: true });
    // Each result is an option that is itself the link to its paper (nothing focusable inside
    // an option); the box keeps the focus and points at the selected one.
    const listbox = h('div', { id: 'listbox', class: 'listbox', part: 'results', role: 'listbox', 'aria-label': 'Results' });
    const more = h('p', { class: 'more', part: 'more', hidden: true });
    const none = h('p', { class: 'none', part: 'no-results', hidden: true });
    const paper = h('article', { class: 'paper', part: 'paper', hidden: true });
    const offline = h('p', { class: 'offline', part: 'offline', 'aria-live': 'polite', hidden: true });
    const body = h('div', { class: 'body', part: 'body' }, error, hint, recentHead, none, suggest, listbox, more, paper);
    const root = h('div', { class: 'root', part: 'container' }, form, status, body, offline);
    shadow.append(root);
    if (stylesheet) {
      // Unstyled, the element would flash a bare input: it appears with its styles (or without
      // them, if they cannot load).
      root.hidden = true;
      const show = () => { root.hidden = false; };
      stylesheet.addEventListener('load', show);
      stylesheet.addEventListener('error', show);
    }

    const ui = { input, clear, status, error, hint, recentHead, suggest, listbox, more, none, paper, root, offline };

    form.addEventListener('submit', (e) => e.preventDefault());
    input.addEventListener('input', (e) => {
      this.#recentHidden = false;
      this.#closePaperQuietly();
      // A letter typed or deleted (more may follow); not a query pasted or set as a whole.
      this.#run({ typed: /^(insert|delete)(Text|ContentBackward|ContentForward|CompositionText)$/.test(e.inputType ?? '') });
    });
    input.addEventListener('keydown', (e) => this.#onKey(e));
    // Escape on a paper, wherever the focus is in the element, goes back to the results.
    root.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.#view === 'paper' && !e.defaultPrevented) {
        e.preventDefault();
        this.#closePaper();
      }
    });
    input.addEventListener('focus', () => this.#refreshRecent());
    input.addEventListener('change', () => { if (this.#hits.some((o) => o.kind === 'hit')) recent.add(input.value); });
    this.addEventListener('focusout', () => queueMicrotask(() => this.#refreshRecent()));
    clear.addEventListener('click', () => { this.#clear(); input.focus(); });
    recentHead.querySelector('button').addEventListener('click', () => {
      recent.save([]);
      input.focus();
      this.#refreshRecent();
    });
    // Clicking an option must not take the focus from the box first.
    listbox.addEventListener('mousedown', (e) => e.preventDefault());
    listbox.addEventListener('click', (e) => {
      const li = e.target.closest?.('[role=option]');
      if (!li) return;
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return; // a new tab or window
      e.preventDefault();
      this.#choose(Number(li.dataset.index));
    });
    paper.addEventListener('click', (e) => {
      const a = e.target.closest?.('a[data-paper]');
      if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      this.#openPaper(Number(a.dataset.paper));
    });
    suggest.addEventListener('click', (e) => {
      const b = e.target.closest?.('button[data-suggestion]');
      if (!b) return;
      input.value = b.dataset.suggestion;
      input.focus();
      this.#run();
    });
    return ui;
  }

  // ---- views: which part of the body is visible ----

  #show(view) {
    const { hint, recentHead, suggest, listbox, more, none, paper, input } = this.#ui;
    hint.hidden = view !== 'hint';
    suggest.hidden = (view !== 'results' && view !== 'none') || !suggest.textContent;
    recentHead.hidden = view !== 'recent';
    listbox.hidden = view !== 'results' && view !== 'recent';
    more.hidden = view !== 'results' || !more.textContent;
    none.hidden = view !== 'none';
    paper.hidden = view !== 'paper';
    if (view !== 'failed' && view !== 'error' && this.#searchFailed) {
      this.#searchFailed = false;
      this.#ui.error.hidden = true;
    }
    input.setAttribute('aria-expanded', String(!listbox.hidden && this.#hits.length > 0));
    if (view === 'recent') listbox.setAttribute('aria-labelledby', 'recent-label');
    else listbox.removeAttribute('aria-labelledby');
    this.#view = view;
    this.#ui.root.dataset.view = view;
  }

  #view = 'hint';

  #options(items, active) {
    this.#hits = items.map((item) => item.option);
    this.#ui.listbox.replaceChildren(...items.map((item, i) => {
      item.node.id = `option-${i}`;
      item.node.dataset.index = String(i);
      return item.node;
    }));
    this.#select(active);
  }

  #select(index, scroll = false) {
    const { input, listbox } = this.#ui;
    const options = listbox.children;
    this.#active = options.length ? index : -1;
    for (const [i, li] of [...options].entries()) {
      li.setAttribute('aria-selected', String(i === this.#active));
    }
    if (this.#active >= 0) {
      input.setAttribute('aria-activedescendant', `option-${this.#active}`);
      if (scroll) options[this.#active].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  // ---- search ----

  #run({ typed = false } = {}) {
    const { input, status, clear, hint, listbox } = this.#ui;
    clear.hidden = input.value === '';
    this.#keepQueryInUrl();
    if (!this.#api) return;
    this.#search?.controller.abort();
    this.#search = null;
    const query = input.value;
    const bar = this.#bar;
    // A blank box lists nothing, unless filters (or a date sort) choose papers to list; the
    // filter bar still counts the whole corpus.
    const blank = query.trim() === '';
    const overview = blank && !bar?.browsing();
    if (overview) {
      status.textContent = `${this.#papers} papers`;
      hint.textContent = `Type to search ${this.#papers} papers by title and abstract. Results appear as you type.`;
      this.#hits = [];
      listbox.removeAttribute('aria-busy');
      this.#refreshRecent(true);
      if (!bar) return;
    }
    const search = { seq: ++this.#searchSeq, controller: new AbortController() };
    this.#search = search;
    const current = () => this.#search === search;
    const started = performance.now();
    // Only a search that takes a while (a sharded build fetching) says so.
    const busy = setTimeout(() => {
      if (!current() || overview) return;
      status.textContent = 'Searching…';
      listbox.setAttribute('aria-busy', 'true');
    }, BUSY_AFTER_MS);
    const options = { limit: this.limit, signal: search.controller.signal, pause: typed ? TYPING_PAUSE_MS : 0, ...bar?.options(overview, blank) };
    searchIn(this.#api, query, options)
      .then((results) => {
        if (!current()) return;
        if (overview) return bar.rendered(results);
        this.#render(query, results, performance.now() - started);
        this.#semantic?.rendered(query, search.seq);
      })
      .catch((err) => { if (current() && err?.name !== 'AbortError' && !overview) this.#failSearch(query, err); })
      .finally(() => {
        clearTimeout(busy);
        if (!current()) return;
        this.#search = null;
        listbox.removeAttribute('aria-busy');
      });
  }

  #render(query, results, ms, { keepActive = false } = {}) {
    const bar = this.#bar;
    bar?.rendered(results);
    // A paper opened meanwhile (a link straight to one) stays open; going back searches again.
    if (this.#paperOpen !== null) return;
    const { status, none, more, suggest } = this.#ui;
    const { hits, total } = results;
    const { filters, sort = 'relevance' } = bar?.options(false) ?? {};
    const summary = bar?.summary();
    status.textContent = `${total} ${total === 1 ? 'result' : 'results'} in ${formatMs(ms)} ms${summary ? ` · ${summary}` : ''}`;
    status.dataset.ms = ms.toFixed(3);
    // A query longer than the engine looks at is cut, and the person is told so.
    const cut = results.truncated ? ' Only the first words of this long query were searched.' : '';
    const which = query.trim() && sort === 'relevance' ? 'best' : 'first';
    more.textContent = ((total > hits.length ? `Showing the ${which} ${hits.length} of ${total}.` : '') + cut).trim();
    // A re-ranking keeps the selected paper selected when it is still listed.
    const activeId = keepActive ? this.#hits[this.#active]?.id : undefined;
    const kept = hits.findIndex((hit) => hit.id === activeId);
    this.#options(hits.map((hit) => ({ option: { kind: 'hit', id: hit.id }, node: this.#hitNode(hit) })), kept >= 0 ? kept : hits.length ? 0 : -1);
    if (total === 0) {
      none.textContent = query.trim()
        ? `No papers match “${query.trim()}”${filters ? ' with these filters' : ''}.`
        : 'No papers pass these filters.';
    }
    const suggestion = typeof results.suggestion === 'string' ? results.suggestion.trim() : '';
    suggest.replaceChildren(...(suggestion && suggestion !== query.trim()
      ? ['Did you mean ', h('button', { type: 'button', class: 'link', 'data-suggestion': suggestion }, suggestion), '?']
      : []));
    this.#show(total === 0 ? 'none' : 'results');
    if (hits.length && !this.#firstResults) {
      this.#firstResults = true;
      performance.mark('paper-search:first-results');
    }
  }

  // A search the module could not answer (a part of a sharded index that did not load): no
  // results are shown for it, only what went wrong and a way to try again.
  #failSearch(query, err) {
    if (this.#paperOpen !== null) return;
    const { status, error } = this.#ui;
    console.error('paper-search: the search failed:', err);
    const again = h('button', { type: 'button', class: 'link' }, 'Try again');
    again.addEventListener('click', () => { this.#ui.input.focus(); this.#run(); });
    error.replaceChildren(h('strong', {}, `The search for “${query.trim()}” could not be completed.`), ` ${sentence(err)} `, again);
    error.hidden = false;
    this.#searchFailed = true;
    status.textContent = 'The search failed.';
    this.#options([], -1);
    this.#show('failed');
    this.dispatchEvent(new CustomEvent('paper-search-error', {
      bubbles: true, composed: true, detail: { message: reasonOf(err), query },
    }));
  }

  #hitNode(hit) {
    const title = titleInto(h('span', { class: 'title', part: 'result-title' }), hit);
    const snippet = segmentsInto(h('span', { class: 'snippet', part: 'result-snippet' }), hit.snippet);
    const byline = [authorList(hit.authors, true), typeof hit.venue === 'string' ? hit.venue : '',
      Number.isFinite(hit.year) ? String(hit.year) : ''].filter(Boolean).join(' · ');
    return h('a', { role: 'option', class: 'option', part: 'result', href: `#paper-${hit.id}`, tabindex: '-1', 'aria-selected': 'false' },
      title, ...(byline ? [h('span', { class: 'byline', part: 'result-byline' }, byline)] : []), snippet);
  }

  // With a blank query: recent searches while the box has the focus, else the hint.
  #refreshRecent(force = false) {
    if (!this.#api || this.#paperOpen !== null || this.#view === 'error') return;
    // A blank box whose filters list papers keeps its list.
    if (this.#ui.input.value.trim() !== '' || this.#bar?.browsing()) return;
    const focused = this.shadowRoot.activeElement === this.#ui.input;
    const list = focused && !this.#recentHidden ? recent.list() : [];
    if (!force && list.length === 0 && this.#view === 'hint') return;
    if (list.length) {
      this.#options(list.map((q) => ({
        option: { kind: 'recent', query: q },
        node: h('div', { role: 'option', class: 'option recent', part: 'recent', 'aria-selected': 'false' },
          h('span', { class: 'recent-icon', 'aria-hidden': 'true' }, '↺'), q),
      })), -1);
      this.#show('recent');
    } else {
      this.#options([], -1);
      this.#show('hint');
    }
  }

  #clear() {
    this.#ui.input.value = '';
    this.#closePaperQuietly();
    this.#run();
  }

  #choose(index) {
    const option = this.#hits[index];
    if (!option) return;
    if (option.kind === 'recent') {
      this.#ui.input.value = option.query;
      this.#run();
    } else {
      this.#openPaper(option.id);
    }
  }

  #onKey(e) {
    if (e.isComposing) return;
    const n = this.#hits.length;
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (this.#view !== 'results' && this.#view !== 'recent') return;
        e.preventDefault();
        if (n === 0) return;
        this.#select(e.key === 'ArrowDown'
          ? (this.#active + 1) % n
          : (this.#active <= 0 ? n - 1 : this.#active - 1), true);
        break;
      case 'Enter':
        e.preventDefault();
        if ((this.#view === 'results' || this.#view === 'recent') && this.#active >= 0) this.#choose(this.#active);
        break;
      case 'Escape':
        if (this.#view === 'paper') return; // the paper's own handler
        e.preventDefault();
        if (this.#ui.input.value !== '') this.#clear();
        else { this.#recentHidden = true; this.#refreshRecent(true); }
        break;
      default:
    }
  }

  // ---- the URL: ?q= for the query, #paper-<id> for the open paper ----

  // The page's URL with the query in ?q= and the filters in theirs.
  #url() {
    const url = new URL(location.href);
    const query = this.#ui.input.value;
    if (query) url.searchParams.set('q', query);
    else url.searchParams.delete('q');
    this.#bar?.write(url.searchParams);
    return url;
  }

  #keepQueryInUrl() {
    const url = this.#url();
    if (url.href !== location.href) history.replaceState(history.state, '', url);
  }

  // A filter or the sort changed: a history entry of its own (Back undoes it), and the results
  // in place of a paper that was open.
  #filtered() {
    const url = this.#url();
    url.hash = '';
    this.#paperOpen = null;
    if (url.href !== location.href) history.pushState(null, '', url);
    this.#run();
  }

  #route({ fromHistory }) {
    if (!this.#api) return;
    if (fromHistory) {
      const { searchParams } = new URL(location.href);
      const q = searchParams.get('q') ?? '';
      if (q !== this.#ui.input.value) this.#ui.input.value = q;
      this.#bar?.restore(searchParams);
    }
    const id = paperIdFromHash(location.hash);
    if (id !== null) {
      this.#ui.clear.hidden = this.#ui.input.value === '';
      if (this.#paperOpen !== id) {
        if (!fromHistory) this.#run(); // a link straight to a paper: the search behind it is ready too
        this.#renderPaper(id);
      }
      return;
    }
    const wasOpen = this.#paperOpen !== null;
    this.#paperOpen = null;
    this.#run();
    if (wasOpen && fromHistory && this.contains(document.activeElement) && this.shadowRoot.activeElement !== this.#ui.input) {
      this.#ui.input.focus();
    }
  }

  #openPaper(id) {
    recent.add(this.#ui.input.value);
    const url = new URL(location.href);
    url.hash = `paper-${id}`;
    history.pushState({ paperSearch: true }, '', url);
    this.#renderPaper(id).then(() => this.#ui.paper.querySelector('h2')?.focus());
  }

  // Back to the results: the history entry this element pushed, or the same entry without its hash.
  #closePaper() {
    if (history.state?.paperSearch) {
      history.back();
    } else {
      this.#closePaperQuietly();
      this.#run();
    }
    this.#ui.input.focus();
  }

  #closePaperQuietly() {
    if (paperIdFromHash(location.hash) === null && this.#paperOpen === null) return;
    this.#paperOpen = null;
    const url = new URL(location.href);
    url.hash = '';
    history.replaceState(null, '', url);
  }

  // Shows paper `id`: at once what is known (a sharded build fetches the paper's text first),
  // then the paper; a later call wins over an earlier one still loading.
  async #renderPaper(id) {
    const { paper } = this.#ui;
    this.#paperOpen = id;
    paper.dataset.id = String(id);
    this.#options([], -1);
    const seq = ++this.#paperSeq;
    const back = () => {
      const button = h('button', { type: 'button', class: 'back link', part: 'back' },
        this.#ui.input.value.trim() ? '← Back to results' : '← Back to search');
      button.addEventListener('click', () => this.#closePaper());
      return button;
    };
    const loading = setTimeout(() => {
      if (seq !== this.#paperSeq) return;
      paper.replaceChildren(back(), h('h2', { tabindex: '-1', part: 'paper-title' }, 'Loading the paper…'));
      paper.setAttribute('aria-busy', 'true');
      this.#show('paper');
    }, BUSY_AFTER_MS);
    let record;
    let related;
    try {
      [record, related] = await Promise.all([paperIn(this.#api, id), this.#related(id)]);
    } catch (err) {
      if (seq !== this.#paperSeq) return;
      record = { failed: err };
    } finally {
      clearTimeout(loading);
    }
    if (seq !== this.#paperSeq || this.#paperOpen !== id) return;
    paper.removeAttribute('aria-busy');
    if (record?.failed) {
      const again = h('button', { type: 'button', class: 'link' }, 'Try again');
      again.addEventListener('click', () => this.#renderPaper(id));
      paper.replaceChildren(back(), h('h2', { tabindex: '-1' }, 'The paper could not be loaded'),
        h('p', { class: 'error', part: 'error' }, `${sentence(record.failed)} `, again));
      this.#show('paper');
      return;
    }
    if (!record) {
      paper.replaceChildren(back(), h('h2', { tabindex: '-1' }, 'Paper not found'),
        h('p', {}, `There is no paper ${id} in this index.`));
      this.#show('paper');
      return;
    }
    const parts = [back(), h('h2', { tabindex: '-1', part: 'paper-title' }, String(record.title ?? ''))];
    const text = (value) => (typeof value === 'string' ? value : '');
    const categories = Array.isArray(record.categories) ? record.categories.map(String).join(', ') : '';
    line(parts, h('p', { class: 'meta', part: 'paper-meta' }), [
      ['authors', authorList(record.authors)], ['venue', text(record.venue)],
      ['year', Number.isFinite(record.year) ? String(record.year) : ''], ['type', text(record.type)],
      ['key', text(record.key)], ['categories', categories],
    ].filter(([, value]) => value).map(([name, value]) => h('span', { class: name }, value)));
    const link = (name, href, label) => h('a', { class: name, href, rel: 'noopener noreferrer', part: 'paper-link' }, label);
    const pdf = corpusUrl(record.pdf, true);
    const url = corpusUrl(record.url);
    const [doi, arxiv] = [text(record.doi), text(record.arxiv)];
    const links = [
      doi && link('doi', idUrl('https://doi.org/', doi), `DOI ${doi}`),
      pdf && link('pdf', pdf, 'PDF'),
      arxiv && link('arxiv', idUrl('https://arxiv.org/abs/', arxiv), `arXiv:${arxiv}`),
      record.url != null && (url ? link('url', url, 'Open the paper ↗') : h('span', { class: 'url' }, String(record.url))),
    ].filter(Boolean);
    // A paper with something to cite it by can be cited: its BibTeX entry, copied and shown.
    const citable = typeof this.#api.cite === 'function' && (record.authors?.length || record.venue || doi || record.year);
    const citation = h('pre', { class: 'bibtex', part: 'citation', tabindex: '0', hidden: true });
    if (citable) {
      const note = h('span', { class: 'cite-note', role: 'status' });
      const button = h('button', { type: 'button', class: 'cite', part: 'cite' }, 'Cite');
      button.addEventListener('click', () => this.#cite(id, citation, note));
      links.push(h('span', {}, button, ' ', note));
    }
    line(parts, h('p', { class: 'links', part: 'paper-links' }), links);
    if (citable) parts.push(citation);
    parts.push(h('p', { class: 'abstract', part: 'paper-abstract' }, String(record.abstract ?? '')));
    if (related.length) {
      parts.push(h('h3', {}, 'Related papers'), h('ul', { class: 'related', part: 'related' },
        ...related.map((r) => h('li', {}, titleInto(h('a', { href: `#paper-${r.id}`, 'data-paper': r.id }), r),
          ...(Number.isFinite(r.year) ? [h('span', { class: 'year' }, ` (${r.year})`)] : [])))));
    }
    paper.replaceChildren(...parts);
    this.#show('paper');
  }

  // Copies paper `id`'s BibTeX entry and shows it in `citation`; where the clipboard cannot be
  // written (no permission, a page opened from disk), the entry is selected for the reader to copy.
  async #cite(id, citation, note) {
    let entry;
    try {
      entry = await (this.#api.citeAsync ?? this.#api.cite)(id);
    } catch (err) {
      note.textContent = `The citation could not be loaded: ${reasonOf(err)}`;
      return;
    }
    citation.textContent = String(entry ?? '');
    citation.hidden = false;
    try {
      await navigator.clipboard.writeText(citation.textContent);
      note.textContent = 'BibTeX copied.';
    } catch {
      citation.focus();
      const range = document.createRange();
      range.selectNodeContents(citation);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      note.textContent = 'BibTeX selected: press Ctrl+C (⌘C) to copy it.';
    }
  }

  // The related papers, or none when they cannot be had: they are an extra.
  async #related(id) {
    try {
      const list = await relatedIn(this.#api, id, RELATED_LIMIT);
      return Array.isArray(list) ? list.filter((r) => Number.isInteger(r?.id) && r.id !== id) : [];
    } catch {
      return [];
    }
  }
}

if (globalThis.customElements && !customElements.get('paper-search')) {
  customElements.define('paper-search', PaperSearchElement);
}
