//! Break-even figures (DESIGN.md §1.8): how far an input can move before the
//! business case turns negative.
//!
//! - **Net success rate**: NPV is linear in s, so NPV = 0 at
//!   s* = s − NPV / B, with B the PV of success-driven gains per unit of s.
//!   The engine computes it for every business case; it is reused here.
//! - **Cost per participant**: NPV is linear in the per-participant cost x:
//!   NPV(x) = NPV − (x − x₀) · D with D = Σ_t DF(t) · n_t, so NPV = 0 at
//!   x* = x₀ + NPV / D. x₀ is the sum of the scenario's costs per participant
//!   (0 if it has none); x* is the total per-participant cost the case can
//!   carry with every other cost unchanged.
//! - **Horizon**: the shortest horizon H' ≤ H whose NPV is ≥ 0. Flows before
//!   H' do not depend on the horizon, so NPV(H') is the cumulative discounted
//!   net of year H' − 1: a scan, not a search.
//!
//! All three are exact (Decimal).

use rust_decimal::Decimal;
use serde::Serialize;

use super::AnalysisError;
use crate::BusinessCase;
use crate::engine::{self, discounting};
use crate::model::{CostKind, Model};

/// The break-even figures of a business case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BreakEven {
    /// The net success rate s at which NPV = 0; none when NPV does not depend on s.
    pub net_success_rate: Option<Decimal>,
    /// The total cost per participant at which NPV = 0, other costs unchanged;
    /// none without participants.
    pub cost_per_participant: Option<Decimal>,
    /// The cost per participant in the scenario (the sum over its costs per
    /// participant, a cost over a course at its entry-year equivalent: the
    /// amount that, paid in the entry year, has the same present value).
    pub current_cost_per_participant: Decimal,
    /// The shortest horizon, in years, with NPV >= 0; none if even the full
    /// horizon has NPV < 0.
    pub horizon_years: Option<usize>,
}

/// The break-even figures of a model.
///
/// ```
/// use som::analysis::break_even;
/// let model = som::Scenario::example().resolve(som::KnowledgeBase::embedded()).unwrap();
/// let b = break_even(&model).unwrap();
/// // The example pays off within its 10 years, at more than it costs per participant now.
/// assert!(b.horizon_years.unwrap() <= 10);
/// assert!(b.cost_per_participant.unwrap() > b.current_cost_per_participant);
/// ```
pub fn break_even(model: &Model) -> Result<BreakEven, AnalysisError> {
    let case = engine::evaluate(model).map_err(AnalysisError::at("the scenario"))?;
    break_even_of(model, &case)
}

/// The break-even figures from a model and its already evaluated business case.
pub fn break_even_of(model: &Model, case: &BusinessCase) -> Result<BreakEven, AnalysisError> {
    let df = discounting::factors(&model.discount_rates)
        .map_err(AnalysisError::at("the break-even cost per participant"))?;
    let discounted_participants = model
        .participants
        .iter()
        .zip(&df)
        .try_fold(Decimal::ZERO, |acc, (n, d)| {
            n.checked_mul(*d).and_then(|v| acc.checked_add(v))
        })
        .ok_or(crate::CalcError::Overflow {
            step: "discounted participants",
        })
        .map_err(AnalysisError::at("the break-even cost per participant"))?;
    // A cost over a course counts at its entry-year equivalent: the amount
    // that, paid in the entry year, has the same present value.
    let mut current = Some(Decimal::ZERO);
    for cost in &model.costs {
        let CostKind::PerParticipant { years } = cost.kind else {
            continue;
        };
        let equivalent = if years == 1 || discounted_participants.is_zero() {
            Some(cost.amount)
        } else {
            (0..model.participants.len())
                .try_fold(Decimal::ZERO, |acc, t| {
                    let first = (t + 1).saturating_sub(years);
                    let cohorts = model.participants[first..=t]
                        .iter()
                        .try_fold(Decimal::ZERO, |sum, n| sum.checked_add(*n))?;
                    cohorts
                        .checked_mul(*df.get(t)?)
                        .and_then(|v| acc.checked_add(v))
                })
                .and_then(|course| cost.amount.checked_mul(course))
                .and_then(|pv| pv.checked_div(discounted_participants))
        };
        current = current.zip(equivalent).and_then(|(a, e)| a.checked_add(e));
    }
    let current = current
        .ok_or(crate::CalcError::Overflow {
            step: "cost per participant",
        })
        .map_err(AnalysisError::at("the break-even cost per participant"))?;
    let npv = case.summary.npv.total;
    let cost_per_participant = if discounted_participants.is_zero() {
        None
    } else {
        npv.checked_div(discounted_participants)
            .and_then(|shift| current.checked_add(shift))
            .map(Some)
            .ok_or(crate::CalcError::Overflow {
                step: "break-even cost per participant",
            })
            .map_err(AnalysisError::at("the break-even cost per participant"))?
    };
    Ok(BreakEven {
        net_success_rate: case.summary.break_even_success_rate,
        cost_per_participant,
        current_cost_per_participant: current,
        horizon_years: break_even_horizon(case),
    })
}

/// The shortest horizon H' (1 ..= H) whose NPV, the cumulative discounted
/// net of year H' − 1, is >= 0; none if there is none.
///
/// ```
/// let case = som::evaluate(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// let h = som::analysis::break_even::break_even_horizon(&case).unwrap();
/// assert!(case.years[h - 1].cumulative_net_discounted.total >= rust_decimal::Decimal::ZERO);
/// assert!(case.years[h - 2].cumulative_net_discounted.total < rust_decimal::Decimal::ZERO);
/// ```
pub fn break_even_horizon(case: &BusinessCase) -> Option<usize> {
    case.years
        .iter()
        .position(|y| y.cumulative_net_discounted.total >= Decimal::ZERO)
        .map(|t| t + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AppliesTo, Cost, IndexFactor, Line, Persistence};
    use crate::model::{Payer, PayerAmounts};

    fn d(v: i64) -> Decimal {
        Decimal::from(v)
    }

    /// Two cohorts of 10, no discounting, one success line worth 1000 kr. a
    /// year for 2 years from the year after entry, s = 0.5, c = 1; a one-off
    /// cost of 10 000 and 100 kr. per participant.
    fn model() -> Model {
        Model {
            name: "hand".into(),
            start_year: 2026,
            horizon_years: 4,
            price_year: 2025,
            participants: vec![d(10), d(10), d(0), d(0)],
            completion_rate: Decimal::ONE,
            success_rate: Decimal::new(5, 1),
            baseline_rate: Decimal::ZERO,
            effect_lag_years: 1,
            persistence: Persistence::default(),
            lines: vec![Line {
                service: "x".into(),
                label: "x".into(),
                unit: "u".into(),
                area: "a".into(),
                committee: None,
                applies_to: AppliesTo::Successes,
                profile: vec![d(-1), d(-1)],
                unit_price: PayerAmounts {
                    kommune: d(1000),
                    region: d(0),
                    stat: d(0),
                },
                price_year: 2025,
                index_factor: IndexFactor::ONE,
                grade: None,
            }],
            costs: vec![
                Cost {
                    label: "setup".into(),
                    kind: CostKind::OneOff { year: 0 },
                    amount: d(10_000),
                    payer: Payer::Kommune,
                    grade: None,
                    committee: None,
                },
                Cost {
                    label: "support".into(),
                    kind: CostKind::PerParticipant { years: 1 },
                    amount: d(100),
                    payer: Payer::Kommune,
                    grade: None,
                    committee: None,
                },
            ],
            financing: Vec::new(),
            discount_rates: vec![Decimal::ZERO; 4],
            context: Default::default(),
        }
    }

    #[test]
    fn break_even_figures_by_hand() {
        // Successes 5 per cohort; gains 5000 in t=1, 10000 in t=2, 5000 in t=3.
        // Costs: 10000 + 1000 in t=0, 1000 in t=1.
        // Cumulative net: -11000, -7000, 3000, 8000 -> NPV 8000, horizon 3.
        // Cost per participant: 100 + 8000 / 20 = 500.
        // Success rate: gains per unit of s = 40000; 0.5 - 8000/40000 = 0.3.
        let b = break_even(&model()).unwrap();
        assert_eq!(b.horizon_years, Some(3));
        assert_eq!(b.current_cost_per_participant, d(100));
        assert_eq!(b.cost_per_participant, Some(d(500)));
        assert_eq!(b.net_success_rate, Some(Decimal::new(3, 1)));
    }

    #[test]
    fn the_break_even_cost_per_participant_gives_npv_zero() {
        let mut m = model();
        m.discount_rates = vec![
            Decimal::ZERO,
            Decimal::new(4, 2),
            Decimal::new(4, 2),
            Decimal::new(3, 2),
        ];
        let b = break_even(&m).unwrap();
        m.costs[1].amount = b.cost_per_participant.unwrap();
        let npv = engine::evaluate(&m).unwrap().summary.npv.total;
        assert!(npv.abs() < Decimal::new(1, 15), "{npv}");
    }

    #[test]
    fn no_participants_no_break_even_cost_and_a_losing_case_no_horizon() {
        let mut m = model();
        m.participants = vec![d(0); 4];
        let b = break_even(&m).unwrap();
        assert_eq!(b.cost_per_participant, None);
        assert_eq!(b.horizon_years, None);
    }
}
