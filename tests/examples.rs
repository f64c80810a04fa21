//! The shipped examples run, and give the figures examples/README.md states.

use som::report::{fixed, kroner};
use som::{BusinessCase, KnowledgeBase, Scenario};

fn run(file: &str) -> BusinessCase {
    let path = format!("{}/examples/{file}", env!("CARGO_MANIFEST_DIR"));
    let scenario = Scenario::from_file(&path).unwrap();
    som::evaluate(&scenario, KnowledgeBase::embedded()).unwrap()
}

#[test]
fn every_example_scenario_runs() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let scenario = Scenario::from_file(&path).unwrap();
            som::evaluate(&scenario, KnowledgeBase::embedded())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            seen += 1;
        }
    }
    assert!(seen >= 2);
}

#[test]
fn housing_first_gives_the_figures_of_the_readme() {
    // Checked independently: `python3 tests/independent/som_reference.py
    // examples/housing-first.json knowledge-base` (DESIGN.md §1 in Python's
    // decimal) gives NPV 11,685,964.97, kommune 2,610,993.02, region
    // 1,180,555.87, stat 7,894,416.08; docs/TUTORIAL.md works year 1 by hand.
    let s = run("housing-first.json").summary;
    assert_eq!(kroner(s.npv.total), "11,685,965");
    assert_eq!(fixed(s.benefit_cost_ratio, 2), "2.17");
    assert_eq!(s.break_even_year, Some(2030));
    assert_eq!(kroner(s.npv.kommune), "2,610,993");
    assert_eq!(kroner(s.npv.stat), "7,894,416");
    assert_eq!(kroner(s.npv.region), "1,180,556");
}

#[test]
fn ips_gives_the_figures_of_the_readme() {
    let case = run("ips-employment.json");
    let s = &case.summary;
    assert_eq!(case.net_success_rate.normalize().to_string(), "0.134");
    assert_eq!(kroner(s.npv.total), "1,597,699");
    assert_eq!(fixed(s.benefit_cost_ratio, 2), "2.35");
    assert_eq!(s.break_even_year, Some(2028));
    // 2027: 30 × 0.134 = 4.02 successes, 9 months each at 12,326 × 1.028 kr.
    assert_eq!(kroner(case.years[1].gains.total), "458,441");
    let by_hand: rust_decimal::Decimal = "4.02".parse::<rust_decimal::Decimal>().unwrap()
        * rust_decimal::Decimal::from(9)
        * "12326".parse::<rust_decimal::Decimal>().unwrap()
        * "1.028".parse::<rust_decimal::Decimal>().unwrap();
    assert_eq!(case.years[1].gains.total, by_hand);
}

#[test]
fn families_coordination_breaks_even_at_the_rate_of_the_readme() {
    // Hand check: the average § 42 compensation, 113.564,67 kr. (2022) x
    // 1,025 x 1,04 x 1,028 (PL to 2025) = 124.449 kr.; 1,5 net successes a
    // cohort, discounted one and two years at 3,5 %: gains 354.624 kr.
    // Costs 750.000 + 750.000 / 1,035 = 1.474.638 kr. Break-even net rate:
    // 1.474.638 / (354.624 / 0,05) = 20,8 %.
    let s = run("families-coordination.json").summary;
    assert_eq!(kroner(s.pv_gains.total), "354,624");
    assert_eq!(kroner(s.pv_costs.total), "1,474,638");
    let rate = s.break_even_success_rate.expect("gains > 0");
    assert_eq!(
        fixed(Some(rate * rust_decimal::Decimal::ONE_HUNDRED), 1),
        "20.8"
    );
}
