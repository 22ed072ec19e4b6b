// <paper-search>: search over the embedded papers as one custom element.
//
// A page loads this file as a module script and writes
//   <paper-search placeholder="Search papers…" limit="20" query=""></paper-search>
//
// The element renders inside an open shadow root styled by paper-search.css (loaded with a
// <link>, so a page with a strict Content-Security-Policy needs no inline style), loads the
// wasm module from ./pkg/ beside this file, and keeps its state in the page's URL: the query in
// ?q= and an open paper in #paper-<id>. Corpus text is only ever set as text nodes and <mark>
// elements. Exports `load()` (the initialized API, for pages that render their own results) and
// the element class.

// A page (or the single-file build) may supply the module itself before this script runs:
//   globalThis[Symbol.for('paper-search.config')] = { load: async () => api, css: '...' }
const CONFIG = Symbol.for('paper-search.config');
const RECENT_KEY = 'paper-search:recent';
const RECENT_MAX = 8;
const DEFAULT_LIMIT = 10;
const RELATED_LIMIT = 5;

let loading;

/** Loads and initializes the wasm module once; resolves to its API (search, paper, stats…). */
export function load() {
  loading ??= (async () => {
    const config = globalThis[CONFIG];
    if (typeof config?.load === 'function') return config.load();
    // The wasm is fetched while the glue loads, not after it: one round trip fewer.
    const wasm = fetch(new URL('./pkg/paper_search_bg.wasm', import.meta.url));
    wasm.catch(() => {}); // a failure is reported by the init below
    const api = await import('./pkg/paper_search.js');
    await api.default({ module_or_path: wasm });
    return api;
  })().catch((err) => {
    loading = undefined; // a later call may retry
    throw err;
  });
  return loading;
}

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

// Only http(s) links from the corpus become clickable.
function safeUrl(value) {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function authorList(authors) {
  return Array.isArray(authors) ? authors.map(String).filter(Boolean).join(', ') : '';
}

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
  static observedAttributes = ['placeholder', 'limit', 'query'];

  #api = null;
  #papers = 0;
  #internals;
  #ui;
  #hits = [];        // options currently in the listbox: { kind: 'hit', id } | { kind: 'recent', query }
  #active = -1;      // index of the selected option
  #paperOpen = null; // id of the paper shown, or null
  #recentHidden = false;
  #started = false;
  #firstResults = false;
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
      this.#papers = this.#api.stats().papers;
    } catch (err) {
      this.#fail(err);
      return;
    }
    this.#route({ fromHistory: false });
    this.#setState('ready');
  }

  #fail(err) {
    const { input, status, error } = this.#ui;
    const reason = err?.message ?? String(err);
    console.error('paper-search: the search index could not be loaded:', err);
    error.replaceChildren(h('strong', {}, 'The search index could not be loaded.'),
      'Reload the page; if this persists, the site’s paper-search files are missing or blocked.');
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
    const listbox = h('ul', { id: 'listbox', class: 'listbox', part: 'results', role: 'listbox', 'aria-label': 'Results' });
    const more = h('p', { class: 'more', part: 'more', hidden: true });
    const none = h('p', { class: 'none', part: 'no-results', hidden: true });
    const paper = h('article', { class: 'paper', part: 'paper', hidden: true });
    const body = h('div', { class: 'body', part: 'body' }, error, hint, recentHead, none, suggest, listbox, more, paper);
    const root = h('div', { class: 'root', part: 'container' }, form, status, body);
    shadow.append(root);
    if (stylesheet) {
      // Unstyled, the element would flash a bare input: it appears with its styles (or without
      // them, if they cannot load).
      root.hidden = true;
      const show = () => { root.hidden = false; };
      stylesheet.addEventListener('load', show);
      stylesheet.addEventListener('error', show);
    }

    const ui = { input, clear, status, error, hint, recentHead, suggest, listbox, more, none, paper, root };

    form.addEventListener('submit', (e) => e.preventDefault());
    input.addEventListener('input', () => {
      this.#recentHidden = false;
      this.#closePaperQuietly();
      this.#run();
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
    input.setAttribute('aria-expanded', String(!listbox.hidden && this.#hits.length > 0));
    if (view === 'recent') listbox.setAttribute('aria-labelledby', 'recent-label');
    else listbox.removeAttribute('aria-labelledby');
    this.#view = view;
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

  #run() {
    const { input, status, clear, hint, none, more, suggest } = this.#ui;
    clear.hidden = input.value === '';
    this.#keepQueryInUrl();
    if (!this.#api) return;
    const query = input.value;
    if (query.trim() === '') {
      status.textContent = `${this.#papers} papers`;
      hint.textContent = `Type to search ${this.#papers} papers by title and abstract. Results appear as you type.`;
      this.#hits = [];
      this.#refreshRecent(true);
      return;
    }
    const started = performance.now();
    const results = this.#api.search(query, { limit: this.limit });
    const ms = performance.now() - started;
    const { hits, total } = results;
    status.textContent = `${total} ${total === 1 ? 'result' : 'results'} in ${formatMs(ms)} ms`;
    status.dataset.ms = ms.toFixed(3);
    // A query longer than the engine looks at is cut, and the person is told so.
    const cut = results.truncated ? ' Only the first words of this long query were searched.' : '';
    more.textContent = ((total > hits.length ? `Showing the best ${hits.length} of ${total}.` : '') + cut).trim();
    this.#options(hits.map((hit) => ({ option: { kind: 'hit', id: hit.id }, node: this.#hitNode(hit) })), hits.length ? 0 : -1);
    if (total === 0) none.textContent = `No papers match “${query.trim()}”.`;
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

  #hitNode(hit) {
    const title = titleInto(h('a', { class: 'title', part: 'result-title', href: `#paper-${hit.id}`, tabindex: '-1' }), hit);
    const snippet = segmentsInto(h('p', { class: 'snippet', part: 'result-snippet' }), hit.snippet);
    const byline = [authorList(hit.authors), Number.isFinite(hit.year) ? String(hit.year) : ''].filter(Boolean).join(' · ');
    return h('li', { role: 'option', class: 'option', part: 'result', 'aria-selected': 'false' }, title,
      ...(byline ? [h('p', { class: 'byline', part: 'result-byline' }, byline)] : []), snippet);
  }

  // With a blank query: recent searches while the box has the focus, else the hint.
  #refreshRecent(force = false) {
    if (!this.#api || this.#paperOpen !== null || this.#view === 'error') return;
    if (this.#ui.input.value.trim() !== '') return;
    const focused = this.shadowRoot.activeElement === this.#ui.input;
    const list = focused && !this.#recentHidden ? recent.list() : [];
    if (!force && list.length === 0 && this.#view === 'hint') return;
    if (list.length) {
      this.#options(list.map((q) => ({
        option: { kind: 'recent', query: q },
        node: h('li', { role: 'option', class: 'option recent', part: 'recent', 'aria-selected': 'false' },
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

  #keepQueryInUrl() {
    const url = new URL(location.href);
    const query = this.#ui.input.value;
    if (query) url.searchParams.set('q', query);
    else url.searchParams.delete('q');
    if (url.href !== location.href) history.replaceState(history.state, '', url);
  }

  #route({ fromHistory }) {
    if (!this.#api) return;
    if (fromHistory) {
      const q = new URL(location.href).searchParams.get('q') ?? '';
      if (q !== this.#ui.input.value) this.#ui.input.value = q;
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
    this.#renderPaper(id);
    this.#ui.paper.querySelector('h2')?.focus();
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

  #renderPaper(id) {
    const { paper } = this.#ui;
    this.#paperOpen = id;
    paper.dataset.id = String(id);
    this.#options([], -1);
    const record = this.#api.paper(id);
    const back = h('button', { type: 'button', class: 'back link', part: 'back' },
      this.#ui.input.value.trim() ? '← Back to results' : '← Back to search');
    back.addEventListener('click', () => this.#closePaper());
    if (!record) {
      paper.replaceChildren(back, h('h2', { tabindex: '-1' }, 'Paper not found'),
        h('p', {}, `There is no paper ${id} in this index.`));
      this.#show('paper');
      return;
    }
    const meta = h('p', { class: 'meta', part: 'paper-meta' });
    const bits = [];
    const authors = authorList(record.authors);
    if (authors) bits.push(h('span', { class: 'authors' }, authors));
    if (Number.isFinite(record.year)) bits.push(h('span', { class: 'year' }, String(record.year)));
    if (typeof record.key === 'string' && record.key) bits.push(h('span', { class: 'key' }, record.key));
    if (Array.isArray(record.categories) && record.categories.length) {
      bits.push(h('span', { class: 'categories' }, record.categories.map(String).join(', ')));
    }
    if (record.url != null) {
      const href = safeUrl(record.url);
      bits.push(href
        ? h('a', { class: 'url', href, rel: 'noopener noreferrer', part: 'paper-link' }, 'Open the paper ↗')
        : h('span', { class: 'url' }, String(record.url)));
    }
    for (const [i, bit] of bits.entries()) meta.append(...(i ? [' · ', bit] : [bit]));

    const parts = [back, h('h2', { tabindex: '-1', part: 'paper-title' }, String(record.title ?? ''))];
    if (bits.length) parts.push(meta);
    parts.push(h('p', { class: 'abstract', part: 'paper-abstract' }, String(record.abstract ?? '')));
    const related = this.#related(id);
    if (related.length) {
      parts.push(h('h3', {}, 'Related papers'), h('ul', { class: 'related', part: 'related' },
        ...related.map((r) => h('li', {}, titleInto(h('a', { href: `#paper-${r.id}`, 'data-paper': r.id }), r),
          ...(Number.isFinite(r.year) ? [h('span', { class: 'year' }, ` (${r.year})`)] : [])))));
    }
    paper.replaceChildren(...parts);
    this.#show('paper');
  }

  #related(id) {
    if (typeof this.#api.related !== 'function') return [];
    try {
      const list = this.#api.related(id, RELATED_LIMIT);
      return Array.isArray(list) ? list.filter((r) => Number.isInteger(r?.id) && r.id !== id) : [];
    } catch {
      return [];
    }
  }
}

if (globalThis.customElements && !customElements.get('paper-search')) {
  customElements.define('paper-search', PaperSearchElement);
}
