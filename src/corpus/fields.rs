//! The fields every format shares, read the same way: a work's kind from the format's type
//! name, DOIs and arXiv ids bare, years and months from the dates collections write, keywords
//! from a list, and text with its line breaks and runs of spaces made single spaces.

/// The kind of work ([`super::KINDS`]) a type name of any format stands for: BibTeX's
/// `inproceedings`, CSL's `paper-conference`, RIS's `CONF`, or a kind's own name.
pub(super) fn kind(type_name: &str) -> &'static str {
    match type_name.trim().to_ascii_lowercase().as_str() {
        "article" | "article-journal" | "article-magazine" | "article-newspaper" | "jour" | "jfull" | "ejour"
        | "mgzn" | "news" | "inpr" | "journal article" => "article",
        "inproceedings" | "conference" | "paper-conference" | "conf" | "cpaper" | "conference paper" => {
            "conference paper"
        }
        "preprint" | "unpublished" | "posted-content" | "unpb" | "manuscript" => "preprint",
        "book" | "mvbook" | "booklet" | "proceedings" | "mvproceedings" | "collection" | "mvcollection"
        | "reference" | "ebook" | "edbook" => "book",
        "incollection" | "inbook" | "inreference" | "bookinbook" | "chapter" | "chap" | "echap" | "suppbook" => {
            "chapter"
        }
        "phdthesis" | "mastersthesis" | "thesis" | "thes" => "thesis",
        "techreport" | "report" | "rprt" | "manual" | "standard" | "stand" | "patent" | "pat" => "report",
        "dataset" | "data" | "dbase" => "dataset",
        "software" | "comp" | "code" => "software",
        _ => "other",
    }
}

/// A DOI, bare: `10.1038/nature14539` from itself, `doi:…` or a resolver's address.
pub(super) fn doi(value: &str) -> Option<String> {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let start = lower.find("10.")?;
    let prefix = lower[..start].trim_end_matches([' ', ':', '/']);
    let allowed =
        ["", "doi", "https://doi.org", "http://doi.org", "https://dx.doi.org", "http://dx.doi.org", "doi.org"];
    if !allowed.contains(&prefix) {
        return None;
    }
    let bare = v[start..].split_whitespace().next()?.trim_end_matches(['.', ',', ';']);
    bare.contains('/').then(|| bare.to_string())
}

/// An arXiv id without its version (`2106.09685`, `math/0211159`) from the id, `arXiv:…`, an
/// abstract or PDF address, arXiv's DOI (`10.48550/arXiv.2106.09685`) or `CoRR abs/…`.
pub(super) fn arxiv(value: &str) -> Option<String> {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let mut rest = v;
    for marker in ["arxiv.org/abs/", "arxiv.org/pdf/", "arxiv.", "arxiv:", "abs/"] {
        if let Some(at) = lower.find(marker) {
            rest = &v[at + marker.len()..];
            break;
        }
    }
    let id: String =
        rest.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-')).collect();
    let id = id.trim_end_matches(".pdf").trim_end_matches('.');
    let id = strip_version(id);
    is_arxiv_id(id).then(|| id.to_string())
}

fn strip_version(id: &str) -> &str {
    match id.rfind('v') {
        Some(at) if at > 0 && id[at + 1..].chars().all(|c| c.is_ascii_digit()) && at + 1 < id.len() => &id[..at],
        _ => id,
    }
}

/// `YYMM.NNNN(N)`, or the old `archive(.XX)/YYMMNNN`.
fn is_arxiv_id(id: &str) -> bool {
    if let Some((yymm, number)) = id.split_once('.') {
        if yymm.len() == 4 && yymm.bytes().all(|b| b.is_ascii_digit()) {
            return (4..=5).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit());
        }
    }
    match id.split_once('/') {
        Some((archive, number)) => {
            !archive.is_empty()
                && archive.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-' || b == b'.')
                && number.len() == 7
                && number.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// The first year (1000 to 2999) a date names: `2016`, `2016///`, `2016-06-01`, `June 2016`.
pub(super) fn year(value: &str) -> Option<u16> {
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if run == 4 && matches!(bytes[i], b'1' | b'2') {
            return value[i..i + 4].parse().ok();
        }
        i += run.max(1);
    }
    None
}

/// A month: `6`, `06`, `jun`, `June`, `Jun.`.
pub(super) fn month(value: &str) -> Option<u8> {
    let v = value.trim().trim_end_matches('.');
    if let Ok(n) = v.parse::<u8>() {
        return (1..=12).contains(&n).then_some(n);
    }
    let lower = v.to_ascii_lowercase();
    let abbreviation = lower.get(..3)?;
    MONTHS
        .iter()
        .position(|m| m[..3].eq_ignore_ascii_case(abbreviation) && m.to_ascii_lowercase().starts_with(&lower))
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// The months' names, as BibTeX's month macros expand.
pub(super) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Year and month of an ISO-like date (`2016-06-01`, `2016-06`, `2016/06/01/`, `2016`).
pub(super) fn date(value: &str) -> (Option<u16>, Option<u8>) {
    let v = value.trim();
    let year = year(v);
    let month = v.split(['-', '/', ' ']).filter(|p| !p.is_empty()).nth(1).and_then(|m| {
        if m.len() <= 2 {
            m.parse::<u8>().ok().filter(|n| (1..=12).contains(n))
        } else {
            month(m)
        }
    });
    (year, month)
}

/// Keywords from a list written `a, b; c`.
pub(super) fn keywords(value: &str) -> Vec<String> {
    value.split([',', ';']).map(clean).filter(|k| !k.is_empty()).collect()
}

/// Text with its line breaks and runs of white space made single spaces, trimmed.
pub(super) fn clean(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `Some(text)` when the text is not blank, cleaned.
pub(super) fn some(value: &str) -> Option<String> {
    let v = clean(value);
    (!v.is_empty()).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dois_come_bare() {
        for v in [
            "10.1038/nature14539",
            "doi:10.1038/nature14539",
            "https://doi.org/10.1038/nature14539",
            " http://dx.doi.org/10.1038/nature14539. ",
        ] {
            assert_eq!(doi(v).as_deref(), Some("10.1038/nature14539"), "{v}");
        }
        assert_eq!(doi("https://example.org/10.1/x"), None);
        assert_eq!(doi("10.1038"), None);
    }

    #[test]
    fn arxiv_ids_come_without_version() {
        for (v, id) in [
            ("2106.09685", "2106.09685"),
            ("arXiv:2106.09685v3", "2106.09685"),
            ("https://arxiv.org/abs/2106.09685v2", "2106.09685"),
            ("http://arxiv.org/pdf/1706.03762.pdf", "1706.03762"),
            ("10.48550/arXiv.2106.09685", "2106.09685"),
            ("CoRR abs/1706.03762", "1706.03762"),
            ("math/0211159v1", "math/0211159"),
            ("hep-th/9901001", "hep-th/9901001"),
        ] {
            assert_eq!(arxiv(v).as_deref(), Some(id), "{v}");
        }
        assert_eq!(arxiv("https://example.org/paper"), None);
        assert_eq!(arxiv("12345"), None);
    }

    #[test]
    fn years_months_and_dates() {
        assert_eq!(year("2016///"), Some(2016));
        assert_eq!(year("June 2016"), Some(2016));
        assert_eq!(year("12345"), None);
        assert_eq!(
            (month("jun"), month("June"), month("Jun."), month("06"), month("13"), month("Ju")),
            (Some(6), Some(6), Some(6), Some(6), None, None)
        );
        assert_eq!(date("2016-06-01"), (Some(2016), Some(6)));
        assert_eq!(date("2016/06/01/"), (Some(2016), Some(6)));
        assert_eq!(date("2016///"), (Some(2016), None));
        assert_eq!(date("2016 Jun 1"), (Some(2016), Some(6)));
    }

    #[test]
    fn kinds_of_every_format_map_to_the_kinds() {
        for (t, k) in [
            ("inproceedings", "conference paper"),
            ("article-journal", "article"),
            ("THES", "thesis"),
            ("misc", "other"),
            ("incollection", "chapter"),
            ("UNPB", "preprint"),
        ] {
            assert_eq!(kind(t), k, "{t}");
            assert!(crate::corpus::KINDS.contains(&k));
        }
    }
}
