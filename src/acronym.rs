//! Acronyms: mines "Long Form (LF)" definitions from the corpus at build time, so that a query
//! for `IRM` also finds "Invariant Risk Minimization" and the long form also finds `IRM`.
//!
//! The matcher follows Schwartz and Hearst (2003): inside parentheses, a short form of 2 to 10
//! characters with at least two capitals; before it, in the same clause, the shortest run of
//! words such that the short form's letters appear in order, the first one starting a word.

use crate::analyze::{self, Word};

/// Longest short form read inside parentheses, in characters.
const MAX_SHORT_CHARS: usize = 10;

/// One definition found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// The acronym, folded (`IRM` → `irm`).
    pub short: String,
    /// The long form's folded words, in order (`invariant risk minimization`).
    pub long: Vec<String>,
}

/// Every "Long Form (LF)" definition in `text`.
///
/// # Example
///
/// ```
/// use paper_search::acronym;
/// let found = acronym::definitions("The Invariant Risk Minimization (IRM) principle");
/// assert_eq!(found[0].short, "irm");
/// assert_eq!(found[0].long, ["invariant", "risk", "minimization"]);
/// ```
pub fn definitions(text: &str) -> Vec<Definition> {
    let words: Vec<Word> = analyze::words(text).into_iter().filter(|w| !w.joined).collect();
    let mut out = Vec::new();
    let mut search_from = 0;
    while let Some(open) = text[search_from..].find('(').map(|i| i + search_from) {
        search_from = open + 1;
        let Some(close) = text[open + 1..].find(')').map(|i| i + open + 1) else { break };
        let inner = text[open + 1..close].trim();
        let Some(short) = short_form(inner) else { continue };
        // Words before the parenthesis, back to the start of the clause.
        let clause_start = text[..open].rfind(['.', ';', ':', '(', ')']).map_or(0, |i| i + 1);
        let before: Vec<&Word> = words.iter().filter(|w| w.span.start >= clause_start && w.span.end <= open).collect();
        let letters: Vec<char> = analyze::fold(&short).chars().filter(|c| c.is_alphanumeric()).collect();
        let max_words = (letters.len() + 5).min(letters.len() * 2);
        let window = &before[before.len().saturating_sub(max_words)..];
        if let Some(first) = match_long_form(&letters, window) {
            let long: Vec<String> = window[first..].iter().map(|w| w.text.clone()).collect();
            if long.len() >= 2 && long.len() <= letters.len() + 3 {
                out.push(Definition { short: analyze::fold(&short), long });
            }
        }
    }
    out
}

/// The acronym inside parentheses, if it looks like one (`IRM`, `DDPMs` → `DDPM`, `GPT-4`).
fn short_form(inner: &str) -> Option<String> {
    let n = inner.chars().count();
    if !(2..=MAX_SHORT_CHARS).contains(&n) || !inner.chars().next()?.is_alphanumeric() {
        return None;
    }
    if !inner.chars().all(|c| c.is_alphanumeric() || c == '-') {
        return None;
    }
    let trimmed =
        inner.strip_suffix('s').filter(|t| t.chars().filter(|c| c.is_uppercase()).count() >= 2).unwrap_or(inner);
    (trimmed.chars().filter(|c| c.is_uppercase()).count() >= 2).then(|| trimmed.to_string())
}

/// Index in `window` of the first word of the long form: matching the short form's letters
/// backwards through the words' text, the first letter at the start of a word.
fn match_long_form(letters: &[char], window: &[&Word]) -> Option<usize> {
    // (char, word index, starts a word) for every char of the window's words.
    let chars: Vec<(char, usize, bool)> = window
        .iter()
        .enumerate()
        .flat_map(|(i, w)| w.text.chars().enumerate().map(move |(k, c)| (c, i, k == 0)))
        .collect();
    let mut at = chars.len();
    for (n, &letter) in letters.iter().enumerate().rev() {
        let first = n == 0;
        loop {
            if at == 0 {
                return None;
            }
            at -= 1;
            let (c, _, starts) = chars[at];
            if c == letter && (!first || starts) {
                break;
            }
        }
    }
    let word = chars[at].1;
    // The long form must not run past its first matched word into unrelated text: its first
    // word begins with the acronym's first letter.
    Some(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, String)> {
        definitions(text).into_iter().map(|d| (d.short, d.long.join(" "))).collect()
    }

    #[test]
    fn finds_classic_definitions() {
        assert_eq!(
            found("We use Invariant Risk Minimization (IRM) here."),
            [("irm".into(), "invariant risk minimization".into())]
        );
        assert_eq!(
            found("denoising diffusion probabilistic models (DDPMs) work"),
            [("ddpm".into(), "denoising diffusion probabilistic models".into())]
        );
    }

    #[test]
    fn letters_may_come_from_inside_words() {
        assert_eq!(found("a Graph Neural Network (GNN)"), [("gnn".into(), "graph neural network".into())]);
        assert_eq!(found("large language models (LLMs) are"), [("llm".into(), "large language models".into())]);
    }

    #[test]
    fn ignores_parentheses_that_are_not_acronyms() {
        assert!(found("as shown (see below) and (i) and (2019) and (x)").is_empty());
        assert!(found("no match here (XYZ) at all").is_empty());
    }

    #[test]
    fn stays_in_its_clause() {
        assert_eq!(found("Results. Reinforcement Learning (RL) is"), [("rl".into(), "reinforcement learning".into())]);
    }
}
