//! Host ISA extensions: instruction families a host plugs into the opcode
//! range 0xC0..=0xFF under a stable id that libraries commit to.
//!
//! The core keeps an extension's operand bytes raw, so decoding stays total
//! and canonical whatever the extension does: an extension only says how many
//! operand bytes an opcode has, what it costs, and how it runs.

use avm_vm::{Env, Gas};

use crate::reg::{AWidth, RWidth};
use crate::registers::Registers;

/// Most operand bytes an extension instruction may have.
pub const EXT_MAX_OPERANDS: usize = 7;

/// An instruction of a host ISA extension, with its operand bytes kept raw.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct ExtInstr {
    /// The opcode byte, in 0xC0..=0xFF.
    pub opcode: u8,
    len: u8,
    bytes: [u8; EXT_MAX_OPERANDS],
}

impl ExtInstr {
    /// An extension instruction; operands longer than [`EXT_MAX_OPERANDS`] are cut.
    pub fn new(opcode: u8, operands: &[u8]) -> Self {
        let len = operands.len().min(EXT_MAX_OPERANDS);
        let mut bytes = [0; EXT_MAX_OPERANDS];
        bytes[..len].copy_from_slice(&operands[..len]);
        ExtInstr {
            opcode,
            len: len as u8,
            bytes,
        }
    }

    /// The operand bytes.
    pub fn operands(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }
}

/// An operand of a host-extension instruction as assembly writes it: one
/// operand byte holding the index of a register of this kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtOperand {
    /// An integer register of this width, `a64[3]`.
    A(AWidth),
    /// A wide register of this width, `r256[3]`.
    R(RWidth),
    /// A byte-string register, `s[3]`.
    S,
}

/// A family of instructions provided by the host.
///
/// Implementations must not panic on any operand bytes and must give every
/// instruction a complexity, so extension code keeps the core's guarantees.
pub trait IsaExtension: Send + Sync {
    /// The stable id libraries commit to: 2 to 8 characters of `A-Z0-9`,
    /// starting with a letter.
    fn id(&self) -> &'static str;

    /// Whether the extension defines `opcode` (always in 0xC0..=0xFF).
    fn defines(&self, opcode: u8) -> bool;

    /// Number of operand bytes after `opcode` (at most [`EXT_MAX_OPERANDS`]).
    fn operand_len(&self, opcode: u8) -> usize;

    /// The mnemonic of `opcode`, for disassembly comments.
    fn mnemonic(&self, opcode: u8) -> &'static str;

    /// The operands of `opcode` in the order of its operand bytes, if each
    /// names a register: then the assembler accepts `MNEMONIC reg, reg, ...`
    /// in a library that lists the extension, and the disassembler prints
    /// it so. `None` (the default) leaves only the raw form
    /// `ext 0xNN, x"operands"`.
    fn operands(&self, opcode: u8) -> Option<&'static [ExtOperand]> {
        let _ = opcode;
        None
    }

    /// The complexity charged for the instruction.
    fn complexity(&self, instr: &ExtInstr) -> u64;

    /// Runs the instruction. An impossible operation makes its destination
    /// undefined and clears st0, as core instructions do.
    fn execute(&self, instr: &ExtInstr, regs: &mut Registers);

    /// Whether `opcode` reaches the embedding host through the evaluation's
    /// [`Env`]. Such an instruction ends its basic block and runs through
    /// [`IsaExtension::execute_in`]; the default is `false`.
    fn uses_env(&self, opcode: u8) -> bool {
        let _ = opcode;
        false
    }

    /// Runs an instruction for which [`IsaExtension::uses_env`] holds, with
    /// `env` at hand and at most `gas_left` gas for what it asks of it, and
    /// returns the gas it used there (clamped to `gas_left` by the caller),
    /// on top of its [`IsaExtension::complexity`]. The default runs
    /// [`IsaExtension::execute`] and uses none.
    fn execute_in(
        &self,
        instr: &ExtInstr,
        regs: &mut Registers,
        env: &mut dyn Env,
        gas_left: Gas,
    ) -> Gas {
        let _ = (env, gas_left);
        self.execute(instr, regs);
        0
    }
}

/// Whether `id` is a well-formed ISA extension id.
pub fn is_valid_id(id: &str) -> bool {
    (2..=8).contains(&id.len())
        && id.starts_with(|c: char| c.is_ascii_uppercase())
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked() {
        assert!(is_valid_id("ALU"));
        assert!(is_valid_id("SECP256K"));
        assert!(!is_valid_id("A"));
        assert!(!is_valid_id("1ALU"));
        assert!(!is_valid_id("alu"));
        assert!(!is_valid_id("TOOLONGID"));
    }

    #[test]
    fn operands_are_cut_to_the_maximum() {
        let e = ExtInstr::new(0xC0, &[1; 10]);
        assert_eq!(e.operands(), &[1; EXT_MAX_OPERANDS]);
    }
}
