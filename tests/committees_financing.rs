//! The kommune's result by committee and the grants that finance it
//! (docs/DESIGN.md §1.10, §1.11), worked by hand on
//! `tests/data/committees-and-financing.json`, checked in every
//! view, with the problems bad input gets.
//!
//! The scenario, by hand: 10 participants in year 0, net success rate 0,5,
//! so 5 successes; lag 1, no decay; DF = 1; 0,8; 0,64 (25 % a year).
//! - shelter days (social): Q = 5 × −10 = −50 in years 1 and 2; kommune
//!   price 100, so the kommune gains 5.000 a year: PV 4.000 + 3.200 = 7.200.
//! - cash benefit (employment): Q = 5 × −2 = −10 in year 1, kommune price
//!   1.000: 10.000, PV 8.000.
//! - prison days (not municipal): Q = 5 in year 1, kommune price 0: 0.
//! - costs: the team, 6.000 in years 0 and 1, in the target group's
//!   committee (social): PV 6.000 + 4.800 = 10.800; the job consultant,
//!   2.000 in year 1 (employment): PV 1.600; the screening is the state's.
//! - social: 7.200 − 10.800 = −3.600; employment: 8.000 − 1.600 = 6.400;
//!   kommune 2.800, which is −6.000 + 7.000 × 0,8 + 5.000 × 0,64 from the
//!   kommune's yearly net (−6.000, 15.000 − 8.000, 5.000).
//! - grants: the pool (stat → social) 3.000 in years 0 and 1: PV 5.400;
//!   the foundation (outside → employment) 1.000 in year 1: PV 800.
//!   Kommune with financing 2.800 + 6.200 = 9.000 (social 1.800,
//!   employment 7.200); stat 3.000 − 5.400 = −2.400; the total moves by the
//!   foundation's 800 only: 5.800 → 6.600.
//! - stat without financing: shelter 50 × 50 = 2.500 in years 1 and 2, cash
//!   10 × 250 = 2.500 and prisons −5 × 400 = −2.000 in year 1, screening
//!   −1.000 in year 0: −1.000 + 3.000 × 0,8 + 2.500 × 0,64 = 3.000.

use rust_decimal::Decimal;
use serde_json::{Value, json};
use som::report::{Format, Lang};
use som::{BusinessCase, KnowledgeBase, Scenario};

const FILE: &str = "tests/data/committees-and-financing.json";

fn kb() -> &'static KnowledgeBase {
    KnowledgeBase::embedded()
}

fn d(v: i64) -> Decimal {
    Decimal::from(v)
}

fn scenario_json() -> Value {
    serde_json::from_str(&std::fs::read_to_string(FILE).unwrap()).unwrap()
}

fn case_of(json: &Value) -> BusinessCase {
    let scenario = Scenario::from_json_named(&json.to_string(), "case.json").unwrap();
    som::evaluate(&scenario, kb()).unwrap()
}

fn committee<'a>(case: &'a BusinessCase, id: &str) -> &'a som::business_case::CommitteeResult {
    case.committees
        .iter()
        .find(|c| c.committee == id)
        .unwrap_or_else(|| panic!("no committee {id}"))
}

#[test]
fn the_kommunes_result_splits_by_committee_as_worked_by_hand() {
    let case = case_of(&scenario_json());
    let ids: Vec<&str> = case
        .committees
        .iter()
        .map(|c| c.committee.as_str())
        .collect();
    // The knowledge base's order; only committees with a line, cost or grant.
    assert_eq!(ids, ["social", "employment", "not-municipal"]);
    let social = committee(&case, "social");
    assert_eq!(social.gains, [d(0), d(5000), d(5000)]);
    assert_eq!(social.costs, [d(6000), d(6000), d(0)]);
    assert_eq!(social.pv_gains, d(7200));
    assert_eq!(social.pv_costs, d(10800));
    assert_eq!(social.npv, d(-3600));
    let employment = committee(&case, "employment");
    assert_eq!(employment.pv_gains, d(8000));
    assert_eq!(employment.pv_costs, d(1600));
    assert_eq!(employment.npv, d(6400));
    let outside = committee(&case, "not-municipal");
    assert_eq!(outside.npv, d(0));
    // The committees add up to the kommune's result.
    assert_eq!(case.summary.npv.kommune, d(2800));
    assert_eq!(case.summary.npv.stat, d(3000));
    let sum = case.committees.iter().map(|c| c.npv).sum::<Decimal>();
    assert_eq!(sum, case.summary.npv.kommune);
}

#[test]
fn a_grant_from_the_state_moves_money_and_one_from_outside_adds_to_the_total() {
    let case = case_of(&scenario_json());
    let f = case.financing.as_ref().unwrap();
    assert_eq!(f.grants[0].pv, d(5400));
    assert_eq!(f.grants[1].pv, d(800));
    assert_eq!(f.years[0].kommune, d(3000));
    assert_eq!(f.years[0].stat, d(-3000));
    assert_eq!(f.years[1].kommune, d(4000));
    assert_eq!(f.years[1].total, d(1000));
    assert_eq!(f.pv.kommune, d(6200));
    assert_eq!(f.pv.stat, d(-5400));
    assert_eq!(f.pv.region, d(0));
    assert_eq!(f.pv.total, d(800));
    assert_eq!(f.npv_with_financing.kommune, d(9000));
    assert_eq!(f.npv_with_financing.stat, d(-2400));
    assert_eq!(case.summary.npv.total, d(5800));
    assert_eq!(f.npv_with_financing.total, d(6600));
    // The summary stays the case without financing.
    assert_eq!(case.summary.npv.kommune, d(2800));
    let social = committee(&case, "social");
    assert_eq!(social.pv_financing, d(5400));
    assert_eq!(social.npv_with_financing, d(1800));
    assert_eq!(committee(&case, "employment").npv_with_financing, d(7200));
}

#[test]
fn only_a_transfer_between_public_payers_leaves_the_total_unchanged() {
    let mut json = scenario_json();
    json["financing"] =
        json!([{"label": "Pool", "from": "stat", "amounts": [{"year": 2, "amount": 500}]}]);
    let case = case_of(&json);
    let f = case.financing.as_ref().unwrap();
    // 500 × 0,64 = 320 to the kommune, from the state.
    assert_eq!(f.pv.kommune, d(320));
    assert_eq!(f.pv.stat, d(-320));
    assert_eq!(f.npv_with_financing.total, case.summary.npv.total);
}

#[test]
fn a_scenario_may_move_a_service_to_another_committee() {
    let mut json = scenario_json();
    json["committees"] = json!({"cash-benefit-month": "social"});
    let case = case_of(&json);
    // Social now holds the cash benefit's 8.000 as well: 7.200 + 8.000.
    assert_eq!(committee(&case, "social").pv_gains, d(15200));
    assert_eq!(committee(&case, "employment").pv_gains, d(0));
    assert_eq!(
        case.context.committee_remaps,
        [("cash-benefit-month".to_owned(), "social".to_owned())]
    );
}

fn problems(json: &Value) -> Vec<som::Problem> {
    let scenario = Scenario::from_json_named(&json.to_string(), "bad.json").unwrap();
    scenario.resolve(kb()).unwrap_err().problems().to_vec()
}

fn has(problems: &[som::Problem], path: &str) -> som::Problem {
    problems
        .iter()
        .find(|p| p.path == path && p.file == "bad.json")
        .cloned()
        .unwrap_or_else(|| panic!("no problem at {path}: {problems:?}"))
}

#[test]
fn an_unknown_committee_is_named_with_a_suggestion() {
    let mut json = scenario_json();
    json["committees"] = json!({"shelter-day": "socail"});
    json["costs"][1]["committee"] = json!("employmnt");
    let found = problems(&json);
    assert_eq!(
        has(&found, "$.committees.shelter-day")
            .did_you_mean
            .as_deref(),
        Some("social")
    );
    assert_eq!(
        has(&found, "$.costs[1].committee").did_you_mean.as_deref(),
        Some("employment")
    );
}

#[test]
fn bad_grants_are_reported_with_their_paths() {
    let mut json = scenario_json();
    json["financing"][0]["amounts"] = json!([
        {"year": 0, "amount": -3000},
        {"year": 3, "amount": 100},
        {"year": 0, "amount": 5}
    ]);
    let found = problems(&json);
    assert!(
        has(&found, "$.financing[0].amounts[0].amount")
            .expected
            .contains(">= 0")
    );
    let outside = has(&found, "$.financing[0].amounts[1].year");
    assert_eq!(outside.found, "3");
    assert!(outside.expected.contains("0 to 2"), "{outside:?}");
    has(&found, "$.financing[0].amounts[2].year");
    let mut json = scenario_json();
    json["financing"][1]["from"] = json!("foundation");
    let err = Scenario::from_json_named(&json.to_string(), "bad.json").unwrap_err();
    assert!(
        err.problems()[0].path.starts_with("$.financing[1].from"),
        "{err}"
    );
}

#[test]
fn no_kommune_money_may_fall_outside_the_kommunes_committees() {
    let mut json = scenario_json();
    // The knowledge base classes prison days as not municipal.
    json["prices"]["prison-day"]["kommune"] = json!(10);
    let p = has(&problems(&json), "$.prices.prison-day.kommune");
    assert!(p.expected.contains("$.committees"), "{p:?}");
    // Moved to a committee of the kommune, the same price is fine.
    json["committees"] = json!({"prison-day": "social"});
    assert_eq!(committee(&case_of(&json), "social").gains[1], d(5000 - 50));
    let mut json = scenario_json();
    json["costs"][0]["committee"] = json!("not-municipal");
    has(&problems(&json), "$.costs[0].committee");
    let mut json = scenario_json();
    json["committees"] = json!({"gp-consultation": "health"});
    has(&problems(&json), "$.committees.gp-consultation");
}

#[test]
fn the_knowledge_base_checks_every_services_committee() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge-base");
    let mut files: Vec<(String, String)> = som::knowledge_base::FILES
        .iter()
        .map(|f| (f.to_string(), std::fs::read_to_string(dir.join(f)).unwrap()))
        .collect();
    let i = som::knowledge_base::FILES
        .iter()
        .position(|f| *f == "services.json")
        .unwrap();
    let mut doc: Value = serde_json::from_str(&files[i].1).unwrap();
    doc["services"][0]["committee"] = json!("socal");
    doc["services"][1]
        .as_object_mut()
        .unwrap()
        .remove("committee");
    // Prison days are not the kommune's; a kommune price there is an error.
    let prison = doc["services"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["id"] == "prison-day")
        .unwrap();
    prison["price"]["kommune"] = json!("5");
    files[i].1 = doc.to_string();
    let err = KnowledgeBase::from_texts(&files).unwrap_err();
    let at = |path: &str| {
        err.problems()
            .iter()
            .find(|p| p.path == path && p.file == "services.json")
            .unwrap_or_else(|| panic!("no problem at {path}: {err}"))
            .clone()
    };
    assert_eq!(
        at("$.services[0].committee").did_you_mean.as_deref(),
        Some("social")
    );
    assert_eq!(at("$.services[1].committee").found, "nothing");
    assert!(
        err.problems()
            .iter()
            .any(|p| p.path.ends_with(".price.kommune")),
        "{err}"
    );
    // Without committees.json the manifest may not register one.
    files.pop();
    let err = KnowledgeBase::from_texts(&files).unwrap_err();
    assert!(
        err.problems()
            .iter()
            .any(|p| p.file.ends_with("committees.json")),
        "{err}"
    );
}

#[test]
fn a_knowledge_base_without_committees_gives_no_committee_views() {
    let frozen =
        KnowledgeBase::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/kb"))
            .unwrap();
    let case = som::evaluate(&Scenario::example(), &frozen).unwrap();
    assert!(case.committees.is_empty());
    assert!(som::report::json::value(&case).get("committees").is_none());
    let mut json = scenario_json();
    json["committees"] = json!({"shelter-day": "social"});
    let scenario = Scenario::from_json_named(&json.to_string(), "bad.json").unwrap();
    let err = scenario.resolve(&frozen).unwrap_err();
    assert!(
        err.problems()
            .iter()
            .any(|p| p.path == "$.committees.shelter-day"),
        "{err}"
    );
}

#[test]
fn every_view_shows_the_committees_and_the_financing() {
    let case = case_of(&scenario_json());
    let json = som::report::json::value(&case);
    assert_eq!(json["committees"][0]["id"], "social");
    assert_eq!(json["committees"][0]["npv"], "-3600");
    assert_eq!(json["committees"][0]["npv_with_financing"], "1800");
    assert_eq!(json["financing"]["pv"]["total"], "800");
    assert_eq!(json["financing"]["npv_with_financing"]["kommune"], "9000");
    assert_eq!(
        json["financing"]["years"][1]["financing"]["kommune"],
        "4000"
    );
    assert_eq!(json["lines"][1]["committee"], "employment");

    let table = som::report::render(&case, Format::Table).unwrap();
    assert!(table.contains("Kommune by committee"), "{table}");
    assert!(table.contains("Social Affairs Committee"));
    assert!(table.contains("Result with financing"));
    let md = som::report::render(&case, Format::Markdown).unwrap();
    assert!(md.contains("## Kommune by committee"));
    assert!(
        md.contains("| Social investment pool | the state |"),
        "{md}"
    );
    let da = som::report::render_in(&case, Format::Table, Lang::Da, Some(kb())).unwrap();
    assert!(da.contains("Kommunen fordelt på udvalg"));
    assert!(da.contains("Socialudvalget"));
    assert!(da.contains("uden for den offentlige sektor"));

    let csv = som::report::render(&case, Format::Csv).unwrap();
    let mut rows = csv.lines().map(|l| l.split(',').collect::<Vec<_>>());
    let header = rows.next().unwrap();
    let year1 = rows.nth(1).unwrap();
    let at = |name: &str| year1[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!(at("committee_social_gains_kommune"), "5000");
    assert_eq!(at("committee_employment_costs_kommune"), "2000");
    assert_eq!(at("committee_employment_financing_kommune"), "1000");
    assert_eq!(at("financing_stat"), "-3000");
    assert_eq!(
        at("net_with_financing_total"),
        at("net_total")
            .parse::<i64>()
            .map(|n| (n + 1000).to_string())
            .unwrap()
    );

    let html = som::report::html::render(&case, Lang::En, kb());
    assert!(html.contains("Kommune by committee"));
    assert!(html.contains("Result with financing"));
}

/// The workbook recalculated by IronCalc: the row labelled `label` (after
/// the row labelled `after`, when given) on `sheet`, 1-based.
fn row_of(model: &ironcalc::base::Model, sheet: u32, label: &str, after: Option<&str>) -> i32 {
    use ironcalc::base::cell::CellValue;
    let mut armed = after.is_none();
    for row in 1..600 {
        if let Ok(CellValue::String(s)) = model.get_cell_value_by_index(sheet, row, 1) {
            if armed && s.trim() == label {
                return row;
            }
            if after.is_some_and(|a| s.trim() == a) {
                armed = true;
            }
        }
    }
    panic!("no row labelled {label} on sheet {sheet}");
}

fn number(model: &ironcalc::base::Model, sheet: u32, row: i32, col: i32) -> f64 {
    match model.get_cell_value_by_index(sheet, row, col) {
        Ok(ironcalc::base::cell::CellValue::Number(v)) => v,
        other => panic!("expected a number at ({row}, {col}), found {other:?}"),
    }
}

#[test]
fn the_workbook_splits_the_kommune_by_committee_live() {
    let scenario = Scenario::from_json_named(&scenario_json().to_string(), "case.json").unwrap();
    let bytes = som::report::xlsx::render(&scenario, kb(), Lang::En).unwrap();
    let workbook = ironcalc::import::load_from_xlsx_bytes(&bytes, "case", "en", "UTC").unwrap();
    let mut model = ironcalc::base::Model::from_workbook(workbook, "en").unwrap();
    model.evaluate();
    const INPUTS: u32 = 0;
    const FLOWS: u32 = 2;
    // The present value is in the column after the three years: 1-based 5.
    let pv = |model: &ironcalc::base::Model, label: &str| {
        number(model, FLOWS, row_of(model, FLOWS, label, None), 5)
    };
    let close = |found: f64, expected: f64| {
        assert!((found - expected).abs() < 1e-6, "{found} != {expected}")
    };
    close(pv(&model, "Social Affairs Committee: gains"), 7200.0);
    close(pv(&model, "Social Affairs Committee: costs"), 10800.0);
    close(pv(&model, "Social Affairs Committee: net"), -3600.0);
    close(
        pv(&model, "Social Affairs Committee: net with financing"),
        1800.0,
    );
    close(
        pv(&model, "Employment Committee: net with financing"),
        7200.0,
    );
    let kommune = row_of(&model, FLOWS, "kommune", Some("Net with financing"));
    close(number(&model, FLOWS, kommune, 5), 9000.0);
    let total = row_of(&model, FLOWS, "total", Some("Net with financing"));
    close(number(&model, FLOWS, total, 5), 6600.0);

    // Moving the cash benefit's line to the social committee on the Inputs
    // sheet moves its 8.000 there; a bigger pool grant in year 1 (3.000 →
    // 4.000, 800 more in PV) raises the social committee's result with it.
    let line = row_of(
        &model,
        INPUTS,
        "cash-benefit-month",
        Some("Committee of each consequence line"),
    );
    model
        .set_user_input(INPUTS, line, 2, "social".to_owned())
        .unwrap();
    let pool = row_of(
        &model,
        INPUTS,
        "Social investment pool",
        Some("Grant amounts by year"),
    );
    model
        .set_user_input(INPUTS, pool, 3, "4000".to_owned())
        .unwrap();
    model.evaluate();
    close(pv(&model, "Social Affairs Committee: gains"), 15200.0);
    close(pv(&model, "Employment Committee: gains"), 0.0);
    close(
        pv(&model, "Social Affairs Committee: net with financing"),
        15200.0 - 10800.0 + 6200.0,
    );
    close(number(&model, FLOWS, kommune, 5), 9800.0);
}

/// `som` with these arguments; its standard output.
fn som_out(args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_som"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn kb_show_and_kb_list_name_each_services_committee_in_the_chosen_language() {
    // knowledge-base/services.json: shelter-day is the social committee's,
    // prison-day in the committee that is not the kommune's, with the
    // reason in `committee_note` (English only, so shown in English only).
    let shelter = som_out(&["kb", "show", "shelter-day"]);
    assert!(
        shelter.contains("\nCommittee: Social Affairs Committee\n"),
        "{shelter}"
    );
    let shelter = som_out(&["kb", "show", "shelter-day", "--lang", "da"]);
    assert!(shelter.contains("\nUdvalg: Socialudvalget\n"), "{shelter}");
    let prison = som_out(&["kb", "show", "prison-day"]);
    assert!(
        prison.contains("Committee: Not municipal (the region or the state pays)"),
        "{prison}"
    );
    assert!(prison.contains("Why: The state pays all of it"), "{prison}");
    let prison = som_out(&["kb", "show", "prison-day", "--lang", "da"]);
    assert!(
        prison.contains("Udvalg: Ikke kommunalt (region eller stat betaler)"),
        "{prison}"
    );
    assert!(!prison.contains("Why"), "{prison}");
    // A target group's sheet: its own committee, and each consequence
    // line's service with its committee.
    let group = som_out(&["kb", "show", "homeless-adults", "--lang", "da"]);
    assert!(
        group.contains("Udvalg (står for dens indsatser): Socialudvalget"),
        "{group}"
    );
    assert!(
        group.contains("    Udvalg: Beskæftigelsesudvalget"),
        "{group}"
    );
    // The list: a committee column before each service's name.
    let row = |text: &str, id: &str| -> String {
        text.lines()
            .find(|l| l.trim_start().starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("no {id} in\n{text}"))
            .split_whitespace()
            .skip(1)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let list = som_out(&["kb", "list"]);
    assert!(
        row(&list, "shelter-day").starts_with("Social Affairs Committee Shelter stay"),
        "{list}"
    );
    let list = som_out(&["kb", "list", "--lang", "da"]);
    assert!(
        row(&list, "cash-benefit-month").starts_with("Beskæftigelsesudvalget Kontanthjælp"),
        "{list}"
    );
    assert!(list.contains("Ydelser med kommunens udvalg:"), "{list}");
}

#[test]
fn a_reports_local_services_name_their_committee() {
    // examples/package/homeless-60.json defines the psychiatric emergency
    // visit as a local service in the health committee.
    let run = som_out(&["run", "examples/package/homeless-60.json"]);
    assert!(
        run.contains(
            "(psychiatric-emergency-visit): 2025 prices, grade 5, assumption, Health Committee"
        ),
        "{run}"
    );
    let run = som_out(&["run", "examples/package/homeless-60.json", "--lang", "da"]);
    assert!(
        run.contains(
            "(psychiatric-emergency-visit): 2025-priser, evidensgrad 5, antagelse, Sundhedsudvalget"
        ),
        "{run}"
    );
}

#[test]
fn the_answer_box_gives_the_kommunes_result_without_and_with_the_financing() {
    // By hand (the header): kommune 2.800 without financing, 9.000 with
    // the grants' 5.400 + 800 = 6.200; the public sector 5.800 and 6.600;
    // the state 3.000 and 3.000 − 5.400 = −2.400; the region 0.
    let case = case_of(&scenario_json());
    let english = "Without its financing, the kommune alone is 2,800 DKK better off; \
        the public sector in total 5,800 DKK (region 0 DKK, stat 3,000 DKK). \
        With the financing (grants worth 6,200 DKK to the kommune in present value), \
        the kommune is 9,000 DKK better off; the public sector in total 6,600 DKK \
        (region 0 DKK, stat -2,400 DKK).";
    let danish = "Kommunen alene er 2.800 kr. bedre stillet uden sin finansiering; \
        den offentlige sektor i alt 5.800 kr. (region 0 kr., stat 3.000 kr.). \
        Kommunen er 9.000 kr. bedre stillet med finansieringen (tilskud til kommunen \
        med en nutidsværdi på 6.200 kr.); den offentlige sektor i alt 6.600 kr. \
        (region 0 kr., stat -2.400 kr.).";
    for (lang, sentence) in [(Lang::En, english), (Lang::Da, danish)] {
        let html = som::report::html::render(&case, lang, kb());
        assert!(
            html.contains(&format!("<p class=\"by-payer\">{sentence}</p>")),
            "{html}"
        );
        let md = som::report::markdown::report(&case, lang, kb(), &[]);
        assert!(md.contains(&format!("> {sentence}\n")), "{md}");
    }
    // Without grants the answer is the one sentence it always was.
    let mut json = scenario_json();
    json.as_object_mut().unwrap().remove("financing");
    let md = som::report::markdown::report(&case_of(&json), Lang::En, kb(), &[]);
    assert!(
        md.contains(
            "> The kommune alone is 2,800 DKK better off; the public sector in total 5,800 DKK"
        ),
        "{md}"
    );
    assert!(!md.contains("With the financing"), "{md}");
}

/// The Danish workbook names committees by their Danish names and a grant
/// from outside the public sector `ekstern`, in the input cells and in the
/// formulas that look them up: recalculated, it gives the English
/// workbook's figures (worked by hand above), and typing "Socialudvalget"
/// for the cash benefit's line (in "Beskæftigelsesudvalget") on the Inputs
/// sheet moves its 8.000 kr. there.
#[test]
fn the_danish_workbook_splits_the_kommune_by_committee_by_name() {
    let scenario = Scenario::from_json_named(&scenario_json().to_string(), "case.json").unwrap();
    let bytes = som::report::xlsx::render(&scenario, kb(), Lang::Da).unwrap();
    let workbook = ironcalc::import::load_from_xlsx_bytes(&bytes, "case", "en", "UTC").unwrap();
    let mut model = ironcalc::base::Model::from_workbook(workbook, "en").unwrap();
    model.evaluate();
    const INPUTS: u32 = 0;
    const FLOWS: u32 = 2;
    let pv = |model: &ironcalc::base::Model, label: &str| {
        number(model, FLOWS, row_of(model, FLOWS, label, None), 5)
    };
    let close = |found: f64, expected: f64| {
        assert!((found - expected).abs() < 1e-6, "{found} != {expected}")
    };
    close(pv(&model, "Socialudvalget: gevinster"), 7200.0);
    close(pv(&model, "Socialudvalget: netto med finansiering"), 1800.0);
    close(
        pv(&model, "Beskæftigelsesudvalget: netto med finansiering"),
        7200.0,
    );
    let kommune = row_of(&model, FLOWS, "kommune", Some("Netto med finansiering"));
    close(number(&model, FLOWS, kommune, 5), 9000.0);
    // The grant from outside the public sector adds its 800 to the total.
    let total = row_of(&model, FLOWS, "i alt", Some("Netto med finansiering"));
    close(number(&model, FLOWS, total, 5), 6600.0);
    let text = |row: i32, col: i32| match model.get_cell_value_by_index(INPUTS, row, col) {
        Ok(ironcalc::base::cell::CellValue::String(s)) => s,
        other => panic!("expected a text at ({row}, {col}), found {other:?}"),
    };
    let line = row_of(
        &model,
        INPUTS,
        "cash-benefit-month",
        Some("Udvalg for hver konsekvenslinje"),
    );
    assert_eq!(text(line, 2), "Beskæftigelsesudvalget");
    let froms: Vec<String> = (1..4)
        .map(|i| row_of(&model, INPUTS, "Tilskud", None) + i)
        .filter_map(|row| match model.get_cell_value_by_index(INPUTS, row, 2) {
            Ok(ironcalc::base::cell::CellValue::String(s)) => Some(s),
            _ => None,
        })
        .collect();
    assert!(froms.contains(&"ekstern".to_owned()), "{froms:?}");
    model
        .set_user_input(INPUTS, line, 2, "Socialudvalget".to_owned())
        .unwrap();
    model.evaluate();
    close(pv(&model, "Socialudvalget: gevinster"), 15200.0);
    close(pv(&model, "Beskæftigelsesudvalget: gevinster"), 0.0);
}

/// The financing against the independent Python reference
/// (`tests/independent/som_reference.py`, DESIGN.md §1.10 in Python's
/// decimal, without the Rust code): every figure of its `financing` object
/// (each grant's amounts and present value, each year's flows and net with
/// financing, the present values and results without and with it) agrees
/// with the JSON view to 1e-20 relative. Skipped where python3 is missing
/// (CI has it). `tests/independent/compare_random.py` does the same on
/// random scenarios with grants.
#[test]
fn the_financing_agrees_with_the_python_reference() {
    let Ok(output) = std::process::Command::new("python3")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["tests/independent/som_reference.py", FILE, "knowledge-base"])
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
    let reference: Value = serde_json::from_slice(&output.stdout).unwrap();
    let ours = som::report::json::value(&case_of(&scenario_json()));
    fn agree(path: &str, theirs: &Value, ours: &Value) {
        match theirs {
            Value::Object(map) => {
                for (k, v) in map {
                    agree(&format!("{path}.{k}"), v, &ours[k]);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    agree(&format!("{path}[{i}]"), v, &ours[i]);
                }
            }
            Value::String(t) => {
                let t: Decimal = t.parse().unwrap();
                let o: Decimal = ours
                    .as_str()
                    .unwrap_or_else(|| panic!("{path}: {ours}"))
                    .parse()
                    .unwrap();
                let scale = t.abs().max(Decimal::ONE);
                assert!(
                    (o - t).abs() / scale < "1e-20".parse::<Decimal>().unwrap(),
                    "{path}: ours {o}, the reference's {t}"
                );
            }
            other => assert_eq!(ours, other, "{path}"),
        }
    }
    assert!(reference["financing"].is_object(), "{reference}");
    agree("$.financing", &reference["financing"], &ours["financing"]);
}
