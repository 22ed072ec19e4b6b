//! Search: the native API that ties the stages together. Everything here is plain Rust,
//! tested natively; the wasm boundary keeps one [`Searcher`] and hands it each query.
//!
//! A search runs these stages, each a module, each calling only those after it:
//!
//! 1. [`query`](crate::query) parses the text into clauses of words;
//! 2. `plan` binds each word to the dictionary terms it matches (`expand`: its stem; for the
//!    unfinished last word, the words it begins; for a word the dictionary lacks, the words
//!    within a small edit distance), and adds the alternatives the corpus defines (an
//!    acronym and its long forms, a compound and its parts);
//! 3. `score` scores every paper by BM25F over the plan's postings, each clause by its best
//!    alternative, a quoted phrase checked by `phrase`;
//! 4. the best papers are collected: [`rank::top_k`](crate::rank::top_k), or with search by
//!    meaning `fusion`'s blend of BM25F and the nearest vectors (`meaning`);
//! 5. each hit is `highlight`ed from the plan's terms and read as one of the `records`.
//!
//! `searcher` holds the pipeline and the other questions (a paper, its related papers,
//! statistics), and the bookkeeping of a sharded index's parts. `features` switches each
//! relevance feature off, for measuring it.

mod catalogue;
mod cite;
mod expand;
mod facets;
mod features;
mod filter;
mod fusion;
mod highlight;
#[cfg(feature = "semantic")]
mod meaning;
mod phrase;
mod plan;
mod records;
mod score;
mod searcher;

pub use expand::{
    typo_distance, MAX_TYPO_CHARS, MAX_TYPO_TERMS, MAX_TYPO_WORDS, NEIGHBOUR_RATIO, PREFIX_WEIGHT, RARE_DOC_FREQ,
    TYPO_WEIGHT,
};
pub use facets::{Count, Facets, Groups, TOP_VALUES};
pub use features::Features;
pub use filter::{Filters, Sort};
#[cfg(feature = "semantic")]
pub use meaning::COMPLETION_PAPERS;
pub use plan::ACRONYM_WEIGHT;
pub use records::{
    Hit, Missing, PaperRecord, RelatedPaper, SearchOptions, SearchResults, Stats, DEFAULT_LIMIT, MAX_LIMIT,
};
pub use searcher::{Searcher, EMBEDDED_INDEX};

#[cfg(test)]
mod tests;
