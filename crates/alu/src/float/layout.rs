//! Float formats as bit layouts, and the unpacked value every operation works on.

use super::working::Working;
use crate::reg::FFormat;
use bnum::types::U256;
use bnum::Uint;

/// The encoded bits of a float of any format, zero-extended to 256 bits.
pub type Bits = U256;

/// The bit layout of a binary interchange format (or x87's, with its stored
/// integer bit): sign, `exp_bits` of biased exponent, `frac_bits` of fraction.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Layout {
    /// Width of the biased exponent field.
    pub exp_bits: u32,
    /// Width of the fraction field (without the integer bit).
    pub frac_bits: u32,
    /// Whether the integer bit is stored (x87 `f80`) rather than implied.
    pub explicit_int: bool,
}

impl Layout {
    /// The layout of a register format.
    pub const fn of(format: FFormat) -> Layout {
        let (exp_bits, frac_bits, explicit_int) = match format {
            FFormat::Bf16 => (8, 7, false),
            FFormat::F16 => (5, 10, false),
            FFormat::F32 => (8, 23, false),
            FFormat::F64 => (11, 52, false),
            FFormat::F80 => (15, 63, true),
            FFormat::F128 => (15, 112, false),
            FFormat::F256 => (19, 236, false),
        };
        Layout {
            exp_bits,
            frac_bits,
            explicit_int,
        }
    }

    /// Significand bits, the integer bit included.
    pub const fn precision(self) -> u32 {
        self.frac_bits + 1
    }

    /// The exponent bias; also the largest unbiased exponent.
    pub const fn bias(self) -> i32 {
        (1 << (self.exp_bits - 1)) - 1
    }

    /// The smallest unbiased exponent of a normal number.
    pub const fn emin(self) -> i32 {
        1 - self.bias()
    }

    /// All bits of an encoding.
    pub const fn total_bits(self) -> u32 {
        1 + self.exp_bits + self.frac_bits + self.explicit_int as u32
    }

    fn max_field(self) -> u32 {
        (1 << self.exp_bits) - 1
    }

    fn sig_bits(self) -> u32 {
        self.frac_bits + self.explicit_int as u32
    }

    /// Encodes a sign, biased exponent and significand (with the integer bit
    /// for normal numbers; it is dropped unless the layout stores it).
    /// The working integer must hold the whole encoding.
    #[inline(always)]
    pub(crate) fn pack<W: Working>(self, neg: bool, biased: u32, sig: W) -> W {
        let sig = if self.explicit_int {
            sig
        } else {
            sig & low_mask(self.frac_bits)
        };
        let sign = if neg {
            W::ONE << (self.total_bits() - 1)
        } else {
            W::ZERO
        };
        sig | (W::from_u64(u64::from(biased)) << self.sig_bits()) | sign
    }

    /// Infinity of a sign.
    pub(crate) fn inf<W: Working>(self, neg: bool) -> W {
        self.pack(neg, self.max_field(), W::ONE << self.frac_bits)
    }

    /// The largest finite magnitude of a sign.
    pub(crate) fn max_finite<W: Working>(self, neg: bool) -> W {
        self.pack(neg, self.max_field() - 1, low_mask(self.precision()))
    }

    /// Zero of a sign.
    pub(crate) fn zero<W: Working>(self, neg: bool) -> W {
        self.pack(neg, 0, W::ZERO)
    }

    /// Whether the encoding's sign bit is set.
    pub(crate) fn is_neg(self, bits: Bits) -> bool {
        bits.bit(self.total_bits() - 1)
    }

    /// The bits without the sign, with x87's integer bit removed: consecutive
    /// values of one sign have consecutive ordinals (for canonical encodings).
    pub(crate) fn ordinal(self, bits: Bits) -> Bits {
        let frac = bits & low_mask::<Bits>(self.frac_bits);
        let field = (bits >> self.sig_bits()) & low_mask::<Bits>(self.exp_bits);
        (field << self.frac_bits) | frac
    }

    /// Decodes an encoding; `None` for NaN and for the x87 encodings that
    /// are not numbers (pseudo-NaN, pseudo-infinity, unnormal).
    /// The working integer must hold the whole encoding.
    #[inline(always)]
    pub(crate) fn unpack<W: Working>(self, bits: Bits) -> Option<Num<W>> {
        let bits = W::from_bits(bits);
        let neg = bits.bit(self.total_bits() - 1);
        let frac = bits & low_mask(self.frac_bits);
        let field = (bits >> self.sig_bits()) & low_mask(self.exp_bits);
        let field = u32::try_from(field.low_u64()).unwrap_or(u32::MAX);
        let int_bit = self.explicit_int && bits.bit(self.frac_bits);
        if field == self.max_field() {
            return (frac.is_zero() && int_bit == self.explicit_int).then_some(Num::Inf(neg));
        }
        if field == 0 {
            // x87 pseudo-denormals (integer bit set) read as their value.
            if frac.is_zero() && !int_bit {
                return Some(Num::Zero(neg));
            }
            let sig = frac
                | if int_bit {
                    W::ONE << self.frac_bits
                } else {
                    W::ZERO
                };
            return Some(Num::Finite {
                neg,
                sig,
                exp: self.emin() - self.frac_bits as i32,
            });
        }
        if self.explicit_int && !int_bit {
            return None;
        }
        Some(Num::Finite {
            neg,
            sig: frac | (W::ONE << self.frac_bits),
            exp: field as i32 - self.bias() - self.frac_bits as i32,
        })
    }
}

/// A float's value: `(-1)^neg * sig * 2^exp` for finite non-zero numbers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Num<W> {
    /// Zero of a sign.
    Zero(bool),
    /// Infinity of a sign.
    Inf(bool),
    /// A finite non-zero number; `sig` is not zero.
    Finite {
        /// The sign.
        neg: bool,
        /// The significand, an integer.
        sig: W,
        /// The power of two it is scaled by.
        exp: i32,
    },
}

/// The low `n` bits set.
pub(crate) fn low_mask<W: Working>(n: u32) -> W {
    if n >= W::BITS {
        W::MAX
    } else {
        (W::ONE << n) - W::ONE
    }
}

/// Copies an integer into a wider (or narrower, truncating) one.
pub(crate) fn widen<const M: usize, const N: usize>(x: Uint<M>) -> Uint<N> {
    use bnum::cast::CastFrom;
    Uint::<N>::cast_from(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_have_their_ieee_parameters() {
        let f64l = Layout::of(FFormat::F64);
        assert_eq!(
            (f64l.precision(), f64l.bias(), f64l.total_bits()),
            (53, 1023, 64)
        );
        let f256 = Layout::of(FFormat::F256);
        assert_eq!(
            (f256.precision(), f256.bias(), f256.total_bits()),
            (237, 262143, 256)
        );
        assert_eq!(Layout::of(FFormat::F80).total_bits(), 80);
        for f in FFormat::ALL {
            assert_eq!(Layout::of(f).total_bits(), u32::from(f.bits()));
        }
    }

    #[test]
    fn x87_non_numbers_do_not_unpack() {
        let l = Layout::of(FFormat::F80);
        let unnormal = Bits::from_u64(0x3fff) << 64u32;
        assert_eq!(l.unpack::<u128>(unnormal), None);
        let pseudo_inf = Bits::from_u64(0x7fff) << 64u32;
        assert_eq!(l.unpack::<u128>(pseudo_inf), None);
        assert_eq!(l.unpack::<u128>(l.inf(true)), Some(Num::Inf(true)));
        let pseudo_denormal = Bits::power_of_two(0) << 63u32;
        assert!(matches!(
            l.unpack::<Bits>(pseudo_denormal),
            Some(Num::Finite { .. })
        ));
    }
}
