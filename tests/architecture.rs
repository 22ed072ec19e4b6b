//! The house rules, checked on the source itself:
//!
//! 1. no module of `src/` imports, directly or through others, a module that imports it back
//!    (an import circle), so that the stages can be read, and changed, one way;
//! 2. no file of `src/` is over [`MAX_LINES`] lines, its tests aside.
//!
//! A module is a file. A file imports another when it names, in a `use` or in a path
//! anywhere in its code (macro arguments included), an item the other defines, or the other
//! module itself. Paths are followed through re-exports (`pub use`, globs included) to the file
//! that defines the item, so that a folder's `mod.rs` that only declares and re-exports its
//! modules is no stop on the way. Every `cfg` counts (a circle in any build is a circle); code
//! under `#[cfg(test)]` does not.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use paper_search::format::FORMAT_VERSION;
use paper_search::index::shards::CODES_SHARD_BYTES;
use paper_search::index::{max_prefix_terms, Layout, RELATED};
use paper_search::semantic::fuse::{Fusion, DEPTH, RESCORED};
use syn::visit::Visit;

/// Most lines a file of `src/` may have, its tests aside (the tests at its end, from the
/// `#[cfg(test)]` of its `mod tests`).
const MAX_LINES: usize = 600;

/// A module: a file, with what it defines and what it names.
#[derive(Debug, Default)]
struct Module {
    file: String,
    /// The modules it declares (`mod x;` or `mod x { .. }` outside tests), by name.
    children: BTreeSet<String>,
    /// The names it defines.
    defines: BTreeSet<String>,
    /// Its re-exports (`pub use`): name → the path it stands for.
    reexports: Vec<(String, Vec<String>)>,
    /// Its glob re-exports (`pub use x::*`): the paths of the modules.
    globs: Vec<Vec<String>>,
    /// Every path it names that starts at the crate (`crate`, `self`, `super`, or one of its
    /// own modules), as written.
    paths: Vec<Vec<String>>,
}

/// The crate's modules, by their path from the crate root (`["index", "reader"]`).
struct Crate {
    modules: BTreeMap<Vec<String>, Module>,
}

/// A `use` tree flattened: the path, the name it binds (None for a glob) and whether it is
/// `pub` (of any reach).
fn flatten(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, Option<String>)>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                out.push((prefix.clone(), prefix.last().cloned()));
            } else {
                let mut path = prefix.clone();
                path.push(name.clone());
                out.push((path, Some(name)));
            }
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            path.push(r.ident.to_string());
            out.push((path, Some(r.rename.to_string())));
        }
        syn::UseTree::Glob(_) => out.push((prefix.clone(), None)),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| flatten(t, prefix, out)),
    }
}

/// Whether an item is compiled for tests only: `#[cfg(test)]`, or `#[cfg(all(test, ...))]`.
fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.meta.require_list().is_ok_and(|l| {
                let text = l.tokens.to_string();
                let words: Vec<&str> =
                    text.split(|c: char| !c.is_alphanumeric() && c != '_').filter(|w| !w.is_empty()).collect();
                words == ["test"] || (words.first() == Some(&"all") && words.contains(&"test"))
            })
    })
}

/// Collects the paths a file names, outside its tests.
#[derive(Default)]
struct Paths {
    found: Vec<Vec<String>>,
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.found.push(path.segments.iter().map(|s| s.ident.to_string()).collect());
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // Macro arguments are tokens, not parsed: read `a :: b :: c` runs off them.
        let text = mac.tokens.to_string();
        let tokens: Vec<&str> = text.split_whitespace().collect();
        let mut i = 0;
        while i < tokens.len() {
            let mut path = vec![tokens[i].to_string()];
            while i + 2 < tokens.len() && tokens[i + 1] == "::" {
                path.push(tokens[i + 2].to_string());
                i += 2;
            }
            if path.len() > 1 {
                self.found.push(path);
            }
            i += 1;
        }
        syn::visit::visit_macro(self, mac);
    }

    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {
        // `pub(super)` names a module it does not import.
    }

    fn visit_item(&mut self, item: &'ast syn::Item) {
        if !item_is_test(item) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if !is_test(&f.attrs) {
            syn::visit::visit_impl_item_fn(self, f);
        }
    }
}

fn item_is_test(item: &syn::Item) -> bool {
    match item {
        syn::Item::Mod(m) => is_test(&m.attrs),
        syn::Item::Fn(f) => is_test(&f.attrs),
        syn::Item::Use(u) => is_test(&u.attrs),
        syn::Item::Impl(i) => is_test(&i.attrs),
        _ => false,
    }
}

/// Reads a module's items (and those of the inline modules it holds, as its own).
fn read_items(items: &[syn::Item], module: &mut Module) {
    for item in items.iter().filter(|i| !item_is_test(i)) {
        let name = match item {
            syn::Item::Const(i) => Some(i.ident.to_string()),
            syn::Item::Enum(i) => Some(i.ident.to_string()),
            syn::Item::Fn(i) => Some(i.sig.ident.to_string()),
            syn::Item::Macro(i) => i.ident.as_ref().map(ToString::to_string),
            syn::Item::Static(i) => Some(i.ident.to_string()),
            syn::Item::Struct(i) => Some(i.ident.to_string()),
            syn::Item::Trait(i) => Some(i.ident.to_string()),
            syn::Item::Type(i) => Some(i.ident.to_string()),
            syn::Item::Union(i) => Some(i.ident.to_string()),
            syn::Item::Mod(m) => {
                match &m.content {
                    None => {
                        module.children.insert(m.ident.to_string());
                    }
                    Some((_, inner)) => read_items(inner, module),
                }
                None
            }
            syn::Item::Use(u) => {
                let mut flat = Vec::new();
                flatten(&u.tree, &mut Vec::new(), &mut flat);
                let public = !matches!(u.vis, syn::Visibility::Inherited);
                for (path, name) in flat {
                    if public {
                        match name {
                            Some(name) => module.reexports.push((name, path.clone())),
                            None => module.globs.push(path.clone()),
                        }
                    }
                    module.paths.push(path);
                }
                None
            }
            _ => None,
        };
        module.defines.extend(name);
    }
}

/// Reads the module in `text` (the file `file`).
fn read_module(file: &str, text: &str) -> Module {
    let parsed = syn::parse_file(text).unwrap_or_else(|e| panic!("{file} does not parse: {e}"));
    let mut module = Module { file: file.to_string(), ..Module::default() };
    read_items(&parsed.items, &mut module);
    let mut paths = Paths::default();
    paths.visit_file(&parsed);
    module.paths.extend(paths.found);
    module
}

impl Crate {
    /// The modules of a crate's files, given as (path relative to `src/`, text). Binaries
    /// (`bin/`) are crates of their own and left out.
    fn read(files: &[(String, String)]) -> Crate {
        let mut modules = BTreeMap::new();
        for (file, text) in files.iter().filter(|(f, _)| !f.starts_with("bin/")) {
            let mut path: Vec<String> = file.trim_end_matches(".rs").split('/').map(String::from).collect();
            if matches!(path.last().map(String::as_str), Some("mod" | "lib")) {
                path.pop();
            }
            modules.insert(path, read_module(file, text));
        }
        // A module declared under `#[cfg(test)]` is not read: drop the files no module declares.
        let declared: BTreeSet<Vec<String>> = modules
            .iter()
            .flat_map(|(path, m)| {
                m.children.iter().map(move |c| {
                    let mut p = path.clone();
                    p.push(c.clone());
                    p
                })
            })
            .collect();
        modules.retain(|path, _| path.is_empty() || declared.contains(path));
        Crate { modules }
    }

    /// The files the path `path`, named in module `from`, leads to: the file that defines its
    /// item, or the module it names; several through a glob that more than one `cfg` chooses.
    fn resolve(&self, from: &[String], path: &[String], depth: usize) -> BTreeSet<String> {
        let mut at: Vec<String> = from.to_vec();
        let mut segments = path.iter().peekable();
        match segments.peek().map(|s| s.as_str()) {
            Some("crate") => {
                at.clear();
                segments.next();
            }
            Some("self") => {
                segments.next();
            }
            Some("super") => {}
            Some(first) if self.modules.get(&at).is_some_and(|m| m.children.contains(first)) => {}
            _ => return BTreeSet::new(),
        }
        for segment in segments {
            if segment == "super" {
                at.pop();
                continue;
            }
            let Some(module) = self.modules.get(&at) else { return BTreeSet::new() };
            if module.children.contains(segment) {
                at.push(segment.clone());
                continue;
            }
            return self.item(&at, segment, depth);
        }
        self.modules.get(&at).map(|m| BTreeSet::from([m.file.clone()])).unwrap_or_default()
    }

    /// The files that define the item `name` of module `at`, through its re-exports.
    fn item(&self, at: &[String], name: &str, depth: usize) -> BTreeSet<String> {
        let Some(module) = self.modules.get(at) else { return BTreeSet::new() };
        if module.defines.contains(name) || depth > 16 {
            return BTreeSet::from([module.file.clone()]);
        }
        if let Some((_, path)) = module.reexports.iter().find(|(n, _)| n == name) {
            return self.resolve(at, path, depth + 1);
        }
        let mut found = BTreeSet::new();
        for glob in &module.globs {
            let mut path = glob.clone();
            path.push(name.to_string());
            found.extend(self.resolve(at, &path, depth + 1));
        }
        if found.is_empty() {
            // Not found (a variant, a method, a name of another crate): the module itself.
            found.insert(module.file.clone());
        }
        found
    }

    /// Each file's imports: the other files it names.
    fn imports(&self) -> BTreeMap<String, BTreeSet<String>> {
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (at, module) in &self.modules {
            let targets = out.entry(module.file.clone()).or_default();
            for path in &module.paths {
                targets.extend(self.resolve(at, path, 0).into_iter().filter(|f| *f != module.file));
            }
        }
        out
    }

    /// The import circles: each a list of files, in order, that import one another round.
    fn circles(&self) -> Vec<Vec<String>> {
        let imports = self.imports();
        let mut circles: Vec<Vec<String>> = Vec::new();
        let mut seen: BTreeSet<BTreeSet<String>> = BTreeSet::new();
        for start in imports.keys() {
            // The shortest way back to `start`, by a breadth-first walk.
            let mut came_from: HashMap<&String, &String> = HashMap::new();
            let mut frontier = vec![start];
            let mut back = None;
            'walk: while !frontier.is_empty() {
                let mut next = Vec::new();
                for file in frontier {
                    for target in imports.get(file).into_iter().flatten() {
                        if target == start {
                            back = Some(file);
                            break 'walk;
                        }
                        if !came_from.contains_key(target) {
                            came_from.insert(target, file);
                            next.push(target);
                        }
                    }
                }
                frontier = next;
            }
            let Some(mut file) = back else { continue };
            let mut circle = vec![file.clone()];
            while file != start {
                file = came_from[file];
                circle.push(file.clone());
            }
            circle.reverse();
            if seen.insert(circle.iter().cloned().collect()) {
                circles.push(circle);
            }
        }
        circles
    }
}

/// Every `.rs` file below `dir`, as (path relative to `root`, text).
fn rust_files(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).expect("src/ reads").map(|e| e.expect("an entry reads").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let name = path.strip_prefix(root).expect("below src/").to_string_lossy().replace('\\', "/");
            out.push((name, std::fs::read_to_string(&path).expect("a source file reads")));
        }
    }
}

fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &root, &mut files);
    files
}

fn describe(circles: &[Vec<String>]) -> String {
    circles.iter().map(|c| format!("src/{} -> src/{}", c.join(" -> src/"), c[0])).collect::<Vec<_>>().join("\n")
}

#[test]
fn no_module_of_src_imports_a_module_that_imports_it_back() {
    let house = Crate::read(&sources());
    assert!(house.modules.len() > 20, "{} modules read", house.modules.len());
    let circles = house.circles();
    assert!(
        circles.is_empty(),
        "import circles (move what both sides need into a module below them both):\n{}",
        describe(&circles)
    );
}

#[test]
fn no_file_of_src_is_over_the_line_limit_tests_aside() {
    let long: Vec<String> = sources()
        .into_iter()
        .filter(|(file, _)| file != "fold_table.rs" && !file.ends_with("tests.rs"))
        .filter_map(|(file, text)| {
            let code = text.split("\n#[cfg(test)]\nmod tests").next().unwrap_or(&text);
            let lines = code.lines().count();
            (lines > MAX_LINES).then(|| format!("src/{file}: {lines} lines"))
        })
        .collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines, tests aside (split them by job):\n{}", long.join("\n"));
}

/// A count as ARCHITECTURE.md writes it: `4,900`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn architecture_md_states_the_constants_as_the_code_has_them() {
    let doc = include_str!("../ARCHITECTURE.md");
    let kb = |bytes: usize| format!("{} KB", bytes >> 10);
    let sharded = Layout::SHARDED;
    let stated = [
        format!("## The index format (version {FORMAT_VERSION})"),
        format!("FORMAT_VERSION ({FORMAT_VERSION})"),
        format!("varint count (at most {RELATED})"),
        format!("dictionary shards grow to {} of keys", kb(sharded.dict_shard_bytes)),
        format!("Postings shards grow to {}", kb(sharded.post_shard_bytes)),
        format!("grow to {}", kb(sharded.pos_shard_bytes.unwrap_or(0))),
        format!("as many papers as make\n{} on average", kb(sharded.text_shard_bytes)),
        format!("would pass {} in all", grouped(sharded.max_files)),
        format!(
            "{} for one letter, {} for two, {} beyond",
            max_prefix_terms(1),
            max_prefix_terms(2),
            max_prefix_terms(3)
        ),
        format!("BM25F's best `DEPTH` ({DEPTH}) with the {DEPTH} nearest"),
        format!("the fused best `RESCORED` ({RESCORED})"),
        format!("codes shards of `CODES_SHARD_BYTES` ({};", kb(CODES_SHARD_BYTES)),
        format!("weighted {} times the share", 1.0 - Fusion::DEFAULT.weight),
        format!("the cosine weighted {}", Fusion::DEFAULT.weight),
    ];
    let missing: Vec<&String> = stated.iter().filter(|s| !doc.contains(s.as_str())).collect();
    assert!(missing.is_empty(), "ARCHITECTURE.md no longer says what the code has; change it to say:\n{missing:#?}");
}

// The checker itself, on small crates written here.

fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(f, t)| (f.to_string(), t.to_string())).collect()
}

#[test]
fn a_circle_through_a_third_module_is_found() {
    let house = Crate::read(&files(&[
        ("lib.rs", "mod a; mod b; mod c;"),
        ("a.rs", "use crate::b::B; pub struct A;"),
        ("b.rs", "pub struct B; fn f() { crate::c::g(); }"),
        ("c.rs", "pub fn g() { let _ = super::a::A; }"),
    ]));
    assert_eq!(house.circles(), vec![vec!["a.rs".to_string(), "b.rs".to_string(), "c.rs".to_string()]]);
}

#[test]
fn a_facade_that_reexports_its_modules_is_no_circle() {
    let house = Crate::read(&files(&[
        ("lib.rs", "pub mod index; mod search;"),
        ("index/mod.rs", "mod ids; mod reader; pub use ids::DocId; pub use reader::View;"),
        ("index/ids.rs", "pub type DocId = u32;"),
        ("index/reader.rs", "use crate::index::DocId; pub(super) fn f() {} pub struct View(DocId);"),
        ("search.rs", "use crate::index::{self, View};"),
    ]));
    assert!(house.circles().is_empty(), "{:?}", house.circles());
    assert_eq!(house.imports()["index/reader.rs"], BTreeSet::from(["index/ids.rs".to_string()]));
}

#[test]
fn a_child_that_takes_what_its_parent_defines_while_the_parent_uses_it_is_a_circle() {
    let house = Crate::read(&files(&[
        ("lib.rs", "mod index;"),
        ("index/mod.rs", "mod parts; use parts::Store; pub type DocId = u32;"),
        ("index/parts.rs", "use super::DocId; pub struct Store(DocId);"),
    ]));
    assert_eq!(house.circles().len(), 1, "{:?}", house.circles());
}

#[test]
fn globs_macros_and_cfg_variants_are_followed() {
    let house = Crate::read(&files(&[
        ("lib.rs", "mod fusion; mod score;"),
        (
            "fusion/mod.rs",
            "#[cfg(x)] mod on; #[cfg(not(x))] mod off; #[cfg(x)] pub use on::*; #[cfg(not(x))] pub use off::*;",
        ),
        ("fusion/on.rs", "pub struct Cover; fn f() { assert!(crate::score::ok()); }"),
        ("fusion/off.rs", "pub struct Cover;"),
        ("score.rs", "use crate::fusion::Cover; pub fn ok() -> bool { true }"),
    ]));
    assert_eq!(house.imports()["score.rs"], BTreeSet::from(["fusion/off.rs".to_string(), "fusion/on.rs".to_string()]));
    assert_eq!(house.circles().len(), 1, "on.rs takes from score.rs through a macro's argument");
}

#[test]
fn tests_do_not_count() {
    let house = Crate::read(&files(&[
        ("lib.rs", "mod a; mod b;"),
        ("a.rs", "use crate::b::B; pub struct A;"),
        ("b.rs", "pub struct B;\n#[cfg(test)]\nmod tests { use crate::a::A; }"),
    ]));
    assert!(house.circles().is_empty());
    let house = Crate::read(&files(&[
        ("lib.rs", "mod a; mod b;"),
        ("a.rs", "use crate::b::B; pub struct A;"),
        ("b.rs", "pub struct B;\n#[cfg(all(test, not(x)))]\nmod tests { use crate::a::A; }"),
    ]));
    assert!(house.circles().is_empty());
}
