//! Numbers as people write them: Danish notation is never misread.
//!
//! A Danish analyst writes nine hundred and fifty-eight thousand as
//! `958.000` and one and a half as `1,5`. Read with a decimal point,
//! `958.000` would silently become 958. So every number `som` reads from a
//! file or a request follows one rule:
//!
//! - **Scenario and knowledge-base JSON, HTTP requests, comma-separated
//!   CSV**: the decimal mark is a point and there are no thousands
//!   separators. A number that looks like Danish (or English) notation is
//!   refused, and the message says what was probably meant:
//!   `1.506,85` → write 1506.85; `0,45` → write 0.45; `1.506.850` → write
//!   1506850. `958.000` is ambiguous (958 thousand in Danish, 958 as a
//!   decimal) and is refused with both readings: write 958000, or 958.
//!   A number of this shape whose decimal reading is the one meant is
//!   written with one decimal more or less (`1.5060` or `1.506e0` for
//!   1.506).
//! - **Semicolon-separated CSV** (what a spreadsheet with Danish settings
//!   saves): the comma is the decimal mark, so `0,45` is 0.45, `1.506,85` is
//!   1506.85 and `1.506.850` is 1506850; a plain `0.45` is 0.45 too. Only
//!   the ambiguous `958.000` is refused, as above.
//!
//! ```
//! use rust_decimal::Decimal;
//! use som::number::notation::{DecimalMark, read};
//! assert_eq!(read("0,45", DecimalMark::Comma).unwrap(), Decimal::new(45, 2));
//! assert_eq!(read("1.506,85", DecimalMark::Comma).unwrap(), Decimal::new(150685, 2));
//! let refused = read("958.000", DecimalMark::Point).unwrap_err();
//! assert!(refused.contains("write 958000, or 958"), "{refused}");
//! assert!(read("0,45", DecimalMark::Point).unwrap_err().contains("write 0.45"));
//! ```

use rust_decimal::Decimal;

/// Which character marks the decimals where a number is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecimalMark {
    /// `0.45`: JSON, HTTP requests and comma-separated CSV.
    Point,
    /// `0,45`: semicolon-separated CSV, as a spreadsheet with Danish settings saves it.
    Comma,
}

/// Reads a number written as text, with `mark` as its decimal mark.
///
/// With [`DecimalMark::Point`] it is [`super::parse`] (exponents
/// allowed) after [`refusal`]; with [`DecimalMark::Comma`] a decimal comma
/// and point-grouped thousands are read, and the ambiguous single group
/// (`958.000`) is refused.
pub fn read(text: &str, mark: DecimalMark) -> Result<Decimal, String> {
    // A text that starts and ends with a visible ASCII character (a digit,
    // a sign) has no whitespace to trim, Unicode's included: the common
    // case is spared `trim`'s search.
    let text = match text.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        [only] if only.is_ascii_graphic() => text,
        _ => text.trim(),
    };
    match mark {
        DecimalMark::Point => {
            if let Some(value) = plain_decimal(text) {
                return Ok(value);
            }
            if let Some(message) = refusal(text) {
                return Err(message);
            }
            super::parse(text)
        }
        DecimalMark::Comma => {
            let shape = if text.len() > 40 {
                Shape::Plain
            } else {
                Shape::of(text)
            };
            match shape {
                Shape::Ambiguous { .. } | Shape::EnglishGrouping => {
                    Err(refusal_in(text, mark).unwrap_or_default())
                }
                Shape::DanishGrouping | Shape::DanishFull | Shape::DecimalComma { .. } => {
                    let point = text.replace('.', "").replace(',', ".");
                    super::parse(&point)
                }
                Shape::Plain => super::parse(text),
            }
        }
    }
}

/// Why a number written with a decimal point must not be read as it
/// stands, with what was probably meant; `None` when it reads plainly.
///
/// ```
/// let m = som::number::notation::refusal("1.506,85").unwrap();
/// assert!(m.contains("write 1506.85"), "{m}");
/// assert!(som::number::notation::refusal("0.45").is_none());
/// assert!(som::number::notation::refusal("0.450").is_none());
/// assert!(som::number::notation::refusal("1.5e3").is_none());
/// ```
pub fn refusal(text: &str) -> Option<String> {
    let text = text.trim();
    if text.len() > 40 {
        // Longer than any real figure: no hint, and no megabyte-long message
        // ([`super::parse`] says it is not a number it can hold).
        return None;
    }
    let digits_only = |s: &str| s.replace([',', '.'], "");
    let expected = "a decimal point and no thousands separators";
    match Shape::of(text) {
        Shape::Plain => None,
        Shape::Ambiguous { decimal } => Some(ambiguous(text, &decimal, DecimalMark::Point)),
        Shape::DanishGrouping => Some(format!(
            "`{text}` groups thousands with points (Danish notation): write {} ({expected})",
            digits_only(text)
        )),
        Shape::DanishFull => Some(format!(
            "`{text}` is written in Danish notation: write {} ({expected})",
            text.replace('.', "").replace(',', ".")
        )),
        Shape::DecimalComma { also_grouping } => {
            let decimal = text.replace(',', ".");
            Some(if also_grouping {
                format!(
                    "`{text}` has a comma: write {decimal} if it is a decimal comma, or {} if it separates thousands ({expected})",
                    digits_only(text)
                )
            } else {
                format!("`{text}` has a decimal comma: write {decimal} ({expected})")
            })
        }
        Shape::EnglishGrouping => Some(format!(
            "`{text}` groups thousands with commas: write {} ({expected})",
            text.replace(',', "")
        )),
    }
}

/// The message for an ambiguous `text` (`958.000`) whose decimal reading
/// is `decimal` (`958`), with both readings written as `mark` wants them: the
/// decimal without its trailing zeros (958), or with one zero more (`1.506`
/// → 1.5060) when it has none.
fn ambiguous(text: &str, decimal: &str, mark: DecimalMark) -> String {
    let grouped = text.replace('.', "");
    let decimal = if decimal.len() < text.len() {
        decimal.to_owned()
    } else {
        format!("{text}0")
    };
    let (decimal, expected) = match mark {
        DecimalMark::Point => (decimal, "a decimal point and no thousands separators"),
        DecimalMark::Comma => (
            decimal.replace('.', ","),
            "a decimal comma and no thousands separators",
        ),
    };
    format!(
        "`{text}` is ambiguous: in Danish notation the point separates thousands ({grouped}), \
         as a decimal it is {decimal}; write {grouped}, or {decimal} for the decimal ({expected})"
    )
}

/// Why a number written with `mark` as its decimal mark must not be read as
/// it stands, with what was probably meant; `None` when it reads (or is
/// simply not a number).
pub fn refusal_in(text: &str, mark: DecimalMark) -> Option<String> {
    match mark {
        DecimalMark::Point => refusal(text),
        DecimalMark::Comma if text.trim().len() > 40 => None,
        DecimalMark::Comma => match Shape::of(text.trim()) {
            Shape::Ambiguous { decimal } => Some(ambiguous(text.trim(), &decimal, mark)),
            Shape::EnglishGrouping => refusal(text),
            _ => None,
        },
    }
}

/// The notation a number's text is written in.
/// The value of `text` when it is a plain decimal with a point that
/// [`read`] takes as it is: an optional `-`, 1 to 19 digits in all, at most
/// one point with digits on both sides, and not the shape [`refusal`]
/// remarks on (one to three digits, a point and three digits). The
/// mantissa's digits and scale are the ones `Decimal::from_str_exact` gives
/// (`1.50` keeps its scale of 2) and zero is [`Decimal::ZERO`], as
/// [`super::parse`] returns them. `None` sends every other text the general
/// way: exponents, `+`, whitespace, commas, more digits, the remarked shapes.
/// Every figure of a scenario comes through here, most of them plain.
fn plain_decimal(text: &str) -> Option<Decimal> {
    let bytes = text.as_bytes();
    let (negative, unsigned) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let mut mantissa: u64 = 0;
    let mut digits = 0usize;
    let mut point = None;
    for (i, &b) in unsigned.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                if digits == 19 {
                    return None;
                }
                mantissa = mantissa * 10 + u64::from(b - b'0');
                digits += 1;
            }
            b'.' if point.is_none() && i > 0 => point = Some(i),
            _ => return None,
        }
    }
    let scale = match point {
        None if digits > 0 => 0,
        // Digits after the point, and not `958.000`'s shape.
        Some(at) if at + 1 < unsigned.len() && !(at <= 3 && unsigned.len() - at - 1 == 3) => {
            unsigned.len() - at - 1
        }
        _ => return None,
    };
    if mantissa == 0 {
        return Some(Decimal::ZERO);
    }
    // At most 19 digits: below 10^19, within a u64 and Decimal's 96 bits.
    let signed = if negative {
        -i128::from(mantissa)
    } else {
        i128::from(mantissa)
    };
    Decimal::try_from_i128_with_scale(signed, scale as u32).ok()
}

/// Whether `text` is an optional `-` and 1 to 18 digits: a whole number
/// [`refusal`] has nothing to say about and `i64` holds.
pub(crate) fn plain_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    (1..=18).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

#[derive(Debug, PartialEq, Eq)]
enum Shape {
    /// Nothing to remark: `12`, `0.45`, `1.5e3`, `-0.035`, or not a number at all.
    Plain,
    /// One point followed by exactly three digits after one to three digits
    /// that do not start with 0: `958.000`, `1.506`. `decimal` is its value
    /// read with a decimal point, without trailing zeros.
    Ambiguous { decimal: String },
    /// Points every three digits, more than once: `1.506.850`.
    DanishGrouping,
    /// Points every three digits and a decimal comma: `1.506,85`.
    DanishFull,
    /// A comma among digits: `0,45`, `1506,85`. `also_grouping` when it could
    /// equally be an English thousands separator (`1,506`).
    DecimalComma { also_grouping: bool },
    /// Commas every three digits, with or without a decimal point: `1,506,850`, `1,506.85`.
    EnglishGrouping,
}

impl Shape {
    fn of(text: &str) -> Shape {
        let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
        // Digits, points and commas only, starting with a digit; counted in
        // the same pass (every figure a scenario holds comes through here).
        let (mut points, mut commas) = (0usize, 0usize);
        for b in unsigned.bytes() {
            match b {
                b'0'..=b'9' => {}
                b'.' => points += 1,
                b',' => commas += 1,
                _ => return Shape::Plain,
            }
        }
        if !unsigned.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            return Shape::Plain;
        }
        let grouped = |s: &str, sep: char| -> bool {
            // 1-3 digits, not starting with 0 unless alone, then groups of exactly 3.
            let mut parts = s.split(sep);
            let head = parts.next().unwrap_or("");
            let head_ok = (1..=3).contains(&head.len())
                && head.bytes().all(|b| b.is_ascii_digit())
                && !(head.len() > 1 && head.starts_with('0'));
            let mut groups = 0;
            for part in parts {
                if part.len() != 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
                    return false;
                }
                groups += 1;
            }
            head_ok && groups > 0
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        match (points, commas) {
            (0, 0) => Shape::Plain,
            (1, 0) => {
                let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
                if grouped(unsigned, '.') && !whole.starts_with('0') {
                    let trimmed = fraction.trim_end_matches('0');
                    let decimal = if trimmed.is_empty() {
                        whole.to_owned()
                    } else {
                        format!("{whole}.{trimmed}")
                    };
                    let sign = if text.starts_with('-') { "-" } else { "" };
                    Shape::Ambiguous {
                        decimal: format!("{sign}{decimal}"),
                    }
                } else {
                    Shape::Plain
                }
            }
            (_, 0) if grouped(unsigned, '.') => Shape::DanishGrouping,
            (0, 1) => {
                let (whole, fraction) = unsigned.split_once(',').unwrap_or((unsigned, ""));
                if digits(whole) && digits(fraction) {
                    Shape::DecimalComma {
                        also_grouping: grouped(unsigned, ',') && whole != "0",
                    }
                } else {
                    Shape::Plain
                }
            }
            (_, 1) if unsigned.find(',') > unsigned.rfind('.') => {
                let (whole, fraction) = unsigned.split_once(',').unwrap_or((unsigned, ""));
                if grouped(whole, '.') && digits(fraction) {
                    Shape::DanishFull
                } else {
                    Shape::Plain
                }
            }
            (0, _) if grouped(unsigned, ',') => Shape::EnglishGrouping,
            (1, _) => {
                let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
                if grouped(whole, ',') && digits(fraction) {
                    Shape::EnglishGrouping
                } else {
                    Shape::Plain
                }
            }
            _ => Shape::Plain,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// [`read`] without its plain-decimal shortcut: the general way.
    fn read_general(text: &str) -> Result<Decimal, String> {
        let text = text.trim();
        match refusal(text) {
            Some(message) => Err(message),
            None => crate::number::parse(text),
        }
    }

    /// Bit for bit: the same mantissa and scale, not only the same value.
    fn same(a: &Result<Decimal, String>, b: &Result<Decimal, String>) -> bool {
        match (a, b) {
            (Ok(a), Ok(b)) => a.serialize() == b.serialize(),
            (Err(a), Err(b)) => a == b,
            _ => false,
        }
    }

    #[test]
    fn the_plain_shortcut_gives_the_general_result_on_every_edge() {
        for text in [
            "0",
            "-0",
            "0.0",
            "-0.000",
            "00.5",
            "7",
            "-7",
            "1.50",
            "1.5",
            "958.000",
            "958.0000",
            "95.800",
            "0.125",
            "1.506",
            "1234.567",
            "12.345",
            "-12.345",
            "1.",
            ".5",
            "-",
            "",
            "--1",
            "+1",
            "1e3",
            " 1.5 ",
            " 7",
            "7 ",
            "5",
            "\t-7\n",
            "\u{a0}1.5",
            "1.5\u{2003}",
            "\u{a0}",
            "\u{2003}7\u{a0}",
            "1,5",
            "1.2.3",
            "9999999999999999999",
            "-9999999999999999999",
            "99999999999999999999",
            "0.0000000000000000001",
            "1.000000000000000000",
            "0.45",
            "-4.3740",
            "250000",
            "958000",
        ] {
            let fast = read(text, DecimalMark::Point);
            let general = read_general(text);
            assert!(
                same(&fast, &general),
                "{text:?}: {fast:?} against {general:?}"
            );
        }
        // Whitespace around a number, Unicode's too, is not part of it
        // with a decimal comma either (by hand).
        for (text, value) in [
            ("1,5\u{a0}", Decimal::new(15, 1)),
            ("1,5 ", Decimal::new(15, 1)),
            ("\u{2003}1.506,85", Decimal::new(150685, 2)),
            (" 7", Decimal::new(7, 0)),
        ] {
            assert_eq!(read(text, DecimalMark::Comma), Ok(value), "{text:?}");
        }
        // By hand: the digits and the scale as written.
        assert_eq!(plain_decimal("1.50"), Some(Decimal::new(150, 2)));
        assert_eq!(plain_decimal("-4.3740"), Some(Decimal::new(-43740, 4)));
        assert_eq!(plain_decimal("-0.00"), Some(Decimal::ZERO));
        assert_eq!(plain_decimal("958.000"), None);
        assert_eq!(plain_decimal("0.125"), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// Texts made of digits, signs, points, commas, exponents and
        /// spaces: the shortcut never changes what [`read`] answers.
        #[test]
        fn the_plain_shortcut_never_changes_an_answer(text in "[-+]?[0-9.,eE ]{0,24}") {
            let fast = read(&text, DecimalMark::Point);
            let general = read_general(&text);
            prop_assert!(same(&fast, &general), "{:?}: {:?} against {:?}", text, fast, general);
        }

        #[test]
        fn plain_numbers_read_as_the_general_way_reads_them(
            whole in 0u64..100_000_000_000, fraction in "[0-9]{0,8}", negative in any::<bool>(),
        ) {
            let sign = if negative { "-" } else { "" };
            let text = if fraction.is_empty() {
                format!("{sign}{whole}")
            } else {
                format!("{sign}{whole}.{fraction}")
            };
            let fast = read(&text, DecimalMark::Point);
            let general = read_general(&text);
            prop_assert!(same(&fast, &general), "{:?}: {:?} against {:?}", text, fast, general);
        }

        #[test]
        fn plain_integers_are_what_refusal_and_i64_accept(text in "-?[0-9]{0,20}") {
            if plain_integer(&text) {
                prop_assert_eq!(refusal(&text), None);
                prop_assert!(text.parse::<i64>().is_ok());
            }
        }
    }

    fn d(s: &str) -> Decimal {
        crate::number::parse(s).unwrap()
    }

    #[test]
    fn plain_numbers_have_nothing_to_remark() {
        for text in [
            "12",
            "0.45",
            "0.450",
            "-0.035",
            "1.5e3",
            "12.5",
            "1234.5678",
            "0.000",
            "2026",
            "",
            "abc",
            "1.50",
            "10000.000",
        ] {
            assert_eq!(refusal(text), None, "{text}");
        }
    }

    #[test]
    fn danish_notation_is_refused_with_what_was_meant() {
        let cases = [
            ("958.000", "write 958000, or 958 for the decimal"),
            ("1.506", "write 1506, or 1.5060 for the decimal"),
            ("-12.500", "write -12500, or -12.5 for the decimal"),
            ("1.506,85", "write 1506.85"),
            ("1.506.850", "write 1506850"),
            ("0,45", "decimal comma: write 0.45"),
            ("1506,85", "decimal comma: write 1506.85"),
            (
                "1,506",
                "write 1.506 if it is a decimal comma, or 1506 if it separates thousands",
            ),
            ("1,506,850", "groups thousands with commas: write 1506850"),
            ("1,506.85", "groups thousands with commas: write 1506.85"),
        ];
        for (text, hint) in cases {
            let message = refusal(text).unwrap_or_default();
            assert!(message.contains(hint), "{text}: {message}");
        }
    }

    #[test]
    fn a_decimal_comma_reads_where_the_comma_is_the_decimal_mark() {
        let comma = |s| read(s, DecimalMark::Comma);
        assert_eq!(comma("0,45").unwrap(), d("0.45"));
        assert_eq!(comma("1.506,85").unwrap(), d("1506.85"));
        assert_eq!(comma("1.506.850").unwrap(), d("1506850"));
        assert_eq!(comma("1506,85").unwrap(), d("1506.85"));
        assert_eq!(comma("1,506").unwrap(), d("1.506"));
        assert_eq!(comma("-2,5").unwrap(), d("-2.5"));
        assert_eq!(comma("0.45").unwrap(), d("0.45"));
        assert_eq!(comma("40").unwrap(), d("40"));
        assert!(comma("958.000").unwrap_err().contains("ambiguous"));
        assert!(comma("1,506,850").is_err());
        assert!(comma("abc").is_err());
    }

    #[test]
    fn a_point_reads_where_the_point_is_the_decimal_mark() {
        let point = |s| read(s, DecimalMark::Point);
        assert_eq!(point("0.45").unwrap(), d("0.45"));
        assert_eq!(point("958000").unwrap(), d("958000"));
        assert_eq!(point("1.5060").unwrap(), d("1.506"));
        assert!(point("958.000").is_err());
        assert!(point("0,45").is_err());
    }
}
