//! Facet values at build time: what filters and counts read of each paper besides its year.
//!
//! The docs part, which every search has at hand (a sharded build's module holds it), gets a
//! paper's month (`MNTH`), its kind of work (`KIND`, an index into [`KINDS`]) and its venue
//! (`VENU`, a number into the venue names of `VNAM`), and the number of distinct authors
//! (`NAUT`): so filtering by them, and counting them, costs no request. A corpus without a field writes its section empty. The authors, far more
//! bytes, go into facets parts of a paper range each (`FAUT`: per paper, its authors'
//! numbers; `FNAM`: the names of the numbers the shard uses), fetched with a search's hits.
//! Authors are numbered by how many papers they wrote, most first, so that the numbers a
//! search counts are small.

use std::collections::HashMap;

use crate::corpus::{Paper, KINDS};
use crate::format;
use crate::index::codec::put_string;
use crate::index::schema::{PartId, PartKind};
use crate::index::shards::Layout;
use crate::index::sink::{BuildError, Progress};

/// The docs part's facet sections: `MNTH`, `KIND`, `VENU` and `VNAM`, each empty when no
/// paper has the field, and `NAUT`.
pub(crate) fn docs_sections(papers: &[Paper]) -> Vec<(&'static [u8; 4], Vec<u8>)> {
    let months: Vec<u8> = papers.iter().map(|p| p.month.filter(|m| (1..=12).contains(m)).unwrap_or(0)).collect();
    let kinds: Vec<u8> = papers
        .iter()
        .map(|p| p.kind.as_deref().and_then(|k| KINDS.iter().position(|&x| x == k)).map_or(0, |i| i as u8 + 1))
        .collect();
    let mut venue_ids: HashMap<&str, u32> = HashMap::new();
    let mut names = Vec::new();
    let mut venues = Vec::new();
    for paper in papers {
        let id = match paper.venue.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            None => 0,
            Some(venue) => *venue_ids.entry(venue).or_insert_with(|| {
                names.push(venue);
                names.len() as u32
            }),
        };
        format::put_varint(&mut venues, id);
    }
    let mut venue_names = Vec::new();
    format::put_varint(&mut venue_names, names.len() as u32);
    for name in &names {
        put_string(&mut venue_names, name);
    }
    let authors: std::collections::HashSet<&str> = papers.iter().flat_map(|p| &p.authors).map(String::as_str).collect();
    let mut author_count = Vec::new();
    format::put_u32(&mut author_count, authors.len() as u32);
    let used = |v: Vec<u8>, any: bool| if any { v } else { Vec::new() };
    let any_month = months.iter().any(|&m| m != 0);
    let any_kind = kinds.iter().any(|&k| k != 0);
    let any_venue = !names.is_empty();
    vec![
        (b"MNTH", used(months, any_month)),
        (b"KIND", used(kinds, any_kind)),
        (b"VENU", used(venues, any_venue)),
        (b"VNAM", used(venue_names, any_venue)),
        (b"NAUT", author_count),
    ]
}

/// The authors' numbers (from 1), by how many papers each wrote (most first, then by name).
fn author_numbers(papers: &[Paper]) -> HashMap<&str, u32> {
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for paper in papers {
        for author in &paper.authors {
            *counts.entry(author.as_str()).or_default() += 1;
        }
    }
    let mut order: Vec<(&str, u32)> = counts.into_iter().collect();
    order.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    order.into_iter().enumerate().map(|(i, (name, _))| (name, i as u32 + 1)).collect()
}

/// Writes the facets parts of `layout`, after `files` other parts; returns the papers per
/// shard. A shard holds as many papers as make `text_shard_bytes` of names and numbers on
/// average (all of them in one part for an embedded layout), or more when the files would pass
/// the layout's budget.
pub(crate) fn write_facets(
    papers: &[Paper],
    layout: &Layout,
    files: usize,
    emit: &mut dyn FnMut(PartId, Vec<u8>) -> Result<(), BuildError>,
    progress: &mut dyn FnMut(Progress),
) -> Result<u32, BuildError> {
    let numbers = author_numbers(papers);
    let per_shard = if layout.text_shard_bytes == usize::MAX {
        papers.len().max(1)
    } else {
        let bytes: usize = papers.iter().flat_map(|p| &p.authors).map(|a| a.len() + 4).sum::<usize>() + papers.len();
        let by_size = layout.text_shard_bytes / (bytes / papers.len().max(1)).max(1);
        // Facets parts take at most a tenth of the file budget left.
        let by_files = papers.len().div_ceil((layout.max_files.saturating_sub(files) / 10).max(1));
        by_size.max(by_files).clamp(1, papers.len().max(1))
    };
    let shards = papers.len().div_ceil(per_shard);
    for (n, run) in papers.chunks(per_shard).enumerate() {
        if n % 64 == 0 {
            progress(Progress { stage: "facets shards", done: n, total: shards });
        }
        let mut authors = Vec::new();
        let mut used: Vec<(u32, &str)> = Vec::new();
        for paper in run {
            format::put_varint(&mut authors, paper.authors.len() as u32);
            for author in &paper.authors {
                let id = numbers.get(author.as_str()).copied().unwrap_or(0);
                format::put_varint(&mut authors, id);
                used.push((id, author));
            }
        }
        used.sort_unstable();
        used.dedup();
        let mut names = Vec::new();
        format::put_varint(&mut names, used.len() as u32);
        let mut prev = 0;
        for (id, name) in used {
            format::put_varint(&mut names, id - prev);
            prev = id;
            put_string(&mut names, name);
        }
        let id = PartId { kind: PartKind::Facets, n: n as u32 };
        emit(id, crate::index::sink::part(id, vec![(b"FAUT", authors), (b"FNAM", names)]))?;
    }
    progress(Progress { stage: "facets shards", done: shards, total: shards });
    Ok(per_shard as u32)
}
