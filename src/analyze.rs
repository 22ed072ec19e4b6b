//! Analyze: text → tokens. The one analyzer of paper-search.
//!
//! `build.rs` compiles this very file (through `#[path]`) to index the corpus, and the query
//! side calls it on what people type, so both sides always agree on what a word is. Any change
//! to the output of [`tokens`] must bump [`ANALYZER_VERSION`]: the index header records it and
//! the reader refuses an index written by another analyzer.
//!
//! A token goes through these steps:
//!
//! 1. **Split** on anything that is not a letter or a digit. Apostrophes inside a word are
//!    dropped (`don't` → `dont`) and a possessive `'s` ends the word (`Arjovsky's` →
//!    `arjovsky`). LaTeX accent commands left in scraped text are read as the accent they
//!    stand for (`K\"onig` is one word, `König`).
//! 2. **Fold**: Unicode compatibility decomposition (NFKD), combining marks dropped (so `König`,
//!    `K\"onig` and `Konig` are all `konig`), lower case, and a few letters that do not
//!    decompose spelled out (`ß` → `ss`, `æ` → `ae`, `ø` → `o`, ...). The folded form is the
//!    token's [`Token::word`]; prefix and typo matching work on it. The decomposition comes
//!    from a table generated from the `unicode-normalization` crate for the blocks papers use
//!    (Latin, Greek, Cyrillic, ligatures, full-width forms, letter-like and mathematical
//!    symbols; see [`FOLD_BLOCKS`]): the crate's own tables cost 48 KB of brotli'd wasm, this
//!    one about 5 KB. Other characters are only lower-cased.
//! 3. **Stem** with the Snowball English stemmer: [`Token::term`] is what the inverted index
//!    stores (`networks` → `network`).
//!
//! Stop words are kept in the index; [`is_stop_word`] lets the query side leave them out of
//! scoring when a query has other words, so they neither dominate scores nor make a query of
//! only stop words return nothing.

use std::ops::{ControlFlow, Range};

use rust_stemmers::{Algorithm, Stemmer};

/// Version of the analyzer's output, recorded in the index header.
pub const ANALYZER_VERSION: u32 = 4;

// British spellings stemmed as American ones (`src/variants.rs`), beside this file so that
// `build.rs`, which compiles this file by path, finds it too.
#[path = "variants.rs"]
pub mod variants;

/// Most parts of a hyphenated compound that are also indexed joined (`state-of-the-art` is
/// four parts; longer chains are rare and would only add noise).
pub const MAX_COMPOUND_PARTS: usize = 4;

/// Longest word, in bytes after folding, that is indexed; longer runs (base64 blobs, DNA
/// strings) are cut to this length so that one token cannot blow up the term dictionary.
pub const MAX_WORD_BYTES: usize = 64;

/// One word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Folded surface form: `König` → `konig`, `Grokking` → `grokking`.
    pub word: String,
    /// Stemmed form of `word`, the unit of the inverted index: `learned` → `learn`.
    pub term: String,
    /// Byte range of the word in the analyzed text (UTF-8 boundaries of the original text).
    pub span: Range<usize>,
    /// A hyphenated compound's parts joined (`fine-tuning` → `finetuning`), emitted after its
    /// parts and spanning them all; phrase matching skips these.
    pub joined: bool,
}

/// One word of a text, folded but not stemmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub span: Range<usize>,
    pub joined: bool,
}

/// The analyzer: holds the stemmer so that callers analyzing many texts create it once.
pub struct Analyzer {
    stemmer: Stemmer,
}

impl Default for Analyzer {
    fn default() -> Self {
        Self::new()
    }
}

impl Analyzer {
    /// An English analyzer.
    pub fn new() -> Self {
        Analyzer { stemmer: Stemmer::create(Algorithm::English) }
    }

    /// Splits, folds and stems `text` into tokens, in text order.
    ///
    /// # Example
    ///
    /// ```
    /// use paper_search::analyze::Analyzer;
    /// let terms: Vec<String> =
    ///     Analyzer::new().tokens("K\\\"onig's Grokking").into_iter().map(|t| t.term).collect();
    /// assert_eq!(terms, ["konig", "grokk"]);
    /// ```
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        words(text)
            .into_iter()
            .map(|w| Token { term: self.stem(&w.text), word: w.text, span: w.span, joined: w.joined })
            .collect()
    }

    /// Stems one folded word, after writing a British spelling the American way
    /// ([`variants::american`]: `optimisation` and `optimization` are one term).
    pub fn stem(&self, word: &str) -> String {
        // The stemmer is written for letters; words with digits (`3d`, `gpt4`) stay as they are.
        if word.chars().any(|c| c.is_ascii_digit()) {
            word.to_string()
        } else {
            self.stemmer.stem(&variants::american(word)).into_owned()
        }
    }
}

/// Splits and folds `text` into words with their byte spans, without stemming: the plain
/// words, with LaTeX command names left out, and after each hyphenated compound its parts
/// joined into one word.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    scan(text, |w, span, joined| {
        out.push(Word { text: w.to_string(), span, joined });
        ControlFlow::Continue(())
    });
    out
}

/// Calls `emit(folded word, span, joined)` for each word of `text`, in the order of [`words`],
/// folding into one reused buffer: the analyzer without an allocation per word, for callers
/// that keep few of the words (highlighting).
///
/// When `emit` breaks, the scan still finishes the hyphenated compound it is in (its remaining
/// parts, then the joined word), so that a caller that stops early has seen every word that
/// refers back to the words it kept; then it stops.
pub fn scan(text: &str, mut emit: impl FnMut(&str, Range<usize>, bool) -> ControlFlow<()>) {
    // The hyphenated run the last words belong to: its parts joined, how many, its span.
    let mut run = String::new();
    let mut parts = 0;
    let mut run_span = 0..0;
    let mut stopping = false;
    fn flush_run(run: &mut String, parts: &mut usize, span: Range<usize>, emit: &mut WordSink) -> ControlFlow<()> {
        let mut flow = ControlFlow::Continue(());
        if (2..=MAX_COMPOUND_PARTS).contains(parts) {
            truncate_to_boundary(run, MAX_WORD_BYTES);
            flow = emit(run, span, true);
        }
        run.clear();
        *parts = 0;
        flow
    }
    let _ = split(text, |w, span| {
        if is_latex_command(text, w, &span) {
            return ControlFlow::Continue(());
        }
        let linked = parts > 0 && is_hyphen(&text[run_span.end..span.start]);
        if !linked {
            stopping |= flush_run(&mut run, &mut parts, run_span.clone(), &mut emit).is_break();
            if stopping {
                return ControlFlow::Break(());
            }
            run_span = span.start..span.start;
        }
        // A word starts a compound only if a hyphen follows it: most words are never copied.
        if parts < MAX_COMPOUND_PARTS && (parts > 0 || starts_with_hyphen(&text[span.end..])) {
            run.push_str(w);
        }
        parts += 1;
        run_span.end = span.end;
        stopping |= emit(w, span, false).is_break();
        ControlFlow::Continue(())
    });
    let _ = flush_run(&mut run, &mut parts, run_span, &mut emit);
}

/// What [`scan`] calls with each word: `(folded word, span, joined)`.
type WordSink<'a> = dyn FnMut(&str, Range<usize>, bool) -> ControlFlow<()> + 'a;

/// Whether `rest` starts with a hyphen that could join two words.
fn starts_with_hyphen(rest: &str) -> bool {
    rest.starts_with(['-', '\u{2010}', '\u{2011}'])
}

/// Whether the text between two words makes them one hyphenated compound.
fn is_hyphen(between: &str) -> bool {
    matches!(between, "-" | "\u{2010}" | "\u{2011}")
}

/// LaTeX command names that lost their backslash in scraping (`mathcal{O}`, `widetilde O`):
/// markup, not words. Dropped always.
const LATEX_MARKUP: &[&str] = &[
    "mathbb",
    "mathbf",
    "mathcal",
    "mathit",
    "mathrm",
    "mathsf",
    "operatorname",
    "overline",
    "textbf",
    "textit",
    "textrm",
    "widehat",
    "widetilde",
];

/// Short LaTeX commands that are also ordinary words or letters: dropped only where the text
/// shows a command (`\le`, `tilde{x}`).
const LATEX_COMMANDS: &[&str] =
    &["bar", "cdot", "emph", "frac", "ge", "geq", "hat", "le", "leq", "pm", "sqrt", "text", "tilde", "times"];

/// Whether the word at `span` is a LaTeX command name rather than a word.
///
/// This runs on every word of every highlighted abstract, so it compares as little as it can:
/// the markup names are 6 to 12 bytes and start with `m`, `o`, `t` or `w`; the short commands
/// are 2 to 5 bytes and only count after a backslash or before a brace. Slice equality checks
/// the length before any byte.
fn is_latex_command(text: &str, word: &str, span: &Range<usize>) -> bool {
    match word.len() {
        6..=12 => matches!(word.as_bytes()[0], b'm' | b'o' | b't' | b'w') && LATEX_MARKUP.contains(&word),
        2..=5 => {
            let bytes = text.as_bytes();
            (span.start.checked_sub(1).and_then(|i| bytes.get(i)) == Some(&b'\\') || bytes.get(span.end) == Some(&b'{'))
                && LATEX_COMMANDS.contains(&word)
        }
        _ => false,
    }
}

/// Splits and folds `text` into plain words, calling `emit` with each and its byte span, until
/// `emit` breaks.
fn split(text: &str, mut emit: impl FnMut(&str, Range<usize>) -> ControlFlow<()>) -> ControlFlow<()> {
    let bytes = text.as_bytes();
    let char_at = |i: usize| text.get(i..).and_then(|rest| rest.chars().next());
    let mut word = String::new();
    let mut start = 0;
    let mut end = 0;

    let mut flush = |word: &mut String, start: usize, end: usize| {
        let mut flow = ControlFlow::Continue(());
        if !word.is_empty() {
            truncate_to_boundary(word, MAX_WORD_BYTES);
            flow = emit(word, start..end);
            word.clear();
        }
        flow
    };

    // `i` is always on a char boundary.
    let mut i = 0;
    while i < bytes.len() {
        // A run of ASCII letters and digits, most of any text, folds in one step.
        let run = bytes[i..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if run > 0 {
            if word.is_empty() {
                start = i;
            }
            let from = word.len();
            word.push_str(&text[i..i + run]);
            word[from..].make_ascii_lowercase();
            i += run;
            end = i;
            continue;
        }
        let Some(c) = char_at(i) else { break };
        let next = i + c.len_utf8();
        if c.is_alphanumeric() {
            if word.is_empty() {
                start = i;
            }
            fold_char(c, &mut word);
            end = next;
            i = next;
            continue;
        }
        // A LaTeX accent command (`\"o`, `\'{e}`) stands for an accented letter: skip it and
        // keep reading the word.
        if c == '\\' {
            if let Some(skip) = latex_accent_len(&text[next..]) {
                if word.is_empty() {
                    start = i;
                }
                i = next + text[next..].chars().take(skip).map(char::len_utf8).sum::<usize>();
                continue;
            }
        }
        // A brace closing a LaTeX accent group (`\"{o}nig`) does not end the word.
        if c == '}'
            && !word.is_empty()
            && end == i
            && closes_accent_group(&text[..i])
            && char_at(next).is_some_and(char::is_alphanumeric)
        {
            i = next;
            continue;
        }
        if (c == '\'' || c == '\u{2019}') && !word.is_empty() && end == i {
            let mut ahead = text[next..].chars();
            match ahead.next() {
                // Possessive: `Arjovsky's` is `arjovsky`.
                Some('s') if ahead.next().is_none_or(|n| !n.is_alphanumeric()) => {
                    flush(&mut word, start, end)?;
                    i = next + 1;
                    continue;
                }
                // Contraction: `don't` is `dont`.
                Some(n) if n.is_alphanumeric() => {
                    i = next;
                    continue;
                }
                _ => {}
            }
        }
        flush(&mut word, start, end)?;
        i = next;
    }
    flush(&mut word, start, end)
}

/// Folds one word the same way [`words`] folds text (for callers holding a single word).
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// Whether a folded word is an English stop word: a word so common that it says nothing
/// about what a paper is about.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// English stop words (sorted: looked up by binary search).
const STOP_WORDS: &[&str] = &[
    "a", "about", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "being", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "each", "for", "from", "had", "has", "have", "having",
    "how", "i", "if", "in", "into", "is", "it", "its", "itself", "may", "more", "most", "much", "must", "no", "nor",
    "not", "of", "on", "only", "or", "other", "our", "ours", "over", "same", "shall", "should", "so", "some", "such",
    "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through",
    "to", "too", "under", "until", "up", "upon", "us", "very", "via", "was", "we", "were", "what", "when", "where",
    "whether", "which", "while", "who", "whom", "why", "will", "with", "within", "without", "would", "yet", "you",
    "your",
];

/// Appends the folded form of `c` to `out`.
#[inline(always)]
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else {
        fold_non_ascii(c, out);
    }
}

fn fold_non_ascii(c: char, out: &mut String) {
    let c32 = u32::from(c);
    // The last run that starts at or before `c`, if `c` falls inside it.
    let run = FOLD.partition_point(|&(first, _)| first <= c32).checked_sub(1).map(|i| FOLD[i]);
    match run.filter(|&(first, packed)| c32 - first < packed >> FOLD_LEN_SHIFT) {
        Some((first, packed)) => {
            let to = packed & FOLD_TO_MASK;
            let to = if packed & FOLD_STEP != 0 { to + (c32 - first) } else { to };
            match char::from_u32(to) {
                Some(to) => out.push(to),
                None => out.push_str(FOLD_STRINGS.get((to - FOLD_STRING_BASE) as usize).copied().unwrap_or("")),
            }
        }
        None if c.is_alphanumeric() => out.extend(c.to_lowercase()),
        None => {}
    }
}

/// How a [`FOLD`] run packs its length, whether its folded forms step with its chars, and its
/// first folded form (a char, or `FOLD_STRING_BASE + i`).
const FOLD_LEN_SHIFT: u32 = 24;
const FOLD_STEP: u32 = 1 << 23;
const FOLD_TO_MASK: u32 = FOLD_STEP - 1;

/// The Unicode blocks whose characters [`FOLD`] covers (inclusive ranges): the scripts and
/// symbols paper text is written in. A character outside them is only lower-cased.
#[allow(dead_code)] // read by the tests that generate and check the table
const FOLD_BLOCKS: &[(u32, u32)] = &[
    (0x0080, 0x02FF),   // Latin-1 Supplement, Latin Extended-A and -B, IPA, modifier letters
    (0x0300, 0x036F),   // combining diacritical marks
    (0x0370, 0x03FF),   // Greek
    (0x0400, 0x052F),   // Cyrillic
    (0x1D00, 0x1DFF),   // phonetic extensions, combining marks supplement
    (0x1E00, 0x1FFF),   // Latin Extended Additional, Greek Extended
    (0x2000, 0x24FF),   // punctuation, super- and subscripts, letter-like symbols, number forms, enclosed
    (0xFB00, 0xFB4F),   // ligatures (`ﬁ` → `fi`)
    (0xFF00, 0xFFEF),   // full-width forms
    (0x1D400, 0x1D7FF), // mathematical letters and digits (`𝐱` → `x`)
];

// FOLD, FOLD_STRINGS and FOLD_STRING_BASE: generated from `FOLD_BLOCKS` by the test
// `fold_table_is_current` below.
include!("fold_table.rs");

/// If `rest` (the text after a backslash) starts with a LaTeX accent command applied to a
/// letter (`"o`, `'{e}`, `^a`), returns how many chars to skip to reach the letter.
fn latex_accent_len(rest: &str) -> Option<usize> {
    let mut it = rest.chars();
    let accent = it.next()?;
    if !is_latex_accent(accent) {
        return None;
    }
    match it.next()? {
        // Letter accents (`\c c`, `\v s`) need a brace or a space; `\cite` must not match.
        '{' if it.next()?.is_alphabetic() => Some(2),
        n if n.is_alphabetic() && !accent.is_alphabetic() => Some(1),
        _ => None,
    }
}

/// Whether `before` (the text up to a `}`) ends with `\X{c`: a LaTeX accent group on one letter.
fn closes_accent_group(before: &str) -> bool {
    let mut back = before.chars().rev();
    match (back.next(), back.next(), back.next(), back.next()) {
        (Some(letter), Some('{'), Some(accent), Some('\\')) => letter.is_alphabetic() && is_latex_accent(accent),
        _ => false,
    }
}

/// The characters that follow a backslash in a LaTeX accent command (`\"o`, `\c{c}`).
fn is_latex_accent(c: char) -> bool {
    matches!(c, '"' | '\'' | '`' | '^' | '~' | '=' | '.' | 'c' | 'v' | 'u' | 'H')
}

/// Cuts `s` to at most `max` bytes on a char boundary.
fn truncate_to_boundary(s: &mut String, max: usize) {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`FOLD`] stands for: compatibility decomposition, combining marks dropped, the
    /// letters that do not decompose spelled out, letters and digits kept, lower case.
    #[cfg(not(target_arch = "wasm32"))]
    fn reference_fold(c: char) -> String {
        use unicode_normalization::char::{decompose_compatible, is_combining_mark};
        let mut out = String::new();
        decompose_compatible(c, |d| match d {
            d if is_combining_mark(d) => {}
            'ß' | 'ẞ' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
            'þ' | 'Þ' => out.push_str("th"),
            'ı' => out.push('i'),
            // Decomposition can yield non-word characters (`½` → `1⁄2`); keep letters and digits.
            d if d.is_alphanumeric() => out.extend(d.to_lowercase()),
            _ => {}
        });
        out
    }

    /// What `fold_char` gives a character the table does not list.
    #[cfg(not(target_arch = "wasm32"))]
    fn plain_fold(c: char) -> String {
        if c.is_alphanumeric() {
            c.to_lowercase().collect()
        } else {
            String::new()
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn block_chars() -> impl Iterator<Item = char> {
        FOLD_BLOCKS.iter().flat_map(|&(first, last)| (first..=last).filter_map(char::from_u32))
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn render_fold_table() -> String {
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut strings: Vec<String> = Vec::new();
        for c in block_chars() {
            let folded = reference_fold(c);
            if folded == plain_fold(c) {
                continue;
            }
            let mut it = folded.chars();
            let to = match (it.next(), it.next()) {
                (Some(one), None) => u32::from(one),
                _ => {
                    let i = strings.iter().position(|s| *s == folded).unwrap_or_else(|| {
                        strings.push(folded.clone());
                        strings.len() - 1
                    });
                    FOLD_STRING_BASE + i as u32
                }
            };
            pairs.push((u32::from(c), to));
        }
        // Runs of consecutive chars whose folded forms are one and the same (`À`..`Å` → `a`) or
        // step with them (`𝐀`..`𝐙` → `a`..`z`).
        let mut runs: Vec<(u32, u32, u32, bool)> = Vec::new(); // first, length, first folded form, steps
        for (c, to) in pairs {
            if let Some(run) = runs.last_mut() {
                let (first, len, start, steps) = *run;
                let next = c == first + len && len < 255;
                if next && len == 1 && to == start + 1 && to < FOLD_STRING_BASE {
                    *run = (first, 2, start, true);
                    continue;
                }
                if next && ((!steps && to == start) || (steps && to == start + len && to < FOLD_STRING_BASE)) {
                    run.1 += 1;
                    continue;
                }
            }
            runs.push((c, 1, to, false));
        }
        let rows: Vec<String> = runs
            .iter()
            .map(|&(first, len, to, steps)| {
                format!("(0x{first:X}, 0x{:X}),", len << FOLD_LEN_SHIFT | if steps { FOLD_STEP } else { 0 } | to)
            })
            .collect();
        let mut out = String::from(
            "// @generated by the test `analyze::tests::fold_table_is_current` from the unicode-normalization\n\
             // crate; to regenerate: UPDATE_FOLD_TABLE=1 cargo test --lib fold_table. Do not edit.\n\n\
             /// The characters of `FOLD_BLOCKS` whose folded form is not just their lower case, as runs\n\
             /// sorted by first char: `(first char, packed)`, where `packed` holds the run's length from\n\
             /// bit 24, bit 23 when the folded forms step with the chars, and below it the first folded\n\
             /// form: a char, or `FOLD_STRING_BASE + i` for `FOLD_STRINGS[i]`.\n",
        );
        out.push_str(&format!("static FOLD: [(u32, u32); {}] = [\n", rows.len()));
        for chunk in rows.chunks(5) {
            out.push_str(&format!("    {}\n", chunk.join(" ")));
        }
        out.push_str("];\n\n/// Where the indices of `FOLD_STRINGS` start: above every char.\n");
        out.push_str("const FOLD_STRING_BASE: u32 = 0x11_0000;\n\n/// Folded forms longer than one char.\n");
        out.push_str(&format!("static FOLD_STRINGS: [&str; {}] = [\n", strings.len()));
        for chunk in strings.chunks(10) {
            let quoted: Vec<String> = chunk.iter().map(|s| format!("{s:?},")).collect();
            out.push_str(&format!("    {}\n", quoted.join(" ")));
        }
        out.push_str("];\n");
        out
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn fold_table_is_current() {
        let expected = render_fold_table();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/fold_table.rs");
        if std::env::var_os("UPDATE_FOLD_TABLE").is_some() {
            std::fs::write(path, &expected).unwrap();
        }
        let found = std::fs::read_to_string(path).unwrap();
        assert!(
            found == expected,
            "src/fold_table.rs is stale; regenerate it with UPDATE_FOLD_TABLE=1 cargo test --lib fold_table"
        );
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn table_folds_every_block_char_like_the_decomposition() {
        for c in block_chars() {
            let mut out = String::new();
            fold_char(c, &mut out);
            assert_eq!(out, reference_fold(c), "U+{:04X} {c}", u32::from(c));
        }
    }

    /// `split` as first written, one char at a time: the definition the fast path of ASCII
    /// runs must agree with.
    #[cfg(not(target_arch = "wasm32"))]
    fn split_char_by_char(text: &str, mut emit: impl FnMut(&str, Range<usize>)) {
        let mut chars = text.char_indices().peekable();
        let mut word = String::new();
        let mut start = 0;
        let mut end = 0;

        let mut flush = |word: &mut String, start: usize, end: usize| {
            if !word.is_empty() {
                truncate_to_boundary(word, MAX_WORD_BYTES);
                emit(word, start..end);
                word.clear();
            }
        };

        while let Some((i, c)) = chars.next() {
            if c.is_alphanumeric() {
                if word.is_empty() {
                    start = i;
                }
                fold_char(c, &mut word);
                end = i + c.len_utf8();
                continue;
            }
            // A LaTeX accent command (`\"o`, `\'{e}`) stands for an accented letter: skip it and
            // keep reading the word.
            if c == '\\' {
                let rest = &text[i + 1..];
                if let Some(skip) = latex_accent_len(rest) {
                    if word.is_empty() {
                        start = i;
                    }
                    for _ in 0..skip {
                        chars.next();
                    }
                    continue;
                }
            }
            // A brace closing a LaTeX accent group (`\"{o}nig`) does not end the word.
            if c == '}'
                && !word.is_empty()
                && end == i
                && closes_accent_group(&text[..i])
                && chars.peek().is_some_and(|&(_, next)| next.is_alphanumeric())
            {
                continue;
            }
            if (c == '\'' || c == '\u{2019}') && !word.is_empty() && end == i {
                let mut ahead = chars.clone();
                match ahead.next() {
                    // Possessive: `Arjovsky's` is `arjovsky`.
                    Some((_, 's')) if ahead.peek().is_none_or(|&(_, n)| !n.is_alphanumeric()) => {
                        chars.next();
                        flush(&mut word, start, end);
                        continue;
                    }
                    // Contraction: `don't` is `dont`.
                    Some((_, n)) if n.is_alphanumeric() => continue,
                    _ => {}
                }
            }
            flush(&mut word, start, end);
        }
        flush(&mut word, start, end);
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn split_agrees_with_the_char_by_char_definition(
            text in "([a-zA-Z0-9]{1,6}|[ \\-'’{}\\\\\"^~.=`cvuHs]|[äöüßÆŁı½ﬁ𝐱한\u{301}\u{2019}]){0,40}"
        ) {
            let mut fast = Vec::new();
            let _ = split(&text, |w, span| {
                fast.push((w.to_string(), span));
                ControlFlow::Continue(())
            });
            let mut slow = Vec::new();
            split_char_by_char(&text, |w, span| slow.push((w.to_string(), span)));
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn characters_outside_the_blocks_are_only_lower_cased() {
        assert_eq!(fold("한국어"), "한국어");
        assert_eq!(fold("ÅNGSTRÖM"), "angstrom");
        assert_eq!(fold("𝐱ﬁ²"), "xfi2");
    }

    fn terms(text: &str) -> Vec<String> {
        Analyzer::new().tokens(text).into_iter().map(|t| t.term).collect()
    }

    fn folded(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn diacritics_fold_three_ways_to_one_word() {
        assert_eq!(folded("König"), ["konig"]);
        assert_eq!(folded("K\\\"onig"), ["konig"]);
        assert_eq!(folded("Konig"), ["konig"]);
        assert_eq!(folded("K\\\"{o}nig"), ["konig"]);
        assert_eq!(folded("Erdős café naïve"), ["erdos", "cafe", "naive"]);
    }

    #[test]
    fn letters_without_decomposition_are_spelled_out() {
        assert_eq!(folded("Straße Æther Øresund Łódź"), ["strasse", "aether", "oresund", "lodz"]);
    }

    #[test]
    fn case_folds_and_compatibility_forms_normalize() {
        assert_eq!(folded("GROKKING ﬁne Ｆｕｌｌ"), ["grokking", "fine", "full"]);
    }

    #[test]
    fn stems_english_words() {
        assert_eq!(terms("Grokking networks learned"), ["grokk", "network", "learn"]);
        assert_eq!(terms("minimization minimizes"), ["minim", "minim"]);
    }

    #[test]
    fn words_with_digits_are_not_stemmed() {
        assert_eq!(terms("3D GPT4s 2.5le"), ["3d", "gpt4s", "2", "5le"]);
    }

    #[test]
    fn splits_on_punctuation_and_math() {
        assert_eq!(folded("3<z<10"), ["3", "z", "10"]);
        assert_eq!(folded("x_i^2 + y"), ["x", "i", "2", "y"]);
    }

    #[test]
    fn hyphenated_compounds_are_also_indexed_joined() {
        assert_eq!(folded("fine-tuning works"), ["fine", "tuning", "finetuning", "works"]);
        assert_eq!(folded("Bi-Level"), ["bi", "level", "bilevel"]);
        assert_eq!(folded("state-of-the-art"), ["state", "of", "the", "art", "stateoftheart"]);
        assert_eq!(folded("a-b-c-d-e"), ["a", "b", "c", "d", "e"], "too many parts: no joined word");
        assert_eq!(folded("fine - tuning"), ["fine", "tuning"], "spaced dash is not a hyphen");
        let joined = &words("fine-tuning")[2];
        assert_eq!((joined.span.clone(), joined.joined), (0..11, true));
    }

    #[test]
    fn latex_command_names_are_not_words() {
        assert_eq!(folded("mathcal{O}(sqrt{T}) regret"), ["o", "t", "regret"]);
        assert_eq!(folded("widetilde O(d)"), ["o", "d"]);
        assert_eq!(folded("2.5\\le z, le bar"), ["2", "5", "z", "le", "bar"]);
        assert!(LATEX_MARKUP.windows(2).all(|w| w[0] < w[1]) && LATEX_COMMANDS.windows(2).all(|w| w[0] < w[1]));
        for name in LATEX_MARKUP.iter().chain(LATEX_COMMANDS) {
            assert!(
                is_latex_command("x", name, &(0..0)) || LATEX_COMMANDS.contains(name),
                "{name} passes the quick check"
            );
            assert!(is_latex_command(&format!("{name}{{"), name, &(0..name.len())), "{name}");
        }
    }

    #[test]
    fn apostrophes_join_contractions_and_end_possessives() {
        assert_eq!(folded("don't Arjovsky's model’s"), ["dont", "arjovsky", "model"]);
        assert_eq!(folded("'quoted'"), ["quoted"]);
    }

    #[test]
    fn latex_commands_that_are_not_accents_split_words() {
        assert_eq!(folded("\\cite{x} a\\\\b"), ["cite", "x", "a", "b"]);
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let text = "Über K\\\"onig’s α-test";
        let spans: Vec<&str> = words(text).into_iter().map(|w| &text[w.span]).collect();
        assert_eq!(spans, ["Über", "K\\\"onig", "α", "test", "α-test"]);
    }

    #[test]
    fn long_runs_are_cut_on_a_char_boundary() {
        let long = "é".repeat(100);
        let w = &folded(&long)[0];
        assert!(w.len() <= MAX_WORD_BYTES);
        assert_eq!(w, &"e".repeat(MAX_WORD_BYTES));
    }

    #[test]
    fn stop_word_list_is_sorted_and_lowercase() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stop_word("the") && is_stop_word("of") && !is_stop_word("network"));
    }

    #[test]
    fn fold_matches_words_on_a_single_word() {
        assert_eq!(fold("Kö"), "ko");
    }
}
