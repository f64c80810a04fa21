//! Costs over a course: a cost per participant every year for N years from
//! the cohort's entry year (two years of support per citizen), costs that
//! fall on the region or the state, and a cost's evidence grade. The figures
//! are checked by hand; the f64 fast path and the recalculated workbook are
//! checked against them.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Value, json};
use som::report::Lang;
use som::{KnowledgeBase, Scenario};

fn kb() -> &'static KnowledgeBase {
    KnowledgeBase::embedded()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// 10 citizens enter in year 0 and 5 in year 1; support of 1.000 kr. a year
/// for two years per citizen, paid by the region; a 300 kr. state-paid
/// screening per citizen in the entry year; a constant discount rate of 25 %
/// (DF = 1, 0.8, 0.64, 0.512: exact decimals).
fn scenario_json() -> Value {
    json!({
        "name": "Two years of support",
        "target_group": "homeless-adults",
        "success_measure": "exits-homelessness",
        "start_year": 2026,
        "horizon_years": 4,
        "discounting": {"constant": "0.25"},
        "cohorts": [{"year": 0, "participants": 10}, {"year": 1, "participants": 5}],
        "effect": {"success_rate": "0.5", "baseline_rate": "0.2"},
        "costs": [
            {"label": "Support", "kind": "per_participant", "years": 2, "amount": 1000, "payer": "region", "grade": 3},
            {"label": "Screening", "kind": "per_participant", "amount": 300, "payer": "stat"}
        ],
        "consequences": [{"service": "shelter-day", "profile": [-10]}]
    })
}

fn read(json: &Value) -> Scenario {
    Scenario::from_json_named(&json.to_string(), "course.json").unwrap()
}

fn problem_paths(json: &Value) -> Vec<String> {
    read(json)
        .resolve(kb())
        .unwrap_err()
        .problems()
        .iter()
        .map(|p| format!("{} {}", p.file, p.path))
        .collect()
}

#[test]
fn a_course_cost_falls_on_each_cohort_every_year_of_its_course() {
    let case = som::evaluate(&read(&scenario_json()), kb()).unwrap();
    // By hand, region: year 0: 10 · 1.000 = 10.000; year 1: (10 + 5) · 1.000
    // = 15.000; year 2: the year-1 cohort's second year, 5 · 1.000 = 5.000;
    // year 3: nothing.
    let region: Vec<Decimal> = case.years.iter().map(|y| y.costs.region).collect();
    assert_eq!(region, vec![d("10000"), d("15000"), d("5000"), d("0")]);
    // State: the screening in the entry year only: 3.000, 1.500, 0, 0.
    let stat: Vec<Decimal> = case.years.iter().map(|y| y.costs.stat).collect();
    assert_eq!(stat, vec![d("3000"), d("1500"), d("0"), d("0")]);
    assert!(case.years.iter().all(|y| y.costs.kommune.is_zero()));
    // PV: region 10.000 + 15.000 · 0.8 + 5.000 · 0.64 = 25.200;
    // state 3.000 + 1.500 · 0.8 = 4.200; total 29.400.
    assert_eq!(case.summary.pv_costs.region, d("25200"));
    assert_eq!(case.summary.pv_costs.stat, d("4200"));
    assert_eq!(case.summary.pv_costs.total, d("29400"));
}

#[test]
fn a_course_past_the_horizon_ends_with_it() {
    // A three-year course for a cohort entering in the last year counts that
    // year only, as consequences past the horizon do.
    let mut json = scenario_json();
    json["cohorts"] = json!([{"year": 3, "participants": 4}]);
    json["costs"] = json!([{"label": "Support", "kind": "per_participant", "years": 3, "amount": 1000, "payer": "kommune"}]);
    let case = som::evaluate(&read(&json), kb()).unwrap();
    let kommune: Vec<Decimal> = case.years.iter().map(|y| y.costs.kommune).collect();
    assert_eq!(kommune, vec![d("0"), d("0"), d("0"), d("4000")]);
}

#[test]
fn a_one_year_course_is_the_cost_per_participant_it_always_was() {
    let mut json = scenario_json();
    json["costs"][0]["years"] = json!(1);
    let explicit = som::evaluate(&read(&json), kb()).unwrap();
    json["costs"][0].as_object_mut().unwrap().remove("years");
    let default = som::evaluate(&read(&json), kb()).unwrap();
    assert_eq!(explicit.years, default.years);
    assert_eq!(explicit.summary, default.summary);
    // 10 and 5 citizens at 1.000 kr. in their entry years: 10.000, 5.000.
    assert_eq!(default.years[1].costs.region, d("5000"));
}

#[test]
fn the_fast_path_agrees_with_the_hand_computed_costs() {
    let model = read(&scenario_json()).resolve(kb()).unwrap();
    let fast = som::analysis::FastModel::new(&model);
    let outcome = fast.evaluate(&fast.base_point());
    assert!(
        (outcome.pv_costs - 29_400.0).abs() < 1e-9,
        "{}",
        outcome.pv_costs
    );
    // Doubling the participants doubles a course cost too.
    let mut point = fast.base_point();
    point.participants_scale = 2.0;
    assert!((fast.evaluate(&point).pv_costs - 58_800.0).abs() < 1e-9);
}

#[test]
fn break_even_counts_a_course_at_its_entry_year_equivalent() {
    let model = read(&scenario_json()).resolve(kb()).unwrap();
    let b = som::analysis::break_even(&model).unwrap();
    // Discounted participants: 10 + 5 · 0.8 = 14. The support's PV per krone
    // of its amount is 25.2 (above), so its entry-year equivalent is
    // 1.000 · 25.2 / 14 = 1.800; with the screening's 300: 2.100.
    assert_eq!(b.current_cost_per_participant, d("2100"));
}

#[test]
fn bad_course_lengths_and_grades_are_reported_with_file_and_path() {
    let mut json = scenario_json();
    json["costs"][0]["years"] = json!(0);
    json["costs"][0]["grade"] = json!(6);
    json["costs"][1] = json!({"label": "Training", "kind": "one_off", "year": 0, "years": 2, "amount": 100, "payer": "kommune"});
    let paths = problem_paths(&json);
    for path in ["$.costs[0].years", "$.costs[0].grade", "$.costs[1].years"] {
        assert!(
            paths.contains(&format!("course.json {path}")),
            "no problem at {path}: {paths:?}"
        );
    }
    let mut json = scenario_json();
    json["costs"][0]["years"] = json!(101);
    assert!(problem_paths(&json).contains(&"course.json $.costs[0].years".to_owned()));
}

#[test]
fn json_lists_the_costs_with_their_course_and_grade() {
    let case = som::evaluate(&read(&scenario_json()), kb()).unwrap();
    let value = som::report::json::value(&case);
    let support = &value["assumptions"]["costs"][0];
    assert_eq!(support["kind"], "per_participant");
    assert_eq!(support["years"], 2);
    assert_eq!(support["payer"], "region");
    assert_eq!(support["grade"], 3);
    assert_eq!(support["amount"], "1000");
    assert_eq!(value["years"][1]["costs"]["region"], "15000");
    // The example, without courses or grades, lists no costs (as before).
    let example = som::evaluate(&Scenario::example(), kb()).unwrap();
    assert!(
        som::report::json::value(&example)["assumptions"]
            .get("costs")
            .is_none()
    );
}

#[test]
fn table_markdown_and_html_describe_the_course() {
    let case = som::evaluate(&read(&scenario_json()), kb()).unwrap();
    let table = som::report::table::render(&case);
    assert!(
        table.contains(
            "Support: 1,000 kr. per participant every year for 2 years from entry, region, grade 3"
        ),
        "{table}"
    );
    let markdown = som::report::markdown::report(&case, Lang::Da, kb(), &[]);
    assert!(
        markdown.contains("pr. deltager hvert år i 2 år fra startåret, region, evidensgrad 3"),
        "{markdown}"
    );
    let html = som::report::html::render(&case, Lang::En, kb());
    assert!(html.contains("every year for 2 years from entry"));
}

#[test]
fn the_workbook_computes_the_course_and_follows_an_edit_of_the_participants() {
    use ironcalc::base::{Model, cell::CellValue};

    let scenario = read(&scenario_json());
    let case = som::evaluate(&scenario, kb()).unwrap();
    let bytes = som::report::xlsx::render(&scenario, kb(), Lang::En).unwrap();
    let workbook = ironcalc::import::load_from_xlsx_bytes(&bytes, "case", "en", "UTC").unwrap();
    let mut model = Model::from_workbook(workbook, "en").unwrap();
    model.evaluate();
    let row_of = |model: &Model, sheet: u32, label: &str| {
        (1..300)
            .find(|&r| {
                matches!(model.get_cell_value_by_index(sheet, r, 1),
                         Ok(CellValue::String(s)) if s.trim() == label)
            })
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    let number = |model: &Model, sheet: u32, row: i32, col: i32| match model
        .get_cell_value_by_index(sheet, row, col)
    {
        Ok(CellValue::Number(v)) => v,
        other => panic!("({row}, {col}): {other:?}"),
    };
    // Summary sheet: PV costs, columns kommune, region, stat, total.
    let costs = row_of(&model, 3, "Costs");
    let pv = &case.summary.pv_costs;
    for (col, expected) in [(3, pv.region), (4, pv.stat), (5, pv.total)] {
        let found = number(&model, 3, costs, col);
        assert!(
            (found - expected.to_f64().unwrap()).abs() < 0.005,
            "{found} vs {expected}"
        );
    }
    // Edit the year-1 cohort on the Inputs sheet from 5 to 7 citizens: the
    // support's PV grows by 2 · 1.000 · (0.8 + 0.64) = 2.880 and the
    // screening's by 2 · 300 · 0.8 = 480, to 29.400 + 3.360 = 32.760.
    let participants = row_of(&model, 0, "Participants entering (n)");
    model
        .set_user_input(0, participants, 3, "7".to_owned())
        .unwrap();
    model.evaluate();
    let found = number(&model, 3, costs, 5);
    assert!((found - 32_760.0).abs() < 0.005, "{found}");
}
