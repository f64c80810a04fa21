//! The success rate p1 from an effect size and a baseline rate p0 (DESIGN.md §1.2).
//!
//! | kind                | p1                                        |
//! |---------------------|-------------------------------------------|
//! | `percentage_points` | p0 + value                                |
//! | `relative_risk`     | p0 · value                                |
//! | `odds_ratio`        | OR·p0 / (1 − p0 + OR·p0)                  |
//! | `cohens_d`          | OR = exp(d·π/√3), then as `odds_ratio`    |
//!
//! A p1 outside [0, 1] is an error, never clamped.
//!
//! # Precision of the Cohen's d conversion
//!
//! π/√3 and exp are computed in Decimal (28 significant digits):
//! `Decimal::PI` is π rounded to 28 digits, `sqrt` and `exp` are
//! rust_decimal's Newton iteration and Taylor series, which converge to the
//! last digit. The test `cohens_d_matches_fifty_digit_reference` checks the
//! result against values computed independently with Python's `decimal`
//! module at 50 digits: they agree to at least 24 significant digits, beyond
//! the 20 the contract asks for.

use rust_decimal::{Decimal, MathematicalOps};
use serde::{Deserialize, Serialize};

use super::{CalcError, Checked, limits};

/// The kind of a published effect size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EffectSizeKind {
    /// An absolute difference in the success share: p1 = p0 + value.
    PercentagePoints,
    /// A ratio of shares: p1 = p0 · value.
    RelativeRisk,
    /// A ratio of odds.
    OddsRatio,
    /// A standardised mean difference, converted to an odds ratio by the
    /// logistic approximation OR = exp(d·π/√3) (Hasselblad & Hedges 1995).
    CohensD,
}

impl EffectSizeKind {
    /// The kind's id as written in files.
    pub fn id(self) -> &'static str {
        match self {
            EffectSizeKind::PercentagePoints => "percentage_points",
            EffectSizeKind::RelativeRisk => "relative_risk",
            EffectSizeKind::OddsRatio => "odds_ratio",
            EffectSizeKind::CohensD => "cohens_d",
        }
    }
}

/// The success rate p1 that an effect size implies at baseline rate p0.
///
/// ```
/// use rust_decimal::Decimal;
/// use som::model::effect_size::{success_rate, EffectSizeKind};
/// let p0 = Decimal::new(20, 2); // 0.20
/// // OR 2: odds 0.25 -> 0.5, p1 = 0.4 / (0.8 + 0.4) = 1/3
/// let p1 = success_rate(EffectSizeKind::OddsRatio, Decimal::TWO, p0).unwrap();
/// assert_eq!(p1.round_dp(10), Decimal::new(3333333333, 10));
/// ```
pub fn success_rate(
    kind: EffectSizeKind,
    value: Decimal,
    p0: Decimal,
) -> Result<Decimal, CalcError> {
    let p1 = match kind {
        EffectSizeKind::PercentagePoints => {
            p0.plus(value, "success rate from percentage points")?
        }
        EffectSizeKind::RelativeRisk => p0.times(value, "success rate from a relative risk")?,
        EffectSizeKind::OddsRatio => from_odds_ratio(value, p0)?,
        EffectSizeKind::CohensD => from_odds_ratio(odds_ratio_from_cohens_d(value)?, p0)?,
    };
    if p1 < Decimal::ZERO || p1 > Decimal::ONE {
        return Err(CalcError::SuccessRateOutOfRange {
            kind: kind.id(),
            value,
            baseline: p0,
            result: p1,
        });
    }
    Ok(p1)
}

fn from_odds_ratio(or: Decimal, p0: Decimal) -> Result<Decimal, CalcError> {
    if or < Decimal::ZERO {
        return Err(CalcError::OutOfRange {
            what: "odds ratio",
            value: or,
            range: "[0, ∞)",
        });
    }
    let step = "success rate from an odds ratio";
    let or_p0 = or.times(p0, step)?;
    let denominator = Decimal::ONE.minus(p0, step)?.plus(or_p0, step)?;
    or_p0.over(denominator, step)
}

/// OR = exp(d·π/√3), the logistic conversion of a standardised mean difference.
///
/// ```
/// use rust_decimal::Decimal;
/// use som::model::effect_size::odds_ratio_from_cohens_d;
/// assert_eq!(odds_ratio_from_cohens_d(Decimal::ZERO).unwrap(), Decimal::ONE);
/// ```
pub fn odds_ratio_from_cohens_d(d: Decimal) -> Result<Decimal, CalcError> {
    let bound = Decimal::from(limits::MAX_ABS_COHENS_D);
    if d.abs() > bound {
        return Err(CalcError::OutOfRange {
            what: "Cohen's d",
            value: d,
            range: "[-10, 10]",
        });
    }
    let step = "odds ratio from Cohen's d";
    let sqrt3 = Decimal::from(3)
        .sqrt()
        .ok_or(CalcError::Overflow { step })?;
    let exponent = d.times(Decimal::PI, step)?.over(sqrt3, step)?;
    exponent.checked_exp().ok_or(CalcError::Overflow { step })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn percentage_points_add_to_the_baseline() {
        // p0 0.02 + 0.10 = 0.12 (the SØM FAQ's example, read backwards)
        let p1 = success_rate(EffectSizeKind::PercentagePoints, dec("0.10"), dec("0.02")).unwrap();
        assert_eq!(p1, dec("0.12"));
    }

    #[test]
    fn relative_risk_multiplies_the_baseline() {
        // IPS Denmark: 0.465 * 1.29 = 0.59985
        let p1 = success_rate(EffectSizeKind::RelativeRisk, dec("1.29"), dec("0.465")).unwrap();
        assert_eq!(p1, dec("0.59985"));
    }

    #[test]
    fn odds_ratio_by_hand() {
        // At Home/Chez Soi: p0 = 0.31, OR = 6.35
        // OR*p0 = 1.9685; 1 - 0.31 + 1.9685 = 2.6585; 1.9685 / 2.6585 = 0.74045514387812676...
        let p1 = success_rate(EffectSizeKind::OddsRatio, dec("6.35"), dec("0.31")).unwrap();
        assert_eq!(p1.round_dp(12), dec("0.740455143878"));
    }

    #[test]
    fn odds_ratio_one_leaves_the_baseline() {
        let p1 = success_rate(EffectSizeKind::OddsRatio, Decimal::ONE, dec("0.37")).unwrap();
        assert_eq!(p1, dec("0.37"));
    }

    #[test]
    fn cohens_d_matches_fifty_digit_reference() {
        // References from Python: decimal.getcontext().prec = 50;
        // pi = Decimal('3.14159265358979323846264338327950288419716939937510')
        // (d * pi / Decimal(3).sqrt()).exp()
        let cases = [
            ("0.5", "2.4766322710964233011331665943154208452768836382449"),
            ("0.2", "1.4372906852795333383183927833987321019783278556222"),
            (
                "-0.8",
                "0.23432658098725404737012982037429303963340288305069",
            ),
            ("1.5", "15.190937703747780139537709313253773326877290283315"),
        ];
        for (d, reference) in cases {
            let or = odds_ratio_from_cohens_d(dec(d)).unwrap();
            let reference = dec(&reference[..30]);
            let rel = ((or - reference) / reference).abs();
            assert!(
                rel < dec("1e-24"),
                "d = {d}: {or} vs {reference} (relative error {rel})"
            );
        }
    }

    #[test]
    fn cohens_d_then_odds_ratio() {
        // d = 0.5 -> OR = 2.47663227109642330113316659431542...
        // p0 = 0.2: OR*0.2 = 0.49532645421928466022663331886
        // denominator 0.8 + 0.49532645421928466... = 1.29532645421928466...
        // p1 = 0.4953264542... / 1.2953264542... = 0.38239507315383777882... (Python, 50 digits)
        let p1 = success_rate(EffectSizeKind::CohensD, dec("0.5"), dec("0.2")).unwrap();
        assert_eq!(p1.round_dp(12), dec("0.382395073154"));
    }

    #[test]
    fn impossible_success_rate_is_an_error_not_a_clamp() {
        let err = success_rate(EffectSizeKind::RelativeRisk, dec("3"), dec("0.5")).unwrap_err();
        assert!(
            matches!(err, CalcError::SuccessRateOutOfRange { .. }),
            "{err}"
        );
        let err =
            success_rate(EffectSizeKind::PercentagePoints, dec("-0.3"), dec("0.2")).unwrap_err();
        assert!(err.to_string().contains("outside [0, 1]"), "{err}");
    }

    #[test]
    fn huge_cohens_d_is_rejected() {
        assert!(odds_ratio_from_cohens_d(dec("1000")).is_err());
    }
}
