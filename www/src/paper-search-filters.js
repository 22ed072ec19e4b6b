// The filter bar of <paper-search>, for a corpus whose papers have years, venues, types or
// authors (its module's `stats().facets` names the groups). The element imports this file only
// for such a corpus, so a page over plain papers never downloads it.
//
// Under the box: a histogram of the matching papers per year (click a bar, or drag across bars,
// to choose a range; on the keyboard, arrow keys move between years, Enter or Space chooses one,
// Shift with either extends the range), chips with counts for the venues, types and most
// frequent authors (the values chosen in a group are alternatives; groups must all pass), and
// the order (relevance, newest or oldest first). The counts come with every search and are
// disjunctive: a group is counted without its own filter, so choosing one venue leaves the
// others' counts in view. Everything chosen is in the page's URL (year=2019-2022, venue=…,
// type=…, author=…, each repeated for several values, sort=newest|oldest), restored on load and
// on back and forward. A narrow screen folds the bar behind a "Filters" button; a paper open
// hides it. A blank box with nothing chosen lists nothing, and the bar counts the whole corpus;
// with something chosen (or a date order), the papers that pass are listed, newest first.

const GROUPS = [['venue', 'Venue'], ['type', 'Type'], ['author', 'Author']];
const SORTS = [['relevance', 'Relevance'], ['newest', 'Newest first'], ['oldest', 'Oldest first']];
// The chips of a group shown before "More" (the chosen ones are always shown).
const CHIPS = 6;
// A corpus whose years span more than this shows a bar for each year that has papers, not for
// every year between the first and the last.
const MAX_SPAN = 100;

const CSS = `
.filters { margin: 0.5rem 0 0; font-size: 0.875em; }
.root[data-view="paper"] .filters { display: none; }
.filters-toggle { display: none; }
.filter-panel { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: flex-start; }
.filter-head { display: flex; flex-wrap: wrap; gap: 0.2rem 0.5rem; align-items: baseline; }
.filter-label { font-weight: 600; }
.filter-range { color: var(--_muted); }
.years { flex: 1 1 18rem; min-width: 0; }
.histogram {
  display: flex;
  align-items: flex-end;
  gap: 1px;
  height: 3.25rem;
  margin: 0.3rem 0 0;
  border-bottom: 1px solid var(--_line);
  touch-action: none;
  user-select: none;
  -webkit-user-select: none;
}
.bar {
  display: flex;
  align-items: flex-end;
  flex: 1 1 0;
  min-width: 2px;
  height: 100%;
  margin: 0;
  padding: 0;
  border: 0;
  background: transparent;
  cursor: pointer;
}
.bar:hover { background: var(--_selected); }
.fill { display: block; width: 100%; height: 0; background: var(--_accent); border-radius: 1px 1px 0 0; }
.bar.out .fill { background: color-mix(in srgb, var(--_muted) 40%, transparent); }
.bar.preview .fill { background: var(--_accent); opacity: 0.75; }
.axis { display: flex; justify-content: space-between; color: var(--_muted); font-size: 0.85em; }
.group { display: flex; flex-wrap: wrap; gap: 0.35rem; align-items: baseline; flex: 1 1 100%; }
.chips { display: contents; }
.chip {
  display: inline-flex;
  gap: 0.4rem;
  max-width: 100%;
  padding: 0.1rem 0.6rem;
  font: inherit;
  color: var(--_fg);
  background: var(--_bg);
  border: 1px solid var(--_line);
  border-radius: 999px;
  cursor: pointer;
}
.chip:hover { border-color: var(--_accent); }
.chip[aria-pressed="true"] { background: var(--_selected); border-color: var(--_accent); box-shadow: inset 0 0 0 1px var(--_accent); }
.chip-value { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 22rem; }
.chip-count { color: var(--_muted); }
.sort select {
  font: inherit;
  color: var(--_fg);
  background: var(--_bg);
  border: 1px solid var(--_line);
  border-radius: 0.3rem;
  padding: 0.1rem 0.3rem;
  margin-left: 0.4rem;
}
.bar:focus-visible, .chip:focus-visible, .sort select:focus-visible {
  outline: 2px solid var(--_accent);
  outline-offset: 1px;
}
@media (max-width: 40rem) {
  .filters-toggle { display: inline-block; }
  .filter-panel:not(.open) { display: none; }
  .filter-panel { margin-top: 0.4rem; }
}
`;

/**
 * Adds the filter bar to `host`, a <paper-search> whose module is `api` (its `stats()` is
 * `stats`, whose `facets` name the groups to show). `element` is what the element lends it: its
 * parts (`ui`: `root`, `status`), `h` (its DOM helper), `searchIn(api, query, options)` (a
 * search as a promise), `run()` (search again) and `filtered()` (the choice changed: keep it in
 * the URL and search again). Resolves, once it knows the corpus's years, to the element's hooks:
 * `options(overview, blank)` (what a search adds: filters, sort, facets; `overview`: the counts
 * of a blank box; `blank`: a search without words), `browsing()` (whether a blank box lists papers), `rendered(results)` (the counts
 * of a search), `summary()` (what is chosen, in words), `write(params)` and `restore(params)`
 * (the URL's search parameters).
 */
export async function attach(host, api, stats, element) {
  const { ui, h } = element;
  const has = new Set(stats.facets);
  const groups = GROUPS.filter(([name]) => has.has(name));
  const state = { from: null, to: null, sort: 'relevance', venue: [], type: [], author: [] };
  // Counting authors costs a sharded build the facets parts of every paper that matches (years,
  // venues and types come with its core): it counts them once the reader asks ("Count authors"),
  // or when an author is chosen (whose filter reads those parts anyway), and never over the
  // whole corpus (a blank box).
  let authorsAsked = !stats.sharded;
  const counting = (overview) => stats.facets.filter((g) => g !== 'author' ||
    (stats.sharded ? !overview && (authorsAsked || state.author.length > 0) : true));

  // The histogram's years: those of the whole corpus, so that its bars stay put as counts change.
  let years = [];
  if (has.has('year')) {
    const all = await element.searchIn(api, '', { sort: 'newest', limit: 0, facets: ['year'] });
    const present = (all.facets?.year ?? []).map((c) => c.value).sort((a, b) => a - b);
    const [first, last] = [present[0], present.at(-1)];
    years = last - first <= MAX_SPAN ? Array.from({ length: last - first + 1 }, (_, i) => first + i) : present;
  }

  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  host.shadowRoot.adoptedStyleSheets = [...host.shadowRoot.adoptedStyleSheets, sheet];

  const toggle = h('button', { type: 'button', class: 'filters-toggle link', 'aria-expanded': 'false', 'aria-controls': 'filter-panel' }, 'Filters');
  const panel = h('div', { id: 'filter-panel', class: 'filter-panel', role: 'group', 'aria-label': 'Filters' });
  ui.root.insertBefore(h('div', { class: 'filters', part: 'filters' }, toggle, panel), ui.status);
  toggle.addEventListener('click', () => {
    toggle.setAttribute('aria-expanded', String(panel.classList.toggle('open')));
  });
  const changed = () => { draw(); element.filtered(); };

  // ---- years: the histogram ----

  const counted = new Map(); // year → papers, from the last search
  const range = h('span', { class: 'filter-range' });
  const anyYear = h('button', { type: 'button', class: 'link', hidden: true }, 'Any year');
  const histogram = h('div', {
    class: 'histogram', part: 'histogram', role: 'toolbar', 'aria-label': 'Papers per year', 'aria-describedby': 'years-help',
  });
  const bars = years.map((year) => h('button', { type: 'button', class: 'bar', tabindex: '-1', 'data-year': year }, h('span', { class: 'fill' })));
  histogram.append(...bars);
  let roving = bars.length - 1; // the bar Tab reaches
  let anchor = null;            // the year a range grows from
  let drag = null;              // { from, to }: bar indexes while the pointer drags
  if (bars.length) {
    panel.append(h('div', { class: 'years', role: 'group', 'aria-labelledby': 'years-label' },
      h('div', { class: 'filter-head' }, h('span', { id: 'years-label', class: 'filter-label' }, 'Year'), range, anyYear),
      histogram,
      h('div', { class: 'axis', 'aria-hidden': 'true' }, h('span', {}, String(years[0])), h('span', {}, String(years.at(-1)))),
      h('span', { id: 'years-help', class: 'visually-hidden' },
        'Arrow keys move between years; Enter chooses one; Shift with an arrow key or Enter extends the range.')));
  }
  anyYear.addEventListener('click', () => { state.from = state.to = anchor = null; changed(); });

  // Year `i` alone (again: none), or with `extend` the range from the anchor to it.
  const chooseYear = (i, extend) => {
    const year = years[i];
    if (extend && anchor !== null) {
      [state.from, state.to] = [Math.min(anchor, year), Math.max(anchor, year)];
    } else if (state.from === year && state.to === year) {
      state.from = state.to = anchor = null;
    } else {
      state.from = state.to = anchor = year;
    }
    changed();
  };
  const focusBar = (i) => {
    roving = Math.max(0, Math.min(bars.length - 1, i));
    draw();
    bars[roving].focus();
  };
  // The bar under the pointer's x (the first or the last beyond the ends).
  const barAt = (x) => bars.reduce((at, bar, i) => (x >= bar.getBoundingClientRect().left ? i : at), 0);

  histogram.addEventListener('keydown', (e) => {
    const i = bars.indexOf(e.target);
    if (i < 0) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      chooseYear(i, e.shiftKey);
      return;
    }
    const next = { ArrowLeft: i - 1, ArrowRight: i + 1, Home: 0, End: bars.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    focusBar(next);
    if (e.shiftKey) {
      if (anchor === null || state.from === null) anchor = years[i];
      chooseYear(roving, true);
    }
  });
  // A click the keyboard or a screen reader made (a pointer's is handled as a drag of one bar).
  histogram.addEventListener('click', (e) => {
    const i = bars.indexOf(e.target.closest?.('.bar'));
    if (i >= 0 && e.detail === 0) chooseYear(i, false);
  });
  histogram.addEventListener('focusin', (e) => {
    const i = bars.indexOf(e.target);
    if (i >= 0 && i !== roving) { roving = i; draw(); }
  });
  histogram.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || !bars.length) return;
    const i = barAt(e.clientX);
    drag = { from: i, to: i };
    histogram.setPointerCapture(e.pointerId);
    draw();
  });
  histogram.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const i = barAt(e.clientX);
    if (i !== drag.to) { drag.to = i; draw(); }
  });
  histogram.addEventListener('pointerup', () => {
    if (!drag) return;
    const { from, to } = drag;
    drag = null;
    roving = to;
    if (from === to) {
      chooseYear(from, false);
    } else {
      anchor = years[from];
      [state.from, state.to] = [Math.min(years[from], years[to]), Math.max(years[from], years[to])];
      changed();
    }
  });
  histogram.addEventListener('pointercancel', () => { drag = null; draw(); });

  // ---- venues, types, authors: chips ----

  const chipGroups = groups.map(([name, label]) => {
    const list = h('span', { class: 'chips' });
    const more = h('button', { type: 'button', class: 'link', hidden: true, 'aria-expanded': 'false' }, 'More');
    const node = h('div', { class: 'group', role: 'group', 'aria-labelledby': `filter-${name}` },
      h('span', { id: `filter-${name}`, class: 'filter-label' }, label), list, more);
    const group = { name, list, more, node, counts: [], open: false };
    more.addEventListener('click', () => { group.open = !group.open; draw(); });
    if (name === 'author' && !authorsAsked) {
      group.ask = h('button', { type: 'button', class: 'link' }, 'Count authors');
      group.ask.addEventListener('click', () => {
        authorsAsked = true;
        group.ask.remove();
        group.focus = true; // on its first chip, once counted
        element.run();
      });
      node.insertBefore(group.ask, more);
    }
    list.addEventListener('click', (e) => {
      const chip = e.target.closest?.('.chip');
      if (!chip) return;
      const value = chip.dataset.value;
      const chosen = state[name];
      state[name] = chosen.includes(value) ? chosen.filter((v) => v !== value) : [...chosen, value];
      changed();
    });
    panel.append(node);
    return group;
  });

  // ---- the order, and clearing everything ----

  const sort = h('select', { id: 'filter-sort' }, ...SORTS.map(([value, label]) => h('option', { value }, label)));
  if (has.has('year')) panel.append(h('div', { class: 'sort' }, h('label', { for: 'filter-sort', class: 'filter-label' }, 'Sort'), sort));
  sort.addEventListener('change', () => { state.sort = sort.value; changed(); });
  const clearAll = h('button', { type: 'button', class: 'link', hidden: true }, 'Clear filters');
  panel.append(clearAll);
  clearAll.addEventListener('click', () => {
    state.from = state.to = anchor = null;
    for (const { name } of groups) state[name] = [];
    changed();
  });

  const yearChosen = () => state.from !== null || state.to !== null;
  const chosen = () => (yearChosen() ? 1 : 0) + groups.reduce((n, [name]) => n + state[name].length, 0);
  const rangeText = () => {
    if (state.from !== null && state.from === state.to) return String(state.from);
    if (state.from !== null && state.to !== null) return `${state.from}–${state.to}`;
    return state.from !== null ? `from ${state.from}` : state.to !== null ? `to ${state.to}` : '';
  };

  // Everything shown, from the state and the last counts.
  function draw() {
    const shown = drag
      ? [Math.min(years[drag.from], years[drag.to]), Math.max(years[drag.from], years[drag.to])]
      : [state.from ?? -Infinity, state.to ?? Infinity];
    const most = Math.max(1, ...counted.values());
    for (const [i, bar] of bars.entries()) {
      const year = years[i];
      const n = counted.get(year) ?? 0;
      const inside = year >= shown[0] && year <= shown[1];
      bar.firstChild.style.height = n ? `${Math.max(6, (100 * n) / most)}%` : '0';
      bar.classList.toggle('out', (drag !== null || yearChosen()) && !inside);
      bar.classList.toggle('preview', drag !== null && inside);
      bar.setAttribute('aria-pressed', String(yearChosen() && inside));
      bar.tabIndex = i === roving ? 0 : -1;
      const label = `${year}: ${n} ${n === 1 ? 'paper' : 'papers'}`;
      bar.setAttribute('aria-label', label);
      bar.title = label;
    }
    range.textContent = drag ? (shown[0] === shown[1] ? String(shown[0]) : `${shown[0]}–${shown[1]}`) : rangeText() || 'any';
    anyYear.hidden = !yearChosen();

    const focused = host.shadowRoot.activeElement;
    for (const group of chipGroups) {
      const values = state[group.name];
      // The counted values, and any chosen one the counts do not name (a value from the URL).
      const counts = [...group.counts, ...values.filter((v) => !group.counts.some((c) => c.value === v)).map((value) => ({ value }))];
      const keep = focused?.parentNode === group.list ? focused.dataset.value : null;
      const visible = counts.filter((c, i) => group.open || i < CHIPS || values.includes(c.value));
      group.list.replaceChildren(...visible.map(({ value, count }) => h('button', {
        type: 'button', class: 'chip', 'aria-pressed': String(values.includes(value)), 'data-value': value, title: value,
      }, h('span', { class: 'chip-value' }, value), ...(Number.isFinite(count)
        ? [h('span', { class: 'chip-count' }, String(count), h('span', { class: 'visually-hidden' }, count === 1 ? ' paper' : ' papers'))]
        : []))));
      if (keep !== null) [...group.list.children].find((chip) => chip.dataset.value === keep)?.focus();
      if (group.focus && group.list.firstChild) {
        group.focus = false;
        group.list.firstChild.focus();
      }
      group.more.hidden = counts.length <= CHIPS;
      group.more.textContent = group.open ? 'Fewer' : `${counts.length - visible.length} more`;
      group.more.setAttribute('aria-expanded', String(group.open));
      group.node.hidden = counts.length === 0 && !group.ask?.isConnected;
    }
    sort.value = state.sort;
    clearAll.hidden = chosen() === 0;
    toggle.textContent = chosen() ? `Filters (${chosen()})` : 'Filters';
  }

  const parseYear = (text) => (/^\d{1,4}$/.test(text) ? Number(text) : null);

  function restore(params) {
    const [from = '', to = from] = (params.get('year') ?? '').split('-');
    [state.from, state.to] = has.has('year') ? [parseYear(from), parseYear(to)] : [null, null];
    if (state.from !== null && state.to !== null && state.from > state.to) [state.from, state.to] = [state.to, state.from];
    anchor = state.from;
    const sorted = params.get('sort');
    state.sort = has.has('year') && SORTS.some(([value]) => value === sorted) ? sorted : 'relevance';
    for (const { name } of chipGroups) state[name] = [...new Set(params.getAll(name).filter((v) => v.trim()))];
    draw();
  }
  restore(new URL(location.href).searchParams);

  return {
    options(overview, blank = false) {
      if (overview) return { sort: 'newest', limit: 0, facets: counting(true) };
      const filters = {};
      if (yearChosen()) filters.year = { ...(state.from !== null && { from: state.from }), ...(state.to !== null && { to: state.to }) };
      for (const { name } of chipGroups) if (state[name].length) filters[name] = [...state[name]];
      // Without words there is no relevance: the papers that pass are listed newest first.
      const sort = blank && state.sort === 'relevance' ? 'newest' : state.sort;
      return { ...(chosen() && { filters }), sort, facets: counting(false) };
    },
    browsing: () => chosen() > 0 || state.sort !== 'relevance',
    rendered({ facets }) {
      if (!facets) return;
      if (facets.year) {
        counted.clear();
        for (const { value, count } of facets.year) counted.set(value, count);
      }
      // A group left out (authors, over a sharded build's whole corpus) shows only what is chosen.
      for (const group of chipGroups) group.counts = facets[group.name] ?? [];
      draw();
    },
    summary() {
      const parts = [rangeText(), ...chipGroups.map(({ name }) => state[name].join(' or '))];
      if (state.sort !== 'relevance') parts.push(`${state.sort} first`);
      return parts.filter(Boolean).join(' · ');
    },
    write(params) {
      for (const name of ['year', 'venue', 'type', 'author', 'sort']) params.delete(name);
      if (yearChosen()) params.set('year', state.from === state.to ? String(state.from) : `${state.from ?? ''}-${state.to ?? ''}`);
      for (const { name } of chipGroups) for (const value of state[name]) params.append(name, value);
      if (state.sort !== 'relevance') params.set('sort', state.sort);
    },
    restore,
  };
}
