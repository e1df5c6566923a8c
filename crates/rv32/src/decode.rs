//! Decoding a 32-bit instruction word into an [`Instr`], once, at load time.
//!
//! Only the standard 32-bit encodings of RV32IMA (plus `fence.i`) are
//! accepted; everything else, including compressed (C) instructions, CSR
//! instructions and reserved encodings, decodes to [`Op::Illegal`].

use crate::op::Op;

/// A decoded instruction. Register numbers are architectural (0..32).
/// For `auipc`, `jal` and branches `imm` holds the absolute value or target
/// address, computed from the instruction's own address; for `illegal` it
/// holds the instruction word.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct Instr {
    /// The operation.
    pub op: Op,
    /// Destination register.
    pub rd: u8,
    /// First source register.
    pub rs1: u8,
    /// Second source register.
    pub rs2: u8,
    /// Immediate (sign-extended), absolute target, or raw word; see above.
    pub imm: u32,
}

impl Instr {
    const fn new(op: Op, rd: u32, rs1: u32, rs2: u32, imm: u32) -> Instr {
        Instr {
            op,
            rd: rd as u8,
            rs1: rs1 as u8,
            rs2: rs2 as u8,
            imm,
        }
    }

    /// An illegal instruction carrying its word.
    pub const fn illegal(word: u32) -> Instr {
        Instr::new(Op::Illegal, 0, 0, 0, word)
    }
}

/// Decodes `word`, found at address `pc`.
///
/// ```
/// use avm_rv32::{decode, Op};
/// let i = decode(0x02a00513, 0x1000); // addi a0, zero, 42
/// assert_eq!((i.op, i.rd, i.rs1, i.imm), (Op::Addi, 10, 0, 42));
/// assert_eq!(decode(0, 0).op, Op::Illegal);
/// ```
pub fn decode(word: u32, pc: u32) -> Instr {
    let rd = (word >> 7) & 31;
    let f3 = (word >> 12) & 7;
    let rs1 = (word >> 15) & 31;
    let rs2 = (word >> 20) & 31;
    let f7 = word >> 25;
    let imm_i = ((word as i32) >> 20) as u32;
    let imm_s = ((((word as i32) >> 25) << 5) as u32) | ((word >> 7) & 0x1f);
    let imm_b = ((((word as i32) >> 31) << 12) as u32)
        | (((word >> 7) & 1) << 11)
        | (((word >> 25) & 0x3f) << 5)
        | (((word >> 8) & 0xf) << 1);
    let imm_u = word & 0xffff_f000;
    let imm_j = ((((word as i32) >> 31) << 20) as u32)
        | (word & 0x000f_f000)
        | (((word >> 20) & 1) << 11)
        | (((word >> 21) & 0x3ff) << 1);
    let illegal = Instr::illegal(word);
    let op = match word & 0x7f {
        0x37 => return Instr::new(Op::Lui, rd, 0, 0, imm_u),
        0x17 => return Instr::new(Op::Auipc, rd, 0, 0, pc.wrapping_add(imm_u)),
        0x6f => return Instr::new(Op::Jal, rd, 0, 0, pc.wrapping_add(imm_j)),
        0x67 if f3 == 0 => return Instr::new(Op::Jalr, rd, rs1, 0, imm_i),
        0x63 => {
            let op = match f3 {
                0 => Op::Beq,
                1 => Op::Bne,
                4 => Op::Blt,
                5 => Op::Bge,
                6 => Op::Bltu,
                7 => Op::Bgeu,
                _ => return illegal,
            };
            return Instr::new(op, 0, rs1, rs2, pc.wrapping_add(imm_b));
        }
        0x03 => {
            let op = match f3 {
                0 => Op::Lb,
                1 => Op::Lh,
                2 => Op::Lw,
                4 => Op::Lbu,
                5 => Op::Lhu,
                _ => return illegal,
            };
            return Instr::new(op, rd, rs1, 0, imm_i);
        }
        0x23 => {
            let op = match f3 {
                0 => Op::Sb,
                1 => Op::Sh,
                2 => Op::Sw,
                _ => return illegal,
            };
            return Instr::new(op, 0, rs1, rs2, imm_s);
        }
        0x13 => {
            let (op, imm) = match (f3, f7) {
                (0, _) => (Op::Addi, imm_i),
                (2, _) => (Op::Slti, imm_i),
                (3, _) => (Op::Sltiu, imm_i),
                (4, _) => (Op::Xori, imm_i),
                (6, _) => (Op::Ori, imm_i),
                (7, _) => (Op::Andi, imm_i),
                (1, 0) => (Op::Slli, rs2),
                (5, 0) => (Op::Srli, rs2),
                (5, 0x20) => (Op::Srai, rs2),
                _ => return illegal,
            };
            return Instr::new(op, rd, rs1, 0, imm);
        }
        0x33 => match (f7, f3) {
            (0, 0) => Op::Add,
            (0x20, 0) => Op::Sub,
            (0, 1) => Op::Sll,
            (0, 2) => Op::Slt,
            (0, 3) => Op::Sltu,
            (0, 4) => Op::Xor,
            (0, 5) => Op::Srl,
            (0x20, 5) => Op::Sra,
            (0, 6) => Op::Or,
            (0, 7) => Op::And,
            (1, 0) => Op::Mul,
            (1, 1) => Op::Mulh,
            (1, 2) => Op::Mulhsu,
            (1, 3) => Op::Mulhu,
            (1, 4) => Op::Div,
            (1, 5) => Op::Divu,
            (1, 6) => Op::Rem,
            (1, 7) => Op::Remu,
            _ => return illegal,
        },
        0x2f if f3 == 2 => match word >> 27 {
            0x02 if rs2 == 0 => Op::LrW,
            0x03 => Op::ScW,
            0x01 => Op::AmoswapW,
            0x00 => Op::AmoaddW,
            0x04 => Op::AmoxorW,
            0x0c => Op::AmoandW,
            0x08 => Op::AmoorW,
            0x10 => Op::AmominW,
            0x14 => Op::AmomaxW,
            0x18 => Op::AmominuW,
            0x1c => Op::AmomaxuW,
            _ => return illegal,
        },
        // The spec asks that unused FENCE fields be ignored (treated as a full fence).
        0x0f if f3 == 0 => return Instr::new(Op::Fence, 0, 0, 0, 0),
        0x0f if f3 == 1 => return Instr::new(Op::FenceI, 0, 0, 0, 0),
        0x73 if word == 0x0000_0073 => return Instr::new(Op::Ecall, 0, 0, 0, 0),
        0x73 if word == 0x0010_0073 => return Instr::new(Op::Ebreak, 0, 0, 0, 0),
        _ => return illegal,
    };
    // R-type (OP and AMO).
    Instr::new(op, rd, rs1, rs2, 0)
}
