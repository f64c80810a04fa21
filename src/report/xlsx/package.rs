//! A package's workbook (docs/DESIGN.md §1.10, §4.1): each intervention is
//! a live model on the five sheets a single case's workbook has, numbered
//! ("1 Inputs", "1 Calculation" ... "2 Inputs" ...), and a first sheet sums
//! them into the package total, every figure a formula of the
//! interventions' cells.
//!
//! The inputs the interventions share are kept once (see
//! [`super::inputs::Shared`]): the first year, the discount rates and each
//! service's prices are yellow on the first intervention's Inputs sheet
//! that has them, and the later interventions' cells refer to them.

use std::path::Path;

use rust_xlsxwriter::{ColNum, RowNum, Worksheet, XlsxError, row_col_to_cell};

use super::flows::{FlowRows, break_even_flags, payer_block};
use super::grants::{self, GrantRows, TotalRows, flow_row};
use super::summary::{PV_ROW, SummaryRows, SummarySheet};
use super::{
    CaseSheets, Formats, OneCase, WorkbookError, committee_text, criterion, formula, num, on,
    range, sheet_names, text_formula, titled, write_case, year_col,
};
use crate::KnowledgeBase;
use crate::business_case::{Split, YearFlows};
use crate::package::{Package, PackageCase};
use crate::report::Lang;

/// The name of the sheet that sums the interventions, in a language.
///
/// ```
/// assert_eq!(som::report::xlsx::total_sheet_name(som::report::Lang::Da), "Pakken i alt");
/// ```
pub fn total_sheet_name(lang: Lang) -> &'static str {
    lang.pick("Package total", "Pakken i alt")
}

/// The names of intervention `i`'s five sheets (counted from 0): a single
/// case's sheet names after the intervention's number, counted from 1.
///
/// ```
/// let names = som::report::xlsx::arm_sheet_names(1, som::report::Lang::En);
/// assert_eq!(names[3], "2 Summary");
/// ```
pub fn arm_sheet_names(i: usize, lang: Lang) -> [String; 5] {
    sheet_names(lang).map(|n| format!("{} {n}", i + 1))
}

/// A package's business case as a live .xlsx workbook, in memory: the
/// package total first, then each intervention's five sheets.
///
/// ```
/// let kb = som::KnowledgeBase::embedded();
/// let package = som::package::Package::from_file("examples/package/homeless-60.json").unwrap();
/// let bytes = som::report::xlsx::render_package(&package, kb, som::report::Lang::En).unwrap();
/// assert_eq!(&bytes[..2], b"PK");
/// ```
pub fn render_package(
    package: &Package,
    kb: &KnowledgeBase,
    lang: Lang,
) -> Result<Vec<u8>, WorkbookError> {
    let case = crate::package::evaluate(package, kb)?;
    let adjusted = package.resolve(kb).map_err(crate::Error::from)?;
    // As for one case: with an evidence adjustment, the inputs are the
    // figures before it.
    let plain = if adjusted.iter().any(|m| m.context.evidence.is_active()) {
        Package {
            evidence_adjustment: None,
            ..package.clone()
        }
        .resolve(kb)
        .map_err(crate::Error::from)?
    } else {
        adjusted.clone()
    };
    let mut workbook = titled(&package.name)?;
    workbook.add_worksheet().set_name(total_sheet_name(lang))?;
    let mut shared = super::inputs::Shared::default();
    let mut arms = Vec::with_capacity(case.arms.len());
    for (i, ((arm, model), adjusted)) in case.arms.iter().zip(&plain).zip(&adjusted).enumerate() {
        let one = OneCase {
            case: arm,
            model,
            adjusted,
        };
        let names = arm_sheet_names(i, lang);
        arms.push(write_case(
            &mut workbook,
            &one,
            kb,
            lang,
            &names,
            Some(&mut shared),
        )?);
    }
    total(workbook.worksheet_from_index(0)?, &case, &arms, lang)?;
    Ok(workbook.save_to_buffer()?)
}

/// Writes a package's business case as a live .xlsx workbook to `path`.
pub fn write_package(
    package: &Package,
    kb: &KnowledgeBase,
    lang: Lang,
    path: &Path,
) -> Result<(), WorkbookError> {
    let bytes = render_package(package, kb, lang)?;
    std::fs::write(path, bytes).map_err(|source| WorkbookError::Write {
        path: path.to_owned(),
        source,
    })
}

/// The total sheet: the package's summary and yearly flows by payer as
/// sums of the interventions' cells (§1.10), the interventions side by
/// side, each one's net per year, and the kommune's result by committee.
fn total(
    ws: &mut Worksheet,
    package: &PackageCase,
    arms: &[CaseSheets],
    lang: Lang,
) -> Result<(), XlsxError> {
    let f = Formats::new(lang);
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    let total = &package.total;
    let s = &total.summary;
    let h = total.horizon_years;
    // Σ over the interventions of the cell (row, col) of their sheet `sheet`.
    let sum_of = |sheet: usize, row: RowNum, col: ColNum| {
        let cells: Vec<String> = arms.iter().map(|a| on(&a.names[sheet], row, col)).collect();
        format!("={}", cells.join("+"))
    };
    let (first_arm, n) = (9 + PV_ROW + 9, arms.len() as RowNum);
    // The yearly flows below the interventions' table.
    let year = first_arm + n + 2;
    let discount_factor = year + 1;
    let block = |k: RowNum| year + 4 + k * 5;
    let (costs, gains, net, discounted, cumulative) =
        (block(0), block(1), block(2), block(3), block(4));
    let flags = block(5) - 1;
    let years = |row: RowNum| range((row, year_col(0)), (row, year_col(h.max(1) - 1)));

    let heading = format!("{}: {}", l("Package", "Pakke"), package.name);
    let mut sheet = SummarySheet::new(ws, &f, lang, &heading)?;
    sheet.ws.write_string(
        1,
        0,
        l(
            "The sum of the interventions, each a live model on its own numbered sheets; every figure here is a formula of theirs. The first year, the discount rates and a service's prices are edited on the first intervention's Inputs sheet that has them.",
            "Summen af indsatserne, hver en levende model på sine egne nummererede ark; hvert tal her er en formel af deres. Første år, diskonteringsrenterne og en ydelses priser ændres på Inddata-arket for den første indsats, der har dem.",
        ),
    )?;
    let pv_cells =
        |what: usize, payer: usize| sum_of(3, PV_ROW + what as RowNum, 1 + payer as ColNum);
    sheet.present_values(s, pv_cells)?;
    sheet.ratios(s)?;
    sheet.break_even_year(s, &years(flags), &years(year))?;
    sheet.ws.write_string_with_format(
        sheet.row,
        0,
        l("Break-even net success rate", "Break-even netto-succesrate"),
        &f.bold,
    )?;
    sheet.ws.write_string(
        sheet.row,
        1,
        l(
            "per intervention only (each has its own rate): see its Summary sheet",
            "kun pr. indsats (hver har sin egen rate): se dens Resumé-ark",
        ),
    )?;
    sheet.row += 1;
    let figure = |what: fn(&SummaryRows) -> RowNum| {
        let cells: Vec<String> = arms
            .iter()
            .map(|a| on(&a.names[3], what(&a.summary), 1))
            .collect();
        format!("={}", cells.join("+"))
    };
    sheet.per_head(s, figure(|r| r.participants), figure(|r| r.successes))?;
    let last = total
        .years
        .last()
        .map_or(0.0, |y| num(y.cumulative_net_discounted.total));
    sheet.figure(
        l(
            "Cumulative discounted net, last year",
            "Akkumuleret diskonteret netto, sidste år",
        ),
        format!(
            "={}",
            row_col_to_cell(cumulative + 3, year_col(h.max(1) - 1))
        ),
        Some(last),
        &f.money,
    )?;
    let ws = sheet.ws;
    for t in 0..h.max(5) {
        ws.set_column_width(year_col(t), 18)?;
    }

    // The interventions side by side, each a formula of its Summary sheet.
    let head = first_arm - 1;
    ws.write_string_with_format(head - 1, 0, l("Interventions", "Indsatser"), &f.bold)?;
    let columns = [
        l("PV of costs", "NV af omkostninger"),
        l("PV of gains", "NV af gevinster"),
        l("NPV", "NNV"),
        l("Benefit-cost ratio", "Gevinst-omkostningsforhold"),
        l("Break-even year", "Break-even-år"),
        l("Participants", "Deltagere"),
        l("Sheets", "Ark"),
    ];
    ws.write_string_with_format(head, 0, l("Intervention", "Indsats"), &f.bold)?;
    for (c, text) in columns.iter().enumerate() {
        ws.write_string_with_format(head, 1 + c as ColNum, *text, &f.bold)?;
    }
    let na = lang.not_applicable();
    let never = l("not within the horizon", "ikke inden for tidshorisonten");
    for (i, (sheets, arm)) in arms.iter().zip(&package.arms).enumerate() {
        let r = first_arm + i as RowNum;
        let a = &arm.summary;
        let summary = &sheets.names[3];
        ws.write_string(r, 0, format!("{} {}", i + 1, arm.scenario))?;
        let pv = [a.pv_costs.total, a.pv_gains.total, a.npv.total];
        for (j, value) in pv.iter().enumerate() {
            let text = format!("={}", on(summary, PV_ROW + j as RowNum, 4));
            ws.write_formula_with_format(r, 1 + j as ColNum, formula(text, num(*value)), &f.money)?;
        }
        let text = format!("={}", on(summary, sheets.summary.ratio, 1));
        match a.benefit_cost_ratio {
            Some(v) => ws.write_formula_with_format(r, 4, formula(text, num(v)), &f.ratio)?,
            None => ws.write_formula_with_format(r, 4, text_formula(text, na), &f.ratio)?,
        };
        let text = format!("={}", on(summary, sheets.summary.break_even_year, 1));
        match a.break_even_year {
            Some(y) => ws.write_formula(r, 5, formula(text, f64::from(y)))?,
            None => ws.write_formula(r, 5, text_formula(text, never))?,
        };
        let text = format!("={}", on(summary, sheets.summary.participants, 1));
        ws.write_formula_with_format(r, 6, formula(text, num(a.participants)), &f.quantity)?;
        ws.write_string(
            r,
            7,
            format!(
                "{} ... {}",
                arm_sheet_names(i, lang)[0],
                arm_sheet_names(i, lang)[4]
            ),
        )?;
    }

    // The years: the package's flows by payer, sums of the interventions'
    // Yearly flows sheets; the cumulative is the running sum of the
    // package's discounted net, as in the engine (§1.10).
    ws.write_string_with_format(year, 0, l("Year", "År"), &f.bold)?;
    ws.write_string_with_format(
        discount_factor,
        0,
        l("Discount factor", "Diskonteringsfaktor"),
        &f.bold,
    )?;
    let Some(first) = arms.first() else {
        return Ok(());
    };
    for (t, y) in total.years.iter().enumerate() {
        let c = year_col(t);
        let text = format!("={}", on(&first.names[2], first.flows.year, c));
        ws.write_formula_with_format(year, c, formula(text, f64::from(y.year)), &f.bold)?;
        let text = format!("={}", on(&first.names[2], first.flows.discount_factor, c));
        ws.write_formula_with_format(
            discount_factor,
            c,
            formula(text, num(y.discount_factor)),
            &f.factor,
        )?;
    }
    type Of = fn(&YearFlows) -> &Split;
    type ArmRow = Option<fn(&FlowRows) -> RowNum>;
    // Each block: its first row here, its heading, its figures in the
    // engine's total, and its first row on an intervention's Yearly flows
    // sheet (none for the cumulative, a running sum here).
    let blocks: [(RowNum, &str, Of, ArmRow); 5] = [
        (
            costs,
            l("Costs", "Omkostninger"),
            |y| &y.costs,
            Some(|r| r.costs),
        ),
        (
            gains,
            l("Gains", "Gevinster"),
            |y| &y.gains,
            Some(|r| r.gains),
        ),
        (
            net,
            l("Net (gains - costs)", "Netto (gevinster - omkostninger)"),
            |y| &y.net,
            Some(|r| r.net),
        ),
        (
            discounted,
            l("Discounted net", "Diskonteret netto"),
            |y| &y.net_discounted,
            Some(|r| r.discounted),
        ),
        (
            cumulative,
            l("Cumulative discounted net", "Akkumuleret diskonteret netto"),
            |y| &y.cumulative_net_discounted,
            None,
        ),
    ];
    for (row, heading, of, arm_row) in blocks {
        payer_block(ws, &f, lang, row, heading)?;
        for (t, y) in total.years.iter().enumerate() {
            let c = year_col(t);
            let split = of(y);
            for (i, value) in [split.kommune, split.region, split.stat].iter().enumerate() {
                let r = row + i as RowNum;
                let this_year = row_col_to_cell(discounted + i as RowNum, c);
                let text = match arm_row {
                    Some(arm_row) => {
                        let cells: Vec<String> = arms
                            .iter()
                            .map(|a| on(&a.names[2], arm_row(&a.flows) + i as RowNum, c))
                            .collect();
                        format!("={}", cells.join("+"))
                    }
                    None if t == 0 => format!("={this_year}"),
                    None => format!("={}+{this_year}", row_col_to_cell(r, c - 1)),
                };
                ws.write_formula_with_format(r, c, formula(text, num(*value)), &f.money)?;
            }
            let text = format!(
                "=SUM({}:{})",
                row_col_to_cell(row, c),
                row_col_to_cell(row + 2, c)
            );
            ws.write_formula_with_format(
                row + 3,
                c,
                formula(text, num(split.total)),
                &f.money_bold,
            )?;
        }
    }
    break_even_flags(ws, &f, lang, flags, cumulative + 3, &total.years)?;

    // Each intervention's net per year (all payers).
    let mut row = flags + 2;
    ws.write_string_with_format(
        row,
        0,
        l(
            "Net by intervention (all payers)",
            "Netto pr. indsats (alle betalere)",
        ),
        &f.bold,
    )?;
    for (i, (sheets, arm)) in arms.iter().zip(&package.arms).enumerate() {
        row += 1;
        ws.write_string(row, 0, format!("  {} {}", i + 1, arm.scenario))?;
        for (t, y) in arm.years.iter().enumerate() {
            let c = year_col(t);
            let text = format!("={}", on(&sheets.names[2], sheets.flows.net + 3, c));
            ws.write_formula_with_format(row, c, formula(text, num(y.net.total)), &f.money)?;
        }
    }
    let rows = TotalRows {
        discount_factor,
        net,
    };
    let (grants, next) = grants::write(ws, &f, lang, total, &rows, row + 2)?;
    committees(ws, &f, lang, package, arms, grants.as_ref(), &rows, next)?;
    Ok(())
}

/// The kommune's result by committee, in the package total's committees
/// (the interventions' and those a grant goes to): gains, costs and net,
/// each the sum of the same committee's row on the interventions' Yearly
/// flows sheets, years and present value (the column after the years); with
/// grants, also the financing the committee receives (a `SUMIF` of the
/// grants' inputs) and its net with it.
#[allow(clippy::too_many_arguments)]
fn committees(
    ws: &mut Worksheet,
    f: &Formats,
    lang: Lang,
    package: &PackageCase,
    arms: &[CaseSheets],
    grants: Option<&GrantRows>,
    rows: &TotalRows,
    mut row: RowNum,
) -> Result<(), XlsxError> {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    let total = &package.total;
    let h = total.horizon_years;
    if total.committees.is_empty() {
        return Ok(());
    }
    let pv_col = year_col(h);
    ws.write_string_with_format(
        row,
        0,
        l("The kommune by committee", "Kommunen fordelt på udvalg"),
        &f.bold,
    )?;
    ws.write_string_with_format(row, pv_col, l("Present value", "Nutidsværdi"), &f.bold)?;
    for result in &total.committees {
        let id = result.committee.as_str();
        let name = super::super::document::committee_name(total, Some(id), lang);
        let parts = [
            (l("gains", "gevinster"), 0),
            (l("costs", "omkostninger"), 1),
            (l("net", "netto"), 2),
        ];
        for (label, k) in parts {
            row += 1;
            let format = if k == 2 { &f.money_bold } else { &f.money };
            ws.write_string(row, 0, format!("  {name}: {label}"))?;
            for c in year_col(0)..=pv_col {
                let cells: Vec<String> = arms
                    .iter()
                    .filter_map(|sheets| {
                        let (_, first) = sheets.kommune.committees.iter().find(|(c, _)| c == id)?;
                        Some(on(&sheets.names[2], first + k, c))
                    })
                    .collect();
                let (gains, costs) = if c == pv_col {
                    (result.pv_gains, result.pv_costs)
                } else {
                    let t = usize::from(c - year_col(0));
                    (result.gains[t], result.costs[t])
                };
                let value = [num(gains), num(costs), num(gains) - num(costs)][k as usize];
                let text = if cells.is_empty() {
                    "=0".to_owned()
                } else {
                    format!("={}", cells.join("+"))
                };
                ws.write_formula_with_format(row, c, formula(text, value), format)?;
            }
        }
        let Some(grants) = grants else {
            continue;
        };
        let net = row;
        let key = criterion(&committee_text(total, Some(id), lang));
        let cells = (0..h)
            .map(|t| {
                let text = grants.to_committee(&key, year_col(t));
                (text, num(result.financing[t]))
            })
            .collect();
        row += 1;
        let label = format!("  {name}: {}", l("financing", "finansiering"));
        let pv = num(result.pv_financing);
        flow_row(
            ws,
            &f.money,
            total,
            rows.discount_factor,
            (row, label),
            cells,
            pv,
        )?;
        let cells = (0..h)
            .map(|t| {
                let col = year_col(t);
                let text = format!(
                    "={}+{}",
                    row_col_to_cell(net, col),
                    row_col_to_cell(row, col)
                );
                let value = num(result.gains[t]) - num(result.costs[t]) + num(result.financing[t]);
                (text, value)
            })
            .collect();
        row += 1;
        let label = format!(
            "  {name}: {}",
            l("net with financing", "netto med finansiering")
        );
        let pv = num(result.npv_with_financing);
        flow_row(
            ws,
            &f.money_bold,
            total,
            rows.discount_factor,
            (row, label),
            cells,
            pv,
        )?;
    }
    Ok(())
}
