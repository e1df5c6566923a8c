//! The types of Alma values and how each lives in Alu registers.

use core::fmt;

use avm_asm::FloatFormat;

use num_bigint::BigInt;
use num_traits::{One, Zero};

/// The widths of Alu's A registers, in bits.
pub const INT_WIDTHS: [u16; 8] = [8, 16, 32, 64, 128, 256, 512, 1024];

/// The `reg_bits` of byte strings: not an A width, it names the `s` registers.
pub const BYTES_BANK: u16 = 0;

/// The `reg_bits` of a float format: 1 to 7 (`bf16` .. `f256`), below every A width.
pub fn float_code(format: FloatFormat) -> u16 {
    FloatFormat::ALL
        .iter()
        .position(|f| *f == format)
        .map_or(1, |i| i as u16 + 1)
}

/// The float format of a `reg_bits` code, if it is one.
pub fn float_of_code(code: u16) -> Option<FloatFormat> {
    FloatFormat::ALL
        .get(usize::from(code).checked_sub(1)?)
        .copied()
}

/// An integer type: a width of the A registers and a signedness, e.g. `u64` or `i8`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IntType {
    /// 8, 16, 32, 64, 128, 256, 512 or 1024.
    pub bits: u16,
    /// Two's complement (`i`) or unsigned (`u`).
    pub signed: bool,
}

impl IntType {
    /// The type `u<bits>` or `i<bits>`; `bits` must be one of [`INT_WIDTHS`].
    pub const fn new(bits: u16, signed: bool) -> Self {
        IntType { bits, signed }
    }

    /// The type a name such as `u64` or `i1024` spells, if any.
    pub fn from_name(name: &str) -> Option<IntType> {
        let signed = match name.as_bytes().first()? {
            b'u' => false,
            b'i' => true,
            _ => return None,
        };
        let bits: u16 = name[1..].parse().ok()?;
        (INT_WIDTHS.contains(&bits) && name[1..] == bits.to_string())
            .then_some(IntType { bits, signed })
    }

    /// The smallest value of the type.
    pub fn min(self) -> BigInt {
        if self.signed {
            -(BigInt::one() << (self.bits - 1))
        } else {
            BigInt::zero()
        }
    }

    /// The largest value of the type.
    pub fn max(self) -> BigInt {
        let bits = if self.signed {
            self.bits - 1
        } else {
            self.bits
        };
        (BigInt::one() << bits) - 1
    }

    /// Whether `value` is a value of the type.
    pub fn contains(self, value: &BigInt) -> bool {
        *value >= self.min() && *value <= self.max()
    }

    /// `value` modulo 2^bits, read back in the type: the wrapped result.
    pub fn wrap(self, value: &BigInt) -> BigInt {
        let modulus = BigInt::one() << self.bits;
        let mut v = value % &modulus;
        if v < BigInt::zero() {
            v += &modulus;
        }
        if self.signed && v > self.max() {
            v -= modulus;
        }
        v
    }

    /// The value's bits as an unsigned number below 2^bits (its two's complement).
    pub fn bit_pattern(self, value: &BigInt) -> BigInt {
        IntType::new(self.bits, false).wrap(value)
    }
}

impl fmt::Display for IntType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", if self.signed { 'i' } else { 'u' }, self.bits)
    }
}

/// The type of an Alma expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// A float of this format in an F register (never NaN).
    Float(FloatFormat),
    /// An integer in an A register.
    Int(IntType),
    /// `true` or `false`, kept as 1 or 0 in an `a8` register.
    Bool,
    /// A byte string of 0 to 65535 bytes, in an `s` register.
    Bytes,
    /// No value: loops, `set!`, `when` without an else.
    Unit,
    /// A finite-domain variable of an intent, the handle `new-var` gives,
    /// kept as a natural in an `a64` register (docs/intents.md).
    Var,
}

impl Type {
    /// The type a name spells: an integer or float type, `bool`, `bytes`,
    /// `unit` or `var`.
    pub fn from_name(name: &str) -> Option<Type> {
        match name {
            "bool" => Some(Type::Bool),
            "var" => Some(Type::Var),
            "bytes" => Some(Type::Bytes),
            "unit" => Some(Type::Unit),
            _ => match FloatFormat::ALL.iter().find(|f| f.prefix() == name) {
                Some(f) => Some(Type::Float(*f)),
                None => IntType::from_name(name).map(Type::Int),
            },
        }
    }

    /// The width of the A register that holds a value of the type, or
    /// [`BYTES_BANK`] for the byte-string registers (none for unit).
    pub fn reg_bits(self) -> Option<u16> {
        match self {
            Type::Int(t) => Some(t.bits),
            Type::Var => Some(64),
            Type::Bool => Some(8),
            Type::Bytes => Some(BYTES_BANK),
            Type::Float(f) => Some(float_code(f)),
            Type::Unit => None,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Int(t) => t.fmt(f),
            Type::Bool => f.write_str("bool"),
            Type::Bytes => f.write_str("bytes"),
            Type::Float(format) => f.write_str(format.prefix()),
            Type::Unit => f.write_str("unit"),
            Type::Var => f.write_str("var"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for bits in INT_WIDTHS {
            for signed in [false, true] {
                let t = IntType::new(bits, signed);
                assert_eq!(IntType::from_name(&t.to_string()), Some(t));
            }
        }
        for bad in ["u7", "u064", "x8", "u", "i", "u99999999999", "bool"] {
            assert_eq!(IntType::from_name(bad), None, "{bad}");
        }
        assert_eq!(Type::from_name("bool"), Some(Type::Bool));
        assert_eq!(Type::from_name("var"), Some(Type::Var));
        assert_eq!(Type::Var.to_string(), "var");
    }

    #[test]
    fn ranges_and_wrapping() {
        let i8t = IntType::new(8, true);
        assert_eq!(i8t.min(), BigInt::from(-128));
        assert_eq!(i8t.max(), BigInt::from(127));
        assert_eq!(i8t.wrap(&BigInt::from(128)), BigInt::from(-128));
        assert_eq!(i8t.wrap(&BigInt::from(-129)), BigInt::from(127));
        assert_eq!(i8t.bit_pattern(&BigInt::from(-1)), BigInt::from(255));
        let u8t = IntType::new(8, false);
        assert_eq!(u8t.wrap(&BigInt::from(-1)), BigInt::from(255));
        assert!(u8t.contains(&BigInt::from(255)) && !u8t.contains(&BigInt::from(256)));
    }
}
