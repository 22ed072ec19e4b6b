//! A BibTeX entry as written: its type, key and fields, each value with its macros expanded.

/// A field as written: its name (as spelled), its value expanded, and whether that value was
/// a bare number or month macro (kept bare in the citation).
pub(in crate::corpus) struct Field {
    pub name: String,
    pub value: String,
    pub bare: Option<String>,
}

/// An entry as written: `@type{key, fields}`.
pub(in crate::corpus) struct Entry {
    pub kind: String,
    pub key: String,
    pub fields: Vec<Field>,
}

impl Entry {
    /// The expanded value of a field, by its name in any case.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|f| f.name.eq_ignore_ascii_case(name)).map(|f| f.value.as_str())
    }

    /// The entry written out again, macros expanded.
    pub fn to_bibtex(&self) -> String {
        let mut out = format!("@{}{{{},\n", self.kind, self.key);
        for f in &self.fields {
            match &f.bare {
                Some(bare) => out.push_str(&format!("  {} = {},\n", f.name, bare)),
                None => out.push_str(&format!("  {} = {{{}}},\n", f.name, f.value)),
            }
        }
        out.push('}');
        out
    }
}
