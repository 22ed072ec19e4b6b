//! A query that is a DOI or an arXiv id, looked up.

use crate::identifier;
use crate::index::{TermOrd, View};

/// The term of the identifier `text` is, when it is one and a paper has it (the look-up asks
/// for its dictionary shard with the query's words).
pub(in crate::search) fn identified(ix: &View, text: &str) -> Option<TermOrd> {
    ix.term(&identifier::lookup_term(text)?)
}
