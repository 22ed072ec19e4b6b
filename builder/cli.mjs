#!/usr/bin/env node
// `npx paper-search build <corpus> --out <dir>`: the search for a corpus, built with Node alone.
import { buildSite, parseArgs } from './build.mjs';

try {
  await buildSite(parseArgs(process.argv.slice(2)));
} catch (err) {
  // A collection's error lists the entries it stands for first, a line each, as
  // paper-search-index prints them.
  for (const [i, line] of err.message.split('\n').entries()) {
    console.error(i === 0 || /^\S+:\d+: /.test(line) ? `error: ${line}` : line);
  }
  process.exitCode = 1;
}
