//! The register file: A, F, R and S banks plus st0.
//!
//! Every data register may be undefined. Banks of 8- to 64-bit integers are
//! stored inline (they are small and hot); every other bank is allocated
//! on its first write, so an idle register file stays under a kilobyte.

use crate::reg::{AWidth, FFormat, RWidth, RegA, RegF, RegR, RegS};
use crate::word::{Word, U160, U80};
use bnum::types::{U1024, U128, U2048, U256, U4096, U512, U8192};

/// Most bytes a byte-string register holds, so every length fits an a16.
pub const S_MAX_LEN: usize = u16::MAX as usize;

/// Most bytes of any integer, float or wide register (r8192).
pub const MAX_REG_BYTES: usize = 1024;

/// Read and write access to a bank of 32 registers of one width.
pub trait Slots<T: Word> {
    /// The value of register `idx`, or `None` if it is undefined.
    fn get(&self, idx: u8) -> Option<T>;
    /// Sets register `idx`; `None` makes it undefined.
    fn set(&mut self, idx: u8, value: Option<T>);
}

/// A bank of 32 registers stored inline.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Bank<T: Word> {
    vals: [T; 32],
    defined: u32,
}

impl<T: Word> Slots<T> for Bank<T> {
    #[inline(always)]
    fn get(&self, idx: u8) -> Option<T> {
        let i = (idx & 31) as usize;
        if self.defined & (1 << i) != 0 {
            Some(self.vals[i])
        } else {
            None
        }
    }

    #[inline(always)]
    fn set(&mut self, idx: u8, value: Option<T>) {
        let i = (idx & 31) as usize;
        match value {
            Some(v) => {
                self.vals[i] = v;
                self.defined |= 1 << i;
            }
            None => self.defined &= !(1 << i),
        }
    }
}

/// A bank of 32 registers allocated on its first write.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct LazyBank<T: Word>(Option<Box<Bank<T>>>);

impl<T: Word> Slots<T> for LazyBank<T> {
    fn get(&self, idx: u8) -> Option<T> {
        self.0.as_ref().and_then(|b| b.get(idx))
    }

    fn set(&mut self, idx: u8, value: Option<T>) {
        match (&mut self.0, value) {
            (Some(bank), v) => bank.set(idx, v),
            (None, None) => {}
            (slot @ None, v) => slot.get_or_insert_with(Default::default).set(idx, v),
        }
    }
}

/// The registers of one VM.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Registers {
    pub(crate) a8: Bank<u8>,
    pub(crate) a16: Bank<u16>,
    pub(crate) a32: Bank<u32>,
    pub(crate) a64: Bank<u64>,
    pub(crate) a128: LazyBank<U128>,
    pub(crate) a256: LazyBank<U256>,
    pub(crate) a512: LazyBank<U512>,
    pub(crate) a1024: LazyBank<U1024>,
    pub(crate) fbf16: LazyBank<u16>,
    pub(crate) f16: LazyBank<u16>,
    pub(crate) f32: LazyBank<u32>,
    pub(crate) f64: LazyBank<u64>,
    pub(crate) f80: LazyBank<U80>,
    pub(crate) f128: LazyBank<U128>,
    pub(crate) f256: LazyBank<U256>,
    pub(crate) r128: LazyBank<U128>,
    pub(crate) r160: LazyBank<U160>,
    pub(crate) r256: LazyBank<U256>,
    pub(crate) r512: LazyBank<U512>,
    pub(crate) r1024: LazyBank<U1024>,
    pub(crate) r2048: LazyBank<U2048>,
    pub(crate) r4096: LazyBank<U4096>,
    pub(crate) r8192: LazyBank<U8192>,
    pub(crate) s: [Option<Vec<u8>>; 16],
    /// The status register: true until an operation fails.
    pub st0: bool,
}

impl Default for Registers {
    fn default() -> Self {
        Registers {
            a8: Bank::default(),
            a16: Bank::default(),
            a32: Bank::default(),
            a64: Bank::default(),
            a128: LazyBank::default(),
            a256: LazyBank::default(),
            a512: LazyBank::default(),
            a1024: LazyBank::default(),
            fbf16: LazyBank::default(),
            f16: LazyBank::default(),
            f32: LazyBank::default(),
            f64: LazyBank::default(),
            f80: LazyBank::default(),
            f128: LazyBank::default(),
            f256: LazyBank::default(),
            r128: LazyBank::default(),
            r160: LazyBank::default(),
            r256: LazyBank::default(),
            r512: LazyBank::default(),
            r1024: LazyBank::default(),
            r2048: LazyBank::default(),
            r4096: LazyBank::default(),
            r8192: LazyBank::default(),
            s: Default::default(),
            st0: true,
        }
    }
}

/// Runs `$body` with `$b` bound to the A bank of width `$w` (generic over its word type).
macro_rules! with_a {
    ($regs:expr, $w:expr, $b:ident => $body:expr) => {
        match $w {
            $crate::reg::AWidth::A8 => {
                let $b = &mut $regs.a8;
                $body
            }
            $crate::reg::AWidth::A16 => {
                let $b = &mut $regs.a16;
                $body
            }
            $crate::reg::AWidth::A32 => {
                let $b = &mut $regs.a32;
                $body
            }
            $crate::reg::AWidth::A64 => {
                let $b = &mut $regs.a64;
                $body
            }
            $crate::reg::AWidth::A128 => {
                let $b = &mut $regs.a128;
                $body
            }
            $crate::reg::AWidth::A256 => {
                let $b = &mut $regs.a256;
                $body
            }
            $crate::reg::AWidth::A512 => {
                let $b = &mut $regs.a512;
                $body
            }
            $crate::reg::AWidth::A1024 => {
                let $b = &mut $regs.a1024;
                $body
            }
        }
    };
}

/// Runs `$body` with `$b` bound to the R bank of width `$w`.
macro_rules! with_r {
    ($regs:expr, $w:expr, $b:ident => $body:expr) => {
        match $w {
            $crate::reg::RWidth::R128 => {
                let $b = &mut $regs.r128;
                $body
            }
            $crate::reg::RWidth::R160 => {
                let $b = &mut $regs.r160;
                $body
            }
            $crate::reg::RWidth::R256 => {
                let $b = &mut $regs.r256;
                $body
            }
            $crate::reg::RWidth::R512 => {
                let $b = &mut $regs.r512;
                $body
            }
            $crate::reg::RWidth::R1024 => {
                let $b = &mut $regs.r1024;
                $body
            }
            $crate::reg::RWidth::R2048 => {
                let $b = &mut $regs.r2048;
                $body
            }
            $crate::reg::RWidth::R4096 => {
                let $b = &mut $regs.r4096;
                $body
            }
            $crate::reg::RWidth::R8192 => {
                let $b = &mut $regs.r8192;
                $body
            }
        }
    };
}

/// Runs `$body` with `$b` bound to the F bank of format `$f`.
macro_rules! with_f {
    ($regs:expr, $f:expr, $b:ident => $body:expr) => {
        match $f {
            $crate::reg::FFormat::Bf16 => {
                let $b = &mut $regs.fbf16;
                $body
            }
            $crate::reg::FFormat::F16 => {
                let $b = &mut $regs.f16;
                $body
            }
            $crate::reg::FFormat::F32 => {
                let $b = &mut $regs.f32;
                $body
            }
            $crate::reg::FFormat::F64 => {
                let $b = &mut $regs.f64;
                $body
            }
            $crate::reg::FFormat::F80 => {
                let $b = &mut $regs.f80;
                $body
            }
            $crate::reg::FFormat::F128 => {
                let $b = &mut $regs.f128;
                $body
            }
            $crate::reg::FFormat::F256 => {
                let $b = &mut $regs.f256;
                $body
            }
        }
    };
}

pub(crate) use {with_a, with_f, with_r};

/// A register of any file, for generic access by hosts and tools.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Reg {
    /// Integer register.
    A(RegA),
    /// Float register.
    F(RegF),
    /// Wide register.
    R(RegR),
    /// Byte-string register.
    S(RegS),
}

impl core::fmt::Display for Reg {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Reg::A(r) => r.fmt(f),
            Reg::F(r) => r.fmt(f),
            Reg::R(r) => r.fmt(f),
            Reg::S(r) => r.fmt(f),
        }
    }
}

fn read_le<T: Word, B: Slots<T>>(bank: &B, idx: u8) -> Option<Vec<u8>> {
    bank.get(idx).map(|v| {
        let mut out = vec![0; T::BYTES];
        v.write_le(&mut out);
        out
    })
}

fn write_le<T: Word, B: Slots<T>>(bank: &mut B, idx: u8, bytes: Option<&[u8]>) -> bool {
    match bytes {
        None => {
            bank.set(idx, None);
            true
        }
        Some(b) if b.len() == T::BYTES => {
            bank.set(idx, Some(T::from_le(b)));
            true
        }
        Some(_) => false,
    }
}

impl Registers {
    /// A fresh register file: everything undefined, st0 true.
    pub fn new() -> Self {
        Self::default()
    }

    /// The little-endian bytes of a register, or `None` if it is undefined.
    pub fn get(&self, reg: Reg) -> Option<Vec<u8>> {
        // The `with_*` macros bind `&mut` banks, so reads match directly.
        match reg {
            Reg::A(r) => match r.width {
                AWidth::A8 => read_le(&self.a8, r.idx),
                AWidth::A16 => read_le(&self.a16, r.idx),
                AWidth::A32 => read_le(&self.a32, r.idx),
                AWidth::A64 => read_le(&self.a64, r.idx),
                AWidth::A128 => read_le(&self.a128, r.idx),
                AWidth::A256 => read_le(&self.a256, r.idx),
                AWidth::A512 => read_le(&self.a512, r.idx),
                AWidth::A1024 => read_le(&self.a1024, r.idx),
            },
            Reg::F(r) => match r.format {
                FFormat::Bf16 => read_le(&self.fbf16, r.idx),
                FFormat::F16 => read_le(&self.f16, r.idx),
                FFormat::F32 => read_le(&self.f32, r.idx),
                FFormat::F64 => read_le(&self.f64, r.idx),
                FFormat::F80 => read_le(&self.f80, r.idx),
                FFormat::F128 => read_le(&self.f128, r.idx),
                FFormat::F256 => read_le(&self.f256, r.idx),
            },
            Reg::R(r) => match r.width {
                RWidth::R128 => read_le(&self.r128, r.idx),
                RWidth::R160 => read_le(&self.r160, r.idx),
                RWidth::R256 => read_le(&self.r256, r.idx),
                RWidth::R512 => read_le(&self.r512, r.idx),
                RWidth::R1024 => read_le(&self.r1024, r.idx),
                RWidth::R2048 => read_le(&self.r2048, r.idx),
                RWidth::R4096 => read_le(&self.r4096, r.idx),
                RWidth::R8192 => read_le(&self.r8192, r.idx),
            },
            Reg::S(r) => self.s[(r.0 & 15) as usize].clone(),
        }
    }

    /// Sets a register from little-endian bytes (`None` makes it undefined).
    /// A, F and R registers take exactly their width in bytes; byte strings
    /// take at most [`S_MAX_LEN`] bytes. Returns `false` (and changes
    /// nothing) when the length does not fit.
    pub fn set(&mut self, reg: Reg, bytes: Option<&[u8]>) -> bool {
        match reg {
            Reg::A(r) => with_a!(self, r.width, b => write_le(b, r.idx, bytes)),
            Reg::F(r) => with_f!(self, r.format, b => write_le(b, r.idx, bytes)),
            Reg::R(r) => with_r!(self, r.width, b => write_le(b, r.idx, bytes)),
            Reg::S(r) => match bytes {
                Some(b) if b.len() > S_MAX_LEN => false,
                b => {
                    self.s[(r.0 & 15) as usize] = b.map(<[u8]>::to_vec);
                    true
                }
            },
        }
    }

    /// An integer register as a `u64`, if it is defined and fits.
    pub fn a_u64(&self, reg: RegA) -> Option<u64> {
        let bytes = self.get(Reg::A(reg))?;
        if bytes.iter().skip(8).any(|b| *b != 0) {
            return None;
        }
        let mut low = [0u8; 8];
        let n = bytes.len().min(8);
        low[..n].copy_from_slice(&bytes[..n]);
        Some(u64::from_le_bytes(low))
    }

    /// Sets an integer register to a `u64`, truncated to the register's width.
    pub fn set_a_u64(&mut self, reg: RegA, value: u64) {
        let mut bytes = vec![0u8; reg.width.bytes()];
        let n = bytes.len().min(8);
        bytes[..n].copy_from_slice(&value.to_le_bytes()[..n]);
        self.set(Reg::A(reg), Some(&bytes));
    }

    /// An integer register in decimal (unsigned), if defined.
    pub fn a_decimal(&self, reg: RegA) -> Option<String> {
        let regs = self;
        match reg.width {
            AWidth::A8 => regs.a8.get(reg.idx).map(|v| v.to_string()),
            AWidth::A16 => regs.a16.get(reg.idx).map(|v| v.to_string()),
            AWidth::A32 => regs.a32.get(reg.idx).map(|v| v.to_string()),
            AWidth::A64 => regs.a64.get(reg.idx).map(|v| v.to_string()),
            AWidth::A128 => regs.a128.get(reg.idx).map(|v| v.to_string()),
            AWidth::A256 => regs.a256.get(reg.idx).map(|v| v.to_string()),
            AWidth::A512 => regs.a512.get(reg.idx).map(|v| v.to_string()),
            AWidth::A1024 => regs.a1024.get(reg.idx).map(|v| v.to_string()),
        }
    }

    /// Every defined register in canonical order (A, F, R, S; by width, then index).
    pub fn defined(&self) -> Vec<Reg> {
        let mut out = Vec::new();
        for width in AWidth::ALL {
            for idx in 0..32 {
                let r = Reg::A(RegA { width, idx });
                if self.is_defined(r) {
                    out.push(r);
                }
            }
        }
        for format in FFormat::ALL {
            for idx in 0..32 {
                let r = Reg::F(RegF { format, idx });
                if self.is_defined(r) {
                    out.push(r);
                }
            }
        }
        for width in RWidth::ALL {
            for idx in 0..32 {
                let r = Reg::R(RegR { width, idx });
                if self.is_defined(r) {
                    out.push(r);
                }
            }
        }
        for idx in 0..16 {
            if self.s[idx as usize].is_some() {
                out.push(Reg::S(RegS(idx)));
            }
        }
        out
    }

    /// Whether a register is defined.
    pub fn is_defined(&self, reg: Reg) -> bool {
        match reg {
            Reg::S(r) => self.s[(r.0 & 15) as usize].is_some(),
            other => self.get(other).is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_idle_register_file_is_small() {
        assert!(
            core::mem::size_of::<Registers>() <= 1536,
            "{}",
            core::mem::size_of::<Registers>()
        );
    }

    #[test]
    fn registers_start_undefined_and_round_trip() {
        let mut regs = Registers::new();
        assert!(regs.st0);
        assert!(regs.defined().is_empty());
        let a = RegA {
            width: AWidth::A1024,
            idx: 31,
        };
        regs.set_a_u64(a, 42);
        assert_eq!(regs.a_u64(a), Some(42));
        assert_eq!(regs.a_decimal(a).as_deref(), Some("42"));
        let r = Reg::R(RegR {
            width: RWidth::R160,
            idx: 0,
        });
        assert!(!regs.set(r, Some(&[1; 19])));
        assert!(regs.set(r, Some(&[1; 20])));
        assert_eq!(regs.get(r), Some(vec![1; 20]));
        let s = Reg::S(RegS(3));
        assert!(regs.set(s, Some(b"hi")));
        assert!(!regs.set(s, Some(&vec![0; S_MAX_LEN + 1])));
        assert_eq!(regs.defined(), vec![Reg::A(a), r, s]);
        regs.set(Reg::A(a), None);
        assert_eq!(regs.a_u64(a), None);
    }
}
