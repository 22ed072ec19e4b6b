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
mod collection;
mod compose;
mod csl;
mod entries;
mod fields;
mod jsonl;
pub mod latex;
mod medline;
pub mod names;
mod paper;
mod ris;
mod text;

pub use collection::{Collection, CorpusError, Format, Skipped};
pub use paper::{Paper, KINDS};

use std::path::Path;

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

#[cfg(test)]
mod tests;
