//! The ratio of two price-index values (DESIGN.md §1.4), kept as an exact
//! fraction and applied as "multiply, then divide", so a price in the
//! scenario's own price year, or an index step forward in time, introduces
//! no rounding at all.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{CalcError, Checked};

/// index(to) / index(from) as an exact fraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct IndexFactor {
    /// The numerator.
    pub numerator: Decimal,
    /// The denominator (never zero).
    pub denominator: Decimal,
}

impl IndexFactor {
    /// No conversion: the price is already in the scenario's price year.
    pub const ONE: IndexFactor = IndexFactor {
        numerator: Decimal::ONE,
        denominator: Decimal::ONE,
    };

    /// The factor as one (possibly rounded) number, for reports.
    pub fn value(&self) -> Result<Decimal, CalcError> {
        self.numerator.over(self.denominator, "price index factor")
    }

    /// Applies the factor to an amount: amount · numerator / denominator.
    pub fn apply(&self, amount: Decimal) -> Result<Decimal, CalcError> {
        if self.denominator == Decimal::ONE {
            return amount.times(self.numerator, "price index conversion");
        }
        amount
            .times(self.numerator, "price index conversion")?
            .over(self.denominator, "price index conversion")
    }
}
