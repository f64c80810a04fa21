//! The SVG charts, parsed back as XML: one point per year, one bar per
//! non-zero payer amount, and the break-even marker where it belongs.

use som::report::Lang;
use som::report::chart::{ChartKind, render};
use som::{BusinessCase, KnowledgeBase, Payer, Scenario};

fn case_from(edit: impl FnOnce(&mut serde_json::Value)) -> BusinessCase {
    let json = std::fs::read_to_string("examples/housing-first.json").unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    edit(&mut value);
    let scenario = Scenario::from_json(&value.to_string()).unwrap();
    som::evaluate(&scenario, KnowledgeBase::embedded()).unwrap()
}

fn count(svg: &str, tag: &str, class: &str) -> usize {
    let doc = roxmltree::Document::parse(svg).expect("the chart is well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name(tag) && n.attribute("class") == Some(class))
        .count()
}

#[test]
fn cumulative_chart_has_a_point_per_year_and_marks_break_even() {
    let case = case_from(|_| {});
    for lang in [Lang::En, Lang::Da] {
        let svg = render(&case, ChartKind::Cumulative, lang);
        assert_eq!(count(&svg, "circle", "point"), case.years.len());
        assert_eq!(count(&svg, "g", "break-even"), 1);
        let year = case.summary.break_even_year.unwrap();
        let label = lang.pick("Break-even", "Break-even-år");
        assert!(svg.contains(&format!("{label} {year}")));
        assert_eq!(count(&svg, "text", "no-break-even"), 0);
    }
}

#[test]
fn cumulative_chart_says_when_there_is_no_break_even() {
    let case = case_from(|v| v["costs"][0]["amount"] = serde_json::json!(100_000_000));
    assert_eq!(case.summary.break_even_year, None);
    let svg = render(&case, ChartKind::Cumulative, Lang::En);
    assert_eq!(count(&svg, "g", "break-even"), 0);
    assert_eq!(count(&svg, "text", "no-break-even"), 1);
}

#[test]
fn flows_chart_has_a_bar_per_non_zero_payer_amount() {
    let case = case_from(|v| v["horizon_years"] = serde_json::json!(15));
    let expected: usize = case
        .years
        .iter()
        .map(|y| {
            Payer::ALL
                .iter()
                .filter(|p| !y.costs.get(**p).is_zero())
                .count()
                + Payer::ALL
                    .iter()
                    .filter(|p| !y.gains.get(**p).is_zero())
                    .count()
        })
        .sum();
    assert!(expected > case.years.len());
    for lang in [Lang::En, Lang::Da] {
        let svg = render(&case, ChartKind::Flows, lang);
        assert_eq!(count(&svg, "rect", "bar"), expected);
    }
}

#[test]
fn chart_labels_follow_the_language() {
    let case = case_from(|_| {});
    let svg = render(&case, ChartKind::Flows, Lang::Da);
    assert!(svg.contains("Omkostninger og gevinster"));
    assert!(svg.contains("mio. kr."));
    let svg = render(&case, ChartKind::Flows, Lang::En);
    assert!(svg.contains("DKK million"));
}
