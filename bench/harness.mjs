// The latency harness, the same code in Node and inside a Chromium page.
//
// After one warm-up pass over every query, each query is timed in round-robin rounds (every
// round visits every query still running, in file order) until it has at least MIN_REPS
// samples and has used BUDGET_MS, or has MAX_REPS samples. A sample times a batch of
// consecutive calls of that query sized to last at least BATCH_MS (one call for anything
// slower), because a page's clock is coarse (5 µs when cross-origin isolated, 100 µs
// otherwise). A query's latency is the median of its samples; p50 and p95 are taken over the
// queries of the mix (nearest rank), overall and per kind.

export const SETTINGS = { MIN_REPS: 3, MAX_REPS: 15, BUDGET_MS: 8, BATCH_MS: 0.25 };

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const median = (xs) => percentile([...xs].sort((a, b) => a - b), 50);

function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] };
}

// `search(text, limit)` runs one query and returns its hits (an array, or { hits }); `queries`
// are { kind, q }. Times are in µs; `answered` counts the queries with at least one hit, and
// `failed` lists those the engine threw on (when it keeps a `failures` set).
export function measureLatency(search, queries, { limit = 10, settings = SETTINGS } = {}) {
  const { MIN_REPS, MAX_REPS, BUDGET_MS, BATCH_MS } = settings;
  const now = () => performance.now();
  const started = now();
  const hits = [];
  const batch = queries.map(({ q }) => {
    const t0 = now();
    const result = search(q, limit);
    const warm = now() - t0;
    hits.push(Array.isArray(result) ? result.length : result.hits.length);
    return warm >= BATCH_MS ? 1 : Math.min(1000, Math.ceil(BATCH_MS / Math.max(warm, 0.001)));
  });
  const samples = queries.map(() => []);
  const spent = queries.map(() => 0);
  const running = (i) => samples[i].length < MIN_REPS || (samples[i].length < MAX_REPS && spent[i] < BUDGET_MS);
  let calls = queries.length;
  for (let round = 0; round < MAX_REPS; round++) {
    for (let i = 0; i < queries.length; i++) {
      if (!running(i)) continue;
      const { q } = queries[i];
      const n = batch[i];
      const t0 = now();
      for (let k = 0; k < n; k++) search(q, limit);
      const dt = now() - t0;
      samples[i].push((dt / n) * 1000);
      spent[i] += dt;
      calls += n;
    }
  }
  const perQuery = queries.map(({ kind, q }, i) => ({ kind, q, us: median(samples[i]), hits: hits[i] }));
  const byKind = {};
  for (const kind of [...new Set(queries.map((x) => x.kind))]) {
    byKind[kind] = summarize(perQuery.filter((x) => x.kind === kind).map((x) => x.us));
  }
  const answered = hits.filter((n) => n > 0).length;
  const failed = search.failures ? [...search.failures] : [];
  return { ...summarize(perQuery.map((x) => x.us)), byKind, perQuery, answered, failed, calls, seconds: (now() - started) / 1000 };
}
