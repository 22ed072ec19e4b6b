//! Expansion: one query word → the dictionary terms it matches, each with a weight.
//!
//! A word matches its own stem; an unfinished last word also the words it begins (prefix
//! matching, through the index's prefix table or a walk of the dictionary); a word the
//! dictionary lacks the nearest words within a small edit distance (typo tolerance, whose
//! nearest word is the "did you mean" correction); a rare word also a far more frequent
//! neighbour one edit away. Each term carries its document frequency as the dictionary gave
//! it, so that scoring needs only the term's postings.

use crate::analyze::Analyzer;
use crate::index::{max_prefix_terms, TermOrd, TopTerms, View, PREFIX_TABLE_MAX_CHARS};
use crate::query::QueryWord;

use super::features::Features;

/// Weight of a word that matches the query's unfinished last word only as a prefix
/// (`tang` → `tangent`), relative to an exact match.
pub const PREFIX_WEIGHT: f32 = 0.8;

/// Weight of a match a few edits from a word the dictionary lacks (`grokkign` → `grokking`).
pub const TYPO_WEIGHT: f32 = 0.7;

/// Most dictionary words a misspelled word expands to (the most frequent are kept).
pub const MAX_TYPO_TERMS: usize = 8;

/// Most papers a word may be in for its frequent neighbour to be looked for too.
pub const RARE_DOC_FREQ: u32 = 2;

/// How many times more papers a rare word's neighbour must be in to be looked for too.
pub const NEIGHBOUR_RATIO: u32 = 20;

/// Longest word, in chars, that typo tolerance tries to correct.
pub const MAX_TYPO_CHARS: usize = 16;

/// Most words of one query that typo tolerance tries to correct (the first ones), so that a
/// query of many unknown words costs no more than a few dictionary scans.
pub const MAX_TYPO_WORDS: usize = 4;

/// Edits allowed when matching a word the dictionary lacks: none for short words, where one
/// edit reaches too many others, and none past [`MAX_TYPO_CHARS`]: a long word the corpus
/// lacks is rarely a misspelling of one it has, and its distances cost the most to compute.
pub fn typo_distance(word: &str) -> u32 {
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        8..=MAX_TYPO_CHARS => 2,
        _ => 0,
    }
}

/// A dictionary term a query word matches, with the weight of that match.
#[derive(Debug, Clone)]
pub(super) struct TermMatch {
    pub ord: TermOrd,
    pub term: String,
    pub weight: f32,
    /// How many papers contain the term, as the dictionary said when the term was found (so
    /// that scoring needs only the term's postings).
    pub doc_freq: u32,
    /// A completion of an unfinished word that is a word itself: it adds the papers nothing
    /// else in the query finds, ranked below every paper that something does.
    pub completion: bool,
}

impl TermMatch {
    /// A match of weight 1 for a term known with its ordinal and document frequency.
    pub fn exact((term, ord, doc_freq): (&str, TermOrd, u32)) -> Self {
        TermMatch { ord, term: term.to_string(), weight: 1.0, doc_freq, completion: false }
    }
}

/// Expands the words of one query: it keeps the query's budget of typo corrections
/// ([`MAX_TYPO_WORDS`]).
pub(super) struct Expander<'s, 'v> {
    ix: &'s View<'v>,
    analyzer: &'s Analyzer,
    features: Features,
    typo_budget: usize,
}

impl<'s, 'v> Expander<'s, 'v> {
    pub fn new(ix: &'s View<'v>, analyzer: &'s Analyzer, features: Features) -> Self {
        Expander { ix, analyzer, features, typo_budget: MAX_TYPO_WORDS }
    }

    /// The terms a query word matches: its own stem; for an unfinished word, the terms of the
    /// dictionary words it begins; for a word the dictionary lacks, those of the nearest words
    /// (and that nearest word, as a correction to suggest).
    pub fn expand(&mut self, word: &QueryWord) -> (Vec<TermMatch>, Option<String>) {
        let ix = self.ix;
        let mut out = Vec::new();
        let misses = ix.misses();
        if let Some((ord, doc_freq)) = ix.term_with_freq(&word.term) {
            out.push(TermMatch::exact((&word.term, ord, doc_freq)));
        }
        let missed = ix.misses() > misses;
        // An unfinished word longer than the prefix table's keys is expanded by walking its
        // range of the dictionary: without the word's own shard the walk is still asked for,
        // so that its shards come in the same round.
        if word.prefix && (!missed || word.word.chars().count() > PREFIX_TABLE_MAX_CHARS) {
            let have: Vec<TermOrd> = out.iter().map(|m| m.ord).collect();
            let found = ix.prefix_terms(&word.word, &have, max_prefix_terms(word.word.chars().count()));
            // The word typed is a word of the corpus: the words it begins rank below it.
            let completion = self.features.finished_first && !out.is_empty() && ix.word(&word.word).is_some();
            out.extend(self.term_matches(found, PREFIX_WEIGHT, completion));
        }
        if missed {
            // Without the word's shard of the dictionary, whether it needs correcting is unknown.
            return (out, None);
        }
        if !out.is_empty() {
            return self.with_frequent_neighbour(word, out);
        }
        let distance = typo_distance(&word.word);
        if distance == 0 || !self.features.typos || self.typo_budget == 0 {
            return (out, None);
        }
        self.typo_budget -= 1;
        // The nearest words only: one edit away if there are any, else two. Looking one edit
        // away first is the same answer, found sooner: the walk within one edit prunes far
        // more of the dictionary than the walk within two.
        let mut found = Vec::new();
        for d in 1..=distance {
            found = ix.words_near(&word.word, d, word.prefix);
            if !found.is_empty() {
                break;
            }
        }
        let nearest = found.iter().map(|f| f.distance).min();
        let near: Vec<_> = found.into_iter().filter(|f| Some(f.distance) == nearest).collect();
        // An unfinished word near whole words (`learnig`: `learning`) is their misspelling: the
        // words that only begin with one (`learningrate`) are completions of the correction.
        let (whole, begun): (Vec<_>, Vec<_>) = near.iter().partition(|n| n.whole_distance <= n.distance);
        let split = self.features.finished_first && word.prefix && !whole.is_empty();
        let firsts = if split { &whole } else { &near.iter().collect() };
        let correction =
            firsts.iter().max_by(|a, b| a.doc_freq.cmp(&b.doc_freq).then(b.word.cmp(&a.word))).map(|n| n.word.clone());
        let mut top = TopTerms::new(ix.term_count(), &[], MAX_TYPO_TERMS);
        firsts.iter().for_each(|n| top.offer(&n.word, n.ord, n.doc_freq));
        let picked = top.finish();
        let have: Vec<TermOrd> = picked.iter().map(|p| p.1).collect();
        out.extend(self.term_matches(picked, TYPO_WEIGHT, false));
        if split {
            let mut top = TopTerms::new(ix.term_count(), &have, MAX_TYPO_TERMS);
            begun.iter().for_each(|n| top.offer(&n.word, n.ord, n.doc_freq));
            out.extend(self.term_matches(top.finish(), TYPO_WEIGHT, true));
        }
        (out, correction)
    }

    /// A word the corpus holds in at most [`RARE_DOC_FREQ`] papers also matches the
    /// word one edit away that [`NEIGHBOUR_RATIO`] times as many papers hold, if there is one
    /// (the most frequent), as a typo: `optimisaton`'s one paper does not stop the search for
    /// `optimisation`. The neighbour is suggested.
    fn with_frequent_neighbour(
        &mut self,
        word: &QueryWord,
        mut out: Vec<TermMatch>,
    ) -> (Vec<TermMatch>, Option<String>) {
        let ix = self.ix;
        let Some(doc_freq) = out.first().filter(|m| m.weight == 1.0).map(|m| m.doc_freq) else { return (out, None) };
        // An unfinished word is looked at as a finished one only where it is a word itself.
        let as_finished = !word.prefix || (self.features.finished_first && ix.word(&word.word).is_some());
        if !self.features.rare_neighbours
            || !as_finished
            || doc_freq > RARE_DOC_FREQ
            || typo_distance(&word.word) == 0
            || self.typo_budget == 0
        {
            return (out, None);
        }
        self.typo_budget -= 1;
        let own = out[0].ord;
        let best = ix
            .words_near(&word.word, 1, false)
            .into_iter()
            .filter(|n| n.ord != own && n.doc_freq >= NEIGHBOUR_RATIO * doc_freq.max(1))
            .max_by(|a, b| a.doc_freq.cmp(&b.doc_freq).then(b.word.cmp(&a.word)));
        let Some(best) = best else { return (out, None) };
        let correction = best.word.clone();
        out.extend(self.term_matches(vec![(best.word, best.ord, best.doc_freq)], TYPO_WEIGHT, false));
        (out, Some(correction))
    }

    /// The matches of the picked words' terms. Stemming waits until the pick is made: a short
    /// prefix begins thousands of words.
    fn term_matches(&self, words: Vec<(String, TermOrd, u32)>, weight: f32, completion: bool) -> Vec<TermMatch> {
        words
            .into_iter()
            .map(|(w, ord, doc_freq)| TermMatch { ord, term: self.analyzer.stem(&w), weight, doc_freq, completion })
            .collect()
    }
}
