//! How long and how fully a success lasts (DESIGN.md §1.3).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Persistence of a success (DESIGN.md §1.3): `w[k] = (1 - annual_decay)^k` for
/// k < duration_years, 0 after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Persistence {
    /// Years a success lasts; `None` means as long as each profile.
    pub duration_years: Option<usize>,
    /// The share of the effect lost each year, in [0, 1].
    pub annual_decay: Decimal,
}

impl Default for Persistence {
    fn default() -> Persistence {
        Persistence {
            duration_years: None,
            annual_decay: Decimal::ZERO,
        }
    }
}
