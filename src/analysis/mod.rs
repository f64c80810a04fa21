//! Analysis over a business case: how robust is it, and where does it break even?
//!
//! - [`fast`]: an f64 evaluation that precomputes the discounted streams of a
//!   [`Model`](crate::engine::Model) once, so each further point (another
//!   success rate, completion rate, number of participants, cost or price)
//!   costs a few multiply-adds. It agrees with the exact engine to 1e-9
//!   (property-tested) and powers sweeps and simulations.
//! - [`break_even`]: the net success rate, cost per participant and horizon
//!   at which NPV = 0, exact.
//! - [`sensitivity`]: a one-way (tornado) analysis with the exact engine.
//! - [`sweep`]: a grid over named [`parameter`]s, evaluated in parallel with
//!   the fast path.
//! - [`monte_carlo`]: distributions on uncertain inputs, N draws from a seed,
//!   NPV and BCR statistics; reproducible whatever the thread count.
//!
//! Every analysis starts from a [`Baseline`]: a scenario resolved once.
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
pub use sensitivity::{Bar, Tornado, sensitivity};
pub use sweep::{Sweep, SweepResult, SweepSpec, sweep};
