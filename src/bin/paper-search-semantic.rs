//! `paper-search-semantic`: the sentence model for search by meaning, at build time.
//!
//! ```text
//! paper-search-semantic model MODEL_DIR OUT            # the model file, from the release
//! paper-search-semantic embed MODEL CORPUS OUT [--cache DIR | --no-cache] [--report FILE]
//! paper-search-semantic model-file VECTORS|MODEL       # the model's file name in a build
//! ```
//!
//! `model` reads a sentence-transformers folder (`config.json`, `tokenizer.json`,
//! `model.safetensors`, `sentence_bert_config.json`) and writes the model file the build and
//! the page read (int8 weights, see `semantic::model`). `embed` encodes every paper of a corpus
//! (its title and abstract) and writes their vectors, in the order of the index's ids: the
//! vectors of texts it embedded before come from its cache (`DIR/paper-search-embeddings.bin`;
//! by default in the build's target folder, `$CARGO_TARGET_DIR` or `target/`, under
//! `embeddings/`), and those it embeds now are added to it as they are made, so that a rebuild
//! embeds only new or changed papers and a run stopped half way goes on where it stopped. Its
//! progress shows on one line; `--report` writes what the embedding took as JSON (papers,
//! tokens, FLOPs, seconds, the token counts of each batch, the process's peak memory) for
//! `./build.sh bench embed`.
//! `model-file` prints the name the build gives the model file beside the module, read from
//! the vectors file, which records the model that made it (`Vectors::model_file`), or from the
//! model file itself.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use paper_search::corpus;
use paper_search::semantic::embedding;
use paper_search::semantic::encoder::Encoder;
use paper_search::semantic::model::Model;
use paper_search::semantic::paper_text;
use paper_search::semantic::vectors::{self, Vectors};

/// The model `./build.sh setup` fetches.
const MODEL_NAME: &str = "all-MiniLM-L6-v2";

const USAGE: &str = "usage: paper-search-semantic model MODEL_DIR OUT | embed MODEL CORPUS OUT [--cache DIR | --no-cache] [--report FILE] | model-file VECTORS|MODEL";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["model", dir, out] => make_model(Path::new(dir), Path::new(out)),
        ["embed", model, corpus, out, rest @ ..] => {
            options(rest).and_then(|o| embed(Path::new(model), Path::new(corpus), Path::new(out), &o))
        }
        ["model-file", vectors] => model_file(Path::new(vectors)),
        _ => Err(USAGE.to_string()),
    };
    if let Err(message) = result {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn make_model(dir: &Path, out: &Path) -> Result<(), String> {
    let model = Model::from_release(dir, MODEL_NAME).map_err(|e| e.to_string())?;
    let bytes = model.to_bytes();
    std::fs::write(out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!(
        "paper-search-semantic: {} tensors, {} parameters, {:.1} MB written to {}",
        model.tensors.len(),
        model.parameters(),
        bytes.len() as f64 / 1e6,
        out.display()
    );
    Ok(())
}

fn model_file(path: &Path) -> Result<(), String> {
    let bytes = read(path)?;
    let name = if bytes.starts_with(paper_search::semantic::model::MAGIC) {
        vectors::model_file(Model::from_bytes(&bytes).map_err(|e| format!("{}: {e}", path.display()))?.id)
    } else {
        Vectors::from_bytes(&bytes).map_err(|e| format!("{}: {e}", path.display()))?.model_file()
    };
    println!("{name}");
    Ok(())
}

/// Where `embed` keeps its cache unless told: the build's target folder.
fn default_cache() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from).join("embeddings")
}

/// `embed`'s options after its three paths.
struct Options {
    cache: Option<PathBuf>,
    report: Option<PathBuf>,
}

fn options(args: &[&str]) -> Result<Options, String> {
    let mut options = Options { cache: Some(default_cache()), report: None };
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        let mut value = || args.next().map(PathBuf::from).ok_or_else(|| format!("{arg} wants a path\n{USAGE}"));
        match arg {
            "--cache" => options.cache = Some(value()?),
            "--no-cache" => options.cache = None,
            "--report" => options.report = Some(value()?),
            _ => return Err(format!("unknown option {arg}\n{USAGE}")),
        }
    }
    Ok(options)
}

fn embed(model_path: &Path, corpus_path: &Path, out: &Path, options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let model = Model::from_bytes(&read(model_path)?).map_err(|e| format!("{}: {e}", model_path.display()))?;
    let encoder = Encoder::new(model).map_err(|e| e.to_string())?;
    // The papers the index holds: a collection's skipped entries are left out the same way.
    let papers = corpus::load(corpus_path).map_err(|e| e.to_string())?.papers;
    let texts: Vec<String> = papers.iter().map(paper_text).collect();
    let mut progress = Progress::new();
    let embedded =
        embedding::embed(&encoder, &texts, options.cache.as_deref(), |done, total| progress.show(done, total))
            .map_err(|e| e.to_string())?;
    progress.finish();
    for note in &embedded.notes {
        eprintln!("paper-search-semantic: {note}");
    }
    let bytes = embedded.vectors.to_bytes();
    std::fs::write(out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    let speed = if embedded.embedded > 0 && embedded.seconds > 0.0 {
        format!(
            ": {:.1} papers a second, {:.1} effective GFLOP/s",
            embedded.embedded as f64 / embedded.seconds,
            embedded.flops / embedded.seconds / 1e9
        )
    } else {
        String::new()
    };
    eprintln!(
        "paper-search-semantic: {} papers, {} embedded ({} tokens, {} at most a paper) in {:.1} s{speed}, {} from the cache; {:.1} KB written to {} ({:.1} s in all, peak memory {})",
        papers.len(),
        embedded.embedded,
        embedded.tokens,
        encoder.max_tokens,
        embedded.seconds,
        embedded.cached,
        bytes.len() as f64 / 1e3,
        out.display(),
        started.elapsed().as_secs_f64(),
        peak_memory().map_or_else(|| "unknown".into(), |b| format!("{} MiB", b >> 20))
    );
    if let Some(path) = &options.report {
        let report = serde_json::json!({
            "papers": papers.len(),
            "cached": embedded.cached,
            "embedded": embedded.embedded,
            "tokens": embedded.tokens,
            "flops": embedded.flops,
            "seconds": embedded.seconds,
            "batches": embedded.batches,
            "threads": rayon::current_num_threads(),
            "peak_memory_bytes": peak_memory(),
        });
        std::fs::write(path, report.to_string()).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// The most memory the process has held at once (its peak resident set, Linux's `VmHWM`), where
/// the system says.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb * 1024)
}

/// The embedding's progress on one line of the terminal, rewritten as batches finish: papers
/// done, papers a second, time left (a line every tenth of the way where stderr is no terminal).
struct Progress {
    started: Instant,
    shown: Option<Instant>,
    tenths: usize,
    terminal: bool,
}

impl Progress {
    fn new() -> Progress {
        Progress { started: Instant::now(), shown: None, tenths: 0, terminal: std::io::stderr().is_terminal() }
    }

    fn show(&mut self, done: usize, total: usize) {
        let now = Instant::now();
        let tenths = done * 10 / total.max(1);
        let due = if self.terminal {
            self.shown.is_none_or(|t| now - t >= Duration::from_millis(250)) || done == total
        } else {
            tenths > self.tenths
        };
        if !due {
            return;
        }
        let (seconds, end) =
            (now.duration_since(self.started).as_secs_f64(), if self.terminal { "\r\x1b[K" } else { "" });
        let rate = done as f64 / seconds.max(1e-9);
        let left = (total - done.min(total)) as f64 / rate.max(1e-9);
        eprint!(
            "{end}paper-search-semantic: {done} of {total} papers embedded, {rate:.1} a second, {} left{}",
            duration(left),
            if self.terminal { "" } else { "\n" }
        );
        self.shown = Some(now);
        self.tenths = tenths;
    }

    fn finish(&self) {
        if self.terminal && self.shown.is_some() {
            eprintln!();
        }
    }
}

/// `seconds` as a person reads a time left: "1 h 5 min", "3 min 20 s", "12 s".
fn duration(seconds: f64) -> String {
    let s = seconds.round() as u64;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}
