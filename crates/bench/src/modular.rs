//! Wide-integer, modular and prime-field workloads: one instruction of the
//! family and the 3-instruction loop tail per iteration.

use crate::alu::{build, counter, ins, tail, Workload};
use avm_alu::isa::Operand;
use avm_alu::reg::{AWidth, RWidth, RegA, RegR};
use avm_alu::{Reg, Registers};

fn r(bits: u16, idx: u8) -> Operand {
    let width = RWidth::with_bits(bits).expect("a valid width");
    Operand::R(RegR { width, idx })
}

fn a64(idx: u8) -> Operand {
    Operand::A(RegA {
        width: AWidth::A64,
        idx,
    })
}

/// A deterministic value of `bytes` bytes with its top bit set.
fn filler(bytes: usize, seed: u8) -> Vec<u8> {
    let mut v: Vec<u8> = (0..bytes)
        .map(|i| (i as u8).wrapping_mul(151).wrapping_add(seed) | 1)
        .collect();
    v[bytes - 1] |= 0x80;
    v
}

fn set(regs: &mut Registers, op: Operand, bytes: &[u8]) {
    let reg = match op {
        Operand::A(a) => Reg::A(a),
        Operand::R(r) => Reg::R(r),
        _ => unreachable!("a register operand"),
    };
    assert!(regs.set(reg, Some(bytes)), "{bytes:?} fits {reg:?}");
}

/// A loop of `instr` with the register values of `init`.
fn looped(n: u64, instr: avm_alu::Instr, init: &[(Operand, Vec<u8>)]) -> Workload {
    let mut code = vec![instr];
    code.extend(tail(0));
    code.push(ins("stop", None, &[]));
    let mut regs = counter(n);
    for (op, v) in init {
        set(&mut regs, *op, v);
    }
    Workload {
        program: build(&code, vec![]),
        regs,
        instructions: 4 * n + 1,
    }
}

/// `op r[0], r[0], r[1], r[2]` at `bits` (x := x op y mod m), with an odd
/// modulus of full width and operands below it.
pub fn modular(op: &str, bits: u16, n: u64) -> Workload {
    let bytes = usize::from(bits) / 8;
    let m = filler(bytes, 7);
    let mut x = filler(bytes, 3);
    let mut y = filler(bytes, 11);
    x[bytes - 1] = 0x11;
    y[bytes - 1] = 0x22;
    let instr = ins(op, None, &[r(bits, 0), r(bits, 0), r(bits, 1), r(bits, 2)]);
    looped(
        n,
        instr,
        &[(r(bits, 0), x), (r(bits, 1), y), (r(bits, 2), m)],
    )
}

/// `invmod r[3], r[0], r[2]` at `bits`: the inverse of a fixed value.
pub fn invmod(bits: u16, n: u64) -> Workload {
    let bytes = usize::from(bits) / 8;
    let mut x = filler(bytes, 3);
    x[bytes - 1] = 0x11;
    let instr = ins("invmod", None, &[r(bits, 3), r(bits, 0), r(bits, 2)]);
    looped(n, instr, &[(r(bits, 0), x), (r(bits, 2), filler(bytes, 7))])
}

/// `{op}gl a64[0], a64[0], a64[3]` (or `{op}gl a64[0], a64[3]` for unary
/// operations) in the Goldilocks field.
pub fn goldilocks(op: &str, n: u64) -> Workload {
    let ops: &[Operand] = if op == "inv" {
        &[a64(0), a64(3)]
    } else {
        &[a64(0), a64(0), a64(3)]
    };
    let instr = ins(&format!("{op}gl"), None, ops);
    let x = 0x1234_5678_9abc_def0u64.to_le_bytes().to_vec();
    let y = 0xfedc_ba98_7654_3210u64.to_le_bytes().to_vec();
    looped(n, instr, &[(a64(0), x), (a64(3), y)])
}

/// `{op}25519 r256[0], r256[0], r256[3]` (or the unary form) modulo 2^255 - 19.
pub fn f25519(op: &str, n: u64) -> Workload {
    let ops: &[Operand] = if op == "inv" {
        &[r(256, 0), r(256, 3)]
    } else {
        &[r(256, 0), r(256, 0), r(256, 3)]
    };
    let instr = ins(&format!("{op}25519"), None, ops);
    let mut x = filler(32, 3);
    let mut y = filler(32, 11);
    x[31] = 0x5a;
    y[31] = 0x3c;
    looped(n, instr, &[(r(256, 0), x), (r(256, 3), y)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alu::LIMITS;
    use avm_alu::StopReason;

    #[test]
    fn workloads_run_to_the_end_with_defined_results() {
        for (mut w, dst) in [
            (modular("mulmod", 8192, 3), r(8192, 0)),
            (modular("powmod", 256, 3), r(256, 0)),
            (invmod(256, 3), r(256, 3)),
            (goldilocks("mul", 3), a64(0)),
            (goldilocks("inv", 3), a64(0)),
            (f25519("mul", 3), r(256, 0)),
            (f25519("inv", 3), r(256, 0)),
        ] {
            let out = w.program.run(&mut w.regs, &LIMITS);
            assert_eq!(out.reason, StopReason::Stopped);
            let reg = match dst {
                Operand::A(a) => Reg::A(a),
                Operand::R(r) => Reg::R(r),
                _ => unreachable!(),
            };
            assert!(w.regs.get(reg).is_some(), "{dst:?}");
        }
    }
}
