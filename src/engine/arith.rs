//! Decimal arithmetic on 128-bit integers, giving rust_decimal's results to
//! the last bit.
//!
//! A [`Decimal`] is a 96-bit integer m, a scale e (0 to 28) and a sign:
//! m · 10^-e. rust_decimal adds and multiplies on 32-bit limbs; for the
//! sizes the engine meets (a 28-digit discount factor or index-converted
//! price is a 93-bit integer) most of its operations take the slow limb
//! path. Here the same operations run on `u128`:
//!
//! - **zero**: a ± 0 is a (scale and all), 0 + b is b and 0 - b is b with
//!   its sign turned (unless b is a zero); a · 0 is rust_decimal's plain
//!   zero (scale 0, positive).
//! - **sum** of non-zero a and b: the operand with the smaller scale is
//!   multiplied by 10^(difference) exactly (up to 2^190) and the integers
//!   are added, at the larger scale. When the sum fits in 96 bits it is
//!   rust_decimal's; otherwise rust_decimal rounds it as it rounds a product.
//! - **product** of non-zero a and b: P = m_a · m_b (up to 2^192) at scale
//!   e_a + e_b. When P fits in 96 bits and the scale is at most 28 it is
//!   exact. Otherwise rust_decimal drops the fewest k digits that bring the
//!   scale to 28 or less and P / 10^k under 2^96, and rounds half to even on
//!   the whole remainder (its "sticky" remainder of earlier limbs has the
//!   same effect); so does this code, dividing 64-bit limbs by at most two
//!   powers of ten of up to 19 digits.
//!
//! The common cases (a zero, products of magnitudes under 2^64, sums whose
//! aligned operands fit in 128 bits and whose result needs no rounding —
//! any two at one scale) are inlined into the engine's loops; sums and
//! products that need more bits, or round, are out of line. Every case outside these rules — a sum that cancels to
//! zero, a result that rounds to zero or up to 2^96 (rust_decimal then
//! divides by 10 again), an overflow — is handed to rust_decimal itself.
//! The results are therefore rust_decimal's, bit for bit; the tests compare
//! them on random operands of every size, and the engine's property test
//! compares whole business cases computed both ways ([`Plain`] is
//! rust_decimal's own arithmetic).

use rust_decimal::Decimal;

/// Checked arithmetic with rust_decimal's exact results: `None` on overflow.
pub trait Arith {
    /// a + b.
    fn add(a: Decimal, b: Decimal) -> Option<Decimal>;
    /// a - b.
    fn sub(a: Decimal, b: Decimal) -> Option<Decimal>;
    /// a · b, rounded as rust_decimal rounds.
    fn mul(a: Decimal, b: Decimal) -> Option<Decimal>;
    /// a / b for b ≠ 0, rounded as rust_decimal rounds.
    fn div(a: Decimal, b: Decimal) -> Option<Decimal>;
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
    #[inline]
    fn div(a: Decimal, b: Decimal) -> Option<Decimal> {
        a.checked_div(b)
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

/// A magnitude of up to 256 bits as (high, low) halves: an exact sum after
/// alignment or an exact product of two 96-bit magnitudes (under 2^192).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Wide {
    hi: u128,
    lo: u128,
}

/// a · b for a, b < 2^128, exactly.
#[inline(always)]
fn wide_product(a: u128, b: u128) -> Wide {
    let (a1, a0) = (a >> 64, a as u64 as u128);
    let (b1, b0) = (b >> 64, b as u64 as u128);
    let low = a0 * b0;
    let (middle, middle_carry) = (a0 * b1).overflowing_add(a1 * b0);
    let (lo, carry) = low.overflowing_add(middle << 64);
    let hi = a1 * b1 + (middle >> 64) + ((middle_carry as u128) << 64) + carry as u128;
    Wide { hi, lo }
}

/// 2^96 · 10^k for k = 0 ..= 29: a magnitude X needs k digits dropped to
/// fit in 96 bits when X ≥ LIMIT_TIMES_POW10[k - 1]; every X under 2^192 is
/// under the last entry.
const LIMIT_TIMES_POW10: [Wide; 30] = {
    let mut table = [Wide { hi: 0, lo: LIMIT }; 30];
    let mut k = 1;
    while k < 30 {
        // (hi · 2^128 + lo) · 10, the halves carried by hand (const context).
        let lo = table[k - 1].lo;
        let lo_times = (lo & u64::MAX as u128) * 10;
        let upper = (lo >> 64) * 10 + (lo_times >> 64);
        table[k] = Wide {
            hi: table[k - 1].hi * 10 + (upper >> 64),
            lo: (upper << 64) | (lo_times & u64::MAX as u128),
        };
        k += 1;
    }
    table
};

/// rust_decimal's rounding of an exact magnitude X at scale `scale` (at
/// most 56) into a decimal: drop the fewest k digits that bring the scale to
/// 28 or less and X / 10^k under 2^96, rounding half to even on the whole
/// remainder. `None` where rust_decimal does something else: X needs more
/// digits dropped than it has decimals (an overflow), rounds to zero, or
/// rounds up to 2^96 (rust_decimal then divides the rounded value by 10
/// again).
#[inline(always)]
fn rounded(x: Wide, scale: u32, negative: bool) -> Option<Decimal> {
    // The fewest k: a first guess from the bit length that is never too
    // high (77/256 is under log10 2), then up one digit at a time.
    let least = scale.saturating_sub(28) as usize;
    if x.hi == 0 {
        let x = x.lo;
        if x < LIMIT && least == 0 {
            return (x != 0).then(|| build(x, scale, negative));
        }
        // Under 2^128 the magnitude needs at most 10 digits dropped (2^96 ·
        // 10^10 > 2^128); a scale over 38 can ask for more.
        let bits = 128 - x.leading_zeros();
        let guess = if bits > 96 {
            (((bits - 97) * 77) >> 8) + 1
        } else {
            0
        };
        let mut k = (guess as usize).max(least);
        while k < 10 && x >= LIMIT_TIMES_POW10[k].lo {
            k += 1;
        }
        if k == 0 || k as u32 > scale {
            return None;
        }
        let divisor = POW10[k];
        let (q, remainder) = if k <= 19 {
            // 10^k < 2^64: the processor's division.
            let (q, remainder) = divide_u128(x, divisor as u64);
            (q, remainder as u128)
        } else {
            // k comes from a scale over 47, rare: the general division.
            let q = x / divisor;
            (q, x - q * divisor)
        };
        return round_half_even(q, remainder, divisor / 2, false, scale - k as u32, negative);
    }
    // X ≥ 2^128: a product or an aligned sum, under 2^192, so k is 10 to 29.
    if x.hi >> 64 != 0 {
        return None;
    }
    let bits = 256 - x.hi.leading_zeros();
    let mut k = ((((bits - 97) * 77) >> 8) as usize + 1).max(least);
    while k < LIMIT_TIMES_POW10.len() && x >= LIMIT_TIMES_POW10[k] {
        k += 1;
    }
    if k as u32 > scale || k >= LIMIT_TIMES_POW10.len() {
        return None;
    }
    // X as three 64-bit limbs divided by 10^k in at most two steps of up to
    // 19 digits; `sticky` remembers a non-zero remainder of the first step.
    let mut limbs = [x.hi as u64, (x.lo >> 64) as u64, x.lo as u64];
    let mut sticky = false;
    let mut last = k;
    if k > 19 {
        sticky = divide(&mut limbs, POW10[k - 19] as u64) != 0;
        last = 19;
    }
    let divisor = POW10[last] as u64;
    let remainder = divide(&mut limbs, divisor);
    debug_assert!(limbs[0] == 0);
    let q = ((limbs[1] as u128) << 64) | limbs[2] as u128;
    round_half_even(
        q,
        remainder as u128,
        (divisor / 2) as u128,
        sticky,
        scale - k as u32,
        negative,
    )
}

/// q rounded half to even on its remainder (`sticky`: a non-zero remainder
/// of an earlier step lies below it), or `None` where rust_decimal's result
/// is not that: zero, or 2^96 (which rust_decimal divides by 10 again).
#[inline(always)]
fn round_half_even(
    mut q: u128,
    remainder: u128,
    half: u128,
    sticky: bool,
    scale: u32,
    negative: bool,
) -> Option<Decimal> {
    debug_assert!(q < LIMIT);
    if remainder > half || (remainder == half && (sticky || q & 1 == 1)) {
        q += 1;
    }
    (q != 0 && q < LIMIT).then(|| build(q, scale, negative))
}

/// Long division of three 64-bit limbs (most significant first) by `d`, in
/// place: the remainder.
///
/// A top limb under d is the first remainder, with a zero quotient limb,
/// without a division. That is always so for the last division in
/// [`rounded`] (X < 2^96 · 10^k, so X / 2^128 < 10^k / 2^32), which saves
/// one of its three dependent divisions.
#[inline(always)]
fn divide(limbs: &mut [u64; 3], d: u64) -> u64 {
    let (mut remainder, first) = if limbs[0] < d {
        (std::mem::take(&mut limbs[0]), 1)
    } else {
        (0, 0)
    };
    for limb in &mut limbs[first..] {
        (*limb, remainder) = divide_step(remainder, *limb, d);
    }
    remainder
}

/// (high · 2^64 + low) / d and its remainder, for high < d (so the quotient
/// fits in 64 bits): one step of a long division.
///
/// On x86-64 this is the processor's own 128-by-64-bit `div`. Rust's `u128`
/// division is a call into a general 128-by-128-bit routine, which took
/// about a seventh of the engine's time; the results are the same integers.
/// Dividing by a precomputed reciprocal of 10^k instead (Möller and
/// Granlund, "Improved division by invariant integers", 2011) was measured
/// slower on the engine's machine (a recent Xeon): the steps of a long
/// division form a chain through the remainder, and along such a chain the
/// reciprocal's two multiplications and corrections take longer than `div`.
#[inline(always)]
fn divide_step(high: u64, low: u64, d: u64) -> (u64, u64) {
    debug_assert!(high < d);
    #[cfg(target_arch = "x86_64")]
    {
        let quotient: u64;
        let remainder: u64;
        // SAFETY: `div` faults only when d is zero or the quotient does not
        // fit in 64 bits; high < d rules out both. It reads and writes only
        // the named registers and the flags.
        unsafe {
            std::arch::asm!(
                "div {d}",
                d = in(reg) d,
                inout("rax") low => quotient,
                inout("rdx") high => remainder,
                options(pure, nomem, nostack),
            );
        }
        (quotient, remainder)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let n = ((high as u128) << 64) | low as u128;
        let quotient = (n / d as u128) as u64;
        (quotient, (n - quotient as u128 * d as u128) as u64)
    }
}

/// x / d and x mod d for d < 2^64, in at most two [`divide_step`]s.
#[inline(always)]
fn divide_u128(x: u128, d: u64) -> (u128, u64) {
    let (high, low) = ((x >> 64) as u64, x as u64);
    if high < d {
        let (q, r) = divide_step(high, low, d);
        (q as u128, r)
    } else {
        let (q_high, r) = divide_step(0, high, d);
        let (q_low, r) = divide_step(r, low, d);
        (((q_high as u128) << 64) | q_low as u128, r)
    }
}

/// A decimal's four words as rust_decimal lays them out (`repr(C)` with its
/// `bytemuck` feature): flags (scale in bits 16-23, sign in bit 31), then
/// the magnitude's high, low and middle 32 bits.
#[inline(always)]
fn words(d: Decimal) -> [u32; 4] {
    bytemuck::cast(d)
}

/// The magnitude, scale and sign of a decimal, read from its words.
#[inline(always)]
fn parts(d: Decimal) -> (u128, u32, bool) {
    let [flags, hi, lo, mid] = words(d);
    let m = (hi as u128) << 64 | (mid as u128) << 32 | lo as u128;
    (m, (flags >> 16) & 0xff, flags >> 31 == 1)
}

/// Whether d is 1 at any scale (1, 1.0, 1.00 ...): `d == Decimal::ONE`,
/// compared on its words instead of through rust_decimal's general
/// comparison, which aligns the scales first.
#[inline(always)]
pub(super) fn is_one(d: Decimal) -> bool {
    let (m, scale, negative) = parts(d);
    !negative && m == POW10[scale as usize]
}

/// A non-zero decimal from a magnitude under 2^96 and a scale of at most 28:
/// its words written at once, as rust_decimal's `from_parts` would set them
/// (the magnitude is not zero, so the sign is kept).
#[inline(always)]
fn build(m: u128, scale: u32, negative: bool) -> Decimal {
    debug_assert!(m != 0 && m < LIMIT && scale <= 28);
    let flags = scale << 16 | (negative as u32) << 31;
    bytemuck::cast([flags, (m >> 64) as u32, m as u32, (m >> 32) as u32])
}

/// A result of the out-of-line operations as one 128-bit value, which
/// returns in registers where an `Option<Decimal>` would go through memory:
/// the decimal's words, or [`NO_RESULT`].
type Raw = u128;

/// No result: all bits set, which no decimal has (bits 0-15 of its flags
/// are always zero).
const NO_RESULT: Raw = u128::MAX;

#[inline(always)]
fn to_raw(d: Option<Decimal>) -> Raw {
    d.map_or(NO_RESULT, bytemuck::cast)
}

#[inline(always)]
fn from_raw(raw: Raw) -> Option<Decimal> {
    (raw != NO_RESULT).then(|| bytemuck::cast(raw))
}

/// a + b, or a - b when `subtract`: the common cases here, inlined into
/// the engine's loops, the rest in [`sum_wide`].
///
/// A zero operand gives the other one as rust_decimal gives it (0 - b is b
/// with its sign turned unless b is a zero; a ± 0 is a, scale and all).
#[inline(always)]
fn sum(a: Decimal, b: Decimal, subtract: bool) -> Option<Decimal> {
    let (ma, ea, na) = parts(a);
    let (mb, eb, nb) = parts(b);
    if ma == 0 {
        return Some(if subtract && mb != 0 { -b } else { b });
    }
    if mb == 0 {
        return Some(a);
    }
    // The operand with the smaller scale, times 10^(difference), still fits
    // in 128 bits (at one scale both do): the aligned operands are added on
    // u128 (their sum is checked).
    let aligned_fits = if ea >= eb {
        mb <= FITS_128_TIMES_POW10[(ea - eb) as usize]
    } else {
        ma <= FITS_128_TIMES_POW10[(eb - ea) as usize]
    };
    if aligned_fits {
        let (ma, mb, scale) = if ea >= eb {
            (ma, mb * POW10[(ea - eb) as usize], ea)
        } else {
            (ma * POW10[(eb - ea) as usize], mb, eb)
        };
        let nb = nb ^ subtract;
        let (m, negative) = if na == nb {
            (ma.checked_add(mb), na)
        } else if ma > mb {
            (Some(ma - mb), na)
        } else {
            (Some(mb.wrapping_sub(ma)).filter(|m| *m != 0), nb)
        };
        if let Some(m) = m {
            if m < LIMIT {
                return Some(build(m, scale, negative));
            }
            return from_raw(sum_rounded(m, scale, negative, a, b, subtract));
        }
    }
    from_raw(sum_wide(a, b, subtract))
}

/// (2^128 - 1) / 10^d for d = 0 ..= 28: the largest magnitude that can be
/// aligned by d digits and still fit in 128 bits.
const FITS_128_TIMES_POW10: [u128; 29] = {
    let mut table = [0u128; 29];
    let mut d = 0;
    while d < 29 {
        table[d] = u128::MAX / POW10[d];
        d += 1;
    }
    table
};

/// a ± b whose exact sum m (at `scale`, under 2^128 and not zero) needs
/// rounding: what [`sum_wide`] gives, without aligning the operands again.
#[inline(never)]
fn sum_rounded(m: u128, scale: u32, negative: bool, a: Decimal, b: Decimal, subtract: bool) -> Raw {
    to_raw(rounded(Wide { hi: 0, lo: m }, scale, negative).or_else(|| {
        if subtract {
            a.checked_sub(b)
        } else {
            a.checked_add(b)
        }
    }))
}

/// a ± b for non-zero operands: they are aligned exactly (the one with the
/// smaller scale times 10^(difference), up to 2^190) and added, and
/// rust_decimal rounds the exact sum as it rounds a product ([`rounded`]);
/// rust_decimal itself where that does not hold.
#[inline(never)]
fn sum_wide(a: Decimal, b: Decimal, subtract: bool) -> Raw {
    to_raw(exact_sum(a, b, subtract).or_else(|| {
        if subtract {
            a.checked_sub(b)
        } else {
            a.checked_add(b)
        }
    }))
}

/// [`sum_wide`] without rust_decimal: `None` where it must decide.
#[inline(always)]
fn exact_sum(a: Decimal, b: Decimal, subtract: bool) -> Option<Decimal> {
    let (ma, ea, na) = parts(a);
    let (mb, eb, nb) = parts(b);
    if ma == 0 || mb == 0 {
        return None;
    }
    let nb = nb ^ subtract;
    let (scale, a_wide, b_wide) = if ea == eb {
        (ea, Wide { hi: 0, lo: ma }, Wide { hi: 0, lo: mb })
    } else if ea > eb {
        (ea, Wide { hi: 0, lo: ma }, aligned(mb, ea - eb))
    } else {
        (eb, aligned(ma, eb - ea), Wide { hi: 0, lo: mb })
    };
    let (x, negative) = if na == nb {
        (wide_add(a_wide, b_wide), na)
    } else if a_wide > b_wide {
        (wide_sub(a_wide, b_wide), na)
    } else if b_wide > a_wide {
        (wide_sub(b_wide, a_wide), nb)
    } else {
        return None;
    };
    rounded(x, scale, negative)
}

/// m · 10^shift exactly (m < 2^96, shift ≤ 28).
#[inline(always)]
fn aligned(m: u128, shift: u32) -> Wide {
    match m.checked_mul(POW10[shift as usize]) {
        Some(lo) => Wide { hi: 0, lo },
        None => wide_product(m, POW10[shift as usize]),
    }
}

#[inline(always)]
fn wide_add(a: Wide, b: Wide) -> Wide {
    let (lo, carry) = a.lo.overflowing_add(b.lo);
    Wide {
        hi: a.hi + b.hi + carry as u128,
        lo,
    }
}

/// a - b for a > b.
#[inline(always)]
fn wide_sub(a: Wide, b: Wide) -> Wide {
    let (lo, borrow) = a.lo.overflowing_sub(b.lo);
    Wide {
        hi: a.hi - b.hi - borrow as u128,
        lo,
    }
}

impl Arith for Fast {
    #[inline(always)]
    fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
        sum(a, b, false)
    }

    #[inline(always)]
    fn sub(a: Decimal, b: Decimal) -> Option<Decimal> {
        sum(a, b, true)
    }

    #[inline(always)]
    fn mul(a: Decimal, b: Decimal) -> Option<Decimal> {
        product(a, b)
    }

    #[inline]
    fn div(a: Decimal, b: Decimal) -> Option<Decimal> {
        quotient(a, b).or_else(|| a.checked_div(b))
    }
}

/// a · b as rust_decimal rounds it: the common cases here, inlined into
/// the engine's loops, the rest in [`product_wide`]. A zero operand gives
/// rust_decimal's zero (scale 0, positive).
#[inline(always)]
fn product(a: Decimal, b: Decimal) -> Option<Decimal> {
    let (ma, ea, na) = parts(a);
    let (mb, eb, nb) = parts(b);
    if ma == 0 || mb == 0 {
        return Some(Decimal::ZERO);
    }
    let scale = ea + eb;
    if (ma | mb) >> 64 == 0 && scale <= 28 {
        let p = ma * mb;
        if p < LIMIT {
            return Some(build(p, scale, na ^ nb));
        }
    }
    from_raw(product_wide(a, b))
}

/// a · b for non-zero operands: the exact product P = m_a · m_b (under
/// 2^192) at scale e_a + e_b, rounded ([`rounded`]); rust_decimal itself
/// where that does not hold.
#[inline(never)]
fn product_wide(a: Decimal, b: Decimal) -> Raw {
    to_raw(exact_product(a, b).or_else(|| a.checked_mul(b)))
}

/// [`product_wide`] without rust_decimal: `None` where it must decide.
#[inline(always)]
fn exact_product(a: Decimal, b: Decimal) -> Option<Decimal> {
    let (ma, ea, na) = parts(a);
    let (mb, eb, nb) = parts(b);
    if ma == 0 || mb == 0 {
        return None;
    }
    let p = match ma.checked_mul(mb) {
        Some(p) => Wide { hi: 0, lo: p },
        None => wide_product(ma, mb),
    };
    rounded(p, ea + eb, na ^ nb)
}

/// (2^96 - 1) / 10^x for x = 1 ..= 9: the largest magnitude that can be
/// multiplied by 10^x and still fit in 96 bits.
const FITS_TIMES_POW10: [u128; 10] = {
    let mut table = [0u128; 10];
    let mut x = 1;
    while x < 10 {
        table[x] = (LIMIT - 1) / POW10[x];
        x += 1;
    }
    table
};

/// How many digits rust_decimal's division appends to a quotient `q` at
/// `scale` in its next step (its `find_scale`): the most, up to 9, that keep
/// `q` under 2^96 and the scale at most 28, found from `q`'s top 32 bits as
/// rust_decimal finds it. `None` where it reports an overflow.
#[inline(always)]
fn digits_to_append(q: u128, scale: i32) -> Option<u32> {
    let hi = (q >> 64) as u64;
    let low = q as u64;
    let top = |x: usize| (FITS_TIMES_POW10[x] >> 64) as u64;
    let low_of = |x: usize| FITS_TIMES_POW10[x] as u64;
    if hi > top(1) {
        return (scale >= 0).then_some(0);
    }
    if scale > 28 - 9 {
        let x = (28 - scale) as usize;
        if hi < top(x) {
            return (x as i32 + scale >= 0).then_some(x as u32);
        }
    } else if hi < top(9) || (hi == top(9) && low <= low_of(9)) {
        return Some(9);
    }
    let mut x = if hi > top(5) {
        if hi > top(3) {
            if hi > top(2) { 1 } else { 2 }
        } else if hi > top(4) {
            3
        } else {
            4
        }
    } else if hi > top(7) {
        if hi > top(6) { 5 } else { 6 }
    } else if hi > top(8) {
        7
    } else {
        8
    };
    if hi == top(x) && low > low_of(x) {
        x -= 1;
    }
    (x as i32 + scale >= 0).then_some(x as u32)
}

/// A quotient that passed 2^96 by less than 2^32, at `scale`, brought back
/// under it as rust_decimal does: one digit dropped, rounded half to even
/// (`sticky`: a non-zero remainder lies below the dropped digit).
#[inline(always)]
fn drop_digit(q: u128, scale: i32, sticky: bool) -> Option<(u128, i32)> {
    if scale < 1 {
        return None;
    }
    let mut kept = q / 10;
    let digit = q - kept * 10;
    if digit > 5 || (digit == 5 && (sticky || kept & 1 == 1)) {
        kept += 1;
    }
    Some((kept, scale - 1))
}

/// a / b for b ≠ 0 as rust_decimal divides (its `div_impl`), on `u128`:
/// the integer quotient of the magnitudes, then up to 9 more digits at a
/// time from the remainder while the quotient stays under 2^96 and the scale
/// at most 28, the last digit rounded half to even, and trailing zeros
/// removed the way rust_decimal removes them when a remainder was seen.
/// `None` on overflow, for a zero divisor, and for a result of zero (left to
/// rust_decimal, which gives it its scale).
#[inline]
fn quotient(a: Decimal, b: Decimal) -> Option<Decimal> {
    let (ma, ea, na) = parts(a);
    let (mb, eb, nb) = parts(b);
    if mb == 0 || ma == 0 {
        return None;
    }
    let mut scale = ea as i32 - eb as i32;
    let mut q = ma / mb;
    let mut r = ma - q * mb;
    let mut seen_remainder = false;
    if r != 0 || scale < 0 {
        loop {
            let power = if r == 0 {
                if scale >= 0 {
                    break;
                }
                (-scale).min(9) as u32
            } else {
                seen_remainder = true;
                let power = if scale == 28 {
                    0
                } else {
                    digits_to_append(q, scale)?
                };
                if power == 0 {
                    // No digit fits: round half to even on the remainder.
                    let twice = r << 1;
                    if twice > mb || (twice == mb && q & 1 == 1) {
                        q += 1;
                        if q >= LIMIT {
                            (q, scale) = drop_digit(q, scale, true)?;
                        }
                    }
                    break;
                }
                power
            };
            scale += power as i32;
            q = q
                .checked_mul(POW10[power as usize])
                .filter(|q| *q < LIMIT)?;
            // r < mb < 2^96 and 10^9 < 2^30: the product fits.
            let scaled = r * POW10[power as usize];
            let digits = scaled / mb;
            r = scaled - digits * mb;
            q += digits;
            if q >= LIMIT {
                (q, scale) = drop_digit(q, scale, r != 0)?;
                break;
            }
        }
    }
    if seen_remainder {
        // rust_decimal's `unscale`, step for step: 10^8 only while the low
        // 32 bits are zero, then at most one each of 10^4, 10^2 and 10.
        while q as u32 == 0 && scale >= 8 && q % POW10[8] == 0 {
            q /= POW10[8];
            scale -= 8;
        }
        for (digits, low_bits) in [(4, 0xf), (2, 0x3), (1, 0x1)] {
            if q & low_bits == 0 && scale >= digits && q % POW10[digits as usize] == 0 {
                q /= POW10[digits as usize];
                scale -= digits;
            }
        }
    }
    (q != 0 && (0..=28).contains(&scale)).then(|| build(q, scale as u32, na ^ nb))
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
            if !b.is_zero() {
                prop_assert!(same(Fast::div(a, b), Plain::div(a, b)), "{a:?} / {b:?}");
                prop_assert!(
                    quotient(a, b).is_none() || same(quotient(a, b), Plain::div(a, b)),
                    "{a:?} / {b:?} without rust_decimal"
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn division_steps_are_rusts_division(x in any::<u128>(), power in 0usize..=19, small in 1u64..1000) {
            // Powers of ten as the rounding uses them, and small divisors.
            for d in [POW10[power] as u64, small, u64::MAX - small] {
                let (q, r) = divide_u128(x, d);
                prop_assert_eq!((q, r as u128), (x / d as u128, x % d as u128), "{} / {}", x, d);
                // Three limbs, with a top limb under the divisor (as the
                // rounding's last division has it) and ones that are not.
                for top in [(x >> 64) as u64 % d, d, x as u64] {
                    let mut limbs = [top, (x >> 64) as u64, x as u64];
                    let r = divide(&mut limbs, d);
                    let q_top = limbs[0] as u128;
                    let q = (limbs[1] as u128) << 64 | limbs[2] as u128;
                    // top · 2^128 + x = (q_top · 2^128 + q) · d + r, in 256 bits.
                    let n = Wide { hi: top as u128, lo: x };
                    let qd = wide_add(wide_product(q, d as u128), Wide { hi: q_top * d as u128, lo: 0 });
                    prop_assert!(n == wide_add(qd, Wide { hi: 0, lo: r as u128 }) && r < d, "{} {} / {}", top, x, d);
                }
            }
        }
    }

    proptest! {
        #[test]
        fn words_are_rust_decimals_parts(d in decimal()) {
            let (m, scale, negative) = parts(d);
            prop_assert_eq!(m, d.mantissa().unsigned_abs());
            prop_assert_eq!(scale, d.scale());
            prop_assert_eq!(negative, d.is_sign_negative());
            if m != 0 {
                prop_assert_eq!(build(m, scale, negative).serialize(), d.serialize());
            }
            prop_assert_eq!(from_raw(to_raw(Some(d))).map(|d| d.serialize()), Some(d.serialize()));
            prop_assert_eq!(is_one(d), d == Decimal::ONE, "{:?}", d);
        }

        #[test]
        fn one_is_one_at_every_scale(scale in 0u32..=28, negative in any::<bool>(), off in -1i128..=1) {
            let m = POW10[scale as usize] as i128 + off;
            let d = Decimal::from_i128_with_scale(if negative { -m } else { m }, scale);
            prop_assert_eq!(is_one(d), d == Decimal::ONE, "{:?}", d);
        }
    }

    #[test]
    fn sums_that_round_agree_with_rust_decimal_without_it() {
        // 2^96 - 1 at scale 1 plus i tenths or i units: the exact sum passes
        // 2^96 and drops one digit, with ties (…345, …355) going to even.
        let largest = Decimal::from_parts(u32::MAX, u32::MAX, u32::MAX, false, 1);
        for i in 1..=40 {
            for b in [Decimal::new(i, 1), Decimal::new(i, 0), Decimal::new(-i, 3)] {
                assert!(exact_sum(largest, b, false).is_some(), "{b}");
                assert!(same(Fast::add(largest, b), Plain::add(largest, b)), "{b}");
                assert!(same(Fast::sub(largest, -b), Plain::sub(largest, -b)), "{b}");
            }
        }
        // Sums of discounted amounts with 28 digits at different scales.
        let a = Decimal::from_str_exact("-1234567.891234567891234567891").unwrap();
        let b = Decimal::from_str_exact("-98765.43210987654321098765432").unwrap();
        assert!(exact_sum(a, b, false).is_some());
        assert!(same(Fast::add(a, b), Plain::add(a, b)));
    }

    #[test]
    fn sums_rounded_from_128_bits_agree_with_rust_decimal() {
        // Two 28-digit figures at different scales: the one with the smaller
        // scale is over 2^64, its alignment fits in 128 bits and the exact
        // sum, 2^96 or more, must round (the path of `sum_rounded`).
        let pairs = [
            (
                "0.9661835748792270531400966184",
                "1234567.891234567891234567891",
            ),
            (
                "-0.9335107271296977004415793844",
                "98765432.19876543219876543219",
            ),
            (
                "0.5000000000000000000000000001",
                "-7922816251.426433759354395033",
            ),
        ];
        for (a, b) in pairs {
            let a = Decimal::from_str_exact(a).unwrap();
            let b = Decimal::from_str_exact(b).unwrap();
            for (x, y) in [(a, b), (b, a), (-a, b), (a, -b)] {
                let (mx, ex, _) = parts(x);
                let (my, ey, _) = parts(y);
                let (small, shift) = if ex > ey {
                    (my, ex - ey)
                } else {
                    (mx, ey - ex)
                };
                assert!(small >> 64 != 0 && small <= FITS_128_TIMES_POW10[shift as usize]);
                assert!(same(Fast::add(x, y), Plain::add(x, y)), "{x} + {y}");
                assert!(same(Fast::sub(x, y), Plain::sub(x, y)), "{x} - {y}");
            }
        }
    }

    #[test]
    fn products_that_round_agree_with_rust_decimal() {
        // A 28-digit discount factor times amounts, half-way cases and the
        // carry up to a new digit.
        let df = Decimal::from_str_exact("0.9661835748792270531400966184").unwrap();
        for amount in ["-12.5", "1234567.891", "7", "0.0000001", "-99999999999.99"] {
            let a = Decimal::from_str_exact(amount).unwrap();
            assert!(exact_product(a, df).is_some(), "{amount}");
            assert!(same(Fast::mul(a, df), Plain::mul(a, df)), "{amount}");
        }
        // A 28-digit amount times the factor: a product beyond 128 bits.
        let amount = Decimal::from_str_exact("-1234567.891234567891234567891").unwrap();
        assert!(exact_product(amount, df).is_some());
        assert!(same(Fast::mul(amount, df), Plain::mul(amount, df)));
        // Products under 2^128 at scales of 49 and 56: 21 and 28 digits
        // must go, and 10^21 does not fit in the 64 bits of the processor's
        // division.
        for (a, b) in [
            ("0.0000000000000001234567890123", "0.000000000987654321987"),
            (
                "0.0000000000000001234567890123",
                "0.0098765432198745512345678901",
            ),
        ] {
            let a = Decimal::from_str_exact(a).unwrap();
            let b = Decimal::from_str_exact(b).unwrap();
            assert!(exact_product(a, b).is_some(), "{a} * {b}");
            assert!(same(Fast::mul(a, b), Plain::mul(a, b)), "{a} * {b}");
            assert!(same(Fast::mul(-a, b), Plain::mul(-a, b)), "-{a} * {b}");
        }
        let half = Decimal::from_str_exact("0.5").unwrap();
        let odd = Decimal::from_parts(u32::MAX, u32::MAX, u32::MAX >> 4, false, 28);
        assert!(same(Fast::mul(odd, half), Plain::mul(odd, half)));
        let nines = Decimal::from_str_exact("9.999999999999999999999999999").unwrap();
        assert!(same(Fast::mul(nines, nines), Plain::mul(nines, nines)));
    }
}
