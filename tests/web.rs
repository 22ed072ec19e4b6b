//! wasm tests of the JavaScript-facing API, in a headless browser (Chromium or Firefox):
//! what crosses the boundary, in the shapes JavaScript sees.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use js_sys::{Array, Object, Reflect};
use paper_search::search::{SearchOptions, Searcher};
use paper_search::wasm;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The exported `search`, called with the values JavaScript would pass.
fn call_search(query: &JsValue, options: &JsValue) -> JsValue {
    wasm::search(query.clone(), Some(options.clone())).expect("search never throws")
}

fn call_paper(id: &JsValue) -> JsValue {
    wasm::paper(id.clone()).expect("paper never throws")
}

fn call_stats() -> JsValue {
    wasm::stats().expect("stats never throws")
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).expect("object property")
}

fn hits(results: &JsValue) -> Array {
    get(results, "hits").dyn_into::<Array>().expect("hits is an array")
}

fn search(query: &str) -> JsValue {
    call_search(&JsValue::from_str(query), &JsValue::UNDEFINED)
}

#[wasm_bindgen_test]
fn hits_have_the_documented_shape() {
    let results = search("linear bandits");
    let hits = hits(&results);
    assert_eq!(hits.length(), 10, "default limit");
    assert!(get(&results, "total").as_f64().unwrap() >= 10.0);
    assert_eq!(get(&results, "truncated").as_bool(), Some(false));
    let hit = hits.get(0);
    assert!(hit.is_instance_of::<Object>());
    assert!(get(&hit, "id").as_f64().is_some());
    assert!(get(&hit, "title").as_string().unwrap().to_lowercase().contains("bandit"));
    assert!(get(&hit, "score").as_f64().unwrap() > 0.0);
    for key in ["titleSegments", "snippet"] {
        let segments = get(&hit, key).dyn_into::<Array>().expect("segments array");
        assert!(segments.length() > 0);
        for s in segments.iter() {
            assert!(get(&s, "text").is_string());
            assert!(get(&s, "hit").as_bool().is_some());
        }
    }
}

#[wasm_bindgen_test]
fn scores_are_best_first() {
    let scores: Vec<f64> =
        hits(&search("diffusion posterior sampling")).iter().map(|h| get(&h, "score").as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[wasm_bindgen_test]
fn limit_option_is_honoured_and_bad_options_fall_back() {
    let opts = Object::new();
    Reflect::set(&opts, &"limit".into(), &3.into()).unwrap();
    assert_eq!(hits(&call_search(&"learning".into(), &opts)).length(), 3);
    for bad in [JsValue::from_str("x"), JsValue::NULL, JsValue::from_f64(f64::NAN), JsValue::from_f64(-4.0)] {
        let opts = Object::new();
        Reflect::set(&opts, &"limit".into(), &bad).unwrap();
        assert_eq!(hits(&call_search(&"learning".into(), &opts)).length(), 10);
    }
    assert_eq!(hits(&call_search(&"learning".into(), &JsValue::from_f64(5.0))).length(), 10);
}

#[wasm_bindgen_test]
fn highlight_false_returns_the_same_hits_without_segments() {
    let opts = Object::new();
    Reflect::set(&opts, &"highlight".into(), &false.into()).unwrap();
    let plain = hits(&call_search(&"linear bandits".into(), &opts));
    let marked = hits(&search("linear bandits"));
    assert_eq!(plain.length(), marked.length());
    for (p, m) in plain.iter().zip(marked.iter()) {
        assert_eq!(get(&p, "id"), get(&m, "id"));
        assert_eq!(Array::from(&get(&p, "titleSegments")).length(), 0);
        assert_eq!(Array::from(&get(&p, "snippet")).length(), 0);
        assert!(Array::from(&get(&m, "titleSegments")).length() > 0);
    }
}

#[wasm_bindgen_test]
fn non_ascii_highlight_segments_rebuild_the_text() {
    // The title with `Kähler`-style accents or Greek letters must come back whole, split only
    // on character boundaries, with the matched word marked.
    let results = search("Konig");
    let hits = hits(&results);
    assert!(hits.length() > 0, "König / K\\\"onig is found by the plain spelling");
    let hit = hits.get(0);
    let abstract_text = get(&call_paper(&get(&hit, "id")), "abstract").as_string().unwrap();
    let snippet = get(&hit, "snippet").dyn_into::<Array>().unwrap();
    let marked: Vec<String> = snippet
        .iter()
        .filter(|s| get(s, "hit").as_bool() == Some(true))
        .map(|s| get(&s, "text").as_string().unwrap())
        .collect();
    assert!(!marked.is_empty());
    for m in &marked {
        assert!(abstract_text.contains(m.as_str()), "{m} is verbatim corpus text");
    }
    let whole: String = get(&hit, "titleSegments")
        .dyn_into::<Array>()
        .unwrap()
        .iter()
        .map(|s| get(&s, "text").as_string().unwrap())
        .collect();
    assert_eq!(whole, get(&hit, "title").as_string().unwrap());
}

#[wasm_bindgen_test]
fn accented_query_text_round_trips_through_utf16() {
    let native = Searcher::embedded().unwrap().search("Erdős–Rényi graphs", &SearchOptions::default());
    let js = hits(&search("Erdős–Rényi graphs"));
    assert_eq!(js.length() as usize, native.hits.len());
    for (h, n) in js.iter().zip(&native.hits) {
        assert_eq!(get(&h, "id").as_f64(), Some(f64::from(n.id)));
    }
}

#[wasm_bindgen_test]
fn empty_and_junk_queries_find_nothing_and_do_not_throw() {
    for q in ["", "   ", "\t\n", "?!.,;:", "\"", "((", "-", "\u{0}", "\u{200b}"] {
        let results = search(q);
        assert_eq!(hits(&results).length(), 0, "{q:?}");
        assert_eq!(get(&results, "total").as_f64(), Some(0.0));
    }
    for q in [JsValue::UNDEFINED, JsValue::NULL, JsValue::from_f64(42.0), Object::new().into()] {
        assert_eq!(hits(&call_search(&q, &JsValue::UNDEFINED)).length(), 0);
    }
}

#[wasm_bindgen_test]
fn paper_returns_the_record_or_undefined() {
    let p = call_paper(&JsValue::from_f64(0.0));
    assert_eq!(get(&p, "id").as_f64(), Some(0.0));
    assert_eq!(get(&p, "title").as_string().unwrap(), "On Invariance Penalties for Risk Minimization");
    assert!(get(&p, "abstract").as_string().unwrap().starts_with("The Invariant Risk Minimization (IRM)"));
    for bad in [
        JsValue::from_f64(208.0),
        JsValue::from_f64(-1.0),
        JsValue::from_f64(1.5),
        JsValue::from_str("0"),
        JsValue::UNDEFINED,
    ] {
        assert!(call_paper(&bad).is_undefined());
    }
}

#[wasm_bindgen_test]
fn stats_reports_the_embedded_index() {
    let s = call_stats();
    assert_eq!(get(&s, "papers").as_f64(), Some(208.0));
    assert!(get(&s, "terms").as_f64().unwrap() > 1000.0);
    assert_eq!(get(&s, "formatVersion").as_f64(), Some(f64::from(paper_search::format::FORMAT_VERSION)));
    assert_eq!(get(&s, "analyzerVersion").as_f64(), Some(f64::from(paper_search::analyze::ANALYZER_VERSION)));
}

#[wasm_bindgen_test]
fn related_returns_other_papers_and_tolerates_bad_ids() {
    let related = wasm::related(JsValue::from_f64(0.0), JsValue::from_f64(3.0)).unwrap().dyn_into::<Array>().unwrap();
    assert_eq!(related.length(), 3);
    for r in related.iter() {
        assert_ne!(get(&r, "id").as_f64(), Some(0.0));
        assert!(get(&r, "title").is_string());
    }
    for bad in [JsValue::from_f64(-1.0), JsValue::from_f64(1e12), JsValue::from_str("x"), JsValue::UNDEFINED] {
        let none = wasm::related(bad, JsValue::UNDEFINED).unwrap().dyn_into::<Array>().unwrap();
        assert_eq!(none.length(), 0);
    }
}

#[wasm_bindgen_test]
fn misspelled_query_carries_a_suggestion() {
    let results = search("grokkign ");
    assert_eq!(get(&results, "suggestion").as_string().as_deref(), Some("grokking "));
    assert!(hits(&results).length() > 0, "typo tolerance still finds the papers");
    assert!(get(&search("grokking "), "suggestion").is_undefined());
}

#[wasm_bindgen_test]
async fn an_embedded_build_answers_the_async_calls_at_once_as_the_sync_ones() {
    use wasm_bindgen_futures::JsFuture;
    let json = |v: &JsValue| js_sys::JSON::stringify(v).unwrap().as_string().unwrap();
    let q = JsValue::from_str("linear bandits");
    let sync = call_search(&q, &JsValue::UNDEFINED);
    let async_ = JsFuture::from(wasm::search_async(q, None)).await.unwrap();
    assert_eq!(json(&async_), json(&sync));
    let paper = JsFuture::from(wasm::paper_async(JsValue::from_f64(3.0))).await.unwrap();
    assert_eq!(json(&paper), json(&call_paper(&JsValue::from_f64(3.0))));
    assert!(JsFuture::from(wasm::paper_async(JsValue::from_f64(1e9))).await.unwrap().is_undefined());
    let related = JsFuture::from(wasm::related_async(JsValue::from_f64(3.0), JsValue::from_f64(2.0))).await.unwrap();
    assert_eq!(json(&related), json(&wasm::related(JsValue::from_f64(3.0), JsValue::from_f64(2.0)).unwrap()));
    assert!(wasm::part_urls().unwrap().is_empty(), "an embedded build has no part files");
    assert_eq!(get(&call_stats(), "sharded").as_bool(), Some(false));
}

/// Options from a JavaScript object literal.
fn options(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("test options are JSON")
}

#[wasm_bindgen_test]
fn filters_sort_and_facets_cross_as_documented() {
    // The default corpus has no years, venues, kinds or authors: no groups to count, and a
    // year filter leaves nothing.
    let counted = call_search(&"learning".into(), &options(r#"{"facets": true}"#));
    let facets = get(&counted, "facets");
    assert!(facets.is_object());
    assert_eq!(Object::keys(&facets.unchecked_into::<Object>()).length(), 0, "no group the corpus lacks");
    let filtered = call_search(&"learning".into(), &options(r#"{"filters": {"year": {"from": 2020}}}"#));
    assert_eq!(get(&filtered, "total").as_f64(), Some(0.0));
    // With no words, a date sort lists every paper.
    let browsed = call_search(&"".into(), &options(r#"{"sort": "newest", "limit": 1000}"#));
    assert_eq!(get(&browsed, "total").as_f64(), get(&call_stats(), "papers").as_f64());
    assert!(get(&call_stats(), "facets").is_undefined());
}

#[wasm_bindgen_test]
fn strange_filters_and_facets_fall_back_to_none() {
    let plain = get(&search("learning"), "total");
    for bad in [
        r#"{"filters": "junk", "sort": 5, "facets": "yes"}"#,
        r#"{"filters": {"year": {"from": "x", "to": null}, "venue": "one", "author": [1, null]}}"#,
        r#"{"filters": {"year": {"from": -5, "to": 1e9}, "type": []}, "sort": "sideways"}"#,
        r#"{"facets": ["year", 7, "nothing"]}"#,
    ] {
        let got = call_search(&"learning".into(), &options(bad));
        assert_eq!(get(&got, "total"), plain, "{bad}");
    }
}

#[wasm_bindgen_test]
fn a_paper_cites_as_a_bibtex_entry() {
    let entry = wasm::cite(JsValue::from_f64(0.0)).expect("cite never throws").as_string().expect("a string");
    assert!(entry.starts_with("@misc{"), "{entry}");
    let title = get(&call_paper(&JsValue::from_f64(0.0)), "title").as_string().unwrap();
    let first = title.split_whitespace().next().unwrap();
    assert!(entry.contains(&format!("title = {{{{{first}")), "{entry}");
    for bad in [JsValue::from_f64(1e9), JsValue::from_str("0"), JsValue::NULL] {
        assert!(wasm::cite(bad).expect("cite never throws").is_undefined());
    }
}
