//! Highlighting: a hit's title and snippet as segments, with the words of the query's matched
//! terms marked.
//!
//! Built from the plan's terms ([`MatchIds`]) and, per paper, the query words its abstract
//! holds (which scoring read off the postings, [`super::score::Scored::in_abstract`]): a snippet
//! that shows all of them is settled, and the rest of the abstract is not read. A word of the
//! text is stemmed only if it shares its first chars with a matched term, and each word once per
//! query.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::ControlFlow;

use crate::analyze::{self, Analyzer};
use crate::index::{DocId, View};
use crate::snippet::{self, Segment, Snippet};

use super::plan::MatchIds;

/// How many leading chars of a word are compared with matched terms before stemming it.
const MATCH_PREFIX_CHARS: usize = 3;

/// The terms a query matched, for marking them in hits.
pub(super) struct Matched {
    ids: MatchIds,
    /// For each paper, the match ids whose terms its abstract holds (bit `id`), as its postings
    /// tell: a snippet that shows them all is settled.
    in_abstract: Vec<u64>,
    /// The first one, two and three chars of each term, sorted: a word that starts with none
    /// of them cannot stem to a matched term (stems keep a word's start), so it is not stemmed.
    starts: Vec<String>,
    /// The first bytes of `starts`: most words are ruled out by one look-up.
    first_bytes: [bool; 256],
    /// Words of the hits' texts already stemmed for this query, with what they matched: the
    /// same words come back in hit after hit, and stemming is the costly step.
    stemmed: RefCell<HashMap<String, snippet::Match>>,
}

impl Matched {
    /// The matched terms of a plan, and the query words each paper's abstract holds (empty when
    /// unknown: then every abstract may show every word).
    pub fn new(ids: MatchIds, in_abstract: Vec<u64>) -> Self {
        // Sorted by insertion: a query's terms are few, and a sort's code is large in the wasm.
        let mut starts: Vec<String> = Vec::new();
        for start in ids.terms.keys().map(|t| t.chars().take(MATCH_PREFIX_CHARS).collect::<String>()) {
            if let Err(at) = starts.binary_search(&start) {
                starts.insert(at, start);
            }
        }
        let mut first_bytes = [false; 256];
        for s in &starts {
            if let Some(&b) = s.as_bytes().first() {
                first_bytes[usize::from(b)] = true;
            }
        }
        Matched { ids, in_abstract, starts, first_bytes, stemmed: RefCell::default() }
    }

    /// Paper `doc`'s title, whole, and the best window of its abstract, both marked.
    pub fn segments(&self, ix: &View, analyzer: &Analyzer, doc: DocId) -> (Vec<Segment>, Vec<Segment>) {
        // A title is shown whole: a window it never fills.
        let title = self.mark(ix.title(doc), analyzer, usize::MAX, self.ids.words);
        let snippet = self.mark(ix.abstract_text(doc), analyzer, snippet::SNIPPET_TOKENS, self.wanted_in_abstract(doc));
        (title, snippet)
    }

    fn could_match(&self, word: &str) -> bool {
        if !word.as_bytes().first().is_some_and(|&b| self.first_bytes[usize::from(b)]) {
            return false;
        }
        word.char_indices()
            .take(MATCH_PREFIX_CHARS)
            .any(|(i, c)| self.starts.binary_search_by(|s| s.as_str().cmp(&word[..i + c.len_utf8()])).is_ok())
    }

    /// How many distinct query words a paper's abstract can show.
    fn wanted_in_abstract(&self, doc: DocId) -> usize {
        match self.in_abstract.get(doc as usize) {
            Some(found) if self.ids.ids <= 64 => found.count_ones() as usize,
            _ => self.ids.words,
        }
    }

    /// The matched term a word of a hit's text stems to, if any.
    fn word(&self, word: &str, analyzer: &Analyzer) -> snippet::Match {
        // Only words that share a start with a matched term can stem to it.
        if !self.could_match(word) {
            return None;
        }
        if let Some(&known) = self.stemmed.borrow().get(word) {
            return known;
        }
        let found = self.ids.terms.get(&analyzer.stem(word)).copied().flatten();
        self.stemmed.borrow_mut().insert(word.to_string(), found);
        found
    }

    /// `text` as segments with the tokens of matched terms marked (and the parts of a matched
    /// joined compound): the best window of `window` tokens, reading no further than needed
    /// to find a window that shows `wanted` distinct query words.
    fn mark(&self, text: &str, analyzer: &Analyzer, window: usize, wanted: usize) -> Vec<Segment> {
        let mut snippet = Snippet::new(window, wanted);
        analyze::scan(text, |word, span, joined| {
            let hit = self.word(word, analyzer);
            if joined {
                // A matched compound marks its parts, the words just before it.
                snippet.mark_parts(span.start, hit);
                return ControlFlow::Continue(());
            }
            snippet.push(span, hit)
        });
        snippet.finish(text)
    }
}

#[cfg(test)]
mod tests {
    use super::super::expand::TermMatch;
    use super::super::plan::{AltPlan, ClausePlan, Plan};
    use super::super::{Filters, SearchOptions, Searcher, Sort};
    use super::*;

    /// The match ids of a plan of one clause whose one alternative has a word per term.
    fn ids_of(terms: &[&str]) -> MatchIds {
        let words = terms.iter().map(|t| vec![TermMatch::exact((t, 0, 1))]).collect();
        let alt = AltPlan { words, weight: 1.0, all_words: false, phrase: None };
        let clauses = vec![ClausePlan { alternatives: vec![alt], field: None, required: false }];
        Plan { clauses, asked: 1, suggestion: None }.match_ids()
    }

    #[test]
    fn an_abstract_can_show_the_query_words_its_postings_name() {
        let matched = Matched::new(ids_of(&["alpha", "beta", "gamma", "beta"]), vec![0b101, 0]);
        // `beta` twice is one match id: three words can show.
        assert_eq!(matched.ids.words, 3);
        assert_eq!(matched.wanted_in_abstract(0), 2);
        assert_eq!(matched.wanted_in_abstract(1), 0);
        // A paper the bookkeeping did not cover could show them all.
        assert_eq!(matched.wanted_in_abstract(2), 3);
    }

    #[test]
    fn more_match_ids_than_bits_means_reading_the_whole_abstract() {
        // 70 words, so ids up to 69, of which only the first 10 have terms of their own: the
        // bits cannot hold ids past 63, so the abstract is not trusted to show fewer words.
        let terms: Vec<String> = (0..70).map(|i| format!("t{}", i % 10)).collect();
        let matched = Matched::new(ids_of(&terms.iter().map(String::as_str).collect::<Vec<_>>()), vec![0b1]);
        assert_eq!(matched.ids.words, 10);
        assert_eq!(matched.wanted_in_abstract(0), 10);
    }

    /// The snippet of `text` from all of its words, without stopping early.
    fn snippet_of_every_word(analyzer: &Analyzer, text: &str, matched: &Matched) -> Vec<Segment> {
        let mut snippet = Snippet::new(snippet::SNIPPET_TOKENS, matched.ids.words);
        analyze::scan(text, |word, span, joined| {
            let hit = matched.word(word, analyzer);
            if joined {
                snippet.mark_parts(span.start, hit);
            } else {
                let _ = snippet.push(span, hit);
            }
            ControlFlow::Continue(())
        });
        snippet.finish(text)
    }

    #[test]
    fn snippets_that_stop_reading_early_equal_those_of_every_word() {
        let s = Searcher::embedded().expect("the embedded index reads");
        let mix = include_str!("../../bench/queries-default.jsonl");
        let queries = mix.lines().filter_map(|l| l.split("\"q\":\"").nth(1)?.split('"').next()).chain([
            "fine-tuning",
            "fine tuning language",
            "LLM reasoning",
            "state of the art",
            "\"neural networks\"",
        ]);
        let mut compared = 0;
        let ix = s.index.view();
        for q in queries {
            let ranked = s.ranked(&ix, q, true, &Filters::default(), Sort::Relevance);
            let matched = ranked.matched_terms.as_ref().expect("highlighting");
            for hit in s.search(q, &SearchOptions::default()).hits {
                let text = ix.abstract_text(hit.id);
                assert_eq!(hit.snippet, snippet_of_every_word(&s.analyzer, text, matched), "{q}");
                compared += 1;
            }
        }
        assert!(compared > 1000, "{compared} snippets compared");
    }
}
