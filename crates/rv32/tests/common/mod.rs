//! Test helpers: an instruction encoder, a minimal ELF writer and a runner.
#![allow(dead_code)]

use std::sync::Arc;

use avm_rv32::{Config, ElfLimits, Exit, ExitOnly, Fault, Gas, Machine, Program};

// ---- encoder -------------------------------------------------------------

pub fn r(f7: u32, rs2: u8, rs1: u8, f3: u32, rd: u8, opc: u32) -> u32 {
    f7 << 25 | (rs2 as u32) << 20 | (rs1 as u32) << 15 | f3 << 12 | (rd as u32) << 7 | opc
}
pub fn i(imm: i32, rs1: u8, f3: u32, rd: u8, opc: u32) -> u32 {
    assert!(
        (-2048..2048).contains(&imm),
        "12-bit immediate out of range: {imm}"
    );
    ((imm as u32) & 0xfff) << 20 | (rs1 as u32) << 15 | f3 << 12 | (rd as u32) << 7 | opc
}
pub fn s(imm: i32, rs2: u8, rs1: u8, f3: u32) -> u32 {
    assert!(
        (-2048..2048).contains(&imm),
        "12-bit immediate out of range: {imm}"
    );
    let imm = imm as u32;
    (imm >> 5 & 0x7f) << 25
        | (rs2 as u32) << 20
        | (rs1 as u32) << 15
        | f3 << 12
        | (imm & 0x1f) << 7
        | 0x23
}
pub fn b(off: i32, rs2: u8, rs1: u8, f3: u32) -> u32 {
    let o = off as u32;
    (o >> 12 & 1) << 31
        | (o >> 5 & 0x3f) << 25
        | (rs2 as u32) << 20
        | (rs1 as u32) << 15
        | f3 << 12
        | (o >> 1 & 0xf) << 8
        | (o >> 11 & 1) << 7
        | 0x63
}
pub fn lui(rd: u8, imm20: u32) -> u32 {
    imm20 << 12 | (rd as u32) << 7 | 0x37
}
pub fn auipc(rd: u8, imm20: u32) -> u32 {
    imm20 << 12 | (rd as u32) << 7 | 0x17
}
pub fn jal(rd: u8, off: i32) -> u32 {
    let o = off as u32;
    (o >> 20 & 1) << 31
        | (o >> 1 & 0x3ff) << 21
        | (o >> 11 & 1) << 20
        | (o >> 12 & 0xff) << 12
        | (rd as u32) << 7
        | 0x6f
}
pub fn jalr(rd: u8, rs1: u8, imm: i32) -> u32 {
    i(imm, rs1, 0, rd, 0x67)
}

macro_rules! alu_i {
    ($($name:ident = $f3:expr;)*) => {$(
        pub fn $name(rd: u8, rs1: u8, imm: i32) -> u32 { i(imm, rs1, $f3, rd, 0x13) }
    )*};
}
alu_i! { addi = 0; slti = 2; sltiu = 3; xori = 4; ori = 6; andi = 7; }
pub fn slli(rd: u8, rs1: u8, sh: u32) -> u32 {
    i(sh as i32, rs1, 1, rd, 0x13)
}
pub fn srli(rd: u8, rs1: u8, sh: u32) -> u32 {
    i(sh as i32, rs1, 5, rd, 0x13)
}
pub fn srai(rd: u8, rs1: u8, sh: u32) -> u32 {
    i((0x400 | sh) as i32, rs1, 5, rd, 0x13)
}
macro_rules! alu_r {
    ($($name:ident = $f7:expr, $f3:expr;)*) => {$(
        pub fn $name(rd: u8, rs1: u8, rs2: u8) -> u32 { r($f7, rs2, rs1, $f3, rd, 0x33) }
    )*};
}
alu_r! {
    add = 0, 0; sub = 0x20, 0; sll = 0, 1; slt = 0, 2; sltu = 0, 3; xor = 0, 4;
    srl = 0, 5; sra = 0x20, 5; or = 0, 6; and = 0, 7;
    mul = 1, 0; mulh = 1, 1; mulhsu = 1, 2; mulhu = 1, 3;
    div = 1, 4; divu = 1, 5; rem = 1, 6; remu = 1, 7;
}
macro_rules! loads {
    ($($name:ident = $f3:expr;)*) => {$(
        pub fn $name(rd: u8, rs1: u8, imm: i32) -> u32 { i(imm, rs1, $f3, rd, 0x03) }
    )*};
}
loads! { lb = 0; lh = 1; lw = 2; lbu = 4; lhu = 5; }
pub fn sb(rs2: u8, rs1: u8, imm: i32) -> u32 {
    s(imm, rs2, rs1, 0)
}
pub fn sh(rs2: u8, rs1: u8, imm: i32) -> u32 {
    s(imm, rs2, rs1, 1)
}
pub fn sw(rs2: u8, rs1: u8, imm: i32) -> u32 {
    s(imm, rs2, rs1, 2)
}
macro_rules! branches {
    ($($name:ident = $f3:expr;)*) => {$(
        pub fn $name(rs1: u8, rs2: u8, off: i32) -> u32 { b(off, rs2, rs1, $f3) }
    )*};
}
branches! { beq = 0; bne = 1; blt = 4; bge = 5; bltu = 6; bgeu = 7; }
pub fn amo(funct5: u32, rd: u8, rs1: u8, rs2: u8) -> u32 {
    r(funct5 << 2, rs2, rs1, 2, rd, 0x2f)
}
pub fn lr_w(rd: u8, rs1: u8) -> u32 {
    amo(0x02, rd, rs1, 0)
}
pub fn sc_w(rd: u8, rs1: u8, rs2: u8) -> u32 {
    amo(0x03, rd, rs1, rs2)
}
pub const ECALL: u32 = 0x0000_0073;
pub const EBREAK: u32 = 0x0010_0073;
pub const FENCE: u32 = 0x0ff0_000f;
pub const NOP: u32 = 0x0000_0013;

/// Loads a full 32-bit constant (lui + addi).
pub fn li(rd: u8, v: u32) -> [u32; 2] {
    let lo = ((v << 20) as i32) >> 20;
    let hi = v.wrapping_sub(lo as u32) >> 12;
    [lui(rd, hi), addi(rd, rd, lo)]
}

/// `li a7, 93; ecall`: exit with a0.
pub const EXIT: [u32; 2] = [0x05d0_0893, ECALL];

// ---- ELF writer ----------------------------------------------------------

pub const TEXT: u32 = 0x10000;
pub const DATA: u32 = 0x20000;
pub const RODATA: u32 = 0x30000;

/// A static ELF: code (R-X) at TEXT, `data` (RW-, one page at least) at
/// DATA, `rodata` (R--) at RODATA.
pub fn elf_with(code: &[u32], data: &[u8], rodata: &[u8]) -> Vec<u8> {
    let text: Vec<u8> = code.iter().flat_map(|w| w.to_le_bytes()).collect();
    let phnum = 3u16;
    let mut out = vec![0u8; 52 + 32 * phnum as usize];
    out[..4].copy_from_slice(b"\x7fELF");
    out[4] = 1;
    out[5] = 1;
    out[6] = 1;
    out[16..18].copy_from_slice(&2u16.to_le_bytes());
    out[18..20].copy_from_slice(&243u16.to_le_bytes());
    out[20..24].copy_from_slice(&1u32.to_le_bytes());
    out[24..28].copy_from_slice(&TEXT.to_le_bytes());
    out[28..32].copy_from_slice(&52u32.to_le_bytes());
    out[40..42].copy_from_slice(&52u16.to_le_bytes());
    out[42..44].copy_from_slice(&32u16.to_le_bytes());
    out[44..46].copy_from_slice(&phnum.to_le_bytes());
    let segs: [(u32, &[u8], u32, u32); 3] = [
        (TEXT, &text, text.len() as u32, 5),
        (DATA, data, (data.len() as u32).max(4096), 6),
        (RODATA, rodata, rodata.len().max(1) as u32, 4),
    ];
    for (k, (vaddr, bytes, memsz, flags)) in segs.iter().enumerate() {
        while !out.len().is_multiple_of(4) {
            out.push(0);
        }
        let offset = out.len() as u32;
        out.extend_from_slice(bytes);
        let ph = 52 + 32 * k;
        let fields = [
            1,
            offset,
            *vaddr,
            *vaddr,
            bytes.len() as u32,
            *memsz,
            *flags,
            4,
        ];
        for (f, v) in fields.iter().enumerate() {
            out[ph + 4 * f..ph + 4 * f + 4].copy_from_slice(&v.to_le_bytes());
        }
    }
    out
}

pub fn elf(code: &[u32]) -> Vec<u8> {
    elf_with(code, &[], &[])
}

pub fn machine_with(code: &[u32], data: &[u8], config: &Config) -> Machine {
    let program = Program::from_elf(&elf_with(code, data, b"ro"), &ElfLimits::default()).unwrap();
    Machine::new(Arc::new(program), config).unwrap()
}

pub fn machine(code: &[u32]) -> Machine {
    machine_with(code, &[], &Config::default())
}

/// Runs `code` with `gas`; returns the machine and the outcome.
pub fn run_gas(code: &[u32], gas: Gas) -> (Machine, Result<Exit, Fault>) {
    let mut m = machine(code);
    let r = m.run(&mut ExitOnly, gas);
    (m, r)
}

/// Runs `code` followed by an exit, and returns the machine (asserting it exited).
pub fn run(code: &[u32]) -> Machine {
    let mut all = code.to_vec();
    all.extend_from_slice(&EXIT);
    let (m, r) = run_gas(&all, 1_000_000);
    r.unwrap_or_else(|f| panic!("unexpected {f}"));
    m
}

/// Runs `code` (which must fault) and returns the fault.
pub fn fault(code: &[u32]) -> Fault {
    let (_, r) = run_gas(code, 1_000_000);
    r.expect_err("expected a fault")
}

/// Register names.
pub const ZERO: u8 = 0;
pub const RA: u8 = 1;
pub const SP: u8 = 2;
pub const T0: u8 = 5;
pub const T1: u8 = 6;
pub const T2: u8 = 7;
pub const A0: u8 = 10;
pub const A1: u8 = 11;
pub const A2: u8 = 12;
pub const A3: u8 = 13;
pub const A7: u8 = 17;
