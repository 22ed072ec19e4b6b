// One engine on one corpus in a Node process of its own (run with --expose-gc), so that no
// engine's heap or JIT state touches another's. Prints one JSON object.
//   node --expose-gc bench/node-engine.mjs '{"mode":"latency","engine":"lunr","site":"...","queries":"..."}'
// mode latency: load the engine as its page does (prebuilt index, papers' text), JS heap growth
//   after load, the latency harness, JS heap after it; for paper-search the wasm linear memory.
// mode memory: load, then `count` searches cycling through the mix (or as many as `seconds`
//   allow), with the wasm linear memory (paper-search) or the JS heap after GC (peers) at ten
//   checkpoints.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureLatency } from './harness.mjs';
import { loadBuilt } from './engines/paper-search.mjs';

const args = JSON.parse(process.argv[2]);
const queries = readFileSync(args.queries, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

const heap = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};

async function load() {
  const dir = join(args.site, args.engine);
  if (args.engine === 'paper-search') return { search: await loadBuilt(join(dir, 'pkg')) };
  const engine = await import(`./engines/${args.engine}.mjs`);
  // The page keeps the papers' text to show hits; so does this process.
  const docs = engine.storesText ? null : JSON.parse(readFileSync(join(dir, 'docs.json'), 'utf8'));
  return { search: await engine.load(readFileSync(join(dir, 'index.json'), 'utf8')), docs };
}

const base = heap();
const t0 = performance.now();
const loaded = await load();
const loadMs = performance.now() - t0;
const { search } = loaded;
const wasm = () => (search.wasmMemory ? search.wasmMemory() : null);
const out = { engine: args.engine, loadMs, heapAfterLoad: heap() - base, wasmAfterLoad: wasm() };

if (args.mode === 'latency') {
  out.latency = measureLatency(search, queries);
  // paper-search marks the matched words of every hit; the peers return ids. Also timed without.
  if (search.plain) out.latencyPlain = measureLatency(search.plain, queries);
  out.heapAfterLatency = heap() - base;
  out.wasmAfterLatency = wasm();
} else {
  // Stops at `count` searches or after `seconds`, whichever comes first.
  const checkpoints = [];
  const every = Math.max(1, Math.floor(args.count / 10));
  const deadline = performance.now() + (args.seconds ?? Infinity) * 1000;
  const t1 = performance.now();
  let done = 0;
  while (done < args.count) {
    search(queries[done % queries.length].q, 10);
    done++;
    const late = done % 100 === 0 && performance.now() > deadline;
    if (done % every === 0 || done === args.count || late) {
      checkpoints.push({ queries: done, wasm: wasm(), heap: search.wasmMemory ? null : heap() - base });
    }
    if (late) break;
  }
  out.memory = { count: args.count, done, seconds: (performance.now() - t1) / 1000, checkpoints, heapAfter: heap() - base };
}
console.log(JSON.stringify(out));
