//! Fixed-width integers as the registers hold them.
//!
//! One trait covers the native integers (8 to 64 bits) and the `bnum` wide
//! integers (80 to 8192 bits), so each operation is written once and
//! compiled per width. Results are `None` when an operation is impossible;
//! the caller then makes the destination undefined and clears st0.

use bnum::types::{U1024, U128, U2048, U256, U4096, U512, U8192};
use core::fmt::{Debug, Display};

/// 80-bit storage for x87 extended floats.
pub type U80 = bnum::Uint<10>;
/// 160-bit storage for r160.
pub type U160 = bnum::Uint<20>;

/// A fixed-width two's-complement integer.
pub trait Word: Copy + Eq + Ord + Debug + Display + Default + Send + Sync + 'static {
    /// Width in bits.
    const BITS: u32;
    /// Width in bytes.
    const BYTES: usize;
    /// Zero.
    const ZERO: Self;

    /// Reads exactly [`Self::BYTES`] little-endian bytes.
    fn from_le(bytes: &[u8]) -> Self;
    /// Writes [`Self::BYTES`] little-endian bytes into the start of `out`.
    fn write_le(self, out: &mut [u8]);
    /// Whether the value is zero.
    fn is_zero(self) -> bool;
    /// The low bits of a `u64`.
    fn from_u64_wrapping(v: u64) -> Self;
    /// One.
    #[inline]
    fn one() -> Self {
        Self::from_u64_wrapping(1)
    }
    /// Adds (`up`) or subtracts a step of 1 to 256, exactly as [`Word::int_add`]
    /// and [`Word::int_sub`] would with the step as a value of unbounded width.
    #[inline]
    fn step(self, step: u16, up: bool, signed: bool, wrap: bool) -> Option<Self> {
        if Self::BITS > 16 || u32::from(step) < (1 << (Self::BITS - 1)) {
            let s = Self::from_u64_wrapping(u64::from(step));
            return if up {
                self.int_add(s, signed, wrap)
            } else {
                self.int_sub(s, signed, wrap)
            };
        }
        // Only a8 with a step of 128 or more gets here: compute exactly in i32.
        let bits = Self::BITS;
        let raw = self.to_u64()? as i32;
        let x = if signed && raw >= 1 << (bits - 1) {
            raw - (1 << bits)
        } else {
            raw
        };
        let r = if up {
            x + i32::from(step)
        } else {
            x - i32::from(step)
        };
        let (lo, hi) = if signed {
            (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
        } else {
            (0, (1 << bits) - 1)
        };
        if !wrap && !(lo..=hi).contains(&r) {
            return None;
        }
        Some(Self::from_u64_wrapping(r.rem_euclid(1 << bits) as u64))
    }
    /// The value as a `u64`, if it fits.
    fn to_u64(self) -> Option<u64>;
    /// Compares as signed two's-complement values.
    fn cmp_signed(self, other: Self) -> core::cmp::Ordering;

    /// Addition, checked or wrapping, signed or unsigned.
    fn int_add(self, rhs: Self, signed: bool, wrap: bool) -> Option<Self>;
    /// Subtraction.
    fn int_sub(self, rhs: Self, signed: bool, wrap: bool) -> Option<Self>;
    /// Multiplication.
    fn int_mul(self, rhs: Self, signed: bool, wrap: bool) -> Option<Self>;
    /// Division rounding toward zero; `None` for a zero divisor and for a
    /// checked signed overflow.
    fn int_div(self, rhs: Self, signed: bool, wrap: bool) -> Option<Self>;
    /// Remainder with the sign of the dividend; `None` for a zero divisor.
    fn int_rem(self, rhs: Self, signed: bool) -> Option<Self>;
    /// Two's-complement negation; `None` for a checked MIN.
    fn int_neg(self, wrap: bool) -> Option<Self>;
    /// Absolute value of a signed value; `None` for a checked MIN.
    fn int_abs(self, wrap: bool) -> Option<Self>;

    /// Bitwise and.
    fn bit_and(self, rhs: Self) -> Self;
    /// Bitwise or.
    fn bit_or(self, rhs: Self) -> Self;
    /// Bitwise xor.
    fn bit_xor(self, rhs: Self) -> Self;
    /// Bitwise not.
    fn bit_not(self) -> Self;
    /// Shift left; amounts of the width or more give zero.
    fn shl_by(self, amt: u32) -> Self;
    /// Logical shift right; amounts of the width or more give zero.
    fn shr_by(self, amt: u32) -> Self;
    /// Arithmetic shift right; amounts of the width or more fill with the sign.
    fn sar_by(self, amt: u32) -> Self;
    /// Rotate left by `amt` modulo the width.
    fn rol_by(self, amt: u32) -> Self;
    /// Rotate right by `amt` modulo the width.
    fn ror_by(self, amt: u32) -> Self;
    /// Bit reversal.
    fn bit_rev(self) -> Self;
}

macro_rules! word {
    ($($u:ty, $i:ty, $bits:expr);* $(;)?) => {$(
        impl Word for $u {
            const BITS: u32 = $bits;
            const BYTES: usize = $bits / 8;
            const ZERO: Self = <$u>::MIN;

            #[inline]
            fn from_le(bytes: &[u8]) -> Self {
                let mut arr = [0u8; $bits / 8];
                arr.copy_from_slice(&bytes[..$bits / 8]);
                <$u>::from_le_bytes(arr)
            }
            #[inline]
            fn write_le(self, out: &mut [u8]) {
                out[..$bits / 8].copy_from_slice(&self.to_le_bytes());
            }
            #[inline]
            fn is_zero(self) -> bool {
                self == Self::ZERO
            }
            #[inline]
            fn from_u64_wrapping(v: u64) -> Self {
                bnum::cast::As::as_::<$u>(v)
            }
            #[inline]
            fn to_u64(self) -> Option<u64> {
                let mut buf = [0u8; $bits / 8];
                self.write_le(&mut buf);
                if buf.iter().skip(8).any(|b| *b != 0) {
                    return None;
                }
                let mut low = [0u8; 8];
                let n = buf.len().min(8);
                low[..n].copy_from_slice(&buf[..n]);
                Some(u64::from_le_bytes(low))
            }
            #[inline]
            fn cmp_signed(self, other: Self) -> core::cmp::Ordering {
                self.cast_signed().cmp(&other.cast_signed())
            }
            #[inline]
            fn int_add(self, rhs: Self, signed: bool, wrap: bool) -> Option<Self> {
                if wrap {
                    Some(self.wrapping_add(rhs))
                } else if signed {
                    self.cast_signed().checked_add(rhs.cast_signed()).map(<$i>::cast_unsigned)
                } else {
                    self.checked_add(rhs)
                }
            }
            #[inline]
            fn int_sub(self, rhs: Self, signed: bool, wrap: bool) -> Option<Self> {
                if wrap {
                    Some(self.wrapping_sub(rhs))
                } else if signed {
                    self.cast_signed().checked_sub(rhs.cast_signed()).map(<$i>::cast_unsigned)
                } else {
                    self.checked_sub(rhs)
                }
            }
            #[inline]
            fn int_mul(self, rhs: Self, signed: bool, wrap: bool) -> Option<Self> {
                if wrap {
                    Some(self.wrapping_mul(rhs))
                } else if signed {
                    self.cast_signed().checked_mul(rhs.cast_signed()).map(<$i>::cast_unsigned)
                } else {
                    self.checked_mul(rhs)
                }
            }
            #[inline]
            fn int_div(self, rhs: Self, signed: bool, wrap: bool) -> Option<Self> {
                if rhs.is_zero() {
                    None
                } else if !signed {
                    Some(self / rhs)
                } else if wrap {
                    Some(self.cast_signed().wrapping_div(rhs.cast_signed()).cast_unsigned())
                } else {
                    self.cast_signed().checked_div(rhs.cast_signed()).map(<$i>::cast_unsigned)
                }
            }
            #[inline]
            fn int_rem(self, rhs: Self, signed: bool) -> Option<Self> {
                if rhs.is_zero() {
                    None
                } else if signed {
                    Some(self.cast_signed().wrapping_rem(rhs.cast_signed()).cast_unsigned())
                } else {
                    Some(self % rhs)
                }
            }
            #[inline]
            fn int_neg(self, wrap: bool) -> Option<Self> {
                if wrap {
                    Some(self.cast_signed().wrapping_neg().cast_unsigned())
                } else {
                    self.cast_signed().checked_neg().map(<$i>::cast_unsigned)
                }
            }
            #[inline]
            fn int_abs(self, wrap: bool) -> Option<Self> {
                if wrap {
                    Some(self.cast_signed().wrapping_abs().cast_unsigned())
                } else {
                    self.cast_signed().checked_abs().map(<$i>::cast_unsigned)
                }
            }
            #[inline]
            fn bit_and(self, rhs: Self) -> Self {
                self & rhs
            }
            #[inline]
            fn bit_or(self, rhs: Self) -> Self {
                self | rhs
            }
            #[inline]
            fn bit_xor(self, rhs: Self) -> Self {
                self ^ rhs
            }
            #[inline]
            fn bit_not(self) -> Self {
                !self
            }
            #[inline]
            fn shl_by(self, amt: u32) -> Self {
                self.checked_shl(amt).unwrap_or(Self::ZERO)
            }
            #[inline]
            fn shr_by(self, amt: u32) -> Self {
                self.checked_shr(amt).unwrap_or(Self::ZERO)
            }
            #[inline]
            fn sar_by(self, amt: u32) -> Self {
                let s = self.cast_signed();
                s.checked_shr(amt).unwrap_or(s >> ($bits - 1)).cast_unsigned()
            }
            #[inline]
            fn rol_by(self, amt: u32) -> Self {
                self.rotate_left(amt % $bits)
            }
            #[inline]
            fn ror_by(self, amt: u32) -> Self {
                self.rotate_right(amt % $bits)
            }
            #[inline]
            fn bit_rev(self) -> Self {
                self.reverse_bits()
            }
        }
    )*};
}

word! {
    u8, i8, 8;
    u16, i16, 16;
    u32, i32, 32;
    u64, i64, 64;
    U80, bnum::Int<10>, 80;
    U128, bnum::types::I128, 128;
    U160, bnum::Int<20>, 160;
    U256, bnum::types::I256, 256;
    U512, bnum::types::I512, 512;
    U1024, bnum::types::I1024, 1024;
    U2048, bnum::types::I2048, 2048;
    U4096, bnum::types::I4096, 4096;
    U8192, bnum::types::I8192, 8192;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_and_wrapped_arithmetic() {
        assert_eq!(Word::int_add(255u8, 1, false, false), None);
        assert_eq!(Word::int_add(255u8, 1, false, true), Some(0));
        assert_eq!(Word::int_add(127u8, 1, true, false), None);
        assert_eq!(Word::int_add(127u8, 1, true, true), Some(128));
        assert_eq!(Word::int_sub(0u8, 1, false, false), None);
        assert_eq!(Word::int_sub(0u8, 1, true, false), Some(255));
        assert_eq!(Word::int_div(7u8, 0, false, true), None);
        assert_eq!(Word::int_div(128u8, 255, true, false), None);
        assert_eq!(Word::int_div(128u8, 255, true, true), Some(128));
        assert_eq!(Word::int_rem(0xF9u8, 2, true), Some(0xFF)); // -7 rem 2 = -1
        assert_eq!(Word::int_neg(128u8, false), None);
        assert_eq!(Word::int_abs(0xFFu8, false), Some(1));
    }

    #[test]
    fn steps_match_unbounded_arithmetic() {
        for x in 0..=255u8 {
            for step in [1u16, 2, 127, 128, 200, 255, 256] {
                for signed in [false, true] {
                    for wrap in [false, true] {
                        for up in [false, true] {
                            let xv = if signed {
                                i32::from(x as i8)
                            } else {
                                i32::from(x)
                            };
                            let r = if up {
                                xv + i32::from(step)
                            } else {
                                xv - i32::from(step)
                            };
                            let fits = if signed {
                                (-128..=127).contains(&r)
                            } else {
                                (0..=255).contains(&r)
                            };
                            let expect = (wrap || fits).then_some(r.rem_euclid(256) as u8);
                            assert_eq!(
                                Word::step(x, step, up, signed, wrap),
                                expect,
                                "{x} {step} {signed} {wrap} {up}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn shifts_beyond_the_width_are_defined() {
        assert_eq!(Word::shl_by(1u32, 32), 0);
        assert_eq!(Word::shr_by(u32::MAX, 99), 0);
        assert_eq!(Word::sar_by(0x8000_0000u32, 99), u32::MAX);
        assert_eq!(Word::sar_by(0x4000_0000u32, 99), 0);
        assert_eq!(Word::rol_by(0x8000_0001u32, 33), 3);
        assert_eq!(Word::ror_by(3u32, 1), 0x8000_0001);
    }

    #[test]
    fn wide_words_behave_like_narrow_ones() {
        let max = U256::MAX;
        assert_eq!(
            Word::int_add(max, U256::from_u64_wrapping(1), false, false),
            None
        );
        assert_eq!(
            Word::int_add(max, U256::from_u64_wrapping(1), false, true),
            Some(<U256 as Word>::ZERO)
        );
        let mut buf = [0u8; 32];
        Word::write_le(U256::from_u64_wrapping(0x1234), &mut buf);
        assert_eq!(&buf[..3], &[0x34, 0x12, 0]);
        assert_eq!(
            <U256 as Word>::from_le(&buf),
            U256::from_u64_wrapping(0x1234)
        );
        assert_eq!(Word::to_u64(U256::from_u64_wrapping(7)), Some(7));
        assert_eq!(Word::to_u64(max), None);
        assert_eq!(<U160 as Word>::BYTES, 20);
        assert_eq!(<U80 as Word>::BITS, 80);
    }
}
