//! Refund rules that depend on use (issue 15 item 7): where a potential
//! calculation's baseline gives days per citizen, the kommune/state split of
//! a section 110 shelter stay follows the rule in force (the state refunds
//! 50 % of the first 120 days a citizen uses in a year) instead of the
//! average user's fixed split.
//!
//! The knowledge base here is the frozen one in `tests/data/kb` with its
//! shelter price given two dated periods and their rules, so the figures
//! below depend on nothing that the shipped knowledge base may change:
//! 1.506,85 kr. a day in 2023 prices (kommune 805,99 + stat 700,86), and
//! the PL index 2023 → 2024 of the frozen base, × 1,04.

mod common;

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Value, json};
use som::KnowledgeBase;
use som::knowledge_base::FILES;
use som::potential::{Potential, TargetGroupToday};

use common::{som, temp_file};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

const FROZEN_KB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/kb");

/// The frozen knowledge base's files, with `edit` applied to the shelter
/// service's record.
fn kb_files(edit: impl FnOnce(&mut Value)) -> Vec<(String, String)> {
    let dir = std::path::Path::new(FROZEN_KB);
    // The frozen copy predates the optional committees file.
    let mut files: Vec<(String, String)> = FILES
        .iter()
        .filter(|f| dir.join(f).exists())
        .map(|f| (f.to_string(), std::fs::read_to_string(dir.join(f)).unwrap()))
        .collect();
    let i = FILES.iter().position(|f| *f == "services.json").unwrap();
    let mut doc: Value = serde_json::from_str(&files[i].1).unwrap();
    let shelter = doc["services"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["id"] == "shelter-day")
        .unwrap();
    edit(shelter);
    files[i].1 = serde_json::to_string_pretty(&doc).unwrap();
    files
}

/// Until 30 September 2023 the state refunds half of every day; from
/// 1 October 2023 half of the first 120 days. Each period's parts are the
/// frozen base's total (1.506,85) split for some average user; the rule is
/// what a potential applies to the citizens' own days.
fn with_rules(shelter: &mut Value) {
    shelter["price"]["dated_splits"] = json!([
        {"to": "2023-09-30", "kommune": "753.42", "region": "0", "stat": "753.43",
         "refund": {"stat_share": "0.5"}},
        {"from": "2023-10-01", "kommune": "805.99", "region": "0", "stat": "700.86",
         "refund": {"stat_share": "0.5", "first_days": 120}}
    ]);
}

fn kb() -> &'static KnowledgeBase {
    static KB: std::sync::OnceLock<KnowledgeBase> = std::sync::OnceLock::new();
    KB.get_or_init(|| KnowledgeBase::from_texts(&kb_files(with_rules)).unwrap())
}

/// Ten citizens with 150 shelter days each a year; a success keeps half.
fn ten_citizens(use_year: Option<i64>) -> String {
    let year = use_year.map_or(String::new(), |y| format!(r#""use_year": {y},"#));
    format!(
        r#"{{"name": "Ten citizens", "citizens": 10, "price_year": 2024, {year}
            "success_keeps": "0.5", "success_rates": [1],
            "use": [{{"service": "shelter-day", "per_citizen": 150}}],
            "scenario": {{"target_group": "homeless-adults",
                         "success_measure": "exits-homelessness",
                         "start_year": 2026, "horizon_years": 2, "success_rate": 1}}}}"#
    )
}

fn potential(use_year: Option<i64>) -> Potential {
    let (input, problems) = TargetGroupToday::from_json(&ten_citizens(use_year), "ten.json");
    assert!(problems.is_empty(), "{problems:?}");
    Potential::compute(&input.unwrap(), kb()).unwrap()
}

#[test]
fn the_state_pays_half_of_each_citizens_first_120_days_and_the_kommune_the_rest() {
    let p = potential(None);
    let shelter = &p.services[0];
    // Use year = price year 2024: the 120-day rule (in force on 1 July 2024).
    assert_eq!(p.use_year, 2024);
    let refund = shelter.refund.as_ref().expect("the rule was applied");
    assert_eq!(refund.from.as_deref(), Some("2023-10-01"));
    // 0,5 × min(150, 120) = 60 of each citizen's 150 days.
    assert_eq!(refund.refunded_days_per_citizen, d("60"));
    // Public cost: 10 × 150 × 1.506,85 × 1,04 = 2.350.686.
    // State: 10 × 60 × 1.506,85 × 1,04 = 940.274,4; kommune the rest,
    // 1.410.411,6. (The average split would give the state 700,86/1.506,85
    // of it, 1.093.337,6: the citizens' 150 days are above the average.)
    assert_eq!(shelter.cost.stat, d("940274.4"));
    assert_eq!(shelter.cost.kommune, d("1410411.6"));
    assert_eq!(shelter.cost.region, Decimal::ZERO);
    // A success keeps 75 days: it avoids days 76-150, of which 76-120 (45
    // days) were half refunded: the state saves 10 × 22,5 × 1.506,85 × 1,04
    // = 352.602,9 of the 1.175.343 saved; the kommune 822.740,1.
    assert_eq!(shelter.saving_if_all.stat, d("352602.9"));
    assert_eq!(shelter.saving_if_all.kommune, d("822740.1"));
    assert_eq!(p.per_success.stat, d("35260.29"));
    assert_eq!(p.per_success.kommune, d("82274.01"));
}

#[test]
fn the_use_year_picks_the_rule_in_force_then() {
    let p = potential(Some(2023));
    assert_eq!(p.use_year, 2023);
    let shelter = &p.services[0];
    // 1 July 2023: half of every day. State 0,5 × 2.350.686 = 1.175.343,
    // and half of the 75 avoided days: 0,5 × 750 × 1.506,85 × 1,04 = 587.671,5.
    assert_eq!(shelter.refund.as_ref().unwrap().rule.first_days, None);
    assert_eq!(shelter.cost.stat, d("1175343"));
    assert_eq!(shelter.cost.kommune, d("1175343"));
    assert_eq!(shelter.saving_if_all.stat, d("587671.5"));
}

#[test]
fn a_price_without_rules_keeps_its_split() {
    let frozen = KnowledgeBase::load(FROZEN_KB).unwrap();
    let (input, _) = TargetGroupToday::from_json(&ten_citizens(None), "ten.json");
    let p = Potential::compute(&input.unwrap(), &frozen).unwrap();
    // 1.500 days × 700,86 × 1,04 = 1.093.341,6 for the state, as before.
    assert!(p.services[0].refund.is_none());
    assert_eq!(p.services[0].cost.stat, d("1093341.6"));
}

#[test]
fn the_scenario_it_implies_splits_the_avoided_days_as_the_rule_does() {
    let scenario = potential(None).scenario().unwrap();
    let price = &scenario.prices["shelter-day"];
    // Of the 75 days a success avoids, 22,5 are the state's:
    // 1.506,85 × 22,5 / 75 = 452,055, to the øre (half to even) 452,06;
    // the kommune 1.506,85 − 452,06 = 1.054,79; in the price's own year.
    assert_eq!(price.stat, d("452.06"));
    assert_eq!(price.kommune, d("1054.79"));
    assert_eq!(price.price_year, 2023);
    // The business case of that scenario: 10 successes × 75 days, in 2024
    // prices (× 1,04): state 750 × 452,06 × 1,04 = 352.606,8 in year 0,
    // the potential's 352.602,9 but for the rounding to the øre.
    let case = som::evaluate(&scenario, kb()).unwrap();
    let json: Value =
        serde_json::from_str(&som::report::render(&case, som::report::Format::Json).unwrap())
            .unwrap();
    let year0 = &json["years"][0]["gains"];
    assert_eq!(d(year0["stat"].as_str().unwrap()), d("352606.8"));
}

#[test]
fn every_view_names_the_rule_and_json_gives_it_exactly() {
    let dir = temp_file("refund-by-use", "ten.json", &ten_citizens(None));
    let kb_dir = dir.with_file_name("kb");
    std::fs::create_dir_all(&kb_dir).unwrap();
    for (name, text) in kb_files(with_rules) {
        std::fs::write(kb_dir.join(name), text).unwrap();
    }
    let run = |args: &[&str]| {
        let out = som()
            .args(["--kb", kb_dir.to_str().unwrap(), "potential"])
            .arg(&dir)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let json: Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    let refund = &json["services"][0]["refund"];
    assert_eq!(refund["first_days"], 120);
    assert_eq!(refund["stat_share"], "0.5");
    assert_eq!(refund["refunded_days_per_citizen"], "60");
    assert_eq!(json["use_year"], 2024);
    // Kommune's share of the cost: 1.410.411,6 / 2.350.686 = 60 %.
    let table = run(&[]);
    assert!(table.contains("as in force on 1 July 2024"), "{table}");
    assert!(table.contains("the first 120"), "{table}");
    assert!(table.contains("60.0 %"), "{table}");
    let danish = run(&["--lang", "da"]);
    assert!(danish.contains("som de gjaldt 1. juli 2024"), "{danish}");
    assert!(danish.contains("de første 120"), "{danish}");
    assert!(danish.contains("60,0 %"), "{danish}");
}

#[test]
fn the_loader_refuses_a_share_above_one_too_many_days_and_a_rule_on_a_monthly_price() {
    let problems = |edit: fn(&mut Value)| match KnowledgeBase::from_texts(&kb_files(edit)) {
        Ok(_) => panic!("a bad rule loaded"),
        Err(e) => e
            .problems()
            .iter()
            .map(|p| format!("{} {}", p.path, p.expected))
            .collect::<Vec<_>>(),
    };
    let found = problems(|shelter| {
        with_rules(shelter);
        shelter["price"]["dated_splits"][1]["refund"] =
            json!({"stat_share": "1.5", "first_days": 400});
    });
    let has = |needle: &str| found.iter().any(|p| p.contains(needle));
    assert!(
        has("dated_splits[1].refund.stat_share a share between 0 and 1"),
        "{found:#?}"
    );
    assert!(
        has("dated_splits[1].refund.first_days a number of days in a year"),
        "{found:#?}"
    );
    let found = problems(|shelter| {
        with_rules(shelter);
        shelter["unit"] = json!({"da": "måned", "en": "month"});
    });
    assert!(
        found
            .iter()
            .any(|p| p.contains("dated_splits[0].refund a service priced per day")),
        "{found:#?}"
    );
}
