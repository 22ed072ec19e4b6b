//! Search by meaning (opt-in): papers and queries as vectors of a small sentence model
//! (all-MiniLM-L6-v2), the nearest papers fused with BM25F's ranking.
//!
//! - [`model`]: the model file (configuration, tokenizer, int8 weights), made from the
//!   model's release by `paper-search-semantic model`;
//! - `encoder` (the `semantic` feature): text → unit vector: the model's tokenizer, BERT's
//!   layers (`bert`, over texts packed together) and the steps between its matrix products
//!   (`kernels`);
//! - [`vectors`]: the papers' vectors as the build writes them beside the index;
//! - [`cache`] (its file natively, its layout everywhere) and `embedding` (natively): the build's
//!   papers embedded, each vector kept under the text it was made from, so that a rebuild embeds
//!   only what changed;
//! - [`fuse`]: the two rankings into one.
//!
//! The engine without the `semantic` feature reads none of this; the build and the engine
//! that have it run the same encoder on the same file, so papers and queries meet.

#[cfg(feature = "semantic")]
mod bert;
pub mod cache;
#[cfg(all(feature = "semantic", not(target_arch = "wasm32")))]
pub mod embedding;
#[cfg(feature = "semantic")]
pub mod encoder;
pub mod fuse;
#[cfg(feature = "semantic")]
mod kernels;
pub mod model;
pub mod vectors;

/// The text of a paper the model reads: its title, then its abstract (the same for the native
/// build and the npm package's builder, which embeds papers in Node).
pub fn paper_text(paper: &crate::corpus::Paper) -> String {
    format!("{} {}", paper.title, paper.abstract_text)
}
