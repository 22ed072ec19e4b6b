//! Parse: a corpus file → papers, in file order. Runs at build time (from `build.rs`) and in
//! the native tools (evaluation, benchmarks).
//!
//! Three formats, told apart by the first character of the file (`{` means JSON Lines):
//!
//! - **Text** (the default corpus, `data/papers.txt`, saved from a "trending papers" page):
//!   1. leading lines of page chrome (`Get trending papers in your email inbox...`) are dropped;
//!   2. the page's `Subscribe` button text, glued in front of the first title, is removed;
//!   3. from there on, lines alternate title, abstract, title, abstract...
//! - **JSON Lines**, one paper per line: `id`, `title`, `abstract`, and optional `authors`
//!   (array of names, or one string), `year`, `categories`, `url`.
//! - **BEIR** `corpus.jsonl`: `_id`, `title`, `text` (read as the abstract); other keys ignored.
//!
//! A file whose name ends in `.gz` is gunzipped first. A paper's number is its 0-based position
//! in the file; a JSON corpus's own `id` is kept as the paper's key. Every error names the file
//! and the line and says what to do, because it stops the build of someone else's corpus.

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

/// Longest line a corpus may have: far more than any title or abstract (or one JSON record),
/// so a longer one means lost line breaks or a file that is not a corpus.
pub const MAX_LINE_BYTES: usize = 1 << 20;

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
    read(&shown, &bytes)
}

/// Parses a corpus file's bytes, gunzipped first when its name ends in `.gz`; `name` is the
/// file's name in error messages (the builder of the npm package reads files this way).
///
/// # Errors
///
/// See [`load`]; a `.gz` file that does not gunzip is an error of its line 1.
pub fn read(name: &str, bytes: &[u8]) -> Result<Vec<Paper>, CorpusError> {
    if !name.ends_with(".gz") {
        return parse(name, bytes);
    }
    let mut plain = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(bytes), &mut plain).map_err(|e| CorpusError {
        path: name.to_string(),
        line: 1,
        message: format!("cannot read the corpus ({e}); check that the file is a whole gzip file"),
    })?;
    parse(name, &plain)
}

/// Parses a corpus from bytes, detecting its format; `path` is only used in error messages.
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
    if let Some((i, line)) = text.lines().enumerate().find(|(_, l)| l.len() > MAX_LINE_BYTES) {
        return Err(err(
            i + 1,
            format!(
                "line of {} bytes, longer than the {} MiB a paper may take; check that line breaks were not lost \
                 (one paper per line in JSON Lines, title and abstract on lines of their own in text)",
                line.len(),
                MAX_LINE_BYTES >> 20
            ),
        ));
    }
    if text.trim_start().starts_with('{') {
        return parse_json_lines(path, text);
    }

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

/// One line of a JSON corpus; both the JSON Lines and the BEIR key names are read.
#[derive(serde::Deserialize)]
struct Record {
    id: Option<serde_json::Value>,
    #[serde(rename = "_id")]
    beir_id: Option<serde_json::Value>,
    title: Option<String>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
    text: Option<String>,
    #[serde(default)]
    authors: Option<Names>,
    year: Option<serde_json::Value>,
    #[serde(default)]
    categories: Option<Names>,
    url: Option<String>,
}

/// A list of names, given as an array or as one string.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Names {
    List(Vec<String>),
    One(String),
}

impl Names {
    fn into_vec(self) -> Vec<String> {
        match self {
            Names::List(v) => v.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
            Names::One(s) if s.trim().is_empty() => Vec::new(),
            Names::One(s) => vec![s.trim().to_string()],
        }
    }
}

/// Parses JSON Lines (and BEIR `corpus.jsonl`): one object per non-blank line.
fn parse_json_lines(path: &str, text: &str) -> Result<Vec<Paper>, CorpusError> {
    let err = |line: usize, message: String| CorpusError { path: path.to_string(), line, message };
    let mut papers = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let r: Record = serde_json::from_str(line).map_err(|e| {
            err(n, format!("not a valid JSON object ({e}); each line must be one object with \"title\" and \"abstract\" (or BEIR's \"_id\", \"title\", \"text\")"))
        })?;
        let key = match r.id.or(r.beir_id) {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s,
            Some(serde_json::Value::Number(x)) => x.to_string(),
            None => (papers.len()).to_string(),
            Some(other) => {
                return Err(err(n, format!("the id {other} is not a string or a number; give each paper a string id")))
            }
        };
        if let Some(first) = seen.insert(key.clone(), n) {
            return Err(err(n, format!("duplicate id \"{}\" (first on line {first}); ids must be unique", clip(&key))));
        }
        let title = r.title.unwrap_or_default();
        let title = title.trim();
        if title.is_empty() {
            return Err(err(n, format!("the paper \"{}\" has no title; add a non-empty \"title\"", clip(&key))));
        }
        let abstract_text = r.abstract_text.or(r.text).unwrap_or_default();
        let year = match r.year {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::Number(x)) => x.as_u64().and_then(|y| u16::try_from(y).ok()),
            Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
            Some(_) => None,
        };
        papers.push(Paper {
            key: Some(key),
            title: title.to_string(),
            abstract_text: abstract_text.trim().to_string(),
            authors: r.authors.map(Names::into_vec).unwrap_or_default(),
            year,
            url: r.url.map(|u| u.trim().to_string()).filter(|u| !u.is_empty()),
            categories: r.categories.map(Names::into_vec).unwrap_or_default(),
            ..Paper::default()
        });
    }
    if papers.is_empty() {
        return Err(err(1, "the corpus has no papers; expected one JSON object per line".into()));
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
    fn reads_json_lines_with_optional_fields() {
        let text = r#"{"id": "a:1", "title": "T1", "abstract": "A1", "authors": ["X Y", "Z"], "year": 2021, "url": "https://e.org/1", "categories": ["cs.LG"]}

{"id": "a:2", "title": " T2 ", "abstract": "A2", "authors": "Solo", "year": "1999"}
"#;
        let papers = parse_str(text).unwrap();
        assert_eq!(papers.len(), 2);
        assert_eq!(papers[0].key.as_deref(), Some("a:1"));
        assert_eq!(papers[0].authors, ["X Y", "Z"]);
        assert_eq!((papers[0].year, papers[0].url.as_deref()), (Some(2021), Some("https://e.org/1")));
        assert_eq!(papers[0].categories, ["cs.LG"]);
        assert_eq!(
            (papers[1].title.as_str(), papers[1].authors.clone(), papers[1].year),
            ("T2", vec!["Solo".to_string()], Some(1999))
        );
    }

    #[test]
    fn reads_beir_corpus_lines() {
        let text = r#"{"_id": "4983", "title": "Microstructural", "text": "Alterations of...", "metadata": {}}
{"_id": 5, "title": "Other", "text": "More."}"#;
        let papers = parse_str(text).unwrap();
        assert_eq!(papers[0].key.as_deref(), Some("4983"));
        assert_eq!(papers[0].abstract_text, "Alterations of...");
        assert_eq!(papers[1].key.as_deref(), Some("5"));
    }

    #[test]
    fn json_errors_name_the_line() {
        let e = parse_str("{\"id\": \"1\", \"title\": \"T\", \"abstract\": \"A\"}\n{\"id\": \"2\", \"title\": \n")
            .unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.starts_with("not a valid JSON object"), "{e}");
        let e = parse_str("{\"id\": \"1\", \"title\": \"T\"}\n{\"id\": \"1\", \"title\": \"U\"}").unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (2, "duplicate id \"1\" (first on line 1); ids must be unique"));
        let e = parse_str("{\"id\": \"1\", \"abstract\": \"A\"}").unwrap_err();
        assert!(e.message.contains("has no title"), "{e}");
    }

    #[test]
    fn a_line_longer_than_a_paper_is_an_error() {
        let long = format!("T1\nA1\nT2\n{}\n", "x".repeat(MAX_LINE_BYTES + 1));
        let e = parse_str(&long).unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.contains("longer than the 1 MiB"), "{e}");
    }

    #[test]
    fn text_is_kept_verbatim() {
        let papers = parse_str("Constraints at 3<z<10\nK\\\"onig & <b>bold</b>\n").unwrap();
        assert_eq!(papers[0].title, "Constraints at 3<z<10");
        assert_eq!(papers[0].abstract_text, "K\\\"onig & <b>bold</b>");
    }
}
