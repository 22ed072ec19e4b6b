// The service worker of the hosted page: after the first visit the page, the element, its
// styles and the wasm module come from a cache, so search works with no network. A sharded
// build's parts (pkg/index-<build>/…) are cached as they are fetched: what was searched keeps
// working offline, and once the element has saved every part (`offline` attribute), all of it.
// A semantic build's model (pkg/paper-search-model-<id>.bin.gz, 21 MB) is cached when the
// reader first switches search by meaning on, in a cache of its own that outlives builds: its
// name holds the model's id, so a new deployment with the same model does not download it again.
// The element's code for it (paper-search-semantic.js, which only such a build fetches), like the
// filter bar's (paper-search-filters.js, fetched only for a corpus with years, venues, types or
// authors), is cached with the build's files when it is first fetched.
//
// Cache first, in a cache named after the build: `./build.sh` writes pkg/build-id.js with a
// hash of the files below. A new deployment changes that file, the browser sees the worker's
// imported script change, installs the new worker, which fetches the new files into a new
// cache, takes over and deletes the old cache. Files of one build are never mixed with another's.
importScripts('pkg/build-id.js'); // self.PAPER_SEARCH_BUILD

const CACHE = `paper-search-${self.PAPER_SEARCH_BUILD}`;
const SHELL = [
  './', 'style.css', 'favicon.svg', 'app.js', 'paper-search.js', 'paper-search.css',
  'pkg/paper_search.js', 'pkg/paper_search_bg.wasm',
];

// A part of a sharded index: its folder is named after the build, so a file never changes and
// the cached copy is always right. Only whole, successful responses are kept.
const PART = /^pkg\/index-[0-9a-f]+\/[a-z]+-\d+\.gz$/;
const MODEL = /^pkg\/paper-search-model-[0-9a-f]{16}\.bin\.gz$/;
const MODELS = 'paper-search-models';
const ON_DEMAND = ['paper-search-semantic.js', 'paper-search-filters.js'];

async function part(event, request, name = CACHE) {
  const cache = await caches.open(name);
  const cached = await cache.match(request.url);
  if (cached) return cached;
  const response = await fetch(request.url);
  if (response.ok && response.status === 200) event.waitUntil(cache.put(request.url, response.clone()));
  return response;
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL.map((path) => new Request(path, { cache: 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('paper-search-') && name !== CACHE && name !== MODELS) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const scope = new URL(self.registration.scope);
  const url = new URL(request.url);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const path = url.pathname.slice(scope.pathname.length);
  if (PART.test(path) || ON_DEMAND.includes(path)) {
    event.respondWith(part(event, request));
    return;
  }
  if (MODEL.test(path)) {
    event.respondWith(part(event, request, MODELS));
    return;
  }
  const key = request.mode === 'navigate' && (path === '' || path === 'index.html') ? './' : path;
  if (!SHELL.includes(key)) return;
  event.respondWith((async () => {
    const cached = await caches.match(new URL(key, scope).href, { cacheName: CACHE });
    return cached ?? fetch(request);
  })());
});
