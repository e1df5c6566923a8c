//! Alu workloads: each builds a program whose loop runs `n` times and knows
//! how many instructions one run executes.

use avm_alu::isa::{self, Instr, Operand};
use avm_alu::reg::{AWidth, FFormat, RegA, RegF, RegS};
use avm_alu::{Host, Library, Limits, Program, Registers, Site};

/// A ready-to-run workload.
pub struct Workload {
    /// The program.
    pub program: Program,
    /// Registers before each run.
    pub regs: Registers,
    /// Instructions one run executes.
    pub instructions: u64,
}

/// Limits that let the benchmark loops run to the end.
pub const LIMITS: Limits = Limits {
    complexity: u64::MAX,
    jumps: u64::MAX,
    call_depth: 1024,
};

fn a(bits: u16, idx: u8) -> Operand {
    let width = AWidth::with_bits(bits).expect("a valid width");
    Operand::A(RegA { width, idx })
}

fn s(idx: u8) -> Operand {
    Operand::S(RegS(idx))
}

pub(crate) fn ins(mnemonic: &str, flag: Option<&str>, ops: &[Operand]) -> Instr {
    Instr::from_parts(mnemonic, flag, ops).expect("a valid instruction")
}

fn f(format: FFormat, idx: u8) -> Operand {
    Operand::F(RegF { format, idx })
}

/// A one-library program; the library lists the built-in ISA extensions its code uses.
pub(crate) fn build(code: &[Instr], data: Vec<u8>) -> Program {
    let mut isa_ids: Vec<String> = code
        .iter()
        .filter_map(|i| isa::builtin_isa(i.opcode()))
        .map(|b| b.id.to_string())
        .collect();
    isa_ids.sort();
    isa_ids.dedup();
    let lib = Library::new(isa_ids, vec![], isa::assemble(code), data).expect("a valid library");
    let entry = Site {
        lib: lib.id(),
        pos: 0,
    };
    Program::new([lib], entry, &Host::new()).expect("a complete program")
}

/// The loop tail shared by every workload: `dec a64[1]; lt a64[2] < a64[1]; jif body`.
pub(crate) fn tail(body: u16) -> [Instr; 3] {
    [
        ins("dec", Some("uw"), &[a(64, 1), Operand::Imm(1)]),
        ins("lt", Some("u"), &[a(64, 2), a(64, 1)]),
        ins("jif", None, &[Operand::Pos(body)]),
    ]
}

/// Registers with the loop counter a64[1] = n and its bound a64[2] = 0.
pub(crate) fn counter(n: u64) -> Registers {
    let mut regs = Registers::new();
    regs.set_a_u64(
        RegA {
            width: AWidth::A64,
            idx: 1,
        },
        n,
    );
    regs.set_a_u64(
        RegA {
            width: AWidth::A64,
            idx: 2,
        },
        0,
    );
    regs
}

/// (a) sum 1..=n in a64 registers: 4 instructions per iteration.
pub fn sum_a64(n: u64) -> Workload {
    let mut code = vec![ins("add", Some("uw"), &[a(64, 0), a(64, 0), a(64, 1)])];
    code.extend(tail(0));
    code.push(ins("stop", None, &[]));
    let mut regs = counter(n);
    regs.set_a_u64(
        RegA {
            width: AWidth::A64,
            idx: 0,
        },
        0,
    );
    Workload {
        program: build(&code, vec![]),
        regs,
        instructions: 4 * n + 1,
    }
}

/// (b) repeated 1024-bit wrapping multiplication: 4 instructions per iteration.
pub fn mul_a1024(n: u64) -> Workload {
    let mut code = vec![ins(
        "mul",
        Some("uw"),
        &[a(1024, 0), a(1024, 0), a(1024, 1)],
    )];
    code.extend(tail(0));
    code.push(ins("stop", None, &[]));
    let mut regs = counter(n);
    let mut x = vec![0u8; 128];
    for (i, b) in x.iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(37) | 1;
    }
    regs.set(
        avm_alu::Reg::A(RegA {
            width: AWidth::A1024,
            idx: 0,
        }),
        Some(&x),
    );
    x.reverse();
    regs.set(
        avm_alu::Reg::A(RegA {
            width: AWidth::A1024,
            idx: 1,
        }),
        Some(&x),
    );
    Workload {
        program: build(&code, vec![]),
        regs,
        instructions: 4 * n + 1,
    }
}

/// (c) a routine call and return per iteration: 6 instructions per iteration.
pub fn routine_calls(n: u64) -> Workload {
    // 0: routine f (3 bytes); 3: dec (4); 7: lt (3); 10: jif 0 (3); 13: stop; 14: f: inc; ret
    let mut code = vec![ins("routine", None, &[Operand::Pos(14)])];
    code.extend(tail(0));
    code.push(ins("stop", None, &[]));
    code.push(ins("inc", Some("uw"), &[a(64, 0), Operand::Imm(1)]));
    code.push(ins("ret", None, &[]));
    let program = build(&code, vec![]);
    let mut regs = counter(n);
    regs.set_a_u64(
        RegA {
            width: AWidth::A64,
            idx: 0,
        },
        0,
    );
    Workload {
        program,
        regs,
        instructions: 6 * n + 1,
    }
}

/// (d) byte strings: concatenate two 32-byte strings and find the second in
/// the result, 5 instructions per iteration.
pub fn strings(n: u64) -> Workload {
    let mut code = vec![
        ins("cat", None, &[s(2), s(0), s(1)]),
        ins("find", None, &[a(16, 0), s(2), s(1)]),
    ];
    code.extend(tail(0));
    code.push(ins("stop", None, &[]));
    let mut regs = counter(n);
    regs.set(avm_alu::Reg::S(RegS(0)), Some(&[b'a'; 32]));
    regs.set(
        avm_alu::Reg::S(RegS(1)),
        Some(b"abcdefghijklmnopqrstuvwxyz012345"),
    );
    Workload {
        program: build(&code, vec![]),
        regs,
        instructions: 5 * n + 1,
    }
}

/// A float loop: `dst := dst op src` in `format` (rounded to nearest), with
/// dst and src starting from the given encodings; 4 instructions per iteration.
fn float_loop(n: u64, op: &str, format: FFormat, dst: &[u8], src: &[u8]) -> Workload {
    let mut code = vec![ins(
        op,
        Some("n"),
        &[f(format, 0), f(format, 0), f(format, 1)],
    )];
    code.extend(tail(0));
    code.push(ins("stop", None, &[]));
    let mut regs = counter(n);
    for (idx, bits) in [(0, dst), (1, src)] {
        regs.set(avm_alu::Reg::F(RegF { format, idx }), Some(bits));
    }
    Workload {
        program: build(&code, vec![]),
        regs,
        instructions: 4 * n + 1,
    }
}

/// (e) f64 addition: 0.1 added to a sum starting at 1.0, 4 instructions per iteration.
pub fn add_f64(n: u64) -> Workload {
    let one = 0x3ff0_0000_0000_0000u64.to_le_bytes();
    let tenth = 0x3fb9_9999_9999_999au64.to_le_bytes();
    float_loop(n, "add", FFormat::F64, &one, &tenth)
}

/// (f) f128 multiplication: a product starting at 1.0 times (1 + 2^-20) each
/// iteration, 4 instructions per iteration.
pub fn mul_f128(n: u64) -> Workload {
    let one = (0x3fffu128 << 112).to_le_bytes();
    let factor = ((0x3fffu128 << 112) | (1u128 << 92)).to_le_bytes();
    float_loop(n, "mul", FFormat::F128, &one, &factor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use avm_alu::StopReason;

    fn a64(regs: &Registers, idx: u8) -> Option<u64> {
        regs.a_u64(RegA {
            width: AWidth::A64,
            idx,
        })
    }

    #[test]
    fn float_loops_run_to_the_end() {
        for mut w in [add_f64(1000), mul_f128(1000)] {
            let out = w.program.run(&mut w.regs, &LIMITS);
            assert_eq!(out.reason, StopReason::Stopped);
        }
        let mut w = add_f64(10);
        w.program.run(&mut w.regs, &LIMITS);
        let sum = w.regs.get(avm_alu::Reg::F(RegF {
            format: FFormat::F64,
            idx: 0,
        }));
        // 1 + 0.1 + ... + 0.1 (ten times), rounded at each step: 2.000000000000001.
        assert_eq!(sum, Some(0x4000_0000_0000_0002u64.to_le_bytes().to_vec()));
    }

    #[test]
    fn workloads_compute_what_they_claim() {
        let mut w = sum_a64(1000);
        let out = w.program.run(&mut w.regs, &LIMITS);
        assert_eq!(
            (out.reason, a64(&w.regs, 0)),
            (StopReason::Stopped, Some(500_500))
        );

        let mut w = routine_calls(1000);
        let out = w.program.run(&mut w.regs, &LIMITS);
        assert_eq!(
            (out.reason, a64(&w.regs, 0)),
            (StopReason::Stopped, Some(1000))
        );

        let mut w = strings(10);
        let out = w.program.run(&mut w.regs, &LIMITS);
        let at = w.regs.a_u64(RegA {
            width: AWidth::A16,
            idx: 0,
        });
        assert_eq!((out.reason, at), (StopReason::Stopped, Some(32)));

        let mut w = mul_a1024(10);
        let out = w.program.run(&mut w.regs, &LIMITS);
        assert_eq!(out.reason, StopReason::Stopped);
        assert!(w
            .regs
            .a_decimal(RegA {
                width: AWidth::A1024,
                idx: 0
            })
            .is_some());
    }

    #[test]
    fn metering_does_not_change_results() {
        let mut metered = sum_a64(100);
        let mut unmetered = sum_a64(100);
        let a = metered.program.run(&mut metered.regs, &LIMITS);
        let b = unmetered
            .program
            .run_unmetered(&mut unmetered.regs, &LIMITS);
        assert_eq!(metered.regs, unmetered.regs);
        assert_eq!((a.st0, a.cy0), (b.st0, b.cy0));
        assert!(a.ca0 > 0 && b.ca0 == 0);
    }
}
