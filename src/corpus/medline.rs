//! PubMed's MEDLINE format (`.nbib`, "Save citations: PubMed format"): records separated by
//! blank lines, each starting `PMID- `; a tag padded to four characters, `- `, the value, and
//! continuation lines indented six spaces. Title `TI`, abstract `AB`, authors `FAU` (full,
//! `Last, First`) or `AU` (`Last Initials`), date `DP` (`2016 Jun 1`), journal `JT`/`TA`, DOI
//! from `LID`/`AID` (`10.… [doi]`), keywords `OT`, MeSH headings `MH` as categories.

use super::entries::Entries;
use super::fields::{self, some};
use super::{names, CorpusError, Paper, Skipped};

/// Whether a line is a MEDLINE record's first: `PMID- `.
pub(super) fn looks_like(first_line: &str) -> bool {
    first_line.starts_with("PMID-")
}

/// A tagged line: up to four capitals, padded with spaces to four, then `- `.
fn tag(line: &str) -> Option<(&str, &str)> {
    let head = line.get(..5)?;
    let (name, dash) = head.split_at(4);
    let name = name.trim_end();
    (dash == "-" && !name.is_empty() && name.bytes().all(|b| b.is_ascii_uppercase())).then(|| (name, line[5..].trim()))
}

pub(super) fn parse(path: &str, text: &str) -> Result<(Vec<Paper>, Vec<Skipped>), CorpusError> {
    let mut entries = Entries::new(path, "`TI  - ` line");
    let mut record: Option<(usize, Vec<(String, String)>)> = None;
    let finish = |record: &mut Option<(usize, Vec<(String, String)>)>, entries: &mut Entries| {
        if let Some((start, fields)) = record.take() {
            entries.add(start, paper(&fields));
        }
    };
    // After a broken line, the rest of its record is passed over (up to a blank line or PMID).
    let mut broken = false;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            finish(&mut record, &mut entries);
            broken = false;
            continue;
        }
        match tag(line) {
            Some(("PMID", _)) if broken => {
                broken = false;
                record = Some((n, vec![("PMID".to_string(), line[5..].trim().to_string())]));
            }
            _ if broken => {}
            Some((t, value)) => {
                if t == "PMID" {
                    finish(&mut record, &mut entries);
                }
                record.get_or_insert_with(|| (n, Vec::new())).1.push((t.to_string(), value.to_string()));
            }
            None => match record.as_mut().and_then(|(_, f)| f.last_mut()) {
                Some(last) if line.starts_with(' ') => {
                    last.1.push(' ');
                    last.1.push_str(line.trim());
                }
                _ => {
                    let entry = record.as_ref().and_then(|(_, f)| key_of(f)).unwrap_or_else(|| entries.ordinal());
                    entries.skip(n, entry, "a line that is neither `TAG - value` nor a continuation indented six spaces; fix the record (or export it again as PubMed format)");
                    // The record the line broke is left out with it.
                    record = None;
                    broken = true;
                }
            },
        }
    }
    finish(&mut record, &mut entries);
    entries.finish("MEDLINE records starting `PMID- `")
}

fn key_of(fields: &[(String, String)]) -> Option<String> {
    fields.iter().find(|(t, v)| t == "PMID" && !v.is_empty()).map(|(_, v)| v.clone())
}

fn paper(fields: &[(String, String)]) -> Paper {
    let all = |tag: &str| -> Vec<&str> { fields.iter().filter(|(t, _)| t == tag).map(|(_, v)| v.as_str()).collect() };
    let first = |tag: &str| all(tag).into_iter().find(|v| !v.is_empty());
    let full = all("FAU");
    let authors: Vec<String> = if full.is_empty() {
        all("AU").into_iter().filter_map(some).collect()
    } else {
        full.into_iter().map(names::plain).collect()
    };
    let (year, month) = first("DP").map_or((None, None), fields::date);
    let ids: Vec<&str> = all("LID").into_iter().chain(all("AID")).collect();
    let pmid = key_of(fields);
    let kinds = all("PT");
    let kind = if kinds.iter().any(|k| k.eq_ignore_ascii_case("preprint")) { "preprint" } else { "article" };
    Paper {
        url: pmid.as_ref().map(|id| format!("https://pubmed.ncbi.nlm.nih.gov/{id}/")),
        key: pmid,
        title: first("TI").and_then(some).unwrap_or_default(),
        abstract_text: first("AB").and_then(some).unwrap_or_default(),
        authors,
        year,
        month,
        venue: first("JT").or_else(|| first("TA")).and_then(some),
        kind: Some(kind.to_string()),
        doi: ids.iter().find(|v| v.ends_with("[doi]")).and_then(|v| fields::doi(v.trim_end_matches("[doi]"))),
        pdf: None,
        arxiv: None,
        keywords: all("OT").into_iter().filter_map(some).collect(),
        categories: all("MH").into_iter().filter_map(some).collect(),
        bibtex: None,
    }
}
