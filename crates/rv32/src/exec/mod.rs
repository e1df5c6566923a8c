//! Instruction semantics by family, as pure functions on register values.
//! The interpreter loops ([`crate::machine`]) apply them; [`value`] and
//! [`taken`] are the one place each register-result operation and each
//! branch condition is defined.

pub mod alu;
pub mod atomic;
pub mod muldiv;

use crate::op::Op;

/// The result of a register-writing operation that touches neither memory
/// nor control flow (RV32I arithmetic, logic, shifts, comparisons, upper
/// immediates, RV32M), from its source registers and immediate; `None` for
/// any other operation. `auipc`'s immediate is already absolute.
///
/// ```
/// use avm_rv32::{exec::value, Op};
/// assert_eq!(value(Op::Add, 2, 3, 0), Some(5));
/// assert_eq!(value(Op::Divu, 7, 0, 0), Some(u32::MAX));
/// assert_eq!(value(Op::Lw, 0, 0, 0), None);
/// ```
#[inline(always)]
pub fn value(op: Op, a: u32, b: u32, imm: u32) -> Option<u32> {
    Some(match op {
        Op::Lui | Op::Auipc => imm,
        Op::Addi => a.wrapping_add(imm),
        Op::Slti => alu::slt(a, imm),
        Op::Sltiu => alu::sltu(a, imm),
        Op::Xori => a ^ imm,
        Op::Ori => a | imm,
        Op::Andi => a & imm,
        Op::Slli => alu::sll(a, imm),
        Op::Srli => alu::srl(a, imm),
        Op::Srai => alu::sra(a, imm),
        Op::Add => a.wrapping_add(b),
        Op::Sub => a.wrapping_sub(b),
        Op::Sll => alu::sll(a, b),
        Op::Slt => alu::slt(a, b),
        Op::Sltu => alu::sltu(a, b),
        Op::Xor => a ^ b,
        Op::Srl => alu::srl(a, b),
        Op::Sra => alu::sra(a, b),
        Op::Or => a | b,
        Op::And => a & b,
        Op::Mul => muldiv::mul(a, b),
        Op::Mulh => muldiv::mulh(a, b),
        Op::Mulhsu => muldiv::mulhsu(a, b),
        Op::Mulhu => muldiv::mulhu(a, b),
        Op::Div => muldiv::div(a, b),
        Op::Divu => muldiv::divu(a, b),
        Op::Rem => muldiv::rem(a, b),
        Op::Remu => muldiv::remu(a, b),
        _ => return None,
    })
}

/// Whether conditional branch `op` is taken with sources `a` and `b`;
/// `None` if `op` is not a conditional branch.
///
/// ```
/// use avm_rv32::{exec::taken, Op};
/// assert_eq!(taken(Op::Blt, u32::MAX, 0), Some(true)); // -1 < 0
/// assert_eq!(taken(Op::Bltu, u32::MAX, 0), Some(false));
/// ```
#[inline(always)]
pub fn taken(op: Op, a: u32, b: u32) -> Option<bool> {
    Some(match op {
        Op::Beq => a == b,
        Op::Bne => a != b,
        Op::Blt => (a as i32) < (b as i32),
        Op::Bge => (a as i32) >= (b as i32),
        Op::Bltu => a < b,
        Op::Bgeu => a >= b,
        _ => return None,
    })
}
