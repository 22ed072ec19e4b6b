// The demo page's own script (the search itself is the <paper-search> element):
// - registers the service worker that keeps the page working offline after the first visit,
//   and has it cache the element's scripts loaded before it took control;
// - says so on the page if the element's script could not run at all.

if ('serviceWorker' in navigator && /^https?:$/.test(location.protocol)) {
  navigator.serviceWorker.register('sw.js', { updateViaCache: 'none' }).catch(() => {
    // no offline copy (private mode, blocked workers); the page works online all the same
  });
  // On a first visit the element may load its filter bar or its search by meaning before the
  // worker controls the page (or while it takes control), around it: asked again through it
  // once it does, they are cached too, so that the next visit offline has them. A script asked
  // through the worker already is answered from its cache.
  const ON_DEMAND = /\/paper-search-(semantic|filters)\.js$/;
  const saved = new Set();
  const save = (name) => {
    if (!navigator.serviceWorker.controller || saved.has(name) || !ON_DEMAND.test(new URL(name).pathname)) return;
    saved.add(name);
    fetch(name).catch(() => saved.delete(name));
  };
  const loaded = () => performance.getEntriesByType('resource').forEach((entry) => save(entry.name));
  navigator.serviceWorker.addEventListener('controllerchange', loaded);
  // Scripts whose download finishes after the worker took control.
  new PerformanceObserver((list) => list.getEntries().forEach((entry) => save(entry.name)))
    .observe({ type: 'resource', buffered: true });
}

addEventListener('load', () => {
  if (customElements.get('paper-search')) return;
  const box = document.getElementById('page-error');
  box.textContent = 'Search could not start: its script (paper-search.js) did not load. Reload the page; if this persists, the site’s files are missing or blocked.';
  box.hidden = false;
});
