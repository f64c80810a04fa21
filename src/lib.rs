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
//! 4. **Costs and sign.** The intervention's costs (once, every year, or per
//!    participant over a course of years, on any payer) are subtracted;
//!    every figure is the effect on the public budget, positive = better off.
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
//! println!("{}", som::report::sensitivity::tornado_table(&tornado));
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
mod evaluation;
mod json_keys;
pub mod knowledge_base;
pub mod model;
pub mod number;
pub mod package;
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
pub use evaluation::{Error, evaluate, evaluate_summary};
pub use knowledge_base::{KbError, KnowledgeBase};
pub use model::{CalcError, Payer, PayerAmounts};
pub use problem::{MAX_INPUT_BYTES, Problem, read_input};
/// Exact decimal numbers: every amount, rate and quantity of a business case.
pub use rust_decimal::Decimal;
pub use scenario::{Scenario, ScenarioError};

/// The library's version (the crate version), as recorded by the C ABI and
/// the service.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
