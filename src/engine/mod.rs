//! The calculation (DESIGN.md §1), one file per step, from a resolved
//! [`Model`] to a [`BusinessCase`](crate::BusinessCase):
//!
//! - [`cohorts`]: participants and successes per cohort (§1.2);
//! - [`consequences`]: change in service use per year, with lag and persistence (§1.3);
//! - [`prices`]: from quantities to kroner per payer, with the price index (§1.4);
//! - [`costs`]: the intervention's costs per year and payer (§1.5);
//! - [`discounting`]: discount factors (§1.7);
//! - [`evaluate`]: puts them together with the sign convention (§1.6) into a
//!   [`BusinessCase`](crate::BusinessCase) (§1.8);
//! - `kommune`: after the calculation, the kommune's result by committee
//!   (§1.11) and the grants that finance it (§1.10).
//!
//! The engine sees only its [`Model`]: no knowledge base, no scenario file.
//! Every step uses [`Decimal`](rust_decimal::Decimal) with checked
//! arithmetic: an overflow is a [`CalcError`](crate::CalcError), never a
//! wrapped or saturated number.
//!
//! [`Model`]: crate::model::Model

pub mod arith;
pub mod cohorts;
pub mod consequences;
pub mod costs;
pub mod discounting;
mod evaluate;
mod kommune;
pub mod prices;

pub use evaluate::{evaluate, evaluate_plain, evaluate_summary};
pub(crate) use kommune::{financing, present_value};
