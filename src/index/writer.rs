//! Writer: papers → the core and the parts (at build time).
//!
//! [`write`] analyzes every paper once (in parallel over the machine's cores), then writes the
//! parts one at a time to a sink, so that a large corpus is never held twice: the docs part,
//! the dictionary shards, the postings shards, then (after the related-papers pass) the text
//! shards; last, the core, which names the build by a hash of every part. [`build`] is the
//! embedded case: one part of each kind, bundled with the core into one file.

use std::hash::Hasher;

use crate::corpus::Paper;
use crate::format;
use crate::identifier;
use crate::index::analysis::{analyze_all, Analyzed};
use crate::index::codec::{length_code, put_tfs, LENS_PER_DOC};
use crate::index::dictionary::Dictionary;
use crate::index::facets;
use crate::index::related;
use crate::index::schema::{DocId, Field, Meta, PartId, PartKind, Posting, TermOrd, FIELDS, RELATED, SLOTS};
use crate::index::shards::{self, Core, Layout, ShardMap, VectorsMap, CODES_SHARD_BYTES};
use crate::index::sink::{part, BuildError, Progress};

/// The papers' vectors, as a build with search by meaning gives them to the writer (the sentence
/// model's, `crate::semantic::vectors::Vectors::stored`): the text shards hold each paper's int8
/// vector and scale beside its text, the codes shards every paper's one-bit code.
#[derive(Clone, Copy)]
pub struct PaperVectors<'a> {
    pub model_id: u64,
    pub dims: usize,
    /// One a paper, in id order.
    pub scales: &'a [f32],
    /// `dims` a paper, in id order.
    pub values: &'a [i8],
    /// `dims / 8` bytes (rounded up) a paper, in id order.
    pub codes: &'a [u8],
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
    vectors: Option<PaperVectors>,
    sink: &mut dyn FnMut(PartId, Vec<u8>) -> Result<(), BuildError>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Site, BuildError> {
    let mut bundled = Vec::new();
    let core = write(
        papers,
        layout,
        vectors,
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
    Ok(write_site(papers, &Layout::EMBEDDED, None, &mut |_, _| Ok(()), &mut |_| {})?.bundle)
}

/// Writes the index of `papers` (with their `vectors`, for search by meaning) in `layout`: gives
/// each part's bytes to `sink` as it is made, and returns the core's bytes. `progress` hears how
/// far each stage has got.
///
/// # Errors
///
/// What the sink returns, a [`BuildError::Fst`] (which sorted input rules out), or
/// [`BuildError::Sink`] for vectors that are not one a paper.
pub fn write(
    papers: &[Paper],
    layout: &Layout,
    vectors: Option<PaperVectors>,
    sink: &mut dyn FnMut(PartId, Vec<u8>) -> Result<(), BuildError>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<u8>, BuildError> {
    if let Some(v) = vectors {
        let n = papers.len();
        let width = v.dims.div_ceil(8);
        if v.dims == 0 || v.scales.len() != n || v.values.len() != n * v.dims || v.codes.len() != n * width {
            return Err(BuildError::Sink(format!(
                "the papers' vectors are {} for {n} papers: embed this corpus again",
                v.scales.len()
            )));
        }
    }
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
        // Identifiers are no words: they say nothing of what a paper is about.
        let lists: Vec<&[Posting]> = analyzed
            .postings
            .iter()
            .filter(|(term, _)| !term.starts_with(identifier::MARK))
            .map(|(_, list)| list.as_slice())
            .collect();
        let related = related::papers(papers.len(), &lists, &mut |done| {
            progress(Progress { stage: "related papers", done, total: papers.len() });
        });
        let pos_terms = match layout.pos_shard_bytes {
            Some(bytes) => write_positions(&analyzed, bytes, &mut emit, progress)?,
            None => Vec::new(),
        };
        let files = 1 + dict_terms.len() + post_terms.len() + pos_terms.len();
        let facet_docs = facets::write_facets(papers, layout, files, &mut emit, progress)?;
        let files = files + papers.len().div_ceil(facet_docs as usize);
        let vectors = vectors.map(|v| {
            let per_shard = if layout.is_sharded() { CODES_SHARD_BYTES / v.dims.div_ceil(8) } else { papers.len() };
            (v, per_shard.max(1))
        });
        let files = files + vectors.map_or(0, |(_, per)| papers.len().div_ceil(per));
        let text_docs = write_text(papers, &related, vectors.map(|v| v.0), layout, files, &mut emit, progress)?;
        if let Some((v, per_shard)) = vectors {
            write_codes(v, per_shard, &mut emit)?;
        }
        let vectors =
            vectors.map(|(v, per)| VectorsMap { model_id: v.model_id, dims: v.dims as u32, code_docs: per as u32 });
        ShardMap { dict_terms, dict_keys, post_terms, text_docs, pos_terms, facet_docs, vectors }
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
    let mut sections: Vec<(&[u8; 4], Vec<u8>)> = vec![(b"DLEN", lens), (b"YEAR", years)];
    sections.extend(facets::docs_sections(papers));
    part(PartId::DOCS, sections)
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
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    [
        paper.title.clone(),
        paper.abstract_text.clone(),
        text(&paper.key),
        paper.authors.join("\n"),
        text(&paper.url),
        paper.categories.join("\n"),
        text(&paper.doi),
        text(&paper.pdf),
        text(&paper.arxiv),
        paper.keywords.join("\n"),
        text(&paper.bibtex),
    ]
}

/// Writes the codes shards, `per_shard` papers each.
fn write_codes(
    vectors: PaperVectors,
    per_shard: usize,
    emit: &mut dyn FnMut(PartId, Vec<u8>) -> Result<(), BuildError>,
) -> Result<(), BuildError> {
    let width = vectors.dims.div_ceil(8);
    for (n, codes) in vectors.codes.chunks(per_shard * width).enumerate() {
        let id = PartId { kind: PartKind::Codes, n: n as u32 };
        emit(id, part(id, vec![(b"CODE", codes.to_vec())]))?;
    }
    Ok(())
}

/// Writes the text shards (with the papers' vectors, when given), after `files` other parts;
/// returns the papers per shard.
fn write_text(
    papers: &[Paper],
    related: &[[DocId; RELATED]],
    vectors: Option<PaperVectors>,
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
        let mut sections = vec![(b"TOFF", offsets), (b"TEXT", text), (b"RELA", rela)];
        if let Some(v) = vectors {
            let docs = n * per_shard..n * per_shard + run.len();
            let mut bytes = Vec::with_capacity(run.len() * (4 + v.dims));
            v.scales[docs.clone()].iter().for_each(|s| bytes.extend_from_slice(&s.to_le_bytes()));
            bytes.extend(v.values[docs.start * v.dims..docs.end * v.dims].iter().map(|&q| q as u8));
            sections.push((b"TVEC", bytes));
        }
        emit(id, part(id, sections))?;
    }
    progress(Progress { stage: "text shards", done: shards, total: shards });
    Ok(per_shard as u32)
}
