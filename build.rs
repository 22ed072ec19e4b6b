//! Builds the index at compile time: parses the corpus with the crate's own parser, analyzes
//! it with the crate's own analyzer (the very files the runtime uses, included by path), and
//! writes `$OUT_DIR/index.bin`, which `src/search.rs` embeds.
//!
//! The corpus is `data/papers.txt`, or the file named by the `PAPERS` environment variable
//! (a path relative to the crate root, or absolute). `PAPER_SEARCH_INDEX` names a bundle made
//! by the `paper-search-index` program to embed as it is (the shard loader's wasm tests do).
//! `PAPER_SEARCH_INDEX=none` (and the `indexer` feature) embeds no index: `./build.sh` indexes
//! any corpus but the default one with `paper-search-index` (the same code, with progress, and
//! sharded output for large corpora) and appends the bundle to such a module.

#![allow(dead_code, unused_imports, unexpected_cfgs)]

#[path = "src/acronym.rs"]
mod acronym;
#[path = "src/analyze.rs"]
mod analyze;
#[path = "src/corpus/mod.rs"]
mod corpus;
#[path = "src/format.rs"]
mod format;
#[path = "src/identifier.rs"]
mod identifier;
#[path = "src/index/mod.rs"]
mod index;

use std::path::PathBuf;

/// The corpus embedded when `PAPERS` is not set.
const DEFAULT_CORPUS: &str = "data/papers.txt";

fn main() {
    if let Err(message) = try_main() {
        // A corpus error already reads `path:line: problem; what to do` (after the entries it
        // stands for, a line each): print it alone, with no panic backtrace around it.
        for line in message.lines() {
            eprintln!("error: {line}");
        }
        std::process::exit(1);
    }
}

fn try_main() -> Result<(), String> {
    // Whether a search can lack parts of its index: natively (the tools and tests read sharded
    // indexes) and in a sharded build's module. An embedded build's module has every part, and
    // compiles without the bookkeeping of what was missing.
    println!("cargo::rustc-check-cfg=cfg(missing_parts)");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    if !wasm || std::env::var_os("CARGO_FEATURE_SHARDS").is_some() {
        println!("cargo::rustc-cfg=missing_parts");
    }
    // Whether the engine carries the code of filters, facet counts, sorting by date and
    // identifiers (`search::catalogue`): every engine but one built here for an embedded
    // corpus that has no such records to filter, count, sort or look up by (the default
    // corpus's), which answers alike without it.
    println!("cargo::rustc-check-cfg=cfg(catalogue)");
    let catalogue = |on: bool| {
        if on || !wasm {
            println!("cargo::rustc-cfg=catalogue");
        }
    };
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?);
    println!("cargo:rerun-if-env-changed=PAPER_SEARCH_INDEX");
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?).join("index.bin");
    // The npm package's engine and its indexer embed no index: the engine is given its index
    // when it starts (`openIndex`), and the indexer makes indexes.
    if std::env::var_os("PAPER_SEARCH_INDEX").is_some_and(|p| p == "none")
        || std::env::var_os("CARGO_FEATURE_INDEXER").is_some()
    {
        std::fs::write(&out, []).map_err(|e| format!("{}: cannot write the index: {e}", out.display()))?;
        catalogue(true);
        return Ok(());
    }
    if let Some(prebuilt) = std::env::var_os("PAPER_SEARCH_INDEX").filter(|p| !p.is_empty()) {
        let prebuilt = root.join(prebuilt);
        println!("cargo:rerun-if-changed={}", prebuilt.display());
        std::fs::copy(&prebuilt, &out)
            .map_err(|e| format!("{}: cannot read the prebuilt index: {e}", prebuilt.display()))?;
        catalogue(true);
        return Ok(());
    }
    // Only now: a module without an index, or given one, does not depend on PAPERS, and is not
    // rebuilt when it changes.
    println!("cargo:rerun-if-env-changed=PAPERS");
    for source in ["src/acronym.rs", "src/analyze.rs", "src/corpus", "src/format.rs", "src/identifier.rs", "src/index"]
    {
        println!("cargo:rerun-if-changed={source}");
    }
    let corpus = match std::env::var_os("PAPERS") {
        Some(p) if !p.is_empty() => root.join(p),
        _ => root.join(DEFAULT_CORPUS),
    };
    println!("cargo:rerun-if-changed={}", corpus.display());

    // A collection's skipped entries are warnings (`STRICT=1`: errors that stop the build).
    println!("cargo:rerun-if-env-changed=STRICT");
    let strict = std::env::var_os("STRICT").is_some_and(|s| !s.is_empty() && s != "0");
    let collection = corpus::load(&corpus).map_err(|e| e.to_string())?;
    collection.check(strict).map_err(|e| e.to_string())?;
    for skipped in &collection.skipped {
        println!("cargo:warning={skipped}");
    }
    if let Some(summary) = collection.summary() {
        println!("cargo:warning={summary}");
    }
    let papers = collection.papers;
    catalogue(papers.iter().any(corpus::Paper::is_record));
    let bytes = index::build(&papers).map_err(|e| format!("{}: cannot build the index: {e}", corpus.display()))?;
    std::fs::write(&out, bytes).map_err(|e| format!("{}: cannot write the index: {e}", out.display()))?;
    Ok(())
}
