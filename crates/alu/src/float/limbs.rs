//! A fixed-width unsigned integer of `L` 64-bit limbs: the working integer
//! of `f80` and `f128` (4 limbs: their products, quotients and roots need
//! about 230 bits) and `f256` (8 limbs, about 480 bits). Shifts, sums and
//! products run on machine words; division and the integer square root,
//! rarer and dearer anyway, go through `bnum`.

use super::layout::Bits;
use super::working::Working;
use bnum::Uint;
use core::cmp::Ordering;
use core::ops::{Add, AddAssign, BitAnd, BitOr, Div, Mul, Rem, Shl, Shr, ShrAssign, Sub};

/// `L` little-endian 64-bit limbs; arithmetic wraps modulo `2^(64 L)`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Limbs<const L: usize>([u64; L]);

impl<const L: usize> Limbs<L> {
    /// Through a `bnum` integer of `B` bytes (`B = 8 L`), for division and roots.
    fn via_bnum<const B: usize>(self, rhs: Self, op: fn(Uint<B>, Uint<B>) -> Uint<B>) -> Self {
        let to = |x: Self| {
            let mut bytes = [0u8; B];
            for (chunk, limb) in bytes.chunks_exact_mut(8).zip(x.0) {
                chunk.copy_from_slice(&limb.to_le_bytes());
            }
            Uint::<B>::from_le_bytes(bytes)
        };
        let out = op(to(self), to(rhs)).to_le_bytes();
        let mut limbs = [0u64; L];
        for (limb, chunk) in limbs.iter_mut().zip(out.chunks_exact(8)) {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            *limb = u64::from_le_bytes(b);
        }
        Limbs(limbs)
    }
}

/// Division and roots through `bnum`, at the byte width of `L` limbs.
macro_rules! bnum_op {
    ($x:expr, $y:expr, $op:expr) => {
        match L {
            4 => $x.via_bnum::<32>($y, $op),
            8 => $x.via_bnum::<64>($y, $op),
            _ => unreachable!("only 4 and 8 limbs are instantiated"),
        }
    };
}

impl<const L: usize> PartialOrd for Limbs<L> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<const L: usize> Ord for Limbs<L> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.iter().rev().cmp(other.0.iter().rev())
    }
}

impl<const L: usize> Add for Limbs<L> {
    type Output = Self;
    fn add(self, rhs: Self) -> Self {
        let mut carry = false;
        Limbs(core::array::from_fn(|i| {
            let (s, c1) = self.0[i].overflowing_add(rhs.0[i]);
            let (s, c2) = s.overflowing_add(u64::from(carry));
            carry = c1 || c2;
            s
        }))
    }
}

impl<const L: usize> AddAssign for Limbs<L> {
    fn add_assign(&mut self, rhs: Self) {
        *self = *self + rhs;
    }
}

impl<const L: usize> Sub for Limbs<L> {
    type Output = Self;
    fn sub(self, rhs: Self) -> Self {
        let mut borrow = false;
        Limbs(core::array::from_fn(|i| {
            let (d, b1) = self.0[i].overflowing_sub(rhs.0[i]);
            let (d, b2) = d.overflowing_sub(u64::from(borrow));
            borrow = b1 || b2;
            d
        }))
    }
}

impl<const L: usize> Mul for Limbs<L> {
    type Output = Self;
    fn mul(self, rhs: Self) -> Self {
        let mut out = [0u64; L];
        for i in 0..L {
            if self.0[i] == 0 {
                continue;
            }
            let mut carry = 0u128;
            for j in 0..L - i {
                let t =
                    u128::from(self.0[i]) * u128::from(rhs.0[j]) + u128::from(out[i + j]) + carry;
                out[i + j] = t as u64;
                carry = t >> 64;
            }
        }
        Limbs(out)
    }
}

impl<const L: usize> Div for Limbs<L> {
    type Output = Self;
    fn div(self, rhs: Self) -> Self {
        bnum_op!(self, rhs, |a, b| a / b)
    }
}

impl<const L: usize> Rem for Limbs<L> {
    type Output = Self;
    fn rem(self, rhs: Self) -> Self {
        bnum_op!(self, rhs, |a, b| a % b)
    }
}

impl<const L: usize> BitAnd for Limbs<L> {
    type Output = Self;
    fn bitand(self, rhs: Self) -> Self {
        Limbs(core::array::from_fn(|i| self.0[i] & rhs.0[i]))
    }
}

impl<const L: usize> BitOr for Limbs<L> {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        Limbs(core::array::from_fn(|i| self.0[i] | rhs.0[i]))
    }
}

impl<const L: usize> Shl<u32> for Limbs<L> {
    type Output = Self;
    /// Zero when `n` is the width or more.
    fn shl(self, n: u32) -> Self {
        let (words, bits) = ((n / 64) as usize, n % 64);
        Limbs(core::array::from_fn(|i| {
            let Some(src) = i.checked_sub(words) else {
                return 0;
            };
            let below = match (bits, src.checked_sub(1)) {
                (1.., Some(lower)) => self.0[lower] >> (64 - bits),
                _ => 0,
            };
            self.0[src] << bits | below
        }))
    }
}

impl<const L: usize> Shr<u32> for Limbs<L> {
    type Output = Self;
    /// Zero when `n` is the width or more.
    fn shr(self, n: u32) -> Self {
        let (words, bits) = ((n / 64) as usize, n % 64);
        Limbs(core::array::from_fn(|i| {
            let src = i + words;
            if src >= L {
                return 0;
            }
            let above = match (bits, self.0.get(src + 1)) {
                (1.., Some(upper)) => upper << (64 - bits),
                _ => 0,
            };
            self.0[src] >> bits | above
        }))
    }
}

impl<const L: usize> ShrAssign<u32> for Limbs<L> {
    fn shr_assign(&mut self, n: u32) {
        *self = *self >> n;
    }
}

impl<const L: usize> Working for Limbs<L> {
    const BITS: u32 = 64 * L as u32;
    const ZERO: Self = Limbs([0; L]);
    const ONE: Self = {
        let mut limbs = [0; L];
        limbs[0] = 1;
        Limbs(limbs)
    };
    const MAX: Self = Limbs([u64::MAX; L]);

    fn from_u64(v: u64) -> Self {
        let mut limbs = [0; L];
        limbs[0] = v;
        Limbs(limbs)
    }

    fn from_bits(b: Bits) -> Self {
        let bytes = b.to_le_bytes();
        Limbs(core::array::from_fn(|i| {
            bytes.get(8 * i..8 * i + 8).map_or(0, |c| {
                let mut w = [0u8; 8];
                w.copy_from_slice(c);
                u64::from_le_bytes(w)
            })
        }))
    }

    fn to_bits(self) -> Bits {
        let mut bytes = [0u8; 32];
        for (chunk, limb) in bytes.chunks_exact_mut(8).zip(self.0) {
            chunk.copy_from_slice(&limb.to_le_bytes());
        }
        Bits::from_le_bytes(bytes)
    }

    fn low_u64(self) -> u64 {
        self.0[0]
    }

    fn bit_width(self) -> u32 {
        self.0
            .iter()
            .rposition(|&w| w != 0)
            .map_or(0, |i| 64 * i as u32 + 64 - self.0[i].leading_zeros())
    }

    fn bit(self, i: u32) -> bool {
        self.0
            .get((i / 64) as usize)
            .is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    fn unbounded_shl(self, n: u32) -> Self {
        self << n
    }

    fn unbounded_shr(self, n: u32) -> Self {
        self >> n
    }

    fn isqrt(self) -> Self {
        bnum_op!(self, self, |a, _| a.isqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn wide(x: Limbs<4>) -> Bits {
        x.to_bits()
    }

    proptest! {
        /// Every operation agrees with `bnum`'s on the same 256 bits.
        #[test]
        fn limbs_agree_with_bnum(a in any::<[u64; 4]>(), b in any::<[u64; 4]>(), n in 0u32..300) {
            let (x, y) = (Limbs(a), Limbs(b));
            let (p, q) = (wide(x), wide(y));
            prop_assert_eq!(wide(x + y), p.wrapping_add(q));
            prop_assert_eq!(wide(x - y), p.wrapping_sub(q));
            prop_assert_eq!(wide(x * y), p.wrapping_mul(q));
            prop_assert_eq!(wide(x & y), p & q);
            prop_assert_eq!(wide(x | y), p | q);
            prop_assert_eq!(wide(x << n), p.unbounded_shl(n));
            prop_assert_eq!(wide(x >> n), p.unbounded_shr(n));
            prop_assert_eq!(x.cmp(&y), p.cmp(&q));
            prop_assert_eq!(x.bit_width(), p.bit_width());
            prop_assert_eq!(x.bit(n), n < 256 && p.bit(n));
            if !y.is_zero() {
                prop_assert_eq!(wide(x / y), p / q);
                prop_assert_eq!(wide(x % y), p % q);
            }
            prop_assert_eq!(wide(x.isqrt()), p.isqrt());
            prop_assert_eq!(Limbs::<4>::from_bits(p), x);
        }
    }
}
