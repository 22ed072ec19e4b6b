//! The JavaScript boundary: the one module that names wasm-bindgen, js-sys, web-sys or gloo.
//! Everything else in the crate compiles and is tested natively.
//!
//! The crate makes two WebAssembly modules:
//!
//! - the **engine** ([`engine`], with [`fetch`] for a sharded build's parts), which pages load:
//!   search, papers, related papers, over an index embedded at build time or given at start;
//!   with the `semantic` feature, also search by meaning ([`semantic`], the model fetched
//!   by [`net`] when the page asks for it);
//! - the **indexer** ([`indexer`], the `indexer` feature), which the npm package's builder
//!   runs in Node to index a corpus with no Rust toolchain: the same indexing code as
//!   `build.rs` and `paper-search-index`.

#[cfg(not(feature = "indexer"))]
mod engine;
#[cfg(not(feature = "indexer"))]
pub use engine::*;

#[cfg(all(feature = "shards", not(feature = "indexer")))]
mod fetch;
#[cfg(all(any(feature = "shards", feature = "semantic"), not(feature = "indexer")))]
mod net;
#[cfg(all(feature = "semantic", not(feature = "indexer")))]
mod semantic;

#[cfg(feature = "indexer")]
mod indexer;
#[cfg(feature = "indexer")]
pub use indexer::*;
