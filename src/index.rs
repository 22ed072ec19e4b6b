//! Index: papers → the inverted index (at build time), and the reader over its bytes (at run
//! time).
//!
//! `build.rs` calls [`build`] on the parsed corpus and embeds the bytes in the wasm module;
//! [`Index::open`] reads them in place: it checks the header and slices the sections, and
//! decodes nothing else until a query asks for a term's postings.
//!
//! Sections (see `format` for the header, ARCHITECTURE.md for the whole format):
//!
//! | tag    | content |
//! |--------|---------|
//! | `META` | doc count, term count, word count (u32 each), mean title, abstract and authors length (f32 each) |
//! | `TERM` | fst map: term (stem) → term ordinal (its rank in byte order) |
//! | `WORD` | fst map: folded word → ordinal of its term; prefix and typo matching run on it |
//! | `POFF` | (term count + 1) u32 offsets into `POST`, by term ordinal |
//! | `POST` | per term: varint doc frequency, then per doc: varint doc-id gap, varint tf in each field |
//! | `DLEN` | per doc: u16 length in tokens of each field (saturating) |
//! | `YEAR` | per doc: u16 year, 0 when the corpus gives none |
//! | `TOFF` | (SLOTS × doc count + 1) u32 offsets into `TEXT`, [`Slot`] order for doc 0, then doc 1, ... |
//! | `TEXT` | the papers' text, UTF-8, exactly as the corpus has it (lists joined with `\n`) |
//! | `ACRO` | fst map: acronym term → offset into `ACRL` |
//! | `ACRL` | per acronym: varint form count; per form: varint byte length, its terms joined by spaces |
//! | `LONG` | fst map: a long form's terms joined by spaces → ordinal of its acronym's term |
//! | `RELA` | per doc: RELATED u32 ids of the most similar papers, best first, `u32::MAX` padding |
//!
//! Term ordinals follow byte order, so `POFF`/`POST` split into term-range shards, and
//! `TOFF`/`TEXT` into doc-range shards, without renumbering anything.

use std::collections::{BTreeMap, HashMap};

use fst::{Automaton, IntoStreamer, Map, MapBuilder, Streamer};

use crate::acronym;
use crate::analyze::{self, Analyzer, ANALYZER_VERSION};
use crate::corpus::Paper;
use crate::format::{self, FormatError, Reader, Writer};

/// Number of indexed fields.
pub const FIELDS: usize = 3;

/// A field of a paper, as indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Title = 0,
    Abstract = 1,
    Authors = 2,
}

impl Field {
    pub const ALL: [Field; FIELDS] = [Field::Title, Field::Abstract, Field::Authors];
}

/// The stored strings of a paper, in their order in `TOFF`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Title = 0,
    Abstract = 1,
    Key = 2,
    Authors = 3,
    Url = 4,
    Categories = 5,
}

/// Number of stored strings per paper.
pub const SLOTS: usize = 6;

/// How many related papers are stored for each paper.
pub const RELATED: usize = 6;

/// Most long forms kept for one acronym (the most frequent).
const MAX_LONG_FORMS: usize = 3;

/// Terms of a paper that take part in finding its related papers (the highest TF-IDF).
const RELATED_TERMS: usize = 30;

/// A paper's number: its 0-based position in the corpus.
pub type DocId = u32;

/// A term's number: its rank among all terms in byte order.
pub type TermOrd = u32;

/// One entry of a term's postings list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub doc: DocId,
    /// How often the term occurs in each field, by [`Field`] index.
    pub tf: [u32; FIELDS],
}

/// Corpus-wide numbers stored in the `META` section.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Meta {
    pub doc_count: u32,
    pub term_count: u32,
    pub word_count: u32,
    /// Mean length in tokens of each field, by [`Field`] index.
    pub avg_len: [f32; FIELDS],
}

/// The text of each field of a paper, as indexed.
fn field_texts(paper: &Paper) -> [String; FIELDS] {
    [paper.title.clone(), paper.abstract_text.clone(), paper.authors.join("\n")]
}

/// Builds the index file for `papers`.
///
/// # Errors
///
/// Only if the fst builder fails, which sorted input rules out; kept as an error rather than a
/// panic because this runs in someone's build.
pub fn build(papers: &[Paper]) -> Result<Vec<u8>, fst::Error> {
    let analyzer = Analyzer::new();
    // term → postings, in doc order because docs are visited in order.
    let mut postings: BTreeMap<String, Vec<Posting>> = BTreeMap::new();
    // folded word → its term.
    let mut words: BTreeMap<String, String> = BTreeMap::new();
    let mut doc_lens = Vec::with_capacity(papers.len() * 2 * FIELDS);
    let mut total_len = [0u64; FIELDS];
    // acronym term → long form (terms) → how many papers define it so.
    let mut acronyms: BTreeMap<String, BTreeMap<Vec<String>, u32>> = BTreeMap::new();

    for (doc, paper) in papers.iter().enumerate() {
        let doc = doc as DocId;
        for (field, text) in Field::ALL.into_iter().zip(field_texts(paper)) {
            let tokens = analyzer.tokens(&text);
            let len = tokens.iter().filter(|t| !t.joined).count();
            total_len[field as usize] += len as u64;
            format::put_u16(&mut doc_lens, u16::try_from(len).unwrap_or(u16::MAX));
            for token in tokens {
                let list = postings.entry(token.term.clone()).or_default();
                match list.last_mut() {
                    Some(p) if p.doc == doc => p.tf[field as usize] += 1,
                    _ => {
                        let mut tf = [0; FIELDS];
                        tf[field as usize] = 1;
                        list.push(Posting { doc, tf });
                    }
                }
                words.entry(token.word).or_insert(token.term);
            }
        }
        for text in [&paper.title, &paper.abstract_text] {
            for d in acronym::definitions(text) {
                let long: Vec<String> =
                    d.long.iter().filter(|w| !analyze::is_stop_word(w)).map(|w| analyzer.stem(w)).collect();
                if long.len() >= 2 {
                    *acronyms.entry(analyzer.stem(&d.short)).or_default().entry(long).or_default() += 1;
                }
            }
        }
    }

    let ords: BTreeMap<&str, TermOrd> = postings.keys().enumerate().map(|(i, t)| (t.as_str(), i as TermOrd)).collect();

    let mut post = Vec::new();
    let mut post_offsets = Vec::with_capacity(4 * (postings.len() + 1));
    for list in postings.values() {
        format::put_u32(&mut post_offsets, post.len() as u32);
        format::put_varint(&mut post, list.len() as u32);
        let mut prev = 0;
        for p in list {
            format::put_varint(&mut post, p.doc - prev);
            prev = p.doc;
            put_tfs(&mut post, p.tf);
        }
    }
    format::put_u32(&mut post_offsets, post.len() as u32);

    // One dictionary of words and terms: most terms are also words (`network`), and one fst
    // of both is much smaller than two.
    let mut keys: BTreeMap<&str, (Option<TermOrd>, Option<TermOrd>)> = BTreeMap::new();
    for (word, term) in &words {
        keys.entry(word).or_default().0 = Some(ords[term.as_str()]);
    }
    for (&term, &ord) in &ords {
        keys.entry(term).or_default().1 = Some(ord);
    }
    let mut dict_fst = MapBuilder::memory();
    for (key, (word_of, term)) in keys {
        dict_fst.insert(key, dict_value(word_of, term))?;
    }

    // The expansions of the short prefixes that begin many words, picked as the query side
    // would pick them, with one more word in case the prefix is itself a term (which a query
    // word does not expand to).
    let term_count = postings.len();
    let mut pref_fst = MapBuilder::memory();
    let mut pref_list = Vec::new();
    let mut prefixes: BTreeMap<&str, usize> = BTreeMap::new();
    for word in words.keys() {
        for (end, c) in word.char_indices().take(PREFIX_TABLE_MAX_CHARS) {
            *prefixes.entry(&word[..end + c.len_utf8()]).or_default() += 1;
        }
    }
    for (prefix, count) in prefixes {
        if count <= PREFIX_TABLE_MIN_WORDS {
            continue;
        }
        let mut top = TopTerms::new(term_count, &[], max_prefix_terms(prefix.chars().count()) + 1);
        for (word, term) in words.range(prefix.to_string()..).take_while(|(w, _)| w.starts_with(prefix)) {
            top.offer(word, ords[term.as_str()], postings[term].len() as u32);
        }
        pref_fst.insert(prefix, pref_list.len() as u64)?;
        let picked = top.finish_in_byte_order();
        format::put_varint(&mut pref_list, picked.len() as u32);
        for (word, ord) in picked {
            format::put_varint(&mut pref_list, ord);
            format::put_varint(&mut pref_list, word.len() as u32);
            pref_list.extend_from_slice(word.as_bytes());
        }
    }

    let mut text = Vec::new();
    let mut text_offsets = Vec::with_capacity(4 * (SLOTS * papers.len() + 1));
    let mut years = Vec::with_capacity(2 * papers.len());
    for paper in papers {
        let slots: [String; SLOTS] = [
            paper.title.clone(),
            paper.abstract_text.clone(),
            paper.key.clone().unwrap_or_default(),
            paper.authors.join("\n"),
            paper.url.clone().unwrap_or_default(),
            paper.categories.join("\n"),
        ];
        for slot in slots {
            format::put_u32(&mut text_offsets, text.len() as u32);
            text.extend_from_slice(slot.as_bytes());
        }
        format::put_u16(&mut years, paper.year.unwrap_or(0));
    }
    format::put_u32(&mut text_offsets, text.len() as u32);

    // Acronyms: the most frequent long forms of each, and each long form's acronym.
    let mut acro_fst = MapBuilder::memory();
    let mut acro_list = Vec::new();
    let mut long_forms: BTreeMap<String, (u32, TermOrd)> = BTreeMap::new();
    for (short, forms) in &acronyms {
        let Some(&short_ord) = ords.get(short.as_str()) else { continue };
        let mut forms: Vec<(&Vec<String>, &u32)> = forms.iter().collect();
        forms.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        forms.truncate(MAX_LONG_FORMS);
        acro_fst.insert(short, acro_list.len() as u64)?;
        format::put_varint(&mut acro_list, forms.len() as u32);
        for (long, &count) in forms {
            let joined = long.join(" ");
            format::put_varint(&mut acro_list, joined.len() as u32);
            acro_list.extend_from_slice(joined.as_bytes());
            let entry = long_forms.entry(joined).or_insert((count, short_ord));
            if count > entry.0 {
                *entry = (count, short_ord);
            }
        }
    }
    let mut long_fst = MapBuilder::memory();
    for (long, (_, short_ord)) in &long_forms {
        long_fst.insert(long, u64::from(*short_ord))?;
    }

    let related = related_papers(papers.len(), &postings);

    let mut meta = Vec::new();
    format::put_u32(&mut meta, papers.len() as u32);
    format::put_u32(&mut meta, postings.len() as u32);
    format::put_u32(&mut meta, words.len() as u32);
    for total in total_len {
        let avg = if papers.is_empty() { 0.0 } else { total as f64 / papers.len() as f64 };
        format::put_f32(&mut meta, avg as f32);
    }

    let mut w = Writer::new();
    w.section(b"META", meta);
    w.section(b"DICT", dict_fst.into_inner()?);
    w.section(b"PREF", pref_fst.into_inner()?);
    w.section(b"PRFL", pref_list);
    w.section(b"POFF", post_offsets);
    w.section(b"POST", post);
    w.section(b"DLEN", doc_lens);
    w.section(b"YEAR", years);
    w.section(b"TOFF", text_offsets);
    w.section(b"TEXT", text);
    w.section(b"ACRO", acro_fst.into_inner()?);
    w.section(b"ACRL", acro_list);
    w.section(b"LONG", long_fst.into_inner()?);
    w.section(b"RELA", related);
    Ok(w.finish(ANALYZER_VERSION))
}

/// For each paper, the [`RELATED`] papers most similar to it by cosine similarity of TF-IDF
/// vectors (title and abstract), as the `RELA` section. Candidates come from the postings of
/// each paper's [`RELATED_TERMS`] strongest terms, so the work stays near-linear in the corpus.
fn related_papers(n: usize, postings: &BTreeMap<String, Vec<Posting>>) -> Vec<u8> {
    let mut vectors: Vec<Vec<(usize, f32)>> = vec![Vec::new(); n];
    let lists: Vec<&Vec<Posting>> = postings.values().collect();
    for (t, list) in lists.iter().enumerate() {
        let df = list.len();
        // A term in every other paper says nothing about which papers are alike.
        if df < 2 || df * 4 > n.max(8) {
            continue;
        }
        let idf = ((n as f32 + 1.0) / (df as f32 + 0.5)).ln();
        for p in list.iter() {
            let tf = (2 * p.tf[Field::Title as usize] + p.tf[Field::Abstract as usize]) as f32;
            if tf > 0.0 {
                vectors[p.doc as usize].push((t, (1.0 + tf.ln()) * idf));
            }
        }
    }
    for v in &mut vectors {
        let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt().max(f32::MIN_POSITIVE);
        v.iter_mut().for_each(|(_, w)| *w /= norm);
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
    }
    let weight: Vec<HashMap<usize, f32>> = vectors.iter().map(|v| v.iter().copied().collect()).collect();
    let mut out = Vec::with_capacity(4 * RELATED * n);
    let mut scores: HashMap<usize, f32> = HashMap::new();
    for (doc, v) in vectors.iter().enumerate() {
        scores.clear();
        for &(t, w) in v.iter().take(RELATED_TERMS) {
            for p in lists[t].iter() {
                let other = p.doc as usize;
                if other != doc {
                    if let Some(w2) = weight[other].get(&t) {
                        *scores.entry(other).or_default() += w * w2;
                    }
                }
            }
        }
        let mut best: Vec<(usize, f32)> = scores.iter().map(|(&d, &s)| (d, s)).collect();
        best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for k in 0..RELATED {
            format::put_u32(&mut out, best.get(k).map_or(u32::MAX, |&(d, _)| d as u32));
        }
    }
    out
}

/// The index, read in place from its bytes.
pub struct Index<'a> {
    meta: Meta,
    /// Words and terms, values as [`dict_value`] packs them.
    dict: Map<&'a [u8]>,
    prefix_table: Map<&'a [u8]>,
    prefix_lists: &'a [u8],
    post_offsets: &'a [u8],
    postings: &'a [u8],
    doc_lens: &'a [u8],
    years: &'a [u8],
    text_offsets: &'a [u8],
    text: &'a str,
    acronyms: Map<&'a [u8]>,
    acronym_forms: &'a [u8],
    long_forms: Map<&'a [u8]>,
    related: &'a [u8],
}

impl<'a> Index<'a> {
    /// Reads an index: checks the header, slices the sections, validates the text as UTF-8.
    ///
    /// # Errors
    ///
    /// [`FormatError`] for bytes that are not an index of this format and analyzer version.
    pub fn open(bytes: &'a [u8]) -> Result<Self, FormatError> {
        let r = Reader::open(bytes, ANALYZER_VERSION)?;
        let m = r.section(b"META")?;
        let short = FormatError::Truncated("META");
        let meta = Meta {
            doc_count: format::u32_at(m, 0).ok_or(short.clone())?,
            term_count: format::u32_at(m, 4).ok_or(short.clone())?,
            word_count: format::u32_at(m, 8).ok_or(short.clone())?,
            avg_len: [
                format::f32_at(m, 12).ok_or(short.clone())?,
                format::f32_at(m, 16).ok_or(short.clone())?,
                format::f32_at(m, 20).ok_or(short)?,
            ],
        };
        let fst_map = |tag| -> Result<Map<&'a [u8]>, FormatError> {
            Map::new(r.section(tag)?).map_err(|_| FormatError::Corrupt("term dictionary"))
        };
        let index = Index {
            meta,
            dict: fst_map(b"DICT")?,
            prefix_table: fst_map(b"PREF")?,
            prefix_lists: r.section(b"PRFL")?,
            post_offsets: r.section(b"POFF")?,
            postings: r.section(b"POST")?,
            doc_lens: r.section(b"DLEN")?,
            years: r.section(b"YEAR")?,
            text_offsets: r.section(b"TOFF")?,
            text: std::str::from_utf8(r.section(b"TEXT")?).map_err(|_| FormatError::Corrupt("text is not UTF-8"))?,
            acronyms: fst_map(b"ACRO")?,
            acronym_forms: r.section(b"ACRL")?,
            long_forms: fst_map(b"LONG")?,
            related: r.section(b"RELA")?,
        };
        let docs = meta.doc_count as usize;
        if index.post_offsets.len() != 4 * (meta.term_count as usize + 1)
            || index.doc_lens.len() != 2 * FIELDS * docs
            || index.years.len() != 2 * docs
            || index.related.len() != 4 * RELATED * docs
            || index.text_offsets.len() != 4 * (SLOTS * docs + 1)
            || !(u64::from(meta.term_count.max(meta.word_count))
                ..=u64::from(meta.term_count) + u64::from(meta.word_count))
                .contains(&(index.dict.len() as u64))
        {
            return Err(FormatError::Corrupt("section sizes disagree with META"));
        }
        Ok(index)
    }

    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    pub fn doc_count(&self) -> u32 {
        self.meta.doc_count
    }

    /// The ordinal of a term (a stem), if any paper has it.
    pub fn term(&self, term: &str) -> Option<TermOrd> {
        self.dict.get(term).and_then(dict_term)
    }

    /// How many terms the dictionary has: term ordinals are below it.
    pub fn term_count(&self) -> usize {
        self.meta.term_count as usize
    }

    /// The ordinal of the term a folded word of the corpus stems to, if the corpus has the word.
    pub fn word(&self, word: &str) -> Option<TermOrd> {
        self.dict.get(word).and_then(dict_word)
    }

    /// The words an unfinished word `prefix` expands to, with their terms: the `max` most
    /// frequent terms not in `have`, each with its first word, most frequent first. A short
    /// prefix that begins many words reads the build's pick (when it holds enough words to
    /// leave out `have`); any other walks the dictionary.
    pub fn prefix_terms(&self, prefix: &str, have: &[TermOrd], max: usize) -> Vec<(String, TermOrd)> {
        let mut top = TopTerms::new(self.term_count(), have, max);
        let listed = self.prefix_table.get(prefix).and_then(|at| self.listed_words(at as usize));
        match listed {
            Some(words) if words.len() >= max + have.len() => {
                for (word, ord) in words {
                    top.offer(word, ord, self.doc_freq(ord));
                }
            }
            _ => self.for_each_word_with_prefix(prefix, |word, ord| top.offer(word, ord, self.doc_freq(ord))),
        }
        top.finish()
    }

    /// The words of the prefix list at `at` in `PRFL`, with their terms, in byte order.
    fn listed_words(&self, at: usize) -> Option<Vec<(&'a str, TermOrd)>> {
        let bytes = self.prefix_lists;
        let mut pos = at;
        let count = format::varint(bytes, &mut pos)?;
        let mut out = Vec::with_capacity(count.min(64) as usize);
        for _ in 0..count {
            let ord = format::varint(bytes, &mut pos)?;
            let len = format::varint(bytes, &mut pos)? as usize;
            let word = std::str::from_utf8(bytes.get(pos..pos.checked_add(len)?)?).ok()?;
            pos += len;
            out.push((word, ord));
        }
        Some(out)
    }

    /// Calls `f` with each word that starts with `prefix` and its term ordinal, in byte order,
    /// without copying the words (a one-letter prefix begins thousands).
    pub fn for_each_word_with_prefix(&self, prefix: &str, mut f: impl FnMut(&str, TermOrd)) {
        let automaton = fst::automaton::Str::new(prefix).starts_with();
        let mut stream = self.dict.search(automaton).into_stream();
        while let Some((word, value)) = stream.next() {
            if let (Ok(word), Some(ord)) = (std::str::from_utf8(word), dict_word(value)) {
                f(word, ord);
            }
        }
    }

    fn postings_bytes(&self, ord: TermOrd) -> &'a [u8] {
        let start = format::u32_index(self.post_offsets, ord as usize);
        let end = format::u32_index(self.post_offsets, ord as usize + 1);
        match (start, end) {
            (Some(s), Some(e)) => self.postings.get(s as usize..e as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// How many papers contain the term.
    pub fn doc_freq(&self, ord: TermOrd) -> u32 {
        format::varint(self.postings_bytes(ord), &mut 0).unwrap_or(0)
    }

    /// The term's postings, in doc order.
    pub fn postings(&self, ord: TermOrd) -> Postings<'a> {
        let bytes = self.postings_bytes(ord);
        let mut pos = 0;
        let left = format::varint(bytes, &mut pos).unwrap_or(0);
        Postings { bytes, pos, left, doc: 0 }
    }

    /// Words within `distance` edits of `word` (or of a prefix of them, with `prefix`), among
    /// the words that start with the same letter, with their term ordinals and distances, in
    /// byte order. An edit inserts, deletes or changes a letter, or swaps two neighbouring
    /// letters (`grokkign` is one edit from `grokking`). A word longer than [`NEAR_MAX_CHARS`]
    /// has no near words.
    ///
    /// Keeping the first letter (as search engines' fuzzy matching usually does) bounds the
    /// work to one slice of the dictionary; within it, [`Near`] leaves every branch of the
    /// dictionary in which no word can come within the distance.
    pub fn words_near(&self, word: &str, distance: u32, prefix: bool) -> Vec<(String, TermOrd, u32)> {
        let target: Vec<char> = word.chars().collect();
        if target.is_empty() || target.len() > NEAR_MAX_CHARS {
            return Vec::new();
        }
        let near = Near { target: &target, max: distance.min(u32::from(u8::MAX)) as u8, prefix };
        let mut stream = self.dict.search_with_state(&near).into_stream();
        let mut out = Vec::new();
        while let Some((w, value, state)) = stream.next() {
            if let (Ok(w), Some(ord)) = (std::str::from_utf8(w), dict_word(value)) {
                out.push((w.to_string(), ord, u32::from(near.distance(&state))));
            }
        }
        out
    }

    /// The long forms (each a list of terms) of an acronym term, most frequent first.
    pub fn long_forms(&self, acronym: &str) -> Vec<Vec<&'a str>> {
        let Some(at) = self.acronyms.get(acronym) else { return Vec::new() };
        let bytes = self.acronym_forms;
        let mut pos = at as usize;
        let count = format::varint(bytes, &mut pos).unwrap_or(0);
        let mut out = Vec::new();
        for _ in 0..count {
            let Some(len) = format::varint(bytes, &mut pos) else { break };
            let Some(form) = bytes.get(pos..pos + len as usize).and_then(|b| std::str::from_utf8(b).ok()) else {
                break;
            };
            pos += len as usize;
            out.push(form.split(' ').collect());
        }
        out
    }

    /// The acronym term of a long form given as its terms, if the corpus defines one.
    pub fn acronym_of(&self, long_form: &[&str]) -> Option<String> {
        let ord = self.long_forms.get(long_form.join(" "))?;
        // `LONG` gives the acronym's term ordinal; the acronyms (a few hundred keys, unlike the
        // whole term dictionary) are searched for the term with that ordinal.
        let mut stream = self.acronyms.stream();
        while let Some((acronym, _)) = stream.next() {
            if self.dict.get(acronym).and_then(dict_term) == Some(ord as TermOrd) {
                return Some(String::from_utf8_lossy(acronym).into_owned());
            }
        }
        None
    }

    /// The papers most similar to `doc`, best first (computed at build time).
    pub fn related(&self, doc: DocId) -> Vec<DocId> {
        (0..RELATED)
            .filter_map(|k| format::u32_index(self.related, doc as usize * RELATED + k))
            .filter(|&d| d != u32::MAX)
            .collect()
    }

    /// A paper's year, if the corpus gives one.
    pub fn year(&self, doc: DocId) -> Option<u16> {
        format::u16_index(self.years, doc as usize).filter(|&y| y != 0)
    }

    /// Length in tokens of a field of a paper.
    pub fn field_len(&self, doc: DocId, field: Field) -> u32 {
        format::u16_index(self.doc_lens, doc as usize * FIELDS + field as usize).map_or(0, u32::from)
    }

    /// One stored string of a paper ("" for an id past the end or an absent field).
    pub fn slot(&self, doc: DocId, slot: Slot) -> &'a str {
        self.text(doc as usize * SLOTS + slot as usize)
    }

    fn text(&self, slot: usize) -> &'a str {
        let start = format::u32_index(self.text_offsets, slot);
        let end = format::u32_index(self.text_offsets, slot + 1);
        match (start, end) {
            (Some(s), Some(e)) => self.text.get(s as usize..e as usize).unwrap_or(""),
            _ => "",
        }
    }

    /// A paper's title ("" for an id past the end).
    pub fn title(&self, doc: DocId) -> &'a str {
        self.slot(doc, Slot::Title)
    }

    /// A paper's abstract ("" for an id past the end).
    pub fn abstract_text(&self, doc: DocId) -> &'a str {
        self.slot(doc, Slot::Abstract)
    }
}

/// The optimal-string-alignment distance between `a` and `b` (or, with `prefix_of_b`, the
/// least distance between `a` and a prefix of `b`), if it is at most `max`.
#[cfg(test)]
fn edit_distance(a: &[char], b: &[char], max: u32, prefix_of_b: bool) -> Option<u32> {
    let m = b.len();
    let mut before: Vec<u32> = vec![0; m + 1];
    let mut prev: Vec<u32> = (0..=m as u32).collect();
    let mut cur: Vec<u32> = vec![0; m + 1];
    for i in 1..=a.len() {
        cur[0] = i as u32;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = u32::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = if prefix_of_b { prev.iter().copied().min().unwrap_or(0) } else { prev[m] };
    (d <= max).then_some(d)
}

/// Packs what a `DICT` key is: bit 0 says it is a folded word of the corpus, bit 1 that it
/// is a term; bits 2 to 32 hold the ordinal of its term (as a word, the term it stems to; as a
/// term, itself); a key that is a word of one term and itself another term (a few in a
/// thousand) holds that other term's ordinal plus one from bit 33 up. Ordinals are below
/// 2^31 - 1: every term's postings take at least two bytes of `POST`, whose offsets are u32.
fn dict_value(word_of: Option<TermOrd>, term: Option<TermOrd>) -> u64 {
    match (word_of, term) {
        (Some(a), Some(b)) if a == b => u64::from(a) << 2 | 0b11,
        (Some(a), Some(b)) => (u64::from(b) + 1) << 33 | u64::from(a) << 2 | 0b11,
        (Some(a), None) => u64::from(a) << 2 | 0b01,
        (None, Some(b)) => u64::from(b) << 2 | 0b10,
        (None, None) => 0,
    }
}

const DICT_ORD_MASK: u64 = (1 << 31) - 1;

/// The term a `DICT` key stems to as a word, if it is a word.
fn dict_word(value: u64) -> Option<TermOrd> {
    (value & 0b01 != 0).then_some(((value >> 2) & DICT_ORD_MASK) as u32)
}

/// The key's own term ordinal, if it is a term.
fn dict_term(value: u64) -> Option<TermOrd> {
    (value & 0b10 != 0).then(|| match value >> 33 {
        0 => ((value >> 2) & DICT_ORD_MASK) as u32,
        other => (other - 1) as u32,
    })
}

/// Most dictionary words an unfinished last word expands to (the most frequent are kept), so a
/// one-letter prefix costs no more than a long one.
pub const MAX_PREFIX_TERMS: usize = 40;

/// Most dictionary words an unfinished word of `chars` chars expands to: a prefix of one or
/// two letters says little about the word being typed, and its most frequent words are the
/// ones with the longest postings, so it expands to fewer.
pub fn max_prefix_terms(chars: usize) -> usize {
    match chars {
        0 | 1 => MAX_PREFIX_TERMS / 4,
        2 => MAX_PREFIX_TERMS / 2,
        _ => MAX_PREFIX_TERMS,
    }
}

/// Prefixes of at most this many chars that begin more than [`PREFIX_TABLE_MIN_WORDS`] words
/// have their expansion computed at build time (`PREF`/`PRFL`): walking the thousands of
/// words of `c` in a large dictionary is most of the cost of the first keystroke.
pub const PREFIX_TABLE_MAX_CHARS: usize = 2;

/// See [`PREFIX_TABLE_MAX_CHARS`]: below this many words, walking them is cheap.
pub const PREFIX_TABLE_MIN_WORDS: usize = 256;

/// Picks the terms a word expands to from dictionary words offered one at a time in byte
/// order: one word per term (the first), none for a term in `have` or for a stop word, and of
/// those the `max` most frequent, ties going to the earlier word. Only words that enter the
/// pick are copied, and a bit per term finds repeats, so offering the thousands of words of a
/// one-letter prefix costs little more than reading them. The same picker fills the build's
/// prefix table and the query side's expansions, so both pick alike.
pub struct TopTerms {
    max: usize,
    seen: Vec<u64>,
    /// How many distinct terms were offered: each one's place in byte order.
    offered: u32,
    /// The pick, best first, each with its sort key: `u32::MAX - doc_freq` above its place.
    top: Vec<(u64, String, TermOrd)>,
}

impl TopTerms {
    /// A picker for a dictionary of `term_count` terms.
    pub fn new(term_count: usize, have: &[TermOrd], max: usize) -> Self {
        let mut picker =
            TopTerms { max, seen: vec![0; term_count.div_ceil(64)], offered: 0, top: Vec::with_capacity(max + 1) };
        for &ord in have {
            picker.first_time(ord);
        }
        picker
    }

    fn first_time(&mut self, ord: TermOrd) -> bool {
        let (i, bit) = (ord as usize / 64, 1u64 << (ord % 64));
        self.seen.get_mut(i).is_some_and(|w| std::mem::replace(w, *w | bit) & bit == 0)
    }

    /// Offers a word of the term `ord`, which `doc_freq` papers contain. Stop words are never
    /// picked: `o` is not looking for `of`, and scoring it would read every paper.
    pub fn offer(&mut self, word: &str, ord: TermOrd, doc_freq: u32) {
        if analyze::is_stop_word(word) || !self.first_time(ord) {
            return;
        }
        let key = (u64::from(u32::MAX - doc_freq) << 32) | u64::from(self.offered);
        self.offered += 1;
        if self.top.len() == self.max && self.top.last().is_none_or(|last| key > last.0) {
            return;
        }
        let at = self.top.partition_point(|t| t.0 < key);
        self.top.insert(at, (key, word.to_string(), ord));
        self.top.truncate(self.max);
    }

    /// The picked words and their terms, most frequent first.
    pub fn finish(self) -> Vec<(String, TermOrd)> {
        self.top.into_iter().map(|(_, w, ord)| (w, ord)).collect()
    }

    /// The picked words and their terms, in byte order.
    fn finish_in_byte_order(mut self) -> Vec<(String, TermOrd)> {
        self.top.sort_unstable_by_key(|t| t.0 as u32);
        self.finish()
    }
}

/// Longest word, in chars, that [`Index::words_near`] looks for.
pub const NEAR_MAX_CHARS: usize = 23;

/// The fst automaton of [`Index::words_near`]: it computes the edit-distance table between
/// the target and the dictionary word as the walk reads it, one row per char, and tells the
/// walk to leave a branch once every entry of the row exceeds the distance (no longer word can
/// come back within it). The rows are arrays, so a state costs no allocation.
struct Near<'t> {
    target: &'t [char],
    max: u8,
    /// Whether the target may be a prefix of the word (the word being typed).
    prefix: bool,
}

#[derive(Clone, Copy)]
struct NearState {
    /// `row[i]`: the distance between `target[..i]` and the chars read.
    row: [u8; NEAR_MAX_CHARS + 1],
    /// The row one char earlier, for swaps of neighbouring letters.
    before: [u8; NEAR_MAX_CHARS + 1],
    /// The last char read, for swaps.
    last: char,
    /// How many chars have been read.
    chars: u8,
    /// The least distance between the whole target and any prefix of the chars read.
    best_prefix: u8,
    /// The bytes of a char not read whole yet.
    pending: [u8; 4],
    pending_len: u8,
    /// The first letter differs: nothing here matches.
    dead: bool,
}

impl Near<'_> {
    fn distance(&self, state: &NearState) -> u8 {
        if self.prefix {
            state.best_prefix
        } else {
            state.row[self.target.len()]
        }
    }
}

impl fst::Automaton for &Near<'_> {
    type State = NearState;

    fn start(&self) -> NearState {
        let mut row = [0u8; NEAR_MAX_CHARS + 1];
        for (i, r) in row.iter_mut().enumerate() {
            *r = i.min(usize::from(u8::MAX)) as u8;
        }
        let n = self.target.len();
        NearState {
            row,
            before: row,
            last: '\0',
            chars: 0,
            best_prefix: row[n],
            pending: [0; 4],
            pending_len: 0,
            dead: false,
        }
    }

    fn is_match(&self, state: &NearState) -> bool {
        !state.dead && state.chars > 0 && state.pending_len == 0 && self.distance(state) <= self.max
    }

    fn can_match(&self, state: &NearState) -> bool {
        let n = self.target.len();
        !state.dead
            && ((self.prefix && state.best_prefix <= self.max) || state.row[..=n].iter().any(|&d| d <= self.max))
    }

    fn accept(&self, state: &NearState, byte: u8) -> NearState {
        let mut next = *state;
        if next.dead {
            return next;
        }
        next.pending[usize::from(next.pending_len)] = byte;
        next.pending_len += 1;
        let want = match next.pending[0] {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        if usize::from(next.pending_len) < want {
            return next;
        }
        let c = std::str::from_utf8(&next.pending[..want]).ok().and_then(|s| s.chars().next());
        next.pending_len = 0;
        let Some(c) = c else {
            next.dead = true;
            return next;
        };
        if next.chars == 0 && self.target.first() != Some(&c) {
            next.dead = true;
            return next;
        }
        let n = self.target.len();
        let j = next.chars.saturating_add(1);
        // An entry `|i - j|` off the diagonal is at least that far, so only the band within
        // `max` of it can come within `max`; the rest only need to be more than `max`, and
        // an entry computed from them stays more than `max` too.
        let far = self.max.saturating_add(1);
        let mut row = [far; NEAR_MAX_CHARS + 1];
        row[0] = j;
        let band = usize::from(self.max);
        for i in usize::from(j).saturating_sub(band).max(1)..=(usize::from(j) + band).min(n) {
            let cost = u8::from(self.target[i - 1] != c);
            let mut d = (state.row[i].saturating_add(1)).min(row[i - 1].saturating_add(1)).min(state.row[i - 1] + cost);
            if j > 1 && i > 1 && self.target[i - 1] == state.last && self.target[i - 2] == c {
                d = d.min(state.before[i - 2].saturating_add(1));
            }
            row[i] = d;
        }
        next.before = state.row;
        next.row = row;
        next.last = c;
        next.chars = j;
        next.best_prefix = next.best_prefix.min(row[n]);
        next
    }
}

/// How a posting's term frequencies pack into one byte, per field (title, abstract,
/// authors): the largest value the field's bits hold, and their shift. A field at its largest
/// value is followed by a varint of the rest. Almost every posting is one byte of frequencies:
/// 0 or 1 in the title, a few in the abstract, 0 in the authors.
const TF_PACKING: [(u32, u32); FIELDS] = [(3, 6), (15, 0), (3, 4)];

fn put_tfs(out: &mut Vec<u8>, tf: [u32; FIELDS]) {
    let packed = tf.iter().zip(TF_PACKING).fold(0, |packed, (&t, (max, shift))| packed | (t.min(max) << shift));
    out.push(packed as u8);
    for (&t, (max, _)) in tf.iter().zip(TF_PACKING) {
        if t >= max {
            format::put_varint(out, t - max);
        }
    }
}

fn read_tfs(bytes: &[u8], pos: &mut usize) -> Option<[u32; FIELDS]> {
    let packed = u32::from(*bytes.get(*pos)?);
    *pos += 1;
    let mut tf = [0; FIELDS];
    for (t, (max, shift)) in tf.iter_mut().zip(TF_PACKING) {
        *t = (packed >> shift) & max;
        if *t == max {
            *t = max.checked_add(format::varint(bytes, pos)?)?;
        }
    }
    Some(tf)
}

/// Iterator over one term's postings, decoding as it goes.
pub struct Postings<'a> {
    bytes: &'a [u8],
    pos: usize,
    left: u32,
    doc: DocId,
}

impl Iterator for Postings<'_> {
    type Item = Posting;

    fn next(&mut self) -> Option<Posting> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let gap = format::varint(self.bytes, &mut self.pos)?;
        self.doc = self.doc.checked_add(gap)?;
        let tf = read_tfs(self.bytes, &mut self.pos)?;
        Some(Posting { doc: self.doc, tf })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(title: &str, abstract_text: &str) -> Paper {
        Paper::new(title, abstract_text)
    }

    fn fixture() -> Vec<u8> {
        build(&[
            paper("Grokking in networks", "Networks grok late. Networks!"),
            paper("Linear bandits", "Bandits with linear rewards and König."),
        ])
        .unwrap()
    }

    #[test]
    fn term_frequencies_round_trip_below_at_and_past_each_fields_byte() {
        let values = [0, 1, 2, 3, 4, 14, 15, 16, 200, 70_000, u32::MAX];
        for title in values {
            for abstract_tf in values {
                for authors in values {
                    let tf = [title, abstract_tf, authors];
                    let mut out = vec![];
                    put_tfs(&mut out, tf);
                    let small = title < 3 && abstract_tf < 15 && authors < 3;
                    assert_eq!(out.len() == 1, small, "{tf:?} takes one byte only when every field fits");
                    let mut pos = 0;
                    assert_eq!(read_tfs(&out, &mut pos), Some(tf));
                    assert_eq!(pos, out.len());
                }
            }
        }
    }

    #[test]
    fn postings_round_trip_with_field_frequencies() {
        let bytes = fixture();
        let index = Index::open(&bytes).unwrap();
        let network = index.term("network").unwrap();
        assert_eq!(index.postings(network).collect::<Vec<_>>(), [Posting { doc: 0, tf: [1, 2, 0] }]);
        let linear = index.term("linear").unwrap();
        assert_eq!(index.postings(linear).collect::<Vec<_>>(), [Posting { doc: 1, tf: [1, 1, 0] }]);
        assert_eq!(index.doc_freq(linear), 1);
        assert_eq!(index.term("absent"), None);
    }

    #[test]
    fn meta_and_lengths_describe_the_corpus() {
        let bytes = fixture();
        let index = Index::open(&bytes).unwrap();
        assert_eq!(index.doc_count(), 2);
        assert_eq!(index.field_len(0, Field::Title), 3);
        assert_eq!(index.field_len(1, Field::Abstract), 6);
        assert_eq!(index.meta().avg_len, [2.5, 5.0, 0.0]);
    }

    #[test]
    fn text_is_stored_verbatim() {
        let bytes = fixture();
        let index = Index::open(&bytes).unwrap();
        assert_eq!(index.title(1), "Linear bandits");
        assert_eq!(index.abstract_text(1), "Bandits with linear rewards and König.");
        assert_eq!(index.title(2), "");
    }

    #[test]
    fn words_map_to_their_stems() {
        let bytes = fixture();
        let index = Index::open(&bytes).unwrap();
        let words_with_prefix = |prefix: &str| {
            let mut found = Vec::new();
            index.for_each_word_with_prefix(prefix, |w, ord| found.push((w.to_string(), ord)));
            found
        };
        let found = words_with_prefix("grok");
        let (grok, grokk) = (index.term("grok").unwrap(), index.term("grokk").unwrap());
        assert_eq!(found, [("grok".to_string(), grok), ("grokking".to_string(), grokk)]);
        let networks = words_with_prefix("networks");
        assert_eq!(networks, [("networks".to_string(), index.term("network").unwrap())]);
        assert_eq!(words_with_prefix("konig").len(), 1);
    }

    #[test]
    fn stores_metadata_fields_and_indexes_authors() {
        let mut p = paper("Title", "Abstract");
        p.key = Some("arxiv:1".into());
        p.authors = vec!["Ada Lovelace".into(), "Alan Turing".into()];
        p.year = Some(2021);
        p.url = Some("https://example.org/1".into());
        let bytes = build(&[p, paper("Other", "Text")]).unwrap();
        let index = Index::open(&bytes).unwrap();
        assert_eq!(index.slot(0, Slot::Key), "arxiv:1");
        assert_eq!(index.slot(0, Slot::Authors), "Ada Lovelace\nAlan Turing");
        assert_eq!(index.slot(0, Slot::Url), "https://example.org/1");
        assert_eq!((index.year(0), index.year(1)), (Some(2021), None));
        let turing = index.term("ture").or(index.term("turing")).unwrap();
        assert_eq!(index.postings(turing).next().unwrap().tf, [0, 0, 1]);
    }

    #[test]
    fn mines_acronyms_both_ways() {
        let bytes = build(&[
            paper("On IRM", "The Invariant Risk Minimization (IRM) principle."),
            paper("Other", "Invariant risk minimization again."),
        ])
        .unwrap();
        let index = Index::open(&bytes).unwrap();
        assert_eq!(index.long_forms("irm"), [vec!["invari", "risk", "minim"]]);
        assert_eq!(index.acronym_of(&["invari", "risk", "minim"]).as_deref(), Some("irm"));
        assert_eq!(index.acronym_of(&["risk", "minim"]), None);
    }

    #[test]
    fn related_papers_share_rare_terms() {
        let bytes = build(&[
            paper("Grokking dynamics", "Grokking in transformers with weight decay."),
            paper("Bandit regret", "Linear bandits and regret bounds."),
            paper("Delayed generalization", "Grokking and weight decay in transformers."),
            paper("Contextual bandits", "Regret of contextual linear bandits."),
        ])
        .unwrap();
        let index = Index::open(&bytes).unwrap();
        assert_eq!(index.related(0)[0], 2);
        assert_eq!(index.related(1)[0], 3);
        assert!(!index.related(0).contains(&0));
    }

    #[test]
    fn finds_words_within_an_edit_distance() {
        let bytes = fixture();
        let index = Index::open(&bytes).unwrap();
        let near = |w: &str, d: u32, prefix: bool| -> Vec<(String, u32)> {
            index.words_near(w, d, prefix).into_iter().map(|(w, _, d)| (w, d)).collect()
        };
        assert_eq!(near("netwrks", 1, false), [("networks".to_string(), 1)]);
        assert_eq!(near("grokin", 1, true), [("grokking".to_string(), 1)]);
        assert_eq!(near("nteworks", 1, false), [("networks".to_string(), 1)], "a swap is one edit");
        assert!(near("etworks", 1, false).is_empty(), "the first letter is kept");
    }

    /// What `words_near` must return: every dictionary word with the target's first letter,
    /// each measured by the plain edit-distance table.
    #[cfg(not(target_arch = "wasm32"))]
    fn words_near_by_scan(index: &Index, word: &str, distance: u32, prefix: bool) -> Vec<(String, u32)> {
        let target: Vec<char> = word.chars().collect();
        let mut out = Vec::new();
        let mut words = Vec::new();
        index.for_each_word_with_prefix("", |w, _| words.push(w.to_string()));
        for w in &words {
            let candidate: Vec<char> = w.chars().collect();
            if candidate.first() == target.first() {
                if let Some(d) = edit_distance(&target, &candidate, distance, prefix) {
                    out.push((w.to_string(), d));
                }
            }
        }
        out
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn words_near_agrees_with_a_scan_of_the_dictionary(
            base in proptest::sample::select(&["networks", "grokking", "bandits", "konig", "rewarding", "rewiring", "netting", "lineär", "wrought", "élan"][..]),
            edit in 0usize..5,
            at in proptest::prelude::any::<proptest::sample::Index>(),
            letter in "[a-zäö]",
            distance in 0u32..3,
            prefix in proptest::bool::ANY,
        ) {
            // A dictionary word with one edit (or none): a swap, a deletion, an insertion or a change.
            let mut chars: Vec<char> = base.chars().collect();
            let i = at.index(chars.len());
            let letter = letter.chars().next().unwrap();
            match edit {
                0 if i + 1 < chars.len() => chars.swap(i, i + 1),
                1 => { chars.remove(i); }
                2 => chars.insert(i, letter),
                3 => chars[i] = letter,
                _ => {}
            }
            let word: String = chars.into_iter().collect();
            let bytes = build(&[
                paper("Grokking in networks", "Networks grok late; net work, netting, nets and gnats."),
                paper("Linear bandits", "Bandits with linear rewards and König, Köln, Kröner; lineär élan."),
                paper("Rewards", "Reward shaping, rewarding rewiring: writers wrote, wrought iron."),
            ])
            .unwrap();
            let index = Index::open(&bytes).unwrap();
            let found: Vec<(String, u32)> =
                index.words_near(&word, distance, prefix).into_iter().map(|(w, _, d)| (w, d)).collect();
            proptest::prop_assert_eq!(found, words_near_by_scan(&index, &word, distance, prefix));
        }
    }

    #[test]
    fn the_prefix_table_picks_what_walking_the_dictionary_picks() {
        // 320 words that begin with `ba` and 120 with `bo` (some with a plural, which stems to
        // the same term), spread over 24 papers so that their frequencies vary.
        let mut seed = 7u32;
        let mut letter = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            char::from(b'a' + ((seed >> 16) % 26) as u8)
        };
        let mut words: Vec<String> = Vec::new();
        while words.len() < 440 {
            let start = if words.len() < 320 { "ba" } else { "bo" };
            let word: String = format!("{start}{}{}{}x", letter(), letter(), letter());
            if !words.contains(&word) {
                words.push(word);
            }
        }
        let papers: Vec<Paper> = (0..24)
            .map(|doc| {
                let text: Vec<String> = words
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| (i * 7 + doc) % (i % 6 + 1) == 0)
                    .map(|(i, w)| if i % 4 == 0 { format!("{w} {w}s") } else { w.clone() })
                    .collect();
                paper(&format!("Paper {doc}"), &text.join(" "))
            })
            .collect();
        let bytes = build(&papers).unwrap();
        let index = Index::open(&bytes).unwrap();
        assert!(index.prefix_table.get("b").is_some() && index.prefix_table.get("ba").is_some());
        assert!(index.prefix_table.get("bo").is_none(), "120 words are walked");
        for prefix in ["b", "ba", "bo", "bax", "c"] {
            let max = max_prefix_terms(prefix.chars().count());
            let walk = |have: &[TermOrd]| {
                let mut top = TopTerms::new(index.term_count(), have, max);
                index.for_each_word_with_prefix(prefix, |w, ord| top.offer(w, ord, index.doc_freq(ord)));
                top.finish()
            };
            let best: Vec<TermOrd> = walk(&[]).iter().map(|(_, ord)| *ord).collect();
            let haves = [vec![], best.iter().take(1).copied().collect(), best.iter().rev().take(1).copied().collect()];
            for have in haves {
                assert_eq!(index.prefix_terms(prefix, &have, max), walk(&have), "{prefix} without {have:?}");
            }
        }
    }

    #[test]
    fn dictionary_values_say_word_and_term_apart() {
        for (word_of, term) in [
            (Some(5), Some(5)),
            (Some(5), Some(9)),
            (Some(0), None),
            (None, Some(7)),
            (Some((1 << 31) - 1), Some((1 << 31) - 2)),
            (Some(3), Some((1 << 31) - 2)),
        ] {
            let v = dict_value(word_of, term);
            assert_eq!((dict_word(v), dict_term(v)), (word_of, term));
        }
    }

    #[test]
    fn edit_distance_counts_the_classic_edits() {
        let d = |a: &str, b: &str| {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            edit_distance(&a, &b, 9, false)
        };
        assert_eq!(d("kitten", "sitting"), Some(3));
        assert_eq!(d("grokkign", "grokking"), Some(1));
        assert_eq!(d("", "abc"), Some(3));
        assert_eq!(d("same", "same"), Some(0));
        let a: Vec<char> = "reinforcment".chars().collect();
        let b: Vec<char> = "reinforcement".chars().collect();
        assert_eq!(edit_distance(&a, &b, 1, false), Some(1));
        assert_eq!(edit_distance(&a, &"zzz".chars().collect::<Vec<_>>(), 1, false), None);
    }

    #[test]
    fn corrupt_bytes_are_an_error_not_a_panic() {
        let bytes = fixture();
        for cut in [0, 10, 30, bytes.len() / 2, bytes.len() - 1] {
            assert!(Index::open(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }
}
