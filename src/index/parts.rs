//! Parts: their encodings, read and checked when a part arrives, and the store that keeps
//! the parts at hand.
//!
//! Every part is a file of the `format` layout whose `PART` section names it (kind: one byte,
//! shard number: u32), followed by the sections of its kind:
//!
//! | kind | sections |
//! |------|----------|
//! | docs | `DLEN`: per paper, its title's and its abstract's lengths in tokens, each coded in one byte on a log scale (`codec::length_code`); `YEAR`: per paper, u16 year, 0 when unknown |
//! | dict | `DICT`: fst map of the shard's keys (folded words and terms) to packed term ordinals; `DFRQ`: varint document frequency of each of the shard's terms, in ordinal order; `DFEX`: for the terms outside the shard that its words stem to, varint ordinal gap and varint document frequency; `PREF`/`PRFL`: the prefix table's entries whose keys fall in the shard (per word: its term's ordinal and document frequency, the word); `ACRO`/`ACRL`: the acronyms whose terms fall in it, each with its long forms (per term: ordinal, document frequency, string); `LONG`/`LONL`: the long forms (terms joined by spaces) that fall in it, each with its acronym's term (ordinal, document frequency, string) |
//! | postings | `POFF`: varint byte length of each of the shard's terms' postings; `POST`: their postings |
//! | positions (sharded builds) | `QOFF`: varint byte length of each of the shard's terms' positions; `QPOS`: per posting of the term, in the postings' order, per field: varint count, then varint gaps between the term's token positions (counted among the field's words, joined compounds left out) |
//! | text | `TOFF`: varint byte length of each paper's 6 stored strings; `TEXT`: the strings; `RELA`: per paper, a varint count (at most 6) and the varint ids of its related papers, best first |

#[cfg(missing_parts)]
use std::sync::Arc;

use fst::Map;

use crate::format::{self, FormatError, Reader};
use crate::index::codec::{string_at, LENS_PER_DOC};
use crate::index::schema::{DocId, PartId, PartKind, TermOrd, RELATED, SLOTS};
use crate::index::shards::Core;

/// A part's bytes, or a range of them: borrowed from the module (an embedded index) or owned
/// and shared by the sections read from them (a fetched part).
#[derive(Clone)]
pub(crate) enum Bytes<'a> {
    Borrowed(&'a [u8]),
    #[cfg(missing_parts)]
    Shared(Arc<[u8]>, usize, usize),
}

#[cfg(missing_parts)]
impl Bytes<'static> {
    pub fn owned(bytes: Vec<u8>) -> Self {
        let len = bytes.len();
        Bytes::Shared(Arc::from(bytes), 0, len)
    }
}

impl<'a> Bytes<'a> {
    /// The bytes of `sub`, a slice of these bytes, as `Bytes` that keep the same owner.
    fn sub(&self, sub: &[u8]) -> Bytes<'a> {
        let start = (sub.as_ptr() as usize).saturating_sub(self.as_ref().as_ptr() as usize);
        match self {
            Bytes::Borrowed(b) => Bytes::Borrowed(b.get(start..start + sub.len()).unwrap_or(&[])),
            #[cfg(missing_parts)]
            Bytes::Shared(owner, from, _) => Bytes::Shared(Arc::clone(owner), from + start, sub.len()),
        }
    }
}

impl AsRef<[u8]> for Bytes<'_> {
    fn as_ref(&self) -> &[u8] {
        match self {
            Bytes::Borrowed(b) => b,
            #[cfg(missing_parts)]
            Bytes::Shared(owner, from, len) => owner.get(*from..from + len).unwrap_or(&[]),
        }
    }
}

/// The offsets of `count` consecutive runs of a `total`-byte section whose lengths `lengths`
/// holds as varints: `count + 1` offsets, from 0 to `total`.
fn offsets(lengths: &[u8], count: usize, total: usize, what: &'static str) -> Result<Vec<u32>, FormatError> {
    let mut out = Vec::with_capacity(count + 1);
    let (mut pos, mut at) = (0, 0u32);
    out.push(0);
    for _ in 0..count {
        at = at
            .checked_add(format::varint(lengths, &mut pos).ok_or(FormatError::Truncated(what))?)
            .ok_or(FormatError::Corrupt(what))?;
        out.push(at);
    }
    if pos != lengths.len() || at as usize != total {
        return Err(FormatError::Corrupt(what));
    }
    Ok(out)
}

/// The related papers of `count` papers: per paper, a varint count (at most [`RELATED`]) and
/// varint ids.
fn related_lists(bytes: &[u8], count: usize) -> Result<Vec<Vec<DocId>>, FormatError> {
    let mut pos = 0;
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let n = format::varint(bytes, &mut pos).ok_or(FormatError::Truncated("RELA"))? as usize;
        if n > RELATED {
            return Err(FormatError::Corrupt("RELA"));
        }
        out.push(
            (0..n)
                .map(|_| format::varint(bytes, &mut pos).ok_or(FormatError::Truncated("RELA")))
                .collect::<Result<_, _>>()?,
        );
    }
    if pos != bytes.len() {
        return Err(FormatError::Corrupt("RELA"));
    }
    Ok(out)
}

/// The docs part's venues: per paper a varint (0: none, else a name's number plus one), and
/// the names (a varint count, then each as a varint length and UTF-8); both empty when no paper
/// has a venue.
#[allow(clippy::type_complexity)]
fn venues(ids: &[u8], names: &[u8], docs: usize) -> Result<(Vec<u32>, Vec<Box<str>>), FormatError> {
    if ids.is_empty() && names.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let corrupt = || FormatError::Corrupt("venues");
    let mut pos = 0;
    let count = format::varint(names, &mut pos).ok_or(corrupt())? as usize;
    let mut out_names = Vec::with_capacity(count.min(names.len()));
    for _ in 0..count {
        out_names.push(string_at(names, &mut pos).ok_or(corrupt())?.into());
    }
    let mut pos = 0;
    let out_ids: Vec<u32> = (0..docs).map(|_| format::varint(ids, &mut pos)).collect::<Option<_>>().ok_or(corrupt())?;
    if pos != ids.len() || out_ids.iter().any(|&v| v as usize > out_names.len()) {
        return Err(corrupt());
    }
    Ok((out_ids, out_names))
}

/// A facets shard of `count` papers from `first_doc`: per paper a varint count and varint
/// author numbers; the names as a varint count, then per name its number's gap from the last
/// (varint), a varint length and UTF-8. (A module built without a catalogue's code never
/// reads authors: it keeps the part's place, not its contents.)
#[cfg(not(catalogue))]
fn facets(_: &[u8], _: &[u8], first_doc: DocId, _: usize) -> Result<FacetPart, FormatError> {
    Ok(FacetPart { first_doc, offsets: Vec::new(), authors: Vec::new(), names: Vec::new() })
}

/// See the stand-in above.
#[cfg(catalogue)]
fn facets(authors: &[u8], names: &[u8], first_doc: DocId, count: usize) -> Result<FacetPart, FormatError> {
    let corrupt = || FormatError::Corrupt("facets shard");
    let (mut pos, mut offsets, mut ids) = (0, Vec::with_capacity(count + 1), Vec::new());
    offsets.push(0);
    for _ in 0..count {
        let n = format::varint(authors, &mut pos).ok_or(corrupt())?;
        for _ in 0..n {
            ids.push(format::varint(authors, &mut pos).ok_or(corrupt())?);
        }
        offsets.push(ids.len() as u32);
    }
    let mut at = 0;
    let n = format::varint(names, &mut at).ok_or(corrupt())? as usize;
    let mut out_names: Vec<(u32, Box<str>)> = Vec::with_capacity(n.min(names.len()));
    let mut id = 0u32;
    for _ in 0..n {
        id = id.checked_add(format::varint(names, &mut at).ok_or(corrupt())?).ok_or(corrupt())?;
        out_names.push((id, string_at(names, &mut at).ok_or(corrupt())?.into()));
    }
    if pos != authors.len()
        || at != names.len()
        || ids.iter().any(|i| out_names.binary_search_by_key(i, |n| n.0).is_err())
    {
        return Err(corrupt());
    }
    Ok(FacetPart { first_doc, offsets, authors: ids, names: out_names })
}

/// An fst map over a section (one function, not one copy per map).
#[inline(never)]
fn fst_map(bytes: Bytes<'_>) -> Result<Map<Bytes<'_>>, FormatError> {
    Map::new(bytes).map_err(|_| FormatError::Corrupt("dictionary"))
}

/// The docs part.
pub(crate) struct DocsPart<'a> {
    pub lens: Bytes<'a>,
    pub years: Bytes<'a>,
    /// Per paper, 1 to 12 (0: unknown); empty when no paper has a month.
    pub months: Bytes<'a>,
    /// Per paper, 1 + its kind's place in `KINDS` (0: none); empty when no paper has one.
    pub kinds: Bytes<'a>,
    /// Per paper, its venue's number in `venue_names` plus one (0: none); empty when no paper
    /// has one.
    pub venues: Vec<u32>,
    pub venue_names: Vec<Box<str>>,
    /// How many distinct authors the corpus has.
    pub author_count: u32,
}

/// A facets shard: its papers' authors, as numbers, and the names of those numbers.
pub(crate) struct FacetPart {
    pub first_doc: DocId,
    /// Where each paper's author numbers start in `authors`, and the end.
    pub offsets: Vec<u32>,
    pub authors: Vec<u32>,
    /// The names of the numbers in `authors`, by number.
    pub names: Vec<(u32, Box<str>)>,
}

/// A dictionary shard.
pub(crate) struct DictPart<'a> {
    /// Words and terms, values as `reader::dict_value` packs them.
    pub dict: Map<Bytes<'a>>,
    /// The document frequency of each of the shard's terms, from its first.
    pub freqs: Vec<u32>,
    pub first_term: TermOrd,
    /// The document frequencies of the terms outside the shard that its words stem to (a word
    /// and its term may sort apart: `tying` and `tie`), by ordinal.
    pub foreign_freqs: Vec<(TermOrd, u32)>,
    pub prefixes: Map<Bytes<'a>>,
    pub prefix_lists: Bytes<'a>,
    pub acronyms: Map<Bytes<'a>>,
    pub acronym_forms: Bytes<'a>,
    pub long_forms: Map<Bytes<'a>>,
    pub long_acronyms: Bytes<'a>,
}

impl DictPart<'_> {
    /// The document frequency of a term of this shard or of one its words stem to (0 for
    /// another).
    pub fn doc_freq(&self, ord: TermOrd) -> u32 {
        match ord.checked_sub(self.first_term).and_then(|i| self.freqs.get(i as usize)) {
            Some(&df) => df,
            None => self.foreign_freqs.binary_search_by_key(&ord, |f| f.0).map_or(0, |i| self.foreign_freqs[i].1),
        }
    }
}

/// A postings shard.
pub(crate) struct PostPart<'a> {
    pub first_term: TermOrd,
    /// Where each term's postings start in `postings`, and the end.
    pub offsets: Vec<u32>,
    pub postings: Bytes<'a>,
}

/// A positions shard.
pub(crate) struct PosPart<'a> {
    pub first_term: TermOrd,
    /// Where each term's positions start in `positions`, and the end.
    pub offsets: Vec<u32>,
    pub positions: Bytes<'a>,
}

/// A text shard.
pub(crate) struct TextPart<'a> {
    pub first_doc: u32,
    /// Where each stored string starts in `text`, and the end.
    pub offsets: Vec<u32>,
    /// UTF-8, checked when the part arrived.
    pub text: Bytes<'a>,
    /// Each paper's related papers, best first.
    pub related: Vec<Vec<DocId>>,
    /// In a build with search by meaning, each paper's int8 vector's scale (f32), then the
    /// vectors (`dims` bytes each), in the shard's order; empty otherwise.
    pub vectors: Bytes<'a>,
}

/// A codes shard: the one-bit codes of its papers' vectors, one after another.
pub(crate) struct CodesPart<'a> {
    pub codes: Bytes<'a>,
}

/// The parts at hand, by kind and shard number.
pub(crate) struct Store<'a> {
    pub docs: Option<DocsPart<'a>>,
    pub dict: Vec<Option<DictPart<'a>>>,
    pub post: Vec<Option<PostPart<'a>>>,
    pub text: Vec<Option<TextPart<'a>>>,
    pub pos: Vec<Option<PosPart<'a>>>,
    pub facets: Vec<Option<FacetPart>>,
    pub codes: Vec<Option<CodesPart<'a>>>,
    /// The bytes each part takes, by kind and the same numbers.
    sizes: [Vec<usize>; 7],
}

impl<'a> Store<'a> {
    pub fn new(core: &Core) -> Self {
        let zeros = |n: u32| vec![0; n as usize];
        Store {
            docs: None,
            dict: (0..core.dict_shards()).map(|_| None).collect(),
            post: (0..core.post_shards()).map(|_| None).collect(),
            text: (0..core.text_shards()).map(|_| None).collect(),
            pos: (0..core.pos_shards()).map(|_| None).collect(),
            facets: (0..core.facet_shards()).map(|_| None).collect(),
            codes: (0..core.code_shards()).map(|_| None).collect(),
            sizes: [
                zeros(1),
                zeros(core.dict_shards()),
                zeros(core.post_shards()),
                zeros(core.text_shards()),
                zeros(core.pos_shards()),
                zeros(core.facet_shards()),
                zeros(core.code_shards()),
            ],
        }
    }

    /// Reads a part, checks it against the core and keeps it (in place of one it may have).
    pub fn insert(&mut self, core: &Core, bytes: Bytes<'a>) -> Result<PartId, FormatError> {
        let whole = bytes.as_ref();
        let r = Reader::open(whole, crate::analyze::ANALYZER_VERSION)?;
        let id = PartId::from_section(r.section(b"PART")?).ok_or(FormatError::Corrupt("part name"))?;
        let section = |tag: &[u8; 4]| r.section(tag).map(|s| bytes.sub(s));
        let fst = |tag: &[u8; 4]| fst_map(section(tag)?);
        let n = id.n as usize;
        let docs = core.meta.doc_count as usize;
        match id.kind {
            PartKind::Docs => {
                let (venues, venue_names) = venues(r.section(b"VENU")?, r.section(b"VNAM")?, docs)?;
                let part = DocsPart {
                    lens: section(b"DLEN")?,
                    years: section(b"YEAR")?,
                    months: section(b"MNTH")?,
                    kinds: section(b"KIND")?,
                    venues,
                    venue_names,
                    author_count: format::u32_at(r.section(b"NAUT")?, 0).ok_or(FormatError::Truncated("NAUT"))?,
                };
                let per_paper = |b: &Bytes, size: usize| b.as_ref().is_empty() || b.as_ref().len() == size * docs;
                if n != 0
                    || part.lens.as_ref().len() != LENS_PER_DOC * docs
                    || part.years.as_ref().len() != 2 * docs
                    || !per_paper(&part.months, 1)
                    || !per_paper(&part.kinds, 1)
                {
                    return Err(FormatError::Corrupt("docs part sizes disagree with the core"));
                }
                self.docs = Some(part);
            }
            PartKind::Facets => {
                let range = core.facet_docs(id.n);
                let part = facets(r.section(b"FAUT")?, r.section(b"FNAM")?, range.start, range.len())?;
                let slot =
                    self.facets.get_mut(n).ok_or(FormatError::Corrupt("facets shard disagrees with the core"))?;
                *slot = Some(part);
            }
            PartKind::Dict => {
                let terms = core.dict_terms(id.n);
                let freqs_bytes = r.section(b"DFRQ")?;
                let mut freqs = Vec::with_capacity(terms.len());
                let mut pos = 0;
                while pos < freqs_bytes.len() {
                    freqs.push(format::varint(freqs_bytes, &mut pos).ok_or(FormatError::Truncated("DFRQ"))?);
                }
                if n >= self.dict.len() || freqs.len() != terms.len() {
                    return Err(FormatError::Corrupt("dictionary shard disagrees with the core"));
                }
                let foreign_bytes = r.section(b"DFEX")?;
                let mut foreign_freqs = Vec::new();
                let (mut pos, mut ord) = (0, 0u32);
                while pos < foreign_bytes.len() {
                    let gap = format::varint(foreign_bytes, &mut pos).ok_or(FormatError::Truncated("DFEX"))?;
                    ord = ord.checked_add(gap).ok_or(FormatError::Corrupt("DFEX"))?;
                    let df = format::varint(foreign_bytes, &mut pos).ok_or(FormatError::Truncated("DFEX"))?;
                    foreign_freqs.push((ord, df));
                }
                self.dict[n] = Some(DictPart {
                    dict: fst(b"DICT")?,
                    freqs,
                    first_term: terms.start,
                    foreign_freqs,
                    prefixes: fst(b"PREF")?,
                    prefix_lists: section(b"PRFL")?,
                    acronyms: fst(b"ACRO")?,
                    acronym_forms: section(b"ACRL")?,
                    long_forms: fst(b"LONG")?,
                    long_acronyms: section(b"LONL")?,
                });
            }
            PartKind::Postings => {
                let terms = core.post_terms(id.n);
                let postings = section(b"POST")?;
                let offsets = offsets(r.section(b"POFF")?, terms.len(), postings.as_ref().len(), "POFF")?;
                if n >= self.post.len() {
                    return Err(FormatError::Corrupt("postings shard disagrees with the core"));
                }
                self.post[n] = Some(PostPart { first_term: terms.start, offsets, postings });
            }
            PartKind::Positions => {
                let terms = core.pos_terms(id.n);
                let positions = section(b"QPOS")?;
                let offsets = offsets(r.section(b"QOFF")?, terms.len(), positions.as_ref().len(), "QOFF")?;
                if n >= self.pos.len() {
                    return Err(FormatError::Corrupt("positions shard disagrees with the core"));
                }
                self.pos[n] = Some(PosPart { first_term: terms.start, offsets, positions });
            }
            PartKind::Text => {
                let range = core.text_docs(id.n);
                let count = range.len();
                let text = section(b"TEXT")?;
                let vectors = match core.vectors {
                    Some(_) => section(b"TVEC")?,
                    None => Bytes::Borrowed(&[]),
                };
                let part = TextPart {
                    first_doc: range.start,
                    offsets: offsets(r.section(b"TOFF")?, SLOTS * count, text.as_ref().len(), "TOFF")?,
                    text,
                    related: related_lists(r.section(b"RELA")?, count)?,
                    vectors,
                };
                let vector_bytes = core.vectors.map_or(0, |v| count * (4 + v.dims as usize));
                if n >= self.text.len() || part.vectors.as_ref().len() != vector_bytes {
                    return Err(FormatError::Corrupt("text shard disagrees with the core"));
                }
                std::str::from_utf8(part.text.as_ref()).map_err(|_| FormatError::Corrupt("text is not UTF-8"))?;
                self.text[n] = Some(part);
            }
            PartKind::Codes => {
                let codes = section(b"CODE")?;
                let width = core.vectors.map_or(0, |v| (v.dims as usize).div_ceil(8));
                if n >= self.codes.len() || codes.as_ref().len() != core.code_docs(id.n).len() * width {
                    return Err(FormatError::Corrupt("codes shard disagrees with the core"));
                }
                self.codes[n] = Some(CodesPart { codes });
            }
        }
        if let Some(size) = self.sizes[id.kind as usize].get_mut(n) {
            *size = whole.len();
        }
        Ok(id)
    }

    #[cfg(missing_parts)]
    pub fn remove(&mut self, id: PartId) {
        let n = id.n as usize;
        match id.kind {
            PartKind::Docs => self.docs = None,
            PartKind::Dict => drop(self.dict.get_mut(n).and_then(Option::take)),
            PartKind::Postings => drop(self.post.get_mut(n).and_then(Option::take)),
            PartKind::Text => drop(self.text.get_mut(n).and_then(Option::take)),
            PartKind::Positions => drop(self.pos.get_mut(n).and_then(Option::take)),
            PartKind::Facets => drop(self.facets.get_mut(n).and_then(Option::take)),
            PartKind::Codes => drop(self.codes.get_mut(n).and_then(Option::take)),
        }
        if let Some(size) = self.sizes[id.kind as usize].get_mut(n) {
            *size = 0;
        }
    }

    pub fn has(&self, id: PartId) -> bool {
        let n = id.n as usize;
        match id.kind {
            PartKind::Docs => self.docs.is_some(),
            PartKind::Dict => self.dict.get(n).is_some_and(Option::is_some),
            PartKind::Postings => self.post.get(n).is_some_and(Option::is_some),
            PartKind::Text => self.text.get(n).is_some_and(Option::is_some),
            PartKind::Positions => self.pos.get(n).is_some_and(Option::is_some),
            PartKind::Facets => self.facets.get(n).is_some_and(Option::is_some),
            PartKind::Codes => self.codes.get(n).is_some_and(Option::is_some),
        }
    }

    /// Whether every part is at hand.
    pub fn is_complete(&self) -> bool {
        self.docs.is_some()
            && self.dict.iter().all(Option::is_some)
            && self.post.iter().all(Option::is_some)
            && self.text.iter().all(Option::is_some)
            && self.pos.iter().all(Option::is_some)
            && self.facets.iter().all(Option::is_some)
            && self.codes.iter().all(Option::is_some)
    }

    pub fn size(&self, id: PartId) -> usize {
        self.sizes[id.kind as usize].get(id.n as usize).copied().unwrap_or(0)
    }
}
