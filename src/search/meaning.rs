//! Search by meaning (the `semantic` feature): the searcher's calls that fuse BM25F with the
//! papers nearest the query's vector, and the query text the sentence model reads.

use std::collections::HashSet;

use crate::analyze;
use crate::index::{DocId, Field, View};
use crate::query;
use crate::rank;
use crate::semantic::fuse::{Fusion, Near};
use crate::semantic::vectors::Codes;

use super::filter::{Filters, Sort};
use super::fusion::fused;
use super::phrase::field_texts;
use super::records::{Missing, SearchOptions, SearchResults};
use super::searcher::Searcher;

/// How many of BM25F's best papers say which word an unfinished last word stands for, for the
/// sentence model ([`Searcher::model_text`]).
pub const COMPLETION_PAPERS: usize = 10;

impl Searcher<'_> {
    /// [`Searcher::try_search`] with search by meaning: `nearest`, the papers whose codes are
    /// nearest the query's vector (best first, from
    /// [`crate::semantic::vectors::Vectors::estimated`]) and the exact cosines of those fusion
    /// puts first, fused with BM25F's ranking ([`crate::semantic::fuse`]). A query of plain words also
    /// finds papers that hold none of them; one with a filter (a phrase, a field, an excluded
    /// word, a year) only reorders the papers that satisfy it.
    ///
    /// # Errors
    ///
    /// [`Missing`]: the parts to fetch before asking again.
    pub fn try_search_near(
        &self,
        text: &str,
        options: &SearchOptions,
        nearest: Near<'_>,
    ) -> Result<SearchResults, Missing> {
        self.search_with(text, options, Some(nearest))
    }

    /// [`Searcher::rank`] fused with the papers nearest the query's vector, as `how` says (for
    /// evaluation and tuning; see [`Searcher::try_search_near`]).
    pub fn rank_near(&self, text: &str, limit: usize, nearest: Near<'_>, how: Fusion) -> Vec<(DocId, f32)> {
        let ix = self.index.view();
        let ranked = self.ranked(&ix, text, false, &Filters::default(), Sort::Relevance);
        let mut fused = fused(&ix, ranked.passing(&ix), ranked.shape, nearest, how);
        fused.truncate(limit);
        fused
    }

    /// The query as the sentence model reads it: the words that say what is sought, as typed
    /// (excluded words, author and year filters, `OR`, quotes and field names left out). An
    /// unfinished last word that no paper holds but that begins words of the corpus (`neural
    /// coll`) is read as the word it begins in the titles and abstracts of BM25F's best papers
    /// (`collapse`: each of the best ten votes with its score), or else as the first word of
    /// its most frequent completion: the model would read half a word as a word of its own. One
    /// that begins none (`guitar distortion pedals`) stays as typed, for the model may know it.
    pub fn model_text(&self, text: &str) -> String {
        self.try_model_text(text).unwrap_or_default()
    }

    /// [`Searcher::model_text`] on an index that may lack parts.
    ///
    /// # Errors
    ///
    /// [`Missing`]: the parts to fetch before asking again.
    pub fn try_model_text(&self, text: &str) -> Result<String, Missing> {
        let query = query::parse(text, &self.analyzer);
        let ix = self.index.view();
        let completed = query
            .clauses
            .iter()
            .flat_map(|c| &c.alternatives)
            .flat_map(|p| &p.words)
            .find(|w| w.prefix && w.span.end == text.len() && ix.word(&w.word).is_none())
            .and_then(|w| Some((w.span.clone(), self.completion(&ix, text, &w.word)?)));
        let mut out = String::new();
        for span in query.meant {
            if !out.is_empty() {
                out.push(' ');
            }
            match &completed {
                Some((w, word)) if span.start <= w.start && w.end <= span.end => {
                    out.push_str(&text[span.start..w.start]);
                    out.push_str(word);
                    out.push_str(&text[w.end..span.end]);
                }
                _ => out.push_str(&text[span]),
            }
        }
        self.answer(&ix, out)
    }

    /// Every paper's one-bit code, from the index's codes shards (`None`: the build has no
    /// vectors).
    ///
    /// # Errors
    ///
    /// [`Missing`]: the codes shards to fetch before asking again.
    pub fn try_codes(&self) -> Result<Option<Codes>, Missing> {
        let ix = self.index.view();
        let codes = ix.vectors().and_then(|v| {
            let bytes = ix.codes()?;
            Some(Codes { model_id: v.model_id, dims: v.dims as usize, bytes })
        });
        self.answer(&ix, codes)
    }

    /// The word the unfinished `prefix`, the last of `text`, stands for (see
    /// [`Searcher::model_text`]): of the words it begins in the titles and abstracts of the
    /// best [`COMPLETION_PAPERS`] papers, the one whose papers score highest in all (the first
    /// found of equals), so that a word of the best papers wins over one many weaker papers share.
    fn completion(&self, ix: &View, text: &str, prefix: &str) -> Option<String> {
        let ranked = self.ranked(ix, text, false, &Filters::default(), Sort::Relevance);
        let best = rank::top_k(ranked.passing(ix), COMPLETION_PAPERS);
        let mut votes: Vec<(String, f32)> = Vec::new();
        for &(doc, score) in &best {
            let mut words: Vec<String> = [Field::Title, Field::Abstract]
                .into_iter()
                .flat_map(|field| field_texts(ix, doc, Some(field)))
                .flat_map(analyze::words)
                .filter(|w| !w.joined && w.text.starts_with(prefix))
                .map(|w| w.text)
                .collect();
            // Each paper votes once for each word.
            let mut seen = HashSet::new();
            words.retain(|w| seen.insert(w.clone()));
            for w in words {
                match votes.iter_mut().find(|(v, _)| *v == w) {
                    Some((_, total)) => *total += score,
                    None => votes.push((w, score)),
                }
            }
        }
        let held = votes.into_iter().rev().max_by(|a, b| a.1.total_cmp(&b.1)).map(|(w, _)| w);
        held.or_else(|| Some(ix.prefix_terms(prefix, &[], 1).into_iter().next()?.0))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{paper, with_searcher};

    #[test]
    fn the_model_reads_what_is_sought_without_the_filters() {
        let papers = [paper("Linear probing", "Transformers and attention, by Hinton, on vision.")];
        with_searcher(&papers, |s| {
            assert_eq!(
                s.model_text(r#""linear probing" -vision author:hinton year:2020 transformers OR attention "#),
                "linear probing transformers attention"
            );
            assert_eq!(s.model_text("title:probing -\"linear attention\" "), "probing");
            assert_eq!(s.model_text("-vision author:hinton"), "");
        });
    }

    #[test]
    fn the_model_reads_an_unfinished_last_word_as_the_word_it_begins() {
        let papers = [
            paper("Neural collapse", "Features converge to a simplex."),
            paper("Data collection", "We collect data."),
            paper("Collections", "Collected works, collected again."),
            paper("Connoisseurs", "What experts prefer."),
        ];
        with_searcher(&papers, |s| {
            // Half a word the corpus lacks: the word it begins in the best paper, not the
            // most frequent (`collect`).
            assert_eq!(s.model_text("neural coll"), "neural collapse");
            // A word of the corpus, a finished word, or one that begins no word: as typed.
            assert_eq!(s.model_text("neural connoisseurs"), "neural connoisseurs");
            assert_eq!(s.model_text("neural collapses"), "neural collapses");
            assert_eq!(s.model_text("neural coll "), "neural coll");
            assert_eq!(s.model_text("guitar distortion pedals"), "guitar distortion pedals");
            // Punctuation around it stays.
            assert_eq!(s.model_text("neural (coll"), "neural (collapse");
        });
    }
}
