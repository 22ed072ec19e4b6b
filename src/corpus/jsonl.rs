//! JSON Lines, one paper per line: `id` (or `key`), `title`, `abstract`, and optional
//! `authors` (array of names, or one string), `year`, `month`, `venue`, `type`, `doi`, `url`,
//! `pdf`, `arxiv`, `keywords`, `categories`; and BEIR's `corpus.jsonl` (`_id`, `title`, `text`
//! read as the abstract). The text is kept as written; the first problem stops the build.

use serde_json::Value;

use super::entries::clip;
use super::{fields, CorpusError, Paper};

/// One line of a JSON corpus; both the JSON Lines and the BEIR key names are read.
#[derive(serde::Deserialize)]
struct Record {
    id: Option<Value>,
    key: Option<Value>,
    #[serde(rename = "_id")]
    beir_id: Option<Value>,
    title: Option<String>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
    text: Option<String>,
    #[serde(default)]
    authors: Option<Names>,
    year: Option<Value>,
    month: Option<Value>,
    // The fields added with the collection formats are read when they are strings, and
    // otherwise passed over, so that a corpus that read before still reads.
    venue: Option<Value>,
    #[serde(rename = "type")]
    kind: Option<Value>,
    doi: Option<Value>,
    url: Option<String>,
    pdf: Option<Value>,
    arxiv: Option<Value>,
    keywords: Option<Value>,
    #[serde(default)]
    categories: Option<Names>,
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

/// A string value, when it is one and not blank, cleaned.
fn string(value: Option<Value>) -> Option<String> {
    match value? {
        Value::String(s) => fields::some(&s),
        _ => None,
    }
}

/// A number written as a number or a string.
fn number(value: Option<Value>) -> Option<u64> {
    match value? {
        Value::Number(x) => x.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Parses JSON Lines (and BEIR `corpus.jsonl`): one object per non-blank line.
pub(super) fn parse(path: &str, text: &str) -> Result<Vec<Paper>, CorpusError> {
    let err = |line: usize, message: String| CorpusError::new(path, line, message);
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
        let key = match r.key.or(r.id).or(r.beir_id) {
            Some(Value::String(s)) if !s.trim().is_empty() => s,
            Some(Value::Number(x)) => x.to_string(),
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
        papers.push(Paper {
            key: Some(key),
            title: title.to_string(),
            abstract_text: abstract_text.trim().to_string(),
            authors: r.authors.map(Names::into_vec).unwrap_or_default(),
            year: number(r.year).and_then(|y| u16::try_from(y).ok()),
            month: match r.month {
                Some(Value::String(s)) => fields::month(&s),
                other => number(other).and_then(|m| u8::try_from(m).ok()).filter(|m| (1..=12).contains(m)),
            },
            venue: string(r.venue),
            kind: string(r.kind).map(|k| fields::kind(&k).to_string()),
            doi: string(r.doi).as_deref().and_then(fields::doi),
            url: r.url.as_deref().and_then(fields::some),
            pdf: string(r.pdf),
            arxiv: string(r.arxiv).as_deref().and_then(fields::arxiv),
            keywords: match r.keywords {
                Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).filter_map(fields::some).collect(),
                Some(Value::String(s)) => fields::keywords(&s),
                _ => Vec::new(),
            },
            categories: r.categories.map(Names::into_vec).unwrap_or_default(),
            bibtex: None,
        });
    }
    if papers.is_empty() {
        return Err(err(1, "the corpus has no papers; expected one JSON object per line".into()));
    }
    Ok(papers)
}
