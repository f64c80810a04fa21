//! The published SØM cases we reproduce (knowledge-base/REPRODUCTIONS.md):
//! each scenario in `examples/` is run on the embedded knowledge base and its
//! figure must stay within the tolerance REPRODUCTIONS.md states of the figure
//! recorded there.
//!
//! Tolerances, as REPRODUCTIONS.md states them: every case within 1 % of
//! the figure recorded there (the engine is exact, so the only thing that
//! moves a figure is a change to the knowledge base or to a scenario, and a
//! move of more than 1 % changes what REPRODUCTIONS.md tells a reader); and
//! the cases recorded as within ±25 % of the published figure stay within it.

use rust_decimal::Decimal;
use som::{BusinessCase, KnowledgeBase, Scenario};

fn run(file: &str) -> BusinessCase {
    let scenario = Scenario::from_file(format!("examples/{file}"))
        .unwrap_or_else(|e| panic!("examples/{file} does not parse: {e}"));
    som::evaluate(&scenario, KnowledgeBase::embedded())
        .unwrap_or_else(|e| panic!("examples/{file} does not evaluate: {e}"))
}

fn assert_within_a_quarter_of_the_published(what: &str, ours: Decimal, published: Decimal) {
    let tolerance = published.abs() / Decimal::from(4);
    assert!(
        (ours - published).abs() <= tolerance,
        "{what}: ours {ours}, published {published} (REPRODUCTIONS.md records it within ±25 %)"
    );
}

fn assert_within_one_percent(what: &str, ours: Decimal, recorded: Decimal) {
    let tolerance = recorded.abs() / Decimal::from(100);
    assert!(
        (ours - recorded).abs() <= tolerance,
        "{what}: ours {ours}, recorded in REPRODUCTIONS.md {recorded} (tolerance 1 %)"
    );
}

#[test]
fn cool_kids_cost_side_matches_the_recorded_npv() {
    let case = run("cool-kids.json");
    assert_within_one_percent(
        "Cool Kids NPV (total)",
        case.summary.npv.total,
        Decimal::from(-621_000),
    );
}

#[test]
fn r_and_r2_adhd_matches_the_recorded_npv_and_break_even_rate() {
    let case = run("r-and-r2-adhd.json");
    assert_within_one_percent(
        "R&R2-ADHD NPV (total)",
        case.summary.npv.total,
        Decimal::from(2_343_967),
    );
    let break_even = case
        .summary
        .break_even_success_rate
        .expect("the R&R2-ADHD case has a break-even success rate");
    assert_within_one_percent(
        "R&R2-ADHD break-even net success rate",
        break_even,
        Decimal::new(649, 4),
    );
}

#[test]
fn housing_first_matches_the_recorded_municipal_gain_per_success_in_year_one() {
    let case = run("housing-first-odense-year-one.json");
    let year_one = &case.years[1];
    let per_success = year_one.gains.kommune / case.summary.successes;
    assert_within_one_percent(
        "Housing First, kommune gain per success in the year after",
        per_success,
        Decimal::from(81_802),
    );
}

#[test]
fn move_vive_follow_up_reproduces_the_27_000_kr_per_participant_it_was_derived_from() {
    // By construction (consequences.json, the three MOVE lines): 0,24 net
    // completers x 5 years x (4,29 x 6.385,37 - 2,14 x 6.397,75 + 0,14 x
    // 63.093) = 27.042 kr. per participant, VIVE's "knap 27.000 kr." plus the
    // rounding of the months. A check that the derivation is carried through,
    // not an independent reproduction.
    let case = run("move-vive-five-years.json");
    let per_participant = case.summary.npv_per_participant.expect("participants > 0");
    assert_within_one_percent(
        "MOVE, gains per participant over 5 years",
        per_participant,
        Decimal::from(27_042),
    );
}

#[test]
fn move_soem_case_matches_the_recorded_npv() {
    // 36 net completers over (5 + 5 + 4) cohort-years in the horizon at the
    // three lines' yearly value in 2018 prices, less 150 x 1.200 kr. of
    // vouchers (REPRODUCTIONS.md, MOVE).
    let case = run("move.json");
    assert_within_one_percent(
        "MOVE NPV (total)",
        case.summary.npv.total,
        Decimal::from(3_322_213),
    );
    assert_eq!(case.summary.npv.region, Decimal::ZERO);
    // 62.000 kr. per participant published: ours is outside ±25 % and
    // REPRODUCTIONS.md accounts for the gap line by line.
    let per_participant = case.summary.npv_per_participant.unwrap();
    assert!(per_participant < Decimal::from(62_000) * Decimal::new(75, 2));
}

#[test]
fn keep_at_the_danish_tests_null_effect_matches_the_recorded_npv_and_break_even_rate() {
    // 54 x 11.500 = 621.000 kr. of costs and no gains; the break-even net
    // success rate is 621.000 / (54 x the PV of gains per success).
    let case = run("keep.json");
    assert_within_one_percent(
        "KEEP NPV (total)",
        case.summary.npv.total,
        Decimal::from(-621_000),
    );
    let break_even = case
        .summary
        .break_even_success_rate
        .expect("the KEEP case has a break-even success rate");
    assert_within_one_percent(
        "KEEP break-even net success rate",
        break_even,
        Decimal::new(42307, 7),
    );
}

#[test]
fn cool_kids_with_the_knowledge_bases_set_is_within_a_quarter_of_the_published_npv() {
    let case = run("cool-kids-psychiatry.json");
    assert_within_one_percent(
        "Cool Kids with consequences, NPV",
        case.summary.npv.total,
        Decimal::from(4_693_091),
    );
    assert_within_a_quarter_of_the_published(
        "Cool Kids NPV against Socialstyrelsen's 4,4 mio. kr.",
        case.summary.npv.total,
        Decimal::from(4_400_000),
    );
}

#[test]
fn housing_first_national_strategy_matches_the_recorded_gains() {
    // Kraka 2020: savings of about 4,5 mia. kr.; ours is 34 % lower and
    // REPRODUCTIONS.md accounts for it line by line. 2.977.473.043 kr. is
    // also what tests/independent/som_reference.py gives for the example.
    let case = run("housing-first-kraka-2030.json");
    assert_within_one_percent(
        "Housing First 2021-2030, PV of gains",
        case.summary.pv_gains.total,
        Decimal::from(2_977_473_043i64),
    );
    assert!(case.lines.iter().any(|l| l.pv_gains < Decimal::ZERO));
}

#[test]
fn released_prisoners_are_within_a_quarter_of_justitsministeriets_505_300_kr() {
    // Not independent (REPRODUCTIONS.md): the quantities come from the
    // publication's own run. By hand, 2021 prices: 245 days x 1.469 x
    // 1,074142 (PL 2015 to 2021) + 1,169 x 63.093 / 1,043 + 6,847 x 12.326 /
    // 1,111838 + 6,282 shelter days x 1.506,85 / 1,069075 - 0,564 SU months x
    // 6.820 / 1,111838 - 3,163 GP consultations x 160,72 / 1,111838 = 386.589
    // + 70.715 + 75.907 + 8.854 - 3.460 - 457 = 538.148 kr. with each line
    // rounded; 538.148,61, so 538.149 kr., unrounded.
    let case = run("released-prisoners-jm-2021.json");
    let per_success = case.summary.npv_per_success.expect("successes > 0");
    assert_within_one_percent(
        "Released prisoners, gain per success over 10 years",
        per_success,
        Decimal::from(538_149),
    );
    assert_within_a_quarter_of_the_published(
        "Released prisoners against Justitsministeriet's 505.300 kr.",
        per_success,
        Decimal::from(505_300),
    );
}

#[test]
fn every_example_runs_on_the_embedded_knowledge_base() {
    let mut files: Vec<String> = std::fs::read_dir("examples")
        .expect("examples/ exists")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for file in files {
        run(&file);
    }
}
