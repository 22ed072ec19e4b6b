//! Analysis at build time: papers → each term's postings (and token positions, for a sharded
//! build), the corpus's words and their terms, the fields' lengths and the acronyms the papers
//! define, over every core of the machine.

use std::collections::{BTreeMap, HashMap};
use std::ops::ControlFlow;

use crate::acronym;
use crate::analyze::{self, Analyzer};
use crate::corpus::Paper;
use crate::format;
use crate::identifier;
use crate::index::schema::{DocId, Field, Posting, FIELDS};
use crate::index::sink::Progress;

/// The papers analyzed: postings, words, lengths and acronym definitions.
#[derive(Default)]
pub(super) struct Analyzed {
    /// term → postings, in doc order.
    pub postings: BTreeMap<String, Vec<Posting>>,
    /// folded word → its term.
    pub words: BTreeMap<String, String>,
    pub doc_lens: Vec<[u16; FIELDS]>,
    pub total_len: [u64; FIELDS],
    /// acronym term → long form (terms) → how many papers define it so.
    pub acronyms: BTreeMap<String, BTreeMap<Vec<String>, u32>>,
    /// term → its token positions, per posting in the postings' order (when kept): per field,
    /// a varint count and varint gaps.
    pub positions: BTreeMap<String, Vec<u8>>,
}

impl Analyzed {
    /// Adds `later`, the analysis of the papers that follow these.
    fn append(&mut self, later: Analyzed) {
        for (term, list) in later.postings {
            self.postings.entry(term).or_default().extend(list);
        }
        for (word, term) in later.words {
            self.words.entry(word).or_insert(term);
        }
        self.doc_lens.extend(later.doc_lens);
        for (total, more) in self.total_len.iter_mut().zip(later.total_len) {
            *total += more;
        }
        for (short, forms) in later.acronyms {
            let mine = self.acronyms.entry(short).or_default();
            for (long, count) in forms {
                *mine.entry(long).or_default() += count;
            }
        }
        for (term, bytes) in later.positions {
            self.positions.entry(term).or_default().extend(bytes);
        }
    }
}

/// The text of each field of a paper, as indexed.
fn field_texts(paper: &Paper) -> [String; FIELDS] {
    [paper.title.clone(), paper.abstract_text.clone(), paper.authors.join("\n")]
}

/// Analyzes the papers, split into one run of papers per core; with `positions`, keeps every
/// term's token positions too.
pub(super) fn analyze_all(papers: &[Paper], positions: bool, progress: &mut dyn FnMut(Progress)) -> Analyzed {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let chunk = papers.len().div_ceil(threads).max(1);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = papers.len();
    std::thread::scope(|scope| {
        let mut chunks = papers.chunks(chunk).enumerate();
        let first = chunks.next();
        let handles: Vec<_> = chunks
            .map(|(i, run)| {
                let done = &done;
                scope.spawn(move || {
                    analyze_run(run, i * chunk, positions, &mut |n| {
                        done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
                    })
                })
            })
            .collect();
        let mut all = match first {
            Some((_, run)) => analyze_run(run, 0, positions, &mut |n| {
                let so_far = done.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n;
                progress(Progress { stage: "analyzing papers", done: so_far, total });
            }),
            None => Analyzed::default(),
        };
        for handle in handles {
            // A panicking analyzer thread is a bug; its papers would be lost, so stop here.
            match handle.join() {
                Ok(later) => all.append(later),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        progress(Progress { stage: "analyzing papers", done: total, total });
        all
    })
}

/// A run's terms, numbered in the order they are met: by number, the term, its postings and
/// its positions' bytes.
#[derive(Default)]
struct RunTerms {
    numbers: HashMap<String, u32>,
    terms: Vec<String>,
    postings: Vec<Vec<Posting>>,
    positions: Vec<Vec<u8>>,
}

/// The number of `term` in the run, a new one if it is new.
fn number(run: &mut RunTerms, term: String) -> u32 {
    if let Some(&n) = run.numbers.get(&term) {
        return n;
    }
    let n = run.terms.len() as u32;
    run.numbers.insert(term.clone(), n);
    run.terms.push(term);
    run.postings.push(Vec::new());
    run.positions.push(Vec::new());
    n
}

/// Analyzes a run of papers whose first is paper `first_doc` (with `positions`, keeping each
/// term's token positions); `tick` hears how many papers were done, now and then.
///
/// Terms are numbered in the order they are met, and each distinct word is looked up in a hash
/// map once per token and stemmed once per run; the sorted maps of [`Analyzed`] are made at the
/// end. (Sorted maps keyed by the words cost a string comparison at each level of the tree for
/// every token: two thirds of the wasm indexer's time on SciFact, where `memcmp` is a byte loop.)
fn analyze_run(papers: &[Paper], first_doc: usize, positions: bool, tick: &mut dyn FnMut(usize)) -> Analyzed {
    let analyzer = Analyzer::new();
    let mut out = Analyzed { doc_lens: Vec::with_capacity(papers.len()), ..Analyzed::default() };
    // folded word → its term's number.
    let mut word_terms: HashMap<String, u32> = HashMap::new();
    let mut run = RunTerms::default();
    // This paper's terms, with their positions in each field.
    let mut in_doc: HashMap<u32, [Vec<u32>; FIELDS]> = HashMap::new();
    for (i, paper) in papers.iter().enumerate() {
        if i % 1024 == 1023 {
            tick(1024);
        }
        let doc = (first_doc + i) as DocId;
        let mut lens = [0u16; FIELDS];
        for (field, text) in Field::ALL.into_iter().zip(field_texts(paper)) {
            // The analyzer's tokens (`Analyzer::tokens`: each word and its stem), scanned with no
            // allocation per word.
            let (mut len, mut at) = (0usize, 0u32);
            analyze::scan(&text, |word, _, joined| {
                let term = match word_terms.get(word) {
                    Some(&term) => term,
                    None => {
                        let term = number(&mut run, analyzer.stem(word));
                        word_terms.insert(word.to_owned(), term);
                        term
                    }
                };
                if positions {
                    let here = in_doc.entry(term).or_default();
                    if !joined {
                        here[field as usize].push(at);
                        at += 1;
                    }
                }
                let list = &mut run.postings[term as usize];
                match list.last_mut() {
                    Some(p) if p.doc == doc => p.tf[field as usize] += 1,
                    _ => {
                        let mut tf = [0; FIELDS];
                        tf[field as usize] = 1;
                        list.push(Posting { doc, tf });
                    }
                }
                len += usize::from(!joined);
                ControlFlow::Continue(())
            });
            out.total_len[field as usize] += len as u64;
            lens[field as usize] = u16::try_from(len).unwrap_or(u16::MAX);
        }
        out.doc_lens.push(lens);
        // The paper's identifiers, as terms of no field: what a query of one finds it by.
        let ids = [
            paper.doi.as_deref().and_then(identifier::doi_term),
            paper.arxiv.as_deref().and_then(identifier::arxiv_term),
        ];
        for id in ids.into_iter().flatten() {
            let term = number(&mut run, id);
            let list = &mut run.postings[term as usize];
            if list.last().is_none_or(|p| p.doc != doc) {
                list.push(Posting { doc, tf: [0; FIELDS] });
                if positions {
                    in_doc.entry(term).or_default();
                }
            }
        }
        // Each term's positions are its own bytes: the order the terms are drained in is free.
        for (term, fields) in in_doc.drain() {
            let bytes = &mut run.positions[term as usize];
            for field in fields {
                format::put_varint(bytes, field.len() as u32);
                let mut prev = 0;
                for at in field {
                    format::put_varint(bytes, at - prev);
                    prev = at;
                }
            }
        }
        for text in [&paper.title, &paper.abstract_text] {
            for d in acronym::definitions(text) {
                let long: Vec<String> =
                    d.long.iter().filter(|w| !analyze::is_stop_word(w)).map(|w| analyzer.stem(w)).collect();
                if long.len() >= 2 {
                    *out.acronyms.entry(analyzer.stem(&d.short)).or_default().entry(long).or_default() += 1;
                }
            }
        }
    }
    tick(papers.len() % 1024);
    let RunTerms { terms, postings, positions: term_positions, .. } = run;
    out.words = word_terms.into_iter().map(|(word, term)| (word, terms[term as usize].clone())).collect();
    if positions {
        out.positions = terms.iter().cloned().zip(term_positions).collect();
    }
    out.postings = terms.into_iter().zip(postings).collect();
    out
}
