//! Control instructions: stops, jumps, routines, calls into libraries,
//! limits, reserved opcodes and ISA extensions.

mod common;

use avm_alu::isa::{self, ExtInstr, Instr, IsaExtension, Operand, ALLOCATED, OPCODES};
use avm_alu::{Host, Library, Limits, Program, ProgramError, Registers, Site, StopReason};
use common::*;
use std::sync::Arc;

fn jmp(pos: u16) -> Instr {
    ins("jmp", None, &[Operand::Pos(pos)])
}

fn nop() -> Instr {
    ins("nop", None, &[])
}

fn raw(code: Vec<u8>) -> Library {
    Library::new(vec![], vec![], code, vec![]).unwrap()
}

#[test]
fn stop_keeps_st0_and_fail_clears_it() {
    let (out, _) = run(&[stop()], &[], |_| {});
    assert_eq!((out.reason, out.st0), (StopReason::Stopped, true));
    let (out, _) = run(&[stop()], &[], |r| r.st0 = false);
    assert_eq!((out.reason, out.st0), (StopReason::Stopped, false));
    let (out, _) = run(&[ins("fail", None, &[])], &[], |_| {});
    assert_eq!((out.reason, out.st0), (StopReason::Failed, false));
    assert_eq!(out.site.pos, 0);
}

#[test]
fn test_passes_on_true_and_fails_on_false() {
    let code = [ins("test", None, &[]), stop()];
    let (out, _) = run(&code, &[], |_| {});
    assert_eq!(
        (out.reason, out.st0, out.site.pos),
        (StopReason::Stopped, true, 1)
    );
    let (out, _) = run(&code, &[], |r| r.st0 = false);
    assert_eq!(
        (out.reason, out.st0, out.site.pos),
        (StopReason::Failed, false, 0)
    );
}

#[test]
fn nop_does_nothing() {
    let (out, regs) = run(&[nop(), nop(), stop()], &[], |r| set_a(r, 8, 0, 7));
    assert_eq!((out.reason, out.site.pos), (StopReason::Stopped, 2));
    assert_eq!(get_a(&regs, 8, 0), Some(7));
}

#[test]
fn jmp_skips_and_counts_in_cy0() {
    // 0: jmp 4; 3: fail; 4: stop
    let (out, _) = run(&[jmp(4), ins("fail", None, &[]), stop()], &[], |_| {});
    assert_eq!(
        (out.reason, out.cy0, out.site.pos),
        (StopReason::Stopped, 1, 4)
    );
}

#[test]
fn jif_jumps_only_when_st0() {
    let code = [
        ins("jif", None, &[Operand::Pos(4)]),
        ins("fail", None, &[]),
        stop(),
    ];
    let (out, _) = run(&code, &[], |_| {});
    assert_eq!((out.reason, out.cy0), (StopReason::Stopped, 1));
    let (out, _) = run(&code, &[], |r| r.st0 = false);
    assert_eq!(
        (out.reason, out.cy0, out.site.pos),
        (StopReason::Failed, 0, 3)
    );
}

#[test]
fn routine_then_ret_returns_to_the_next_instruction() {
    // 0: routine 9; 3: inc a8[0]; 7: stop; 8: nop; 9: inc a8[1]; 13: ret
    let inc = |i| ins("inc", Some("uw"), &[a(8, i), Operand::Imm(1)]);
    let code = [
        ins("routine", None, &[Operand::Pos(9)]),
        inc(0),
        stop(),
        nop(),
        inc(1),
        ins("ret", None, &[]),
    ];
    assert_eq!(offsets(&code), [0, 3, 7, 8, 9, 13]);
    let (out, regs) = run(&code, &[], |r| {
        set_a(r, 8, 0, 0);
        set_a(r, 8, 1, 0);
    });
    assert_eq!((out.reason, out.site.pos), (StopReason::Stopped, 7));
    assert_eq!(
        get_a(&regs, 8, 0),
        Some(1),
        "the instruction after routine ran once"
    );
    assert_eq!(get_a(&regs, 8, 1), Some(1), "the routine ran once");
    assert_eq!(out.cy0, 1);
}

#[test]
fn ret_on_an_empty_stack_stops() {
    let (out, _) = run(&[ins("ret", None, &[])], &[], |r| r.st0 = false);
    assert_eq!((out.reason, out.st0), (StopReason::Stopped, false));
    let (out, _) = run(&[ins("ret", None, &[])], &[], |_| {});
    assert_eq!((out.reason, out.st0), (StopReason::Stopped, true));
}

fn dep_lib() -> Library {
    // 0: fail; 1: inc.uw a8[0], 1; 5: ret
    lib(
        &[
            ins("fail", None, &[]),
            ins("inc", Some("uw"), &[a(8, 0), Operand::Imm(1)]),
            ins("ret", None, &[]),
        ],
        &[],
    )
}

fn importing(dep: &Library, instrs: &[Instr]) -> Library {
    Library::new(vec![], vec![dep.id()], isa::assemble(instrs), vec![]).unwrap()
}

#[test]
fn call_into_an_imported_library_returns() {
    let dep = dep_lib();
    let main = importing(
        &dep,
        &[
            ins("call", None, &[Operand::Site { pos: 1, lib: 0 }]), // 0..4
            ins("inc", Some("uw"), &[a(8, 1), Operand::Imm(1)]),    // 4..7
            stop(),                                                 // 7
        ],
    );
    let p = program(&main, std::slice::from_ref(&dep), &Host::new());
    assert_eq!(p.libraries(), &[main.id(), dep.id()]);
    let mut regs = Registers::new();
    set_a(&mut regs, 8, 0, 10);
    set_a(&mut regs, 8, 1, 20);
    let out = p.run(&mut regs, &Limits::default());
    assert_eq!(out.reason, StopReason::Stopped);
    assert_eq!(
        out.site,
        Site {
            lib: main.id(),
            pos: 8
        }
    );
    assert_eq!(
        (get_a(&regs, 8, 0), get_a(&regs, 8, 1)),
        (Some(11), Some(21))
    );
    assert_eq!(out.cy0, 1);
}

#[test]
fn exec_into_an_imported_library_does_not_return() {
    let dep = dep_lib();
    let main = importing(
        &dep,
        &[
            ins("exec", None, &[Operand::Site { pos: 1, lib: 0 }]),
            ins("inc", Some("uw"), &[a(8, 1), Operand::Imm(1)]),
            stop(),
        ],
    );
    let p = program(&main, std::slice::from_ref(&dep), &Host::new());
    let mut regs = Registers::new();
    set_a(&mut regs, 8, 0, 10);
    set_a(&mut regs, 8, 1, 20);
    let out = p.run(&mut regs, &Limits::default());
    // The dependency's `ret` finds an empty stack and stops there.
    assert_eq!(out.reason, StopReason::Stopped);
    assert_eq!(
        out.site,
        Site {
            lib: dep.id(),
            pos: 5
        }
    );
    assert_eq!(
        (get_a(&regs, 8, 0), get_a(&regs, 8, 1)),
        (Some(11), Some(20))
    );
}

#[test]
fn call_through_a_bad_import_index_fails() {
    let dep = dep_lib();
    for m in ["call", "exec"] {
        let main = importing(
            &dep,
            &[ins(m, None, &[Operand::Site { pos: 1, lib: 1 }]), stop()],
        );
        let p = program(&main, std::slice::from_ref(&dep), &Host::new());
        let out = p.run(&mut Registers::new(), &Limits::default());
        assert_eq!(
            (out.reason, out.st0, out.site.pos),
            (StopReason::Failed, false, 0),
            "{m}"
        );
        // With no imports at all.
        let (out, _) = run(
            &[ins(m, None, &[Operand::Site { pos: 0, lib: 0 }])],
            &[],
            |_| {},
        );
        assert_eq!((out.reason, out.st0), (StopReason::Failed, false), "{m}");
    }
}

#[test]
fn calls_between_libraries_nest() {
    // main calls mid, mid calls dep, both return.
    let dep = dep_lib();
    let mid = importing(
        &dep,
        &[
            ins("call", None, &[Operand::Site { pos: 1, lib: 0 }]),
            ins("call", None, &[Operand::Site { pos: 1, lib: 0 }]),
            ins("ret", None, &[]),
        ],
    );
    let main = importing(
        &mid,
        &[
            ins("call", None, &[Operand::Site { pos: 0, lib: 0 }]),
            stop(),
        ],
    );
    let p = program(&main, &[mid.clone(), dep.clone()], &Host::new());
    let mut regs = Registers::new();
    set_a(&mut regs, 8, 0, 0);
    let out = p.run(&mut regs, &Limits::default());
    assert_eq!(
        (out.reason, out.site),
        (
            StopReason::Stopped,
            Site {
                lib: main.id(),
                pos: 4
            }
        )
    );
    assert_eq!(get_a(&regs, 8, 0), Some(2));
    assert_eq!(out.cy0, 3);
}

#[test]
fn the_default_jump_limit_is_65535() {
    let (out, _) = run(&[jmp(0)], &[], |_| {});
    assert_eq!(out.reason, StopReason::JumpLimit);
    assert!(!out.st0);
    assert_eq!(out.cy0, 65535);
    assert_eq!(out.site.pos, 0);
    // Each block entry charges the jmp (2), the failing one included.
    assert_eq!(out.ca0, 2 * 65536);
}

#[test]
fn a_host_may_allow_more_jumps() {
    let limits = Limits {
        jumps: 100_000,
        ..Limits::default()
    };
    let (out, _) = run_lib(&lib(&[jmp(0)], &[]), &limits, |_| {});
    assert_eq!((out.reason, out.cy0), (StopReason::JumpLimit, 100_000));
    let limits = Limits {
        jumps: 3,
        ..Limits::default()
    };
    let (out, _) = run_lib(&lib(&[jmp(0)], &[]), &limits, |_| {});
    assert_eq!((out.reason, out.cy0), (StopReason::JumpLimit, 3));
    // A limit of zero forbids every jump but not straight-line code.
    let limits = Limits {
        jumps: 0,
        ..Limits::default()
    };
    let (out, _) = run_lib(&lib(&[nop(), jmp(0)], &[]), &limits, |_| {});
    assert_eq!(
        (out.reason, out.cy0, out.site.pos),
        (StopReason::JumpLimit, 0, 1)
    );
    let (out, _) = run_lib(&lib(&[nop(), stop()], &[]), &limits, |_| {});
    assert_eq!(out.reason, StopReason::Stopped);
}

#[test]
fn jumps_and_calls_share_the_jump_limit() {
    // 0: routine 0 would recurse; limit 5 jumps and a deep stack.
    let limits = Limits {
        jumps: 5,
        ..Limits::default()
    };
    let (out, _) = run_lib(
        &lib(&[ins("routine", None, &[Operand::Pos(0)])], &[]),
        &limits,
        |_| {},
    );
    assert_eq!((out.reason, out.cy0), (StopReason::JumpLimit, 5));
}

#[test]
fn the_complexity_limit_stops_exactly_before_the_instruction_that_exceeds_it() {
    // nop (1), nop (1), add.uc a64 (1), mul.uc a64 (2), stop (1): 6 in all.
    let code = [
        nop(),
        nop(),
        ins("add", Some("uc"), &[a(64, 0), a(64, 0), a(64, 0)]),
        ins("mul", Some("uc"), &[a(64, 0), a(64, 0), a(64, 0)]),
        stop(),
    ];
    assert_eq!(offsets(&code), [0, 1, 2, 6, 10]);
    let main = lib(&code, &[]);
    for limit in 0..=6u64 {
        let limits = Limits {
            complexity: limit,
            ..Limits::default()
        };
        let (out, _) = run_lib(&main, &limits, |r| set_a(r, 64, 0, 1));
        let expected_ca0 = [0, 1, 2, 3, 3, 5, 6][limit as usize];
        assert_eq!(out.ca0, expected_ca0, "limit {limit}");
        assert!(out.ca0 <= limit);
        if limit == 6 {
            assert_eq!((out.reason, out.st0), (StopReason::Stopped, true));
        } else {
            assert_eq!(
                (out.reason, out.st0),
                (StopReason::ComplexityLimit, false),
                "limit {limit}"
            );
            let stopped_at = [0, 1, 2, 6, 6, 10][limit as usize];
            assert_eq!(out.site.pos, stopped_at, "limit {limit}");
        }
    }
}

#[test]
fn the_complexity_limit_counts_across_blocks_and_loops() {
    // 0: dec.uw a64[0], 1 (1); 4: ifz a64[0] (1); 6: jif 12 (2); 9: jmp 0 (2); 12: stop (1)
    let code = [
        ins("dec", Some("uw"), &[a(64, 0), Operand::Imm(1)]),
        ins("ifz", None, &[a(64, 0)]),
        ins("jif", None, &[Operand::Pos(12)]),
        jmp(0),
        stop(),
    ];
    assert_eq!(offsets(&code), [0, 4, 6, 9, 12]);
    let main = lib(&code, &[]);
    // Ten iterations: 9 full loops (6 each) + last (1 + 1 + 2) + stop (1).
    let full = 9 * 6 + 4 + 1;
    let (out, _) = run_lib(&main, &Limits::default(), |r| set_a(r, 64, 0, 10));
    assert_eq!(
        (out.reason, out.ca0, out.cy0),
        (StopReason::Stopped, full, 10)
    );
    for limit in [0, 1, 5, 6, 7, 30, full - 1] {
        let limits = Limits {
            complexity: limit,
            ..Limits::default()
        };
        let (out, _) = run_lib(&main, &limits, |r| set_a(r, 64, 0, 10));
        assert_eq!(out.reason, StopReason::ComplexityLimit, "limit {limit}");
        assert!(!out.st0);
        // Every instruction costs 1 or 2, so the run stops at most 1 short of the limit.
        assert!(
            out.ca0 <= limit && out.ca0 + 1 >= limit,
            "limit {limit}: ca0 {}",
            out.ca0
        );
    }
    let limits = Limits {
        complexity: full,
        ..Limits::default()
    };
    let (out, _) = run_lib(&main, &limits, |r| set_a(r, 64, 0, 10));
    assert_eq!((out.reason, out.ca0), (StopReason::Stopped, full));
}

#[test]
fn wide_instructions_cost_by_limbs() {
    // add a1024 costs 16 limbs; mul a1024 costs 2 * 16 * 16.
    let code = [
        ins("add", Some("uw"), &[a(1024, 0), a(1024, 0), a(1024, 0)]),
        ins("mul", Some("uw"), &[a(1024, 0), a(1024, 0), a(1024, 0)]),
        stop(),
    ];
    let (out, _) = run(&code, &[], |_| {});
    assert_eq!(out.ca0, 16 + 512 + 1);
    let limits = Limits {
        complexity: 16 + 511,
        ..Limits::default()
    };
    let (out, _) = run_lib(&lib(&code, &[]), &limits, |_| {});
    assert_eq!(
        (out.reason, out.ca0, out.site.pos),
        (StopReason::ComplexityLimit, 16, 4)
    );
}

#[test]
fn byte_string_work_is_charged_per_64_bytes() {
    let code = [ins("dup", None, &[s(1), s(0)]), stop()];
    let (out, _) = run(&code, &[], |r| set_s(r, 0, &[0; 640]));
    // dup (1) + 640 / 64 + stop (1)
    assert_eq!(out.ca0, 1 + 10 + 1);
    let limits = Limits {
        complexity: 5,
        ..Limits::default()
    };
    let (out, _) = run_lib(&lib(&code, &[]), &limits, |r| set_s(r, 0, &[0; 640]));
    assert_eq!(out.reason, StopReason::ComplexityLimit);
    assert!(out.ca0 <= 5);
    assert_eq!(out.site.pos, 0);
}

#[test]

fn an_instruction_stopped_by_its_byte_cost_has_no_effect() {
    let code = [ins("dup", None, &[s(1), s(0)]), stop()];
    let limits = Limits {
        complexity: 5,
        ..Limits::default()
    };
    let (out, regs) = run_lib(&lib(&code, &[]), &limits, |r| set_s(r, 0, &[0; 640]));
    assert_eq!((out.reason, out.site.pos), (StopReason::ComplexityLimit, 0));
    assert_eq!(out.ca0, 0, "nothing ran, so nothing is charged");
    assert_eq!(
        get_s(&regs, 1),
        None,
        "dup ran although the run stopped before it"
    );
}

/// Whatever depth the host asks for, the stack stops at MAX_CALL_DEPTH frames (once a
/// recursion with every limit at its maximum grew the stack to 16 GB).
#[test]
fn call_stack_depth_has_a_ceiling_whatever_the_limit() {
    let limits = Limits {
        complexity: u64::MAX,
        jumps: u64::MAX,
        call_depth: usize::MAX,
    };
    let (out, _) = run_lib(
        &lib(&[ins("routine", None, &[Operand::Pos(0)])], &[]),
        &limits,
        |_| {},
    );
    assert_eq!((out.reason, out.st0), (StopReason::CallStackLimit, false));
    assert_eq!(out.cy0, avm_alu::vm::MAX_CALL_DEPTH as u64);
    // Each frame was paid for: every routine charged its cost and its frame, the refused
    // one too.
    assert_eq!(
        out.ca0,
        (3 + isa::FRAME) * (avm_alu::vm::MAX_CALL_DEPTH as u64 + 1)
    );
}

/// A routine or call costs its dispatch plus FRAME for the frame it pushes, so a recursion
/// pays in proportion to the stack it holds; a jump, which pushes nothing, does not.
#[test]
fn every_frame_pushed_is_charged() {
    assert_eq!(isa::FRAME, 1);
    assert_eq!(ins("routine", None, &[Operand::Pos(0)]).complexity(), 3 + 1);
    let call = ins("call", None, &[Operand::Site { pos: 0, lib: 0 }]);
    assert_eq!(call.complexity(), 4 + 1);
    let exec = ins("exec", None, &[Operand::Site { pos: 0, lib: 0 }]);
    assert_eq!(exec.complexity(), 3, "exec pushes no frame");
    // 100 nested routines, then stop: 100 frames held at the end.
    let limits = Limits {
        call_depth: 100,
        ..Limits::default()
    };
    let mut code: Vec<Instr> = (0..100u16)
        .map(|k| ins("routine", None, &[Operand::Pos(3 * (k + 1))]))
        .collect();
    code.push(stop());
    let (out, _) = run_lib(&lib(&code, &[]), &limits, |_| {});
    assert_eq!((out.reason, out.cy0), (StopReason::Stopped, 100));
    assert_eq!(out.ca0, 100 * (3 + isa::FRAME) + 1);
}

/// The frame's charge is part of the routine's: a limit one unit short of it stops the
/// run on the routine itself, before it pushes anything.
#[test]
fn out_of_gas_lands_on_the_routine_that_would_push_the_frame() {
    let recursion = lib(&[ins("routine", None, &[Operand::Pos(0)])], &[]);
    for depth in [0u64, 1, 7] {
        for short in 1..=(3 + isa::FRAME) {
            let limits = Limits {
                complexity: (depth + 1) * (3 + isa::FRAME) - short,
                ..Limits::default()
            };
            let (out, _) = run_lib(&recursion, &limits, |_| {});
            assert_eq!(
                (out.reason, out.site.pos, out.cy0, out.ca0),
                (
                    StopReason::ComplexityLimit,
                    0,
                    depth,
                    depth * (3 + isa::FRAME)
                ),
                "depth {depth}, {short} short"
            );
        }
    }
}

#[test]
fn call_stack_overflow_fails_cleanly() {
    let (out, _) = run(&[ins("routine", None, &[Operand::Pos(0)])], &[], |_| {});
    assert_eq!((out.reason, out.st0), (StopReason::CallStackLimit, false));
    assert_eq!(out.cy0, avm_alu::vm::DEFAULT_CALL_DEPTH as u64);
    let limits = Limits {
        call_depth: 3,
        ..Limits::default()
    };
    let (out, _) = run_lib(
        &lib(&[ins("routine", None, &[Operand::Pos(0)])], &[]),
        &limits,
        |_| {},
    );
    assert_eq!((out.reason, out.cy0), (StopReason::CallStackLimit, 3));
    // Depth 3 is enough for three nested routines that return.
    let code = [
        ins("routine", None, &[Operand::Pos(4)]),  // 0
        stop(),                                    // 3
        ins("routine", None, &[Operand::Pos(8)]),  // 4
        ins("ret", None, &[]),                     // 7
        ins("routine", None, &[Operand::Pos(12)]), // 8
        ins("ret", None, &[]),                     // 11
        ins("ret", None, &[]),                     // 12
    ];
    let (out, _) = run_lib(&lib(&code, &[]), &limits, |_| {});
    assert_eq!((out.reason, out.site.pos), (StopReason::Stopped, 3));
    let limits = Limits {
        call_depth: 2,
        ..Limits::default()
    };
    let (out, _) = run_lib(&lib(&code, &[]), &limits, |_| {});
    assert_eq!((out.reason, out.site.pos), (StopReason::CallStackLimit, 8));
}

#[test]
fn reserved_opcodes_behave_as_fail() {
    let defined: Vec<u8> = OPCODES.iter().map(|i| i.opcode).collect();
    for op in 0..=255u8 {
        if defined.contains(&op) {
            continue;
        }
        let (out, _) = run_lib(&raw(vec![op, 0x08]), &Limits::default(), |_| {});
        assert_eq!(
            (out.reason, out.st0, out.site.pos),
            (StopReason::Failed, false, 0),
            "{op:#x}"
        );
    }
    for (lo, hi, _) in ALLOCATED {
        for op in *lo..=*hi {
            assert!(!defined.contains(&op));
        }
    }
}

#[test]
fn non_canonical_operands_are_reserved_and_fail() {
    // clr f with format code 7 is not an instruction.
    let (out, _) = run_lib(&raw(vec![0x11, 0x07, 0x08]), &Limits::default(), |_| {});
    assert_eq!((out.reason, out.site.pos), (StopReason::Failed, 0));
    // A non-zero padding bit in `jmp`'s neighbour `add`: 20 bits used of 24.
    let (out, _) = run_lib(
        &raw(vec![0x40, 0, 0, 0x10, 0x08]),
        &Limits::default(),
        |_| {},
    );
    assert_eq!((out.reason, out.site.pos), (StopReason::Failed, 0));
}

#[test]
fn running_off_the_end_of_code_fails() {
    let (out, _) = run(&[nop()], &[], |_| {});
    assert_eq!(
        (out.reason, out.st0, out.site.pos),
        (StopReason::Failed, false, 1)
    );
    let (out, _) = run(&[jmp(60_000)], &[], |_| {});
    assert_eq!(
        (out.reason, out.st0, out.site.pos),
        (StopReason::Failed, false, 60_000)
    );
    let (out, _) = run(&[jmp(u16::MAX)], &[], |_| {});
    assert_eq!((out.reason, out.site.pos), (StopReason::Failed, u16::MAX));
    // Empty code is a single `fail`.
    let (out, _) = run_lib(&raw(vec![]), &Limits::default(), |_| {});
    assert_eq!((out.reason, out.st0), (StopReason::Failed, false));
    // An instruction cut by the end of code reads zeros: `jmp` with one byte
    // of target (0x04) then a zero is `jmp 4`, and 4 is past the end.
    let (out, _) = run_lib(&raw(vec![0x02, 0x04]), &Limits::default(), |_| {});
    assert_eq!(
        (out.reason, out.cy0, out.site.pos),
        (StopReason::Failed, 1, 4)
    );
}

#[test]

fn falling_off_a_full_code_segment_reports_a_sane_site() {
    // 65534 nops then `add` at 65534, whose operands are cut: the next pc is 65538.
    let mut code = vec![0x09; 65534];
    code.push(0x40);
    let (out, _) = run_lib(&raw(code), &Limits::default(), |_| {});
    assert_eq!(out.reason, StopReason::Failed);
    assert!(out.site.pos >= 65534, "site.pos {}", out.site.pos);
}

#[test]
fn jumping_into_the_middle_of_an_instruction_decodes_from_there() {
    // 0: jmp 4; 3: add.uc a32[0], a32[0], a32[0] = 40 08 00 00, whose byte 4 is `stop`; 7: fail
    let code = vec![0x02, 0x04, 0x00, 0x40, 0x08, 0x00, 0x00, 0x00];
    let (instr, len) = isa::decode(&code[3..], isa::no_ext);
    assert_eq!((instr.mnemonic(), len), ("add", 4));
    let main = raw(code.clone());
    let (out, _) = run_lib(&main, &Limits::default(), |_| {});
    assert_eq!(
        (out.reason, out.st0, out.site.pos),
        (StopReason::Stopped, true, 4)
    );
    // Straight-line from 3, the add runs and the fail at 7 ends the run.
    let p = program(&main, &[], &Host::new()).with_entry(3);
    let out = p.run(&mut Registers::new(), &Limits::default());
    assert_eq!((out.reason, out.site.pos), (StopReason::Failed, 7));
}

#[test]
fn a_missing_library_is_named() {
    let dep = dep_lib();
    let main = importing(&dep, &[stop()]);
    let err = Program::new(
        [main.clone()],
        Site {
            lib: main.id(),
            pos: 0,
        },
        &Host::new(),
    )
    .err()
    .unwrap();
    assert_eq!(
        err,
        ProgramError::MissingLibrary {
            lib: dep.id(),
            needed_by: Some(main.id())
        }
    );
    let msg = err.to_string();
    assert!(
        msg.contains(&dep.id().to_string()) && msg.contains(&main.id().to_string()),
        "{msg}"
    );
}

/// A test extension: opcode 0xC0 doubles a64[0] (checked), 0xC1 takes one
/// operand byte and stores it in a8[operand].
struct TestX;

impl IsaExtension for TestX {
    fn id(&self) -> &'static str {
        "TESTX"
    }
    fn defines(&self, opcode: u8) -> bool {
        matches!(opcode, 0xC0 | 0xC1)
    }
    fn operand_len(&self, opcode: u8) -> usize {
        usize::from(opcode == 0xC1)
    }
    fn mnemonic(&self, opcode: u8) -> &'static str {
        if opcode == 0xC0 {
            "dbl"
        } else {
            "mark"
        }
    }
    fn complexity(&self, instr: &ExtInstr) -> u64 {
        if instr.opcode == 0xC0 {
            5
        } else {
            1
        }
    }
    fn execute(&self, instr: &ExtInstr, regs: &mut Registers) {
        if instr.opcode == 0xC0 {
            let r = ra(64, 0);
            // Undefined in, undefined out; overflow: undefined and st0 cleared.
            if let Some(v) = regs.a_u64(r) {
                match v.checked_mul(2) {
                    Some(d) => regs.set_a_u64(r, d),
                    None => {
                        regs.set(avm_alu::Reg::A(r), None);
                        regs.st0 = false;
                    }
                }
            }
        } else {
            let idx = instr.operands()[0] & 31;
            regs.set_a_u64(ra(8, idx), 0xAA);
        }
    }
}

fn testx_lib(code: Vec<u8>) -> Library {
    Library::new(vec!["TESTX".into()], vec![], code, vec![]).unwrap()
}

#[test]
fn an_isa_extension_runs_its_instructions() {
    let host = Host::new().with_extension(Arc::new(TestX));
    let main = testx_lib(vec![0xC0, 0xC0, 0xC1, 0x03, 0x08]);
    let p = program(&main, &[], &host);
    let mut regs = Registers::new();
    set_a(&mut regs, 64, 0, 21);
    let out = p.run(&mut regs, &Limits::default());
    assert_eq!((out.reason, out.st0), (StopReason::Stopped, true));
    assert_eq!(get_a(&regs, 64, 0), Some(84));
    assert_eq!(get_a(&regs, 8, 3), Some(0xAA));
    assert_eq!(out.ca0, 5 + 5 + 1 + 1);
    // The extension's failure semantics are its own: overflow clears st0.
    let mut regs = Registers::new();
    set_a(&mut regs, 64, 0, u64::MAX);
    let out = p.run(&mut regs, &Limits::default());
    assert_eq!((out.reason, out.st0), (StopReason::Stopped, false));
    assert_eq!(get_a(&regs, 64, 0), None);
    // Disassembly with the extension sees its instructions.
    let ext = |op: u8| TestX.defines(op).then_some(&TestX as &dyn IsaExtension);
    let instrs: Vec<Instr> = isa::disassemble(&main.code, ext)
        .into_iter()
        .map(|(_, i)| i)
        .collect();
    assert_eq!(instrs[2], Instr::Ext(ExtInstr::new(0xC1, &[0x03])));
    assert_eq!(isa::assemble(&instrs), main.code);
}

#[test]
fn undefined_extension_opcodes_fail() {
    let host = Host::new().with_extension(Arc::new(TestX));
    // 0xC2 is in the host range but TESTX does not define it.
    let p = program(&testx_lib(vec![0xC2, 0x08]), &[], &host);
    let out = p.run(&mut Registers::new(), &Limits::default());
    assert_eq!((out.reason, out.site.pos), (StopReason::Failed, 0));
    // A library that does not commit to TESTX cannot use its opcodes.
    let p = program(&raw(vec![0xC0, 0x08]), &[], &host);
    let out = p.run(&mut Registers::new(), &Limits::default());
    assert_eq!((out.reason, out.site.pos), (StopReason::Failed, 0));
}

#[test]
fn a_library_using_an_extension_the_host_lacks_does_not_start() {
    let main = testx_lib(vec![0xC0, 0x08]);
    let err = Program::new(
        [main.clone()],
        Site {
            lib: main.id(),
            pos: 0,
        },
        &Host::new(),
    )
    .err()
    .unwrap();
    assert_eq!(
        err,
        ProgramError::UnsupportedIsa {
            lib: main.id(),
            isa: "TESTX".into()
        }
    );
    let msg = err.to_string();
    assert!(
        msg.contains(&main.id().to_string()) && msg.contains("TESTX"),
        "{msg}"
    );
    // Also when the library is an import.
    let outer = Library::new(vec![], vec![main.id()], vec![0x08], vec![]).unwrap();
    let err = Program::new(
        [outer.clone(), main.clone()],
        Site {
            lib: outer.id(),
            pos: 0,
        },
        &Host::new(),
    )
    .err()
    .unwrap();
    assert_eq!(
        err,
        ProgramError::UnsupportedIsa {
            lib: main.id(),
            isa: "TESTX".into()
        }
    );
}

#[test]
fn two_extensions_defining_one_opcode_conflict() {
    struct Other;
    impl IsaExtension for Other {
        fn id(&self) -> &'static str {
            "OTHER"
        }
        fn defines(&self, opcode: u8) -> bool {
            opcode == 0xC1
        }
        fn operand_len(&self, _: u8) -> usize {
            0
        }
        fn mnemonic(&self, _: u8) -> &'static str {
            "other"
        }
        fn complexity(&self, _: &ExtInstr) -> u64 {
            1
        }
        fn execute(&self, _: &ExtInstr, _: &mut Registers) {}
    }
    let host = Host::new()
        .with_extension(Arc::new(TestX))
        .with_extension(Arc::new(Other));
    let main = Library::new(
        vec!["OTHER".into(), "TESTX".into()],
        vec![],
        vec![0x08],
        vec![],
    )
    .unwrap();
    let err = Program::new(
        [main.clone()],
        Site {
            lib: main.id(),
            pos: 0,
        },
        &host,
    )
    .err()
    .unwrap();
    assert!(
        matches!(
            err,
            ProgramError::ConflictingExtensions { opcode: 0xC1, .. }
        ),
        "{err:?}"
    );
}

/// An extension whose one instruction (0xC0) asks the host to double
/// a64[0] through the `Env`, for 1 plus what the host used.
struct TestEnv;

impl IsaExtension for TestEnv {
    fn id(&self) -> &'static str {
        "TESTENV"
    }
    fn defines(&self, opcode: u8) -> bool {
        opcode == 0xC0
    }
    fn operand_len(&self, _opcode: u8) -> usize {
        0
    }
    fn mnemonic(&self, _opcode: u8) -> &'static str {
        "ask"
    }
    fn complexity(&self, _instr: &ExtInstr) -> u64 {
        1
    }
    fn execute(&self, _instr: &ExtInstr, regs: &mut Registers) {
        regs.st0 = false;
    }
    fn uses_env(&self, opcode: u8) -> bool {
        self.defines(opcode)
    }
    fn execute_in(
        &self,
        _instr: &ExtInstr,
        regs: &mut Registers,
        env: &mut dyn avm_vm::Env,
        gas_left: u64,
    ) -> u64 {
        let q = avm_vm::DataValue::nat(regs.a_u64(ra(64, 0)).unwrap_or(0));
        match env.host_call(&q, gas_left) {
            Ok(e) => {
                match e.result.and_then(|v| v.as_u64()) {
                    Some(v) => regs.set_a_u64(ra(64, 0), v),
                    None => regs.st0 = false,
                }
                e.gas_used
            }
            Err(_) => {
                regs.st0 = false;
                0
            }
        }
    }
}

/// Doubles naturals for 10 gas; refuses nested evaluations.
struct Doubling;

impl avm_vm::Env for Doubling {
    fn multievaluate(
        &mut self,
        _f: &avm_vm::DataValue,
        _args: &[avm_vm::DataValue],
        _gas: u64,
    ) -> Result<avm_vm::Evaluation<avm_vm::DataValue>, avm_vm::RegistryError> {
        Err(avm_vm::RegistryError::Isolated)
    }
    fn host_call(
        &mut self,
        request: &avm_vm::DataValue,
        gas_limit: u64,
    ) -> Result<avm_vm::Evaluation<avm_vm::DataValue>, avm_vm::RegistryError> {
        Ok(match request.as_u64() {
            Some(n) if gas_limit >= 10 => {
                avm_vm::Evaluation::done(avm_vm::DataValue::nat(2 * n), 10)
            }
            _ => avm_vm::Evaluation::failed(gas_limit),
        })
    }
}

#[test]
fn an_extension_instruction_reaches_the_host_through_the_env() {
    let host = Host::new().with_extension(Arc::new(TestEnv));
    let main = Library::new(
        vec!["TESTENV".into()],
        vec![],
        vec![0xC0, 0xC0, 0x08],
        vec![],
    )
    .unwrap();
    let p = program(&main, &[], &host);
    let mut regs = Registers::new();
    set_a(&mut regs, 64, 0, 5);
    let out = p.run_in(&mut regs, &Limits::default(), &mut Doubling);
    assert_eq!((out.reason, out.st0), (StopReason::Stopped, true));
    assert_eq!(get_a(&regs, 64, 0), Some(20));
    // 1 + 10 per ask, 1 for stop: the host's gas counts as the program's.
    assert_eq!(out.ca0, 23);
    // The host's gas comes out of the limit: after the first ask (11) only
    // 1 is left, so the second ask's host call fails and uses all of it,
    // and the run stops at the limit.
    let limits = Limits {
        complexity: 13,
        ..Limits::default()
    };
    let mut regs = Registers::new();
    set_a(&mut regs, 64, 0, 5);
    let out = p.run_in(&mut regs, &limits, &mut Doubling);
    assert_eq!((out.reason, out.ca0), (StopReason::ComplexityLimit, 13));
    // Without an environment (plain `run`), the instruction fails.
    let mut regs = Registers::new();
    let out = p.run(&mut regs, &Limits::default());
    assert_eq!((out.reason, out.st0), (StopReason::Stopped, false));
}
