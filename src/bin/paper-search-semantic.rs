//! `paper-search-semantic`: the sentence model for search by meaning, at build time.
//!
//! ```text
//! paper-search-semantic model MODEL_DIR OUT            # the model file, from the release
//! paper-search-semantic embed MODEL CORPUS OUT         # the papers' vectors
//! paper-search-semantic model-file VECTORS             # the model's file name in a build
//! ```
//!
//! `model` reads a sentence-transformers folder (`config.json`, `tokenizer.json`,
//! `model.safetensors`, `sentence_bert_config.json`) and writes the model file the build and
//! the page read (int8 weights, see `semantic::model`). `embed` encodes every paper of a corpus
//! (its title and abstract) and writes their vectors, in the order of the index's ids.
//! `model-file` prints the name the build gives the model file beside the module, read from
//! the vectors file, which records the model that made it (`Vectors::model_file`).

use std::path::Path;
use std::time::Instant;

use paper_search::corpus;
use paper_search::semantic::encoder::Encoder;
use paper_search::semantic::model::Model;
use paper_search::semantic::vectors::Vectors;

/// The model `./build.sh setup` fetches.
const MODEL_NAME: &str = "all-MiniLM-L6-v2";

const USAGE: &str = "usage: paper-search-semantic model MODEL_DIR OUT | embed MODEL CORPUS OUT | model-file VECTORS";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["model", dir, out] => make_model(Path::new(dir), Path::new(out)),
        ["embed", model, corpus, out] => embed(Path::new(model), Path::new(corpus), Path::new(out)),
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
    let vectors = Vectors::from_bytes(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("{}", vectors.model_file());
    Ok(())
}

fn embed(model_path: &Path, corpus_path: &Path, out: &Path) -> Result<(), String> {
    let started = Instant::now();
    let model = Model::from_bytes(&read(model_path)?).map_err(|e| format!("{}: {e}", model_path.display()))?;
    let encoder = Encoder::new(model).map_err(|e| e.to_string())?;
    // The papers the index holds: a collection's skipped entries are left out the same way.
    let papers = corpus::load(corpus_path).map_err(|e| e.to_string())?.papers;
    let vectors = encoder
        .embed_papers(&papers, |done| {
            if done % 320 == 0 {
                eprint!("\rpaper-search-semantic: {done} of {} papers", papers.len());
            }
        })
        .map_err(|e| e.to_string())?;
    let bytes = Vectors::new(encoder.model_id, encoder.dims(), &vectors).to_bytes();
    std::fs::write(out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!(
        "\rpaper-search-semantic: {} papers embedded ({} tokens at most) in {:.1} s; {:.1} KB written to {}",
        papers.len(),
        encoder.max_tokens,
        started.elapsed().as_secs_f64(),
        bytes.len() as f64 / 1e3,
        out.display()
    );
    Ok(())
}
