//! A consequence line (konsekvens) as the engine uses it: a profile of
//! changes in one service's use, with the unit price that values it
//! (DESIGN.md §1.3, §1.4).

use std::sync::Arc;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{IndexFactor, PayerAmounts};

/// Whom a consequence line applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AppliesTo {
    /// Each success: scaled by the net success rate, completion and persistence.
    #[default]
    Successes,
    /// Each participant, e.g. a service the intervention replaces: the
    /// profile is taken as it is.
    Participants,
}

/// One consequence line (konsekvens) with its unit price.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// The service id.
    pub service: Arc<str>,
    /// The service's name, for reports.
    pub label: Arc<str>,
    /// The service's unit, for reports.
    pub unit: Arc<str>,
    /// The area (e.g. housing, health) the service belongs to.
    pub area: Arc<str>,
    /// The kommune's committee the service belongs to, when the knowledge
    /// base has committees.
    pub committee: Option<Arc<str>>,
    /// Whom the line applies to.
    pub applies_to: AppliesTo,
    /// `q[k]`: change in quantity per success (or participant) in the k-th year.
    pub profile: Vec<Decimal>,
    /// Price of one unit per payer, in `price_year` prices.
    pub unit_price: PayerAmounts,
    /// The price year of `unit_price`.
    pub price_year: i32,
    /// index(scenario price year) / index(price_year), as an exact fraction.
    pub index_factor: IndexFactor,
    /// Confidence grade 1 (best) to 5 of the weaker of the line's profile and
    /// price; none when the scenario gave an ungraded figure.
    pub grade: Option<u8>,
}
