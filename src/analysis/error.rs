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
    /// One of the failures above, located in the scenario's file: the
    /// problem names the file, the JSON path (`$`: the case's figures as a
    /// whole, as for an overflow in `som run`), the point and what failed.
    #[error("the analysis failed:\n{problem}")]
    Located {
        /// The failure as a problem of the scenario's file.
        problem: Box<Problem>,
        /// The failure itself.
        source: Box<AnalysisError>,
    },
    /// An analysis spec (sweep grid, simulation inputs, range) is invalid:
    /// every problem, each with file and JSON path.
    #[error("the analysis spec has {} problem(s):\n{}", .0.len(), crate::problem::list(.0))]
    InvalidSpec(Vec<Problem>),
}

impl AnalysisError {
    /// Locates a failure at a point of the analysis in the scenario's
    /// `file`. Problems that already name their file (a scenario's, a
    /// spec's) and a cancellation (not the input's fault) stay as they are.
    pub fn in_file(self, file: &str) -> AnalysisError {
        let (found, expected) = match &self {
            AnalysisError::Calculation {
                source: CalcError::Cancelled,
                ..
            }
            | AnalysisError::Scenario(_)
            | AnalysisError::InvalidSpec(_)
            | AnalysisError::Located { .. } => return self,
            AnalysisError::Calculation { point, source } => (
                format!("{source} when evaluating {point}"),
                "a case whose figures stay within the exact engine's range (±7.9e28) \
                 at every point of the analysis"
                    .to_owned(),
            ),
            AnalysisError::OutOfRange {
                what,
                value,
                expected,
            } => (format!("{what} = {value}"), expected.clone()),
            AnalysisError::OutsideEngineRange { .. } => (
                self.to_string(),
                "figures within the exact engine's range at every point".to_owned(),
            ),
        };
        AnalysisError::Located {
            problem: Box::new(Problem::new(file, "$", found, expected)),
            source: Box::new(self),
        }
    }

    /// The problems with file and JSON path: a scenario's, a spec's, or the
    /// located failure's one.
    pub fn problems(&self) -> &[Problem] {
        match self {
            AnalysisError::Scenario(e) => e.problems(),
            AnalysisError::InvalidSpec(problems) => problems,
            AnalysisError::Located { problem, .. } => std::slice::from_ref(&**problem),
            _ => &[],
        }
    }

    /// The failure itself, without its location.
    pub fn unlocated(&self) -> &AnalysisError {
        match self {
            AnalysisError::Located { source, .. } => source.unlocated(),
            other => other,
        }
    }

    /// Whether the analysis was stopped (a deadline, a shutdown) rather
    /// than failed.
    pub fn is_cancelled(&self) -> bool {
        match self {
            AnalysisError::Calculation {
                source: CalcError::Cancelled,
                ..
            } => true,
            AnalysisError::Located { source, .. } => source.is_cancelled(),
            _ => false,
        }
    }

    /// A failed calculation at a described point.
    pub(crate) fn at(point: impl Into<String>) -> impl FnOnce(CalcError) -> AnalysisError {
        let point = point.into();
        move |source| AnalysisError::Calculation { point, source }
    }
}
