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

use std::borrow::Cow;
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

/// A JSON value as the readers below need it: a number's text as written
/// (or, for a whole number the parser has read as one, its value), a
/// string, a list's items read as decimals (when asked for), or only the
/// kind of anything else. Read straight from the deserializer, with no
/// [`Value`] built for a figure; the answers and messages are the ones
/// [`Value`] and [`from_value`] give (a number Value's own visitor would
/// take as an integer or float, as from a parsed tree, goes through
/// [`Value`] itself, except a whole number within i64, whose text would be
/// its decimal digits).
enum Raw<'de> {
    Number(Cow<'de, str>),
    Whole(i64),
    String(Cow<'de, str>),
    /// The items as decimals, or the first item's problem, named `item [i]`.
    List(Result<Vec<Decimal>, String>),
    Other(&'static str),
}

impl<'de> Raw<'de> {
    fn of_value(value: Value) -> Raw<'de> {
        match value {
            Value::Number(n) => Raw::Number(Cow::Owned(n.as_str().to_owned())),
            Value::String(s) => Raw::String(Cow::Owned(s)),
            other => Raw::Other(kind_of(&other)),
        }
    }

    /// [`kind_of`]'s words for the value.
    fn kind(&self) -> &'static str {
        match self {
            Raw::Number(_) | Raw::Whole(_) => "a number",
            Raw::String(_) => "a string",
            Raw::List(_) => "a list",
            Raw::Other(kind) => kind,
        }
    }

    /// [`from_value`] of the value.
    fn decimal(&self) -> Result<Decimal, String> {
        match self {
            Raw::Number(text) | Raw::String(text) => {
                notation::read(text, notation::DecimalMark::Point)
            }
            // Its digits, read as above, are this value at scale 0.
            Raw::Whole(value) => Ok(Decimal::from(*value)),
            other => Err(format!("expected a number, found {}", other.kind())),
        }
    }
}

impl<'de> Deserialize<'de> for Raw<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Raw<'de>, D::Error> {
        d.deserialize_any(RawVisitor { items: false })
    }
}

/// Reads a [`Raw`]; a list's items are read as decimals when `items` is
/// set, and only its kind otherwise.
struct RawVisitor {
    items: bool,
}

/// The primitives serde_json's [`Value`] visitor takes, through it, so
/// that a number is the one it would hold.
fn through_value<'de, E: de::Error>(d: impl Deserializer<'de, Error = E>) -> Result<Raw<'de>, E> {
    Value::deserialize(d).map(Raw::of_value)
}

/// Whether `text` is a JSON number as serde_json's parser writes it (an
/// optional minus, no leading zero, digits after a point and an exponent),
/// which [`Value`] keeps as it is.
fn is_json_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let whole = digits(&mut i);
    if whole == 0 || (whole > 1 && b[i - whole] == b'0') {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// A map key compared with serde_json's number token, as [`Value`] reads it.
struct IsNumberToken;

impl<'de> de::DeserializeSeed<'de> for IsNumberToken {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl de::Visitor<'_> for IsNumberToken {
    type Value = bool;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string key")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == NUMBER_TOKEN)
    }
}

/// serde_json's key for the text of an arbitrary-precision number.
pub(crate) const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// A number's text, borrowed from the input when serde_json can.
struct Text;

impl<'de> de::DeserializeSeed<'de> for Text {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> de::Visitor<'de> for Text {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a number's text")
    }
    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(text))
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(text.to_owned()))
    }
    fn visit_string<E: de::Error>(self, text: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(text))
    }
}

impl<'de> de::Visitor<'de> for RawVisitor {
    type Value = Raw<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw<'de>, E> {
        through_value(de::value::BoolDeserializer::new(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Raw<'de>, E> {
        Ok(Raw::Whole(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw<'de>, E> {
        match i64::try_from(v) {
            Ok(v) => Ok(Raw::Whole(v)),
            Err(_) => through_value(de::value::U64Deserializer::new(v)),
        }
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Raw<'de>, E> {
        through_value(de::value::I128Deserializer::new(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Raw<'de>, E> {
        through_value(de::value::U128Deserializer::new(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw<'de>, E> {
        through_value(de::value::F64Deserializer::new(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Raw<'de>, E> {
        through_value(de::value::UnitDeserializer::new())
    }
    fn visit_none<E: de::Error>(self) -> Result<Raw<'de>, E> {
        through_value(de::value::UnitDeserializer::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw<'de>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Raw<'de>, E> {
        Ok(Raw::String(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw<'de>, E> {
        Ok(Raw::String(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Raw<'de>, E> {
        Ok(Raw::String(Cow::Owned(v)))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Raw<'de>, A::Error> {
        if self.items {
            // Each item is read as a decimal as it comes, with no list of
            // items in between; after a problem the rest are only read, as
            // the whole list was before the first item was looked at.
            // serde_json does not know a list's length before reading it:
            // room for ten years (most profiles) spares regrowing the list.
            let room = seq.size_hint().unwrap_or(10).min(1024);
            let mut figures = Ok(Vec::with_capacity(room));
            let mut i = 0;
            while let Some(item) = seq.next_element::<Raw<'de>>()? {
                if let Ok(list) = &mut figures {
                    match item.decimal() {
                        Ok(x) => list.push(x),
                        Err(e) => figures = Err(format!("item [{i}]: {e}")),
                    }
                }
                i += 1;
            }
            return Ok(Raw::List(figures));
        }
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Raw::Other("a list"))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Raw<'de>, A::Error> {
        match map.next_key_seed(IsNumberToken)? {
            // serde_json's arbitrary-precision number: its text. [`Value`]
            // reads it as a `Number` (and takes nothing after it); a text
            // serde_json's parser did not write, from an object that spells
            // out the token as a key, is checked as [`Value`] checks it.
            Some(true) => {
                let text = map.next_value_seed(Text)?;
                if is_json_number(&text) {
                    return Ok(Raw::Number(text));
                }
                let number = text
                    .parse::<serde_json::Number>()
                    .map_err(de::Error::custom)?;
                Ok(Raw::Number(Cow::Owned(number.as_str().to_owned())))
            }
            Some(false) => {
                map.next_value::<de::IgnoredAny>()?;
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Raw::Other("an object"))
            }
            None => Ok(Raw::Other("an object")),
        }
    }
}

/// serde `deserialize_with` for a [`Decimal`].
pub(crate) fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    Raw::deserialize(d)?.decimal().map_err(de::Error::custom)
}

/// serde `deserialize_with` for an optional [`Decimal`] (use with `#[serde(default)]`).
pub(crate) fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    decimal(d).map(Some)
}

/// serde `deserialize_with` for a list of [`Decimal`]s; the error names the item.
pub(crate) fn decimals<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Decimal>, D::Error> {
    match d.deserialize_any(RawVisitor { items: true })? {
        Raw::List(figures) => figures.map_err(de::Error::custom),
        other => Err(de::Error::custom(format!(
            "expected a list of numbers, found {}",
            other.kind()
        ))),
    }
}

/// serde `deserialize_with` for a map of [`Decimal`]s; the error names the
/// key. A key read twice is refused ([`crate::json_keys::map_without_repeats`]).
pub(crate) fn decimal_map<'de, D, K>(
    d: D,
) -> Result<std::collections::BTreeMap<K, Decimal>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + std::fmt::Debug,
{
    crate::json_keys::map_without_repeats::<D, K, Raw<'de>>(d)?
        .into_iter()
        .map(|(k, v)| match v.decimal() {
            Ok(x) => Ok((k, x)),
            Err(e) => Err(de::Error::custom(format!("{k:?}: {e}"))),
        })
        .collect()
}

/// serde `deserialize_with` for a whole number (JSON number or string).
pub(crate) fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let raw = Raw::deserialize(d)?;
    let text = match &raw {
        Raw::Whole(value) => return Ok(*value),
        Raw::Number(n) => n.as_ref(),
        Raw::String(s) => s.trim(),
        other => {
            return Err(de::Error::custom(format!(
                "expected a whole number, found {}",
                other.kind()
            )));
        }
    };
    if !notation::plain_integer(text) {
        if let Some(message) = notation::refusal(text) {
            return Err(de::Error::custom(message));
        }
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

    /// What the readers answered when they went through [`Value`] (the
    /// code before [`Raw`]): the reference for the answers and messages.
    mod through_value {
        use super::*;

        pub fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
            from_value(&Value::deserialize(d)?).map_err(de::Error::custom)
        }

        pub fn decimals<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Decimal>, D::Error> {
            match Value::deserialize(d)? {
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        from_value(v).map_err(|e| de::Error::custom(format!("item [{i}]: {e}")))
                    })
                    .collect(),
                other => Err(de::Error::custom(format!(
                    "expected a list of numbers, found {}",
                    kind_of(&other)
                ))),
            }
        }

        pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
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
    }

    /// Each reader on `text`, read from the text itself and from a parsed
    /// tree, against the reference: the same value (mantissa and scale) or
    /// the same message, position included.
    fn agrees(text: &str) {
        fn both<T: PartialEq + std::fmt::Debug>(
            text: &str,
            new: impl Fn(
                &mut serde_json::Deserializer<serde_json::de::StrRead>,
            ) -> Result<T, serde_json::Error>,
            old: impl Fn(
                &mut serde_json::Deserializer<serde_json::de::StrRead>,
            ) -> Result<T, serde_json::Error>,
            new_tree: impl Fn(Value) -> Result<T, serde_json::Error>,
            old_tree: impl Fn(Value) -> Result<T, serde_json::Error>,
        ) {
            let shown = |r: Result<T, serde_json::Error>| r.map_err(|e| e.to_string());
            let run = |f: &dyn Fn(
                &mut serde_json::Deserializer<serde_json::de::StrRead>,
            ) -> Result<T, serde_json::Error>| {
                let mut d = serde_json::Deserializer::from_str(text);
                shown(f(&mut d).and_then(|v| d.end().map(|()| v)))
            };
            assert_eq!(run(&new), run(&old), "read from {text}");
            if let Ok(tree) = serde_json::from_str::<Value>(text) {
                assert_eq!(
                    shown(new_tree(tree.clone())),
                    shown(old_tree(tree)),
                    "tree of {text}"
                );
            }
        }
        let bits = |r: Result<Decimal, serde_json::Error>| r.map(|d| d.serialize());
        let all_bits = |r: Result<Vec<Decimal>, serde_json::Error>| {
            r.map(|v| v.iter().map(Decimal::serialize).collect::<Vec<_>>())
        };
        both(
            text,
            |d| bits(decimal(d)),
            |d| bits(through_value::decimal(d)),
            |v| bits(decimal(v)),
            |v| bits(through_value::decimal(v)),
        );
        both(
            text,
            |d| all_bits(decimals(d)),
            |d| all_bits(through_value::decimals(d)),
            |v| all_bits(decimals(v)),
            |v| all_bits(through_value::decimals(v)),
        );
        both(
            text,
            |d| int(d),
            |d| through_value::int(d),
            int,
            through_value::int,
        );
    }

    #[test]
    fn reading_without_a_tree_answers_as_the_tree_did() {
        for text in [
            "1.5",
            "1.50",
            "0.1000",
            "-0",
            "-0.0",
            "0",
            "7",
            "-7",
            "1E5",
            "1e-7",
            "2.5e+3",
            "12345678901234567890123",
            "123456789012345678901234567890",
            "1e400",
            "1.7976931348623157e308",
            "0.30000000000000004",
            "\"1,5\"",
            "\"958.000\"",
            "\" 12 \"",
            "\"1.5e3\"",
            "\"abc\"",
            "\"\"",
            "null",
            "true",
            "false",
            "[]",
            "[1, \"2\", 3.50]",
            "[1, \"0,5\", 3]",
            "[-5, 20, \"-0.50\", 9223372036854775808, -12]",
            "[\"x\", \"0,5\", {\"a\": 1}, [2, 3], 7]",
            "[1, [2], {\"a\": 1}, null]",
            "[1, 2,]",
            "{}",
            "{\"a\": 1}",
            "{\"a\": 1, \"b\": [2]}",
            "{\"$serde_json::private::Number\": \"1.5\"}",
            "{\"$serde_json::private::Number\": \"abc\"}",
            "{\"$serde_json::private::Number\": \"01\"}",
            "{\"$serde_json::private::Number\": \"2\", \"b\": 3}",
            "{\"a\": 1,}",
            "[1, 2",
            "1.",
            "-",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "18446744073709551616",
        ] {
            agrees(text);
        }
    }

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
