//! Integer arithmetic: add, sub, mul, div, rem, neg, abs, inc, dec.

mod common;

use avm_alu::isa::Operand;
use avm_alu::Registers;
use common::*;

/// Result of a binary operation on a<bits>: a[2] := a[0] op a[1].
struct Res {
    regs: Registers,
    bits: u16,
}

impl Res {
    fn u(&self) -> Option<u64> {
        get_a(&self.regs, self.bits, 2)
    }
    fn i(&self) -> Option<i64> {
        get_i(&self.regs, self.bits, 2)
    }
    fn st0(&self) -> bool {
        self.regs.st0
    }
    /// Undefined and st0 cleared: the operation was impossible.
    fn failed(&self) -> bool {
        self.u().is_none() && !self.st0()
    }
}

fn bin(m: &str, flag: &str, bits: u16, x: Option<i64>, y: Option<i64>) -> Res {
    let regs = one(
        ins(m, Some(flag), &[a(bits, 2), a(bits, 0), a(bits, 1)]),
        |r| {
            set_a(r, bits, 2, 99);
            if let Some(x) = x {
                set_i(r, bits, 0, x);
            }
            if let Some(y) = y {
                set_i(r, bits, 1, y);
            }
        },
    );
    Res { regs, bits }
}

fn un(m: &str, flag: &str, bits: u16, x: Option<i64>) -> Res {
    let regs = one(ins(m, Some(flag), &[a(bits, 2), a(bits, 0)]), |r| {
        if let Some(x) = x {
            set_i(r, bits, 0, x);
        }
    });
    Res { regs, bits }
}

fn step(m: &str, flag: &str, bits: u16, x: i64, n: u16) -> Res {
    let regs = one(ins(m, Some(flag), &[a(bits, 2), Operand::Imm(n)]), |r| {
        set_i(r, bits, 2, x)
    });
    Res { regs, bits }
}

/// Unsigned maximum of a width up to 64 bits, as the i64 with those bits.
fn umax(bits: u16) -> i64 {
    if bits >= 64 {
        -1
    } else {
        (1i64 << bits) - 1
    }
}

fn smin(bits: u16) -> i64 {
    if bits >= 64 {
        i64::MIN
    } else {
        -(1i64 << (bits - 1))
    }
}

fn smax(bits: u16) -> i64 {
    if bits >= 64 {
        i64::MAX
    } else {
        (1i64 << (bits - 1)) - 1
    }
}

const NARROW: [u16; 4] = [8, 16, 32, 64];

#[test]
fn add_checked_and_wrapped() {
    for bits in NARROW {
        let max = umax(bits);
        assert_eq!(bin("add", "uc", bits, Some(40), Some(2)).u(), Some(42));
        assert!(
            bin("add", "uc", bits, Some(max), Some(1)).failed(),
            "a{bits}"
        );
        // Wrapped is modulo 2^width, never undefined.
        let r = bin("add", "uw", bits, Some(max), Some(1));
        assert_eq!((r.u(), r.st0()), (Some(0), true), "a{bits}");
        let r = bin("add", "uw", bits, Some(max), Some(max));
        assert_eq!((r.i(), r.st0()), (Some(-2), true));
        assert!(bin("add", "sc", bits, Some(smax(bits)), Some(1)).failed());
        assert!(bin("add", "sc", bits, Some(smin(bits)), Some(-1)).failed());
        assert_eq!(bin("add", "sc", bits, Some(-5), Some(3)).i(), Some(-2));
        let r = bin("add", "sw", bits, Some(smax(bits)), Some(1));
        assert_eq!((r.i(), r.st0()), (Some(smin(bits)), true));
        // Signed checked accepts what unsigned checked rejects, and back.
        assert_eq!(bin("add", "sc", bits, Some(-1), Some(1)).i(), Some(0));
        assert!(bin("add", "uc", bits, Some(-1), Some(1)).failed());
        assert_eq!(
            bin("add", "uc", bits, Some(smax(bits)), Some(1)).i(),
            Some(smin(bits))
        );
    }
}

#[test]
fn sub_checked_and_wrapped() {
    for bits in NARROW {
        assert!(bin("sub", "uc", bits, Some(0), Some(1)).failed());
        let r = bin("sub", "uw", bits, Some(0), Some(1));
        assert_eq!((r.i(), r.st0()), (Some(-1), true));
        assert_eq!(bin("sub", "sc", bits, Some(0), Some(1)).i(), Some(-1));
        assert!(bin("sub", "sc", bits, Some(smin(bits)), Some(1)).failed());
        assert!(bin("sub", "sc", bits, Some(0), Some(smin(bits))).failed());
        assert_eq!(
            bin("sub", "sw", bits, Some(smin(bits)), Some(1)).i(),
            Some(smax(bits))
        );
        assert_eq!(bin("sub", "uc", bits, Some(7), Some(7)).u(), Some(0));
    }
}

#[test]
fn mul_checked_and_wrapped() {
    for bits in NARROW {
        let half = 1i64 << (bits / 2);
        assert!(bin("mul", "uc", bits, Some(half - 1), Some(half - 1))
            .u()
            .is_some());
        assert!(
            bin("mul", "uc", bits, Some(half), Some(half)).failed(),
            "a{bits}"
        );
        let r = bin("mul", "uw", bits, Some(half), Some(half));
        assert_eq!((r.u(), r.st0()), (Some(0), true));
        assert!(bin("mul", "sc", bits, Some(smin(bits)), Some(-1)).failed());
        assert_eq!(
            bin("mul", "sw", bits, Some(smin(bits)), Some(-1)).i(),
            Some(smin(bits))
        );
        assert_eq!(bin("mul", "sc", bits, Some(-3), Some(5)).i(), Some(-15));
        assert_eq!(bin("mul", "sc", bits, Some(-3), Some(-5)).i(), Some(15));
        assert!(bin("mul", "uc", bits, Some(-3), Some(5)).failed());
        assert_eq!(bin("mul", "uw", bits, Some(-3), Some(5)).i(), Some(-15));
        assert_eq!(bin("mul", "uc", bits, Some(0), Some(-1)).u(), Some(0));
    }
}

#[test]
fn div_rounds_toward_zero_and_zero_divisors_fail() {
    for bits in A_BITS {
        for flag in ["uc", "uw", "sc", "sw"] {
            assert!(
                bin("div", flag, bits, Some(7), Some(0)).failed(),
                "div.{flag} a{bits}"
            );
            assert_eq!(bin("div", flag, bits, Some(7), Some(2)).u(), Some(3));
        }
        assert_eq!(bin("div", "sc", bits, Some(-7), Some(2)).i(), Some(-3));
        assert_eq!(bin("div", "sc", bits, Some(7), Some(-2)).i(), Some(-3));
        assert_eq!(bin("div", "sw", bits, Some(-7), Some(-2)).i(), Some(3));
    }
    for bits in NARROW {
        // Signed MIN / -1 overflows: checked fails, wrapped gives MIN.
        assert!(bin("div", "sc", bits, Some(smin(bits)), Some(-1)).failed());
        let r = bin("div", "sw", bits, Some(smin(bits)), Some(-1));
        assert_eq!((r.i(), r.st0()), (Some(smin(bits)), true));
        // Unsigned, MIN is just a large number.
        assert_eq!(
            bin("div", "uc", bits, Some(smin(bits)), Some(-1)).u(),
            Some(0)
        );
        assert_eq!(bin("div", "uw", bits, Some(-1), Some(-1)).u(), Some(1));
    }
}

#[test]
fn rem_has_the_sign_of_the_dividend() {
    for bits in A_BITS {
        assert_eq!(bin("rem", "s", bits, Some(-7), Some(2)).i(), Some(-1));
        assert_eq!(bin("rem", "s", bits, Some(7), Some(-2)).i(), Some(1));
        assert_eq!(bin("rem", "s", bits, Some(-7), Some(-2)).i(), Some(-1));
        assert_eq!(bin("rem", "u", bits, Some(7), Some(2)).u(), Some(1));
        assert!(bin("rem", "u", bits, Some(7), Some(0)).failed());
        assert!(bin("rem", "s", bits, Some(-7), Some(0)).failed());
    }
    for bits in NARROW {
        let r = bin("rem", "s", bits, Some(smin(bits)), Some(-1));
        assert_eq!((r.i(), r.st0()), (Some(0), true), "a{bits}");
        // Unsigned: -1 is the maximum; max rem 2 is 1.
        assert_eq!(bin("rem", "u", bits, Some(-1), Some(2)).u(), Some(1));
        assert_eq!(bin("rem", "u", bits, Some(5), Some(-1)).u(), Some(5));
    }
}

#[test]
fn neg_and_abs() {
    for bits in A_BITS {
        assert_eq!(un("neg", "c", bits, Some(5)).i(), Some(-5));
        assert_eq!(un("neg", "c", bits, Some(-5)).i(), Some(5));
        assert_eq!(un("neg", "c", bits, Some(0)).i(), Some(0));
        assert_eq!(un("abs", "c", bits, Some(-5)).i(), Some(5));
        assert_eq!(un("abs", "w", bits, Some(5)).i(), Some(5));
        assert_eq!(un("abs", "c", bits, Some(0)).i(), Some(0));
    }
    for bits in NARROW {
        assert!(un("neg", "c", bits, Some(smin(bits))).failed());
        assert!(un("abs", "c", bits, Some(smin(bits))).failed());
        let r = un("neg", "w", bits, Some(smin(bits)));
        assert_eq!((r.i(), r.st0()), (Some(smin(bits)), true));
        let r = un("abs", "w", bits, Some(smin(bits)));
        assert_eq!((r.i(), r.st0()), (Some(smin(bits)), true));
        assert_eq!(
            un("neg", "c", bits, Some(smax(bits))).i(),
            Some(-smax(bits))
        );
    }
    // a1024 MIN.
    let mut min = vec![0u8; 128];
    min[127] = 0x80;
    for m in ["neg", "abs"] {
        let regs = one(ins(m, Some("c"), &[a(1024, 2), a(1024, 0)]), |r| {
            set_a_bytes(r, 1024, 0, &min)
        });
        assert_eq!(
            (get_a_bytes(&regs, 1024, 2), regs.st0),
            (None, false),
            "{m}"
        );
        let regs = one(ins(m, Some("w"), &[a(1024, 2), a(1024, 0)]), |r| {
            set_a_bytes(r, 1024, 0, &min)
        });
        assert_eq!(
            (get_a_bytes(&regs, 1024, 2), regs.st0),
            (Some(min.clone()), true),
            "{m}"
        );
    }
}

#[test]
fn inc_and_dec_by_steps_of_1_to_256() {
    for bits in A_BITS {
        assert_eq!(step("inc", "uc", bits, 1, 1).u(), Some(2));
        assert_eq!(
            step("inc", "uc", bits, 0, 256).u().filter(|_| bits > 8),
            if bits > 8 { Some(256) } else { None }
        );
        assert_eq!(
            step("dec", "sc", bits, 0, 256).i().filter(|_| bits > 8),
            if bits > 8 { Some(-256) } else { None }
        );
        assert!(step("dec", "uc", bits, 0, 1).failed());
        assert_eq!(step("dec", "uw", bits, 0, 1).i(), Some(-1));
        assert_eq!(step("dec", "sc", bits, 0, 1).i(), Some(-1));
    }
    for bits in NARROW {
        assert!(step("inc", "uc", bits, umax(bits), 1).failed());
        let r = step("inc", "uw", bits, umax(bits), 1);
        assert_eq!((r.u(), r.st0()), (Some(0), true));
        assert!(step("inc", "sc", bits, smax(bits), 1).failed());
        assert_eq!(step("inc", "sw", bits, smax(bits), 1).i(), Some(smin(bits)));
        assert!(step("dec", "sc", bits, smin(bits), 1).failed());
        assert_eq!(step("dec", "sw", bits, smin(bits), 1).i(), Some(smax(bits)));
    }
    // a8 with a step of 128 or more: as if the step had unbounded width.
    assert!(step("inc", "uc", 8, 0, 256).failed());
    assert_eq!(step("inc", "uw", 8, 7, 256).u(), Some(7));
    assert_eq!(step("inc", "uc", 8, 127, 128).u(), Some(255));
    assert!(step("inc", "sc", 8, 0, 128).failed());
    assert_eq!(step("inc", "sc", 8, -1, 128).i(), Some(127));
    assert_eq!(step("dec", "sc", 8, 127, 255).i(), Some(-128));
    assert!(step("dec", "sc", 8, 126, 255).failed());
    assert_eq!(step("dec", "sw", 8, 0, 200).i(), Some(56));
}

#[test]
fn undefined_inputs_give_undefined_outputs_and_leave_st0() {
    for bits in [8, 64, 256] {
        for m in ["add", "sub", "mul", "div"] {
            for flag in ["uc", "uw", "sc", "sw"] {
                for (x, y) in [(None, Some(1)), (Some(1), None), (None, None)] {
                    let r = bin(m, flag, bits, x, y);
                    assert_eq!(
                        (r.u(), r.st0()),
                        (None, true),
                        "{m}.{flag} a{bits} {x:?} {y:?}"
                    );
                }
            }
        }
        // Even a zero divisor does not fail when the dividend is undefined.
        let r = bin("div", "uc", bits, None, Some(0));
        assert_eq!((r.u(), r.st0()), (None, true));
        let r = bin("rem", "s", bits, None, Some(0));
        assert_eq!((r.u(), r.st0()), (None, true));
        for m in ["neg", "abs"] {
            let r = un(m, "c", bits, None);
            assert_eq!((r.u(), r.st0()), (None, true));
        }
        let regs = one(
            ins("inc", Some("uc"), &[a(bits, 0), Operand::Imm(1)]),
            |_| {},
        );
        assert_eq!((get_a(&regs, bits, 0), regs.st0), (None, true));
    }
}

#[test]
fn a_failed_operation_does_not_set_st0_back() {
    // add.uc overflows, then a successful add keeps st0 false.
    let code = [
        ins("add", Some("uc"), &[a(8, 2), a(8, 0), a(8, 0)]),
        ins("add", Some("uc"), &[a(8, 3), a(8, 1), a(8, 1)]),
        stop(),
    ];
    let (out, regs) = run(&code, &[], |r| {
        set_a(r, 8, 0, 200);
        set_a(r, 8, 1, 1);
    });
    assert!(!out.st0);
    assert_eq!((get_a(&regs, 8, 2), get_a(&regs, 8, 3)), (None, Some(2)));
}

#[test]
fn destination_may_alias_sources() {
    let regs = one(
        ins("add", Some("uc"), &[a(64, 0), a(64, 0), a(64, 0)]),
        |r| set_a(r, 64, 0, 21),
    );
    assert_eq!(get_a(&regs, 64, 0), Some(42));
    let regs = one(
        ins("sub", Some("sc"), &[a(64, 1), a(64, 0), a(64, 1)]),
        |r| {
            set_a(r, 64, 0, 1);
            set_a(r, 64, 1, 3);
        },
    );
    assert_eq!(get_i(&regs, 64, 1), Some(-2));
}

#[test]
fn wide_arithmetic_carries_across_limbs() {
    for bits in [128u16, 256, 512, 1024] {
        let n = bits as usize / 8;
        let regs = one(
            ins("add", Some("uc"), &[a(bits, 2), a(bits, 0), a(bits, 1)]),
            |r| {
                set_a(r, bits, 0, u64::MAX);
                set_a(r, bits, 1, 1);
            },
        );
        let mut want = vec![0u8; n];
        want[8] = 1;
        assert_eq!(get_a_bytes(&regs, bits, 2), Some(want), "a{bits}");
        // MAX + 1 overflows when checked and wraps to 0.
        let max = vec![0xFF; n];
        for (flag, want) in [("uc", None), ("uw", Some(vec![0u8; n]))] {
            let regs = one(
                ins("add", Some(flag), &[a(bits, 2), a(bits, 0), a(bits, 1)]),
                |r| {
                    set_a_bytes(r, bits, 0, &max);
                    set_a(r, bits, 1, 1);
                },
            );
            assert_eq!(
                (get_a_bytes(&regs, bits, 2), regs.st0),
                (want.clone(), want.is_some())
            );
        }
        // 2^(bits/2) squared overflows.
        let mut half = vec![0u8; n];
        half[n / 2] = 1;
        let regs = one(
            ins("mul", Some("uc"), &[a(bits, 2), a(bits, 0), a(bits, 0)]),
            |r| set_a_bytes(r, bits, 0, &half),
        );
        assert_eq!((get_a_bytes(&regs, bits, 2), regs.st0), (None, false));
        // Signed MIN / -1.
        let mut min = vec![0u8; n];
        min[n - 1] = 0x80;
        let regs = one(
            ins("div", Some("sc"), &[a(bits, 2), a(bits, 0), a(bits, 1)]),
            |r| {
                set_a_bytes(r, bits, 0, &min);
                set_i(r, bits, 1, -1);
            },
        );
        assert_eq!((get_a_bytes(&regs, bits, 2), regs.st0), (None, false));
        let regs = one(
            ins("div", Some("sw"), &[a(bits, 2), a(bits, 0), a(bits, 1)]),
            |r| {
                set_a_bytes(r, bits, 0, &min);
                set_i(r, bits, 1, -1);
            },
        );
        assert_eq!(
            (get_a_bytes(&regs, bits, 2), regs.st0),
            (Some(min.clone()), true)
        );
    }
}
