// Child processes measured: a command run to its end (`measure`: wall time, stderr), and the peak
// memory of a process tree, sampled from /proc (Linux): the sum of VmRSS over a process and all
// its descendants every `everyMs`, and each process's own peak (VmHWM) as last seen.
import { readFileSync, readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';

function status(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    // The program's name from its command line (status's Name is cut at 15 characters).
    let name = /^Name:\s+(.*)$/m.exec(text)?.[1] ?? '?';
    try {
      const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
      if (argv0) name = argv0.slice(argv0.lastIndexOf('/') + 1);
    } catch {
      // gone
    }
    return { name, rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null; // gone
  }
}

function children(pid) {
  const out = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (list) out.push(...list.split(/\s+/).map(Number));
    }
  } catch {
    // gone
  }
  return out;
}

export function tree(pid) {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...children(all[i]));
  return all;
}

// Starts sampling `pid`'s tree; `stop()` returns { peakTreeKB, processes: { pid: { name, hwmKB } } }.
export function sampleTree(pid, everyMs = 100) {
  let peakTreeKB = 0;
  const processes = {};
  const sample = () => {
    let sum = 0;
    for (const p of tree(pid)) {
      const s = status(p);
      if (!s) continue;
      sum += s.rss;
      processes[p] = { name: s.name, hwmKB: Math.max(processes[p]?.hwmKB ?? 0, s.hwm) };
    }
    peakTreeKB = Math.max(peakTreeKB, sum);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      sample();
      clearInterval(timer);
      return { peakTreeKB, processes };
    },
  };
}

/**
 * Runs a command to its end: its wall seconds, the peak resident memory of its process tree
 * (sampled every 50 ms) and its stderr; rejects with the stderr when it fails.
 */
export function measure(command, args, options) {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
    const sampler = sampleTree(child.pid, 50);
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', fail);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const { peakTreeKB } = sampler.stop();
      if (code !== 0) fail(new Error(`${command} ${args.join(' ')} failed:\n${stderr}`));
      else done({ seconds, peakMB: peakTreeKB / 1024, stderr });
    });
  });
}
