//! Related papers: for each paper, the papers most like it, computed at build time.
//!
//! Similarity is the cosine of TF-IDF vectors over title and abstract (a title occurrence
//! counts twice), restricted to each paper's [`RELATED_TERMS`] strongest terms: the score of
//! another paper is the sum, over those terms, of the two papers' weights. Terms in more than
//! a quarter of the papers, or in one, say nothing about which papers are alike and are left
//! out.
//!
//! The work per paper is bounded, so the pass grows linearly with the corpus: candidates come
//! from each strong term's list of papers cut to the [`CANDIDATES_PER_TERM`] papers that weigh
//! it most (a common term's whole list would reach a quarter of the corpus), and the
//! [`RESCORED`] best candidates are then scored exactly. Where no list is cut (every corpus of
//! up to four times `CANDIDATES_PER_TERM` papers) this is the exact top of the whole ranking.
//!
//! Logarithms are `libm`'s, not the platform's: the same corpus gives the same related papers,
//! byte for byte, whether `paper-search-index` or the npm package's wasm indexer builds it.

use crate::index::schema::{DocId, Field, Posting, RELATED};

/// Terms of a paper that take part in finding its related papers (the highest TF-IDF).
pub const RELATED_TERMS: usize = 30;
const _: () = assert!(RELATED_TERMS < u8::MAX as usize, "a strong term's place is a u8");

/// Papers kept in each term's candidate list: those that weigh the term most.
pub const CANDIDATES_PER_TERM: usize = 128;

/// Candidates scored exactly, the best by their partial scores.
pub const RESCORED: usize = 64;

/// A paper's TF-IDF vector: (term index, weight), sorted by term index, normalized.
type Vector = Vec<(u32, f32)>;

/// For each paper of `n`, the ids of its [`RELATED`] most similar papers, best first, padded
/// with `u32::MAX`; `lists` are the postings of every term. `progress` is told how many papers
/// are done, now and then.
pub fn papers(n: usize, lists: &[&[Posting]], progress: &mut dyn FnMut(usize)) -> Vec<[DocId; RELATED]> {
    let mut vectors: Vec<Vector> = vec![Vec::new(); n];
    for (t, list) in lists.iter().enumerate() {
        let df = list.len();
        if df < 2 || df * 4 > n.max(8) {
            continue;
        }
        let idf = libm::logf((n as f32 + 1.0) / (df as f32 + 0.5));
        for p in list.iter() {
            let tf = (2 * p.tf[Field::Title as usize] + p.tf[Field::Abstract as usize]) as f32;
            if tf > 0.0 {
                if let Some(v) = vectors.get_mut(p.doc as usize) {
                    v.push((t as u32, (1.0 + libm::logf(tf)) * idf));
                }
            }
        }
    }
    for v in &mut vectors {
        let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt().max(f32::MIN_POSITIVE);
        v.iter_mut().for_each(|(_, w)| *w /= norm);
    }
    // Each paper's strongest terms, strongest first (ties in term order).
    let strongest: Vec<Vector> = vectors
        .iter()
        .map(|v| {
            let mut s = v.clone();
            s.sort_by(|a, b| b.1.total_cmp(&a.1));
            s.truncate(RELATED_TERMS);
            s
        })
        .collect();

    // Each term's candidate papers, in id order, cut to those that weigh it most.
    let mut candidates: Vec<Vec<(DocId, f32)>> = vec![Vec::new(); lists.len()];
    for (doc, v) in vectors.iter().enumerate() {
        for &(t, w) in v {
            candidates[t as usize].push((doc as DocId, w));
        }
    }
    let mut cut = vec![false; lists.len()];
    for (list, cut) in candidates.iter_mut().zip(cut.iter_mut()) {
        if list.len() > CANDIDATES_PER_TERM {
            list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(CANDIDATES_PER_TERM);
            list.sort_by_key(|&(doc, _)| doc);
            *cut = true;
        }
    }

    let mut out = Vec::with_capacity(n);
    let mut partial = vec![0f32; n];
    let mut touched: Vec<DocId> = Vec::new();
    // For rescoring: each term's place among the paper's strong terms (`u8::MAX`: not one), so
    // that a candidate's vector is read once rather than searched for each strong term.
    let mut place = vec![u8::MAX; lists.len()];
    let mut products = [0f32; RELATED_TERMS];
    for (doc, strong) in strongest.iter().enumerate() {
        if doc % 4096 == 0 {
            progress(doc);
        }
        for &(t, w) in strong {
            for &(other, w2) in &candidates[t as usize] {
                if other as usize != doc {
                    if partial[other as usize] == 0.0 {
                        touched.push(other);
                    }
                    partial[other as usize] += w * w2;
                }
            }
        }
        let mut best: Vec<(DocId, f32)> = touched.iter().map(|&d| (d, partial[d as usize])).collect();
        for &d in &touched {
            partial[d as usize] = 0.0;
        }
        touched.clear();
        if strong.iter().any(|&(t, _)| cut[t as usize]) {
            // Some candidates missed terms they share with this paper: score the best exactly.
            keep_best(&mut best, RESCORED);
            for (i, &(t, _)) in strong.iter().enumerate() {
                place[t as usize] = i as u8;
            }
            let products = &mut products[..strong.len()];
            for (other, score) in &mut best {
                products.fill(0.0);
                for &(t, w2) in &vectors[*other as usize] {
                    if let Some(&(_, w)) = strong.get(usize::from(place[t as usize])) {
                        products[usize::from(place[t as usize])] = w * w2;
                    }
                }
                // Summed in the strong terms' order, as the exact score always was.
                *score = products.iter().sum();
            }
            for &(t, _) in strong {
                place[t as usize] = u8::MAX;
            }
        }
        keep_best(&mut best, RELATED);
        out.push(std::array::from_fn(|k| best.get(k).map_or(u32::MAX, |&(d, _)| d)));
    }
    progress(n);
    out
}

/// Keeps the `k` best of `scored`, best first (ties in id order): a selection, then a sort of
/// those `k` alone (a paper has thousands of candidates, and keeps six).
fn keep_best(scored: &mut Vec<(DocId, f32)>, k: usize) {
    let order = |a: &(DocId, f32), b: &(DocId, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if scored.len() > k && k > 0 {
        scored.select_nth_unstable_by(k - 1, order);
        scored.truncate(k);
    }
    scored.sort_by(order);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn postings(docs: &[(DocId, u32)]) -> Vec<Posting> {
        docs.iter().map(|&(doc, tf)| Posting { doc, tf: [0, tf, 0] }).collect()
    }

    #[test]
    fn papers_sharing_rare_terms_are_related() {
        // Terms 0 and 1 are shared by papers 0 and 2, term 2 by papers 1 and 3.
        let lists = [postings(&[(0, 1), (2, 2)]), postings(&[(0, 1), (2, 1)]), postings(&[(1, 1), (3, 1)])];
        let refs: Vec<&[Posting]> = lists.iter().map(Vec::as_slice).collect();
        let related = papers(8, &refs, &mut |_| {});
        assert_eq!(related[0][0], 2);
        assert_eq!(related[1][0], 3);
        assert!(!related[0].contains(&0), "a paper is not related to itself");
        assert_eq!(related[4], [u32::MAX; RELATED], "a paper with no shared terms has none");
    }

    #[test]
    fn a_rare_shared_term_still_finds_its_paper_when_a_common_list_is_cut() {
        // 1,000 papers: paper 0 shares term 0 with papers 1 to 149 and 599, and the rare term 1
        // with paper 599 alone. 599 weighs term 0 least, so term 0's cut list drops it, yet it
        // comes first: term 1 finds it, and it is scored on both terms.
        let n = 1000;
        let common: Vec<(DocId, u32)> = (0..150).map(|d| (d, if d == 0 { 3 } else { 2 })).chain([(599, 1)]).collect();
        let mut rare_fillers: Vec<Vec<Posting>> = (1..150).map(|d| postings(&[(d, 1), (d + 150, 1)])).collect();
        let mut lists = vec![postings(&common), postings(&[(0, 4), (599, 4)])];
        lists.append(&mut rare_fillers);
        let refs: Vec<&[Posting]> = lists.iter().map(Vec::as_slice).collect();
        let related = papers(n, &refs, &mut |_| {});
        assert_eq!(related[0][0], 599);
    }
}
