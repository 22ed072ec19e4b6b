//! Snippet: a text and the tokens that matched → highlighted text segments.
//!
//! Highlights leave Rust as a list of `{ text, hit }` segments, never as offsets: Rust's byte
//! offsets are not JavaScript's UTF-16 indices once a title has `α` or `é`, and segments let
//! the page build `<mark>` nodes with `textContent` and no index arithmetic.

use std::ops::{ControlFlow, Range};

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

/// An abstract's snippet, built from its words as the analyzer yields them: the earliest
/// window of at most `max_tokens` words that holds the most distinct matches (different query
/// words), moved to start [`LEAD`] words before its first match when that keeps all of its
/// matches, with an ellipsis segment where text is left out. With no match, the start of the
/// text.
///
/// [`Snippet::push`] says when later words can no longer change the snippet: once a window
/// holds every query word the text could match, no later window is better, so the rest of a
/// long abstract is not analyzed at all.
#[derive(Debug)]
pub struct Snippet {
    window: usize,
    wanted: usize,
    spans: Vec<Range<usize>>,
    hits: Vec<Match>,
    /// Matches in the last `window` words: each match id with its count.
    counts: Vec<(u32, usize)>,
    /// Words needed before the snippet is settled (`usize::MAX` until a window holds every
    /// wanted id).
    need: usize,
}

impl Snippet {
    /// A snippet of at most `max_tokens` words of a text that holds `wanted` distinct match
    /// ids. A `wanted` larger than the text's only costs reading it all; a smaller one would
    /// settle too soon.
    pub fn new(max_tokens: usize, wanted: usize) -> Self {
        let window = max_tokens.max(1);
        // With nothing to match, the snippet is the first words.
        let need = if wanted == 0 { window.saturating_add(1) } else { usize::MAX };
        Snippet { window, wanted, spans: Vec::new(), hits: Vec::new(), counts: Vec::new(), need }
    }

    /// Adds the next word of the text; `Break` once the snippet is settled.
    pub fn push(&mut self, span: Range<usize>, hit: Match) -> ControlFlow<()> {
        self.spans.push(span);
        self.hits.push(None);
        let last = self.hits.len() - 1;
        if last >= self.window {
            if let Some(id) = self.hits[last - self.window] {
                self.count(id, false);
            }
        }
        self.set(last, hit);
        if self.spans.len() >= self.need {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }

    /// Marks the words that start at or after byte `from` and have no match yet with `hit`:
    /// a matched hyphenated compound marks its parts, the words just before it.
    pub fn mark_parts(&mut self, from: usize, hit: Match) {
        if hit.is_none() {
            return;
        }
        let parts = self.spans.iter().rev().take_while(|s| s.start >= from).count();
        for i in self.spans.len() - parts..self.spans.len() {
            if self.hits[i].is_none() {
                self.set(i, hit);
            }
        }
    }

    /// Sets the match of word `i`, unmatched until now, and counts it if it is one of the last
    /// `window` words. When that completes the wanted ids, the snippet is settled a little
    /// after the last word (a compound's parts marked late can only make an earlier window
    /// complete, whose snippet needs no more words than this one's).
    fn set(&mut self, i: usize, hit: Match) {
        let Some(id) = hit else { return };
        self.hits[i] = hit;
        if self.hits.len() - i > self.window {
            return;
        }
        self.count(id, true);
        if self.need == usize::MAX && self.counts.len() == self.wanted {
            // The first window that holds every wanted id: it ends at the last word, and the
            // snippet starts [`LEAD`] words before its first match (or where its last match
            // still fits); the word after the snippet tells whether an ellipsis follows.
            let last = self.hits.len() - 1;
            let start = (last + 1).saturating_sub(self.window);
            let first = (start..=last).find(|&j| self.hits[j].is_some()).unwrap_or(last);
            let from = first.saturating_sub(LEAD).max(start);
            self.need = from.saturating_add(self.window).saturating_add(1);
        }
    }

    fn count(&mut self, id: u32, add: bool) {
        match self.counts.iter().position(|&(t, _)| t == id) {
            Some(at) if add => self.counts[at].1 += 1,
            Some(at) => {
                self.counts[at].1 -= 1;
                if self.counts[at].1 == 0 {
                    self.counts.swap_remove(at);
                }
            }
            None if add => self.counts.push((id, 1)),
            None => {}
        }
    }

    /// The snippet of `text`, whose words were pushed (all of them, or until `push` broke).
    pub fn finish(self, text: &str) -> Vec<Segment> {
        snippet(text, &self.spans, &self.hits, self.window)
    }
}

/// The snippet of [`Snippet`] over all of a text's words (or a prefix of them long enough to
/// settle it).
pub fn snippet(text: &str, spans: &[Range<usize>], hits: &[Match], max_tokens: usize) -> Vec<Segment> {
    let n = spans.len();
    let w = max_tokens.max(1);
    if n <= w {
        return highlight(text, spans, hits);
    }
    // The earliest window with the most distinct match ids.
    let mut best = (0, 0); // (distinct ids, start)
    let mut counts: Vec<(u32, usize)> = Vec::new();
    for end in 0..n {
        if let Some(id) = hits[end] {
            match counts.iter_mut().find(|(t, _)| *t == id) {
                Some((_, c)) => *c += 1,
                None => counts.push((id, 1)),
            }
        }
        if end >= w {
            if let Some(id) = hits[end - w] {
                if let Some(at) = counts.iter().position(|(t, _)| *t == id) {
                    counts[at].1 -= 1;
                    if counts[at].1 == 0 {
                        counts.swap_remove(at);
                    }
                }
            }
        }
        if end + 1 >= w && counts.len() > best.0 {
            best = (counts.len(), end + 1 - w);
        }
    }
    // Start a little before the first match, keeping every match of the window.
    let window = best.1..best.1 + w;
    let start = match (window.clone().find(|&i| hits[i].is_some()), window.clone().rev().find(|&i| hits[i].is_some())) {
        (Some(first), Some(last)) => first.saturating_sub(LEAD).max((last + 1).saturating_sub(w)).min(n - w),
        _ => 0,
    };
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
        // A term's id is its first position in `terms`, as a query numbers its words.
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
    fn a_match_gets_a_few_words_of_context_before_it() {
        let text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho";
        assert_eq!(run(text, &["iota"], 8), "…epsilon zeta eta theta [iota] kappa lambda mu…");
        assert_eq!(run(text, &["gamma"], 8), "alpha beta [gamma] delta epsilon zeta eta theta…");
    }

    #[test]
    fn the_earliest_window_with_the_most_query_words_wins() {
        let text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho";
        // `beta` and `mu` never share a window of 4; `beta` comes first.
        assert_eq!(run(text, &["beta", "mu", "beta"], 4), "alpha [beta] gamma delta…");
    }

    /// Pushes the words of `text` as [`crate::search`] does, stopping when the snippet says so.
    #[cfg(not(target_arch = "wasm32"))]
    fn streamed(text: &str, spans: &[Range<usize>], hits: &[Match], max: usize, wanted: usize) -> Vec<Segment> {
        let mut s = Snippet::new(max, wanted);
        for (span, hit) in spans.iter().zip(hits) {
            if s.push(span.clone(), *hit).is_break() {
                break;
            }
        }
        s.finish(text)
    }

    #[test]
    fn a_settled_snippet_stops_reading() {
        let text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho";
        let (spans, hits) = matches(text, &["beta"]);
        let mut s = Snippet::new(4, 1);
        let read =
            spans.iter().zip(&hits).take_while(|(span, hit)| s.push((*span).clone(), **hit).is_continue()).count();
        // `beta` at word 1: the snippet is words 0 to 3, and word 4 shows that more follows.
        assert_eq!(read, 4);
        assert_eq!(marked(&s.finish(text)), "alpha [beta] gamma delta…");
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn stopping_early_gives_the_snippet_of_the_whole_text(
            ids in proptest::collection::vec(proptest::option::weighted(0.15, 0u32..4), 0..120),
            wanted in 0usize..5,
            max in 1usize..40,
        ) {
            // Ids below `wanted` only, as a query's words number its matches.
            let hits: Vec<Match> = ids.into_iter().map(|h| h.filter(|&id| (id as usize) < wanted)).collect();
            let text: String = (0..hits.len()).map(|i| format!("w{i} ")).collect();
            let mut spans = Vec::new();
            let mut at = 0;
            for i in 0..hits.len() {
                let len = format!("w{i}").len();
                spans.push(at..at + len);
                at += len + 1;
            }
            proptest::prop_assert_eq!(
                streamed(&text, &spans, &hits, max, wanted),
                snippet(&text, &spans, &hits, max)
            );
        }
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
