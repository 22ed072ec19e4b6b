//! RIS (`.ris`), as reference managers and databases export it: records from `TY  - ` to
//! `ER  - `, a tag a line (`AU` repeated for each author, `PY` like `2016///` or
//! `2016/06/01/`), lines without a tag continuing the one before. A record without its `ER`
//! (cut short, or run into the next `TY`) is skipped alone.

use super::entries::Entries;
use super::fields::{self, some};
use super::{names, CorpusError, Paper, Skipped};

/// Whether a line is RIS's first: `TY  - `.
pub(super) fn looks_like(first_line: &str) -> bool {
    tag(first_line).is_some_and(|(t, _)| t == "TY")
}

/// A tagged line: two characters (a capital and a capital or digit), two spaces, a hyphen.
fn tag(line: &str) -> Option<(&str, &str)> {
    let b = line.as_bytes();
    let ok = b.len() >= 5
        && b[0].is_ascii_uppercase()
        && (b[1].is_ascii_uppercase() || b[1].is_ascii_digit())
        && &b[2..5] == b"  -";
    ok.then(|| (&line[..2], line[5..].trim()))
}

pub(super) fn parse(path: &str, text: &str) -> Result<(Vec<Paper>, Vec<Skipped>), CorpusError> {
    let mut entries = Entries::new(path, "`TI  - ` line");
    // The record being read: its first line and its (tag, value) lines.
    let mut record: Option<(usize, Vec<(String, String)>)> = None;
    let mut stray = false;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim_end_matches('\r');
        match tag(line) {
            Some(("TY", value)) => {
                if let Some((start, fields)) = record.take() {
                    let entry = key_of(&fields).unwrap_or_else(|| entries.ordinal());
                    entries.skip(start, entry, format!("the record has no `ER  - ` line before the next record's `TY` (line {n}); end it with `ER  - `"));
                }
                record = Some((n, vec![("TY".to_string(), value.to_string())]));
                stray = false;
            }
            Some(("ER", _)) => {
                match record.take() {
                    Some((start, fields)) => entries.add(start, paper(&fields)),
                    None if stray => stray = false,
                    None => {
                        let entry = entries.ordinal();
                        entries.skip(n, entry, "an `ER  - ` line with no record open (no `TY  - ` before it); start the record with `TY  - `");
                    }
                }
            }
            Some((t, value)) => match &mut record {
                Some((_, fields)) => fields.push((t.to_string(), value.to_string())),
                // One report for a run of lines outside records, up to its `ER`.
                None if !stray => {
                    let entry = entries.ordinal();
                    entries.skip(
                        n,
                        entry,
                        format!(
                            "a `{t}` line outside a record (no `TY  - ` before it); start the record with `TY  - `"
                        ),
                    );
                    stray = true;
                }
                None => {}
            },
            None => {
                if let Some((_, fields)) = &mut record {
                    if let Some(last) = fields.last_mut().filter(|_| !line.trim().is_empty()) {
                        last.1.push(' ');
                        last.1.push_str(line.trim());
                    }
                }
            }
        }
    }
    if let Some((start, fields)) = record {
        let entry = key_of(&fields).unwrap_or_else(|| entries.ordinal());
        entries.skip(start, entry, "the record is cut short: no `ER  - ` line ends it; end it with `ER  - `");
    }
    entries.finish("RIS records from `TY  - ` to `ER  - `")
}

fn key_of(fields: &[(String, String)]) -> Option<String> {
    fields.iter().find(|(t, v)| t == "ID" && !v.is_empty()).map(|(_, v)| v.clone())
}

fn paper(fields: &[(String, String)]) -> Paper {
    let all = |tags: &[&str]| -> Vec<&str> {
        fields.iter().filter(|(t, _)| tags.contains(&t.as_str())).map(|(_, v)| v.as_str()).collect()
    };
    let first = |tags: &[&str]| {
        tags.iter().find_map(|t| fields.iter().find(|(k, v)| k == t && !v.is_empty())).map(|(_, v)| v.as_str())
    };
    let ty = first(&["TY"]).unwrap_or("");
    let date = first(&["PY", "Y1", "DA"]).map_or((None, None), fields::date);
    let month = date.1.or_else(|| first(&["DA"]).and_then(|d| fields::date(d).1));
    let urls = all(&["UR"]);
    Paper {
        key: key_of(fields),
        title: first(&["TI", "T1", "CT"]).or_else(|| first(&["BT"])).and_then(some).unwrap_or_default(),
        abstract_text: first(&["AB", "N2"]).and_then(some).unwrap_or_default(),
        authors: all(&["AU", "A1"]).into_iter().map(names::plain).filter(|a| !a.is_empty()).collect(),
        year: date.0,
        month,
        venue: first(&["T2", "JF", "JO", "JA", "J2", "BT", "T3"]).and_then(some),
        kind: Some(fields::kind(ty).to_string()),
        doi: first(&["DO"]).and_then(fields::doi),
        url: urls.first().and_then(|u| some(u)),
        pdf: first(&["L1"]).and_then(some),
        arxiv: urls.iter().chain(all(&["DO", "M1", "SN"]).iter()).find_map(|u| fields::arxiv(u)),
        keywords: all(&["KW"]).into_iter().flat_map(fields::keywords).collect(),
        categories: Vec::new(),
        bibtex: None,
    }
}
