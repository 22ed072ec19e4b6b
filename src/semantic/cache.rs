//! The embedding cache: every paper's vector kept under the exact text the model read, in one
//! file per folder made for one model, so that a rebuild embeds only the papers that are new
//! or changed. The file is written as the batches finish, one record after another, so that a
//! build stopped half way (Ctrl-C) and run again goes on from what it had.
//!
//! ```text
//! header, 32 bytes:
//!   magic     8 bytes  b"PSEMBED\0"
//!   version   u32      CACHE_FORMAT_VERSION
//!   encoder   u32      ENCODER_VERSION
//!   model     u64      the id of the model file
//!   dims      u32
//!   check     u32      the low half of FNV-1a (64) of the 28 bytes before it
//! then records of 16 + 4 + dims + 8 bytes:
//!   key       16 bytes FNV-1a (128) of the text embedded
//!   scale     f32      the vector quantized as the vectors file holds it
//!   values    dims × i8
//!   check     u64      FNV-1a (64) of the record's bytes before it
//! ```
//!
//! A cache of another model, another encoder or another layout is reported and started anew; so
//! is one with a record whose check fails. A record cut short at the end (the run that wrote it
//! was stopped) is dropped, and the records before it are used.

use std::collections::HashMap;
#[cfg(not(target_arch = "wasm32"))]
use std::fs::{File, OpenOptions};
#[cfg(not(target_arch = "wasm32"))]
use std::io::{Read, Write};
#[cfg(not(target_arch = "wasm32"))]
use std::path::{Path, PathBuf};

use super::model::fnv1a;
use super::vectors::Quantized;

/// The cache's file in its folder.
pub const CACHE_FILE: &str = "paper-search-embeddings.bin";

const MAGIC: &[u8; 8] = b"PSEMBED\0";

/// Version of the layout above.
pub const CACHE_FORMAT_VERSION: u32 = 1;

/// Version of the encoder's arithmetic: raise it with any change that changes the vectors the
/// encoder computes (beyond the last bits of their f32 values), so that the caches of the
/// older arithmetic are started anew.
pub const ENCODER_VERSION: u32 = 2;

const HEADER_LEN: usize = 32;

/// FNV-1a, 128 bits: the key of a text.
pub fn key(text: &str) -> u128 {
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    const BASIS: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    text.bytes().fold(BASIS, |h, b| (h ^ u128::from(b)).wrapping_mul(PRIME))
}

/// The texts to embed, by index: each distinct key (a text's [`key`]) that `cached` says the
/// cache lacks, once, at its first place.
pub fn missing(keys: &[u128], cached: impl Fn(u128) -> bool) -> Vec<usize> {
    let mut wanted = std::collections::HashSet::new();
    (0..keys.len()).filter(|&i| !cached(keys[i]) && wanted.insert(keys[i])).collect()
}

/// The vectors of one model, read from the cache file and added to it.
#[cfg(not(target_arch = "wasm32"))]
pub struct Cache {
    path: PathBuf,
    entries: HashMap<u128, Quantized>,
    /// Where new records go; none once a write failed (the cache is then left as it was).
    file: Option<File>,
    /// What the cache had to say: a cache not used and why, a record cut short, a write that
    /// failed. For the build's output.
    pub notes: Vec<String>,
}

/// What a cache file holds, as far as it can be used.
pub enum Contents {
    /// Nothing (no file, or an empty one).
    None,
    /// The records, and the length of the file up to the last whole one.
    Records(HashMap<u128, Quantized>, u64),
    /// Nothing usable, for this reason.
    Unusable(String),
}

#[cfg(not(target_arch = "wasm32"))]
impl Cache {
    /// Opens the cache in `dir` (made if missing) for the vectors of `model_id`, `dims` wide.
    ///
    /// # Errors
    ///
    /// The folder or the file cannot be made, read or written.
    pub fn open(dir: &Path, model_id: u64, dims: usize) -> std::io::Result<Cache> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(CACHE_FILE);
        let mut notes = Vec::new();
        let (entries, file) = match read(&path, model_id, dims)? {
            Contents::Records(entries, whole) => {
                // Appended to, so that two builds sharing the cache add whole records.
                let file = OpenOptions::new().append(true).open(&path)?;
                if file.metadata()?.len() > whole {
                    notes.push(format!(
                        "{}: a record cut short at its end (a run stopped while writing it) dropped; {} vectors kept",
                        path.display(),
                        entries.len()
                    ));
                    file.set_len(whole)?;
                }
                (entries, file)
            }
            contents => {
                if let Contents::Unusable(why) = contents {
                    notes.push(format!("{}: {why}; not used, started anew", path.display()));
                }
                let mut file = File::create(&path)?;
                file.write_all(&header(model_id, dims))?;
                (HashMap::new(), file)
            }
        };
        Ok(Cache { path, entries, file: Some(file), notes })
    }

    /// The vector kept for the text of key `key`.
    pub fn get(&self, key: u128) -> Option<&Quantized> {
        self.entries.get(&key)
    }

    /// How many vectors the cache holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds vectors, written to the file at once (in one write, flushed). A write that fails is
    /// noted, and the cache is written no more.
    pub fn add(&mut self, vectors: Vec<(u128, Quantized)>) {
        let bytes = records(&vectors);
        if let Some(file) = &mut self.file {
            if let Err(e) = file.write_all(&bytes).and_then(|()| file.flush()) {
                self.notes.push(format!("{}: {e}; the vectors from here on are not kept", self.path.display()));
                self.file = None;
            }
        }
        self.entries.extend(vectors);
    }
}

fn record_len(dims: usize) -> usize {
    16 + 4 + dims + 8
}

/// The records of `vectors` (each under the key of its text), one after another, as the file
/// holds them after its header.
pub fn records(vectors: &[(u128, Quantized)]) -> Vec<u8> {
    let dims = vectors.first().map_or(0, |(_, q)| q.values.len());
    let mut bytes = Vec::with_capacity(vectors.len() * record_len(dims));
    for (key, q) in vectors {
        let start = bytes.len();
        bytes.extend_from_slice(&key.to_le_bytes());
        bytes.extend_from_slice(&q.scale.to_le_bytes());
        bytes.extend(q.values.iter().map(|&v| v as u8));
        let check = fnv1a(&bytes[start..]);
        bytes.extend_from_slice(&check.to_le_bytes());
    }
    bytes
}

/// The file's header for the vectors of `model_id`, `dims` wide.
pub fn header(model_id: u64, dims: usize) -> Vec<u8> {
    let mut h = Vec::with_capacity(HEADER_LEN);
    h.extend_from_slice(MAGIC);
    h.extend_from_slice(&CACHE_FORMAT_VERSION.to_le_bytes());
    h.extend_from_slice(&ENCODER_VERSION.to_le_bytes());
    h.extend_from_slice(&model_id.to_le_bytes());
    h.extend_from_slice(&(dims as u32).to_le_bytes());
    let check = fnv1a(&h) as u32;
    h.extend_from_slice(&check.to_le_bytes());
    h
}

/// Reads the cache file at `path`, expecting the vectors of `model_id`, `dims` wide.
#[cfg(not(target_arch = "wasm32"))]
fn read(path: &Path, model_id: u64, dims: usize) -> std::io::Result<Contents> {
    let mut bytes = Vec::new();
    match File::open(path) {
        Ok(mut f) => f.read_to_end(&mut bytes)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Contents::None),
        Err(e) => return Err(e),
    };
    Ok(parse(&bytes, model_id, dims))
}

/// What the bytes of a cache file hold for the vectors of `model_id`, `dims` wide.
pub fn parse(bytes: &[u8], model_id: u64, dims: usize) -> Contents {
    if bytes.is_empty() {
        return Contents::None;
    }
    if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
        return Contents::Unusable("not an embedding cache (its first bytes differ)".into());
    }
    let found = &bytes[..HEADER_LEN];
    if fnv1a(&found[..28]) as u32 != u32::from_le_bytes([found[28], found[29], found[30], found[31]]) {
        return Contents::Unusable("damaged (its header's check fails)".into());
    }
    if found != header(model_id, dims) {
        let u32_at = |at: usize| u32::from_le_bytes([found[at], found[at + 1], found[at + 2], found[at + 3]]);
        let mut model = [0u8; 8];
        model.copy_from_slice(&found[16..24]);
        let made = (u64::from_le_bytes(model), u32_at(12), u32_at(8), u32_at(24));
        let now = (model_id, ENCODER_VERSION, CACHE_FORMAT_VERSION, dims as u32);
        let describe = |(model, encoder, layout, dims): (u64, u32, u32, u32)| {
            format!("model {model:016x}, encoder version {encoder}, layout version {layout}, {dims} dimensions")
        };
        return Contents::Unusable(format!(
            "made for another model or encoder ({}; this build: {})",
            describe(made),
            describe(now)
        ));
    }
    let len = record_len(dims);
    let mut entries = HashMap::new();
    let records = bytes[HEADER_LEN..].chunks_exact(len);
    for (n, record) in records.enumerate() {
        let (body, check) = record.split_at(len - 8);
        let mut c = [0u8; 8];
        c.copy_from_slice(check);
        if fnv1a(body) != u64::from_le_bytes(c) {
            return Contents::Unusable(format!(
                "damaged (the check of record {} of {} fails)",
                n + 1,
                (bytes.len() - HEADER_LEN) / len
            ));
        }
        let mut k = [0u8; 16];
        k.copy_from_slice(&body[..16]);
        let scale = f32::from_le_bytes([body[16], body[17], body[18], body[19]]);
        let values = body[20..].iter().map(|&b| b as i8).collect();
        entries.insert(u128::from_le_bytes(k), Quantized { scale, values });
    }
    let whole = (HEADER_LEN + (bytes.len() - HEADER_LEN) / len * len) as u64;
    Contents::Records(entries, whole)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(seed: i8) -> Quantized {
        Quantized { scale: f32::from(seed) / 100.0, values: (0..4).map(|i| seed.wrapping_mul(i + 1)).collect() }
    }

    #[test]
    fn records_after_a_header_parse_back_as_written_and_a_record_cut_short_is_left_out() {
        let written = vec![(key("one"), vector(3)), (key("two"), vector(-7))];
        let mut bytes = header(42, 4);
        bytes.extend(records(&written));
        let whole = bytes.len() as u64;
        bytes.extend(&records(&[(key("three"), vector(9))])[..10]);
        let Contents::Records(entries, kept) = parse(&bytes, 42, 4) else { panic!("records expected") };
        assert_eq!(kept, whole);
        assert_eq!(entries.len(), 2);
        for (k, q) in &written {
            assert_eq!(entries.get(k), Some(q));
        }
        assert!(matches!(parse(&bytes, 43, 4), Contents::Unusable(why) if why.contains("another model")));
        assert!(matches!(parse(&[], 42, 4), Contents::None));
    }
}
