//! Register names: the register files, their widths and indexes.
//!
//! Each name type knows its 3- or 5-bit code in bytecode, so the codec and the
//! assembler share one definition of what `a64[3]` or `r256[1]` means.

use core::fmt;

/// Width of an integer (A) register.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[repr(u8)]
pub enum AWidth {
    /// 8 bits.
    A8 = 0,
    /// 16 bits.
    A16 = 1,
    /// 32 bits.
    A32 = 2,
    /// 64 bits.
    A64 = 3,
    /// 128 bits.
    A128 = 4,
    /// 256 bits.
    A256 = 5,
    /// 512 bits.
    A512 = 6,
    /// 1024 bits.
    A1024 = 7,
}

impl AWidth {
    /// All widths in code order.
    pub const ALL: [AWidth; 8] = [
        AWidth::A8,
        AWidth::A16,
        AWidth::A32,
        AWidth::A64,
        AWidth::A128,
        AWidth::A256,
        AWidth::A512,
        AWidth::A1024,
    ];

    /// The width for a 3-bit code; every code is valid.
    pub const fn from_code(code: u8) -> AWidth {
        AWidth::ALL[(code & 7) as usize]
    }

    /// Width in bits.
    pub const fn bits(self) -> u16 {
        8 << self as u16
    }

    /// Width in bytes.
    pub const fn bytes(self) -> usize {
        self.bits() as usize / 8
    }

    /// The width with exactly `bits` bits, if there is one.
    pub fn with_bits(bits: u16) -> Option<AWidth> {
        AWidth::ALL.into_iter().find(|w| w.bits() == bits)
    }
}

/// Width of a wide (R) register.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[repr(u8)]
pub enum RWidth {
    /// 128 bits.
    R128 = 0,
    /// 160 bits (RIPEMD-160 digests, addresses).
    R160 = 1,
    /// 256 bits.
    R256 = 2,
    /// 512 bits.
    R512 = 3,
    /// 1024 bits.
    R1024 = 4,
    /// 2048 bits.
    R2048 = 5,
    /// 4096 bits.
    R4096 = 6,
    /// 8192 bits.
    R8192 = 7,
}

impl RWidth {
    /// All widths in code order.
    pub const ALL: [RWidth; 8] = [
        RWidth::R128,
        RWidth::R160,
        RWidth::R256,
        RWidth::R512,
        RWidth::R1024,
        RWidth::R2048,
        RWidth::R4096,
        RWidth::R8192,
    ];

    /// The width for a 3-bit code; every code is valid.
    pub const fn from_code(code: u8) -> RWidth {
        RWidth::ALL[(code & 7) as usize]
    }

    /// Width in bits.
    pub const fn bits(self) -> u16 {
        match self {
            RWidth::R160 => 160,
            RWidth::R128 => 128,
            w => 128 << (w as u16 - 1),
        }
    }

    /// Width in bytes.
    pub const fn bytes(self) -> usize {
        self.bits() as usize / 8
    }

    /// The width with exactly `bits` bits, if there is one.
    pub fn with_bits(bits: u16) -> Option<RWidth> {
        RWidth::ALL.into_iter().find(|w| w.bits() == bits)
    }
}

/// Format of a float (F) register.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[repr(u8)]
pub enum FFormat {
    /// bfloat16.
    Bf16 = 0,
    /// IEEE binary16.
    F16 = 1,
    /// IEEE binary32.
    F32 = 2,
    /// IEEE binary64.
    F64 = 3,
    /// x87 80-bit extended precision.
    F80 = 4,
    /// IEEE binary128.
    F128 = 5,
    /// IEEE binary256.
    F256 = 6,
}

impl FFormat {
    /// All formats in code order.
    pub const ALL: [FFormat; 7] = [
        FFormat::Bf16,
        FFormat::F16,
        FFormat::F32,
        FFormat::F64,
        FFormat::F80,
        FFormat::F128,
        FFormat::F256,
    ];

    /// The format for a 3-bit code; code 7 names no format.
    pub const fn from_code(code: u8) -> Option<FFormat> {
        if code < 7 {
            Some(FFormat::ALL[code as usize])
        } else {
            None
        }
    }

    /// Storage size in bits.
    pub const fn bits(self) -> u16 {
        match self {
            FFormat::Bf16 | FFormat::F16 => 16,
            FFormat::F32 => 32,
            FFormat::F64 => 64,
            FFormat::F80 => 80,
            FFormat::F128 => 128,
            FFormat::F256 => 256,
        }
    }

    /// Storage size in bytes.
    pub const fn bytes(self) -> usize {
        self.bits() as usize / 8
    }

    /// The register-name prefix: `bf16`, `f16`, ...
    pub const fn name(self) -> &'static str {
        match self {
            FFormat::Bf16 => "bf16",
            FFormat::F16 => "f16",
            FFormat::F32 => "f32",
            FFormat::F64 => "f64",
            FFormat::F80 => "f80",
            FFormat::F128 => "f128",
            FFormat::F256 => "f256",
        }
    }
}

/// Index of a register within its bank: 0..=31 for A, F and R; 0..=15 for S.
pub type Idx = u8;

/// An integer register, e.g. `a64[3]`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct RegA {
    /// Width.
    pub width: AWidth,
    /// Index, 0..=31.
    pub idx: Idx,
}

/// A float register, e.g. `f32[0]`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct RegF {
    /// Format.
    pub format: FFormat,
    /// Index, 0..=31.
    pub idx: Idx,
}

/// A wide register, e.g. `r256[1]`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct RegR {
    /// Width.
    pub width: RWidth,
    /// Index, 0..=31.
    pub idx: Idx,
}

/// A byte-string register, `s[0]` to `s[15]`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct RegS(pub Idx);

impl fmt::Display for RegA {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a{}[{}]", self.width.bits(), self.idx)
    }
}

impl fmt::Display for RegF {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.format.name(), self.idx)
    }
}

impl fmt::Display for RegR {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "r{}[{}]", self.width.bits(), self.idx)
    }
}

impl fmt::Display for RegS {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s[{}]", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_have_their_names() {
        let a: Vec<u16> = AWidth::ALL.iter().map(|w| w.bits()).collect();
        assert_eq!(a, [8, 16, 32, 64, 128, 256, 512, 1024]);
        let r: Vec<u16> = RWidth::ALL.iter().map(|w| w.bits()).collect();
        assert_eq!(r, [128, 160, 256, 512, 1024, 2048, 4096, 8192]);
        assert_eq!(FFormat::from_code(7), None);
        assert_eq!(AWidth::with_bits(64), Some(AWidth::A64));
        assert_eq!(RWidth::with_bits(160), Some(RWidth::R160));
        assert_eq!(AWidth::with_bits(24), None);
    }

    #[test]
    fn registers_print_as_assembly() {
        let a = RegA {
            width: AWidth::A64,
            idx: 3,
        };
        assert_eq!(a.to_string(), "a64[3]");
        let f = RegF {
            format: FFormat::Bf16,
            idx: 0,
        };
        assert_eq!(f.to_string(), "bf16[0]");
        let r = RegR {
            width: RWidth::R160,
            idx: 31,
        };
        assert_eq!(r.to_string(), "r160[31]");
        assert_eq!(RegS(15).to_string(), "s[15]");
    }
}
