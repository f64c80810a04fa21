//! The intervention's costs (DESIGN.md §1.5).

use std::sync::Arc;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Payer;

/// A cost of the intervention (DESIGN.md §1.5), in the scenario's price year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cost {
    /// What the cost is for.
    pub label: Arc<str>,
    /// When it falls.
    pub kind: CostKind,
    /// The amount (kroner, positive).
    pub amount: Decimal,
    /// Who pays.
    pub payer: Payer,
    /// Confidence grade 1 (best) to 5 of the amount, when the scenario gives one.
    pub grade: Option<u8>,
    /// The kommune's committee that bears the cost, when the knowledge base
    /// has committees: the cost's own or the target group's.
    #[serde(default)]
    pub committee: Option<Arc<str>>,
}

impl Cost {
    /// Whether the cost needs more than its kind and amount to be read
    /// right: a course of more than one year, or a grade.
    pub fn has_course_or_grade(&self) -> bool {
        self.grade.is_some() || matches!(self.kind, CostKind::PerParticipant { years } if years > 1)
    }
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
    /// For each participant, every year of a course of `years` years from
    /// the cohort's entry year (1: the entry year only). Years past the
    /// horizon fall outside the case, as consequences past it do.
    PerParticipant {
        /// The length of the course in years, at least 1.
        years: usize,
    },
}
