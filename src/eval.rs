//! Relevance measurement: judged queries, the standard ranking metrics, and a runner that
//! reports them per query kind. Used by `examples/eval.rs` (the `./build.sh eval` harness)
//! and by the regression test in `tests/relevance.rs`. Native only.
//!
//! Metrics follow trec_eval as BEIR reports them: nDCG@10 with the grade as the gain and a
//! log2 discount, MRR@10 (reciprocal rank of the first relevant paper in the top 10) and
//! Recall@100 (share of the relevant papers found in the top 100).

use std::collections::{BTreeMap, HashMap};

/// One judged query: its text, its kind, and the grade of each relevant paper by key.
#[derive(Debug, Clone)]
pub struct Judged {
    pub kind: String,
    pub query: String,
    pub grades: HashMap<String, u32>,
}

/// nDCG@k of a ranking (paper keys, best first) against graded judgments.
pub fn ndcg_at(k: usize, ranking: &[String], grades: &HashMap<String, u32>) -> f64 {
    let dcg: f64 = ranking
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, key)| f64::from(grades.get(key).copied().unwrap_or(0)) / (i as f64 + 2.0).log2())
        .sum();
    let mut ideal: Vec<u32> = grades.values().copied().filter(|&g| g > 0).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal.iter().take(k).enumerate().map(|(i, &g)| f64::from(g) / (i as f64 + 2.0).log2()).sum();
    if idcg == 0.0 {
        0.0
    } else {
        dcg / idcg
    }
}

/// Reciprocal rank of the first relevant paper within the top `k`, 0 if none.
pub fn mrr_at(k: usize, ranking: &[String], grades: &HashMap<String, u32>) -> f64 {
    ranking
        .iter()
        .take(k)
        .position(|key| grades.get(key).is_some_and(|&g| g > 0))
        .map_or(0.0, |i| 1.0 / (i as f64 + 1.0))
}

/// Share of the relevant papers found within the top `k`.
pub fn recall_at(k: usize, ranking: &[String], grades: &HashMap<String, u32>) -> f64 {
    let relevant = grades.values().filter(|&&g| g > 0).count();
    if relevant == 0 {
        return 0.0;
    }
    let found = ranking.iter().take(k).filter(|key| grades.get(*key).is_some_and(|&g| g > 0)).count();
    found as f64 / relevant as f64
}

/// Mean metrics over a set of queries.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    pub queries: usize,
    pub ndcg10: f64,
    pub mrr10: f64,
    pub recall100: f64,
}

/// Scores every judged query with `rank` (query text → paper keys, best first), overall
/// (under the key `"all"`) and per kind.
pub fn evaluate(judged: &[Judged], mut rank: impl FnMut(&str) -> Vec<String>) -> BTreeMap<String, Scores> {
    let mut sums: BTreeMap<String, Scores> = BTreeMap::new();
    for j in judged {
        let ranking = rank(&j.query);
        let (n, m, r) =
            (ndcg_at(10, &ranking, &j.grades), mrr_at(10, &ranking, &j.grades), recall_at(100, &ranking, &j.grades));
        for key in ["all", j.kind.as_str()] {
            let s = sums.entry(key.to_string()).or_default();
            s.queries += 1;
            s.ndcg10 += n;
            s.mrr10 += m;
            s.recall100 += r;
        }
    }
    for s in sums.values_mut() {
        let q = s.queries as f64;
        s.ndcg10 /= q;
        s.mrr10 /= q;
        s.recall100 /= q;
    }
    sums
}

/// Reads the open judged set (`kind<TAB>query<TAB>id:grade id:grade`, with a header line).
///
/// # Errors
///
/// `line N: ...` for a line that is not three tab-separated columns of that shape.
pub fn read_judged_tsv(text: &str) -> Result<Vec<Judged>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [kind, query, judgments] = cols[..] else {
            return Err(format!("line {}: expected 3 tab-separated columns", i + 1));
        };
        let mut grades = HashMap::new();
        for j in judgments.split_whitespace() {
            let (id, grade) = j.split_once(':').ok_or(format!("line {}: judgment {j:?} is not id:grade", i + 1))?;
            let grade: u32 = grade.parse().map_err(|_| format!("line {}: grade {grade:?} is not a number", i + 1))?;
            grades.insert(id.to_string(), grade);
        }
        out.push(Judged { kind: kind.to_string(), query: query.to_string(), grades });
    }
    Ok(out)
}

/// Reads BEIR queries (`{"_id", "text"}` per line) and qrels (`query-id<TAB>corpus-id<TAB>score`
/// with a header) into judged queries of kind `kind`; queries without judgments are skipped.
///
/// # Errors
///
/// A message naming the line that does not parse.
pub fn read_beir(queries_jsonl: &str, qrels_tsv: &str, kind: &str) -> Result<Vec<Judged>, String> {
    let mut grades: HashMap<String, HashMap<String, u32>> = HashMap::new();
    for (i, line) in qrels_tsv.lines().enumerate().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [q, doc, score] = cols[..] else { return Err(format!("qrels line {}: expected 3 columns", i + 1)) };
        let score: u32 = score.trim().parse().map_err(|_| format!("qrels line {}: bad score", i + 1))?;
        grades.entry(q.to_string()).or_default().insert(doc.to_string(), score);
    }
    let mut out = Vec::new();
    for (i, line) in queries_jsonl.lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("queries line {}: {e}", i + 1))?;
        let id = v["_id"].as_str().map(String::from).or_else(|| v["_id"].as_u64().map(|n| n.to_string()));
        let (Some(id), Some(text)) = (id, v["text"].as_str()) else { continue };
        if let Some(g) = grades.remove(&id) {
            out.push(Judged { kind: kind.to_string(), query: text.to_string(), grades: g });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grades(pairs: &[(&str, u32)]) -> HashMap<String, u32> {
        pairs.iter().map(|&(k, g)| (k.to_string(), g)).collect()
    }

    fn keys(ks: &[&str]) -> Vec<String> {
        ks.iter().map(|k| k.to_string()).collect()
    }

    #[test]
    fn ndcg_of_a_perfect_ranking_is_one_and_of_a_miss_zero() {
        let g = grades(&[("a", 2), ("b", 1)]);
        assert!((ndcg_at(10, &keys(&["a", "b", "c"]), &g) - 1.0).abs() < 1e-12);
        assert_eq!(ndcg_at(10, &keys(&["c", "d"]), &g), 0.0);
    }

    #[test]
    fn ndcg_matches_a_hand_computed_case() {
        // Ranking b, a: DCG = 1/log2(2) + 2/log2(3); IDCG = 2/log2(2) + 1/log2(3).
        let g = grades(&[("a", 2), ("b", 1)]);
        let expected = (1.0 + 2.0 / 3f64.log2()) / (2.0 + 1.0 / 3f64.log2());
        assert!((ndcg_at(10, &keys(&["b", "a"]), &g) - expected).abs() < 1e-12);
    }

    #[test]
    fn mrr_and_recall() {
        let g = grades(&[("a", 1), ("b", 1)]);
        assert_eq!(mrr_at(10, &keys(&["x", "b", "a"]), &g), 0.5);
        assert_eq!(recall_at(2, &keys(&["x", "b", "a"]), &g), 0.5);
        assert_eq!(recall_at(100, &keys(&["x", "b", "a"]), &g), 1.0);
    }

    #[test]
    fn reads_the_judged_tsv() {
        let j = read_judged_tsv("kind\tquery\tjudgments\ntopic\tlinear bandits\t12:2 57:1\n").unwrap();
        assert_eq!((j[0].kind.as_str(), j[0].query.as_str(), j[0].grades["57"]), ("topic", "linear bandits", 1));
        assert!(read_judged_tsv("h\nbad line\n").is_err());
    }
}
