// The search page: runs a search on every input, renders hits with DOM nodes and
// textContent only (corpus text is never parsed as markup), and keeps the query in ?q=.

const $ = (id) => document.getElementById(id);
const input = $('q');
const status = $('status');
const results = $('results');

function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = false;
  status.textContent = 'Search is unavailable.';
  input.disabled = true;
}

// Text segments → a text node or a <mark> each.
function segmentsInto(parent, segments) {
  for (const { text, hit } of segments) {
    if (hit) {
      const mark = document.createElement('mark');
      mark.textContent = text;
      parent.append(mark);
    } else {
      parent.append(document.createTextNode(text));
    }
  }
  return parent;
}

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function renderHit(api, hit) {
  const abstractId = `abstract-${hit.id}`;
  const toggle = el('button', { type: 'button', className: 'title' });
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-controls', abstractId);
  segmentsInto(toggle, hit.titleSegments);
  const snippet = segmentsInto(el('p', { className: 'snippet' }), hit.snippet);
  const full = el('p', { className: 'abstract', id: abstractId, hidden: true });
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    if (open && !full.textContent) full.textContent = api.paper(hit.id)?.abstract ?? '';
    toggle.setAttribute('aria-expanded', String(open));
    full.hidden = !open;
    snippet.hidden = open;
  });
  return el('li', { className: 'hit' }, el('h2', {}, toggle), snippet, full);
}

function keepInUrl(query) {
  const url = new URL(location.href);
  if (query) url.searchParams.set('q', query);
  else url.searchParams.delete('q');
  history.replaceState(null, '', url);
}

function run(api, paperCount) {
  const query = input.value;
  keepInUrl(query);
  const started = performance.now();
  const { hits, total } = api.search(query, { limit: 20 });
  const ms = performance.now() - started;
  const blank = query.trim() === '';
  $('empty').hidden = !blank;
  $('no-results').hidden = blank || total > 0;
  if (!blank && total === 0) $('no-results').textContent = `No papers match “${query.trim()}”.`;
  results.replaceChildren(...hits.map((hit) => renderHit(api, hit)));
  status.textContent = blank
    ? `${paperCount} papers`
    : `${total} ${total === 1 ? 'result' : 'results'} in ${ms < 1 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
  status.dataset.ms = ms.toFixed(3);
}

async function main() {
  let api;
  try {
    api = await import('./pkg/paper_search.js');
    await api.default();
  } catch (err) {
    showError(`The search index could not be loaded (${err?.message ?? err}). Reload the page; if it persists, the site's paper-search files are missing or blocked.`);
    return;
  }
  const { papers } = api.stats();
  $('paper-count').textContent = String(papers);
  input.value = new URLSearchParams(location.search).get('q') ?? '';
  input.addEventListener('input', () => run(api, papers));
  $('search-form').addEventListener('submit', (e) => e.preventDefault());
  for (const button of document.querySelectorAll('.example')) {
    button.addEventListener('click', () => {
      input.value = button.textContent;
      run(api, papers);
      input.focus();
    });
  }
  run(api, papers);
  document.body.dataset.ready = 'true';
}

main();
