//! Writer: papers → the core and the parts (at build time).
//!
//! [`write`] analyzes every paper once (in parallel over the machine's cores), then writes the
//! parts one at a time to a sink, so that a large corpus is never held twice: the docs part,
//! the dictionary shards, the postings shards, then (after the related-papers pass) the text
//! shards; last, the core, which names the build by a hash of every part. [`build`] is the
//! embedded case: one part of each kind, bundled with the core into one file.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::Hasher;
use std::ops::{Bound, ControlFlow};

use fst::MapBuilder;

use crate::acronym;
use crate::analyze::{self, Analyzer, ANALYZER_VERSION};
use crate::corpus::Paper;
use crate::format::{self, Writer};
use crate::index::parts::{length_code, PartId, PartKind, LENS_PER_DOC};
use crate::index::prefix::{max_prefix_terms, TopTerms, PREFIX_TABLE_MAX_CHARS, PREFIX_TABLE_MIN_WORDS};
use crate::index::reader::{dict_value, put_tfs};
use crate::index::shards::{self, Core, Layout, ShardMap};
use crate::index::{related, DocId, Field, Meta, Posting, TermOrd, FIELDS, RELATED, SLOTS};

/// Most long forms kept for one acronym (the most frequent).
const MAX_LONG_FORMS: usize = 3;

/// How far the build has got, for a progress display: `done` of `total` in a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub stage: &'static str,
    pub done: usize,
    pub total: usize,
}

/// Why an index could not be written.
#[derive(Debug)]
pub enum BuildError {
    /// The fst builder refused its input, which sorted input rules out.
    Fst(fst::Error),
    /// The sink could not take a part (a file could not be written, say).
    Sink(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Fst(e) => write!(f, "cannot build the dictionary: {e}"),
            BuildError::Sink(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl From<fst::Error> for BuildError {
    fn from(e: fst::Error) -> Self {
        BuildError::Fst(e)
    }
}

/// A site's index, as [`write_site`] makes it.
pub struct Site {
    /// What the module embeds: the core, with every part for an embedded layout, with the docs
    /// part alone for a sharded one.
    pub bundle: Vec<u8>,
    /// The build's identity, which names a sharded build's folder of parts.
    pub build: u64,
}

/// Writes a site's index of `papers` in `layout`: an embedded layout gives one bundle that holds
/// everything; a sharded one gives the bundle of the core and the docs part (which every search
/// reads whole) and hands every other part to `sink` as it is made, for a file of its own.
///
/// # Errors
///
/// What the sink returns, or a [`BuildError::Fst`] (which sorted input rules out).
pub fn write_site(
    papers: &[Paper],
    layout: &Layout,
    sink: &mut dyn FnMut(PartId, Vec<u8>) -> Result<(), BuildError>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Site, BuildError> {
    let mut bundled = Vec::new();
    let core = write(
        papers,
        layout,
        &mut |id, bytes| {
            if layout.is_sharded() && id != PartId::DOCS {
                sink(id, bytes)
            } else {
                bundled.push(bytes);
                Ok(())
            }
        },
        progress,
    )?;
    let build = Core::read(&core).map_err(|e| BuildError::Sink(format!("the new core does not read back: {e}")))?.build;
    Ok(Site { bundle: shards::bundle(&core, &bundled), build })
}

/// Builds the embedded index of `papers`: the core and one part of each kind, in one bundle.
///
/// # Errors
///
/// Only if the fst builder fails, which sorted input rules out; kept as an error rather than a
/// panic because this runs in someone's build.
pub fn build(papers: &[Paper]) -> Result<Vec<u8>, BuildError> {
    Ok(write_site(papers, &Layout::EMBEDDED, &mut |_, _| Ok(()), &mut |_| {})?.bundle)
}

/// Writes the index of `papers` in `layout`: gives each part's bytes to `sink` as it is made,
/// and returns the core's bytes. `progress` hears how far each stage has got.
///
/// # Errors
///
/// What the sink returns, or a [`BuildError::Fst`] (which sorted input rules out).
pub fn write(
    papers: &[Paper],
    layout: &Layout,
    sink: &mut dyn FnMut(PartId, Vec<u8>) -> Result<(), BuildError>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<u8>, BuildError> {
    let analyzed = analyze_all(papers, layout.pos_shard_bytes.is_some(), progress);
    let terms: Vec<&str> = analyzed.postings.keys().map(String::as_str).collect();
    let freqs: Vec<u32> = analyzed.postings.values().map(|l| l.len() as u32).collect();
    let ord = |term: &str| terms.binary_search(&term).ok().map(|i| i as TermOrd);

    // Every part's bytes go through the hash that names the build.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let map = {
        let mut emit = |id: PartId, bytes: Vec<u8>| -> Result<(), BuildError> {
            hasher.write(&id.section());
            hasher.write(&bytes);
            sink(id, bytes)
        };
        emit(PartId::DOCS, docs_part(papers, &analyzed.doc_lens))?;
        let dictionary = Dictionary::new(&analyzed, &terms, &freqs, &ord);
        let (dict_terms, dict_keys) = dictionary.write(layout, &mut emit, progress)?;
        let post_terms = write_postings(&analyzed, layout, &mut emit, progress)?;
        let lists: Vec<&[Posting]> = analyzed.postings.values().map(Vec::as_slice).collect();
        let related = related::papers(papers.len(), &lists, &mut |done| {
            progress(Progress { stage: "related papers", done, total: papers.len() });
        });
        let pos_terms = match layout.pos_shard_bytes {
            Some(bytes) => write_positions(&analyzed, bytes, &mut emit, progress)?,
            None => Vec::new(),
        };
        let files = 1 + dict_terms.len() + post_terms.len() + pos_terms.len();
        let text_docs = write_text(papers, &related, layout, files, &mut emit, progress)?;
        ShardMap { dict_terms, dict_keys, post_terms, text_docs, pos_terms }
    };

    let meta = Meta {
        doc_count: papers.len() as u32,
        term_count: terms.len() as u32,
        word_count: analyzed.words.len() as u32,
        avg_len: analyzed.total_len.map(|total| {
            let avg = if papers.is_empty() { 0.0 } else { total as f64 / papers.len() as f64 };
            avg as f32
        }),
    };
    Ok(Core::write(&meta, hasher.finish(), &map))
}

/// The papers analyzed: postings, words, lengths and acronym definitions.
#[derive(Default)]
struct Analyzed {
    /// term → postings, in doc order.
    postings: BTreeMap<String, Vec<Posting>>,
    /// folded word → its term.
    words: BTreeMap<String, String>,
    doc_lens: Vec<[u16; FIELDS]>,
    total_len: [u64; FIELDS],
    /// acronym term → long form (terms) → how many papers define it so.
    acronyms: BTreeMap<String, BTreeMap<Vec<String>, u32>>,
    /// term → its token positions, per posting in the postings' order (when kept): per field,
    /// a varint count and varint gaps.
    positions: BTreeMap<String, Vec<u8>>,
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
fn analyze_all(papers: &[Paper], positions: bool, progress: &mut dyn FnMut(Progress)) -> Analyzed {
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
    // folded word → its term's number; term → its number; by number: term, postings, positions.
    let mut word_terms: HashMap<String, u32> = HashMap::new();
    let mut term_numbers: HashMap<String, u32> = HashMap::new();
    let mut terms: Vec<String> = Vec::new();
    let mut postings: Vec<Vec<Posting>> = Vec::new();
    let mut term_positions: Vec<Vec<u8>> = Vec::new();
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
                        let stem = analyzer.stem(word);
                        let term = match term_numbers.get(&stem) {
                            Some(&term) => term,
                            None => {
                                let term = terms.len() as u32;
                                term_numbers.insert(stem.clone(), term);
                                terms.push(stem);
                                postings.push(Vec::new());
                                term_positions.push(Vec::new());
                                term
                            }
                        };
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
                let list = &mut postings[term as usize];
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
        // Each term's positions are its own bytes: the order the terms are drained in is free.
        for (term, fields) in in_doc.drain() {
            let bytes = &mut term_positions[term as usize];
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
    out.words = word_terms.into_iter().map(|(word, term)| (word, terms[term as usize].clone())).collect();
    if positions {
        out.positions = terms.iter().cloned().zip(term_positions).collect();
    }
    out.postings = terms.into_iter().zip(postings).collect();
    out
}

/// A part's bytes: its `PART` name, then its sections.
fn part(id: PartId, sections: Vec<(&[u8; 4], Vec<u8>)>) -> Vec<u8> {
    let mut w = Writer::new();
    w.section(b"PART", id.section());
    for (tag, bytes) in sections {
        w.section(tag, bytes);
    }
    w.finish(ANALYZER_VERSION)
}

fn docs_part(papers: &[Paper], doc_lens: &[[u16; FIELDS]]) -> Vec<u8> {
    let mut lens = Vec::with_capacity(LENS_PER_DOC * doc_lens.len());
    for doc in doc_lens {
        lens.push(length_code(usize::from(doc[Field::Title as usize])));
        lens.push(length_code(usize::from(doc[Field::Abstract as usize])));
    }
    let mut years = Vec::with_capacity(2 * papers.len());
    for paper in papers {
        format::put_u16(&mut years, paper.year.unwrap_or(0));
    }
    part(PartId::DOCS, vec![(b"DLEN", lens), (b"YEAR", years)])
}

/// A term with its ordinal and document frequency.
type Known = (String, TermOrd, u32);

/// The dictionary's entries, by key: the words and terms, the prefix table, the acronyms and
/// the long forms. All four sort in one key space, which the shards split into ranges.
struct Dictionary<'t> {
    /// word or term → its packed value.
    keys: BTreeMap<&'t str, u64>,
    /// The terms, by ordinal, and their document frequencies.
    terms: &'t [&'t str],
    freqs: &'t [u32],
    /// folded word → its term.
    words: &'t BTreeMap<String, String>,
    /// prefix → the words it expands to: ordinal, document frequency, word (in byte order).
    prefixes: BTreeMap<String, Vec<(TermOrd, u32, String)>>,
    /// acronym term → its most frequent long forms, each a list of terms (with their ordinals
    /// and document frequencies).
    acronyms: BTreeMap<String, Vec<Vec<Known>>>,
    /// long form (terms joined by spaces) → its acronym's term.
    long_forms: BTreeMap<String, Known>,
}

impl<'t> Dictionary<'t> {
    fn new(
        analyzed: &'t Analyzed,
        terms: &'t [&'t str],
        freqs: &'t [u32],
        ord: &dyn Fn(&str) -> Option<TermOrd>,
    ) -> Self {
        // One dictionary of words and terms: most terms are also words (`network`), and one
        // fst of both is much smaller than two.
        let mut pairs: BTreeMap<&str, (Option<TermOrd>, Option<TermOrd>)> = BTreeMap::new();
        for (word, term) in &analyzed.words {
            pairs.entry(word).or_default().0 = ord(term);
        }
        for (i, &term) in terms.iter().enumerate() {
            pairs.entry(term).or_default().1 = Some(i as TermOrd);
        }
        let keys = pairs.into_iter().map(|(key, (word_of, term))| (key, dict_value(word_of, term))).collect();

        // The expansions of the short prefixes that begin many words, picked as the query side
        // would pick them, with one more word in case the prefix is itself a term (which a query
        // word does not expand to).
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for word in analyzed.words.keys() {
            for (end, c) in word.char_indices().take(PREFIX_TABLE_MAX_CHARS) {
                *counts.entry(&word[..end + c.len_utf8()]).or_default() += 1;
            }
        }
        let mut prefixes = BTreeMap::new();
        for (prefix, count) in counts {
            if count <= PREFIX_TABLE_MIN_WORDS {
                continue;
            }
            let mut top = TopTerms::new(terms.len(), &[], max_prefix_terms(prefix.chars().count()) + 1);
            for (word, term) in analyzed.words.range(prefix.to_string()..).take_while(|(w, _)| w.starts_with(prefix)) {
                if let Some(o) = ord(term) {
                    top.offer(word, o, freqs[o as usize]);
                }
            }
            let picked = top.finish_in_byte_order().into_iter().map(|(w, o, df)| (o, df, w)).collect();
            prefixes.insert(prefix.to_string(), picked);
        }

        // Acronyms: the most frequent long forms of each, and each long form's acronym. Each
        // term comes with its ordinal and document frequency, so that a query needs no other
        // shard of the dictionary to use them.
        let known = |term: &str| ord(term).map(|o| (term.to_string(), o, freqs[o as usize]));
        let mut acronyms = BTreeMap::new();
        let mut long_forms: BTreeMap<String, (u32, Known)> = BTreeMap::new();
        for (short, forms) in &analyzed.acronyms {
            let Some(short_known) = known(short) else { continue };
            let mut forms: Vec<(&Vec<String>, &u32)> = forms.iter().collect();
            forms.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            forms.truncate(MAX_LONG_FORMS);
            let mut known_forms = Vec::new();
            for (long, &count) in forms {
                // A long form two acronyms share belongs to the one more papers define it for;
                // the first in byte order when they tie.
                let entry = long_forms.entry(long.join(" ")).or_insert((count, short_known.clone()));
                if count > entry.0 {
                    *entry = (count, short_known.clone());
                }
                // A long form with a word no paper has as a term could never be matched.
                if let Some(terms) = long.iter().map(|t| known(t)).collect::<Option<Vec<Known>>>() {
                    known_forms.push(terms);
                }
            }
            acronyms.insert(short.clone(), known_forms);
        }
        let long_forms = long_forms.into_iter().map(|(long, (_, short))| (long, short)).collect();
        Dictionary { keys, terms, freqs, words: &analyzed.words, prefixes, acronyms, long_forms }
    }

    /// The shards' first keys: a shard grows until it reaches the layout's size, and ends
    /// early, past half that size, where a new first letter begins, so that small letters
    /// share a shard and the words of one letter (which typo matching reads) span few.
    fn boundaries(&self, target: usize) -> Vec<String> {
        let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
        for key in self.keys.keys() {
            *sizes.entry(key).or_default() += key.len() + 4;
        }
        for (prefix, words) in &self.prefixes {
            *sizes.entry(prefix).or_default() += words.iter().map(|(_, _, w)| w.len() + 5).sum::<usize>();
        }
        for (short, forms) in &self.acronyms {
            *sizes.entry(short).or_default() += forms.iter().flatten().map(|t| t.0.len() + 4).sum::<usize>();
        }
        for (long, short) in &self.long_forms {
            *sizes.entry(long).or_default() += long.len() + short.0.len() + 8;
        }
        let mut out = Vec::new();
        let mut size = 0;
        let mut last_first: Option<char> = None;
        for (key, bytes) in sizes {
            let first = key.chars().next();
            let new_letter = last_first.is_some() && first != last_first;
            if size > 0 && (size >= target || (new_letter && size >= target / 2)) {
                out.push(key.to_string());
                size = 0;
            }
            size += bytes;
            last_first = first;
        }
        out
    }

    /// Writes the dictionary shards; returns the shard map's first term ordinals and first keys.
    fn write(
        &self,
        layout: &Layout,
        emit: &mut dyn FnMut(PartId, Vec<u8>) -> Result<(), BuildError>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(Vec<TermOrd>, Vec<Vec<u8>>), BuildError> {
        let boundaries =
            if layout.dict_shard_bytes == usize::MAX { Vec::new() } else { self.boundaries(layout.dict_shard_bytes) };
        let count = boundaries.len() + 1;
        let mut first_terms = Vec::with_capacity(count);
        for n in 0..count {
            progress(Progress { stage: "dictionary shards", done: n, total: count });
            let low = if n == 0 { Bound::Unbounded } else { Bound::Included(boundaries[n - 1].as_str()) };
            let high = boundaries.get(n).map_or(Bound::Unbounded, |b| Bound::Excluded(b.as_str()));
            let first_term = match low {
                Bound::Included(b) => self.terms.partition_point(|t| *t < b),
                _ => 0,
            };
            let end_term = match high {
                Bound::Excluded(b) => self.terms.partition_point(|t| *t < b),
                _ => self.terms.len(),
            };
            first_terms.push(first_term as TermOrd);

            let mut dict = MapBuilder::memory();
            for (key, &value) in self.keys.range::<str, _>((low, high)) {
                dict.insert(key, value)?;
            }
            let mut freqs = Vec::new();
            for &df in &self.freqs[first_term..end_term] {
                format::put_varint(&mut freqs, df);
            }
            // The terms outside the shard that its words stem to, so that the shard alone
            // tells each of its words' document frequency.
            let mut foreign: Vec<TermOrd> = self
                .words
                .range::<str, _>((low, high))
                .filter_map(|(_, term)| self.terms.binary_search(&term.as_str()).ok())
                .filter(|&o| !(first_term..end_term).contains(&o))
                .map(|o| o as TermOrd)
                .collect();
            foreign.sort_unstable();
            foreign.dedup();
            let mut foreign_freqs = Vec::new();
            let mut prev = 0;
            for ord in foreign {
                format::put_varint(&mut foreign_freqs, ord - prev);
                format::put_varint(&mut foreign_freqs, self.freqs[ord as usize]);
                prev = ord;
            }
            let mut pref = MapBuilder::memory();
            let mut pref_lists = Vec::new();
            for (prefix, words) in self.prefixes.range::<str, _>((low, high)) {
                pref.insert(prefix, pref_lists.len() as u64)?;
                format::put_varint(&mut pref_lists, words.len() as u32);
                for (ord, df, word) in words {
                    format::put_varint(&mut pref_lists, *ord);
                    format::put_varint(&mut pref_lists, *df);
                    put_string(&mut pref_lists, word);
                }
            }
            let mut acro = MapBuilder::memory();
            let mut acro_forms = Vec::new();
            for (short, forms) in self.acronyms.range::<str, _>((low, high)) {
                acro.insert(short, acro_forms.len() as u64)?;
                format::put_varint(&mut acro_forms, forms.len() as u32);
                for form in forms {
                    format::put_varint(&mut acro_forms, form.len() as u32);
                    for term in form {
                        put_term(&mut acro_forms, term);
                    }
                }
            }
            let mut long = MapBuilder::memory();
            let mut long_acronyms = Vec::new();
            for (form, short) in self.long_forms.range::<str, _>((low, high)) {
                long.insert(form, long_acronyms.len() as u64)?;
                put_term(&mut long_acronyms, short);
            }
            let id = PartId { kind: PartKind::Dict, n: n as u32 };
            emit(
                id,
                part(
                    id,
                    vec![
                        (b"DICT", dict.into_inner()?),
                        (b"DFRQ", freqs),
                        (b"DFEX", foreign_freqs),
                        (b"PREF", pref.into_inner()?),
                        (b"PRFL", pref_lists),
                        (b"ACRO", acro.into_inner()?),
                        (b"ACRL", acro_forms),
                        (b"LONG", long.into_inner()?),
                        (b"LONL", long_acronyms),
                    ],
                ),
            )?;
        }
        Ok((first_terms, boundaries.into_iter().map(String::into_bytes).collect()))
    }
}

/// A term as the reader's `term_at` reads it: ordinal, document frequency, string.
fn put_term(out: &mut Vec<u8>, (term, ord, doc_freq): &Known) {
    format::put_varint(out, *ord);
    format::put_varint(out, *doc_freq);
    put_string(out, term);
}

fn put_string(out: &mut Vec<u8>, s: &str) {
    format::put_varint(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

/// Writes the postings shards; returns each one's first term ordinal.
fn write_postings(
    analyzed: &Analyzed,
    layout: &Layout,
    emit: &mut dyn FnMut(PartId, Vec<u8>) -> Result<(), BuildError>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<TermOrd>, BuildError> {
    let shards = TermShards {
        kind: PartKind::Postings,
        tags: [b"POFF", b"POST"],
        shard_bytes: layout.post_shard_bytes,
        stage: "postings shards",
    };
    let mut lists = analyzed.postings.values();
    shards.write(analyzed.postings.len(), emit, progress, |encoded| {
        let mut prev = 0;
        for p in lists.next().into_iter().flatten() {
            format::put_varint(encoded, p.doc - prev);
            prev = p.doc;
            put_tfs(encoded, p.tf);
        }
    })
}

/// Writes the positions shards (terms of `shard_bytes` of positions each, at least one term);
/// returns each one's first term ordinal.
fn write_positions(
    analyzed: &Analyzed,
    shard_bytes: usize,
    emit: &mut dyn FnMut(PartId, Vec<u8>) -> Result<(), BuildError>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<TermOrd>, BuildError> {
    let shards =
        TermShards { kind: PartKind::Positions, tags: [b"QOFF", b"QPOS"], shard_bytes, stage: "positions shards" };
    let mut terms = analyzed.postings.keys();
    shards.write(analyzed.postings.len(), emit, progress, |encoded| {
        if let Some(these) = terms.next().and_then(|t| analyzed.positions.get(t)) {
            encoded.extend_from_slice(these);
        }
    })
}

/// Parts of a term range each: per term, a varint length in the first section and its bytes in
/// the second. A shard ends before the term that would take it past `shard_bytes` (at least one
/// term a shard), so that a common term's long list is fetched without its neighbours'.
struct TermShards {
    kind: PartKind,
    tags: [&'static [u8; 4]; 2],
    shard_bytes: usize,
    /// What progress calls the stage.
    stage: &'static str,
}

impl TermShards {
    /// Writes the shards of `total` terms, whose bytes `encode` appends, term by term in
    /// ordinal order; returns each shard's first term ordinal.
    fn write(
        &self,
        total: usize,
        emit: &mut dyn FnMut(PartId, Vec<u8>) -> Result<(), BuildError>,
        progress: &mut dyn FnMut(Progress),
        mut encode: impl FnMut(&mut Vec<u8>),
    ) -> Result<Vec<TermOrd>, BuildError> {
        let stage = self.stage;
        let mut first_terms = vec![0];
        let (mut offsets, mut bytes, mut encoded) = (Vec::new(), Vec::new(), Vec::new());
        let mut flush = |n: usize, offsets: &mut Vec<u8>, bytes: &mut Vec<u8>| {
            let id = PartId { kind: self.kind, n: n as u32 };
            emit(id, part(id, vec![(self.tags[0], std::mem::take(offsets)), (self.tags[1], std::mem::take(bytes))]))
        };
        for ord in 0..total {
            encoded.clear();
            encode(&mut encoded);
            if !bytes.is_empty() && bytes.len() + encoded.len() > self.shard_bytes {
                flush(first_terms.len() - 1, &mut offsets, &mut bytes)?;
                first_terms.push(ord as TermOrd);
                progress(Progress { stage, done: ord, total });
            }
            format::put_varint(&mut offsets, encoded.len() as u32);
            bytes.extend_from_slice(&encoded);
        }
        flush(first_terms.len() - 1, &mut offsets, &mut bytes)?;
        progress(Progress { stage, done: total, total });
        Ok(first_terms)
    }
}

/// The stored strings of a paper, in slot order.
fn slots(paper: &Paper) -> [String; SLOTS] {
    [
        paper.title.clone(),
        paper.abstract_text.clone(),
        paper.key.clone().unwrap_or_default(),
        paper.authors.join("\n"),
        paper.url.clone().unwrap_or_default(),
        paper.categories.join("\n"),
    ]
}

/// Writes the text shards, after `files` other parts; returns the papers per shard.
fn write_text(
    papers: &[Paper],
    related: &[[DocId; RELATED]],
    layout: &Layout,
    files: usize,
    emit: &mut dyn FnMut(PartId, Vec<u8>) -> Result<(), BuildError>,
    progress: &mut dyn FnMut(Progress),
) -> Result<u32, BuildError> {
    let per_shard = if layout.text_shard_bytes == usize::MAX {
        papers.len().max(1)
    } else {
        let bytes: usize = papers.iter().map(|p| slots(p).iter().map(String::len).sum::<usize>()).sum();
        let mean = bytes / papers.len().max(1);
        let by_size = layout.text_shard_bytes / mean.max(1);
        let by_files = papers.len().div_ceil(layout.max_files.saturating_sub(files).max(1));
        by_size.max(by_files).clamp(1, papers.len().max(1))
    };
    let shards = papers.len().div_ceil(per_shard);
    for (n, (run, related)) in papers.chunks(per_shard).zip(related.chunks(per_shard)).enumerate() {
        if n % 256 == 0 {
            progress(Progress { stage: "text shards", done: n, total: shards });
        }
        let mut text = Vec::new();
        let mut offsets = Vec::with_capacity(2 * SLOTS * run.len());
        for paper in run {
            for slot in slots(paper) {
                format::put_varint(&mut offsets, slot.len() as u32);
                text.extend_from_slice(slot.as_bytes());
            }
        }
        let mut rela = Vec::with_capacity(3 * RELATED * run.len());
        for ids in related {
            let found: Vec<DocId> = ids.iter().copied().filter(|&d| d != u32::MAX).collect();
            format::put_varint(&mut rela, found.len() as u32);
            for id in found {
                format::put_varint(&mut rela, id);
            }
        }
        let id = PartId { kind: PartKind::Text, n: n as u32 };
        emit(id, part(id, vec![(b"TOFF", offsets), (b"TEXT", text), (b"RELA", rela)]))?;
    }
    progress(Progress { stage: "text shards", done: shards, total: shards });
    Ok(per_shard as u32)
}
