//! Views over a business case: an analyst's text table, JSON (DESIGN.md §5),
//! CSV and Markdown. Views only read a [`BusinessCase`](crate::BusinessCase);
//! amounts are rounded for display here and nowhere else.

pub mod batch;
pub mod comparison;
pub mod csv;
mod document;
pub mod json;
pub mod markdown;
pub mod table;

use rust_decimal::{Decimal, RoundingStrategy};

pub use batch::render as render_batch;
pub use comparison::render as render_comparison;

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

/// Renders a business case in a format.
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
    let rounded = d
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    let digits = rounded.abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if rounded.is_sign_negative() && !rounded.is_zero() {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// A ratio or rate rounded to `dp` decimals, or "n/a" when there is none.
pub fn fixed(d: Option<Decimal>, dp: u32) -> String {
    d.map_or_else(
        || "n/a".to_owned(),
        |d| {
            format!(
                "{:.*}",
                dp as usize,
                d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
            )
        },
    )
}
