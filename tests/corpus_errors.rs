//! Every way a corpus can be wrong stops the build with `path:line: problem; what to do`.
//! The malformed corpora are committed in tests/fixtures/malformed/ (the 10 MB line is made
//! here instead). The build itself printing these and keeping the last good www/pkg is
//! checked by tests/build-errors.sh.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use paper_search::corpus;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed").join(name)
}

/// Loads a malformed corpus and returns (line, message), checking the message's shape.
fn error_of(path: &std::path::Path) -> (usize, String) {
    let e = corpus::load(path).expect_err("a malformed corpus is an error");
    let shown = e.to_string();
    let prefix = format!("{}:{}: ", path.display(), e.line);
    assert!(shown.starts_with(&prefix), "{shown:?} starts with {prefix:?}");
    assert!(e.message.contains("; "), "{shown:?} says what is wrong; then what to do");
    (e.line, e.message)
}

#[test]
fn empty_file() {
    let (line, msg) = error_of(&fixture("empty.txt"));
    assert_eq!(line, 1);
    assert!(msg.contains("no papers"), "{msg}");
    assert!(error_of(&fixture("blank.txt")).1.contains("no papers"));
}

#[test]
fn truncated_last_record_of_text() {
    let (line, msg) = error_of(&fixture("odd-lines.txt"));
    assert_eq!(line, 4);
    assert!(msg.contains("has no abstract line after it"), "{msg}");
}

#[test]
fn invalid_utf8() {
    let (line, msg) = error_of(&fixture("invalid-utf8.txt"));
    assert_eq!(line, 2);
    assert!(msg.starts_with("invalid UTF-8 at byte 30 of the line"), "{msg}");
}

#[test]
fn truncated_last_record_of_json_lines() {
    let (line, msg) = error_of(&fixture("truncated.jsonl"));
    assert_eq!(line, 2);
    assert!(msg.starts_with("not a valid JSON object"), "{msg}");
}

#[test]
fn json_line_that_does_not_parse() {
    let (line, msg) = error_of(&fixture("bad-json.jsonl"));
    assert_eq!(line, 2);
    assert!(msg.starts_with("not a valid JSON object"), "{msg}");
}

#[test]
fn record_missing_its_title() {
    let (line, msg) = error_of(&fixture("missing-title.jsonl"));
    assert_eq!(line, 2);
    assert!(msg.contains("has no title"), "{msg}");
}

#[test]
fn duplicate_ids() {
    let (line, msg) = error_of(&fixture("duplicate-ids.jsonl"));
    assert_eq!(line, 3);
    assert_eq!(msg, "duplicate id \"a\" (first on line 1); ids must be unique");
}

#[test]
fn ten_megabyte_single_line() {
    let dir = std::env::temp_dir().join(format!("paper-search-long-line-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("long.txt");
    std::fs::write(&path, format!("A title\n{}\n", "word ".repeat(2 << 20))).unwrap();
    let (line, msg) = error_of(&path);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(line, 2);
    assert!(msg.starts_with("line of 10485760 bytes"), "{msg}");
}

#[test]
fn missing_file() {
    let (line, msg) = error_of(&fixture("no-such-corpus.txt"));
    assert_eq!(line, 1);
    assert!(msg.starts_with("cannot read the corpus"), "{msg}");
}

#[test]
fn a_bib_file_without_entries() {
    let (line, msg) = error_of(&fixture("no-entries.bib"));
    assert_eq!(line, 1);
    assert!(msg.starts_with("the corpus has no papers; expected BibTeX entries"), "{msg}");
}

#[test]
fn a_csl_json_array_cut_short() {
    let (line, msg) = error_of(&fixture("unclosed-array.json"));
    assert_eq!(line, 10);
    assert!(msg.starts_with("not a CSL-JSON array (a string is not closed)"), "{msg}");
}

/// A collection whose every entry is bad reads, but cannot be built: the error lists each
/// entry by its line, then says that none could be read; strict or not.
#[test]
fn a_collection_without_one_good_entry() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/collections/all-bad.bib");
    let collection = corpus::load(&path).unwrap();
    for strict in [false, true] {
        let e = collection.check(strict).expect_err("nothing to index");
        let shown = e.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        let p = path.display();
        assert_eq!(lines.len(), 3, "{shown}");
        assert!(
            lines[0].starts_with(&format!(
                "{p}:3: entry first: unbalanced braces: the value of `title` runs into the fields after it"
            )),
            "{shown}"
        );
        assert!(
            lines[1]
                .starts_with(&format!("{p}:8: entry second: the value of `journal` uses the macro `undefinedmacro`")),
            "{shown}"
        );
        assert_eq!(lines[2], format!("{p}:3: none of the 2 entries could be read (listed above); fix them, or check that the file is a BibTeX export"));
    }
}

/// Strict mode: a collection with one bad entry among good ones stops the build, the entry
/// listed by its line; without it the entry is left out.
#[test]
fn strict_mode_stops_on_one_bad_entry() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/collections/windows.bib");
    let collection = corpus::load(&path).unwrap();
    assert!(collection.check(false).is_ok());
    let e = collection.check(true).expect_err("strict");
    assert_eq!((e.line, e.entries.len()), (14, 1));
    assert!(
        e.message.starts_with("1 of 3 entries could not be read (listed above), and strict mode (--strict, STRICT=1)"),
        "{e}"
    );
}
