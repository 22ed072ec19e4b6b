//! CSL-JSON, as Zotero and Pandoc write it: a JSON array of items with `id` (or Better
//! BibTeX's `citation-key`), `type`, `title`, `abstract`, `author` (`family`/`given` with their
//! particles, or `literal`), `issued` (`date-parts`, `raw` or `literal`), `container-title`,
//! `DOI`, `URL`, `keyword`. The array is cut into its items first, so that an item that does
//! not read (a wrong type, no title) is skipped alone, with its line.

use serde_json::{Map, Value};

use super::entries::{Entries, LineIndex};
use super::fields::{self, some};
use super::{names, CorpusError, Paper, Skipped};

pub(super) fn parse(path: &str, text: &str) -> Result<(Vec<Paper>, Vec<Skipped>), CorpusError> {
    let lines = LineIndex::new(text);
    let mut entries = Entries::new(path, "\"title\"");
    for (start, end) in items(text).map_err(|(at, what)| {
        CorpusError::new(
            path,
            lines.line(at),
            format!("not a CSL-JSON array ({what}); check that the file is a whole JSON array of items, as Zotero or Pandoc export it"),
        )
    })? {
        let line = lines.line(start);
        match serde_json::from_str::<Value>(&text[start..end]) {
            Ok(Value::Object(item)) => entries.add(line, paper(&item)),
            Ok(_) => {
                let entry = entries.ordinal();
                entries.skip(line, entry, "the item is not a JSON object; write each item as { \"id\": ..., \"title\": ... }")
            }
            Err(e) => {
                let entry = entries.ordinal();
                entries.skip(line, entry, format!("the item is not valid JSON ({e}); fix its syntax"));
            }
        }
    }
    entries.finish("a JSON array of CSL items")
}

/// The byte ranges of the top-level array's items: strings and nesting followed, nothing
/// else checked (each item is read on its own).
fn items(text: &str) -> Result<Vec<(usize, usize)>, (usize, &'static str)> {
    let bytes = text.as_bytes();
    let open = text.find('[').ok_or((0, "no `[`"))?;
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = None;
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                start.get_or_insert(i);
                let opened = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if i >= bytes.len() {
                    return Err((opened, "a string is not closed"));
                }
            }
            b'{' | b'[' => {
                start.get_or_insert(i);
                depth += 1;
            }
            b'}' | b']' if depth > 0 => depth -= 1,
            b',' | b']' if depth == 0 => {
                if let Some(s) = start.take() {
                    out.push((s, i));
                }
                if bytes[i] == b']' {
                    return match text[i + 1..].trim() {
                        "" => Ok(out),
                        _ => Err((i + 1, "text after the array's end")),
                    };
                }
            }
            b if b.is_ascii_whitespace() => {}
            _ => {
                start.get_or_insert(i);
            }
        }
        i += 1;
    }
    Err((open, "the array is not closed"))
}

fn paper(item: &Map<String, Value>) -> Paper {
    let string = |name: &str| item.get(name).and_then(as_text).and_then(|s| some(&strip_markup(&s)));
    let key = string("citation-key").or_else(|| string("id"));
    let (year, month) = item.get("issued").map_or((None, None), date);
    let kind = string("type").map(|t| fields::kind(&t).to_string());
    let url = string("URL");
    let arxiv = [string("URL"), string("number"), string("DOI"), string("archive_location")]
        .iter()
        .flatten()
        .find_map(|v| fields::arxiv(v));
    let venue = ["container-title", "event-title", "event", "collection-title"].iter().find_map(|f| string(f));
    Paper {
        key,
        title: string("title").unwrap_or_default(),
        abstract_text: string("abstract").unwrap_or_default(),
        authors: item
            .get("author")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(name).collect())
            .unwrap_or_default(),
        year,
        month,
        venue,
        kind,
        doi: string("DOI").as_deref().and_then(fields::doi),
        url,
        pdf: None,
        arxiv,
        keywords: string("keyword").map(|k| fields::keywords(&k)).unwrap_or_default(),
        categories: Vec::new(),
        bibtex: None,
    }
}

/// A string or a number as text (ids and numbers come either way).
fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(a) => a.first().and_then(as_text),
        _ => None,
    }
}

/// A CSL name: `literal`, or `given` `dropping-particle` `non-dropping-particle` `family`
/// `suffix`.
fn name(v: &Value) -> Option<String> {
    let part = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("");
    let literal = part("literal");
    if !literal.trim().is_empty() {
        return some(literal);
    }
    let particle = format!("{} {}", part("dropping-particle"), part("non-dropping-particle"));
    let name = names::from_parts(part("given"), &particle, part("family"), part("suffix"));
    (!name.is_empty()).then_some(name)
}

/// Year and month of a CSL date: `date-parts` (`[[2016, 6, 1]]`, numbers or strings), else
/// `raw` or `literal`.
fn date(v: &Value) -> (Option<u16>, Option<u8>) {
    if let Some(first) = v.get("date-parts").and_then(|p| p.get(0)) {
        let part = |i: usize| first.get(i).and_then(as_text);
        let year = part(0).and_then(|y| fields::year(&y));
        let month = part(1).and_then(|m| fields::month(&m));
        if year.is_some() {
            return (year, month);
        }
    }
    let text = v.get("raw").or_else(|| v.get("literal")).and_then(Value::as_str).unwrap_or("");
    fields::date(text)
}

/// CSL's rich text markup (`<i>`, `<b>`, `<sup>`, `<sub>`, `<span class="nocase">`) dropped.
fn strip_markup(s: &str) -> String {
    if !s.contains('<') {
        return s.to_string();
    }
    let mut out = s.to_string();
    for tag in [
        "<i>",
        "</i>",
        "<b>",
        "</b>",
        "<sup>",
        "</sup>",
        "<sub>",
        "</sub>",
        "<span class=\"nocase\">",
        "<span class=\"nodecor\">",
        "<span style=\"font-variant:small-caps;\">",
        "</span>",
    ] {
        out = out.replace(tag, "");
    }
    out
}
