//! `som potential` by committee: the kommune's yearly cost today, its saving
//! per success and its potential at each success rate, by the committee
//! each service belongs to (knowledge-base/committees.json), and with
//! `--package` by the package's committee table (docs/DESIGN.md §4.1).
//!
//! The baseline is valued with the package `tests/data/package-committees-
//! financing.json`, whose round 2025 prices replace the knowledge base's
//! (and its dated splits, so no refund rule applies) and whose committee
//! table moves cash benefit from the employment committee to the social
//! one. By hand, 10 citizens, a success keeping half of its use:
//! - shelter days (social): 10 × 20 = 200 days × kommune 100 = 20.000 kr.,
//!   stat 200 × 50 = 10.000; all successes save half: kommune 10.000.
//! - cash benefit (employment, social with the remap): 30 months ×
//!   kommune 1.000 = 30.000 kr., stat 30 × 250 = 7.500; all save kommune
//!   15.000.
//! - prison days (not municipal): 5 × stat 400 = 2.000 kr., kommune 0.
//!
//! With the package's remap: social 20.000 + 30.000 = 50.000 kr. today;
//! per success (10.000 + 15.000) / 10 = 2.500; at 20 %: 0,2 × 25.000 =
//! 5.000; at 100 %: 25.000. Not municipal: 0 everywhere. No employment row.
//! Without the remap: social 20.000 / 1.000 / 2.000 / 10.000; employment
//! 30.000 / 1.500 / 3.000 / 15.000. Either way the committees add up to the
//! kommune's column: 50.000 today, 2.500 per success, 5.000 at 20 %.

mod common;

use rust_decimal::Decimal;
use serde_json::Value;
use som::KnowledgeBase;
use som::package::Package;
use som::potential::{Potential, TargetGroupToday};

use common::{som, temp_file};

const PACKAGE: &str = "tests/data/package-committees-financing.json";

const BASELINE: &str = r#"{
    "name": "Ten citizens by committee",
    "citizens": 10,
    "success_keeps": 0.5,
    "success_rates": [0.2, 1],
    "use": [
        {"service": "shelter-day", "per_citizen": 20},
        {"service": "cash-benefit-month", "total": 30},
        {"service": "prison-day", "total": 5}
    ]
}"#;

fn d(v: i64) -> Decimal {
    Decimal::from(v)
}

fn n(v: &Value) -> Decimal {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .parse()
        .unwrap()
}

/// The potential valued with the package's knowledge base, with or
/// without its committee table.
fn potential(with_remap: bool) -> Potential {
    let mut package = Package::from_file(PACKAGE).unwrap();
    if !with_remap {
        package.committees.clear();
    }
    let kb = package.knowledge_base(KnowledgeBase::embedded()).unwrap();
    let (input, problems) = TargetGroupToday::from_json(BASELINE, "baseline.json");
    assert!(problems.is_empty(), "{problems:?}");
    let mut input = input.unwrap();
    input.price_year = Some(2025);
    Potential::compute(&input, &kb).unwrap()
}

/// (committee, today, per success, at 20 %, at 100 %).
fn rows(p: &Potential) -> Vec<(&str, Decimal, Decimal, Decimal, Decimal)> {
    p.by_committee
        .iter()
        .map(|c| {
            (
                c.committee.as_str(),
                c.today,
                c.per_success,
                c.potential[0],
                c.potential[1],
            )
        })
        .collect()
}

#[test]
fn the_kommunes_cost_and_potential_split_by_the_knowledge_bases_committees() {
    let p = potential(false);
    // The knowledge base's order of committees; only those a service uses.
    assert_eq!(
        rows(&p),
        [
            ("social", d(20_000), d(1_000), d(2_000), d(10_000)),
            ("employment", d(30_000), d(1_500), d(3_000), d(15_000)),
            ("not-municipal", d(0), d(0), d(0), d(0)),
        ]
    );
    // They add up to the kommune's column.
    assert_eq!(p.today.kommune, d(50_000));
    assert_eq!(p.per_success.kommune, d(2_500));
    assert_eq!(p.rates[0].saving.kommune, d(5_000));
    let service = |id: &str| p.services.iter().find(|s| s.service == id).unwrap();
    assert_eq!(
        service("cash-benefit-month").committee.as_deref(),
        Some("employment")
    );
}

#[test]
fn a_packages_committee_table_moves_a_service_to_another_committee() {
    let p = potential(true);
    assert_eq!(
        rows(&p),
        [
            ("social", d(50_000), d(2_500), d(5_000), d(25_000)),
            ("not-municipal", d(0), d(0), d(0), d(0)),
        ]
    );
    assert_eq!(p.today.kommune, d(50_000));
}

#[test]
fn a_committee_table_naming_an_unknown_committee_is_refused_where_it_is() {
    let mut package = Package::from_file(PACKAGE).unwrap();
    package
        .committees
        .insert("shelter-day".into(), "sociale".into());
    let Err(som::ScenarioError::Invalid(problems)) =
        package.knowledge_base(KnowledgeBase::embedded())
    else {
        panic!("an unknown committee was accepted");
    };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path, "$.committees.shelter-day");
}

fn cli(extra: &[&str]) -> String {
    let input = temp_file("potential-committees", "baseline.json", BASELINE);
    let mut args = vec!["potential", input.to_str().unwrap(), "--package", PACKAGE];
    args.extend_from_slice(extra);
    let out = som().args(&args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_view_shows_the_kommune_by_committee_with_the_packages_remap() {
    // Table, English: the social committee's row, 50.000 today, 2.500 per
    // success, 5.000 at 20 % and 25.000 at 100 %, with thousands separators.
    let table = cli(&[]);
    let row = |text: &str, name: &str| -> Vec<String> {
        let line = text
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no row {name} in\n{text}"));
        line[name.len()..]
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    };
    assert!(table.contains("The kommune by committee"), "{table}");
    assert_eq!(
        row(&table, "Social Affairs Committee  "),
        ["50,000", "2,500", "5,000", "25,000"]
    );
    assert_eq!(
        row(&table, "Kommune in total"),
        ["50,000", "2,500", "5,000", "25,000"]
    );
    assert!(!table.contains("Employment Committee"), "{table}");
    // The service table names each service's committee: cash benefit in
    // the social committee, as the package's table says.
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("Cash benefit") && l.contains("Social Affairs Committee")),
        "{table}"
    );
    // Danish: the same row with Danish names and thousands dots.
    let danish = cli(&["--lang", "da"]);
    assert!(danish.contains("Kommunen fordelt på udvalg"), "{danish}");
    assert_eq!(
        row(&danish, "Socialudvalget  "),
        ["50.000", "2.500", "5.000", "25.000"]
    );
    assert_eq!(
        row(&danish, "Kommunen i alt"),
        ["50.000", "2.500", "5.000", "25.000"]
    );
    // Markdown.
    let markdown = cli(&["--format", "markdown", "--lang", "da"]);
    assert!(
        markdown.contains("| Socialudvalget | 50.000 | 2.500 | 5.000 | 25.000 |"),
        "{markdown}"
    );
    // JSON: exact amounts, names in both languages.
    let json: Value = serde_json::from_str(&cli(&["--format", "json"])).unwrap();
    let committees = json["kommune_by_committee"].as_array().unwrap();
    assert_eq!(committees.len(), 2);
    let social = &committees[0];
    assert_eq!(social["committee"], "social");
    assert_eq!(social["name"]["da"], "Socialudvalget");
    assert_eq!(n(&social["today"]), d(50_000));
    assert_eq!(n(&social["per_success"]), d(2_500));
    assert_eq!(n(&social["potential"][0]["saving"]), d(5_000));
    assert_eq!(n(&social["potential"][1]["success_rate"]), d(1));
    assert_eq!(committees[1]["committee"], "not-municipal");
    let cash = json["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "cash-benefit-month")
        .unwrap();
    assert_eq!(cash["committee"], "social");
    // CSV, English: exact amounts, the kommune's cells only.
    let csv = cli(&["--format", "csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    for expected in [
        "committee,social,50000,,,",
        "committee_per_success,social,2500,,,",
        "committee_potential,social:0.2,5000,,,",
        "committee_potential,social:1,25000,,,",
        "committee,not-municipal,0,,,",
    ] {
        assert!(lines.contains(&expected), "no {expected} in\n{csv}");
    }
    // CSV, Danish: semicolons, øre with a decimal comma, no thousands dots.
    let csv = cli(&["--format", "csv", "--lang", "da"]);
    let lines: Vec<&str> = csv.lines().collect();
    for expected in [
        "udvalg;social;50000,00;;;",
        "udvalg pr. succes;social;2500,00;;;",
        "udvalg potentiale;social:0,2;5000,00;;;",
    ] {
        assert!(lines.contains(&expected), "no {expected} in\n{csv}");
    }
}
