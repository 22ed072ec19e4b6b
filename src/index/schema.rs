//! The index's nouns: the fields and stored strings of a paper, the numbers of papers and
//! terms, a posting, the corpus's counts, and the names of the parts.

use crate::format;

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
    Doi = 6,
    Pdf = 7,
    Arxiv = 8,
    Keywords = 9,
    /// The entry as its BibTeX file writes it.
    Bibtex = 10,
}

/// Number of stored strings per paper.
pub const SLOTS: usize = 11;

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

/// The kinds of parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PartKind {
    /// Each paper's field lengths and year.
    Docs,
    /// A key range of the dictionary.
    Dict,
    /// A term range of the postings.
    Postings,
    /// A paper range of the stored text and related papers.
    Text,
    /// A term range of the postings' token positions (sharded builds): what a quoted phrase is
    /// checked on without the papers' text.
    Positions,
    /// A paper range of the authors as facet values: what author filters and counts read.
    Facets,
    /// A paper range of the one-bit codes of the papers' vectors (a build with search by
    /// meaning): what ranks every paper by meaning, downloaded whole when a reader switches it
    /// on. Their int8 vectors are in the text shards.
    Codes,
}

impl PartKind {
    const ALL: [PartKind; 7] = [
        PartKind::Docs,
        PartKind::Dict,
        PartKind::Postings,
        PartKind::Text,
        PartKind::Positions,
        PartKind::Facets,
        PartKind::Codes,
    ];

    fn tag(self) -> u8 {
        match self {
            PartKind::Docs => b'N',
            PartKind::Dict => b'D',
            PartKind::Postings => b'P',
            PartKind::Text => b'T',
            PartKind::Positions => b'Q',
            PartKind::Facets => b'F',
            PartKind::Codes => b'C',
        }
    }

    /// The kind's name in part file names.
    pub fn name(self) -> &'static str {
        match self {
            PartKind::Docs => "docs",
            PartKind::Dict => "dict",
            PartKind::Postings => "post",
            PartKind::Text => "text",
            PartKind::Positions => "pos",
            PartKind::Facets => "facet",
            PartKind::Codes => "codes",
        }
    }
}

/// A part: its kind and its shard number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartId {
    pub kind: PartKind,
    pub n: u32,
}

impl PartId {
    /// The one docs part.
    pub const DOCS: PartId = PartId { kind: PartKind::Docs, n: 0 };

    /// The part's file name in a sharded build's folder (gzip-compressed).
    pub fn file_name(&self) -> String {
        format!("{}-{}.gz", self.kind.name(), self.n)
    }

    /// The `PART` section that names a part inside its file.
    pub(crate) fn section(&self) -> Vec<u8> {
        let mut out = vec![self.kind.tag()];
        format::put_u32(&mut out, self.n);
        out
    }

    pub(crate) fn from_section(bytes: &[u8]) -> Option<PartId> {
        let kind = PartKind::ALL.into_iter().find(|k| Some(&k.tag()) == bytes.first())?;
        Some(PartId { kind, n: format::u32_at(bytes, 1)? })
    }
}

impl std::fmt::Display for PartId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} shard {}", self.kind.name(), self.n)
    }
}
