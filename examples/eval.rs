//! The relevance harness: nDCG@10, MRR@10 and Recall@100 per query kind, each query read
//! twice, as the page reads it: finished (a space after the last word) and as typed (the last
//! word unfinished: trailing spaces and punctuation dropped, so it matches as a prefix).
//!
//! ```text
//! cargo run --release --example eval                 # both sets below
//! cargo run --release --example eval -- default      # the open judged set on data/papers.txt
//! cargo run --release --example eval -- scifact      # BEIR SciFact, test split
//! cargo run --release --example eval -- scifact train
//! cargo run --release --example eval -- tune         # grid search on SciFact train
//! cargo run --release --example eval -- readings     # the queries whose two readings differ
//! cargo run --release --example eval -- readings scifact train
//! cargo run --release --features semantic --example eval -- semantic   # search by meaning
//! cargo run --release --features semantic --example eval -- semantic tune      # its fusion, on SciFact train
//! cargo run --release --features semantic --example eval -- semantic finalists # the best of tune, both readings
//! cargo run --release --features semantic --example eval -- semantic queries   # per query, open set
//! cargo run --release --features semantic --example eval -- semantic queries scifact # per query, SciFact test
//! cargo run --release --features semantic --example eval -- semantic codes     # compact vectors, SciFact
//! cargo run --release --features semantic --example eval -- semantic parts     # papers a search rescores, by part
//! ```
//!
//! `semantic` reads the model file from `$PAPER_SEARCH_MODEL` (default
//! `target/model/paper-search-model.bin`, which `./build.sh eval semantic` makes) and keeps each
//! corpus's vectors in `target/semantic-vectors/`, so that only the first run embeds the papers.
//!
//! SciFact is read from `../shared/scifact/` beside the repository, or from `$SCIFACT`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// The harness reads files and the BEIR corpus: native only. On wasm32 (where `cargo test`
// also builds examples) it is an empty program.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    harness::main();
}

#[cfg(all(feature = "semantic", not(target_arch = "wasm32")))]
#[path = "support/codes.rs"]
mod codes;

#[cfg(not(target_arch = "wasm32"))]
mod harness {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};
    use std::time::Instant;

    use paper_search::corpus::{self, Paper};
    use paper_search::eval::{self, Judged, Scores};
    use paper_search::index::{self, Index};
    use paper_search::rank::Params;
    use paper_search::search::{Features, SearchOptions, Searcher};

    fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    fn scifact_dir() -> PathBuf {
        std::env::var_os("SCIFACT").map_or_else(|| root().join("../shared/scifact"), PathBuf::from)
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// A corpus indexed in memory, with the key each paper is judged by.
    struct Indexed {
        bytes: Vec<u8>,
        keys: Vec<String>,
    }

    impl Indexed {
        fn new(papers: &[Paper]) -> Self {
            let bytes = index::build(papers).expect("index builds");
            let keys = papers.iter().enumerate().map(|(d, p)| p.key.clone().unwrap_or_else(|| d.to_string())).collect();
            Indexed { bytes, keys }
        }

        fn searcher(&self, params: Params, features: Features) -> Searcher<'_> {
            Searcher::new(Index::open(&self.bytes).expect("index opens")).with_params(params).with_features(features)
        }

        /// Scores a ranking of every judged query (the keys of its papers, best first) per kind.
        #[cfg(feature = "semantic")]
        fn run_with(&self, judged: &[Judged], rank: impl Fn(&str) -> Vec<(u32, f32)>) -> BTreeMap<String, Scores> {
            eval::evaluate(judged, |q| rank(q).iter().map(|&(d, _)| self.keys[d as usize].clone()).collect())
        }

        /// Ranks every judged query, read as `reading` says, and returns the scores per kind.
        fn run(
            &self,
            judged: &[Judged],
            params: Params,
            features: Features,
            reading: Reading,
        ) -> BTreeMap<String, Scores> {
            let searcher = self.searcher(params, features);
            eval::evaluate(judged, |q| {
                searcher
                    .search(&reading.of(q), &SearchOptions { limit: 100, ..SearchOptions::default() })
                    .hits
                    .iter()
                    .map(|h| self.keys[h.id as usize].clone())
                    .collect()
            })
        }
    }

    /// The queries whose two readings score differently (nDCG@10), largest gap first: where the
    /// as-typed ranking parts from the finished one.
    fn readings(name: &str, indexed: &Indexed, judged: &[Judged]) {
        let searcher = indexed.searcher(Params::DEFAULT, Features::ALL);
        let ndcg = |text: &str, grades| {
            let ranked: Vec<String> =
                searcher.rank(text, 10).iter().map(|&(d, _)| indexed.keys[d as usize].clone()).collect();
            eval::ndcg_at(10, &ranked, grades)
        };
        let mut rows: Vec<(f64, f64, &str)> = judged
            .iter()
            .map(|j| {
                (
                    ndcg(&Reading::Finished.of(&j.query), &j.grades),
                    ndcg(&Reading::Typed.of(&j.query), &j.grades),
                    j.query.as_str(),
                )
            })
            .filter(|(f, t, _)| (f - t).abs() > 1e-9)
            .collect();
        rows.sort_by(|a, b| (b.0 - b.1).abs().total_cmp(&(a.0 - a.1).abs()));
        println!(
            "\n{name}: {} of {} queries score differently finished and as typed (nDCG@10)\n",
            rows.len(),
            judged.len()
        );
        println!("| query | finished | as typed |");
        println!("|---|---:|---:|");
        for (f, t, q) in rows {
            println!("| {q} | {f:.2} | {t:.2} |");
        }
    }

    /// How a judged query is put to the search box.
    #[derive(Clone, Copy)]
    enum Reading {
        /// Typed to the end and a space after: every word is finished.
        Finished,
        /// Typed up to its last letter: the last word is read as unfinished (a prefix).
        Typed,
    }

    impl Reading {
        const BOTH: [Reading; 2] = [Reading::Finished, Reading::Typed];

        fn name(self) -> &'static str {
            match self {
                Reading::Finished => "finished",
                Reading::Typed => "as typed",
            }
        }

        fn of(self, query: &str) -> String {
            match self {
                Reading::Finished => format!("{} ", query.trim_end()),
                Reading::Typed => query.trim_end_matches(|c: char| !c.is_alphanumeric()).to_string(),
            }
        }
    }

    /// The relevance features one at a time on top of plain BM25F, then all of them.
    /// Each feature alone on top of BM25F, then all of them, then all but one (what each adds
    /// to the others).
    const VARIANTS: [(&str, Features); 12] = [
        ("BM25F alone (no features)", Features::NONE),
        ("+ typo tolerance", Features { typos: true, ..Features::NONE }),
        ("+ acronyms", Features { acronyms: true, ..Features::NONE }),
        ("+ joined compounds", Features { compounds: true, ..Features::NONE }),
        ("+ finished word first", Features { finished_first: true, ..Features::NONE }),
        ("+ frequent neighbours of rare words", Features { rare_neighbours: true, ..Features::NONE }),
        ("all features", Features::ALL),
        ("all but typo tolerance", Features { typos: false, ..Features::ALL }),
        ("all but acronyms", Features { acronyms: false, ..Features::ALL }),
        ("all but joined compounds", Features { compounds: false, ..Features::ALL }),
        ("all but finished word first", Features { finished_first: false, ..Features::ALL }),
        ("all but frequent neighbours of rare words", Features { rare_neighbours: false, ..Features::ALL }),
    ];

    /// nDCG@10 of each of [`VARIANTS`] on each set, in both readings.
    fn ablation(sets: &[(&str, &Indexed, &[Judged])]) {
        println!("\nnDCG@10 by feature (finished / as typed)\n");
        let names: Vec<&str> = sets.iter().map(|s| s.0).collect();
        println!("| features | {} |", names.join(" | "));
        println!("|---|{}", "---:|".repeat(sets.len()));
        for (name, features) in VARIANTS {
            let cells: Vec<String> = sets
                .iter()
                .map(|(_, ix, j)| {
                    let [f, t] = Reading::BOTH.map(|r| ix.run(j, Params::DEFAULT, features, r)["all"].ndcg10);
                    format!("{f:.3} / {t:.3}")
                })
                .collect();
            println!("| {name} | {} |", cells.join(" | "));
        }
    }

    /// The scores per kind, of the queries finished and as typed.
    fn print(title: &str, indexed: &Indexed, judged: &[Judged]) {
        let [finished, typed] = Reading::BOTH.map(|r| indexed.run(judged, Params::DEFAULT, Features::ALL, r));
        print_kinds(title, &finished, &typed);
    }

    fn print_kinds(title: &str, finished: &BTreeMap<String, Scores>, typed: &BTreeMap<String, Scores>) {
        println!("\n{title} ({} / {})\n", Reading::Finished.name(), Reading::Typed.name());
        println!("| kind | queries | nDCG@10 | MRR@10 | Recall@100 |");
        println!("|---|---:|---:|---:|---:|");
        let mut kinds: Vec<&String> = finished.keys().filter(|k| *k != "all").collect();
        kinds.extend(finished.get_key_value("all").map(|(k, _)| k));
        for kind in kinds {
            let (f, t) = (&finished[kind], &typed[kind]);
            println!(
                "| {kind} | {} | {:.3} / {:.3} | {:.3} / {:.3} | {:.3} / {:.3} |",
                f.queries, f.ndcg10, t.ndcg10, f.mrr10, t.mrr10, f.recall100, t.recall100
            );
        }
    }

    fn default_set() -> (Vec<Paper>, Vec<Judged>) {
        let papers = corpus::load(&root().join("data/papers.txt")).expect("default corpus").papers;
        let judged = eval::read_judged_tsv(&read(&root().join("tests/relevance/default.tsv"))).expect("judged set");
        (papers, judged)
    }

    fn scifact(split: &str) -> (Vec<Paper>, Vec<Judged>) {
        let dir = scifact_dir();
        let papers = corpus::load(&dir.join("corpus.jsonl")).expect("SciFact corpus").papers;
        let judged =
            eval::read_beir(&read(&dir.join("queries.jsonl")), &read(&dir.join(format!("qrels/{split}.tsv"))), split)
                .expect("SciFact queries");
        (papers, judged)
    }

    /// Time per query, native, for each feature set: the benchmark's query mix on the default
    /// corpus (typing, typos, questions), and SciFact's long claims.
    fn timing() {
        let mix: Vec<String> = read(&root().join("bench/queries-default.jsonl"))
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
                v["q"].as_str().expect("a q field").to_string()
            })
            .collect();
        let (sci_papers, sci_judged) = scifact("train");
        let claims: Vec<String> = sci_judged.into_iter().map(|j| j.query).collect();
        let workloads = [
            ("default corpus, benchmark query mix", Indexed::new(&default_set().0), mix, 50),
            ("SciFact, train claims", Indexed::new(&sci_papers), claims, 1),
        ];
        for (title, indexed, queries, rounds) in &workloads {
            println!("\n{title}: µs per query, native\n");
            println!("| features | search, 10 highlighted hits | ranking alone |");
            println!("|---|---:|---:|");
            for (name, f) in VARIANTS {
                let searcher = indexed.searcher(Params::DEFAULT, f);
                let time = |run: &dyn Fn(&str)| {
                    let t = Instant::now();
                    for _ in 0..*rounds {
                        queries.iter().for_each(|q| run(q));
                    }
                    t.elapsed().as_secs_f64() * 1e6 / (rounds * queries.len()) as f64
                };
                let search =
                    time(&|q| drop(searcher.search(q, &SearchOptions { limit: 10, ..SearchOptions::default() })));
                let rank = time(&|q| drop(searcher.rank(q, 10)));
                println!("| {name} | {search:.0} | {rank:.0} |");
            }
        }
    }

    fn tune() {
        let (papers, judged) = scifact("train");
        let indexed = Indexed::new(&papers);
        let mut best = (0.0, Params::DEFAULT);
        for k1 in [0.9, 1.2, 1.5] {
            for b_abs in [0.5, 0.75, 0.9] {
                for w_title in [1.5, 2.5, 4.0] {
                    for b_title in [0.0, 0.3] {
                        let p = Params { k1, weight: [w_title, 1.0, 1.0], b: [b_title, b_abs, 0.0] };
                        let s = indexed.run(&judged, p, Features::ALL, Reading::Finished)["all"];
                        if s.ndcg10 > best.0 {
                            best = (s.ndcg10, p);
                            println!("train nDCG@10 {:.4} with {p:?}", s.ndcg10);
                        }
                    }
                }
            }
        }
        println!("\nbest on train: {:.4} with {:?}", best.0, best.1);
    }

    /// Search by meaning: the model alone, BM25F alone and the two fused, on the open set and
    /// SciFact (`semantic tune`: the fusion weight on SciFact train).
    #[cfg(feature = "semantic")]
    mod semantic {
        use super::*;
        use paper_search::semantic::encoder::Encoder;
        use paper_search::semantic::fuse::{self, Exact, Fusion, Near, Scale};
        use paper_search::semantic::model::Model;
        use paper_search::semantic::vectors::Vectors;

        fn model_path() -> PathBuf {
            std::env::var_os("PAPER_SEARCH_MODEL")
                .map_or_else(|| root().join("target/model/paper-search-model.bin"), PathBuf::from)
        }

        /// A corpus's vectors: from the cache, or embedded now and kept.
        fn vectors(name: &str, papers: &[Paper], encoder: &Encoder) -> Vectors {
            let dir = root().join("target/semantic-vectors");
            // Named after the model, the encoder's version (a faster encoder's vectors may differ
            // in their last bits) and the corpus's size.
            let path = dir.join(format!(
                "{name}-{:016x}-e{}-{}.vec",
                encoder.model_id,
                paper_search::semantic::cache::ENCODER_VERSION,
                papers.len()
            ));
            if let Some(v) = std::fs::read(&path).ok().and_then(|b| Vectors::from_bytes(&b).ok()) {
                return v;
            }
            let t = Instant::now();
            let embedded = encoder
                .embed_papers(papers, |done| eprint!("\rembedding {name}: {done} of {} papers", papers.len()))
                .expect("papers embed");
            eprintln!("\rembedding {name}: {} papers in {:.1} s", papers.len(), t.elapsed().as_secs_f64());
            let v = Vectors::new(encoder.model_id, encoder.dims(), &embedded);
            std::fs::create_dir_all(&dir).expect("cache folder");
            std::fs::write(&path, v.to_bytes()).expect("cache written");
            v
        }

        struct Set<'a> {
            name: &'a str,
            indexed: Indexed,
            judged: Vec<Judged>,
            vectors: Vectors,
            /// Each query's vector, as read finished and as typed.
            queries: BTreeMap<String, Vec<f32>>,
        }

        impl<'a> Set<'a> {
            fn new(name: &'a str, papers: &[Paper], judged: Vec<Judged>, vectors: Vectors, encoder: &Encoder) -> Self {
                let indexed = Indexed::new(papers);
                let searcher = indexed.searcher(Params::DEFAULT, Features::ALL);
                let mut queries = BTreeMap::new();
                for j in &judged {
                    for r in Reading::BOTH {
                        let text = r.of(&j.query);
                        let meant = searcher.model_text(&text);
                        let v = encoder.encode(&[meant.as_str()]).expect("query encodes").remove(0);
                        queries.insert(text, v);
                    }
                }
                drop(searcher);
                Set { name, indexed, judged, vectors, queries }
            }

            /// The scores per kind: the model alone (`how` none: every paper's exact cosine) or
            /// fused as the builds fuse (the codes' estimates, the best rescored).
            fn scores(&self, reading: Reading, how: Option<Fusion>) -> BTreeMap<String, Scores> {
                let searcher = self.indexed.searcher(Params::DEFAULT, Features::ALL);
                self.indexed.run_with(&self.judged, |q| {
                    let text = reading.of(q);
                    match how {
                        Some(how) => self.fused(&searcher, &text, how),
                        None => self.vectors.nearest(&self.queries[&text], fuse::DEPTH),
                    }
                })
            }

            /// `text` searched as the builds search with meaning on, the best 100.
            fn fused(&self, searcher: &Searcher<'_>, text: &str, how: Fusion) -> Vec<(u32, f32)> {
                let query = &self.queries[text];
                let estimates = self.vectors.estimated(query, fuse::DEPTH);
                let exact = |d| self.vectors.cosine(query, d);
                searcher.rank_near(text, 100, Near { estimates: &estimates, exact: Exact::Given(&exact) }, how)
            }
        }

        /// `text` fused with `nearest`, whose exact cosines are the scores given: no rescoring.
        fn fused_as_given(searcher: &Searcher<'_>, text: &str, nearest: &[(u32, f32)]) -> Vec<(u32, f32)> {
            let exact = |d| nearest.iter().find(|e: &&(u32, f32)| e.0 == d).map_or(0.0, |e| e.1);
            searcher.rank_near(text, 100, Near { estimates: nearest, exact: Exact::Given(&exact) }, Fusion::DEFAULT)
        }

        /// A query's vector → the nearest papers, scores on the cosine's scale.
        type Finder<'a> = dyn Fn(&[f32]) -> Vec<(u32, f32)> + 'a;

        impl Set<'_> {
            /// nDCG@10 (finished / as typed) of the model alone and fused, with the nearest papers
            /// found by `near` (a query's vector → the nearest `DEPTH`, scores on the cosine's
            /// scale) in place of the int8 vectors.
            fn with_near(&self, near: &Finder<'_>) -> [[f64; 2]; 2] {
                let searcher = self.indexed.searcher(Params::DEFAULT, Features::ALL);
                let run = |reading: Reading, fused: bool| {
                    self.indexed.run_with(&self.judged, |q| {
                        let text = reading.of(q);
                        let nearest = near(&self.queries[&text]);
                        if fused {
                            fused_as_given(&searcher, &text, &nearest)
                        } else {
                            nearest
                        }
                    })["all"]
                        .ndcg10
                };
                [false, true].map(|fused| Reading::BOTH.map(|r| run(r, fused)))
            }

            /// nDCG@10 of the fused ranking (finished / as typed) with the nearest papers found by
            /// `near`, then the fused best `m` given their exact cosines (the int8 vectors') in place
            /// of `near`'s estimates and put in order again ahead of the rest.
            fn with_rescoring(&self, near: &Finder<'_>, m: usize) -> [f64; 2] {
                let searcher = self.indexed.searcher(Params::DEFAULT, Features::ALL);
                Reading::BOTH.map(|reading| {
                    self.indexed.run_with(&self.judged, |q| {
                        let text = reading.of(q);
                        let query = &self.queries[&text];
                        let nearest = near(query);
                        let fused = fused_as_given(&searcher, &text, &nearest);
                        let best: Vec<u32> = fused.iter().take(m).map(|&(d, _)| d).collect();
                        let cos = self.vectors.cosines(query);
                        let mut exact: Vec<(u32, f32)> =
                            nearest.iter().filter(|(d, _)| !best.contains(d)).copied().collect();
                        exact.extend(best.iter().map(|&d| (d, cos[d as usize])));
                        exact.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                        let again = fused_as_given(&searcher, &text, &exact);
                        let mut out: Vec<(u32, f32)> = again.into_iter().filter(|(d, _)| best.contains(d)).collect();
                        out.extend(fused.into_iter().skip(m));
                        out
                    })["all"]
                        .ndcg10
                })
            }

            /// nDCG@10 of every query (finished / as typed): BM25F, the model alone, fused; the
            /// queries fusion changes, to see what it wins and loses.
            fn per_query(&self, how: Fusion) {
                let searcher = self.indexed.searcher(Params::DEFAULT, Features::ALL);
                let keys = |ranked: Vec<(u32, f32)>| -> Vec<String> {
                    ranked.iter().map(|&(d, _)| self.indexed.keys[d as usize].clone()).collect()
                };
                println!("\n{}: nDCG@10 per query that fusion changes (finished / as typed)\n", self.name);
                println!("| kind | query | BM25F | model | fused |");
                println!("|---|---|---:|---:|---:|");
                for j in &self.judged {
                    let cells = Reading::BOTH.map(|r| {
                        let text = r.of(&j.query);
                        let nearest = self.vectors.nearest(&self.queries[&text], fuse::DEPTH);
                        let lexical = searcher.rank(&text, 100);
                        let fused = self.fused(&searcher, &text, how);
                        [lexical, nearest, fused].map(|r| eval::ndcg_at(10, &keys(r), &j.grades))
                    });
                    if (0..3)
                        .all(|i| (cells[0][i] - cells[0][2]).abs() < 1e-9 && (cells[1][i] - cells[1][2]).abs() < 1e-9)
                    {
                        continue;
                    }
                    let [l, m, f] = [0, 1, 2].map(|i| format!("{:.2} / {:.2}", cells[0][i], cells[1][i]));
                    println!("| {} | {} | {l} | {m} | {f} |", j.kind, j.query);
                }
            }
        }

        /// The builds answer alike: SciFact's every query (train and test, finished and as typed)
        /// searched with meaning, as the page searches, in an embedded and a sharded index that
        /// hold the papers' vectors (the sharded searcher given the parts each search lacks),
        /// beside this evaluation's own fusion from the vectors file.
        fn builds(encoder: &Encoder) {
            use paper_search::index::{shards, Layout};
            println!("\nSearch by meaning in the builds: SciFact, every query, nDCG@10 (finished / as typed)\n");
            println!("| split | searches | embedded = sharded (ids, order, scores) | embedded build | sharded build | evaluation (vectors file) |");
            println!("|---|---:|---:|---:|---:|---:|");
            for split in ["train", "test"] {
                let (papers, judged) = scifact(split);
                let v = vectors("scifact", &papers, encoder);
                let set = Set::new(split, &papers, judged, v, encoder);
                let stored = Some(set.vectors.stored());
                let embedded_bytes =
                    index::write_site(&papers, &Layout::EMBEDDED, stored, &mut |_, _| Ok(()), &mut |_| {})
                        .expect("index builds")
                        .bundle;
                let embedded = Searcher::new(Index::open(&embedded_bytes).expect("index opens"));
                let mut parts = std::collections::HashMap::new();
                let core = index::write(
                    &papers,
                    &Layout::SHARDED,
                    stored,
                    &mut |id, bytes| {
                        parts.insert(id, bytes);
                        Ok(())
                    },
                    &mut |_| {},
                )
                .expect("index builds");
                let core = shards::bundle(&core, &[]);
                let mut sharded = Searcher::new(Index::open(&core).expect("index opens"));
                let part = |id| parts.get(&id).cloned();
                let (codes, _) = sharded.answer_from(&part, |s| s.try_codes()).expect("codes");
                let codes = codes.expect("the index has vectors");
                let options = SearchOptions { limit: 100, highlight: false, ..SearchOptions::default() };
                let (mut searches, mut same) = (0, 0);
                let mut ndcg = |reading: Reading| {
                    let mut answers: BTreeMap<String, [Vec<(u32, f32)>; 2]> = BTreeMap::new();
                    for j in &set.judged {
                        let text = reading.of(&j.query);
                        let query = &set.queries[&text];
                        let estimates = codes.estimated(query, fuse::DEPTH);
                        let near = Near { estimates: &estimates, exact: Exact::Stored(query) };
                        let e = embedded.try_search_near(&text, &options, near).expect("embedded answers");
                        let (s, _) = sharded
                            .answer_from(&part, |s| s.try_search_near(&text, &options, near))
                            .expect("sharded answers");
                        searches += 1;
                        same += usize::from(e == s);
                        let ids =
                            |r: &paper_search::search::SearchResults| r.hits.iter().map(|h| (h.id, h.score)).collect();
                        answers.insert(text, [ids(&e), ids(&s)]);
                    }
                    let run = |i: usize| {
                        set.indexed.run_with(&set.judged, |q| answers[&reading.of(q)][i].clone())["all"].ndcg10
                    };
                    [run(0), run(1), set.scores(reading, Some(Fusion::DEFAULT))["all"].ndcg10]
                };
                let [f, t] = Reading::BOTH.map(&mut ndcg);
                let cell = |i: usize| format!("{:.4} / {:.4}", f[i], t[i]);
                println!("| {split} | {searches} | {same} | {} | {} | {} |", cell(0), cell(1), cell(2));
            }
        }

        /// Two vectors files of SciFact's papers (a native build's and the npm builder's, whose
        /// encoder runs in wasm) compared: how far the vectors differ, and how the builds'
        /// searches with meaning differ on every test query (top 10 ids in order, nDCG@10).
        pub fn compare(a: &Path, b: &Path) {
            let model = Model::from_bytes(&std::fs::read(model_path()).expect("the model file")).expect("model reads");
            let encoder = Encoder::new(model).expect("encoder builds");
            let (papers, judged) = scifact("test");
            let read = |p: &Path| Vectors::from_bytes(&std::fs::read(p).expect("vectors file")).expect("vectors read");
            let (va, vb) = (read(a), read(b));
            assert!(
                va.len() == papers.len() && vb.len() == papers.len(),
                "vectors of SciFact's {} papers",
                papers.len()
            );
            // The vectors: int8 values that differ, papers with any, the lowest cosine of a paper's two.
            let (mut values, mut differing, mut lowest) = (0usize, 0usize, 1f32);
            for d in 0..papers.len() as u32 {
                let (x, y) = (va.get(d).expect("row"), vb.get(d).expect("row"));
                let (rx, ry) = (va.row(d).expect("row").1, vb.row(d).expect("row").1);
                let n = rx.iter().zip(ry).filter(|(p, q)| p != q).count();
                values += n;
                differing += usize::from(n > 0 || va.row(d).map(|r| r.0) != vb.row(d).map(|r| r.0));
                let dot: f32 = x.iter().zip(&y).map(|(p, q)| p * q).sum();
                let norm = |v: &[f32]| v.iter().map(|p| p * p).sum::<f32>().sqrt();
                lowest = lowest.min(dot / (norm(&x) * norm(&y)));
            }
            println!("\nSciFact's {} papers, two vectors files: {differing} papers' vectors differ, in their scale or in {values} of {} int8 values; lowest cosine of a paper's two vectors {lowest:.6}\n", papers.len(), papers.len() * va.dims);
            let sa = Set::new("SciFact test", &papers, judged, va, &encoder);
            let sb = Set {
                name: sa.name,
                indexed: Indexed::new(&papers),
                judged: sa.judged.clone(),
                vectors: vb,
                queries: sa.queries.clone(),
            };
            let searcher = sa.indexed.searcher(Params::DEFAULT, Features::ALL);
            let name = |p: &Path| p.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            println!("| SciFact test, with meaning | queries | same top 10 (ids, order) | largest score difference in a top 10 | nDCG@10, {} | nDCG@10, {} |", name(a), name(b));
            println!("|---|---:|---:|---:|---:|---:|");
            for reading in Reading::BOTH {
                let (mut same, mut largest) = (0, 0f32);
                for j in &sa.judged {
                    let text = reading.of(&j.query);
                    let (ra, rb) =
                        (sa.fused(&searcher, &text, Fusion::DEFAULT), sb.fused(&searcher, &text, Fusion::DEFAULT));
                    let top = |r: &[(u32, f32)]| r.iter().take(10).map(|h| h.0).collect::<Vec<_>>();
                    same += usize::from(top(&ra) == top(&rb));
                    for (x, y) in ra.iter().zip(&rb).take(10) {
                        largest = largest.max((x.1 - y.1).abs());
                    }
                }
                let ndcg = |s: &Set<'_>| s.scores(reading, Some(Fusion::DEFAULT))["all"].ndcg10;
                println!(
                    "| {} | {} | {same} | {largest:.2e} | {:.4} | {:.4} |",
                    reading.name(),
                    sa.judged.len(),
                    ndcg(&sa),
                    ndcg(&sb)
                );
            }
        }

        pub fn run(what: Option<&str>, on: Option<&str>) {
            let model = Model::from_bytes(
                &std::fs::read(model_path()).expect("the model file (./build.sh eval semantic makes it)"),
            )
            .expect("model reads");
            let encoder = Encoder::new(model).expect("encoder builds");
            if what == Some("tune") {
                let (papers, judged) = scifact("train");
                let vectors = vectors("scifact", &papers, &encoder);
                let set = Set::new("SciFact train", &papers, judged, vectors, &encoder);
                println!("\nfusion on {}: nDCG@10 (finished), by scaling and weight of the vectors\n", set.name);
                let weights = [0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8];
                println!("| BM25F scaled / cosine scaled | {} |", weights.map(|w| format!("{w}")).join(" | "));
                println!("|---|{}", "---:|".repeat(weights.len()));
                let scalings = [
                    (Scale::MinMax, Scale::MinMax),
                    (Scale::Max, Scale::Max),
                    (Scale::MinMax, Scale::Raw),
                    (Scale::Max, Scale::Raw),
                    (Scale::Saturate(5.0), Scale::Raw),
                    (Scale::Saturate(10.0), Scale::Raw),
                    (Scale::Saturate(20.0), Scale::Raw),
                    (Scale::Saturate(10.0), Scale::MinMax),
                ];
                for by_held_words in [false, true] {
                    for (lexical, semantic) in scalings {
                        let cells = weights.map(|weight| {
                            let how = Fusion { lexical, semantic, weight, by_held_words, best_coverage: 0.0 };
                            format!("{:.4}", set.scores(Reading::Finished, Some(how))["all"].ndcg10)
                        });
                        let held = if by_held_words { ", by held words" } else { "" };
                        println!("| {lexical:?} / {semantic:?}{held} | {} |", cells.join(" | "));
                    }
                }
                println!("\nBM25F (Max) and cosine (Raw), BM25F's weight also scaled by its best paper's share of the query's words, to a power\n");
                println!("| held words / power | {} |", weights.map(|w| format!("{w}")).join(" | "));
                println!("|---|{}", "---:|".repeat(weights.len()));
                for by_held_words in [false, true] {
                    for best_coverage in [1.0, 2.0, 3.0, 4.0] {
                        let cells = weights.map(|weight| {
                            let how = Fusion { weight, by_held_words, best_coverage, ..Fusion::DEFAULT };
                            format!("{:.4}", set.scores(Reading::Finished, Some(how))["all"].ndcg10)
                        });
                        println!("| {by_held_words} / {best_coverage} | {} |", cells.join(" | "));
                    }
                }
                return;
            }
            // The fusions at the top of `tune`, on SciFact train in both readings.
            if what == Some("finalists") {
                let (papers, judged) = scifact("train");
                let v = vectors("scifact", &papers, &encoder);
                let train = Set::new("SciFact train", &papers, judged, v, &encoder);
                println!("\nSciFact train, nDCG@10 (finished / as typed, mean)\n");
                println!("| fusion | nDCG@10 | mean |");
                println!("|---|---:|---:|");
                for (by_held_words, best_coverage, weight) in [
                    (false, 2.0, 0.4),
                    (true, 2.0, 0.4),
                    (false, 1.0, 0.45),
                    (true, 1.0, 0.45),
                    (true, 1.0, 0.5),
                    (false, 1.0, 0.5),
                    (true, 0.0, 0.6),
                    (false, 0.0, 0.6),
                    (true, 2.0, 0.35),
                    (true, 3.0, 0.3),
                ] {
                    let how = Fusion { weight, by_held_words, best_coverage, ..Fusion::DEFAULT };
                    let [f, t] = Reading::BOTH.map(|r| train.scores(r, Some(how))["all"].ndcg10);
                    println!("| {how:?} | {f:.4} / {t:.4} | {:.4} |", (f + t) / 2.0);
                }
                return;
            }
            // Compact codes for the vectors (what a sharded build could fetch), on SciFact.
            if what == Some("codes") {
                use crate::codes::{Bits, Pq, Scalar, Signs};
                for split in ["train", "test"] {
                    let (papers, judged) = scifact(split);
                    let v = vectors("scifact", &papers, &encoder);
                    let floats: Vec<Vec<f32>> = (0..v.len()).map(|d| v.get(d as u32).expect("a vector")).collect();
                    let set = Set::new(split, &papers, judged, v.clone(), &encoder);
                    let started = Instant::now();
                    let bits = Bits::new(&floats);
                    let pq48 = Pq::train(&floats, 48, 20);
                    let pq96 = Pq::train(&floats, 96, 20);
                    let turned = Signs::new(&floats);
                    let s36 = Scalar::new(&floats, 36, 3);
                    eprintln!("codes learnt in {:.1} s", started.elapsed().as_secs_f64());
                    println!("\nSciFact {split}, {} papers: nDCG@10 (finished / as typed)\n", papers.len());
                    println!("| the papers' vectors | bytes a paper | the model alone | fused |");
                    println!("|---|---:|---:|---:|");
                    let depth = fuse::DEPTH;
                    let rows: Vec<(String, String, Box<Finder<'_>>)> = vec![
                        (
                            "int8, every paper (the builds before)".into(),
                            "388".into(),
                            Box::new(|q| v.nearest(q, depth)),
                        ),
                        (
                            "1 bit, the float query against every code".into(),
                            "48".into(),
                            Box::new(|q| bits.nearest_all(q, depth)),
                        ),
                        (
                            "1 bit, Hamming's best 300 rescored by their int8 vectors".into(),
                            "48 + 388 of 300".into(),
                            Box::new(|q| {
                                let cos = v.cosines(q);
                                let scored = bits.hamming(q, 300).into_iter().map(|d| (d, cos[d as usize])).collect();
                                paper_search::rank::top_k(scored, depth)
                            }),
                        ),
                        (
                            "1 bit of the centred, rotated vector, a scale each (RaBitQ), every paper".into(),
                            "52".into(),
                            Box::new(|q| turned.nearest(q, depth)),
                        ),
                        (
                            "each component its own quantiles: 1 bit, the 36 widest 3 bits".into(),
                            format!("{}", s36.bytes()),
                            Box::new(|q| s36.nearest(q, depth)),
                        ),
                        (
                            "PQ, 48 pieces of 8 (256 centroids each)".into(),
                            "48".into(),
                            Box::new(|q| pq48.nearest(q, depth)),
                        ),
                        (
                            "PQ, 96 pieces of 4 (256 centroids each)".into(),
                            "96".into(),
                            Box::new(|q| pq96.nearest(q, depth)),
                        ),
                    ];
                    for (name, bytes, near) in &rows {
                        let [[mf, mt], [ff, ft]] = set.with_near(near.as_ref());
                        println!("| {name} | {bytes} | {mf:.4} / {mt:.4} | {ff:.4} / {ft:.4} |");
                    }
                    // The codes as the builds make them, from the int8 vectors.
                    let every: Box<Finder<'_>> = Box::new(|q| v.estimated(q, depth));
                    for m in [10, 20, 30, 50] {
                        let [f, t] = set.with_rescoring(every.as_ref(), m);
                        println!(
                            "| 1 bit (the int8 vectors' signs), the float query against every code; the fused best {m} rescored by their int8 vectors | 48 + 388 of {m} | | {f:.4} / {t:.4} |"
                        );
                    }
                    let [f, t] = Reading::BOTH.map(|r| set.scores(r, Some(Fusion::DEFAULT))["all"].ndcg10);
                    let m = fuse::RESCORED;
                    println!("| **as built**: the same, the fused best `fuse::RESCORED` ({m}) | 48 + 388 of {m} | | {f:.4} / {t:.4} |");
                }
                return;
            }
            // What a sharded build would fetch to rescore a search's best papers: over SciFact's
            // test queries (both readings), how many parts of `size` papers (in id order) the
            // fused best `RESCORED` fall in, and the hits' (the best 10) for comparison.
            if what == Some("parts") {
                let (papers, judged) = scifact("test");
                let v = vectors("scifact", &papers, &encoder);
                let set = Set::new("SciFact test", &papers, judged, v, &encoder);
                let searcher = set.indexed.searcher(Params::DEFAULT, Features::ALL);
                let bests: Vec<Vec<u32>> = set
                    .judged
                    .iter()
                    .flat_map(|j| Reading::BOTH.map(|r| r.of(&j.query)))
                    .map(|text| set.fused(&searcher, &text, Fusion::DEFAULT).into_iter().map(|(d, _)| d).collect())
                    .collect();
                println!(
                    "\nSciFact test, {} searches: parts of `size` papers a search needs (mean / p95 / most)\n",
                    bests.len()
                );
                println!("| parts of | the best 10 | the fused best {} |", fuse::RESCORED);
                println!("|---:|---:|---:|");
                for size in [1, 9, 18, 36, 72, 144] {
                    let cells = [10, fuse::RESCORED].map(|n| {
                        let mut counts: Vec<usize> = bests
                            .iter()
                            .map(|b| {
                                let mut parts: Vec<u32> = b.iter().take(n).map(|&d| d / size).collect();
                                parts.sort_unstable();
                                parts.dedup();
                                parts.len()
                            })
                            .collect();
                        counts.sort_unstable();
                        let mean = counts.iter().sum::<usize>() as f64 / counts.len().max(1) as f64;
                        let p95 = counts[(counts.len() * 95 / 100).min(counts.len() - 1)];
                        format!("{mean:.1} / {p95} / {}", counts.last().copied().unwrap_or(0))
                    });
                    println!("| {size} | {} | {} |", cells[0], cells[1]);
                }
                return;
            }
            if what == Some("builds") {
                builds(&encoder);
                return;
            }
            if what == Some("queries") {
                let set = if on == Some("scifact") {
                    let (papers, judged) = scifact("test");
                    let vectors = vectors("scifact", &papers, &encoder);
                    Set::new("SciFact test", &papers, judged, vectors, &encoder)
                } else {
                    let (papers, judged) = default_set();
                    let vectors = vectors("default", &papers, &encoder);
                    Set::new("open set", &papers, judged, vectors, &encoder)
                };
                set.per_query(Fusion::DEFAULT);
                return;
            }
            let (papers, judged) = default_set();
            let vectors_default = vectors("default", &papers, &encoder);
            let (sci_papers, sci_judged) = scifact("test");
            let vectors_sci = vectors("scifact", &sci_papers, &encoder);
            let sets = [
                Set::new("open set", &papers, judged, vectors_default, &encoder),
                Set::new("SciFact test", &sci_papers, sci_judged, vectors_sci, &encoder),
            ];
            let how = Fusion::DEFAULT;
            for set in &sets {
                let [f, t] = Reading::BOTH.map(|r| set.scores(r, Some(how)));
                print_kinds(&format!("{}, semantic on: BM25F and the model fused ({how:?})", set.name), &f, &t);
            }
            println!("\nnDCG@10, search by meaning (finished / as typed)\n");
            println!("| ranking | {} |", sets.iter().map(|s| s.name).collect::<Vec<_>>().join(" | "));
            println!("|---|{}", "---:|".repeat(sets.len()));
            let rows: [(&str, Option<Option<Fusion>>); 3] = [
                ("BM25F, all features (semantic off)", None),
                ("the model alone (cosine)", Some(None)),
                ("fused (semantic on)", Some(Some(how))),
            ];
            for (name, ranking) in rows {
                let cells: Vec<String> = sets
                    .iter()
                    .map(|s| {
                        let [f, t] = Reading::BOTH.map(|r| match ranking {
                            None => s.indexed.run(&s.judged, Params::DEFAULT, Features::ALL, r)["all"].ndcg10,
                            Some(how) => s.scores(r, how)["all"].ndcg10,
                        });
                        format!("{f:.4} / {t:.4}")
                    })
                    .collect();
                println!("| {name} | {} |", cells.join(" | "));
            }
            // The runners-up on SciFact train (`semantic tune`), for comparison: not chosen.
            println!("\nOther fusions, not chosen (nDCG@10 finished / as typed; concept kind of the open set)\n");
            println!("| fusion | open set | concept | SciFact test |");
            println!("|---|---:|---:|---:|");
            let none = Fusion { by_held_words: false, best_coverage: 0.0, ..Fusion::DEFAULT };
            for how in [
                Fusion { lexical: Scale::MinMax, semantic: Scale::MinMax, weight: 0.45, ..none },
                Fusion { lexical: Scale::Saturate(10.0), semantic: Scale::Raw, weight: 0.3, ..none },
                Fusion { weight: 0.6, ..none },
                Fusion { weight: 0.6, by_held_words: true, ..none },
                Fusion { weight: 0.4, best_coverage: 2.0, ..none },
                Fusion { weight: 0.4, by_held_words: true, best_coverage: 2.0, ..none },
                Fusion { weight: 0.45, best_coverage: 1.0, ..none },
                Fusion { weight: 0.45, by_held_words: true, best_coverage: 1.0, ..none },
                Fusion { weight: 0.5, by_held_words: true, best_coverage: 1.0, ..none },
                Fusion { weight: 0.5, best_coverage: 1.0, ..none },
            ] {
                let [open_f, open_t] = Reading::BOTH.map(|r| sets[0].scores(r, Some(how)));
                let [sci_f, sci_t] = Reading::BOTH.map(|r| sets[1].scores(r, Some(how))["all"].ndcg10);
                println!(
                    "| {how:?} | {:.3} / {:.3} | {:.3} / {:.3} | {sci_f:.3} / {sci_t:.3} |",
                    open_f["all"].ndcg10, open_t["all"].ndcg10, open_f["concept"].ndcg10, open_t["concept"].ndcg10
                );
            }
        }
    }

    pub fn main() {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let what = args.first().map_or("all", String::as_str);
        let started = Instant::now();
        match what {
            "default" | "all" => {
                let (papers, judged) = default_set();
                let default = Indexed::new(&papers);
                print("Open judged set on the default corpus (tests/relevance/default.tsv)", &default, &judged);
                if what == "all" {
                    let (sci_papers, sci_judged) = scifact("test");
                    let sci = Indexed::new(&sci_papers);
                    print("BEIR SciFact, test split (Lucene BM25: 0.665-0.679 nDCG@10)", &sci, &sci_judged);
                    ablation(&[("open set", &default, &judged), ("SciFact test", &sci, &sci_judged)]);
                }
            }
            "scifact" => {
                let split = args.get(1).map_or("test", String::as_str);
                let (papers, judged) = scifact(split);
                print(&format!("BEIR SciFact, {split} split"), &Indexed::new(&papers), &judged);
            }
            "tune" => tune(),
            "readings" => {
                let (name, (papers, judged)) = match args.get(1).map(String::as_str) {
                    Some("scifact") => {
                        let split = args.get(2).map_or("test", String::as_str);
                        (format!("SciFact {split}"), scifact(split))
                    }
                    _ => ("open set".to_string(), default_set()),
                };
                readings(&name, &Indexed::new(&papers), &judged);
            }
            #[cfg(feature = "semantic")]
            "semantic" if args.get(1).map(String::as_str) == Some("compare") && args.len() == 4 => {
                semantic::compare(Path::new(&args[2]), Path::new(&args[3]));
            }
            #[cfg(feature = "semantic")]
            "semantic" => semantic::run(args.get(1).map(String::as_str), args.get(2).map(String::as_str)),
            "timing" => timing(),
            other => {
                eprintln!("eval: unknown set {other:?}; use default, scifact [test|train], readings [scifact [test|train]], tune or timing");
                std::process::exit(2);
            }
        }
        eprintln!("\n({:.1} s)", started.elapsed().as_secs_f64());
    }
}
