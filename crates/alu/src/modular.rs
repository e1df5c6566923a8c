//! Modular arithmetic on unsigned words: the semantics of the R-register
//! modular instructions (`addmod` .. `invmod`) and of the prime fields.
//!
//! Every function is exact for operands of any size: they are reduced
//! modulo `m` first, so `(a + b) mod m` means the mathematical value, not
//! the sum wrapped at the register width. A zero modulus gives `None`.

use crate::word::{Word, U160};
use bnum::cast::As;
use bnum::types::{U1024, U128, U2048, U256, U4096, U512, U8192};

/// A word with exact double-width multiplication modulo a third word.
pub trait Modular: Word {
    /// `(self * rhs) mod m` from the exact double-width product, for
    /// operands already below `m`; `m` must not be zero.
    fn mul_reduced(self, rhs: Self, m: Self) -> Self;
    /// `self mod m`; `m` must not be zero.
    fn reduce(self, m: Self) -> Self;
    /// `(self + rhs) mod m` for operands already below `m`.
    fn add_reduced(self, rhs: Self, m: Self) -> Self;
    /// `(self - rhs) mod m` for operands already below `m`.
    fn sub_reduced(self, rhs: Self, m: Self) -> Self;
    /// Number of significant bits (0 for zero).
    fn bit_len(self) -> u32;
    /// Bit `i`, counted from the least significant.
    fn bit(self, i: u32) -> bool;
}

macro_rules! modular {
    ($($u:ty, $wide:ty;)*) => {$(
        impl Modular for $u {
            #[inline]
            fn mul_reduced(self, rhs: Self, m: Self) -> Self {
                let p = self.as_::<$wide>() * rhs.as_::<$wide>();
                (p % m.as_::<$wide>()).as_::<$u>()
            }
            #[inline]
            fn reduce(self, m: Self) -> Self {
                if self < m {
                    self
                } else {
                    self % m
                }
            }
            #[inline]
            fn add_reduced(self, rhs: Self, m: Self) -> Self {
                let (s, carry) = self.overflowing_add(rhs);
                // With a carry the true sum is s + 2^w >= m, and s + 2^w - m < m fits.
                if carry || s >= m {
                    s.wrapping_sub(m)
                } else {
                    s
                }
            }
            #[inline]
            fn sub_reduced(self, rhs: Self, m: Self) -> Self {
                if self >= rhs {
                    self - rhs
                } else {
                    // m - (rhs - self), which is below m.
                    m - (rhs - self)
                }
            }
            #[inline]
            fn bit_len(self) -> u32 {
                <$u as Word>::BITS - self.leading_zeros()
            }
            #[inline]
            fn bit(self, i: u32) -> bool {
                (self >> i) & Self::one() == Self::one()
            }
        }
    )*};
}

modular! {
    u64, u128;
    U128, U256;
    U160, bnum::Uint<40>;
    U256, U512;
    U512, U1024;
    U1024, U2048;
    U2048, U4096;
    U4096, U8192;
    U8192, bnum::Uint<2048>;
}

/// `(a + b) mod m`; `None` for `m = 0`.
pub fn add_mod<T: Modular>(a: T, b: T, m: T) -> Option<T> {
    (!m.is_zero()).then(|| a.reduce(m).add_reduced(b.reduce(m), m))
}

/// `(a - b) mod m`, in `0 .. m`; `None` for `m = 0`.
pub fn sub_mod<T: Modular>(a: T, b: T, m: T) -> Option<T> {
    (!m.is_zero()).then(|| a.reduce(m).sub_reduced(b.reduce(m), m))
}

/// `(a * b) mod m`; `None` for `m = 0`.
pub fn mul_mod<T: Modular>(a: T, b: T, m: T) -> Option<T> {
    (!m.is_zero()).then(|| a.reduce(m).mul_reduced(b.reduce(m), m))
}

/// `a^e mod m` by left-to-right square-and-multiply (`0^0 = 1`); `None`
/// for `m = 0`.
pub fn pow_mod<T: Modular>(a: T, e: T, m: T) -> Option<T> {
    if m.is_zero() {
        return None;
    }
    let a = a.reduce(m);
    let mut r = T::one().reduce(m);
    for i in (0..e.bit_len()).rev() {
        r = r.mul_reduced(r, m);
        if e.bit(i) {
            r = r.mul_reduced(a, m);
        }
    }
    Some(r)
}

/// The `x` in `0 .. m` with `a * x = 1 mod m`; `None` for `m = 0` and when
/// `gcd(a, m) != 1`. Modulo 1 every value is congruent, so the inverse is 0.
///
/// The extended Euclidean algorithm on magnitudes: the Bézout coefficients
/// of `a` alternate in sign and never exceed `m`, so they fit the width.
pub fn inv_mod<T: Modular>(a: T, m: T) -> Option<T> {
    if m.is_zero() {
        return None;
    }
    let (mut r0, mut r1) = (m, a.reduce(m));
    let (mut t0, mut t1) = (T::ZERO, T::one());
    let mut odd = false;
    while !r1.is_zero() {
        let q = r0.int_div(r1, false, true)?;
        let r = r0.reduce(r1);
        let t = t0.int_add(q.int_mul(t1, false, true)?, false, true)?;
        (r0, r1) = (r1, r);
        (t0, t1) = (t1, t);
        odd = !odd;
    }
    if r0 != T::one() {
        return None;
    }
    // After an odd number of steps t0 is the coefficient itself, after an
    // even number its negation.
    Some(if odd || t0.is_zero() {
        t0
    } else {
        m.int_sub(t0, false, true)?
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_moduli_match_exhaustive_search() {
        for m in 0u64..24 {
            for a in 0u64..30 {
                for b in 0u64..30 {
                    let want = |v: u64| (m != 0).then(|| v % m.max(1));
                    assert_eq!(add_mod(a, b, m), want(a + b), "{a}+{b} mod {m}");
                    assert_eq!(
                        sub_mod(a, b, m),
                        (m != 0).then(|| ((a % m.max(1)) + m - (b % m.max(1))) % m.max(1))
                    );
                    assert_eq!(mul_mod(a, b, m), want(a * b));
                    let pow = (0..b).fold(1u64, |r, _| r * a % m.max(1)) % m.max(1);
                    assert_eq!(pow_mod(a, b, m), (m != 0).then_some(pow), "{a}^{b} mod {m}");
                }
                let inv = (0..m).find(|x| (a * x) % m == 1 % m);
                assert_eq!(inv_mod(a, m), inv, "{a}^-1 mod {m}");
            }
        }
    }

    #[test]
    fn sums_that_carry_out_of_the_width_are_exact() {
        let m = u64::MAX - 1;
        assert_eq!(add_mod(m - 1, m - 1, m), Some(m - 2));
        assert_eq!(mul_mod(u64::MAX, u64::MAX, m), Some(1));
        assert_eq!(sub_mod(0, u64::MAX, m), Some(m - 1));
    }
}
