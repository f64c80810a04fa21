//! Fast number formatting for bulk output (sweeps, simulation draws).
//!
//! [`write_fixed`] writes exactly what `format!("{x:.d$}")` writes (the f64's
//! exact binary value rounded half to even at d decimals), with integer
//! arithmetic and `itoa` instead of the standard library's general float
//! formatter: the same bytes (property-tested below against `format!`).
//! Shortest round-trip output uses `zmij`, the formatter serde_json writes
//! f64 with, so JSON lines keep their bytes.

use std::io::Write;

/// Powers of ten up to 10^6, the most decimals [`write_fixed`] takes its fast
/// path for.
const POW10: [u128; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/// Appends `x` with `decimals` digits after the point, byte for byte as
/// `format!("{x:.decimals$}")`.
///
/// ```
/// let mut out = Vec::new();
/// som::report::numbers::write_fixed(&mut out, 1234.565, 2);
/// out.push(b' ');
/// som::report::numbers::write_fixed(&mut out, -0.000_1, 6);
/// assert_eq!(String::from_utf8(out).unwrap(), format!("{:.2} {:.6}", 1234.565, -0.000_1));
/// ```
pub fn write_fixed(out: &mut Vec<u8>, x: f64, decimals: usize) {
    match fixed_digits(x, decimals) {
        Some((negative, scaled)) => {
            if negative {
                out.push(b'-');
            }
            let unit = POW10[decimals];
            let mut buffer = itoa::Buffer::new();
            out.extend_from_slice(buffer.format(scaled / unit).as_bytes());
            if decimals > 0 {
                out.push(b'.');
                let fraction = buffer.format(scaled % unit).as_bytes();
                out.extend(std::iter::repeat_n(b'0', decimals - fraction.len()));
                out.extend_from_slice(fraction);
            }
        }
        // Infinite, NaN, above 2^74 or more than 6 decimals: the general formatter.
        None => {
            let _ = write!(out, "{x:.decimals$}");
        }
    }
}

/// The sign and round-half-even(|x| · 10^decimals) as an integer, when it
/// fits the fast path.
fn fixed_digits(x: f64, decimals: usize) -> Option<(bool, u128)> {
    if !x.is_finite() || decimals >= POW10.len() {
        return None;
    }
    let bits = x.to_bits();
    let negative = bits >> 63 == 1;
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = u128::from(bits & ((1 << 52) - 1));
    // |x| = mantissa · 2^power exactly.
    let (mantissa, power) = if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), exponent - 1075)
    };
    let scaled = mantissa * POW10[decimals]; // < 2^53 · 2^20
    if power >= 0 {
        // An integer: exact while it fits (|x| < 2^74 or so, far beyond 7.9e28).
        return (power < 128 - 73)
            .then(|| scaled << power)
            .map(|v| (negative, v));
    }
    let shift = power.unsigned_abs();
    if shift >= 128 {
        // Below 2^-55 · 10^-decimals: rounds to zero.
        return Some((negative, 0));
    }
    let quotient = scaled >> shift;
    let remainder = scaled - (quotient << shift);
    let half = 1u128 << (shift - 1);
    let rounded = if remainder > half || (remainder == half && quotient & 1 == 1) {
        quotient + 1
    } else {
        quotient
    };
    Some((negative, rounded))
}

/// Appends the shortest decimal that reads back as `x` (finite), as
/// serde_json writes an f64 (`zmij`).
pub fn write_shortest(out: &mut Vec<u8>, x: f64) {
    let mut buffer = zmij::Buffer::new();
    out.extend_from_slice(buffer.format_finite(x).as_bytes());
}

/// Appends an integer.
pub fn write_integer(out: &mut Vec<u8>, n: impl itoa::Integer) {
    let mut buffer = itoa::Buffer::new();
    out.extend_from_slice(buffer.format(n).as_bytes());
}

/// The longest text [`exact_text`] writes: a sign, 29 digits, a point and
/// the leading zeros of `0.000…` (28 of them at scale 28).
const EXACT_MAX: usize = 1 + 29 + 1 + 1 + 28;

/// A decimal as [`super::exact`] writes it (`d.normalize().to_string()`:
/// full precision, trailing zeros removed, `-0` as `0`), into a stack
/// buffer: the mantissa's digits by `itoa`, then the point placed, without
/// rust_decimal's digit-by-digit division of its 96-bit mantissa.
///
/// ```
/// use rust_decimal::Decimal;
/// let mut buffer = som::report::numbers::ExactBuffer::new();
/// assert_eq!(buffer.format(Decimal::new(-12_500, 4)), "-1.25");
/// assert_eq!(buffer.format(Decimal::new(-0, 3)), "0");
/// assert_eq!(buffer.format(Decimal::new(7, 28)), "0.0000000000000000000000000007");
/// ```
pub struct ExactBuffer {
    bytes: [u8; EXACT_MAX],
}

impl Default for ExactBuffer {
    fn default() -> Self {
        ExactBuffer::new()
    }
}

impl ExactBuffer {
    /// An empty buffer.
    pub fn new() -> ExactBuffer {
        ExactBuffer {
            bytes: [0; EXACT_MAX],
        }
    }

    /// The text of `d`, byte for byte `d.normalize().to_string()`.
    pub fn format(&mut self, d: rust_decimal::Decimal) -> &str {
        // Only ASCII digits, a sign and a point are written.
        std::str::from_utf8(self.format_ascii(d)).unwrap_or_default()
    }

    /// [`ExactBuffer::format`]'s text as its ASCII bytes.
    fn format_ascii(&mut self, d: rust_decimal::Decimal) -> &[u8] {
        let mut digits = itoa::Buffer::new();
        let Some((negative, digits, scale)) = exact_digits(&mut digits, d) else {
            return b"0";
        };
        let mut n = 0;
        let mut push = |bytes: &[u8]| {
            self.bytes[n..n + bytes.len()].copy_from_slice(bytes);
            n += bytes.len();
        };
        if negative {
            push(b"-");
        }
        if scale == 0 {
            push(digits);
        } else if scale >= digits.len() {
            push(b"0.");
            for _ in digits.len()..scale {
                push(b"0");
            }
            push(digits);
        } else {
            let point = digits.len() - scale;
            push(&digits[..point]);
            push(b".");
            push(&digits[point..]);
        }
        &self.bytes[..n]
    }
}

/// Appends the text [`ExactBuffer::format`] gives for `d` to `out`, without
/// a buffer in between.
///
/// ```
/// let mut out = b"x=".to_vec();
/// som::report::numbers::write_exact(&mut out, rust_decimal::Decimal::new(-12_500, 4));
/// assert_eq!(out, b"x=-1.25");
/// ```
pub fn write_exact(out: &mut Vec<u8>, d: rust_decimal::Decimal) {
    let mut digits = itoa::Buffer::new();
    let Some((negative, digits, scale)) = exact_digits(&mut digits, d) else {
        out.push(b'0');
        return;
    };
    if negative {
        out.push(b'-');
    }
    if scale == 0 {
        out.extend_from_slice(digits);
    } else if scale >= digits.len() {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', scale - digits.len()));
        out.extend_from_slice(digits);
    } else {
        let point = digits.len() - scale;
        out.extend_from_slice(&digits[..point]);
        out.push(b'.');
        out.extend_from_slice(&digits[point..]);
    }
}

/// What the text of a non-zero `d` is made of: its sign, its mantissa's
/// digits without the fraction's trailing zeros (`normalize()`), and the
/// number of those digits after the point. `None` for zero (either sign).
fn exact_digits(
    buffer: &mut itoa::Buffer,
    d: rust_decimal::Decimal,
) -> Option<(bool, &[u8], usize)> {
    let mantissa = d.mantissa();
    if mantissa == 0 {
        return None;
    }
    // Most amounts' mantissas fit 64 bits, whose digits come without
    // 128-bit divisions.
    let magnitude = mantissa.unsigned_abs();
    let digits = match u64::try_from(magnitude) {
        Ok(small) => buffer.format(small),
        Err(_) => buffer.format(magnitude),
    }
    .as_bytes();
    let zeros = digits.iter().rev().take_while(|b| **b == b'0').count();
    let scale = d.scale() as usize;
    let stripped = zeros.min(scale);
    Some((
        mantissa < 0,
        &digits[..digits.len() - stripped],
        scale - stripped,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fixed(x: f64, d: usize) -> String {
        let mut out = Vec::new();
        write_fixed(&mut out, x, d);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn ties_zeros_signs_and_limits_match_the_standard_formatter() {
        let cases = [
            0.0,
            -0.0,
            0.005,
            0.015,
            0.125,
            0.375,
            2.5,
            -2.5,
            1e-7,
            -1e-7,
            5e-324,
            -5e-324,
            0.1 + 0.2,
            1234.565,
            999.995,
            7.9e28,
            -7.9e28,
            2e36,
            1.7e308,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        for x in cases {
            for d in 0..=7 {
                assert_eq!(fixed(x, d), format!("{x:.d$}"), "{x:e} at {d} decimals");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// Every bit pattern: the standard library's formatter is the reference.
        #[test]
        fn any_f64_at_2_and_6_decimals_is_formatted_as_format_does(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            prop_assert_eq!(fixed(x, 2), format!("{x:.2}"));
            prop_assert_eq!(fixed(x, 6), format!("{x:.6}"));
        }

        /// Kroner amounts and ratios as sweeps produce them.
        #[test]
        fn amounts_in_the_engines_range_are_formatted_as_format_does(
            x in -1e12f64..1e12, scale in -20i32..18,
        ) {
            let x = x * 10f64.powi(scale);
            prop_assert_eq!(fixed(x, 2), format!("{x:.2}"));
            prop_assert_eq!(fixed(x, 6), format!("{x:.6}"));
        }

        /// rust_decimal's own formatting is the reference, over every
        /// mantissa, scale and sign.
        #[test]
        fn exact_text_is_what_normalize_and_display_write(
            lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(),
            negative in any::<bool>(), scale in 0u32..=28, small in any::<bool>(),
        ) {
            // Small mantissas too (most amounts), with trailing zeros.
            let (mid, hi) = if small { (mid % 4, 0) } else { (mid, hi) };
            let d = rust_decimal::Decimal::from_parts(lo, mid, hi, negative, scale);
            let mut buffer = ExactBuffer::new();
            prop_assert_eq!(buffer.format(d), d.normalize().to_string());
            let mut out = Vec::new();
            write_exact(&mut out, d);
            prop_assert_eq!(String::from_utf8(out).unwrap(), d.normalize().to_string());
            let tens = rust_decimal::Decimal::from_parts(lo % 1000 * 1000, 0, 0, negative, scale);
            prop_assert_eq!(buffer.format(tens), tens.normalize().to_string());
        }

        #[test]
        fn shortest_is_what_serde_json_writes(x in any::<f64>().prop_filter("finite", |x| x.is_finite())) {
            let mut out = Vec::new();
            write_shortest(&mut out, x);
            let json = serde_json::Value::from(x).to_string();
            prop_assert_eq!(String::from_utf8(out).unwrap(), json);
        }
    }
}
