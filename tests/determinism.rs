//! The same input gives byte-identical output across runs, in every format:
//! each run is a separate process (so a fresh hash seed and allocator state).

use std::process::Command;

const RUNS: usize = 3;

fn som(args: &[&str]) -> Vec<u8> {
    let output = Command::new(env!("CARGO_BIN_EXE_som"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the som binary runs");
    assert!(
        output.status.success(),
        "som {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn assert_identical_across_runs(args: &[&str]) {
    let first = som(args);
    assert!(!first.is_empty(), "som {args:?} printed nothing");
    for run in 1..RUNS {
        assert!(
            som(args) == first,
            "som {args:?}: run {run} differs from run 0"
        );
    }
}

#[test]
fn run_output_is_byte_identical_across_runs_in_every_format() {
    for format in ["json", "csv", "table", "markdown"] {
        assert_identical_across_runs(&["run", "examples/housing-first.json", "--format", format]);
    }
}

#[test]
fn run_with_a_knowledge_base_directory_is_byte_identical_to_the_embedded_one() {
    let embedded = som(&["run", "examples/housing-first.json", "--format", "json"]);
    let from_dir = som(&[
        "--kb",
        "knowledge-base",
        "run",
        "examples/housing-first.json",
        "--format",
        "json",
    ]);
    assert!(
        embedded == from_dir,
        "the embedded knowledge base and knowledge-base/ differ"
    );
}

#[test]
fn kb_list_and_show_are_byte_identical_across_runs() {
    assert_identical_across_runs(&["kb", "list"]);
    assert_identical_across_runs(&["kb", "show", "homeless-adults"]);
}
