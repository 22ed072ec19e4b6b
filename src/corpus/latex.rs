//! LaTeX as a reader sees it: BibTeX values and arXiv's titles and abstracts into plain text.
//!
//! - accents on letters become the accented letter (`{\"o}`, `\"{o}`, `\'e`, `\v{c}`, `\H{o}`,
//!   `\c{c}`, `\'{\i}`: ö ö é č ő ç í), composed (NFC) when Unicode has the letter;
//! - special letters and symbols (`\l`, `\o`, `\ss`, `\aa`, `\ae`, `\textendash`, `\ldots`,
//!   `\alpha`…) become their characters; `\&`, `\%`, `\_`, `\#`, `\$`, `\{`, `\}` the
//!   character; `--` and `---` an en and an em dash; ` `` ` and `''` curly quotes; `~` a space;
//! - braces go (`{{DNA} Sequencing}` reads `DNA Sequencing`), and so do formatting commands,
//!   whose argument stays (`\emph{x}` is `x`); `\url{…}` keeps its address as written, `\cite`
//!   and `\noopsort` lose their argument;
//! - math (`$…$`, `$$…$$`) becomes text when every piece of it has a plain form (`$\ell_1$` is
//!   `ℓ₁`, `$O(n^2)$` is `O(n²)`), and is otherwise kept as written, dollars included: never
//!   half converted. A `$` without its closing one is a dollar sign;
//! - runs of white space (line breaks, indentation) become one space.
//!
//! Outside kept math, the text has no backslash and no brace left.

use super::compose::compose;
use super::fields::clean;

mod symbols;

use symbols::{combining_mark, double_struck, math_symbol, special_letter, subscript, superscript, text_symbol};

/// `input`, LaTeX read as text.
pub fn to_text(input: &str) -> String {
    if !input.contains(['\\', '{', '}', '$', '~', '-', '`', '\'']) {
        return clean(input);
    }
    let mut d = Decoder { s: input, out: String::with_capacity(input.len()) };
    d.run(0, input.len());
    clean(&d.out)
}

struct Decoder<'a> {
    s: &'a str,
    out: String,
}

impl Decoder<'_> {
    /// Decodes `s[from..end]` into `out`.
    fn run(&mut self, from: usize, end: usize) {
        let s = self.s;
        let mut i = from;
        while i < end {
            let Some(c) = s[i..end].chars().next() else { break };
            let next = s[i + c.len_utf8()..end].chars().next();
            match c {
                '\\' => i = self.command(i, end),
                '{' | '}' => i += 1,
                '$' => i = self.math(i, end),
                '~' => {
                    self.out.push(' ');
                    i += 1;
                }
                '-' => {
                    let run = s[i..end].bytes().take_while(|&b| b == b'-').count();
                    self.out.push_str(match run {
                        1 => "-",
                        2 => "\u{2013}",
                        3 => "\u{2014}",
                        _ => &s[i..i + run],
                    });
                    i += run;
                }
                '`' if next == Some('`') => {
                    self.out.push('\u{201c}');
                    i += 2;
                }
                '`' => {
                    self.out.push('\u{2018}');
                    i += 1;
                }
                '\'' if next == Some('\'') => {
                    self.out.push('\u{201d}');
                    i += 2;
                }
                _ => {
                    self.out.push(c);
                    i += c.len_utf8();
                }
            }
        }
    }

    /// A command at `s[at] == '\\'`; returns where the text goes on.
    fn command(&mut self, at: usize, end: usize) -> usize {
        let s = self.s;
        let j = at + 1;
        let Some(c) = s[j..end].chars().next() else { return end };
        if !c.is_ascii_alphabetic() {
            let after = j + c.len_utf8();
            match c {
                '\'' | '"' | '`' | '^' | '~' | '=' | '.' => return self.accent(c, after, end),
                '\\' | ' ' | ',' | ';' | ':' | '\n' | '\t' | '\r' => self.out.push(' '),
                '!' | '-' | '/' | '@' => {}
                _ => self.out.push(c),
            }
            return after;
        }
        let name_end = j + s[j..end].bytes().take_while(u8::is_ascii_alphabetic).count();
        let name = &s[j..name_end];
        if name.len() == 1 && matches!(c, 'u' | 'v' | 'H' | 'c' | 'k' | 'r' | 'd' | 'b' | 't') {
            return self.accent(c, name_end, end);
        }
        if let Some(letter) = special_letter(name) {
            self.out.push_str(letter);
            return skip_spaces(s, name_end, end);
        }
        if let Some(symbol) = text_symbol(name).or_else(|| math_symbol(name)) {
            self.out.push_str(symbol);
            return name_end;
        }
        let arg = skip_spaces(s, name_end, end);
        match name {
            "url" => match group(s, arg, end) {
                Some((inner, after)) => {
                    self.out.push_str(inner);
                    after
                }
                None => arg,
            },
            "href" | "noopsort" | "cite" | "citep" | "citet" | "ref" | "label" | "index" | "thanks" | "footnote"
            | "hspace" | "vspace" => group(s, arg, end).map_or(arg, |(_, after)| after),
            // A formatting command or one unknown: its name goes, its argument stays.
            _ => arg,
        }
    }

    /// An accent `a` whose argument starts at `from`: a letter, `{letter}`, `\i` or `{\i}`.
    fn accent(&mut self, a: char, from: usize, end: usize) -> usize {
        let s = self.s;
        let from = skip_spaces(s, from, end);
        let (arg, after) = match s[from..end].chars().next() {
            Some('{') => match group(s, from, end) {
                Some((inner, after)) => (inner.trim(), after),
                None => ("", from + 1),
            },
            Some('\\') => {
                let n = s[from + 1..end].bytes().take_while(u8::is_ascii_alphabetic).count();
                let stop = if n > 0 {
                    from + 1 + n
                } else {
                    from + 1 + s[from + 1..end].chars().next().map_or(0, char::len_utf8)
                };
                (&s[from..stop], stop)
            }
            // A brace or a dollar closes what the accent is in: it has no letter.
            Some('}' | '$') | None => ("", from),
            Some(c) => (&s[from..from + c.len_utf8()], from + c.len_utf8()),
        };
        // The letter: `\i` and `\j` are i and j; anything else is read as text first
        // (`\v{{\"o}}`), and the mark goes on its first character.
        let command = arg.strip_prefix('\\').map(|c| (c, c.bytes().take_while(u8::is_ascii_alphabetic).count()));
        let (base, rest) = match command {
            Some((cmd, n)) if matches!(&cmd[..n], "i" | "j") => (cmd.chars().next(), decode(&cmd[n..])),
            _ => {
                let text = decode(arg);
                let mut chars = text.chars();
                (chars.next(), chars.as_str().to_string())
            }
        };
        let mark = combining_mark(a);
        match (base, mark) {
            (Some(b), Some(m)) => match compose(b, m) {
                Some(c) => self.out.push(c),
                None => {
                    self.out.push(b);
                    self.out.push(m);
                }
            },
            (Some(b), None) => self.out.push(b),
            (None, _) => {}
        }
        self.out.push_str(&rest);
        after
    }

    /// Math at `s[at] == '$'`: text when it all has a plain form, else as written.
    fn math(&mut self, at: usize, end: usize) -> usize {
        let s = self.s;
        let display = s[at + 1..end].starts_with('$');
        let open = if display { 2 } else { 1 };
        let close = if display { "$$" } else { "$" };
        let mut k = at + open;
        let found = loop {
            match s[k..end].find(['\\', '$']) {
                None => break None,
                // A backslash and the character it escapes (`\$` is no closing dollar).
                Some(p) if s.as_bytes()[k + p] == b'\\' => {
                    k += p + 1 + s[k + p + 1..end].chars().next().map_or(0, char::len_utf8);
                }
                Some(p) if s[k + p..end].starts_with(close) => break Some(k + p),
                Some(p) => k += p + 1,
            }
            if k >= end {
                break None;
            }
        };
        let Some(inner_end) = found else {
            // A dollar sign without its closing one is text.
            self.out.push('$');
            return at + 1;
        };
        let inner = &s[at + open..inner_end];
        match math_text(inner) {
            Some(text) => self.out.push_str(&text),
            None => self.out.push_str(&s[at..inner_end + open]),
        }
        inner_end + open
    }
}

/// `s` read as text, white space as it is.
fn decode(s: &str) -> String {
    let mut d = Decoder { s, out: String::new() };
    d.run(0, s.len());
    d.out
}

fn skip_spaces(s: &str, from: usize, end: usize) -> usize {
    from + s[from..end].bytes().take_while(|b| b.is_ascii_whitespace()).count()
}

/// The braced group at `s[at] == '{'`: its inside and where it ends; `None` when it does not.
fn group(s: &str, at: usize, end: usize) -> Option<(&str, usize)> {
    if !s[at..end].starts_with('{') {
        return None;
    }
    let mut depth = 0usize;
    let bytes = s.as_bytes();
    let mut i = at;
    while i < end {
        match bytes[i] {
            b'\\' => i += 1,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some((&s[at + 1..i], i + 1));
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Math as text, when every piece of it has a plain form.
fn math_text(inner: &str) -> Option<String> {
    let mut out = String::new();
    let s = inner;
    let mut i = 0;
    while i < s.len() {
        let c = s[i..].chars().next()?;
        match c {
            '{' | '}' => i += 1,
            '\\' => {
                let j = i + 1;
                let c2 = s[j..].chars().next()?;
                if !c2.is_ascii_alphabetic() {
                    match c2 {
                        ',' | ';' | ':' | ' ' => out.push(' '),
                        '!' => {}
                        '{' | '}' | '%' | '&' | '#' | '_' | '$' => out.push(c2),
                        '|' => out.push('\u{2016}'),
                        _ => return None,
                    }
                    i = j + c2.len_utf8();
                    continue;
                }
                let end = j + s[j..].bytes().take_while(u8::is_ascii_alphabetic).count();
                let name = &s[j..end];
                i = end;
                if let Some(sym) = math_symbol(name).or_else(|| special_letter(name)) {
                    out.push_str(sym);
                    continue;
                }
                match name {
                    "left" | "right" | "big" | "Big" | "bigl" | "bigr" | "Bigl" | "Bigr" | "displaystyle" => {}
                    "mathcal" | "mathrm" | "mathbf" | "mathit" | "mathsf" | "mathtt" | "boldsymbol" | "bm" | "text"
                    | "textrm" | "textit" | "textbf" | "operatorname" | "mathnormal" | "emph" => {
                        let (arg, after) = argument(s, i)?;
                        out.push_str(&math_text(arg)?);
                        i = after;
                    }
                    "mathbb" => {
                        let (arg, after) = argument(s, i)?;
                        for ch in arg.trim().chars() {
                            out.push(double_struck(ch)?);
                        }
                        i = after;
                    }
                    "sqrt" => {
                        let (arg, after) = argument(s, i)?;
                        let t = math_text(arg)?;
                        out.push('\u{221a}');
                        if t.chars().count() > 1 {
                            out.push_str(&format!("({t})"));
                        } else {
                            out.push_str(&t);
                        }
                        i = after;
                    }
                    "frac" | "tfrac" | "dfrac" => {
                        let (a, after) = argument(s, i)?;
                        let (b, after) = argument(s, after)?;
                        let (a, b) = (math_text(a)?, math_text(b)?);
                        let wrap = |t: String| if t.chars().count() > 1 { format!("({t})") } else { t };
                        out.push_str(&format!("{}/{}", wrap(a), wrap(b)));
                        i = after;
                    }
                    _ => return None,
                }
            }
            '_' | '^' => {
                let (arg, after) = argument(s, i + 1)?;
                for ch in arg.chars().filter(|c| !c.is_whitespace()) {
                    out.push(if c == '_' { subscript(ch)? } else { superscript(ch)? });
                }
                i = after;
            }
            '~' => {
                out.push(' ');
                i += 1;
            }
            '&' => return None,
            _ => {
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    Some(out)
}

/// A math argument at `s[at..]` (spaces skipped): a braced group or one character.
fn argument(s: &str, at: usize) -> Option<(&str, usize)> {
    let at = skip_spaces(s, at, s.len());
    match s[at..].chars().next()? {
        '{' => group(s, at, s.len()),
        '\\' => None,
        c => Some((&s[at..at + c.len_utf8()], at + c.len_utf8())),
    }
}

#[cfg(test)]
mod tests {
    use super::to_text;

    #[test]
    fn accents_become_letters() {
        for (latex, text) in [
            (r#"Schr{\"o}dinger"#, "Schrödinger"),
            (r#"Schr\"{o}dinger"#, "Schrödinger"),
            (r"{\'e}cole", "école"),
            (r"\v{C}ech", "Čech"),
            (r"Erd\H{o}s", "Erdős"),
            (r"{\l}{\'o}d{\'z}", "łódź"),
            (r"Fran\c{c}ois", "François"),
            (r#"\aa ngstr\"om"#, "ångström"),
            (r#"\AA{}ngstr\"{o}m"#, "Ångström"),
            (r"Espa\~na", "España"),
            (r"Espa\~{n}a", "España"),
            (r#"na\"{\i}ve"#, "naïve"),
            (r"Mart\'{\i}n", "Martín"),
            (r"Gau\ss", "Gauß"),
            (r"\o{}ystein", "øystein"),
            (r"{\O}rsted", "Ørsted"),
            (r"Ko\c{c}", "Koç"),
            (r"\k{a}", "ą"),
            (r"\v s", "š"),
            (r#"\" o"#, "ö"),
        ] {
            assert_eq!(to_text(latex), text, "{latex}");
        }
    }

    #[test]
    fn braces_commands_dashes_and_quotes() {
        assert_eq!(to_text("{{DNA} Sequencing of {RNA}}"), "DNA Sequencing of RNA");
        assert_eq!(to_text(r"Rock \& Roll, 50\% off"), "Rock & Roll, 50% off");
        assert_eq!(to_text("pages 2--3 --- an aside"), "pages 2\u{2013}3 \u{2014} an aside");
        assert_eq!(to_text("``quoted'' text"), "\u{201c}quoted\u{201d} text");
        assert_eq!(to_text(r"\emph{Deep} \textbf{learning} \textsc{Now}"), "Deep learning Now");
        assert_eq!(to_text(r"see \url{https://x.org/a_b~c} \cite{key}"), "see https://x.org/a_b~c");
        assert_eq!(to_text("a\n    title  with\r\n indentation"), "a title with indentation");
        assert_eq!(to_text(r"\noopsort{a}Zed"), "Zed");
        assert_eq!(to_text(r"The \LaTeX{} Companion"), "The LaTeX Companion");
        assert_eq!(to_text(r"D.~E. Knuth"), "D. E. Knuth");
    }

    #[test]
    fn math_is_text_or_kept_whole() {
        assert_eq!(to_text(r"$\ell_1$ regularization"), "ℓ₁ regularization");
        assert_eq!(to_text(r"in $O(n^2)$ time"), "in O(n²) time");
        assert_eq!(to_text(r"$\alpha$-divergence"), "α-divergence");
        assert_eq!(to_text(r"$\mathcal{O}(\sqrt{T})$ regret"), "O(√T) regret");
        assert_eq!(to_text(r"over $\mathbb{R}^n$"), "over ℝⁿ");
        assert_eq!(to_text(r"over $\mathbb{R}^d$"), r"over $\mathbb{R}^d$");
        // No plain form for a piece: the math is kept as written, whole.
        assert_eq!(to_text(r"$\hat{\theta}_{MLE}$ is"), r"$\hat{\theta}_{MLE}$ is");
        assert_eq!(to_text(r"$$\int_0^1 f$$"), "∫₀¹ f");
        // A dollar without its closing one is text.
        assert_eq!(to_text("costs $5 per {GPU} hour"), "costs $5 per GPU hour");
        assert_eq!(to_text(r"a \$5 fee and $x$"), "a $5 fee and x");
    }

    #[test]
    fn nothing_half_stripped() {
        for s in [
            r"\",
            r"{",
            r"}",
            r"\'",
            r"\v{",
            r"$",
            r"$$",
            r"$\",
            r"\url{",
            r"$\frac{a}$",
            "\\\"{\\i",
            r"a\\b",
            r"$x_$",
            "$a\\ᤂ b",
            r"\v}",
            r#"\v{{\"o}}"#,
        ] {
            let t = to_text(s);
            assert!(!t.contains('{') && !t.contains('}') || t.starts_with('$'), "{s:?} -> {t:?}");
        }
    }
}
