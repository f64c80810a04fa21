//! The Yearly flows and Summary sheets: costs, gains, net, discounted net
//! and the cumulative per payer and year, and the business case's figures,
//! all formulas of the Calculation and Inputs sheets (docs/DESIGN.md
//! §1.5-§1.8).

use rust_decimal::Decimal;
use rust_xlsxwriter::{ColNum, RowNum, Worksheet, XlsxError, row_col_to_cell};

use super::calculation::CalcRows;
use super::inputs::{COST_PAYER, InputCells, LINE_AREA, LINE_UNIT_PRICE};
use super::{Book, formula, num, on, text_formula, year_col};
use crate::Payer;

/// Where the Yearly flows sheet keeps each row, for the Summary sheet.
pub(super) struct FlowRows {
    costs: RowNum,
    gains: RowNum,
    /// The first of the four net rows (kommune, region, stat, total).
    pub net: RowNum,
    cumulative: RowNum,
    /// 1 where the cumulative discounted net (total) stays >= 0 from that year on.
    break_even: RowNum,
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
    let total_label = b.l("total", "i alt");
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
        ws.write_string_with_format(first - 1, 0, heading, &f.bold)?;
        for (i, payer) in Payer::ALL.iter().enumerate() {
            ws.write_string(first + i as RowNum, 0, format!("  {}", payer.id()))?;
        }
        ws.write_string_with_format(first + 3, 0, format!("  {total_label}"), &f.bold)?;
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

    // §1.8: the break-even year is the first from which the cumulative
    // discounted net stays >= 0; a flag per year, computed from the last year back.
    let break_even = cumulative + PAYER_ROWS + 1;
    ws.write_string_with_format(
        break_even,
        0,
        b.l(
            "Cumulative stays >= 0 from this year (1 = yes)",
            "Akkumuleret forbliver >= 0 fra dette år (1 = ja)",
        ),
        &f.bold,
    )?;
    let mut stays = true;
    for t in (0..h).rev() {
        let c = year_col(t);
        let total = cell(cumulative + 3, c);
        stays = stays && case.years[t].cumulative_net_discounted.total >= Decimal::ZERO;
        let text = if t + 1 == h {
            format!("=IF({total}>=0,1,0)")
        } else {
            format!("=IF(AND({total}>=0,{}=1),1,0)", cell(break_even, c + 1))
        };
        ws.write_formula(break_even, c, formula(text, if stays { 1.0 } else { 0.0 }))?;
    }

    // Gains by area (all payers): the lines' gains summed by their area id.
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
            for (t, y) in case.years.iter().enumerate() {
                let c = year_col(t);
                let gains = calc.range((calc.first_gain, c), (calc.first_gain + lines - 1, c));
                let text = format!("=SUMIF({areas},\"{area}\",{gains})");
                let value = y.gains_by_area.get(a).map_or(0.0, |v| num(*v));
                ws.write_formula_with_format(row, c, formula(text, value), &f.money)?;
            }
        }
        last = row;
    }

    Ok(FlowRows {
        costs,
        gains,
        net,
        cumulative,
        break_even,
        last,
    })
}

/// A column of `n` rows of the Inputs sheet's lines or costs table.
fn inputs_range(inputs: &InputCells, first: RowNum, n: RowNum, col: ColNum) -> String {
    super::range_on(&inputs.sheet, (first, col), (first + n - 1, col))
}

pub(super) fn summary(
    ws: &mut Worksheet,
    b: &Book,
    inputs: &InputCells,
    calc: &CalcRows,
    rows: &FlowRows,
) -> Result<(), XlsxError> {
    let (case, f) = (b.case, &b.f);
    let s = &case.summary;
    let h = b.horizon();
    let flows_sheet = &b.names[2];
    let flow_range = |row: RowNum| {
        super::range_on(
            flows_sheet,
            (row, year_col(0)),
            (row, year_col(h.max(1) - 1)),
        )
    };
    ws.set_column_width(0, 40)?;
    for c in 1..=4 {
        ws.set_column_width(c, 18)?;
    }
    ws.write_string_with_format(
        0,
        0,
        format!(
            "{}: {}",
            b.l("Business case", "Business case"),
            case.scenario
        ),
        &f.heading,
    )?;
    ws.write_string_with_format(2, 0, b.l("Present value", "Nutidsværdi"), &f.bold)?;
    for (c, head) in ["kommune", "region", "stat", b.l("total", "i alt")]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(2, 1 + c as ColNum, *head, &f.bold)?;
    }
    // PV = Σ DF(t) · flow(t) (§1.7).
    let df = calc.years(calc.discount_factor, h);
    let pv_rows = [
        (b.l("Costs", "Omkostninger"), rows.costs, &s.pv_costs),
        (b.l("Gains", "Gevinster"), rows.gains, &s.pv_gains),
        (b.l("Net (NPV)", "Netto (NNV)"), rows.net, &s.npv),
    ];
    for (i, (label, flow_row, split)) in pv_rows.iter().enumerate() {
        let r = 3 + i as RowNum;
        ws.write_string_with_format(r, 0, *label, &f.bold)?;
        let values = [split.kommune, split.region, split.stat, split.total];
        for (j, value) in values.iter().enumerate() {
            let text = format!("=SUMPRODUCT({},{df})", flow_range(flow_row + j as RowNum));
            ws.write_formula_with_format(r, 1 + j as ColNum, formula(text, num(*value)), &f.money)?;
        }
    }
    let (pv_costs, pv_gains, npv) = ("E4", "E5", "E6");
    let na = b.lang.not_applicable();

    let mut r: RowNum = 8;
    let figure = |ws: &mut Worksheet,
                  r: &mut RowNum,
                  label: &str,
                  text: String,
                  value: Option<f64>,
                  format: &rust_xlsxwriter::Format|
     -> Result<RowNum, XlsxError> {
        ws.write_string_with_format(*r, 0, label, &f.bold)?;
        match value {
            Some(v) => ws.write_formula_with_format(*r, 1, formula(text, v), format)?,
            None => ws.write_formula_with_format(*r, 1, text_formula(text, na), format)?,
        };
        *r += 1;
        Ok(*r - 1)
    };
    figure(
        ws,
        &mut r,
        b.l("Benefit-cost ratio", "Gevinst-omkostningsforhold"),
        format!("=IF({pv_costs}=0,\"{na}\",{pv_gains}/{pv_costs})"),
        s.benefit_cost_ratio.map(num),
        &f.ratio,
    )?;
    figure(
        ws,
        &mut r,
        b.l("Return per invested krone", "Afkast pr. investeret krone"),
        format!("=IF({pv_costs}=0,\"{na}\",{npv}/{pv_costs})"),
        s.return_per_krone.map(num),
        &f.ratio,
    )?;
    let never = b.l("not within the horizon", "ikke inden for tidshorisonten");
    let flags = flow_range(rows.break_even);
    let years = flow_range(0);
    let text = format!("=IF(SUM({flags})=0,\"{never}\",INDEX({years},1,MATCH(1,{flags},0)))");
    ws.write_string_with_format(r, 0, b.l("Break-even year", "Break-even-år"), &f.bold)?;
    match s.break_even_year {
        Some(y) => ws.write_formula(r, 1, formula(text, f64::from(y)))?,
        None => ws.write_formula(r, 1, text_formula(text, never))?,
    };
    r += 1;
    // §1.8: NPV is linear in s, so NPV = 0 at s - NPV / (PV of gains per unit of s).
    let lines = b.model.lines.len() as RowNum;
    let per_unit = if lines == 0 {
        "0".to_owned()
    } else {
        format!(
            "SUM({})",
            calc.range(
                (calc.first_unit, calc.pv_col),
                (calc.first_unit + lines - 1, calc.pv_col)
            )
        )
    };
    figure(
        ws,
        &mut r,
        b.l("Break-even net success rate", "Break-even netto-succesrate"),
        format!(
            "=IF({per_unit}=0,\"{na}\",{s_cell}-{npv}/{per_unit})",
            s_cell = inputs.net_rate
        ),
        s.break_even_success_rate.map(num),
        &f.percent,
    )?;
    let participants = figure(
        ws,
        &mut r,
        b.l("Participants", "Deltagere"),
        format!("=SUM({})", calc.years(calc.participants, h)),
        Some(num(s.participants)),
        &f.quantity,
    )?;
    let successes = figure(
        ws,
        &mut r,
        b.l("Successes", "Succeser"),
        format!("=SUM({})", calc.years(calc.successes, h)),
        Some(num(s.successes)),
        &f.quantity,
    )?;
    let participants = row_col_to_cell(participants, 1);
    let successes = row_col_to_cell(successes, 1);
    figure(
        ws,
        &mut r,
        b.l("NPV per participant", "NNV pr. deltager"),
        format!("=IF({participants}=0,\"{na}\",{npv}/{participants})"),
        s.npv_per_participant.map(num),
        &f.money,
    )?;
    figure(
        ws,
        &mut r,
        b.l("NPV per success", "NNV pr. succes"),
        format!("=IF({successes}=0,\"{na}\",{npv}/{successes})"),
        s.npv_per_success.map(num),
        &f.money,
    )?;
    let last = case
        .years
        .last()
        .map_or(0.0, |y| num(y.cumulative_net_discounted.total));
    figure(
        ws,
        &mut r,
        b.l(
            "Cumulative discounted net, last year",
            "Akkumuleret diskonteret netto, sidste år",
        ),
        format!(
            "={}",
            on(flows_sheet, rows.cumulative + 3, year_col(h.max(1) - 1))
        ),
        Some(last),
        &f.money,
    )?;
    Ok(())
}
