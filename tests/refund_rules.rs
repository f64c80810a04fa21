//! Refund rules that changed over time (issue 13 item 5): a price's split
//! between payers is stored with its dates and a case uses the split in
//! force in its first year. The section 110 shelter refund is the case in
//! point: 50 % of every day until 30 September 2023, 50 % of the first 120
//! days a year until 31 March 2026, 50 % of the first 90 days after that.

use rust_decimal::Decimal;
use som::knowledge_base::FILES;
use som::report::{Format, render};
use som::{KnowledgeBase, Scenario};

fn kb() -> &'static KnowledgeBase {
    KnowledgeBase::embedded()
}

fn housing_first_starting(year: i32) -> som::BusinessCase {
    let scenario = Scenario::from_json(&format!(
        r#"{{"name": "shelter split", "target_group": "homeless-adults",
            "success_measure": "exits-homelessness", "start_year": {year},
            "horizon_years": 2, "price_year": 2023, "discounting": "none",
            "cohorts": [{{"year": 0, "participants": 1}}],
            "effect": {{"success_rate": 1, "baseline_rate": 0}},
            "effect_lag_years": 0, "persistence": {{"annual_decay": 0}},
            "consequences": [{{"service": "shelter-day", "profile": [-1]}}]}}"#
    ))
    .unwrap();
    som::evaluate(&scenario, kb()).unwrap()
}

fn shelter_unit_price(case: &som::BusinessCase) -> som::Split {
    case.lines
        .iter()
        .find(|l| &*l.service == "shelter-day")
        .unwrap()
        .unit_price
}

#[test]
fn a_case_uses_the_shelter_refund_rule_in_force_in_its_first_year() {
    // Independent arithmetic on 550.000 / 365 = 1.506,849 kr. a day and the
    // average user's 129 days a year, rounded to the øre:
    //   until 30 Sep 2023: 50 % each              -> 753,42 / 753,42
    //   1 Oct 2023 - 31 Mar 2026: (60 + 9) / 129  -> 805,99 / 700,86
    //   from 1 Apr 2026: (45 + 39) / 129 = 65,1 % -> 981,20 / 525,65
    let day = Decimal::from(550_000) / Decimal::from(365);
    let share = |n: i64| (day * Decimal::from(n) / Decimal::from(129)).round_dp(2);
    let expected = [
        (2022, day / Decimal::TWO, day / Decimal::TWO),
        (2024, share(69), share(60)),
        (2025, share(69), share(60)),
        (2026, share(84), share(45)),
        (2030, share(84), share(45)),
    ];
    for (year, kommune, stat) in expected {
        let price = shelter_unit_price(&housing_first_starting(year));
        assert_eq!(price.kommune, kommune.round_dp(2), "kommune, {year}");
        assert_eq!(price.stat, stat.round_dp(2), "stat, {year}");
        assert_eq!(price.region, Decimal::ZERO);
        // The rule moves money between payers, never the total (to the øre).
        assert!((price.total - day).abs() <= Decimal::new(2, 2), "{year}");
    }
}

#[test]
fn the_kommune_share_after_phase_in_is_84_of_129_days() {
    let price = shelter_unit_price(&housing_first_starting(2027));
    let share = price.kommune / price.total;
    let expected = Decimal::from(84) / Decimal::from(129);
    assert!((share - expected).abs() < Decimal::new(1, 5), "{share}");
}

#[test]
fn outputs_name_the_dated_split_they_used() {
    let case = housing_first_starting(2024);
    let json: serde_json::Value =
        serde_json::from_str(&render(&case, Format::Json).unwrap()).unwrap();
    let used = &json["assumptions"]["dated_payer_splits"][0];
    assert_eq!(used["service"], "shelter-day");
    assert_eq!(used["from"], "2023-10-01");
    assert_eq!(used["to"], "2026-03-31");
    assert_eq!(used["year"], 2024);
    let table = render(&case, Format::Table).unwrap();
    assert!(
        table.contains(
            "shelter-day: the payer split from 2023-10-01 to 2026-03-31, in force in 2024"
        ),
        "{table}"
    );
}

#[test]
fn a_price_override_in_the_scenario_is_used_as_given() {
    let scenario = Scenario::from_json(
        r#"{"name": "override", "target_group": "homeless-adults",
            "success_measure": "exits-homelessness", "start_year": 2022,
            "horizon_years": 1, "price_year": 2023, "discounting": "none",
            "cohorts": [{"year": 0, "participants": 1}],
            "effect": {"success_rate": 1, "baseline_rate": 0}, "effect_lag_years": 0,
            "consequences": [{"service": "shelter-day", "profile": [-1]}],
            "prices": {"shelter-day": {"kommune": 100, "region": 0, "stat": 0, "price_year": 2023}}}"#,
    )
    .unwrap();
    let case = som::evaluate(&scenario, kb()).unwrap();
    assert_eq!(shelter_unit_price(&case).kommune, Decimal::from(100));
    assert!(case.context.dated_splits.is_empty());
}

fn with_services(edit: impl FnOnce(&mut serde_json::Value)) -> Vec<som::Problem> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge-base");
    let mut files: Vec<(String, String)> = FILES
        .iter()
        .map(|f| (f.to_string(), std::fs::read_to_string(dir.join(f)).unwrap()))
        .collect();
    let i = FILES.iter().position(|f| *f == "services.json").unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&files[i].1).unwrap();
    let shelter = doc["services"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["id"] == "shelter-day")
        .unwrap();
    edit(&mut shelter["price"]["dated_splits"]);
    files[i].1 = doc.to_string();
    match KnowledgeBase::from_texts(&files) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems().to_vec(),
    }
}

#[test]
fn the_loader_refuses_gaps_bad_dates_and_splits_that_change_the_total() {
    let problems = with_services(|splits| {
        splits[1]["from"] = serde_json::json!("2023-10-02");
        splits[2]["from"] = serde_json::json!("2026-02-30");
        splits[0]["kommune"] = serde_json::json!("800");
    });
    let paths: Vec<String> = problems
        .iter()
        .map(|p| format!("{} {}", p.path, p.expected))
        .collect();
    let has = |needle: &str| paths.iter().any(|p| p.contains(needle));
    assert!(
        has("dated_splits[1].from the day after the previous period's `to`"),
        "{paths:#?}"
    );
    assert!(has("dated_splits[2].from a date YYYY-MM-DD"), "{paths:#?}");
    assert!(has("dated_splits[0] the price's total"), "{paths:#?}");
}

#[test]
fn the_loader_refuses_a_price_whose_own_split_is_not_the_last_periods() {
    let problems = with_services(|splits| {
        splits[2]["kommune"] = serde_json::json!("805.99");
        splits[2]["stat"] = serde_json::json!("700.86");
    });
    assert!(
        problems
            .iter()
            .any(|p| p.expected.contains("the parts of the last dated split")),
        "{problems:#?}"
    );
}
