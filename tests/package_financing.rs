//! A package's committees and financing (docs/DESIGN.md §1.10–§1.12, §4.1),
//! worked by hand on `tests/data/package-committees-financing.json`, in
//! every view, with the problems bad input gets.
//!
//! By hand. Both arms: net success rate 0,5, lag 1, no decay, DF = 1; 0,8;
//! 0,64 (25 % a year); prices shelter day 100 kommune / 50 stat, cash
//! benefit month 1.000 / 250, prison day 400 stat. The package moves the
//! cash benefit to the social committee for every arm.
//!
//! Arm A (as `tests/committees_financing.rs`, without its grants): 10
//! participants, 5 successes.
//! - social: shelter 5 × 10 × 100 = 5.000 in years 1 and 2, PV 4.000 +
//!   3.200 = 7.200; cash benefit (moved here) 5 × 2 × 1.000 = 10.000 in year
//!   1, PV 8.000; gains 15.200. The team, 6.000 in years 0 and 1: PV 10.800.
//!   Net 4.400.
//! - employment: the job consultant, 2.000 in year 1, PV 1.600: net −1.600.
//! - kommune 4.400 − 1.600 = 2.800; stat: shelter 5 × 10 × 50 = 2.500 in
//!   years 1 and 2, cash 5 × 2 × 250 = 2.500 and prisons −5 × 400 = −2.000
//!   in year 1, screening −1.000 in year 0: −1.000 + 3.000 × 0,8 +
//!   2.500 × 0,64 = 3.000. Total 5.800.
//!
//! Arm B: 4 participants, 2 successes, mentor 500 each (kommune, social).
//! - social: shelter 2 × 10 × 100 = 2.000 and cash 2 × 1 × 1.000 = 2.000 in
//!   year 1: PV 1.600 + 1.600 = 3.200; mentor 2.000 in year 0, PV 2.000;
//!   net 1.200. Kommune 1.200.
//! - stat: (2 × 10 × 50 + 2 × 250) × 0,8 = 1.200. Total 2.400.
//!
//! Package: social gains 18.400, costs 12.800, net 5.600; employment
//! −1.600; kommune 4.000 = 2.800 + 1.200; stat 4.200; total 8.200.
//!
//! Grants, for the whole application: the pool (stat, no committee, so the
//! arms' target group's: social) 3.000 in years 0 and 1, PV 3.000 + 2.400 =
//! 5.400; a foundation (outside, employment) 1.000 in year 1, PV 800.
//! - kommune with financing 4.000 + 6.200 = 10.200 (social 5.600 + 5.400 =
//!   11.000, employment −1.600 + 800 = −800);
//! - stat 4.200 − 5.400 = −1.200;
//! - total 8.200 + 800 = 9.000: only the foundation's money adds to it.

use rust_decimal::Decimal;
use serde_json::{Value, json};
use som::KnowledgeBase;
use som::business_case::CommitteeResult;
use som::package::{self, Package, PackageCase};
use som::report::{Format, Lang};

const FILE: &str = "tests/data/package-committees-financing.json";

fn kb() -> &'static KnowledgeBase {
    KnowledgeBase::embedded()
}

fn d(v: i64) -> Decimal {
    Decimal::from(v)
}

fn package_json() -> Value {
    serde_json::from_str(&std::fs::read_to_string(FILE).unwrap()).unwrap()
}

fn evaluate(json: &Value) -> PackageCase {
    let p = Package::from_json_named(&json.to_string(), "package.json").unwrap();
    package::evaluate(&p, kb()).unwrap()
}

fn committee<'a>(case: &'a som::BusinessCase, id: &str) -> &'a CommitteeResult {
    case.committees
        .iter()
        .find(|c| c.committee == id)
        .unwrap_or_else(|| panic!("no committee {id}"))
}

fn problems(json: &Value) -> Vec<som::Problem> {
    match Package::from_json_named(&json.to_string(), "bad.json") {
        Err(e) => e.problems().to_vec(),
        Ok(p) => package::evaluate(&p, kb())
            .err()
            .map(|e| e.problems().to_vec())
            .unwrap_or_default(),
    }
}

fn has(problems: &[som::Problem], path: &str) -> som::Problem {
    problems
        .iter()
        .find(|p| p.path == path && p.file == "bad.json")
        .cloned()
        .unwrap_or_else(|| panic!("no problem at {path}: {problems:?}"))
}

#[test]
fn the_committee_remap_applies_to_every_arm_and_the_total_sums_them() {
    let case = evaluate(&package_json());
    let (a, b) = (&case.arms[0], &case.arms[1]);
    assert_eq!(committee(a, "social").pv_gains, d(15200));
    assert_eq!(committee(a, "social").npv, d(4400));
    assert_eq!(committee(a, "employment").npv, d(-1600));
    assert_eq!(committee(b, "social").gains, [d(0), d(4000), d(0)]);
    assert_eq!(committee(b, "social").npv, d(1200));
    assert!(b.committees.iter().all(|c| c.committee != "employment"));
    // The arms have no grants: the package's finance the total.
    assert!(a.financing.is_none() && b.financing.is_none());

    let total = &case.total;
    let ids: Vec<&str> = total
        .committees
        .iter()
        .map(|c| c.committee.as_str())
        .collect();
    // The knowledge base's order, as for one case.
    assert_eq!(ids, ["social", "employment", "not-municipal"]);
    let social = committee(total, "social");
    assert_eq!(social.gains, [d(0), d(5000 + 10000 + 4000), d(5000)]);
    assert_eq!(social.costs, [d(6000 + 2000), d(6000), d(0)]);
    assert_eq!(social.pv_gains, d(18400));
    assert_eq!(social.pv_costs, d(12800));
    assert_eq!(social.npv, d(5600));
    assert_eq!(committee(total, "employment").npv, d(-1600));
    assert_eq!(total.summary.npv.kommune, d(4000));
    assert_eq!(total.summary.npv.stat, d(4200));
    assert_eq!(total.summary.npv.total, d(8200));
    let sum: Decimal = total.committees.iter().map(|c| c.npv).sum();
    assert_eq!(sum, total.summary.npv.kommune);
}

#[test]
fn the_packages_grants_finance_the_total() {
    let case = evaluate(&package_json());
    let total = &case.total;
    let f = total.financing.as_ref().unwrap();
    assert_eq!(f.grants[0].committee.as_deref(), Some("social"));
    assert_eq!(f.grants[0].pv, d(5400));
    assert_eq!(f.grants[1].pv, d(800));
    assert_eq!(f.years[0].kommune, d(3000));
    assert_eq!(f.years[0].stat, d(-3000));
    assert_eq!(f.years[1].kommune, d(4000));
    assert_eq!(f.years[1].total, d(1000));
    assert_eq!(f.pv.kommune, d(6200));
    assert_eq!(f.pv.stat, d(-5400));
    assert_eq!(f.npv_with_financing.kommune, d(10200));
    assert_eq!(f.npv_with_financing.stat, d(-1200));
    assert_eq!(f.npv_with_financing.total, d(9000));
    let social = committee(total, "social");
    assert_eq!(social.financing, [d(3000), d(3000), d(0)]);
    assert_eq!(social.pv_financing, d(5400));
    assert_eq!(social.npv_with_financing, d(11000));
    assert_eq!(committee(total, "employment").npv_with_financing, d(-800));
    // The summary stays the intervention's, without financing.
    assert_eq!(total.summary.npv.kommune, d(4000));
}

#[test]
fn a_grant_from_the_state_leaves_the_public_sectors_result_unchanged() {
    let mut json = package_json();
    json["financing"].as_array_mut().unwrap().truncate(1);
    let with = evaluate(&json);
    json.as_object_mut().unwrap().remove("financing");
    let without = evaluate(&json);
    // Every figure of the case is the same; only who pays moves.
    assert_eq!(with.total.summary, without.total.summary);
    assert_eq!(with.total.years, without.total.years);
    assert_eq!(with.arms, without.arms);
    let f = with.total.financing.as_ref().unwrap();
    assert_eq!(f.npv_with_financing.total, without.total.summary.npv.total);
    assert_eq!(f.npv_with_financing.kommune, d(4000 + 5400));
    assert_eq!(f.npv_with_financing.stat, d(4200 - 5400));
    assert!(without.total.financing.is_none());
}

#[test]
fn a_grant_may_go_to_a_committee_no_arm_uses() {
    let mut json = package_json();
    json["financing"][1]["committee"] = json!("health");
    let case = evaluate(&json);
    let health = committee(&case.total, "health");
    // Nothing but the foundation's 1.000 in year 1: PV 800.
    assert_eq!(health.npv, d(0));
    assert_eq!(health.npv_with_financing, d(800));
    let ids: Vec<&str> = case
        .total
        .context
        .committees
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids, ["social", "employment", "health", "not-municipal"]);
}

#[test]
fn committees_and_financing_inside_an_arm_are_refused_with_a_hint() {
    let mut json = package_json();
    json["arms"][1]["financing"] = json["financing"].clone();
    json["arms"][0]["committees"] = json!({"shelter-day": "health"});
    let found = problems(&json);
    let p = has(&found, "$.arms[1].financing");
    assert!(p.expected.contains("`$.financing`"), "{p:?}");
    let p = has(&found, "$.arms[0].committees");
    assert!(p.expected.contains("`$.committees`"), "{p:?}");
}

#[test]
fn bad_committees_and_grants_are_reported_at_the_packages_paths() {
    let mut json = package_json();
    // Used by no arm: a misspelt id.
    json["committees"] = json!({"cash-benefit-mont": "social"});
    let p = has(&problems(&json), "$.committees.cash-benefit-mont");
    assert_eq!(p.did_you_mean.as_deref(), Some("cash-benefit-month"));
    // Used by one arm only is fine: the remap is the package's. Prison days
    // have no kommune price, so social's gains stay 19.000 in year 1, and no
    // line is left in the committee that is not the kommune's.
    let mut json = package_json();
    json["committees"]["prison-day"] = json!("social");
    let total = evaluate(&json).total;
    assert_eq!(committee(&total, "social").gains[1], d(19000));
    assert!(
        total
            .committees
            .iter()
            .all(|c| c.committee != "not-municipal")
    );

    let mut json = package_json();
    json["committees"] = json!({"shelter-day": "socail"});
    let found = problems(&json);
    assert_eq!(
        has(&found, "$.committees.shelter-day")
            .did_you_mean
            .as_deref(),
        Some("social")
    );
    // Listed once, not once per arm.
    assert_eq!(
        found
            .iter()
            .filter(|p| p.path == "$.committees.shelter-day")
            .count(),
        1
    );
}

#[test]
fn grants_are_checked_against_the_packages_horizon_and_committees() {
    let mut json = package_json();
    json["financing"][0]["amounts"][1]["year"] = json!(3);
    json["financing"][1]["committee"] = json!("not-municipal");
    let found = problems(&json);
    let p = has(&found, "$.financing[0].amounts[1].year");
    assert!(p.expected.contains("0 to 2"), "{p:?}");
    has(&found, "$.financing[1].committee");

    // Arms for groups of different committees: a grant must name its own.
    let mut json = package_json();
    json["arms"][1]["target_group"] = json!("children-at-risk-of-placement");
    json["arms"][1]["success_measure"] = json!("placement-avoided");
    json["arms"][1]["consequences"] = json!([{"service": "shelter-day", "profile": [-10]}]);
    json["committees"] = json!({});
    let p = has(&problems(&json), "$.financing[0].committee");
    assert!(p.found.contains("social, children"), "{p:?}");
    json["financing"][0]["committee"] = json!("children");
    let case = evaluate(&json);
    assert_eq!(committee(&case.total, "children").pv_financing, d(5400));
}

#[test]
fn every_package_view_shows_the_committees_and_the_financing() {
    let case = evaluate(&package_json());
    let json = som::report::json::package_value(&case);
    assert_eq!(json["committees"][0]["id"], "social");
    assert_eq!(json["committees"][0]["npv"], "5600");
    assert_eq!(json["committees"][0]["npv_with_financing"], "11000");
    assert_eq!(json["financing"]["pv"]["total"], "800");
    assert_eq!(json["financing"]["npv_with_financing"]["kommune"], "10200");
    assert_eq!(
        json["financing"]["npv_without_financing"]["kommune"],
        "4000"
    );
    assert_eq!(json["arms"][1]["committees"][0]["npv"], "1200");
    assert!(json["arms"][1].get("financing").is_none());

    let render = |format, lang| som::report::package::render_in(&case, format, lang, Some(kb()));
    let table = render(Format::Table, Lang::En);
    assert!(
        table.contains("Kommune by committee (package total)"),
        "{table}"
    );
    assert!(table.contains("Result with financing (package total)"));
    assert!(table.contains("Social investment pool"));
    let md = render(Format::Markdown, Lang::En);
    assert!(
        md.contains("## Kommune by committee (package total)"),
        "{md}"
    );
    assert!(
        md.contains("| Social investment pool | the state |"),
        "{md}"
    );
    let da = render(Format::Table, Lang::Da);
    assert!(
        da.contains("Kommunen fordelt på udvalg (pakken i alt)"),
        "{da}"
    );
    assert!(da.contains("Resultat med finansiering (pakken i alt)"));
    assert!(da.contains("10.200"), "{da}");

    let csv = render(Format::Csv, Lang::En);
    let mut rows = csv.lines().map(|l| l.split(',').collect::<Vec<_>>());
    let header = rows.next().unwrap();
    let rows: Vec<Vec<&str>> = rows.collect();
    let at = |arm: &str, t: &str, name: &str| {
        let row = rows
            .iter()
            .find(|r| r[0] == arm && r[1] == t)
            .unwrap_or_else(|| panic!("no row {arm} {t}"));
        row[header.iter().position(|h| *h == name).unwrap()].to_owned()
    };
    assert_eq!(at("A", "1", "committee_social_gains_kommune"), "15000");
    assert_eq!(at("B", "1", "committee_social_gains_kommune"), "4000");
    assert_eq!(at("B", "1", "committee_employment_costs_kommune"), "0");
    assert_eq!(at("B", "1", "committee_social_financing_kommune"), "");
    assert_eq!(at("B", "1", "financing_kommune"), "");
    assert_eq!(at("total", "1", "committee_social_gains_kommune"), "19000");
    assert_eq!(
        at("total", "1", "committee_social_financing_kommune"),
        "3000"
    );
    assert_eq!(at("total", "1", "financing_kommune"), "4000");
    assert_eq!(at("total", "1", "financing_stat"), "-3000");

    let da = render(Format::Csv, Lang::Da);
    assert!(
        da.contains(";Socialudvalget, kommunens finansiering (kr.);"),
        "{da}"
    );
    assert!(da.contains(";Netto med finansiering, i alt (kr.)"), "{da}");

    for lang in [Lang::En, Lang::Da] {
        let html = som::report::package::html(&case, lang, kb());
        let heading = lang.pick("Kommune by committee", "Kommunen fordelt på udvalg");
        let committees = html.find(heading).unwrap();
        // Before the charts, beside the total's result, as in one case's report.
        assert!(committees < html.find("<section class=\"charts\">").unwrap());
        assert!(html.contains(lang.pick("Result with financing", "Resultat med finansiering")));
    }
}

/// The 60-citizen application (`examples/package/homeless-60.json`) with
/// its pool grant and committee table. By hand: the grant is 2.000.000 kr.
/// in 2026 and 1.000.000 kr. in 2027, from the state, to the social
/// committee (both arms are for homeless adults, a social committee group);
/// the Ministry of Finance's 3,5 % gives DF(1) = 1/1,035, so its present
/// value is 2.000.000 + 1.000.000/1,035 = 2.966.183,574879... kr. The
/// kommune's NPV moves by exactly that, the state's by minus it, and the
/// public sector's not at all: the package NPV stays the 12.901.533 kr. the
/// Python reference computes (`tests/packages.rs`). The table moves housing
/// benefit to the social committee, so no line is left in the employment
/// committee and social holds the kommune's whole result (the psychiatric
/// visit's committee, health, and the committee that is not the kommune's
/// hold no kommune money).
#[test]
fn the_example_application_has_its_grant_and_committee_table() {
    let case = package::evaluate(
        &Package::from_file("examples/package/homeless-60.json").unwrap(),
        kb(),
    )
    .unwrap();
    let total = &case.total;
    let f = total.financing.as_ref().unwrap();
    let pv = d(2_000_000) + d(1_000_000) / Decimal::new(1035, 3);
    let close = |a: Decimal, b: Decimal| assert!((a - b).abs() < Decimal::new(1, 15), "{a} != {b}");
    close(f.pv.kommune, pv);
    close(f.pv.stat, -pv);
    assert_eq!(f.pv.total, d(0));
    assert_eq!(f.npv_with_financing.total, total.summary.npv.total);
    close(f.npv_with_financing.kommune, total.summary.npv.kommune + pv);
    assert_eq!(total.summary.npv.total.round(), d(12_901_533));
    assert_eq!(total.summary.npv.kommune.round(), d(4_118_523));
    let ids: Vec<&str> = total
        .committees
        .iter()
        .map(|c| c.committee.as_str())
        .collect();
    assert_eq!(ids, ["social", "health", "not-municipal"]);
    // Equal up to Decimal's rounding in the 28th digit (DESIGN.md §1.11).
    close(committee(total, "social").npv, total.summary.npv.kommune);
    close(
        committee(total, "social").npv_with_financing,
        f.npv_with_financing.kommune,
    );
    for arm in &case.arms {
        assert!(
            arm.lines
                .iter()
                .filter(|l| &*l.service == "housing-benefit-month")
                .all(|l| l.committee.as_deref() == Some("social"))
        );
    }
}

#[test]
fn the_package_reports_answer_gives_the_kommunes_result_without_and_with_the_financing() {
    // By hand (the header): kommune 4.000 without financing, 10.200 with the
    // grants' 6.200; the state 4.200 and −1.200; the public sector 8.200 and
    // 9.000; the region 0.
    let case = evaluate(&package_json());
    let english = "Without its financing, the kommune alone is 4,000 DKK better off; \
        the public sector in total 8,200 DKK (region 0 DKK, stat 4,200 DKK). \
        With the financing (grants worth 6,200 DKK to the kommune in present value), \
        the kommune is 10,200 DKK better off; the public sector in total 9,000 DKK \
        (region 0 DKK, stat -1,200 DKK).";
    let danish = "Kommunen alene er 4.000 kr. bedre stillet uden sin finansiering; \
        den offentlige sektor i alt 8.200 kr. (region 0 kr., stat 4.200 kr.). \
        Kommunen er 10.200 kr. bedre stillet med finansieringen (tilskud til kommunen \
        med en nutidsværdi på 6.200 kr.); den offentlige sektor i alt 9.000 kr. \
        (region 0 kr., stat -1.200 kr.).";
    for (lang, sentence) in [(Lang::En, english), (Lang::Da, danish)] {
        let html = som::report::package::html(&case, lang, kb());
        assert!(
            html.contains(&format!("<p class=\"by-payer\">{sentence}</p>")),
            "{html}"
        );
        let md = som::report::package::markdown_report(&case, lang, kb(), &[]);
        assert!(md.contains(&format!("> {sentence}\n")), "{md}");
    }
}
