//! The Calculation sheet: cohorts, discount factors, and per consequence
//! line its weighted profile, quantities and gains, and the cost items per
//! year, every cell a formula of the Inputs sheet (docs/DESIGN.md §1.2-§1.5,
//! §1.7).
//!
//! The cached values are computed here from the same inputs in f64 (for the
//! intermediate rows the engine does not report) or taken from the engine's
//! business case (quantities, gains, discount factors).

use rust_xlsxwriter::{ColNum, RowNum, Worksheet, XlsxError, row_col_to_cell};

use super::inputs::InputCells;
use super::{Book, formula, num, range, year_col};
use crate::model::{AppliesTo, CostKind};

/// Where the Calculation sheet keeps each row, for the other sheets.
pub(super) struct CalcRows {
    /// The quoted sheet name.
    pub sheet: String,
    pub participants: RowNum,
    pub successes: RowNum,
    pub discount_factor: RowNum,
    /// The first of the lines' quantity rows Q(t), one row per line.
    pub first_quantity: RowNum,
    /// The first of the lines' gain rows, one row per line.
    pub first_gain: RowNum,
    /// The first of the lines' rows of quantities per unit of s.
    pub first_unit: RowNum,
    /// The column after the years: the PV of a line's gains (gain rows) and
    /// its PV per unit of the net success rate (rows per unit of s).
    pub pv_col: ColNum,
    /// The first of the cost items' rows, one row per cost.
    pub first_cost: RowNum,
}

impl CalcRows {
    /// A range of this sheet, named for a formula on another sheet.
    pub fn range(&self, first: (RowNum, ColNum), last: (RowNum, ColNum)) -> String {
        super::range_on(&self.sheet, first, last)
    }

    /// The whole row of years.
    pub fn years(&self, row: RowNum, horizon: usize) -> String {
        self.range((row, year_col(0)), (row, year_col(horizon.max(1) - 1)))
    }
}

pub(super) fn write(
    ws: &mut Worksheet,
    b: &Book,
    inputs: &InputCells,
) -> Result<CalcRows, XlsxError> {
    let (m, case, f) = (b.model, b.case, &b.f);
    let h = b.horizon();
    let cell = row_col_to_cell;
    ws.set_column_width(0, 52)?;
    for t in 0..=h {
        ws.set_column_width(year_col(t), 13)?;
    }
    ws.set_freeze_panes(2, 1)?;

    let (year, t_row, participants, completers, successes, df) = (0, 1, 2, 3, 4, 5);
    let label = |ws: &mut Worksheet, r: RowNum, text: &str| {
        ws.write_string_with_format(r, 0, text, &f.bold).map(|_| ())
    };
    label(ws, year, b.l("Year", "År"))?;
    label(ws, t_row, "t")?;
    label(
        ws,
        participants,
        b.l("Participants entering (n)", "Deltagere, der starter (n)"),
    )?;
    label(
        ws,
        completers,
        b.l("Completers (n x c)", "Gennemførende (n x c)"),
    )?;
    label(
        ws,
        successes,
        b.l("Successes (n x c x s)", "Succeser (n x c x s)"),
    )?;
    label(
        ws,
        df,
        b.l("Discount factor DF(t)", "Diskonteringsfaktor DF(t)"),
    )?;

    let c = num(m.completion_rate);
    let s = num(case.net_success_rate);
    let unit_base: Vec<f64> = m.participants.iter().map(|n| num(*n) * c).collect();
    for t in 0..h {
        let col = year_col(t);
        let n = num(m.participants[t]);
        ws.write_formula_with_format(
            year,
            col,
            formula(
                format!("={}", inputs.at(inputs.year_row, col)),
                f64::from(m.start_year) + t as f64,
            ),
            &f.bold,
        )?;
        ws.write_number(t_row, col, t as f64)?;
        ws.write_formula(
            participants,
            col,
            formula(format!("={}", inputs.at(inputs.participants_row, col)), n),
        )?;
        ws.write_formula_with_format(
            completers,
            col,
            formula(
                format!("={}*{}", cell(participants, col), inputs.completion),
                n * c,
            ),
            &f.quantity,
        )?;
        ws.write_formula_with_format(
            successes,
            col,
            formula(
                format!("={}*{}", cell(completers, col), inputs.net_rate),
                n * c * s,
            ),
            &f.quantity,
        )?;
        // §1.7: DF(0) = 1, DF(t) = DF(t-1) / (1 + r_t).
        let text = if t == 0 {
            "=1".to_owned()
        } else {
            format!(
                "={}/(1+{})",
                cell(df, col - 1),
                inputs.at(inputs.rate_row, col)
            )
        };
        ws.write_formula_with_format(
            df,
            col,
            formula(text, num(case.years[t].discount_factor)),
            &f.factor,
        )?;
    }

    let lines = m.lines.len() as RowNum;
    let pv_col = year_col(h);
    let mut row = df + 2;
    let block = |ws: &mut Worksheet, row: RowNum, heading: &str| -> Result<RowNum, XlsxError> {
        ws.write_string_with_format(row, 0, heading, &f.bold)?;
        Ok(row + 1)
    };

    // e[j]: a success's (or participant's) change in use j years after entry:
    // the profile shifted by the lag, times persistence and the kept share.
    let first_weighted = block(
        ws,
        row,
        b.l(
            "Change in use per success (or participant), by years since entry",
            "Ændring i forbrug pr. succes (eller deltager) efter år siden start",
        ),
    )?;
    let decay = num(m.persistence.annual_decay);
    let lag = m.effect_lag_years;
    let mut weighted: Vec<Vec<f64>> = Vec::with_capacity(m.lines.len());
    for (i, line) in m.lines.iter().enumerate() {
        let r = first_weighted + i as RowNum;
        ws.write_string(r, 0, format!("  {}", line.service))?;
        let k_len = line.profile.len();
        let kept_share = b
            .adjusted
            .context
            .evidence
            .lines
            .get(i)
            .and_then(|a| a.optimism_bias)
            .map_or(1.0, |bias| 1.0 - num(bias));
        let profile = inputs.profile(i, k_len);
        let mut row_values = Vec::with_capacity(h);
        for j in 0..h {
            // §1.3: w[k] = (1 - decay)^k for k < duration, 0 after.
            let (text, value) = match line.applies_to {
                AppliesTo::Successes => {
                    let text = format!(
                        "=IF({j}<{lag_cell},0,IF({j}-{lag_cell}>={k_len},0,INDEX({profile},1,{j}-{lag_cell}+1)*{kept}*POWER(1-{decay_cell},{j}-{lag_cell})*IF(ISBLANK({dur}),1,IF({j}-{lag_cell}<{dur},1,0))))",
                        lag_cell = inputs.lag,
                        kept = inputs.kept(i),
                        decay_cell = inputs.decay,
                        dur = inputs.duration,
                    );
                    let value = match j.checked_sub(lag) {
                        Some(k)
                            if k < k_len && m.persistence.duration_years.is_none_or(|d| k < d) =>
                        {
                            num(line.profile[k]) * kept_share * (1.0 - decay).powi(k as i32)
                        }
                        _ => 0.0,
                    };
                    (text, value)
                }
                AppliesTo::Participants => {
                    let text = format!(
                        "=IF({j}<{lag_cell},0,IF({j}-{lag_cell}>={k_len},0,INDEX({profile},1,{j}-{lag_cell}+1)*{kept}))",
                        lag_cell = inputs.lag,
                        kept = inputs.kept(i),
                    );
                    let value = match j.checked_sub(lag) {
                        Some(k) if k < k_len => num(line.profile[k]) * kept_share,
                        _ => 0.0,
                    };
                    (text, value)
                }
            };
            row_values.push(value);
            ws.write_formula_with_format(r, year_col(j), formula(text, value), &f.quantity)?;
        }
        weighted.push(row_values);
    }
    row = first_weighted + lines + 1;

    // Quantities per unit of s: Σ_r base_r · e[t - r], with base_r the
    // completers (lines on successes) or the participants.
    let first_unit = block(
        ws,
        row,
        b.l(
            "Quantity per unit of the net success rate (lines on participants: the quantity)",
            "Mængde pr. enhed af netto-succesraten (linjer pr. deltager: mængden)",
        ),
    )?;
    ws.write_string_with_format(
        first_unit - 1,
        pv_col,
        b.l(
            "PV of gains per unit of s",
            "Nutidsværdi af gevinster pr. enhed af s",
        ),
        &f.bold,
    )?;
    for (i, line) in m.lines.iter().enumerate() {
        let r = first_unit + i as RowNum;
        ws.write_string(r, 0, format!("  {}", line.service))?;
        let (base_row, base): (RowNum, Vec<f64>) = match line.applies_to {
            AppliesTo::Successes => (completers, unit_base.clone()),
            AppliesTo::Participants => (
                participants,
                m.participants.iter().map(|n| num(*n)).collect(),
            ),
        };
        let mut pv_per_unit = 0.0;
        for t in 0..h {
            let terms: Vec<String> = (0..=t)
                .map(|r0| {
                    format!(
                        "{}*{}",
                        cell(base_row, year_col(r0)),
                        cell(first_weighted + i as RowNum, year_col(t - r0))
                    )
                })
                .collect();
            let value: f64 = (0..=t).map(|r0| base[r0] * weighted[i][t - r0]).sum();
            pv_per_unit += value * num(case.years[t].discount_factor);
            ws.write_formula_with_format(
                r,
                year_col(t),
                formula(format!("={}", terms.join("+")), value),
                &f.quantity,
            )?;
        }
        let price_total = num(case.lines[i].unit_price.total);
        match line.applies_to {
            AppliesTo::Successes => {
                let text = format!(
                    "=-SUMPRODUCT({},{})*{}",
                    range((r, year_col(0)), (r, year_col(h - 1))),
                    range((df, year_col(0)), (df, year_col(h - 1))),
                    inputs.at(
                        inputs.first_line + i as RowNum,
                        super::inputs::LINE_PRICE_TOTAL
                    )
                );
                ws.write_formula_with_format(
                    r,
                    pv_col,
                    formula(text, -pv_per_unit * price_total),
                    &f.money,
                )?;
            }
            AppliesTo::Participants => {
                ws.write_number_with_format(r, pv_col, 0.0, &f.money)?;
            }
        }
    }
    row = first_unit + lines + 1;

    // Q(t): times s for lines on successes (§1.2-§1.3).
    let first_quantity = block(
        ws,
        row,
        b.l("Change in quantity Q(t)", "Ændring i mængde Q(t)"),
    )?;
    for (i, line) in m.lines.iter().enumerate() {
        let r = first_quantity + i as RowNum;
        ws.write_string(
            r,
            0,
            format!(
                "  {} ({})",
                line.service,
                b.lang.unit(&case.lines[i], Some(b.kb))
            ),
        )?;
        for t in 0..h {
            let unit = cell(first_unit + i as RowNum, year_col(t));
            let text = match line.applies_to {
                AppliesTo::Successes => format!("={unit}*{}", inputs.net_rate),
                AppliesTo::Participants => format!("={unit}"),
            };
            ws.write_formula_with_format(
                r,
                year_col(t),
                formula(text, num(case.lines[i].quantities[t])),
                &f.quantity,
            )?;
        }
    }
    row = first_quantity + lines + 1;

    // Gains (all payers): -Q(t) × unit price (§1.4, §1.6).
    let first_gain = block(
        ws,
        row,
        b.l(
            "Gains, all payers (-Q x unit price)",
            "Gevinster, alle betalere (-Q x enhedspris)",
        ),
    )?;
    ws.write_string_with_format(
        first_gain - 1,
        pv_col,
        b.l("PV of gains", "Nutidsværdi af gevinster"),
        &f.bold,
    )?;
    for (i, line) in m.lines.iter().enumerate() {
        let r = first_gain + i as RowNum;
        ws.write_string(r, 0, format!("  {}", line.service))?;
        let price = inputs.at(
            inputs.first_line + i as RowNum,
            super::inputs::LINE_PRICE_TOTAL,
        );
        for t in 0..h {
            let text = format!(
                "=-{}*{price}",
                cell(first_quantity + i as RowNum, year_col(t))
            );
            let value = case.years[t].gains_by_line.get(i).map_or(0.0, |v| num(*v));
            ws.write_formula_with_format(r, year_col(t), formula(text, value), &f.money)?;
        }
        let text = format!(
            "=SUMPRODUCT({},{})",
            range((r, year_col(0)), (r, year_col(h - 1))),
            range((df, year_col(0)), (df, year_col(h - 1)))
        );
        ws.write_formula_with_format(
            r,
            pv_col,
            formula(text, num(case.lines[i].pv_gains)),
            &f.money,
        )?;
    }
    row = first_gain + lines + 1;

    // The cost items per year (§1.5).
    let first_cost = block(ws, row, b.l("Costs by item", "Omkostninger pr. post"))?;
    for (i, cost) in m.costs.iter().enumerate() {
        let r = first_cost + i as RowNum;
        ws.write_string(r, 0, format!("  {} ({})", cost.label, cost.payer.id()))?;
        let (from, to, amount) = inputs.cost(i);
        let a = num(cost.amount);
        for t in 0..h {
            let (text, value) = match cost.kind {
                CostKind::OneOff { year } => (
                    format!("=IF({t}={from},{amount},0)"),
                    if t == year { a } else { 0.0 },
                ),
                CostKind::PerYear { from_year, to_year } => (
                    format!("=IF(AND({t}>={from},{t}<={to}),{amount},0)"),
                    if (from_year..=to_year).contains(&t) {
                        a
                    } else {
                        0.0
                    },
                ),
                CostKind::PerParticipant { years: 1 } => (
                    format!("={amount}*{}", cell(participants, year_col(t))),
                    a * num(m.participants[t]),
                ),
                // A course: the cohorts of the last `years` years (§1.5).
                CostKind::PerParticipant { years } => {
                    let first = (t + 1).saturating_sub(years);
                    (
                        format!(
                            "={amount}*SUM({})",
                            range((participants, year_col(first)), (participants, year_col(t)))
                        ),
                        a * m.participants[first..=t]
                            .iter()
                            .map(|n| num(*n))
                            .sum::<f64>(),
                    )
                }
            };
            ws.write_formula_with_format(r, year_col(t), formula(text, value), &f.money)?;
        }
    }

    Ok(CalcRows {
        sheet: b.names[1].clone(),
        participants,
        successes,
        discount_factor: df,
        first_quantity,
        first_gain,
        first_unit,
        pv_col,
        first_cost,
    })
}
