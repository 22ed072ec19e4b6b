// The page every peer engine of the scale benchmark gets: a search box, a status line and a list
// of ten results (title and snippet), answering ?q= on load and every input after it.
//
// The harness's signals, the same for every peer:
//   body[data-ready]                 the engine can search
//   the `bench:results` event        results for a query are in the list: detail { q, shown,
//   and performance mark             total }; also ol[data-query] = q. Fired once per query that
//                                    finished, never for a query a newer one has overtaken
// `start(search)` takes the engine's search: async (q) → { total, hits: [{ title, snippet }] },
// where a snippet is a string or [{ text, mark }] segments.
export const LIMIT = 10;

export const html = (name) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${name} · papers</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="style.css">
  <script type="module" src="app.js"></script>
</head>
<body>
  <header>
    <h1>${name}</h1>
    <form role="search" onsubmit="return false">
      <input id="q" type="search" placeholder="Search papers…" autocomplete="off" aria-controls="results">
    </form>
    <p id="status" role="status">Loading…</p>
  </header>
  <main><ol id="results" aria-label="Results"></ol></main>
</body>
</html>
`;

export const css = `body{font:16px/1.45 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem}
input{width:100%;font:inherit;padding:.5rem;box-sizing:border-box}
ol{padding:0;list-style:none}li{margin:0 0 1rem}h2{font-size:1.05rem;margin:0 0 .25rem}
p.snippet{margin:0;color:#444}#status{color:#666;font-size:.9rem}mark{background:#fe6}
`;

function hitNode({ title, snippet }) {
  const li = document.createElement('li');
  const h2 = document.createElement('h2');
  h2.textContent = title;
  const p = document.createElement('p');
  p.className = 'snippet';
  if (typeof snippet === 'string') p.textContent = snippet;
  else {
    for (const { text, mark } of snippet) {
      if (!mark) p.append(text);
      else {
        const m = document.createElement('mark');
        m.textContent = text;
        p.append(m);
      }
    }
  }
  li.append(h2, p);
  return li;
}

export function start(search, { ready = Promise.resolve() } = {}) {
  const input = document.getElementById('q');
  const list = document.getElementById('results');
  const status = document.getElementById('status');
  let latest = 0;
  const run = async () => {
    const q = input.value;
    const mine = ++latest;
    const { total, hits } = q.trim() ? await search(q) : { total: 0, hits: [] };
    if (mine !== latest) return; // overtaken by a newer query
    list.replaceChildren(...hits.map(hitNode));
    list.dataset.query = q;
    status.textContent = `${total} ${total === 1 ? 'result' : 'results'}`;
    const detail = { q, shown: hits.length, total };
    performance.mark('bench:results', { detail });
    window.dispatchEvent(new CustomEvent('bench:results', { detail }));
  };
  input.value = new URLSearchParams(location.search).get('q') ?? '';
  input.addEventListener('input', run);
  ready.then(() => {
    document.body.dataset.ready = 'true';
    if (input.value.trim()) run();
    else status.textContent = 'Ready';
  });
}
