//! Discount schedules as steps of constant rates, and the rate r_t they give
//! each year (DESIGN.md §1.7). The discount factors themselves are the
//! engine's ([`crate::engine::discounting`]).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One step of a discount schedule: `rate` for years `from_year ..= to_year`
/// (open-ended when `to_year` is absent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscountStep {
    /// The first year index t the rate applies to.
    pub from_year: usize,
    /// The last year index, or none for every later year.
    #[serde(default)]
    pub to_year: Option<usize>,
    /// The annual real rate.
    pub rate: Decimal,
}

/// r_t for t = 0 .. horizon-1 from a step schedule. Steps are checked to be
/// contiguous from year 0 and open-ended when the knowledge base is loaded;
/// a year no step covers gets the last step's rate.
///
/// ```
/// use rust_decimal::Decimal;
/// use som::model::discount::{rates_from_steps, DiscountStep};
/// let steps = [
///     DiscountStep { from_year: 0, to_year: Some(1), rate: Decimal::new(4, 2) },
///     DiscountStep { from_year: 2, to_year: None, rate: Decimal::new(3, 2) },
/// ];
/// assert_eq!(rates_from_steps(&steps, 3)[2], Decimal::new(3, 2));
/// ```
pub fn rates_from_steps(steps: &[DiscountStep], horizon: usize) -> Vec<Decimal> {
    (0..horizon)
        .map(|t| {
            steps
                .iter()
                .find(|s| t >= s.from_year && s.to_year.is_none_or(|to| t <= to))
                .or(steps.last())
                .map_or(Decimal::ZERO, |s| s.rate)
        })
        .collect()
}
