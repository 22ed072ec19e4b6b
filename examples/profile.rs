use paper_search::{corpus, index::{self, Index}, search::{SearchOptions, Searcher}};
fn main() {
    let papers = corpus::load(std::path::Path::new("data/papers.txt")).unwrap();
    let bytes = index::build(&papers).unwrap();
    let idx = Index::open(&bytes).unwrap();
    let s = Searcher::new(idx);
    let qs: Vec<String> = std::fs::read_to_string("bench/queries-default.jsonl").unwrap().lines()
        .map(|l| { let v: serde_json::Value = serde_json::from_str(l).unwrap(); v["q"].as_str().unwrap().to_string() }).collect();
    let mode = std::env::args().nth(1).unwrap_or_default();
    let n = 200;
    let t = std::time::Instant::now();
    for _ in 0..n { for q in &qs { if mode == "rank" { std::hint::black_box(s.rank(q, 10)); } else { std::hint::black_box(s.search(q, &SearchOptions { limit: 10 })); } } }
    println!("{mode}: {:.1} µs/query", t.elapsed().as_secs_f64() * 1e6 / (n * qs.len()) as f64);
}
