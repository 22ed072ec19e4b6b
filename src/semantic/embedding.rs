//! A corpus's papers embedded for a build: the vectors the [cache](super::cache) holds taken
//! from it, the others computed (each distinct text once) and added to it as their batches
//! finish.

use std::path::Path;
use std::time::Instant;

use super::cache::{self, key, Cache};
use super::encoder::Encoder;
use super::model::ModelError;
use super::vectors::{Quantized, Vectors};

/// The vectors of a corpus, and what making them took.
pub struct Embedded {
    pub vectors: Vectors,
    /// Papers whose vector came from the cache.
    pub cached: usize,
    /// Texts embedded now (a text two papers share counts once).
    pub embedded: usize,
    /// Their tokens, and the FLOPs of the model on them ([`Encoder::flops`]).
    pub tokens: usize,
    pub flops: f64,
    /// The token counts of the texts of each batch, in the order the batches were made.
    pub batches: Vec<Vec<usize>>,
    /// Seconds spent embedding (the texts tokenized and run through the model).
    pub seconds: f64,
    /// What the cache had to say (see [`Cache::notes`]).
    pub notes: Vec<String>,
}

/// The vectors of `texts` (one per paper, in id order), those the cache in `cache` holds read
/// from it and the others embedded and added to it. `progress` hears the texts embedded so far
/// and how many there are to embed, after each batch.
///
/// # Errors
///
/// A tokenizer or model failure. A cache that cannot be opened or written is reported in
/// `notes` and done without.
pub fn embed(
    encoder: &Encoder,
    texts: &[String],
    cache: Option<&Path>,
    mut progress: impl FnMut(usize, usize) + Send,
) -> Result<Embedded, ModelError> {
    let dims = encoder.dims();
    let mut notes = Vec::new();
    let mut cache = cache.and_then(|dir| match Cache::open(dir, encoder.model_id, dims) {
        Ok(cache) => Some(cache),
        Err(e) => {
            notes.push(format!("{}: {e}; embedding without a cache", dir.display()));
            None
        }
    });
    let keys: Vec<u128> = texts.iter().map(|t| key(t)).collect();
    // The texts to embed: each distinct one the cache lacks, once.
    let missing = cache::missing(&keys, |k| cache.as_ref().is_some_and(|c| c.get(k).is_some()));
    let refs: Vec<&str> = missing.iter().map(|&i| texts[i].as_str()).collect();
    let mut fresh = std::collections::HashMap::with_capacity(missing.len());
    let started = Instant::now();
    let mut done = 0;
    let packed = encoder.embed_texts(&refs, |batch, vectors| {
        let quantized: Vec<(u128, Quantized)> =
            batch.iter().zip(vectors).map(|(&i, v)| (keys[missing[i]], Quantized::new(&v, dims))).collect();
        if let Some(cache) = &mut cache {
            cache.add(quantized.clone());
        }
        fresh.extend(quantized);
        done += batch.len();
        progress(done, missing.len());
        Ok(())
    })?;
    let seconds = started.elapsed().as_secs_f64();
    let mut cached = 0;
    let mut vectors = Vec::with_capacity(texts.len());
    for k in &keys {
        let q = match fresh.get(k) {
            Some(q) => q.clone(),
            None => {
                cached += 1;
                cache
                    .as_ref()
                    .and_then(|c| c.get(*k))
                    .cloned()
                    .ok_or_else(|| ModelError("a vector went missing".into()))?
            }
        };
        vectors.push(q);
    }
    if let Some(cache) = cache {
        notes.extend(cache.notes);
    }
    let batches: Vec<Vec<usize>> =
        packed.batches.iter().map(|b| b.iter().map(|&i| packed.tokens[i]).collect()).collect();
    Ok(Embedded {
        vectors: Vectors::from_quantized(encoder.model_id, dims, &vectors),
        cached,
        embedded: missing.len(),
        tokens: packed.tokens.iter().sum(),
        flops: encoder.flops(&packed.tokens),
        batches,
        seconds,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::semantic::cache::CACHE_FILE;
    use crate::semantic::encoder::tests::{tiny_model, tiny_model_seeded};

    /// `n` texts of the tiny model's words, each different (a seeded generator's choice).
    fn corpus(n: usize, seed: u64) -> Vec<String> {
        let words = ["graph", "neural", "networks", "bandit", "linear", "bandits", "unknown"];
        let mut state = seed;
        (0..n)
            .map(|i| {
                let mut text = format!("paper {i}");
                for _ in 0..1 + i % 5 {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    text = format!("{} {text}", words[(state % words.len() as u64) as usize]);
                }
                text
            })
            .collect()
    }

    /// A fresh folder for one test's cache.
    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("paper-search-cache-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn run(encoder: &Encoder, texts: &[String], dir: &Path) -> Embedded {
        embed(encoder, texts, Some(dir), |_, _| {}).expect("embeds")
    }

    /// Vector `i`, as the vectors file holds it (scale and int8 values).
    fn vector(e: &Embedded, i: usize) -> (f32, Vec<f32>) {
        let v = e.vectors.get(i as u32).expect("a vector");
        (v.iter().fold(0f32, |m, x| m.max(x.abs())), v)
    }

    #[test]
    fn a_rebuild_embeds_only_new_and_changed_papers_and_keeps_the_others_vectors() {
        let encoder = Encoder::new(tiny_model()).expect("builds");
        let dir = folder("rebuild");
        let texts = corpus(200, 7);
        let first = run(&encoder, &texts, &dir);
        assert_eq!((first.embedded, first.cached), (200, 0));
        assert!(first.notes.is_empty(), "{:?}", first.notes);
        // 1% more papers, and one paper's abstract changed.
        let mut grown = texts.clone();
        grown.extend(corpus(202, 11).into_iter().skip(200).map(|t| format!("{t} linear")));
        grown[17] = format!("{} graph", grown[17]);
        let again = run(&encoder, &grown, &dir);
        assert_eq!((again.embedded, again.cached), (3, 199), "only the new and the changed papers are embedded");
        for i in (0..200).filter(|&i| i != 17) {
            assert_eq!(vector(&again, i), vector(&first, i), "paper {i} keeps its vector");
        }
        // The vectors embedded now are those a build without a cache computes.
        let fresh = embed(&encoder, &grown, None, |_, _| {}).expect("embeds");
        assert_eq!(fresh.embedded, 202);
        for i in [17, 200, 201] {
            let (a, b) = (vector(&again, i).1, vector(&fresh, i).1);
            assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 0.02), "paper {i}: {a:?} vs {b:?}");
        }
        let third = run(&encoder, &grown, &dir);
        assert_eq!((third.embedded, third.cached), (0, 202), "nothing left to embed");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn another_models_cache_and_a_damaged_one_are_reported_and_not_used() {
        let dir = folder("other");
        let texts = corpus(40, 3);
        let other = Encoder::new(tiny_model_seeded(5)).expect("builds");
        run(&other, &texts, &dir);
        let encoder = Encoder::new(tiny_model()).expect("builds");
        assert_ne!(other.model_id, encoder.model_id);
        let fresh = embed(&encoder, &texts, None, |_, _| {}).expect("embeds");
        let e = run(&encoder, &texts, &dir);
        assert_eq!((e.embedded, e.cached), (40, 0), "another model's vectors are not used");
        assert!(e.notes.iter().any(|n| n.contains("another model")), "{:?}", e.notes);
        assert_eq!(e.vectors, fresh.vectors);
        // One byte of a record changed in the middle of the file.
        let path = dir.join(CACHE_FILE);
        let mut bytes = std::fs::read(&path).expect("reads");
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x10;
        std::fs::write(&path, &bytes).expect("writes");
        let e = run(&encoder, &texts, &dir);
        assert_eq!((e.embedded, e.cached), (40, 0), "a damaged cache is not used");
        assert!(e.notes.iter().any(|n| n.contains("damaged")), "{:?}", e.notes);
        assert_eq!(e.vectors, fresh.vectors);
        // Started anew, the cache serves the next build.
        let e = run(&encoder, &texts, &dir);
        assert_eq!((e.embedded, e.cached), (0, 40));
        assert!(e.notes.is_empty(), "{:?}", e.notes);
        // A file that is no cache at all.
        std::fs::write(&path, b"not a cache").expect("writes");
        let e = run(&encoder, &texts, &dir);
        assert_eq!(e.embedded, 40);
        assert!(e.notes.iter().any(|n| n.contains("not an embedding cache")), "{:?}", e.notes);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_run_stopped_while_writing_resumes_from_what_was_cached() {
        let encoder = Encoder::new(tiny_model()).expect("builds");
        let dir = folder("resume");
        let texts = corpus(120, 9);
        let whole = run(&encoder, &texts, &dir);
        // The run stopped in the middle of its 51st record.
        let path = dir.join(CACHE_FILE);
        let bytes = std::fs::read(&path).expect("reads");
        let record = (bytes.len() - 32) / 120;
        std::fs::write(&path, &bytes[..32 + 50 * record + record / 2]).expect("writes");
        let e = run(&encoder, &texts, &dir);
        assert_eq!((e.embedded, e.cached), (70, 50), "the 50 whole records are used");
        assert!(e.notes.iter().any(|n| n.contains("cut short")), "{:?}", e.notes);
        for i in 0..120 {
            let (a, b) = (vector(&e, i).1, vector(&whole, i).1);
            assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 0.02), "paper {i}");
        }
        let e = run(&encoder, &texts, &dir);
        assert_eq!((e.embedded, e.cached), (0, 120), "the file is whole again");
        assert!(e.notes.is_empty(), "{:?}", e.notes);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
