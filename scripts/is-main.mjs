// Whether the module at `url` (its import.meta.url) is the script node was started with, so that
// a script can be both imported and run. Compared as file URLs, so that a path with spaces or
// other characters a URL escapes still matches.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export function isMain(url) {
  return process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === url;
}
