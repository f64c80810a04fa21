//! Monte Carlo simulation: distributions on uncertain inputs, N draws, the
//! distribution of NPV and the benefit-cost ratio.
//!
//! # The spec
//!
//! ```json
//! {
//!   "inputs": [
//!     {"name": "success_rate", "distribution": "triangular", "min": 0.35, "mode": 0.45, "max": 0.55},
//!     {"name": "completion_rate", "distribution": "beta", "alpha": 18, "beta": 2},
//!     {"name": "cost:Support", "distribution": "normal", "mean": 60000, "sd": 5000},
//!     {"name": "price_scale:shelter-day", "distribution": "lognormal", "mu": 0, "sigma": 0.1},
//!     {"name": "participants_scale", "distribution": "uniform", "min": 0.8, "max": 1.2},
//!     {"name": "annual_decay", "distribution": "pert", "min": 0.05, "mode": 0.1, "max": 0.2},
//!     {"name": "baseline_rate", "distribution": "fixed", "value": 0.2}
//!   ]
//! }
//! ```
//!
//! Names are the [parameters](super::parameter) of sweeps, except
//! `horizon_years`. Distributions and their fields:
//!
//! | distribution | fields                  | draws                                                   |
//! |--------------|-------------------------|---------------------------------------------------------|
//! | `fixed`      | `value`                 | always `value`                                          |
//! | `uniform`    | `min` ≤ `max`           | uniform on [min, max]                                   |
//! | `triangular` | `min` ≤ `mode` ≤ `max`  | triangular                                              |
//! | `normal`     | `mean`, `sd` ≥ 0        | normal                                                  |
//! | `lognormal`  | `mu`, `sigma` ≥ 0       | exp(normal(mu, sigma)): `mu`, `sigma` of the logarithm  |
//! | `beta`       | `alpha` > 0, `beta` > 0, optional `min` < `max` (default 0, 1) | min + (max − min) · beta(alpha, beta) |
//! | `pert`       | `min` < `max`, `min` ≤ `mode` ≤ `max` | beta-PERT (shape 4)                       |
//!
//! Draws are used as drawn, never clamped: a normal success rate can fall
//! outside [0, 1]. Such draws are counted ([`Simulation::out_of_range_draws`]);
//! prefer bounded distributions (beta, PERT, triangular, uniform) for rates.
//!
//! # Reproducibility
//!
//! The draws are split into blocks of 4096; block b draws from a ChaCha8
//! generator seeded with the seed on stream b, the inputs of each draw in
//! spec order. So the result depends only on the seed, the spec and N, never
//! on the number of threads; summary statistics are summed in draw order.
//!
//! # Evaluation
//!
//! Linear inputs go through the closed form of the [fast path](super::fast)
//! (a multiply-add per line and cost, no rebuild); `discount_rate` and
//! `annual_decay` rebuild the fast model for each draw (slower, still far
//! faster than the exact engine). Draws are evaluated in parallel (rayon).
//!
//! # Draws the exact engine could not represent
//!
//! A draw whose figures leave the exact engine's range (PV gains, PV costs,
//! NPV or benefit-cost ratio beyond ±7.9e28, or not finite: a lognormal
//! price scale with μ = 700, say) is one `som run` would refuse as an
//! overflow. Such draws are counted
//! ([`Simulation::outside_engine_range_draws`]) and left out of every
//! statistic; each [`Stats`] says how many draws it rests on. When no draw
//! is left the simulation is refused with
//! [`AnalysisError::OutsideEngineRange`](super::AnalysisError::OutsideEngineRange).
//!
//! The module is split along its concepts: the spec and its distributions
//! (`spec`), the run (`run`) and the statistics (`stats`); its text, JSON
//! and CSV output is in [`crate::report::simulation`].

mod run;
mod spec;
mod stats;

pub use run::{Simulation, SimulationOptions, simulate, simulate_with_progress};
pub use spec::{Input, InputDistribution, SimulationSpec};
pub use stats::Stats;

/// Draws per block with its own random stream.
const BLOCK: usize = 4096;
