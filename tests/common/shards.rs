//! A sharded build as the tests make and ask it: SciFact's papers and queries, the build's
//! parts by name, and a loop that gives a searcher the parts it lacks, as the page's loader does.

use std::collections::HashMap;
use std::path::PathBuf;

use paper_search::corpus::Paper;
use paper_search::index::{self, shards, Layout, PaperVectors, PartId};
use paper_search::search::{Missing, Searcher};

pub fn scifact() -> PathBuf {
    let dir = std::env::var_os("SCIFACT")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/scifact"), PathBuf::from);
    assert!(dir.join("corpus.jsonl").is_file(), "{}: SciFact is missing (set SCIFACT to its folder)", dir.display());
    dir
}

/// The sharded build of `papers` (with `vectors`) in `layout`: its core's bundle and its parts by name.
pub fn sharded(
    papers: &[Paper],
    layout: &Layout,
    vectors: Option<PaperVectors>,
) -> (Vec<u8>, HashMap<PartId, Vec<u8>>) {
    let mut parts = HashMap::new();
    let core = index::write(
        papers,
        layout,
        vectors,
        &mut |id, bytes| {
            parts.insert(id, bytes);
            Ok(())
        },
        &mut |_| {},
    )
    .unwrap();
    (shards::bundle(&core, &[]), parts)
}

/// Asks `ask` of the sharded searcher, giving it the parts it lacks, as the page's loader does;
/// returns the answer and the rounds of fetching it took.
pub fn fetching<T>(
    searcher: &mut Searcher,
    parts: &HashMap<PartId, Vec<u8>>,
    ask: impl FnMut(&Searcher) -> Result<T, Missing>,
) -> (T, usize) {
    searcher
        .answer_from(&|id| parts.get(&id).cloned(), ask)
        .expect("an answer, from the build's parts, within 8 rounds")
}

/// The queries: the benchmark's mix and SciFact's claims, each finished (a trailing space) and
/// as typed (its last word unfinished), and forms of the query language.
pub fn queries(dir: &std::path::Path) -> Vec<String> {
    let mix = include_str!("../../bench/queries-scifact.jsonl");
    let claims = std::fs::read_to_string(dir.join("queries.jsonl")).unwrap();
    let mut out: Vec<String> = Vec::new();
    for line in mix.lines().chain(claims.lines()) {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = value.get("q").or_else(|| value.get("text")).and_then(|q| q.as_str()).unwrap().to_string();
        out.push(format!("{} ", text.trim_end()));
        out.push(text);
    }
    out.extend(
        [
            "\"gene expression\"",
            "\"t cells\" -mice",
            "\"gene expr",
            "\"t cells",
            "title:\"stem ce",
            "cancer -\"breast cancer\"",
            "insulin OR glucose",
            "title:vaccine",
            "title:\"stem cells\" therapy",
            "author:smith",
            "year:2019",
            "DNA damage repair mechanisms",
            "mitochondrail dysfunction",
            "alzheimers diseese",
            "tumour supressor",
            "NSAID",
            "non-steroidal anti-inflammatory drugs",
            "a",
            "th",
            "immuno",
            "",
            "!!!",
        ]
        .map(String::from),
    );
    out
}
