//! The Summary sheet: the business case's figures (docs/DESIGN.md §1.7,
//! §1.8), formulas of the Yearly flows, Calculation and Inputs sheets; and
//! its layout, which a package's total sheet shares.

use rust_xlsxwriter::{ColNum, Format, RowNum, Worksheet, XlsxError, row_col_to_cell};

use super::calculation::CalcRows;
use super::flows::FlowRows;
use super::inputs::InputCells;
use super::{Book, Formats, formula, num, on, text_formula, year_col};
use crate::business_case::Summary;
use crate::report::Lang;

/// Where a Summary sheet (and a package's total sheet) keeps the figures
/// a package's total sheet reads. The present values are in rows
/// [`PV_ROW`]..=[`PV_ROW`] + 2 (costs, gains, NPV), columns 1-4 (kommune,
/// region, stat, total).
pub(super) struct SummaryRows {
    pub ratio: RowNum,
    pub break_even_year: RowNum,
    pub participants: RowNum,
    pub successes: RowNum,
}

/// The row of the present value of costs on a summary; gains and NPV follow.
pub(super) const PV_ROW: RowNum = 3;

pub(super) fn write(
    ws: &mut Worksheet,
    b: &Book,
    inputs: &InputCells,
    calc: &CalcRows,
    rows: &FlowRows,
) -> Result<SummaryRows, XlsxError> {
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
    let heading = format!(
        "{}: {}",
        b.l("Business case", "Business case"),
        case.scenario
    );
    // PV = Σ DF(t) · flow(t) (§1.7).
    let df = calc.years(calc.discount_factor, h);
    let flow_rows = [rows.costs, rows.gains, rows.net];
    let mut sheet = SummarySheet::new(ws, f, b.lang, &heading)?;
    sheet.present_values(s, |what, payer| {
        format!(
            "=SUMPRODUCT({},{df})",
            flow_range(flow_rows[what] + payer as RowNum)
        )
    })?;
    let ratio = sheet.ratios(s)?;
    let break_even_year =
        sheet.break_even_year(s, &flow_range(rows.break_even), &flow_range(rows.year))?;
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
    let na = b.lang.not_applicable();
    sheet.figure(
        b.l("Break-even net success rate", "Break-even netto-succesrate"),
        format!(
            "=IF({per_unit}=0,\"{na}\",{s_cell}-{npv}/{per_unit})",
            s_cell = inputs.net_rate,
            npv = SummarySheet::NPV,
        ),
        s.break_even_success_rate.map(num),
        &f.percent,
    )?;
    let (participants, successes) = sheet.per_head(
        s,
        format!("=SUM({})", calc.years(calc.participants, h)),
        format!("=SUM({})", calc.years(calc.successes, h)),
    )?;
    let last = case
        .years
        .last()
        .map_or(0.0, |y| num(y.cumulative_net_discounted.total));
    sheet.figure(
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
    Ok(SummaryRows {
        ratio,
        break_even_year,
        participants,
        successes,
    })
}

/// A summary's layout, shared by one case's Summary sheet and a package's
/// total sheet: a heading, the present values by payer, then one figure a
/// row, its label in column A and its formula in column B.
pub(super) struct SummarySheet<'a> {
    pub ws: &'a mut Worksheet,
    f: &'a Formats,
    lang: Lang,
    /// The next figure's row.
    pub row: RowNum,
}

impl<'a> SummarySheet<'a> {
    /// The present values' cells: costs, gains and NPV, all payers.
    pub const PV_COSTS: &'static str = "E4";
    pub const PV_GAINS: &'static str = "E5";
    pub const NPV: &'static str = "E6";

    pub fn new(
        ws: &'a mut Worksheet,
        f: &'a Formats,
        lang: Lang,
        heading: &str,
    ) -> Result<SummarySheet<'a>, XlsxError> {
        ws.set_column_width(0, 40)?;
        for c in 1..=4 {
            ws.set_column_width(c, 18)?;
        }
        ws.write_string_with_format(0, 0, heading, &f.heading)?;
        Ok(SummarySheet {
            ws,
            f,
            lang,
            row: PV_ROW + 5,
        })
    }

    /// The present values of costs, gains and NPV by payer; `text(what,
    /// payer)` is the formula of costs (0), gains (1) or NPV (2) for payer
    /// 0-2 (kommune, region, stat) or 3 (all).
    pub fn present_values(
        &mut self,
        s: &Summary,
        text: impl Fn(usize, usize) -> String,
    ) -> Result<(), XlsxError> {
        let (ws, f, lang) = (&mut *self.ws, self.f, self.lang);
        let l = |en: &'static str, da: &'static str| lang.pick(en, da);
        ws.write_string_with_format(PV_ROW - 1, 0, l("Present value", "Nutidsværdi"), &f.bold)?;
        for (c, head) in ["kommune", "region", "stat", l("total", "i alt")]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(PV_ROW - 1, 1 + c as ColNum, *head, &f.bold)?;
        }
        let pv_rows = [
            (l("Costs", "Omkostninger"), &s.pv_costs),
            (l("Gains", "Gevinster"), &s.pv_gains),
            (l("Net (NPV)", "Netto (NNV)"), &s.npv),
        ];
        for (i, (label, split)) in pv_rows.iter().enumerate() {
            let r = PV_ROW + i as RowNum;
            ws.write_string_with_format(r, 0, *label, &f.bold)?;
            let values = [split.kommune, split.region, split.stat, split.total];
            for (j, value) in values.iter().enumerate() {
                let formula = formula(text(i, j), num(*value));
                ws.write_formula_with_format(r, 1 + j as ColNum, formula, &f.money)?;
            }
        }
        Ok(())
    }

    /// A figure in the next row; its value, or "n/a" where it has none.
    /// Returns its row.
    pub fn figure(
        &mut self,
        label: &str,
        text: String,
        value: Option<f64>,
        format: &Format,
    ) -> Result<RowNum, XlsxError> {
        let (r, f) = (self.row, self.f);
        self.ws.write_string_with_format(r, 0, label, &f.bold)?;
        match value {
            Some(v) => self
                .ws
                .write_formula_with_format(r, 1, formula(text, v), format)?,
            None => self.ws.write_formula_with_format(
                r,
                1,
                text_formula(text, self.lang.not_applicable()),
                format,
            )?,
        };
        self.row += 1;
        Ok(r)
    }

    /// The benefit-cost ratio and the return per invested krone, from the
    /// present values; returns the ratio's row.
    pub fn ratios(&mut self, s: &Summary) -> Result<RowNum, XlsxError> {
        let (f, lang) = (self.f, self.lang);
        let na = lang.not_applicable();
        let (pv_costs, pv_gains, npv) = (Self::PV_COSTS, Self::PV_GAINS, Self::NPV);
        let ratio = self.figure(
            lang.pick("Benefit-cost ratio", "Gevinst-omkostningsforhold"),
            format!("=IF({pv_costs}=0,\"{na}\",{pv_gains}/{pv_costs})"),
            s.benefit_cost_ratio.map(num),
            &f.ratio,
        )?;
        self.figure(
            lang.pick("Return per invested krone", "Afkast pr. investeret krone"),
            format!("=IF({pv_costs}=0,\"{na}\",{npv}/{pv_costs})"),
            s.return_per_krone.map(num),
            &f.ratio,
        )?;
        Ok(ratio)
    }

    /// The break-even year: the year above the first flag of 1 in `flags`
    /// (a row of [`break_even_flags`]), `years` the row of years.
    pub fn break_even_year(
        &mut self,
        s: &Summary,
        flags: &str,
        years: &str,
    ) -> Result<RowNum, XlsxError> {
        let never = self
            .lang
            .pick("not within the horizon", "ikke inden for tidshorisonten");
        let text = format!("=IF(SUM({flags})=0,\"{never}\",INDEX({years},1,MATCH(1,{flags},0)))");
        let (r, f) = (self.row, self.f);
        let label = self.lang.pick("Break-even year", "Break-even-år");
        self.ws.write_string_with_format(r, 0, label, &f.bold)?;
        match s.break_even_year {
            Some(y) => self.ws.write_formula(r, 1, formula(text, f64::from(y)))?,
            None => self.ws.write_formula(r, 1, text_formula(text, never))?,
        };
        self.row += 1;
        Ok(r)
    }

    /// Participants and successes (the formulas given), and the NPV per
    /// participant and per success; returns the rows of the first two.
    pub fn per_head(
        &mut self,
        s: &Summary,
        participants: String,
        successes: String,
    ) -> Result<(RowNum, RowNum), XlsxError> {
        let (f, lang) = (self.f, self.lang);
        let l = |en: &'static str, da: &'static str| lang.pick(en, da);
        let (quantity, money) = (&f.quantity, &f.money);
        let na = lang.not_applicable();
        let npv = Self::NPV;
        let p = self.figure(
            l("Participants", "Deltagere"),
            participants,
            Some(num(s.participants)),
            quantity,
        )?;
        let n = self.figure(
            l("Successes", "Succeser"),
            successes,
            Some(num(s.successes)),
            quantity,
        )?;
        let (pc, nc) = (row_col_to_cell(p, 1), row_col_to_cell(n, 1));
        self.figure(
            l("NPV per participant", "NNV pr. deltager"),
            format!("=IF({pc}=0,\"{na}\",{npv}/{pc})"),
            s.npv_per_participant.map(num),
            money,
        )?;
        self.figure(
            l("NPV per success", "NNV pr. succes"),
            format!("=IF({nc}=0,\"{na}\",{npv}/{nc})"),
            s.npv_per_success.map(num),
            money,
        )?;
        Ok((p, n))
    }
}
