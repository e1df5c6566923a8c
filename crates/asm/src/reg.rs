//! Register operands: `a64[3]`, `f32[0]`, `r256[1]`, `s[2]`, `st0`.

use core::fmt;

/// Widths in bits of the integer registers `a8[i]` .. `a1024[i]`.
pub const A_WIDTHS: [u16; 8] = [8, 16, 32, 64, 128, 256, 512, 1024];

/// Widths in bits of the wide registers `r128[i]` .. `r8192[i]`.
pub const R_WIDTHS: [u16; 8] = [128, 160, 256, 512, 1024, 2048, 4096, 8192];

/// Number of registers in each `a`, `f` and `r` family (indices `0..=31`).
pub const REGS_PER_FAMILY: u8 = 32;

/// Number of byte-string registers `s[0]` .. `s[15]`.
pub const S_REGS: u8 = 16;

/// The format of a float register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FloatFormat {
    /// bfloat16 (`bf16`).
    Bf16,
    /// IEEE 754 binary16 (`f16`).
    F16,
    /// IEEE 754 binary32 (`f32`).
    F32,
    /// IEEE 754 binary64 (`f64`).
    F64,
    /// x87 80-bit extended precision (`f80`).
    F80,
    /// IEEE 754 binary128 (`f128`).
    F128,
    /// IEEE 754 binary256 (`f256`).
    F256,
}

impl FloatFormat {
    /// Every float format, narrowest first.
    pub const ALL: [FloatFormat; 7] = [
        FloatFormat::Bf16,
        FloatFormat::F16,
        FloatFormat::F32,
        FloatFormat::F64,
        FloatFormat::F80,
        FloatFormat::F128,
        FloatFormat::F256,
    ];

    /// The register-family prefix as written in source, e.g. `"bf16"`.
    pub const fn prefix(self) -> &'static str {
        match self {
            FloatFormat::Bf16 => "bf16",
            FloatFormat::F16 => "f16",
            FloatFormat::F32 => "f32",
            FloatFormat::F64 => "f64",
            FloatFormat::F80 => "f80",
            FloatFormat::F128 => "f128",
            FloatFormat::F256 => "f256",
        }
    }
}

/// A register operand.
///
/// The parser only produces registers whose width is one listed in [`A_WIDTHS`] /
/// [`R_WIDTHS`] and whose index is in range; values built by hand are not checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reg {
    /// Integer register `a<width>[idx]`.
    A(u16, u8),
    /// Float register `<format>[idx]`.
    F(FloatFormat, u8),
    /// Wide register `r<width>[idx]`.
    R(u16, u8),
    /// Byte-string register `s[idx]`.
    S(u8),
    /// The status register `st0`.
    St0,
}

/// A register family that takes an index in brackets, as named by its prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RegFamily {
    A(u16),
    F(FloatFormat),
    R(u16),
    S,
}

impl RegFamily {
    /// The family whose prefix is `name` (e.g. `a64`, `bf16`, `s`), if any.
    pub(crate) fn from_prefix(name: &str) -> Option<RegFamily> {
        if name == "s" {
            return Some(RegFamily::S);
        }
        if let Some(format) = FloatFormat::ALL.iter().find(|f| f.prefix() == name) {
            return Some(RegFamily::F(*format));
        }
        let (head, digits) = name.split_at(name.len().min(1));
        // Reject leading zeros and signs so that only the canonical spelling is a register.
        if digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let width: u16 = digits.parse().ok()?;
        match head {
            "a" if A_WIDTHS.contains(&width) => Some(RegFamily::A(width)),
            "r" if R_WIDTHS.contains(&width) => Some(RegFamily::R(width)),
            _ => None,
        }
    }

    /// How many registers the family has.
    pub(crate) fn count(self) -> u8 {
        match self {
            RegFamily::S => S_REGS,
            _ => REGS_PER_FAMILY,
        }
    }

    /// The register `idx` of this family; `idx` must be below [`RegFamily::count`].
    pub(crate) fn reg(self, idx: u8) -> Reg {
        match self {
            RegFamily::A(w) => Reg::A(w, idx),
            RegFamily::F(f) => Reg::F(f, idx),
            RegFamily::R(w) => Reg::R(w, idx),
            RegFamily::S => Reg::S(idx),
        }
    }
}

impl fmt::Display for Reg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reg::A(width, idx) => write!(f, "a{width}[{idx}]"),
            Reg::F(format, idx) => write!(f, "{}[{idx}]", format.prefix()),
            Reg::R(width, idx) => write!(f, "r{width}[{idx}]"),
            Reg::S(idx) => write!(f, "s[{idx}]"),
            Reg::St0 => f.write_str("st0"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(RegFamily::from_prefix("a8"), Some(RegFamily::A(8)));
        assert_eq!(RegFamily::from_prefix("a1024"), Some(RegFamily::A(1024)));
        assert_eq!(RegFamily::from_prefix("r160"), Some(RegFamily::R(160)));
        assert_eq!(RegFamily::from_prefix("r8192"), Some(RegFamily::R(8192)));
        assert_eq!(
            RegFamily::from_prefix("bf16"),
            Some(RegFamily::F(FloatFormat::Bf16))
        );
        assert_eq!(
            RegFamily::from_prefix("f80"),
            Some(RegFamily::F(FloatFormat::F80))
        );
        assert_eq!(RegFamily::from_prefix("s"), Some(RegFamily::S));
        for bad in [
            "a", "a7", "a064", "r64", "a2048", "f8", "bf32", "st0", "x", "",
        ] {
            assert_eq!(RegFamily::from_prefix(bad), None, "{bad}");
        }
    }

    #[test]
    fn display() {
        assert_eq!(Reg::A(64, 2).to_string(), "a64[2]");
        assert_eq!(Reg::F(FloatFormat::Bf16, 31).to_string(), "bf16[31]");
        assert_eq!(Reg::R(160, 0).to_string(), "r160[0]");
        assert_eq!(Reg::S(15).to_string(), "s[15]");
        assert_eq!(Reg::St0.to_string(), "st0");
    }
}
