//! Batches: a template plus CSV rows. Good rows equal the single business
//! case of the same scenario; every bad cell is reported with row and column.

mod common;
use common::som;
use std::path::PathBuf;

use rust_decimal::Decimal;
use som::batch::{self, CellProblem};
use som::scenario::{Cohort, PriceOverride};
use som::{KnowledgeBase, Scenario};

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn kb() -> &'static KnowledgeBase {
    KnowledgeBase::embedded()
}

/// Good rows 2 and 7; bad rows 3 to 6 (and two bad columns in the header).
const MIXED: &str = "\
name,participants,success_rate,cost.Team,cost.Teem,sucess_rate
Small,20,,,,
Non-numeric,forty,,,,
Too successful,,1.7,,,
Misspelt cost,,,,500000,
Misspelt column,,,,,0.5
Cheap team,,,500000,,
";

fn problem_lines(b: &batch::Batch) -> Vec<String> {
    b.problems().map(CellProblem::to_string).collect()
}

#[test]
fn bad_rows_are_each_reported_and_good_rows_still_computed() {
    let b = batch::run(&Scenario::example(), MIXED, kb());
    assert!(!b.is_ok());
    let computed: Vec<(usize, &str)> = b
        .rows
        .iter()
        .filter(|r| r.result.is_ok())
        .map(|r| (r.row, r.name.as_str()))
        .collect();
    assert_eq!(computed, vec![(2, "Small"), (7, "Cheap team")]);
    assert_eq!(
        problem_lines(&b),
        vec![
            "row 1, column `cost.Teem`: unknown cost label `Teem`: the template's costs are Training, Team, Support (did you mean `cost.Team`?)",
            "row 1, column `sucess_rate`: unknown column (the columns are listed in `som batch --help`) (did you mean `success_rate`?)",
            "row 3, column `participants`: expected a number, found `forty`",
            "row 4, column `success_rate` ($.effect.success_rate): expected a share between 0 and 1, found 1.7",
            "row 5, column `cost.Teem`: a value (`500000`) in a column that is not understood (see row 1)",
            "row 6, column `sucess_rate`: a value (`0.5`) in a column that is not understood (see row 1)",
        ]
    );
    let bad: Vec<(usize, Vec<String>)> = b
        .rows
        .iter()
        .filter_map(|r| {
            r.result
                .as_ref()
                .err()
                .map(|p| (r.row, p[0].columns.clone()))
        })
        .collect();
    assert_eq!(
        bad,
        vec![
            (3, vec!["participants".to_owned()]),
            (4, vec!["success_rate".to_owned()]),
            (5, vec!["cost.Teem".to_owned()]),
            (6, vec!["sucess_rate".to_owned()]),
        ]
    );
}

#[test]
fn a_good_row_equals_the_single_case_of_the_same_scenario() {
    let b = batch::run(&Scenario::example(), MIXED, kb());
    let cases: Vec<_> = b.cases().cloned().collect();

    let mut small = Scenario::example();
    small.name = "Small".into();
    for c in &mut small.cohorts {
        c.participants = dec("20");
    }
    assert_eq!(cases[0], som::evaluate(&small, kb()).unwrap());

    let mut cheap = Scenario::example();
    cheap.name = "Cheap team".into();
    cheap.costs[1].amount = dec("500000");
    assert_eq!(cases[1], som::evaluate(&cheap, kb()).unwrap());

    // And the comparison holds those very figures.
    let c = b.comparison();
    assert_eq!(
        c.row("npv_total").unwrap().values,
        vec![
            Some(cases[0].summary.npv.total),
            Some(cases[1].summary.npv.total)
        ]
    );
}

#[test]
fn a_row_without_a_name_is_named_after_the_template_and_row() {
    let b = batch::run(&Scenario::example(), "participants\n10\n", kb());
    assert_eq!(
        b.rows[0].name,
        "Housing First (ICM), 40 citizens a year for 3 years (row 2)"
    );
}

#[test]
fn participants_by_year_sets_or_adds_a_cohort_and_wins_over_participants() {
    let csv = "participants,participants.1,participants.3\n10,25,5\n";
    let b = batch::run(&Scenario::example(), csv, kb());
    assert!(b.is_ok(), "{:?}", problem_lines(&b));
    let case = b.cases().next().unwrap();
    let n: Vec<Decimal> = case.participants_by_year[..5].to_vec();
    assert_eq!(n, vec![dec("10"), dec("25"), dec("10"), dec("5"), dec("0")]);

    let mut s = Scenario::example();
    s.name = case.scenario.clone();
    s.cohorts = vec![
        Cohort {
            year: 0,
            participants: dec("10"),
        },
        Cohort {
            year: 1,
            participants: dec("25"),
        },
        Cohort {
            year: 2,
            participants: dec("10"),
        },
        Cohort {
            year: 3,
            participants: dec("5"),
        },
    ];
    assert_eq!(*case, som::evaluate(&s, kb()).unwrap());
}

#[test]
fn a_price_override_takes_the_scenarios_price_year_by_default() {
    let csv =
        "price.shelter-day.kommune,price.shelter-day.region,price.shelter-day.stat\n900,0,700\n";
    let b = batch::run(&Scenario::example(), csv, kb());
    assert!(b.is_ok(), "{:?}", problem_lines(&b));
    let mut s = Scenario::example();
    s.name = b.rows[0].name.clone();
    s.prices.insert(
        "shelter-day".into(),
        PriceOverride {
            kommune: dec("900"),
            region: dec("0"),
            stat: dec("700"),
            price_year: 2025,
            grade: None,
        },
    );
    assert_eq!(*b.cases().next().unwrap(), som::evaluate(&s, kb()).unwrap());
}

#[test]
fn an_incomplete_new_price_override_names_the_missing_columns() {
    let csv = "price.shelter-day.kommune\n900\n";
    let b = batch::run(&Scenario::example(), csv, kb());
    let p = &b.rows[0].result.as_ref().unwrap_err()[0];
    assert_eq!(p.columns, vec!["price.shelter-day.kommune"]);
    assert_eq!(p.path.as_deref(), Some("$.prices.shelter-day"));
    assert!(
        p.expected
            .contains("missing price.shelter-day.region, price.shelter-day.stat")
    );
}

#[test]
fn a_price_for_an_unused_service_gives_the_json_path_and_a_suggestion() {
    let csv = "price.shelter-dai.kommune,price.shelter-dai.region,price.shelter-dai.stat\n1,0,1\n";
    let b = batch::run(&Scenario::example(), csv, kb());
    let p = &b.rows[0].result.as_ref().unwrap_err()[0];
    assert_eq!(p.row, 2);
    assert_eq!(p.path.as_deref(), Some("$.prices.shelter-dai"));
    assert_eq!(p.columns.len(), 3);
    assert_eq!(p.did_you_mean.as_deref(), Some("shelter-day"));
}

#[test]
fn a_problem_the_row_exposes_in_the_template_gives_its_path() {
    // A two-year horizon leaves the template's Team cost (years 0-2) outside it.
    let b = batch::run(&Scenario::example(), "horizon_years\n2\n", kb());
    let problems = problem_lines(&b);
    assert!(
        problems.contains(
            &"row 2 ($.costs[1].to_year, from the template): expected a year index within the horizon from 0 to 1, found 2"
                .to_owned()
        ),
        "{problems:?}"
    );
}

#[test]
fn a_decimal_comma_gets_a_hint() {
    let b = batch::run(&Scenario::example(), "success_rate\n\"0,45\"\n", kb());
    assert_eq!(
        problem_lines(&b),
        vec![
            "row 2, column `success_rate`: `0,45` has a decimal comma: write 0.45 (a decimal point and no thousands separators)"
        ]
    );
}

#[test]
fn a_row_with_too_many_fields_is_reported_and_the_next_still_computed() {
    let b = batch::run(&Scenario::example(), "name\nA,1\nB\n", kb());
    assert_eq!(
        problem_lines(&b),
        vec!["row 2: expected 1 fields, one per column of the header, found 2 fields"]
    );
    assert_eq!(b.cases().count(), 1);
}

#[test]
fn a_duplicate_column_is_a_header_problem() {
    let b = batch::run(&Scenario::example(), "name,name\nA,B\n", kb());
    assert_eq!(
        problem_lines(&b)[0],
        "row 1, column `name`: the same column a second time"
    );
}

#[test]
fn blank_lines_are_skipped_and_rows_keep_their_spreadsheet_numbers() {
    let b = batch::run(&Scenario::example(), "name\nA\n\nB\n", kb());
    let rows: Vec<usize> = b.rows.iter().map(|r| r.row).collect();
    assert_eq!(rows, vec![2, 4]);
}

// The command line.

fn temp_file(name: &str, text: &str) -> PathBuf {
    common::temp_file("batch", name, text)
}

#[test]
fn cli_prints_good_rows_to_stdout_problems_to_stderr_and_fails() {
    let rows = temp_file("mixed.csv", MIXED);
    let out = som()
        .args(["batch", "examples/housing-first.json"])
        .arg(&rows)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stdout.contains("Small"), "{stdout}");
    assert!(stdout.contains("Cheap team"));
    assert!(stdout.contains("6 row(s): 2 computed, 4 with problems"));
    assert!(stdout.contains("Comparison of business cases"));
    for expected in [
        "mixed.csv: row 3, column `participants`",
        "mixed.csv: row 4, column `success_rate` ($.effect.success_rate)",
        "mixed.csv: row 5, column `cost.Teem`",
        "mixed.csv: row 6, column `sucess_rate`",
    ] {
        assert!(stderr.contains(expected), "{expected} not in {stderr}");
    }
}

#[test]
fn cli_json_lists_rows_problems_and_the_comparison() {
    let rows = temp_file("mixed-json.csv", MIXED);
    let out = som()
        .args(["batch", "examples/housing-first.json"])
        .arg(&rows)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rows"].as_array().unwrap().len(), 6);
    assert_eq!(v["rows"][0]["ok"], true);
    assert_eq!(v["rows"][2]["ok"], false);
    assert_eq!(v["rows"][2]["problems"][0]["columns"][0], "success_rate");
    assert_eq!(v["rows"][2]["problems"][0]["path"], "$.effect.success_rate");
    assert_eq!(v["header_problems"].as_array().unwrap().len(), 2);
    assert_eq!(v["comparison"]["scenarios"].as_array().unwrap().len(), 2);
    assert_eq!(
        v["rows"][0]["summary"]["npv"]["total"],
        v["comparison"]["rows"][7]["values"][0]
    );
}

#[test]
fn cli_succeeds_on_a_clean_batch_and_csv_gives_the_rows() {
    let rows = temp_file("clean.csv", "name,participants\nA,10\nB,20\n");
    let out = som()
        .args(["batch", "examples/housing-first.json"])
        .arg(&rows)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stderr.is_empty());
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("metric,better,A,B,best"));
    assert_eq!(lines.next(), Some("row,,2,3,"));
    assert_eq!(lines.next(), Some("participants,higher,30,60,B"));
}

#[test]
fn cli_fails_cleanly_on_a_missing_rows_file_or_a_bad_template() {
    let out = som()
        .args(["batch", "examples/housing-first.json", "no-such.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such.csv: cannot read the rows"));

    let template = temp_file("bad-template.json", "{\"name\": 1}");
    let rows = temp_file("rows.csv", "name\nA\n");
    let out = som()
        .arg("batch")
        .arg(&template)
        .arg(&rows)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad-template.json"));
}

#[test]
fn cli_help_shows_the_columns_and_an_example() {
    let out = som().args(["batch", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("price.<service>.kommune|region|stat|price_year"));
    assert!(help.contains("som batch examples/batch/template.json"));
}

// The shipped example (examples/batch/README.md states these figures).

#[test]
fn the_example_pool_computes_every_municipality_as_its_readme_says() {
    let out = som()
        .args([
            "batch",
            "examples/batch/template.json",
            "examples/batch/municipalities.csv",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["comparison"]["rows"].as_array().unwrap();
    let row = |metric: &str| rows.iter().find(|r| r["metric"] == metric).unwrap().clone();
    let value = |metric: &str, i: usize| -> Decimal {
        row(metric)["values"][i].as_str().unwrap().parse().unwrap()
    };
    let best = |metric: &str| -> Vec<bool> {
        serde_json::from_value(row(metric)["best"].clone()).unwrap()
    };
    assert_eq!(v["comparison"]["scenarios"].as_array().unwrap().len(), 5);
    assert_eq!(v["comparison"]["comparable"], true);
    assert_eq!(best("npv_total"), [true, false, false, false, false]);
    // The figures below were checked row by row with the independent reference
    // (tests/independent/som_reference.py on each row's scenario: the template
    // with the row's cells applied): A 16.311.389,01 kr.; D's ratio 2,1846;
    // break-even 2030, 2030, 2032, 2030, 2032.
    assert_eq!(som::report::kroner(value("npv_total", 0)), "16,311,389");
    assert_eq!(
        best("benefit_cost_ratio"),
        [false, false, false, true, false]
    );
    assert_eq!(
        som::report::fixed(Some(value("benefit_cost_ratio", 3)), 2),
        "2.18"
    );
    assert_eq!(
        best("npv_per_participant"),
        [false, false, false, true, false]
    );
    let break_even: Vec<i64> = (0..5)
        .map(|i| row("break_even_year")["values"][i].as_i64().unwrap())
        .collect();
    assert_eq!(break_even, [2030, 2030, 2032, 2030, 2032]);
    for i in [2, 4] {
        assert!(value("npv_kommune", i) < Decimal::ZERO);
        assert!(value("npv_stat", i) > Decimal::ZERO);
    }
}

#[test]
fn the_example_with_errors_reports_exactly_what_its_readme_shows() {
    let out = som()
        .args([
            "batch",
            "examples/batch/template.json",
            "examples/batch/with-errors.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let readme = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/batch/README.md"
    ))
    .unwrap();
    let shown = readme
        .split("```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    assert_eq!(String::from_utf8(out.stderr).unwrap(), shown);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("F: good row (illustrative)"));
    assert!(stdout.contains("L: good row (illustrative)"));
    assert!(stdout.contains("7 row(s): 2 computed, 5 with problems"));
}

#[test]
fn compare_works_on_the_shipped_examples() {
    let out = som()
        .args([
            "compare",
            "examples/housing-first.json",
            "examples/batch/template.json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn semicolon_separated_rows_are_read() {
    let b = batch::run(&Scenario::example(), "name;participants\nA;10\n", kb());
    assert!(b.is_ok(), "{:?}", problem_lines(&b));
    assert_eq!(b.cases().next().unwrap().summary.participants, dec("30"));
}

#[test]
fn unnamed_trailing_columns_are_ignored_unless_they_hold_a_value() {
    let b = batch::run(
        &Scenario::example(),
        "name,participants,,\nA,10,,\nB,10,,7\n",
        kb(),
    );
    assert_eq!(
        problem_lines(&b),
        vec!["row 3, column `#4`: a value (`7`) in a column without a name"]
    );
    assert_eq!(b.cases().count(), 1);
}

#[test]
fn an_empty_file_is_a_header_problem() {
    let b = batch::run(&Scenario::example(), "", kb());
    assert_eq!(
        problem_lines(&b),
        vec!["row 1: expected a header line naming the columns, found an empty header"]
    );
    assert!(b.rows.is_empty());
}

#[test]
fn windows_line_endings_and_a_byte_order_mark_are_read() {
    let b = batch::run(
        &Scenario::example(),
        "\u{feff}name,participants\r\nA,10\r\nB,x\r\n",
        kb(),
    );
    assert_eq!(
        problem_lines(&b),
        vec!["row 3, column `participants`: expected a number, found `x`"]
    );
}

#[test]
fn cli_out_dir_writes_each_computed_rows_business_case() {
    let rows = temp_file("out-dir.csv", "name,participants\nA,10\nB,x\nC,20\n");
    let dir = std::env::temp_dir().join(format!("som-batch-out-{}", std::process::id()));
    let out = som()
        .args(["batch", "examples/housing-first.json"])
        .arg(&rows)
        .args(["--format", "json", "--out-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(dir.join("row-2.json").exists());
    assert!(!dir.join("row-3.json").exists());
    let c: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("row-4.json")).unwrap()).unwrap();
    assert_eq!(c["scenario"], "C");
    assert_eq!(c["summary"]["participants"], "60");
}
