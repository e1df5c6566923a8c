//! Instruction flags: the suffixes after a mnemonic (`add.uc`, `gt.s`, `eq.n`).

use crate::float::Rounding;
use crate::reg::{AWidth, FFormat, RWidth};

/// A value that occupies a fixed number of bits in an instruction.
pub trait Field: Sized + Copy {
    /// Decodes the field's bits; `None` for a code the field does not define.
    fn from_bits(bits: u32) -> Option<Self>;
    /// The field's bits.
    fn to_bits(&self) -> u32;
}

impl Field for u8 {
    fn from_bits(bits: u32) -> Option<Self> {
        u8::try_from(bits).ok()
    }
    fn to_bits(&self) -> u32 {
        u32::from(*self)
    }
}

impl Field for u16 {
    fn from_bits(bits: u32) -> Option<Self> {
        u16::try_from(bits).ok()
    }
    fn to_bits(&self) -> u32 {
        u32::from(*self)
    }
}

impl Field for AWidth {
    fn from_bits(bits: u32) -> Option<Self> {
        Some(AWidth::from_code(bits as u8))
    }
    fn to_bits(&self) -> u32 {
        *self as u32
    }
}

impl Field for RWidth {
    fn from_bits(bits: u32) -> Option<Self> {
        Some(RWidth::from_code(bits as u8))
    }
    fn to_bits(&self) -> u32 {
        *self as u32
    }
}

impl Field for FFormat {
    fn from_bits(bits: u32) -> Option<Self> {
        FFormat::from_code(bits as u8)
    }
    fn to_bits(&self) -> u32 {
        *self as u32
    }
}

/// A flag: a [`Field`] that is written as a mnemonic suffix.
pub trait Flag: Field {
    /// All values with their suffixes, in code order.
    const SUFFIXES: &'static [&'static str];

    /// The suffix, without the dot.
    fn suffix(&self) -> &'static str {
        Self::SUFFIXES[self.to_bits() as usize]
    }

    /// Other spellings the assembler accepts, each with the suffix it means.
    const ALIASES: &'static [(&'static str, &'static str)] = &[];

    /// Parses a suffix (or an alias).
    fn from_suffix(s: &str) -> Option<Self> {
        let s = Self::ALIASES
            .iter()
            .find_map(|&(alias, to)| (alias == s).then_some(to))
            .unwrap_or(s);
        let code = Self::SUFFIXES.iter().position(|x| *x == s)?;
        Self::from_bits(code as u32)
    }
}

macro_rules! flag {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $suffix:literal),+ $(,)? } $(aliases $aliases:expr)?) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl Field for $name {
            fn from_bits(bits: u32) -> Option<Self> {
                [$($name::$variant),+].get(bits as usize).copied()
            }
            fn to_bits(&self) -> u32 {
                *self as u32
            }
        }

        impl Flag for $name {
            const SUFFIXES: &'static [&'static str] = &[$($suffix),+];
            $(const ALIASES: &'static [(&'static str, &'static str)] = $aliases;)?
        }
    };
}

flag!(
    /// Integer arithmetic flags: signedness x checked/wrapped.
    IntFlags {
        /// Unsigned, checked: overflow makes the destination undefined and clears st0.
        UnsignedChecked = "uc",
        /// Unsigned, wrapped modulo 2^width.
        UnsignedWrapped = "uw",
        /// Signed two's complement, checked.
        SignedChecked = "sc",
        /// Signed two's complement, wrapped.
        SignedWrapped = "sw",
    }
);

impl IntFlags {
    /// Whether operands are signed.
    pub fn signed(self) -> bool {
        matches!(self, IntFlags::SignedChecked | IntFlags::SignedWrapped)
    }

    /// Whether results wrap instead of failing on overflow.
    pub fn wrapped(self) -> bool {
        matches!(self, IntFlags::UnsignedWrapped | IntFlags::SignedWrapped)
    }
}

flag!(
    /// Unsigned arithmetic flags of the wide (R) registers: checked or wrapped.
    UIntFlags {
        /// Checked: a result outside 0 .. 2^w-1 makes the destination undefined and clears st0.
        UnsignedChecked = "uc",
        /// Wrapped modulo 2^width.
        UnsignedWrapped = "uw",
    }
);

impl UIntFlags {
    /// Whether results wrap instead of failing on overflow.
    pub fn wrapped(self) -> bool {
        self == UIntFlags::UnsignedWrapped
    }
}

flag!(
    /// Signedness of an integer comparison or remainder.
    SignFlag {
        /// Unsigned.
        Unsigned = "u",
        /// Signed two's complement.
        Signed = "s",
    }
);

flag!(
    /// Whether a negation or absolute value wraps or is checked.
    WrapFlag {
        /// Checked: the minimum signed value gives undefined and clears st0.
        Checked = "c",
        /// Wrapped: the minimum signed value maps to itself.
        Wrapped = "w",
    }
);

flag!(
    /// Policy for comparing two undefined values.
    NoneEqFlag {
        /// Undefined equals nothing, not even undefined.
        Never = "e",
        /// Two undefined values are equal.
        Equal = "n",
    }
);

flag!(
    /// How `st` merges st0 into an integer register.
    MergeFlag {
        /// Set: the register becomes st0 as 0 or 1.
        Set = "s",
        /// Add st0 (0 or 1), wrapping; undefined counts as 0.
        Add = "a",
        /// And: the register becomes 1 if it is non-zero and st0 is true, else 0.
        And = "n",
        /// Or: the register becomes 1 if it is non-zero or st0 is true, else 0.
        Or = "o",
    }
);

flag!(
    /// The curve of a point instruction (`pgen padd pneg pmul pchk`).
    CurveFlag {
        /// secp256k1; points are SEC1 byte strings.
        Secp256k1 = "secp",
        /// edwards25519 (the Ed25519 curve); points are 32-byte compressed Edwards y.
        Ed25519 = "ed",
    }
);

flag!(
    /// Float rounding direction of an operation that can overflow: `add.n`,
    /// `mul.z`. In every direction an overflow makes the destination
    /// undefined and clears st0 (AluVM's rule). The field has three bits;
    /// codes 4 to 7 (once the checked forms) are not instructions. The
    /// assembler still reads the checked spellings `.nc .zc .dc .uc` as
    /// aliases of `.n .z .d .u`.
    FloatFlags {
        /// Nearest, ties to even.
        Nearest = "n",
        /// Toward zero.
        TowardZero = "z",
        /// Toward negative infinity (down).
        Down = "d",
        /// Toward positive infinity (up).
        Up = "u",
    }
    aliases &[("nc", "n"), ("zc", "z"), ("dc", "d"), ("uc", "u")]
);

impl FloatFlags {
    /// The rounding direction.
    pub fn rounding(self) -> Rounding {
        Rounding::ALL[self.to_bits() as usize]
    }
}

flag!(
    /// A float rounding direction, for operations that cannot overflow.
    RoundFlag {
        /// Nearest, ties to even.
        Nearest = "n",
        /// Toward zero.
        TowardZero = "z",
        /// Toward negative infinity (down).
        Down = "d",
        /// Toward positive infinity (up).
        Up = "u",
    }
);

impl RoundFlag {
    /// The rounding direction.
    pub fn rounding(self) -> Rounding {
        Rounding::ALL[self.to_bits() as usize]
    }
}

flag!(
    /// How `eq` compares floats.
    FloatEqFlag {
        /// Exactly equal values (-0 equals +0).
        Exact = "e",
        /// Equal or adjacent finite values: at most one unit in the last place apart.
        Ulp = "ulp",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_round_trip() {
        for code in 0..4 {
            let f = IntFlags::from_bits(code).unwrap();
            assert_eq!(IntFlags::from_suffix(f.suffix()), Some(f));
        }
        assert_eq!(IntFlags::from_bits(4), None);
        assert_eq!(SignFlag::from_suffix("x"), None);
        assert!(IntFlags::SignedWrapped.signed() && IntFlags::SignedWrapped.wrapped());
        assert!(!IntFlags::UnsignedChecked.signed() && !IntFlags::UnsignedChecked.wrapped());
    }

    #[test]
    fn checked_float_spellings_are_aliases() {
        assert_eq!(FloatFlags::from_suffix("zc"), Some(FloatFlags::TowardZero));
        assert_eq!(FloatFlags::from_suffix("uc").map(|f| f.suffix()), Some("u"));
        assert_eq!(FloatFlags::from_bits(4), None);
        assert_eq!(RoundFlag::from_suffix("nc"), None);
        assert_eq!(IntFlags::from_suffix("uc"), Some(IntFlags::UnsignedChecked));
    }
}
