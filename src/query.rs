//! Query: what a person typed → the words to look up.
//!
//! The query goes through the same analyzer as the corpus. While a person types, the last word
//! is usually unfinished, so unless the query ends in a space it also matches as a prefix
//! (`grokk` finds `grokking`, `neural tang` finds `tangent kernel`). Stop words are left out
//! when the query has other words, and kept when it has nothing else.

use crate::analyze::{self, Analyzer};

/// Most words of a query that are looked up; the rest are ignored and the result says so.
pub const MAX_WORDS: usize = 32;

/// One word of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    /// Folded form, matched against the word dictionary (prefixes).
    pub word: String,
    /// Stemmed form, matched against the term dictionary.
    pub term: String,
    /// The word may be unfinished: it also matches words that start with it.
    pub prefix: bool,
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub words: Vec<QueryWord>,
    /// Whether words past [`MAX_WORDS`] were dropped.
    pub truncated: bool,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// Parses a query. Never fails: text with no words is an empty query.
///
/// # Example
///
/// ```
/// use paper_search::{analyze::Analyzer, query};
/// let q = query::parse("the neural tang", &Analyzer::new());
/// let words: Vec<(&str, bool)> = q.words.iter().map(|w| (w.word.as_str(), w.prefix)).collect();
/// assert_eq!(words, [("neural", false), ("tang", true)]);
/// ```
pub fn parse(text: &str, analyzer: &Analyzer) -> Query {
    let mut tokens = analyzer.tokens(text);
    let open_end = tokens.last().is_some_and(|t| t.span.end == text.len());
    let truncated = tokens.len() > MAX_WORDS;
    tokens.truncate(MAX_WORDS);
    let last = tokens.len().saturating_sub(1);
    let mut words: Vec<QueryWord> = tokens
        .into_iter()
        .enumerate()
        .map(|(i, t)| QueryWord { word: t.word, term: t.term, prefix: open_end && !truncated && i == last })
        .collect();
    if words.iter().any(|w| !analyze::is_stop_word(&w.word)) {
        words.retain(|w| w.prefix || !analyze::is_stop_word(&w.word));
    }
    let mut seen = std::collections::HashSet::new();
    words.retain(|w| seen.insert((w.term.clone(), w.prefix)));
    Query { words, truncated }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Vec<(String, bool)> {
        parse(text, &Analyzer::new()).words.into_iter().map(|w| (w.word, w.prefix)).collect()
    }

    fn owned(words: &[(&str, bool)]) -> Vec<(String, bool)> {
        words.iter().map(|&(w, p)| (w.to_string(), p)).collect()
    }

    #[test]
    fn last_word_is_a_prefix_until_a_space_follows() {
        assert_eq!(parsed("neural tang"), owned(&[("neural", false), ("tang", true)]));
        assert_eq!(parsed("neural tang "), owned(&[("neural", false), ("tang", false)]));
        assert_eq!(parsed("grokk."), owned(&[("grokk", false)]));
    }

    #[test]
    fn stop_words_are_dropped_unless_alone() {
        assert_eq!(parsed("the theory of everything "), owned(&[("theory", false), ("everything", false)]));
        assert_eq!(
            parsed("to be or not to be "),
            owned(&[("to", false), ("be", false), ("or", false), ("not", false)])
        );
        assert_eq!(parsed("of the "), owned(&[("of", false), ("the", false)]));
    }

    #[test]
    fn punctuation_and_whitespace_are_empty() {
        assert!(parse("", &Analyzer::new()).is_empty());
        assert!(parse("  \t\n", &Analyzer::new()).is_empty());
        assert!(parse("?!… -- ()", &Analyzer::new()).is_empty());
    }

    #[test]
    fn long_queries_are_cut_and_say_so() {
        let text = "word ".repeat(MAX_WORDS + 5) + "end";
        let q = parse(&text, &Analyzer::new());
        assert!(q.truncated);
        assert_eq!(q.words.len(), 1, "repeated words collapse to one");
        let distinct: String = (0..MAX_WORDS + 3).map(|i| format!("w{i} ")).collect();
        let q = parse(&distinct, &Analyzer::new());
        assert_eq!((q.words.len(), q.truncated), (MAX_WORDS, true));
    }
}
