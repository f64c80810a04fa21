// Why this file is over 500 lines: it writes the one sheet every formula of
// the workbook refers to; each block's cell positions are read by the other
// sheets, so they stay in one file.

//! The Inputs sheet: every figure the calculation starts from, in yellow
//! cells an analyst edits, and the few figures that are the workbook's
//! structure, marked as such.

use rust_decimal::Decimal;
use rust_xlsxwriter::{ColNum, Format, RowNum, Worksheet, XlsxError, row_col_to_cell};

use super::super::Lang;
use super::{Book, formula, num, on, year_col};
use crate::model::{AppliesTo, CostKind};

/// The lines table's columns.
const LINE_ID: ColNum = 0;
pub(super) const LINE_AREA: ColNum = 2;
const LINE_APPLIES: ColNum = 3;
const LINE_KEPT: ColNum = 6;
const LINE_PRICE: ColNum = 7; // kommune, region, stat
const LINE_PRICE_YEAR: ColNum = 10;
const LINE_FACTOR: ColNum = 11;
/// The unit price per payer in the scenario's price year (formulas).
pub(super) const LINE_UNIT_PRICE: ColNum = 12; // kommune, region, stat
pub(super) const LINE_PRICE_TOTAL: ColNum = 15;
const LINE_PROFILE: ColNum = 16;

/// The costs table's columns.
const COST_FROM: ColNum = 2;
const COST_TO: ColNum = 3;
const COST_AMOUNT: ColNum = 4;
pub(super) const COST_PAYER: ColNum = 5;
const COST_GRADE: ColNum = 6;

/// Where the Inputs sheet keeps each input, for the formulas of the other sheets.
pub(super) struct InputCells {
    /// The quoted sheet name.
    pub sheet: String,
    /// The net success rate s (a formula of p1, p0 and the design factor).
    pub net_rate: String,
    pub completion: String,
    pub lag: String,
    pub duration: String,
    pub decay: String,
    pub year_row: RowNum,
    pub participants_row: RowNum,
    pub rate_row: RowNum,
    /// The first row of the lines table (one row per line).
    pub first_line: RowNum,
    /// The first row of the costs table (one row per cost).
    pub first_cost: RowNum,
}

impl InputCells {
    /// A cell of this sheet, named for a formula on another sheet.
    pub fn at(&self, row: RowNum, col: ColNum) -> String {
        on(&self.sheet, row, col)
    }

    /// The profile of line `i`, for `INDEX`.
    pub fn profile(&self, i: usize, len: usize) -> String {
        let row = self.first_line + i as RowNum;
        super::range_on(
            &self.sheet,
            (row, LINE_PROFILE),
            (row, LINE_PROFILE + len.max(1) as ColNum - 1),
        )
    }

    /// Line `i`'s share kept after the optimism bias.
    pub fn kept(&self, i: usize) -> String {
        self.at(self.first_line + i as RowNum, LINE_KEPT)
    }

    /// Cost `i`'s first year, last year and amount.
    pub fn cost(&self, i: usize) -> (String, String, String) {
        let row = self.first_cost + i as RowNum;
        (
            self.at(row, COST_FROM),
            self.at(row, COST_TO),
            self.at(row, COST_AMOUNT),
        )
    }
}

/// The inputs a package's interventions share (docs/DESIGN.md §4.1), kept
/// once: the first intervention's Inputs sheet holds the first year and the
/// discount rates, and the first sheet with a line on a service holds that
/// service's prices and index factor, in yellow; a later intervention's
/// cells are formulas that refer to them, so one edit changes every
/// intervention, as an edit of the package file would.
#[derive(Default)]
pub(super) struct Shared {
    /// The first year's cell and the discount rates' sheet and row.
    years: Option<SharedYears>,
    prices: Vec<SharedPrice>,
}

struct SharedYears {
    start_year: i32,
    start_cell: String,
    rates: Vec<Decimal>,
    sheet: String,
    rate_row: RowNum,
}

struct SharedPrice {
    service: String,
    /// The prices by payer, their price year and index factor, as the
    /// model holds them: a later line refers to these cells only when its
    /// own figures are the same.
    figures: ([Decimal; 3], i32, Decimal, Decimal),
    sheet: String,
    row: RowNum,
}

pub(super) fn write(
    ws: &mut Worksheet,
    b: &Book,
    mut shared: Option<&mut Shared>,
) -> Result<InputCells, XlsxError> {
    let (m, case, f) = (b.model, b.case, &b.f);
    let ctx = &b.adjusted.context;
    ws.set_column_width(0, 44)?;
    ws.set_column_width(1, 30)?;
    for c in 2..=(LINE_PROFILE + 100) {
        ws.set_column_width(c, 13)?;
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
    ws.write_string_with_format(
        1,
        0,
        b.l("Input (edit it)", "Inddata (kan ændres)"),
        &f.input,
    )?;
    ws.write_string(
        1,
        1,
        b.l(
            "Yellow cells are the inputs: change one and the workbook recalculates. Every other figure is a formula.",
            "Gule celler er inddata: ændr én, og projektmappen regner igen. Alle andre tal er formler.",
        ),
    )?;

    let mut row: RowNum = 3;
    let effect = match (&ctx.effect.study, ctx.effect.value) {
        (Some(study), _) => format!("{} {study}", b.l("study", "studie")),
        (None, Some(v)) => format!("{} {}", b.lang.effect_kind(&ctx.effect.kind), v.normalize()),
        (None, None) => b
            .l("rates given in the scenario", "andele angivet i scenariet")
            .to_owned(),
    };
    let texts: [(&str, String); 7] = [
        (
            b.l("Target group (målgruppe)", "Målgruppe"),
            format!(
                "{} ({})",
                b.lang.target_group(case, Some(b.kb)),
                ctx.target_group
            ),
        ),
        (
            b.l("Success measure (succesmål)", "Succesmål"),
            format!(
                "{} ({})",
                b.lang.success_measure(case, Some(b.kb)),
                ctx.success_measure
            ),
        ),
        (b.l("Effect", "Effekt"), effect),
        (
            b.l("Persistence", "Effektens varighed"),
            b.lang.persistence(case),
        ),
        (
            b.l("Discounting", "Diskontering"),
            b.lang.discounting(case, Some(b.kb)),
        ),
        (
            b.l("Knowledge base version", "Vidensgrundlagets version"),
            ctx.knowledge_base_version.clone(),
        ),
        (
            b.l("Knowledge base sha256", "Vidensgrundlagets sha256"),
            ctx.knowledge_base_hash.clone(),
        ),
    ];
    for (label, value) in texts {
        ws.write_string_with_format(row, 0, label, &f.bold)?;
        ws.write_string(row, 1, value)?;
        row += 1;
    }
    if let Some(text) = b.lang.dated_splits(case) {
        ws.write_string_with_format(
            row,
            0,
            b.l("Refund rules by date", "Refusionsregler efter dato"),
            &f.bold,
        )?;
        ws.write_string(row, 1, text)?;
        row += 1;
    }
    row += 1;

    // Scalars: label in A, value in B, a note in C.
    let structure = b.l(
        "structure: change it in the scenario and run som again",
        "struktur: ændr den i scenariet, og kør som igen",
    );
    let sheet = &b.names[0];
    // The value cell of row r, named for formulas on any sheet.
    let cell = |r: RowNum| on(sheet, r, 1);
    let label = |ws: &mut Worksheet, r: RowNum, text: &str| {
        ws.write_string_with_format(r, 0, text, &f.bold).map(|_| ())
    };

    label(ws, row, b.l("First year", "Første år"))?;
    let years = shared
        .as_deref()
        .and_then(|s| s.years.as_ref())
        .filter(|y| y.start_year == m.start_year && y.rates == m.discount_rates);
    match years {
        Some(y) => {
            ws.write_formula(
                row,
                1,
                formula(format!("={}", y.start_cell), f64::from(m.start_year)),
            )?;
            ws.write_string(
                row,
                2,
                b.l(
                    "shared by the package, as are the discount rates below: formulas of the first intervention's inputs, edit them there",
                    "fælles for pakken, ligesom diskonteringsrenterne nedenfor: formler af den første indsats' inddata, ændr dem dér",
                ),
            )?;
        }
        None => {
            ws.write_number_with_format(row, 1, f64::from(m.start_year), &f.input)?;
        }
    }
    let start_year = cell(row);
    row += 1;
    label(ws, row, b.l("Horizon (years)", "Tidshorisont (år)"))?;
    ws.write_number(row, 1, m.horizon_years as f64)?;
    ws.write_string(row, 2, structure)?;
    row += 1;
    label(ws, row, b.l("Price year", "Prisår"))?;
    ws.write_number(row, 1, f64::from(m.price_year))?;
    ws.write_string(
        row,
        2,
        b.l(
            "the unit prices below are brought to this year by their index factors",
            "enhedspriserne nedenfor føres til dette år med deres indeksfaktorer",
        ),
    )?;
    row += 2;

    // The effect: the success rate p1 given, or converted from an effect size.
    let p0_row = row + 1;
    let p1 = num(m.success_rate);
    let p0 = num(m.baseline_rate);
    match (ctx.effect.kind.as_str(), ctx.effect.value) {
        (kind, Some(value)) if kind != "rates" => {
            let p0_cell = row_col_to_cell(p0_row, 1);
            let v_row = row + 2;
            let v = row_col_to_cell(v_row, 1);
            // docs/DESIGN.md §1.2: the effect size converted from the baseline p0.
            let text = match kind {
                "percentage_points" => format!("={p0_cell}+{v}"),
                "relative_risk" => format!("={p0_cell}*{v}"),
                "odds_ratio" => format!("={v}*{p0_cell}/(1-{p0_cell}+{v}*{p0_cell})"),
                _ => format!(
                    "=EXP({v}*PI()/SQRT(3))*{p0_cell}/(1-{p0_cell}+EXP({v}*PI()/SQRT(3))*{p0_cell})"
                ),
            };
            label(ws, row, b.l("Success rate (p1)", "Succesrate (p1)"))?;
            ws.write_formula_with_format(row, 1, formula(text, p1), &f.percent)?;
            ws.write_string(
                row,
                2,
                b.l(
                    "converted from the effect size below",
                    "omregnet fra effektstørrelsen nedenfor",
                ),
            )?;
            label(
                ws,
                v_row,
                &format!(
                    "{} ({})",
                    b.l("Effect size", "Effektstørrelse"),
                    b.lang.effect_kind(kind)
                ),
            )?;
            ws.write_number_with_format(v_row, 1, num(value), &f.input_factor)?;
        }
        _ => {
            label(ws, row, b.l("Success rate (p1)", "Succesrate (p1)"))?;
            ws.write_number_with_format(row, 1, p1, &f.input_percent)?;
        }
    }
    label(ws, p0_row, b.l("Baseline rate (p0)", "Basisrate (p0)"))?;
    ws.write_number_with_format(p0_row, 1, p0, &f.input_percent)?;
    row += 3;

    let evidence = &ctx.evidence;
    label(
        ws,
        row,
        b.l(
            "Design factor of the effect study (evidence adjustment)",
            "Designfaktor for effektstudiet (evidensjustering)",
        ),
    )?;
    let design_factor = evidence.effect_factor.unwrap_or(Decimal::ONE);
    ws.write_number_with_format(row, 1, num(design_factor), &f.input_factor)?;
    ws.write_string(row, 2, b.l("1 = no adjustment", "1 = ingen justering"))?;
    let factor_cell = cell(row);
    row += 1;
    label(
        ws,
        row,
        b.l(
            "Net success rate (s = (p1 - p0) x design factor)",
            "Netto-succesrate (s = (p1 - p0) x designfaktor)",
        ),
    )?;
    ws.write_formula_with_format(
        row,
        1,
        formula(
            format!(
                "=({}-{})*{factor_cell}",
                row_col_to_cell(p0_row - 1, 1),
                row_col_to_cell(p0_row, 1)
            ),
            num(case.net_success_rate),
        ),
        &f.percent,
    )?;
    let net_rate = cell(row);
    row += 1;
    label(
        ws,
        row,
        b.l("Completion rate (c)", "Gennemførelsesrate (c)"),
    )?;
    ws.write_number_with_format(row, 1, num(m.completion_rate), &f.input_percent)?;
    let completion = cell(row);
    row += 1;
    label(ws, row, b.l("Effect lag (years)", "Effektforsinkelse (år)"))?;
    ws.write_number_with_format(row, 1, m.effect_lag_years as f64, &f.input)?;
    let lag = cell(row);
    row += 1;
    label(
        ws,
        row,
        b.l("Persistence: duration (years)", "Varighed af effekten (år)"),
    )?;
    match m.persistence.duration_years {
        Some(d) => ws.write_number_with_format(row, 1, d as f64, &f.input)?,
        None => ws.write_blank(row, 1, &f.input)?,
    };
    ws.write_string(
        row,
        2,
        b.l(
            "empty = as long as each profile",
            "tom = så længe som hver profil",
        ),
    )?;
    let duration = cell(row);
    row += 1;
    label(
        ws,
        row,
        b.l("Persistence: annual decay", "Årligt henfald af effekten"),
    )?;
    ws.write_number_with_format(row, 1, num(m.persistence.annual_decay), &f.input_percent)?;
    let decay = cell(row);
    row += 2;

    // The years: participants entering and discount rates.
    let year_row = row;
    let participants_row = row + 1;
    let rate_row = row + 2;
    label(ws, year_row, b.l("Year", "År"))?;
    label(
        ws,
        participants_row,
        b.l("Participants entering (n)", "Deltagere, der starter (n)"),
    )?;
    label(
        ws,
        rate_row,
        b.l(
            "Discount rate r(t), from the second year",
            "Diskonteringsrente r(t), fra andet år",
        ),
    )?;
    for t in 0..b.horizon() {
        let c = year_col(t);
        let year = f64::from(m.start_year) + t as f64;
        ws.write_formula_with_format(
            year_row,
            c,
            formula(format!("={start_year}+{t}"), year),
            &f.bold,
        )?;
        ws.write_number_with_format(
            participants_row,
            c,
            num(m.participants[t]),
            &f.input_quantity,
        )?;
        if t > 0 {
            match years {
                Some(y) => ws.write_formula_with_format(
                    rate_row,
                    c,
                    formula(
                        format!("={}", on(&y.sheet, y.rate_row, c)),
                        num(m.discount_rates[t]),
                    ),
                    &f.percent,
                )?,
                None => ws.write_number_with_format(
                    rate_row,
                    c,
                    num(m.discount_rates[t]),
                    &f.input_percent,
                )?,
            };
        }
    }
    if let Some(s) = shared.as_deref_mut()
        && s.years.is_none()
    {
        s.years = Some(SharedYears {
            start_year: m.start_year,
            start_cell: start_year.clone(),
            rates: m.discount_rates.clone(),
            sheet: sheet.clone(),
            rate_row,
        });
    }
    row = rate_row + 2;

    // The consequence lines.
    ws.write_string_with_format(
        row,
        0,
        b.l("Consequence lines", "Konsekvenslinjer"),
        &f.heading,
    )?;
    ws.write_string(
        row,
        1,
        b.l(
            "A line per service: which lines there are, whom they apply to and how long each profile is are the workbook's structure.",
            "En linje pr. ydelse: hvilke linjer der er, hvem de gælder, og hvor lang hver profil er, er projektmappens struktur.",
        ),
    )?;
    row += 1;
    let max_profile = m.lines.iter().map(|l| l.profile.len()).max().unwrap_or(0);
    let mut headers: Vec<String> = [
        b.l("Service id", "Ydelses-id"),
        b.l("Consequence", "Konsekvens"),
        b.l("Area", "Område"),
        b.l("Per", "Pr."),
        b.l("Unit", "Enhed"),
        b.l("Grade", "Evidensgrad"),
        b.l(
            "Kept share (1 - optimism bias)",
            "Andel tilbage (1 - optimismetillæg)",
        ),
        b.l("Price kommune", "Pris kommune"),
        b.l("Price region", "Pris region"),
        b.l("Price stat", "Pris stat"),
        b.l("Price year of the prices", "Prisernes prisår"),
        b.l("PL-index factor", "PL-indeksfaktor"),
        b.l("Unit price kommune", "Enhedspris kommune"),
        b.l("Unit price region", "Enhedspris region"),
        b.l("Unit price stat", "Enhedspris stat"),
        b.l("Unit price total", "Enhedspris i alt"),
    ]
    .map(str::to_owned)
    .to_vec();
    for k in 0..max_profile {
        headers.push(format!("{} {}", b.l("Year", "År"), k + 1));
    }
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(row, c as ColNum, h, &f.bold)?;
    }
    row += 1;
    let first_line = row;
    let mut linked_lines: Vec<&str> = Vec::new();
    for (i, (line, result)) in m.lines.iter().zip(&case.lines).enumerate() {
        let r = first_line + i as RowNum;
        ws.write_string(r, LINE_ID, &*line.service)?;
        ws.write_string(r, 1, b.lang.service_marked(case, result, Some(b.kb)))?;
        ws.write_string(r, LINE_AREA, super::area_text(&line.area, b.kb, b.lang))?;
        ws.write_string(
            r,
            LINE_APPLIES,
            match line.applies_to {
                AppliesTo::Successes => b.l("successes", "succeser"),
                AppliesTo::Participants => b.l("participants", "deltagere"),
            },
        )?;
        ws.write_string(r, 4, b.lang.unit(result, Some(b.kb)))?;
        match line.grade {
            Some(g) => ws.write_number(r, 5, f64::from(g))?,
            None => ws.write_string(r, 5, "-")?,
        };
        let bias = evidence
            .lines
            .get(i)
            .and_then(|a| a.optimism_bias)
            .unwrap_or(Decimal::ZERO);
        ws.write_number_with_format(r, LINE_KEPT, num(Decimal::ONE - bias), &f.input_percent)?;
        let factor = num(line.index_factor.numerator) / num(line.index_factor.denominator);
        ws.write_number_with_format(r, LINE_PRICE_YEAR, f64::from(line.price_year), &f.bold)?;
        let figures = (
            [
                line.unit_price.kommune,
                line.unit_price.region,
                line.unit_price.stat,
            ],
            line.price_year,
            line.index_factor.numerator,
            line.index_factor.denominator,
        );
        // A price an earlier intervention of the package already holds.
        let earlier = shared.as_deref().and_then(|s| {
            s.prices
                .iter()
                .find(|p| *p.service == *line.service && p.figures == figures)
                .map(|p| (p.sheet.clone(), p.row))
        });
        let input = |ws: &mut Worksheet, col: ColNum, value: f64, own: &Format, linked: &Format| {
            match &earlier {
                Some((sheet, row)) => ws.write_formula_with_format(
                    r,
                    col,
                    formula(format!("={}", on(sheet, *row, col)), value),
                    linked,
                ),
                None => ws.write_number_with_format(r, col, value, own),
            }
            .map(|_| ())
        };
        input(ws, LINE_FACTOR, factor, &f.input_factor, &f.factor)?;
        let payers = [
            (line.unit_price.kommune, result.unit_price.kommune),
            (line.unit_price.region, result.unit_price.region),
            (line.unit_price.stat, result.unit_price.stat),
        ];
        for (j, (price, converted)) in payers.into_iter().enumerate() {
            let j = j as ColNum;
            input(ws, LINE_PRICE + j, num(price), &f.input_money, &f.money)?;
            // docs/DESIGN.md §1.4: price × index(P) / index(price year).
            let text = format!(
                "={}*{}",
                row_col_to_cell(r, LINE_PRICE + j),
                row_col_to_cell(r, LINE_FACTOR)
            );
            ws.write_formula_with_format(
                r,
                LINE_UNIT_PRICE + j,
                formula(text, num(converted)),
                &f.money,
            )?;
        }
        match (earlier, shared.as_deref_mut()) {
            (Some(_), _) => linked_lines.push(&*line.service),
            (None, Some(s)) => s.prices.push(SharedPrice {
                service: line.service.to_string(),
                figures,
                sheet: sheet.clone(),
                row: r,
            }),
            (None, None) => {}
        }
        let text = format!(
            "=SUM({}:{})",
            row_col_to_cell(r, LINE_UNIT_PRICE),
            row_col_to_cell(r, LINE_UNIT_PRICE + 2)
        );
        ws.write_formula_with_format(
            r,
            LINE_PRICE_TOTAL,
            formula(text, num(result.unit_price.total)),
            &f.money,
        )?;
        for (k, q) in line.profile.iter().enumerate() {
            ws.write_number_with_format(r, LINE_PROFILE + k as ColNum, num(*q), &f.input_quantity)?;
        }
    }
    row = first_line + m.lines.len() as RowNum;
    if !linked_lines.is_empty() {
        ws.write_string(
            row,
            1,
            format!("{}: {}", linked_lines.join(", "), from_earlier(b)),
        )?;
        row += 1;
    }
    row += 1;

    // The costs.
    ws.write_string_with_format(
        row,
        0,
        b.l("Costs of the intervention", "Indsatsens omkostninger"),
        &f.heading,
    )?;
    ws.write_string(
        row,
        1,
        b.l(
            "Years are counted from 0 (the first year). Which costs there are, their kind and the length of a course are the workbook's structure; payer is kommune, region or stat.",
            "År tælles fra 0 (første år). Hvilke omkostninger der er, deres art og et forløbs længde er projektmappens struktur; betaler er kommune, region eller stat.",
        ),
    )?;
    row += 1;
    for (c, h) in [
        b.l("Cost", "Omkostning"),
        b.l("Kind", "Art"),
        b.l("First year (t)", "Første år (t)"),
        b.l("Last year (t)", "Sidste år (t)"),
        b.l("Amount", "Beløb"),
        b.l("Payer", "Betaler"),
        b.l("Grade", "Evidensgrad"),
    ]
    .into_iter()
    .enumerate()
    {
        ws.write_string_with_format(row, c as ColNum, h, &f.bold)?;
    }
    row += 1;
    let first_cost = row;
    for (i, cost) in m.costs.iter().enumerate() {
        let r = first_cost + i as RowNum;
        ws.write_string(r, 0, &*cost.label)?;
        let (kind, years) = match cost.kind {
            CostKind::OneOff { year } => (b.l("once", "én gang").to_owned(), Some((year, year))),
            CostKind::PerYear { from_year, to_year } => (
                b.l("every year", "hvert år").to_owned(),
                Some((from_year, to_year)),
            ),
            CostKind::PerParticipant { years: 1 } => (
                b.l(
                    "per participant, in the entry year",
                    "pr. deltager, i startåret",
                )
                .to_owned(),
                None,
            ),
            CostKind::PerParticipant { years } => (
                match b.lang {
                    Lang::En => {
                        format!("per participant, every year for {years} years from entry")
                    }
                    Lang::Da => format!("pr. deltager, hvert år i {years} år fra startåret"),
                },
                None,
            ),
        };
        ws.write_string(r, 1, kind)?;
        if let Some((from, to)) = years {
            ws.write_number_with_format(r, COST_FROM, from as f64, &f.input)?;
            if matches!(cost.kind, CostKind::PerYear { .. }) {
                ws.write_number_with_format(r, COST_TO, to as f64, &f.input)?;
            }
        }
        ws.write_number_with_format(r, COST_AMOUNT, num(cost.amount), &f.input_money)?;
        ws.write_string_with_format(r, COST_PAYER, cost.payer.id(), &f.input)?;
        match cost.grade {
            Some(g) => ws.write_number(r, COST_GRADE, f64::from(g))?,
            None => ws.write_string(r, COST_GRADE, "-")?,
        };
    }

    Ok(InputCells {
        sheet: sheet.clone(),
        net_rate,
        completion,
        lag,
        duration,
        decay,
        year_row,
        participants_row,
        rate_row,
        first_line,
        first_cost,
    })
}

/// The note beside a cell that refers to an earlier intervention's input.
fn from_earlier(b: &Book) -> &'static str {
    b.l(
        "shared by the package: a formula of the earlier intervention's input, edit it there",
        "fælles for pakken: en formel af den tidligere indsats' inddata, ændr den dér",
    )
}
