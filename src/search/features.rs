//! The relevance features beyond BM25F, each of which can be switched off (to measure what it
//! brings: `./build.sh eval` prints a row per feature).

/// Which relevance features a [`super::Searcher`] uses; all of them unless told otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Features {
    /// Words the dictionary lacks match the nearest words within an edit distance.
    pub typos: bool,
    /// Acronyms match their long forms and long forms their acronyms.
    pub acronyms: bool,
    /// Two query words match the corpus's word for them joined (`fine tuning` → `finetuning`).
    pub compounds: bool,
    /// An unfinished last word that is a word of the corpus ranks the papers it finds first: the
    /// words it begins (and, misspelt, the words its correction begins) add papers below them.
    pub finished_first: bool,
    /// A word in very few papers also matches a far more frequent word one edit away.
    pub rare_neighbours: bool,
}

impl Features {
    pub const ALL: Features =
        Features { typos: true, acronyms: true, compounds: true, finished_first: true, rare_neighbours: true };
    pub const NONE: Features =
        Features { typos: false, acronyms: false, compounds: false, finished_first: false, rare_neighbours: false };
}
