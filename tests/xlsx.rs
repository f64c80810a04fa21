//! The Excel workbook, read back with calamine: values match the business
//! case and the traceable figures are formulas.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use som::report::{Lang, xlsx};
use som::{BusinessCase, KnowledgeBase, Payer, Scenario};

fn example() -> BusinessCase {
    som::evaluate(&Scenario::example(), KnowledgeBase::embedded()).unwrap()
}

fn open(case: &BusinessCase, lang: Lang) -> Xlsx<Cursor<Vec<u8>>> {
    let bytes = xlsx::render(case, lang, Some(KnowledgeBase::embedded())).unwrap();
    open_workbook_from_rs(Cursor::new(bytes)).unwrap()
}

fn number(range: &Range<Data>, row: u32, col: u32) -> f64 {
    match range.get_value((row, col)) {
        Some(Data::Float(v)) => *v,
        Some(Data::Int(v)) => *v as f64,
        other => panic!("expected a number at ({row}, {col}), found {other:?}"),
    }
}

fn text(range: &Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("expected text at ({row}, {col}), found {other:?}"),
    }
}

fn formula(range: &Range<String>, row: u32, col: u32) -> String {
    range
        .get_value((row, col))
        .cloned()
        .unwrap_or_else(|| panic!("no formula at ({row}, {col})"))
}

fn assert_close(found: f64, expected: Decimal, what: &str) {
    let expected = expected.to_f64().unwrap();
    let tolerance = 1e-6 * expected.abs().max(1.0);
    assert!(
        (found - expected).abs() <= tolerance,
        "{what}: found {found}, expected {expected}"
    );
}

/// Finds the row whose first cell is `label`.
fn row_of(range: &Range<Data>, label: &str) -> u32 {
    (0..range.height() as u32)
        .find(|r| matches!(range.get_value((*r, 0)), Some(Data::String(s)) if s.trim() == label))
        .unwrap_or_else(|| panic!("no row labelled {label}"))
}

#[test]
fn workbook_has_the_four_sheets_in_order() {
    let wb = open(&example(), Lang::En);
    assert_eq!(
        wb.sheet_names(),
        ["Assumptions", "Yearly flows", "Consequences", "Summary"]
    );
    let wb = open(&example(), Lang::Da);
    assert_eq!(wb.sheet_names(), xlsx::sheet_names(Lang::Da));
}

#[test]
fn yearly_flows_match_the_business_case_with_years_as_columns() {
    let case = example();
    let mut wb = open(&case, Lang::En);
    let values = wb.worksheet_range("Yearly flows").unwrap();
    let formulas = wb.worksheet_formula("Yearly flows").unwrap();
    let costs = row_of(&values, "Costs") + 1;
    let gains = row_of(&values, "Gains") + 1;
    let net = row_of(&values, "Net (gains - costs)") + 1;
    let df = row_of(&values, "Discount factor");
    let discounted = row_of(&values, "Discounted net") + 1;
    let cumulative = row_of(&values, "Cumulative discounted net") + 1;
    for (t, y) in case.years.iter().enumerate() {
        let c = 1 + t as u32;
        assert_eq!(number(&values, 0, c), f64::from(y.year));
        assert_close(number(&values, df, c), y.discount_factor, "discount factor");
        for (i, part) in ["kommune", "region", "stat", "total"].iter().enumerate() {
            let get = |s: &som::Split| match i {
                3 => s.total,
                _ => s.get(Payer::ALL[i]),
            };
            let i = i as u32;
            assert_close(number(&values, costs + i, c), get(&y.costs), part);
            assert_close(number(&values, gains + i, c), get(&y.gains), part);
            assert_close(number(&values, net + i, c), get(&y.net), part);
            assert_close(
                number(&values, discounted + i, c),
                get(&y.net_discounted),
                part,
            );
            assert_close(
                number(&values, cumulative + i, c),
                get(&y.cumulative_net_discounted),
                part,
            );
        }
        for i in 0..3 {
            let gain = formula(&formulas, gains + i, c);
            assert!(gain.starts_with("-SUMPRODUCT(Consequences!"), "{gain}");
            assert!(formula(&formulas, net + i, c).contains('-'));
            assert!(formula(&formulas, discounted + i, c).contains('*'));
        }
        for first in [costs, gains, net, discounted, cumulative] {
            assert!(formula(&formulas, first + 3, c).starts_with("SUM("));
        }
        if t > 0 {
            let running = formula(&formulas, cumulative, c);
            assert!(
                running.contains(&format!("{}", cumulative + 1)),
                "{running}"
            );
        }
    }
}

#[test]
fn summary_present_values_are_sumproducts_of_the_yearly_flows() {
    let case = example();
    let s = &case.summary;
    let mut wb = open(&case, Lang::En);
    let values = wb.worksheet_range("Summary").unwrap();
    let formulas = wb.worksheet_formula("Summary").unwrap();
    for (label, split) in [
        ("Costs", &s.pv_costs),
        ("Gains", &s.pv_gains),
        ("Net (NPV)", &s.npv),
    ] {
        let r = row_of(&values, label);
        for (c, v) in [split.kommune, split.region, split.stat, split.total]
            .into_iter()
            .enumerate()
        {
            assert_close(number(&values, r, 1 + c as u32), v, label);
            let f = formula(&formulas, r, 1 + c as u32);
            assert!(f.starts_with("SUMPRODUCT('Yearly flows'!"), "{f}");
        }
    }
    let r = row_of(&values, "Benefit-cost ratio");
    assert_close(number(&values, r, 1), s.benefit_cost_ratio.unwrap(), "bcr");
    assert_eq!(formula(&formulas, r, 1), "E5/E4");
    let r = row_of(&values, "Break-even year");
    assert_eq!(number(&values, r, 1), f64::from(s.break_even_year.unwrap()));
    let r = row_of(&values, "NPV per participant");
    assert_close(
        number(&values, r, 1),
        s.npv_per_participant.unwrap(),
        "per participant",
    );
}

#[test]
fn assumptions_record_the_inputs_and_the_knowledge_base() {
    let case = example();
    let mut wb = open(&case, Lang::En);
    let values = wb.worksheet_range("Assumptions").unwrap();
    let r = row_of(&values, "Knowledge base sha256");
    assert_eq!(text(&values, r, 1), case.context.knowledge_base_hash);
    let r = row_of(&values, "Knowledge base version");
    assert_eq!(text(&values, r, 1), case.context.knowledge_base_version);
    let r = row_of(&values, "Scenario");
    assert_eq!(text(&values, r, 1), case.scenario);
    let r = row_of(&values, "Net success rate (s = p1 - p0)");
    assert_close(number(&values, r, 1), case.net_success_rate, "s");
    let r = row_of(&values, "Price year");
    assert_eq!(number(&values, r, 1), f64::from(case.price_year));
    assert!(text(&values, row_of(&values, "Discounting"), 1).contains("dk-fm-2021"));
}

#[test]
fn consequence_lines_carry_unit_prices_and_present_values() {
    let case = example();
    let mut wb = open(&case, Lang::Da);
    let values = wb.worksheet_range("Konsekvenser").unwrap();
    let formulas = wb.worksheet_formula("Konsekvenser").unwrap();
    for (i, line) in case.lines.iter().enumerate() {
        let r = 1 + i as u32;
        assert_eq!(text(&values, r, 0), line.service);
        assert_close(
            number(&values, r, 5),
            line.unit_price.kommune,
            "kommune price",
        );
        assert_close(number(&values, r, 7), line.unit_price.stat, "stat price");
        assert_close(number(&values, r, 10), line.pv_gains, "line pv");
        let pv = formula(&formulas, r, 10);
        assert!(pv.starts_with("-SUMPRODUCT("), "{pv}");
    }
}

#[test]
fn a_scenario_without_costs_writes_not_applicable_ratios() {
    let json = std::fs::read_to_string("examples/housing-first.json").unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["costs"] = serde_json::json!([]);
    let scenario = Scenario::from_json(&value.to_string()).unwrap();
    let case = som::evaluate(&scenario, KnowledgeBase::embedded()).unwrap();
    let mut wb = open(&case, Lang::En);
    let values = wb.worksheet_range("Summary").unwrap();
    assert_eq!(
        text(&values, row_of(&values, "Benefit-cost ratio"), 1),
        "n/a"
    );
}
