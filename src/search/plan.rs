//! Planning: the parsed query → clauses of alternatives, each word bound to the dictionary
//! terms it matches (with their document frequencies) and the alternatives the corpus defines.
//!
//! A plan is the query's recipe, bound once to the index's dictionary: scoring reads only the
//! plan and the postings of its terms, and highlighting only the plan's terms
//! ([`Plan::match_ids`]). Planning reads the dictionary shards of the query's words and
//! nothing else.

use std::collections::HashMap;
use std::ops::Range;

use crate::analyze::{self, Analyzer};
use crate::index::{Field, View};
use crate::query::{Clause, Phrase, Query, QueryWord};
use crate::snippet;

use super::expand::{Expander, TermMatch};
use super::features::Features;

/// Weight of an acronym's long form matched for the acronym, or the other way round.
pub const ACRONYM_WEIGHT: f32 = 0.9;

/// A planned query.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub clauses: Vec<ClausePlan>,
    /// How many clauses the query has once the corpus's alternatives are merged in, those that
    /// match nothing included (what a paper's share of the query is counted against).
    pub asked: usize,
    /// The query with each correction made ("did you mean"), when a word matched only
    /// through typo tolerance.
    pub suggestion: Option<String>,
}

/// One clause of the query: a paper scores by its best alternative.
#[derive(Debug, Clone)]
pub(super) struct ClausePlan {
    pub alternatives: Vec<AltPlan>,
    pub field: Option<Field>,
    pub required: bool,
}

/// One alternative of a clause: words that must all match, with their term matches.
#[derive(Debug, Clone)]
pub(super) struct AltPlan {
    pub words: Vec<Vec<TermMatch>>,
    pub weight: f32,
    /// Whether a paper must match every word to score (quoted phrases, long forms); otherwise
    /// each matched word adds its score, as for separate words.
    pub all_words: bool,
    /// For a quoted phrase, the stems that must appear adjacent and in order: per word, the
    /// stems it accepts (one, but for an unfinished last word: also the terms it expands to).
    pub phrase: Option<Vec<Vec<String>>>,
}

/// The plan's terms, each with the id of the query word it matched for (a term two words
/// matched counts for the first): what a hit's text is marked with.
#[derive(Debug, Clone, Default)]
pub(super) struct MatchIds {
    /// Each term's id, always `Some` (of the type highlighting caches its stemmed words in:
    /// one hash map's code in the wasm, not two).
    pub terms: HashMap<String, snippet::Match>,
    /// How many distinct query words the terms match for.
    pub words: usize,
    /// How many ids there are (some may have no terms of their own).
    pub ids: usize,
}

impl MatchIds {
    /// The bit that stands for `term` in a per-paper set of matched words: 0 when it has no id
    /// or an id past 63, which a `u64` cannot hold.
    pub fn bit(&self, term: &str) -> u64 {
        self.terms.get(term).copied().flatten().filter(|&id| id < 64).map_or(0, |id| 1u64 << id)
    }
}

impl Plan {
    /// The ids of the query's words (the words of a clause's alternatives share its ids by
    /// position: an acronym and the first word of its long form, say) and their terms.
    pub fn match_ids(&self) -> MatchIds {
        let mut by_word: Vec<Vec<&str>> = Vec::new();
        for clause in &self.clauses {
            let base = by_word.len();
            for alt in &clause.alternatives {
                for (i, word) in alt.words.iter().enumerate() {
                    if by_word.len() <= base + i {
                        by_word.resize_with(base + i + 1, Vec::new);
                    }
                    by_word[base + i].extend(word.iter().map(|m| m.term.as_str()));
                }
            }
        }
        let ids = by_word.len();
        let mut terms: HashMap<String, snippet::Match> = HashMap::new();
        let mut words = 0;
        for (id, word_terms) in (0u32..).zip(by_word) {
            let before = terms.len();
            for term in word_terms {
                terms.entry(term.to_string()).or_insert(Some(id));
            }
            words += usize::from(terms.len() > before);
        }
        MatchIds { terms, words, ids }
    }
}

/// Turns the parsed query into term matches, adding the alternatives the corpus defines, and
/// the "did you mean" text when a word matched only through typo tolerance.
pub(super) fn plan(ix: &View, analyzer: &Analyzer, features: Features, query: &Query, text: &str) -> Plan {
    let mut corrections: Vec<(Range<usize>, String)> = Vec::new();
    let mut expander = Expander::new(ix, analyzer, features);
    let mut plans = Vec::new();
    let clauses = with_corpus_alternatives(ix, analyzer, features, &query.clauses);
    for (clause, extra) in &clauses {
        // A stop word after other words counts only unfinished (`learning the` may become
        // `learning theory`); finished, it is left out: as typed, all it matches (the long
        // forms of an acronym it may be, `NO`, included) only adds papers below the others.
        // Within a compound (`make-up`) it is kept finished, so it counts as typed too.
        let stop_last = clause.single_word().is_some_and(|w| {
            features.finished_first && w.prefix && clauses.len() > 1 && analyze::is_stop_word(&w.word)
        });
        let mut alternatives = Vec::new();
        for phrase in &clause.alternatives {
            let mut words = Vec::new();
            for w in &phrase.words {
                let (mut matches, correction) = expander.expand(w);
                if let Some(c) = correction {
                    corrections.push((w.span.clone(), c));
                }
                if stop_last {
                    matches.iter_mut().for_each(|m| m.completion = true);
                }
                words.push(matches);
            }
            let phrase_terms = phrase.quoted.then(|| {
                let mut terms = Vec::new();
                for (w, matches) in phrase.words.iter().zip(&words) {
                    let mut accepted = vec![w.term.clone()];
                    if w.prefix {
                        accepted.extend(matches.iter().map(|m| m.term.clone()));
                    }
                    terms.push(accepted);
                }
                terms
            });
            alternatives.push(AltPlan { words, weight: 1.0, all_words: phrase.quoted, phrase: phrase_terms });
        }
        for long in extra.iter().filter(|long| features.acronyms && !long.is_empty()) {
            let words: Vec<Vec<TermMatch>> =
                long.iter().map(|m| vec![TermMatch { completion: stop_last, ..m.clone() }]).collect();
            // Averaged over its words, a long form fills one word's place, as the acronym it
            // stands for would.
            let weight = ACRONYM_WEIGHT / words.len() as f32;
            alternatives.push(AltPlan { words, weight, all_words: true, phrase: None });
        }
        // An alternative that needs a word nothing matches cannot score.
        alternatives.retain(|a| {
            if a.all_words {
                a.words.iter().all(|w| !w.is_empty())
            } else {
                a.words.iter().any(|w| !w.is_empty())
            }
        });
        if alternatives.is_empty() && !clause.required {
            continue;
        }
        plans.push(ClausePlan { alternatives, field: clause.field, required: clause.required });
    }
    let suggestion = (!corrections.is_empty()).then(|| corrected(text, corrections));
    Plan { clauses: plans, asked: clauses.len(), suggestion }
}

/// `text` with its corrections made. From the end, so earlier spans stay valid (of two from one
/// place, the shorter first); a span overlapping one already replaced (a compound and its part)
/// is left as typed. A few corrections at most: picked one by one, not sorted.
fn corrected(text: &str, mut corrections: Vec<(Range<usize>, String)>) -> String {
    let mut out = text.to_string();
    let mut limit = out.len();
    let last =
        |c: &Vec<(Range<usize>, String)>| (0..c.len()).max_by_key(|&i| (c[i].0.start, std::cmp::Reverse(c[i].0.end)));
    while let Some(i) = last(&corrections) {
        let (span, word) = corrections.swap_remove(i);
        if span.end <= limit {
            limit = span.start;
            out.replace_range(span, &word);
        }
    }
    out
}

/// The clauses with the alternatives the corpus defines: a run of words that is an acronym's
/// long form becomes one clause that the acronym also fills; an acronym gains its long forms;
/// two words that the corpus also writes as one (`fine tuning`, `finetuning`) become one clause
/// that the joined word also fills. Extra alternatives are lists of terms.
fn with_corpus_alternatives(
    ix: &View,
    analyzer: &Analyzer,
    features: Features,
    clauses: &[Clause],
) -> Vec<(Clause, Vec<Vec<TermMatch>>)> {
    let mut out: Vec<(Clause, Vec<Vec<TermMatch>>)> = Vec::new();
    let mut i = 0;
    while i < clauses.len() {
        // The longest run of plain words, from here, that is a long form.
        let run: Vec<&QueryWord> = clauses[i..].iter().map_while(|c| c.single_word()).take(8).collect();
        let mut merged = false;
        let longest = if features.acronyms { run.len() } else { 1 };
        for len in (2..=longest).rev() {
            let terms: Vec<&str> = run[..len].iter().map(|w| w.term.as_str()).collect();
            if let Some(acronym) = ix.acronym_of(&terms) {
                let words: Vec<QueryWord> = run[..len].iter().map(|w| (*w).clone()).collect();
                out.push((plain_words(words), vec![vec![TermMatch::exact(acronym)]]));
                i += len;
                merged = true;
                break;
            }
        }
        if merged {
            continue;
        }
        // An unfinished second word joins only if it is a word itself, read as finished.
        let finished = !run.get(1).is_some_and(|w| w.prefix)
            || (features.finished_first && run.get(1).is_some_and(|w| ix.word(&w.word).is_some()));
        if features.compounds && run.len() >= 2 && finished {
            let joined = format!("{}{}", run[0].word, run[1].word);
            if let Some(ord) = ix.word(&joined) {
                let term = analyzer.stem(&joined);
                if let Some(known) = ix.term_with_freq(&term).filter(|&(o, _)| o == ord) {
                    let words = vec![run[0].clone(), run[1].clone()];
                    out.push((plain_words(words), vec![vec![TermMatch::exact((&term, known.0, known.1))]]));
                    i += 2;
                    continue;
                }
            }
        }
        let clause = clauses[i].clone();
        let extra = match clause.single_word() {
            Some(w) => {
                ix.long_forms(&w.term).into_iter().map(|f| f.into_iter().map(TermMatch::exact).collect()).collect()
            }
            None => Vec::new(),
        };
        out.push((clause, extra));
        i += 1;
    }
    out
}

/// A clause of words that each add their score, in no field.
fn plain_words(words: Vec<QueryWord>) -> Clause {
    Clause { alternatives: vec![Phrase { words, quoted: false }], field: None, required: false }
}
