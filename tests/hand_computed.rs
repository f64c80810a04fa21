//! Business cases worked out by hand (DESIGN.md §1), and the built-in
//! example checked against an independent implementation of §1 in Python
//! (`tests/independent/som_reference.py`, 50-digit `decimal`).
//!
//! The scenarios live in `tests/data/scenarios/` and are evaluated against
//! the frozen knowledge base in `tests/data/kb/`, so a change to the shipped
//! knowledge base cannot move these figures. Every expected value below is
//! derived in the comment next to it; none was copied from the program.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use rust_decimal::Decimal;
use som::{BusinessCase, KnowledgeBase, Scenario, Split};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn frozen_kb() -> KnowledgeBase {
    KnowledgeBase::load(root().join("tests/data/kb")).expect("the frozen knowledge base loads")
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|e| panic!("`{s}` is not a decimal: {e}"))
}

fn case_of(file: &str) -> BusinessCase {
    let scenario = Scenario::from_file(root().join("tests/data/scenarios").join(file)).unwrap();
    som::evaluate(&scenario, &frozen_kb()).unwrap()
}

fn split(kommune: &str, region: &str, stat: &str, total: &str) -> Split {
    Split {
        kommune: d(kommune),
        region: d(region),
        stat: d(stat),
        total: d(total),
    }
}

fn column(case: &BusinessCase, f: impl Fn(&som::YearFlows) -> Decimal) -> Vec<Decimal> {
    case.years.iter().map(f).collect()
}

fn decimals(values: &[&str]) -> Vec<Decimal> {
    values.iter().map(|v| d(v)).collect()
}

/// |a - b| <= tolerance · max(|b|, 1).
fn assert_close(what: &str, actual: Decimal, expected: Decimal, tolerance: &str) {
    let scale = expected.abs().max(Decimal::ONE);
    let diff = (actual - expected).abs();
    assert!(
        diff <= d(tolerance) * scale,
        "{what}: {actual} differs from {expected} by {diff} (allowed {tolerance} relative)"
    );
}

// ---------------------------------------------------------------------------
// Scenario A: tests/data/scenarios/two-cohorts-constant-rate.json
//
// H = 5, start 2030. Discounting constant 0.25: DF = 1, 1/1.25 = 0.8,
// 0.8/1.25 = 0.64, 0.512, 0.4096 (all exact).
// Cohorts n_0 = 10, n_1 = 20. c = 0.5. s = 0.6 - 0.2 = 0.4.
// S_0 = 10 · 0.5 · 0.4 = 2; S_1 = 20 · 0.5 · 0.4 = 4; Σ S = 6, Σ n = 30.
// Lag 1. Persistence duration 2, decay 0.5: w = [1, 0.5, 0].
//
// Line 1, shelter-day, successes, q = [-10, -10, -10]; q·w = [-10, -5, 0].
//   cohort 0 (k = t-1): t1 2·-10 = -20, t2 2·-5 = -10, t3 0
//   cohort 1 (k = t-2): t2 4·-10 = -40, t3 4·-5 = -20, t4 0
//   Q = [0, -20, -50, -20, 0]
//   price kommune 100, stat 50 (price year = scenario's: factor 1)
//   gains = -Q·price: kommune [0, 2000, 5000, 2000, 0], stat [0, 1000, 2500, 1000, 0]
// Line 2, prison-day, participants, q = [2, 2]: base n_r, no c, s or w.
//   cohort 0: t1 10·2 = 20, t2 20; cohort 1: t2 20·2 = 40, t3 40
//   Q = [0, 20, 60, 40, 0]
//   price region 30, stat 200: more prison days are a loss (§1.6 sign):
//   gains region [0, -600, -1800, -1200, 0], stat [0, -4000, -12000, -8000, 0]
// Gains by payer:
//   kommune [0, 2000, 5000, 2000, 0]
//   region  [0, -600, -1800, -1200, 0]
//   stat    [0, 1000-4000 = -3000, 2500-12000 = -9500, 1000-8000 = -7000, 0]
//   total   [0, -1600, -6300, -6200, 0]
// Costs: one-off 1000 kommune in t0; per year 300 region in t1..t2;
//   per participant 50 stat: t0 10·50 = 500, t1 20·50 = 1000.
//   kommune [1000, 0, 0, 0, 0], region [0, 300, 300, 0, 0], stat [500, 1000, 0, 0, 0]
//   total   [1500, 1300, 300, 0, 0]
// Net = gains - costs: total [-1500, -2900, -6600, -6200, 0]
// Discounted: [-1500, -2900·0.8 = -2320, -6600·0.64 = -4224, -6200·0.512 = -3174.4, 0]
// Cumulative: [-1500, -3820, -8044, -11218.4, -11218.4]: never >= 0 at the
// end, so no break-even year.
// PV costs: kommune 1000; region 300·0.8 + 300·0.64 = 432; stat 500 + 1000·0.8 = 1300; total 2732
// PV gains: kommune 2000·0.8 + 5000·0.64 + 2000·0.512 = 1600 + 3200 + 1024 = 5824
//           region -600·0.8 - 1800·0.64 - 1200·0.512 = -480 - 1152 - 614.4 = -2246.4
//           stat -3000·0.8 - 9500·0.64 - 7000·0.512 = -2400 - 6080 - 3584 = -12064
//           total -8486.4
// NPV: kommune 5824 - 1000 = 4824; region -2246.4 - 432 = -2678.4;
//      stat -12064 - 1300 = -13364; total -11218.4
// BCR = -8486.4 / 2732; return per krone = -11218.4 / 2732.
// NPV per participant = -11218.4 / 30 = -373.94666...; per success = -11218.4 / 6 = -1869.7333...
// Break-even success rate: only line 1 depends on s. Its PV at s = 0.4 is
//   3000·0.8 + 7500·0.64 + 3000·0.512 = 2400 + 4800 + 1536 = 8736, i.e.
//   B = 8736 / 0.4 = 21840 per unit of s. NPV(s) = -11218.4 + (s - 0.4)·21840
//   = 0 at s* = 0.4 + 11218.4 / 21840 = 0.91366300366...
// ---------------------------------------------------------------------------

#[test]
fn two_cohorts_successes_use_completion_and_net_success_rate() {
    let case = case_of("two-cohorts-constant-rate.json");
    assert_eq!(case.net_success_rate, d("0.4"));
    assert_eq!(case.summary.participants, d("30"));
    assert_eq!(case.summary.successes, d("6"));
}

#[test]
fn lag_and_persistence_shape_the_success_line_and_spare_the_participant_line() {
    let case = case_of("two-cohorts-constant-rate.json");
    assert_eq!(
        case.lines[0].quantities,
        decimals(&["0", "-20", "-50", "-20", "0"])
    );
    assert_eq!(
        case.lines[1].quantities,
        decimals(&["0", "20", "60", "40", "0"])
    );
}

#[test]
fn constant_quarter_rate_gives_exact_discount_factors() {
    let case = case_of("two-cohorts-constant-rate.json");
    assert_eq!(
        column(&case, |y| y.discount_factor),
        decimals(&["1", "0.8", "0.64", "0.512", "0.4096"])
    );
    assert_eq!(
        column(&case, |y| Decimal::from(y.year)),
        decimals(&["2030", "2031", "2032", "2033", "2034"])
    );
}

#[test]
fn three_cost_kinds_fall_in_their_years_and_on_their_payers() {
    let case = case_of("two-cohorts-constant-rate.json");
    let expected = [
        split("1000", "0", "500", "1500"),
        split("0", "300", "1000", "1300"),
        split("0", "300", "0", "300"),
        split("0", "0", "0", "0"),
        split("0", "0", "0", "0"),
    ];
    for (year, want) in case.years.iter().zip(expected) {
        assert_eq!(year.costs, want, "costs in t = {}", year.t);
    }
}

#[test]
fn fewer_shelter_days_gain_and_more_prison_days_lose_per_payer() {
    let case = case_of("two-cohorts-constant-rate.json");
    let expected = [
        split("0", "0", "0", "0"),
        split("2000", "-600", "-3000", "-1600"),
        split("5000", "-1800", "-9500", "-6300"),
        split("2000", "-1200", "-7000", "-6200"),
        split("0", "0", "0", "0"),
    ];
    for (year, want) in case.years.iter().zip(expected) {
        assert_eq!(year.gains, want, "gains in t = {}", year.t);
    }
    // By area: housing is line 1 (kommune + stat), justice line 2 (region + stat).
    let housing = column(&case, |y| y.gains_by_area[0]);
    let justice = column(&case, |y| y.gains_by_area[1]);
    assert_eq!(case.areas, ["housing".into(), "justice".into()]);
    assert_eq!(housing, decimals(&["0", "3000", "7500", "3000", "0"]));
    assert_eq!(justice, decimals(&["0", "-4600", "-13800", "-9200", "0"]));
}

#[test]
fn net_discounted_and_cumulative_follow_by_hand() {
    let case = case_of("two-cohorts-constant-rate.json");
    assert_eq!(
        column(&case, |y| y.net.total),
        decimals(&["-1500", "-2900", "-6600", "-6200", "0"])
    );
    assert_eq!(
        column(&case, |y| y.net.kommune),
        decimals(&["-1000", "2000", "5000", "2000", "0"])
    );
    assert_eq!(
        column(&case, |y| y.net_discounted.total),
        decimals(&["-1500", "-2320", "-4224", "-3174.4", "0"])
    );
    assert_eq!(
        column(&case, |y| y.cumulative_net_discounted.total),
        decimals(&["-1500", "-3820", "-8044", "-11218.4", "-11218.4"])
    );
}

#[test]
fn summary_of_a_case_that_never_breaks_even() {
    let s = case_of("two-cohorts-constant-rate.json").summary;
    assert_eq!(s.pv_costs, split("1000", "432", "1300", "2732"));
    assert_eq!(s.pv_gains, split("5824", "-2246.4", "-12064", "-8486.4"));
    assert_eq!(s.npv, split("4824", "-2678.4", "-13364", "-11218.4"));
    assert_eq!(s.break_even_year, None);
    let tol = "1e-26";
    assert_close(
        "BCR",
        s.benefit_cost_ratio.unwrap(),
        d("-8486.4") / d("2732"),
        tol,
    );
    // -8486.4 / 2732 = -3.10629575402635431918...
    assert!(s.benefit_cost_ratio.unwrap().round_dp(8) == d("-3.10629575"));
    assert_close(
        "return per krone",
        s.return_per_krone.unwrap(),
        d("-11218.4") / d("2732"),
        tol,
    );
    // -11218.4 / 30 = -373.946666...; -11218.4 / 6 = -1869.733333...
    assert_close(
        "NPV per participant",
        s.npv_per_participant.unwrap(),
        d("-373.9466666666666666666666667"),
        tol,
    );
    assert_close(
        "NPV per success",
        s.npv_per_success.unwrap(),
        d("-1869.733333333333333333333333"),
        tol,
    );
    // s* = 0.4 + 11218.4 / 21840 = 0.4 + 0.513663003663003663... = 0.913663003663003663...
    assert_close(
        "break-even success rate",
        s.break_even_success_rate.unwrap(),
        d("0.9136630036630036630036630037"),
        tol,
    );
}

// ---------------------------------------------------------------------------
// Scenario B: tests/data/scenarios/one-cohort-no-discounting-indexed-price.json
//
// H = 4, start 2026, no discounting (DF = 1). n_0 = 100, c = 1 (absent),
// s = 0.3 - 0.1 = 0.2, S_0 = 20. Lag 0, no persistence given (w = 1).
// cash-benefit-month, q = [-6, -12, -12]: Q = [-120, -240, -240, 0].
// Price 1000 kommune / 250 stat in 2023 prices; the frozen price index has
// 2024 +4.0 % and 2025 +2.8 %, so index(2025)/index(2023) = 1.04 · 1.028 = 1.06912:
//   kommune 1000 · 1.06912 = 1069.12, stat 250 · 1.06912 = 267.28.
// Gains kommune: 120 · 1069.12 = 128294.4, 240 · 1069.12 = 256588.8
//       stat:    120 · 267.28 = 32073.6,    240 · 267.28 = 64147.2
//       total:   [160368, 320736, 320736, 0]
// Costs: 400000 kommune in t0. Net total [-239632, 320736, 320736, 0].
// Cumulative [-239632, 81104, 401840, 401840]: break-even t = 1, 2027.
// PV = plain sums: PV costs 400000; PV gains kommune 128294.4 + 2·256588.8 = 641472,
//   stat 32073.6 + 2·64147.2 = 160368, total 801840. NPV kommune 241472,
//   stat 160368, total 401840. BCR 801840 / 400000 = 2.0046; return 1.0046.
// Per participant 401840 / 100 = 4018.4; per success 401840 / 20 = 20092.
// Break-even success rate: all gains depend on s, B = 801840 / 0.2 = 4009200;
//   NPV(s) = -400000 + 4009200 s = 0 at s* = 400000 / 4009200 = 0.09977052778609...
// ---------------------------------------------------------------------------

#[test]
fn price_from_2023_is_brought_to_2025_with_the_index() {
    let case = case_of("one-cohort-no-discounting-indexed-price.json");
    let line = &case.lines[0];
    assert_eq!(line.source_price_year, 2023);
    assert_eq!(line.unit_price, split("1069.12", "0", "267.28", "1336.40"));
    assert_eq!(line.quantities, decimals(&["-120", "-240", "-240", "0"]));
    let expected = [
        split("128294.4", "0", "32073.6", "160368"),
        split("256588.8", "0", "64147.2", "320736"),
        split("256588.8", "0", "64147.2", "320736"),
        split("0", "0", "0", "0"),
    ];
    for (year, want) in case.years.iter().zip(expected) {
        assert_eq!(year.gains, want, "gains in t = {}", year.t);
    }
}

#[test]
fn without_discounting_present_values_are_plain_sums() {
    let case = case_of("one-cohort-no-discounting-indexed-price.json");
    assert!(case.years.iter().all(|y| y.discount_factor == Decimal::ONE));
    assert_eq!(
        column(&case, |y| y.cumulative_net_discounted.total),
        decimals(&["-239632", "81104", "401840", "401840"])
    );
    let s = &case.summary;
    assert_eq!(s.pv_costs, split("400000", "0", "0", "400000"));
    assert_eq!(s.pv_gains, split("641472", "0", "160368", "801840"));
    assert_eq!(s.npv, split("241472", "0", "160368", "401840"));
}

#[test]
fn summary_ratios_and_break_even_of_one_cohort() {
    let s = case_of("one-cohort-no-discounting-indexed-price.json").summary;
    assert_eq!(s.benefit_cost_ratio, Some(d("2.0046")));
    assert_eq!(s.return_per_krone, Some(d("1.0046")));
    assert_eq!(s.break_even_year, Some(2027));
    assert_eq!(s.npv_per_participant, Some(d("4018.4")));
    assert_eq!(s.npv_per_success, Some(d("20092")));
    assert_close(
        "break-even success rate",
        s.break_even_success_rate.unwrap(),
        d("400000") / d("4009200"),
        "1e-26",
    );
    // 400000 / 4009200 = 0.099770527786091988426...
    assert_eq!(
        s.break_even_success_rate.unwrap().round_dp(12),
        d("0.099770527786")
    );
}

// ---------------------------------------------------------------------------
// Scenario C: tests/data/scenarios/dip-after-crossing-explicit-rates.json
//
// H = 4, start 2026, explicit rates r_1..r_3 = 0.25, 0, 1:
//   DF = 1, 1/1.25 = 0.8, 0.8/1 = 0.8, 0.8/2 = 0.4.
// s = 0.5 - 0.5 = 0: no successes. One line applying to participants
// (n_0 = 10, lag 0, q = [-1, -1, -1, -1]): Q = -10 every year; price
// kommune 100, region 10: gains kommune 1000, region 100, total 1100 a year.
// Cost 4000 stat in t2 (per_year 2..2).
// Net total [1100, 1100, -2900, 1100]; discounted [1100, 880, -2320, 440];
// cumulative [1100, 1980, -340, 100]: >= 0 in t0 already, but the run that
// lasts to the horizon starts in t3, so break-even is 2029.
// PV costs 4000·0.8 = 3200 (stat); PV gains 1100·(1 + 0.8 + 0.8 + 0.4) = 3300
// (kommune 3000, region 300); NPV 100 (kommune 3000, region 300, stat -3200).
// BCR 3300/3200 = 1.03125, return 100/3200 = 0.03125, per participant 10.
// No successes: NPV per success and break-even success rate are none.
// ---------------------------------------------------------------------------

#[test]
fn explicit_rates_give_their_discount_factors() {
    let case = case_of("dip-after-crossing-explicit-rates.json");
    assert_eq!(
        column(&case, |y| y.discount_factor),
        decimals(&["1", "0.8", "0.8", "0.4"])
    );
}

#[test]
fn break_even_year_is_the_start_of_the_last_non_negative_run() {
    let case = case_of("dip-after-crossing-explicit-rates.json");
    assert_eq!(
        column(&case, |y| y.net_discounted.total),
        decimals(&["1100", "880", "-2320", "440"])
    );
    assert_eq!(
        column(&case, |y| y.cumulative_net_discounted.total),
        decimals(&["1100", "1980", "-340", "100"])
    );
    assert_eq!(case.summary.break_even_year, Some(2029));
}

#[test]
fn zero_net_success_leaves_only_participant_driven_figures() {
    let s = case_of("dip-after-crossing-explicit-rates.json").summary;
    assert_eq!(s.successes, Decimal::ZERO);
    assert_eq!(s.pv_costs, split("0", "0", "3200", "3200"));
    assert_eq!(s.pv_gains, split("3000", "300", "0", "3300"));
    assert_eq!(s.npv, split("3000", "300", "-3200", "100"));
    assert_eq!(s.benefit_cost_ratio, Some(d("1.03125")));
    assert_eq!(s.return_per_krone, Some(d("0.03125")));
    assert_eq!(s.npv_per_participant, Some(d("10")));
    assert_eq!(s.npv_per_success, None);
    assert_eq!(s.break_even_success_rate, None);
}

// ---------------------------------------------------------------------------
// Scenario F: tests/data/scenarios/lag-two-truncated-at-horizon.json
//
// H = 4, no discounting, no costs. s = 0.75 - 0.25 = 0.5, c = 1:
// S_0 = 10 · 0.5 = 5, S_1 = 4 · 0.5 = 2. Lag 2, q = [-1, -2], w = 1.
//   cohort 0 (k = t - 2): t2 5·-1 = -5, t3 5·-2 = -10
//   cohort 1 (k = t - 3): t3 2·-1 = -2, t4 would be 2·-2 but t4 is beyond H
//   Q = [0, 0, -5, -12]; gains (kommune 100) = [0, 0, 500, 1200]; NPV 1700.
// No costs: BCR and return per krone are none; break-even from t0 (all
// cumulative values are >= 0): 2026.
// Break-even success rate: NPV(s) = 1700 / 0.5 · s = 3400 s = 0 at s* = 0.
// ---------------------------------------------------------------------------

#[test]
fn a_two_year_lag_shifts_consequences_and_the_horizon_cuts_them() {
    let case = case_of("lag-two-truncated-at-horizon.json");
    assert_eq!(case.lines[0].quantities, decimals(&["0", "0", "-5", "-12"]));
    assert_eq!(
        column(&case, |y| y.gains.kommune),
        decimals(&["0", "0", "500", "1200"])
    );
    let s = &case.summary;
    assert_eq!(s.npv, split("1700", "0", "0", "1700"));
    assert_eq!(s.benefit_cost_ratio, None);
    assert_eq!(s.return_per_krone, None);
    assert_eq!(s.break_even_year, Some(2026));
    assert_eq!(s.break_even_success_rate, Some(Decimal::ZERO));
    assert_eq!(s.npv_per_success, Some(d("1700") / d("7")));
}

// ---------------------------------------------------------------------------
// Scenario D: effect sizes (DESIGN.md §1.2), one cohort of 100 on the frozen KB.
// ---------------------------------------------------------------------------

fn success_rate_of(effect: &str) -> Result<(Decimal, Decimal), som::Error> {
    let json = format!(
        r#"{{"name": "effect", "target_group": "homeless-adults",
            "success_measure": "exits-homelessness", "start_year": 2026,
            "horizon_years": 3, "cohorts": [{{"year": 0, "participants": 100}}],
            "effect": {effect}}}"#
    );
    let scenario = Scenario::from_json(&json)?;
    let model = scenario.resolve(&frozen_kb())?;
    Ok((model.success_rate, model.baseline_rate))
}

#[test]
fn effect_sizes_convert_to_success_rates_by_hand() {
    // percentage points: 0.2 + 0.15 = 0.35
    let pp =
        r#"{"effect_size": {"kind": "percentage_points", "value": 0.15}, "baseline_rate": 0.2}"#;
    assert_eq!(success_rate_of(pp).unwrap(), (d("0.35"), d("0.2")));
    // relative risk: 0.2 · 1.5 = 0.3
    let rr = r#"{"effect_size": {"kind": "relative_risk", "value": 1.5}, "baseline_rate": 0.2}"#;
    assert_eq!(success_rate_of(rr).unwrap().0, d("0.3"));
    // odds ratio 4 at p0 = 0.2: 4·0.2 / (1 - 0.2 + 4·0.2) = 0.8 / 1.6 = 0.5
    let or = r#"{"effect_size": {"kind": "odds_ratio", "value": 4}, "baseline_rate": 0.2}"#;
    assert_eq!(success_rate_of(or).unwrap().0, d("0.5"));
    // a study with both rates: At Home/Chez Soi, 0.73 against 0.31
    let study = r#"{"study": "housing-first-at-home-1y"}"#;
    assert_eq!(success_rate_of(study).unwrap(), (d("0.73"), d("0.31")));
}

#[test]
fn cohens_d_agrees_with_a_fifty_digit_reference() {
    // Python, decimal at 50 digits:
    //   OR = (d * pi / Decimal(3).sqrt()).exp(); p1 = OR*p0 / (1 - p0 + OR*p0)
    // d = 0.5, p0 = 0.2:  p1 = 0.38239507315383777882587381272794658497379633189974
    // d = -0.3, p0 = 0.4: p1 = 0.27896428322443380834841985911786598125165742316813
    let cases = [
        ("0.5", "0.2", "0.3823950731538377788258738127"),
        ("-0.3", "0.4", "0.2789642832244338083484198591"),
    ];
    for (value, p0, reference) in cases {
        let effect = format!(
            r#"{{"effect_size": {{"kind": "cohens_d", "value": {value}}}, "baseline_rate": {p0}}}"#
        );
        let (p1, _) = success_rate_of(&effect).unwrap();
        assert_close(&format!("p1 for d = {value}"), p1, d(reference), "1e-20");
    }
}

// ---------------------------------------------------------------------------
// Scenario E: a knowledge-base price from a later price year, and persistence
// without a duration. Price year 2023; cash-benefit-month costs kommune
// 9860.8 and stat 2465.2 in 2024 prices in the frozen knowledge base, and
// the index rose 4.0 % in 2024, so in 2023 prices: kommune 9860.8 / 1.04 =
// 9481.538461538461538..., stat 2465.2 / 1.04 = 2370.384615384615384...
// n_0 = 10, c = 1, s = 0.5 - 0 = 0.5: S_0 = 5. Lag 1, q = [-2, -2],
// decay 0.5 with no duration: w = [1, 0.5] (as long as the profile).
// Q = [0, 5 · -2 = -10, 5 · -2 · 0.5 = -5].
// Gains t1: kommune 10 · 9860.8 / 1.04 = 98608 / 1.04 = 94815.384615384615...,
//           stat 24652 / 1.04 = 23703.846153846153...; t2 half of t1.
// With duration 0 every weight is 0: no gains at all.
// ---------------------------------------------------------------------------

fn later_price_year_case(persistence: &str) -> BusinessCase {
    let json = format!(
        r#"{{"name": "E", "target_group": "homeless-adults",
            "success_measure": "exits-homelessness", "start_year": 2026,
            "horizon_years": 3, "price_year": 2023, "discounting": "none",
            "cohorts": [{{"year": 0, "participants": 10}}],
            "effect": {{"success_rate": 0.5, "baseline_rate": 0}},
            "persistence": {persistence},
            "consequences": [{{"service": "cash-benefit-month", "profile": [-2, -2]}}]}}"#
    );
    som::evaluate(&Scenario::from_json(&json).unwrap(), &frozen_kb()).unwrap()
}

#[test]
fn a_price_from_a_later_year_is_deflated_with_the_index() {
    let case = later_price_year_case(r#"{"annual_decay": 0.5}"#);
    let line = &case.lines[0];
    assert_eq!(line.source_price_year, 2024);
    let tol = "1e-26";
    assert_close(
        "kommune price",
        line.unit_price.kommune,
        d("9481.538461538461538461538462"),
        tol,
    );
    assert_close(
        "stat price",
        line.unit_price.stat,
        d("2370.384615384615384615384615"),
        tol,
    );
    assert_eq!(line.quantities, decimals(&["0", "-10", "-5"]));
    let t1 = case.years[1].gains;
    assert_close(
        "kommune t1",
        t1.kommune,
        d("94815.38461538461538461538462"),
        tol,
    );
    assert_close("stat t1", t1.stat, d("23703.84615384615384615384615"), tol);
    assert_close(
        "kommune t2",
        case.years[2].gains.kommune,
        d("47407.69230769230769230769231"),
        tol,
    );
}

#[test]
fn a_duration_of_zero_years_cancels_every_success_driven_gain() {
    let case = later_price_year_case(r#"{"duration_years": 0, "annual_decay": 0}"#);
    assert_eq!(case.lines[0].quantities, decimals(&["0", "0", "0"]));
    assert!(case.years.iter().all(|y| y.gains.total.is_zero()));
}

#[test]
fn a_study_with_an_odds_ratio_takes_the_scenarios_baseline() {
    // cti-herman-2011: OR 4.55, no baseline in the study; p0 = 0.3 from the scenario.
    // p1 = 4.55 · 0.3 / (0.7 + 1.365) = 1.365 / 2.065 = 0.66101694915254237288135593220...
    let (p1, p0) =
        success_rate_of(r#"{"study": "cti-herman-2011", "baseline_rate": 0.3}"#).unwrap();
    assert_eq!(p0, d("0.3"));
    assert_close("p1", p1, d("0.6610169491525423728813559322"), "1e-26");
    // ... and without a baseline it is an error at the baseline's path.
    let err = success_rate_of(r#"{"study": "cti-herman-2011"}"#).unwrap_err();
    assert_eq!(err.problems()[0].path, "$.effect.baseline_rate");
}

// ---------------------------------------------------------------------------
// The built-in example (examples/housing-first.json) against the independent
// Python implementation of DESIGN.md §1. The literals below were produced by
//
//   python3 tests/independent/som_reference.py examples/housing-first.json tests/data/kb --rust
//
// (50-digit decimal arithmetic, printed to 26 significant digits) and pasted
// here so that the test runs without Python. Agreement is required to 1e-20
// relative (exact where the reference is exact: costs, participants ...).
// ---------------------------------------------------------------------------

// Generated by tests/independent/som_reference.py (see the comment above).
// [discount_factor, costs, gains, net, net_discounted, cumulative_net_discounted] (totals)
const REFERENCE_YEARS: [[&str; 6]; 10] = [
    ["1", "3608000", "0", "-3608000", "-3608000", "-3608000"],
    [
        "0.96618357487922705314009662",
        "3358000",
        "1870375.030992",
        "-1487624.969008",
        "-1437318.8106357487922705314",
        "-5045318.8106357487922705314",
    ],
    [
        "0.93351070036640294989381316",
        "3358000",
        "3553712.5588848",
        "195712.5588848",
        "182699.76791505052626665733",
        "-4862619.0427206982660038741",
    ],
    [
        "0.9019427056680221738104475",
        "0",
        "5068716.33398832",
        "5068716.33398832",
        "4571691.7245411236830649997",
        "-290927.31817957458293887433",
    ],
    [
        "0.87144222769857214860912801",
        "0",
        "4561844.700589488",
        "4561844.700589488",
        "3975384.1082966292896217389",
        "3684456.7901170547066828646",
    ],
    [
        "0.84197316685852381508128311",
        "0",
        "4105660.2305305392",
        "4105660.2305305392",
        "3456855.746344895034453686",
        "7141312.5364619497411365506",
    ],
    [
        "0.81350064430775247833940397",
        "0",
        "3695094.20747748528",
        "3695094.20747748528",
        "3005961.5185607782908292922",
        "10147274.055022728031965843",
    ],
    [
        "0.78599096068381881965159804",
        "0",
        "3325584.786729736752",
        "3325584.786729736752",
        "2613879.5813571985137646019",
        "12761153.636379926545730445",
    ],
    [
        "0.75941155621625006729622999",
        "0",
        "2993026.3080567630768",
        "2993026.3080567630768",
        "2272938.7663975639250126973",
        "15034092.402777490470743142",
    ],
    [
        "0.73373097218961359159056037",
        "0",
        "2693723.67725108676912",
        "2693723.67725108676912",
        "1976468.4925196208043588672",
        "17010560.895297111275102009",
    ],
];
// [kommune, region, stat, total] of pv_costs, pv_gains, npv
const REFERENCE_PV_COSTS: [&str; 4] = [
    "9987173.376274825550187869",
    "0",
    "0",
    "9987173.376274825550187869",
];
const REFERENCE_PV_GAINS: [&str; 4] = [
    "14440656.897198968286037355",
    "0",
    "12557077.374372968539252523",
    "26997734.271571936825289878",
];
const REFERENCE_NPV: [&str; 4] = [
    "4453483.5209241427358494863",
    "0",
    "12557077.374372968539252523",
    "17010560.895297111275102009",
];
const REFERENCE_BENEFIT_COST_RATIO: &str = "2.7032407723797802218839067";
const REFERENCE_RETURN_PER_KRONE: &str = "1.7032407723797802218839067";
const REFERENCE_BREAK_EVEN_SUCCESS_RATE: &str = "0.092481588230823459147471669";
const REFERENCE_NPV_PER_PARTICIPANT: &str = "141754.67412747592729251674";
const REFERENCE_NPV_PER_SUCCESS: &str = "630020.7738998930101889633";
const REFERENCE_PARTICIPANTS: &str = "120";
const REFERENCE_SUCCESSES: &str = "27";
const REFERENCE_BREAK_EVEN_YEAR: Option<i32> = Some(2030);

/// The example's business case as JSON, through the JSON-in/JSON-out API.
fn example_json() -> serde_json::Value {
    let input = std::fs::read_to_string(root().join("examples/housing-first.json")).unwrap();
    let output = som::api::evaluate_json(&input, &frozen_kb()).unwrap();
    serde_json::from_str(&output).unwrap()
}

fn amount(v: &serde_json::Value) -> Decimal {
    d(v.as_str()
        .unwrap_or_else(|| panic!("expected an amount as a string, found {v}")))
}

/// Relative agreement to 1e-20; exact when the reference has few digits.
fn assert_agrees(what: &str, actual: Decimal, reference: &str) {
    let reference_value = d(reference);
    if reference.trim_start_matches('-').len() <= 12 {
        assert_eq!(actual, reference_value, "{what}");
    } else {
        let diff = (actual - reference_value).abs();
        assert!(
            diff <= d("1e-20") * reference_value.abs(),
            "{what}: {actual} vs reference {reference} (difference {diff})"
        );
    }
}

#[test]
fn example_yearly_totals_agree_with_the_independent_reference() {
    let case = example_json();
    let years = case["years"].as_array().unwrap();
    assert_eq!(years.len(), REFERENCE_YEARS.len());
    let keys = [
        "costs",
        "gains",
        "net",
        "net_discounted",
        "cumulative_net_discounted",
    ];
    for (t, (year, reference)) in years.iter().zip(REFERENCE_YEARS).enumerate() {
        assert_eq!(year["t"], t);
        assert_eq!(year["year"], 2026 + t as i64);
        assert_agrees(
            &format!("discount factor t = {t}"),
            amount(&year["discount_factor"]),
            reference[0],
        );
        for (key, reference) in keys.iter().zip(&reference[1..]) {
            assert_agrees(
                &format!("{key}.total t = {t}"),
                amount(&year[*key]["total"]),
                reference,
            );
        }
        // One area (housing): its gains are the year's gains.
        assert_agrees(
            &format!("gains_by_area.housing t = {t}"),
            amount(&year["gains_by_area"]["housing"]),
            reference[2],
        );
    }
}

#[test]
fn example_summary_agrees_with_the_independent_reference() {
    let case = example_json();
    let s = &case["summary"];
    for (key, reference) in [
        ("pv_costs", REFERENCE_PV_COSTS),
        ("pv_gains", REFERENCE_PV_GAINS),
        ("npv", REFERENCE_NPV),
    ] {
        for (payer, r) in ["kommune", "region", "stat", "total"].iter().zip(reference) {
            assert_agrees(&format!("{key}.{payer}"), amount(&s[key][*payer]), r);
        }
    }
    for (key, reference) in [
        ("benefit_cost_ratio", REFERENCE_BENEFIT_COST_RATIO),
        ("return_per_krone", REFERENCE_RETURN_PER_KRONE),
        ("break_even_success_rate", REFERENCE_BREAK_EVEN_SUCCESS_RATE),
        ("npv_per_participant", REFERENCE_NPV_PER_PARTICIPANT),
        ("npv_per_success", REFERENCE_NPV_PER_SUCCESS),
        ("participants", REFERENCE_PARTICIPANTS),
        ("successes", REFERENCE_SUCCESSES),
    ] {
        assert_agrees(key, amount(&s[key]), reference);
    }
    assert_eq!(
        s["break_even_year"].as_i64().map(|y| y as i32),
        REFERENCE_BREAK_EVEN_YEAR
    );
}

/// Runs the Python reference live, when `python3` is there, on the example
/// and on every hand-computed scenario, and compares every figure it prints.
#[test]
fn reference_script_agrees_live_when_python_is_available() {
    let script = root().join("tests/independent/som_reference.py");
    let kb = root().join("tests/data/kb");
    let mut inputs = vec![root().join("examples/housing-first.json")];
    let dir = root().join("tests/data/scenarios");
    let mut scenarios: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    scenarios.sort();
    inputs.extend(scenarios);
    for input in inputs {
        let Ok(output) = std::process::Command::new("python3")
            .arg(&script)
            .arg(&input)
            .arg(&kb)
            .output()
        else {
            eprintln!("python3 not available: skipping the live comparison");
            return;
        };
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let reference: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let text = std::fs::read_to_string(&input).unwrap();
        let ours: serde_json::Value =
            serde_json::from_str(&som::api::evaluate_json(&text, &frozen_kb()).unwrap()).unwrap();
        compare(&input, "$", &reference, &ours);
    }
}

/// Every value the reference gives must be in ours and agree (1e-20 relative).
fn compare(file: &Path, path: &str, reference: &serde_json::Value, ours: &serde_json::Value) {
    use serde_json::Value;
    match reference {
        Value::Object(map) => {
            for (k, v) in map {
                compare(file, &format!("{path}.{k}"), v, &ours[k]);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                compare(file, &format!("{path}[{i}]"), v, &ours[i]);
            }
        }
        Value::String(r) => {
            assert_agrees(&format!("{}: {path}", file.display()), amount(ours), r);
        }
        other => assert_eq!(ours, other, "{}: {path}", file.display()),
    }
}
