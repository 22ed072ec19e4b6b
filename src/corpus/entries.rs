//! What the readers of collections share: the entries as they are read (a paper kept, or an
//! entry skipped with its line), line numbers of byte offsets, and text clipped for messages.

use std::collections::HashMap;

use super::collection::{CorpusError, Skipped};
use super::paper::Paper;

/// The entries of a collection as they are read: the papers kept, the entries skipped, and
/// the keys seen (a second entry with a key is skipped).
pub(super) struct Entries<'a> {
    path: &'a str,
    papers: Vec<Paper>,
    skipped: Vec<Skipped>,
    seen: HashMap<String, usize>,
    /// How this format spells the title field, for the message of an entry without one.
    title_field: &'static str,
}

impl<'a> Entries<'a> {
    pub fn new(path: &'a str, title_field: &'static str) -> Self {
        Entries { path, papers: Vec::new(), skipped: Vec::new(), seen: HashMap::new(), title_field }
    }

    /// The name of the next entry in messages when it has no key: `#N`, its number in the file.
    pub fn ordinal(&self) -> String {
        format!("#{}", self.papers.len() + self.skipped.len() + 1)
    }

    pub fn skip(&mut self, line: usize, entry: impl Into<String>, message: impl Into<String>) {
        self.skipped.push(Skipped { path: self.path.to_string(), line, entry: entry.into(), message: message.into() });
    }

    /// Keeps a paper read from the entry at `line`, unless it has no title or its key was seen.
    pub fn add(&mut self, line: usize, paper: Paper) {
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
    pub fn finish(self, what: &str) -> Result<(Vec<Paper>, Vec<Skipped>), CorpusError> {
        if self.papers.is_empty() && self.skipped.is_empty() {
            return Err(CorpusError::new(self.path, 1, format!("the corpus has no papers; expected {what}")));
        }
        Ok((self.papers, self.skipped))
    }
}

/// Where each line starts, to turn a byte offset into a 1-based line number.
pub(super) struct LineIndex(Vec<usize>);

impl LineIndex {
    pub fn new(text: &str) -> Self {
        LineIndex(std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }

    pub fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset)
    }
}

/// The start of a long text, for messages.
pub(super) fn clip(text: &str) -> String {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_string(),
    }
}
