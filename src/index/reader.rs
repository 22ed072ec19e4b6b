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

use crate::corpus::KINDS;
use crate::format;
use crate::index::codec::{coded_length, LENS_PER_DOC};
use crate::index::codec::{dict_term, dict_word, read_tfs, string_at, term_at};
use crate::index::near::Near;
use crate::index::parts::{CodesPart, DictPart, DocsPart, FacetPart, PosPart, PostPart, Store, TextPart};
use crate::index::prefix::{TopTerms, PREFIX_TABLE_MAX_CHARS};
use crate::index::schema::{DocId, Field, Meta, PartId, PartKind, Posting, Slot, TermOrd, FIELDS, SLOTS};
use crate::index::shards::{Core, VectorsMap};

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

    /// A paper's month (1 to 12), if the corpus gives one.
    pub fn month(&self, doc: DocId) -> Option<u8> {
        self.docs()?.months.as_ref().get(doc as usize).copied().filter(|&m| m != 0)
    }

    /// A paper's kind of work, one of [`KINDS`], if the corpus gives one.
    pub fn kind(&self, doc: DocId) -> Option<&'static str> {
        let code = *self.docs()?.kinds.as_ref().get(doc as usize)?;
        KINDS.get(usize::from(code).checked_sub(1)?).copied()
    }

    /// A paper's venue as a number (0: none), and the name of each number.
    pub fn venue_id(&self, doc: DocId) -> u32 {
        self.docs().and_then(|d| d.venues.get(doc as usize).copied()).unwrap_or(0)
    }

    /// The name of venue number `id` (from 1).
    pub fn venue_name(&self, id: u32) -> Option<&'i str> {
        self.docs()?.venue_names.get((id as usize).checked_sub(1)?).map(|n| &**n)
    }

    /// How many venues the corpus names.
    pub fn venue_count(&self) -> usize {
        self.docs().map_or(0, |d| d.venue_names.len())
    }

    /// How many distinct authors the corpus has.
    pub fn author_count(&self) -> u32 {
        self.docs().map_or(0, |d| d.author_count)
    }

    /// A paper's venue, if the corpus gives one.
    pub fn venue(&self, doc: DocId) -> Option<&'i str> {
        self.venue_name(self.venue_id(doc))
    }

    /// The facets shard that holds a paper (noted when missing).
    fn facet_part(&self, doc: DocId) -> Option<&'i FacetPart> {
        if doc >= self.doc_count() {
            return None;
        }
        let n = self.core.facet_shard_of_doc(doc);
        self.note(PartId { kind: PartKind::Facets, n }, self.store.facets.get(n as usize).and_then(Option::as_ref))
    }

    /// A paper's authors as numbers, and a way to name them (from the paper's facets shard).
    pub fn authors_of(&self, doc: DocId) -> Option<(&'i [u32], AuthorNames<'i>)> {
        authors_in(self.facet_part(doc)?, doc)
    }

    /// Many papers' facet values, read with one look-up of the docs part (and of each facets
    /// shard, while the papers asked stay in it).
    pub fn facts(&self) -> Facts<'_, 'i> {
        let docs = self.docs();
        Facts {
            view: self,
            years: docs.map_or(&[][..], |d| d.years.as_ref()),
            months: docs.map_or(&[][..], |d| d.months.as_ref()),
            kinds: docs.map_or(&[][..], |d| d.kinds.as_ref()),
            venues: docs.map_or(&[][..], |d| &d.venues[..]),
            shard: std::cell::Cell::new(None),
        }
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

    /// What the core says of the papers' vectors (a build with search by meaning).
    pub fn vectors(&self) -> Option<VectorsMap> {
        self.core.vectors
    }

    /// Paper `doc`'s int8 vector, as bytes, and its scale, from its text shard (noted when
    /// missing); `None` also for a build without vectors.
    pub fn vector(&self, doc: DocId) -> Option<(f32, &'i [u8])> {
        let dims = self.core.vectors?.dims as usize;
        let (part, i) = self.text_of(doc)?;
        let bytes = part.vectors.as_ref();
        let rows = 4 * (bytes.len() / (4 + dims));
        Some((format::f32_at(bytes, 4 * i)?, bytes.get(rows + i * dims..rows + (i + 1) * dims)?))
    }

    /// Every paper's one-bit code, in id order, from the codes shards (each noted when
    /// missing; `None` then, and for a build without vectors).
    pub fn codes(&self) -> Option<Vec<u8>> {
        self.core.vectors?;
        let parts: Vec<Option<&CodesPart>> = (0..self.core.code_shards())
            .map(|n| {
                self.note(
                    PartId { kind: PartKind::Codes, n },
                    self.store.codes.get(n as usize).and_then(Option::as_ref),
                )
            })
            .collect();
        parts.into_iter().map(|p| p.map(|p| p.codes.as_ref())).collect::<Option<Vec<&[u8]>>>().map(|p| p.concat())
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

/// Paper `doc`'s authors in `part`, its facets shard.
fn authors_in(part: &FacetPart, doc: DocId) -> Option<(&[u32], AuthorNames<'_>)> {
    let i = doc.checked_sub(part.first_doc)? as usize;
    let (&start, &end) = (part.offsets.get(i)?, part.offsets.get(i + 1)?);
    Some((part.authors.get(start as usize..end as usize)?, AuthorNames(&part.names)))
}

/// Papers' facet values, as [`View::facts`] reads them.
pub struct Facts<'v, 'i> {
    view: &'v View<'i>,
    years: &'i [u8],
    months: &'i [u8],
    kinds: &'i [u8],
    venues: &'i [u32],
    /// The facets shard of the paper asked last, and the papers it holds.
    shard: std::cell::Cell<Option<(&'i FacetPart, DocId, DocId)>>,
}

impl<'i> Facts<'_, 'i> {
    pub fn year(&self, doc: DocId) -> Option<u16> {
        format::u16_index(self.years, doc as usize).filter(|&y| y != 0)
    }

    pub fn month(&self, doc: DocId) -> Option<u8> {
        self.months.get(doc as usize).copied().filter(|&m| m != 0)
    }

    /// 1 + the kind's place in [`KINDS`], or 0 for none.
    pub fn kind_code(&self, doc: DocId) -> usize {
        self.kinds.get(doc as usize).map_or(0, |&k| usize::from(k))
    }

    /// The venue's number, or 0 for none.
    pub fn venue_id(&self, doc: DocId) -> u32 {
        self.venues.get(doc as usize).copied().unwrap_or(0)
    }

    /// [`View::authors_of`], from the shard of the paper asked last when it holds this one.
    pub fn authors(&self, doc: DocId) -> Option<(&'i [u32], AuthorNames<'i>)> {
        let part = match self.shard.get() {
            Some((part, first, end)) if (first..end).contains(&doc) => part,
            _ => {
                let part = self.view.facet_part(doc)?;
                let end = part.first_doc + (part.offsets.len() as u32).saturating_sub(1);
                self.shard.set(Some((part, part.first_doc, end)));
                part
            }
        };
        authors_in(part, doc)
    }
}

/// The names of the author numbers of one facets shard.
#[derive(Clone, Copy)]
pub struct AuthorNames<'i>(&'i [(u32, Box<str>)]);

impl<'i> AuthorNames<'i> {
    pub fn get(&self, id: u32) -> Option<&'i str> {
        self.0.binary_search_by_key(&id, |n| n.0).ok().map(|i| &*self.0[i].1)
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
