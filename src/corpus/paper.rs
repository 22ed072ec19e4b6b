//! The record a corpus file becomes: a paper, with what a publication list shows of it.

/// One paper as the corpus gives it. The text is kept as written (a collection's LaTeX read as
/// text); only the analyzer normalizes it for matching.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paper {
    /// The corpus's own id (a JSON record's `id`, a BibTeX entry's key), if it has one.
    pub key: Option<String>,
    pub title: String,
    pub abstract_text: String,
    /// Display names, in order (`Erwin Schrödinger`); a list cut short by its source ends with
    /// `et al.`.
    pub authors: Vec<String>,
    pub year: Option<u16>,
    /// 1 to 12.
    pub month: Option<u8>,
    /// Where it appeared: a journal, a conference's proceedings, a series.
    pub venue: Option<String>,
    /// What kind of work it is, one of [`KINDS`].
    pub kind: Option<String>,
    /// The DOI, bare (`10.1038/nature14539`, no resolver prefix).
    pub doi: Option<String>,
    /// The paper's page.
    pub url: Option<String>,
    /// A link to its PDF.
    pub pdf: Option<String>,
    /// The arXiv id, without version (`2106.09685`, `math/0211159`).
    pub arxiv: Option<String>,
    pub keywords: Vec<String>,
    pub categories: Vec<String>,
    /// The entry as its BibTeX file writes it (macros expanded), for a citation to copy;
    /// `None` for other formats, whose citation is made from the record.
    pub bibtex: Option<String>,
}

/// The kinds of work a collection's entry types map to, in the words a reader sees.
pub const KINDS: &[&str] =
    &["article", "conference paper", "preprint", "book", "chapter", "thesis", "report", "dataset", "software", "other"];

impl Paper {
    /// Whether the paper is more than text: it has a year, a month, a venue, a kind of work,
    /// authors or an identifier, something to filter, count, sort or look it up by.
    pub fn is_record(&self) -> bool {
        self.year.is_some()
            || self.month.is_some()
            || self.venue.is_some()
            || self.kind.is_some()
            || !self.authors.is_empty()
            || self.doi.is_some()
            || self.arxiv.is_some()
    }

    /// A paper with only a title and an abstract.
    pub fn new(title: impl Into<String>, abstract_text: impl Into<String>) -> Self {
        Paper { title: title.into(), abstract_text: abstract_text.into(), ..Paper::default() }
    }
}
