//! Property tests of the collection readers: LaTeX read as text never panics and never leaves
//! a half-stripped `$`, `\` or brace (what is not converted is kept whole, dollars included,
//! as the input wrote it); and a generated .bib file with one corrupted entry loses that entry
//! and only that one, reported by its key or number.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use paper_search::corpus::{self, latex};
use proptest::prelude::*;

/// Pieces of LaTeX as collections write it, and the broken pieces real files hold.
const PIECES: &[&str] = &[
    "a",
    "Word",
    " ",
    "é",
    "ß",
    "-",
    "--",
    "---",
    "``",
    "''",
    "'",
    "`",
    "~",
    "{",
    "}",
    "{}",
    "$",
    "$$",
    r"\",
    r"\\",
    r#"\"o"#,
    r#"{\"o}"#,
    r#"\"{o}"#,
    r"\'e",
    r"\v{c}",
    r"\H{o}",
    r"{\l}",
    r"\c{c}",
    r"\aa",
    r"\~n",
    r"\'{\i}",
    r"\&",
    r"\%",
    r"\$",
    r"\_",
    r"\{",
    r"\}",
    r"\emph{",
    r"\textbf{x}",
    r"\url{a_b}",
    r"\cite{k}",
    r"\unknowncommand",
    r"\ell",
    r"\alpha",
    "_1",
    "^2",
    "_",
    "^",
    r"\hat{x}",
    r"\frac{a}{b}",
    r"\mathcal{O}",
    r"\sqrt{n}",
    r"\mathbb{R}",
    "$x$",
    r"$\ell_1$",
    r"$O(n^2)$",
    r"$\hat{\theta}$",
    r"\v",
    r"\'",
    r"\LaTeX",
    "%",
    "&",
    "#",
];

/// What LaTeX leaves when it is not read: backslashes, and braces unless the input wrote
/// escaped ones (`\{` is a brace of the text).
fn leftover(input: &str, c: char) -> bool {
    c == '\\' || (matches!(c, '{' | '}') && !input.contains("\\{") && !input.contains("\\}"))
}

/// Whether each piece of LaTeX left in `out` lies in a `$…$` span that `input` wrote as it is.
fn only_whole_math_keeps_latex(input: &str, out: &str) -> bool {
    let dollars: Vec<usize> = out.match_indices('$').map(|(i, _)| i).collect();
    out.char_indices().filter(|&(_, c)| leftover(input, c)).all(|(q, _)| {
        let before = dollars.iter().rev().find(|&&d| d < q);
        let after = dollars.iter().find(|&&d| d > q);
        match (before, after) {
            // As written, but for runs of white space made one space, as everywhere.
            (Some(&a), Some(&b)) => input.split_whitespace().collect::<Vec<_>>().join(" ").contains(&out[a..=b]),
            _ => false,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn latex_never_panics_on_any_text(s in "\\PC{0,80}") {
        let _ = latex::to_text(&s);
    }

    #[test]
    fn latex_is_converted_or_kept_whole(pieces in prop::collection::vec(prop::sample::select(PIECES), 0..24)) {
        let input: String = pieces.concat();
        let out = latex::to_text(&input);
        prop_assert!(only_whole_math_keeps_latex(&input, &out), "{input:?} -> {out:?}");
        // Without math, nothing of LaTeX is left.
        if !input.contains('$') {
            prop_assert!(!out.chars().any(|c| leftover(&input, c)), "{input:?} -> {out:?}");
        }
        prop_assert_eq!(out.trim(), out.as_str());
    }
}

/// How an entry of a generated file is broken.
#[derive(Debug, Clone, Copy)]
enum Corruption {
    /// A value's closing brace missing.
    UnclosedValue,
    /// A macro no @string defines.
    UndefinedMacro,
    /// The key missing.
    NoKey,
    /// The key of the entry before it.
    DuplicateKey,
    /// No title field.
    NoTitle,
    /// The entry's own closing brace missing.
    UnclosedEntry,
}

fn entry(i: usize, title: &str, corruption: Option<Corruption>) -> String {
    let key = match corruption {
        Some(Corruption::NoKey) => String::new(),
        Some(Corruption::DuplicateKey) => format!("k{}", i - 1),
        _ => format!("k{i}"),
    };
    let title = match corruption {
        Some(Corruption::NoTitle) => String::new(),
        Some(Corruption::UnclosedValue) => format!("  title = {{{title},\n"),
        _ => format!("  title = {{{title}}},\n"),
    };
    let journal = match corruption {
        Some(Corruption::UndefinedMacro) => "nomacro",
        _ => "jn",
    };
    let close = if matches!(corruption, Some(Corruption::UnclosedEntry)) { "" } else { "}" };
    format!("@article{{{key},\n{title}  author = {{Last{i}, First and Other, A.}},\n  journal = {journal},\n  year = {},\n{close}\n\n", 1990 + i)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn one_corrupted_entry_loses_only_that_entry(
        titles in prop::collection::vec(prop::collection::vec(prop::sample::select(PIECES), 1..8), 2..12),
        which in any::<prop::sample::Index>(),
        corruption in prop::sample::select(vec![
            Corruption::UnclosedValue, Corruption::UndefinedMacro, Corruption::NoKey,
            Corruption::DuplicateKey, Corruption::NoTitle, Corruption::UnclosedEntry,
        ]),
    ) {
        // Titles of balanced braces, with at least one letter: entries good in themselves.
        let titles: Vec<String> = titles
            .iter()
            .map(|t| {
                let t: String = t.concat().chars().filter(|c| !matches!(c, '{' | '}' | '\\' | '@' | '"')).collect();
                format!("Title {t}")
            })
            .collect();
        // The corrupted entry is never the first (a duplicate needs one before it).
        let bad = 1 + which.index(titles.len() - 1);
        let mut file = String::from("% generated\n@string{jn = {Journal of Things}}\n\n");
        for (i, title) in titles.iter().enumerate() {
            file.push_str(&entry(i, title, (i == bad).then_some(corruption)));
        }
        let c = corpus::parse("generated.bib", file.as_bytes()).unwrap();
        let keys: Vec<String> = c.papers.iter().map(|p| p.key.clone().unwrap()).collect();
        let expected: Vec<String> = (0..titles.len()).filter(|&i| i != bad).map(|i| format!("k{i}")).collect();
        prop_assert_eq!(&keys, &expected, "{:?} in\n{}", corruption, file);
        prop_assert_eq!(c.skipped.len(), 1, "{:?}", c.skipped);
        let named = match corruption {
            Corruption::NoKey => format!("#{}", bad + 1),
            Corruption::DuplicateKey => format!("k{}", bad - 1),
            _ => format!("k{bad}"),
        };
        prop_assert_eq!(&c.skipped[0].entry, &named);
        for (p, i) in c.papers.iter().zip((0..titles.len()).filter(|&i| i != bad)) {
            prop_assert_eq!(&p.authors, &vec![format!("First Last{i}"), "A. Other".to_string()]);
            prop_assert_eq!(p.venue.as_deref(), Some("Journal of Things"));
        }
    }
}
