//! Query: what a person typed → clauses to look up.
//!
//! The syntax is the one search boxes taught everybody, and anything that does not parse is
//! searched as plain words:
//!
//! | syntax | meaning |
//! |---|---|
//! | `graph neural` | papers with any of the words, those with more of them first |
//! | `"exact phrase"` | only papers with these words in this order |
//! | `"a phrase still bei` | the phrase so far: a quote still open at the end of the query |
//! | `-word`, `-"a phrase"` | no paper that has it |
//! | `a OR b` | either word fills the same place in the query |
//! | `title:word`, `title:"a phrase"` | only papers with it in the title |
//! | `author:name` | only papers with it among the authors |
//! | `author:"Schrödinger, Erwin"` | a name written last name first reads as `Erwin Schrödinger` |
//! | `year:2021`, `year:2019-2021`, `year:>2020`, `year:<=2018` | only papers of those years |
//! | `venue:neurips`, `venue:"machine learning"` | only papers whose venue has these words (several: any of them) |
//! | `type:article`, `type:"conference paper"` | only papers of this kind of work (several: any of them) |
//!
//! The query goes through the same analyzer as the corpus. While a person types, the last word
//! is usually unfinished, so unless the query ends in a space it also matches as a prefix
//! (`grokk` finds `grokking`, `neural tang` finds `tangent kernel`). A hyphenated word matches
//! its parts or its parts joined (`fine-tuning` finds `fine tuning` and `finetuning`). Stop
//! words are left out when the query has other words, and kept when it has nothing else.

use std::ops::{Range, RangeInclusive};

use crate::analyze::{self, Analyzer, Token};
use crate::index::Field;

/// Most words of a query that are looked up; the rest are ignored and the result says so.
pub const MAX_WORDS: usize = 32;

/// One word of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    /// Folded form, matched against the word dictionary (prefixes, typos).
    pub word: String,
    /// Stemmed form, matched against the term dictionary.
    pub term: String,
    /// The word may be unfinished: it also matches words that start with it.
    pub prefix: bool,
    /// Where the word is in the query text (for "did you mean" suggestions).
    pub span: Range<usize>,
}

/// Words that must all match, for one alternative of a clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub words: Vec<QueryWord>,
    /// Written in quotes: the words must also be adjacent and in order.
    pub quoted: bool,
}

/// One place in the query: its alternatives (`a OR b`), any of which may fill it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub alternatives: Vec<Phrase>,
    /// Restricted to one field (`title:`, `author:`).
    pub field: Option<Field>,
    /// A paper without a match for this clause is not a result (quoted phrases and field
    /// restrictions); other clauses only add to the score.
    pub required: bool,
}

impl Clause {
    /// A clause of one plain word.
    fn word(w: QueryWord) -> Self {
        Clause { alternatives: vec![Phrase { words: vec![w], quoted: false }], field: None, required: false }
    }

    /// The word, if the clause is one plain word.
    pub fn single_word(&self) -> Option<&QueryWord> {
        match (&self.alternatives[..], self.field, self.required) {
            ([p], None, false) if p.words.len() == 1 && !p.quoted => p.words.first(),
            _ => None,
        }
    }
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub clauses: Vec<Clause>,
    /// Words or phrases no result may contain.
    pub excluded: Vec<Phrase>,
    /// Only papers of these years.
    pub years: Option<RangeInclusive<u16>>,
    /// Only papers whose venue has the words of one of these (`venue:`), as typed.
    pub venues: Vec<String>,
    /// Only papers of one of these kinds of work (`type:`), as typed.
    pub kinds: Vec<String>,
    /// Whether words past [`MAX_WORDS`] were dropped.
    pub truncated: bool,
    /// The spans of the text that say what is sought, in order, for a sentence model: the
    /// query without its excluded words, author and year filters and `OR`s, without quotes
    /// and field names.
    #[cfg(feature = "semantic")]
    pub meant: Vec<Range<usize>>,
}

impl Query {
    /// Nothing to score and nothing to filter by.
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty() && !self.filters()
    }

    /// Whether the query filters by a year, a venue or a type.
    pub fn filters(&self) -> bool {
        self.years.is_some() || !self.venues.is_empty() || !self.kinds.is_empty()
    }
}

/// A whitespace-separated piece of the query; quotes keep their spaces inside.
struct Chunk {
    span: Range<usize>,
}

fn chunks(text: &str) -> Vec<Chunk> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        while i < text.len() && text[i..].starts_with(char::is_whitespace) {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
        if i >= text.len() {
            break;
        }
        let start = i;
        while i < text.len() {
            let c = text[i..].chars().next().unwrap_or(' ');
            if c.is_whitespace() {
                break;
            }
            if c == '"' {
                // Jump to the closing quote, if there is one. A quote that opens the chunk (or
                // its value, after `-` or `field:`) and is never closed is a phrase still being
                // typed: it runs to the end. Any other lone quote is an ordinary char.
                if let Some(close) = text[i + 1..].find('"') {
                    i += close + 2;
                    continue;
                }
                if opens_value(&text[start..i]) {
                    i = text.len();
                    break;
                }
            }
            i += c.len_utf8();
        }
        out.push(Chunk { span: start..i });
    }
    out
}

/// Whether a quote after `before`, the start of its chunk, opens the chunk's value: it is
/// the chunk's first char, or follows `-` or a field's name and colon.
fn opens_value(before: &str) -> bool {
    let before = before.strip_prefix('-').unwrap_or(before);
    before.is_empty() || before.strip_suffix(':').is_some_and(|name| field_named(name).is_some() || filter_named(name))
}

/// Whether `name:` before a value filters by a venue or a type of work.
fn filter_named(name: &str) -> bool {
    ["venue", "type"].iter().any(|f| name.eq_ignore_ascii_case(f))
}

/// The field a `name:` before a value searches.
fn field_named(name: &str) -> Option<Field> {
    match name.to_ascii_lowercase().as_str() {
        "title" => Some(Field::Title),
        "author" | "authors" => Some(Field::Authors),
        _ => None,
    }
}

/// Parses a query. Never fails: text with no words is an empty query.
///
/// # Example
///
/// ```
/// use paper_search::{analyze::Analyzer, query};
/// let q = query::parse("the neural tang", &Analyzer::new());
/// let words: Vec<(&str, bool)> =
///     q.clauses.iter().filter_map(|c| c.single_word()).map(|w| (w.word.as_str(), w.prefix)).collect();
/// assert_eq!(words, [("neural", false), ("tang", true)]);
/// ```
pub fn parse(text: &str, analyzer: &Analyzer) -> Query {
    let mut q = Query::default();
    let chunks = chunks(text);
    let open_end = !text.ends_with(char::is_whitespace);
    let mut budget = MAX_WORDS;
    let mut pending_or = false;
    let last = chunks.len().saturating_sub(1);

    for (k, chunk) in chunks.iter().enumerate() {
        let raw = &text[chunk.span.clone()];
        let at = chunk.span.start;
        let may_prefix = open_end && k == last;
        if raw == "OR" && !q.clauses.is_empty() && k != last {
            pending_or = true;
            continue;
        }
        let (negated, body, body_at) = match raw.strip_prefix('-') {
            Some(rest) if !rest.is_empty() && !rest.starts_with('-') => (true, rest, at + 1),
            _ => (false, raw, at),
        };
        let (field, value, value_at) = match body.split_once(':') {
            Some((name, value)) if !value.is_empty() => match field_named(name) {
                Some(f) => (Some(f), value, body_at + name.len() + 1),
                None if name.eq_ignore_ascii_case("year") && !negated => match years(value) {
                    Some(range) => {
                        q.years = Some(range);
                        continue;
                    }
                    None => (None, body, body_at),
                },
                None if filter_named(name) && !negated => {
                    let value = value.trim_matches('"').trim();
                    if !value.is_empty() {
                        let list = if name.eq_ignore_ascii_case("venue") { &mut q.venues } else { &mut q.kinds };
                        list.push(value.to_string());
                    }
                    continue;
                }
                None => (None, body, body_at),
            },
            _ => (None, body, body_at),
        };
        // A phrase in quotes, or one whose quote is still open at the end of the query (its
        // last word may then be unfinished, as any last word).
        let closed = value.len() >= 2 && value.starts_with('"') && value.ends_with('"');
        let open = !closed && value.starts_with('"') && chunk.span.end == text.len();
        let quoted = closed || open;
        let inner = if closed {
            &value[1..value.len() - 1]
        } else if open {
            &value[1..]
        } else {
            value
        };
        let inner_at = if quoted { value_at + 1 } else { value_at };
        #[cfg(feature = "semantic")]
        if !negated && field != Some(Field::Authors) {
            q.meant.push(inner_at..inner_at + inner.len());
        }
        let mut tokens = analyzer.tokens(inner);
        if field == Some(Field::Authors) && inner.contains(',') {
            last_name_last(inner, &mut tokens);
        }
        for t in &mut tokens {
            t.span = t.span.start + inner_at..t.span.end + inner_at;
        }
        let chunk_end = chunk.span.end;
        let word = |t: &Token, prefix: bool| QueryWord {
            word: t.word.clone(),
            term: t.term.clone(),
            prefix: prefix && may_prefix && !closed && !negated && t.span.end == chunk_end,
            span: t.span.clone(),
        };

        if negated || quoted || field.is_some() {
            let words: Vec<QueryWord> = tokens.iter().filter(|t| !t.joined).map(|t| word(t, true)).collect();
            let words = take(&mut budget, words, &mut q.truncated);
            if words.is_empty() {
                continue;
            }
            let phrase = Phrase { quoted: quoted && words.len() > 1, words };
            if negated {
                q.excluded.push(phrase);
            } else {
                push(&mut q.clauses, &mut pending_or, Clause { alternatives: vec![phrase], field, required: true });
            }
            continue;
        }

        // Plain words; a hyphenated compound is one clause: its parts, or its parts joined.
        let mut plain: Vec<Clause> = Vec::new();
        for t in &tokens {
            if t.joined {
                let parts: Vec<Clause> = plain.split_off(
                    plain
                        .iter()
                        .position(|c| c.single_word().is_some_and(|w| w.span.start >= t.span.start))
                        .unwrap_or(plain.len()),
                );
                let parts: Vec<QueryWord> = parts.into_iter().filter_map(|c| c.single_word().cloned()).collect();
                let prefix = parts.last().is_some_and(|w| w.prefix);
                let joined = word(t, prefix);
                plain.push(Clause {
                    alternatives: vec![
                        Phrase { words: parts, quoted: false },
                        Phrase { words: vec![joined], quoted: false },
                    ],
                    field: None,
                    required: false,
                });
            } else {
                plain.push(Clause::word(word(t, true)));
            }
        }
        for clause in plain {
            let n = clause.alternatives[0].words.len();
            if budget < n {
                q.truncated = true;
                break;
            }
            budget -= n;
            push(&mut q.clauses, &mut pending_or, clause);
        }
    }

    // Stop words say nothing when the query has other words.
    let is_stop = |c: &Clause| c.single_word().is_some_and(|w| !w.prefix && analyze::is_stop_word(&w.word));
    if q.clauses.iter().any(|c| !is_stop(c)) {
        q.clauses.retain(|c| !is_stop(c));
    }
    // A word said twice counts once; said again unfinished (the last word), the first keeps
    // its place and is read as unfinished, so that a query ranks as it would finished.
    let words: Vec<Option<(String, bool)>> =
        q.clauses.iter().map(|c| c.single_word().map(|w| (w.term.clone(), w.prefix))).collect();
    let mut keep = vec![true; words.len()];
    for (i, (term, prefix)) in words.iter().enumerate().filter_map(|(i, w)| Some((i, w.as_ref()?))) {
        // A query has at most `MAX_WORDS` words: a scan of those before is cheap.
        let first = words[..i].iter().position(|w| w.as_ref().is_some_and(|(t, _)| t == term));
        if let Some(first) = first {
            keep[i] = false;
            if *prefix {
                if let Some(w) = q.clauses[first].alternatives[0].words.first_mut() {
                    w.prefix = true;
                }
            }
        }
    }
    let mut keep = keep.into_iter();
    q.clauses.retain(|_| keep.next().unwrap_or(true));
    q
}

/// A name written last name first (`Schrödinger, Erwin`, `King, Jr., Martin Luther`) in the
/// order papers write names: the part after the last comma, then the first, then the rest.
fn last_name_last(name: &str, tokens: &mut Vec<Token>) {
    let commas: Vec<usize> = name.match_indices(',').map(|(i, _)| i).collect();
    let part = |t: &Token| commas.iter().filter(|&&c| c < t.span.start).count();
    let last = commas.len();
    let order = |p: usize| if p == last { 0 } else { p + 1 };
    let by_part: Vec<(usize, Token)> = tokens.drain(..).map(|t| (order(part(&t)), t)).collect();
    // Few tokens: picked in order, with no sort's code.
    for wanted in 0..=last + 1 {
        tokens.extend(by_part.iter().filter(|(p, _)| *p == wanted).map(|(_, t)| t.clone()));
    }
}

/// Adds a clause, merging it into the previous one after an `OR`.
fn push(clauses: &mut Vec<Clause>, pending_or: &mut bool, clause: Clause) {
    if std::mem::take(pending_or) {
        if let Some(prev) = clauses.last_mut() {
            prev.alternatives.extend(clause.alternatives);
            prev.required &= clause.required;
            if prev.field != clause.field {
                prev.field = None;
            }
            return;
        }
    }
    clauses.push(clause);
}

/// Keeps as many words as the budget allows.
fn take(budget: &mut usize, mut words: Vec<QueryWord>, truncated: &mut bool) -> Vec<QueryWord> {
    if words.len() > *budget {
        words.truncate(*budget);
        *truncated = true;
    }
    *budget -= words.len();
    words
}

/// `2021`, `2019-2021`, `2019..2021`, `>2020`, `>=2020`, `<2020`, `<=2020`.
fn years(value: &str) -> Option<RangeInclusive<u16>> {
    let year = |s: &str| s.trim().parse::<u16>().ok();
    if let Some(v) = value.strip_prefix(">=") {
        return Some(year(v)?..=u16::MAX);
    }
    if let Some(v) = value.strip_prefix("<=") {
        return Some(1..=year(v)?);
    }
    if let Some(v) = value.strip_prefix('>') {
        return Some(year(v)?.checked_add(1)?..=u16::MAX);
    }
    if let Some(v) = value.strip_prefix('<') {
        return Some(1..=year(v)?.checked_sub(1)?);
    }
    if let Some((a, b)) = value.split_once("..").or_else(|| value.split_once('-')) {
        let (a, b) = (year(a)?, year(b)?);
        return (a <= b).then_some(a..=b);
    }
    year(value).map(|y| y..=y)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Query {
        parse(text, &Analyzer::new())
    }

    /// The query as a compact string: clauses separated by ` ; `, alternatives by ` | `,
    /// prefix words with `*`, quoted phrases in quotes, `!` for required, fields as `t:`/`a:`.
    fn shape(text: &str) -> String {
        let q = parsed(text);
        let phrase = |p: &Phrase| {
            let w: Vec<String> =
                p.words.iter().map(|w| format!("{}{}", w.word, if w.prefix { "*" } else { "" })).collect();
            if p.quoted {
                format!("\"{}\"", w.join(" "))
            } else {
                w.join(" ")
            }
        };
        let mut parts: Vec<String> = q
            .clauses
            .iter()
            .map(|c| {
                let f = match c.field {
                    Some(Field::Title) => "t:",
                    Some(Field::Authors) => "a:",
                    _ => "",
                };
                let alts: Vec<String> = c.alternatives.iter().map(phrase).collect();
                format!("{}{f}{}", if c.required { "!" } else { "" }, alts.join(" | "))
            })
            .collect();
        parts.extend(q.excluded.iter().map(|p| format!("-{}", phrase(p))));
        if let Some(y) = q.years {
            parts.push(format!("year {}..{}", y.start(), y.end()));
        }
        parts.extend(q.venues.iter().map(|v| format!("venue {v}")));
        parts.extend(q.kinds.iter().map(|k| format!("type {k}")));
        parts.join(" ; ")
    }

    #[test]
    fn venue_and_type_are_filters_not_words() {
        assert_eq!(shape("bandits venue:neurips "), "bandits ; venue neurips");
        assert_eq!(shape("venue:\"machine learning\" type:article"), "venue machine learning ; type article");
        assert_eq!(
            shape("type:\"conference paper\" venue:icml venue:NeurIPS"),
            "venue icml ; venue NeurIPS ; type conference paper"
        );
        assert_eq!(shape("-venue:icml x"), "x* ; -venue icml");
        assert!(parse("venue: ", &Analyzer::new()).venues.is_empty());
    }

    #[test]
    fn an_author_written_last_name_first_reads_first_name_first() {
        assert_eq!(shape("author:\"Schrödinger, Erwin\""), "!a:\"erwin schrodinger\"");
        assert_eq!(shape("author:\"King, Jr., Martin Luther\" "), "!a:\"martin luther king jr\"");
        assert_eq!(shape("author:\"Erwin Schrödinger\""), "!a:\"erwin schrodinger\"");
    }

    #[test]
    fn last_word_is_a_prefix_until_a_space_follows() {
        assert_eq!(shape("neural tang"), "neural ; tang*");
        assert_eq!(shape("neural tang "), "neural ; tang");
        assert_eq!(shape("grokk."), "grokk");
    }

    #[test]
    fn stop_words_are_dropped_unless_alone() {
        assert_eq!(shape("the theory of everything "), "theory ; everything");
        assert_eq!(shape("to be or not to be "), "to ; be ; or ; not");
        assert_eq!(shape("of the "), "of ; the");
    }

    #[test]
    fn quoted_phrases_are_required_and_ordered() {
        assert_eq!(shape("\"risk minimization\" invariance"), "!\"risk minimization\" ; invariance*");
        assert_eq!(shape("\"grokking\" x"), "!grokking ; x*");
    }

    #[test]
    fn a_quote_still_open_at_the_end_is_a_phrase_being_typed() {
        assert_eq!(shape("\"risk minim"), "!\"risk minim*\"");
        assert_eq!(shape("\"risk minimization "), "!\"risk minimization\"");
        assert_eq!(shape("bandits \"linear"), "bandits ; !linear*");
        assert_eq!(shape("title:\"linear band"), "!t:\"linear band*\"");
        assert_eq!(shape("graph -\"neural net"), "graph ; -\"neural net\"");
        assert_eq!(shape("graph \""), "graph");
    }

    #[test]
    fn other_lone_quotes_are_ordinary_chars() {
        assert_eq!(shape("x\"yz "), "x ; yz");
        assert_eq!(shape("K\\\"onig graph"), "konig ; graph*");
        // Not a field: the quote does not open a phrase that swallows the rest.
        assert_eq!(shape("see:\"x y -z"), "see ; x ; y ; -z");
    }

    #[test]
    fn exclusions_fields_and_years() {
        assert_eq!(shape("bandits -linear "), "bandits ; -linear");
        assert_eq!(shape("-\"neural network\" graph "), "graph ; -\"neural network\"");
        assert_eq!(shape("title:grokking author:Smith "), "!t:grokking ; !a:smith");
        assert_eq!(shape("title:\"linear bandits\" "), "!t:\"linear bandits\"");
        assert_eq!(shape("diffusion year:2019-2021 "), "diffusion ; year 2019..2021");
        assert_eq!(shape("year:>2020 "), "year 2021..65535");
    }

    #[test]
    fn what_does_not_parse_is_plain_words() {
        assert_eq!(shape("foo:bar "), "foo ; bar");
        assert_eq!(shape("year:soon "), "year ; soon");
        assert_eq!(shape("title: x "), "title ; x");
        assert_eq!(shape("- -- OR "), "or");
        assert_eq!(shape("a OR"), "or*");
    }

    #[test]
    fn or_joins_alternatives() {
        assert_eq!(shape("gan OR diffusion model "), "gan | diffusion ; model");
    }

    #[test]
    fn hyphenated_words_match_parts_or_joined() {
        assert_eq!(shape("fine-tuning llms "), "fine tuning | finetuning ; llms");
        assert_eq!(shape("bi-lev"), "bi lev* | bilev*");
    }

    #[test]
    fn punctuation_and_whitespace_are_empty() {
        for text in ["", "  \t\n", "?!… -- ()", "\"\"", "\"", "-", ":"] {
            assert!(parsed(text).clauses.is_empty(), "{text:?}");
        }
    }

    #[test]
    fn spans_point_into_the_query() {
        let text = "title:Grokking  -foo \"fine tuning\"";
        let q = parsed(text);
        let spans: Vec<&str> = q
            .clauses
            .iter()
            .flat_map(|c| &c.alternatives)
            .flat_map(|p| &p.words)
            .map(|w| &text[w.span.clone()])
            .collect();
        assert_eq!(spans, ["Grokking", "fine", "tuning"]);
    }

    #[test]
    fn long_queries_are_cut_and_say_so() {
        let distinct: String = (0..MAX_WORDS + 3).map(|i| format!("w{i} ")).collect();
        let q = parsed(&distinct);
        assert_eq!((q.clauses.len(), q.truncated), (MAX_WORDS, true));
        let text = "word ".repeat(MAX_WORDS + 5) + "end";
        let q = parsed(&text);
        assert!(q.truncated);
        assert_eq!(q.clauses.len(), 1, "repeated words collapse to one");
    }
}
