//! Index: papers → the inverted index (at build time), and the reader over its bytes (at run
//! time).
//!
//! An index is a small **core** and a set of **parts**. The core holds the corpus's counts and
//! the shard map: which part holds a dictionary key, a term's postings or a paper's text. The
//! parts hold everything else, each kind split by ranges so that a page can fetch only what a
//! query needs:
//!
//! | part | split by | holds |
//! |------|----------|-------|
//! | docs | (one)    | each paper's field lengths and year: what scoring reads for every paper |
//! | dict | key range | the dictionary (words and terms), each term's document frequency, the prefix table, the acronyms whose keys fall in the range |
//! | postings | term range | each term's postings |
//! | text | paper range | each paper's stored text and related papers |
//!
//! An **embedded** build has one part of each kind and puts the core and the parts into one
//! bundle inside the wasm; a **sharded** build puts the core alone in the wasm and writes the
//! parts as files. Both answer every query alike: the search reads through a [`View`], which
//! notes each part it needed and did not have ([`View::missing`]); a search that needed a
//! missing part is not an answer, and the caller fetches the parts and asks again.
//!
//! The modules: [`writer`] builds the core and the parts from papers; [`shards`] is the
//! layout (which part holds what, part names, the bundle); [`parts`] decodes parts and keeps
//! them; [`reader`] answers questions through a view; [`related`], [`near`] and [`prefix`] are
//! the related-papers pass, the typo automaton and the prefix-expansion picker.
//! ARCHITECTURE.md documents the byte layout.

mod near;
pub mod parts;
mod prefix;
pub mod reader;
mod related;
pub mod shards;
pub mod writer;

pub use parts::{stored_lengths, PartId, PartKind};
pub use prefix::{max_prefix_terms, TopTerms, MAX_PREFIX_TERMS, PREFIX_TABLE_MAX_CHARS, PREFIX_TABLE_MIN_WORDS};
pub use reader::{NearWord, Postings, View};
pub use shards::{layout_for, Layout, MAX_EMBEDDED_PAPERS};
pub use writer::{build, write, write_site, BuildError, Progress, Site};

pub use near::NEAR_MAX_CHARS;

use crate::format::FormatError;
use parts::Store;
use shards::Core;

/// Number of indexed fields.
pub const FIELDS: usize = 3;

/// A field of a paper, as indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Title = 0,
    Abstract = 1,
    Authors = 2,
}

impl Field {
    pub const ALL: [Field; FIELDS] = [Field::Title, Field::Abstract, Field::Authors];
}

/// The stored strings of a paper, in their order in a text part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Title = 0,
    Abstract = 1,
    Key = 2,
    Authors = 3,
    Url = 4,
    Categories = 5,
}

/// Number of stored strings per paper.
pub const SLOTS: usize = 6;

/// How many related papers are stored for each paper.
pub const RELATED: usize = 6;

/// A paper's number: its 0-based position in the corpus.
pub type DocId = u32;

/// A term's number: its rank among all terms in byte order.
pub type TermOrd = u32;

/// One entry of a term's postings list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub doc: DocId,
    /// How often the term occurs in each field, by [`Field`] index.
    pub tf: [u32; FIELDS],
}

/// Corpus-wide numbers stored in the core.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Meta {
    pub doc_count: u32,
    pub term_count: u32,
    pub word_count: u32,
    /// Mean length in tokens of each field, by [`Field`] index.
    pub avg_len: [f32; FIELDS],
}

/// An index: the core and the parts at hand. An embedded index has every part from the
/// start; a sharded one starts with the core alone and is given parts as they arrive
/// ([`Index::insert`]).
pub struct Index<'a> {
    core: Core,
    store: Store<'a>,
    /// Whether the bundle it was opened from lacked parts (a sharded build's core).
    sharded: bool,
    /// The parts the bundle held.
    bundled: Vec<PartId>,
}

impl<'a> Index<'a> {
    /// Reads an index bundle (`build`'s output, or a sharded build's core in a bundle of its
    /// own): checks the header, reads the core and every part the bundle holds, in place.
    ///
    /// # Errors
    ///
    /// [`FormatError`] for bytes that are not an index of this format and analyzer version,
    /// or whose parts disagree with the core.
    pub fn open(bytes: &'a [u8]) -> Result<Self, FormatError> {
        let (core, parts) = shards::unbundle(bytes)?;
        let mut index = Index { store: Store::new(&core), core, sharded: false, bundled: Vec::new() };
        for part in parts {
            let id = index.store.insert(&index.core, parts::Bytes::Borrowed(part))?;
            index.bundled.push(id);
        }
        index.sharded = !index.is_complete();
        Ok(index)
    }

    /// Adds a part fetched for a sharded index (the bytes of its file, decompressed).
    ///
    /// # Errors
    ///
    /// [`FormatError`] when the bytes are not a part of this index, or are damaged.
    #[cfg(missing_parts)]
    pub fn insert(&mut self, bytes: Vec<u8>) -> Result<PartId, FormatError> {
        self.store.insert(&self.core, parts::Bytes::owned(bytes))
    }

    /// Drops a part (to keep a cache within its size); a later search that needs it says so.
    #[cfg(missing_parts)]
    pub fn remove(&mut self, id: PartId) {
        self.store.remove(id);
    }

    /// Whether the part is at hand.
    pub fn has(&self, id: PartId) -> bool {
        self.store.has(id)
    }

    /// The bytes a part takes (0 when it is not at hand).
    pub fn part_size(&self, id: PartId) -> usize {
        self.store.size(id)
    }

    /// Every part of the index, in a fixed order.
    pub fn all_parts(&self) -> Vec<PartId> {
        self.core.all_parts()
    }

    /// The parts the bundle did not hold: the files of a sharded build, in a fixed order (for
    /// downloading them all).
    pub fn part_files(&self) -> Vec<PartId> {
        self.all_parts().into_iter().filter(|id| !self.bundled.contains(id)).collect()
    }

    /// Whether the index was opened without all its parts: a sharded build, whose parts
    /// are fetched as queries need them.
    pub fn is_sharded(&self) -> bool {
        self.sharded
    }

    /// Whether every part of the index is at hand (an embedded index always is).
    pub fn is_complete(&self) -> bool {
        self.store.is_complete()
    }

    /// The build's identity: a hash of the parts' bytes, which sharded builds put in the
    /// folder name of their parts.
    pub fn build_id(&self) -> u64 {
        self.core.build
    }

    pub fn meta(&self) -> &Meta {
        &self.core.meta
    }

    pub fn doc_count(&self) -> u32 {
        self.core.meta.doc_count
    }

    /// How many terms the dictionary has: term ordinals are below it.
    pub fn term_count(&self) -> usize {
        self.core.meta.term_count as usize
    }

    /// A reader for one search: it reads the parts at hand and notes those it lacked.
    pub fn view(&self) -> View<'_> {
        View::new(&self.core, &self.store)
    }
}

#[cfg(test)]
mod tests;
