//! Views over a business case: an analyst's text table, JSON (DESIGN.md §5),
//! CSV, Markdown, an Excel workbook ([`xlsx`]), SVG charts ([`chart`]) and a
//! printable report ([`html`], or Markdown via [`markdown::report`]). Views
//! only read a [`BusinessCase`](crate::BusinessCase); amounts are rounded for
//! display here and nowhere else.
//!
//! Views for people come in English and Danish ([`Lang`]): labels, names
//! from the knowledge base, and numbers (1,234,567 DKK and 2.70; 1.234.567 kr.
//! and 2,70). The text table and Markdown views write "kr." in both languages,
//! as they always have. JSON is for programs and never changes; the Danish
//! CSV is for a spreadsheet with Danish settings (semicolons, decimal commas).
//!
//! From the command line:
//!
//! ```text
//! som run [SCENARIO] --lang da                          Danish table
//! som run [SCENARIO] --format xlsx --output case.xlsx   Excel workbook with formulas
//! som chart [SCENARIO] --kind cumulative|flows --output chart.svg
//! som report [SCENARIO] --lang da --output sag.html     printable HTML page
//! som report [SCENARIO] --format markdown --output case.md   plus three SVG charts beside it
//! ```

pub mod batch;
pub mod chart;
pub mod comparison;
pub mod csv;
mod document;
pub mod html;
pub mod json;
mod lang;
pub mod markdown;
mod narrative;
pub mod numbers;
pub mod package;
pub mod potential;
mod pretty_json;
pub mod sensitivity;
pub mod sheet;
pub mod simulation;
pub mod sweep;
pub mod table;
pub mod terminal;
#[cfg(feature = "xlsx")]
pub mod xlsx;

pub use batch::render as render_batch;
pub use batch::{render_report as render_batch_report, write_report as write_batch_report};
pub use comparison::render as render_comparison;
pub use lang::{Lang, UnknownLang};

use rust_decimal::Decimal;

use crate::KnowledgeBase;

/// An output format of `som run`, `som compare` and `som batch`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A readable text table.
    Table,
    /// JSON per DESIGN.md §5.
    Json,
    /// Yearly flows as CSV.
    Csv,
    /// Markdown for a memo.
    Markdown,
}

/// Renders a business case in a format, in English.
///
/// ```
/// use som::report::{render, Format};
/// let case = som::evaluate(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// assert!(render(&case, Format::Markdown).unwrap().starts_with("# "));
/// ```
pub fn render(case: &crate::BusinessCase, format: Format) -> Result<String, crate::CalcError> {
    Ok(match format {
        Format::Table => table::render(case),
        Format::Json => json::render(case),
        Format::Csv => csv::render(case),
        Format::Markdown => markdown::render(case),
    })
}

/// Renders a business case in a format and a language. The table and Markdown
/// views are labelled in `lang`, with names from `kb` in that language when it
/// is given; the Danish CSV is for a spreadsheet with Danish settings
/// ([`csv::render_in`]); JSON is for programs and does not change.
///
/// ```
/// use som::report::{render_in, Format, Lang};
/// let kb = som::KnowledgeBase::embedded();
/// let case = som::evaluate(&som::Scenario::example(), kb).unwrap();
/// let text = render_in(&case, Format::Table, Lang::Da, Some(kb)).unwrap();
/// assert!(text.contains("Nettonutidsværdi"));
/// ```
pub fn render_in(
    case: &crate::BusinessCase,
    format: Format,
    lang: Lang,
    kb: Option<&KnowledgeBase>,
) -> Result<String, crate::CalcError> {
    Ok(match format {
        Format::Table => table::render_in(case, lang, kb),
        Format::Json => json::render(case),
        Format::Csv => csv::render_in(case, lang, kb),
        Format::Markdown => markdown::render_in(case, lang, kb),
    })
}

/// The named discount schedule a case used, if any.
pub(crate) fn discount_schedule<'a>(
    case: &crate::BusinessCase,
    kb: &'a KnowledgeBase,
) -> Option<&'a crate::knowledge_base::DiscountSchedule> {
    // The case records "<English name> (<id>)" for a named schedule.
    kb.discount_schedules()
        .iter()
        .find(|s| case.context.discounting == format!("{} ({})", s.name.en, s.id))
}

/// Full precision, trailing zeros removed: "1", "0.9661835748792270531400966184".
pub fn exact(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Whole kroner with thousands separators, rounded half away from zero: "-1,234,568".
///
/// ```
/// use rust_decimal::Decimal;
/// assert_eq!(som::report::kroner(Decimal::new(-12345675, 1)), "-1,234,568");
/// assert_eq!(som::report::kroner(Decimal::new(-4, 1)), "0");
/// ```
pub fn kroner(d: Decimal) -> String {
    Lang::En.kroner(d)
}

/// A ratio or rate rounded to `dp` decimals, or "n/a" when there is none.
pub fn fixed(d: Option<Decimal>, dp: u32) -> String {
    Lang::En.fixed(d, dp)
}
