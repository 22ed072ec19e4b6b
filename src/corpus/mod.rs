//! Parse: a corpus file → papers, in file order. Runs at build time (from `build.rs`), in the
//! native tools (`paper-search-index`, evaluation, benchmarks) and, compiled to wasm, in the npm
//! package's builder: one reader for every build.
//!
//! The format is told from the content (and the file's extension), after gunzipping a `.gz`:
//!
//! - **Text** (the default corpus, `data/papers.txt`, saved from a "trending papers" page):
//!   title and abstract lines alternating (`text.rs`);
//! - **JSON Lines** and BEIR `corpus.jsonl`, one object a line (`jsonl.rs`);
//! - **arXiv's metadata snapshot**, JSON lines with `authors_parsed` and `versions` (`arxiv.rs`);
//! - **BibTeX / BibLaTeX** (`bibtex.rs`), **CSL-JSON** (`csl.rs`), **RIS** (`ris.rs`) and
//!   **PubMed MEDLINE** (`.nbib`, `medline.rs`): the collections reference managers export.
//!
//! Text and JSON Lines are files the site owner writes: their first error stops the build. The
//! other formats are collections exported as they are, where one bad entry must not cost the
//! rest: it is *skipped*, reported as `path:line: entry <key>: what is wrong; what to do`, and
//! the rest is read ([`Collection::skipped`]); [`Collection::check`] turns skipped entries into
//! an error in strict mode. A file in no format at all is an error of its own line. LaTeX in
//! BibTeX values and arXiv's text is read as text ([`latex`]), names become display names
//! ([`names`]). A paper's number is its 0-based position among the papers read.

mod arxiv;
mod bibtex;
mod compose;
mod csl;
mod fields;
mod jsonl;
pub mod latex;
mod medline;
pub mod names;
mod ris;
mod text;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

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
    /// A paper with only a title and an abstract.
    pub fn new(title: impl Into<String>, abstract_text: impl Into<String>) -> Self {
        Paper { title: title.into(), abstract_text: abstract_text.into(), ..Paper::default() }
    }
}

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
    fn new(path: &str, line: usize, message: String) -> Self {
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

/// Longest line a corpus may have: far more than any title or abstract (or one JSON record),
/// so a longer one means lost line breaks or a file that is not a corpus.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Reads and parses the corpus file at `path`.
///
/// # Errors
///
/// A [`CorpusError`] with the line of the first problem: a file that cannot be read or is not
/// UTF-8, an empty corpus, a malformed line of a text or JSON Lines corpus, a file in no
/// format. A collection's bad entries are not errors: they are [`Collection::skipped`].
pub fn load(path: &Path) -> Result<Collection, CorpusError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        CorpusError::new(
            &shown,
            1,
            format!("cannot read the corpus ({e}); check the path (set PAPERS to choose another file)"),
        )
    })?;
    read(&shown, &bytes)
}

/// Parses a corpus file's bytes, gunzipped first when its name ends in `.gz`; `name` is the
/// file's name in messages, and its extension helps tell the format (the builder of the npm
/// package reads files this way).
///
/// # Errors
///
/// See [`load`]; a `.gz` file that does not gunzip is an error of its line 1.
pub fn read(name: &str, bytes: &[u8]) -> Result<Collection, CorpusError> {
    if !name.ends_with(".gz") {
        return parse(name, bytes);
    }
    let mut plain = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(bytes), &mut plain).map_err(|e| {
        CorpusError::new(name, 1, format!("cannot read the corpus ({e}); check that the file is a whole gzip file"))
    })?;
    parse(name, &plain)
}

/// Parses a corpus from bytes, detecting its format; `path` names it in messages.
///
/// # Errors
///
/// See [`load`].
pub fn parse(path: &str, bytes: &[u8]) -> Result<Collection, CorpusError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
        let column = 1 + valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        CorpusError::new(path, line, format!("invalid UTF-8 at byte {column} of the line; re-save the file as UTF-8"))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let format = detect(path, text);
    if matches!(format, Format::Text | Format::JsonLines | Format::ArxivSnapshot) {
        if let Some((i, line)) = text.lines().enumerate().find(|(_, l)| l.len() > MAX_LINE_BYTES) {
            return Err(CorpusError::new(
                path,
                i + 1,
                format!(
                    "line of {} bytes, longer than the {} MiB a paper may take; check that line breaks were not \
                     lost (one paper per line in JSON Lines, title and abstract on lines of their own in text)",
                    line.len(),
                    MAX_LINE_BYTES >> 20
                ),
            ));
        }
    }
    let (papers, skipped) = match format {
        Format::Text => (text::parse(path, text)?, Vec::new()),
        Format::JsonLines => (jsonl::parse(path, text)?, Vec::new()),
        Format::ArxivSnapshot => arxiv::parse(path, text)?,
        Format::Bibtex => bibtex::parse(path, text)?,
        Format::CslJson => csl::parse(path, text)?,
        Format::Ris => ris::parse(path, text)?,
        Format::Medline => medline::parse(path, text)?,
    };
    Ok(Collection { path: path.to_string(), format, papers, skipped })
}

/// The format of a file, from its content and the extension of its name (`.gz` aside).
pub fn detect(name: &str, text: &str) -> Format {
    let name = name.strip_suffix(".gz").unwrap_or(name).to_ascii_lowercase();
    let first_line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    let starts_json_array = first_line.starts_with('[') && text.trim_start()[1..].trim_start().starts_with(['{', ']']);
    if name.ends_with(".bib") || name.ends_with(".bibtex") || name.ends_with(".biblatex") || bibtex::looks_like(text) {
        Format::Bibtex
    } else if starts_json_array {
        Format::CslJson
    } else if first_line.starts_with('{') {
        if arxiv::looks_like(first_line) {
            Format::ArxivSnapshot
        } else {
            Format::JsonLines
        }
    } else if ris::looks_like(first_line) || (name.ends_with(".ris") && !first_line.is_empty()) {
        Format::Ris
    } else if medline::looks_like(first_line) || (name.ends_with(".nbib") && !first_line.is_empty()) {
        Format::Medline
    } else {
        Format::Text
    }
}

/// The entries of a collection as they are read: the papers kept, the entries skipped, and
/// the keys seen (a second entry with a key is skipped).
struct Entries<'a> {
    path: &'a str,
    papers: Vec<Paper>,
    skipped: Vec<Skipped>,
    seen: HashMap<String, usize>,
    /// How this format spells the title field, for the message of an entry without one.
    title_field: &'static str,
}

impl<'a> Entries<'a> {
    fn new(path: &'a str, title_field: &'static str) -> Self {
        Entries { path, papers: Vec::new(), skipped: Vec::new(), seen: HashMap::new(), title_field }
    }

    /// The name of the next entry in messages when it has no key: `#N`, its number in the file.
    fn ordinal(&self) -> String {
        format!("#{}", self.papers.len() + self.skipped.len() + 1)
    }

    fn skip(&mut self, line: usize, entry: impl Into<String>, message: impl Into<String>) {
        self.skipped.push(Skipped { path: self.path.to_string(), line, entry: entry.into(), message: message.into() });
    }

    /// Keeps a paper read from the entry at `line`, unless it has no title or its key was seen.
    fn add(&mut self, line: usize, paper: Paper) {
        let entry = paper.key.clone().unwrap_or_else(|| self.ordinal());
        if paper.title.trim().is_empty() {
            let message = format!("the entry has no title; add its {}", self.title_field);
            return self.skip(line, entry, message);
        }
        if let Some(key) = &paper.key {
            if let Some(&first) = self.seen.get(key) {
                let message = format!("duplicate key (first on line {first}); give each entry a key of its own");
                return self.skip(line, entry, message);
            }
            self.seen.insert(key.clone(), line);
        }
        self.papers.push(paper);
    }

    /// The papers and the skipped entries; no entry at all is an error of the file.
    fn finish(self, what: &str) -> Result<(Vec<Paper>, Vec<Skipped>), CorpusError> {
        if self.papers.is_empty() && self.skipped.is_empty() {
            return Err(CorpusError::new(self.path, 1, format!("the corpus has no papers; expected {what}")));
        }
        Ok((self.papers, self.skipped))
    }
}

/// Where each line starts, to turn a byte offset into a 1-based line number.
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(text: &str) -> Self {
        LineIndex(std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }

    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset)
    }
}

/// The start of a long text, for messages.
fn clip(text: &str) -> String {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests;
