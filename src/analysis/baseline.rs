//! The scenario an analysis starts from, resolved once.

use crate::engine::Model;
use crate::engine::limits::MAX_HORIZON_YEARS;
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

    /// The resolved scenario.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The model with another horizon H'.
    ///
    /// A shorter horizon keeps the first H' years (flows before H' do not
    /// depend on the horizon, DESIGN.md §1); a longer one resolves the
    /// scenario again with `horizon_years` = H', so the discount schedule
    /// covers the added years. H' must lie in 1 ..= 100.
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
        Ok(scenario.resolve(self.kb).map_err(crate::Error::from)?)
    }
}
