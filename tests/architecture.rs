//! The import rules of docs/DESIGN.md ("Architecture: layers and import
//! rules"), checked against the source: every module of `src/` imports only
//! the modules its row of the table allows, and a row allows only modules of
//! rows above it, so no module reaches up.
//!
//! An import is any `crate::` path outside a comment: `use crate::a::B;`,
//! `use crate::{a, b::C};` or an inline `crate::a::f()`. A name the crate
//! root re-exports (`crate::Problem`) counts as the module it comes from.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const DESIGN: &str = "docs/DESIGN.md";
const SECTION: &str = "## 6. Architecture: layers and import rules";

/// The table of the design document: module -> the modules it may import, in
/// the table's order (bottom layer first).
fn rules(design: &str) -> Vec<(String, BTreeSet<String>)> {
    let section = design
        .split_once(SECTION)
        .unwrap_or_else(|| panic!("{DESIGN} has no section `{SECTION}`"))
        .1;
    let mut rows = Vec::new();
    for line in section.lines() {
        if line.starts_with("## ") {
            break;
        }
        let Some(row) = line.strip_prefix("| `") else {
            continue;
        };
        let mut cells = row.split('|');
        let module = cells
            .next()
            .unwrap()
            .trim()
            .trim_end_matches('`')
            .to_owned();
        let allowed = cells
            .next()
            .unwrap_or_else(|| panic!("{DESIGN}: the row of `{module}` has no second cell"))
            .split(',')
            .map(|m| m.trim().trim_matches('`').to_owned())
            .filter(|m| !m.is_empty() && m != "—")
            .collect();
        rows.push((module, allowed));
    }
    assert!(!rows.is_empty(), "{DESIGN}: no rows under `{SECTION}`");
    rows
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without comments (doc links name other modules without
/// importing them).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first segment of every `crate::` path in the code.
fn crate_paths(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // A `use crate::{a, b::{c, d}, E};` group: the top-level items.
            let mut depth = 1;
            let mut item = String::new();
            for ch in group.chars() {
                match ch {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 || (ch == ',' && depth == 1) {
                    names.push(first_segment(&item));
                    item.clear();
                    if depth == 0 {
                        break;
                    }
                } else {
                    item.push(ch);
                }
            }
        } else {
            names.push(first_segment(rest));
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

fn first_segment(path: &str) -> String {
    path.trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The crate root: its modules, and for each name it re-exports, the module
/// the name comes from.
fn crate_root(lib: &str) -> (BTreeSet<String>, BTreeMap<String, String>) {
    let mut modules = BTreeSet::new();
    let mut reexports = BTreeMap::new();
    let code = code_of(lib);
    for statement in code.split(';') {
        let s = statement.trim();
        let s = s.rsplit('\n').next().unwrap_or(s).trim();
        let words: Vec<&str> = s.split_whitespace().collect();
        if let Some(pos) = words.iter().position(|w| *w == "mod") {
            if let Some(name) = words.get(pos + 1) {
                if !name.contains('{') {
                    modules.insert((*name).to_owned());
                }
            }
        }
    }
    for statement in code.split(';') {
        let Some(path) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let (module, items) = path.split_once("::").unwrap_or((path, ""));
        for name in items
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|n| !n.is_empty())
        {
            reexports.insert(name.to_owned(), module.to_owned());
        }
    }
    (modules, reexports)
}

#[test]
fn no_module_imports_one_the_design_document_does_not_allow() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let design = fs::read_to_string(root.join(DESIGN)).unwrap();
    let rules = rules(&design);
    let lib = fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let (modules, reexports) = crate_root(&lib);

    // The table is layered: a row allows only modules of rows above it.
    let mut above = BTreeSet::new();
    for (module, allowed) in &rules {
        for m in allowed {
            assert!(
                above.contains(m),
                "{DESIGN}: `{module}` may import `{m}`, which is not a row above it"
            );
        }
        above.insert(module.clone());
    }
    let allowed: BTreeMap<_, _> = rules.into_iter().collect();

    // Every module of the crate has a row.
    for m in &modules {
        if m != "tutorial" {
            assert!(
                allowed.contains_key(m),
                "src/lib.rs declares `{m}`, which has no row in {DESIGN}"
            );
        }
    }

    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut broken = Vec::new();
    for file in files {
        let rel = file.strip_prefix(root.join("src")).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_owned();
        if !modules.contains(&module) {
            // lib.rs (the root, which only declares and re-exports) and the
            // command line, which sees only the public API (`som::`).
            continue;
        }
        let code = code_of(&fs::read_to_string(&file).unwrap());
        for name in crate_paths(&code) {
            let target = if modules.contains(&name) {
                name.clone()
            } else if let Some(m) = reexports.get(&name) {
                m.clone()
            } else {
                // A constant defined in lib.rs itself (`VERSION`): it imports nothing.
                continue;
            };
            if target != module && !allowed[&module].contains(&target) {
                broken.push(format!(
                    "src/{}: `{module}` imports `{target}` (crate::{name})",
                    rel.display()
                ));
            }
        }
    }
    broken.sort();
    broken.dedup();
    assert!(
        broken.is_empty(),
        "imports that {DESIGN} does not allow:\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_checker_reads_groups_inline_paths_and_skips_comments() {
    let code = code_of(
        "use crate::model::{Checked, Model};\n\
         use crate::{engine, knowledge_base::{KnowledgeBase, Service}, Problem};\n\
         // crate::report is only mentioned\n\
         /// [`x`](crate::analysis)\n\
         let y = crate::scenario::parse(x);",
    );
    assert_eq!(
        crate_paths(&code),
        ["model", "engine", "knowledge_base", "Problem", "scenario"]
    );
}

#[test]
fn tests_readme_names_every_test_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(root.join("tests/README.md")).unwrap();
    let mut missing = Vec::new();
    for entry in fs::read_dir(root.join("tests")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".rs") && !readme.contains(&format!("`{name}`")) {
            missing.push(name);
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "tests/README.md does not name: {missing:?}"
    );
}
