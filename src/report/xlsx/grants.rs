//! A package's grants on its total sheet (docs/DESIGN.md §1.10, §1.12): the
//! grants belong to the package, not to an intervention, so their inputs —
//! where each comes from, the committee that receives it and its amount by
//! year — are yellow cells of the total sheet, and the financing by payer,
//! each payer's net with it and (on the committee rows) each committee's
//! financing are formulas of them, as the single case's Yearly flows sheet
//! has them of its own grants.

use rust_xlsxwriter::{ColNum, Format, RowNum, Worksheet, XlsxError, row_col_to_cell};

use super::{Formats, committee_text, formula, funder_text, num, range, year_col};
use crate::BusinessCase;
use crate::Payer;
use crate::report::Lang;

/// Where the total sheet keeps the grants' inputs.
pub(super) struct GrantRows {
    /// Grant i's funder (column 1) and committee (column 2) in row `first + i`.
    first: RowNum,
    /// Grant i's amount in year t in row `first_amount + i`, column of year t.
    first_amount: RowNum,
    count: RowNum,
}

impl GrantRows {
    /// The formula of the grants a committee receives in column `col`, the
    /// committee given as a `SUMIF` criterion.
    pub fn to_committee(&self, criterion: &str, col: ColNum) -> String {
        format!(
            "=SUMIF({},{criterion},{})",
            range((self.first, 2), (self.first + self.count - 1, 2)),
            self.amounts(col)
        )
    }

    fn amounts(&self, col: ColNum) -> String {
        range(
            (self.first_amount, col),
            (self.first_amount + self.count - 1, col),
        )
    }
}

/// The rows of the total sheet the grants' section refers to.
pub(super) struct TotalRows {
    /// The discount factors, a row of years.
    pub discount_factor: RowNum,
    /// The first of the four rows (kommune, region, stat, total) of the
    /// package's net without financing.
    pub net: RowNum,
}

/// A row of years on the total sheet, in `money`, with its present value
/// (Σ DF(t) × the year's figure, the discount factors in row
/// `discount_factor`) in the column after them.
pub(super) fn flow_row(
    ws: &mut Worksheet,
    money: &Format,
    total: &BusinessCase,
    discount_factor: RowNum,
    (row, label): (RowNum, String),
    cells: Vec<(String, f64)>,
    pv: f64,
) -> Result<(), XlsxError> {
    let h = total.horizon_years;
    ws.write_string(row, 0, label)?;
    for (t, (text, value)) in cells.into_iter().enumerate() {
        ws.write_formula_with_format(row, year_col(t), formula(text, value), money)?;
    }
    let years = |r: RowNum| range((r, year_col(0)), (r, year_col(h.max(1) - 1)));
    let text = format!("=SUMPRODUCT({},{})", years(row), years(discount_factor));
    ws.write_formula_with_format(row, year_col(h), formula(text, pv), money)?;
    Ok(())
}

/// Writes the package's grants from `row` on: their inputs, their present
/// values, the financing by payer and each payer's net with it. Returns
/// where the inputs are (none without grants) and the next free row.
pub(super) fn write(
    ws: &mut Worksheet,
    f: &Formats,
    lang: Lang,
    total: &BusinessCase,
    rows: &TotalRows,
    mut row: RowNum,
) -> Result<(Option<GrantRows>, RowNum), XlsxError> {
    let Some(financing) = &total.financing else {
        return Ok((None, row));
    };
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    let h = total.horizon_years;
    let pv_col = year_col(h);
    let count = financing.grants.len() as RowNum;
    ws.write_string_with_format(
        row,
        0,
        l("Financing of the package", "Pakkens finansiering"),
        &f.bold,
    )?;
    ws.write_string(
        row,
        1,
        l(
            "The grants are the package's, not an intervention's: edit them here. A grant comes from stat, region or outside (the public sector); committee ids as in the knowledge base's committees.json. Amounts by year.",
            "Tilskuddene hører til pakken, ikke til en indsats: ændr dem her. Et tilskud kommer fra stat, region eller ekstern (uden for den offentlige sektor); udvalgenes navne som i vidensgrundlaget. Beløb pr. år.",
        ),
    )?;
    row += 1;
    ws.write_string_with_format(row, 0, l("Grants", "Tilskud"), &f.bold)?;
    ws.write_string_with_format(row, 1, l("From", "Fra"), &f.bold)?;
    ws.write_string_with_format(row, 2, l("Committee", "Udvalg"), &f.bold)?;
    let first = row + 1;
    for (i, g) in financing.grants.iter().enumerate() {
        let r = first + i as RowNum;
        ws.write_string(r, 0, format!("  {}", g.label))?;
        ws.write_string_with_format(r, 1, funder_text(g.from, lang), &f.input)?;
        let committee = committee_text(total, g.committee.as_deref(), lang);
        ws.write_string_with_format(r, 2, committee, &f.input)?;
    }
    row = first + count;
    ws.write_string_with_format(
        row,
        0,
        l("Grant amounts by year", "Tilskud pr. år"),
        &f.bold,
    )?;
    ws.write_string_with_format(row, pv_col, l("Present value", "Nutidsværdi"), &f.bold)?;
    let first_amount = row + 1;
    let df = range(
        (rows.discount_factor, year_col(0)),
        (rows.discount_factor, year_col(h.max(1) - 1)),
    );
    for (i, g) in financing.grants.iter().enumerate() {
        let r = first_amount + i as RowNum;
        ws.write_string(r, 0, format!("  {}", g.label))?;
        for t in 0..h {
            let amount = g.amounts.get(t).map_or(0.0, |a| num(*a));
            ws.write_number_with_format(r, year_col(t), amount, &f.input_money)?;
        }
        let text = format!(
            "=SUMPRODUCT({},{df})",
            range((r, year_col(0)), (r, year_col(h.max(1) - 1)))
        );
        ws.write_formula_with_format(r, pv_col, formula(text, num(g.pv)), &f.money)?;
    }
    let grants = GrantRows {
        first,
        first_amount,
        count,
    };
    row = first_amount + count + 1;

    // By payer: the kommune receives every grant, the state or region gives
    // its own; the total is what comes from outside the public sector.
    ws.write_string_with_format(
        row,
        0,
        l(
            "Financing (the kommune receives; the state or region gives)",
            "Finansiering (kommunen modtager; staten eller regionen giver)",
        ),
        &f.bold,
    )?;
    ws.write_string_with_format(row, pv_col, l("Present value", "Nutidsværdi"), &f.bold)?;
    let by_payer = row + 1;
    let from = range((first, 1), (first + count - 1, 1));
    for (i, payer) in Payer::ALL.iter().enumerate() {
        let cells = (0..h)
            .map(|t| {
                let col = year_col(t);
                let text = match payer {
                    Payer::Kommune => format!("=SUM({})", grants.amounts(col)),
                    other => format!("=-SUMIF({from},\"{}\",{})", other.id(), grants.amounts(col)),
                };
                (text, num(financing.years[t].get(*payer)))
            })
            .collect();
        let r = by_payer + i as RowNum;
        let label = format!("  {}", payer.id());
        let pv = num(financing.pv.get(*payer));
        flow_row(
            ws,
            &f.money,
            total,
            rows.discount_factor,
            (r, label),
            cells,
            pv,
        )?;
    }
    let cells = (0..h)
        .map(|t| {
            let col = year_col(t);
            let text = format!(
                "=SUM({}:{})",
                row_col_to_cell(by_payer, col),
                row_col_to_cell(by_payer + 2, col)
            );
            (text, num(financing.years[t].total))
        })
        .collect();
    let label = format!(
        "  {}",
        l(
            "total (from outside the public sector)",
            "i alt (uden for den offentlige sektor)"
        )
    );
    let pv = num(financing.pv.total);
    flow_row(
        ws,
        &f.money_bold,
        total,
        rows.discount_factor,
        (by_payer + 3, label),
        cells,
        pv,
    )?;

    // Each payer's net with financing: the package's net plus the financing.
    let with = by_payer + 5;
    ws.write_string_with_format(
        with - 1,
        0,
        l("Net with financing", "Netto med finansiering"),
        &f.bold,
    )?;
    ws.write_string_with_format(with - 1, pv_col, l("Present value", "Nutidsværdi"), &f.bold)?;
    let npv = &financing.npv_with_financing;
    for i in 0..4 {
        let label = match Payer::ALL.get(i) {
            Some(p) => format!("  {}", p.id()),
            None => format!("  {}", l("total", "i alt")),
        };
        let r = i as RowNum;
        let cells = (0..h)
            .map(|t| {
                let col = year_col(t);
                let split = &financing.net_with_financing[t];
                let value = [split.kommune, split.region, split.stat, split.total][i];
                (
                    format!(
                        "={}+{}",
                        row_col_to_cell(rows.net + r, col),
                        row_col_to_cell(by_payer + r, col)
                    ),
                    num(value),
                )
            })
            .collect();
        let pv = num([npv.kommune, npv.region, npv.stat, npv.total][i]);
        let money = if i == 3 { &f.money_bold } else { &f.money };
        flow_row(
            ws,
            money,
            total,
            rows.discount_factor,
            (with + r, label),
            cells,
            pv,
        )?;
    }
    Ok((Some(grants), with + 5))
}
