//! Behaviours of the whole pipeline, on tiny corpora built here: ranking, prefixes, phrases,
//! typos, stop words, compounds and limits. (Each stage's own details are tested beside it.)

use super::*;
use crate::corpus::Paper;
use crate::index::{self, DocId, Index};
use crate::snippet;

pub(super) fn paper(title: &str, abstract_text: &str) -> Paper {
    Paper::new(title, abstract_text)
}

fn ids(searcher: &Searcher, q: &str) -> Vec<DocId> {
    searcher.search(q, &SearchOptions::default()).hits.iter().map(|h| h.id).collect()
}

pub(super) fn with_searcher(papers: &[Paper], f: impl FnOnce(&Searcher)) {
    let bytes = index::build(papers).unwrap();
    f(&Searcher::new(Index::open(&bytes).unwrap()));
}

#[test]
fn ranks_title_matches_above_abstract_matches() {
    with_searcher(
        &[paper("Other things", "We study bandits here."), paper("Bandits", "We study other things here.")],
        |s| assert_eq!(ids(s, "bandits "), [1, 0]),
    );
}

#[test]
fn ranks_exact_matches_above_prefix_matches() {
    with_searcher(&[paper("Tangent kernels", "x"), paper("Tang dynasty", "x")], |s| {
        assert_eq!(ids(s, "tang"), [1, 0]);
    });
}

#[test]
fn unfinished_last_word_matches_as_a_prefix() {
    with_searcher(&[paper("Tangent kernels", "late generalization"), paper("Other", "nothing")], |s| {
        assert_eq!(ids(s, "neural tang"), [0]);
        assert!(ids(s, "neural tang ").is_empty(), "a finished word is not a prefix");
    });
}

#[test]
fn a_phrase_being_typed_finds_the_papers_that_hold_it_so_far() {
    let papers = [
        paper("Linear probing of features", "x"),
        paper("Linear probabilistic models", "x"),
        paper("Probing linear models", "x"),
        paper("A linear problem", "x"),
        paper("Nonlinear", "a probing study"),
    ];
    with_searcher(&papers, |s| {
        let mut so_far = ids(s, "\"linear prob");
        so_far.sort_unstable();
        assert_eq!(so_far, [0, 1, 3]);
        // Its last word a word of the corpus: the phrase as it will be, closed.
        assert_eq!(ids(s, "\"linear probing"), [0]);
        assert_eq!(ids(s, "\"linear probing"), ids(s, "\"linear probing\" "));
        assert_eq!(ids(s, "\"linear probing "), [0]);
    });
}

#[test]
fn equal_scores_come_in_id_order() {
    with_searcher(&[paper("Same", "text"), paper("Same", "text"), paper("Same", "text")], |s| {
        assert_eq!(ids(s, "same"), [0, 1, 2]);
    });
}

#[test]
fn stop_words_alone_still_find_papers() {
    with_searcher(&[paper("The theory", "of things"), paper("Nothing", "here")], |s| {
        assert_eq!(ids(s, "of the "), [0]);
    });
}

#[test]
fn limit_and_total_count() {
    let papers: Vec<Paper> = (0..30).map(|i| paper(&format!("Paper {i}"), "common words")).collect();
    with_searcher(&papers, |s| {
        let r = s.search("common", &SearchOptions { limit: 5, ..SearchOptions::default() });
        assert_eq!((r.hits.len(), r.total), (5, 30));
        assert!(s.search("common", &SearchOptions { limit: 0, ..SearchOptions::default() }).hits.is_empty());
    });
}

#[test]
fn hits_carry_highlighted_segments() {
    with_searcher(&[paper("Linear bandits", "Regret of linear bandits.")], |s| {
        let hit = &s.search("bandit ", &SearchOptions::default()).hits[0];
        let marked: Vec<(&str, bool)> = hit.title_segments.iter().map(|g| (g.text.as_str(), g.hit)).collect();
        assert_eq!(marked, [("Linear ", false), ("bandits", true)]);
        assert!(hit.snippet.iter().any(|g| g.hit && g.text == "bandits"));
    });
}

#[test]
fn without_highlighting_hits_are_the_same_but_carry_no_segments() {
    with_searcher(&[paper("Linear bandits", "Regret of linear bandits."), paper("Bandit", "Arms.")], |s| {
        let plain = s.search("bandit", &SearchOptions { highlight: false, ..SearchOptions::default() });
        let marked = s.search("bandit", &SearchOptions::default());
        assert_eq!(plain.hits.len(), 2);
        assert!(plain.hits.iter().all(|h| h.title_segments.is_empty() && h.snippet.is_empty()));
        let key = |r: &SearchResults| r.hits.iter().map(|h| (h.id, h.score, h.title.clone())).collect::<Vec<_>>();
        assert_eq!(key(&plain), key(&marked));
        assert!(marked.hits.iter().all(|h| !h.title_segments.is_empty()));
    });
}

#[test]
fn a_joined_compound_marks_its_parts() {
    with_searcher(&[paper("Fine-tuning large models", "We study fine-tuning.")], |s| {
        let hit = &s.search("finetuning ", &SearchOptions::default()).hits[0];
        let marked: Vec<(&str, bool)> = hit.title_segments.iter().map(|g| (g.text.as_str(), g.hit)).collect();
        assert_eq!(marked, [("Fine", true), ("-", false), ("tuning", true), (" large models", false)]);
    });
}

#[test]
fn paper_and_stats() {
    with_searcher(&[paper("A", "B")], |s| {
        assert_eq!(s.paper(0).unwrap().abstract_text, "B");
        assert_eq!(s.paper(1), None);
        assert_eq!(s.stats().papers, 1);
    });
}

#[test]
fn a_snippet_that_stops_inside_a_compound_still_marks_its_parts() {
    // The snippet is settled by word 1 and ends at word 35, `state`; the reading stops in
    // the compound, which has to be read to its end to learn that `state` matched.
    let filler: String = (0..33).map(|i| format!("w{i} ")).collect();
    let abstract_text = format!("alpha stateoftheart {filler}state-of-the-art y z");
    with_searcher(&[paper("Title", &abstract_text)], |s| {
        let hit = &s.search("alpha stateoftheart", &SearchOptions::default()).hits[0];
        let marked: Vec<&str> = hit.snippet.iter().filter(|g| g.hit).map(|g| g.text.as_str()).collect();
        assert_eq!(marked, ["alpha", "stateoftheart", "state"]);
        assert_eq!(hit.snippet.last().map(|g| g.text.as_str()), Some(snippet::ELLIPSIS));
    });
}

#[test]
fn a_misspelled_word_matches_its_nearest_words_only() {
    with_searcher(&[paper("Networks", "One."), paper("Netwalks", "Two.")], |s| {
        // `networks` is one edit away, `netwalks` two: only the nearest counts.
        assert_eq!(ids(s, "netwrks "), [0]);
        // Nothing is one edit away from `nelwarks`; both are two.
        assert_eq!(ids(s, "nelwarks "), [0, 1]);
    });
}

#[test]
fn a_stop_word_typed_last_ranks_as_the_query_without_it() {
    let papers = [
        paper("Learning the theory", "Of learning."),
        paper("The rest", "The theory of the rest."),
        paper("Learning", "Learning alone."),
    ];
    with_searcher(&papers, |s| {
        let finished = s.rank("learning the ", 10);
        let typed = s.rank("learning the", 10);
        assert_eq!(finished.iter().map(|h| h.0).collect::<Vec<_>>(), [2, 0], "{finished:?}");
        assert_eq!(&typed[..finished.len()], &finished[..], "{typed:?}");
        // `the` and `theory` add the paper without `learning`, below.
        assert_eq!(typed.iter().map(|h| h.0).collect::<Vec<_>>(), [2, 0, 1], "{typed:?}");
    });
}

#[test]
fn a_stop_word_typed_last_that_is_an_acronym_ranks_as_the_query_without_it() {
    let papers = [
        paper("Vessels and nitric oxide", "Nitric oxide (NO) relaxes vessels."),
        paper("Vessels", "Vessels dilate with exercise."),
        paper("Soil", "Nitric oxide in soil."),
    ];
    with_searcher(&papers, |s| {
        let finished = s.rank("exercise vessels no ", 10);
        let typed = s.rank("exercise vessels no", 10);
        assert_eq!(finished.iter().map(|h| h.0).collect::<Vec<_>>(), [1, 0], "{finished:?}");
        assert_eq!(&typed[..finished.len()], &finished[..], "{typed:?}");
        // `nitric oxide`, the long form of `NO`, adds the paper without the other words, below.
        assert_eq!(typed.iter().map(|h| h.0).collect::<Vec<_>>(), [1, 0, 2], "{typed:?}");
    });
}

#[test]
fn a_stop_word_within_a_compound_counts_typed_as_finished() {
    let papers = [
        paper("Genetic make", "Of genes."),
        paper("The genetic make up", "Of genes."),
        paper("Genetic upregulation", "Of genes."),
    ];
    with_searcher(&papers, |s| {
        let finished = s.rank("genetic make-up ", 10);
        let typed = s.rank("genetic make-up", 10);
        assert_eq!(finished[0].0, 1, "{finished:?}");
        assert_eq!(&typed[..finished.len()], &finished[..], "{typed:?}");
    });
}

#[test]
fn two_words_the_corpus_also_joins_rank_typed_as_finished() {
    let mut papers = vec![paper("Migration of B-cells", "The niche of B-cells."), paper("Migration", "Of birds.")];
    papers.extend((0..4).map(|i| paper(&format!("Cells {i}"), "Type b cells, and other cells.")));
    with_searcher(&papers, |s| {
        let finished = s.rank("migration b cells ", 10);
        let typed = s.rank("migration b cells", 10);
        assert_eq!(finished[0].0, 0, "{finished:?}");
        assert_eq!(&typed[..finished.len()], &finished[..], "{typed:?}");
    });
}

#[test]
fn a_rare_word_also_finds_its_frequent_neighbour() {
    // `modle` is in one paper, `model` (one edit away) in forty.
    let mut papers: Vec<Paper> = (0..40).map(|i| paper(&format!("Paper {i}"), "A model of things.")).collect();
    papers.push(paper("The modle", "A paper that spells it so."));
    let bytes = index::build(&papers).unwrap();
    let s = Searcher::new(Index::open(&bytes).unwrap());
    let got = s.search("modle ", &SearchOptions { limit: 100, ..SearchOptions::default() });
    assert_eq!(got.total, 41);
    assert_eq!(got.hits[0].id, 40, "the word typed comes first");
    assert_eq!(got.suggestion.as_deref(), Some("model "));
    let plain =
        Searcher::new(Index::open(&bytes).unwrap()).with_features(Features { rare_neighbours: false, ..Features::ALL });
    assert_eq!(plain.search("modle ", &SearchOptions::default()).total, 1);
    // A word in more papers than a rare one is left alone.
    let mut common = papers.clone();
    common.extend((0..3).map(|i| paper(&format!("Another modle {i}"), "Spelt so again.")));
    with_searcher(&common, |s| assert_eq!(s.search("modle ", &SearchOptions::default()).total, 4));
}

#[test]
fn a_phrase_finds_every_paper_that_holds_it_however_many() {
    // More papers hold the phrase than the 5,000 phrase checks a search once stopped at.
    let papers: Vec<Paper> = (0..5_100).map(|i| paper(&format!("Linear probing {i}"), "Probing, linear.")).collect();
    with_searcher(&papers, |s| {
        let found = s.search("\"linear probing\" ", &SearchOptions::default());
        assert_eq!(found.total, 5_100);
    });
}

/// A paper of the catalogue: title, year, month (0: none), venue ("": none), kind, authors.
type Row<'a> = (&'a str, u16, u8, &'a str, &'a str, &'a [&'a str]);

/// Six papers with years, months, venues, kinds and authors (and one with none of them).
fn catalogue() -> Vec<Paper> {
    let rows: [Row; 5] = [
        ("Graph networks", 2019, 3, "NeurIPS", "conference paper", &["Ada Lovelace", "Erwin Schrödinger"]),
        ("Graph kernels", 2021, 7, "ICML", "conference paper", &["Ada Lovelace"]),
        ("Graph theory", 2021, 2, "Journal of Graphs", "article", &["Alan Turing"]),
        ("Graph sampling", 2023, 0, "NeurIPS Workshop on Graphs", "conference paper", &["Erwin Schrödinger"]),
        ("Graph preprint", 2024, 11, "", "preprint", &["Alan Turing", "Ada Lovelace"]),
    ];
    let mut papers: Vec<Paper> = rows
        .iter()
        .map(|&(title, year, month, venue, kind, authors)| {
            let mut p = paper(title, "About graphs.");
            p.year = Some(year);
            p.month = (month > 0).then_some(month);
            p.venue = (!venue.is_empty()).then(|| venue.to_string());
            p.kind = Some(kind.to_string());
            p.authors = authors.iter().map(|a| a.to_string()).collect();
            p
        })
        .collect();
    let mut plain = paper("Graph notes", "About graphs, undated.");
    plain.doi = Some("10.5555/graph.notes".into());
    plain.arxiv = Some("2401.00001".into());
    papers.push(plain);
    papers
}

fn with_options(s: &Searcher, q: &str, options: SearchOptions) -> SearchResults {
    s.search(q, &SearchOptions { limit: 100, ..options })
}

fn counts<T: Clone>(list: &Option<Vec<Count<T>>>) -> Vec<(T, u32)> {
    list.as_ref().expect("the group").iter().map(|c| (c.value.clone(), c.count)).collect()
}

#[test]
fn filters_narrow_the_results_values_of_a_group_as_alternatives() {
    with_searcher(&catalogue(), |s| {
        let venues = Filters { venues: vec!["ICML".into(), "journal".into()], ..Filters::default() };
        let mut found: Vec<DocId> =
            with_options(s, "graph ", SearchOptions { filters: venues, ..SearchOptions::default() })
                .hits
                .iter()
                .map(|h| h.id)
                .collect();
        found.sort_unstable();
        assert_eq!(found, [1, 2]);
        let both = Filters { years: Some(2020..=2023), venues: vec!["neurips".into()], ..Filters::default() };
        let r = with_options(s, "graph ", SearchOptions { filters: both, ..SearchOptions::default() });
        assert_eq!((r.total, r.hits.iter().map(|h| h.id).collect::<Vec<_>>()), (1, vec![3]));
    });
}

#[test]
fn the_query_language_and_the_filters_are_one_search() {
    with_searcher(&catalogue(), |s| {
        let typed = with_options(
            s,
            "graph year:2019-2022 venue:neurips ",
            SearchOptions { facets: Groups::ALL, ..SearchOptions::default() },
        );
        let filters = Filters { years: Some(2019..=2022), venues: vec!["NeurIPS".into()], ..Filters::default() };
        let asked =
            with_options(s, "graph ", SearchOptions { filters, facets: Groups::ALL, ..SearchOptions::default() });
        assert_eq!(typed.hits, asked.hits);
        assert_eq!(typed.total, 1);
        assert_eq!(counts(&typed.facets.as_ref().unwrap().year), counts(&asked.facets.as_ref().unwrap().year));
        let kind = with_options(s, "graph type:\"conference paper\" ", SearchOptions::default());
        assert_eq!(kind.total, 3);
    });
}

#[test]
fn facet_counts_leave_out_their_own_groups_filter() {
    with_searcher(&catalogue(), |s| {
        let filters =
            Filters { venues: vec!["NeurIPS".into()], kinds: vec!["conference paper".into()], ..Filters::default() };
        let r = with_options(s, "graph ", SearchOptions { filters, facets: Groups::ALL, ..SearchOptions::default() });
        assert_eq!(r.total, 2);
        let f = r.facets.unwrap();
        // Venues: counted over the conference papers, whatever the venue filter says.
        assert_eq!(
            counts(&f.venue),
            [("NeurIPS".to_string(), 1), ("ICML".to_string(), 1), ("NeurIPS Workshop on Graphs".to_string(), 1)]
        );
        // Kinds: over the two NeurIPS papers.
        assert_eq!(counts(&f.kind), [("conference paper".to_string(), 2)]);
        assert_eq!(counts(&f.year), [(2019, 1), (2023, 1)]);
        assert_eq!(counts(&f.author), [("Erwin Schrödinger".to_string(), 2), ("Ada Lovelace".to_string(), 1)]);
    });
}

#[test]
fn a_filter_value_with_no_paper_is_still_counted_for_the_reader() {
    with_searcher(&catalogue(), |s| {
        let filters = Filters { authors: vec!["Grace Hopper".into()], ..Filters::default() };
        let r = with_options(s, "graph ", SearchOptions { filters, facets: Groups::ALL, ..SearchOptions::default() });
        assert_eq!(r.total, 0);
        assert!(counts(&r.facets.unwrap().author).contains(&("Grace Hopper".to_string(), 0)));
    });
}

#[test]
fn an_author_filter_matches_names_without_accents_and_in_any_order() {
    with_searcher(&catalogue(), |s| {
        for name in ["schrodinger", "Schrödinger Erwin", "ERWIN SCHRODINGER"] {
            let filters = Filters { authors: vec![name.into()], ..Filters::default() };
            let r = with_options(s, "graph ", SearchOptions { filters, ..SearchOptions::default() });
            let mut ids: Vec<DocId> = r.hits.iter().map(|h| h.id).collect();
            ids.sort_unstable();
            assert_eq!(ids, [0, 3], "{name}");
        }
        assert_eq!(ids(s, "author:\"Schrödinger, Erwin\" "), ids(s, "author:\"Erwin Schrodinger\" "));
        assert_eq!(ids(s, "author:schrodinger ").len(), 2);
    });
}

#[test]
fn without_words_a_filter_or_a_sort_browses_newest_first() {
    with_searcher(&catalogue(), |s| {
        let newest = with_options(s, "", SearchOptions { sort: Sort::Newest, ..SearchOptions::default() });
        assert_eq!(newest.hits.iter().map(|h| h.id).collect::<Vec<_>>(), [4, 3, 1, 2, 0, 5]);
        assert_eq!(newest.total, 6);
        let oldest = with_options(s, "", SearchOptions { sort: Sort::Oldest, ..SearchOptions::default() });
        assert_eq!(oldest.hits.iter().map(|h| h.id).collect::<Vec<_>>(), [0, 2, 1, 3, 4, 5]);
        let filtered = Filters { kinds: vec!["article".into(), "preprint".into()], ..Filters::default() };
        let browse = with_options(s, "  ", SearchOptions { filters: filtered, ..SearchOptions::default() });
        assert_eq!(browse.hits.iter().map(|h| h.id).collect::<Vec<_>>(), [4, 2], "newest first by default");
        assert!(with_options(s, "", SearchOptions::default()).hits.is_empty(), "nothing asked, nothing found");
    });
}

#[test]
fn a_sort_by_date_orders_a_querys_matches() {
    with_searcher(&catalogue(), |s| {
        let r = with_options(s, "kernels theory ", SearchOptions { sort: Sort::Newest, ..SearchOptions::default() });
        assert_eq!(r.hits.iter().map(|h| h.id).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(r.hits[0].venue.as_deref(), Some("ICML"));
    });
}

#[test]
fn a_doi_or_an_arxiv_id_finds_its_paper_first() {
    with_searcher(&catalogue(), |s| {
        for typed in ["10.5555/graph.notes", "https://doi.org/10.5555/GRAPH.NOTES", "arXiv:2401.00001v3", "2401.00001"]
        {
            assert_eq!(ids(s, typed).first(), Some(&5), "{typed}");
        }
        assert!(ids(s, "10.5555/other.paper").is_empty());
    });
}

#[test]
fn a_corpus_without_a_group_counts_none_of_it() {
    with_searcher(&[paper("Graphs", "x"), paper("Trees", "y")], |s| {
        let f = with_options(s, "graphs ", SearchOptions { facets: Groups::ALL, ..SearchOptions::default() })
            .facets
            .unwrap();
        assert_eq!(f, Facets::default());
    });
}

#[test]
fn statistics_name_the_groups_the_corpus_has() {
    with_searcher(&catalogue(), |s| assert_eq!(s.stats().facets, ["year", "venue", "type", "author"]));
}

#[test]
fn a_paper_cites_as_a_bibtex_entry() {
    with_searcher(&catalogue(), |s| {
        let entry = s.cite(0).unwrap();
        assert!(entry.starts_with("@inproceedings{lovelace2019graph,"), "{entry}");
        assert!(entry.contains("booktitle = {NeurIPS}"), "{entry}");
        assert_eq!(s.cite(99), None);
    });
}
