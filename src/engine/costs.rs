//! The intervention's costs per year and payer (DESIGN.md §1.5).

use rust_decimal::Decimal;

use crate::model::{CalcError, Checked, Cost, CostKind, PayerAmounts};

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
///            amount: Decimal::from(100), payer: Payer::Kommune },
///     Cost { label: "Support".into(), kind: CostKind::PerParticipant,
///            amount: Decimal::from(10), payer: Payer::Stat },
/// ];
/// let flows = cost_flows(&costs, &[Decimal::from(3), Decimal::ZERO], 2).unwrap();
/// assert_eq!(flows[0].kommune, Decimal::from(100));
/// assert_eq!(flows[0].stat, Decimal::from(30));
/// assert_eq!(flows[1].stat, Decimal::ZERO);
/// ```
pub fn cost_flows(
    costs: &[Cost],
    participants: &[Decimal],
    horizon: usize,
) -> Result<Vec<PayerAmounts>, CalcError> {
    let mut flows = vec![PayerAmounts::ZERO; horizon];
    for cost in costs {
        match cost.kind {
            CostKind::OneOff { year } => {
                if let Some(flow) = flows.get_mut(year) {
                    flow.add_to(cost.payer, cost.amount)?;
                }
            }
            CostKind::PerYear { from_year, to_year } => {
                for flow in flows
                    .iter_mut()
                    .take(to_year.saturating_add(1))
                    .skip(from_year)
                {
                    flow.add_to(cost.payer, cost.amount)?;
                }
            }
            CostKind::PerParticipant => {
                for (flow, n) in flows.iter_mut().zip(participants) {
                    flow.add_to(cost.payer, cost.amount.times(*n, "cost per participant")?)?;
                }
            }
        }
    }
    Ok(flows)
}
