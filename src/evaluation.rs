//! From a scenario to a business case: resolve it against a knowledge base,
//! evaluate the model, and the one error type for both steps.

use crate::business_case::{BusinessCase, BusinessCaseSummary};
use crate::engine;
use crate::knowledge_base::{KbError, KnowledgeBase};
use crate::model::CalcError;
use crate::problem::Problem;
use crate::scenario::{Scenario, ScenarioError};

/// Any error the library returns: from the knowledge base, the scenario or
/// the calculation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The knowledge base could not be loaded.
    #[error(transparent)]
    KnowledgeBase(#[from] KbError),
    /// The scenario could not be read or resolved.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// The calculation failed (overflow), reported against the scenario's file.
    #[error("the calculation failed:\n{problem}")]
    Calculation {
        /// The problem, naming the scenario's file.
        problem: Box<Problem>,
        /// What failed.
        source: CalcError,
    },
}

impl Error {
    /// The problems with file and JSON path, when the error has them.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::KnowledgeBase(e) => e.problems(),
            Error::Scenario(e) => e.problems(),
            Error::Calculation { problem, .. } => std::slice::from_ref(&**problem),
        }
    }

    /// A short machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::KnowledgeBase(_) => "invalid_knowledge_base",
            Error::Scenario(_) => "invalid_scenario",
            Error::Calculation {
                source: CalcError::Cancelled,
                ..
            } => "cancelled",
            Error::Calculation { .. } => "calculation_failed",
        }
    }
}

/// Resolves a scenario against a knowledge base and evaluates it.
///
/// A calculation that overflows is reported as a problem of the scenario,
/// located at its file (JSON path `$`): its figures are too large.
///
/// ```
/// let case = som::evaluate(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
/// assert_eq!(case.years.len(), 10);
/// ```
///
/// With an `evidence_adjustment`, the case is the adjusted one and
/// [`BusinessCase::unadjusted`] holds the summary without the adjustment.
pub fn evaluate(scenario: &Scenario, kb: &KnowledgeBase) -> Result<BusinessCase, Error> {
    let calculation = |source| calculation_error(scenario, source);
    let model = scenario.resolve(kb)?;
    let mut case = engine::evaluate(&model).map_err(calculation)?;
    if model.context.evidence.is_active() {
        let plain = Scenario {
            evidence_adjustment: None,
            ..scenario.clone()
        };
        let unadjusted = engine::evaluate(&plain.resolve(kb)?).map_err(calculation)?;
        case.unadjusted = Some(unadjusted.summary);
    }
    Ok(case)
}

/// Resolves a scenario and computes only its summary figures: the same
/// numbers as [`evaluate`]'s `summary` (and `unadjusted`), to the last
/// digit, without building the years and lines a report shows.
///
/// ```
/// let kb = som::KnowledgeBase::embedded();
/// let scenario = som::Scenario::example();
/// let figures = som::evaluate_summary(&scenario, kb).unwrap();
/// assert_eq!(figures.summary, som::evaluate(&scenario, kb).unwrap().summary);
/// ```
pub fn evaluate_summary(
    scenario: &Scenario,
    kb: &KnowledgeBase,
) -> Result<BusinessCaseSummary, Error> {
    let calculation = |source| calculation_error(scenario, source);
    let model = scenario.resolve(kb)?;
    let summary = engine::evaluate_summary(&model).map_err(calculation)?;
    let unadjusted = if model.context.evidence.is_active() {
        let plain = Scenario {
            evidence_adjustment: None,
            ..scenario.clone()
        };
        Some(engine::evaluate_summary(&plain.resolve(kb)?).map_err(calculation)?)
    } else {
        None
    };
    Ok(BusinessCaseSummary {
        scenario: model.name,
        context: model.context,
        summary,
        unadjusted,
    })
}

/// Every input error names its file (DESIGN.md §5); a resolved scenario only
/// fails in the engine because its figures leave Decimal's range, reported
/// as a problem of the scenario at its file (JSON path `$`).
fn calculation_error(scenario: &Scenario, source: CalcError) -> Error {
    Error::Calculation {
        problem: Box::new(Problem::new(
            scenario.origin.as_deref().unwrap_or("<input>"),
            "$",
            source.to_string(),
            "participants, amounts and prices whose products and sums stay within Decimal's range (about ±7.9e28)",
        )),
        source,
    }
}
