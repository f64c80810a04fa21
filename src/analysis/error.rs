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
