//! Discount factors (DESIGN.md §1.7): DF(0) = 1, DF(t) = DF(t-1) / (1 + r_t).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{CalcError, Exact};

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
/// use som::engine::discounting::{rates_from_steps, DiscountStep};
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

/// DF(t) for every year, from r_t (r_0 is not used).
///
/// ```
/// use rust_decimal::Decimal;
/// use som::engine::discounting::factors;
/// let r = [Decimal::ZERO, Decimal::new(25, 2), Decimal::new(25, 2)];
/// // 1, 1/1.25 = 0.8, 0.8/1.25 = 0.64
/// assert_eq!(factors(&r).unwrap(), vec![Decimal::ONE, Decimal::new(8, 1), Decimal::new(64, 2)]);
/// ```
pub fn factors(rates: &[Decimal]) -> Result<Vec<Decimal>, CalcError> {
    let mut out = Vec::with_capacity(rates.len());
    let mut df = Decimal::ONE;
    for (t, r) in rates.iter().enumerate() {
        if t > 0 {
            let growth = Decimal::ONE.plus(*r, "discount factor")?;
            df = df.over(growth, "discount factor")?;
        }
        out.push(df);
    }
    Ok(out)
}
