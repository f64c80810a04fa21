//! The analysis layer's errors.

use crate::{CalcError, Problem};

/// An analysis that could not be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    /// The scenario could not be read, resolved or evaluated.
    #[error(transparent)]
    Scenario(#[from] crate::Error),
    /// A calculation at one point of the analysis failed.
    #[error("evaluating {point}: {source}")]
    Calculation {
        /// Which point (parameter values) was being evaluated.
        point: String,
        /// What went wrong.
        source: CalcError,
    },
    /// A value an analysis would use lies outside what the model accepts.
    #[error("{what} = {value} is outside the accepted range: expected {expected}")]
    OutOfRange {
        /// The input.
        what: String,
        /// The value.
        value: String,
        /// The accepted range.
        expected: String,
    },
    /// Grid points or simulation draws whose figures the exact engine could
    /// not represent: beyond ±7.9e28 (`Decimal::MAX`) or not finite. `som run`
    /// refuses such a case as an overflow; an analysis never reports or
    /// averages them.
    #[error(
        "{count} of {total} {what} give figures outside the exact engine's range \
         (PV gains, PV costs, NPV or benefit-cost ratio beyond ±7.9e28, or not finite), \
         the first at {first}; `som run` would refuse such a case as an overflow"
    )]
    OutsideEngineRange {
        /// What was counted: "grid points" or "draws".
        what: String,
        /// How many are outside.
        count: u64,
        /// Out of how many.
        total: u64,
        /// The first one, described by its parameter values.
        first: String,
    },
    /// An analysis spec (sweep grid, simulation inputs, range) is invalid:
    /// every problem, each with file and JSON path.
    #[error("the analysis spec has {} problem(s):\n{}", .0.len(), crate::problem::list(.0))]
    InvalidSpec(Vec<Problem>),
}

impl AnalysisError {
    /// A failed calculation at a described point.
    pub(crate) fn at(point: impl Into<String>) -> impl FnOnce(CalcError) -> AnalysisError {
        let point = point.into();
        move |source| AnalysisError::Calculation { point, source }
    }
}
