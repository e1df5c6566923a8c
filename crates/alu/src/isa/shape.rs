//! Operand shapes: the operand layouts that instructions share.
//!
//! A shape declares its bit fields (in encoding order) and its assembly
//! template (the operands as written). From that one declaration come the
//! decoder, the encoder, the operand list the disassembler prints and the
//! parser from operands that the assembler uses, so they cannot disagree.

use super::bits::{BitReader, BitWriter};
use super::flags::{
    CurveFlag, Field, Flag, FloatEqFlag, FloatFlags, IntFlags, MergeFlag, NoneEqFlag, RoundFlag,
    SignFlag, UIntFlags, WrapFlag,
};
use crate::reg::{AWidth, FFormat, Idx, RWidth, RegA, RegF, RegR, RegS};
use core::fmt;

/// An operand as written in assembly, after labels and constants are resolved.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Operand {
    /// An integer register.
    A(RegA),
    /// A float register.
    F(RegF),
    /// A wide register.
    R(RegR),
    /// A byte-string register.
    S(RegS),
    /// A code offset in the current library (a jump target).
    Pos(u16),
    /// A code offset in an imported library: `pos @ lib`.
    Site {
        /// Offset in the imported library's code.
        pos: u16,
        /// Index into the importing library's import segment.
        lib: u8,
    },
    /// A data-segment offset whose bytes are read at the register's width: `data[off]`.
    Data(u16),
    /// A data-segment range: `data[off..off+len]`.
    DataRange {
        /// Start offset.
        off: u16,
        /// Length in bytes.
        len: u16,
    },
    /// A small unsigned immediate.
    Imm(u16),
    /// The status register `st0`.
    St0,
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::A(r) => r.fmt(f),
            Operand::F(r) => r.fmt(f),
            Operand::R(r) => r.fmt(f),
            Operand::S(r) => r.fmt(f),
            Operand::Pos(p) => write!(f, "{p:#06x}"),
            Operand::Site { pos, lib } => write!(f, "{pos:#06x} @ {lib}"),
            Operand::Data(off) => write!(f, "data[{off}]"),
            Operand::DataRange { off, len } => {
                write!(f, "data[{off}..{}]", u32::from(*off) + u32::from(*len))
            }
            Operand::Imm(v) => write!(f, "{v}"),
            Operand::St0 => f.write_str("st0"),
        }
    }
}

impl Operand {
    /// What kind of operand this is, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Operand::A(_) => "an integer register",
            Operand::F(_) => "a float register",
            Operand::R(_) => "a wide register",
            Operand::S(_) => "a byte-string register",
            Operand::Pos(_) => "a code position",
            Operand::Site { .. } => "an external site",
            Operand::Data(_) | Operand::DataRange { .. } => "a data constant",
            Operand::Imm(_) => "an immediate",
            Operand::St0 => "st0",
        }
    }
}

/// Why operands do not fit a shape.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ShapeError(pub String);

fn unify<T: PartialEq + Copy + fmt::Debug>(
    slot: &mut Option<T>,
    value: T,
    what: &str,
) -> Result<(), ShapeError> {
    match slot {
        Some(old) if *old != value => Err(ShapeError(format!(
            "all {what} operands must have the same width"
        ))),
        _ => {
            *slot = Some(value);
            Ok(())
        }
    }
}

/// The error for a missing flag suffix, listing the suffixes this flag takes.
fn needs_flag<F: Flag>(_: &Option<F>) -> ShapeError {
    let valid: Vec<String> = F::SUFFIXES.iter().map(|s| format!(".{s}")).collect();
    ShapeError(format!(
        "this instruction needs a flag suffix: one of {}",
        valid.join(" ")
    ))
}

fn expected(what: &str, got: Option<&Operand>) -> ShapeError {
    match got {
        Some(op) => ShapeError(format!("expected {what}, found {}", op.kind())),
        None => ShapeError(format!("expected {what}, found end of operands")),
    }
}

/// Writes one template element of a shape as operands (the flag goes to the suffix).
macro_rules! tpl_out {
    ($s:ident, $out:ident, flag($f:ident)) => {};
    ($s:ident, $out:ident, a($w:ident, $i:ident)) => {
        $out.push(Operand::A(RegA {
            width: $s.$w,
            idx: $s.$i,
        }))
    };
    ($s:ident, $out:ident, a16($i:ident)) => {
        $out.push(Operand::A(RegA {
            width: AWidth::A16,
            idx: $s.$i,
        }))
    };
    ($s:ident, $out:ident, a8($i:ident)) => {
        $out.push(Operand::A(RegA {
            width: AWidth::A8,
            idx: $s.$i,
        }))
    };
    ($s:ident, $out:ident, a64($i:ident)) => {
        $out.push(Operand::A(RegA {
            width: AWidth::A64,
            idx: $s.$i,
        }))
    };
    ($s:ident, $out:ident, r160($i:ident)) => {
        $out.push(Operand::R(RegR {
            width: RWidth::R160,
            idx: $s.$i,
        }))
    };
    ($s:ident, $out:ident, r256($i:ident)) => {
        $out.push(Operand::R(RegR {
            width: RWidth::R256,
            idx: $s.$i,
        }))
    };
    ($s:ident, $out:ident, r512($i:ident)) => {
        $out.push(Operand::R(RegR {
            width: RWidth::R512,
            idx: $s.$i,
        }))
    };
    ($s:ident, $out:ident, f($w:ident, $i:ident)) => {
        $out.push(Operand::F(RegF {
            format: $s.$w,
            idx: $s.$i,
        }))
    };
    ($s:ident, $out:ident, r($w:ident, $i:ident)) => {
        $out.push(Operand::R(RegR {
            width: $s.$w,
            idx: $s.$i,
        }))
    };
    ($s:ident, $out:ident, s($i:ident)) => {
        $out.push(Operand::S(RegS($s.$i)))
    };
    ($s:ident, $out:ident, pos($p:ident)) => {
        $out.push(Operand::Pos($s.$p))
    };
    ($s:ident, $out:ident, site($p:ident, $l:ident)) => {
        $out.push(Operand::Site {
            pos: $s.$p,
            lib: $s.$l,
        })
    };
    ($s:ident, $out:ident, data($o:ident)) => {
        $out.push(Operand::Data($s.$o))
    };
    ($s:ident, $out:ident, range($o:ident, $l:ident)) => {
        $out.push(Operand::DataRange {
            off: $s.$o,
            len: $s.$l,
        })
    };
    ($s:ident, $out:ident, step($v:ident)) => {
        $out.push(Operand::Imm(u16::from($s.$v) + 1))
    };
    ($s:ident, $out:ident, st0()) => {
        $out.push(Operand::St0)
    };
}

/// Reads one template element of a shape from operands.
macro_rules! tpl_in {
    ($ops:ident, $sfx:ident, flag($f:ident)) => {
        match $sfx {
            Some(s) => {
                $f = Some(
                    Flag::from_suffix(s)
                        .ok_or_else(|| ShapeError(format!("unknown flag `.{s}`")))?,
                )
            }
            None => return Err(needs_flag(&$f)),
        }
    };
    ($ops:ident, $sfx:ident, a($w:ident, $i:ident)) => {
        match $ops.next() {
            Some(Operand::A(r)) => {
                unify(&mut $w, r.width, "integer register")?;
                $i = Some(r.idx);
            }
            other => return Err(expected("an integer register", other)),
        }
    };
    ($ops:ident, $sfx:ident, a16($i:ident)) => {
        match $ops.next() {
            Some(Operand::A(RegA {
                width: AWidth::A16,
                idx,
            })) => $i = Some(*idx),
            other => return Err(expected("an a16 register", other)),
        }
    };
    ($ops:ident, $sfx:ident, a8($i:ident)) => {
        match $ops.next() {
            Some(Operand::A(RegA {
                width: AWidth::A8,
                idx,
            })) => $i = Some(*idx),
            other => return Err(expected("an a8 register", other)),
        }
    };
    ($ops:ident, $sfx:ident, a64($i:ident)) => {
        match $ops.next() {
            Some(Operand::A(RegA {
                width: AWidth::A64,
                idx,
            })) => $i = Some(*idx),
            other => return Err(expected("an a64 register", other)),
        }
    };
    ($ops:ident, $sfx:ident, r160($i:ident)) => {
        match $ops.next() {
            Some(Operand::R(RegR {
                width: RWidth::R160,
                idx,
            })) => $i = Some(*idx),
            other => return Err(expected("an r160 register", other)),
        }
    };
    ($ops:ident, $sfx:ident, r256($i:ident)) => {
        match $ops.next() {
            Some(Operand::R(RegR {
                width: RWidth::R256,
                idx,
            })) => $i = Some(*idx),
            other => return Err(expected("an r256 register", other)),
        }
    };
    ($ops:ident, $sfx:ident, r512($i:ident)) => {
        match $ops.next() {
            Some(Operand::R(RegR {
                width: RWidth::R512,
                idx,
            })) => $i = Some(*idx),
            other => return Err(expected("an r512 register", other)),
        }
    };
    ($ops:ident, $sfx:ident, f($w:ident, $i:ident)) => {
        match $ops.next() {
            Some(Operand::F(r)) => {
                unify(&mut $w, r.format, "float register")?;
                $i = Some(r.idx);
            }
            other => return Err(expected("a float register", other)),
        }
    };
    ($ops:ident, $sfx:ident, r($w:ident, $i:ident)) => {
        match $ops.next() {
            Some(Operand::R(r)) => {
                unify(&mut $w, r.width, "wide register")?;
                $i = Some(r.idx);
            }
            other => return Err(expected("a wide register", other)),
        }
    };
    ($ops:ident, $sfx:ident, s($i:ident)) => {
        match $ops.next() {
            Some(Operand::S(r)) => $i = Some(r.0),
            other => return Err(expected("a byte-string register", other)),
        }
    };
    ($ops:ident, $sfx:ident, pos($p:ident)) => {
        match $ops.next() {
            Some(Operand::Pos(p)) => $p = Some(*p),
            other => return Err(expected("a label or code position", other)),
        }
    };
    ($ops:ident, $sfx:ident, site($p:ident, $l:ident)) => {
        match $ops.next() {
            Some(Operand::Site { pos, lib }) => {
                $p = Some(*pos);
                $l = Some(*lib);
            }
            other => return Err(expected("an external site `label @ library`", other)),
        }
    };
    ($ops:ident, $sfx:ident, data($o:ident)) => {
        match $ops.next() {
            Some(Operand::Data(o)) => $o = Some(*o),
            other => return Err(expected("a constant", other)),
        }
    };
    ($ops:ident, $sfx:ident, range($o:ident, $l:ident)) => {
        match $ops.next() {
            Some(Operand::DataRange { off, len }) => {
                $o = Some(*off);
                $l = Some(*len);
            }
            other => return Err(expected("a byte string", other)),
        }
    };
    ($ops:ident, $sfx:ident, step($v:ident)) => {
        match $ops.next() {
            Some(Operand::Imm(n @ 1..=256)) => $v = Some((*n - 1) as u8),
            Some(Operand::Imm(n)) => {
                return Err(ShapeError(format!("step {n} is out of range 1..=256")))
            }
            other => return Err(expected("a step from 1 to 256", other)),
        }
    };
    ($ops:ident, $sfx:ident, st0()) => {
        match $ops.next() {
            Some(Operand::St0) => {}
            other => return Err(expected("st0", other)),
        }
    };
}

/// Names the flag type of a template element, if it is a flag.
macro_rules! tpl_suffix {
    ($s:ident, $sfx:ident, flag($f:ident)) => {
        $sfx = Some($s.$f.suffix())
    };
    ($s:ident, $sfx:ident, $other:ident($($a:ident),*)) => {};
}

macro_rules! shapes {
    ($(
        $(#[$doc:meta])*
        $shape:ident { $($field:ident : $ty:ty = $bits:literal),* $(,)? }
        => $($tpl:ident($($arg:ident),*)),* ;
    )*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
            pub struct $shape {
                $(#[doc = concat!("Field `", stringify!($field), "`.")] pub $field: $ty,)*
            }

            impl $shape {
                /// Number of operand bits.
                pub const BITS: u32 = 0 $(+ $bits)*;
                /// Number of operand bytes after the opcode.
                pub const LEN: usize = (Self::BITS as usize).div_ceil(8);
                /// The assembly template, for documentation.
                pub const TEMPLATE: &'static str = stringify!($($tpl($($arg),*)),*);

                /// Decodes the operand bytes (zero-extended); `None` if a field
                /// has an undefined code or the padding bits are not zero.
                #[allow(unused_variables, unused_mut)]
                pub fn decode(bytes: &[u8]) -> Option<Self> {
                    let mut r = BitReader::new(bytes);
                    $(let $field = <$ty as Field>::from_bits(r.read($bits))?;)*
                    if !r.padding_is_zero() {
                        return None;
                    }
                    Some($shape { $($field),* })
                }

                /// Appends the operand bytes.
                #[allow(unused_mut)]
                pub fn encode(&self, out: &mut Vec<u8>) {
                    let mut w = BitWriter::default();
                    $(w.write($bits, Field::to_bits(&self.$field));)*
                    out.extend(w.into_bytes());
                }

                /// The operands as written in assembly.
                #[allow(unused_variables, clippy::ptr_arg)]
                pub fn operands(&self, out: &mut Vec<Operand>) {
                    let s = self;
                    $(tpl_out!(s, out, $tpl($($arg),*));)*
                }

                /// The flag suffix, if the shape has a flag.
                #[allow(unused_mut, unused_variables, unused_assignments)]
                pub fn suffix(&self) -> Option<&'static str> {
                    let s = self;
                    let mut sfx = None;
                    $(tpl_suffix!(s, sfx, $tpl($($arg),*));)*
                    sfx
                }

                /// Builds the shape from a flag suffix and operands.
                #[allow(unused_mut, unused_variables, unused_assignments)]
                pub fn from_operands(suffix: Option<&str>, operands: &[Operand]) -> Result<Self, ShapeError> {
                    $(let mut $field: Option<$ty> = None;)*
                    let mut ops = operands.iter();
                    $(tpl_in!(ops, suffix, $tpl($($arg),*));)*
                    if ops.next().is_some() {
                        return Err(ShapeError(format!("too many operands: expected {}", Self::TEMPLATE)));
                    }
                    let has_flag = false $(|| stringify!($tpl) == "flag")*;
                    if !has_flag && suffix.is_some() {
                        return Err(ShapeError("this instruction takes no flag suffix".into()));
                    }
                    $(
                        let $field = $field.ok_or_else(|| ShapeError(concat!("missing ", stringify!($field)).into()))?;
                        if Field::to_bits(&$field) >> $bits != 0 {
                            return Err(ShapeError(format!("{} {} does not fit in {} bits", stringify!($field), Field::to_bits(&$field), $bits)));
                        }
                    )*
                    Ok($shape { $($field),* })
                }
            }
        )*
    };
}

shapes! {
    /// No operands.
    Nullary {} => ;
    /// The status register as the only operand: `inv st0`.
    St0 {} => st0();
    /// A code position: `jmp label`.
    Pos { pos: u16 = 16 } => pos(pos);
    /// A site in an imported library: `call label @ lib`.
    Site { pos: u16 = 16, lib: u8 = 8 } => site(pos, lib);
    /// One integer register.
    A1 { width: AWidth = 3, reg: Idx = 5 } => a(width, reg);
    /// One float register.
    F1 { format: FFormat = 3, reg: Idx = 5 } => f(format, reg);
    /// One wide register.
    R1 { width: RWidth = 3, reg: Idx = 5 } => r(width, reg);
    /// One byte-string register.
    S1 { reg: Idx = 4 } => s(reg);
    /// An integer register and a data offset: `put a64[0], 10`.
    AData { width: AWidth = 3, reg: Idx = 5, off: u16 = 16 } => a(width, reg), data(off);
    /// A float register and a data offset.
    FData { format: FFormat = 3, reg: Idx = 5, off: u16 = 16 } => f(format, reg), data(off);
    /// A wide register and a data offset.
    RData { width: RWidth = 3, reg: Idx = 5, off: u16 = 16 } => r(width, reg), data(off);
    /// A byte-string register and a data range: `put s[0], "hello"`.
    SData { reg: Idx = 4, off: u16 = 16, len: u16 = 16 } => s(reg), range(off, len);
    /// Two integer registers of one width.
    A2 { width: AWidth = 3, dst: Idx = 5, src: Idx = 5 } => a(width, dst), a(width, src);
    /// Two float registers of one format.
    F2 { format: FFormat = 3, dst: Idx = 5, src: Idx = 5 } => f(format, dst), f(format, src);
    /// Two wide registers of one width.
    R2 { width: RWidth = 3, dst: Idx = 5, src: Idx = 5 } => r(width, dst), r(width, src);
    /// Two byte-string registers.
    S2 { dst: Idx = 4, src: Idx = 4 } => s(dst), s(src);
    /// Two integer registers of any widths: `cpy a64[0], a8[1]`.
    AA { dst_width: AWidth = 3, dst: Idx = 5, src_width: AWidth = 3, src: Idx = 5 } => a(dst_width, dst), a(src_width, src);
    /// Two wide registers of any widths.
    RR { dst_width: RWidth = 3, dst: Idx = 5, src_width: RWidth = 3, src: Idx = 5 } => r(dst_width, dst), r(src_width, src);
    /// A wide register from an integer register.
    RA { dst_width: RWidth = 3, dst: Idx = 5, src_width: AWidth = 3, src: Idx = 5 } => r(dst_width, dst), a(src_width, src);
    /// An integer register from a wide register.
    AR { dst_width: AWidth = 3, dst: Idx = 5, src_width: RWidth = 3, src: Idx = 5 } => a(dst_width, dst), r(src_width, src);
    /// Merge st0 into an integer register: `st.a a64[0]`.
    StMerge { flag: MergeFlag = 2, width: AWidth = 3, reg: Idx = 5 } => flag(flag), a(width, reg);
    /// Two integer registers compared with a signedness flag: `gt.s a64[0], a64[1]`.
    A2Sign { flag: SignFlag = 1, width: AWidth = 3, a: Idx = 5, b: Idx = 5 } => flag(flag), a(width, a), a(width, b);
    /// Two integer registers compared with a None-equality flag.
    A2Eq { flag: NoneEqFlag = 1, width: AWidth = 3, a: Idx = 5, b: Idx = 5 } => flag(flag), a(width, a), a(width, b);
    /// Two wide registers compared with a None-equality flag.
    R2Eq { flag: NoneEqFlag = 1, width: RWidth = 3, a: Idx = 5, b: Idx = 5 } => flag(flag), r(width, a), r(width, b);
    /// Two byte strings compared with a None-equality flag.
    S2Eq { flag: NoneEqFlag = 1, a: Idx = 4, b: Idx = 4 } => flag(flag), s(a), s(b);
    /// Integer arithmetic: `add.uc a64[2], a64[0], a64[1]`.
    A3Int { flag: IntFlags = 2, width: AWidth = 3, dst: Idx = 5, a: Idx = 5, b: Idx = 5 } => flag(flag), a(width, dst), a(width, a), a(width, b);
    /// Signed or unsigned three-register operation: `rem.s`.
    A3Sign { flag: SignFlag = 1, width: AWidth = 3, dst: Idx = 5, a: Idx = 5, b: Idx = 5 } => flag(flag), a(width, dst), a(width, a), a(width, b);
    /// Checked or wrapped unary operation: `neg.c a64[0], a64[1]`.
    A2Wrap { flag: WrapFlag = 1, width: AWidth = 3, dst: Idx = 5, src: Idx = 5 } => flag(flag), a(width, dst), a(width, src);
    /// Add or subtract a step of 1 to 256: `inc.uc a64[0], 1`.
    AStep { flag: IntFlags = 2, width: AWidth = 3, reg: Idx = 5, step: u8 = 8 } => flag(flag), a(width, reg), step(step);
    /// Three integer registers of one width: `and a64[2], a64[0], a64[1]`.
    A3 { width: AWidth = 3, dst: Idx = 5, a: Idx = 5, b: Idx = 5 } => a(width, dst), a(width, a), a(width, b);
    /// Three wide registers of one width.
    R3 { width: RWidth = 3, dst: Idx = 5, a: Idx = 5, b: Idx = 5 } => r(width, dst), r(width, a), r(width, b);
    /// Shift or rotate an integer register by an amount in another: `shl a64[0], a64[1], a8[2]`.
    AShift { width: AWidth = 3, dst: Idx = 5, src: Idx = 5, amt_width: AWidth = 3, amt: Idx = 5 } => a(width, dst), a(width, src), a(amt_width, amt);
    /// Shift or rotate a wide register by an amount in an integer register.
    RShift { width: RWidth = 3, dst: Idx = 5, src: Idx = 5, amt_width: AWidth = 3, amt: Idx = 5 } => r(width, dst), r(width, src), a(amt_width, amt);
    /// Three byte-string registers: `cat s[2], s[0], s[1]`.
    S3 { dst: Idx = 4, a: Idx = 4, b: Idx = 4 } => s(dst), s(a), s(b);
    /// Four byte-string registers: `join s[3], s[0], s[1], s[2]`.
    S4 { dst: Idx = 4, a: Idx = 4, b: Idx = 4, sep: Idx = 4 } => s(dst), s(a), s(b), s(sep);
    /// Fill a range of a byte string with a byte: `fill s[0], a16[0], a16[1], a8[0]`.
    SFill { dst: Idx = 4, off: Idx = 5, len: Idx = 5, byte: Idx = 5 } => s(dst), a16(off), a16(len), a8(byte);
    /// A length from a byte string: `len a16[0], s[0]`.
    SLen { dst: Idx = 5, src: Idx = 4 } => a16(dst), s(src);
    /// Count a byte in a byte string: `cnt a16[0], s[0], a8[1]`.
    SCount { dst: Idx = 5, src: Idx = 4, byte: Idx = 5 } => a16(dst), s(src), a8(byte);
    /// Find a byte string in another: `find a16[0], s[0], s[1]`.
    SFind { dst: Idx = 5, hay: Idx = 4, needle: Idx = 4 } => a16(dst), s(hay), s(needle);
    /// A range of a byte string: `extr s[1], s[0], a16[0], a16[1]`.
    SRange { dst: Idx = 4, src: Idx = 4, off: Idx = 5, len: Idx = 5 } => s(dst), s(src), a16(off), a16(len);
    /// A byte string placed at an offset in another: `inj s[0], s[1], a16[0]`.
    SAt { dst: Idx = 4, src: Idx = 4, off: Idx = 5 } => s(dst), s(src), a16(off);
    /// Split a byte string at an offset: `splt s[1], s[2], s[0], a16[0]`.
    SSplit { head: Idx = 4, tail: Idx = 4, src: Idx = 4, off: Idx = 5 } => s(head), s(tail), s(src), a16(off);
    /// Delete a range of a byte string: `del s[0], a16[0], a16[1]`.
    SDel { dst: Idx = 4, off: Idx = 5, len: Idx = 5 } => s(dst), a16(off), a16(len);
    /// A 160-bit digest of a byte string: `ripemd160 r160[0], s[0]`.
    Digest160 { dst: Idx = 5, src: Idx = 4 } => r160(dst), s(src);
    /// A 256-bit digest of a byte string: `sha256 r256[0], s[0]`.
    Digest256 { dst: Idx = 5, src: Idx = 4 } => r256(dst), s(src);
    /// A byte string from a wide register: `cpy s[0], r256[1]`.
    SR { dst: Idx = 4, width: RWidth = 3, src: Idx = 5 } => s(dst), r(width, src);
    /// A wide register from a byte string: `cpy r256[0], s[1]`.
    RS { width: RWidth = 3, dst: Idx = 5, src: Idx = 4 } => r(width, dst), s(src);
    /// A 512-bit digest of a byte string: `sha512 r512[0], s[0]`.
    Digest512 { dst: Idx = 5, src: Idx = 4 } => r512(dst), s(src);
    /// A signature check over byte strings: `ed25519 s[msg], s[sig], s[key]`.
    SigCheck { msg: Idx = 4, sig: Idx = 4, key: Idx = 4 } => s(msg), s(sig), s(key);
    /// Unsigned arithmetic on wide registers: `add.uc r256[2], r256[0], r256[1]`.
    R3Int { flag: UIntFlags = 1, width: RWidth = 3, dst: Idx = 5, a: Idx = 5, b: Idx = 5 } => flag(flag), r(width, dst), r(width, a), r(width, b);
    /// Add or subtract a step of 1 to 256 to a wide register: `inc.uc r256[0], 1`.
    RStep { flag: UIntFlags = 1, width: RWidth = 3, reg: Idx = 5, step: u8 = 8 } => flag(flag), r(width, reg), step(step);
    /// Modular arithmetic: `mulmod r256[3], r256[0], r256[1], r256[2]` (the last is the modulus).
    RMod { width: RWidth = 3, dst: Idx = 5, a: Idx = 5, b: Idx = 5, m: Idx = 5 } => r(width, dst), r(width, a), r(width, b), r(width, m);
    /// A modular inverse: `invmod r256[2], r256[0], r256[1]` (the last is the modulus).
    RInv { width: RWidth = 3, dst: Idx = 5, src: Idx = 5, m: Idx = 5 } => r(width, dst), r(width, src), r(width, m);
    /// A Goldilocks element from the data segment: `putgl a64[0], 7`.
    GlData { dst: Idx = 5, off: u16 = 16 } => a64(dst), data(off);
    /// Two Goldilocks elements: `movgl a64[1], a64[0]`.
    Gl2 { dst: Idx = 5, src: Idx = 5 } => a64(dst), a64(src);
    /// Two Goldilocks elements compared: `eqgl a64[0], a64[1]`.
    GlEq { a: Idx = 5, b: Idx = 5 } => a64(a), a64(b);
    /// Three Goldilocks elements: `mulgl a64[2], a64[0], a64[1]`.
    Gl3 { dst: Idx = 5, a: Idx = 5, b: Idx = 5 } => a64(dst), a64(a), a64(b);
    /// A 2^255-19 field element from the data segment: `put25519 r256[0], 7`.
    FeData { dst: Idx = 5, off: u16 = 16 } => r256(dst), data(off);
    /// Two 2^255-19 field elements: `mov25519 r256[1], r256[0]`.
    Fe2 { dst: Idx = 5, src: Idx = 5 } => r256(dst), r256(src);
    /// Two 2^255-19 field elements compared: `eq25519 r256[0], r256[1]`.
    FeEq { a: Idx = 5, b: Idx = 5 } => r256(a), r256(b);
    /// Three 2^255-19 field elements: `mul25519 r256[2], r256[0], r256[1]`.
    Fe3 { dst: Idx = 5, a: Idx = 5, b: Idx = 5 } => r256(dst), r256(a), r256(b);
    /// A curve point from a scalar: `pgen.secp s[dst], r256[k]`.
    PointGen { flag: CurveFlag = 1, dst: Idx = 4, k: Idx = 5 } => flag(flag), s(dst), r256(k);
    /// The sum of two curve points: `padd.ed s[dst], s[a], s[b]`.
    PointAdd { flag: CurveFlag = 1, dst: Idx = 4, a: Idx = 4, b: Idx = 4 } => flag(flag), s(dst), s(a), s(b);
    /// A curve point from another: `pneg.secp s[dst], s[src]`.
    PointNeg { flag: CurveFlag = 1, dst: Idx = 4, src: Idx = 4 } => flag(flag), s(dst), s(src);
    /// A curve point times a scalar: `pmul.ed s[dst], r256[k], s[src]`.
    PointMul { flag: CurveFlag = 1, dst: Idx = 4, k: Idx = 5, src: Idx = 4 } => flag(flag), s(dst), r256(k), s(src);
    /// One curve point, checked: `pchk.secp s[src]`.
    PointChk { flag: CurveFlag = 1, src: Idx = 4 } => flag(flag), s(src);
    /// Rounded float arithmetic: `add.n f64[2], f64[0], f64[1]`.
    F3Round { flag: FloatFlags = 3, format: FFormat = 3, dst: Idx = 5, a: Idx = 5, b: Idx = 5 } => flag(flag), f(format, dst), f(format, a), f(format, b);
    /// Fused multiply-add: `fma.n f64[3], f64[0], f64[1], f64[2]` (dst := a * b + c).
    F4Round { flag: FloatFlags = 3, format: FFormat = 3, dst: Idx = 5, a: Idx = 5, b: Idx = 5, c: Idx = 5 } => flag(flag), f(format, dst), f(format, a), f(format, b), f(format, c);
    /// Exact float operation of two operands: `rem f64[2], f64[0], f64[1]`.
    F3 { format: FFormat = 3, dst: Idx = 5, a: Idx = 5, b: Idx = 5 } => f(format, dst), f(format, a), f(format, b);
    /// Rounded unary float operation: `sqrt.n f64[1], f64[0]`.
    F2Round { flag: RoundFlag = 2, format: FFormat = 3, dst: Idx = 5, src: Idx = 5 } => flag(flag), f(format, dst), f(format, src);
    /// Two floats compared: `gt f64[0], f64[1]`.
    F2Cmp { format: FFormat = 3, a: Idx = 5, b: Idx = 5 } => f(format, a), f(format, b);
    /// Two floats tested for equality: `eq.ulp f64[0], f64[1]`.
    F2Eq { flag: FloatEqFlag = 1, format: FFormat = 3, a: Idx = 5, b: Idx = 5 } => flag(flag), f(format, a), f(format, b);
    /// A float converted to another format: `cnv.n f32[0], f64[0]`.
    FF { flag: FloatFlags = 3, dst_format: FFormat = 3, dst: Idx = 5, src_format: FFormat = 3, src: Idx = 5 } => flag(flag), f(dst_format, dst), f(src_format, src);
    /// An integer converted to a float: `cnv.n f64[0], a64[0]`.
    FA { flag: FloatFlags = 3, format: FFormat = 3, dst: Idx = 5, src_width: AWidth = 3, src: Idx = 5 } => flag(flag), f(format, dst), a(src_width, src);
    /// A float converted to an integer: `cnv.z a64[0], f64[0]`.
    AF { flag: RoundFlag = 2, width: AWidth = 3, dst: Idx = 5, src_format: FFormat = 3, src: Idx = 5 } => flag(flag), a(width, dst), f(src_format, src);
}

impl Pos {
    /// The jump target.
    pub fn target(&self) -> u16 {
        self.pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_round_up_to_bytes() {
        assert_eq!(Nullary::LEN, 0);
        assert_eq!(Pos::LEN, 2);
        assert_eq!(A3Int::LEN, 3);
        assert_eq!(AShift::LEN, 3);
        assert_eq!(SData::LEN, 5);
    }

    #[test]
    fn nonzero_padding_is_rejected() {
        let s = A3Int {
            flag: IntFlags::SignedWrapped,
            width: AWidth::A64,
            dst: 1,
            a: 2,
            b: 31,
        };
        let mut bytes = vec![];
        s.encode(&mut bytes);
        assert_eq!(A3Int::decode(&bytes), Some(s));
        bytes[2] |= 0x80;
        assert_eq!(A3Int::decode(&bytes), None);
    }

    #[test]
    fn undefined_float_format_is_rejected() {
        assert_eq!(F1::decode(&[0b0000_0111]), None);
        assert!(F1::decode(&[0b0000_0110]).is_some());
    }

    #[test]
    fn operands_round_trip_and_widths_must_agree() {
        let s = A3Int {
            flag: IntFlags::UnsignedChecked,
            width: AWidth::A32,
            dst: 0,
            a: 1,
            b: 2,
        };
        let mut ops = vec![];
        s.operands(&mut ops);
        assert_eq!(A3Int::from_operands(s.suffix(), &ops), Ok(s));
        ops[2] = Operand::A(RegA {
            width: AWidth::A8,
            idx: 2,
        });
        assert!(A3Int::from_operands(Some("uc"), &ops).is_err());
        assert!(A3Int::from_operands(None, &ops[..2]).is_err());
        assert!(A3Int::from_operands(Some("xx"), &ops).is_err());
    }

    #[test]
    fn step_is_one_to_256() {
        let ops = [
            Operand::A(RegA {
                width: AWidth::A8,
                idx: 0,
            }),
            Operand::Imm(256),
        ];
        let s = AStep::from_operands(Some("uw"), &ops).unwrap();
        assert_eq!(s.step, 255);
        assert!(AStep::from_operands(Some("uw"), &[ops[0], Operand::Imm(0)]).is_err());
        assert!(AStep::from_operands(Some("uw"), &[ops[0], Operand::Imm(257)]).is_err());
    }
}
