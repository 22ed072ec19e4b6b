// A worker of the builder's embedding (semantic.mjs): the semantic engine's Embedder on the
// model it is given, embedding the batches of texts it is sent, one at a time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const { engine, model } = workerData;
let embedder = null;
try {
  const glue = await import(pathToFileURL(join(engine, 'paper_search.js')).href);
  glue.initSync({ module: readFileSync(join(engine, 'paper_search_bg.wasm')) });
  embedder = new glue.Embedder(model);
  parentPort.postMessage({ ready: true, modelId: embedder.modelId, dims: embedder.dims });
} catch (err) {
  parentPort.postMessage({ error: `the model package's engine cannot embed: ${err.message ?? err}` });
}
parentPort.on('message', ({ batch, texts }) => {
  try {
    const vectors = embedder.embed(texts);
    parentPort.postMessage({ batch, vectors }, [vectors.buffer]);
  } catch (err) {
    parentPort.postMessage({ batch, error: err.message ?? String(err) });
  }
});
