//! The CSV view: one row per year with every flow per payer at full
//! precision, for a spreadsheet. Gains by area and by line follow as
//! `gains_area_<id>` and `gains_line_<service>` columns. The summary is in the
//! JSON, table and Markdown views.
//!
//! In Danish ([`render_in`] with [`Lang::Da`]) the CSV is for a spreadsheet
//! with Danish settings: columns separated by semicolons, decimal commas,
//! amounts rounded to øre and factors to six decimals, Danish headers with
//! names from the knowledge base, and a summary block (NPV per payer, PV of
//! costs and gains, ratios, break-even) above the years.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::business_case::Split;
use crate::{BusinessCase, KnowledgeBase};

use super::{Lang, exact};

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
        header.extend(kommune_headers(case, Lang::En));
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
        row.extend(kommune_cells(case, y.t, exact));
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

/// The business case as CSV in a language: [`render`] in English; in Danish
/// semicolons, decimal commas, a summary block, then the years.
///
/// ```
/// use som::report::{csv, Lang};
/// let kb = som::KnowledgeBase::embedded();
/// let case = som::evaluate(&som::Scenario::example(), kb).unwrap();
/// let text = csv::render_in(&case, Lang::Da, Some(kb));
/// assert!(text.starts_with("Nøgletal;kommune;region;stat;i alt\n"));
/// assert!(text.contains("\nÅr;"));
/// ```
pub fn render_in(case: &BusinessCase, lang: Lang, kb: Option<&KnowledgeBase>) -> String {
    match lang {
        Lang::En => render(case),
        Lang::Da => danish(case, kb),
    }
}

/// An amount to the øre with a decimal comma, no thousands separators.
fn ore(d: Decimal) -> String {
    comma(d, 2)
}

/// `d` rounded to `dp` decimals with a decimal comma and no thousands
/// separators, as a spreadsheet with Danish settings reads a number.
pub(crate) fn comma(d: Decimal, dp: u32) -> String {
    let mut rounded = d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    if rounded.is_zero() {
        // No "-0,00" for a gain of minus nothing.
        rounded.set_sign_positive(true);
    }
    format!("{rounded:.0$}", dp as usize).replace('.', ",")
}

fn danish(case: &BusinessCase, kb: Option<&KnowledgeBase>) -> String {
    let lang = Lang::Da;
    let s = &case.summary;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let split = |label: &str, v: &Split| {
        vec![
            label.to_owned(),
            ore(v.kommune),
            ore(v.region),
            ore(v.stat),
            ore(v.total),
        ]
    };
    let single = |label: &str, v: String| {
        vec![
            label.to_owned(),
            String::new(),
            String::new(),
            String::new(),
            v,
        ]
    };
    rows.push(strings(&["Nøgletal", "kommune", "region", "stat", "i alt"]));
    rows.push(split("Nutidsværdi af omkostninger (kr.)", &s.pv_costs));
    rows.push(split("Nutidsværdi af gevinster (kr.)", &s.pv_gains));
    rows.push(split("Nettonutidsværdi (kr.)", &s.npv));
    let optional = |d: Option<Decimal>, dp: u32| d.map_or_else(String::new, |d| comma(d, dp));
    rows.push(single(
        "Gevinst-omkostningsforhold",
        optional(s.benefit_cost_ratio, 4),
    ));
    rows.push(single(
        "Afkast pr. investeret krone",
        optional(s.return_per_krone, 4),
    ));
    rows.push(single(
        "Break-even-år",
        s.break_even_year
            .map_or_else(String::new, |y| y.to_string()),
    ));
    rows.push(single("Deltagere", comma(s.participants, 2)));
    rows.push(single("Succeser (netto)", comma(s.successes, 2)));
    let summary = semicolons(rows);

    let mut rows: Vec<Vec<String>> = Vec::new();

    let mut header = strings(&["År", "t", "Diskonteringsfaktor"]);
    for flow in [
        "Omkostninger",
        "Gevinster",
        "Netto",
        "Diskonteret netto",
        "Akkumuleret diskonteret netto",
    ] {
        for part in ["kommune", "region", "stat", "i alt"] {
            header.push(format!("{flow}, {part} (kr.)"));
        }
    }
    if !case.years.is_empty() {
        header.extend(
            case.areas
                .iter()
                .map(|a| format!("Gevinster, {} (kr.)", lang.area_name(a, kb))),
        );
        header.extend(
            case.lines
                .iter()
                .map(|l| format!("Gevinster, {} (kr.)", lang.service(l, kb))),
        );
        header.extend(kommune_headers(case, lang));
    }
    rows.push(header);
    for y in &case.years {
        let mut row = vec![
            y.year.to_string(),
            y.t.to_string(),
            comma(y.discount_factor, 6),
        ];
        for flow in [
            &y.costs,
            &y.gains,
            &y.net,
            &y.net_discounted,
            &y.cumulative_net_discounted,
        ] {
            row.extend([flow.kommune, flow.region, flow.stat, flow.total].map(ore));
        }
        row.extend(y.gains_by_area.iter().map(|v| ore(*v)));
        row.extend(y.gains_by_line.iter().map(|v| ore(*v)));
        row.extend(kommune_cells(case, y.t, ore));
        rows.push(row);
    }
    // A blank line between the blocks, as a spreadsheet shows an empty row.
    format!("{summary}\n{}", semicolons(rows))
}

/// The headers of [`kommune_cells`] in a language: the kommune's gains,
/// costs (and, with grants, financing) by committee, then the financing and
/// each payer's net with it.
pub(crate) fn kommune_headers(case: &BusinessCase, lang: Lang) -> Vec<String> {
    let mut header = match lang {
        Lang::En => kommune_columns(case, |c, part| format!("committee_{c}_{part}_kommune")),
        Lang::Da => kommune_columns(case, |c, part| {
            let name = super::document::committee_name(case, Some(c), lang);
            let part = match part {
                "gains" => "gevinster",
                "costs" => "omkostninger",
                _ => "finansiering",
            };
            format!("{name}, kommunens {part} (kr.)")
        }),
    };
    if case.financing.is_some() {
        match lang {
            Lang::En => {
                for flow in ["financing", "net_with_financing"] {
                    header.extend(PARTS.iter().map(|p| format!("{flow}_{p}")));
                }
            }
            Lang::Da => {
                for flow in ["Finansiering", "Netto med finansiering"] {
                    for part in ["kommune", "region", "stat", "i alt"] {
                        header.push(format!("{flow}, {part} (kr.)"));
                    }
                }
            }
        }
    }
    header
}

/// The headers of the kommune's columns: its gains, costs (and, with
/// grants, financing) by committee, named by `name(committee, part)`.
fn kommune_columns(case: &BusinessCase, name: impl Fn(&str, &str) -> String) -> Vec<String> {
    let parts: &[&str] = if case.financing.is_some() {
        &["gains", "costs", "financing"]
    } else {
        &["gains", "costs"]
    };
    case.committees
        .iter()
        .flat_map(|c| parts.iter().map(|part| name(&c.committee, part)))
        .collect()
}

/// Year t's cells of [`kommune_columns`], then the financing between
/// payers and each payer's net with it, each written by `cell`.
pub(crate) fn kommune_cells(
    case: &BusinessCase,
    t: usize,
    cell: impl Fn(Decimal) -> String,
) -> Vec<String> {
    let at = |v: &[Decimal]| v.get(t).copied().unwrap_or_default();
    let mut cells = Vec::new();
    for c in &case.committees {
        cells.push(cell(at(&c.gains)));
        cells.push(cell(at(&c.costs)));
        if case.financing.is_some() {
            cells.push(cell(at(&c.financing)));
        }
    }
    if let Some(f) = &case.financing {
        for split in [&f.years, &f.net_with_financing] {
            let s = split.get(t).copied().unwrap_or_default();
            cells.extend([s.kommune, s.region, s.stat, s.total].map(&cell));
        }
    }
    cells
}

/// Rows as semicolon-separated CSV, for a spreadsheet with Danish settings.
pub(crate) fn semicolons(rows: Vec<Vec<String>>) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&row);
    }
    w.into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}
