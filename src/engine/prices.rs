//! From quantities to kroner per payer (DESIGN.md §1.4):
//!
//! ```text
//! V_p(t) = Q(t) · price_p · index(price year of the scenario) / index(price year of the price)
//! ```
//!
//! The index ratio is kept as an exact fraction and applied as "multiply,
//! then divide", so a price in the scenario's own price year, or an index
//! step forward in time, introduces no rounding at all.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{CalcError, Exact};
use crate::payer::PayerAmounts;

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

/// V_p = Q · price_p · factor for every payer.
///
/// ```
/// use rust_decimal::Decimal;
/// use som::engine::prices::{value, IndexFactor};
/// use som::PayerAmounts;
/// let price = PayerAmounts { kommune: Decimal::from(100), region: Decimal::ZERO, stat: Decimal::from(50) };
/// let v = value(Decimal::from(-3), &price, &IndexFactor::ONE).unwrap();
/// assert_eq!(v.kommune, Decimal::from(-300));
/// assert_eq!(v.stat, Decimal::from(-150));
/// ```
pub fn value(
    quantity: Decimal,
    price: &PayerAmounts,
    factor: &IndexFactor,
) -> Result<PayerAmounts, CalcError> {
    price.try_map(|p| factor.apply(quantity.times(p, "value of a quantity change")?))
}

/// The unit price in the scenario's price year, for reports.
pub fn converted(price: &PayerAmounts, factor: &IndexFactor) -> Result<PayerAmounts, CalcError> {
    price.try_map(|p| factor.apply(p))
}
