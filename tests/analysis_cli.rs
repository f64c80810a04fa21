//! The analysis commands end to end: output on success, a message on stderr
//! and a non-zero exit on bad input, never a panic.

use std::process::{Command, Output};

fn som(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_som"))
        .args(args)
        .output()
        .expect("the som binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn sensitivity_prints_a_tornado_and_break_even_figures() {
    let o = som(&["sensitivity", "examples/housing-first.json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("net success rate"));
    assert!(out.contains("Break-even cost per participant"));
}

#[test]
fn sensitivity_json_is_one_object() {
    let o = som(&["sensitivity", "--range", "0.1", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["range"], "0.1");
    assert!(v["bars"].as_array().is_some_and(|b| !b.is_empty()));
}

#[test]
fn sensitivity_rejects_a_range_of_one() {
    let o = som(&["sensitivity", "--range", "1"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("range = 1"), "{}", stderr(&o));
}
