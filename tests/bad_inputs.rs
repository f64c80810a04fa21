//! Bad inputs (issue 3, DESIGN.md §4-§5): every file in `tests/bad-inputs/`
//! gets a clear error that names the file and the JSON path, never a panic,
//! from the library and from `som run`; a broken knowledge base is reported
//! with all of its problems at once.
//!
//! Each bad scenario is `tests/data/valid-base.json` with one thing broken
//! (or not JSON at all), and is evaluated on the frozen knowledge base in
//! `tests/data/kb/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use som::{KnowledgeBase, Problem, Scenario};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn frozen_kb_dir() -> PathBuf {
    root().join("tests/data/kb")
}

fn frozen_kb() -> KnowledgeBase {
    KnowledgeBase::load(frozen_kb_dir()).expect("the frozen knowledge base loads")
}

/// File name -> (the JSON path the first problem must name, the id it must
/// suggest for a misspelt one).
const EXPECTED: &[(&str, &str, Option<&str>)] = &[
    ("amount-1e30.json", "$.costs[0].amount", None),
    (
        "baseline-rate-negative.json",
        "$.effect.baseline_rate",
        None,
    ),
    ("cohens-d-too-large.json", "$.effect.effect_size", None),
    ("cohort-year-beyond-horizon.json", "$.cohorts[1].year", None),
    ("completion-rate-above-one.json", "$.completion_rate", None),
    ("decay-above-one.json", "$.persistence.annual_decay", None),
    (
        "discount-rate-above-one.json",
        "$.discounting.constant",
        None,
    ),
    ("duplicate-cohort-year.json", "$.cohorts[1].year", None),
    ("empty-file.json", "$", None),
    ("empty-profile.json", "$.consequences[0].profile", None),
    (
        "explicit-discount-rate-negative.json",
        "$.discounting.rates[1]",
        None,
    ),
    ("horizon-not-a-number.json", "$.horizon_years", None),
    ("horizon-one-billion.json", "$.horizon_years", None),
    ("horizon-zero.json", "$.horizon_years", None),
    ("lag-too-long.json", "$.effect_lag_years", None),
    ("malformed-json.json", "$", None),
    ("missing-effect.json", "$", None),
    ("negative-cohort-year.json", "$.cohorts[0].year", None),
    ("negative-cost.json", "$.costs[0].amount", None),
    (
        "negative-participants.json",
        "$.cohorts[1].participants",
        None,
    ),
    ("no-cohorts.json", "$.cohorts", None),
    ("not-an-object.json", "$", None),
    ("odds-ratio-negative.json", "$.effect.effect_size", None),
    ("one-off-cost-without-year.json", "$.costs[0].year", None),
    // An overflow is found while calculating, not at a single value: the
    // problem names the scenario's file and its root.
    ("overflowing-participants-times-cost.json", "$", None),
    ("overflowing-per-year-cost.json", "$", None),
    ("overflowing-price.json", "$", None),
    (
        "participants-not-a-number.json",
        "$.cohorts[0].participants",
        None,
    ),
    (
        "per-year-cost-ends-before-it-starts.json",
        "$.costs[1].to_year",
        None,
    ),
    ("per-year-cost-with-year.json", "$.costs[1].year", None),
    (
        "per-year-cost-without-to-year.json",
        "$.costs[1].to_year",
        None,
    ),
    (
        "percentage-points-give-negative-rate.json",
        "$.effect.effect_size",
        None,
    ),
    ("price-for-unused-service.json", "$.prices.prison-day", None),
    ("price-year-outside-index.json", "$.price_year", None),
    ("rates-and-effect-size-together.json", "$.effect", None),
    (
        "relative-risk-gives-rate-above-one.json",
        "$.effect.effect_size",
        None,
    ),
    ("start-year-out-of-range.json", "$.start_year", None),
    ("success-rate-above-one.json", "$.effect.success_rate", None),
    ("trailing-comma.json", "$", None),
    (
        "unknown-applies-to.json",
        "$.consequences[0].applies_to",
        None,
    ),
    (
        "unknown-discount-schedule.json",
        "$.discounting",
        Some("dk-fm-2021"),
    ),
    ("unknown-discounting-kind.json", "$.discounting", None),
    (
        "unknown-field-in-cohort.json",
        "$.cohorts[1].participant",
        None,
    ),
    ("unknown-field-in-cost.json", "$.costs[2].ammount", None),
    ("unknown-field-in-effect.json", "$.effect.sucess_rate", None),
    ("unknown-payer.json", "$.costs[0].payer", None),
    (
        "unknown-service.json",
        "$.consequences[0].service",
        Some("shelter-day"),
    ),
    (
        "unknown-study.json",
        "$.effect.study",
        Some("housing-first-at-home-1y"),
    ),
    (
        "unknown-success-measure.json",
        "$.success_measure",
        Some("exits-homelessness"),
    ),
    (
        "unknown-target-group.json",
        "$.target_group",
        Some("homeless-adults"),
    ),
    ("unknown-top-level-field.json", "$.horizon_year", None),
    (
        "wrong-number-of-discount-rates.json",
        "$.discounting.rates",
        None,
    ),
];

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/bad-inputs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn name_of(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// Reads and evaluates a scenario file; the problems when it fails.
fn problems_of(path: &Path, kb: &KnowledgeBase) -> Option<Vec<Problem>> {
    let result = std::panic::catch_unwind(|| {
        let scenario = Scenario::from_file(path).map_err(som::Error::from)?;
        som::evaluate(&scenario, kb)
    });
    match result {
        Ok(Ok(_)) => None,
        Ok(Err(e)) => Some(e.problems().to_vec()),
        Err(_) => panic!("{}: the library panicked", path.display()),
    }
}

#[test]
fn the_base_of_the_corpus_is_valid() {
    let base = root().join("tests/data/valid-base.json");
    assert_eq!(problems_of(&base, &frozen_kb()), None);
}

#[test]
fn the_corpus_and_the_table_of_expected_paths_match() {
    let files: Vec<String> = corpus().iter().map(|p| name_of(p)).collect();
    let table: Vec<String> = EXPECTED.iter().map(|(f, _, _)| f.to_string()).collect();
    assert_eq!(files, table);
    assert!(files.len() >= 25);
}

#[test]
fn every_bad_input_is_an_error_naming_its_file_and_json_path() {
    let kb = frozen_kb();
    for (file, path, suggestion) in EXPECTED {
        let full = root().join("tests/bad-inputs").join(file);
        let problems = problems_of(&full, &kb)
            .unwrap_or_else(|| panic!("{file}: accepted, but it is a bad input"));
        let first = problems
            .first()
            .unwrap_or_else(|| panic!("{file}: an error without problems"));
        assert_eq!(first.file, full.display().to_string(), "{file}: file");
        assert_eq!(first.path, *path, "{file}: JSON path ({first})");
        assert!(!first.expected.is_empty(), "{file}: says what was expected");
        assert_eq!(
            first.did_you_mean.as_deref(),
            *suggestion,
            "{file}: did you mean ({first})"
        );
        if let Some(id) = suggestion {
            assert!(
                first.to_string().contains(&format!("did you mean `{id}`")),
                "{file}: {first}"
            );
        }
    }
}

#[test]
fn every_problem_in_a_scenario_is_reported_at_once() {
    let text = r#"{
        "name": "many problems", "target_group": "homeles-adults",
        "success_measure": "exits-homelessness", "start_year": 2026,
        "horizon_years": 10, "completion_rate": 1.7,
        "cohorts": [{"year": 0, "participants": -1}],
        "effect": {"success_rate": 0.45, "baseline_rate": -0.1},
        "costs": [{"label": "x", "kind": "one_off", "year": 20, "amount": -5, "payer": "stat"}]
    }"#;
    let scenario = Scenario::from_json_named(text, "many.json").unwrap();
    let err = scenario.resolve(&frozen_kb()).unwrap_err();
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
    for expected in [
        "$.target_group",
        "$.completion_rate",
        "$.cohorts[0].participants",
        "$.effect.baseline_rate",
        "$.costs[0].amount",
        "$.costs[0].year",
    ] {
        assert!(paths.contains(&expected), "{expected} missing in {paths:?}");
    }
    assert!(err.problems().iter().all(|p| p.file == "many.json"));
}

#[test]
fn a_cost_kind_is_named_as_written_in_the_file() {
    let kb = frozen_kb();
    for (file, kind) in [
        ("one-off-cost-without-year.json", "`one_off`"),
        ("per-year-cost-with-year.json", "`per_year`"),
    ] {
        let full = root().join("tests/bad-inputs").join(file);
        let problems = problems_of(&full, &kb).unwrap();
        assert!(problems[0].expected.contains(kind), "{}", problems[0]);
    }
}

fn som() -> Command {
    Command::new(env!("CARGO_BIN_EXE_som"))
}

#[test]
fn som_run_rejects_every_bad_input_on_stderr_without_panicking() {
    for (file, path, _) in EXPECTED {
        let full = root().join("tests/bad-inputs").join(file);
        let started = std::time::Instant::now();
        let output = som()
            .arg("--kb")
            .arg(frozen_kb_dir())
            .arg("run")
            .arg(&full)
            .output()
            .unwrap();
        // A hang guard (issue 18's corpus keeps a time ceiling), not a timing.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{file}: {:?}",
            started.elapsed()
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{file}: exit code 0");
        assert_eq!(output.status.code(), Some(1), "{file}: {stderr}");
        assert!(output.stdout.is_empty(), "{file}: wrote to stdout");
        assert!(!stderr.contains("panicked"), "{file}: {stderr}");
        let located = format!("{}: {path}", full.display());
        assert!(
            stderr.contains(&located),
            "{file}: `{located}` not in {stderr}"
        );
    }
}

// ---------------------------------------------------------------------------
// A broken knowledge base: all problems at once, with file and JSON path.
// ---------------------------------------------------------------------------

/// A copy of the frozen knowledge base in a fresh temporary directory.
fn kb_copy(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "som-bad-kb-{tag}-{}-{:?}",
        std::process::id(),
        std::time::SystemTime::now()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    for file in som::knowledge_base::FILES {
        // The frozen copy predates the optional committees file.
        if frozen_kb_dir().join(file).exists() {
            std::fs::copy(frozen_kb_dir().join(file), dir.join(file)).unwrap();
        }
    }
    dir
}

fn edit_json(dir: &Path, file: &str, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join(file);
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut value);
    std::fs::write(&path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
}

/// (file, JSON path, suggestion) of each thing broken by `break_kb`.
const KB_BREAKAGES: &[(&str, &str, Option<&str>)] = &[
    ("services.json", "$.services[0].area", Some("housing")),
    ("effects.json", "$.effects[0].success_rate", None),
    ("sources.json", "$.sources[20].id", None),
    (
        "consequences.json",
        "$.consequences[0].lines[0].service",
        Some("shelter-day"),
    ),
    (
        "consequences.json",
        "$.consequences[0].lines[0].evidence.sources[0]",
        Some("dst-herberger-2020"),
    ),
];

fn break_kb(dir: &Path) {
    edit_json(dir, "services.json", |v| {
        // an unknown area id
        v["services"][0]["area"] = "housingg".into();
    });
    edit_json(dir, "effects.json", |v| {
        // a rate of 1.7
        v["effects"][0]["success_rate"] = "1.7".into();
    });
    edit_json(dir, "sources.json", |v| {
        // a duplicate id: the first source once more, at index 20
        let sources = v["sources"].as_array_mut().unwrap();
        assert_eq!(sources.len(), 20);
        let first = sources[0].clone();
        sources.push(first);
    });
    edit_json(dir, "consequences.json", |v| {
        let line = &mut v["consequences"][0]["lines"][0];
        // an unknown service, and a source that does not exist
        line["service"] = "shelter-days".into();
        line["evidence"]["sources"][0] = "dst-herberger-2021".into();
    });
}

#[test]
fn a_broken_knowledge_base_reports_every_problem_at_once() {
    let dir = kb_copy("lib");
    break_kb(&dir);
    let err = KnowledgeBase::load(&dir).unwrap_err();
    let problems = err.problems();
    for (file, path, suggestion) in KB_BREAKAGES {
        let shown = dir.join(file).display().to_string();
        let found = problems
            .iter()
            .find(|p| p.file == shown && p.path == *path)
            .unwrap_or_else(|| panic!("{file} {path} not reported; got:\n{err}"));
        assert_eq!(found.did_you_mean.as_deref(), *suggestion, "{found}");
    }
    assert_eq!(problems.len(), KB_BREAKAGES.len(), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A record that does not read is checked past its first fault: a bad
/// number and an area typo in the same service are both reported, as is a
/// second unreadable service's every fault, and nothing else.
#[test]
fn every_fault_of_an_unreadable_record_is_reported_and_nothing_false() {
    let dir = kb_copy("faults");
    edit_json(&dir, "services.json", |v| {
        let first = &mut v["services"][0];
        first["price"]["kommune"] = "98x1.20".into();
        first["area"] = "housnig".into();
        let second = &mut v["services"][1];
        second["price"]["stat"] = "abc".into();
        second.as_object_mut().unwrap().remove("unit");
        second["colour"] = "blue".into();
    });
    let err = KnowledgeBase::load(&dir).unwrap_err();
    let shown = dir.join("services.json").display().to_string();
    let mut got: Vec<(&str, Option<&str>)> = err
        .problems()
        .iter()
        .map(|p| {
            assert_eq!(p.file, shown, "{p}");
            (p.path.as_str(), p.did_you_mean.as_deref())
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("$.services[0].area", Some("housing")),
            ("$.services[0].price.kommune", None),
            ("$.services[1]", None),
            ("$.services[1].colour", None),
            ("$.services[1].price.stat", None),
        ],
        "{err}"
    );
    let messages = err.to_string();
    for part in ["missing field `unit`", "unknown field `colour`", "`abc`"] {
        assert!(messages.contains(part), "{part} not in {messages}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn som_kb_validate_lists_every_problem_and_fails() {
    let dir = kb_copy("cli");
    break_kb(&dir);
    let output = som().args(["kb", "validate"]).arg(&dir).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(output.stdout.is_empty());
    assert!(!stderr.contains("panicked"), "{stderr}");
    for (file, path, _) in KB_BREAKAGES {
        let located = format!("{}: {path}", dir.join(file).display());
        assert!(stderr.contains(&located), "`{located}` not in {stderr}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn som_kb_validate_accepts_the_frozen_copy() {
    let output = som()
        .args(["kb", "validate"])
        .arg(frozen_kb_dir())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("ok:"));
}

#[test]
fn a_knowledge_base_directory_with_an_empty_and_a_malformed_file_names_both() {
    let dir = kb_copy("files");
    std::fs::write(dir.join("areas.json"), "").unwrap();
    std::fs::write(dir.join("effects.json"), "{\"effects\": [").unwrap();
    let err = KnowledgeBase::load(&dir).unwrap_err();
    for file in ["areas.json", "effects.json"] {
        let shown = dir.join(file).display().to_string();
        assert!(
            err.problems()
                .iter()
                .any(|p| p.file == shown && p.path == "$"),
            "{file}: {err}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------------------
// Nothing panics on any input: the valid base with random edits.
// ---------------------------------------------------------------------------

mod no_panic {
    use proptest::prelude::*;

    /// Numbers at and beyond the edges of what the model accepts.
    const EXTREMES: &[&str] = &[
        "0",
        "-0",
        "1",
        "-1",
        "0.5",
        "1.0000000000000000000000000001",
        "0.0000000000000000000000000001",
        "1e-40",
        "1e30",
        "-1e30",
        "2147483648",
        "4294967296",
        "9223372036854775808",
        "-9223372036854775809",
        "18446744073709551616",
        "79228162514264337593543950335",
        "-79228162514264337593543950335",
        "79228162514264337593543950336",
        "\"79228162514264337593543950335\"",
        "\"1e28\"",
        "\"-5\"",
        "\"\"",
        "\" \"",
        "null",
        "true",
        "[]",
        "{}",
        "\"none\"",
    ];

    fn base() -> String {
        std::fs::read_to_string(super::root().join("tests/data/valid-base.json")).unwrap()
    }

    /// Byte offsets of every number in the base text, with their lengths.
    fn numbers(text: &str) -> Vec<(usize, usize)> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        let mut in_string = false;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'"' {
                in_string = !in_string;
            } else if !in_string && (b.is_ascii_digit() || b == b'-') {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_digit() || b".-eE+".contains(&bytes[i]))
                {
                    i += 1;
                }
                out.push((start, i - start));
                continue;
            }
            i += 1;
        }
        out
    }

    fn evaluate(text: &str) {
        let kb = som::KnowledgeBase::embedded();
        if let Err(e) = som::api::evaluate_json(text, kb) {
            // An error names its problems (or is a calculation error) and renders.
            let _ = som::api::error_json(&e).to_string();
            assert!(!e.to_string().is_empty());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn replacing_numbers_with_extremes_never_panics(
            edits in prop::collection::vec((any::<prop::sample::Index>(), 0..EXTREMES.len()), 1..4),
        ) {
            let mut text = base();
            for (index, extreme) in edits {
                let spots = numbers(&text);
                let (start, len) = spots[index.index(spots.len())];
                text.replace_range(start..start + len, EXTREMES[extreme]);
            }
            evaluate(&text);
        }

        #[test]
        fn cutting_or_corrupting_the_text_never_panics(
            cut in any::<prop::sample::Index>(),
            at in any::<prop::sample::Index>(),
            byte in prop::sample::select(b"{}[]\":,0-.e \\x".to_vec()),
        ) {
            let mut text = base().into_bytes();
            let at = at.index(text.len());
            text[at] = byte;
            let cut = cut.index(text.len() + 1);
            text.truncate(cut.max(at));
            evaluate(&String::from_utf8_lossy(&text));
        }
    }
}
