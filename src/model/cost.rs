//! The intervention's costs (DESIGN.md §1.5).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Payer;

/// A cost of the intervention (DESIGN.md §1.5), in the scenario's price year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cost {
    /// What the cost is for.
    pub label: String,
    /// When it falls.
    pub kind: CostKind,
    /// The amount (kroner, positive).
    pub amount: Decimal,
    /// Who pays.
    pub payer: Payer,
}

/// When a cost falls.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CostKind {
    /// Once, in year t = `year`.
    OneOff {
        /// The year index t.
        year: usize,
    },
    /// Every year from `from_year` to `to_year`, both included.
    PerYear {
        /// The first year index.
        from_year: usize,
        /// The last year index.
        to_year: usize,
    },
    /// For each participant, in the cohort's entry year.
    PerParticipant,
}
