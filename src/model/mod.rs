//! The bottom layer: the types every other part of the crate shares, and the
//! engine's input, the [`Model`] (DESIGN.md §6).
//!
//! The knowledge base and the scenario import this module; the engine sees
//! nothing else. It imports no other module of the crate:
//!
//! - [`checked`]: checked arithmetic on `Decimal` and the calculation's
//!   errors ([`CalcError`]);
//! - [`payer`]: kommune, region and stat, and amounts split between them;
//! - [`effect_size`]: effect-size kinds and their conversion to a success rate (§1.2);
//! - [`study_design`]: the designs of effect studies;
//! - [`persistence`], [`line`](mod@line), [`cost`]: persistence, consequence lines and
//!   costs (§1.3-1.5);
//! - [`index_factor`]: price-index ratios as exact fractions (§1.4);
//! - [`discount`]: discount schedules as steps of rates (§1.7);
//! - [`financing`]: grants that move money to the kommune (§1.10);
//! - [`context`]: where a case's figures came from;
//! - [`limits`]: the bounds every input is checked against.

pub mod checked;
pub mod context;
pub mod cost;
pub mod discount;
pub mod effect_size;
pub mod financing;
pub mod index_factor;
pub mod limits;
pub mod line;
pub mod payer;
pub mod persistence;
pub mod study_design;

pub use checked::CalcError;
pub(crate) use checked::Checked;
pub use context::{
    CaseContext, CommitteeName, DatedSplitApplied, EffectDescription, EvidenceApplied,
    LineAdjustment, LocalService, LocalSource, PersistenceFrom, PersistenceOrigin,
};
pub use cost::{Cost, CostKind};
pub use discount::DiscountStep;
pub use effect_size::EffectSizeKind;
pub use financing::{Funder, Grant};
pub use index_factor::IndexFactor;
pub use line::{AppliesTo, Line};
pub use payer::{Payer, PayerAmounts};
pub use persistence::Persistence;
pub use study_design::StudyDesign;

use std::sync::Arc;

use rust_decimal::Decimal;

/// Everything the calculation needs, with every reference to the knowledge
/// base already resolved and every value already checked.
///
/// Build one with [`Scenario::resolve`](crate::Scenario::resolve); the engine
/// ([`evaluate`](super::evaluate)) turns it into a [`BusinessCase`](crate::BusinessCase).
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// The scenario's name, for reports.
    pub name: String,
    /// Calendar year of t = 0.
    pub start_year: i32,
    /// H: years t = 0 .. H-1 (DESIGN.md §1.1).
    pub horizon_years: usize,
    /// The price year of every reported amount.
    pub price_year: i32,
    /// n_r: participants entering in year r, one entry per year of the horizon.
    pub participants: Vec<Decimal>,
    /// c: the share of participants who complete.
    pub completion_rate: Decimal,
    /// p1: the share of completers reaching the success measure with the intervention.
    pub success_rate: Decimal,
    /// p0: the share reaching it without (the baseline).
    pub baseline_rate: Decimal,
    /// Years from entry to the first year of consequences.
    pub effect_lag_years: usize,
    /// How long and how fully a success lasts.
    pub persistence: Persistence,
    /// The consequence lines with their prices.
    pub lines: Vec<Line>,
    /// The intervention's costs.
    pub costs: Vec<Cost>,
    /// Grants to the kommune from the state, the region or outside the
    /// public sector (DESIGN.md §1.10); reported beside the result, which
    /// they do not change.
    pub financing: Vec<Grant>,
    /// r_t, the discount rate for year t (r_0 is never used: DF(0) = 1).
    pub discount_rates: Vec<Decimal>,
    /// Where the figures came from, for reports.
    pub context: Arc<CaseContext>,
}

impl Model {
    /// s = p1 - p0, the net success rate (DESIGN.md §1.2).
    pub fn net_success_rate(&self) -> Decimal {
        // Both rates are checked to lie in [0, 1]: the difference cannot overflow.
        self.success_rate - self.baseline_rate
    }
}
