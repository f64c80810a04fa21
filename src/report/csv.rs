//! The CSV view: one row per year with every flow per payer at full
//! precision, for a spreadsheet. Gains by area and by line follow as
//! `gains_area_<id>` and `gains_line_<service>` columns. The summary is in the
//! JSON, table and Markdown views.

use crate::BusinessCase;
use crate::business_case::Split;

use super::exact;

const FLOWS: [&str; 5] = [
    "costs",
    "gains",
    "net",
    "net_discounted",
    "cumulative_net_discounted",
];
const PARTS: [&str; 4] = ["kommune", "region", "stat", "total"];

fn parts(s: &Split) -> [String; 4] {
    [
        exact(s.kommune),
        exact(s.region),
        exact(s.stat),
        exact(s.total),
    ]
}

/// The yearly flows as CSV text.
pub fn render(case: &BusinessCase) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = vec!["t".into(), "year".into(), "discount_factor".into()];
    for flow in FLOWS {
        header.extend(PARTS.iter().map(|p| format!("{flow}_{p}")));
    }
    if !case.years.is_empty() {
        header.extend(case.areas.iter().map(|a| format!("gains_area_{a}")));
        header.extend(
            case.lines
                .iter()
                .map(|l| format!("gains_line_{}", l.service)),
        );
    }
    let mut rows = vec![header];
    for y in &case.years {
        let mut row = vec![
            y.t.to_string(),
            y.year.to_string(),
            exact(y.discount_factor),
        ];
        for s in [
            &y.costs,
            &y.gains,
            &y.net,
            &y.net_discounted,
            &y.cumulative_net_discounted,
        ] {
            row.extend(parts(s));
        }
        row.extend(y.gains_by_area.iter().map(|v| exact(*v)));
        row.extend(y.gains_by_line.iter().map(|v| exact(*v)));
        rows.push(row);
    }
    for row in rows {
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&row);
    }
    w.into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}
