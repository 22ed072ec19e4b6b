//! Snippet: a text and the tokens that matched → highlighted text segments.
//!
//! Highlights leave Rust as a list of `{ text, hit }` segments, never as offsets: Rust's byte
//! offsets are not JavaScript's UTF-16 indices once a title has `α` or `é`, and segments let
//! the page build `<mark>` nodes with `textContent` and no index arithmetic.

use std::ops::Range;

use serde::Serialize;

/// Most tokens an abstract snippet shows.
pub const SNIPPET_TOKENS: usize = 36;

/// Tokens of context a snippet tries to show before its first match.
const LEAD: usize = 4;

/// Marks text left out at either end of a snippet.
pub const ELLIPSIS: &str = "…";

/// A run of text that either matched the query (`hit`) or did not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

/// Which matched term a word of the text is (`Some(id)`: any number naming the term), or
/// `None`. Words are given by their spans, in text order.
pub type Match = Option<u32>;

/// The whole of `text` as segments, marking the words at `spans` whose `hits` entry is a match.
pub fn highlight(text: &str, spans: &[Range<usize>], hits: &[Match]) -> Vec<Segment> {
    segments(text, spans, hits, 0..spans.len(), 0, text.len())
}

/// The window of at most `max_tokens` tokens of `text` that holds the most distinct matched
/// terms (then the most matches; then the earliest), as segments, with an ellipsis segment
/// where text is left out. With no match, the start of the text.
pub fn snippet(text: &str, spans: &[Range<usize>], hits: &[Match], max_tokens: usize) -> Vec<Segment> {
    let n = spans.len();
    let w = max_tokens.max(1).min(n.max(1));
    if n <= w {
        return highlight(text, spans, hits);
    }
    let mut best = (0, 0, 0); // (distinct terms, matches, start)
    let mut counts: Vec<(u32, usize)> = Vec::new(); // matched term → occurrences in the window
    let (mut distinct, mut matches) = (0, 0);
    for end in 0..n {
        if let Some(term) = hits[end] {
            matches += 1;
            match counts.iter_mut().find(|(t, _)| *t == term) {
                Some((_, c)) => {
                    *c += 1;
                    if *c == 1 {
                        distinct += 1;
                    }
                }
                None => {
                    counts.push((term, 1));
                    distinct += 1;
                }
            }
        }
        if end >= w {
            if let Some(term) = hits[end - w] {
                matches -= 1;
                if let Some((_, c)) = counts.iter_mut().find(|(t, _)| *t == term) {
                    *c -= 1;
                    if *c == 0 {
                        distinct -= 1;
                    }
                }
            }
        }
        if end + 1 >= w {
            let start = end + 1 - w;
            if (distinct, matches) > (best.0, best.1) {
                best = (distinct, matches, start);
            }
        }
    }
    // Show a little context before the first match when that loses no match at the end.
    let mut start = best.2;
    let first_hit = (start..start + w).find(|&i| hits[i].is_some()).unwrap_or(start);
    let mut shift = LEAD.saturating_sub(first_hit - start).min(start);
    while shift > 0 && hits[start + w - shift..start + w].iter().any(Option::is_some) {
        shift -= 1;
    }
    start -= shift;
    let end = start + w;
    let from = if start == 0 { 0 } else { spans[start].start };
    let to = if end == n { text.len() } else { spans[end - 1].end };
    // The ellipses are segments of their own, so every other segment is verbatim text.
    let mut out = Vec::new();
    if start > 0 {
        out.push(Segment { text: ELLIPSIS.to_string(), hit: false });
    }
    out.extend(segments(text, spans, hits, start..end, from, to));
    if end < n {
        out.push(Segment { text: ELLIPSIS.to_string(), hit: false });
    }
    out
}

/// Segments of `text[from..to]`, marking the words in `range` that matched.
fn segments(
    text: &str,
    spans: &[Range<usize>],
    hits: &[Match],
    range: Range<usize>,
    from: usize,
    to: usize,
) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut at = from;
    for i in range {
        if hits[i].is_none() {
            continue;
        }
        let span = &spans[i];
        push(&mut out, &text[at..span.start], false);
        push(&mut out, &text[span.clone()], true);
        at = span.end;
    }
    push(&mut out, &text[at..to], false);
    out
}

/// Appends text, merging it into the last segment when the flag is the same.
fn push(out: &mut Vec<Segment>, text: &str, hit: bool) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(last) if last.hit == hit => last.text.push_str(text),
        _ => out.push(Segment { text: text.to_string(), hit }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::Analyzer;

    fn marked(segments: &[Segment]) -> String {
        segments.iter().map(|s| if s.hit { format!("[{}]", s.text) } else { s.text.clone() }).collect()
    }

    /// The spans of `text`'s words and which of `terms` each is.
    fn matches(text: &str, terms: &[&str]) -> (Vec<Range<usize>>, Vec<Match>) {
        let tokens = Analyzer::new().tokens(text);
        let spans = tokens.iter().map(|t| t.span.clone()).collect();
        let hits = tokens.iter().map(|t| terms.iter().position(|q| *q == t.term).map(|i| i as u32)).collect();
        (spans, hits)
    }

    fn run(text: &str, query_terms: &[&str], max: usize) -> String {
        let (spans, hits) = matches(text, query_terms);
        marked(&snippet(text, &spans, &hits, max))
    }

    #[test]
    fn highlights_whole_words_in_non_ascii_text() {
        let text = "Über die Königsberger Brücken: König's α Grokking";
        let (spans, hits) = matches(text, &["konig", "grokk"]);
        let segs = highlight(text, &spans, &hits);
        assert_eq!(marked(&segs), "Über die Königsberger Brücken: [König]'s α [Grokking]");
        assert_eq!(segs.iter().map(|s| s.text.as_str()).collect::<String>(), text);
    }

    #[test]
    fn short_text_is_shown_whole() {
        assert_eq!(run("Linear bandits are fun.", &["bandit"], 10), "Linear [bandits] are fun.");
    }

    #[test]
    fn window_goes_where_most_distinct_terms_are() {
        let text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho";
        assert_eq!(run(text, &["kappa", "lambda"], 5), "…eta theta iota [kappa] [lambda]…");
        assert_eq!(run(text, &["alpha"], 4), "[alpha] beta gamma delta…");
    }

    #[test]
    fn ellipses_are_segments_of_their_own() {
        let text = "alpha beta gamma delta epsilon zeta";
        let (spans, hits) = matches(text, &["gamma"]);
        let segs = snippet(text, &spans, &hits, 2);
        assert_eq!(segs.first().map(|s| s.text.as_str()), Some(ELLIPSIS));
        assert_eq!(segs.last().map(|s| s.text.as_str()), Some(ELLIPSIS));
        assert!(segs.iter().all(|s| s.text == ELLIPSIS || text.contains(&s.text)));
    }

    #[test]
    fn no_match_shows_the_start() {
        assert_eq!(run("one two three four five", &[], 2), "one two…");
    }

    #[test]
    fn last_window_keeps_the_final_punctuation() {
        assert_eq!(run("aa bb cc dd ee.", &["ee"], 3), "…cc dd [ee].");
    }
}
