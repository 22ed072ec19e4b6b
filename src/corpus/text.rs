//! The text format (the default corpus, `data/papers.txt`, saved from a "trending papers" page):
//!
//! 1. leading lines of page chrome (`Get trending papers in your email inbox...`) are dropped;
//! 2. the page's `Subscribe` button text, glued in front of the first title, is removed;
//! 3. from there on, lines alternate title, abstract, title, abstract...
//!
//! The text is kept verbatim; the first problem stops the build.

use super::entries::clip;
use super::{CorpusError, Paper};

/// Lines of page chrome at the top of a saved page, dropped before the first title.
const CHROME_PREFIX: &str = "Get trending papers in your email inbox";

/// Button text the page glues in front of the first title.
const SUBSCRIBE: &str = "Subscribe";

/// Parses the text format.
pub(super) fn parse(path: &str, text: &str) -> Result<Vec<Paper>, CorpusError> {
    let err = |line: usize, message: String| CorpusError::new(path, line, message);
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
        papers.push(Paper::new(title, abstract_text));
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
