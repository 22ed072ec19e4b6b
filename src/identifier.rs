//! Identifiers: a paper's DOI and arXiv id, as the index keeps them and as a query may type
//! them (bare, prefixed, or as a link), normalized the same way at build time and at query
//! time, so that `https://doi.org/10.1038/NATURE14539` finds the paper whose DOI is
//! `10.1038/nature14539`.
//!
//! The index keeps each as a term of its own, which no analyzed word can be: it starts with
//! [`MARK`], a control character the analyzer never yields. A query that is one identifier and
//! nothing else looks that term up and ranks its paper first.

/// The first char of an identifier's term.
pub const MARK: char = '\u{1}';

/// The term of a DOI (`10.1038/nature14539`, with or without `doi:` or a resolver's address),
/// lowercased as DOIs compare; `None` for text that is not one.
pub fn doi_term(text: &str) -> Option<String> {
    let lower = text.trim().to_ascii_lowercase();
    let bare = strip(&lower, &["https://", "http://", "dx.", "doi.org/", "doi:"]).trim_start();
    let slash = bare.find('/')?;
    let registrant = bare[..slash].strip_prefix("10.")?;
    let digits = registrant.bytes().take_while(u8::is_ascii_digit).count();
    let ok = (4..=9).contains(&digits)
        && registrant.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && slash + 1 < bare.len()
        && !bare.bytes().any(|b| b.is_ascii_whitespace());
    ok.then(|| term("doi:", bare))
}

/// The term of an arXiv id (`2106.09685`, `2106.09685v2`, `math/0211159`, with or without
/// `arXiv:` or an `arxiv.org/abs/` or `/pdf/` link), without its version; `None` for text
/// that is not one.
pub fn arxiv_term(text: &str) -> Option<String> {
    let lower = text.trim().to_ascii_lowercase();
    let id = strip(&lower, &["https://", "http://", "www.", "export.", "arxiv.org/abs/", "arxiv.org/pdf/", "arxiv:"]);
    let id = id.strip_suffix(".pdf").unwrap_or(id);
    let id = match id.rfind('v') {
        Some(v) if v + 1 < id.len() && id.bytes().skip(v + 1).all(|b| b.is_ascii_digit()) => &id[..v],
        _ => id,
    };
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let b = id.as_bytes();
    let new_style = matches!(b.iter().position(|&c| c == b'.'), Some(4))
        && matches!(b.len(), 9 | 10)
        && digits(&b[..4])
        && digits(&b[5..]);
    let old_style = b.iter().position(|&c| c == b'/').is_some_and(|s| {
        s > 0
            && b.len() == s + 8
            && b[..s].iter().all(|&c| c.is_ascii_lowercase() || c == b'-' || c == b'.')
            && b[0] != b'.'
            && digits(&b[s + 1..])
    });
    (new_style || old_style).then(|| term("arxiv:", id))
}

/// `text` without each of `prefixes` it starts with, in order.
fn strip<'t>(mut text: &'t str, prefixes: &[&str]) -> &'t str {
    for prefix in prefixes {
        text = text.strip_prefix(prefix).unwrap_or(text);
    }
    text
}

/// An identifier's term: [`MARK`], its kind, the identifier.
fn term(kind: &str, id: &str) -> String {
    let mut out = String::with_capacity(1 + kind.len() + id.len());
    out.push(MARK);
    out.push_str(kind);
    out.push_str(id);
    out
}

/// The identifier term a query stands for, when the whole query (spaces around it aside) is a
/// DOI or an arXiv id.
pub fn lookup_term(query: &str) -> Option<String> {
    let query = query.trim();
    if query.is_empty() || query.bytes().any(|b| b.is_ascii_whitespace()) {
        return None;
    }
    doi_term(query).or_else(|| arxiv_term(query))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_doi_reads_the_same_bare_prefixed_or_as_a_link() {
        let want = Some(format!("{MARK}doi:10.1038/nature14539"));
        for typed in [
            "10.1038/nature14539",
            "10.1038/NATURE14539",
            "doi:10.1038/nature14539",
            "https://doi.org/10.1038/nature14539",
            "http://dx.doi.org/10.1038/Nature14539",
            " 10.1038/nature14539 ",
        ] {
            assert_eq!(doi_term(typed), want, "{typed}");
        }
        for not in ["10.10/x", "11.1038/nature", "10.1038/", "nature14539", "10.1038/a b"] {
            assert_eq!(doi_term(not), None, "{not}");
        }
    }

    #[test]
    fn an_arxiv_id_reads_the_same_with_a_version_a_prefix_or_as_a_link() {
        let want = Some(format!("{MARK}arxiv:2106.09685"));
        for typed in [
            "2106.09685",
            "2106.09685v2",
            "arXiv:2106.09685",
            "https://arxiv.org/abs/2106.09685v1",
            "arxiv.org/pdf/2106.09685.pdf",
            "https://arxiv.org/pdf/2106.09685v3",
        ] {
            assert_eq!(arxiv_term(typed), want, "{typed}");
        }
        assert_eq!(arxiv_term("math/0211159v1"), Some(format!("{MARK}arxiv:math/0211159")));
        assert_eq!(arxiv_term("hep-th/9901001"), Some(format!("{MARK}arxiv:hep-th/9901001")));
        for not in ["2106.096", "21060.09685", "2106", "math/021115", "neural nets", "v2"] {
            assert_eq!(arxiv_term(not), None, "{not}");
        }
    }

    #[test]
    fn only_a_query_that_is_one_identifier_looks_one_up() {
        assert_eq!(lookup_term(" 2106.09685 "), arxiv_term("2106.09685"));
        assert_eq!(lookup_term("https://doi.org/10.1145/3292500.3330701"), doi_term("10.1145/3292500.3330701"));
        assert_eq!(lookup_term("lora 2106.09685"), None);
        assert_eq!(lookup_term("graph neural networks"), None);
        assert_eq!(lookup_term(""), None);
    }
}
