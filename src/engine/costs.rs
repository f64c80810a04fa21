//! The intervention's costs per year and payer (DESIGN.md §1.5).
//!
//! A cost per participant over a course of N years falls in year t on every
//! cohort that entered in one of the years t − N + 1 .. t:
//! `amount · Σ_{k < N} n_{t−k}`.

use rust_decimal::Decimal;

use super::arith::{Arith, Plain};
use crate::model::{CalcError, Cost, CostKind, Payer, PayerAmounts};

/// costs_p(t) for t = 0 .. horizon-1. Cost years are checked against the
/// horizon when the scenario is resolved; a year beyond it contributes nothing here.
///
/// ```
/// use rust_decimal::Decimal;
/// use som::engine::costs::cost_flows;
/// use som::model::{Cost, CostKind};
/// use som::Payer;
/// let costs = vec![
///     Cost { label: "Team".into(), kind: CostKind::PerYear { from_year: 0, to_year: 1 },
///            amount: Decimal::from(100), payer: Payer::Kommune, grade: None, committee: None },
///     Cost { label: "Support".into(), kind: CostKind::PerParticipant { years: 1 },
///            amount: Decimal::from(10), payer: Payer::Stat, grade: None, committee: None },
///     Cost { label: "Housing support".into(), kind: CostKind::PerParticipant { years: 2 },
///            amount: Decimal::from(7), payer: Payer::Region, grade: Some(3), committee: None },
/// ];
/// let flows = cost_flows(&costs, &[Decimal::from(3), Decimal::ZERO], 2).unwrap();
/// assert_eq!(flows[0].kommune, Decimal::from(100));
/// assert_eq!(flows[0].stat, Decimal::from(30));
/// assert_eq!(flows[1].stat, Decimal::ZERO);
/// // The course's second year falls on the cohort of year 0 again: 7 · 3.
/// assert_eq!(flows[0].region, Decimal::from(21));
/// assert_eq!(flows[1].region, Decimal::from(21));
/// ```
pub fn cost_flows(
    costs: &[Cost],
    participants: &[Decimal],
    horizon: usize,
) -> Result<Vec<PayerAmounts>, CalcError> {
    flows::<Plain, PayerAmounts>(costs, participants, horizon)
}

/// Where a year's cost goes: the cost's payer in a [`PayerAmounts`], or one
/// sum for costs that all have the same payer (the kommune's costs in one of
/// its committees), the same additions in the same order.
pub(super) trait Flow: Copy {
    const ZERO: Self;
    fn slot(&mut self, payer: Payer) -> &mut Decimal;
}

impl Flow for PayerAmounts {
    const ZERO: Self = PayerAmounts::ZERO;
    #[inline(always)]
    fn slot(&mut self, payer: Payer) -> &mut Decimal {
        self.get_mut(payer)
    }
}

impl Flow for Decimal {
    const ZERO: Self = Decimal::ZERO;
    #[inline(always)]
    fn slot(&mut self, _: Payer) -> &mut Decimal {
        self
    }
}

/// [`cost_flows`] of some costs, on the engine's arithmetic `A`, by payer
/// (`F` = [`PayerAmounts`]) or summed (`F` = [`Decimal`]).
pub(super) fn flows<'a, A: Arith, F: Flow>(
    costs: impl IntoIterator<Item = &'a Cost>,
    participants: &[Decimal],
    horizon: usize,
) -> Result<Vec<F>, CalcError> {
    let step = "sum by payer";
    let mut flows = vec![F::ZERO; horizon];
    let add_to = |flow: &mut F, cost: &Cost, amount: Decimal| {
        let slot = flow.slot(cost.payer);
        *slot = A::add(*slot, amount).ok_or(CalcError::Overflow { step })?;
        Ok::<(), CalcError>(())
    };
    for cost in costs {
        match cost.kind {
            CostKind::OneOff { year } => {
                if let Some(flow) = flows.get_mut(year) {
                    add_to(flow, cost, cost.amount)?;
                }
            }
            CostKind::PerYear { from_year, to_year } => {
                for flow in flows
                    .iter_mut()
                    .take(to_year.saturating_add(1))
                    .skip(from_year)
                {
                    add_to(flow, cost, cost.amount)?;
                }
            }
            CostKind::PerParticipant { years } => {
                for (entry, n) in participants.iter().enumerate() {
                    let amount = A::mul(cost.amount, *n).ok_or(CalcError::Overflow {
                        step: "cost per participant",
                    })?;
                    for flow in flows.iter_mut().skip(entry).take(years) {
                        add_to(flow, cost, amount)?;
                    }
                }
            }
        }
    }
    Ok(flows)
}
