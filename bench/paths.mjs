// Where the benchmark reads and writes. Everything it builds lives in bench/work/ (ignored).
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(BENCH, '..');
export const WORK = join(BENCH, 'work');
// The shared data sits beside the repository on every machine.
export const SCIFACT_JSONL = resolve(REPO, '..', 'shared', 'scifact', 'corpus.jsonl');

export function ensureDir(dir) {
  mkdirSync(dir, { recursive: true });
  return dir;
}
