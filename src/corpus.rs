//! Parse: a corpus file → papers, in file order. Runs at build time (from `build.rs`).
//!
//! The default format is the plain text saved from a "trending papers" page (`data/papers.txt`):
//!
//! 1. leading lines of page chrome (`Get trending papers in your email inbox...`) are dropped;
//! 2. the page's `Subscribe` button text, glued in front of the first title, is removed;
//! 3. from there on, lines alternate title, abstract, title, abstract...
//!
//! A paper's id is its 0-based position in the file. Every error names the file and the line
//! and says what to do, because it stops the build of someone else's corpus.

use std::fmt;
use std::path::Path;

/// One paper as the corpus gives it. The text is kept exactly as written; only the analyzer
/// normalizes it for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paper {
    pub title: String,
    pub abstract_text: String,
}

/// A corpus that cannot be read: `path:line: what is wrong; what to do`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusError {
    pub path: String,
    /// 1-based line number.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.message)
    }
}

impl std::error::Error for CorpusError {}

/// Lines of page chrome at the top of a saved page, dropped before the first title.
const CHROME_PREFIX: &str = "Get trending papers in your email inbox";

/// Button text the page glues in front of the first title.
const SUBSCRIBE: &str = "Subscribe";

/// Reads and parses the corpus file at `path`.
///
/// # Errors
///
/// A [`CorpusError`] with the line of the first problem: a file that cannot be read or is not
/// UTF-8, an empty corpus, a title without an abstract, an empty title or abstract.
pub fn load(path: &Path) -> Result<Vec<Paper>, CorpusError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| CorpusError {
        path: shown.clone(),
        line: 1,
        message: format!("cannot read the corpus ({e}); check the path (set PAPERS to choose another file)"),
    })?;
    parse(&shown, &bytes)
}

/// Parses the text format from bytes; `path` is only used in error messages.
///
/// # Errors
///
/// See [`load`].
pub fn parse(path: &str, bytes: &[u8]) -> Result<Vec<Paper>, CorpusError> {
    let err = |line: usize, message: String| CorpusError { path: path.to_string(), line, message };

    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
        let column = 1 + valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        err(line, format!("invalid UTF-8 at byte {column} of the line; re-save the file as UTF-8"))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

    // (1-based line number, line text), without the trailing blank lines of the file.
    let mut lines: Vec<(usize, &str)> =
        text.lines().enumerate().map(|(i, l)| (i + 1, l.trim_end_matches('\r'))).collect();
    while lines.last().is_some_and(|(_, l)| l.trim().is_empty()) {
        lines.pop();
    }
    let first = lines.iter().position(|(_, l)| !l.starts_with(CHROME_PREFIX)).unwrap_or(lines.len());
    let lines = &lines[first..];
    if lines.is_empty() {
        return Err(err(1, "the corpus has no papers; expected lines alternating title, abstract".into()));
    }

    let mut papers = Vec::with_capacity(lines.len() / 2);
    for (k, pair) in lines.chunks(2).enumerate() {
        let (title_line, title) = pair[0];
        let Some(&(abstract_line, abstract_text)) = pair.get(1) else {
            return Err(err(
                title_line,
                format!(
                    "the title \"{}\" has no abstract line after it (the file has an odd number of \
                     lines); add its abstract on the next line or remove the title",
                    clip(title)
                ),
            ));
        };
        let title = title.trim();
        let title = if k == 0 { strip_subscribe(title) } else { title };
        if title.is_empty() {
            return Err(err(
                title_line,
                "empty title; every paper needs a title line followed by an abstract line".into(),
            ));
        }
        let abstract_text = abstract_text.trim();
        if abstract_text.is_empty() {
            return Err(err(
                abstract_line,
                format!("empty abstract for \"{}\"; put the abstract on this line", clip(title)),
            ));
        }
        papers.push(Paper { title: title.to_string(), abstract_text: abstract_text.to_string() });
    }
    Ok(papers)
}

/// Removes the page's `Subscribe` button text glued in front of the first title
/// (`SubscribeOn Invariance...`), but not a title that starts with the word (`Subscribe to...`).
fn strip_subscribe(title: &str) -> &str {
    match title.strip_prefix(SUBSCRIBE) {
        Some(rest) if rest.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) => rest,
        _ => title,
    }
}

/// The start of a long text, for error messages.
fn clip(text: &str) -> String {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Vec<Paper>, CorpusError> {
        parse("papers.txt", text.as_bytes())
    }

    const CHROME: &str =
        "Get trending papers in your email inbox once a day!\nGet trending papers in your email inbox!\n";

    #[test]
    fn drops_chrome_and_unglues_subscribe() {
        let papers = parse_str(&format!("{CHROME}SubscribeOn Things\nAbstract one.\nTwo\nAbstract two.\n")).unwrap();
        assert_eq!(papers.len(), 2);
        assert_eq!(papers[0].title, "On Things");
        assert_eq!(papers[1].title, "Two");
        assert_eq!(papers[1].abstract_text, "Abstract two.");
    }

    #[test]
    fn keeps_a_title_that_starts_with_the_word_subscribe() {
        let papers = parse_str("Subscribers and churn\nAbstract.\n").unwrap();
        assert_eq!(papers[0].title, "Subscribers and churn");
    }

    #[test]
    fn accepts_crlf_a_bom_and_trailing_blank_lines() {
        let papers = parse_str("\u{feff}T1\r\nA1\r\nT2\r\nA2\r\n\r\n\n").unwrap();
        assert_eq!(papers.len(), 2);
        assert_eq!(papers[1].abstract_text, "A2");
    }

    #[test]
    fn odd_line_count_names_the_title_without_abstract() {
        let e = parse_str(&format!("{CHROME}T1\nA1\nT2\n")).unwrap_err();
        assert_eq!(e.line, 5);
        assert!(e.to_string().starts_with("papers.txt:5: the title \"T2\" has no abstract"), "{e}");
    }

    #[test]
    fn empty_title_and_empty_abstract_are_errors() {
        let e = parse_str("T1\nA1\n  \nA2\n").unwrap_err();
        assert_eq!((e.line, e.message.starts_with("empty title")), (3, true));
        let e = parse_str("T1\n\t\nT2\nA2\n").unwrap_err();
        assert_eq!((e.line, e.message.starts_with("empty abstract")), (2, true));
    }

    #[test]
    fn empty_file_and_chrome_only_are_errors() {
        assert_eq!(parse_str("").unwrap_err().line, 1);
        assert!(parse_str(CHROME).unwrap_err().message.contains("no papers"));
    }

    #[test]
    fn invalid_utf8_names_line_and_byte() {
        let e = parse("p.txt", b"T1\nA1\nT\xff2\nA2\n").unwrap_err();
        assert_eq!(e.to_string(), "p.txt:3: invalid UTF-8 at byte 2 of the line; re-save the file as UTF-8");
    }

    #[test]
    fn text_is_kept_verbatim() {
        let papers = parse_str("Constraints at 3<z<10\nK\\\"onig & <b>bold</b>\n").unwrap();
        assert_eq!(papers[0].title, "Constraints at 3<z<10");
        assert_eq!(papers[0].abstract_text, "K\\\"onig & <b>bold</b>");
    }
}
