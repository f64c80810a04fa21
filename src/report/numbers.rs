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

/// The longest text [`exact_text`] writes: a sign and 30 characters,
/// either 29 digits and a point or `0.` and 28 digits (scale 28).
const EXACT_MAX: usize = 1 + 30;

/// Where [`exact_text`]'s text ends in its buffer: room before it for the
/// longest text, a quote, and the zeros the digits are written with in
/// groups of eight.
const TEXT_END: usize = 64;

/// How many bytes of a buffer are copied out at once, whatever the text's
/// length: a copy of a fixed length is a few moves, with no call. The
/// longest text and its quotes fit.
const TEXT_COPY: usize = 40;

/// A buffer for [`exact_text`], filled with zeros: the text, its closing
/// quote at [`TEXT_END`], and room for a copy of [`TEXT_COPY`] bytes.
type TextBuffer = [u8; TEXT_END + TEXT_COPY];

const _: () = assert!(EXACT_MAX + 2 <= TEXT_COPY);

/// 10^19: the low digits of a mantissa of more than 64 bits are its
/// remainder by this, 19 digits with leading zeros.
const TEN_TO_19: u128 = 10_000_000_000_000_000_000;

/// The eight digits of `n` < 10^8 as ASCII, leading zeros included, most
/// significant first, computed side by side in one 64-bit word: split into
/// two halves of four digits (32-bit lanes), each into two pairs (16-bit
/// lanes), each into two digits (bytes). The divisions by 100 and 10 in the
/// lanes are multiplications by 10486 / 2^20 and 103 / 2^10, exact below
/// 10^4 and 100; no lane's product reaches the next lane.
#[inline(always)]
fn eight_digits(n: u64) -> [u8; 8] {
    let halves = (n / 10_000) | ((n % 10_000) << 32);
    let hundreds = ((halves * 10_486) >> 20) & 0x0000_007f_0000_007f;
    let pairs = ((halves - hundreds * 100) << 16) | hundreds;
    let tens = ((pairs * 103) >> 10) & 0x000f_000f_000f_000f;
    let digits = ((pairs - tens * 10) << 8) | tens;
    (digits | 0x3030_3030_3030_3030).to_le_bytes()
}

/// Writes the digits of `n` to end just before `end`, eight at a time,
/// the last group padded with zeros to the left.
#[inline(always)]
fn groups(buffer: &mut TextBuffer, end: usize, n: u64) {
    let (mut rest, mut at) = (n, end);
    loop {
        at -= 8;
        buffer[at..at + 8].copy_from_slice(&eight_digits(rest % 100_000_000));
        rest /= 100_000_000;
        if rest == 0 {
            return;
        }
    }
}

/// [`groups`], and where the digits of `n` start.
#[inline(always)]
fn digits(buffer: &mut TextBuffer, end: usize, n: u64) -> usize {
    groups(buffer, end, n);
    end - n.checked_ilog10().map_or(1, |l| l as usize + 1)
}

/// Writes the text of `d` (`d.normalize().to_string()`: full precision,
/// the fraction's trailing zeros removed, `-0` as `0`) into `buffer`,
/// which must hold only zeros, to end just before [`TEXT_END`]: where it
/// starts (at 1 or later; the bytes before it may be changed).
///
/// The trailing zeros are taken off the mantissa before it is written, in
/// 64-bit arithmetic: a mantissa of more than 64 bits is first cut into its
/// high digits and its low 19 digits (one 128-bit division). The digits are
/// written right to left, eight at a time; the zeros a short low part or a
/// `0.000…` needs are already in the buffer.
#[inline(always)]
fn exact_text(buffer: &mut TextBuffer, d: rust_decimal::Decimal) -> usize {
    let end = TEXT_END;
    let magnitude = d.mantissa().unsigned_abs();
    if magnitude == 0 {
        return end - 1;
    }
    let mut scale = d.scale() as usize;
    // The number is high · 10^width + low, with low < 10^width when high
    // is not zero.
    let (mut high, mut low, mut width) = match u64::try_from(magnitude) {
        Ok(small) => (0, small, 0),
        Err(_) => (
            (magnitude / TEN_TO_19) as u64,
            (magnitude % TEN_TO_19) as u64,
            19,
        ),
    };
    if high != 0 && low == 0 {
        // All of the low digits are zeros: as many go as the scale allows.
        let zeros = scale.min(width);
        scale -= zeros;
        width -= zeros;
        if width == 0 {
            (high, low) = (0, high);
        }
    }
    // low is not zero here unless the scale is. Products carry up to 28
    // places, some of them zeros: eight go at a time, then four, two, one.
    if scale > 0 && low % 10 == 0 {
        while scale >= 8 && low % 100_000_000 == 0 {
            low /= 100_000_000;
            scale -= 8;
            width = width.saturating_sub(8);
        }
        for (step, zeros) in [(10_000, 4), (100, 2), (10, 1)] {
            if scale >= zeros && low % step == 0 {
                low /= step;
                scale -= zeros;
                width = width.saturating_sub(zeros);
            }
        }
    }
    let mut start = if high == 0 {
        digits(buffer, end, low)
    } else {
        groups(buffer, end, low);
        digits(buffer, end - width, high)
    };
    let written = end - start;
    if scale >= written {
        // 0.000…: the zeros after the point are in the buffer already.
        start = end - scale - 2;
        buffer[start..start + 2].copy_from_slice(b"0.");
    } else if scale > 0 {
        // The integer part (29 digits at most) moves one place to the
        // left, with zeros before it: a copy of fixed length.
        let point = end - scale;
        buffer.copy_within(point - 32..point, point - 33);
        buffer[point - 1] = b'.';
        start -= 1;
    }
    if d.is_sign_negative() {
        start -= 1;
        buffer[start] = b'-';
    }
    start
}

/// A decimal as [`super::exact`] writes it (`d.normalize().to_string()`:
/// full precision, trailing zeros removed, `-0` as `0`), into a stack
/// buffer, without rust_decimal's digit-by-digit division of its 96-bit
/// mantissa.
///
/// ```
/// use rust_decimal::Decimal;
/// let mut buffer = som::report::numbers::ExactBuffer::new();
/// assert_eq!(buffer.format(Decimal::new(-12_500, 4)), "-1.25");
/// assert_eq!(buffer.format(Decimal::new(-0, 3)), "0");
/// assert_eq!(buffer.format(Decimal::new(7, 28)), "0.0000000000000000000000000007");
/// ```
pub struct ExactBuffer {
    bytes: TextBuffer,
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
            bytes: [b'0'; TEXT_END + TEXT_COPY],
        }
    }

    /// The text of `d`, byte for byte `d.normalize().to_string()`.
    pub fn format(&mut self, d: rust_decimal::Decimal) -> &str {
        self.bytes = [b'0'; TEXT_END + TEXT_COPY];
        let start = exact_text(&mut self.bytes, d);
        // Only ASCII digits, a sign and a point are written.
        std::str::from_utf8(&self.bytes[start..TEXT_END]).unwrap_or_default()
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
    let mut buffer = [b'0'; TEXT_END + TEXT_COPY];
    let start = exact_text(&mut buffer, d);
    out.extend_from_slice(&buffer[start..TEXT_END]);
}

/// Appends the text [`write_exact`] writes, in quotes: a JSON string that
/// needs no escapes, in one copy.
pub(crate) fn write_exact_quoted(out: &mut Vec<u8>, d: rust_decimal::Decimal) {
    let mut buffer = [b'0'; TEXT_END + TEXT_COPY];
    let start = exact_text(&mut buffer, d) - 1;
    buffer[start] = b'"';
    buffer[TEXT_END] = b'"';
    // TEXT_COPY bytes, then the length of the text in quotes.
    let length = out.len() + TEXT_END + 1 - start;
    out.extend_from_slice(&buffer[start..start + TEXT_COPY]);
    out.truncate(length);
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
            let mut quoted = b"x".to_vec();
            write_exact_quoted(&mut quoted, d);
            prop_assert_eq!(String::from_utf8(quoted).unwrap(), format!("x\"{}\"", d.normalize()));
            let tens = rust_decimal::Decimal::from_parts(lo % 1000 * 1000, 0, 0, negative, scale);
            prop_assert_eq!(buffer.format(tens), tens.normalize().to_string());
        }

        /// Mantissas of more than 64 bits whose low 19 digits end in
        /// zeros, all of them zeros included: where the text is cut in two.
        #[test]
        fn exact_text_of_long_mantissas_ending_in_zeros_is_what_display_writes(
            high in 1u64..=7_900_000_000, low in 0u64..10_000_000_000_000_000_000,
            zeros in 0u32..=19, negative in any::<bool>(), scale in 0u32..=28,
        ) {
            let cut = 10u64.pow(zeros);
            let mantissa = i128::from(high) * 10i128.pow(19) + i128::from(low / cut * cut);
            let d = rust_decimal::Decimal::from_i128_with_scale(
                if negative { -mantissa } else { mantissa },
                scale,
            );
            let mut out = Vec::new();
            write_exact_quoted(&mut out, d);
            prop_assert_eq!(String::from_utf8(out).unwrap(), format!("\"{}\"", d.normalize()));
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
