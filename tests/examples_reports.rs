//! Every example scenario yields every report: the workbook reads back, the
//! charts parse, the page states the NPV, in both languages.

use std::io::Cursor;

use calamine::{Reader, Xlsx, open_workbook_from_rs};
use som::report::chart::{ChartKind, render as chart};
use som::report::{Lang, html, xlsx};
use som::{KnowledgeBase, Scenario};

#[test]
fn every_example_scenario_renders_every_report_in_both_languages() {
    let kb = KnowledgeBase::embedded();
    let mut seen = 0;
    for entry in std::fs::read_dir("examples").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let scenario = Scenario::from_file(&path).unwrap();
        let case = som::evaluate(&scenario, kb).unwrap();
        for lang in [Lang::En, Lang::Da] {
            let bytes = xlsx::render(&scenario, kb, lang).unwrap();
            let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
            assert_eq!(wb.sheet_names(), xlsx::sheet_names(lang), "{path:?}");
            for name in xlsx::sheet_names(lang) {
                assert!(
                    wb.worksheet_range(name).unwrap().height() >= 2,
                    "{path:?} {name}"
                );
            }
            for kind in [ChartKind::Cumulative, ChartKind::Flows] {
                roxmltree::Document::parse(&chart(&case, kind, lang)).unwrap();
            }
            let page = html::render(&case, lang, kb);
            assert!(
                page.contains(&lang.money(case.summary.npv.total)),
                "{path:?}"
            );
        }
        seen += 1;
    }
    assert!(seen > 0, "no example scenarios found");
}
