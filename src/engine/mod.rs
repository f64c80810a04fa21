//! The calculation (DESIGN.md §1), one file per step:
//!
//! - [`effect`]: the success rate from rates or an effect size (§1.2);
//! - [`cohorts`]: participants and successes per cohort (§1.2);
//! - [`consequences`]: change in service use per year, with lag and persistence (§1.3);
//! - [`prices`]: from quantities to kroner per payer, with the price index (§1.4);
//! - [`costs`]: the intervention's costs per year and payer (§1.5);
//! - [`discounting`]: discount factors (§1.7);
//! - [`evaluate`]: puts them together with the sign convention (§1.6) into a
//!   [`BusinessCase`](crate::BusinessCase) (§1.8).
//!
//! Every step uses [`Decimal`] with checked arithmetic: an overflow is a
//! [`CalcError`], never a wrapped or saturated number.

pub mod arith;
pub mod cohorts;
pub mod consequences;
pub mod costs;
pub mod discounting;
pub mod effect;
mod evaluate;
mod model;
pub mod prices;

pub use evaluate::{evaluate, evaluate_plain, evaluate_summary};
pub use model::{
    AppliesTo, CaseContext, Cost, CostKind, EffectDescription, EvidenceApplied, Line,
    LineAdjustment, Model, Persistence, PersistenceFrom, PersistenceOrigin,
};

use rust_decimal::Decimal;

/// Limits that keep every calculation bounded. They are part of the contract
/// (README, "Limits"); inputs beyond them are rejected with a clear error.
pub mod limits {
    /// The longest horizon, in years (DESIGN.md §1.1).
    pub const MAX_HORIZON_YEARS: usize = 100;
    /// The longest consequence profile, in years.
    pub const MAX_PROFILE_YEARS: usize = 100;
    /// The largest effect lag, in years.
    pub const MAX_LAG_YEARS: usize = 100;
    /// The largest |Cohen's d| accepted for conversion. Effects in social
    /// policy rarely exceed 1; 10 leaves ample room and keeps exp() well inside
    /// Decimal's range.
    pub const MAX_ABS_COHENS_D: i64 = 10;
}

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
pub(crate) trait Exact: Sized {
    fn plus(self, other: Self, step: &'static str) -> Result<Self, CalcError>;
    fn minus(self, other: Self, step: &'static str) -> Result<Self, CalcError>;
    fn times(self, other: Self, step: &'static str) -> Result<Self, CalcError>;
    fn over(self, other: Self, step: &'static str) -> Result<Self, CalcError>;
}

impl Exact for Decimal {
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
