//! The Excel workbook is a live model: recalculated by a spreadsheet engine
//! (IronCalc) it reproduces `som run`, and after an edit of its input cells
//! it gives what `som run` gives for the edited scenario. Read back with
//! calamine, its cached values match the business case and every derived
//! figure is a formula.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use ironcalc::base::{Model, cell::CellValue};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Value, json};
use som::package::{Package, PackageCase};
use som::report::{Lang, xlsx};
use som::{BusinessCase, KnowledgeBase, Scenario};

fn kb() -> &'static KnowledgeBase {
    KnowledgeBase::embedded()
}

fn scenario(json: &Value) -> Scenario {
    Scenario::from_json(&json.to_string()).unwrap()
}

fn example_json() -> Value {
    serde_json::from_str(&std::fs::read_to_string("examples/housing-first.json").unwrap()).unwrap()
}

/// The workbook loaded into IronCalc and recalculated.
fn recalculated(scenario: &Scenario, lang: Lang) -> Model<'static> {
    let bytes = xlsx::render(scenario, kb(), lang).unwrap();
    let workbook = ironcalc::import::load_from_xlsx_bytes(&bytes, "case", "en", "UTC").unwrap();
    let mut model = Model::from_workbook(workbook, "en").unwrap();
    model.evaluate();
    model
}

/// 1-based (row, column) of the cell right of the first cell in column A
/// whose text is `label`.
fn value_cell(model: &Model, sheet: u32, label: &str) -> (i32, i32) {
    for row in 1..400 {
        if let Ok(CellValue::String(s)) = model.get_cell_value_by_index(sheet, row, 1)
            && s.trim() == label
        {
            return (row, 2);
        }
    }
    panic!("no row labelled {label} on sheet {sheet}");
}

fn number_at(model: &Model, sheet: u32, (row, col): (i32, i32)) -> f64 {
    match model.get_cell_value_by_index(sheet, row, col) {
        Ok(CellValue::Number(v)) => v,
        other => panic!("expected a number at sheet {sheet} ({row}, {col}), found {other:?}"),
    }
}

fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap()
}

/// Within an øre, or (for ratios and rates) within 1e-9.
fn assert_oere(found: f64, expected: Decimal, what: &str) {
    let expected = to_f64(expected);
    assert!(
        (found - expected).abs() <= 0.005_f64.min(1e-9 * expected.abs().max(1.0)).max(1e-9),
        "{what}: the workbook gives {found}, som gives {expected}"
    );
}

const SUMMARY: u32 = 3;

/// The recalculated workbook's figures against the engine's business case.
fn assert_reproduces(model: &Model, case: &BusinessCase, lang: Lang, name: &str) {
    assert_summary(model, SUMMARY, case, lang, name);
}

/// The figures of a summary (a Summary sheet, or a package's total sheet)
/// against the engine's business case: present values by payer, break-even
/// year, ratio, break-even rate and successes.
fn assert_summary(model: &Model, sheet: u32, case: &BusinessCase, lang: Lang, name: &str) {
    let s = &case.summary;
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    for (label, split) in [
        (l("Costs", "Omkostninger"), &s.pv_costs),
        (l("Gains", "Gevinster"), &s.pv_gains),
        (l("Net (NPV)", "Netto (NNV)"), &s.npv),
    ] {
        let (row, _) = value_cell(model, sheet, label);
        for (col, v) in [split.kommune, split.region, split.stat, split.total]
            .into_iter()
            .enumerate()
        {
            let found = number_at(model, sheet, (row, 2 + col as i32));
            assert_oere(found, v, &format!("{name}: PV {label}, column {col}"));
        }
    }
    let year = value_cell(model, sheet, l("Break-even year", "Break-even-år"));
    match s.break_even_year {
        Some(y) => assert_eq!(number_at(model, sheet, year), f64::from(y), "{name}"),
        None => assert!(matches!(
            model.get_cell_value_by_index(sheet, year.0, year.1),
            Ok(CellValue::String(_))
        )),
    }
    let bcr = value_cell(
        model,
        sheet,
        l("Benefit-cost ratio", "Gevinst-omkostningsforhold"),
    );
    if let Some(v) = s.benefit_cost_ratio {
        assert_oere(number_at(model, sheet, bcr), v, &format!("{name}: ratio"));
    }
    let rate = value_cell(
        model,
        sheet,
        l("Break-even net success rate", "Break-even netto-succesrate"),
    );
    if let Some(v) = s.break_even_success_rate {
        assert_oere(
            number_at(model, sheet, rate),
            v,
            &format!("{name}: break-even rate"),
        );
    }
    let successes = value_cell(model, sheet, l("Successes", "Succeser"));
    assert_oere(number_at(model, sheet, successes), s.successes, name);
}

#[test]
fn recalculated_workbook_reproduces_som_run_for_every_example() {
    let mut checked = 0;
    for entry in std::fs::read_dir("examples").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let scenario = Scenario::from_file(&path).unwrap();
        let case = som::evaluate(&scenario, kb()).unwrap();
        let model = recalculated(&scenario, Lang::En);
        assert_reproduces(&model, &case, Lang::En, &path.display().to_string());
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} examples");
}

#[test]
fn recalculated_danish_workbook_reproduces_som_run() {
    let scenario = Scenario::example();
    let case = som::evaluate(&scenario, kb()).unwrap();
    let model = recalculated(&scenario, Lang::Da);
    assert_reproduces(&model, &case, Lang::Da, "Danish example");
}

/// The gains by area are `SUMIF`s over the Inputs sheet's area column,
/// which holds the areas' ids in English and their Danish names in Danish:
/// recalculated, both give the engine's gains by area, year by year.
#[test]
fn recalculated_gains_by_area_follow_the_area_column_in_both_languages() {
    let scenario = Scenario::example();
    let case = som::evaluate(&scenario, kb()).unwrap();
    assert!(case.areas.len() >= 3, "{:?}", case.areas);
    for lang in [Lang::En, Lang::Da] {
        let model = recalculated(&scenario, lang);
        for (a, id) in case.areas.iter().enumerate() {
            let area = kb().area(id).unwrap();
            let (row, _) = value_cell(&model, 2, lang.pick(&area.name.en, &area.name.da));
            for (t, y) in case.years.iter().enumerate() {
                let found = number_at(&model, 2, (row, 2 + t as i32));
                assert_oere(
                    found,
                    y.gains_by_area[a],
                    &format!("{lang:?} {id}, year {t}"),
                );
            }
        }
    }
}

/// Effect sizes of every kind, an evidence adjustment, persistence with a
/// duration, a line on participants, every kind of cost and a constant
/// discount rate: each a formula path of its own.
#[test]
fn recalculated_workbook_follows_every_input_kind() {
    let base = example_json();
    let variants = [
        json!({"effect": {"effect_size": {"kind": "odds_ratio", "value": 2.1}, "baseline_rate": 0.2}}),
        json!({"effect": {"effect_size": {"kind": "cohens_d", "value": 0.4}, "baseline_rate": 0.3}}),
        json!({"effect": {"effect_size": {"kind": "relative_risk", "value": 1.5}, "baseline_rate": 0.2}}),
        json!({"effect": {"effect_size": {"kind": "percentage_points", "value": 0.12}, "baseline_rate": 0.2}}),
        json!({"evidence_adjustment": "default"}),
        json!({"persistence": {"duration_years": 4, "annual_decay": 0.25}, "effect_lag_years": 2}),
        json!({"discounting": {"constant": 0.04}, "completion_rate": 0.75}),
        json!({"consequences": [
            {"service": "shelter-day", "profile": [-100, -80, -60], "applies_to": "successes"},
            {"service": "temporary-supported-housing-day", "profile": [30, 30], "applies_to": "participants"}
        ]}),
        json!({"costs": [
            {"label": "Once", "kind": "one_off", "year": 2, "amount": 100000, "payer": "region"},
            {"label": "Team", "kind": "per_year", "from_year": 1, "to_year": 4, "amount": 50000, "payer": "stat"},
            {"label": "Support", "kind": "per_participant", "amount": 1234.5, "payer": "kommune"}
        ]}),
    ];
    for variant in variants {
        let mut json = base.clone();
        for (k, v) in variant.as_object().unwrap() {
            json[k] = v.clone();
        }
        let scenario = scenario(&json);
        let case = som::evaluate(&scenario, kb()).unwrap();
        let model = recalculated(&scenario, Lang::En);
        assert_reproduces(&model, &case, Lang::En, &variant.to_string());
    }
}

#[test]
fn edited_workbook_gives_what_som_run_gives_for_the_edited_scenario() {
    let original = Scenario::example();
    let mut model = recalculated(&original, Lang::En);
    const INPUTS: u32 = 0;
    // The success rate: 45 % -> 55 %.
    let (row, col) = value_cell(&model, INPUTS, "Success rate (p1)");
    model
        .set_user_input(INPUTS, row, col, "0.55".to_owned())
        .unwrap();
    // The first cohort: 40 -> 50 participants (the row's year-0 cell).
    let (row, _) = value_cell(&model, INPUTS, "Participants entering (n)");
    model
        .set_user_input(INPUTS, row, 2, "50".to_owned())
        .unwrap();
    // The shelter day's kommune price, in its own price year.
    let (header, _) = value_cell(&model, INPUTS, "Service id");
    let line = header + 1;
    assert!(matches!(
        model.get_cell_value_by_index(INPUTS, line, 1),
        Ok(CellValue::String(s)) if s == "shelter-day"
    ));
    // Columns (1-based): H..J prices kommune, region, stat; K their price year.
    let price = |col: i32| match model.get_cell_value_by_index(INPUTS, line, col) {
        Ok(CellValue::Number(v)) => v,
        other => panic!("{other:?}"),
    };
    let (region, stat, price_year) = (price(9), price(10), price(11));
    model
        .set_user_input(INPUTS, line, 8, "900".to_owned())
        .unwrap();
    model.evaluate();

    let mut edited = example_json();
    edited["effect"]["success_rate"] = json!(0.55);
    edited["cohorts"][0]["participants"] = json!(50);
    edited["prices"] = json!({"shelter-day": {
        "kommune": 900, "region": region.to_string(), "stat": stat.to_string(), "price_year": price_year as i32
    }});
    let case = som::evaluate(&scenario(&edited), kb()).unwrap();
    let unedited = som::evaluate(&original, kb()).unwrap();
    assert_ne!(case.summary.npv.total, unedited.summary.npv.total);
    assert_reproduces(&model, &case, Lang::En, "edited example");
}

fn calamine(scenario: &Scenario, lang: Lang) -> Xlsx<Cursor<Vec<u8>>> {
    let bytes = xlsx::render(scenario, kb(), lang).unwrap();
    open_workbook_from_rs(Cursor::new(bytes)).unwrap()
}

#[test]
fn workbook_has_the_five_sheets_in_order() {
    let wb = calamine(&Scenario::example(), Lang::En);
    assert_eq!(
        wb.sheet_names(),
        [
            "Inputs",
            "Calculation",
            "Yearly flows",
            "Summary",
            "Sources"
        ]
    );
    let wb = calamine(&Scenario::example(), Lang::Da);
    assert_eq!(wb.sheet_names(), xlsx::sheet_names(Lang::Da));
}

/// Outside the Inputs and Sources sheets, every number is a formula, except
/// the year index t (the workbook's structure) and the PV per unit of s of a
/// line on participants (zero by definition).
#[test]
fn every_derived_figure_is_a_formula() {
    let mut wb = calamine(&Scenario::example(), Lang::En);
    for sheet in ["Calculation", "Yearly flows", "Summary"] {
        let values = wb.worksheet_range(sheet).unwrap();
        let formulas = wb.worksheet_formula(sheet).unwrap();
        let mut numbers = 0;
        for (row, col, value) in values.used_cells() {
            let is_number = matches!(value, Data::Float(_) | Data::Int(_));
            let is_t_row =
                matches!(values.get_value((row as u32, 0)), Some(Data::String(s)) if s == "t");
            if !is_number || is_t_row {
                continue;
            }
            numbers += 1;
            let f = formulas
                .get_value((row as u32, col as u32))
                .cloned()
                .unwrap_or_default();
            assert!(
                !f.is_empty(),
                "{sheet} ({row}, {col}) is a value, not a formula"
            );
        }
        assert!(numbers > 10, "{sheet} has {numbers} numbers");
    }
}

#[test]
fn cached_values_match_the_business_case_without_recalculation() {
    let case = som::evaluate(&Scenario::example(), kb()).unwrap();
    let mut wb = calamine(&Scenario::example(), Lang::En);
    let values = wb.worksheet_range("Summary").unwrap();
    let row = (0..values.height() as u32)
        .find(|r| matches!(values.get_value((*r, 0)), Some(Data::String(s)) if s == "Net (NPV)"))
        .unwrap();
    match values.get_value((row, 4)) {
        Some(Data::Float(v)) => assert_oere(*v, case.summary.npv.total, "cached NPV"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn sources_sheet_cites_the_evidence_of_every_line() {
    let mut wb = calamine(&Scenario::example(), Lang::En);
    let values = wb.worksheet_range("Sources").unwrap();
    let text: Vec<String> = values
        .used_cells()
        .filter_map(|(_, _, v)| match v {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(text.iter().any(|s| s == "shelter-day: profile"));
    assert!(text.iter().any(|s| s == "shelter-day: price"));
    assert!(
        text.iter().any(|s| s.starts_with("https://")),
        "no source URL"
    );
}

#[test]
fn a_scenario_without_costs_writes_not_applicable_ratios() {
    let mut json = example_json();
    json["costs"] = json!([]);
    let model = recalculated(&scenario(&json), Lang::En);
    let cell = value_cell(&model, SUMMARY, "Benefit-cost ratio");
    assert_eq!(
        model.get_cell_value_by_index(SUMMARY, cell.0, cell.1),
        Ok(CellValue::String("n/a".to_owned()))
    );
}

#[test]
fn the_same_scenario_gives_the_same_bytes() {
    let a = xlsx::render(&Scenario::example(), kb(), Lang::En).unwrap();
    let b = xlsx::render(&Scenario::example(), kb(), Lang::En).unwrap();
    assert_eq!(a, b);
}

// A package (a scenario with `arms`): the total sheet first, then each
// intervention's five sheets, each a live model.

fn package_json() -> Value {
    let text = std::fs::read_to_string("examples/package/homeless-60.json").unwrap();
    serde_json::from_str(&text).unwrap()
}

fn package(json: &Value) -> Package {
    Package::from_json(&json.to_string()).unwrap()
}

/// The package's workbook loaded into IronCalc and recalculated.
fn recalculated_package(package: &Package, lang: Lang) -> Model<'static> {
    let bytes = xlsx::render_package(package, kb(), lang).unwrap();
    let workbook = ironcalc::import::load_from_xlsx_bytes(&bytes, "package", "en", "UTC").unwrap();
    let mut model = Model::from_workbook(workbook, "en").unwrap();
    model.evaluate();
    model
}

/// The index of intervention `arm`'s sheet `k` (0 Inputs ... 4 Sources):
/// the total sheet is sheet 0.
fn arm_sheet(arm: usize, k: u32) -> u32 {
    1 + 5 * arm as u32 + k
}

/// The recalculated package workbook against `som run`'s package: the
/// total sheet against the package total, each intervention's Summary
/// sheet against its case.
fn assert_package_reproduces(model: &Model, case: &PackageCase, lang: Lang, name: &str) {
    assert_summary(model, 0, &case.total, lang, &format!("{name}, total"));
    for (i, arm) in case.arms.iter().enumerate() {
        let what = format!("{name}, {}", arm.scenario);
        assert_summary(model, arm_sheet(i, 3), arm, lang, &what);
    }
}

#[test]
fn recalculated_package_workbook_reproduces_som_run() {
    let json = package_json();
    let variants = [
        json!({}),
        json!({"evidence_adjustment": "default"}),
        json!({"discounting": {"constant": 0.04}, "horizon_years": 6}),
    ];
    for variant in variants {
        let mut json = json.clone();
        for (k, v) in variant.as_object().unwrap() {
            json[k] = v.clone();
        }
        let package = package(&json);
        let case = som::package::evaluate(&package, kb()).unwrap();
        for lang in [Lang::En, Lang::Da] {
            let model = recalculated_package(&package, lang);
            assert_package_reproduces(&model, &case, lang, &format!("{variant} {lang:?}"));
            assert_package_financing(&model, &case, lang, &format!("{variant} {lang:?}"));
        }
    }
}

/// The row (1-based) of `service`'s consequence line on an Inputs sheet.
fn line_row(model: &Model, sheet: u32, service: &str) -> i32 {
    (1..400)
        .find(|row| {
            matches!(model.get_cell_value_by_index(sheet, *row, 1),
                Ok(CellValue::String(s)) if s == service)
        })
        .unwrap_or_else(|| panic!("no line {service} on sheet {sheet}"))
}

/// Housing First's success rate, its participants and the shelter day's
/// kommune price edited on Housing First's Inputs sheet: the price is
/// shared by the package, so CTI's lines follow it, as they do when the
/// package file overrides the price.
#[test]
fn edited_package_workbook_gives_what_som_run_gives_for_the_edited_package() {
    let original = package(&package_json());
    let mut model = recalculated_package(&original, Lang::En);
    let inputs = arm_sheet(0, 0);
    let (row, col) = value_cell(&model, inputs, "Success rate (p1)");
    model
        .set_user_input(inputs, row, col, "0.55".to_owned())
        .unwrap();
    let (p0_row, p0_col) = value_cell(&model, inputs, "Baseline rate (p0)");
    let p0 = number_at(&model, inputs, (p0_row, p0_col));
    let (row, _) = value_cell(&model, inputs, "Participants entering (n)");
    model
        .set_user_input(inputs, row, 2, "50".to_owned())
        .unwrap();
    let line = line_row(&model, inputs, "shelter-day");
    // Columns (1-based): H..J prices kommune, region, stat; K their price year.
    let (region, stat) = (
        number_at(&model, inputs, (line, 9)),
        number_at(&model, inputs, (line, 10)),
    );
    let price_year = number_at(&model, inputs, (line, 11));
    model
        .set_user_input(inputs, line, 8, "900".to_owned())
        .unwrap();
    model.evaluate();
    // CTI's shelter-day price is a formula of Housing First's.
    let cti = line_row(&model, arm_sheet(1, 0), "shelter-day");
    assert_eq!(number_at(&model, arm_sheet(1, 0), (cti, 8)), 900.0);

    let mut edited = package_json();
    edited["arms"][0]["effect"] = json!({"success_rate": 0.55, "baseline_rate": p0});
    edited["arms"][0]["cohorts"][0]["participants"] = json!(50);
    edited["prices"] = json!({"shelter-day": {
        "kommune": 900, "region": region.to_string(), "stat": stat.to_string(),
        "price_year": price_year as i32
    }});
    let case = som::package::evaluate(&package(&edited), kb()).unwrap();
    let unedited = som::package::evaluate(&original, kb()).unwrap();
    for (arm, before) in case.arms.iter().zip(&unedited.arms) {
        assert_ne!(arm.summary.npv.total, before.summary.npv.total);
    }
    assert_package_reproduces(&model, &case, Lang::En, "edited package");
}

#[test]
fn package_workbook_has_the_total_then_each_interventions_sheets() {
    let bytes = xlsx::render_package(&package(&package_json()), kb(), Lang::Da).unwrap();
    let wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let mut expected = vec!["Pakken i alt".to_owned()];
    for i in 0..2 {
        expected.extend(xlsx::arm_sheet_names(i, Lang::Da));
    }
    assert_eq!(wb.sheet_names(), expected);
    assert_eq!(expected[1], "1 Inddata");
}

/// On the total sheet every number is a formula (of the interventions'
/// sheets, or of its own rows), except the package's grants' amounts: the
/// grants are the package's inputs (the rows below "Grant amounts by
/// year").
#[test]
fn every_figure_of_the_package_total_is_a_formula() {
    let package = package(&package_json());
    let bytes = xlsx::render_package(&package, kb(), Lang::En).unwrap();
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let values = wb.worksheet_range("Package total").unwrap();
    let formulas = wb.worksheet_formula("Package total").unwrap();
    let label = |row: usize| match values.get((row, 0)) {
        Some(Data::String(s)) => s.trim().to_owned(),
        _ => String::new(),
    };
    let heading = (0..values.height())
        .find(|r| label(*r) == "Grant amounts by year")
        .unwrap();
    let grants = heading + 1..heading + 1 + package.financing.len();
    let mut numbers = 0;
    let mut inputs = 0;
    for (row, col, value) in values.used_cells() {
        if !matches!(value, Data::Float(_) | Data::Int(_)) {
            continue;
        }
        // A grant's amounts are inputs; its present value (after the
        // years) is a formula.
        if grants.contains(&row) && col <= package.horizon_years as usize {
            assert_eq!(label(row), package.financing[row - heading - 1].label);
            inputs += 1;
            continue;
        }
        numbers += 1;
        let f = formulas
            .get_value((row as u32, col as u32))
            .cloned()
            .unwrap_or_default();
        assert!(!f.is_empty(), "({row}, {col}) is a value, not a formula");
    }
    assert!(numbers > 200, "only {numbers} numbers");
    assert_eq!(inputs, package.horizon_years as usize);
}

/// The kommune's result by committee on the total sheet, recalculated,
/// against the sum of the arms' committee results in the engine.
#[test]
fn package_total_gives_the_kommune_by_committee() {
    let package = package(&package_json());
    let case = som::package::evaluate(&package, kb()).unwrap();
    let model = recalculated_package(&package, Lang::En);
    let h = case.total.horizon_years as i32;
    let mut checked = 0;
    for committee in &case.arms[0].committees {
        let name = kb()
            .committees()
            .iter()
            .find(|c| c.id == committee.committee)
            .map(|c| c.name.en.clone())
            .unwrap();
        let npv: Decimal = case
            .arms
            .iter()
            .flat_map(|a| &a.committees)
            .filter(|c| c.committee == committee.committee)
            .map(|c| c.npv)
            .sum();
        let (row, _) = value_cell(&model, 0, &format!("{name}: net"));
        // The present value is in the column after the years.
        let found = number_at(&model, 0, (row, 2 + h));
        assert_oere(found, npv, &format!("{name}: PV of the net"));
        checked += 1;
    }
    assert!(checked >= 2, "only {checked} committees");
}

/// The workbook's row (1-based) labelled `label` in column A of `sheet`,
/// the first after the row labelled `after`.
fn row_after(model: &Model, sheet: u32, after: &str, label: &str) -> i32 {
    let mut armed = false;
    for row in 1..600 {
        if let Ok(CellValue::String(s)) = model.get_cell_value_by_index(sheet, row, 1) {
            if armed && s.trim() == label {
                return row;
            }
            armed |= s.trim() == after;
        }
    }
    panic!("no row labelled {label} after {after} on sheet {sheet}");
}

/// The package's grants on the recalculated total sheet against `som
/// run`'s package total: each grant's present value, the financing and the
/// net with it by payer, and each committee's financing and net with it,
/// all as present values (the column after the years).
fn assert_package_financing(model: &Model, case: &PackageCase, lang: Lang, name: &str) {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    let total = &case.total;
    let financing = total.financing.as_ref().expect("the package has grants");
    let pv_col = 2 + total.horizon_years as i32;
    let amounts = l("Grant amounts by year", "Tilskud pr. år");
    for g in &financing.grants {
        let row = row_after(model, 0, amounts, &g.label);
        assert_oere(
            number_at(model, 0, (row, pv_col)),
            g.pv,
            &format!("{name}: PV of {}", g.label),
        );
    }
    let heading = l(
        "Financing (the kommune receives; the state or region gives)",
        "Finansiering (kommunen modtager; staten eller regionen giver)",
    );
    let with = l("Net with financing", "Netto med finansiering");
    type Of = fn(&som::Split) -> Decimal;
    let payers: [(&str, Of); 3] = [
        ("kommune", |s| s.kommune),
        ("region", |s| s.region),
        ("stat", |s| s.stat),
    ];
    for (payer, of) in payers {
        let row = row_after(model, 0, heading, payer);
        let what = format!("{name}: financing, {payer}");
        assert_oere(number_at(model, 0, (row, pv_col)), of(&financing.pv), &what);
        let row = row_after(model, 0, with, payer);
        let what = format!("{name}: net with financing, {payer}");
        let expected = of(&financing.npv_with_financing);
        assert_oere(number_at(model, 0, (row, pv_col)), expected, &what);
    }
    let row = row_after(model, 0, with, l("total", "i alt"));
    let what = format!("{name}: net with financing, total");
    let expected = financing.npv_with_financing.total;
    assert_oere(number_at(model, 0, (row, pv_col)), expected, &what);
    for c in &total.committees {
        let committee = kb().committees().iter().find(|k| k.id == c.committee);
        let committee = committee
            .map(|k| lang.pick(&k.name.en, &k.name.da))
            .unwrap();
        for (part, expected) in [
            (l("financing", "finansiering"), c.pv_financing),
            (
                l("net with financing", "netto med finansiering"),
                c.npv_with_financing,
            ),
        ] {
            let label = format!("{committee}: {part}");
            let row = row_after(
                model,
                0,
                l("The kommune by committee", "Kommunen fordelt på udvalg"),
                &label,
            );
            let what = format!("{name}: {label}");
            assert_oere(number_at(model, 0, (row, pv_col)), expected, &what);
        }
    }
}

/// The example package's pool grant (2.000.000 kr. in 2026 and 1.000.000
/// kr. in 2027, from the state) on the total sheet, recalculated: its
/// present value is 2.000.000 + 1.000.000 / 1,035 = 2.966.183,57 kr. (by
/// hand), and the kommune's NPV with financing is its NPV without,
/// 4.118.523,35 kr. (the engine's, reproduced to the øre by
/// `recalculated_package_workbook_reproduces_som_run`), plus that:
/// 7.084.706,92 kr.; the public total is unchanged by a transfer from the
/// state.
#[test]
fn package_total_finances_the_kommune_with_the_package_grants() {
    let package = package(&package_json());
    let case = som::package::evaluate(&package, kb()).unwrap();
    let financing = case.total.financing.as_ref().unwrap();
    let by_hand = 2_000_000.0 + 1_000_000.0 / 1.035;
    assert!((to_f64(financing.grants[0].pv) - by_hand).abs() < 0.005);
    let kommune = to_f64(case.total.summary.npv.kommune);
    for lang in [Lang::En, Lang::Da] {
        let model = recalculated_package(&package, lang);
        assert_package_financing(&model, &case, lang, &format!("{lang:?}"));
        let l = |en: &'static str, da: &'static str| lang.pick(en, da);
        let pv_col = 2 + case.total.horizon_years as i32;
        let with = l("Net with financing", "Netto med finansiering");
        let found = number_at(&model, 0, (row_after(&model, 0, with, "kommune"), pv_col));
        assert!((found - (kommune + by_hand)).abs() < 0.01, "{found}");
        assert!((found - 7_084_706.92).abs() < 0.01, "{found}");
        let total = number_at(
            &model,
            0,
            (row_after(&model, 0, with, l("total", "i alt")), pv_col),
        );
        assert_oere(total, case.total.summary.npv.total, "public total");
        // An intervention's Inputs sheet has no grants of its own: it
        // points to the total sheet.
        for arm in 0..case.arms.len() {
            let (row, col) = value_cell(&model, arm_sheet(arm, 0), l("Grants", "Tilskud"));
            match model.get_cell_value_by_index(arm_sheet(arm, 0), row, col) {
                Ok(CellValue::String(s)) => {
                    assert!(s.ends_with(xlsx::total_sheet_name(lang)), "{s}")
                }
                other => panic!("{other:?}"),
            }
        }
    }
}

/// The grant edited on the total sheet (2027: 1.000.000 → 1.500.000 kr.,
/// and from the state to outside the public sector): recalculated, the
/// workbook gives what `som run` gives for the package file edited alike.
#[test]
fn edited_package_grant_gives_what_som_run_gives_for_the_edited_package() {
    let original = package(&package_json());
    for lang in [Lang::En, Lang::Da] {
        let mut model = recalculated_package(&original, lang);
        let l = |en: &'static str, da: &'static str| lang.pick(en, da);
        let label = "Social investment pool (illustrative amount)";
        let row = row_after(
            &model,
            0,
            l("Grant amounts by year", "Tilskud pr. år"),
            label,
        );
        // Column B is the first year, C the second (1-based 3).
        model
            .set_user_input(0, row, 3, "1500000".to_owned())
            .unwrap();
        let row = row_after(&model, 0, l("Grants", "Tilskud"), label);
        model
            .set_user_input(0, row, 2, l("outside", "ekstern").to_owned())
            .unwrap();
        model.evaluate();

        let mut edited = package_json();
        edited["financing"][0]["amounts"][1]["amount"] = json!(1_500_000);
        edited["financing"][0]["from"] = json!("outside");
        let case = som::package::evaluate(&package(&edited), kb()).unwrap();
        let unedited = som::package::evaluate(&original, kb()).unwrap();
        let (before, after) = (
            unedited.total.financing.as_ref().unwrap(),
            case.total.financing.as_ref().unwrap(),
        );
        assert_ne!(
            before.npv_with_financing.kommune,
            after.npv_with_financing.kommune
        );
        assert_ne!(
            before.npv_with_financing.total,
            after.npv_with_financing.total
        );
        assert_package_financing(&model, &case, lang, &format!("edited grant, {lang:?}"));
        assert_package_reproduces(&model, &case, lang, "edited grant");
    }
}
