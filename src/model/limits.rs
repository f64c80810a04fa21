//! Limits that keep every calculation bounded. They are part of the contract
//! (README, "Limits"); inputs beyond them are rejected with a clear error.

/// The longest horizon, in years (DESIGN.md §1.1).
pub const MAX_HORIZON_YEARS: usize = 100;
/// The longest consequence profile, in years.
pub const MAX_PROFILE_YEARS: usize = 100;
/// The largest effect lag, in years.
pub const MAX_LAG_YEARS: usize = 100;
/// The largest |Cohen's d| accepted for conversion. Effects in social
/// policy rarely exceed 1; 10 leaves ample room and keeps exp() well inside
/// Decimal's range.
pub const MAX_ABS_COHENS_D: i64 = 10;
