//! `paper-search-index`: indexes a corpus for a build of the page.
//!
//! ```text
//! paper-search-index CORPUS OUT_DIR [--shards auto|on|off|single] [--strict] [--vectors FILE]
//! ```
//!
//! Writes `OUT_DIR/index.bin`, the bundle the wasm module embeds (`build.rs` reads it from
//! `PAPER_SEARCH_INDEX`), and, for a sharded build, the parts as gzip files in
//! `OUT_DIR/index-<build id>/`, the folder the page fetches them from (all but the docs part,
//! which every search reads whole: it goes into the module's bundle with the core). `auto` shards corpora of
//! more than `MAX_EMBEDDED_PAPERS` papers; `single` (for the one-file page) refuses them. Progress goes to stderr, then a summary: papers,
//! files, bytes, time and peak memory. A corpus error stops it with `path:line: problem; fix`
//! and exit status 1, and leaves `OUT_DIR` as it was. A collection's entries that cannot be read
//! are skipped, each reported as a warning (`path:line: entry <key>: problem; fix`), and the
//! summary ends with `297 of 300 entries indexed, 3 skipped (listed above)` (also written to
//! `OUT_DIR/summary.txt`, the line `./build.sh` ends with); with `--strict` they are errors
//! that stop it, listed one a line before the last. `--vectors` takes the papers' vectors
//! (`paper-search-semantic embed` of the same corpus) for search by meaning: the index holds
//! each paper's int8 vector in its text shard and every paper's one-bit code in codes shards.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    if let Err(message) = native::run(std::env::args().skip(1).collect()) {
        // A collection's error lists the skipped entries it stands for first, a line each.
        for line in message.lines() {
            eprintln!("error: {line}");
        }
        std::process::exit(1);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::io::Write;
    use std::path::{Path, PathBuf};
    use std::sync::mpsc;
    use std::sync::Mutex;
    use std::time::Instant;

    use paper_search::corpus;
    use paper_search::index::{self, shards, BuildError, Layout, PartId, Progress};

    use paper_search::semantic::vectors::Vectors;

    const USAGE: &str =
        "usage: paper-search-index CORPUS OUT_DIR [--shards auto|on|off|single] [--strict] [--vectors FILE]";

    pub fn run(args: Vec<String>) -> Result<(), String> {
        let mut positional = Vec::new();
        let mut shards_flag = "auto".to_string();
        let mut strict = false;
        let mut vectors_path = None;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--shards" => shards_flag = args.next().ok_or(USAGE)?,
                "--strict" => strict = true,
                "--vectors" => vectors_path = Some(args.next().ok_or(USAGE)?),
                "-h" | "--help" => return Err(USAGE.into()),
                _ => positional.push(arg),
            }
        }
        let [corpus_path, out_dir] = <[String; 2]>::try_from(positional).map_err(|_| USAGE.to_string())?;
        let started = Instant::now();
        let collection = corpus::load(Path::new(&corpus_path)).map_err(|e| e.to_string())?;
        collection.check(strict).map_err(|e| e.to_string())?;
        for skipped in &collection.skipped {
            eprintln!("warning: {skipped}");
        }
        let summary = collection.summary();
        let papers = collection.papers;
        let layout = index::layout_for(
            &shards_flag,
            papers.len(),
            &corpus_path,
            "serve the sharded build instead (./build.sh serve, or copy www/ to any static host), or force one file with SHARDS=off ./build.sh single",
        )?;
        eprintln!(
            "paper-search-index: {} papers read from {corpus_path} in {:.1} s; building {} index",
            papers.len(),
            started.elapsed().as_secs_f64(),
            if layout.is_sharded() { "a sharded" } else { "an embedded" }
        );
        let vectors = match &vectors_path {
            Some(path) => {
                let bytes = std::fs::read(path).map_err(|e| format!("{path}: cannot read it: {e}"))?;
                let vectors = Vectors::from_bytes(&bytes).map_err(|e| format!("{path}: {}", e.0))?;
                if vectors.len() != papers.len() {
                    return Err(format!(
                        "{path}: {} vectors for the {} papers of {corpus_path}: embed this corpus again (paper-search-semantic embed)",
                        vectors.len(),
                        papers.len()
                    ));
                }
                Some(vectors)
            }
            None => None,
        };
        let out = PathBuf::from(out_dir);
        std::fs::create_dir_all(&out).map_err(|e| format!("{}: cannot create it: {e}", out.display()))?;
        let report = write(&papers, &layout, vectors.as_ref(), &out)?;
        eprintln!(
            "paper-search-index: {} papers, {} in {:.1} s, peak memory {}",
            papers.len(),
            report,
            started.elapsed().as_secs_f64(),
            peak_memory().unwrap_or_else(|| "unknown".into())
        );
        if let Some(summary) = summary {
            eprintln!("paper-search-index: {summary}");
            // For ./build.sh, which ends its own output with it.
            write_file(&out.join("summary.txt"), format!("{summary}\n").as_bytes())?;
        }
        Ok(())
    }

    /// Writes the index: the bundle the module embeds, and for a sharded build the parts as
    /// gzip files (compressed on every core while the writer goes on) in a new folder named
    /// after the build. Returns what was written, for the summary.
    fn write(
        papers: &[corpus::Paper],
        layout: &Layout,
        vectors: Option<&Vectors>,
        out: &Path,
    ) -> Result<String, String> {
        let staging = out.join(format!("index-staging-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&staging);
        if layout.is_sharded() {
            std::fs::create_dir_all(&staging).map_err(|e| format!("{}: {e}", staging.display()))?;
        }
        let (sender, receiver) = mpsc::sync_channel::<(PartId, Vec<u8>)>(64);
        let receiver = Mutex::new(receiver);
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
        let totals = Mutex::new((0usize, 0usize, 0usize));
        let site = std::thread::scope(|scope| -> Result<index::Site, String> {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| -> Result<(), String> {
                        loop {
                            let next = receiver.lock().map_err(|_| "a compressing thread failed")?.recv();
                            let Ok((id, bytes)) = next else { return Ok(()) };
                            let gz = gzip(&bytes)?;
                            write_file(&staging.join(id.file_name()), &gz)?;
                            let mut t = totals.lock().map_err(|_| "a compressing thread failed")?;
                            *t = (t.0 + 1, t.1 + bytes.len(), t.2 + gz.len());
                        }
                    })
                })
                .collect();
            let site = index::write_site(
                papers,
                layout,
                vectors.map(Vectors::stored),
                &mut |id, bytes| sender.send((id, bytes)).map_err(|e| BuildError::Sink(e.to_string())),
                &mut reporter(),
            );
            drop(sender);
            for handle in handles {
                handle.join().map_err(|_| "a compressing thread panicked".to_string())??;
            }
            site.map_err(|e| e.to_string())
        })?;
        write_file(&out.join("index.bin"), &site.bundle)?;
        if !layout.is_sharded() {
            return Ok(format!("one bundle of {}", megabytes(site.bundle.len())));
        }
        let folder = out.join(shards::folder_name(site.build));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::rename(&staging, &folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        let (files, raw, gz) = *totals.lock().map_err(|_| "a compressing thread failed")?;
        Ok(format!(
            "core {} in the module, {files} part files in {} ({} gzip, {} raw)",
            megabytes(site.bundle.len()),
            folder.display(),
            megabytes(gz),
            megabytes(raw)
        ))
    }

    fn gzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).map_err(|e| e.to_string())?;
        encoder.finish().map_err(|e| e.to_string())
    }

    fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
        std::fs::write(path, bytes).map_err(|e| format!("{}: cannot write it: {e}", path.display()))
    }

    fn megabytes(bytes: usize) -> String {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }

    /// The process's peak resident memory, where the system says (Linux).
    fn peak_memory() -> Option<String> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(format!("{:.0} MB", kb / 1e3))
    }

    /// Prints a stage's progress when it starts, when it ends, and every few seconds between.
    fn reporter() -> impl FnMut(Progress) {
        let mut stage = "";
        let mut last = Instant::now();
        move |p: Progress| {
            let now = Instant::now();
            if p.stage != stage || p.done == p.total || now.duration_since(last).as_secs() >= 3 {
                eprintln!("paper-search-index: {} {}/{}", p.stage, p.done, p.total);
                stage = p.stage;
                last = now;
            }
        }
    }
}
