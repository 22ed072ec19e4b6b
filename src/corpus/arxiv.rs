//! arXiv's metadata snapshot (the Kaggle `arxiv-metadata-oai-snapshot.json`): one JSON object
//! a line with `id`, `title` (line breaks and indentation inside), `abstract` (leading spaces,
//! LaTeX), `authors` and `authors_parsed` (`[last, first, suffix]`), `versions` (the first one's
//! `created` date is the paper's), `journal-ref`, `doi`, `categories`. LaTeX is read as text;
//! the paper's links are arXiv's own. A line that does not read is skipped alone.

use super::entries::Entries;
use super::fields::{self, some};
use super::{latex, names, CorpusError, Paper, Skipped};

/// Whether the first line is a snapshot record: a JSON object with arXiv's own keys.
pub(super) fn looks_like(first_line: &str) -> bool {
    first_line.contains("\"authors_parsed\"") || first_line.contains("\"versions\"")
}

#[derive(serde::Deserialize)]
struct Record {
    id: Option<serde_json::Value>,
    title: Option<String>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
    authors: Option<String>,
    authors_parsed: Option<Vec<Vec<String>>>,
    versions: Option<Vec<Version>>,
    #[serde(rename = "journal-ref")]
    journal_ref: Option<String>,
    doi: Option<String>,
    categories: Option<String>,
    update_date: Option<String>,
}

#[derive(serde::Deserialize)]
struct Version {
    created: Option<String>,
}

pub(super) fn parse(path: &str, text: &str) -> Result<(Vec<Paper>, Vec<Skipped>), CorpusError> {
    let mut entries = Entries::new(path, "\"title\"");
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let record: Record = match serde_json::from_str(line) {
            Ok(r) => r,
            Err(e) => {
                let entry = entries.ordinal();
                entries.skip(
                    n,
                    entry,
                    format!("not a valid JSON object ({e}); each line must be one record of the snapshot"),
                );
                continue;
            }
        };
        let id = match &record.id {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            _ => {
                let entry = entries.ordinal();
                entries.skip(n, entry, "the record has no \"id\"; give it its arXiv id");
                continue;
            }
        };
        entries.add(n, paper(id, record));
    }
    entries.finish("one arXiv metadata record per line")
}

fn paper(id: String, r: Record) -> Paper {
    let authors = match &r.authors_parsed {
        Some(parsed) if !parsed.is_empty() => parsed
            .iter()
            .map(|parts| {
                let part = |i: usize| parts.get(i).map_or(String::new(), |p| latex::to_text(p));
                names::from_parts(&part(1), "", &part(0), &part(2))
            })
            .filter(|n| !n.is_empty())
            .collect(),
        _ => r.authors.as_deref().map(author_list).unwrap_or_default(),
    };
    let first_version = r.versions.as_ref().and_then(|v| v.first()).and_then(|v| v.created.as_deref());
    let (year, month) = match first_version.map(created) {
        Some((Some(y), m)) => (Some(y), m),
        _ => from_id(&id).or_else(|| r.update_date.as_deref().map(fields::date)).unwrap_or((None, None)),
    };
    let bare = fields::arxiv(&id).unwrap_or_else(|| id.clone());
    Paper {
        url: Some(format!("https://arxiv.org/abs/{bare}")),
        pdf: Some(format!("https://arxiv.org/pdf/{bare}")),
        arxiv: Some(bare),
        key: Some(id),
        title: r.title.as_deref().map(latex::to_text).unwrap_or_default(),
        abstract_text: r.abstract_text.as_deref().map(latex::to_text).unwrap_or_default(),
        authors,
        year,
        month,
        venue: r.journal_ref.as_deref().and_then(some),
        kind: Some("preprint".to_string()),
        doi: r.doi.as_deref().and_then(|d| fields::doi(d.split_whitespace().next().unwrap_or(""))),
        keywords: Vec::new(),
        categories: r
            .categories
            .as_deref()
            .map(|c| c.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default(),
        bibtex: None,
    }
}

/// `C. Bal\'azs, E. L. Berger and P. M. Nadolsky` as display names.
fn author_list(authors: &str) -> Vec<String> {
    authors.split([',', '\n']).flat_map(|p| p.split(" and ")).map(latex::to_text).filter(|a| !a.is_empty()).collect()
}

/// Year and month of a version's date: `Mon, 2 Apr 2007 19:18:42 GMT`.
fn created(date: &str) -> (Option<u16>, Option<u8>) {
    let month = date.split([' ', ',']).filter(|w| w.len() == 3).find_map(fields::month);
    (fields::year(date), month)
}

/// Year and month from a new-style id (`0704.0001`: April 2007).
fn from_id(id: &str) -> Option<(Option<u16>, Option<u8>)> {
    let yymm = id.split('.').next().filter(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()))?;
    let yy: u16 = yymm[..2].parse().ok()?;
    let mm: u8 = yymm[2..].parse().ok()?;
    let year = if yy >= 91 { 1900 + yy } else { 2000 + yy };
    Some((Some(year), (1..=12).contains(&mm).then_some(mm)))
}
