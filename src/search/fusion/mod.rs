//! What fusing BM25F with search by meaning needs to know of a query, chosen in this one
//! place: with the `semantic` feature, the query's [`Shape`] and each paper's [`Cover`] of its
//! clauses ([`enabled`]); without, empty types whose methods compile to nothing
//! ([`disabled`]), so that the searcher and scoring carry no `cfg` and a module without search
//! by meaning no fusion code.

#[cfg(not(feature = "semantic"))]
mod disabled;
#[cfg(feature = "semantic")]
mod enabled;

#[cfg(not(feature = "semantic"))]
pub(super) use disabled::*;
#[cfg(feature = "semantic")]
pub(super) use enabled::*;
