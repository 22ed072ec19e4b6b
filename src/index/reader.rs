//! Reader: here is a term, a key or a paper, give me what the index says about it.
//!
//! A [`View`] reads the parts at hand of an [`Index`](super::Index), in place (no copies, no
//! decoding until a query asks). Each question names the part that answers it; when that part
//! is not at hand, the view notes it ([`View::missing`]) and answers as if the index had nothing
//! there. A search that needed a missing part is therefore no answer: the caller fetches what
//! the view noted and searches again. An embedded index has every part, so its views never
//! miss anything.

use std::cell::RefCell;

use fst::{Automaton, IntoStreamer, Streamer};

use crate::format;
use crate::index::near::Near;
use crate::index::parts::{
    coded_length, DictPart, DocsPart, PartId, PartKind, PosPart, PostPart, Store, TextPart, LENS_PER_DOC,
};
use crate::index::prefix::{TopTerms, PREFIX_TABLE_MAX_CHARS};
use crate::index::shards::Core;
use crate::index::{DocId, Field, Meta, Posting, Slot, TermOrd, FIELDS, SLOTS};

/// A reader of an index for one search: it answers from the parts at hand and notes the parts
/// it needed and lacked.
pub struct View<'i> {
    core: &'i Core,
    store: &'i Store<'i>,
    missing: RefCell<Vec<PartId>>,
    /// How many times a question found a part missing (the same part counts each time).
    misses: std::cell::Cell<usize>,
    read: RefCell<Vec<PartId>>,
}

impl<'i> View<'i> {
    pub(crate) fn new(core: &'i Core, store: &'i Store<'i>) -> Self {
        View {
            core,
            store,
            missing: RefCell::new(Vec::new()),
            misses: std::cell::Cell::new(0),
            read: RefCell::new(Vec::new()),
        }
    }

    /// The parts this view read, each once, in the order it first read them (for a cache that
    /// keeps the parts read most recently).
    pub fn read(&self) -> Vec<PartId> {
        self.read.borrow().clone()
    }

    /// Notes that the view needed part `id`, which is at hand or not. (A module that embeds
    /// every part keeps no notes.)
    #[inline]
    fn note<T>(&self, id: PartId, part: Option<T>) -> Option<T> {
        #[cfg(missing_parts)]
        {
            if part.is_none() {
                self.misses.set(self.misses.get() + 1);
            }
            let log = if part.is_some() { &self.read } else { &self.missing };
            let mut log = log.borrow_mut();
            if !log.contains(&id) {
                log.push(id);
            }
        }
        #[cfg(not(missing_parts))]
        let _ = id;
        part
    }

    /// The parts this view needed and did not have, each once, in the order it needed them.
    pub fn missing(&self) -> Vec<PartId> {
        self.missing.borrow().clone()
    }

    /// Whether every part this view needed so far was at hand.
    pub fn is_complete(&self) -> bool {
        cfg!(not(missing_parts)) || self.missing.borrow().is_empty()
    }

    fn docs(&self) -> Option<&'i DocsPart<'i>> {
        self.note(PartId::DOCS, self.store.docs.as_ref())
    }

    /// Whether the docs part is at hand, noting it when not: scoring needs every paper's
    /// field lengths.
    pub fn require_docs(&self) -> bool {
        self.docs().is_some()
    }

    fn dict_part(&self, n: u32) -> Option<&'i DictPart<'i>> {
        self.note(PartId { kind: PartKind::Dict, n }, self.store.dict.get(n as usize).and_then(Option::as_ref))
    }

    fn post_part(&self, n: u32) -> Option<&'i PostPart<'i>> {
        self.note(PartId { kind: PartKind::Postings, n }, self.store.post.get(n as usize).and_then(Option::as_ref))
    }

    fn pos_part(&self, n: u32) -> Option<&'i PosPart<'i>> {
        self.note(PartId { kind: PartKind::Positions, n }, self.store.pos.get(n as usize).and_then(Option::as_ref))
    }

    fn text_part(&self, n: u32) -> Option<&'i TextPart<'i>> {
        self.note(PartId { kind: PartKind::Text, n }, self.store.text.get(n as usize).and_then(Option::as_ref))
    }

    /// The dictionary shard whose range holds `key`, if at hand.
    fn dict_of_key(&self, key: &str) -> Option<&'i DictPart<'i>> {
        self.dict_part(self.core.dict_shard_of_key(key.as_bytes()))
    }

    pub fn meta(&self) -> &'i Meta {
        &self.core.meta
    }

    pub fn doc_count(&self) -> u32 {
        self.core.meta.doc_count
    }

    /// How many terms the dictionary has: term ordinals are below it.
    pub fn term_count(&self) -> usize {
        self.core.meta.term_count as usize
    }

    /// The ordinal of a term (a stem), if any paper has it.
    pub fn term(&self, term: &str) -> Option<TermOrd> {
        self.dict_of_key(term)?.dict.get(term).and_then(dict_term)
    }

    /// The ordinal of a term and how many papers contain it, if any does: both from the term's
    /// own shard of the dictionary.
    pub fn term_with_freq(&self, term: &str) -> Option<(TermOrd, u32)> {
        let ord = self.term(term)?;
        Some((ord, self.doc_freq(ord)))
    }

    /// How many times this view has found a part missing so far (a question asked twice of
    /// a missing part counts twice): compare it before and after a question to know whether
    /// that question's answer is whole.
    pub fn misses(&self) -> usize {
        self.misses.get()
    }

    /// The ordinal of the term a folded word of the corpus stems to, if the corpus has the word.
    pub fn word(&self, word: &str) -> Option<TermOrd> {
        self.dict_of_key(word)?.dict.get(word).and_then(dict_word)
    }

    /// How many papers contain the term.
    pub fn doc_freq(&self, ord: TermOrd) -> u32 {
        let Some(part) = self.dict_part(self.core.dict_shard_of_term(ord)) else { return 0 };
        ord.checked_sub(part.first_term).and_then(|i| part.freqs.get(i as usize)).copied().unwrap_or(0)
    }

    /// The words an unfinished word `prefix` expands to, with their terms and the terms'
    /// document frequencies: the `max` most frequent terms not in `have`, each with its first
    /// word, most frequent first. A short
    /// prefix that begins many words reads the build's pick (when it holds enough words to
    /// leave out `have`); any other walks the dictionary.
    pub fn prefix_terms(&self, prefix: &str, have: &[TermOrd], max: usize) -> Vec<(String, TermOrd, u32)> {
        let mut top = TopTerms::new(self.term_count(), have, max);
        // A prefix too long for the prefix table is walked: ask for every shard of the walk at
        // once. A shorter one may have its pick in the table: ask for the shard that would hold
        // it first, which spares the walk of the many shards a short prefix spans.
        if prefix.chars().count() > PREFIX_TABLE_MAX_CHARS {
            self.for_each_word_with_prefix(prefix, |word, ord, doc_freq| top.offer(word, ord, doc_freq));
            return top.finish();
        }
        let Some(part) = self.dict_of_key(prefix) else { return Vec::new() };
        let listed = part.prefixes.get(prefix).and_then(|at| listed_words(part, at as usize));
        match listed {
            Some(words) if words.len() >= max + have.len() => {
                for (word, ord, doc_freq) in words {
                    top.offer(word, ord, doc_freq);
                }
            }
            _ => self.for_each_word_with_prefix(prefix, |word, ord, doc_freq| top.offer(word, ord, doc_freq)),
        }
        top.finish()
    }

    /// Calls `f` with each word that starts with `prefix`, its term's ordinal and the term's
    /// document frequency, in byte order, without copying the words (a one-letter prefix
    /// begins thousands).
    pub fn for_each_word_with_prefix(&self, prefix: &str, mut f: impl FnMut(&str, TermOrd, u32)) {
        for n in self.core.dict_shards_of_prefix(prefix.as_bytes()) {
            let Some(part) = self.dict_part(n) else { continue };
            let automaton = fst::automaton::Str::new(prefix).starts_with();
            let mut stream = part.dict.search(automaton).into_stream();
            while let Some((word, value)) = stream.next() {
                if let (Ok(word), Some(ord)) = (std::str::from_utf8(word), dict_word(value)) {
                    f(word, ord, part.doc_freq(ord));
                }
            }
        }
    }

    /// The term's postings, in doc order.
    pub fn postings(&self, ord: TermOrd) -> Postings<'i> {
        let empty = Postings { bytes: &[], pos: 0, doc: 0 };
        let Some(part) = self.post_part(self.core.post_shard_of_term(ord)) else { return empty };
        let i = (ord - part.first_term) as usize;
        let (Some(&start), Some(&end)) = (part.offsets.get(i), part.offsets.get(i + 1)) else {
            return empty;
        };
        let bytes = part.postings.as_ref().get(start as usize..end as usize).unwrap_or(&[]);
        Postings { bytes, pos: 0, doc: 0 }
    }

    /// Whether the index keeps its terms' token positions (a sharded build), so that a quoted
    /// phrase is checked on them rather than on the papers' text.
    pub fn has_positions(&self) -> bool {
        // A module with every part is an embedded build's, which keeps no positions.
        cfg!(missing_parts) && self.core.pos_shards() > 0
    }

    /// Where the term occurs in each paper that has it, in doc order: per field, its token
    /// positions among the field's words (joined compounds left out), ascending.
    pub fn positions(&self, ord: TermOrd) -> Vec<(DocId, [Vec<u32>; FIELDS])> {
        let postings = self.postings(ord);
        let Some(part) = self.pos_part(self.core.pos_shard_of_term(ord)) else { return Vec::new() };
        let i = (ord - part.first_term) as usize;
        let bytes = match (part.offsets.get(i), part.offsets.get(i + 1)) {
            (Some(&s), Some(&e)) => part.positions.as_ref().get(s as usize..e as usize).unwrap_or(&[]),
            _ => &[],
        };
        let mut pos = 0;
        let mut out = Vec::new();
        for posting in postings {
            let mut fields: [Vec<u32>; FIELDS] = Default::default();
            for field in &mut fields {
                let Some(count) = format::varint(bytes, &mut pos) else { return out };
                let mut at = 0u32;
                for k in 0..count {
                    let Some(gap) = format::varint(bytes, &mut pos) else { return out };
                    at = if k == 0 { gap } else { at.saturating_add(gap) };
                    field.push(at);
                }
            }
            out.push((posting.doc, fields));
        }
        out
    }

    /// Words within `distance` edits of `word` (or of a prefix of them, with `prefix`), among
    /// the words that start with the same letter, with their terms and distances, in byte
    /// order. An edit inserts, deletes or changes a letter, or swaps two neighbouring
    /// letters (`grokkign` is one edit from `grokking`). A word longer than
    /// [`NEAR_MAX_CHARS`](super::NEAR_MAX_CHARS) has no near words.
    ///
    /// Keeping the first letter (as search engines' fuzzy matching usually does) bounds the
    /// work to one slice of the dictionary, the shards of that letter; within it, the
    /// automaton leaves every branch in which no word can come within the distance.
    pub fn words_near(&self, word: &str, distance: u32, prefix: bool) -> Vec<NearWord> {
        let target: Vec<char> = word.chars().collect();
        let Some(first) = target.first() else { return Vec::new() };
        if target.len() > super::NEAR_MAX_CHARS {
            return Vec::new();
        }
        let near = Near::new(&target, distance, prefix);
        let mut out = Vec::new();
        let mut first_bytes = [0; 4];
        for n in self.core.dict_shards_of_prefix(first.encode_utf8(&mut first_bytes).as_bytes()) {
            let Some(part) = self.dict_part(n) else { continue };
            let mut stream = part.dict.search_with_state(&near).into_stream();
            while let Some((w, value, state)) = stream.next() {
                if let (Ok(w), Some(ord)) = (std::str::from_utf8(w), dict_word(value)) {
                    let (distance, doc_freq) = (near.distance(&state), part.doc_freq(ord));
                    let whole_distance = near.whole_distance(&state);
                    out.push(NearWord { word: w.to_string(), ord, distance, whole_distance, doc_freq });
                }
            }
        }
        out
    }

    /// The long forms of an acronym term, most frequent first: each a list of its terms, with
    /// their ordinals and document frequencies (so that no other shard is needed to use them).
    pub fn long_forms(&self, acronym: &str) -> Vec<Vec<(&'i str, TermOrd, u32)>> {
        let Some(part) = self.dict_of_key(acronym) else { return Vec::new() };
        let Some(at) = part.acronyms.get(acronym) else { return Vec::new() };
        let bytes = part.acronym_forms.as_ref();
        let mut pos = at as usize;
        let forms = format::varint(bytes, &mut pos).unwrap_or(0);
        let mut out = Vec::new();
        for _ in 0..forms {
            let Some(terms) = format::varint(bytes, &mut pos) else { break };
            let mut form = Vec::new();
            for _ in 0..terms {
                let Some(term) = term_at(bytes, &mut pos) else { return out };
                form.push(term);
            }
            out.push(form);
        }
        out
    }

    /// The acronym term of a long form given as its terms, with its ordinal and document
    /// frequency, if the corpus defines one.
    pub fn acronym_of(&self, long_form: &[&str]) -> Option<(&'i str, TermOrd, u32)> {
        let key = long_form.join(" ");
        let part = self.dict_of_key(&key)?;
        let at = part.long_forms.get(&key)?;
        term_at(part.long_acronyms.as_ref(), &mut (at as usize))
    }

    /// The papers most similar to `doc`, best first (computed at build time).
    pub fn related(&self, doc: DocId) -> Vec<DocId> {
        let Some((part, i)) = self.text_of(doc) else { return Vec::new() };
        part.related.get(i).cloned().unwrap_or_default()
    }

    /// A paper's year, if the corpus gives one.
    pub fn year(&self, doc: DocId) -> Option<u16> {
        if doc >= self.doc_count() {
            return None;
        }
        format::u16_index(self.docs()?.years.as_ref(), doc as usize).filter(|&y| y != 0)
    }

    /// Length in tokens of a paper's title or abstract, to within 7.5% (the index codes each in
    /// one byte); 0 for its authors, whose length the index does not keep.
    pub fn field_len(&self, doc: DocId, field: Field) -> u32 {
        let Some(docs) = self.docs() else { return 0 };
        let at = (doc as usize).saturating_mul(LENS_PER_DOC);
        let byte = |i: usize| docs.lens.as_ref().get(at + i).copied();
        match field {
            Field::Title => byte(0).map_or(0, coded_length),
            Field::Abstract => byte(1).map_or(0, coded_length),
            Field::Authors => 0,
        }
    }

    /// The text shard that holds a paper, with the paper's place in it.
    fn text_of(&self, doc: DocId) -> Option<(&'i TextPart<'i>, usize)> {
        if doc >= self.doc_count() {
            return None;
        }
        let part = self.text_part(self.core.text_shard_of_doc(doc))?;
        Some((part, (doc - part.first_doc) as usize))
    }

    /// One stored string of a paper ("" for an id past the end or an absent field).
    pub fn slot(&self, doc: DocId, slot: Slot) -> &'i str {
        let Some((part, i)) = self.text_of(doc) else { return "" };
        let at = i * SLOTS + slot as usize;
        match (part.offsets.get(at), part.offsets.get(at + 1)) {
            (Some(&s), Some(&e)) => {
                part.text.as_ref().get(s as usize..e as usize).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("")
            }
            _ => "",
        }
    }

    /// A paper's title ("" for an id past the end).
    pub fn title(&self, doc: DocId) -> &'i str {
        self.slot(doc, Slot::Title)
    }

    /// A paper's abstract ("" for an id past the end).
    pub fn abstract_text(&self, doc: DocId) -> &'i str {
        self.slot(doc, Slot::Abstract)
    }
}

/// A dictionary word near a word looked for, as [`View::words_near`] finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearWord {
    pub word: String,
    /// The word's term.
    pub ord: TermOrd,
    /// Edits from the word looked for (for an unfinished word, from the nearest of its
    /// prefixes).
    pub distance: u32,
    /// Edits from the word looked for to the whole word: more than `distance` where only a
    /// prefix of the word is near (`learnig` is 1 from `learning`, 5 from `learningrate`).
    pub whole_distance: u32,
    /// How many papers contain the term.
    pub doc_freq: u32,
}

/// The words of the prefix list at `at` in a shard's `PRFL`, with their terms and document
/// frequencies, in byte order.
fn listed_words<'p>(part: &'p DictPart<'_>, at: usize) -> Option<Vec<(&'p str, TermOrd, u32)>> {
    let bytes = part.prefix_lists.as_ref();
    let mut pos = at;
    let count = format::varint(bytes, &mut pos)?;
    let mut out = Vec::with_capacity(count.min(64) as usize);
    for _ in 0..count {
        let ord = format::varint(bytes, &mut pos)?;
        let doc_freq = format::varint(bytes, &mut pos)?;
        out.push((string_at(bytes, &mut pos)?, ord, doc_freq));
    }
    Some(out)
}

/// The term at `*pos` (its ordinal and document frequency as varints, then its string);
/// advances `*pos`.
fn term_at<'b>(bytes: &'b [u8], pos: &mut usize) -> Option<(&'b str, TermOrd, u32)> {
    let ord = format::varint(bytes, pos)?;
    let doc_freq = format::varint(bytes, pos)?;
    Some((string_at(bytes, pos)?, ord, doc_freq))
}

/// The string at `*pos` (a varint length, then UTF-8 bytes); advances `*pos`.
fn string_at<'b>(bytes: &'b [u8], pos: &mut usize) -> Option<&'b str> {
    let len = format::varint(bytes, pos)? as usize;
    let s = std::str::from_utf8(bytes.get(*pos..pos.checked_add(len)?)?).ok()?;
    *pos += len;
    Some(s)
}

/// Packs what a `DICT` key is: bit 0 says it is a folded word of the corpus, bit 1 that it
/// is a term; bits 2 to 32 hold the ordinal of its term (as a word, the term it stems to; as a
/// term, itself); a key that is a word of one term and itself another term (a few in a
/// thousand) holds that other term's ordinal plus one from bit 33 up. Ordinals are below
/// 2^31 - 1: every term's postings take at least two bytes, and its offsets are u32.
pub(crate) fn dict_value(word_of: Option<TermOrd>, term: Option<TermOrd>) -> u64 {
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

/// How a posting's term frequencies pack into one byte, per field (title, abstract,
/// authors): the largest value the field's bits hold, and their shift. A field at its largest
/// value is followed by a varint of the rest. Almost every posting is one byte of frequencies:
/// 0 or 1 in the title, a few in the abstract, 0 in the authors.
const TF_PACKING: [(u32, u32); FIELDS] = [(3, 6), (15, 0), (3, 4)];

pub(crate) fn put_tfs(out: &mut Vec<u8>, tf: [u32; FIELDS]) {
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

/// Iterator over one term's postings, decoding as it goes: per paper, a varint gap from the
/// previous paper's id, then its term frequencies.
pub struct Postings<'a> {
    bytes: &'a [u8],
    pos: usize,
    doc: DocId,
}

impl Iterator for Postings<'_> {
    type Item = Posting;

    fn next(&mut self) -> Option<Posting> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        let gap = format::varint(self.bytes, &mut self.pos)?;
        self.doc = self.doc.checked_add(gap)?;
        let tf = read_tfs(self.bytes, &mut self.pos)?;
        Some(Posting { doc: self.doc, tf })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
