//! Shards: how an index is laid out in parts, and which part holds what.
//!
//! The **core** is what every query needs before its first fetch: the corpus's counts
//! (`META`) and the shard map (`SHRD`):
//!
//! ```text
//! SHRD  build u64          hash of every part's bytes: the identity of the build
//!       dict count u32     dictionary shards; then the first term ordinal of each (u32 each),
//!                          then the first key of each after the first (varint length, bytes)
//!       post count u32     postings shards; then the first term ordinal of each (u32 each)
//!       text docs u32      papers per text shard (the last may hold fewer)
//!       pos count u32      positions shards (none in an embedded build); then the first term
//!                          ordinal of each (u32 each)
//!       facet docs u32     papers per facets shard
//! VECS  (a build with search by meaning only)
//!       model u64          the id of the model file that made the papers' vectors
//!       dims u32           their width
//!       code docs u32      papers per codes shard
//! ```
//!
//! Dictionary shards split the sorted keys (words, terms, and the keys of the prefix table and
//! of the acronyms, which sort among them) into ranges; since term ordinals follow byte order,
//! each shard's terms are a range of ordinals too. Postings shards split the terms into
//! ranges, text shards the papers. A **bundle** is one file holding a core and any number of
//! parts: an embedded build's module holds a bundle of the core and one part of each kind, a
//! sharded build's module a bundle of the core alone.

use std::ops::Range;

use crate::format::{self, FormatError, Reader, Writer};
use crate::index::schema::{DocId, Meta, PartId, PartKind, TermOrd};

/// How the writer splits an index into parts: the raw bytes a shard of each kind grows to
/// before the next one starts (`usize::MAX`: one part of the kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub dict_shard_bytes: usize,
    pub post_shard_bytes: usize,
    pub text_shard_bytes: usize,
    /// The raw bytes a positions shard grows to; `None`: no positions (quoted phrases are then
    /// checked on the papers' text, which an embedded build holds anyway).
    pub pos_shard_bytes: Option<usize>,
    /// Most part files in all: text shards hold more papers when they would pass it, since
    /// static hosts limit a site's files.
    pub max_files: usize,
}

impl Layout {
    /// One part of each kind, for a module that embeds the whole index.
    pub const EMBEDDED: Layout = Layout {
        dict_shard_bytes: usize::MAX,
        post_shard_bytes: usize::MAX,
        text_shard_bytes: usize::MAX,
        pos_shard_bytes: None,
        max_files: usize::MAX,
    };

    /// Parts small enough to fetch per query, yet few enough for any static host. Positions,
    /// read only for quoted phrases, come in larger shards, so that the text shards every search
    /// reads keep their size within the file budget.
    pub const SHARDED: Layout = Layout {
        dict_shard_bytes: 16 << 10,
        post_shard_bytes: 12 << 10,
        text_shard_bytes: 14 << 10,
        pos_shard_bytes: Some(160 << 10),
        max_files: 4900,
    };

    pub fn is_sharded(&self) -> bool {
        *self != Layout::EMBEDDED
    }
}

/// Corpora of more papers than this are built sharded unless the build is told otherwise
/// (`SHARDS=off`): past it, a module with every paper inside takes seconds to download
/// (SciFact's 5,183 abstracts make a 3.4 MB page), while a sharded page downloads the engine
/// and what each query needs.
pub const MAX_EMBEDDED_PAPERS: usize = 2000;

/// The raw bytes a codes shard grows to in a sharded layout (one shard in an embedded one): a
/// reader who switches search by meaning on downloads them all at once (2.5 MB for 52,674
/// papers, in 20 files), and they do not compress.
pub const CODES_SHARD_BYTES: usize = 128 << 10;

/// What the core says of the papers' vectors, in a build with search by meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VectorsMap {
    /// The id of the model file that made them.
    pub model_id: u64,
    pub dims: u32,
    /// Papers per codes shard.
    pub code_docs: u32,
}

/// The layout a build of `papers` papers asks for with `mode`: `auto` shards corpora of more
/// than [`MAX_EMBEDDED_PAPERS`], `on` and `off` force either, `single` (a one-file page, which
/// holds every paper) refuses a corpus past that size, saying what to do instead: `remedy`,
/// in the words of the caller's tool (how to serve the sharded build, or force one file).
///
/// # Errors
///
/// A message naming `corpus`, for `single` past the size or a mode that is none of these.
pub fn layout_for(mode: &str, papers: usize, corpus: &str, remedy: &str) -> Result<Layout, String> {
    let sharded = match mode {
        "on" => true,
        "off" => false,
        "auto" => papers > MAX_EMBEDDED_PAPERS,
        "single" if papers > MAX_EMBEDDED_PAPERS => {
            return Err(format!(
                "{corpus}: {papers} papers are more than one file should hold (it holds every paper, and SciFact's 5,183 abstracts make it 3.4 MB; the limit is {MAX_EMBEDDED_PAPERS}); {remedy}"
            ))
        }
        "single" => false,
        other => return Err(format!("shards {other}: say auto, on, off or single")),
    };
    Ok(if sharded { Layout::SHARDED } else { Layout::EMBEDDED })
}

/// The core, read: counts and the shard map.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Core {
    pub meta: Meta,
    pub build: u64,
    /// First term ordinal of each dictionary shard (the first is 0).
    dict_terms: Vec<TermOrd>,
    /// First key of each dictionary shard after the first (the first starts at the empty key).
    dict_keys: Vec<Box<[u8]>>,
    /// First term ordinal of each postings shard (the first is 0).
    post_terms: Vec<TermOrd>,
    /// Papers per text shard.
    text_docs: u32,
    /// First term ordinal of each positions shard (none in an embedded build).
    pos_terms: Vec<TermOrd>,
    /// Papers per facets shard.
    facet_docs: u32,
    pub vectors: Option<VectorsMap>,
}

/// The shard map as the writer decides it, before it is serialized.
pub(crate) struct ShardMap {
    pub dict_terms: Vec<TermOrd>,
    pub dict_keys: Vec<Vec<u8>>,
    pub post_terms: Vec<TermOrd>,
    pub text_docs: u32,
    pub pos_terms: Vec<TermOrd>,
    pub facet_docs: u32,
    pub vectors: Option<VectorsMap>,
}

impl Core {
    /// The core's bytes.
    pub fn write(meta: &Meta, build: u64, map: &ShardMap) -> Vec<u8> {
        let mut m = Vec::new();
        format::put_u32(&mut m, meta.doc_count);
        format::put_u32(&mut m, meta.term_count);
        format::put_u32(&mut m, meta.word_count);
        for avg in meta.avg_len {
            format::put_f32(&mut m, avg);
        }
        let mut s = Vec::new();
        s.extend_from_slice(&build.to_le_bytes());
        format::put_u32(&mut s, map.dict_terms.len() as u32);
        for &t in &map.dict_terms {
            format::put_u32(&mut s, t);
        }
        for key in &map.dict_keys {
            format::put_varint(&mut s, key.len() as u32);
            s.extend_from_slice(key);
        }
        format::put_u32(&mut s, map.post_terms.len() as u32);
        for &t in &map.post_terms {
            format::put_u32(&mut s, t);
        }
        format::put_u32(&mut s, map.text_docs);
        format::put_u32(&mut s, map.pos_terms.len() as u32);
        for &t in &map.pos_terms {
            format::put_u32(&mut s, t);
        }
        format::put_u32(&mut s, map.facet_docs);
        let mut w = Writer::new();
        w.section(b"META", m);
        w.section(b"SHRD", s);
        if let Some(v) = map.vectors {
            let mut bytes = v.model_id.to_le_bytes().to_vec();
            format::put_u32(&mut bytes, v.dims);
            format::put_u32(&mut bytes, v.code_docs);
            w.section(b"VECS", bytes);
        }
        w.finish(crate::analyze::ANALYZER_VERSION)
    }

    /// Reads and checks a core.
    pub fn read(bytes: &[u8]) -> Result<Core, FormatError> {
        let r = Reader::open(bytes, crate::analyze::ANALYZER_VERSION)?;
        let m = r.section(b"META")?;
        let short = || FormatError::Truncated("META");
        let meta = Meta {
            doc_count: format::u32_at(m, 0).ok_or_else(short)?,
            term_count: format::u32_at(m, 4).ok_or_else(short)?,
            word_count: format::u32_at(m, 8).ok_or_else(short)?,
            avg_len: [
                format::f32_at(m, 12).ok_or_else(short)?,
                format::f32_at(m, 16).ok_or_else(short)?,
                format::f32_at(m, 20).ok_or_else(short)?,
            ],
        };
        let s = r.section(b"SHRD")?;
        let short = || FormatError::Truncated("SHRD");
        let build = u64::from_le_bytes(s.get(..8).ok_or_else(short)?.try_into().map_err(|_| short())?);
        let mut pos = 8;
        let u32_next = |pos: &mut usize| -> Result<u32, FormatError> {
            let v = format::u32_at(s, *pos).ok_or_else(short)?;
            *pos += 4;
            Ok(v)
        };
        let dict_count = u32_next(&mut pos)? as usize;
        if dict_count == 0 || dict_count > s.len() {
            return Err(FormatError::Corrupt("dictionary shard count"));
        }
        let dict_terms = (0..dict_count).map(|_| u32_next(&mut pos)).collect::<Result<Vec<_>, _>>()?;
        let mut dict_keys = Vec::with_capacity(dict_count - 1);
        for _ in 1..dict_count {
            let len = format::varint(s, &mut pos).ok_or_else(short)? as usize;
            let key = s.get(pos..pos.checked_add(len).ok_or_else(short)?).ok_or_else(short)?;
            dict_keys.push(key.into());
            pos += len;
        }
        let post_count = u32_next(&mut pos)? as usize;
        if post_count == 0 || post_count > s.len() {
            return Err(FormatError::Corrupt("postings shard count"));
        }
        let post_terms = (0..post_count).map(|_| u32_next(&mut pos)).collect::<Result<Vec<_>, _>>()?;
        let text_docs = u32_next(&mut pos)?;
        let pos_count = u32_next(&mut pos)? as usize;
        if pos_count > s.len() {
            return Err(FormatError::Corrupt("positions shard count"));
        }
        let pos_terms = (0..pos_count).map(|_| u32_next(&mut pos)).collect::<Result<Vec<_>, _>>()?;
        let facet_docs = u32_next(&mut pos)?;
        let vectors = match r.section(b"VECS") {
            Ok(v) => {
                let short = || FormatError::Truncated("VECS");
                let model_id = u64::from_le_bytes(v.get(..8).ok_or_else(short)?.try_into().map_err(|_| short())?);
                let map = VectorsMap {
                    model_id,
                    dims: format::u32_at(v, 8).ok_or_else(short)?,
                    code_docs: format::u32_at(v, 12).ok_or_else(short)?,
                };
                if map.dims == 0 || (map.code_docs == 0 && meta.doc_count > 0) {
                    return Err(FormatError::Corrupt("VECS"));
                }
                Some(map)
            }
            Err(_) => None,
        };
        let core = Core { meta, build, dict_terms, dict_keys, post_terms, text_docs, pos_terms, facet_docs, vectors };
        let ascending = |v: &[u32]| v.first() == Some(&0) && v.windows(2).all(|w| w[0] <= w[1]);
        if !ascending(&core.dict_terms)
            || !ascending(&core.post_terms)
            || !(core.pos_terms.is_empty() || ascending(&core.pos_terms))
            || core.pos_terms.last().is_some_and(|&t| t > meta.term_count)
            || core.dict_terms.last().is_some_and(|&t| t > meta.term_count)
            || core.post_terms.last().is_some_and(|&t| t > meta.term_count)
            || !core.dict_keys.windows(2).all(|w| w[0] < w[1])
            || ((core.text_docs == 0 || core.facet_docs == 0) && meta.doc_count > 0)
        {
            return Err(FormatError::Corrupt("shard map"));
        }
        Ok(core)
    }

    pub fn dict_shards(&self) -> u32 {
        self.dict_terms.len() as u32
    }

    pub fn post_shards(&self) -> u32 {
        self.post_terms.len() as u32
    }

    pub fn pos_shards(&self) -> u32 {
        self.pos_terms.len() as u32
    }

    pub fn text_shards(&self) -> u32 {
        self.meta.doc_count.checked_div(self.text_docs).map_or(0, |_| self.meta.doc_count.div_ceil(self.text_docs))
    }

    pub fn facet_shards(&self) -> u32 {
        self.meta.doc_count.checked_div(self.facet_docs).map_or(0, |_| self.meta.doc_count.div_ceil(self.facet_docs))
    }

    /// Papers per codes shard, and how many there are (none without vectors).
    pub fn code_shards(&self) -> u32 {
        let docs = self.vectors.map_or(0, |v| v.code_docs);
        self.meta.doc_count.checked_div(docs).map_or(0, |_| self.meta.doc_count.div_ceil(docs))
    }

    /// The papers of a codes shard.
    pub fn code_docs(&self, shard: u32) -> Range<DocId> {
        let per = self.vectors.map_or(0, |v| v.code_docs);
        let start = shard.saturating_mul(per).min(self.meta.doc_count);
        start..start.saturating_add(per).min(self.meta.doc_count)
    }

    /// Every part, in a fixed order: the docs part, then the dictionary, postings, positions,
    /// text, facets and codes shards.
    pub fn all_parts(&self) -> Vec<PartId> {
        let mut out = vec![PartId::DOCS];
        let kinds = [
            (PartKind::Dict, self.dict_shards()),
            (PartKind::Postings, self.post_shards()),
            (PartKind::Positions, self.pos_shards()),
            (PartKind::Text, self.text_shards()),
            (PartKind::Facets, self.facet_shards()),
            (PartKind::Codes, self.code_shards()),
        ];
        for (kind, count) in kinds {
            out.extend((0..count).map(|n| PartId { kind, n }));
        }
        out
    }

    /// The dictionary shard whose key range holds `key`.
    pub fn dict_shard_of_key(&self, key: &[u8]) -> u32 {
        self.dict_keys.partition_point(|k| &**k <= key) as u32
    }

    /// The dictionary shards whose key ranges hold keys that start with `prefix`.
    pub fn dict_shards_of_prefix(&self, prefix: &[u8]) -> Range<u32> {
        let first = self.dict_shard_of_key(prefix);
        let end = match successor(prefix) {
            Some(upper) => self.dict_keys.partition_point(|k| **k < *upper) as u32 + 1,
            None => self.dict_shards(),
        };
        first..end.max(first + 1)
    }

    /// The dictionary shard that holds the term's document frequency.
    pub fn dict_shard_of_term(&self, ord: TermOrd) -> u32 {
        self.dict_terms.partition_point(|&t| t <= ord).saturating_sub(1) as u32
    }

    /// The term ordinals of a dictionary shard.
    pub fn dict_terms(&self, shard: u32) -> Range<TermOrd> {
        range_of(&self.dict_terms, shard, self.meta.term_count)
    }

    /// The postings shard that holds a term.
    pub fn post_shard_of_term(&self, ord: TermOrd) -> u32 {
        self.post_terms.partition_point(|&t| t <= ord).saturating_sub(1) as u32
    }

    /// The term ordinals of a postings shard.
    pub fn post_terms(&self, shard: u32) -> Range<TermOrd> {
        range_of(&self.post_terms, shard, self.meta.term_count)
    }

    /// The positions shard that holds a term's positions.
    pub fn pos_shard_of_term(&self, ord: TermOrd) -> u32 {
        self.pos_terms.partition_point(|&t| t <= ord).saturating_sub(1) as u32
    }

    /// The term ordinals of a positions shard.
    pub fn pos_terms(&self, shard: u32) -> Range<TermOrd> {
        range_of(&self.pos_terms, shard, self.meta.term_count)
    }

    /// The text shard that holds a paper.
    pub fn text_shard_of_doc(&self, doc: DocId) -> u32 {
        doc / self.text_docs.max(1)
    }

    /// The facets shard that holds a paper.
    pub fn facet_shard_of_doc(&self, doc: DocId) -> u32 {
        doc / self.facet_docs.max(1)
    }

    /// The papers of a facets shard.
    pub fn facet_docs(&self, shard: u32) -> Range<DocId> {
        let start = shard.saturating_mul(self.facet_docs).min(self.meta.doc_count);
        start..start.saturating_add(self.facet_docs).min(self.meta.doc_count)
    }

    /// The papers of a text shard.
    pub fn text_docs(&self, shard: u32) -> Range<DocId> {
        let start = shard.saturating_mul(self.text_docs).min(self.meta.doc_count);
        start..start.saturating_add(self.text_docs).min(self.meta.doc_count)
    }
}

fn range_of(firsts: &[u32], shard: u32, end: u32) -> Range<u32> {
    let i = shard as usize;
    let start = firsts.get(i).copied().unwrap_or(end);
    start..firsts.get(i + 1).copied().unwrap_or(end)
}

/// The least byte string greater than every string that starts with `prefix` (none when the
/// prefix is empty or all 0xFF bytes).
fn successor(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut out = prefix.to_vec();
    while let Some(last) = out.pop() {
        if last < u8::MAX {
            out.push(last + 1);
            return Some(out);
        }
    }
    None
}

/// One file holding a core and parts.
pub fn bundle(core: &[u8], parts: &[Vec<u8>]) -> Vec<u8> {
    let mut w = Writer::new();
    w.section(b"CORE", core.to_vec());
    for part in parts {
        w.section(b"PART", part.clone());
    }
    w.finish(crate::analyze::ANALYZER_VERSION)
}

/// A bundle's core and the bytes of its parts.
pub(crate) fn unbundle(bytes: &[u8]) -> Result<(Core, Vec<&[u8]>), FormatError> {
    let r = Reader::open(bytes, crate::analyze::ANALYZER_VERSION)?;
    let core = Core::read(r.section(b"CORE")?)?;
    let parts = r.sections().filter(|(tag, _)| tag == b"PART").map(|(_, b)| b).collect();
    Ok((core, parts))
}

/// The folder a sharded build's part files live in, named after the build so that a page
/// never mixes the files of two builds.
pub fn folder_name(build: u64) -> String {
    format!("index-{build:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn core(dict_keys: &[&str], dict_terms: &[u32], post_terms: &[u32], docs: u32, text_docs: u32) -> Core {
        let meta = Meta { doc_count: docs, term_count: 100, word_count: 120, avg_len: [1.0, 2.0, 3.0] };
        let map = ShardMap {
            dict_terms: dict_terms.to_vec(),
            dict_keys: dict_keys.iter().map(|k| k.as_bytes().to_vec()).collect(),
            post_terms: post_terms.to_vec(),
            text_docs,
            pos_terms: vec![0, 60],
            facet_docs: 12,
            vectors: None,
        };
        Core::read(&Core::write(&meta, 0xfeed, &map)).unwrap()
    }

    #[test]
    fn the_core_round_trips() {
        let c = core(&["f", "m", "s"], &[0, 20, 50, 70], &[0, 10, 90], 35, 16);
        assert_eq!(c.build, 0xfeed);
        assert_eq!((c.dict_shards(), c.post_shards(), c.text_shards()), (4, 3, 3));
        assert_eq!(c.all_parts().len(), 1 + 4 + 3 + 2 + 3 + 3);
        assert_eq!((c.facet_shards(), c.facet_shard_of_doc(11), c.facet_shard_of_doc(12)), (3, 0, 1));
        assert_eq!(c.facet_docs(2), 24..35);
        assert_eq!((c.pos_shard_of_term(59), c.pos_shard_of_term(60)), (0, 1));
        assert_eq!((c.vectors, c.code_shards()), (None, 0));
    }

    #[test]
    fn the_vectors_map_round_trips_and_names_the_codes_shards() {
        let meta = Meta { doc_count: 35, term_count: 1, word_count: 1, avg_len: [1.0; 3] };
        let vectors = VectorsMap { model_id: 0xabcd_ef01_2345_6789, dims: 384, code_docs: 16 };
        let map = ShardMap {
            dict_terms: vec![0],
            dict_keys: vec![],
            post_terms: vec![0],
            text_docs: 35,
            pos_terms: vec![],
            facet_docs: 35,
            vectors: Some(vectors),
        };
        let c = Core::read(&Core::write(&meta, 1, &map)).unwrap();
        assert_eq!(c.vectors, Some(vectors));
        assert_eq!((c.code_shards(), c.code_docs(2)), (3, 32..35));
        assert_eq!(c.all_parts().last(), Some(&PartId { kind: PartKind::Codes, n: 2 }));
        let zero = ShardMap { vectors: Some(VectorsMap { dims: 0, ..vectors }), ..map };
        assert!(Core::read(&Core::write(&meta, 1, &zero)).is_err(), "vectors of no width");
    }

    #[test]
    fn keys_terms_and_docs_find_their_shards() {
        let c = core(&["f", "m", "s"], &[0, 20, 50, 70], &[0, 10, 90], 35, 16);
        assert_eq!(c.dict_shard_of_key(b""), 0);
        assert_eq!(c.dict_shard_of_key(b"apple"), 0);
        assert_eq!(c.dict_shard_of_key(b"f"), 1);
        assert_eq!(c.dict_shard_of_key(b"zebra"), 3);
        assert_eq!(c.dict_shards_of_prefix(b"g"), 1..2);
        assert_eq!(c.dict_shards_of_prefix(b"e"), 0..1);
        assert_eq!(c.dict_shards_of_prefix(b""), 0..4);
        assert_eq!(c.dict_terms(1), 20..50);
        assert_eq!(c.dict_terms(3), 70..100);
        assert_eq!(c.dict_shard_of_term(49), 1);
        assert_eq!(c.dict_shard_of_term(99), 3);
        assert_eq!(c.post_shard_of_term(9), 0);
        assert_eq!(c.post_shard_of_term(95), 2);
        assert_eq!(c.post_terms(2), 90..100);
        assert_eq!(c.text_shard_of_doc(34), 2);
        assert_eq!(c.text_docs(2), 32..35);
    }

    #[test]
    fn a_prefix_spanning_shards_reaches_each() {
        let c = core(&["ma", "mb", "n"], &[0, 1, 2, 3], &[0], 1, 1);
        assert_eq!(c.dict_shards_of_prefix(b"m"), 0..3);
        assert_eq!(c.dict_shards_of_prefix(b"mb"), 2..3);
        assert_eq!(successor(b"a\xff"), Some(b"b".to_vec()));
        assert_eq!(successor(b"\xff"), None);
    }

    #[test]
    fn a_damaged_shard_map_is_refused() {
        let meta = Meta { doc_count: 3, term_count: 10, word_count: 10, avg_len: [0.0; 3] };
        let bad = ShardMap {
            dict_terms: vec![0, 5, 3],
            dict_keys: vec![b"b".to_vec(), b"c".to_vec()],
            post_terms: vec![0],
            text_docs: 1,
            pos_terms: vec![],
            facet_docs: 1,
            vectors: None,
        };
        assert!(Core::read(&Core::write(&meta, 1, &bad)).is_err());
        let bytes = Core::write(
            &meta,
            1,
            &ShardMap {
                dict_terms: vec![0],
                dict_keys: vec![],
                post_terms: vec![0],
                text_docs: 1,
                pos_terms: vec![],
                facet_docs: 1,
                vectors: None,
            },
        );
        for cut in [0, 10, bytes.len() - 1] {
            assert!(Core::read(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }
}
