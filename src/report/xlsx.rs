//! The Excel view: a workbook an analyst can take apart, laid out like the
//! SØM workbook with the years as columns.
//!
//! Four sheets: the assumptions; the yearly flows per payer, where gains are
//! formulas over the consequence lines' quantities and unit prices, and
//! totals, net, discounted net and the cumulative are formulas over the cells
//! above them; the consequence lines with their unit prices, quantities per
//! year and present value; and the summary, whose present values are
//! `SUMPRODUCT` formulas over the yearly flows and the discount factors. Only
//! the inputs are values: costs, prices, quantities and discount factors. Every formula carries its value, computed exactly by the
//! engine, as the cached result, so a reader that does not recalculate (or
//! a program) sees the same figures as Excel.
//!
//! Excel stores numbers as binary floating point: the workbook holds the
//! exact Decimal figures rounded to about 15 significant digits. The JSON view
//! is the exact record.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    ColNum, Format, Formula, RowNum, Workbook, Worksheet, XlsxError, quote_sheet_name,
    row_col_to_cell,
};

use super::Lang;
use crate::engine::CostKind;
use crate::{BusinessCase, KnowledgeBase, Payer};

/// The workbook could not be built or written.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    /// The workbook could not be assembled.
    #[error("could not build the Excel workbook: {0}")]
    Build(#[from] XlsxError),
    /// The file could not be written.
    #[error("could not write the Excel workbook to {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// The sheet names in a language, in workbook order: assumptions, yearly
/// flows, consequences, summary.
///
/// ```
/// assert_eq!(som::report::xlsx::sheet_names(som::report::Lang::En)[1], "Yearly flows");
/// ```
pub fn sheet_names(lang: Lang) -> [&'static str; 4] {
    match lang {
        Lang::En => ["Assumptions", "Yearly flows", "Consequences", "Summary"],
        Lang::Da => ["Forudsætninger", "Årlige strømme", "Konsekvenser", "Resumé"],
    }
}

/// The business case as an .xlsx workbook, in memory.
///
/// ```
/// let kb = som::KnowledgeBase::embedded();
/// let case = som::evaluate(&som::Scenario::example(), kb).unwrap();
/// let bytes = som::report::xlsx::render(&case, som::report::Lang::En, Some(kb)).unwrap();
/// assert_eq!(&bytes[..2], b"PK"); // an .xlsx file is a zip archive
/// ```
pub fn render(
    case: &BusinessCase,
    lang: Lang,
    kb: Option<&KnowledgeBase>,
) -> Result<Vec<u8>, WorkbookError> {
    let formats = Formats::new(lang);
    let names = sheet_names(lang);
    let mut workbook = Workbook::new();
    assumptions(
        workbook.add_worksheet().set_name(names[0])?,
        case,
        lang,
        kb,
        &formats,
    )?;
    let flows = yearly_flows(
        workbook.add_worksheet().set_name(names[1])?,
        case,
        lang,
        kb,
        &formats,
    )?;
    consequences(
        workbook.add_worksheet().set_name(names[2])?,
        case,
        lang,
        kb,
        &flows,
        &formats,
    )?;
    summary(
        workbook.add_worksheet().set_name(names[3])?,
        case,
        lang,
        &flows,
        &formats,
    )?;
    Ok(workbook.save_to_buffer()?)
}

/// Writes the business case as an .xlsx workbook to `path`.
pub fn write(
    case: &BusinessCase,
    lang: Lang,
    kb: Option<&KnowledgeBase>,
    path: &Path,
) -> Result<(), WorkbookError> {
    let bytes = render(case, lang, kb)?;
    std::fs::write(path, bytes).map_err(|source| WorkbookError::Write {
        path: path.to_owned(),
        source,
    })
}

struct Formats {
    money: Format,
    money_bold: Format,
    percent: Format,
    factor: Format,
    quantity: Format,
    bold: Format,
    heading: Format,
}

impl Formats {
    fn new(lang: Lang) -> Formats {
        // The separators follow the reader's Excel locale; the unit follows the report.
        let money = format!(
            "#,##0 \"{}\";-#,##0 \"{}\"",
            lang.pick("DKK", "kr."),
            lang.pick("DKK", "kr.")
        );
        Formats {
            money: Format::new().set_num_format(&money),
            money_bold: Format::new().set_num_format(&money).set_bold(),
            percent: Format::new().set_num_format("0.0%"),
            factor: Format::new().set_num_format("0.000000"),
            quantity: Format::new().set_num_format("#,##0.0"),
            bold: Format::new().set_bold(),
            heading: Format::new().set_bold().set_font_size(14),
        }
    }
}

fn num(d: Decimal) -> f64 {
    // Every Decimal has an f64 approximation; the fallback is unreachable.
    d.to_f64().unwrap_or(0.0)
}

/// A formula with the engine's value as its cached result, at the precision
/// Excel keeps.
fn formula(text: String, value: Decimal) -> Formula {
    Formula::new(text).set_result(num(value).to_string())
}

fn assumptions(
    ws: &mut Worksheet,
    case: &BusinessCase,
    lang: Lang,
    kb: Option<&KnowledgeBase>,
    f: &Formats,
) -> Result<(), XlsxError> {
    let ctx = &case.context;
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    ws.set_column_width(0, 34)?;
    ws.set_column_width(1, 70)?;
    ws.write_string_with_format(
        0,
        0,
        format!("Business case: {}", case.scenario),
        &f.heading,
    )?;

    let effect = match (&ctx.effect.study, ctx.effect.value) {
        (Some(study), _) => format!("{} {study}", l("study", "studie")),
        (None, Some(v)) => format!("{} {}", lang.effect_kind(&ctx.effect.kind), v.normalize()),
        (None, None) => l("rates given in the scenario", "andele angivet i scenariet").to_owned(),
    };
    let texts: [(&str, String); 5] = [
        (l("Scenario", "Scenarie"), case.scenario.clone()),
        (
            l("Target group (målgruppe)", "Målgruppe"),
            format!("{} ({})", lang.target_group(case, kb), ctx.target_group),
        ),
        (
            l("Success measure (succesmål)", "Succesmål"),
            format!(
                "{} ({})",
                lang.success_measure(case, kb),
                ctx.success_measure
            ),
        ),
        (l("Effect", "Effekt"), effect),
        (
            l("Source of the effect", "Kilde til effekten"),
            ctx.effect.source.clone().unwrap_or_else(|| "-".to_owned()),
        ),
    ];
    let mut row: RowNum = 2;
    for (label, value) in texts {
        ws.write_string_with_format(row, 0, label, &f.bold)?;
        ws.write_string(row, 1, value)?;
        row += 1;
    }
    let rates = [
        (l("Success rate (p1)", "Succesrate (p1)"), case.success_rate),
        (
            l("Baseline rate (p0)", "Basisrate (p0)"),
            case.baseline_rate,
        ),
    ];
    for (label, value) in rates {
        ws.write_string_with_format(row, 0, label, &f.bold)?;
        ws.write_number_with_format(row, 1, num(value), &f.percent)?;
        row += 1;
    }
    ws.write_string_with_format(
        row,
        0,
        l(
            "Net success rate (s = p1 - p0)",
            "Netto-succesrate (s = p1 - p0)",
        ),
        &f.bold,
    )?;
    ws.write_formula_with_format(
        row,
        1,
        formula(
            format!(
                "={}-{}",
                row_col_to_cell(row - 2, 1),
                row_col_to_cell(row - 1, 1)
            ),
            case.net_success_rate,
        ),
        &f.percent,
    )?;
    row += 1;
    ws.write_string_with_format(
        row,
        0,
        l("Completion rate (c)", "Gennemførelsesrate (c)"),
        &f.bold,
    )?;
    ws.write_number_with_format(row, 1, num(case.completion_rate), &f.percent)?;
    row += 1;
    let numbers: [(&str, f64); 5] = [
        (
            l("Participants", "Deltagere"),
            num(case.summary.participants),
        ),
        (
            l("Effect lag (years)", "Effektforsinkelse (år)"),
            case.effect_lag_years as f64,
        ),
        (l("First year", "Første år"), f64::from(case.start_year)),
        (
            l("Horizon (years)", "Tidshorisont (år)"),
            case.horizon_years as f64,
        ),
        (l("Price year", "Prisår"), f64::from(case.price_year)),
    ];
    for (label, value) in numbers {
        ws.write_string_with_format(row, 0, label, &f.bold)?;
        ws.write_number(row, 1, value)?;
        row += 1;
    }
    let texts: [(&str, String); 4] = [
        (
            l("Persistence", "Effektens varighed"),
            lang.persistence(case),
        ),
        (l("Discounting", "Diskontering"), lang.discounting(case, kb)),
        (
            l("Knowledge base version", "Vidensgrundlagets version"),
            ctx.knowledge_base_version.clone(),
        ),
        (
            l("Knowledge base sha256", "Vidensgrundlagets sha256"),
            ctx.knowledge_base_hash.clone(),
        ),
    ];
    for (label, value) in texts {
        ws.write_string_with_format(row, 0, label, &f.bold)?;
        ws.write_string(row, 1, value)?;
        row += 1;
    }
    if let Some(text) = lang.dated_splits(case) {
        ws.write_string_with_format(
            row,
            0,
            l("Refund rules by date", "Refusionsregler efter dato"),
            &f.bold,
        )?;
        ws.write_string(row, 1, text)?;
        row += 1;
    }

    row += 1;
    ws.write_string_with_format(
        row,
        0,
        l("Costs of the intervention", "Indsatsens omkostninger"),
        &f.heading,
    )?;
    row += 1;
    for (col, header) in [
        l("Cost", "Omkostning"),
        l("When", "Hvornår"),
        l("Amount", "Beløb"),
        l("Payer", "Betaler"),
    ]
    .into_iter()
    .enumerate()
    {
        ws.write_string_with_format(row, col as ColNum, header, &f.bold)?;
    }
    for cost in &case.costs {
        row += 1;
        let when = match cost.kind {
            CostKind::OneOff { year } => format!(
                "{} {}",
                l("once, in", "én gang, i"),
                case.start_year + year as i32
            ),
            CostKind::PerYear { from_year, to_year } => format!(
                "{} {}-{}",
                l("every year", "hvert år"),
                case.start_year + from_year as i32,
                case.start_year + to_year as i32
            ),
            CostKind::PerParticipant => l("per participant", "pr. deltager").to_owned(),
        };
        ws.write_string(row, 0, &cost.label)?;
        ws.write_string(row, 1, when)?;
        ws.write_number_with_format(row, 2, num(cost.amount), &f.money)?;
        ws.write_string(row, 3, cost.payer.id())?;
    }
    Ok(())
}

/// Where the yearly flows sheet keeps each row, for formulas on other sheets.
struct FlowRows {
    sheet: String,
    first_col: ColNum,
    last_col: ColNum,
    costs: RowNum,
    gains: RowNum,
    net: RowNum,
    discount_factor: RowNum,
    cumulative: RowNum,
}

impl FlowRows {
    /// The range of a row over all years, e.g. `'Yearly flows'!B4:K4`.
    fn range(&self, row: RowNum) -> String {
        format!(
            "{}!{}:{}",
            self.sheet,
            row_col_to_cell(row, self.first_col),
            row_col_to_cell(row, self.last_col)
        )
    }
}

const PAYER_ROWS: RowNum = 4; // kommune, region, stat, total

fn yearly_flows(
    ws: &mut Worksheet,
    case: &BusinessCase,
    lang: Lang,
    kb: Option<&KnowledgeBase>,
    f: &Formats,
) -> Result<FlowRows, XlsxError> {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    let first_col: ColNum = 1;
    let last_col = first_col + case.years.len().max(1) as ColNum - 1;
    let col = |t: usize| first_col + t as ColNum;
    ws.set_column_width(0, 30)?;
    for t in 0..case.years.len() {
        ws.set_column_width(col(t), 14)?;
    }
    ws.write_string_with_format(0, 0, l("Year", "År"), &f.bold)?;
    ws.write_string_with_format(1, 0, "t", &f.bold)?;
    for (t, y) in case.years.iter().enumerate() {
        ws.write_number_with_format(0, col(t), f64::from(y.year), &f.bold)?;
        ws.write_number(1, col(t), y.t as f64)?;
    }
    ws.set_freeze_panes(2, 1)?;

    // Blocks of a heading row and four rows (kommune, region, stat, total).
    let block = |n: RowNum| 3 + n * (PAYER_ROWS + 1);
    let (costs, gains, net) = (block(0), block(1), block(2));
    let discount_factor = block(3) - 1;
    let (discounted, cumulative) = (block(3) + 1, block(4) + 1);
    let total_label = l("total", "i alt");
    let headings = [
        (costs, l("Costs", "Omkostninger")),
        (gains, l("Gains", "Gevinster")),
        (
            net,
            l("Net (gains - costs)", "Netto (gevinster - omkostninger)"),
        ),
        (discounted, l("Discounted net", "Diskonteret netto")),
        (
            cumulative,
            l("Cumulative discounted net", "Akkumuleret diskonteret netto"),
        ),
    ];
    for (first, heading) in headings {
        ws.write_string_with_format(first - 1, 0, heading, &f.bold)?;
        for (i, payer) in Payer::ALL.iter().enumerate() {
            ws.write_string(first + i as RowNum, 0, format!("  {}", payer.id()))?;
        }
        ws.write_string_with_format(first + 3, 0, format!("  {total_label}"), &f.bold)?;
    }
    ws.write_string_with_format(
        discount_factor,
        0,
        l("Discount factor", "Diskonteringsfaktor"),
        &f.bold,
    )?;

    let lines_sheet = quote_sheet_name(sheet_names(lang)[2]);
    let lines = case.lines.len() as RowNum;
    let cell = row_col_to_cell;
    for (t, y) in case.years.iter().enumerate() {
        let c = col(t);
        ws.write_number_with_format(discount_factor, c, num(y.discount_factor), &f.factor)?;
        for (i, payer) in Payer::ALL.iter().enumerate() {
            let i = i as RowNum;
            // Costs come from the scenario's cost items: values.
            ws.write_number_with_format(costs + i, c, num(y.costs.get(*payer)), &f.money)?;
            // Gains: minus Σ over lines of quantity × unit price (DESIGN.md §1.4, §1.6).
            let gain = y.gains.get(*payer);
            if lines == 0 {
                ws.write_number_with_format(gains + i, c, num(gain), &f.money)?;
            } else {
                let prices = format!(
                    "{lines_sheet}!{}:{}",
                    cell(1, LINE_PRICE_COL + i as ColNum),
                    cell(lines, LINE_PRICE_COL + i as ColNum)
                );
                let quantities = format!(
                    "{lines_sheet}!{}:{}",
                    cell(1, LINE_QUANTITY_COL + t as ColNum),
                    cell(lines, LINE_QUANTITY_COL + t as ColNum)
                );
                let text = format!("=-SUMPRODUCT({prices},{quantities})");
                ws.write_formula_with_format(gains + i, c, formula(text, gain), &f.money)?;
            }
            let text = format!("={}-{}", cell(gains + i, c), cell(costs + i, c));
            ws.write_formula_with_format(net + i, c, formula(text, y.net.get(*payer)), &f.money)?;
            // DESIGN.md §1.7: discounted = DF(t) · net(t); cumulative = running sum.
            let text = format!("={}*{}", cell(net + i, c), cell(discount_factor, c));
            let value = y.net_discounted.get(*payer);
            ws.write_formula_with_format(discounted + i, c, formula(text, value), &f.money)?;
            let text = if t == 0 {
                format!("={}", cell(discounted + i, c))
            } else {
                format!(
                    "={}+{}",
                    cell(cumulative + i, c - 1),
                    cell(discounted + i, c)
                )
            };
            let value = y.cumulative_net_discounted.get(*payer);
            ws.write_formula_with_format(cumulative + i, c, formula(text, value), &f.money)?;
        }
        for (first, split) in [
            (costs, &y.costs),
            (gains, &y.gains),
            (net, &y.net),
            (discounted, &y.net_discounted),
            (cumulative, &y.cumulative_net_discounted),
        ] {
            let text = format!("=SUM({}:{})", cell(first, c), cell(first + 2, c));
            ws.write_formula_with_format(first + 3, c, formula(text, split.total), &f.money_bold)?;
        }
    }

    // Gains by area, as values: the consequence sheet shows where they come from.
    let mut row = cumulative + PAYER_ROWS + 1;
    if let Some(first) = case.years.first() {
        ws.write_string_with_format(
            row,
            0,
            l(
                "Gains by area (all payers)",
                "Gevinster fordelt på område (alle betalere)",
            ),
            &f.bold,
        )?;
        for (a, (area, _)) in first.gains_by_area.iter().enumerate() {
            row += 1;
            ws.write_string(row, 0, format!("  {}", lang.area_name(area, kb)))?;
            for (t, y) in case.years.iter().enumerate() {
                if let Some((_, v)) = y.gains_by_area.get(a) {
                    ws.write_number_with_format(row, col(t), num(*v), &f.money)?;
                }
            }
        }
    }

    Ok(FlowRows {
        sheet: quote_sheet_name(sheet_names(lang)[1]),
        first_col,
        last_col,
        costs,
        gains,
        net,
        discount_factor,
        cumulative,
    })
}

/// The consequence sheet's layout, which the yearly flows' gain formulas read:
/// one row per line from row 2, prices per payer from column F, quantities per
/// year from column L.
const LINE_PRICE_COL: ColNum = 5;
const LINE_QUANTITY_COL: ColNum = 11;

fn consequences(
    ws: &mut Worksheet,
    case: &BusinessCase,
    lang: Lang,
    kb: Option<&KnowledgeBase>,
    flows: &FlowRows,
    f: &Formats,
) -> Result<(), XlsxError> {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    let headers = [
        l("Service id", "Ydelses-id"),
        l("Consequence", "Konsekvens"),
        l("Area", "Område"),
        l("Per", "Pr."),
        l("Unit", "Enhed"),
        l("Price kommune", "Pris kommune"),
        l("Price region", "Pris region"),
        l("Price stat", "Pris stat"),
        l("Price total", "Pris i alt"),
        l("Source price year", "Kildens prisår"),
        l("PV of gains", "Nutidsværdi af gevinster"),
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as ColNum, *h, &f.bold)?;
    }
    let first_year_col = LINE_QUANTITY_COL;
    for (t, y) in case.years.iter().enumerate() {
        ws.write_string_with_format(
            0,
            first_year_col + t as ColNum,
            format!("{} {}", l("Quantity", "Mængde"), y.year),
            &f.bold,
        )?;
    }
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 46)?;
    ws.set_column_width(2, 24)?;
    for c in 5..first_year_col + case.years.len() as ColNum {
        ws.set_column_width(c, 14)?;
    }
    ws.set_freeze_panes(1, 2)?;
    for (i, line) in case.lines.iter().enumerate() {
        let r = 1 + i as RowNum;
        ws.write_string(r, 0, &line.service)?;
        ws.write_string(r, 1, lang.service(line, kb))?;
        ws.write_string(r, 2, lang.area_name(&line.area, kb))?;
        ws.write_string(r, 3, lang.applies_to(line.applies_to))?;
        ws.write_string(r, 4, lang.unit(line, kb))?;
        for (j, payer) in Payer::ALL.iter().enumerate() {
            ws.write_number_with_format(
                r,
                LINE_PRICE_COL + j as ColNum,
                num(line.unit_price.get(*payer)),
                &f.money,
            )?;
        }
        let text = format!(
            "=SUM({}:{})",
            row_col_to_cell(r, LINE_PRICE_COL),
            row_col_to_cell(r, LINE_PRICE_COL + 2)
        );
        let price_total = row_col_to_cell(r, LINE_PRICE_COL + 3);
        ws.write_formula_with_format(
            r,
            LINE_PRICE_COL + 3,
            formula(text, line.unit_price.total),
            &f.money,
        )?;
        ws.write_number(r, 9, f64::from(line.source_price_year))?;
        // PV of the line's gains: -Σ_t Q(t) · DF(t) · price.
        let quantities = format!(
            "{}:{}",
            row_col_to_cell(r, first_year_col),
            row_col_to_cell(r, first_year_col + case.years.len().max(1) as ColNum - 1)
        );
        let text = format!(
            "=-SUMPRODUCT({quantities},{})*{price_total}",
            flows.range(flows.discount_factor)
        );
        ws.write_formula_with_format(r, 10, formula(text, line.pv_gains), &f.money)?;
        for (t, q) in line.quantities.iter().enumerate() {
            ws.write_number_with_format(r, first_year_col + t as ColNum, num(*q), &f.quantity)?;
        }
    }
    Ok(())
}

fn summary(
    ws: &mut Worksheet,
    case: &BusinessCase,
    lang: Lang,
    flows: &FlowRows,
    f: &Formats,
) -> Result<(), XlsxError> {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    let s = &case.summary;
    ws.set_column_width(0, 36)?;
    for c in 1..=4 {
        ws.set_column_width(c, 16)?;
    }
    ws.write_string_with_format(
        0,
        0,
        format!("Business case: {}", case.scenario),
        &f.heading,
    )?;
    ws.write_string_with_format(2, 0, l("Present value", "Nutidsværdi"), &f.bold)?;
    for (c, h) in ["kommune", "region", "stat", l("total", "i alt")]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(2, 1 + c as ColNum, *h, &f.bold)?;
    }
    // PV = Σ DF(t) · flow(t) (DESIGN.md §1.7), traced to the yearly flows.
    let df = flows.range(flows.discount_factor);
    let rows = [
        (l("Costs", "Omkostninger"), flows.costs, &s.pv_costs),
        (l("Gains", "Gevinster"), flows.gains, &s.pv_gains),
        (l("Net (NPV)", "Netto (NNV)"), flows.net, &s.npv),
    ];
    for (i, (label, flow_row, split)) in rows.iter().enumerate() {
        let r = 3 + i as RowNum;
        ws.write_string_with_format(r, 0, *label, &f.bold)?;
        let values = [split.kommune, split.region, split.stat, split.total];
        for (j, value) in values.iter().enumerate() {
            let text = format!("=SUMPRODUCT({},{df})", flows.range(flow_row + j as RowNum));
            ws.write_formula_with_format(r, 1 + j as ColNum, formula(text, *value), &f.money)?;
        }
    }
    let (pv_costs, pv_gains, npv) = ("E4", "E5", "E6");

    let mut r: RowNum = 8;
    let ratio_row = |ws: &mut Worksheet,
                     r: RowNum,
                     label: &str,
                     text: String,
                     value: Option<Decimal>,
                     format: &Format|
     -> Result<(), XlsxError> {
        ws.write_string_with_format(r, 0, label, &f.bold)?;
        match value {
            Some(v) => ws.write_formula_with_format(r, 1, formula(text, v), format)?,
            None => ws.write_string(r, 1, lang.not_applicable())?,
        };
        Ok(())
    };
    let ratio = Format::new().set_num_format("0.00");
    ratio_row(
        ws,
        r,
        l("Benefit-cost ratio", "Gevinst-omkostningsforhold"),
        format!("={pv_gains}/{pv_costs}"),
        s.benefit_cost_ratio,
        &ratio,
    )?;
    r += 1;
    ratio_row(
        ws,
        r,
        l("Return per invested krone", "Afkast pr. investeret krone"),
        format!("={npv}/{pv_costs}"),
        s.return_per_krone,
        &ratio,
    )?;
    r += 1;
    ws.write_string_with_format(r, 0, l("Break-even year", "Break-even-år"), &f.bold)?;
    match s.break_even_year {
        Some(y) => ws.write_number(r, 1, f64::from(y))?,
        None => ws.write_string(
            r,
            1,
            l("not within the horizon", "ikke inden for tidshorisonten"),
        )?,
    };
    r += 1;
    ws.write_string_with_format(
        r,
        0,
        l("Break-even net success rate", "Break-even netto-succesrate"),
        &f.bold,
    )?;
    match s.break_even_success_rate {
        Some(v) => ws.write_number_with_format(r, 1, num(v), &f.percent)?,
        None => ws.write_string(r, 1, lang.not_applicable())?,
    };
    r += 1;
    let participants_row = r;
    ws.write_string_with_format(r, 0, l("Participants", "Deltagere"), &f.bold)?;
    ws.write_number(r, 1, num(s.participants))?;
    r += 1;
    let successes_row = r;
    ws.write_string_with_format(r, 0, l("Successes", "Succeser"), &f.bold)?;
    ws.write_number_with_format(r, 1, num(s.successes), &Format::new().set_num_format("0.0"))?;
    r += 1;
    ratio_row(
        ws,
        r,
        l("NPV per participant", "NNV pr. deltager"),
        format!("={npv}/{}", row_col_to_cell(participants_row, 1)),
        s.npv_per_participant,
        &f.money,
    )?;
    r += 1;
    ratio_row(
        ws,
        r,
        l("NPV per success", "NNV pr. succes"),
        format!("={npv}/{}", row_col_to_cell(successes_row, 1)),
        s.npv_per_success,
        &f.money,
    )?;
    r += 1;
    ws.write_string_with_format(
        r,
        0,
        l(
            "Cumulative discounted net, last year",
            "Akkumuleret diskonteret netto, sidste år",
        ),
        &f.bold,
    )?;
    let last = case
        .years
        .last()
        .map_or(Decimal::ZERO, |y| y.cumulative_net_discounted.total);
    ws.write_formula_with_format(
        r,
        1,
        formula(
            format!(
                "={}!{}",
                flows.sheet,
                row_col_to_cell(flows.cumulative + 3, flows.last_col)
            ),
            last,
        ),
        &f.money,
    )?;
    Ok(())
}
