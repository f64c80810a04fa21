//! Reading numbers exactly, whether a file writes them as JSON numbers or as
//! strings (DESIGN.md §4).
//!
//! serde_json keeps each number's text (its `arbitrary_precision` feature),
//! and the text is parsed as a decimal. A number that Decimal cannot hold
//! exactly (more than 28 significant decimals, or beyond ±7.9 × 10^28) is an
//! error, never silently rounded. [`notation`] refuses numbers written in
//! Danish (or English) notation where a decimal point is expected, and reads
//! decimal commas where they are the rule.

pub mod notation;

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserialize, Deserializer};
use serde_json::Value;

use crate::problem::kind_of;

/// Parses decimal text exactly: `0.1`, `-12`, `1.5e3`, `2E-4`.
///
/// ```
/// use rust_decimal::Decimal;
/// assert_eq!(som::number::parse("0.1").unwrap(), Decimal::new(1, 1));
/// assert_eq!(som::number::parse("1.5e3").unwrap(), Decimal::from(1500));
/// assert!(som::number::parse("0.12345678901234567890123456789").is_err());
/// assert!(som::number::parse("1e400").is_err());
/// ```
pub fn parse(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    let shown = Shown(text);
    let too_precise = || {
        format!(
            "`{shown}` cannot be held exactly: expected at most 28 significant decimals, within ±7.9e28"
        )
    };
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => {
            let digits = &text[i + 1..];
            let body = digits.strip_prefix(['+', '-']).unwrap_or(digits);
            if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("`{shown}` is not a number"));
            }
            // An exponent beyond i32 (`1e99999999999`) is out of range, not malformed.
            let exponent = i32::from_str(digits).unwrap_or(if digits.starts_with('-') {
                i32::MIN
            } else {
                i32::MAX
            });
            (&text[..i], exponent)
        }
        None => (text, 0),
    };
    if mantissa.is_empty()
        || !mantissa
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+')
    {
        return Err(format!("`{shown}` is not a number"));
    }
    let mut value = Decimal::from_str_exact(mantissa).map_err(|_| too_precise())?;
    // Every step below is bounded by 28 (Decimal's largest scale, and the
    // most digits a non-zero whole number can gain and still fit), whatever
    // the exponent: `1e2147483647` costs no more than `1e3`. The mantissa's
    // own digits are kept (`1.50e1` reads as 15.0, as written).
    if value.is_zero() {
        // Zero times any power of ten is zero.
        return Ok(Decimal::ZERO);
    }
    if exponent < 0 {
        let scale = i64::from(value.scale()) + i64::from(exponent.unsigned_abs());
        if scale > 28 {
            // Only trailing zeros can bring it back within 28 decimals (100e-30).
            let normalized = value.normalize();
            let m = normalized.mantissa();
            let zeros = (0..=28u32)
                .take_while(|&z| m % 10i128.pow(z) == 0)
                .last()
                .unwrap_or(0);
            let scale = i64::from(normalized.scale()) + i64::from(exponent.unsigned_abs())
                - i64::from(zeros);
            if scale > 28 {
                return Err(too_precise());
            }
            return Decimal::try_from_i128_with_scale(m / 10i128.pow(zeros), scale as u32)
                .map_err(|_| too_precise());
        }
        value.set_scale(scale as u32).map_err(|_| too_precise())?;
    } else if exponent > 0 {
        let mut exponent = exponent.unsigned_abs();
        if exponent > 28 {
            // Move the decimal point first (0.001e31 is 1e28) ...
            let shift = value.scale().min(exponent);
            value
                .set_scale(value.scale() - shift)
                .map_err(|_| too_precise())?;
            exponent -= shift;
            // ... since a non-zero mantissa times 10^29 or more exceeds ±7.9e28.
            if exponent > 28 {
                return Err(too_precise());
            }
        }
        for _ in 0..exponent {
            value = value.checked_mul(Decimal::TEN).ok_or_else(too_precise)?;
        }
    }
    Ok(value)
}

/// Number text as shown in a message: at most 40 characters, so a
/// megabyte-long number does not become a megabyte-long message.
pub(crate) struct Shown<'a>(pub(crate) &'a str);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.char_indices().nth(40) {
            Some((cut, _)) => write!(f, "{}… ({} characters)", &self.0[..cut], self.0.len()),
            None => f.write_str(self.0),
        }
    }
}

/// A decimal from a JSON number (its exact text) or a string. A number in
/// Danish notation (`"958.000"`, `"0,45"`) is refused with what was probably
/// meant ([`crate::number::notation`]).
pub fn from_value(value: &Value) -> Result<Decimal, String> {
    match value {
        // A number's exact text as written (serde_json's `arbitrary_precision`).
        Value::Number(n) => notation::read(n.as_str(), notation::DecimalMark::Point),
        Value::String(s) => notation::read(s, notation::DecimalMark::Point),
        other => Err(format!("expected a number, found {}", kind_of(other))),
    }
}

/// serde `deserialize_with` for a [`Decimal`].
pub(crate) fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    from_value(&Value::deserialize(d)?).map_err(de::Error::custom)
}

/// serde `deserialize_with` for an optional [`Decimal`] (use with `#[serde(default)]`).
pub(crate) fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    decimal(d).map(Some)
}

/// serde `deserialize_with` for a list of [`Decimal`]s; the error names the item.
pub(crate) fn decimals<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Decimal>, D::Error> {
    match Value::deserialize(d)? {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| from_value(v).map_err(|e| de::Error::custom(format!("item [{i}]: {e}"))))
            .collect(),
        other => Err(de::Error::custom(format!(
            "expected a list of numbers, found {}",
            kind_of(&other)
        ))),
    }
}

/// serde `deserialize_with` for a map of [`Decimal`]s; the error names the key.
pub(crate) fn decimal_map<'de, D, K>(
    d: D,
) -> Result<std::collections::BTreeMap<K, Decimal>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + std::fmt::Debug,
{
    std::collections::BTreeMap::<K, Value>::deserialize(d)?
        .into_iter()
        .map(|(k, v)| match from_value(&v) {
            Ok(x) => Ok((k, x)),
            Err(e) => Err(de::Error::custom(format!("{k:?}: {e}"))),
        })
        .collect()
}

/// serde `deserialize_with` for a whole number written as a number or a string.
pub(crate) fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let v = Value::deserialize(d)?;
    let text = match &v {
        Value::Number(n) => n.as_str(),
        Value::String(s) => s.trim(),
        other => {
            return Err(de::Error::custom(format!(
                "expected a whole number, found {}",
                kind_of(other)
            )));
        }
    };
    if let Some(message) = notation::refusal(text) {
        return Err(de::Error::custom(message));
    }
    i64::from_str(text)
        .map_err(|_| de::Error::custom(format!("expected a whole number, found `{text}`")))
}

/// serde `deserialize_with` for an optional whole number (use with `#[serde(default)]`).
pub(crate) fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    int(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_exactly_or_not_at_all() {
        assert_eq!(parse("-0.25").unwrap(), Decimal::new(-25, 2));
        assert_eq!(parse("2E-4").unwrap(), Decimal::new(2, 4));
        assert_eq!(
            parse("79228162514264337593543950335").unwrap(),
            Decimal::MAX
        );
        assert!(parse("79228162514264337593543950336").is_err());
        assert!(parse("1e29").is_err());
        assert!(parse("abc").is_err());
        assert!(parse("").is_err());
        assert!(parse("1e").is_err());
    }

    #[test]
    fn huge_exponents_cost_no_work_and_read_correctly() {
        // Each of these looped over the exponent before (a CPU-second for
        // `0e2147483647`); now a few steps. The bound is a hang guard.
        let started = std::time::Instant::now();
        assert_eq!(parse("0e2147483647").unwrap(), Decimal::ZERO);
        assert_eq!(parse("-0.0e-2147483648").unwrap(), Decimal::ZERO);
        assert_eq!(parse("0e99999999999999").unwrap(), Decimal::ZERO);
        assert!(parse("1e2147483647").is_err());
        assert!(parse("1e99999999999999").is_err());
        assert!(parse("1e-2147483648").is_err());
        assert!(parse("1e-99999999999999").is_err());
        assert!(parse("1e+").is_err());
        assert!(parse("1e1.5").is_err());
        assert!(started.elapsed() < std::time::Duration::from_millis(100));
        // Trailing zeros of the mantissa count: 100e-30 is 1e-28, 0.001e31 is 1e28
        // (both by hand: shift the decimal point).
        assert_eq!(parse("100e-30").unwrap(), Decimal::new(1, 28));
        assert_eq!(
            parse("0.001e31").unwrap(),
            Decimal::from_str("10000000000000000000000000000").unwrap()
        );
        assert_eq!(parse("1.5e3").unwrap(), Decimal::from(1500));
        assert_eq!(parse("-2.50E+2").unwrap(), Decimal::from(-250));
        assert_eq!(parse("12e-1").unwrap(), Decimal::new(12, 1));
        // A long number is shown cut short in the message.
        let long = format!("1{}", "0".repeat(100_000));
        let message = parse(&long).unwrap_err();
        assert!(message.len() < 200, "{message}");
    }
}
