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

/// 10^8: a mantissa's digits are worked out eight at a time.
const TEN_TO_8: u64 = 100_000_000;

/// 10^16: a mantissa of more than 64 bits is first cut into its high
/// digits (13 at most) and its low 16.
const TEN_TO_16: u64 = 10_000_000_000_000_000;

/// Eight ASCII zeros, one a byte: a word of digit values (0 to 9) or-ed
/// with it is their text.
const ZEROS: u64 = 0x3030_3030_3030_3030;

/// The eight digits of `n` < 10^8 as values 0 to 9, one a byte, leading
/// zeros included, the most significant in the lowest byte (so that the
/// word's bytes in memory order read as the number), computed side by side
/// in one 64-bit word: split into two halves of four digits (32-bit lanes),
/// each into two pairs (16-bit lanes), each into two digits (bytes). The
/// divisions by 100 and 10 in the lanes are multiplications by 10486 / 2^20
/// and 103 / 2^10, exact below 10^4 and 100; no lane's product reaches the
/// next lane.
#[inline(always)]
fn digit_values(n: u64) -> u64 {
    let halves = (n / 10_000) | ((n % 10_000) << 32);
    let hundreds = ((halves * 10_486) >> 20) & 0x0000_007f_0000_007f;
    let pairs = ((halves - hundreds * 100) << 16) | hundreds;
    let tens = ((pairs * 103) >> 10) & 0x000f_000f_000f_000f;
    ((pairs - tens * 10) << 8) | tens
}

/// ⌈2^118 / 5^16⌉, 81 bits: [`div_rem_ten_to_16`]'s reciprocal. With
/// e = RECIPROCAL · 5^16 − 2^118 < 5^16, the product n · RECIPROCAL / 2^118
/// exceeds n / 5^16 by n · e / (5^16 · 2^118) < n / 2^118, which for a
/// dividend n < 2^80 is below 2^-38 < 1 / 5^16. A fraction n / 5^16 that is
/// not whole is at least 1 / 5^16 below the next integer, so the product's
/// floor is ⌊n / 5^16⌋ (Granlund and Montgomery's condition for division by
/// invariant integers).
const RECIPROCAL: u128 = 0x1_cd2b_297d_889b_c2b6_985e;

/// A mantissa `m` < 2^96 cut into ⌊m / 10^16⌋ and m mod 10^16, without
/// a 128-bit division (a call that divides bit by bit): m / 10^16 is
/// (m / 2^16) / 5^16, and the division by 5^16 of a number of 80 bits is
/// a multiplication by [`RECIPROCAL`] (four 64-bit products) and a shift.
#[inline(always)]
fn div_rem_ten_to_16(m: u128) -> (u64, u64) {
    if let Ok(small) = u64::try_from(m) {
        return (small / TEN_TO_16, small % TEN_TO_16);
    }
    let n = m >> 16;
    let (n1, n0) = ((n >> 64) as u64, n as u64);
    let (r1, r0) = ((RECIPROCAL >> 64) as u64, RECIPROCAL as u64);
    // n · RECIPROCAL / 2^64, from its four 64-bit products: n1 < 2^16 and
    // r1 < 2^17, so no sum overflows.
    let low = (u128::from(n0) * u128::from(r0)) >> 64;
    let middle = u128::from(n1) * u128::from(r0) + u128::from(n0) * u128::from(r1) + low;
    let quotient = ((u128::from(n1 * r1) << 64) + middle) >> (118 - 64);
    // The quotient is below 2^96 / 10^16 < 2^43, the remainder below 10^16.
    let quotient = quotient as u64;
    let remainder = (m as u64).wrapping_sub(quotient.wrapping_mul(TEN_TO_16));
    (quotient, remainder)
}

/// The digits of a mantissa `m` < 2^96 (29 at most), zero-padded to 32,
/// as four words of eight [`digit_values`], the most significant first. The
/// words a short mantissa does not reach are zeros without being worked
/// out.
#[inline(always)]
fn digit_groups(m: u128) -> [u64; 4] {
    match u64::try_from(m) {
        Ok(small) if small < TEN_TO_8 => [0, 0, 0, digit_values(small)],
        Ok(small) if small < TEN_TO_16 => [
            0,
            0,
            digit_values(small / TEN_TO_8),
            digit_values(small % TEN_TO_8),
        ],
        _ => {
            let (high, low) = div_rem_ten_to_16(m);
            [
                high / TEN_TO_8,
                high % TEN_TO_8,
                low / TEN_TO_8,
                low % TEN_TO_8,
            ]
            .map(digit_values)
        }
    }
}

/// The longest text [`put_exact`] writes: 2 quotes, a sign and 30
/// characters, either 29 digits and a point or `0.` and 28 digits
/// (scale 28).
const EXACT_MAX: usize = 2 + 1 + 30;

/// The bytes a text is written into: the longest text, with room for
/// words of eight written from anywhere below 64.
const WINDOW: usize = 64 + 8;

const _: () = assert!(EXACT_MAX + 8 <= 64);

/// Where [`put_exact`] writes: eight bytes at a time, at any place below
/// 64 (a place is taken modulo 64, which keeps every word inside the
/// window without a check; no text reaches that far).
type Window = [u8; WINDOW];

#[inline(always)]
fn store(window: &mut Window, at: usize, bytes: [u8; 8]) {
    let at = at % 64;
    window[at..at + 8].copy_from_slice(&bytes);
}

/// Writes the digits `from..to` (`from < to <= 32`) of the 32 in `text`
/// (four words of eight in memory order, and zeros for the words read
/// across its end) at `at`, eight at a time: each word shifted out of the
/// two whole words it straddles (loads of exactly what was stored, which
/// the processor forwards from its stores without waiting).
#[inline(always)]
fn put_digits(window: &mut Window, text: &[u64; 5], at: usize, from: usize, to: usize) {
    let mut done = 0;
    loop {
        let place = from + done;
        let word = place / 8 % 4;
        let pair = u128::from(text[word]) | u128::from(text[word + 1]) << 64;
        store(
            window,
            at + done,
            ((pair >> (8 * (place % 8))) as u64).to_le_bytes(),
        );
        done += 8;
        if from + done >= to {
            return;
        }
    }
}

/// Writes the text of `d` (`d.normalize().to_string()`: full precision,
/// the fraction's trailing zeros removed, `-0` as `0`), in quotes when
/// `QUOTED`, at the start of `window`, and gives its length. Bytes after it
/// may be written too.
///
/// The mantissa's digits are worked out first, all at once, in words of
/// eight; the number of digits and of trailing zeros is counted in those
/// words. Then the integer part, the point and the fraction are written,
/// each word straight to its place: no byte is moved after it is written,
/// and there is no 128-bit division.
#[inline(always)]
fn put_exact<const QUOTED: bool>(window: &mut Window, d: rust_decimal::Decimal) -> usize {
    let magnitude = d.mantissa().unsigned_abs();
    if magnitude == 0 {
        if QUOTED {
            store(window, 0, *b"\"0\"\0\0\0\0\0");
            return 3;
        }
        store(window, 0, *b"0\0\0\0\0\0\0\0");
        return 1;
    }
    let scale = d.scale() as usize;
    let [g3, g2, g1, g0] = digit_groups(magnitude);
    // A digit value is a zero byte where the digit is a zero: the last
    // digits are the high bytes of the last words, the first digits the
    // low bytes of the first words.
    let last = u128::from(g0) << 64 | u128::from(g1);
    let first = u128::from(g2) << 64 | u128::from(g3);
    let trailing = if last != 0 {
        last.leading_zeros() / 8
    } else {
        16 + first.leading_zeros() / 8
    } as usize;
    let leading = if first != 0 {
        first.trailing_zeros() / 8
    } else {
        16 + last.trailing_zeros() / 8
    } as usize;
    // The text, as places in the 32 digits: the integer part is
    // start..point (or 0), the fraction point..end, without its trailing
    // zeros.
    let (start, point, end) = (leading, 32 - scale, 32 - trailing.min(scale));
    let text = [g3 | ZEROS, g2 | ZEROS, g1 | ZEROS, g0 | ZEROS, 0];
    // The quote and a minus sign; the sign is written over by the digits
    // when the number is not negative.
    if QUOTED {
        store(window, 0, *b"\"-\0\0\0\0\0\0");
    } else {
        store(window, 0, *b"-\0\0\0\0\0\0\0");
    }
    let mut at = usize::from(QUOTED) + usize::from(d.is_sign_negative());
    if start < point {
        put_digits(window, &text, at, start, point);
        at += point - start;
    } else {
        store(window, at, *b"0\0\0\0\0\0\0\0");
        at += 1;
    }
    if point < end {
        store(window, at, *b".\0\0\0\0\0\0\0");
        put_digits(window, &text, at + 1, point, end);
        at += 1 + end - point;
    }
    if QUOTED {
        store(window, at, *b"\"\0\0\0\0\0\0\0");
        at += 1;
    }
    at
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
    bytes: Window,
}

impl Default for ExactBuffer {
    fn default() -> Self {
        ExactBuffer::new()
    }
}

impl ExactBuffer {
    /// An empty buffer.
    pub fn new() -> ExactBuffer {
        ExactBuffer { bytes: [0; WINDOW] }
    }

    /// The text of `d`, byte for byte `d.normalize().to_string()`.
    pub fn format(&mut self, d: rust_decimal::Decimal) -> &str {
        let length = put_exact::<false>(&mut self.bytes, d);
        // Only ASCII digits, a sign and a point are written.
        std::str::from_utf8(&self.bytes[..length]).unwrap_or_default()
    }
}

/// Appends the text of `d` as [`put_exact`] writes it: into the next
/// [`WINDOW`] bytes of `out`, which are then cut back to the text.
#[inline(always)]
fn append_exact<const QUOTED: bool>(out: &mut Vec<u8>, d: rust_decimal::Decimal) {
    let length = out.len();
    out.resize(length + WINDOW, 0);
    let written = match out[length..].first_chunk_mut::<WINDOW>() {
        Some(window) => put_exact::<QUOTED>(window, d),
        None => 0,
    };
    out.truncate(length + written);
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
    append_exact::<false>(out, d);
}

/// Appends the text [`write_exact`] writes, in quotes: a JSON string that
/// needs no escapes.
#[inline(always)]
pub(crate) fn write_exact_quoted(out: &mut Vec<u8>, d: rust_decimal::Decimal) {
    append_exact::<true>(out, d);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The text of `d` from each of the three exact writers, checked
    /// against rust_decimal's `d.normalize().to_string()`.
    fn assert_exact_text_is_rust_decimals(d: rust_decimal::Decimal) {
        let expected = d.normalize().to_string();
        let mut buffer = ExactBuffer::new();
        assert_eq!(buffer.format(d), expected, "{d:?}");
        let mut out = b"x".to_vec();
        write_exact(&mut out, d);
        assert_eq!(out, format!("x{expected}").as_bytes(), "{d:?}");
        let mut quoted = b"x".to_vec();
        write_exact_quoted(&mut quoted, d);
        assert_eq!(quoted, format!("x\"{expected}\"").as_bytes(), "{d:?}");
    }

    /// Every place the point can fall relative to the digits and to the
    /// groups of eight they are worked out in: every scale 0..=28, both
    /// signs, 1 to 29 significant digits (with zeros inside them too, across
    /// the groups' edges) followed by every number of zeros that fits in 96
    /// bits.
    #[test]
    fn exact_text_at_every_scale_length_and_run_of_trailing_zeros_is_rust_decimals() {
        const ALL_DIGITS: &str = "12345678912345678912345678912";
        for length in 1..=29usize {
            let mut patterns = vec![ALL_DIGITS[..length].to_owned()];
            if length >= 2 {
                patterns.push(format!("1{}1", "0".repeat(length - 2)));
            }
            if length <= 28 {
                patterns.push("9".repeat(length));
            }
            for pattern in patterns {
                let significant: u128 = pattern.parse().unwrap();
                for zeros in 0..=(29 - length) as u32 {
                    let Some(mantissa) = significant
                        .checked_mul(10u128.pow(zeros))
                        .filter(|m| *m < 1 << 96)
                    else {
                        continue;
                    };
                    let mantissa = i128::try_from(mantissa).unwrap();
                    for scale in 0..=28 {
                        for signed in [mantissa, -mantissa] {
                            let d = rust_decimal::Decimal::from_i128_with_scale(signed, scale);
                            assert_exact_text_is_rust_decimals(d);
                        }
                    }
                }
            }
        }
        // The largest mantissa, and zero at every scale and sign.
        for scale in 0..=28 {
            for negative in [false, true] {
                let max = rust_decimal::Decimal::from_parts(
                    u32::MAX,
                    u32::MAX,
                    u32::MAX,
                    negative,
                    scale,
                );
                assert_exact_text_is_rust_decimals(max);
                assert_exact_text_is_rust_decimals(rust_decimal::Decimal::from_parts(
                    0, 0, 0, negative, scale,
                ));
            }
        }
    }

    /// The reciprocal division at its edges: around multiples of 10^16,
    /// 2^64 and the largest mantissa.
    #[test]
    fn division_by_ten_to_16_at_its_edges_is_u128_division() {
        let ten_to_16 = 10u128.pow(16);
        let mut cases = vec![(1u128 << 64) - 1, 1 << 64, (1 << 64) + 1, (1 << 96) - 1];
        for quotient in [0, 1, 1844, 1845, 999_999_999_999, 7_922_816_251_426] {
            for remainder in [0, 1, ten_to_16 - 1] {
                cases.push(quotient * ten_to_16 + remainder);
            }
        }
        for n in cases.into_iter().filter(|n| *n < 1 << 96) {
            let expected = ((n / ten_to_16) as u64, (n % ten_to_16) as u64);
            assert_eq!(div_rem_ten_to_16(n), expected, "{n}");
        }
    }

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

        /// Mantissas spread over every length up to 2^96 (a random number
        /// of bits), times a random power of ten while it fits, at any
        /// scale and sign.
        #[test]
        fn exact_text_of_any_length_scale_and_trailing_zeros_is_rust_decimals(
            bits in 0u32..=96, value in any::<u128>(), zeros in 0u32..=28,
            negative in any::<bool>(), scale in 0u32..=28,
        ) {
            let mut mantissa = value & ((1u128 << bits) - 1);
            for _ in 0..zeros {
                match mantissa.checked_mul(10).filter(|m| *m < 1 << 96) {
                    Some(m) => mantissa = m,
                    None => break,
                }
            }
            let mantissa = i128::try_from(mantissa).unwrap();
            let d = rust_decimal::Decimal::from_i128_with_scale(
                if negative { -mantissa } else { mantissa },
                scale,
            );
            assert_exact_text_is_rust_decimals(d);
        }

        /// The division by 10^16 by a reciprocal, over every mantissa.
        #[test]
        fn division_by_ten_to_16_is_u128_division(n in 0u128..1 << 96) {
            let expected = ((n / 10u128.pow(16)) as u64, (n % 10u128.pow(16)) as u64);
            prop_assert_eq!(div_rem_ten_to_16(n), expected);
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
