// Search by meaning for <paper-search>, in a build made with SEMANTIC=on. The element imports
// this file only when its module says it is such a build (`stats().semantic`), so a page of
// any other build never downloads it.
//
// It adds a control under the search box ("Search by meaning"; the element's `semantic`
// attribute checks it). Switched on, it loads the model once (`loadModel`, which in a sharded
// build also fetches every paper's code; the service worker keeps both); the words' results
// still show at once, and once typing has paused the fused ranking replaces them: not while the
// pointer is over the list (it waits for the pointer to leave), and not once another search has
// started.

// Embedding a query takes tens of milliseconds: too long for every keystroke.
const PAUSE_MS = 300;

const READY = 'Results by meaning as well as by words.';

const CSS = `
.semantic { margin: 0.4rem 0 0; font-size: 0.875em; }
.semantic input {
  display: inline-block;
  appearance: auto;
  width: 1rem;
  height: 1rem;
  padding: 0;
  margin: 0 0.35rem 0 0;
  vertical-align: middle;
  accent-color: var(--_accent);
}
.semantic input:focus { box-shadow: none; }
.semantic input:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
.semantic-note { color: var(--_muted); }
`;

/**
 * Adds search by meaning to `host`, a <paper-search> whose module is `api` (its `stats()` is
 * `stats`). `element` is what the element lends it: its parts (`ui`: `root`, `status`, `input`,
 * `listbox`), `run()` (searches again), `render(query, results, ms, { keepActive })` (shows
 * results), `seq()` (the latest search's number), `options()` (the filter bar's filters, sort
 * and facets, if any), `h` (its DOM helper) and `reasonOf(err)`.
 * Returns `{ rendered(query, seq) }`, which the element calls when it has shown a search's
 * results by words.
 */
export function attach(host, api, stats, element) {
  const { ui, h } = element;
  const model = { url: new URL(`./pkg/${stats.modelFile}`, import.meta.url).href, state: 'off' };

  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  host.shadowRoot.adoptedStyleSheets = [...host.shadowRoot.adoptedStyleSheets, sheet];
  const box = h('input', { type: 'checkbox', id: 'semantic' });
  const note = h('span', { class: 'semantic-note', 'aria-live': 'polite' }, 'Downloads a 21 MB model, once.');
  const control = h('p', { class: 'semantic', part: 'semantic' },
    box, h('label', { for: 'semantic' }, 'Search by meaning'), ' ', note);
  ui.root.insertBefore(control, ui.status);
  box.addEventListener('change', () => host.toggleAttribute('semantic', box.checked));

  async function loadModel() {
    model.state = 'loading';
    note.textContent = 'Loading the model…';
    try {
      await api.loadModel(model.url);
      model.state = 'ready';
      note.textContent = READY;
      element.run();
    } catch (err) {
      model.state = 'failed';
      console.error('paper-search: the model for search by meaning could not be loaded:', err);
      note.textContent = `The model could not be loaded (${element.reasonOf(err)}); results are by words only.`;
    }
  }

  // The `semantic` attribute, set by the page or by the control, switches it on and off.
  function refresh() {
    const on = host.hasAttribute('semantic');
    box.checked = on;
    if (on && (model.state === 'off' || model.state === 'failed')) loadModel();
    else element.run();
  }
  new MutationObserver(refresh).observe(host, { attributes: true, attributeFilter: ['semantic'] });
  if (host.hasAttribute('semantic')) refresh();

  return {
    // The fused ranking of `query`, after a pause in typing, in place of the words' results.
    rendered(query, seq) {
      if (model.state !== 'ready' || !host.hasAttribute('semantic')) return;
      const still = () => element.seq() === seq && ui.input.value === query && host.hasAttribute('semantic');
      setTimeout(async () => {
        if (!still()) return;
        const started = performance.now();
        const options = { ...element.options(), limit: host.limit, semantic: true };
        let results;
        try {
          // A sharded build may fetch the text of the papers fusion puts first.
          results = await (api.searchAsync ? api.searchAsync(query, options) : api.search(query, options));
        } catch (err) {
          console.error('paper-search: the search by meaning failed:', err);
          if (still()) note.textContent = `Search by meaning failed (${element.reasonOf(err)}); results are by words only.`;
          return;
        }
        const ms = performance.now() - started;
        // After a failed search (offline, say), the note says so until one succeeds.
        if (note.textContent !== READY) note.textContent = READY;
        const show = () => { if (still()) element.render(query, results, ms, { keepActive: true }); };
        if (ui.listbox.matches(':hover')) ui.listbox.addEventListener('pointerleave', show, { once: true });
        else show();
      }, PAUSE_MS);
    },
  };
}
