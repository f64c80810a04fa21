//! The Excel view: a live workbook, the business case as a spreadsheet model
//! an analyst can edit.
//!
//! Five sheets, laid out like the SØM workbook with the years as columns:
//!
//! - **Inputs**: every figure the calculation starts from, in yellow cells:
//!   the participants entering each year, the completion rate, the success
//!   and baseline rates (or the effect size they are converted from), the
//!   evidence adjustment's factors, persistence, the discount rates, each
//!   consequence line's prices per payer in their own price year with the
//!   PL-index factor and its profile year by year, and the costs.
//! - **Calculation**: completers and successes per cohort, the discount
//!   factors, and per consequence line the profile weighted by persistence,
//!   the quantities (docs/DESIGN.md §1.2-§1.4) and the gains.
//! - **Yearly flows**: costs, gains, net, discounted net and the cumulative per
//!   payer and year (§1.5-§1.7), and the gains by area.
//! - **Summary**: the present values, the ratios, both break-even figures,
//!   participants and successes (§1.8).
//! - With committees or grants, the kommune's side (docs/DESIGN.md §1.10,
//!   §1.11): the committee of every line, cost and grant and the grants'
//!   amounts are inputs; the Calculation sheet adds each line's gain to the
//!   kommune, and the Yearly flows sheet the kommune's gains, costs and
//!   financing by committee (`SUMIF` over the committee column) and each
//!   payer's financing and net with it, with their present values.
//! - **Sources**: each line's evidence grade, basis, note and sources, the
//!   effect's source and the discount schedule.
//!
//! Every figure on the last four sheets is a formula of the input cells, so
//! an edited input gives, after recalculation, what `som run` gives for the
//! edited scenario. A few things are the workbook's structure, not inputs,
//! and say so on the Inputs sheet: the horizon (the number of year columns),
//! which consequence lines and costs there are, whether a line applies to
//! successes or to participants, how long each profile is, and when a cost
//! falls for a cost per participant.
//!
//! Every formula also carries its value, computed by the engine, as the
//! cached result, so a reader that does not recalculate (or a program) sees
//! the same figures as Excel. Excel stores numbers as binary floating point:
//! the workbook holds the exact Decimal figures rounded to about 15
//! significant digits, which is far below an øre on any business case. The
//! JSON view is the exact record.
//!
//! A package ([`render_package`]) gets these sheets once per intervention,
//! numbered, after a total sheet whose figures are formulas of theirs; the
//! inputs the interventions share are kept once (see the `package` module),
//! and the package's grants are inputs of the total sheet (the `grants`
//! module).
//!
//! In Danish every text is Danish, including the cells formulas look up: a
//! line's area and committee are written by their Danish names (by their
//! ids in English), a grant from outside the public sector is `ekstern`.

mod calculation;
mod flows;
mod grants;
mod inputs;
mod kommune;
mod package;
mod sources;
mod summary;

pub use package::{arm_sheet_names, render_package, total_sheet_name, write_package};

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    ColNum, Color, DocProperties, ExcelDateTime, Format, FormatBorder, Formula, RowNum, Workbook,
    XlsxError, quote_sheet_name, row_col_to_cell,
};

use super::Lang;
use crate::model::Model;
use crate::{BusinessCase, KnowledgeBase, Scenario};

/// The workbook could not be built or written.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    /// The scenario could not be resolved or evaluated.
    #[error(transparent)]
    Case(#[from] crate::Error),
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

/// The sheet names in a language, in workbook order: inputs, calculation,
/// yearly flows, summary, sources.
///
/// ```
/// assert_eq!(som::report::xlsx::sheet_names(som::report::Lang::En)[2], "Yearly flows");
/// ```
pub fn sheet_names(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::En => [
            "Inputs",
            "Calculation",
            "Yearly flows",
            "Summary",
            "Sources",
        ],
        Lang::Da => ["Inddata", "Beregning", "Årlige strømme", "Resumé", "Kilder"],
    }
}

/// The business case of a scenario as a live .xlsx workbook, in memory.
///
/// ```
/// let kb = som::KnowledgeBase::embedded();
/// let bytes = som::report::xlsx::render(&som::Scenario::example(), kb, som::report::Lang::En).unwrap();
/// assert_eq!(&bytes[..2], b"PK"); // an .xlsx file is a zip archive
/// ```
pub fn render(
    scenario: &Scenario,
    kb: &KnowledgeBase,
    lang: Lang,
) -> Result<Vec<u8>, WorkbookError> {
    let case = crate::evaluate(scenario, kb)?;
    let adjusted = scenario.resolve(kb).map_err(crate::Error::from)?;
    // With an evidence adjustment the inputs are the figures before it, and
    // the adjustment's factors are inputs of their own, so that an analyst
    // sees (and can change) both.
    let plain = if adjusted.context.evidence.is_active() {
        Scenario {
            evidence_adjustment: None,
            ..scenario.clone()
        }
        .resolve(kb)
        .map_err(crate::Error::from)?
    } else {
        adjusted.clone()
    };
    let mut workbook = titled(&case.scenario)?;
    let names = sheet_names(lang).map(str::to_owned);
    let one = OneCase {
        case: &case,
        model: &plain,
        adjusted: &adjusted,
    };
    write_case(&mut workbook, &one, kb, lang, &names, None)?;
    Ok(workbook.save_to_buffer()?)
}

/// An empty workbook with `title` and a fixed creation time, so that the
/// same input gives the same bytes.
fn titled(title: &str) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    Ok(workbook)
}

/// One business case and the models it was computed from.
struct OneCase<'a> {
    case: &'a BusinessCase,
    /// The model before any evidence adjustment: the input cells.
    model: &'a Model,
    /// The model the engine ran on.
    adjusted: &'a Model,
}

/// Where one case's sheets keep the figures a package's total sheet sums.
struct CaseSheets {
    /// The quoted sheet names.
    names: [String; 5],
    flows: flows::FlowRows,
    summary: summary::SummaryRows,
    kommune: kommune::KommuneRows,
}

/// Appends one case's five sheets, named `names`, to `workbook` (after the
/// sheets already there). `shared` holds the inputs a package's earlier
/// interventions already carry (for a single scenario, none).
fn write_case(
    workbook: &mut Workbook,
    one: &OneCase,
    kb: &KnowledgeBase,
    lang: Lang,
    names: &[String; 5],
    shared: Option<&mut inputs::Shared>,
) -> Result<CaseSheets, WorkbookError> {
    // The scenario's local services are named and cited like the knowledge base's.
    let extended = kb.with_local(&one.case.context);
    let book = Book {
        case: one.case,
        model: one.model,
        adjusted: one.adjusted,
        kb: &extended,
        lang,
        names: names.clone().map(|n| quote_sheet_name(&n)),
        first_sheet: workbook.worksheets().len(),
        in_package: shared.is_some(),
        f: Formats::new(lang),
    };
    let cells = inputs::write(workbook.add_worksheet().set_name(&names[0])?, &book, shared)?;
    let calc = calculation::write(workbook.add_worksheet().set_name(&names[1])?, &book, &cells)?;
    let rows = flows::yearly(
        workbook.add_worksheet().set_name(&names[2])?,
        &book,
        &cells,
        &calc,
    )?;
    let summary = summary::write(
        workbook.add_worksheet().set_name(&names[3])?,
        &book,
        &cells,
        &calc,
        &rows,
    )?;
    sources::write(workbook.add_worksheet().set_name(&names[4])?, &book)?;
    let kommune = kommune::write(workbook, &book, &cells, &calc, &rows)?;
    Ok(CaseSheets {
        names: book.names,
        flows: rows,
        summary,
        kommune,
    })
}

/// Writes the business case of a scenario as a live .xlsx workbook to `path`.
pub fn write(
    scenario: &Scenario,
    kb: &KnowledgeBase,
    lang: Lang,
    path: &Path,
) -> Result<(), WorkbookError> {
    let bytes = render(scenario, kb, lang)?;
    std::fs::write(path, bytes).map_err(|source| WorkbookError::Write {
        path: path.to_owned(),
        source,
    })
}

/// Everything the sheets are written from.
struct Book<'a> {
    /// The engine's result, for the cached values.
    case: &'a BusinessCase,
    /// The model before any evidence adjustment: the input cells.
    model: &'a Model,
    /// The model the engine ran on (adjusted when an adjustment was asked for).
    adjusted: &'a Model,
    kb: &'a KnowledgeBase,
    lang: Lang,
    /// The sheet names, quoted for formulas.
    names: [String; 5],
    /// The index of the first of the case's sheets in the workbook.
    first_sheet: usize,
    /// Whether the case is an intervention of a package, whose grants are
    /// the package's (on its total sheet), not the intervention's.
    in_package: bool,
    f: Formats,
}

impl Book<'_> {
    fn l<'s>(&self, en: &'s str, da: &'s str) -> &'s str {
        self.lang.pick(en, da)
    }

    fn horizon(&self) -> usize {
        self.model.horizon_years
    }
}

/// The text a line's area is written with in the Inputs sheet's area
/// column, and looked up by (`SUMIF`) on the Yearly flows sheet: its id in
/// English, as the English views show areas, its Danish name in Danish.
fn area_text(id: &str, kb: &KnowledgeBase, lang: Lang) -> String {
    lang.area(id, Some(kb))
}

/// The text a committee is written with in the kommune's input cells, and
/// looked up by: its id in English, its Danish name in Danish ("-" for
/// none). An analyst who moves a line to another committee types that text.
fn committee_text(case: &BusinessCase, id: Option<&str>, lang: Lang) -> String {
    match (lang, id) {
        (Lang::En, Some(id)) => id.to_owned(),
        (Lang::En, None) => "-".to_owned(),
        (Lang::Da, id) => super::document::committee_name(case, id, lang),
    }
}

/// The text a grant's funder is written with: the payer ids `stat` and
/// `region` (Danish words, which the financing formulas look up) and, for
/// money from outside the public sector, `outside` in English and `ekstern`
/// in Danish.
fn funder_text(from: crate::model::Funder, lang: Lang) -> &'static str {
    match from {
        crate::model::Funder::Outside => lang.pick("outside", "ekstern"),
        other => other.id(),
    }
}

/// `text` as a formula's `SUMIF` criterion that matches it exactly: in
/// quotes (a quote doubled), Excel's wildcards `*` and `?` and its escape
/// `~` escaped by `~`.
fn criterion(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\"\""),
            '*' | '?' | '~' => {
                out.push('~');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The column of year t on every sheet with years as columns.
fn year_col(t: usize) -> ColNum {
    1 + t as ColNum
}

/// A cell on another sheet, e.g. `Inputs!B7`.
fn on(sheet: &str, row: RowNum, col: ColNum) -> String {
    format!("{sheet}!{}", row_col_to_cell(row, col))
}

/// A range on another sheet, e.g. `Inputs!B7:K7`.
fn range_on(sheet: &str, first: (RowNum, ColNum), last: (RowNum, ColNum)) -> String {
    format!(
        "{sheet}!{}:{}",
        row_col_to_cell(first.0, first.1),
        row_col_to_cell(last.0, last.1)
    )
}

/// A range on the same sheet, e.g. `B7:K7`.
fn range(first: (RowNum, ColNum), last: (RowNum, ColNum)) -> String {
    format!(
        "{}:{}",
        row_col_to_cell(first.0, first.1),
        row_col_to_cell(last.0, last.1)
    )
}

fn num(d: Decimal) -> f64 {
    // Every Decimal has an f64 approximation; the fallback is unreachable.
    d.to_f64().unwrap_or(0.0)
}

/// A formula with its value as the cached result.
fn formula(text: String, value: f64) -> Formula {
    Formula::new(text).set_result(value.to_string())
}

/// A formula whose cached result is a text (e.g. "n/a").
fn text_formula(text: String, value: &str) -> Formula {
    Formula::new(text).set_result(value)
}

struct Formats {
    money: Format,
    money_bold: Format,
    percent: Format,
    factor: Format,
    quantity: Format,
    ratio: Format,
    bold: Format,
    heading: Format,
    wrap: Format,
    input: Format,
    input_money: Format,
    input_percent: Format,
    input_factor: Format,
    input_quantity: Format,
}

impl Formats {
    fn new(lang: Lang) -> Formats {
        // The separators follow the reader's Excel locale; the unit follows the report.
        let unit = lang.pick("DKK", "kr.");
        let money = format!("#,##0 \"{unit}\";-#,##0 \"{unit}\"");
        let input = || {
            Format::new()
                .set_background_color(Color::RGB(0xFFF2CC))
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0xBF9000))
        };
        Formats {
            money: Format::new().set_num_format(&money),
            money_bold: Format::new().set_num_format(&money).set_bold(),
            percent: Format::new().set_num_format("0.0%"),
            factor: Format::new().set_num_format("0.000000"),
            quantity: Format::new().set_num_format("#,##0.00"),
            ratio: Format::new().set_num_format("0.00"),
            bold: Format::new().set_bold(),
            heading: Format::new().set_bold().set_font_size(14),
            wrap: Format::new().set_text_wrap(),
            input: input(),
            input_money: input().set_num_format(&money),
            input_percent: input().set_num_format("0.0%"),
            input_factor: input().set_num_format("0.000000"),
            input_quantity: input().set_num_format("#,##0.00"),
        }
    }
}
