//! Local services: a scenario defines a service the knowledge base lacks and
//! uses it in its consequence lines, without copying the knowledge base. The
//! knowledge base's checks apply to it (problems name the file and the JSON
//! path), its figures are computed as the knowledge base's are (checked here
//! by hand), and every view marks it as local.

use rust_decimal::Decimal;
use serde_json::{Value, json};
use som::report::Lang;
use som::{KnowledgeBase, Scenario};

fn kb() -> &'static KnowledgeBase {
    KnowledgeBase::embedded()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// A psychiatric emergency visit, priced in 2024 by the region (3.000 kr.)
/// and the kommune (500 kr.), cited from a source the scenario defines.
fn psychiatry() -> Value {
    json!({
        "id": "psychiatric-emergency-visit",
        "name": {"da": "Akut psykiatrisk henvendelse", "en": "Psychiatric emergency visit"},
        "unit": {"da": "henvendelse", "en": "visit"},
        "area": "health",
        "committee": "health",
        "price": {
            "price_year": 2024,
            "kommune": 500,
            "region": 3000,
            "stat": 0,
            "evidence": {
                "basis": "published",
                "sources": ["region-price-list-2024"],
                "note": "The region's price list: 3.000 kr. a visit; the kommune's part 500 kr. for the follow-up call.",
                "note_da": "Regionens takstblad: 3.000 kr. pr. henvendelse; kommunens del 500 kr. for opfølgningen.",
                "grade": 2
            }
        }
    })
}

fn price_list() -> Value {
    json!({
        "id": "region-price-list-2024",
        "title": "Takster for akut psykiatri 2024",
        "publisher": "Region Eksempel",
        "year": 2024,
        "url": "https://example.org/takster-2024"
    })
}

/// 10 participants in year 0, net success rate 0.5 − 0.2 = 0.3, so 3
/// successes; no discounting; a one-off cost of 10.000 kr. to the kommune.
fn scenario_json() -> Value {
    json!({
        "name": "Local psychiatry line",
        "target_group": "homeless-adults",
        "success_measure": "exits-homelessness",
        "start_year": 2026,
        "horizon_years": 3,
        "price_year": 2025,
        "discounting": "none",
        "cohorts": [{"year": 0, "participants": 10}],
        "effect": {"success_rate": "0.5", "baseline_rate": "0.2"},
        "costs": [{"label": "Outreach", "kind": "one_off", "year": 0, "amount": 10000, "payer": "kommune"}],
        "consequences": [{"service": "psychiatric-emergency-visit", "profile": [-2, -1]}],
        "local_services": [psychiatry()],
        "local_sources": [price_list()]
    })
}

fn read(json: &Value) -> Scenario {
    Scenario::from_json_named(&json.to_string(), "local.json").unwrap()
}

/// The problems resolving `json` gives, as "path: found / expected" lines.
fn problems(json: &Value) -> Vec<som::Problem> {
    let err = read(json).resolve(kb()).unwrap_err();
    err.problems().to_vec()
}

fn has_problem(problems: &[som::Problem], path: &str) -> bool {
    problems
        .iter()
        .any(|p| p.file == "local.json" && p.path == path)
}

#[test]
fn a_local_service_is_priced_and_indexed_as_the_knowledge_base_prices_are() {
    let case = som::evaluate(&read(&scenario_json()), kb()).unwrap();
    // By hand: index(2025) / index(2024) = 1.028 (price-index.json's 2025
    // rate), so the 2024 price 500 / 3.000 / 0 is 514 / 3.084 / 0 in 2025.
    let line = &case.lines[0];
    assert_eq!(line.unit_price.kommune, d("514"));
    assert_eq!(line.unit_price.region, d("3084"));
    assert_eq!(line.unit_price.stat, Decimal::ZERO);
    assert_eq!(line.source_price_year, 2024);
    assert_eq!(&*line.area, "health");
    // 3 successes, lag 1: Q = 0, 3·(−2) = −6, 3·(−1) = −3 visits.
    assert_eq!(line.quantities, vec![d("0"), d("-6"), d("-3")]);
    // Gains: kommune 6·514 = 3.084 and 3·514 = 1.542; region 6·3.084 =
    // 18.504 and 3·3.084 = 9.252.
    assert_eq!(case.years[1].gains.kommune, d("3084"));
    assert_eq!(case.years[1].gains.region, d("18504"));
    assert_eq!(case.years[2].gains.kommune, d("1542"));
    assert_eq!(case.years[2].gains.region, d("9252"));
    // NPV (no discounting): kommune −10.000 + 3.084 + 1.542 = −5.374;
    // region 18.504 + 9.252 = 27.756; total 22.382.
    assert_eq!(case.summary.npv.kommune, d("-5374"));
    assert_eq!(case.summary.npv.region, d("27756"));
    assert_eq!(case.summary.npv.stat, Decimal::ZERO);
    assert_eq!(case.summary.npv.total, d("22382"));
    // Gains by area: the whole 32.382 kr. of gains fall in health.
    let health = case.areas.iter().position(|a| &**a == "health").unwrap();
    let by_area: Decimal = case.years.iter().map(|y| y.gains_by_area[health]).sum();
    assert_eq!(by_area, d("32382"));
}

#[test]
fn a_local_service_gives_what_the_same_price_as_an_override_gives() {
    // An independent path: the same amounts and price year given as a
    // price override of a knowledge-base service, and the same profile.
    let local = som::evaluate(&read(&scenario_json()), kb()).unwrap();
    let mut json = scenario_json();
    json.as_object_mut().unwrap().remove("local_services");
    json.as_object_mut().unwrap().remove("local_sources");
    json["consequences"][0]["service"] = json!("shelter-day");
    json["prices"] =
        json!({"shelter-day": {"kommune": 500, "region": 3000, "stat": 0, "price_year": 2024}});
    let overridden = som::evaluate(&read(&json), kb()).unwrap();
    assert_eq!(local.summary, overridden.summary);
}

#[test]
fn local_services_live_beside_the_knowledge_base_lines() {
    // The knowledge base's own line and a local one in the same scenario.
    let mut json = scenario_json();
    json["consequences"] = json!([
        {"service": "shelter-day", "profile": [-100]},
        {"service": "psychiatric-emergency-visit", "profile": [-2, -1]}
    ]);
    let case = som::evaluate(&read(&json), kb()).unwrap();
    assert_eq!(case.lines.len(), 2);
    let value = som::report::json::value(&case);
    assert!(value["lines"][0].get("local").is_none());
    assert_eq!(value["lines"][1]["local"], json!(true));
}

#[test]
fn the_knowledge_base_checks_apply_to_a_local_service_with_file_and_path() {
    let mut json = scenario_json();
    let service = &mut json["local_services"][0];
    service["area"] = json!("helth");
    service["price"]["price_year"] = json!(1999);
    service["price"]["evidence"]["sources"] = json!(["region-price-lst-2024"]);
    service["price"]["evidence"]
        .as_object_mut()
        .unwrap()
        .remove("grade");
    service["name"]["da"] = json!(" ");
    let found = problems(&json);
    for path in [
        "$.local_services[0].area",
        "$.local_services[0].price.price_year",
        "$.local_services[0].price.evidence.sources[0]",
        "$.local_services[0].price.evidence.grade",
        "$.local_services[0].name",
    ] {
        assert!(has_problem(&found, path), "no problem at {path}: {found:?}");
    }
    let misspelt = found
        .iter()
        .find(|p| p.path == "$.local_services[0].area")
        .unwrap();
    assert_eq!(misspelt.did_you_mean.as_deref(), Some("health"));
}

#[test]
fn evidence_rules_apply_as_in_the_knowledge_base() {
    // A published price needs a source; an assumption needs a note; a
    // Danish note carries the English note's numbers.
    let mut json = scenario_json();
    json["local_services"][0]["price"]["evidence"]["sources"] = json!([]);
    assert!(has_problem(
        &problems(&json),
        "$.local_services[0].price.evidence.sources"
    ));

    let mut json = scenario_json();
    json["local_services"][0]["price"]["evidence"] = json!({"basis": "assumption", "grade": 5});
    assert!(has_problem(
        &problems(&json),
        "$.local_services[0].price.evidence.note"
    ));

    let mut json = scenario_json();
    json["local_services"][0]["price"]["evidence"]["note_da"] =
        json!("Regionens takstblad: 3.100 kr. pr. henvendelse; kommunens del 500 kr.");
    assert!(has_problem(
        &problems(&json),
        "$.local_services[0].price.evidence.note_da"
    ));
}

#[test]
fn ids_are_kebab_unique_and_new_to_the_knowledge_base() {
    let mut json = scenario_json();
    json["local_services"][0]["id"] = json!("shelter-day");
    json["consequences"][0]["service"] = json!("shelter-day");
    let found = problems(&json);
    let clash = found
        .iter()
        .find(|p| p.path == "$.local_services[0].id")
        .unwrap();
    assert!(clash.expected.contains("`prices`"), "{clash}");

    let mut json = scenario_json();
    json["local_services"][0]["id"] = json!("Psychiatry");
    json["consequences"][0]["service"] = json!("Psychiatry");
    assert!(has_problem(&problems(&json), "$.local_services[0].id"));

    let mut json = scenario_json();
    json["local_sources"][0]["id"] = json!("oes-fastpris");
    json["local_services"][0]["price"]["evidence"]["sources"] = json!(["oes-fastpris"]);
    assert!(has_problem(&problems(&json), "$.local_sources[0].id"));

    let mut json = scenario_json();
    json["local_sources"][0]["title"] = json!("");
    assert!(has_problem(&problems(&json), "$.local_sources[0]"));
}

#[test]
fn an_unused_local_service_or_dated_splits_are_problems() {
    let mut json = scenario_json();
    json["consequences"] = json!([{"service": "shelter-day", "profile": [-100]}]);
    let found = problems(&json);
    let unused = found
        .iter()
        .find(|p| p.path == "$.local_services[0].id")
        .unwrap();
    assert!(
        unused.found.contains("no consequence line uses"),
        "{unused}"
    );

    let mut json = scenario_json();
    json["local_services"][0]["price"]["dated_splits"] = json!([
        {"to": "2023-09-30", "kommune": 500, "region": 3000, "stat": 0},
        {"from": "2023-10-01", "kommune": 500, "region": 3000, "stat": 0}
    ]);
    assert!(has_problem(
        &problems(&json),
        "$.local_services[0].price.dated_splits"
    ));
}

#[test]
fn a_line_naming_neither_a_knowledge_base_nor_a_local_service_suggests_the_local_id() {
    let mut json = scenario_json();
    json["consequences"][0]["service"] = json!("psychiatric-emergency-vist");
    let found = problems(&json);
    let line = found
        .iter()
        .find(|p| p.path == "$.consequences[0].service")
        .unwrap();
    assert_eq!(
        line.did_you_mean.as_deref(),
        Some("psychiatric-emergency-visit")
    );
}

#[test]
fn json_output_marks_local_lines_and_lists_the_local_records() {
    let case = som::evaluate(&read(&scenario_json()), kb()).unwrap();
    let value = som::report::json::value(&case);
    assert_eq!(value["lines"][0]["local"], json!(true));
    let local = &value["assumptions"]["local_services"][0];
    assert_eq!(local["id"], "psychiatric-emergency-visit");
    assert_eq!(local["name"]["da"], "Akut psykiatrisk henvendelse");
    assert_eq!(local["price"]["region"], "3000");
    assert_eq!(local["price"]["price_year"], 2024);
    assert_eq!(local["grade"], 2);
    assert_eq!(local["sources"][0], "region-price-list-2024");
    assert_eq!(
        value["assumptions"]["local_sources"][0]["publisher"],
        "Region Eksempel"
    );
    // A case without local services has none of these keys.
    let plain = som::evaluate(&Scenario::example(), kb()).unwrap();
    let plain = som::report::json::value(&plain);
    assert!(plain["assumptions"].get("local_services").is_none());
    assert!(plain["lines"][0].get("local").is_none());
}

#[test]
fn table_markdown_and_html_mark_local_lines_and_cite_their_evidence() {
    let case = som::evaluate(&read(&scenario_json()), kb()).unwrap();
    let table = som::report::table::render(&case);
    assert!(
        table.contains("Psychiatric emergency visit (local)"),
        "{table}"
    );
    let danish_table = som::report::table::render_in(&case, Lang::Da, None);
    assert!(danish_table.contains("Akut psykiatrisk henvendelse (lokal)"));

    let markdown = som::report::markdown::report(&case, Lang::Da, kb(), &[]);
    assert!(markdown.contains("Akut psykiatrisk henvendelse (lokal)"));
    assert!(markdown.contains("Lokale ydelser (defineret i scenariet)"));
    assert!(markdown.contains("Enhedspris (lokal ydelse, defineret i scenariet)"));
    // The local source is cited in full.
    assert!(markdown.contains("Takster for akut psykiatri 2024"));
    assert!(markdown.contains("https://example.org/takster-2024"));

    let html = som::report::html::render(&case, Lang::En, kb());
    assert!(html.contains("Psychiatric emergency visit (local)"));
    assert!(html.contains("Unit price (local service, defined in the scenario)"));
    assert!(html.contains("Takster for akut psykiatri 2024"));
}

#[test]
fn the_workbook_marks_the_line_and_reproduces_the_case_on_recalculation() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    use ironcalc::base::{Model, cell::CellValue};
    use rust_decimal::prelude::ToPrimitive;

    let scenario = read(&scenario_json());
    let case = som::evaluate(&scenario, kb()).unwrap();
    let bytes = som::report::xlsx::render(&scenario, kb(), Lang::En).unwrap();

    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    let inputs = book.worksheet_range("Inputs").unwrap();
    let marked = inputs.rows().any(|row| {
        row.iter()
            .any(|c| matches!(c, Data::String(s) if s == "Psychiatric emergency visit (local)"))
    });
    assert!(marked, "the Inputs sheet names the line as local");
    let sources = book.worksheet_range("Sources").unwrap();
    let cited = sources.rows().any(|row| {
        row.iter()
            .any(|c| matches!(c, Data::String(s) if s.contains("Takster for akut psykiatri 2024")))
    });
    assert!(cited, "the Sources sheet cites the local source");

    let workbook = ironcalc::import::load_from_xlsx_bytes(&bytes, "case", "en", "UTC").unwrap();
    let mut model = Model::from_workbook(workbook, "en").unwrap();
    model.evaluate();
    // The Summary sheet (index 3): the row labelled "Net (NPV)", columns
    // kommune, region, stat, total.
    let row = (1..200)
        .find(|&r| {
            matches!(model.get_cell_value_by_index(3, r, 1),
                     Ok(CellValue::String(s)) if s.trim() == "Net (NPV)")
        })
        .expect("a Net (NPV) row");
    let npv = &case.summary.npv;
    for (col, expected) in [
        (2, npv.kommune),
        (3, npv.region),
        (4, npv.stat),
        (5, npv.total),
    ] {
        match model.get_cell_value_by_index(3, row, col) {
            Ok(CellValue::Number(v)) => assert!(
                (v - expected.to_f64().unwrap()).abs() < 0.005,
                "column {col}: {v} against {expected}"
            ),
            other => panic!("column {col}: {other:?}"),
        }
    }
}

#[test]
fn a_scenario_with_local_services_reads_back_as_it_was_written() {
    let scenario = read(&scenario_json());
    let text = serde_json::to_string(&scenario).unwrap();
    let again = Scenario::from_json_named(&text, "local.json").unwrap();
    assert_eq!(scenario, again);
}

/// Lines priced in different years are each indexed from their own year to
/// the case's (2025), also when lines share a year: by hand from
/// price-index.json's rates, 2024 → 2025 is 1.028 and 2023 → 2025 is
/// 1.04 · 1.028 = 1.06912.
#[test]
fn each_line_is_indexed_from_its_own_price_year() {
    let mut json = scenario_json();
    json["consequences"] = json!([
        {"service": "psychiatric-emergency-visit", "profile": [-2]},
        {"service": "shelter-day", "profile": [-1]},
        {"service": "prison-day", "profile": [-1]},
        {"service": "cash-benefit-month", "profile": [-1]},
        {"service": "gp-consultation", "profile": [-1]}
    ]);
    let price = |year: i32| json!({"kommune": 0, "region": 100, "stat": 0, "price_year": year});
    json["prices"] = json!({
        "shelter-day": price(2023),
        "prison-day": price(2025),
        "cash-benefit-month": price(2024),
        "gp-consultation": price(2023)
    });
    let model = read(&json).resolve(kb()).unwrap();
    let factors: Vec<(&str, i32, Decimal)> = model
        .lines
        .iter()
        .map(|l| (&*l.service, l.price_year, l.index_factor.value().unwrap()))
        .collect();
    assert_eq!(
        factors,
        [
            ("psychiatric-emergency-visit", 2024, d("1.028")),
            ("shelter-day", 2023, d("1.06912")),
            ("prison-day", 2025, d("1")),
            ("cash-benefit-month", 2024, d("1.028")),
            ("gp-consultation", 2023, d("1.06912")),
        ]
    );
}
