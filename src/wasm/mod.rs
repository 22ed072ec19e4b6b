//! The JavaScript boundary: the one module that names wasm-bindgen, js-sys, web-sys or gloo.
//! Everything else in the crate compiles and is tested natively.
//!
//! The crate makes two WebAssembly modules:
//!
//! - the **engine**, which pages load: search, papers, related papers, over an index embedded at
//!   build time or given at start. Its exports ([`engine`]) ask the searcher ([`searcher`]),
//!   through the shard loader ([`fetch`]) in a sharded build; with the `semantic` feature they
//!   also search by meaning ([`semantic`], the model fetched by [`net`] when the page asks for
//!   it). The arrows run one way: `engine` uses `fetch`, `semantic`, `options` (a search's
//!   options as JavaScript passes them) and `searcher`; `fetch` and `semantic` use `searcher`
//!   and `net`; nothing uses `engine`; `types` holds the exports' TypeScript declarations;
//! - the **indexer** ([`indexer`], the `indexer` feature), which the npm package's builder
//!   runs in Node to index a corpus with no Rust toolchain: the same indexing code as
//!   `build.rs` and `paper-search-index`; for a build with meaning, also the papers' texts and
//!   their vectors ([`vectors`]: the embedding cache and the vectors file), which the builder
//!   embeds with the semantic engine's `Embedder` (`semantic`).

#[cfg(not(feature = "indexer"))]
mod engine;
#[cfg(not(feature = "indexer"))]
pub use engine::*;
#[cfg(not(feature = "indexer"))]
mod options;
#[cfg(not(feature = "indexer"))]
mod searcher;
#[cfg(not(feature = "indexer"))]
mod types;

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
#[cfg(feature = "indexer")]
mod vectors;
#[cfg(feature = "indexer")]
pub use vectors::*;
