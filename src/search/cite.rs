//! Citations: a paper as a BibTeX entry to copy. A paper read from a `.bib` file is cited by
//! its entry as the file wrote it (macros expanded); any other is cited by an entry made from
//! its record, of the BibTeX type its kind of work calls for.

use super::records::PaperRecord;

/// Paper `record`'s BibTeX entry: `stored`, the entry its file wrote, when there is one, else
/// one made from the record.
pub(super) fn bibtex(record: &PaperRecord, stored: &str) -> String {
    if !stored.trim().is_empty() {
        return stored.to_string();
    }
    let (entry, venue_field) = match record.kind.as_deref() {
        Some("article") => ("article", "journal"),
        Some("conference paper") => ("inproceedings", "booktitle"),
        Some("chapter") => ("incollection", "booktitle"),
        Some("book") => ("book", "publisher"),
        Some("thesis") => ("phdthesis", "school"),
        Some("report") => ("techreport", "institution"),
        _ => ("misc", "howpublished"),
    };
    let mut out = String::with_capacity(256);
    out.push('@');
    out.push_str(entry);
    out.push('{');
    out.push_str(&key(record));
    out.push_str(",\n");
    let mut field = |name: &str, text: &str| {
        out.push_str("  ");
        out.push_str(name);
        out.push_str(" = {");
        out.push_str(text);
        out.push_str("},\n");
    };
    if !record.authors.is_empty() {
        let mut names = String::new();
        for (i, a) in record.authors.iter().enumerate() {
            if i > 0 {
                names.push_str(" and ");
            }
            match a.as_str() {
                "et al." | "others" => names.push_str("others"),
                // A comma would split the name into last and first.
                name if name.contains(',') => {
                    names.push('{');
                    names.push_str(&value(name));
                    names.push('}');
                }
                name => names.push_str(&value(name)),
            }
        }
        field("author", &names);
    }
    field("title", &format!("{{{}}}", value(&record.title)));
    if let Some(venue) = &record.venue {
        field(venue_field, &value(venue));
    }
    if let Some(year) = record.year {
        field("year", &year.to_string());
    }
    if let Some(month) = record.month {
        field("month", &month.to_string());
    }
    if let Some(doi) = &record.doi {
        field("doi", &value(doi));
    }
    if let Some(arxiv) = &record.arxiv {
        field("eprint", &value(arxiv));
        field("archiveprefix", "arXiv");
    }
    if let Some(url) = record.url.as_ref().or(record.pdf.as_ref()) {
        field("url", &value(url));
    }
    out.push('}');
    out
}

/// The entry's key: the paper's own, when BibTeX can read it as one, else the first author's
/// last name, the year and the title's first long word (`vaswani2017attention`).
fn key(record: &PaperRecord) -> String {
    if let Some(own) = record.key.as_deref() {
        let readable = !own.is_empty() && own.chars().all(|c| c.is_ascii_alphanumeric() || "_-:./+".contains(c));
        if readable {
            return own.to_string();
        }
    }
    // ASCII letters and digits only: what every BibTeX reads in a key.
    let letters = |s: &str| -> String {
        s.bytes().filter(u8::is_ascii_alphanumeric).map(|b| char::from(b.to_ascii_lowercase())).collect()
    };
    let mut made = record.authors.first().and_then(|a| a.split(' ').next_back()).map(letters).unwrap_or_default();
    if let Some(year) = record.year {
        made.push_str(&year.to_string());
    }
    made.push_str(&record.title.split(' ').map(letters).find(|w| w.len() > 3).unwrap_or_default());
    if made.is_empty() {
        made = format!("paper{}", record.id);
    }
    made
}

/// Text as a BibTeX value inside braces: the characters LaTeX reads as commands escaped, and a
/// brace that would unbalance the entry dropped.
fn value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '{' => {
                depth += 1;
                out.push(c);
            }
            '}' if depth == 0 => {}
            '}' => {
                depth -= 1;
                out.push(c);
            }
            '&' | '%' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out.extend(std::iter::repeat_n('}', depth));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> PaperRecord {
        PaperRecord {
            id: 3,
            key: None,
            title: "Attention Is All You Need".into(),
            abstract_text: "Transformers.".into(),
            authors: vec!["Ashish Vaswani".into(), "Noam Shazeer".into(), "et al.".into()],
            year: Some(2017),
            month: Some(6),
            venue: Some("Advances in Neural Information Processing Systems".into()),
            kind: Some("conference paper".into()),
            doi: None,
            url: Some("https://arxiv.org/abs/1706.03762".into()),
            pdf: None,
            arxiv: Some("1706.03762".into()),
            keywords: Vec::new(),
            categories: Vec::new(),
        }
    }

    #[test]
    fn a_record_becomes_an_entry_of_the_type_its_kind_calls_for() {
        let entry = bibtex(&record(), "");
        assert_eq!(
            entry,
            "@inproceedings{vaswani2017attention,\n  author = {Ashish Vaswani and Noam Shazeer and others},\n  \
             title = {{Attention Is All You Need}},\n  booktitle = {Advances in Neural Information Processing Systems},\n  \
             year = {2017},\n  month = {6},\n  eprint = {1706.03762},\n  archiveprefix = {arXiv},\n  \
             url = {https://arxiv.org/abs/1706.03762},\n}"
        );
    }

    #[test]
    fn an_entry_from_a_bib_file_is_cited_as_written() {
        let written = "@article{key1,\n  title = {{DNA} Sequencing},\n}";
        assert_eq!(bibtex(&record(), written), written);
    }

    #[test]
    fn braces_stay_balanced_and_commands_escaped() {
        let mut r = record();
        r.title = "Cats & {dogs} } at 50% {".into();
        r.key = Some("has space".into());
        r.authors = vec!["Smith, Jr., John".into()];
        let entry = bibtex(&r, "");
        assert!(entry.contains("title = {{Cats \\& {dogs}  at 50\\% {}}}"), "{entry}");
        assert!(entry.contains("author = {{Smith, Jr., John}}"), "{entry}");
        assert!(entry.starts_with("@inproceedings{john2017cats,"), "{entry}");
        assert_eq!(entry.matches('{').count(), entry.matches('}').count());
    }

    #[test]
    fn a_paper_with_nothing_to_name_it_by_is_keyed_by_its_number() {
        let mut r = record();
        r.authors.clear();
        r.year = None;
        r.title = "On".into();
        r.kind = None;
        assert!(bibtex(&r, "").starts_with("@misc{paper3,\n"));
    }
}
