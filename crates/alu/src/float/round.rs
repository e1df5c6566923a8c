//! The one rounding step every operation ends with: an exact (or exact plus
//! a sticky bit) value to the nearest encodable one in a rounding direction.

use super::layout::{low_mask, Bits, Layout};
use super::working::Working;

/// A rounding direction, chosen by an instruction's flag.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Rounding {
    /// To the nearest value; ties to the one with an even significand.
    NearestEven,
    /// Toward zero (truncation).
    TowardZero,
    /// Toward negative infinity.
    Down,
    /// Toward positive infinity.
    Up,
}

impl Rounding {
    /// All directions, in flag-code order.
    pub const ALL: [Rounding; 4] = [
        Rounding::NearestEven,
        Rounding::TowardZero,
        Rounding::Down,
        Rounding::Up,
    ];

    /// Whether a value of sign `neg` whose discarded part is `(half, rest)`
    /// (the first discarded bit, and whether any later one is set) moves away
    /// from zero, given the parity of what is kept.
    #[inline(always)]
    pub(crate) fn away(self, neg: bool, odd: bool, half: bool, rest: bool) -> bool {
        match self {
            Rounding::NearestEven => half && (rest || odd),
            Rounding::TowardZero => false,
            Rounding::Down => neg && (half || rest),
            Rounding::Up => !neg && (half || rest),
        }
    }
}

/// A rounded result.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Rounded {
    /// The encoding.
    pub bits: Bits,
    /// Whether the exact result was beyond the largest finite magnitude (the
    /// IEEE overflow exception); `bits` is then infinity or the largest
    /// finite value, as the rounding direction says.
    pub overflow: bool,
    /// Whether the result differs from the exact value.
    pub inexact: bool,
}

impl Rounded {
    /// An exact result.
    pub(crate) fn exact(bits: Bits) -> Rounded {
        Rounded {
            bits,
            overflow: false,
            inexact: false,
        }
    }
}

/// `sig` shifted right by `n` bits, with the first discarded bit and whether
/// any later discarded bit is set.
#[inline(always)]
pub(crate) fn shift_right<W: Working>(sig: W, n: u32) -> (W, bool, bool) {
    if n == 0 {
        return (sig, false, false);
    }
    let half = n - 1 < W::BITS && sig.bit(n - 1);
    let rest = !(sig & low_mask(n - 1)).is_zero();
    (sig.unbounded_shr(n), half, rest)
}

/// Rounds `(-1)^neg * (sig + s) * 2^exp` into `layout`, where `s` is 0 if
/// `sticky` is false and otherwise some value strictly between 0 and 1.
/// With `sticky`, `sig` must have at least `precision + 2` bits (so the
/// sticky part lies below the rounding position); an exact zero keeps `neg`.
#[inline(always)]
pub(crate) fn round<W: Working>(
    layout: Layout,
    neg: bool,
    sig: W,
    exp: i32,
    sticky: bool,
    mode: Rounding,
) -> Rounded {
    if sig.is_zero() {
        return Rounded::exact(layout.zero::<Bits>(neg));
    }
    let p = layout.precision() as i32;
    debug_assert!(!sticky || sig.bit_width() as i32 >= p + 2);
    let top = exp + sig.bit_width() as i32 - 1;
    let mut q = (top - (p - 1)).max(layout.emin() - (p - 1));
    let (mut kept, half, rest) = if q > exp {
        let (k, h, r) = shift_right(sig, (q - exp) as u32);
        (k, h, r || sticky)
    } else {
        (sig.unbounded_shl((exp - q) as u32), false, sticky)
    };
    let inexact = half || rest;
    if mode.away(neg, kept.bit(0), half, rest) {
        kept += W::ONE;
        if kept.bit_width() as i32 > p {
            kept >>= 1;
            q += 1;
        }
    }
    if kept.is_zero() {
        return Rounded {
            bits: layout.zero::<Bits>(neg),
            overflow: false,
            inexact,
        };
    }
    let normal = kept.bit_width() as i32 == p;
    let e = q + p - 1;
    if normal && e > layout.bias() {
        let to_inf = match mode {
            Rounding::NearestEven => true,
            Rounding::TowardZero => false,
            Rounding::Down => neg,
            Rounding::Up => !neg,
        };
        let bits = if to_inf {
            layout.inf(neg)
        } else {
            layout.max_finite(neg)
        };
        return Rounded {
            bits,
            overflow: true,
            inexact: true,
        };
    }
    let biased = if normal {
        (e + layout.bias()) as u32
    } else {
        0
    };
    Rounded {
        bits: layout.pack(neg, biased, kept).to_bits(),
        overflow: false,
        inexact,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reg::FFormat;

    fn f32_of(sig: u64, exp: i32, sticky: bool, mode: Rounding) -> u32 {
        let r = round::<u128>(
            Layout::of(FFormat::F32),
            false,
            u128::from(sig),
            exp,
            sticky,
            mode,
        );
        let b = r.bits.to_le_bytes();
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }

    #[test]
    fn ties_go_to_even_and_directions_apply() {
        // 2^24 + 1 is a tie between 2^24 and 2^24 + 2.
        let tie = (1 << 24) + 1;
        assert_eq!(
            f32_of(tie, 0, false, Rounding::NearestEven),
            16777216f32.to_bits()
        );
        assert_eq!(f32_of(tie, 0, false, Rounding::Up), 16777218f32.to_bits());
        assert_eq!(
            f32_of(tie, 0, false, Rounding::TowardZero),
            16777216f32.to_bits()
        );
        // Just above the tie rounds up.
        assert_eq!(
            f32_of(tie << 2, -2, true, Rounding::NearestEven),
            16777218f32.to_bits()
        );
    }

    #[test]
    fn underflow_gives_the_subnormal_and_overflow_is_flagged() {
        assert_eq!(f32_of(1, -149, false, Rounding::NearestEven), 1);
        assert_eq!(f32_of(1, -151, false, Rounding::NearestEven), 0);
        assert_eq!(f32_of(1, -151, false, Rounding::Up), 1);
        let r = round::<Bits>(
            Layout::of(FFormat::F32),
            true,
            Bits::power_of_two(0),
            128,
            false,
            Rounding::TowardZero,
        );
        assert!(r.overflow);
        assert_eq!(r.bits, Bits::from_u64(u64::from(f32::MIN.to_bits())));
    }
}
