//! `som potential`: the target group's cost today and the potential of a
//! success rate, from JSON and from CSV as Danish Excel saves it. Every
//! expected figure is worked out by hand in the comments, on the frozen
//! knowledge base in `tests/data/kb` (so new prices in the shipped one do
//! not move them).

mod common;

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;
use som::KnowledgeBase;
use som::potential::{Potential, TargetGroupToday};

use common::{som, temp_file};

const FROZEN_KB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/kb");

fn frozen_kb() -> &'static KnowledgeBase {
    static KB: std::sync::OnceLock<KnowledgeBase> = std::sync::OnceLock::new();
    KB.get_or_init(|| KnowledgeBase::load(FROZEN_KB).unwrap())
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// The decimal in a JSON string.
fn n(v: &Value) -> Decimal {
    d(v.as_str().unwrap_or_else(|| panic!("not a string: {v}")))
}

/// Ten citizens in 2024 prices. Prices (knowledge base):
/// shelter-day 2023: kommune 805.99, stat 700.86; the PL index 2023 → 2024 is
/// × 1.04. cash-benefit-month 2024: kommune 9860.8, stat 2465.2 (factor 1).
const TEN_CITIZENS: &str = r#"{
    "name": "Ten citizens",
    "citizens": 10,
    "price_year": 2024,
    "success_keeps": "0.25",
    "success_rates": [0.3, 1],
    "use": [
        {"service": "shelter-day", "per_citizen": 100, "success_keeps": 0},
        {"service": "cash-benefit-month", "total": 50}
    ],
    "scenario": {"target_group": "homeless-adults", "success_measure": "exits-homelessness",
                 "start_year": 2026, "horizon_years": 3, "success_rate": 0.3}
}"#;

fn ten_citizens() -> Potential {
    let (input, problems) = TargetGroupToday::from_json(TEN_CITIZENS, "ten.json");
    assert!(problems.is_empty(), "{problems:?}");
    Potential::compute(&input.unwrap(), frozen_kb()).unwrap()
}

#[test]
fn todays_cost_by_payer_and_area_is_use_times_price_in_the_price_year() {
    let p = ten_citizens();
    // Shelter: 10 × 100 = 1000 days; kommune 1000 × 805.99 × 1.04 = 838,229.6,
    // stat 1000 × 700.86 × 1.04 = 728,894.4.
    let shelter = &p.services[0];
    assert_eq!(shelter.total_use, d("1000"));
    assert_eq!(shelter.cost.kommune, d("838229.6"));
    assert_eq!(shelter.cost.stat, d("728894.4"));
    assert_eq!(shelter.unit_price.kommune, d("838.2296"));
    // Cash benefit: 50 months in all, 5 per citizen; kommune 50 × 9860.8 =
    // 493,040, stat 50 × 2465.2 = 123,260.
    let cash = &p.services[1];
    assert_eq!(cash.per_citizen, d("5"));
    assert_eq!(cash.cost.kommune, d("493040"));
    assert_eq!(cash.cost.stat, d("123260"));
    // Today: kommune 838,229.6 + 493,040 = 1,331,269.6; stat 728,894.4 +
    // 123,260 = 852,154.4; region 0.
    assert_eq!(p.today.kommune, d("1331269.6"));
    assert_eq!(p.today.stat, d("852154.4"));
    assert_eq!(p.today.region, Decimal::ZERO);
    // By area, in the knowledge base's order: housing, then employment.
    assert_eq!(p.by_area.len(), 2);
    assert_eq!(p.by_area[0].0, "housing");
    assert_eq!(p.by_area[0].1.kommune, d("838229.6"));
    assert_eq!(p.by_area[1].0, "employment");
    assert_eq!(p.by_area[1].1.stat, d("123260"));
}

#[test]
fn the_potential_is_the_rate_times_what_successes_no_longer_use() {
    let p = ten_citizens();
    // A success keeps none of the shelter days and 25 % of the cash benefit:
    // all successes save kommune 838,229.6 + 0.75 × 493,040 = 838,229.6 +
    // 369,780 = 1,208,009.6; stat 728,894.4 + 0.75 × 123,260 = 728,894.4 +
    // 92,445 = 821,339.4. Per success (÷ 10): 120,800.96 and 82,133.94.
    assert_eq!(p.per_success.kommune, d("120800.96"));
    assert_eq!(p.per_success.stat, d("82133.94"));
    // At 30 %: 3 successes; kommune 0.3 × 1,208,009.6 = 362,402.88, stat
    // 0.3 × 821,339.4 = 246,401.82.
    assert_eq!(p.rates[0].successes, d("3"));
    assert_eq!(p.rates[0].saving.kommune, d("362402.88"));
    assert_eq!(p.rates[0].saving.stat, d("246401.82"));
    // At 100 %: everything a success saves, 1,208,009.6 and 821,339.4.
    assert_eq!(p.rates[1].saving.kommune, d("1208009.6"));
    assert_eq!(p.rates[1].saving.stat, d("821339.4"));
}

#[test]
fn the_json_view_gives_exact_amounts_prices_with_their_sources_and_the_assumption() {
    let path = temp_file("potential", "ten.json", TEN_CITIZENS);
    let out = som()
        .args([
            "--kb",
            FROZEN_KB,
            "potential",
            path.to_str().unwrap(),
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
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Total today: 1,331,269.6 + 852,154.4 = 2,183,424.
    assert_eq!(n(&v["today"]["total"]), d("2183424"));
    // At 30 %: 362,402.88 + 246,401.82 = 608,804.70.
    assert_eq!(n(&v["potential"][0]["saving"]["total"]), d("608804.70"));
    assert_eq!(v["input"]["format"], "json");
    assert_eq!(n(&v["assumption"]["success_keeps"]), d("0.25"));
    assert!(v["assumption"]["text"].as_str().unwrap().contains("25.0 %"));
    let price = &v["services"][0]["price"];
    assert_eq!(price["price_year"], 2023);
    assert_eq!(n(&price["index_factor"]), d("1.04"));
    assert!(!price["sources"].as_array().unwrap().is_empty());
    assert_eq!(v["price_year"], 2024);
}

/// The same target group as a Danish spreadsheet saves it: semicolons,
/// decimal commas, Windows-1252 (the header's `ø` is the byte 0xF8).
fn danish_csv() -> Vec<u8> {
    let mut bytes = b"service;per_citizen;total;success_keeps\n".to_vec();
    bytes.extend_from_slice(b"shelter-day;100,0;;0\n");
    bytes.extend_from_slice(b"cash-benefit-month;;50;0,25\n");
    bytes
}

#[test]
fn a_danish_csv_in_windows_1252_gives_the_same_totals_and_says_how_it_was_read() {
    let path = temp_file("potential", "brug.csv", "");
    let mut bytes = danish_csv();
    // A note column would be refused; a Windows-1252 byte in a service id
    // makes the file not UTF-8 without changing the figures: row 4.
    bytes.extend_from_slice(b"v\xe6rested;1;;\n");
    std::fs::write(&path, bytes).unwrap();
    let out = som()
        .args([
            "--kb",
            FROZEN_KB,
            "potential",
            path.to_str().unwrap(),
            "--citizens",
            "10",
            "--success-keeps",
            "0.25",
            "--rate",
            "0.3",
            "--price-year",
            "2024",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The unknown service is a problem with its row and column; the rest is computed.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("read as windows-1252"), "{stderr}");
    assert!(
        stderr.contains("row 4, column `service`: expected a known service id, found `værested`"),
        "{stderr}"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["input"]["encoding"], "windows-1252");
    assert_eq!(v["input"]["separator"], ";");
    assert_eq!(v["input"]["format"], "csv");
    // As in the JSON test: today 2,183,424 in all, 608,804.70 at 30 %.
    assert_eq!(n(&v["today"]["total"]), d("2183424"));
    assert_eq!(n(&v["potential"][0]["saving"]["total"]), d("608804.70"));
    assert_eq!(v["problems"][0]["path"], "row 4, column `service`");
}

#[test]
fn bad_cells_are_reported_with_row_and_column_and_the_rest_is_computed() {
    let mut text = String::from_utf8(danish_csv()).unwrap();
    // Row 4: not a number; row 5: an ambiguous Danish number (958 thousand,
    // or 958?); row 6: both per citizen and total; row 7: a share above 1.
    text.push_str("prison-day;abc;;\nprison-day;;958.000;\nprison-day;1;2;\nprison-day;1;;1,5\n");
    let path = temp_file("potential", "bad.csv", &text);
    let (input, problems) = TargetGroupToday::from_csv_file(
        &path,
        None,
        d("10"),
        d("0.25"),
        Some(vec![d("0.3")]),
        Some(2024),
    );
    let at: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        at,
        [
            "row 4, column `per_citizen`",
            "row 5, column `total`",
            "row 6",
            "row 7, column `success_keeps`",
        ],
        "{problems:?}"
    );
    assert!(problems[1].expected.contains("958"), "{:?}", problems[1]);
    let input = input.unwrap();
    assert_eq!(input.read.encoding, Some("utf-8"));
    // The two good rows give the totals of the JSON test: 2,183,424 today.
    let p = Potential::compute(&input, frozen_kb()).unwrap();
    assert_eq!(p.today.total().unwrap(), d("2183424"));
}

#[test]
fn bad_json_fields_are_reported_with_their_path_and_the_rest_is_computed() {
    let text = TEN_CITIZENS.replace(
        r#"{"service": "cash-benefit-month", "total": 50}"#,
        r#"{"service": "cash-benefit-month", "total": 50},
           {"service": "prison-day", "totl": 5},
           {"service": "prison-day", "per_citizen": "lots"},
           {"service": "shelter-dag", "per_citizen": 1}"#,
    );
    let (input, problems) = TargetGroupToday::from_json(&text, "ten.json");
    let input = input.unwrap();
    let p = Potential::compute(&input, frozen_kb()).unwrap();
    let at: Vec<&str> = problems
        .iter()
        .chain(&p.problems)
        .map(|p| p.path.as_str())
        .collect();
    assert_eq!(
        at,
        [
            "$.use[2].totl",
            "$.use[2]",
            "$.use[3].per_citizen",
            "$.use[4].service",
        ]
    );
    assert_eq!(p.problems[0].did_you_mean.as_deref(), Some("shelter-day"));
    // The two good services: 2,183,424 today, as in the first test.
    assert_eq!(p.today.total().unwrap(), d("2183424"));
}

#[test]
fn a_missing_assumption_is_an_error_not_a_default() {
    let text = TEN_CITIZENS.replace(r#""success_keeps": "0.25","#, "");
    let (input, problems) = TargetGroupToday::from_json(&text, "ten.json");
    assert!(input.is_none());
    assert_eq!(problems[0].path, "$.success_keeps");
    assert!(problems[0].expected.contains("assumption"));
}

#[test]
fn to_scenario_writes_a_scenario_that_som_run_accepts_and_whose_first_year_is_the_potential() {
    let input = temp_file("potential", "ten-scenario.json", TEN_CITIZENS);
    let scenario = input.with_file_name("ten-case.json");
    let out = som()
        .args([
            "--kb",
            FROZEN_KB,
            "potential",
            input.to_str().unwrap(),
            "--format",
            "json",
            "--to-scenario",
            scenario.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let potential: Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = som()
        .args([
            "--kb",
            FROZEN_KB,
            "run",
            scenario.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let case: Value = serde_json::from_slice(&run.stdout).unwrap();
    // The engine on its own: 10 participants × 0.3 = 3 successes, each with
    // -100 shelter days and -(1 - 0.25) × 5 = -3.75 cash-benefit months from
    // year 0 (no lag): gains kommune 3 × (100 × 838.2296 + 3.75 × 9860.8) =
    // 3 × (83,822.96 + 36,978) = 362,402.88, as the potential at 30 %.
    let year0 = &case["years"][0]["gains"];
    assert_eq!(n(&year0["kommune"]), d("362402.88"));
    assert_eq!(
        n(&year0["total"]),
        n(&potential["potential"][0]["saving"]["total"])
    );
    assert_eq!(case["years"].as_array().unwrap().len(), 3);
}

#[test]
fn the_danish_table_and_the_chart_show_the_potential() {
    let path = temp_file("potential", "ten-da.json", TEN_CITIZENS);
    let chart = path.with_file_name("ten.svg");
    let out = som()
        .args([
            "--kb",
            FROZEN_KB,
            "potential",
            path.to_str().unwrap(),
            "--lang",
            "da",
            "--chart",
            chart.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    // Today: 2.183.424 kr. in all; at 30 %: 608.805 kr. (608.804,70 rounded).
    assert!(text.contains("2.183.424"), "{text}");
    assert!(text.contains("608.805"), "{text}");
    assert!(text.contains("beholder 25,0 %"), "{text}");
    // The service with its own share is named in Danish, not by its id.
    assert!(
        text.contains("undtagen Ophold på herberg eller forsorgshjem (SEL § 110): 0,0 %"),
        "{text}"
    );
    assert!(!text.contains("shelter-day"), "{text}");
    let svg = std::fs::read_to_string(&chart).unwrap();
    // Two rates, each a kommune and a stat part.
    assert_eq!(svg.matches("class=\"bar\"").count(), 4);
    assert!(svg.contains("30,0 %"));
}

#[test]
fn the_example_input_and_its_csv_give_the_same_potential() {
    let json = som()
        .args([
            "potential",
            "examples/potential/homeless.json",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(
        json.status.success(),
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
    let csv = som()
        .args([
            "potential",
            "examples/potential/homeless-use.csv",
            "--citizens",
            "60",
            "--success-keeps",
            "0.2",
            "--use-year",
            "2026",
            "--rate",
            "0.1",
            "--rate",
            "0.2",
            "--rate",
            "0.25",
            "--rate",
            "0.3",
            "--rate",
            "0.4",
            "--rate",
            "0.5",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(
        csv.status.success(),
        "{}",
        String::from_utf8_lossy(&csv.stderr)
    );
    assert_eq!(json.stdout, csv.stdout);
}

#[test]
fn a_json_input_may_take_its_use_from_a_csv_file_beside_it() {
    let csv = temp_file("potential-linked", "brug.csv", "");
    std::fs::write(&csv, danish_csv()).unwrap();
    let text = TEN_CITIZENS.replace(
        r#"[
        {"service": "shelter-day", "per_citizen": 100, "success_keeps": 0},
        {"service": "cash-benefit-month", "total": 50}
    ]"#,
        r#""brug.csv""#,
    );
    let json = temp_file("potential-linked", "ten.json", &text);
    let (input, problems) = TargetGroupToday::from_file(&json);
    assert!(problems.is_empty(), "{problems:?}");
    let input = input.unwrap();
    assert_eq!(input.read.format, "json+csv");
    assert!(input.read.use_file.ends_with("brug.csv"));
    // The same use as the JSON list: 2,183,424 today.
    let p = Potential::compute(&input, frozen_kb()).unwrap();
    assert_eq!(p.today.total().unwrap(), d("2183424"));
}

#[test]
fn the_danish_csv_has_semicolons_decimal_commas_and_danish_table_names() {
    let path = temp_file("potential", "ten-csv-da.json", TEN_CITIZENS);
    let out = som()
        .args(["--kb", FROZEN_KB, "potential"])
        .arg(&path)
        .args(["--format", "csv", "--lang", "da"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "tabel;nøgle;kommune;region;stat;i alt");
    // Today, as worked out above: kommune 1.331.269,6, stat 852.154,4, in
    // all 2.183.424, to the øre.
    assert_eq!(lines[1], "i dag;alle;1331269,60;0,00;852154,40;2183424,00");
    // At 30 %: 362.402,88 and 246.401,82, 608.804,70 in all.
    assert!(
        lines.contains(&"potentiale;0,3;362402,88;0,00;246401,82;608804,70"),
        "{text}"
    );
    // And it is not the English CSV with the flag ignored.
    assert!(!text.contains("today,all"));
}

#[test]
fn the_tables_group_thousands_in_either_language_and_the_csv_does_not() {
    // Ten citizens: 10 × 100 = 1000 shelter days; cash benefit 9860.8 kr. a
    // month (2024, the knowledge base's own price). The frozen knowledge base
    // has no committees, so there is no committee table or column.
    let path = temp_file("potential", "ten-grouped.json", TEN_CITIZENS);
    let run = |extra: &[&str]| {
        let mut args = vec!["--kb", FROZEN_KB, "potential", path.to_str().unwrap()];
        args.extend_from_slice(extra);
        let out = som().args(&args).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let english = run(&[]);
    assert!(english.contains(" 1,000 "), "{english}");
    assert!(english.contains(" 9,860.80 "), "{english}");
    assert!(!english.contains("9860"), "{english}");
    assert!(!english.contains("by committee"), "{english}");
    let danish = run(&["--lang", "da", "--format", "markdown"]);
    assert!(danish.contains("| 1.000 |"), "{danish}");
    assert!(danish.contains("| 9.860,80 |"), "{danish}");
    assert!(!danish.contains("udvalg"), "{danish}");
    // The CSV stays machine-readable: øre with a decimal comma, no dots.
    let csv = run(&["--lang", "da", "--format", "csv"]);
    assert!(csv.contains("ydelse;shelter-day;838229,60;"), "{csv}");
    let json: Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    assert_eq!(json["kommune_by_committee"], serde_json::json!([]));
}
