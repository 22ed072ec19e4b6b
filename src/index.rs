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
//! | `META` | doc count, term count, word count (u32 each), mean title and abstract length (f32) |
//! | `TERM` | fst map: term (stem) → term ordinal (its rank in byte order) |
//! | `WORD` | fst map: folded word → ordinal of its term; prefix and typo matching run on it |
//! | `POFF` | (term count + 1) u32 offsets into `POST`, by term ordinal |
//! | `POST` | per term: varint doc frequency, then per doc: varint doc-id gap, varint tf in title, varint tf in abstract |
//! | `DLEN` | per doc: u16 title length, u16 abstract length, in tokens (saturating) |
//! | `TOFF` | (2 × doc count + 1) u32 offsets into `TEXT`: title of doc 0, abstract of doc 0, title of doc 1, ... |
//! | `TEXT` | the papers' text, UTF-8, exactly as the corpus has it |
//!
//! Term ordinals follow byte order, so `POFF`/`POST` split into term-range shards, and
//! `TOFF`/`TEXT` into doc-range shards, without renumbering anything.

use std::collections::BTreeMap;

use fst::{Automaton, IntoStreamer, Map, MapBuilder, Streamer};

use crate::analyze::{Analyzer, ANALYZER_VERSION};
use crate::corpus::Paper;
use crate::format::{self, FormatError, Reader, Writer};

/// Number of indexed fields.
pub const FIELDS: usize = 2;

/// A field of a paper, as indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title = 0,
    Abstract = 1,
}

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
    let mut doc_lens = Vec::with_capacity(papers.len() * 4);
    let mut total_len = [0u64; FIELDS];

    for (doc, paper) in papers.iter().enumerate() {
        let doc = doc as DocId;
        for (field, text) in [(Field::Title, &paper.title), (Field::Abstract, &paper.abstract_text)] {
            let tokens = analyzer.tokens(text);
            total_len[field as usize] += tokens.len() as u64;
            format::put_u16(&mut doc_lens, u16::try_from(tokens.len()).unwrap_or(u16::MAX));
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
    }

    let ords: BTreeMap<&str, TermOrd> = postings.keys().enumerate().map(|(i, t)| (t.as_str(), i as TermOrd)).collect();

    let mut terms_fst = MapBuilder::memory();
    let mut post = Vec::new();
    let mut post_offsets = Vec::with_capacity(4 * (postings.len() + 1));
    for (ord, (term, list)) in postings.iter().enumerate() {
        terms_fst.insert(term, ord as u64)?;
        format::put_u32(&mut post_offsets, post.len() as u32);
        format::put_varint(&mut post, list.len() as u32);
        let mut prev = 0;
        for p in list {
            format::put_varint(&mut post, p.doc - prev);
            prev = p.doc;
            for tf in p.tf {
                format::put_varint(&mut post, tf);
            }
        }
    }
    format::put_u32(&mut post_offsets, post.len() as u32);

    let mut words_fst = MapBuilder::memory();
    for (word, term) in &words {
        words_fst.insert(word, u64::from(ords[term.as_str()]))?;
    }

    let mut text = Vec::new();
    let mut text_offsets = Vec::with_capacity(4 * (2 * papers.len() + 1));
    for paper in papers {
        for field in [&paper.title, &paper.abstract_text] {
            format::put_u32(&mut text_offsets, text.len() as u32);
            text.extend_from_slice(field.as_bytes());
        }
    }
    format::put_u32(&mut text_offsets, text.len() as u32);

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
    w.section(b"TERM", terms_fst.into_inner()?);
    w.section(b"WORD", words_fst.into_inner()?);
    w.section(b"POFF", post_offsets);
    w.section(b"POST", post);
    w.section(b"DLEN", doc_lens);
    w.section(b"TOFF", text_offsets);
    w.section(b"TEXT", text);
    Ok(w.finish(ANALYZER_VERSION))
}

/// The index, read in place from its bytes.
pub struct Index<'a> {
    meta: Meta,
    terms: Map<&'a [u8]>,
    words: Map<&'a [u8]>,
    post_offsets: &'a [u8],
    postings: &'a [u8],
    doc_lens: &'a [u8],
    text_offsets: &'a [u8],
    text: &'a str,
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
            avg_len: [format::f32_at(m, 12).ok_or(short.clone())?, format::f32_at(m, 16).ok_or(short)?],
        };
        let fst_map = |tag| -> Result<Map<&'a [u8]>, FormatError> {
            Map::new(r.section(tag)?).map_err(|_| FormatError::Corrupt("term dictionary"))
        };
        let index = Index {
            meta,
            terms: fst_map(b"TERM")?,
            words: fst_map(b"WORD")?,
            post_offsets: r.section(b"POFF")?,
            postings: r.section(b"POST")?,
            doc_lens: r.section(b"DLEN")?,
            text_offsets: r.section(b"TOFF")?,
            text: std::str::from_utf8(r.section(b"TEXT")?).map_err(|_| FormatError::Corrupt("text is not UTF-8"))?,
        };
        let docs = meta.doc_count as usize;
        if index.post_offsets.len() != 4 * (meta.term_count as usize + 1)
            || index.doc_lens.len() != 4 * docs
            || index.text_offsets.len() != 4 * (2 * docs + 1)
            || index.terms.len() != meta.term_count as usize
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
        self.terms.get(term).map(|o| o as TermOrd)
    }

    /// The term dictionary (stems → ordinals), for automaton searches.
    pub fn terms(&self) -> &Map<&'a [u8]> {
        &self.terms
    }

    /// The word dictionary (folded words → ordinals of their terms), for prefix and typo
    /// matching.
    pub fn words(&self) -> &Map<&'a [u8]> {
        &self.words
    }

    /// Words that start with `prefix`, with their term ordinals, in byte order.
    pub fn words_with_prefix(&self, prefix: &str) -> Vec<(String, TermOrd)> {
        let automaton = fst::automaton::Str::new(prefix).starts_with();
        let mut stream = self.words.search(automaton).into_stream();
        let mut out = Vec::new();
        while let Some((word, ord)) = stream.next() {
            out.push((String::from_utf8_lossy(word).into_owned(), ord as TermOrd));
        }
        out
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

    /// Length in tokens of a field of a paper.
    pub fn field_len(&self, doc: DocId, field: Field) -> u32 {
        format::u16_index(self.doc_lens, doc as usize * FIELDS + field as usize).map_or(0, u32::from)
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
        self.text(doc as usize * 2)
    }

    /// A paper's abstract ("" for an id past the end).
    pub fn abstract_text(&self, doc: DocId) -> &'a str {
        self.text(doc as usize * 2 + 1)
    }
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
        let mut tf = [0; FIELDS];
        for t in &mut tf {
            *t = format::varint(self.bytes, &mut self.pos)?;
        }
        Some(Posting { doc: self.doc, tf })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(title: &str, abstract_text: &str) -> Paper {
        Paper { title: title.into(), abstract_text: abstract_text.into() }
    }

    fn fixture() -> Vec<u8> {
        build(&[
            paper("Grokking in networks", "Networks grok late. Networks!"),
            paper("Linear bandits", "Bandits with linear rewards and König."),
        ])
        .unwrap()
    }

    #[test]
    fn postings_round_trip_with_field_frequencies() {
        let bytes = fixture();
        let index = Index::open(&bytes).unwrap();
        let network = index.term("network").unwrap();
        assert_eq!(index.postings(network).collect::<Vec<_>>(), [Posting { doc: 0, tf: [1, 2] }]);
        let linear = index.term("linear").unwrap();
        assert_eq!(index.postings(linear).collect::<Vec<_>>(), [Posting { doc: 1, tf: [1, 1] }]);
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
        assert_eq!(index.meta().avg_len, [2.5, 5.0]);
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
        let found = index.words_with_prefix("grok");
        let (grok, grokk) = (index.term("grok").unwrap(), index.term("grokk").unwrap());
        assert_eq!(found, [("grok".to_string(), grok), ("grokking".to_string(), grokk)]);
        let networks = index.words_with_prefix("networks");
        assert_eq!(networks, [("networks".to_string(), index.term("network").unwrap())]);
        assert_eq!(index.words_with_prefix("konig").len(), 1);
    }

    #[test]
    fn corrupt_bytes_are_an_error_not_a_panic() {
        let bytes = fixture();
        for cut in [0, 10, 30, bytes.len() / 2, bytes.len() - 1] {
            assert!(Index::open(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }
}
