//! The papers' vectors for the npm package's builder (`npx paper-search build --semantic`): the
//! texts the model reads, and the embedding cache and the vectors file, made by the same code as
//! `paper-search-semantic embed`'s ([`cache`], [`Vectors`]). The builder embeds the texts with
//! the semantic engine's `Embedder` on worker threads and keeps the cache file; this module
//! says which texts to embed and turns the vectors into the file `indexCorpus` takes.

use std::collections::HashMap;

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use crate::corpus;
use crate::semantic::cache::{self, Contents};
use crate::semantic::paper_text;
use crate::semantic::vectors::{Quantized, Vectors};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/**
 * The text the model reads of each paper `indexCorpus` indexes (its title, then its abstract),
 * in the index's order: a collection's entries that cannot be read are left out the same way.
 */
export function paperTexts(name: string, bytes: Uint8Array, strict?: boolean): string[];

/** The vectors of a corpus's texts: those an embedding cache holds, and those embedded now. */
export class Embeddings {
  /** For `texts`, embedded by model `modelId` (`dims` wide); `cache` is the cache file's bytes, if any. */
  constructor(texts: string[], modelId: bigint, dims: number, cache?: Uint8Array);
  /** Whether the cache file is to be started anew with `header()` (none, or not usable: see `notes`). */
  readonly fresh: boolean;
  /** The cache file's length up to its last whole record (a record cut short is dropped). */
  readonly whole: number;
  /** The cache file's header, for a fresh one. */
  header(): Uint8Array;
  /** What the cache had to say: a cache not used and why, a record cut short. */
  readonly notes: string[];
  /** Texts whose vector came from the cache. */
  readonly cached: number;
  /** The texts to embed, by index: each distinct text the cache lacks, once. */
  missing(): Uint32Array;
  /** Adds the vectors (`dims` numbers each, flat) of the texts at `indices`; returns the cache records to append. */
  add(indices: Uint32Array, vectors: Float32Array): Uint8Array;
  /** The vectors file (as `paper-search-semantic embed` writes it) once every text has its vector. */
  file(): Uint8Array;
  free(): void;
}
"#;

/// The texts the model reads (see the TypeScript declaration above).
///
/// # Errors
///
/// The corpus's `path:line` error, as `indexCorpus` throws it.
#[wasm_bindgen(js_name = paperTexts, skip_typescript)]
pub fn paper_texts(name: &str, bytes: Vec<u8>, strict: Option<bool>) -> Result<Vec<String>, JsError> {
    let collection = corpus::read(name, &bytes).map_err(|e| JsError::new(&e.to_string()))?;
    drop(bytes);
    collection.check(strict.unwrap_or(false)).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(collection.papers.iter().map(paper_text).collect())
}

/// The vectors of a corpus's texts (see the TypeScript declaration above).
#[wasm_bindgen(skip_typescript)]
pub struct Embeddings {
    model_id: u64,
    dims: usize,
    keys: Vec<u128>,
    vectors: HashMap<u128, Quantized>,
    fresh: bool,
    whole: f64,
    notes: Vec<String>,
    cached: usize,
}

#[wasm_bindgen]
impl Embeddings {
    #[wasm_bindgen(constructor)]
    pub fn new(texts: Vec<String>, model_id: u64, dims: usize, cache: Option<Vec<u8>>) -> Embeddings {
        let keys: Vec<u128> = texts.iter().map(|t| cache::key(t)).collect();
        drop(texts);
        let mut notes = Vec::new();
        let (vectors, fresh, whole) = match cache.map(|bytes| cache::parse(&bytes, model_id, dims)) {
            Some(Contents::Records(entries, whole)) => (entries, false, whole as f64),
            Some(Contents::Unusable(why)) => {
                notes.push(format!("{why}; not used, started anew"));
                (HashMap::new(), true, 0.0)
            }
            Some(Contents::None) | None => (HashMap::new(), true, 0.0),
        };
        let cached = keys.iter().filter(|k| vectors.contains_key(k)).count();
        Embeddings { model_id, dims, keys, vectors, fresh, whole, notes, cached }
    }

    #[wasm_bindgen(getter)]
    pub fn fresh(&self) -> bool {
        self.fresh
    }

    #[wasm_bindgen(getter)]
    pub fn whole(&self) -> f64 {
        self.whole
    }

    pub fn header(&self) -> Uint8Array {
        Uint8Array::from(&cache::header(self.model_id, self.dims)[..])
    }

    #[wasm_bindgen(getter)]
    pub fn notes(&self) -> Vec<String> {
        self.notes.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn cached(&self) -> usize {
        self.cached
    }

    pub fn missing(&self) -> Vec<u32> {
        cache::missing(&self.keys, |k| self.vectors.contains_key(&k)).into_iter().map(|i| i as u32).collect()
    }

    /// # Errors
    ///
    /// Vectors not `dims` numbers for each index, or an index past the texts.
    pub fn add(&mut self, indices: Vec<u32>, vectors: Vec<f32>) -> Result<Uint8Array, JsError> {
        if vectors.len() != indices.len() * self.dims || self.dims == 0 {
            return Err(JsError::new(&format!(
                "{} numbers for {} vectors of {} dimensions",
                vectors.len(),
                indices.len(),
                self.dims
            )));
        }
        let mut added = Vec::with_capacity(indices.len());
        for (&i, v) in indices.iter().zip(vectors.chunks_exact(self.dims)) {
            let key = *self.keys.get(i as usize).ok_or_else(|| JsError::new(&format!("no text {i}")))?;
            added.push((key, Quantized::new(v, self.dims)));
        }
        let records = cache::records(&added);
        self.vectors.extend(added);
        Ok(Uint8Array::from(&records[..]))
    }

    /// # Errors
    ///
    /// A text without its vector yet.
    pub fn file(&self) -> Result<Uint8Array, JsError> {
        let rows = self
            .keys
            .iter()
            .enumerate()
            .map(|(i, k)| self.vectors.get(k).cloned().ok_or_else(|| JsError::new(&format!("text {i} has no vector"))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Uint8Array::from(&Vectors::from_quantized(self.model_id, self.dims, &rows).to_bytes()[..]))
    }
}
