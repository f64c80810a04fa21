//! The scenario an analysis starts from, resolved once.

use crate::model::Model;
use crate::model::limits::MAX_HORIZON_YEARS;
use crate::scenario::Discounting;
use crate::{KnowledgeBase, Scenario};

use super::AnalysisError;

/// A scenario, the knowledge base it resolves against, and its resolved
/// [`Model`]: the starting point every analysis varies.
///
/// ```
/// use som::analysis::Baseline;
/// let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// assert_eq!(base.model().horizon_years, 10);
/// assert_eq!(base.with_horizon(6).unwrap().participants.len(), 6);
/// ```
#[derive(Clone, Debug)]
pub struct Baseline<'a> {
    scenario: Scenario,
    kb: &'a KnowledgeBase,
    model: Model,
}

impl<'a> Baseline<'a> {
    /// Resolves the scenario.
    pub fn new(scenario: &Scenario, kb: &'a KnowledgeBase) -> Result<Baseline<'a>, AnalysisError> {
        let model = scenario.resolve(kb).map_err(crate::Error::from)?;
        Ok(Baseline {
            scenario: scenario.clone(),
            kb,
            model,
        })
    }

    /// The knowledge base the scenario resolves against.
    pub fn knowledge_base(&self) -> &'a KnowledgeBase {
        self.kb
    }

    /// The scenario's file (`<input>` for JSON passed in memory), which an
    /// analysis's failures name.
    pub fn file(&self) -> &str {
        self.scenario.origin.as_deref().unwrap_or("<input>")
    }

    /// The resolved scenario.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The model with another horizon H'.
    ///
    /// A shorter horizon keeps the first H' years (flows before H' do not
    /// depend on the horizon, DESIGN.md §1); a longer one resolves the
    /// scenario again with `horizon_years` = H', so the discount schedule
    /// covers the added years. Explicit yearly rates (`{"rates": [...]}`)
    /// are extended with their last rate, as a named schedule applies its
    /// last step to years it does not cover. H' must lie in 1 ..= 100.
    pub fn with_horizon(&self, horizon: usize) -> Result<Model, AnalysisError> {
        if horizon == 0 || horizon > MAX_HORIZON_YEARS {
            return Err(AnalysisError::OutOfRange {
                what: "horizon_years".into(),
                value: horizon.to_string(),
                expected: format!("1 to {MAX_HORIZON_YEARS} years"),
            });
        }
        if horizon <= self.model.horizon_years {
            let mut m = self.model.clone();
            m.horizon_years = horizon;
            m.participants.truncate(horizon);
            m.discount_rates.truncate(horizon);
            return Ok(m);
        }
        let mut scenario = self.scenario.clone();
        // Bounded by MAX_HORIZON_YEARS above: the conversion cannot fail.
        scenario.horizon_years = i64::try_from(horizon).unwrap_or(i64::MAX);
        if let Some(Discounting::Rates(rates)) = &mut scenario.discounting
            && let Some(last) = rates.last().copied()
        {
            rates.resize(horizon - 1, last);
        }
        Ok(scenario.resolve(self.kb).map_err(crate::Error::from)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn a_longer_horizon_extends_explicit_rates_with_the_last_one() {
        let mut scenario = Scenario::example();
        scenario.discounting = Some(Discounting::Rates(vec![Decimal::new(3, 2); 9]));
        let base = Baseline::new(&scenario, KnowledgeBase::embedded()).unwrap();
        let m = base.with_horizon(12).unwrap();
        assert_eq!(m.discount_rates.len(), 12);
        assert_eq!(m.discount_rates[11], Decimal::new(3, 2));
    }

    #[test]
    fn a_shorter_horizon_keeps_the_first_years() {
        let base = Baseline::new(&Scenario::example(), KnowledgeBase::embedded()).unwrap();
        let short = crate::engine::evaluate(&base.with_horizon(4).unwrap()).unwrap();
        let full = crate::engine::evaluate(base.model()).unwrap();
        assert_eq!(
            short.summary.npv.total,
            full.years[3].cumulative_net_discounted.total
        );
    }

    #[test]
    fn a_horizon_outside_one_to_a_hundred_is_an_error() {
        let base = Baseline::new(&Scenario::example(), KnowledgeBase::embedded()).unwrap();
        assert!(base.with_horizon(0).is_err());
        assert!(base.with_horizon(101).is_err());
    }
}
