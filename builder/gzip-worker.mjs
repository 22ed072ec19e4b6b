// The builder's part writer, on a thread of its own: it gzips and writes each part the indexer
// hands over while the indexer, which holds the main thread, goes on.
//   message { path, bytes }: gzip bytes (level 6) and write them to path
//   message { done: true }: reply { files, bytes } once every part before it is written
import { writeFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';

let files = 0;
let bytes = 0;
parentPort.on('message', (message) => {
  if (message.done) {
    parentPort.postMessage({ files, bytes });
    return;
  }
  try {
    const gz = gzipSync(message.bytes, { level: 6 });
    writeFileSync(message.path, gz);
    files += 1;
    bytes += gz.length;
  } catch (err) {
    parentPort.postMessage({ error: `${message.path}: ${err.message}` });
  }
});
