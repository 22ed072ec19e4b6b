// The markdown report: for each corpus one table of every measure, each value with its ratio to
// the best peer of its row (the fastest or the smallest), then the page files, latency by query
// kind, the targets, and how each engine was set up and measured.
import { SETTINGS } from './harness.mjs';

export const ENGINES = ['paper-search', 'minisearch', 'flexsearch', 'lunr', 'orama'];
export const NAMES = { 'paper-search': 'paper-search', minisearch: 'MiniSearch', flexsearch: 'FlexSearch', lunr: 'Lunr', orama: 'Orama' };
const PEERS = ENGINES.slice(1);

const sig = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const us = (x) => (x == null || Number.isNaN(x) ? '—' : `${sig(x)} µs`);
const ms = (x) => (x == null ? '—' : `${x >= 100 ? x.toFixed(0) : x.toFixed(1)} ms`);
const kb = (x) => (x == null ? '—' : `${(x / 1024).toFixed(1)} KB`);
const mb = (x) => (x == null ? '—' : `${(x / 1048576).toFixed(1)} MB`);
const s = (x) => (x == null ? '—' : `${x.toFixed(1)} s`);
const ratio = (r) => (r >= 10 ? `×${r.toFixed(0)}` : `×${r.toFixed(2)}`);

// One row: values by engine (null where not measured), lower is better.
function row(label, values, fmt) {
  const peers = PEERS.filter((id) => values[id] != null);
  const best = peers.length ? peers.reduce((a, b) => (values[b] < values[a] ? b : a)) : null;
  const cells = ENGINES.map((id) => {
    const v = values[id];
    if (v == null) return '—';
    return best && values[best] > 0 ? `${fmt(v)} (${ratio(v / values[best])})` : fmt(v);
  });
  const ps = values['paper-search'];
  const vsBest = best && ps != null && values[best] > 0 ? `**${ratio(ps / values[best])}**` : '—';
  return `| ${label} | ${cells.join(' | ')} | ${best ? `${NAMES[best]} ${fmt(values[best])}` : '—'} | ${vsBest} |`;
}

const by = (fn) => Object.fromEntries(ENGINES.map((id) => [id, fn(id)]));

function memoryAfterStart(r, id) {
  const n = r.node[id];
  if (!n) return null;
  return n.heapAfterLoad + (n.wasmAfterLoad ?? 0);
}

function mainTable(r) {
  const lines = [
    `| measure | ${ENGINES.map((id) => NAMES[id]).join(' | ')} | best peer | paper-search ÷ best peer |`,
    `|---|${ENGINES.map(() => '---:').join('|')}|---|---:|`,
    row('query latency p50, Node', by((id) => r.node[id]?.latency.p50), us),
    row('query latency p95, Node', by((id) => r.node[id]?.latency.p95), us),
    row('query latency p50, Chromium', by((id) => r.chromium?.engines[id]?.latency.p50), us),
    row('query latency p95, Chromium', by((id) => r.chromium?.engines[id]?.latency.p95), us),
    ...[['Node', (id) => r.node[id]], ['Chromium', (id) => r.chromium?.engines[id]]].flatMap(([runtime, get]) =>
      ['p50', 'p95'].map((p) =>
        row(`query latency ${p}, ${runtime}, hits without highlighting ⁴`, by((id) => (id === 'paper-search' ? get(id)?.latencyPlain?.[p] : get(id)?.latency[p])), us),
      ),
    ),
    `| queries answered (at least one hit), Node | ${ENGINES.map((id) => (r.node[id] ? `${r.node[id].latency.answered} of ${r.queries.count}` : '—')).join(' | ')} | | |`,
    row('page load → first results, Chromium', by((id) => r.chromium?.engines[id]?.load.ms), ms),
    row('page download, brotli', by((id) => r.bytes[id]?.total.brotli), kb),
    row('page download, gzip', by((id) => r.bytes[id]?.total.gzip), kb),
    row('page download, raw', by((id) => r.bytes[id]?.total.raw), kb),
    row('memory after start, Node ¹', by((id) => memoryAfterStart(r, id)), mb),
    row(`memory after the latency run, Node ¹`, by((id) => r.node[id] && r.node[id].heapAfterLatency + (r.node[id].wasmAfterLatency ?? 0)), mb),
    row('build, cold ²', by((id) => (id === 'paper-search' ? r.build.coldSeconds : null)), s),
    row('build, warm ²', by((id) => (id === 'paper-search' ? r.build.warmSeconds : null)), s),
    row('prebuilt index: build + serialize in Node ³', by((id) => (r.peersBuild[id] ? r.peersBuild[id].buildMs / 1000 : null)), s),
  ];
  return lines.join('\n');
}

function bytesTable(r) {
  const lines = ['| engine | file | raw | gzip | brotli |', '|---|---|---:|---:|---:|'];
  for (const id of ENGINES) {
    const b = r.bytes[id];
    if (!b) continue;
    for (const f of b.files) lines.push(`| ${NAMES[id]} | ${f.file} | ${kb(f.raw)} | ${kb(f.gzip)} | ${kb(f.brotli)} |`);
    lines.push(`| **${NAMES[id]}** | **total** | **${kb(b.total.raw)}** | **${kb(b.total.gzip)}** | **${kb(b.total.brotli)}** |`);
  }
  lines.push(`| floor | the corpus text alone (titles and abstracts) | ${kb(r.floor.raw)} | ${kb(r.floor.gzip)} | ${kb(r.floor.brotli)} |`);
  return lines.join('\n');
}

function kindsTable(r) {
  const kinds = Object.keys(r.node['paper-search']?.latency.byKind ?? {});
  const lines = [
    `| runtime | kind (queries) | ${ENGINES.map((id) => `${NAMES[id]} p50 / p95`).join(' | ')} |`,
    `|---|---|${ENGINES.map(() => '---:').join('|')}|`,
  ];
  for (const [runtime, get] of [['Node', (id) => r.node[id]?.latency], ['Chromium', (id) => r.chromium?.engines[id]?.latency]]) {
    for (const kind of kinds) {
      const n = get('paper-search')?.byKind[kind]?.n ?? '';
      const cells = ENGINES.map((id) => {
        const k = get(id)?.byKind[kind];
        return k ? `${sig(k.p50)} / ${sig(k.p95)}` : '—';
      });
      lines.push(`| ${runtime} | ${kind} (${n}) | ${cells.join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

function failures(r) {
  return ENGINES.filter((id) => r.node[id]?.latency.failed?.length)
    .map((id) => `${NAMES[id]} threw on ${r.node[id].latency.failed.length} queries (${r.node[id].latency.failed.map((q) => `\`${JSON.stringify(q)}\``).join(', ')}), counted as answered with no hits.`)
    .join(' ');
}

function slowest(r) {
  const l = r.node['paper-search']?.latency;
  if (!l) return '';
  const top = [...l.perQuery].sort((a, b) => b.us - a.us).slice(0, 5);
  return `Slowest paper-search queries in Node: ${top.map((x) => `\`${JSON.stringify(x.q)}\` (${x.kind}) ${us(x.us)}`).join(', ')}.`;
}

// Each target as [what, measured, met?].
export function targets(r) {
  const out = [];
  for (const [runtime, get] of [['Node', (id) => r.node[id]?.latency], ['Chromium', (id) => r.chromium?.engines[id]?.latency]]) {
    const ps = get('paper-search');
    const flex = get('flexsearch');
    if (ps && flex) out.push([`p50 ≤ FlexSearch's, ${runtime}`, `${us(ps.p50)} vs ${us(flex.p50)} (${ratio(ps.p50 / flex.p50)})`, ps.p50 <= flex.p50]);
    const peers = PEERS.filter((id) => get(id));
    if (ps && peers.length) {
      const best = Math.min(...peers.map((id) => get(id).p95));
      out.push([`p95 < every peer's, ${runtime}`, `${us(ps.p95)} vs best peer ${us(best)} (${ratio(ps.p95 / best)})`, ps.p95 < best]);
    }
  }
  if (r.corpus === 'default' && r.bytes['paper-search']) {
    const b = r.bytes['paper-search'].total.brotli;
    out.push(['whole page ≤ 110 KB brotli', kb(b), b <= 110 * 1024]);
  }
  const ps = r.chromium?.engines['paper-search']?.load.ms;
  const mini = r.chromium?.engines.minisearch?.load.ms;
  if (ps != null && mini != null) out.push(["first results ≤ MiniSearch's (prebuilt index), Chromium", `${ms(ps)} vs ${ms(mini)} (${ratio(ps / mini)})`, ps <= mini]);
  const m = r.memory?.['paper-search'];
  if (m) {
    const start = r.node['paper-search'].wasmAfterLoad;
    const first = m.checkpoints[0];
    const last = m.checkpoints[m.checkpoints.length - 1];
    const flatAfter = last.wasm <= first.wasm;
    const short = m.done < m.count ? ` (${m.done.toLocaleString('en')} run: time limit)` : '';
    const measured =
      `after start ${mb(start)}, after ${first.queries.toLocaleString('en')} queries ${mb(first.wasm)}, ` +
      `after ${last.queries.toLocaleString('en')} ${mb(last.wasm)}`;
    out.push([
      `memory flat across ${m.count.toLocaleString('en')} queries${short} (wasm linear memory)`,
      measured,
      flatAfter && first.wasm <= start ? true : flatAfter ? 'partly: grows once in the first queries, then flat' : false,
    ]);
  }
  return out;
}

function targetsTable(r) {
  const lines = ['| target | measured | met |', '|---|---|:---:|'];
  for (const [what, measured, met] of targets(r)) {
    lines.push(`| ${what} | ${measured} | ${met === true ? 'yes' : met === false ? '**no**' : `**${met}**`} |`);
  }
  return lines.join('\n');
}

function memoryLine(r) {
  const m = r.memory?.['paper-search'];
  if (!m) return 'The memory run was skipped.';
  const points = m.checkpoints.map((c) => `${c.queries.toLocaleString('en')}: ${mb(c.wasm)}`).join(', ');
  const limit = m.done < m.count ? `, of ${m.count.toLocaleString('en')} (the time limit stopped it)` : '';
  return (
    `paper-search wasm linear memory after start ${mb(r.node['paper-search'].wasmAfterLoad)}; during ${m.done.toLocaleString('en')} queries${limit}, ` +
    `in ${m.seconds.toFixed(0)} s (${us((m.seconds * 1e6) / m.done)} a query on average, the corpora running in parallel): ${points}.`
  );
}

// Both corpora side by side: paper-search, the best peer of each row, and their ratio.
export function summaryTable(results) {
  const measures = [
    ['query latency p50, Node', (r, id) => r.node[id]?.latency.p50, us],
    ['query latency p95, Node', (r, id) => r.node[id]?.latency.p95, us],
    ['query latency p50, Chromium', (r, id) => r.chromium?.engines[id]?.latency.p50, us],
    ['query latency p95, Chromium', (r, id) => r.chromium?.engines[id]?.latency.p95, us],
    ['page load → first results, Chromium', (r, id) => r.chromium?.engines[id]?.load.ms, ms],
    ['page download, brotli', (r, id) => r.bytes[id]?.total.brotli, kb],
    ['memory after start, Node', (r, id) => memoryAfterStart(r, id), mb],
    ['build cold / warm', (r, id) => (id === 'paper-search' ? [r.build.coldSeconds, r.build.warmSeconds] : null), null],
  ];
  const head = results.map((r) => `${r.corpus}: paper-search | ${r.corpus}: best peer | paper-search ÷ best`).join(' | ');
  const lines = [`| measure | ${head} |`, `|---|${results.map(() => '---:|---|---:').join('|')}|`];
  for (const [label, get, fmt] of measures) {
    const cells = results.map((r) => {
      const ps = get(r, 'paper-search');
      if (!fmt) return `${ps.map((x) => (x == null ? '—' : s(x))).join(' / ')} | | `;
      const peers = PEERS.filter((id) => get(r, id) != null);
      const best = peers.reduce((a, b) => (get(r, b) < get(r, a) ? b : a));
      return `${fmt(ps)} | ${NAMES[best]} ${fmt(get(r, best))} | ${ratio(ps / get(r, best))}`;
    });
    lines.push(`| ${label} | ${cells.join(' | ')} |`);
    if (label === 'page download, brotli') {
      lines.push(`| floor: the corpus text alone, brotli | ${results.map((r) => `${kb(r.floor.brotli)} | | `).join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

export function corpusSection(r) {
  const q = r.queries;
  return [
    `## ${r.title}`,
    '',
    `${r.papers.toLocaleString('en')} papers; ${q.count} queries (${Object.entries(q.byKind).map(([k, n]) => `${n} ${k}`).join(', ')}), \`${q.file}\`. ` +
      `Page load measured with \`?q=${r.loadQuery}\`. Each cell: the value (its ratio to the best peer of the row).`,
    '',
    mainTable(r),
    '',
    '¹ paper-search: wasm linear memory plus JS heap growth; peers: JS heap growth after GC (the loaded index and the papers\' text their page keeps); ' +
      `"after the latency run" is after about ${r.node['paper-search']?.latency.calls.toLocaleString('en') ?? '?'} searches for paper-search (each engine ran the harness once). ` +
      memoryLine(r),
    '',
    '² `./build.sh` in a snapshot of the repository: cold from an empty target folder (measured on the default corpus only: the dependencies are the same for every corpus); warm after `cargo clean -p paper-search` for the wasm32 release build. Both include wasm-bindgen, wasm-opt and the size printout.',
    '³ What a peer needs instead of a build: index the papers and serialize the index (not comparable with a compile).',
    '⁴ paper-search called with `{ highlight: false }`: the same hits (ids, titles, scores) without title and snippet segments, which is what the peers return; the peers\' cells repeat their rows above.',
    '',
    `### ${r.title}: page files` + (r.brotliQuality !== 11 ? ` (brotli at quality ${r.brotliQuality} for this corpus: quality 11 takes about 2 s a MB here)` : ''),
    '',
    bytesTable(r),
    '',
    `### ${r.title}: latency by query kind (µs)`,
    '',
    kindsTable(r),
    '',
    ...[slowest(r), failures(r)].filter(Boolean).flatMap((line) => [line, '']),
    `### ${r.title}: targets`,
    '',
    targetsTable(r),
    '',
  ].join('\n');
}

export function methodSection(meta, setups) {
  return [
    '## How it was measured',
    '',
    `- Machine: ${meta.machine}. Source: commit ${meta.source.commit}${meta.source.dirty ? ' with uncommitted changes' : ''}. Run took ${(meta.seconds / 60).toFixed(1)} minutes.`,
    `- Versions: ${meta.versions}.`,
    `- Latency: one warm-up pass, then each query timed in round-robin rounds, at least ${SETTINGS.MIN_REPS} and up to ${SETTINGS.MAX_REPS} samples (until it has used ${SETTINGS.BUDGET_MS} ms); ` +
      `a sample times a batch of consecutive calls lasting at least ${SETTINGS.BATCH_MS} ms (one call when slower). A query's latency is the median of its samples; p50/p95 are over the queries of the mix. ` +
      'Every engine is asked for 10 hits; paper-search\'s include highlighted title and snippet segments, the peers return ids (the rows marked ⁴ time paper-search without the segments). Node: one process per engine. Chromium: the same harness inside each engine\'s page, cross-origin isolated (5 µs clock).',
    '- Page load: headless Chromium, a fresh context (empty cache, service workers blocked) per run, served from 127.0.0.1 without compression or throttling, so it measures parsing, compiling and index loading, not the network; the time is from navigation start to the page marking itself ready with the results of `?q=` rendered; median of the runs, taken round-robin over the engines. Other work on the machine shows in this measure most.',
    '- Bytes: the files the page requested during its first load (until the network was idle), gzip level 9 and brotli; the floor is the corpus text alone compressed the same way. paper-search\'s page is `www/` as built; each peer page is a minimal page (the same CSS) with its engine and page code bundled and minified by esbuild, its serialized index and a JSON file of titles and abstracts.',
    '- Memory: Node with `--expose-gc`, heap measured after two forced collections.',
    '',
    '| engine | set-up |',
    '|---|---|',
    ...Object.entries(setups).map(([id, setup]) => `| ${NAMES[id]} ${meta.engineVersions[id] ?? meta.source.commit} | ${setup} |`),
    '',
  ].join('\n');
}

// The whole report, from what run.mjs measured (also kept in bench/work/results.json).
export function render({ meta, results, notes, setups, quick }) {
  return [
    `# paper-search benchmark, ${meta.date}`,
    '',
    `${meta.machine}. Produced by \`./build.sh bench${quick ? ' --quick' : ''}\`.`,
    '',
    ...(notes.length ? [...notes.map((n) => `- ${n}`), ''] : []),
    '## Summary',
    '',
    summaryTable(results),
    '',
    ...results.map(corpusSection),
    methodSection(meta, setups),
  ].join('\n');
}
