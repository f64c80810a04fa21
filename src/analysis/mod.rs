//! Analysis over a business case: how robust is it, and where does it break even?
//!
//! - [`fast`]: an f64 evaluation that precomputes the discounted streams of a
//!   [`Model`](crate::model::Model) once, so each further point (another
//!   success rate, completion rate, number of participants, cost or price)
//!   costs a few multiply-adds. It agrees with the exact engine to 1e-9
//!   (property-tested) and powers sweeps and simulations.
//! - [`break_even`](mod@break_even): the net success rate, cost per participant and horizon
//!   at which NPV = 0, exact.
//! - [`sensitivity`](mod@sensitivity): a one-way (tornado) analysis with the exact engine.
//! - [`sweep`](mod@sweep): a grid over named [`parameter`]s, evaluated in parallel with
//!   the fast path.
//! - [`monte_carlo`]: distributions on uncertain inputs, N draws from a seed,
//!   NPV and BCR statistics; reproducible whatever the thread count.
//!
//! Every analysis starts from a [`Baseline`]: a scenario resolved once.
//! Errors are an [`AnalysisError`]: a bad spec lists every problem with its
//! file and JSON path; a value out of range names the value and the range.
//!
//! ```
//! use som::analysis::{break_even, sweep, Baseline, SweepSpec};
//! let base = Baseline::new(&som::Scenario::example(), som::KnowledgeBase::embedded())?;
//!
//! // How low can the net success rate go?
//! let s = break_even(base.model())?.net_success_rate.unwrap();
//! assert!(s < base.model().net_success_rate());
//!
//! // NPV over a grid of net success rates: it crosses zero at s.
//! let spec = SweepSpec::from_json(
//!     r#"{"parameters": [{"name": "net_success_rate", "from": 0, "to": 0.3, "step": 0.01}]}"#,
//!     "grid.json", base.model())?;
//! let grid = sweep(&base, &spec)?;
//! let first_positive = grid.results.iter().position(|r| r.npv > 0.0).unwrap();
//! assert_eq!(spec.point(first_positive)[0], s.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToPositiveInfinity));
//! # Ok::<(), som::analysis::AnalysisError>(())
//! ```
//!
//! The exact Decimal engine ([`crate::engine::evaluate`]) stays the reference
//! for single business cases.

mod baseline;
pub mod break_even;
mod error;
pub mod fast;
pub mod monte_carlo;
pub mod parameter;
pub mod sensitivity;
pub mod sweep;

pub use baseline::Baseline;
pub use break_even::{BreakEven, break_even};
pub use error::AnalysisError;
pub use fast::{FastModel, Outcome, Point};
pub use monte_carlo::{Simulation, SimulationOptions, SimulationSpec, simulate};
pub use parameter::Parameter;
pub use sensitivity::{
    Bar, DEFAULT_RANGE, Input, Range, ReportedCase, SensitivityAnalysis, Tornado,
    analyse_sensitivity, sensitivity, sensitivity_by_grade, tornado_in,
};
pub use sweep::{
    Column, Sweep, SweepOptions, SweepResult, SweepSpec, sweep, sweep_columns_formatted,
    sweep_formatted, sweep_in_windows, sweep_into, sweep_with,
};
