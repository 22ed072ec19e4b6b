//! A search's options as JavaScript passes them, read leniently: anything that is not a usable
//! value keeps the default, so that no options make a search throw.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::search::{Filters, Groups, SearchOptions, Sort, MAX_LIMIT};

fn get(object: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(object, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// `{ limit, highlight, filters, sort, facets }` (`facets`: `true` for every group, or the
/// names of those to count).
pub fn search_options(options: &JsValue) -> SearchOptions {
    let mut out = SearchOptions::default();
    if !options.is_object() {
        return out;
    }
    if let Some(limit) = get(options, "limit").and_then(|v| v.as_f64()).filter(|l| l.is_finite() && *l >= 0.0) {
        out.limit = (limit.floor() as usize).min(MAX_LIMIT);
    }
    if let Some(highlight) = get(options, "highlight").and_then(|v| v.as_bool()) {
        out.highlight = highlight;
    }
    out.facets = match get(options, "facets") {
        Some(v) if v.as_bool() == Some(true) => Groups::ALL,
        Some(v) if v.is_array() => {
            let named: Vec<String> = js_sys::Array::from(&v).iter().filter_map(|g| g.as_string()).collect();
            let has = |name: &str| named.iter().any(|n| n == name);
            Groups { years: has("year"), venues: has("venue"), kinds: has("type"), authors: has("author") }
        }
        _ => Groups::NONE,
    };
    out.sort = match get(options, "sort").and_then(|v| v.as_string()).as_deref() {
        Some("newest") => Sort::Newest,
        Some("oldest") => Sort::Oldest,
        _ => Sort::Relevance,
    };
    if let Some(filters) = get(options, "filters").filter(JsValue::is_object) {
        out.filters = read_filters(&filters);
    }
    out
}

/// `{ year: { from, to }, venue: [...], type: [...], author: [...] }`.
fn read_filters(filters: &JsValue) -> Filters {
    let year = |range: &JsValue, key: &str| {
        get(range, key)
            .and_then(|v| v.as_f64())
            .filter(|y| y.is_finite() && (0.0..=65535.0).contains(y))
            .map(|y| y as u16)
    };
    let years = get(filters, "year").filter(JsValue::is_object).and_then(|range| {
        let (from, to) = (year(&range, "from"), year(&range, "to"));
        (from.is_some() || to.is_some()).then(|| from.unwrap_or(0)..=to.unwrap_or(u16::MAX))
    });
    let strings = |key: &str| -> Vec<String> {
        get(filters, key)
            .filter(|v| v.is_array())
            .map(|v| {
                js_sys::Array::from(&v).iter().filter_map(|s| s.as_string()).filter(|s| !s.trim().is_empty()).collect()
            })
            .unwrap_or_default()
    };
    Filters { years, venues: strings("venue"), kinds: strings("type"), authors: strings("author") }
}

/// Whether the options ask for search by meaning (`{ semantic: true }`).
#[cfg(feature = "semantic")]
pub fn wants_semantic(options: Option<&JsValue>) -> bool {
    options.is_some_and(|o| get(o, "semantic") == Some(JsValue::TRUE))
}
