//! Names as collections write them, into display names (`Erwin Schrödinger`).
//!
//! BibTeX's forms: `Last, First`, `First Last`, `von Last, First`, `First von Last`,
//! `Last, Jr., First`, and a braced `{Corporate Name}` kept whole; a list is split on `and`
//! (outside braces), and `and others` is `et al.`. RIS and MEDLINE write `Last, First` too;
//! CSL-JSON and arXiv give the parts.

use super::latex;

/// What a list cut short ends with.
pub const ET_AL: &str = "et al.";

/// A BibTeX `author` field as display names, LaTeX read as text.
pub fn bibtex_list(field: &str) -> Vec<String> {
    split_and(field)
        .into_iter()
        .map(|name| if name.eq_ignore_ascii_case("others") { ET_AL.to_string() } else { display(name, latex::to_text) })
        .filter(|n| !n.is_empty())
        .collect()
}

/// One name in any BibTeX form as a display name, each word read with `decode`.
pub fn display(name: &str, decode: fn(&str) -> String) -> String {
    let parts = split_top(name, |c| c == ',');
    let words =
        |s: &str| -> Vec<String> { split_top(s, char::is_whitespace).into_iter().map(str::to_string).collect() };
    let (first, von, last, jr): (Vec<String>, Vec<String>, Vec<String>, Vec<String>) = match parts.as_slice() {
        [whole] => {
            let w = words(whole);
            if w.len() <= 1 {
                (Vec::new(), Vec::new(), w, Vec::new())
            } else {
                // First von Last: von is the lower-case words before the last word.
                let last_word = w.len() - 1;
                let von_start = w[..last_word].iter().position(|x| starts_lower(x, decode));
                match von_start {
                    Some(v) if v > 0 => {
                        let von_end = w[..last_word].iter().rposition(|x| starts_lower(x, decode)).map_or(v, |e| e + 1);
                        (w[..v].to_vec(), w[v..von_end].to_vec(), w[von_end..].to_vec(), Vec::new())
                    }
                    _ => (w[..last_word].to_vec(), Vec::new(), w[last_word..].to_vec(), Vec::new()),
                }
            }
        }
        [von_last, first] => {
            let (von, last) = split_von(words(von_last), decode);
            (words(first), von, last, Vec::new())
        }
        [von_last, jr, first, ..] => {
            let (von, last) = split_von(words(von_last), decode);
            (words(first), von, last, words(jr))
        }
        [] => return String::new(),
    };
    let mut out = Vec::new();
    for part in [first, von, last] {
        out.extend(part.iter().map(|w| decode(w)).filter(|w| !w.is_empty()));
    }
    let mut name = out.join(" ");
    let jr: Vec<String> = jr.iter().map(|w| decode(w)).filter(|w| !w.is_empty()).collect();
    if !jr.is_empty() {
        name.push(' ');
        name.push_str(&jr.join(" "));
    }
    name
}

/// `Last, First` (or a name with no comma, kept in its order) as a display name, no LaTeX.
pub fn plain(name: &str) -> String {
    display(name, super::fields::clean)
}

/// A display name from given and family names (CSL-JSON, arXiv's `authors_parsed`).
pub fn from_parts(given: &str, particle: &str, family: &str, suffix: &str) -> String {
    let mut name = String::new();
    for part in [given, particle, family, suffix] {
        let part = part.trim();
        if !part.is_empty() {
            if !name.is_empty() {
                name.push(' ');
            }
            name.push_str(part);
        }
    }
    super::fields::clean(&name)
}

/// The leading lower-case words of `von Last` as von, the rest as Last (never empty).
fn split_von(words: Vec<String>, decode: fn(&str) -> String) -> (Vec<String>, Vec<String>) {
    let n = words.iter().take(words.len().saturating_sub(1)).take_while(|w| starts_lower(w, decode)).count();
    let (von, last) = words.split_at(n);
    (von.to_vec(), last.to_vec())
}

/// Whether a word starts with a lower-case letter outside braces (`von`, `de`, `van`).
fn starts_lower(word: &str, decode: fn(&str) -> String) -> bool {
    if word.starts_with('{') && !word.starts_with("{\\") {
        // A braced word is protected: never a von part.
        return false;
    }
    decode(word).chars().find(|c| c.is_alphabetic()).is_some_and(char::is_lowercase)
}

/// A list of names split on ` and ` outside braces.
fn split_and(field: &str) -> Vec<&str> {
    let words = split_top(field, char::is_whitespace);
    let mut names = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    for w in words {
        let offset = w.as_ptr() as usize - field.as_ptr() as usize;
        if w.eq_ignore_ascii_case("and") {
            if let Some(s) = start.take() {
                names.push(field[s..end].trim());
            }
            continue;
        }
        start.get_or_insert(offset);
        end = offset + w.len();
    }
    if let Some(s) = start {
        names.push(field[s..end].trim());
    }
    names
}

/// `s` split where `sep` matches outside braces, pieces trimmed, empty ones dropped.
fn split_top(s: &str, sep: impl Fn(char) -> bool) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            c if depth == 0 && sep(c) => {
                out.push(s[start..i].trim());
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(s[start..].trim());
    out.retain(|p| !p.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bibtex_form_is_a_display_name() {
        let field = r#"Schr{\"o}dinger, Erwin and von Neumann, John and Ludwig van Beethoven and King, Jr., Martin Luther
            and {IEEE Working Group} and Fran\c{c}ois de la Tour and Erd\H{o}s, P. and {\'E}mile Borel and others"#;
        assert_eq!(
            bibtex_list(field),
            [
                "Erwin Schrödinger",
                "John von Neumann",
                "Ludwig van Beethoven",
                "Martin Luther King Jr.",
                "IEEE Working Group",
                "François de la Tour",
                "P. Erdős",
                "Émile Borel",
                "et al.",
            ]
        );
    }

    #[test]
    fn and_inside_braces_or_words_does_not_split() {
        assert_eq!(bibtex_list("{Barnes and Noble} and Anderson, Sandra"), ["Barnes and Noble", "Sandra Anderson"]);
        assert_eq!(bibtex_list("Alexander Android"), ["Alexander Android"]);
    }

    #[test]
    fn plain_names_and_parts() {
        assert_eq!(plain("Smith, John A."), "John A. Smith");
        assert_eq!(plain("World Health Organization"), "World Health Organization");
        assert_eq!(from_parts("Erwin", "", "Schrödinger", ""), "Erwin Schrödinger");
        assert_eq!(from_parts(" Ludwig ", "van", "Beethoven", "Jr."), "Ludwig van Beethoven Jr.");
    }
}
