//! What a search does with a catalogue's records, chosen in this one place: filters by year,
//! venue, kind of work and author (`filter`), the facet counts (`count`), the sort by date
//! (`sort`) and the look-up of a DOI or an arXiv id (`identify`). A corpus of plain papers,
//! with none of these fields, can be filtered, counted and sorted by none of them: an engine
//! built for one (`build.rs` leaves `cfg(catalogue)` unset: the default corpus's) has
//! `disabled.rs` instead, whose answers are what the others give on such a corpus (any filter
//! passes no paper, no group is counted, every paper's date is unknown, no identifier is
//! known) with none of their code. A test holds the two alike on corpora without records.

#[cfg(catalogue)]
mod count;
#[cfg(any(not(catalogue), test))]
mod disabled;
#[cfg(catalogue)]
mod filter;
#[cfg(catalogue)]
mod identify;
#[cfg(catalogue)]
mod sort;

#[cfg(catalogue)]
pub(super) use count::count;
#[cfg(not(catalogue))]
pub(super) use disabled::{count, dated, identified, Filter};
#[cfg(catalogue)]
pub(super) use filter::Filter;
#[cfg(catalogue)]
pub(super) use identify::identified;
#[cfg(catalogue)]
pub(super) use sort::dated;

#[cfg(all(test, catalogue))]
mod tests {
    use super::*;
    use crate::corpus::Paper;
    use crate::index::{self, DocId, Index};
    use crate::query;
    use crate::search::facets::Groups;
    use crate::search::filter::Filters;
    use proptest::prelude::*;

    const WORDS: [&str; 6] = ["graph", "kernel", "bandit", "regret", "protein", "model"];

    proptest! {
        /// On a corpus of plain papers, the stand-ins answer as the catalogue's code does.
        #[test]
        fn without_records_the_stand_ins_answer_alike(
            docs in proptest::collection::vec(proptest::collection::vec(0usize..6, 1..6), 1..20),
            typed in "[a-z:0-9 .\"/-]{0,24}",
            years in proptest::option::of((0u16..3000, 0u16..3000)),
            venues in proptest::collection::vec("[a-zA-Z ]{0,8}", 0..2),
            authors in proptest::collection::vec("[a-zA-Z ]{0,8}", 0..2),
            newest in any::<bool>(),
        ) {
            let papers: Vec<Paper> = docs
                .iter()
                .map(|w| Paper::new(w.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" "), "An abstract."))
                .collect();
            prop_assert!(!papers.iter().any(Paper::is_record));
            let bytes = index::build(&papers).unwrap();
            let opened = Index::open(&bytes).unwrap();
            let ix = opened.view();
            let facts = ix.facts();
            let analyzer = crate::analyze::Analyzer::new();
            let q = query::parse(&typed, &analyzer);
            let filters = Filters { years: years.map(|(a, b)| a.min(b)..=a.max(b)), venues, kinds: Vec::new(), authors };
            let full = filter::Filter::new(&ix, &q, &filters);
            let stand_in = disabled::Filter::new(&ix, &q, &filters);
            prop_assert_eq!(full.any(), stand_in.any());
            let docs: Vec<DocId> = (0..papers.len() as DocId).collect();
            let fails: Vec<u8> = docs.iter().map(|&d| full.fails(&facts, d)).collect();
            for &d in &docs {
                prop_assert_eq!(fails[d as usize] == 0, stand_in.fails(&facts, d) == 0);
            }
            let groups = Groups::ALL.and(Groups::of(&ix));
            prop_assert_eq!(groups, Groups::NONE);
            prop_assert_eq!(
                count::count(&ix, &docs, &fails, &full, groups, &mut Vec::new()),
                disabled::count(&ix, &docs, &fails, &stand_in, groups, &mut Vec::new())
            );
            let scored: Vec<(DocId, f32)> = docs.iter().map(|&d| (d, (d % 3) as f32)).collect();
            prop_assert_eq!(
                sort::dated(&facts, scored.iter().copied(), newest, 5),
                disabled::dated(&facts, scored.iter().copied(), newest, 5)
            );
            prop_assert_eq!(identify::identified(&ix, &typed), disabled::identified(&ix, &typed));
        }
    }
}
