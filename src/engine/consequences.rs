//! Change in service use per year (DESIGN.md §1.3).
//!
//! Year k of cohort r's consequences falls in year t = r + lag + k, so
//!
//! ```text
//! Q(t) = Σ_r base_r · q[t - r - lag] · w[t - r - lag]
//! ```
//!
//! with base_r = S_r for lines that apply to successes (w from persistence)
//! and base_r = n_r for lines that apply to participants (w = 1).

use rust_decimal::Decimal;

use super::arith::Plain;
use crate::model::{CalcError, Checked, Persistence};

/// `w[k] = (1 - annual_decay)^k` for `k < duration_years`, 0 after; `len` weights.
///
/// ```
/// use rust_decimal::Decimal;
/// use som::engine::consequences::persistence_weights;
/// use som::model::Persistence;
/// let p = Persistence { duration_years: Some(2), annual_decay: Decimal::new(1, 1) };
/// let w = persistence_weights(&p, 3).unwrap();
/// assert_eq!(w, vec![Decimal::ONE, Decimal::new(9, 1), Decimal::ZERO]);
/// ```
pub fn persistence_weights(
    persistence: &Persistence,
    len: usize,
) -> Result<Vec<Decimal>, CalcError> {
    let kept = Decimal::ONE.minus(persistence.annual_decay, "persistence")?;
    let duration = persistence.duration_years.unwrap_or(len);
    let mut weights = Vec::with_capacity(len);
    let mut w = Decimal::ONE;
    for k in 0..len {
        if k >= duration {
            weights.push(Decimal::ZERO);
            continue;
        }
        weights.push(w);
        w = w.times(kept, "persistence")?;
    }
    Ok(weights)
}

/// Q(t) for t = 0 .. horizon-1, from per-cohort bases, a profile, optional
/// persistence weights (same length as the profile) and the lag.
///
/// ```
/// use rust_decimal::Decimal;
/// use som::engine::consequences::quantities;
/// // two cohorts of 10 successes, profile [-2, -1], lag 1, horizon 4:
/// // t=1: 10*-2 = -20; t=2: 10*-1 + 10*-2 = -30; t=3: 10*-1 = -10
/// let base = [Decimal::from(10), Decimal::from(10), Decimal::ZERO, Decimal::ZERO];
/// let q = quantities(&base, &[Decimal::from(-2), Decimal::from(-1)], None, 1, 4).unwrap();
/// assert_eq!(q, vec![Decimal::ZERO, Decimal::from(-20), Decimal::from(-30), Decimal::from(-10)]);
/// ```
pub fn quantities(
    base: &[Decimal],
    profile: &[Decimal],
    weights: Option<&[Decimal]>,
    lag: usize,
    horizon: usize,
) -> Result<Vec<Decimal>, CalcError> {
    let weighted: Vec<Decimal> = match weights {
        Some(w) => profile
            .iter()
            .zip(w)
            .map(|(q, w)| q.times(*w, "consequence profile with persistence"))
            .collect::<Result<_, _>>()?,
        None => profile.to_vec(),
    };
    // The engine's own summation, on rust_decimal's operations.
    super::evaluate::quantities::<Plain>(base, &weighted, lag, horizon)
}
