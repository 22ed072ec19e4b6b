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
//! | positions (sharded builds) | term range | each term's token positions, for quoted phrases |
//! | text | paper range | each paper's stored text and related papers |
//!
//! An **embedded** build has one part of each kind and puts the core and the parts into one
//! bundle inside the wasm; a **sharded** build puts the core alone in the wasm and writes the
//! parts as files. Both answer every query alike: the search reads through a [`View`], which
//! notes each part it needed and did not have ([`View::missing`]); a search that needed a
//! missing part is not an answer, and the caller fetches the parts and asks again.
//!
//! The modules, from the bottom up: `schema` names the nouns (fields, ids, parts); `codec`
//! holds the encodings the writer and the reader share; [`shards`] is the layout (which part
//! holds what, the core, the bundle); [`parts`] decodes parts and keeps them; [`reader`]
//! answers questions through a view; `handle` is an open [`Index`]. At build time,
//! `analysis` turns papers into postings and words, `dictionary` writes the dictionary parts
//! and [`writer`] the rest, handing each part to a sink (`sink`). `related`, `near` and
//! `prefix` are the related-papers pass, the typo automaton and the prefix-expansion picker.
//! Nothing here imports a module that imports it back. ARCHITECTURE.md documents the byte
//! layout.

mod analysis;
mod codec;
mod dictionary;
mod facets;
mod handle;
mod near;
pub mod parts;
mod prefix;
pub mod reader;
mod related;
mod schema;
pub mod shards;
mod sink;
pub mod writer;

pub use codec::stored_lengths;
pub use handle::Index;
pub use near::NEAR_MAX_CHARS;
pub use prefix::{max_prefix_terms, TopTerms, MAX_PREFIX_TERMS, PREFIX_TABLE_MAX_CHARS, PREFIX_TABLE_MIN_WORDS};
pub use reader::{AuthorNames, Facts, NearWord, Postings, View};
pub use schema::{DocId, Field, Meta, PartId, PartKind, Posting, Slot, TermOrd, FIELDS, RELATED, SLOTS};
pub use shards::{layout_for, Layout, VectorsMap, MAX_EMBEDDED_PAPERS};
pub use sink::{BuildError, Progress};
pub use writer::{build, write, write_site, PaperVectors, Site};

#[cfg(test)]
mod tests;
