//! The Yearly flows sheet: costs, gains, net, discounted net and the
//! cumulative per payer and year, and the break-even flags, all formulas of
//! the Calculation and Inputs sheets (docs/DESIGN.md §1.5-§1.8).

use rust_decimal::Decimal;
use rust_xlsxwriter::{ColNum, RowNum, Worksheet, XlsxError, row_col_to_cell};

use super::calculation::CalcRows;
use super::inputs::{COST_PAYER, InputCells, LINE_AREA, LINE_UNIT_PRICE};
use super::{Book, Formats, formula, num, on, year_col};
use crate::Payer;
use crate::business_case::YearFlows;
use crate::report::Lang;

/// Where the Yearly flows sheet keeps each row, for the Summary sheet and
/// a package's total sheet. Each block is four rows: kommune, region, stat,
/// total.
pub(super) struct FlowRows {
    /// The years, in row 0.
    pub year: RowNum,
    pub costs: RowNum,
    pub gains: RowNum,
    pub net: RowNum,
    pub discount_factor: RowNum,
    pub discounted: RowNum,
    pub cumulative: RowNum,
    /// 1 where the cumulative discounted net (total) stays >= 0 from that year on.
    pub break_even: RowNum,
    /// The last row written.
    pub last: RowNum,
}

const PAYER_ROWS: RowNum = 4; // kommune, region, stat, total

pub(super) fn yearly(
    ws: &mut Worksheet,
    b: &Book,
    inputs: &InputCells,
    calc: &CalcRows,
) -> Result<FlowRows, XlsxError> {
    let (case, f) = (b.case, &b.f);
    let h = b.horizon();
    let cell = row_col_to_cell;
    ws.set_column_width(0, 34)?;
    for t in 0..h {
        ws.set_column_width(year_col(t), 14)?;
    }
    ws.write_string_with_format(0, 0, b.l("Year", "År"), &f.bold)?;
    ws.write_string_with_format(1, 0, "t", &f.bold)?;
    for (t, y) in case.years.iter().enumerate() {
        ws.write_formula_with_format(
            0,
            year_col(t),
            formula(
                format!("={}", on(&calc.sheet, 0, year_col(t))),
                f64::from(y.year),
            ),
            &f.bold,
        )?;
        ws.write_number(1, year_col(t), t as f64)?;
    }
    ws.set_freeze_panes(2, 1)?;

    // Blocks of a heading row and four rows (kommune, region, stat, total).
    let block = |n: RowNum| 3 + n * (PAYER_ROWS + 1);
    let (costs, gains, net) = (block(0), block(1), block(2));
    let discount_factor = block(3) - 1;
    let (discounted, cumulative) = (block(3) + 1, block(4) + 1);
    let headings = [
        (costs, b.l("Costs", "Omkostninger")),
        (gains, b.l("Gains", "Gevinster")),
        (
            net,
            b.l("Net (gains - costs)", "Netto (gevinster - omkostninger)"),
        ),
        (discounted, b.l("Discounted net", "Diskonteret netto")),
        (
            cumulative,
            b.l("Cumulative discounted net", "Akkumuleret diskonteret netto"),
        ),
    ];
    for (first, heading) in headings {
        payer_block(ws, f, b.lang, first, heading)?;
    }
    ws.write_string_with_format(
        discount_factor,
        0,
        b.l("Discount factor", "Diskonteringsfaktor"),
        &f.bold,
    )?;

    let lines = b.model.lines.len() as RowNum;
    let n_costs = b.model.costs.len() as RowNum;
    for (t, y) in case.years.iter().enumerate() {
        let c = year_col(t);
        ws.write_formula_with_format(
            discount_factor,
            c,
            formula(
                format!("={}", on(&calc.sheet, calc.discount_factor, c)),
                num(y.discount_factor),
            ),
            &f.factor,
        )?;
        for (i, payer) in Payer::ALL.iter().enumerate() {
            let i = i as RowNum;
            // Costs: the cost items of this payer.
            let cost = y.costs.get(*payer);
            if n_costs == 0 {
                ws.write_number_with_format(costs + i, c, num(cost), &f.money)?;
            } else {
                let payers = inputs_range(inputs, inputs.first_cost, n_costs, COST_PAYER);
                let items = calc.range((calc.first_cost, c), (calc.first_cost + n_costs - 1, c));
                let text = format!("=SUMIF({payers},\"{}\",{items})", payer.id());
                ws.write_formula_with_format(costs + i, c, formula(text, num(cost)), &f.money)?;
            }
            // Gains: minus Σ over lines of quantity × unit price (§1.4, §1.6).
            let gain = y.gains.get(*payer);
            if lines == 0 {
                ws.write_number_with_format(gains + i, c, num(gain), &f.money)?;
            } else {
                let prices = inputs_range(
                    inputs,
                    inputs.first_line,
                    lines,
                    LINE_UNIT_PRICE + i as ColNum,
                );
                let quantities = calc.range(
                    (calc.first_quantity, c),
                    (calc.first_quantity + lines - 1, c),
                );
                let text = format!("=-SUMPRODUCT({prices},{quantities})");
                ws.write_formula_with_format(gains + i, c, formula(text, num(gain)), &f.money)?;
            }
            let text = format!("={}-{}", cell(gains + i, c), cell(costs + i, c));
            ws.write_formula_with_format(
                net + i,
                c,
                formula(text, num(y.net.get(*payer))),
                &f.money,
            )?;
            // §1.7: discounted = DF(t) · net(t); cumulative = running sum.
            let text = format!("={}*{}", cell(net + i, c), cell(discount_factor, c));
            let value = num(y.net_discounted.get(*payer));
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
            let value = num(y.cumulative_net_discounted.get(*payer));
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
            ws.write_formula_with_format(
                first + 3,
                c,
                formula(text, num(split.total)),
                &f.money_bold,
            )?;
        }
    }

    let break_even = cumulative + PAYER_ROWS + 1;
    break_even_flags(ws, f, b.lang, break_even, cumulative + 3, &case.years)?;

    // Gains by area (all payers): the lines' gains summed by their area, as
    // the Inputs sheet's area column writes it.
    let mut row = break_even + 2;
    let mut last = break_even;
    if !case.years.is_empty() && lines > 0 {
        ws.write_string_with_format(
            row,
            0,
            b.l(
                "Gains by area (all payers)",
                "Gevinster fordelt på område (alle betalere)",
            ),
            &f.bold,
        )?;
        let areas = inputs_range(inputs, inputs.first_line, lines, LINE_AREA);
        for (a, area) in case.areas.iter().enumerate() {
            row += 1;
            ws.write_string(row, 0, format!("  {}", b.lang.area_name(area, Some(b.kb))))?;
            let key = super::criterion(&super::area_text(area, b.kb, b.lang));
            for (t, y) in case.years.iter().enumerate() {
                let c = year_col(t);
                let gains = calc.range((calc.first_gain, c), (calc.first_gain + lines - 1, c));
                let text = format!("=SUMIF({areas},{key},{gains})");
                let value = y.gains_by_area.get(a).map_or(0.0, |v| num(*v));
                ws.write_formula_with_format(row, c, formula(text, value), &f.money)?;
            }
        }
        last = row;
    }

    Ok(FlowRows {
        year: 0,
        costs,
        gains,
        net,
        discount_factor,
        discounted,
        cumulative,
        break_even,
        last,
    })
}

/// A block's heading in the row above `first` and its four rows' labels:
/// kommune, region, stat and (bold) total.
pub(super) fn payer_block(
    ws: &mut Worksheet,
    f: &Formats,
    lang: Lang,
    first: RowNum,
    heading: &str,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(first - 1, 0, heading, &f.bold)?;
    for (i, payer) in Payer::ALL.iter().enumerate() {
        ws.write_string(first + i as RowNum, 0, format!("  {}", payer.id()))?;
    }
    ws.write_string_with_format(
        first + 3,
        0,
        format!("  {}", lang.pick("total", "i alt")),
        &f.bold,
    )?;
    Ok(())
}

/// §1.8: the break-even year is the first from which the cumulative
/// discounted net stays >= 0. Writes in `row` a flag per year, 1 where the
/// total in row `cumulative_total` stays >= 0 from that year on, computed
/// from the last year back.
pub(super) fn break_even_flags(
    ws: &mut Worksheet,
    f: &Formats,
    lang: Lang,
    row: RowNum,
    cumulative_total: RowNum,
    years: &[YearFlows],
) -> Result<(), XlsxError> {
    let cell = row_col_to_cell;
    ws.write_string_with_format(
        row,
        0,
        lang.pick(
            "Cumulative stays >= 0 from this year (1 = yes)",
            "Akkumuleret forbliver >= 0 fra dette år (1 = ja)",
        ),
        &f.bold,
    )?;
    let h = years.len();
    let mut stays = true;
    for t in (0..h).rev() {
        let c = year_col(t);
        let total = cell(cumulative_total, c);
        stays = stays && years[t].cumulative_net_discounted.total >= Decimal::ZERO;
        let text = if t + 1 == h {
            format!("=IF({total}>=0,1,0)")
        } else {
            format!("=IF(AND({total}>=0,{}=1),1,0)", cell(row, c + 1))
        };
        ws.write_formula(row, c, formula(text, if stays { 1.0 } else { 0.0 }))?;
    }
    Ok(())
}

/// A column of `n` rows of the Inputs sheet's lines or costs table.
fn inputs_range(inputs: &InputCells, first: RowNum, n: RowNum, col: ColNum) -> String {
    super::range_on(&inputs.sheet, (first, col), (first + n - 1, col))
}
