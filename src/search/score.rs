//! Scoring: a plan → every paper that satisfies it, with its BM25F score.
//!
//! Each clause scores a paper by its best alternative; an alternative adds up its words'
//! scores (all of them required for a phrase or a long form); a word scores by its best term
//! match. The scores of the clauses add up. Papers that only the completions of an unfinished
//! last word find are placed below every other; then the year filter and the excluded words.
//! Reads the postings of the plan's terms, the docs part, and for phrases the positions shards
//! (sharded) or the candidates' text (embedded).

use crate::analyze::Analyzer;
use crate::index::{DocId, Field, TermOrd, View, FIELDS};
use crate::query::{Phrase, Query};
use crate::rank::{self, Params};

use super::expand::TermMatch;
use super::fusion::Cover;
use super::phrase::PhraseCheck;
use super::plan::{ClausePlan, MatchIds};

/// What scoring needs besides the plan: the index, the analyzer (to read a candidate's text
/// for a phrase) and BM25F's parameters with each paper's field factors under them.
pub(super) struct Scorer<'s, 'v> {
    pub ix: &'s View<'v>,
    pub analyzer: &'s Analyzer,
    pub params: &'s Params,
    pub factors: &'s [[f32; FIELDS]],
}

/// The papers a query finds, and what else their scoring saw.
#[derive(Debug, Default)]
pub(super) struct Scored {
    /// Every paper that satisfies the query, with its score, in id order.
    pub papers: Vec<(DocId, f32)>,
    /// Per paper, the query words (bits of [`MatchIds::bit`]) its abstract holds, as its
    /// postings tell: what a snippet can show. Empty unless match ids were given.
    pub in_abstract: Vec<u64>,
    /// Per paper, how many of the query's clauses it matches (for fusion).
    pub cover: Cover,
}

impl Scorer<'_, '_> {
    /// Every paper that satisfies the planned query, with its score; with `ids`, also which of
    /// the query's words each abstract holds. `asked` is the query's clause count
    /// ([`super::plan::Plan::asked`]). A plan with nothing to score finds nothing, unless
    /// `browse` (the query has no words): then every paper (but those with an excluded word),
    /// with a score of 0.
    pub fn score(
        &self,
        plan: &[ClausePlan],
        query: &Query,
        ids: Option<&MatchIds>,
        asked: usize,
        browse: bool,
    ) -> Scored {
        let ix = self.ix;
        let n = ix.doc_count() as usize;
        let mut in_abstract = if ids.is_some() { vec![0u64; n] } else { Vec::new() };
        let bit = |m: &TermMatch| ids.map_or(0, |ids| ids.bit(&m.term));
        let mut total = vec![0f32; n];
        let mut ok = vec![true; n];
        let mut clause_scores = vec![0f32; n];
        let mut alt_scores = vec![0f32; n];
        let mut word_scores = vec![0f32; n];
        let mut complete = vec![true; n];
        let mut cover = Cover::default();
        cover.start(n, asked);

        for clause in plan {
            clause_scores.fill(0.0);
            for alt in &clause.alternatives {
                alt_scores.fill(0.0);
                complete.fill(true);
                for word in &alt.words {
                    word_scores.fill(0.0);
                    for m in word.iter().filter(|m| !m.completion) {
                        self.score_term(m, clause.field, &mut word_scores, &mut in_abstract, bit(m));
                    }
                    for d in 0..n {
                        if word_scores[d] > 0.0 {
                            alt_scores[d] += word_scores[d];
                        } else {
                            complete[d] = false;
                        }
                    }
                }
                // A phrase's positions (a sharded build's) are asked for with its postings; it
                // is checked only once the scores are whole: a check on missing postings would
                // fetch the text of the wrong papers.
                let check = alt.phrase.as_deref().map(|phrase| PhraseCheck::new(ix, phrase));
                let checking = ix.is_complete();
                for d in 0..n {
                    if (complete[d] || !alt.all_words) && alt_scores[d] > 0.0 {
                        if let (Some(check), true) = (&check, checking) {
                            if !check.holds(ix, self.analyzer, d as DocId, clause.field) {
                                continue;
                            }
                        }
                        clause_scores[d] = clause_scores[d].max(alt.weight * alt_scores[d]);
                    }
                }
            }
            for d in 0..n {
                if clause.required && clause_scores[d] <= 0.0 {
                    ok[d] = false;
                }
                total[d] += clause_scores[d];
                if clause_scores[d] > 0.0 {
                    cover.matched(d);
                }
            }
        }

        // The papers only completions of the last word find: below every other hit, in their
        // own order (scaled, if their best would reach the least of the others).
        let completions = plan.iter().flat_map(|c| c.alternatives.iter().map(move |a| (c, a)));
        let mut extra: Vec<f32> = Vec::new();
        for (clause, alt) in completions {
            for m in alt.words.iter().flatten().filter(|m| m.completion) {
                if extra.is_empty() {
                    extra = vec![0f32; n];
                }
                self.score_term(m, clause.field, &mut extra, &mut in_abstract, bit(m));
            }
        }
        if !extra.is_empty() {
            let floor = (0..n).filter(|&d| ok[d] && total[d] > 0.0).map(|d| total[d]).fold(f32::INFINITY, f32::min);
            let best = (0..n).filter(|&d| total[d] <= 0.0).map(|d| extra[d]).fold(0.0, f32::max);
            let scale = if best >= floor { 0.99 * floor / best } else { 1.0 };
            for d in 0..n {
                if total[d] <= 0.0 && extra[d] > 0.0 {
                    total[d] = extra[d] * scale;
                }
            }
        }

        let browsing = plan.is_empty();
        if browsing && !browse {
            return Scored { cover, ..Scored::default() };
        }
        let mut papers: Vec<(DocId, f32)> = Vec::new();
        for d in 0..n {
            if ok[d] && (browsing || total[d] > 0.0) {
                papers.push((d as DocId, total[d]));
            }
        }
        if !query.excluded.is_empty() {
            let excluded = self.excluded(&query.excluded, &papers);
            papers.retain(|&(doc, _)| !excluded.get(doc as usize).is_some_and(|&e| e));
        }
        Scored { papers, in_abstract, cover }
    }

    /// Which of the `scored` papers hold an excluded word or phrase (a flag per paper id): a
    /// word's papers from its postings; a phrase's from the papers that hold all its words,
    /// checked for the words side by side (only once the scores are whole, so that no text is
    /// fetched for the wrong papers).
    fn excluded(&self, excluded: &[Phrase], scored: &[(DocId, f32)]) -> Vec<bool> {
        let ix = self.ix;
        let n = ix.doc_count() as usize;
        let mut out = vec![false; n];
        let checking = ix.is_complete();
        for phrase in excluded {
            // A word no paper has excludes nothing.
            let Some(ords) = phrase.words.iter().map(|w| ix.term(&w.term)).collect::<Option<Vec<TermOrd>>>() else {
                continue;
            };
            let mut holds = vec![0u8; n];
            for &ord in &ords {
                for p in ix.postings(ord) {
                    if let Some(h) = holds.get_mut(p.doc as usize) {
                        *h = h.saturating_add(1);
                    }
                }
            }
            let all = u8::try_from(ords.len()).unwrap_or(u8::MAX);
            let terms: Vec<Vec<String>> = phrase.words.iter().map(|w| vec![w.term.clone()]).collect();
            let check = (terms.len() > 1).then(|| PhraseCheck::new(ix, &terms));
            for &(doc, _) in scored {
                let d = doc as usize;
                if holds[d] < all || out[d] {
                    continue;
                }
                out[d] = match &check {
                    None => true,
                    Some(check) => checking && check.holds(ix, self.analyzer, doc, None),
                };
            }
        }
        out
    }

    /// Raises `scores[doc]` to this term's score in each paper that has it, if higher, and adds
    /// `bit` to `in_abstract[doc]` where the paper's abstract has it.
    fn score_term(&self, m: &TermMatch, field: Option<Field>, scores: &mut [f32], in_abstract: &mut [u64], bit: u64) {
        let idf = rank::idf(self.ix.doc_count(), m.doc_freq);
        for p in self.ix.postings(m.ord) {
            if bit != 0 && p.tf[Field::Abstract as usize] > 0 {
                if let Some(ids) = in_abstract.get_mut(p.doc as usize) {
                    *ids |= bit;
                }
            }
            let mut tf = p.tf;
            if let Some(f) = field {
                for (i, t) in tf.iter_mut().enumerate() {
                    if i != f as usize {
                        *t = 0;
                    }
                }
                if tf[f as usize] == 0 {
                    continue;
                }
            }
            let Some(&factors) = self.factors.get(p.doc as usize) else { continue };
            let s = m.weight * rank::bm25f_factored(self.params.k1, idf, tf, factors);
            if let Some(slot) = scores.get_mut(p.doc as usize) {
                *slot = slot.max(s);
            }
        }
    }
}
