//! The working integer the core computes in, as a trait: a machine `u128`
//! for the formats whose every intermediate fits it (bf16, f16, f32, f64:
//! the fast path), a `bnum` integer of 512 or 1024 bits for the others. The
//! operations are the same code either way; only the integer differs.

use super::layout::Bits;
use bnum::cast::CastFrom;
use bnum::Uint;
use core::fmt::Debug;
use core::ops::{Add, AddAssign, BitAnd, BitOr, Div, Mul, Rem, Shl, Shr, ShrAssign, Sub};

/// An unsigned integer wide enough for a format's encoding and for the exact
/// intermediate results of its operations (see `working!` in `mod.rs`).
pub(crate) trait Working:
    Copy
    + Ord
    + Debug
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Rem<Output = Self>
    + BitAnd<Output = Self>
    + BitOr<Output = Self>
    + Shl<u32, Output = Self>
    + Shr<u32, Output = Self>
    + AddAssign
    + ShrAssign<u32>
{
    /// The width in bits.
    const BITS: u32;
    /// Zero.
    const ZERO: Self;
    /// One.
    const ONE: Self;
    /// All bits set.
    const MAX: Self;

    /// A small integer.
    fn from_u64(v: u64) -> Self;
    /// The low `BITS` bits of an encoding.
    fn from_bits(b: Bits) -> Self;
    /// The value as an encoding (truncated to 256 bits).
    fn to_bits(self) -> Bits;
    /// The low 64 bits.
    fn low_u64(self) -> u64;
    /// Bits up to and including the highest set one (0 for zero).
    fn bit_width(self) -> u32;
    /// Whether bit `i` (below `BITS`) is set.
    fn bit(self, i: u32) -> bool;
    /// `self << n`, zero when `n >= BITS`.
    fn unbounded_shl(self, n: u32) -> Self;
    /// `self >> n`, zero when `n >= BITS`.
    fn unbounded_shr(self, n: u32) -> Self;
    /// The integer square root (rounded down).
    fn isqrt(self) -> Self;

    /// Whether the value is zero.
    fn is_zero(self) -> bool {
        self == Self::ZERO
    }
}

impl Working for u128 {
    const BITS: u32 = u128::BITS;
    const ZERO: u128 = 0;
    const ONE: u128 = 1;
    const MAX: u128 = u128::MAX;

    #[inline]
    fn from_u64(v: u64) -> u128 {
        u128::from(v)
    }

    #[inline]
    fn from_bits(b: Bits) -> u128 {
        super::low_u128(b)
    }

    #[inline]
    fn to_bits(self) -> Bits {
        super::bits(self)
    }

    #[inline]
    fn low_u64(self) -> u64 {
        self as u64
    }

    #[inline]
    fn bit_width(self) -> u32 {
        u128::BITS - self.leading_zeros()
    }

    #[inline]
    fn bit(self, i: u32) -> bool {
        (self >> i) & 1 == 1
    }

    #[inline]
    fn unbounded_shl(self, n: u32) -> u128 {
        self.checked_shl(n).unwrap_or(0)
    }

    #[inline]
    fn unbounded_shr(self, n: u32) -> u128 {
        self.checked_shr(n).unwrap_or(0)
    }

    fn isqrt(self) -> u128 {
        u128::isqrt(self)
    }
}

impl<const N: usize> Working for Uint<N> {
    const BITS: u32 = Uint::<N>::BITS;
    const ZERO: Self = Uint::<N>::MIN;
    const ONE: Self = Uint::<N>::power_of_two(0);
    const MAX: Self = Uint::<N>::MAX;

    #[inline]
    fn from_u64(v: u64) -> Self {
        Self::cast_from(v)
    }

    #[inline]
    fn from_bits(b: Bits) -> Self {
        Self::cast_from(b)
    }

    #[inline]
    fn to_bits(self) -> Bits {
        Bits::cast_from(self)
    }

    #[inline]
    fn low_u64(self) -> u64 {
        u64::cast_from(self)
    }

    #[inline]
    fn bit_width(self) -> u32 {
        Uint::<N>::bit_width(self)
    }

    #[inline]
    fn bit(self, i: u32) -> bool {
        Uint::<N>::bit(&self, i)
    }

    #[inline]
    fn unbounded_shl(self, n: u32) -> Self {
        Uint::<N>::unbounded_shl(self, n)
    }

    #[inline]
    fn unbounded_shr(self, n: u32) -> Self {
        Uint::<N>::unbounded_shr(self, n)
    }

    fn isqrt(self) -> Self {
        Uint::<N>::isqrt(self)
    }
}

#[cfg(test)]
mod tests {
    use super::super::arith;
    use super::super::layout::{low_mask, Layout};
    use super::super::limbs::Limbs;
    use super::super::round::{Rounded, Rounding};
    use super::*;
    use crate::reg::FFormat;
    use proptest::prelude::*;

    /// Every operation of the core on `x` computed in working integer `W`
    /// (`None` where an operand is no number or the operation is impossible).
    fn all_ops<W: Working>(f: FFormat, x: [Bits; 3], mode: Rounding) -> [Option<Rounded>; 8] {
        let l = Layout::of(f);
        let [a, b, c] = x.map(|v| l.unpack::<W>(v));
        let two = |op: fn(Layout, _, _, Rounding) -> Option<Rounded>| op(l, a?, b?, mode);
        [
            two(arith::add::<W>),
            a.and_then(|a| arith::add::<W>(l, a, arith::negate(b?), mode)),
            two(arith::mul::<W>),
            two(arith::div::<W>),
            a.and_then(|a| arith::fma::<W>(l, a, b?, c?, mode)),
            a.and_then(|a| arith::rem::<W>(l, a, b?)),
            a.and_then(|a| arith::sqrt::<W>(l, a, mode)),
            a.map(|a| arith::round_integral::<W>(l, a, mode)),
        ]
    }

    /// Encodings biased to the edges: a random sign, an exponent field near
    /// either end or the middle (or any), a fraction that is zero, all ones,
    /// small, just below all ones, one bit or random; x87's integer bit random.
    fn operand(f: FFormat) -> impl Strategy<Value = Bits> {
        let l = Layout::of(f);
        let (eb, fb) = (l.exp_bits, l.frac_bits);
        let max_field = (1u64 << eb) - 1;
        let field = prop_oneof![
            0..3u64,
            max_field - 2..=max_field,
            (1u64 << (eb - 1)) - 3..(1u64 << (eb - 1)) + 3,
            0..=max_field,
        ];
        let mask = low_mask::<Bits>(fb);
        let random = any::<[u8; 32]>().prop_map(move |b| Bits::from_le_bytes(b) & mask);
        let frac = prop_oneof![
            Just(<Bits as Working>::ZERO),
            Just(mask),
            (0..4u64).prop_map(Bits::from_u64),
            (0..4u64).prop_map(move |v| mask - Bits::from_u64(v)),
            (0..fb).prop_map(|s| <Bits as Working>::ONE << s),
            random,
        ];
        (any::<bool>(), field, any::<bool>(), frac).prop_map(move |(neg, field, int, frac)| {
            let int = if l.explicit_int && int {
                <Bits as Working>::ONE << fb
            } else {
                <Bits as Working>::ZERO
            };
            let sign = if neg {
                <Bits as Working>::ONE << (l.total_bits() - 1)
            } else {
                <Bits as Working>::ZERO
            };
            sign | Bits::from_u64(field) << (l.total_bits() - 1 - eb) | int | frac
        })
    }

    /// The fast working integer `F` gives exactly what the `bnum` one `W` does.
    fn fast_matches_wide<F: Working, W: Working>(f: FFormat) -> impl Strategy<Value = ()> {
        (operand(f), operand(f), operand(f), 0..4usize).prop_map(move |(a, b, c, m)| {
            let mode = Rounding::ALL[m];
            let x = [a, b, c];
            let fast = all_ops::<F>(f, x, mode);
            let wide = all_ops::<W>(f, x, mode);
            for (i, (p, q)) in fast.iter().zip(wide.iter()).enumerate() {
                assert_eq!(p, q, "op {i} of {f:?} {mode:?} on {x:x?}");
            }
        })
    }

    // Each format against the `bnum` working integer it had before the fast
    // path (256 bits up to f64, 512 for f80/f128, 1024 for f256).
    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn fast_path_matches_the_wide_core_bf16(() in fast_matches_wide::<u128, Uint<32>>(FFormat::Bf16)) {}

        #[test]
        fn fast_path_matches_the_wide_core_f16(() in fast_matches_wide::<u128, Uint<32>>(FFormat::F16)) {}

        #[test]
        fn fast_path_matches_the_wide_core_f32(() in fast_matches_wide::<u128, Uint<32>>(FFormat::F32)) {}

        #[test]
        fn fast_path_matches_the_wide_core_f64(() in fast_matches_wide::<u128, Uint<32>>(FFormat::F64)) {}

        #[test]
        fn fast_path_matches_the_wide_core_f80(() in fast_matches_wide::<Limbs<4>, Uint<64>>(FFormat::F80)) {}

        #[test]
        fn fast_path_matches_the_wide_core_f128(() in fast_matches_wide::<Limbs<4>, Uint<64>>(FFormat::F128)) {}

        #[test]
        fn fast_path_matches_the_wide_core_f256(() in fast_matches_wide::<Limbs<8>, Uint<128>>(FFormat::F256)) {}
    }
}
