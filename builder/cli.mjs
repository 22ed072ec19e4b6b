#!/usr/bin/env node
// `npx paper-search build <corpus> --out <dir>`: the search for a corpus, built with Node alone.
import { buildSite, parseArgs } from './build.mjs';

try {
  await buildSite(parseArgs(process.argv.slice(2)));
} catch (err) {
  console.error(`error: ${err.message}`);
  process.exitCode = 1;
}
