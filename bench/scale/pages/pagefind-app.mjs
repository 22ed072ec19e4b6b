// The Pagefind page: Pagefind's own JS API (pagefind/pagefind.js, written by the build), as its
// documentation shows it: search(q), then data() of the first ten results for their title and
// excerpt. The excerpt is Pagefind's HTML (escaped text and <mark>); it is shown as text nodes
// and <mark> elements.
import { LIMIT, start } from './page.mjs';

const pagefind = await import('./pagefind/pagefind.js');

function segments(excerpt) {
  const doc = new DOMParser().parseFromString(`<body>${excerpt}`, 'text/html');
  return [...doc.body.childNodes].map((n) => ({ text: n.textContent, mark: n.nodeName === 'MARK' }));
}

start(
  async (q) => {
    const r = await pagefind.search(q);
    const data = await Promise.all(r.results.slice(0, LIMIT).map((x) => x.data()));
    return { total: r.results.length, hits: data.map((d) => ({ title: d.meta.title, snippet: segments(d.excerpt) })) };
  },
  { ready: pagefind.init() },
);
