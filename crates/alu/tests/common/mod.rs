//! A tiny builder for instruction-semantics tests: operands, instructions,
//! one-library programs and register access by width and index.
#![allow(dead_code)]

use avm_alu::isa::{self, Instr, Operand};
use avm_alu::reg::{AWidth, FFormat, RWidth, RegA, RegF, RegR, RegS};
use avm_alu::{Host, Library, Limits, Outcome, Program, Reg, Registers, Site, StopReason};
use num_bigint::{BigInt, Sign};
use proptest::prelude::*;

/// An integer register operand, e.g. `a(64, 0)` for `a64[0]`.
pub fn a(bits: u16, idx: u8) -> Operand {
    Operand::A(ra(bits, idx))
}

/// A wide register operand, e.g. `r(160, 1)`.
pub fn r(bits: u16, idx: u8) -> Operand {
    Operand::R(rr(bits, idx))
}

/// A float register operand.
pub fn f(format: FFormat, idx: u8) -> Operand {
    Operand::F(RegF { format, idx })
}

/// A byte-string register operand.
pub fn s(idx: u8) -> Operand {
    Operand::S(RegS(idx))
}

/// An integer register name.
pub fn ra(bits: u16, idx: u8) -> RegA {
    RegA {
        width: AWidth::with_bits(bits).expect("an A width"),
        idx,
    }
}

/// A wide register name.
pub fn rr(bits: u16, idx: u8) -> RegR {
    RegR {
        width: RWidth::with_bits(bits).expect("an R width"),
        idx,
    }
}

/// An instruction from its mnemonic, flag suffix and operands.
pub fn ins(mnemonic: &str, flag: Option<&str>, ops: &[Operand]) -> Instr {
    Instr::from_parts(mnemonic, flag, ops)
        .unwrap_or_else(|e| panic!("{mnemonic} {flag:?} {ops:?}: {}", e.0))
}

/// `stop`.
pub fn stop() -> Instr {
    ins("stop", None, &[])
}

/// A library of the core ISA with the given code and data.
pub fn lib(instrs: &[Instr], data: &[u8]) -> Library {
    let mut ids: Vec<String> = instrs
        .iter()
        .filter_map(|i| isa::builtin_isa(i.opcode()))
        .map(|b| b.id.to_string())
        .collect();
    ids.sort();
    ids.dedup();
    Library::new(ids, vec![], isa::assemble(instrs), data.to_vec()).unwrap()
}

/// A program made of `main` (the entry, at offset 0) and `others`.
pub fn program(main: &Library, others: &[Library], host: &Host) -> Program {
    let mut libs = vec![main.clone()];
    libs.extend_from_slice(others);
    Program::new(
        libs,
        Site {
            lib: main.id(),
            pos: 0,
        },
        host,
    )
    .unwrap()
}

/// Runs `instrs` (with `data`) after `setup` prepared the registers, with default limits.
pub fn run(
    instrs: &[Instr],
    data: &[u8],
    setup: impl FnOnce(&mut Registers),
) -> (Outcome, Registers) {
    run_lib(&lib(instrs, data), &Limits::default(), setup)
}

/// Runs a library with the given limits.
pub fn run_lib(
    main: &Library,
    limits: &Limits,
    setup: impl FnOnce(&mut Registers),
) -> (Outcome, Registers) {
    let p = program(main, &[], &Host::new());
    let mut regs = Registers::new();
    setup(&mut regs);
    let out = p.run(&mut regs, limits);
    (out, regs)
}

/// Runs one instruction followed by `stop`; asserts the run stopped normally.
pub fn one(instr: Instr, setup: impl FnOnce(&mut Registers)) -> Registers {
    let (out, regs) = run(&[instr, stop()], &[], setup);
    assert_eq!(out.reason, StopReason::Stopped, "{instr:?}");
    assert_eq!(out.st0, regs.st0);
    regs
}

/// Sets `a<bits>[idx]` to the low bits of `v`.
pub fn set_a(regs: &mut Registers, bits: u16, idx: u8, v: u64) {
    regs.set_a_u64(ra(bits, idx), v);
}

/// Sets `a<bits>[idx]` to `v` in two's complement (sign-extended to the width).
pub fn set_i(regs: &mut Registers, bits: u16, idx: u8, v: i64) {
    let fill = if v < 0 { 0xFF } else { 0 };
    let mut bytes = vec![fill; bits as usize / 8];
    let n = bytes.len().min(8);
    bytes[..n].copy_from_slice(&v.to_le_bytes()[..n]);
    assert!(regs.set(Reg::A(ra(bits, idx)), Some(&bytes)));
}

/// `a<bits>[idx]` as an unsigned `u64`, if defined and fits.
pub fn get_a(regs: &Registers, bits: u16, idx: u8) -> Option<u64> {
    regs.a_u64(ra(bits, idx))
}

/// `a<bits>[idx]` as a signed value, if defined and it fits an `i64`.
pub fn get_i(regs: &Registers, bits: u16, idx: u8) -> Option<i64> {
    let bytes = regs.get(Reg::A(ra(bits, idx)))?;
    let negative = bytes.last().is_some_and(|b| b & 0x80 != 0);
    let fill = if negative { 0xFF } else { 0 };
    let mut low = [fill; 8];
    let n = bytes.len().min(8);
    low[..n].copy_from_slice(&bytes[..n]);
    let v = i64::from_le_bytes(low);
    // Every byte beyond the eighth must be the sign fill, and agree with bit 63.
    let fits =
        bytes.iter().skip(8).all(|b| *b == fill) && (bytes.len() <= 8 || (v < 0) == negative);
    fits.then_some(v)
}

/// The raw little-endian bytes of an integer register.
pub fn get_a_bytes(regs: &Registers, bits: u16, idx: u8) -> Option<Vec<u8>> {
    regs.get(Reg::A(ra(bits, idx)))
}

/// Sets an integer register from little-endian bytes of its width.
pub fn set_a_bytes(regs: &mut Registers, bits: u16, idx: u8, bytes: &[u8]) {
    assert!(regs.set(Reg::A(ra(bits, idx)), Some(bytes)));
}

/// Sets a wide register from little-endian bytes of its width.
pub fn set_r(regs: &mut Registers, bits: u16, idx: u8, bytes: &[u8]) {
    assert!(regs.set(Reg::R(rr(bits, idx)), Some(bytes)));
}

/// A wide register's bytes.
pub fn get_r(regs: &Registers, bits: u16, idx: u8) -> Option<Vec<u8>> {
    regs.get(Reg::R(rr(bits, idx)))
}

/// `v` as little-endian bytes of `bits` width (zero-extended).
pub fn le(bits: u16, v: u64) -> Vec<u8> {
    let mut bytes = vec![0u8; bits as usize / 8];
    let n = bytes.len().min(8);
    bytes[..n].copy_from_slice(&v.to_le_bytes()[..n]);
    bytes
}

/// Sets a byte-string register.
pub fn set_s(regs: &mut Registers, idx: u8, bytes: &[u8]) {
    assert!(regs.set(Reg::S(RegS(idx)), Some(bytes)));
}

/// A byte-string register.
pub fn get_s(regs: &Registers, idx: u8) -> Option<Vec<u8>> {
    regs.get(Reg::S(RegS(idx)))
}

/// The A widths in bits.
pub const A_BITS: [u16; 8] = [8, 16, 32, 64, 128, 256, 512, 1024];
/// The R widths in bits.
pub const R_BITS: [u16; 8] = [128, 160, 256, 512, 1024, 2048, 4096, 8192];

/// The byte offset of each instruction when assembled in order.
pub fn offsets(instrs: &[Instr]) -> Vec<u16> {
    let mut pos = 0u16;
    instrs
        .iter()
        .map(|i| {
            let here = pos;
            pos += i.len() as u16;
            here
        })
        .collect()
}

/// Bytes of a wide value, biased toward edge values.
pub fn edge_bytes(n: usize) -> impl Strategy<Value = Vec<u8>> {
    (
        0u8..8,
        prop::collection::vec(any::<u8>(), n),
        any::<u8>(),
        0..n,
    )
        .prop_map(move |(kind, random, small, at)| {
            let mut v = vec![0u8; n];
            match kind {
                0 | 1 => v = random,
                2 => v[0] = small,
                3 => {
                    v = vec![0xFF; n];
                    v[0] = !small; // small negative
                }
                4 => v[n - 1] = 0x80, // MIN
                5 => {
                    v = vec![0xFF; n];
                    v[n - 1] = 0x7F; // MAX
                }
                6 => v[at] = 1,                                    // a power of 2^8
                _ => v[..n / 2].copy_from_slice(&random[..n / 2]), // a half-width value
            }
            v
        })
}

/// The bytes as a little-endian number, two's complement if `signed`.
pub fn to_big(bytes: &[u8], signed: bool) -> BigInt {
    if signed {
        BigInt::from_signed_bytes_le(bytes)
    } else {
        BigInt::from_bytes_le(Sign::Plus, bytes)
    }
}

/// Whether `v` is in the range of an n-byte integer.
pub fn fits(v: &BigInt, n: usize, signed: bool) -> bool {
    let bits = 8 * n;
    if signed {
        let half = BigInt::from(1) << (bits - 1);
        *v >= -half.clone() && *v < half
    } else {
        *v >= BigInt::from(0) && *v < (BigInt::from(1) << bits)
    }
}

/// `v` modulo 2^(8n) as n little-endian bytes.
pub fn wrap_bytes(v: &BigInt, n: usize) -> Vec<u8> {
    let m = BigInt::from(1) << (8 * n);
    let r = ((v % &m) + &m) % &m;
    let (_, mut b) = r.to_bytes_le();
    b.resize(n, 0);
    b
}
