//! What reading a corpus file gives: the papers, the entries skipped, and the errors that stop
//! a build.

use std::fmt;

use super::paper::Paper;

/// The formats a corpus file can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    JsonLines,
    ArxivSnapshot,
    Bibtex,
    CslJson,
    Ris,
    Medline,
}

impl Format {
    /// Whether it is a collection exported as it is, whose bad entries are skipped (the text
    /// and JSON Lines formats, written for paper-search, stop at their first error instead).
    pub fn is_collection(self) -> bool {
        !matches!(self, Format::Text | Format::JsonLines)
    }

    /// The format's name, as messages give it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::JsonLines => "JSON Lines",
            Format::ArxivSnapshot => "arXiv metadata snapshot",
            Format::Bibtex => "BibTeX",
            Format::CslJson => "CSL-JSON",
            Format::Ris => "RIS",
            Format::Medline => "MEDLINE",
        }
    }
}

/// A corpus that cannot be read: `path:line: what is wrong; what to do`, after the entries
/// that were skipped on the way when they are what stops the build (strict mode, or no entry
/// left), one line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusError {
    pub path: String,
    /// 1-based line number.
    pub line: usize,
    pub message: String,
    /// The skipped entries this error stands for, listed before it.
    pub entries: Vec<Skipped>,
}

impl CorpusError {
    pub(super) fn new(path: &str, line: usize, message: String) -> Self {
        CorpusError { path: path.to_string(), line, message, entries: Vec::new() }
    }
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for entry in &self.entries {
            writeln!(f, "{entry}")?;
        }
        write!(f, "{}:{}: {}", self.path, self.line, self.message)
    }
}

impl std::error::Error for CorpusError {}

/// An entry of a collection that could not be read, and was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: String,
    /// 1-based line of the problem.
    pub line: usize,
    /// The entry's key, or `#N` (its number in the file) when it has none.
    pub entry: String,
    /// What is wrong; what to do.
    pub message: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: entry {}: {}", self.path, self.line, self.entry, self.message)
    }
}

/// What a corpus file holds: the papers read, and the entries skipped.
#[derive(Debug, Clone)]
pub struct Collection {
    pub path: String,
    pub format: Format,
    pub papers: Vec<Paper>,
    pub skipped: Vec<Skipped>,
}

impl Collection {
    /// The entries of the file: those read and those skipped.
    pub fn entries(&self) -> usize {
        self.papers.len() + self.skipped.len()
    }

    /// For a collection, the line a build ends with: `297 of 300 entries indexed, 3 skipped
    /// (listed above)`.
    pub fn summary(&self) -> Option<String> {
        if !self.format.is_collection() {
            return None;
        }
        let mut line = format!("{} of {} entries indexed", self.papers.len(), self.entries());
        if !self.skipped.is_empty() {
            line.push_str(&format!(", {} skipped (listed above)", self.skipped.len()));
        }
        Some(line)
    }

    /// Whether the build may go on: not when no entry could be read, nor in strict mode
    /// when any was skipped. The error lists the skipped entries first.
    ///
    /// # Errors
    ///
    /// A [`CorpusError`] whose [`CorpusError::entries`] are the skipped entries.
    pub fn check(&self, strict: bool) -> Result<(), CorpusError> {
        let line = self.skipped.first().map_or(1, |s| s.line);
        let message = if self.papers.is_empty() {
            format!(
                "none of the {} entries could be read (listed above); fix them, or check that the file is a {} export",
                self.skipped.len(),
                self.format.name()
            )
        } else if strict && !self.skipped.is_empty() {
            format!(
                "{} of {} entries could not be read (listed above), and strict mode (--strict, STRICT=1) stops the \
                 build on any; fix them, or build without strict mode to skip them",
                self.skipped.len(),
                self.entries()
            )
        } else {
            return Ok(());
        };
        Err(CorpusError { path: self.path.clone(), line, message, entries: self.skipped.clone() })
    }
}
