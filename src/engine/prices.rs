//! From quantities to kroner per payer (DESIGN.md §1.4):
//!
//! ```text
//! V_p(t) = Q(t) · price_p · index(price year of the scenario) / index(price year of the price)
//! ```
//!
//! The index ratio is kept as an exact fraction and applied as "multiply,
//! then divide", so a price in the scenario's own price year, or an index
//! step forward in time, introduces no rounding at all.

use crate::model::{CalcError, Checked, IndexFactor, PayerAmounts};
use rust_decimal::Decimal;

/// V_p = Q · price_p · factor for every payer.
///
/// ```
/// use rust_decimal::Decimal;
/// use som::engine::prices::value;
/// use som::model::IndexFactor;
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
