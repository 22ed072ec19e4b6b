// The markdown report of the scale benchmark: one table per corpus (rows: measures; columns:
// engines, then each build of paper-search ÷ each peer when paper-search was measured), then
// what each engine is and how it was measured.
import { percentile } from '../harness.mjs';
import { THROTTLE } from './browser.mjs';

const PEER_ORDER = ['pagefind', 'minisearch'];
const isPaperSearch = (id) => id.startsWith('paper-search');
// The engines of a corpus in table order: paper-search's builds, then the peers.
const order = (c) => [...Object.keys(c.engines).filter(isPaperSearch).sort(), ...PEER_ORDER.filter((id) => c.engines[id])];

const sorted = (xs) => [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
const med = (xs) => percentile(sorted(xs), 50);
const p95 = (xs) => percentile(sorted(xs), 95);
const sig = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const bytes = (x) =>
  !Number.isFinite(x) ? '—' : x >= 1048576 ? `${sig(x / 1048576)} MB` : x >= 1024 ? `${sig(x / 1024)} KB` : `${x.toFixed(0)} B`;
const ms = (x) => (!Number.isFinite(x) ? '—' : x >= 1000 ? `${sig(x / 1000)} s` : `${sig(x)} ms`);
const count = (x) => (!Number.isFinite(x) ? '—' : Number.isInteger(x) ? x.toLocaleString('en') : sig(x));
const secs = (x) => (!Number.isFinite(x) ? '—' : `${sig(x)} s`);
const ratio = (a, b) => {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '—';
  const r = a / b;
  return r === 0 ? '×0' : r >= 10 ? `×${r.toFixed(0)}` : r >= 0.1 ? `×${r.toFixed(2)}` : `×${r.toPrecision(2)}`;
};
const spread = (xs, fmt) => {
  const s = sorted(xs);
  return s.length ? `${fmt(s[0])} / ${fmt(med(s))} / ${fmt(s[s.length - 1])}` : '—';
};

// Rows: [label, (engine result) → { cell, value }], value being what the ratio columns divide.
function rows(c) {
  const cold = (e) => e.cold?.runs.filter((r) => !r.error) ?? [];
  const thr = (e) => e.throttled?.runs.filter((r) => !r.error) ?? [];
  const one = (fmt) => (v) => ({ cell: fmt(v), value: v });
  const many = (fmt) => (xs) => ({ cell: spread(xs, fmt), value: med(xs) });
  const mem = (e, when, k) => e.memory?.[when]?.[k];
  const after = `after ${c.queries.memory.toLocaleString('en')} queries`;
  return [
    ['cold first search: bytes on the wire, min / median / max', (e) => many(bytes)(cold(e).map((r) => r.bytes))],
    ['cold first search: requests, min / median / max', (e) => many(count)(cold(e).map((r) => r.requests))],
    ['cold first search: results shown, min / median / max', (e) => ({ cell: spread(cold(e).map((r) => r.shown), count), value: NaN })],
    ['cold first search: time to results, unthrottled, median', (e) => one(ms)(med(cold(e).map((r) => r.ms)))],
    [
      `cold first search: time to results, throttled (${THROTTLE.latency} ms RTT, 1.6 Mbit/s), median (runs)`,
      (e) => {
        const v = med(thr(e).map((r) => r.ms));
        return { cell: thr(e).length ? `${ms(v)} (${thr(e).length})` : '—', value: v };
      },
    ],
    ['warm query → results shown, p50', (e) => one(ms)(e.warm && med(e.warm.first.map((r) => r.ms)))],
    ['warm query → results shown, p95', (e) => one(ms)(e.warm && p95(e.warm.first.map((r) => r.ms)))],
    ['the same queries again (all fetched), p50 / p95', (e) => {
      const xs = e.warm?.again.map((r) => r.ms) ?? [];
      return { cell: xs.length ? `${ms(med(xs))} / ${ms(p95(xs))}` : '—', value: med(xs) };
    }],
    ['warm queries: requests / bytes fetched during the mix', (e) => ({ cell: e.warm ? `${count(e.warm.requests)} / ${bytes(e.warm.bytes)}` : '—', value: e.warm?.bytes })],
    ['the same queries again: requests / bytes fetched', (e) => ({
      cell: e.warm?.againRequests !== undefined ? `${count(e.warm.againRequests)} / ${bytes(e.warm.againBytes)}` : '—',
      value: e.warm?.againBytes,
    })],
    ['typing: fetches per keystroke', (e) => one(count)(e.typing && e.typing.requests / e.typing.keystrokes)],
    ['typing: bytes per keystroke', (e) => one(bytes)(e.typing && e.typing.bytes / e.typing.keystrokes)],
    ['typing: last keystroke → its results, median', (e) => one(ms)(e.typing && med(e.typing.settleMs))],
    ['memory after load: JS heap + wasm', (e) => one(bytes)(mem(e, 'afterLoad', 'heap') + mem(e, 'afterLoad', 'wasm'))],
    [`memory ${after}: JS heap (page + workers)`, (e) => one(bytes)(mem(e, 'afterQueries', 'heap'))],
    [`memory ${after}: WebAssembly memory`, (e) => one(bytes)(mem(e, 'afterQueries', 'wasm'))],
    [`memory ${after}: total`, (e) => one(bytes)(mem(e, 'afterQueries', 'heap') + mem(e, 'afterQueries', 'wasm'))],
    ['build: time', (e) => one(secs)(e.build?.seconds)],
    ['build: peak RSS of the process tree', (e) => one(bytes)(e.build && e.build.peakTreeKB * 1024)],
    ['site on disk: files', (e) => one(count)(e.disk?.files)],
    ['site on disk: bytes', (e) => one(bytes)(e.disk?.bytes)],
    ['site as served (brotli where compressible): bytes', (e) => one(bytes)(e.wireBytes)],
  ];
}

function table(c) {
  const ids = order(c);
  const names = ids.map((id) => c.engines[id].name);
  const pairs = ids.filter(isPaperSearch).flatMap((ps) => ids.filter((id) => !isPaperSearch(id)).map((peer) => [ps, peer]));
  const head = [`| measure | ${names.join(' | ')} |${pairs.map(([ps, peer]) => ` ${c.engines[ps].name} ÷ ${c.engines[peer].name} |`).join('')}`];
  head.push(`|---|${ids.map(() => '---:').join('|')}|${pairs.map(() => '---:|').join('')}`);
  const body = rows(c).map(([label, get]) => {
    const cells = Object.fromEntries(ids.map((id) => [id, get(c.engines[id])]));
    const ratios = pairs.map(([ps, peer]) => ` ${ratio(cells[ps].value, cells[peer].value)} |`).join('');
    return `| ${label} | ${ids.map((id) => cells[id].cell).join(' | ')} |${ratios}`;
  });
  return [...head, ...body].join('\n');
}

// The files of one cold search, grouped: files of one subfolder with one extension together.
function fileGroups(files) {
  const key = ([path]) => {
    const slash = path.lastIndexOf('/');
    const dot = path.lastIndexOf('.');
    return `${path.slice(0, slash + 1)}*${dot > slash ? path.slice(dot).replace(/\?.*$/, '') : ''}`;
  };
  const groups = new Map();
  for (const f of files) {
    const k = key(f);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(f);
  }
  return [...groups.entries()]
    .flatMap(([k, fs]) => (fs.length > 1 && k.includes('/') ? [[k, fs]] : fs.map((f) => [f[0].replace(/\?.*$/, ''), [f]])))
    .map(([name, fs]) => ({ name, n: fs.length, bytes: fs.reduce((n, f) => n + f[1], 0) }))
    .sort((a, b) => b.bytes - a.bytes);
}

// What the cold run of median bytes downloaded, per engine.
function downloads(c) {
  const lines = ['| engine (query) | files | requests | bytes on the wire |', '|---|---|---:|---:|'];
  for (const id of order(c)) {
    const runs = c.engines[id]?.cold?.runs.filter((r) => !r.error) ?? [];
    if (!runs.length) continue;
    const byBytes = [...runs].sort((a, b) => a.bytes - b.bytes);
    const run = byBytes[Math.floor((byBytes.length - 1) / 2)];
    const name = `${c.engines[id].name} (\`${run.q.length > 40 ? `${run.q.slice(0, 40)}…` : run.q}\`)`;
    for (const g of fileGroups(run.files)) lines.push(`| ${name} | ${g.name} | ${g.n} | ${bytes(g.bytes)} |`);
    lines.push(`| **${name}** | **all** | **${run.requests}** | **${bytes(run.bytes)}** |`);
  }
  return lines.join('\n');
}

function corpusSection(c) {
  const q = c.queries;
  const lines = [
    `## ${c.title}`,
    '',
    `${c.papers.toLocaleString('en')} papers (corpus file sha256 ${c.hash}…). Cold queries (${q.cold.length}): ${q.cold.map((x) => `\`${x}\``).join(', ')}. ` +
      `Warm mix: ${q.warm} queries (\`${q.warmFile}\`); typing: ${q.typing.length} queries, ${q.keystrokes} keystrokes; memory: ${q.memory} queries.`,
    '',
  ];
  for (const [id, why] of Object.entries(c.skipped ?? {})) lines.push(`- ${id} was not measured on this corpus: ${why}.`);
  for (const [id, e] of Object.entries(c.engines)) {
    for (const err of e.errors ?? []) lines.push(`- ${e.name}: ${err}`);
    const stopped = e.throttled?.stoppedEarly;
    if (stopped) lines.push(`- ${e.name}: throttled runs stopped after ${e.throttled.runs.length}: ${stopped}.`);
  }
  if (lines[lines.length - 1] !== '') lines.push('');
  lines.push(table(c), '', `### ${c.title}: what a cold first search downloads (the run of median bytes)`, '', downloads(c), '');
  const peaks = order(c)
    .filter((id) => c.engines[id].build?.processes?.length)
    .map((id) => {
      const top = [...c.engines[id].build.processes].sort((a, b) => b.hwmKB - a.hwmKB).slice(0, 2);
      return `${c.engines[id].name}: ${top.map((p) => `${p.name} ${bytes(p.hwmKB * 1024)}`).join(', ')}`;
    });
  if (peaks.length) lines.push(`Build, the largest processes by peak RSS (VmHWM): ${peaks.join('; ')}.`, '');
  if (!order(c).some(isPaperSearch)) lines.push('paper-search is not in this table (see above), so there are no ratio columns.', '');
  return lines.join('\n');
}

function method(r) {
  return [
    '## How it was measured',
    '',
    `- Machine: ${r.machine}; Chromium ${r.chromium}. The run took ${(r.seconds / 60).toFixed(1)} minutes${r.quick ? ' (`--quick`: fewer queries)' : ''}.`,
    '- Each engine\'s site is served by a Node static server on 127.0.0.1 (HTTP/1.1, so at most six connections at a time): compressible files brotli quality 11 (`content-encoding: br`), Pagefind\'s own gzip files (`.pagefind`, `.pf_meta`, `.pf_index`, `.pf_fragment`) as they are, `cache-control: max-age=600` with an ETag, cross-origin isolated.',
    '- Headless Chromium through playwright-core; each cold run in a browser with a fresh profile (empty cache); service workers blocked. Bytes on the wire are Chromium\'s encodedDataLength of each response (headers included), of the page and of its workers, counted from navigation start to the moment the page marks its results shown (Playwright\'s request timing against the mark\'s time). "Results shown" is the page\'s own mark once the ten results (or all there are) are in the DOM with title and snippet: `bench:results` on the peers\' pages, `paper-search:first-results` on paper-search\'s.',
    `- Throttled: CDP Network.emulateNetworkConditions, latency ${THROTTLE.latency} ms, ${((THROTTLE.downloadThroughput * 8) / 1048576).toFixed(1)} Mbit/s down, ${((THROTTLE.uploadThroughput * 8) / 1024).toFixed(0)} kbit/s up (it applies to the page's workers' requests too). When an engine's cold downloads do not depend on the query (their sizes within 2%) and a throttled run takes over 20 s, its throttled runs stop after three.`,
    '- Warm: one page, three warm-up queries, then each query of the mix once: from setting the input and firing `input` to the results in the DOM (measured in the page, 5 µs clock), fetches included as they happen; then the mix a second time.',
    '- Typing: Playwright types each query with 120 ms between keys (the box emptied before each); every request the page or its workers made after it was ready counts.',
    '- Memory: CDP HeapProfiler.collectGarbage, then Runtime.getHeapUsage in the page and in each of its workers, and the byte length of every WebAssembly.Memory found in them (Runtime.queryObjects).',
    '- Build: wall time of the build (Pagefind: from createIndex to writeFiles done, through its Node API, the binary a child process; MiniSearch: index, stringify and write; paper-search: `./build.sh` in a snapshot of the working tree, after an untimed build of the same kind on the default corpus: what does not depend on the corpus, the indexer and the engine without an index, is compiled already, as Pagefind’s binary comes prebuilt; the timed build indexes the corpus and appends its core to the engine), and the peak over time of the summed RSS of its processes (sampled every 100 ms from /proc).',
    '',
    '| engine | version | what |',
    '|---|---|---|',
    ...Object.entries(r.engines)
      .sort(([a], [b]) => Number(isPaperSearch(b)) - Number(isPaperSearch(a)) || a.localeCompare(b))
      .map(([, e]) => `| ${e.name} | ${e.version} | ${e.describe} |`),
    '',
  ].join('\n');
}

export function render(r) {
  return [
    `# Search at scale: paper-search, Pagefind and MiniSearch, ${r.date}`,
    '',
    `Produced by \`node bench/scale.mjs${r.args.length ? ` ${r.args.join(' ')}` : ''}\` (\`./build.sh bench scale\`). Raw numbers: \`bench/work/scale/results.json\`.`,
    '',
    ...(r.notes.length ? [...r.notes.map((n) => `- ${n}`), ''] : []),
    ...Object.values(r.corpora).map(corpusSection),
    method(r),
  ].join('\n');
}
