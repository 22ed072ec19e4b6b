// The page of a peer engine: loads its prebuilt index and the papers' text, answers `?q=` and
// every input, and renders hits with textContent, as paper-search's page does. Bundled with one
// engine adapter per page (see site.mjs); `window.benchSearch` is what the latency harness runs.
const LIMIT = 20;
const SNIPPET_CHARS = 240;

function render(list, hits) {
  list.replaceChildren(
    ...hits.map(({ title, abstract }) => {
      const li = document.createElement('li');
      li.className = 'hit';
      const h2 = document.createElement('h2');
      h2.textContent = title;
      const p = document.createElement('p');
      p.className = 'snippet';
      p.textContent = abstract.length > SNIPPET_CHARS ? `${abstract.slice(0, SNIPPET_CHARS)}…` : abstract;
      li.append(h2, p);
      return li;
    }),
  );
}

export async function start(engine) {
  const [indexText, docs] = await Promise.all([
    fetch('index.json').then((r) => r.text()),
    engine.storesText ? null : fetch('docs.json').then((r) => r.json()),
  ]);
  const search = await engine.load(indexText);
  const paper = (id) => (docs ? { title: docs[id][0], abstract: docs[id][1] } : search.paper(id));
  window.benchSearch = search;
  const input = document.getElementById('q');
  const list = document.getElementById('results');
  const status = document.getElementById('status');
  const run = () => {
    const hits = input.value.trim() ? search(input.value, LIMIT).map(paper) : [];
    render(list, hits);
    status.textContent = `${hits.length} results`;
  };
  input.value = new URLSearchParams(location.search).get('q') ?? '';
  input.addEventListener('input', run);
  run();
  document.body.dataset.ready = 'true';
}
