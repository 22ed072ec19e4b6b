//! The phrase check: does a paper hold a phrase's terms adjacent and in order?
//!
//! One check for both builds. A sharded build answers it from the positions shards of the
//! phrase's terms (`PhrasePositions`), so that no candidate's text is fetched; an embedded build,
//! which keeps no positions, reads the candidate's text again. `tests/shards.rs` holds the two
//! answers equal.

#[cfg(missing_parts)]
use std::collections::HashMap;

use crate::analyze::Analyzer;
use crate::index::{DocId, Field, Slot, View};

/// A phrase to check papers for: per word, the stems it accepts (one, but for an unfinished
/// last word: also the terms it expands to).
pub(super) struct PhraseCheck<'p> {
    phrase: &'p [Vec<String>],
    /// The phrase's terms' positions, when the index keeps them (a sharded build).
    positions: Option<PhrasePositions>,
}

impl<'p> PhraseCheck<'p> {
    /// The check of `phrase`; in a sharded build this asks for the positions shards of its terms
    /// (noted by the view when they are not at hand).
    pub fn new(ix: &View, phrase: &'p [Vec<String>]) -> Self {
        PhraseCheck { phrase, positions: PhrasePositions::new(ix, phrase) }
    }

    /// Whether paper `doc` holds the phrase in one field (`field`, when given).
    pub fn holds(&self, ix: &View, analyzer: &Analyzer, doc: DocId, field: Option<Field>) -> bool {
        match &self.positions {
            Some(p) => p.holds(doc, field),
            None => field_texts(ix, doc, field).into_iter().any(|text| {
                let terms: Vec<String> =
                    analyzer.tokens(text).into_iter().filter(|t| !t.joined).map(|t| t.term).collect();
                terms.windows(self.phrase.len()).any(|w| w.iter().zip(self.phrase).all(|(t, ok)| ok.contains(t)))
            }),
        }
    }
}

/// The texts of a paper's fields (only `field`, when given).
pub(super) fn field_texts<'v>(ix: &View<'v>, doc: DocId, field: Option<Field>) -> Vec<&'v str> {
    let slot = |f: Field| match f {
        Field::Title => Slot::Title,
        Field::Abstract => Slot::Abstract,
        Field::Authors => Slot::Authors,
    };
    match field {
        Some(f) => vec![ix.slot(doc, slot(f))],
        None => Field::ALL.iter().map(|&f| ix.slot(doc, slot(f))).collect(),
    }
}

/// A quoted phrase's terms' token positions, in a sharded build: they tell whether a paper
/// holds the phrase as its text would, without fetching the text of every candidate. (A module
/// that embeds every part keeps no positions, and compiles without them.)
struct PhrasePositions {
    /// Per phrase word, in order: per paper that has one of its terms, their positions in each
    /// field (sorted).
    #[cfg(missing_parts)]
    terms: Vec<HashMap<DocId, [Vec<u32>; crate::index::FIELDS]>>,
}

impl PhrasePositions {
    /// The positions of the phrase's terms, when the index keeps positions (noting the parts
    /// they need); `None` in an embedded build.
    fn new(ix: &View, phrase: &[Vec<String>]) -> Option<Self> {
        #[cfg(missing_parts)]
        {
            if !ix.has_positions() {
                return None;
            }
            let terms = phrase
                .iter()
                .map(|alternatives| {
                    let mut merged: HashMap<DocId, [Vec<u32>; crate::index::FIELDS]> = HashMap::new();
                    for ord in alternatives.iter().filter_map(|term| ix.term(term)) {
                        for (doc, positions) in ix.positions(ord) {
                            let at = merged.entry(doc).or_default();
                            // Merged in order (a field's positions are few; no sort's code).
                            for (all, more) in at.iter_mut().zip(positions) {
                                for p in more {
                                    if let Err(i) = all.binary_search(&p) {
                                        all.insert(i, p);
                                    }
                                }
                            }
                        }
                    }
                    merged
                })
                .collect();
            Some(PhrasePositions { terms })
        }
        #[cfg(not(missing_parts))]
        {
            let _ = (ix, phrase);
            None
        }
    }

    /// Whether the paper holds the phrase's terms adjacent and in order in one field (`field`,
    /// when given).
    fn holds(&self, doc: DocId, field: Option<Field>) -> bool {
        #[cfg(missing_parts)]
        {
            let Some((first, rest)) = self.terms.split_first() else { return false };
            let Some(starts) = first.get(&doc) else { return false };
            let fields = field.map_or_else(|| Field::ALL.to_vec(), |f| vec![f]);
            fields.into_iter().any(|f| {
                starts[f as usize].iter().any(|&at| {
                    rest.iter()
                        .zip(1u32..)
                        .all(|(term, i)| term.get(&doc).is_some_and(|p| p[f as usize].binary_search(&(at + i)).is_ok()))
                })
            })
        }
        #[cfg(not(missing_parts))]
        {
            let _ = (doc, field);
            false
        }
    }
}
