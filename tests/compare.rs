//! `som compare` and the compare API: best values, comparability, and
//! agreement with the single business case.

mod common;
use common::som;
use std::path::PathBuf;

use rust_decimal::Decimal;
use som::compare::{Better, Comparison, Difference};
use som::scenario::Discounting;
use som::{BusinessCase, KnowledgeBase, Scenario};

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn example_case() -> BusinessCase {
    som::evaluate(&Scenario::example(), KnowledgeBase::embedded()).unwrap()
}

/// A case with hand-set summary figures; everything else from the example.
fn hand_made(name: &str, npv: i64, pv_costs: i64, break_even: Option<i32>) -> BusinessCase {
    let mut case = example_case();
    case.scenario = name.to_owned();
    case.summary.npv.total = Decimal::from(npv);
    case.summary.pv_costs.total = Decimal::from(pv_costs);
    case.summary.break_even_year = break_even;
    case
}

#[test]
fn higher_npv_lower_costs_and_earlier_break_even_are_best() {
    let c = Comparison::of(&[
        hand_made("A", 100, 50, Some(2030)),
        hand_made("B", 300, 70, Some(2029)),
        hand_made("C", 200, 40, None),
    ]);
    let npv = c.row("npv_total").unwrap();
    assert_eq!(npv.better, Better::Higher);
    assert_eq!(npv.best, vec![false, true, false]);
    let costs = c.row("pv_costs").unwrap();
    assert_eq!(costs.better, Better::Lower);
    assert_eq!(costs.best, vec![false, false, true]);
    let break_even = c.row("break_even_year").unwrap();
    assert_eq!(break_even.better, Better::Lower);
    assert_eq!(break_even.values[2], None);
    assert_eq!(break_even.best, vec![false, true, false]);
}

#[test]
fn break_even_is_ranked_by_years_after_the_start_not_by_calendar_year() {
    // A starts in 2026 and breaks even in 2031: 5 years after its start.
    // B starts in 2030 and breaks even in 2033: 3 years after its start.
    // C starts in 2020 and breaks even in 2024: 4 years after its start.
    // By calendar year C (2024) would be best; by years after the start B is.
    let mut a = hand_made("A", 100, 50, Some(2031));
    a.start_year = 2026;
    let mut b = hand_made("B", 100, 50, Some(2033));
    b.start_year = 2030;
    let mut c = hand_made("C", 100, 50, Some(2024));
    c.start_year = 2020;
    let comparison = Comparison::of(&[a, b, c]);
    let row = comparison.row("break_even_year").unwrap();
    // The values stay calendar years.
    assert_eq!(
        row.values,
        vec![
            Some(Decimal::from(2031)),
            Some(Decimal::from(2033)),
            Some(Decimal::from(2024))
        ]
    );
    assert_eq!(row.best, vec![false, true, false]);
    // Equal years after the start tie: 2031 − 2026 = 2035 − 2030 = 5.
    let mut d = hand_made("D", 100, 50, Some(2031));
    d.start_year = 2026;
    let mut e = hand_made("E", 100, 50, Some(2035));
    e.start_year = 2030;
    let tie = Comparison::of(&[d, e]);
    assert_eq!(tie.row("break_even_year").unwrap().best, vec![true, true]);
}

#[test]
fn ties_are_all_marked_and_missing_values_never() {
    let mut a = hand_made("A", 300, 50, None);
    let b = hand_made("B", 300, 60, None);
    a.summary.benefit_cost_ratio = None;
    let c = Comparison::of(&[a, b]);
    assert_eq!(c.row("npv_total").unwrap().best, vec![true, true]);
    // "never" breaks even in both: no value, nothing marked.
    assert_eq!(c.row("break_even_year").unwrap().best, vec![false, false]);
    assert_eq!(c.row("benefit_cost_ratio").unwrap().best, vec![false, true]);
}

#[test]
fn every_row_states_which_way_is_better() {
    let c = Comparison::of(&[example_case()]);
    let ways: Vec<(&str, Better)> = c.rows.iter().map(|r| (r.metric, r.better)).collect();
    use Better::{Higher, Lower};
    assert_eq!(
        ways,
        vec![
            ("participants", Higher),
            ("successes", Higher),
            ("pv_costs", Lower),
            ("pv_gains", Higher),
            ("npv_kommune", Higher),
            ("npv_region", Higher),
            ("npv_stat", Higher),
            ("npv_total", Higher),
            ("npv_per_participant", Higher),
            ("benefit_cost_ratio", Higher),
            ("break_even_year", Lower),
            ("break_even_success_rate", Lower),
        ]
    );
}

#[test]
fn a_comparison_holds_exactly_the_single_case_figures() {
    let case = example_case();
    let s = &case.summary;
    let c = Comparison::of(std::slice::from_ref(&case));
    let value = |m: &str| c.row(m).unwrap().values[0];
    assert_eq!(value("participants"), Some(s.participants));
    assert_eq!(value("successes"), Some(s.successes));
    assert_eq!(value("pv_costs"), Some(s.pv_costs.total));
    assert_eq!(value("pv_gains"), Some(s.pv_gains.total));
    assert_eq!(value("npv_kommune"), Some(s.npv.kommune));
    assert_eq!(value("npv_region"), Some(s.npv.region));
    assert_eq!(value("npv_stat"), Some(s.npv.stat));
    assert_eq!(value("npv_total"), Some(s.npv.total));
    assert_eq!(value("npv_per_participant"), s.npv_per_participant);
    assert_eq!(value("benefit_cost_ratio"), s.benefit_cost_ratio);
    assert_eq!(value("break_even_year"), Some(Decimal::from(2030)));
    assert_eq!(value("break_even_success_rate"), s.break_even_success_rate);
    // Hand check of two of them: 3 cohorts of 40; 120 · 0.9 · (0.45 - 0.20) = 27.
    assert_eq!(value("participants"), Some(dec("120")));
    assert_eq!(value("successes"), Some(dec("27")));
}

#[test]
fn same_footing_is_comparable() {
    let c = Comparison::of(&[example_case(), example_case()]);
    assert!(c.is_comparable());
    assert!(c.warnings().is_empty());
}

#[test]
fn a_different_price_year_is_flagged() {
    let mut s = Scenario::example();
    s.price_year = Some(2024);
    let other = som::evaluate(&s, KnowledgeBase::embedded()).unwrap();
    let c = Comparison::of(&[example_case(), other]);
    assert_eq!(c.not_comparable.len(), 1);
    let pair = &c.not_comparable[0];
    assert_eq!((pair.first, pair.second), (0, 1));
    assert_eq!(pair.differences.len(), 1);
    assert_eq!(pair.differences[0].kind, Difference::PriceYear);
    assert_eq!(pair.differences[0].first, "2025");
    assert_eq!(pair.differences[0].second, "2024");
    assert!(c.warnings()[0].contains("not comparable as they stand: price year: 2025 vs 2024"));
}

#[test]
fn a_different_knowledge_base_hash_is_flagged_even_with_the_same_version() {
    let mut other = example_case();
    std::sync::Arc::make_mut(&mut other.context).knowledge_base_hash = "0".repeat(64);
    let c = Comparison::of(&[example_case(), other]);
    assert_eq!(
        c.not_comparable[0].differences[0].kind,
        Difference::KnowledgeBase
    );
}

#[test]
fn a_different_discount_schedule_is_flagged() {
    let mut s = Scenario::example();
    s.discounting = Some(Discounting::Schedule("dk-fm-2013".into()));
    let other = som::evaluate(&s, KnowledgeBase::embedded()).unwrap();
    let c = Comparison::of(&[example_case(), other]);
    let d = &c.not_comparable[0].differences;
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].kind, Difference::Discounting);
    assert!(d[0].second.contains("dk-fm-2013"));
}

#[test]
fn discounting_is_compared_by_its_factors_not_its_name() {
    // Within ten years the 2021 schedule is a constant 3.5 %.
    let mut s = Scenario::example();
    s.discounting = Some(Discounting::Constant(dec("0.035")));
    let other = som::evaluate(&s, KnowledgeBase::embedded()).unwrap();
    let c = Comparison::of(&[example_case(), other]);
    assert!(c.is_comparable());
}

#[test]
fn every_pair_is_checked() {
    let mut s = Scenario::example();
    s.price_year = Some(2024);
    s.discounting = Some(Discounting::None);
    let odd = som::evaluate(&s, KnowledgeBase::embedded()).unwrap();
    let c = Comparison::of(&[example_case(), example_case(), odd]);
    let pairs: Vec<(usize, usize, usize)> = c
        .not_comparable
        .iter()
        .map(|p| (p.first, p.second, p.differences.len()))
        .collect();
    assert_eq!(pairs, vec![(0, 2, 2), (1, 2, 2)]);
}

// The command line.

fn temp_file(name: &str, text: &str) -> PathBuf {
    common::temp_file("compare", name, text)
}

fn example_with(name: &str, replace: (&str, &str)) -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/housing-first.json"
    ))
    .unwrap()
    .replace("Housing First (ICM), 40 citizens a year for 3 years", name)
    .replace(replace.0, replace.1)
}

#[test]
fn cli_json_equals_som_run_figures_exactly() {
    let small = temp_file(
        "small.json",
        &example_with("Small", ("\"participants\": 40", "\"participants\": 10")),
    );
    let out = som()
        .args(["compare", "examples/housing-first.json"])
        .arg(&small)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cmp: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for (column, file) in [
        (0, PathBuf::from("examples/housing-first.json")),
        (1, small),
    ] {
        let run = som()
            .arg("run")
            .arg(&file)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let run: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let summary = &run["summary"];
        let at = |metric: &str| {
            cmp["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["metric"] == metric)
                .unwrap()["values"][column]
                .clone()
        };
        assert_eq!(at("npv_total"), summary["npv"]["total"]);
        assert_eq!(at("npv_kommune"), summary["npv"]["kommune"]);
        assert_eq!(at("npv_stat"), summary["npv"]["stat"]);
        assert_eq!(at("pv_costs"), summary["pv_costs"]["total"]);
        assert_eq!(at("pv_gains"), summary["pv_gains"]["total"]);
        assert_eq!(at("benefit_cost_ratio"), summary["benefit_cost_ratio"]);
        assert_eq!(at("break_even_year"), summary["break_even_year"]);
        assert_eq!(
            at("break_even_success_rate"),
            summary["break_even_success_rate"]
        );
        assert_eq!(at("npv_per_participant"), summary["npv_per_participant"]);
        assert_eq!(at("participants"), summary["participants"]);
        assert_eq!(at("successes"), summary["successes"]);
    }
    assert_eq!(cmp["comparable"], true);
    assert_eq!(cmp["scenarios"][1]["name"], "Small");
}

#[test]
fn cli_table_marks_best_and_flags_a_different_price_year() {
    let other = temp_file(
        "py2024.json",
        &example_with(
            "Prices of 2024",
            ("\"price_year\": 2025", "\"price_year\": 2024"),
        ),
    );
    let out = som()
        .args(["compare", "examples/housing-first.json"])
        .arg(&other)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("#2  Prices of 2024 (2024 prices"));
    assert!(
        text.contains("NPV, total (kr.)             higher  11,685,965 *"),
        "{text}"
    );
    assert!(text.contains("NOT COMPARABLE AS THEY STAND"));
    assert!(text.contains("price year: 2025 vs 2024"));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("warning: "), "{stderr}");
}

#[test]
fn cli_csv_and_markdown_carry_best_and_flags() {
    let other = temp_file(
        "none.json",
        &example_with("Undiscounted", ("\"dk-fm-2021\"", "\"none\"")),
    );
    let csv = som()
        .args(["compare", "examples/housing-first.json"])
        .arg(&other)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(csv.status.success());
    let csv = String::from_utf8(csv.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "metric,better,\"Housing First (ICM), 40 citizens a year for 3 years\",Undiscounted,best"
        )
    );
    assert!(csv.contains("\nnpv_total,higher,11685964.97431730122186418"));
    assert!(
        csv.lines()
            .any(|l| l.starts_with("npv_total,") && l.ends_with(",Undiscounted"))
    );
    assert!(csv.contains("\nnot_comparable_with,,Undiscounted (discounting),"));

    let md = som()
        .args(["compare", "examples/housing-first.json"])
        .arg(&other)
        .args(["--format", "markdown"])
        .output()
        .unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.contains(
        "| Figure | Better | Housing First (ICM), 40 citizens a year for 3 years | Undiscounted |"
    ));
    assert!(md.contains("## Not comparable as they stand"));
}

#[test]
fn cli_names_the_file_of_a_bad_scenario_and_fails() {
    let bad = temp_file(
        "bad.json",
        &example_with(
            "Bad",
            ("\"completion_rate\": 0.9", "\"completion_rate\": 1.7"),
        ),
    );
    let out = som()
        .args(["compare", "examples/housing-first.json"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("bad.json"), "{stderr}");
    assert!(stderr.contains("$.completion_rate"), "{stderr}");

    let missing = som()
        .args(["compare", "no-such-file.json"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no-such-file.json"));
}

#[test]
fn cli_help_shows_an_example() {
    let out = som().args(["compare", "--help"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("som compare examples/housing-first.json")
    );
}
