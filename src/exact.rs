//! Reading numbers exactly, whether a file writes them as JSON numbers or as
//! strings (DESIGN.md §4).
//!
//! serde_json keeps each number's text (its `arbitrary_precision` feature),
//! and the text is parsed as a decimal. A number that Decimal cannot hold
//! exactly (more than 28 significant decimals, or beyond ±7.9 × 10^28) is an
//! error, never silently rounded.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserialize, Deserializer};
use serde_json::Value;

use crate::problem::kind_of;

/// Parses decimal text exactly: `0.1`, `-12`, `1.5e3`, `2E-4`.
///
/// ```
/// use rust_decimal::Decimal;
/// assert_eq!(som::exact::parse("0.1").unwrap(), Decimal::new(1, 1));
/// assert_eq!(som::exact::parse("1.5e3").unwrap(), Decimal::from(1500));
/// assert!(som::exact::parse("0.12345678901234567890123456789").is_err());
/// assert!(som::exact::parse("1e400").is_err());
/// ```
pub fn parse(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    let too_precise = || {
        format!(
            "`{text}` cannot be held exactly: expected at most 28 significant decimals, within ±7.9e28"
        )
    };
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => {
            let exponent =
                i32::from_str(&text[i + 1..]).map_err(|_| format!("`{text}` is not a number"))?;
            (&text[..i], exponent)
        }
        None => (text, 0),
    };
    if mantissa.is_empty()
        || !mantissa
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+')
    {
        return Err(format!("`{text}` is not a number"));
    }
    let mut value = Decimal::from_str_exact(mantissa).map_err(|_| too_precise())?;
    if exponent < 0 {
        let scale = value.scale() + exponent.unsigned_abs();
        if scale > 28 {
            return Err(too_precise());
        }
        value.set_scale(scale).map_err(|_| too_precise())?;
    } else if exponent > 0 {
        for _ in 0..exponent {
            value = value.checked_mul(Decimal::TEN).ok_or_else(too_precise)?;
        }
    }
    Ok(value)
}

/// A decimal from a JSON number (its exact text) or a string. A number in
/// Danish notation (`"958.000"`, `"0,45"`) is refused with what was probably
/// meant ([`crate::notation`]).
pub fn from_value(value: &Value) -> Result<Decimal, String> {
    match value {
        Value::Number(n) => {
            crate::notation::read(&n.to_string(), crate::notation::DecimalMark::Point)
        }
        Value::String(s) => crate::notation::read(s, crate::notation::DecimalMark::Point),
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
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_owned(),
        other => {
            return Err(de::Error::custom(format!(
                "expected a whole number, found {}",
                kind_of(other)
            )));
        }
    };
    if let Some(message) = crate::notation::refusal(&text) {
        return Err(de::Error::custom(message));
    }
    i64::from_str(&text)
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
}
