//! Soft-float arithmetic: bit-exact IEEE 754 semantics for every F-register
//! format, computed with integers only.
//!
//! One generic core serves all formats: a [`Layout`] names a format's
//! exponent width and precision, every operation computes its exact result
//! in a fixed-width working integer wide enough for the format (a machine
//! `u128` up to `f64`, 4 64-bit limbs for `f80`/`f128`, 8 for `f256`: the
//! fast path) and rounds once (`round.rs`). So `f256` runs the very code
//! that the differential tests check bit for bit against LLVM APFloat and
//! Berkeley SoftFloat at bf16, binary16/32/64/128 and x87 f80; the same code
//! on `bnum` integers is the reference the fast path is tested against.
//!
//! Results are `None` when the operation is impossible (IEEE's invalid
//! operation, whose result would be NaN) or an operand is not a number (a
//! NaN encoding, or an x87 encoding that is not a value); the VM then makes
//! the destination undefined and clears st0.
//!
//! ```
//! use avm_alu::float::{self, Rounding};
//! use avm_alu::reg::FFormat;
//! let one = float::bits(0x3ff0_0000_0000_0000);
//! let two = float::add(FFormat::F64, one, one, Rounding::NearestEven).unwrap();
//! assert_eq!(float::low_u128(two.bits), 0x4000_0000_0000_0000);
//! let zero = float::bits(0);
//! assert_eq!(float::div(FFormat::F64, zero, zero, Rounding::NearestEven), None);
//! ```

mod arith;
mod layout;
mod limbs;
mod round;
mod working;

pub use layout::{Bits, Layout};
pub use round::{Rounded, Rounding};

use crate::reg::FFormat;
use bnum::types::U1024;
use core::cmp::Ordering;
use layout::{low_mask, widen, Num};
use limbs::Limbs;

/// Runs `$body` with `$w` the working integer for `$format` and `$l` its
/// layout as a constant (so the inlined core folds the format's widths).
/// The working integer is the narrowest machine-word integer that holds
/// every intermediate: the product of two significands, a quotient or root
/// of precision + 3 bits beside its divisor, with the two bits of headroom
/// an addition needs. That is a `u128` up to `f64` (106-bit products), 4
/// limbs for `f80` and `f128` (226-bit products), 8 limbs for `f256`
/// (474-bit products).
macro_rules! working {
    ($format:expr, $w:ident, $l:ident => $body:expr) => {
        match $format {
            FFormat::Bf16 => working!(@ u128, Bf16, $w, $l => $body),
            FFormat::F16 => working!(@ u128, F16, $w, $l => $body),
            FFormat::F32 => working!(@ u128, F32, $w, $l => $body),
            FFormat::F64 => working!(@ u128, F64, $w, $l => $body),
            FFormat::F80 => working!(@ Limbs<4>, F80, $w, $l => $body),
            FFormat::F128 => working!(@ Limbs<4>, F128, $w, $l => $body),
            FFormat::F256 => working!(@ Limbs<8>, F256, $w, $l => $body),
        }
    };
    (@ $int:ty, $format:ident, $w:ident, $l:ident => $body:expr) => {{
        type $w = $int;
        const $l: Layout = Layout::of(FFormat::$format);
        $body
    }};
}

/// Bits from a `u128` (formats up to `f128`).
pub fn bits(v: u128) -> Bits {
    let mut bytes = [0u8; 32];
    bytes[..16].copy_from_slice(&v.to_le_bytes());
    Bits::from_le_bytes(bytes)
}

/// The low 128 bits of an encoding.
pub fn low_u128(b: Bits) -> u128 {
    let bytes = b.to_le_bytes();
    let mut low = [0u8; 16];
    low.copy_from_slice(&bytes[..16]);
    u128::from_le_bytes(low)
}

/// `a + b`.
pub fn add(f: FFormat, a: Bits, b: Bits, mode: Rounding) -> Option<Rounded> {
    working!(f, W, L => arith::add::<W>(L, L.unpack(a)?, L.unpack(b)?, mode))
}

/// `a - b`.
pub fn sub(f: FFormat, a: Bits, b: Bits, mode: Rounding) -> Option<Rounded> {
    working!(f, W, L => arith::add::<W>(L, L.unpack(a)?, arith::negate(L.unpack(b)?), mode))
}

/// `a * b`.
pub fn mul(f: FFormat, a: Bits, b: Bits, mode: Rounding) -> Option<Rounded> {
    working!(f, W, L => arith::mul::<W>(L, L.unpack(a)?, L.unpack(b)?, mode))
}

/// `a / b`; a non-zero finite `a` over zero gives a signed infinity.
pub fn div(f: FFormat, a: Bits, b: Bits, mode: Rounding) -> Option<Rounded> {
    working!(f, W, L => arith::div::<W>(L, L.unpack(a)?, L.unpack(b)?, mode))
}

/// `a * b + c`, rounded once.
pub fn fma(f: FFormat, a: Bits, b: Bits, c: Bits, mode: Rounding) -> Option<Rounded> {
    working!(f, W, L => arith::fma::<W>(L, L.unpack(a)?, L.unpack(b)?, L.unpack(c)?, mode))
}

/// The IEEE remainder `a - n * b`, `n` the integer nearest `a / b`, ties to
/// even. It is always exact, so it takes no rounding direction.
pub fn rem(f: FFormat, a: Bits, b: Bits) -> Option<Rounded> {
    working!(f, W, L => arith::rem::<W>(L, L.unpack(a)?, L.unpack(b)?))
}

/// The square root; of a number below zero it is impossible (`sqrt(-0)` is -0).
pub fn sqrt(f: FFormat, a: Bits, mode: Rounding) -> Option<Rounded> {
    working!(f, W, L => arith::sqrt::<W>(L, L.unpack(a)?, mode))
}

/// `a` rounded to an integral value of the same format.
pub fn round_integral(f: FFormat, a: Bits, mode: Rounding) -> Option<Rounded> {
    working!(f, W, L => Some(arith::round_integral::<W>(L, L.unpack(a)?, mode)))
}

/// The canonical encoding of `a`'s value (x87 pseudo-denormals become the
/// equal normal number); `None` if `a` is not a number.
pub fn canonical(f: FFormat, a: Bits) -> Option<Bits> {
    working!(f, W, L => Some(match L.unpack::<W>(a)? {
        Num::Zero(neg) => L.zero(neg),
        Num::Inf(neg) => L.inf(neg),
        Num::Finite { neg, sig, exp } => round::round(L, neg, sig, exp, false, Rounding::NearestEven).bits,
    }))
}

/// Whether little-endian `bytes` of format `f` encode a number (not a NaN,
/// nor an x87 encoding that is no number).
pub fn is_number(f: FFormat, bytes: &[u8]) -> bool {
    let mut buf = [0u8; 32];
    let n = bytes.len().min(f.bytes());
    buf[..n].copy_from_slice(&bytes[..n]);
    canonical(f, Bits::from_le_slice(&buf).unwrap_or_default()).is_some()
}

/// `-a`.
pub fn neg(f: FFormat, a: Bits) -> Option<Bits> {
    let l = Layout::of(f);
    let mut c = canonical(f, a)?;
    c.set_bit(l.total_bits() - 1, !l.is_neg(c));
    Some(c)
}

/// `|a|`.
pub fn abs(f: FFormat, a: Bits) -> Option<Bits> {
    let l = Layout::of(f);
    let mut c = canonical(f, a)?;
    c.set_bit(l.total_bits() - 1, false);
    Some(c)
}

/// How `a` compares with `b` (`-0 == +0`); `None` if either is not a number.
pub fn compare(f: FFormat, a: Bits, b: Bits) -> Option<Ordering> {
    let l = Layout::of(f);
    let (a, b) = (canonical(f, a)?, canonical(f, b)?);
    let (oa, ob) = (l.ordinal(a), l.ordinal(b));
    if oa.is_zero() && ob.is_zero() {
        return Some(Ordering::Equal);
    }
    Some(match (l.is_neg(a), l.is_neg(b)) {
        (false, false) => oa.cmp(&ob),
        (true, true) => ob.cmp(&oa),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
    })
}

/// Whether `a` and `b` are equal or adjacent finite values of the format
/// (at most one unit in the last place apart, across zero too).
pub fn within_ulp(f: FFormat, a: Bits, b: Bits) -> Option<bool> {
    let l = Layout::of(f);
    if compare(f, a, b)? == Ordering::Equal {
        return Some(true);
    }
    let (a, b) = (canonical(f, a)?, canonical(f, b)?);
    let finite = |x: Bits| matches!(l.unpack::<Bits>(x), Some(Num::Finite { .. } | Num::Zero(_)));
    if !finite(a) || !finite(b) {
        return Some(false);
    }
    let (oa, ob) = (l.ordinal(a), l.ordinal(b));
    Some(if l.is_neg(a) == l.is_neg(b) {
        oa.abs_diff(ob) == Bits::power_of_two(0)
    } else {
        oa + ob == Bits::power_of_two(0)
    })
}

/// The smaller of `a` and `b`; of two zeros, -0.
pub fn min(f: FFormat, a: Bits, b: Bits) -> Option<Bits> {
    pick(f, a, b, Ordering::Less)
}

/// The larger of `a` and `b`; of two zeros, +0.
pub fn max(f: FFormat, a: Bits, b: Bits) -> Option<Bits> {
    pick(f, a, b, Ordering::Greater)
}

fn pick(f: FFormat, a: Bits, b: Bits, want: Ordering) -> Option<Bits> {
    let l = Layout::of(f);
    let (ca, cb) = (canonical(f, a)?, canonical(f, b)?);
    Some(match compare(f, ca, cb)? {
        Ordering::Equal => {
            // Equal values differ at most in the sign of zero.
            if (want == Ordering::Less) == l.is_neg(ca) {
                ca
            } else {
                cb
            }
        }
        o if o == want => ca,
        _ => cb,
    })
}

/// `a` of format `from` rounded into format `to`.
pub fn convert(from: FFormat, to: FFormat, a: Bits, mode: Rounding) -> Option<Rounded> {
    let (lf, lt) = (Layout::of(from), Layout::of(to));
    Some(match lf.unpack::<U1024>(a)? {
        Num::Zero(neg) => Rounded::exact(lt.zero(neg)),
        Num::Inf(neg) => Rounded::exact(lt.inf(neg)),
        Num::Finite { neg, sig, exp } => round::round(lt, neg, sig, exp, false, mode),
    })
}

/// `a` rounded to an integer, as the two's-complement (`signed`) or unsigned
/// bits of a `bits`-wide integer; `None` if it does not fit (or `a` is
/// infinite or not a number).
pub fn to_int(f: FFormat, a: Bits, mode: Rounding, bits: u32, signed: bool) -> Option<U1024> {
    let (neg, k, exp) = arith::to_integral::<U1024>(Layout::of(f).unpack(a)?, mode)?;
    if k.is_zero() {
        return Some(U1024::MIN);
    }
    let mag_bits = i64::from(k.bit_width()) + i64::from(exp);
    let room = i64::from(bits) - i64::from(signed);
    let is_min = signed && neg && mag_bits == room + 1 && k.is_power_of_two();
    if (neg && !signed) || (mag_bits > room && !is_min) {
        return None;
    }
    let m: U1024 = widen(k) << exp as u32;
    Some(if neg {
        (!m).wrapping_add(U1024::power_of_two(0)) & low_mask::<U1024>(bits)
    } else {
        m
    })
}

/// The integer whose `bits`-wide two's-complement (`signed`) or unsigned
/// encoding is `v`, rounded into format `f`.
pub fn from_int(f: FFormat, v: U1024, bits: u32, signed: bool, mode: Rounding) -> Rounded {
    let v = v & low_mask::<U1024>(bits);
    let neg = signed && v.bit(bits - 1);
    let mag = if neg {
        (!v).wrapping_add(U1024::power_of_two(0)) & low_mask::<U1024>(bits)
    } else {
        v
    };
    round::round::<U1024>(Layout::of(f), neg, widen(mag), 0, false, mode)
}

/// Rounds `(-1)^neg * (sig + s) * 2^exp` into format `f`, where `sig` is
/// given as at most 128 little-endian bytes and `s` is 0 without `sticky`
/// and otherwise strictly between 0 and 1; with `sticky`, `sig` must have
/// at least the format's precision plus 2 bits. This is how a value
/// computed elsewhere (a decimal literal) enters a format. `None` if `sig`
/// is longer than 128 bytes or too short for `sticky`.
pub fn compose(
    f: FFormat,
    neg: bool,
    sig_le: &[u8],
    exp: i64,
    sticky: bool,
    mode: Rounding,
) -> Option<Rounded> {
    let sig = U1024::from_le_slice(sig_le)?;
    if sticky && sig.bit_width() < Layout::of(f).precision() + 2 {
        return None;
    }
    // Beyond +-2^24 every exponent overflows or underflows alike.
    let exp = exp.clamp(-(1 << 24), 1 << 24) as i32;
    Some(round::round::<U1024>(
        Layout::of(f),
        neg,
        widen(sig),
        exp,
        sticky,
        mode,
    ))
}

/// Infinity of a sign in format `f`.
pub fn infinity(f: FFormat, neg: bool) -> Bits {
    Layout::of(f).inf(neg)
}
