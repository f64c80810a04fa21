//! Decimal arithmetic on 128-bit integers, giving rust_decimal's results to
//! the last bit.
//!
//! A [`Decimal`] is a 96-bit integer m, a scale e (0 to 28) and a sign:
//! m · 10^-e. rust_decimal adds and multiplies on 32-bit limbs; for the
//! sizes the engine meets (a 28-digit discount factor or index-converted
//! price is a 93-bit integer) most of its operations take the slow limb
//! path. Here the same operations run on `u128`:
//!
//! - **sum** of non-zero a and b: the operand with the smaller scale is
//!   multiplied by 10^(difference), the integers are added; when the result
//!   fits in 96 bits it is exactly rust_decimal's (scale: the larger of the
//!   two).
//! - **product** of non-zero a and b: P = m_a · m_b at scale e_a + e_b. When P
//!   fits in 96 bits and the scale is at most 28 it is exact. Otherwise
//!   rust_decimal drops the fewest k digits that bring the scale to 28 or
//!   less and P / 10^k under 2^96, and rounds half to even on the whole
//!   remainder (its "sticky" remainder of earlier limbs has the same effect);
//!   so does this code, on one `u128` division.
//!
//! Every case outside these — a zero operand (rust_decimal's zero keeps no
//! scale, and the sign of a zero result depends on its internal path), a
//! sum that cancels to zero or needs rounding, a product beyond 128 bits, a
//! product that rounds to zero or up to 2^96, an overflow — is handed to
//! rust_decimal itself. The results are therefore rust_decimal's, bit for
//! bit; the tests compare them on random operands of every size, and the
//! engine's property test compares whole business cases computed both ways
//! ([`Plain`] is rust_decimal's own arithmetic).

use rust_decimal::Decimal;

/// Checked arithmetic with rust_decimal's exact results: `None` on overflow.
pub trait Arith {
    /// a + b.
    fn add(a: Decimal, b: Decimal) -> Option<Decimal>;
    /// a - b.
    fn sub(a: Decimal, b: Decimal) -> Option<Decimal>;
    /// a · b, rounded as rust_decimal rounds.
    fn mul(a: Decimal, b: Decimal) -> Option<Decimal>;
}

/// rust_decimal's own checked operations: the reference.
#[derive(Debug)]
pub enum Plain {}

impl Arith for Plain {
    #[inline]
    fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
        a.checked_add(b)
    }
    #[inline]
    fn sub(a: Decimal, b: Decimal) -> Option<Decimal> {
        a.checked_sub(b)
    }
    #[inline]
    fn mul(a: Decimal, b: Decimal) -> Option<Decimal> {
        a.checked_mul(b)
    }
}

/// The same results on `u128`, falling back to rust_decimal where it must.
#[derive(Debug)]
pub enum Fast {}

/// 2^96: the first magnitude a Decimal cannot hold.
const LIMIT: u128 = 1 << 96;

/// 10^k for k = 0 ..= 38.
const POW10: [u128; 39] = {
    let mut table = [1u128; 39];
    let mut k = 1;
    while k < 39 {
        table[k] = table[k - 1] * 10;
        k += 1;
    }
    table
};

/// 2^96 · 10^k for k = 0 ..= 9: a product P < 2^128 needs k digits dropped
/// to fit in 96 bits when P ≥ LIMIT_TIMES_POW10[k - 1].
const LIMIT_TIMES_POW10: [u128; 10] = {
    let mut table = [LIMIT; 10];
    let mut k = 1;
    while k < 10 {
        table[k] = table[k - 1] * 10;
        k += 1;
    }
    table
};

/// The magnitude, scale and sign of a non-zero decimal.
#[inline(always)]
fn parts(d: Decimal) -> (u128, u32, bool) {
    (d.mantissa().unsigned_abs(), d.scale(), d.is_sign_negative())
}

/// A non-zero decimal from a magnitude under 2^96 and a scale of at most 28.
#[inline(always)]
fn build(m: u128, scale: u32, negative: bool) -> Decimal {
    debug_assert!(m != 0 && m < LIMIT && scale <= 28);
    Decimal::from_parts(
        m as u32,
        (m >> 32) as u32,
        (m >> 64) as u32,
        negative,
        scale,
    )
}

/// a + b (b already negated for a subtraction), or `None` for rust_decimal.
#[inline(always)]
fn sum(a: Decimal, b: Decimal, b_negative_flipped: bool) -> Option<Decimal> {
    let (ma, ea, na) = parts(a);
    let (mb, eb, nb) = parts(b);
    if ma == 0 || mb == 0 {
        return None;
    }
    let nb = nb ^ b_negative_flipped;
    let (ma, mb, scale) = if ea == eb {
        (ma, mb, ea)
    } else if ea > eb {
        (ma, mb.checked_mul(POW10[(ea - eb) as usize])?, ea)
    } else {
        (ma.checked_mul(POW10[(eb - ea) as usize])?, mb, eb)
    };
    // rust_decimal rescales an operand that overflows 96 bits when aligned.
    if ma >= LIMIT || mb >= LIMIT {
        return None;
    }
    let (m, negative) = if na == nb {
        (ma + mb, na)
    } else if ma > mb {
        (ma - mb, na)
    } else if mb > ma {
        (mb - ma, nb)
    } else {
        return None;
    };
    (m < LIMIT).then(|| build(m, scale, negative))
}

impl Arith for Fast {
    #[inline]
    fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
        sum(a, b, false).or_else(|| a.checked_add(b))
    }

    #[inline]
    fn sub(a: Decimal, b: Decimal) -> Option<Decimal> {
        sum(a, b, true).or_else(|| a.checked_sub(b))
    }

    #[inline]
    fn mul(a: Decimal, b: Decimal) -> Option<Decimal> {
        product(a, b).or_else(|| a.checked_mul(b))
    }
}

/// a · b as rust_decimal rounds it, or `None` for rust_decimal.
#[inline(always)]
fn product(a: Decimal, b: Decimal) -> Option<Decimal> {
    let (ma, ea, na) = parts(a);
    let (mb, eb, nb) = parts(b);
    if ma == 0 || mb == 0 {
        return None;
    }
    let p = ma.checked_mul(mb)?;
    let scale = ea + eb;
    let negative = na ^ nb;
    if p < LIMIT && scale <= 28 {
        return Some(build(p, scale, negative));
    }
    // The fewest digits to drop: the scale must come to 28, and P / 10^k
    // must fit in 96 bits (always true from k = 10 on, as P < 2^128).
    let mut k = scale.saturating_sub(28) as usize;
    while k < 10 && p >= LIMIT_TIMES_POW10[k] {
        k += 1;
    }
    if k as u32 > scale {
        return None;
    }
    let divisor = POW10[k];
    let mut q = p / divisor;
    let r = p - q * divisor;
    let half = divisor / 2;
    if r > half || (r == half && q & 1 == 1) {
        q += 1;
    }
    (q != 0 && q < LIMIT).then(|| build(q, scale - k as u32, negative))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn same(fast: Option<Decimal>, plain: Option<Decimal>) -> bool {
        fast.map(|d| d.serialize()) == plain.map(|d| d.serialize())
    }

    /// Decimals of every size: small integers, short fractions, 28-digit
    /// factors, magnitudes near 2^96, zeros with a scale, negative zeros.
    fn decimal() -> impl Strategy<Value = Decimal> {
        let mantissa = prop_oneof![
            0u128..1000,
            0u128..(1 << 32),
            0u128..(1 << 64),
            (1u128 << 90)..LIMIT,
            (LIMIT - 1000)..LIMIT,
            0u128..LIMIT,
        ];
        (mantissa, 0u32..=28, any::<bool>()).prop_map(|(m, scale, negative)| {
            let mut d = Decimal::from_parts(
                m as u32,
                (m >> 32) as u32,
                (m >> 64) as u32,
                negative,
                scale,
            );
            if m == 0 && negative {
                d.set_sign_negative(true);
            }
            d
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn fast_arithmetic_is_rust_decimal_bit_for_bit(a in decimal(), b in decimal()) {
            prop_assert!(same(Fast::add(a, b), Plain::add(a, b)), "{a:?} + {b:?}");
            prop_assert!(same(Fast::sub(a, b), Plain::sub(a, b)), "{a:?} - {b:?}");
            prop_assert!(same(Fast::mul(a, b), Plain::mul(a, b)), "{a:?} * {b:?}");
        }
    }

    #[test]
    fn products_that_round_agree_with_rust_decimal() {
        // A 28-digit discount factor times amounts, half-way cases and the
        // carry up to a new digit.
        let df = Decimal::from_str_exact("0.9661835748792270531400966184").unwrap();
        for amount in ["-12.5", "1234567.891", "7", "0.0000001", "-99999999999.99"] {
            let a = Decimal::from_str_exact(amount).unwrap();
            assert!(same(Fast::mul(a, df), Plain::mul(a, df)), "{amount}");
        }
        let half = Decimal::from_str_exact("0.5").unwrap();
        let odd = Decimal::from_parts(u32::MAX, u32::MAX, u32::MAX >> 4, false, 28);
        assert!(same(Fast::mul(odd, half), Plain::mul(odd, half)));
        let nines = Decimal::from_str_exact("9.999999999999999999999999999").unwrap();
        assert!(same(Fast::mul(nines, nines), Plain::mul(nines, nines)));
    }
}
