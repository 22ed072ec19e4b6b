//! The reader of every format, through `parse`: the text and JSON Lines formats as before the
//! collection formats came, and the detection of each format.

use super::*;

fn parse_str(text: &str) -> Result<Vec<Paper>, CorpusError> {
    parse("papers.txt", text.as_bytes()).map(|c| c.papers)
}

const CHROME: &str = "Get trending papers in your email inbox once a day!\nGet trending papers in your email inbox!\n";

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
    let e =
        parse_str("{\"id\": \"1\", \"title\": \"T\", \"abstract\": \"A\"}\n{\"id\": \"2\", \"title\": \n").unwrap_err();
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

#[test]
fn formats_are_told_from_the_content_and_the_extension() {
    let cases = [
        ("refs.bib", "% a comment\n\n@article{k, title = {T}}", Format::Bibtex),
        ("refs.txt", "@Article{k,\n title = {T}}", Format::Bibtex),
        ("refs.bib.gz", "junk before\n@article{k, title = {T}}", Format::Bibtex),
        ("items.json", "[\n  {\"id\": \"a\", \"title\": \"T\"}\n]", Format::CslJson),
        ("items", "[]", Format::CslJson),
        ("refs.ris", "TY  - JOUR\r\nTI  - T\r\nER  - \r\n", Format::Ris),
        ("pubmed.nbib", "PMID- 1\nTI  - T\n", Format::Medline),
        ("snapshot.json", "{\"id\": \"0704.0001\", \"title\": \"T\", \"versions\": []}", Format::ArxivSnapshot),
        ("papers.jsonl", "{\"id\": \"a\", \"title\": \"T\", \"abstract\": \"A\"}", Format::JsonLines),
        ("papers.txt", "[Re] A reproduction\nIts abstract.\n", Format::Text),
        ("papers.txt", "Title\nAbstract with @article{x,\n", Format::Text),
    ];
    for (name, text, format) in cases {
        assert_eq!(detect(name, text), format, "{name}: {text:?}");
    }
}

#[test]
fn a_collection_counts_its_entries_and_checks_strictly() {
    let bib = "@article{a, title = {One}}\n@article{b, title = {Two}, journal = nomacro}\n";
    let c = parse("refs.bib", bib.as_bytes()).unwrap();
    assert_eq!((c.papers.len(), c.skipped.len(), c.entries()), (1, 1, 2));
    assert_eq!(c.summary().as_deref(), Some("1 of 2 entries indexed, 1 skipped (listed above)"));
    assert!(c.check(false).is_ok());
    let e = c.check(true).unwrap_err();
    let shown = e.to_string();
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.len(), 2, "{shown}");
    assert!(lines[0].starts_with("refs.bib:2: entry b: the value of `journal` uses the macro `nomacro`"), "{shown}");
    assert!(
        lines[1].starts_with("refs.bib:2: 1 of 2 entries could not be read (listed above), and strict mode"),
        "{shown}"
    );
    // Text and JSON Lines have no summary: they never skip.
    assert_eq!(parse("p.txt", b"T\nA\n").unwrap().summary(), None);
}

#[test]
fn a_collection_with_no_entry_left_stops_the_build() {
    let c = parse("refs.bib", b"@article{, title = {No key}}\n").unwrap();
    let e = c.check(false).unwrap_err();
    assert!(e.to_string().ends_with("refs.bib:1: none of the 1 entries could be read (listed above); fix them, or check that the file is a BibTeX export"), "{e}");
    let e = parse("refs.bib", b"% only a comment\n@comment{x}\n").unwrap_err();
    assert!(e.message.starts_with("the corpus has no papers"), "{e}");
}
