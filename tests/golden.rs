//! Golden files for the four output formats (DESIGN.md §5): two scenarios
//! in `tests/golden/*.scenario.json`, rendered on the frozen knowledge base in
//! `tests/data/kb/` (so a change to the shipped knowledge base does not move
//! them), compared byte for byte with `tests/golden/<name>.<format>`.
//!
//! After an intended change to a format, regenerate them with
//!
//! ```text
//! SOM_BLESS=1 cargo test --test golden
//! ```
//!
//! and read the diff before committing it. The figures in them were checked
//! against `tests/hand_computed.rs` (two-cohorts: NPV -11,218.4, PV costs
//! 2,732) and the Python reference (housing-first: NPV 17,010,560.895...).

use std::path::PathBuf;

use som::report::{Format, render};
use som::{KnowledgeBase, Scenario};

const SCENARIOS: [&str; 2] = ["housing-first", "two-cohorts"];

const FORMATS: [(Format, &str); 4] = [
    (Format::Table, "table.txt"),
    (Format::Json, "json"),
    (Format::Csv, "csv"),
    (Format::Markdown, "md"),
];

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn rendered(name: &str, format: Format) -> String {
    let kb = KnowledgeBase::load(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/kb"))
        .unwrap();
    let scenario = Scenario::from_file(dir().join(format!("{name}.scenario.json"))).unwrap();
    let case = som::evaluate(&scenario, &kb).unwrap();
    render(&case, format).unwrap()
}

fn check(name: &str, format: Format, extension: &str) {
    let actual = rendered(name, format);
    let path = dir().join(format!("{name}.{extension}"));
    if std::env::var_os("SOM_BLESS").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run SOM_BLESS=1 cargo test --test golden",
            path.display()
        )
    });
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
        panic!(
            "{} differs from the output, first at line {}:\n  golden: {:?}\n  output: {:?}\n\
             If the change is intended: SOM_BLESS=1 cargo test --test golden",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>"),
        );
    }
}

#[test]
fn table_output_matches_its_golden_files() {
    for name in SCENARIOS {
        check(name, FORMATS[0].0, FORMATS[0].1);
    }
}

#[test]
fn json_output_matches_its_golden_files() {
    for name in SCENARIOS {
        check(name, FORMATS[1].0, FORMATS[1].1);
    }
}

#[test]
fn csv_output_matches_its_golden_files() {
    for name in SCENARIOS {
        check(name, FORMATS[2].0, FORMATS[2].1);
    }
}

#[test]
fn markdown_output_matches_its_golden_files() {
    for name in SCENARIOS {
        check(name, FORMATS[3].0, FORMATS[3].1);
    }
}

#[test]
fn som_run_prints_what_the_golden_files_hold() {
    // The command line adds nothing to the library's rendering.
    for (_, extension) in FORMATS {
        let format = match extension {
            "table.txt" => "table",
            "md" => "markdown",
            other => other,
        };
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_som"))
            .arg("--kb")
            .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/kb"))
            .arg("run")
            .arg(dir().join("two-cohorts.scenario.json"))
            .args(["--format", format])
            .output()
            .unwrap();
        assert!(output.status.success());
        let golden = std::fs::read_to_string(dir().join(format!("two-cohorts.{extension}")));
        if let Ok(golden) = golden {
            assert_eq!(
                String::from_utf8(output.stdout).unwrap(),
                golden,
                "{format}"
            );
        }
    }
}
