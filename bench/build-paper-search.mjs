// Builds paper-search for each corpus with the project's own `./build.sh`, in a snapshot of the
// repository under bench/work/tree (so the shared target/ and www/pkg/ are left alone), and
// times it:
//   cold  from an empty target folder (every dependency compiled, then wasm-bindgen, wasm-opt)
//   warm  after `cargo clean -p paper-search` for the wasm32 release build (build script, crate and
//         LTO again; dependencies kept)
// The snapshot is the working tree as `./build.sh` would build it (tracked and untracked files,
// not ignored ones), or the commit named by BENCH_REV.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO, ensureDir } from './paths.mjs';

const sh = (cmd, opts = {}) => {
  const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  if (r.status !== 0) throw new Error(`${cmd}\n${(r.stderr || r.stdout || '').slice(-3000)}`);
  return r.stdout;
};

// What is measured: the commit, and whether the working tree differs from it.
export function describeSource(rev) {
  const commit = sh(`git -C '${REPO}' rev-parse --short ${rev ?? 'HEAD'}`).trim();
  const dirty = !rev && sh(`git -C '${REPO}' status --porcelain -- . ':!bench'`).trim() !== '';
  return { commit, dirty, rev: rev ?? null };
}

// Lays the sources out in `tree`, keeping its target/ (for warm builds) and node_modules/.
export function snapshot(tree, rev) {
  ensureDir(tree);
  for (const entry of readdirSync(tree)) {
    if (entry !== 'target' && entry !== 'node_modules') rmSync(join(tree, entry), { recursive: true, force: true });
  }
  if (rev) {
    sh(`git -C '${REPO}' archive --format=tar '${rev}' | tar -xf - -C '${tree}'`);
  } else {
    const files = sh(`git -C '${REPO}' ls-files -z -co --exclude-standard`)
      .split('\0')
      .filter((f) => f && !f.startsWith('bench/') && existsSync(join(REPO, f)));
    const list = join(dirname(tree), 'snapshot-files');
    writeFileSync(list, files.join('\0'));
    sh(`tar -C '${REPO}' --null -T '${list}' -cf - | tar -xf - -C '${tree}'`);
  }
  if (!existsSync(join(tree, 'node_modules'))) sh(`cp -al '${REPO}/node_modules' '${tree}/node_modules'`);
}

// Runs ./build.sh in the snapshot for one corpus (`papers` absolute, or null for the default)
// and returns its wall time in seconds; the log goes to `log`.
function timedBuild(tree, papers, log) {
  const env = { ...process.env };
  delete env.PAPERS;
  delete env.CARGO_TARGET_DIR;
  // This benchmark measures the module with everything inside, as the peers' pages hold their
  // whole index: a corpus of more than 2,000 papers would be built sharded (bench/scale.mjs
  // measures that build). The default corpus is built as `./build.sh` builds it, compiled into
  // the module; another corpus is appended to the engine, as `./build.sh` does with PAPERS.
  if (papers) {
    env.PAPERS = papers;
    env.SHARDS = 'off';
  }
  const t0 = performance.now();
  const r = spawnSync('./build.sh', [], { cwd: tree, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(log, `${r.stdout}\n${r.stderr}`);
  if (r.status !== 0) throw new Error(`./build.sh failed for ${papers ?? 'the default corpus'} (log: ${log}):\n${r.stderr.slice(-3000)}`);
  return seconds;
}

// Builds paper-search for one corpus, cold (unless `cold` is false) then warm, and copies the
// page (all of www/ with its new pkg/) into `siteDir`. Returns { coldSeconds, warmSeconds }.
export function buildPaperSearch({ tree, papers, siteDir, logs, cold = true, label }) {
  let coldSeconds = null;
  if (cold) {
    rmSync(join(tree, 'target'), { recursive: true, force: true });
    coldSeconds = timedBuild(tree, papers, join(logs, `build-${label}-cold.log`));
  }
  // The package's artifacts for the target ./build.sh builds (a bare `cargo clean -p` would
  // leave the wasm32 ones in place and the build would be a no-op).
  sh('cargo clean -p paper-search --release --target wasm32-unknown-unknown', {
    cwd: tree,
    env: { ...process.env, CARGO_TARGET_DIR: join(tree, 'target') },
  });
  const warmSeconds = timedBuild(tree, papers, join(logs, `build-${label}-warm.log`));
  rmSync(siteDir, { recursive: true, force: true });
  cpSync(join(tree, 'www'), siteDir, { recursive: true });
  return { coldSeconds, warmSeconds };
}
