//! Checked arithmetic and the errors of a calculation (DESIGN.md §2): every
//! step that can overflow returns a [`CalcError`] naming the step, never a
//! wrapped or saturated number.

use rust_decimal::Decimal;

/// An error in the calculation itself. Input problems are caught earlier, when
/// a scenario is resolved; what remains is arithmetic that leaves Decimal's
/// range (about ±7.9 × 10^28) and effect conversions that give an impossible rate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalcError {
    /// A figure left Decimal's range.
    #[error(
        "arithmetic overflow while computing {step}: a figure exceeds Decimal's range (about ±7.9e28); check amounts, prices and participants for misplaced digits"
    )]
    Overflow {
        /// The step of the calculation that overflowed.
        step: &'static str,
    },
    /// A division had a zero denominator where the model needs a value.
    #[error("division by zero while computing {step}")]
    DivisionByZero {
        /// The step of the calculation.
        step: &'static str,
    },
    /// An effect-size conversion gave a success rate outside [0, 1] (DESIGN.md §1.2).
    #[error(
        "converting {kind} {value} with baseline rate {baseline} gives a success rate of {result}, outside [0, 1]"
    )]
    SuccessRateOutOfRange {
        /// The effect-size kind.
        kind: &'static str,
        /// The effect size.
        value: Decimal,
        /// The baseline rate p0.
        baseline: Decimal,
        /// The converted success rate p1.
        result: Decimal,
    },
    /// The calculation was stopped from outside (a time limit, a shutdown,
    /// see [`crate::cancel`]) before it finished.
    #[error("the calculation was stopped before it finished (a time limit or a shutdown)")]
    Cancelled,
    /// A value outside what a conversion accepts.
    #[error("{what}: {value} is outside the accepted range {range}")]
    OutOfRange {
        /// What the value is.
        what: &'static str,
        /// The value.
        value: Decimal,
        /// The accepted range.
        range: &'static str,
    },
}

/// Checked arithmetic on [`Decimal`] that names the step that failed.
pub(crate) trait Checked: Sized {
    fn plus(self, other: Self, step: &'static str) -> Result<Self, CalcError>;
    fn minus(self, other: Self, step: &'static str) -> Result<Self, CalcError>;
    fn times(self, other: Self, step: &'static str) -> Result<Self, CalcError>;
    fn over(self, other: Self, step: &'static str) -> Result<Self, CalcError>;
}

impl Checked for Decimal {
    fn plus(self, other: Decimal, step: &'static str) -> Result<Decimal, CalcError> {
        self.checked_add(other).ok_or(CalcError::Overflow { step })
    }
    fn minus(self, other: Decimal, step: &'static str) -> Result<Decimal, CalcError> {
        self.checked_sub(other).ok_or(CalcError::Overflow { step })
    }
    fn times(self, other: Decimal, step: &'static str) -> Result<Decimal, CalcError> {
        self.checked_mul(other).ok_or(CalcError::Overflow { step })
    }
    fn over(self, other: Decimal, step: &'static str) -> Result<Decimal, CalcError> {
        if other.is_zero() {
            return Err(CalcError::DivisionByZero { step });
        }
        self.checked_div(other).ok_or(CalcError::Overflow { step })
    }
}
