//! Discount factors (DESIGN.md §1.7): DF(0) = 1, DF(t) = DF(t-1) / (1 + r_t).

use crate::model::{CalcError, Checked};
use rust_decimal::Decimal;

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
