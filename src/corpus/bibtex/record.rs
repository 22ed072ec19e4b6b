//! A BibTeX entry's fields into a [`Paper`]: LaTeX read as text, names as display names, the
//! venue from `journal`/`journaltitle`/`booktitle`…, the kind from the entry type, links from
//! `doi`, `url`, `pdf`/`file` and `eprint`/`arxiv`.

use super::entry::Entry;
use crate::corpus::fields::{self, some};
use crate::corpus::{latex, names, Paper};

/// The fields that name where a work appeared, in the order they are looked for.
const VENUE_FIELDS: [&str; 7] =
    ["journal", "journaltitle", "booktitle", "eventtitle", "school", "institution", "series"];

pub(super) fn paper(entry: &Entry) -> Paper {
    let text = |name: &str| entry.get(name).map(latex::to_text).filter(|t| !t.is_empty());
    let (date_year, date_month) = entry.get("date").map_or((None, None), fields::date);
    let venue = VENUE_FIELDS.iter().find_map(|f| text(f));
    let eprint_type = entry.get("archiveprefix").or_else(|| entry.get("eprinttype")).unwrap_or("");
    let arxiv = entry
        .get("arxiv")
        .and_then(fields::arxiv)
        .or_else(|| {
            let eprint = entry.get("eprint")?;
            (eprint_type.eq_ignore_ascii_case("arxiv") || eprint_type.is_empty()).then(|| fields::arxiv(eprint))?
        })
        .or_else(|| entry.get("url").and_then(fields::arxiv))
        .or_else(|| entry.get("journal").filter(|j| j.to_ascii_lowercase().contains("arxiv")).and_then(fields::arxiv));
    let kind = match entry.kind.to_ascii_lowercase().as_str() {
        "article" if venue.as_deref().is_some_and(|v| v.to_ascii_lowercase().starts_with("arxiv")) => "preprint",
        "misc" | "online" | "electronic" | "www" if arxiv.is_some() => "preprint",
        other => fields::kind(other),
    };
    Paper {
        key: Some(entry.key.clone()),
        title: text("title").unwrap_or_default(),
        abstract_text: text("abstract").unwrap_or_default(),
        authors: entry.get("author").map(names::bibtex_list).unwrap_or_default(),
        year: entry.get("year").and_then(fields::year).or(date_year),
        month: entry.get("month").and_then(fields::month).or(date_month),
        venue,
        kind: Some(kind.to_string()),
        doi: entry.get("doi").and_then(fields::doi),
        url: entry.get("url").and_then(link),
        pdf: entry.get("pdf").and_then(link).or_else(|| entry.get("file").and_then(pdf_of_file)),
        arxiv,
        keywords: entry.get("keywords").map(|k| fields::keywords(&latex::to_text(k))).unwrap_or_default(),
        categories: entry.get("primaryclass").and_then(some).into_iter().collect(),
        bibtex: Some(entry.to_bibtex()),
    }
}

/// A link as written (`\url{…}` unwrapped), when there is one.
fn link(value: &str) -> Option<String> {
    let v = value.trim();
    let v = v.strip_prefix("\\url{").and_then(|u| u.strip_suffix('}')).unwrap_or(v);
    some(v)
}

/// The PDF of a `file` field as reference managers write it: `Description:path:type` pieces
/// joined by `;`, or a bare path. Only what a page can link to: an address or a relative path.
fn pdf_of_file(value: &str) -> Option<String> {
    value.split(';').find_map(|piece| {
        let piece = piece.trim();
        let path = if piece.starts_with("http://") || piece.starts_with("https://") {
            piece.trim_end_matches(":application/pdf").trim_end_matches(":PDF")
        } else {
            let parts: Vec<&str> = piece.split(':').collect();
            match parts.as_slice() {
                [_, path, _] => path,
                _ => piece,
            }
        };
        let local = path.starts_with('/') || path.starts_with('\\') || path.get(1..2) == Some(":");
        (path.to_ascii_lowercase().ends_with(".pdf") && !local).then(|| path.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdfs_of_file_fields() {
        assert_eq!(
            pdf_of_file("Full Text PDF:files/12/paper.pdf:application/pdf").as_deref(),
            Some("files/12/paper.pdf")
        );
        assert_eq!(pdf_of_file("https://x.org/a.pdf").as_deref(), Some("https://x.org/a.pdf"));
        assert_eq!(pdf_of_file(":/home/me/Zotero/a.pdf:PDF"), None);
        assert_eq!(pdf_of_file("Snapshot:files/1/page.html:text/html"), None);
    }
}
