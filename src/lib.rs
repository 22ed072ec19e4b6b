//! paper-search: instant, offline search over a corpus of research papers, in WebAssembly.
//!
//! The corpus and its inverted index are built into the module at compile time (`build.rs`
//! runs this crate's own [`corpus`], [`analyze`] and [`index`] code on the corpus file), so a
//! page needs no server: it loads the module and asks it questions.
//!
//! The pipeline, one module per stage (ARCHITECTURE.md maps them):
//!
//! - [`corpus`]: read a corpus file into papers (build time): the text format, JSON Lines and
//!   the collections people have (BibTeX, CSL-JSON, RIS, MEDLINE, arXiv's snapshot), LaTeX read
//!   as text, a collection's bad entries skipped and reported;
//! - [`analyze`]: text → tokens, the one analyzer shared by indexing and querying;
//! - [`index`] and [`format`]: build the inverted index (a core and parts, embedded or
//!   sharded) and read its versioned bytes, with [`acronym`] definitions mined from the corpus
//!   and related papers;
//! - [`query`]: what a person typed → words to look up;
//! - [`rank`]: BM25F and top-k;
//! - [`snippet`]: highlighted text segments;
//! - [`search`]: the native API tying them together;
//! - [`semantic`] (opt-in): papers and queries as vectors of a sentence model, fused with BM25F;
//! - [`eval`] (native only): relevance metrics and judged queries, for the harness;
//! - `wasm` (wasm32 only): the JavaScript boundary, the one module that touches wasm-bindgen:
//!   the engine's API (and, in a sharded build, the loader that fetches the index's parts, with
//!   web-sys and gloo), or, with the `indexer` feature, the indexer the npm package's builder
//!   runs in Node.
//!
//! # Example
//!
//! ```
//! use paper_search::search::{SearchOptions, Searcher};
//!
//! let searcher = Searcher::embedded().expect("the embedded index reads");
//! let results = searcher.search("linear bandits", &SearchOptions { limit: 3, ..SearchOptions::default() });
//! for hit in &results.hits {
//!     println!("{:.2} {}", hit.score, hit.title);
//! }
//! assert_eq!(results.hits.len(), 3);
//! ```

pub mod acronym;
pub mod analyze;
pub mod corpus;
#[cfg(not(target_arch = "wasm32"))]
pub mod eval;
pub mod format;
pub mod identifier;
pub mod index;
pub mod query;
pub mod rank;
pub mod search;
pub mod semantic;
pub mod snippet;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
