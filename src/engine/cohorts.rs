//! Participants and successes per cohort (DESIGN.md §1.2).
//!
//! Cohort r enters in year r with n_r participants; a share c completes;
//! successes S_r = n_r · c · s, with s the net success rate.

use rust_decimal::Decimal;

use crate::model::{CalcError, Checked};

/// n_r · c for every cohort: completers, i.e. successes per unit of net success rate.
///
/// ```
/// use rust_decimal::Decimal;
/// use som::engine::cohorts::completers;
/// let n = [Decimal::from(40), Decimal::ZERO];
/// let c = Decimal::new(9, 1);
/// assert_eq!(completers(&n, c).unwrap(), vec![Decimal::from(36), Decimal::ZERO]);
/// ```
pub fn completers(
    participants: &[Decimal],
    completion_rate: Decimal,
) -> Result<Vec<Decimal>, CalcError> {
    participants
        .iter()
        .map(|n| n.times(completion_rate, "completers per cohort"))
        .collect()
}

/// S_r = n_r · c · s for every cohort.
///
/// ```
/// use rust_decimal::Decimal;
/// use som::engine::cohorts::successes;
/// // 40 participants, 90 % complete, net success rate 0.25: 9 successes
/// let s = successes(&[Decimal::from(40)], Decimal::new(9, 1), Decimal::new(25, 2)).unwrap();
/// assert_eq!(s, vec![Decimal::from(9)]);
/// ```
pub fn successes(
    participants: &[Decimal],
    completion_rate: Decimal,
    net_success_rate: Decimal,
) -> Result<Vec<Decimal>, CalcError> {
    completers(participants, completion_rate)?
        .into_iter()
        .map(|nc| nc.times(net_success_rate, "successes per cohort"))
        .collect()
}

/// The checked sum of a series.
pub fn sum(values: &[Decimal], step: &'static str) -> Result<Decimal, CalcError> {
    values
        .iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.plus(*v, step))
}
