//! The instruction set: opcode table, operand shapes, flags, bytecode codec
//! and the extension interface.

mod bits;
pub mod doc;
pub mod ext;
pub mod flags;
pub mod opcode;
pub mod shape;

pub use ext::{ExtInstr, ExtOperand, IsaExtension};
pub use flags::{
    CurveFlag, Field, Flag, FloatEqFlag, FloatFlags, IntFlags, MergeFlag, NoneEqFlag, RoundFlag,
    SignFlag, UIntFlags, WrapFlag,
};
pub use opcode::{
    builtin_isa, BuiltinIsa, Cost, Family, Instr, OpInfo, ALLOCATED, BUILTIN_ISA, EXT_FIRST, FRAME,
    OPCODES,
};
pub use shape::{Operand, ShapeError};

/// Decodes the instruction at the start of `bytes`, which are read as if
/// zero-extended. `ext` gives the extension that owns an opcode in the host
/// range, if the library commits to one.
///
/// Returns the instruction and its length in bytes (which may run past the
/// end of `bytes` when the instruction is cut by the end of the code). Every
/// byte string decodes: opcodes without a definition, and instructions whose
/// operand bits are not canonical, decode as one-byte [`Instr::Reserved`].
pub fn decode<'a>(
    bytes: &[u8],
    ext: impl Fn(u8) -> Option<&'a dyn IsaExtension>,
) -> (Instr, usize) {
    let op = bytes.first().copied().unwrap_or(0);
    let rest = bytes.get(1..).unwrap_or(&[]);
    if op >= EXT_FIRST {
        if let Some(e) = ext(op) {
            let len = e.operand_len(op).min(ext::EXT_MAX_OPERANDS);
            let mut operands = [0u8; ext::EXT_MAX_OPERANDS];
            let have = rest.len().min(len);
            operands[..have].copy_from_slice(&rest[..have]);
            return (Instr::Ext(ExtInstr::new(op, &operands[..len])), 1 + len);
        }
        return (Instr::Reserved(op), 1);
    }
    Instr::decode_core(op, rest).unwrap_or((Instr::Reserved(op), 1))
}

/// Decodes a whole code segment from offset 0 into instructions with their offsets.
pub fn disassemble<'a>(
    code: &[u8],
    ext: impl Fn(u8) -> Option<&'a dyn IsaExtension> + Copy,
) -> Vec<(u16, Instr)> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    while pos < code.len() {
        let (instr, len) = decode(&code[pos..], ext);
        out.push((pos as u16, instr));
        pos += len;
    }
    out
}

/// Encodes instructions into a code segment.
pub fn assemble(instrs: &[Instr]) -> Vec<u8> {
    let mut out = Vec::new();
    for i in instrs {
        i.encode(&mut out);
    }
    out
}

/// No extensions: every host-range opcode decodes as reserved.
pub fn no_ext(_: u8) -> Option<&'static dyn IsaExtension> {
    None
}

impl Instr {
    /// Length in bytes (never zero: there is always the opcode).
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        let mut out = Vec::new();
        self.encode(&mut out);
        out.len()
    }

    /// Whether the instruction may change the flow of control (and so ends a basic block).
    pub fn ends_block(&self) -> bool {
        matches!(
            self,
            Instr::Fail(_)
                | Instr::Test(_)
                | Instr::Jmp(_)
                | Instr::Jif(_)
                | Instr::Routine(_)
                | Instr::Call(_)
                | Instr::Exec(_)
                | Instr::Ret(_)
                | Instr::Stop(_)
                | Instr::Reserved(_)
        )
    }

    /// The static complexity: the instruction's cost rule applied to the
    /// width of its widest operand. Byte-string instructions add a dynamic
    /// part at run time; extension instructions are priced by their extension.
    pub fn complexity(&self) -> u64 {
        let Some(info) = self.info() else { return 1 };
        let limbs = self
            .operands()
            .iter()
            .map(|op| match op {
                Operand::A(r) => r.width.bits(),
                Operand::F(r) => r.format.bits(),
                Operand::R(r) => r.width.bits(),
                _ => 64,
            })
            .max()
            .unwrap_or(64)
            .div_ceil(64) as u64;
        match info.cost {
            Cost::Flat(n) | Cost::Bytes(n, _) => n,
            Cost::Frame(n) => n + FRAME,
            Cost::Linear(n) => n * limbs,
            Cost::Quadratic(n) => n * limbs * limbs,
            Cost::Poly([c0, c1, c2, c3]) => c0 + limbs * (c1 + limbs * (c2 + limbs * c3)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_single_byte_decodes_and_reencodes() {
        for op in 0..=255u8 {
            let (instr, len) = decode(&[op], no_ext);
            assert_eq!(instr.opcode(), op);
            assert!(len >= 1);
            // With zero operands every core instruction is canonical.
            assert_eq!(instr.len(), len);
        }
    }

    #[test]
    fn opcode_table_is_sorted_unique_and_outside_allocated_ranges() {
        for w in OPCODES.windows(2) {
            assert!(
                w[0].opcode < w[1].opcode,
                "{:#x} then {:#x}",
                w[0].opcode,
                w[1].opcode
            );
        }
        for info in OPCODES {
            for (lo, hi, _) in ALLOCATED {
                assert!(
                    !(*lo..=*hi).contains(&info.opcode),
                    "{} in allocated range",
                    info.mnemonic
                );
            }
        }
    }

    #[test]
    fn empty_code_reads_as_fail() {
        assert_eq!(decode(&[], no_ext), (Instr::Fail(shape::Nullary {}), 1));
    }

    #[test]
    fn wide_instructions_cost_more() {
        let (narrow, _) = decode(&[0x42, 0b0_0011, 0, 0], no_ext);
        let (wide, _) = decode(&[0x42, 0b1_1111, 0, 0], no_ext);
        assert_eq!(narrow.complexity(), 2);
        assert_eq!(wide.complexity(), 2 * 16 * 16);
    }
}
