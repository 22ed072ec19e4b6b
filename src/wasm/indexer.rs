//! The indexer for Node: the npm package's builder (`npx paper-search build`) indexes a corpus
//! with this module, the very code `build.rs` and `paper-search-index` run, so that a site it
//! builds answers as one `./build.sh` builds.

use js_sys::{Function, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::corpus;
use crate::index::{self, shards, BuildError, PartId, Progress};
use crate::semantic::vectors::Vectors;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** What `indexCorpus` built. */
export interface Indexed {
  papers: number;
  /** Whether the build is sharded: its parts went to `onPart`, its module holds the core. */
  sharded: boolean;
  /** The bundle the engine is given: everything, or for a sharded build the core and the docs part. */
  bundle: Uint8Array;
  /** The folder a sharded build's parts go in: `index-<build>`. */
  folder: string;
  /**
   * A collection's entries that could not be read and were left out, one message each:
   * `path:line: entry <key>: problem; what to do` (what `paper-search-index` prints as warnings).
   */
  skipped: string[];
  /** For a collection (BibTeX, CSL-JSON, RIS, MEDLINE, arXiv): `297 of 300 entries indexed, 3 skipped (listed above)`. */
  summary?: string;
}

/**
 * Indexes a corpus file: its name (for messages, and `.gz` to gunzip it), its bytes, and the
 * build's mode: `auto` (sharded above 2,000 papers), `on`, `off` or `single` (refuses a corpus
 * too large for one file). Hands each part of a sharded build to `onPart(fileName, bytes)` as it
 * is made, and progress to `onProgress(stage, done, total)`. Throws an `Error` whose message
 * reads `path:line: problem; what to do` for a malformed corpus: with `strict`, also when a
 * collection's entry could not be read (the message then lists each such entry first, a line
 * each, as when no entry could be read at all). `vectors`, a vectors file (`Embeddings.file()`,
 * one vector a paper), makes the index hold the papers' vectors for search by meaning.
 */
export function indexCorpus(
  name: string,
  bytes: Uint8Array,
  mode: string,
  onPart: (fileName: string, bytes: Uint8Array) => void,
  onProgress: (stage: string, done: number, total: number) => void,
  strict?: boolean,
  vectors?: Uint8Array,
): Indexed;
"#;

/// Indexes a corpus file (see the TypeScript declaration above).
///
/// # Errors
///
/// The corpus's `path:line` error (in strict mode, also its skipped entries), a refused mode,
/// vectors that are not a vectors file of one vector a paper, or a part `onPart` could not take.
#[wasm_bindgen(js_name = indexCorpus, skip_typescript)]
pub fn index_corpus(
    name: &str,
    bytes: Vec<u8>,
    mode: &str,
    on_part: &Function,
    on_progress: &Function,
    strict: Option<bool>,
    vectors: Option<Vec<u8>>,
) -> Result<JsValue, JsError> {
    let collection = corpus::read(name, &bytes).map_err(|e| JsError::new(&e.to_string()))?;
    drop(bytes);
    collection.check(strict.unwrap_or(false)).map_err(|e| JsError::new(&e.to_string()))?;
    let skipped = js_sys::Array::new();
    for entry in &collection.skipped {
        skipped.push(&JsValue::from(entry.to_string()));
    }
    let summary = collection.summary().map_or(JsValue::UNDEFINED, JsValue::from);
    let papers = collection.papers;
    let vectors = vectors.map(|bytes| Vectors::from_bytes(&bytes)).transpose().map_err(|e| JsError::new(&e.0))?;
    if let Some(v) = vectors.as_ref().filter(|v| v.len() != papers.len()) {
        return Err(JsError::new(&format!(
            "{} vectors for the {} papers of {name}: embed this corpus again",
            v.len(),
            papers.len()
        )));
    }
    let layout = index::layout_for(
        mode,
        papers.len(),
        name,
        "leave out --single to build a sharded site for any static host, or force one file with --single --shards off",
    )
    .map_err(|e| JsError::new(&e))?;
    let mut sink = |id: PartId, part: Vec<u8>| -> Result<(), BuildError> {
        on_part
            .call2(&JsValue::NULL, &JsValue::from(id.file_name()), &Uint8Array::from(&part[..]))
            .map(|_| ())
            .map_err(|e| BuildError::Sink(format!("{} could not be written: {e:?}", id.file_name())))
    };
    let mut progress = |p: Progress| {
        let (stage, done, total) =
            (JsValue::from(p.stage), JsValue::from(p.done as f64), JsValue::from(p.total as f64));
        let _ = on_progress.call3(&JsValue::NULL, &stage, &done, &total);
    };
    let site = index::write_site(&papers, &layout, vectors.as_ref().map(Vectors::stored), &mut sink, &mut progress)
        .map_err(|e| JsError::new(&e.to_string()))?;
    let out = Object::new();
    let fields = [
        ("papers", JsValue::from(papers.len() as f64)),
        ("sharded", JsValue::from(layout.is_sharded())),
        ("bundle", Uint8Array::from(&site.bundle[..]).into()),
        ("folder", JsValue::from(shards::folder_name(site.build))),
        ("skipped", skipped.into()),
        ("summary", summary),
    ];
    for (key, value) in fields {
        Reflect::set(&out, &JsValue::from_str(key), &value).map_err(|_| JsError::new("cannot build the result"))?;
    }
    Ok(out.into())
}
