//! BibTeX and BibLaTeX (`.bib`), read entry by entry so that one bad entry is skipped alone.
//!
//! The file is cut where a line starts with `@` (the start of an entry as every tool writes
//! it); each piece holds one entry, so an entry whose braces do not balance is found out at
//! the next one, and costs nothing else. Outside entries everything is a comment (`%` lines,
//! free text); `@comment` and `@preamble` are skipped, `@string` defines macros for the
//! entries after it. A value is `{…}`, `"…"`, a number or a macro (the month macros `jan`…`dec`
//! built in), joined by `#`. The entry is kept as written, macros expanded (for a citation to
//! copy), and its fields are read into a [`Paper`] by `record`.

use std::collections::HashMap;

use super::entries::{Entries, LineIndex};
use super::fields::MONTHS;
use super::{Paper, Skipped};

mod entry;
mod record;

use entry::{Entry, Field};

/// Whether a file's first line that is not blank or a `%` comment starts a BibTeX entry.
pub(super) fn looks_like(text: &str) -> bool {
    let Some(line) = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('%')) else {
        return false;
    };
    let Some(rest) = line.strip_prefix('@') else { return false };
    let name = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    name > 0 && rest[name..].trim_start().starts_with(['{', '('])
}

/// Parses a BibTeX file: the papers, and the entries skipped.
pub(super) fn parse(path: &str, text: &str) -> Result<(Vec<Paper>, Vec<Skipped>), super::CorpusError> {
    let lines = LineIndex::new(text);
    let mut entries = Entries::new(path, "`title = {…}` field");
    let mut macros: HashMap<String, String> = HashMap::new();
    let starts = entry_starts(text);
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(text.len());
        let mut at = start;
        // A piece is one entry, unless more sit on one line (`}@article{…`).
        while let Some(offset) = text[at..end].find('@') {
            let mut p = Parser { text, pos: at + offset, end, lines: &lines, macros: &mut macros };
            let item_line = lines.line(p.pos);
            match p.item() {
                Ok(Item::Entry(entry)) => {
                    at = p.pos;
                    if let Some(extra) = stray_text(&text[at..end]) {
                        let line = lines.line(at + extra);
                        let message =
                            "text after the entry's closing brace, which looks like more of its fields (a `}` \
                                       too many?); balance the braces of the entry";
                        entries.skip(line, entry.key, message);
                        break;
                    }
                    let paper = record::paper(&entry);
                    entries.add(item_line, paper);
                }
                Ok(Item::Other) => at = p.pos,
                Ok(Item::NotAnEntry) => at = p.pos.max(at + offset + 1),
                Err(Problem { line, key, message }) => {
                    let key = key.unwrap_or_else(|| entries.ordinal());
                    entries.skip(line, key, message);
                    break;
                }
            }
        }
    }
    entries.finish("BibTeX entries such as @article{key, title = {...}}")
}

/// Where each entry starts: an `@` that is the first character of its line (spaces aside).
fn entry_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if line[indent..].starts_with('@') {
            starts.push(line_start + indent);
        }
        line_start += line.len();
    }
    starts
}

/// Where text after an entry's end shows a broken entry: a `}` or `=` outside `%` comments.
fn stray_text(rest: &str) -> Option<usize> {
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let content = line.split('%').next().unwrap_or("");
        if let Some(p) = content.find(['}', '=']) {
            return Some(offset + p);
        }
        offset += line.len();
    }
    None
}

/// Whether a line of a value reads `name = …`: a field swallowed by a missing `}`.
fn looks_like_a_field(line: &str) -> bool {
    let line = line.trim_start();
    let name = line.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-').count();
    name > 0 && line.as_bytes()[0].is_ascii_alphabetic() && line[name..].trim_start().starts_with('=')
}

enum Item {
    Entry(Entry),
    /// `@string`, `@comment`, `@preamble`.
    Other,
    /// An `@` that starts no entry (an address in a comment).
    NotAnEntry,
}

/// Why an entry was skipped: its line, its key when it got that far, what to do.
struct Problem {
    line: usize,
    key: Option<String>,
    message: String,
}

struct Parser<'a, 'm> {
    text: &'a str,
    pos: usize,
    /// Where the entry's piece of the file ends: the next entry's `@`.
    end: usize,
    lines: &'a LineIndex,
    macros: &'m mut HashMap<String, String>,
}

impl Parser<'_, '_> {
    fn peek(&self) -> Option<u8> {
        (self.pos < self.end).then(|| self.text.as_bytes()[self.pos])
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn ident(&mut self) -> &str {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_alphanumeric() || b"_-:.+/'".contains(&b)) {
            self.pos += 1;
        }
        &self.text[start..self.pos]
    }

    fn problem(&self, at: usize, key: Option<&str>, message: String) -> Problem {
        Problem { line: self.lines.line(at), key: key.map(str::to_string), message }
    }

    /// The item at `@`.
    fn item(&mut self) -> Result<Item, Problem> {
        let at = self.pos;
        self.pos += 1;
        let kind = self.ident().to_string();
        if kind.is_empty() || !kind.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Ok(Item::NotAnEntry);
        }
        self.skip_space();
        let lower = kind.to_ascii_lowercase();
        let close = match self.peek() {
            Some(b'{') => b'}',
            Some(b'(') => b')',
            _ if lower == "comment" => return Ok(Item::Other),
            _ => {
                let message = format!("`@{kind}` is not followed by `{{`; write the entry as @{kind}{{key, ...}}");
                return Err(self.problem(at, None, message));
            }
        };
        let open = self.pos;
        self.pos += 1;
        match lower.as_str() {
            "comment" | "preamble" => {
                // Neither holds anything a paper needs: one that does not close is passed over.
                self.pos = open;
                let closed = if close == b'}' {
                    self.balanced(open, None, String::new()).is_ok()
                } else {
                    self.text[open..self.end].find(')').map(|p| self.pos = open + p + 1).is_some()
                };
                if !closed {
                    self.pos = self.end;
                }
                Ok(Item::Other)
            }
            "string" => {
                self.skip_space();
                let name = self.ident().to_ascii_lowercase();
                self.skip_space();
                if name.is_empty() || self.peek() != Some(b'=') {
                    let message = "an @string without `name = value`; write it as @string{name = {value}}".to_string();
                    return Err(self.problem(at, Some("@string"), message));
                }
                self.pos += 1;
                let (value, _) = self.value(Some("@string"), &name)?;
                self.skip_space();
                self.close(close, at, Some("@string"))?;
                self.macros.insert(name, value);
                Ok(Item::Other)
            }
            _ => self.entry(kind, at, close).map(Item::Entry),
        }
    }

    /// A regular entry, after its opening delimiter.
    fn entry(&mut self, kind: String, at: usize, close: u8) -> Result<Entry, Problem> {
        self.skip_space();
        let key_start = self.pos;
        while self.peek().is_some_and(|b| !b.is_ascii_whitespace() && !b",{}()=\"#%".contains(&b)) {
            self.pos += 1;
        }
        let key = self.text[key_start..self.pos].to_string();
        self.skip_space();
        if key.is_empty() || self.peek() == Some(b'=') {
            let message = format!("the entry has no key; write one after `@{kind}{{`, as in @{kind}{{smith2020, ...}}");
            return Err(self.problem(at, None, message));
        }
        let mut fields = Vec::new();
        // The first value that ran over lines that look like more fields: where a `}` is
        // missing, when the entry then does not close.
        let mut swallowed: Option<(usize, String)> = None;
        loop {
            self.skip_space();
            match self.peek() {
                Some(b) if b == close => {
                    self.pos += 1;
                    return Ok(Entry { kind, key, fields });
                }
                Some(b',') => self.pos += 1,
                None => return Err(self.unclosed(at, &key, swallowed)),
                Some(_) => {
                    let field_at = self.pos;
                    let name = self.ident().to_string();
                    self.skip_space();
                    if name.is_empty() || self.peek() != Some(b'=') {
                        if self.peek().is_none() {
                            return Err(self.unclosed(at, &key, swallowed));
                        }
                        let message = "expected a field `name = value` here (a missing comma, or a stray character?); \
                                       fix the entry's syntax"
                            .to_string();
                        return Err(self.problem(field_at, Some(&key), message));
                    }
                    self.pos += 1;
                    let value_at = self.pos;
                    let (value, bare) = self.value(Some(&key), &name)?;
                    if swallowed.is_none() && value.lines().skip(1).any(looks_like_a_field) {
                        swallowed = Some((value_at, name.clone()));
                    }
                    fields.push(Field { name: name.clone(), value, bare });
                    self.skip_space();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b) if b == close => {}
                        None => return Err(self.unclosed(at, &key, swallowed)),
                        Some(_) => {
                            let message = format!(
                                "expected `,` or the entry's end after the field `{name}` (a missing comma, or an \
                                 unbalanced brace or quote in its value?); fix the entry's syntax"
                            );
                            return Err(self.problem(self.pos, Some(&key), message));
                        }
                    }
                }
            }
        }
    }

    /// An entry that does not close before the next one: at the value that ran into the fields
    /// after it, when one did (its `}` is the one missing), else at the entry's start.
    fn unclosed(&self, at: usize, key: &str, swallowed: Option<(usize, String)>) -> Problem {
        let next = self.next_entry();
        let Some((value_at, field)) = swallowed else {
            let message = format!("unbalanced braces: the entry is not closed {next}; add the missing `}}`");
            return self.problem(at, Some(key), message);
        };
        let message = format!(
            "unbalanced braces: the value of `{field}` runs into the fields after it, and the entry is not closed \
             {next}; add the `}}` missing in `{field}`"
        );
        self.problem(value_at, Some(key), message)
    }

    fn next_entry(&self) -> String {
        if self.end < self.text.len() {
            format!("before the next entry (line {})", self.lines.line(self.end))
        } else {
            "before the end of the file".to_string()
        }
    }

    fn close(&mut self, close: u8, at: usize, key: Option<&str>) -> Result<(), Problem> {
        if self.peek() == Some(close) {
            self.pos += 1;
            return Ok(());
        }
        Err(self.unclosed(at, key.unwrap_or("@string"), None))
    }

    /// A value: pieces joined by `#`. Returns it expanded, and its bare form when it was one
    /// number or one month macro.
    fn value(&mut self, key: Option<&str>, field: &str) -> Result<(String, Option<String>), Problem> {
        let mut out = String::new();
        let mut pieces = 0;
        let mut bare = None;
        loop {
            self.skip_space();
            let at = self.pos;
            pieces += 1;
            match self.peek() {
                Some(b'{') => {
                    let (start, end) = self.balanced(at, key, field.to_string())?;
                    out.push_str(&self.text[start..end]);
                }
                Some(b'"') => {
                    self.pos += 1;
                    let start = self.pos;
                    let mut depth = 0usize;
                    loop {
                        match self.peek() {
                            None => {
                                let message = format!(
                                    "the quoted value of `{field}` is not closed; add the missing `\"` (or a `}}` inside it)"
                                );
                                return Err(self.problem(at, key, message));
                            }
                            Some(b'{') => depth += 1,
                            Some(b'}') => depth = depth.saturating_sub(1),
                            Some(b'"') if depth == 0 => break,
                            _ => {}
                        }
                        self.pos += 1;
                    }
                    out.push_str(&self.text[start..self.pos]);
                    self.pos += 1;
                }
                Some(b) if b.is_ascii_digit() => {
                    let start = self.pos;
                    while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                        self.pos += 1;
                    }
                    bare = Some(self.text[start..self.pos].to_string());
                    out.push_str(&self.text[start..self.pos]);
                }
                Some(b) if b.is_ascii_alphabetic() => {
                    let name = self.ident().to_string();
                    let lower = name.to_ascii_lowercase();
                    if let Some(v) = self.macros.get(&lower) {
                        out.push_str(v);
                    } else if let Some(m) = MONTHS.iter().position(|m| m[..3].eq_ignore_ascii_case(&lower)) {
                        bare = Some(lower.clone());
                        out.push_str(MONTHS[m]);
                    } else {
                        let message = format!(
                            "the value of `{field}` uses the macro `{name}`, which no @string defines; define it before \
                             this entry (@string{{{name} = {{...}}}}) or write the value in braces"
                        );
                        return Err(self.problem(at, key, message));
                    }
                }
                _ => {
                    let message = format!("the field `{field}` has no value; write it as {field} = {{...}}");
                    return Err(self.problem(at, key, message));
                }
            }
            self.skip_space();
            if self.peek() != Some(b'#') {
                break;
            }
            self.pos += 1;
        }
        Ok((out, if pieces == 1 { bare } else { None }))
    }

    /// The braced group at `at`: the range inside it; past it on return. Braces count as
    /// BibTeX counts them: a backslash does not escape one.
    fn balanced(&mut self, at: usize, key: Option<&str>, what: String) -> Result<(usize, usize), Problem> {
        let bytes = self.text.as_bytes();
        let mut depth = 0usize;
        for (i, &b) in bytes.iter().enumerate().take(self.end).skip(at) {
            match b {
                b'{' => depth += 1,
                b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.pos = i + 1;
                        return Ok((at + 1, i));
                    }
                }
                _ => {}
            }
        }
        let next = self.next_entry();
        let message = format!(
            "unbalanced braces: the `{{` of `{what}` on line {} is not closed {next}; add the missing `}}`",
            self.lines.line(at)
        );
        Err(Problem { line: self.lines.line(at), key: key.map(str::to_string), message })
    }
}
