//! The kommune's side of the workbook (docs/DESIGN.md §1.10, §1.11), written
//! below the other blocks once the sheets exist: the committee of every
//! line, cost and grant and the grants' amounts as inputs; each line's gain
//! to the kommune on the Calculation sheet; the kommune's result by
//! committee (`SUMIF` over the committee column) and each payer's financing
//! and net with it on the Yearly flows sheet, with present values.

use rust_xlsxwriter::{ColNum, RowNum, Workbook, Worksheet, XlsxError, row_col_to_cell};

use super::calculation::CalcRows;
use super::flows::FlowRows;
use super::inputs::{COST_PAYER, InputCells, LINE_UNIT_PRICE};
use super::{Book, formula, num, range_on, year_col};
use crate::Payer;

/// Where the Inputs sheet keeps the kommune's inputs.
struct KommuneInputs {
    /// The committee of line i in column 1 of row `first_line + i`.
    first_line: RowNum,
    /// The committee of cost i in column 1 of row `first_cost + i`.
    first_cost: RowNum,
    /// Grant i's funder (column 1) and committee (column 2) in row `first_grant + i`.
    first_grant: RowNum,
    /// Grant i's amount in year t in row `first_amount + i`, column of year t.
    first_amount: RowNum,
}

/// Where the Yearly flows sheet keeps the kommune's rows, for a package's
/// total sheet. Each row has the years and, in the column after them, the
/// present value.
#[derive(Default)]
pub(super) struct KommuneRows {
    /// Each committee's id and the first of its rows: gains, costs, net,
    /// and with financing also financing and net with financing.
    pub committees: Vec<(String, RowNum)>,
    /// With financing: the first of the four financing rows (kommune,
    /// region, stat, total) and the first of the four rows of net with
    /// financing.
    pub financing: Option<(RowNum, RowNum)>,
}

pub(super) fn write(
    workbook: &mut Workbook,
    b: &Book,
    inputs: &InputCells,
    calc: &CalcRows,
    rows: &FlowRows,
) -> Result<KommuneRows, XlsxError> {
    let case = b.case;
    if case.committees.is_empty() && case.financing.is_none() {
        return Ok(KommuneRows::default());
    }
    let sheet = |i: usize| b.first_sheet + i;
    let k = write_inputs(workbook.worksheet_from_index(sheet(0))?, b, inputs)?;
    let first_kommune_gain =
        write_gains(workbook.worksheet_from_index(sheet(1))?, b, inputs, calc)?;
    write_flows(
        workbook.worksheet_from_index(sheet(2))?,
        b,
        inputs,
        calc,
        rows,
        &k,
        first_kommune_gain,
    )
}

fn write_inputs(
    ws: &mut Worksheet,
    b: &Book,
    inputs: &InputCells,
) -> Result<KommuneInputs, XlsxError> {
    let (m, f) = (b.model, &b.f);
    let mut row = inputs.first_cost + m.costs.len() as RowNum + 1;
    ws.write_string_with_format(
        row,
        0,
        b.l(
            "The kommune: committees and financing",
            "Kommunen: udvalg og finansiering",
        ),
        &f.heading,
    )?;
    ws.write_string(
        row,
        1,
        b.l(
            "Committee ids as in the knowledge base's committees.json; a grant comes from stat, region or outside (the public sector). Amounts by year t.",
            "Udvalgenes navne som i vidensgrundlaget; et tilskud kommer fra stat, region eller ekstern (uden for den offentlige sektor). Beløb pr. år t.",
        ),
    )?;
    row += 1;
    let committee = |c: Option<&str>| super::committee_text(b.case, c, b.lang);
    ws.write_string_with_format(
        row,
        0,
        b.l(
            "Committee of each consequence line",
            "Udvalg for hver konsekvenslinje",
        ),
        &f.bold,
    )?;
    let first_line = row + 1;
    for (i, line) in m.lines.iter().enumerate() {
        let r = first_line + i as RowNum;
        ws.write_string(r, 0, format!("  {}", line.service))?;
        ws.write_string_with_format(r, 1, committee(line.committee.as_deref()), &f.input)?;
    }
    row = first_line + m.lines.len() as RowNum;
    ws.write_string_with_format(
        row,
        0,
        b.l("Committee of each cost", "Udvalg for hver omkostning"),
        &f.bold,
    )?;
    let first_cost = row + 1;
    for (i, cost) in m.costs.iter().enumerate() {
        let r = first_cost + i as RowNum;
        ws.write_string(r, 0, format!("  {}", cost.label))?;
        ws.write_string_with_format(r, 1, committee(cost.committee.as_deref()), &f.input)?;
    }
    row = first_cost + m.costs.len() as RowNum;
    if b.in_package && m.financing.is_empty() {
        // A package's grants are inputs of its total sheet.
        ws.write_string_with_format(row, 0, b.l("Grants", "Tilskud"), &f.bold)?;
        ws.write_string(
            row,
            1,
            format!(
                "{} {}",
                b.l("the package's, on the sheet", "pakkens, på arket"),
                super::total_sheet_name(b.lang)
            ),
        )?;
        return Ok(KommuneInputs {
            first_line,
            first_cost,
            first_grant: row + 1,
            first_amount: row + 1,
        });
    }
    ws.write_string_with_format(row, 0, b.l("Grants", "Tilskud"), &f.bold)?;
    ws.write_string_with_format(row, 1, b.l("From", "Fra"), &f.bold)?;
    ws.write_string_with_format(row, 2, b.l("Committee", "Udvalg"), &f.bold)?;
    let first_grant = row + 1;
    for (i, g) in m.financing.iter().enumerate() {
        let r = first_grant + i as RowNum;
        ws.write_string(r, 0, format!("  {}", g.label))?;
        ws.write_string_with_format(r, 1, super::funder_text(g.from, b.lang), &f.input)?;
        ws.write_string_with_format(r, 2, committee(g.committee.as_deref()), &f.input)?;
    }
    row = first_grant + m.financing.len() as RowNum;
    ws.write_string_with_format(
        row,
        0,
        b.l("Grant amounts by year", "Tilskud pr. år"),
        &f.bold,
    )?;
    let first_amount = row + 1;
    for (i, g) in m.financing.iter().enumerate() {
        let r = first_amount + i as RowNum;
        ws.write_string(r, 0, format!("  {}", g.label))?;
        for (t, amount) in g.amounts.iter().enumerate() {
            ws.write_number_with_format(r, year_col(t), num(*amount), &f.input_money)?;
        }
    }
    Ok(KommuneInputs {
        first_line,
        first_cost,
        first_grant,
        first_amount,
    })
}

/// Each line's gain to the kommune, −Q(t) × the kommune's unit price
/// (§1.4, §1.6); returns the first of these rows.
fn write_gains(
    ws: &mut Worksheet,
    b: &Book,
    inputs: &InputCells,
    calc: &CalcRows,
) -> Result<RowNum, XlsxError> {
    let (m, case, f) = (b.model, b.case, &b.f);
    let row = calc.first_cost + m.costs.len() as RowNum + 1;
    ws.write_string_with_format(
        row,
        0,
        b.l(
            "Gains to the kommune (-Q x the kommune's unit price)",
            "Gevinster for kommunen (-Q x kommunens enhedspris)",
        ),
        &f.bold,
    )?;
    let first = row + 1;
    for (i, line) in case.lines.iter().enumerate() {
        let r = first + i as RowNum;
        ws.write_string(r, 0, format!("  {}", line.service))?;
        let price = inputs.at(inputs.first_line + i as RowNum, LINE_UNIT_PRICE);
        for (t, q) in line.quantities.iter().enumerate() {
            let text = format!(
                "=-{}*{price}",
                row_col_to_cell(calc.first_quantity + i as RowNum, year_col(t))
            );
            let value = -num(*q) * num(line.unit_price.kommune);
            ws.write_formula_with_format(r, year_col(t), formula(text, value), &f.money)?;
        }
    }
    Ok(first)
}

#[allow(clippy::too_many_arguments)]
fn write_flows(
    ws: &mut Worksheet,
    b: &Book,
    inputs: &InputCells,
    calc: &CalcRows,
    rows: &FlowRows,
    k: &KommuneInputs,
    first_kommune_gain: RowNum,
) -> Result<KommuneRows, XlsxError> {
    let mut written = KommuneRows::default();
    let (m, case, f) = (b.model, b.case, &b.f);
    let h = b.horizon();
    let cell = row_col_to_cell;
    let pv_col = year_col(h);
    let df = calc.years(calc.discount_factor, h);
    let lines = m.lines.len() as RowNum;
    let costs = m.costs.len() as RowNum;
    let grants = m.financing.len() as RowNum;
    let on_inputs = |first: RowNum, n: RowNum, col: ColNum| {
        range_on(&inputs.sheet, (first, col), (first + n.max(1) - 1, col))
    };
    // A row of years with its present value in the column after them.
    let flow_row = |ws: &mut Worksheet,
                    r: RowNum,
                    label: String,
                    cells: Vec<(String, f64)>,
                    bold: bool|
     -> Result<(), XlsxError> {
        let money = if bold { &f.money_bold } else { &f.money };
        ws.write_string(r, 0, label)?;
        let mut pv = 0.0;
        for (t, (text, value)) in cells.into_iter().enumerate() {
            pv += value * num(case.years[t].discount_factor);
            ws.write_formula_with_format(r, year_col(t), formula(text, value), money)?;
        }
        let text = format!(
            "=SUMPRODUCT({},{df})",
            super::range((r, year_col(0)), (r, year_col(h.max(1) - 1)))
        );
        ws.write_formula_with_format(r, pv_col, formula(text, pv), money)?;
        Ok(())
    };
    let mut row = rows.last + 2;

    if !case.committees.is_empty() {
        ws.write_string_with_format(
            row,
            0,
            b.l("The kommune by committee", "Kommunen fordelt på udvalg"),
            &f.bold,
        )?;
        ws.write_string_with_format(row, pv_col, b.l("Present value", "Nutidsværdi"), &f.bold)?;
        row += 1;
        for c in &case.committees {
            let name = super::super::document::committee_name(case, Some(&c.committee), b.lang);
            let id = &c.committee;
            let key = super::criterion(&super::committee_text(case, Some(id), b.lang));
            let gains: Vec<(String, f64)> = (0..h)
                .map(|t| {
                    let col = year_col(t);
                    let text = if lines == 0 {
                        "=0".to_owned()
                    } else {
                        format!(
                            "=SUMIF({},{key},{})",
                            on_inputs(k.first_line, lines, 1),
                            calc.range(
                                (first_kommune_gain, col),
                                (first_kommune_gain + lines - 1, col)
                            )
                        )
                    };
                    (text, num(c.gains[t]))
                })
                .collect();
            let cost: Vec<(String, f64)> = (0..h)
                .map(|t| {
                    let col = year_col(t);
                    let text = if costs == 0 {
                        "=0".to_owned()
                    } else {
                        format!(
                            "=SUMIFS({},{},{key},{},\"kommune\")",
                            calc.range((calc.first_cost, col), (calc.first_cost + costs - 1, col)),
                            on_inputs(k.first_cost, costs, 1),
                            on_inputs(inputs.first_cost, costs, COST_PAYER),
                        )
                    };
                    (text, num(c.costs[t]))
                })
                .collect();
            let (g, co) = (row, row + 1);
            written.committees.push((id.clone(), g));
            flow_row(
                ws,
                g,
                format!("  {name}: {}", b.l("gains", "gevinster")),
                gains,
                false,
            )?;
            flow_row(
                ws,
                co,
                format!("  {name}: {}", b.l("costs", "omkostninger")),
                cost,
                false,
            )?;
            let net: Vec<(String, f64)> = (0..h)
                .map(|t| {
                    let col = year_col(t);
                    (
                        format!("={}-{}", cell(g, col), cell(co, col)),
                        num(c.gains[t]) - num(c.costs[t]),
                    )
                })
                .collect();
            flow_row(
                ws,
                co + 1,
                format!("  {name}: {}", b.l("net", "netto")),
                net,
                true,
            )?;
            row = co + 2;
            if case.financing.is_some() {
                let financing: Vec<(String, f64)> = (0..h)
                    .map(|t| {
                        let col = year_col(t);
                        let text = format!(
                            "=SUMIF({},{key},{})",
                            on_inputs(k.first_grant, grants, 2),
                            range_on(
                                &inputs.sheet,
                                (k.first_amount, col),
                                (k.first_amount + grants - 1, col)
                            )
                        );
                        (text, num(c.financing[t]))
                    })
                    .collect();
                flow_row(
                    ws,
                    row,
                    format!("  {name}: {}", b.l("financing", "finansiering")),
                    financing,
                    false,
                )?;
                let with: Vec<(String, f64)> = (0..h)
                    .map(|t| {
                        let col = year_col(t);
                        (
                            format!("={}+{}", cell(co + 1, col), cell(row, col)),
                            num(c.gains[t]) - num(c.costs[t]) + num(c.financing[t]),
                        )
                    })
                    .collect();
                flow_row(
                    ws,
                    row + 1,
                    format!(
                        "  {name}: {}",
                        b.l("net with financing", "netto med finansiering")
                    ),
                    with,
                    true,
                )?;
                row += 2;
            }
        }
        row += 1;
    }

    if let Some(financing) = &case.financing {
        ws.write_string_with_format(
            row,
            0,
            b.l(
                "Financing (the kommune receives; the state or region gives)",
                "Finansiering (kommunen modtager; staten eller regionen giver)",
            ),
            &f.bold,
        )?;
        ws.write_string_with_format(row, pv_col, b.l("Present value", "Nutidsværdi"), &f.bold)?;
        let first = row + 1;
        let amounts = |col: ColNum| {
            range_on(
                &inputs.sheet,
                (k.first_amount, col),
                (k.first_amount + grants - 1, col),
            )
        };
        let from = on_inputs(k.first_grant, grants, 1);
        for (i, payer) in Payer::ALL.iter().enumerate() {
            let cells = (0..h)
                .map(|t| {
                    let col = year_col(t);
                    let text = match payer {
                        Payer::Kommune => format!("=SUM({})", amounts(col)),
                        other => format!("=-SUMIF({from},\"{}\",{})", other.id(), amounts(col)),
                    };
                    (text, num(financing.years[t].get(*payer)))
                })
                .collect();
            flow_row(
                ws,
                first + i as RowNum,
                format!("  {}", payer.id()),
                cells,
                false,
            )?;
        }
        let cells = (0..h)
            .map(|t| {
                let col = year_col(t);
                (
                    format!("=SUM({}:{})", cell(first, col), cell(first + 2, col)),
                    num(financing.years[t].total),
                )
            })
            .collect();
        flow_row(
            ws,
            first + 3,
            format!(
                "  {}",
                b.l(
                    "total (from outside the public sector)",
                    "i alt (uden for den offentlige sektor)"
                )
            ),
            cells,
            true,
        )?;
        let with = first + 5;
        written.financing = Some((first, with));
        ws.write_string_with_format(
            with - 1,
            0,
            b.l("Net with financing", "Netto med finansiering"),
            &f.bold,
        )?;
        for i in 0..4 {
            let label = match Payer::ALL.get(i) {
                Some(p) => format!("  {}", p.id()),
                None => format!("  {}", b.l("total", "i alt")),
            };
            let cells = (0..h)
                .map(|t| {
                    let col = year_col(t);
                    let r = i as RowNum;
                    let split = &financing.net_with_financing[t];
                    let value = [split.kommune, split.region, split.stat, split.total][i];
                    (
                        format!("={}+{}", cell(rows.net + r, col), cell(first + r, col)),
                        num(value),
                    )
                })
                .collect();
            flow_row(ws, with + i as RowNum, label, cells, i == 3)?;
        }
    }
    Ok(written)
}
