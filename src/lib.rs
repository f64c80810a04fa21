//! # som — SØM-style social investment business cases
//!
//! A municipality wants to know whether a social intervention pays off for the
//! public sector: Housing First for homeless adults, treatment for young drug
//! users, job support for people with mental illness. A **business case**
//! answers it. This crate computes business cases the way the Danish
//! *socialøkonomiske investeringsmodel* (SØM) does, exactly and reproducibly.
//!
//! ## The model in five steps (DESIGN.md §1)
//!
//! 1. **Participants and successes.** Cohort r enters in year r with n_r
//!    participants; a share c completes; the intervention raises the share who
//!    reach the success measure (succesmål) from the baseline p0 to p1. Only
//!    the difference counts: the net success rate s = p1 − p0, and the
//!    successes S_r = n_r · c · s.
//! 2. **Consequences.** One success changes a person's use of public services
//!    year by year (konsekvenser): fewer shelter nights, fewer months on cash
//!    benefit. A profile `q[k]` gives the change in the k-th year, starting
//!    `effect_lag_years` after entry, scaled by persistence.
//! 3. **Prices.** Each unit of a service costs kommune, region and stat a
//!    price (enhedspris, after refunds), brought to the scenario's price year
//!    with the price index.
//! 4. **Costs and sign.** The intervention's costs are subtracted; every
//!    figure is the effect on the public budget, positive = better off.
//! 5. **Discounting and summary.** Flows are discounted (by default with the
//!    Danish Ministry of Finance's schedule) and summed: net present value,
//!    benefit-cost ratio, break-even year, break-even success rate.
//!
//! ## Using it
//!
//! ```
//! use som::{KnowledgeBase, Scenario};
//!
//! let kb = KnowledgeBase::embedded();
//! let scenario = Scenario::example();              // Housing First, 3 cohorts of 40
//! let case = som::evaluate(&scenario, kb).unwrap();
//! println!("NPV: {} kr.", case.summary.npv.total.round_dp(0));
//! assert!(case.summary.participants > rust_decimal::Decimal::ZERO);
//! ```
//!
//! Tools in other languages can use the JSON entry point [`api::evaluate_json`]:
//! a scenario as JSON in, the business case as JSON out (DESIGN.md §5).
//!
//! ## Analysis
//!
//! [`analysis`] asks how robust a business case is: break-even figures, a
//! one-way sensitivity (tornado), sweeps over a grid of parameters and Monte
//! Carlo simulation, the last two on an f64 fast path that agrees with the
//! exact engine to 1e-9.
//!
//! ```
//! use som::analysis::{Baseline, sensitivity};
//! let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded()).unwrap();
//! let tornado = sensitivity(&base, rust_decimal::Decimal::new(2, 1)).unwrap();
//! println!("{}", tornado.to_table());
//! ```
//!
//! ## Layout
//!
//! Data flows one way: [`knowledge_base`] + [`scenario`] → [`engine`] →
//! [`business_case`] → [`report`], with [`analysis`] varying the
//! scenario and calling the engine. Numbers are [`rust_decimal::Decimal`]
//! throughout, with checked arithmetic: an overflow is an error, never a wrong
//! number.
//!
//!
//! Several business cases at once: [`compare`] sets them side by side with the
//! best value of each figure marked and flags cases that are not comparable;
//! [`batch`] computes one case per row of a CSV table over a scenario template
//! (one row per municipality applying to an investment pool).
//!
//! New to business cases? Start with the [`tutorial`].

pub mod analysis;
pub mod api;
pub mod batch;
pub mod business_case;
pub mod cancel;
pub mod compare;
pub mod engine;
pub mod exact;
mod json_keys;
pub mod knowledge_base;
pub mod notation;
mod payer;
pub mod potential;
mod problem;
pub mod report;
pub mod scenario;
#[cfg(feature = "serve")]
pub mod serve;

/// A step-by-step tutorial, from what a business case is to comparing
/// alternatives; every example in it runs as a test.
#[doc = include_str!("../docs/TUTORIAL.md")]
pub mod tutorial {}

pub use business_case::{BusinessCase, BusinessCaseSummary, Split, Summary, YearFlows};
pub use compare::Comparison;
pub use engine::CalcError;
pub use knowledge_base::{KbError, KnowledgeBase};
pub use payer::{Payer, PayerAmounts};
pub use problem::{MAX_INPUT_BYTES, Problem, read_input};
pub use scenario::{Scenario, ScenarioError};

/// The library's version (the crate version), as recorded by the C ABI and
/// the service.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

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
