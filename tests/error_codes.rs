//! One list of error codes (issue 18): `som::api::ERROR_CODES` is what the
//! library, the C ABI and the service answer with, and what the README
//! lists. Before, the service and C ABI answered `analysis_failed`, which
//! the README did not list.

use std::collections::BTreeSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn documented() -> BTreeSet<String> {
    som::api::ERROR_CODES
        .iter()
        .map(|(code, _)| (*code).to_owned())
        .collect()
}

/// The string literal right after each occurrence of `prefix` (whitespace
/// collapsed), e.g. the code in `error_message_json("busy", ...)`.
fn literals_after(text: &str, prefix: &str, out: &mut BTreeSet<String>) {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut rest = flat.as_str();
    while let Some(i) = rest.find(prefix) {
        rest = &rest[i + prefix.len()..];
        if let Some(literal) = rest.strip_prefix('"').and_then(|r| r.split('"').next()) {
            if !literal.is_empty() && literal.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                out.insert(literal.to_owned());
            }
        }
    }
}

/// Every code the sources emit: through `error_message_json`, the service's
/// `message(status, code, ...)`, a `"code": ...` member, `Error::code`, and
/// the body rejection's choice between two codes.
fn emitted() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for file in [
        "src/api.rs",
        "src/serve.rs",
        "src/evaluation.rs",
        "ffi/src/lib.rs",
    ] {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        // Doc examples are not emitted codes.
        let code: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        literals_after(&code, "error_message_json( ", &mut found);
        literals_after(&code, "error_message_json(", &mut found);
        literals_after(&code, "\"code\": ", &mut found);
        literals_after(&code, "=> ", &mut found);
        literals_after(&code, "{ ", &mut found);
        literals_after(&code, "} else { ", &mut found);
        let flat: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
        for status in flat.split("StatusCode::").skip(1) {
            if let Some((_, after)) = status.split_once(", \"") {
                if let Some(literal) = after.split('"').next() {
                    if literal.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                        found.insert(literal.to_owned());
                    }
                }
            }
        }
    }
    // Literals that follow those patterns but are not codes.
    found.retain(|s| documented().contains(s) || s.contains('_') || s.len() > 3);
    found
}

#[test]
fn every_emitted_code_is_documented_and_every_documented_code_is_emitted() {
    let documented = documented();
    let emitted: BTreeSet<String> = emitted()
        .into_iter()
        .filter(|c| {
            // Keep only what looks like a code: snake_case words, as every
            // code is; other literals after `=> ` (ids, kinds) are not codes.
            documented.contains(c)
                || c.ends_with("_error")
                || c.ends_with("_failed")
                || c.starts_with("invalid_")
        })
        .collect();
    let undocumented: Vec<&String> = emitted.difference(&documented).collect();
    assert!(
        undocumented.is_empty(),
        "emitted but not in ERROR_CODES: {undocumented:?}"
    );
    let unused: Vec<&String> = documented.difference(&emitted).collect();
    assert!(
        unused.is_empty(),
        "in ERROR_CODES but never emitted: {unused:?}"
    );
}

#[test]
fn the_readme_lists_exactly_the_codes() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("## Error codes")
        .nth(1)
        .expect("README has an Error codes section");
    let section = section.split("\n## ").next().unwrap();
    let listed: BTreeSet<String> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_owned)
        .collect();
    assert_eq!(listed, documented());
    // And each with the meaning the code gives it.
    for (code, meaning) in som::api::ERROR_CODES {
        assert!(
            section.contains(&format!("| `{code}` | {meaning} |")),
            "README's line for {code} differs from ERROR_CODES"
        );
    }
}

#[test]
fn the_library_codes_are_in_the_list() {
    let kb = som::KnowledgeBase::embedded();
    let err = som::api::evaluate_json("{}", kb).unwrap_err();
    assert!(documented().contains(err.code()));
    let value = som::api::analysis_error_json(&som::analysis::AnalysisError::OutOfRange {
        what: "x".into(),
        value: "1".into(),
        expected: "0".into(),
    });
    assert!(documented().contains(value["error"]["code"].as_str().unwrap()));
}
