//! Comparisons: they write st0 and change no other register.

mod common;

use avm_alu::isa::Instr;
use avm_alu::reg::{FFormat, RegF};
use avm_alu::{Reg, Registers};
use common::*;

/// st0 after running `instr`, starting from `st0_before`.
fn st0_after(instr: Instr, st0_before: bool, setup: impl FnOnce(&mut Registers)) -> bool {
    let regs = one(instr, |r| {
        r.st0 = st0_before;
        setup(r);
    });
    regs.st0
}

/// Compares a<bits>[0] with a<bits>[1] holding signed values.
fn cmp_a(m: &str, flag: &str, bits: u16, x: Option<i64>, y: Option<i64>) -> bool {
    let instr = ins(m, Some(flag), &[a(bits, 0), a(bits, 1)]);
    // st0 starts as the opposite of a plausible answer to catch "unchanged".
    let results: Vec<bool> = [false, true]
        .into_iter()
        .map(|before| {
            st0_after(instr, before, |r| {
                if let Some(x) = x {
                    set_i(r, bits, 0, x);
                }
                if let Some(y) = y {
                    set_i(r, bits, 1, y);
                }
            })
        })
        .collect();
    assert_eq!(
        results[0], results[1],
        "st0 must not depend on its old value"
    );
    results[0]
}

#[test]
fn gt_and_lt_unsigned_and_signed_at_every_width() {
    for bits in A_BITS {
        assert!(cmp_a("gt", "u", bits, Some(2), Some(1)));
        assert!(!cmp_a("gt", "u", bits, Some(1), Some(1)));
        assert!(!cmp_a("gt", "u", bits, Some(1), Some(2)));
        assert!(cmp_a("lt", "u", bits, Some(1), Some(2)));
        assert!(!cmp_a("lt", "u", bits, Some(2), Some(2)));
        // -1 is the largest unsigned and smaller than 0 signed.
        assert!(cmp_a("gt", "u", bits, Some(-1), Some(0)), "a{bits}");
        assert!(!cmp_a("gt", "s", bits, Some(-1), Some(0)), "a{bits}");
        assert!(cmp_a("lt", "s", bits, Some(-1), Some(0)), "a{bits}");
        assert!(cmp_a("lt", "s", bits, Some(-2), Some(-1)), "a{bits}");
        assert!(!cmp_a("lt", "s", bits, Some(-1), Some(-1)), "a{bits}");
    }
    // MIN and MAX of a8.
    assert!(cmp_a("lt", "s", 8, Some(-128), Some(127)));
    assert!(cmp_a("gt", "u", 8, Some(-128), Some(127)));
}

#[test]
fn comparisons_with_undefined_are_false() {
    for m in ["gt", "lt"] {
        for flag in ["u", "s"] {
            assert!(!cmp_a(m, flag, 64, None, Some(1)));
            assert!(!cmp_a(m, flag, 64, Some(1), None));
            assert!(!cmp_a(m, flag, 64, None, None));
        }
    }
}

#[test]
fn eq_and_the_undefined_policy() {
    for bits in A_BITS {
        assert!(cmp_a("eq", "e", bits, Some(5), Some(5)));
        assert!(!cmp_a("eq", "e", bits, Some(5), Some(6)));
        assert!(!cmp_a("eq", "e", bits, None, None));
        assert!(cmp_a("eq", "n", bits, None, None));
        assert!(!cmp_a("eq", "n", bits, Some(0), None));
        assert!(!cmp_a("eq", "e", bits, None, Some(0)));
        assert!(cmp_a("eq", "n", bits, Some(-1), Some(-1)));
    }
}

#[test]
fn wide_register_comparisons_are_unsigned() {
    for bits in R_BITS {
        let n = bits as usize / 8;
        let big = vec![0xFF; n];
        let small = le(bits, 1);
        let set = |x: Option<&[u8]>, y: Option<&[u8]>| {
            let (x, y) = (x.map(<[u8]>::to_vec), y.map(<[u8]>::to_vec));
            move |r: &mut Registers| {
                if let Some(x) = &x {
                    set_r(r, bits, 0, x);
                }
                if let Some(y) = &y {
                    set_r(r, bits, 1, y);
                }
            }
        };
        let gt = ins("gt", None, &[r(bits, 0), r(bits, 1)]);
        let lt = ins("lt", None, &[r(bits, 0), r(bits, 1)]);
        assert!(
            st0_after(gt, false, set(Some(&big), Some(&small))),
            "r{bits}"
        );
        assert!(!st0_after(gt, true, set(Some(&small), Some(&big))));
        assert!(!st0_after(gt, true, set(Some(&big), Some(&big))));
        assert!(st0_after(lt, false, set(Some(&small), Some(&big))));
        assert!(!st0_after(lt, true, set(None, Some(&big))));
        assert!(!st0_after(gt, true, set(Some(&big), None)));
        // The most significant byte decides.
        let mut hi = vec![0; n];
        hi[n - 1] = 1;
        let mut lo = vec![0xFF; n];
        lo[n - 1] = 0;
        assert!(st0_after(gt, false, set(Some(&hi), Some(&lo))), "r{bits}");
        let eqe = ins("eq", Some("e"), &[r(bits, 0), r(bits, 1)]);
        let eqn = ins("eq", Some("n"), &[r(bits, 0), r(bits, 1)]);
        assert!(st0_after(eqe, false, set(Some(&big), Some(&big))));
        assert!(!st0_after(eqe, true, set(Some(&big), Some(&small))));
        assert!(!st0_after(eqe, true, set(None, None)));
        assert!(st0_after(eqn, false, set(None, None)));
        assert!(!st0_after(eqn, true, set(Some(&big), None)));
    }
}

#[test]
fn ifz_is_defined_and_zero() {
    for bits in A_BITS {
        let i = ins("ifz", None, &[a(bits, 0)]);
        assert!(st0_after(i, false, |r| set_a(r, bits, 0, 0)));
        assert!(!st0_after(i, true, |r| set_a(r, bits, 0, 1)));
        assert!(!st0_after(i, true, |_| {}));
    }
    for bits in R_BITS {
        let i = ins("ifz", None, &[r(bits, 0)]);
        assert!(st0_after(i, false, |r| set_r(r, bits, 0, &le(bits, 0))));
        let mut top = le(bits, 0);
        *top.last_mut().unwrap() = 0x80;
        assert!(!st0_after(i, true, |r| set_r(r, bits, 0, &top)));
        assert!(!st0_after(i, true, |_| {}));
    }
}

#[test]
fn ifn_is_undefined() {
    let i = ins("ifn", None, &[a(16, 4)]);
    assert!(st0_after(i, false, |_| {}));
    assert!(!st0_after(i, true, |r| set_a(r, 16, 4, 0)));
    let i = ins("ifn", None, &[r(160, 4)]);
    assert!(st0_after(i, false, |_| {}));
    assert!(!st0_after(i, true, |r| set_r(r, 160, 4, &[0; 20])));
    let i = ins("ifn", None, &[s(4)]);
    assert!(st0_after(i, false, |_| {}));
    assert!(!st0_after(i, true, |r| set_s(r, 4, b"")));
    for format in [FFormat::Bf16, FFormat::F80, FFormat::F256] {
        let i = ins("ifn", None, &[f(format, 4)]);
        assert!(st0_after(i, false, |_| {}));
        let reg = Reg::F(RegF { format, idx: 4 });
        let bytes = vec![0; format.bytes()];
        assert!(!st0_after(i, true, |r| assert!(r.set(reg, Some(&bytes)))));
    }
}

#[test]
fn eq_on_byte_strings() {
    let eqe = ins("eq", Some("e"), &[s(0), s(1)]);
    let eqn = ins("eq", Some("n"), &[s(0), s(1)]);
    let both = |x: &'static [u8], y: &'static [u8]| {
        move |r: &mut Registers| {
            set_s(r, 0, x);
            set_s(r, 1, y);
        }
    };
    assert!(st0_after(eqe, false, both(b"abc", b"abc")));
    assert!(st0_after(eqe, false, both(b"", b"")));
    assert!(!st0_after(eqe, true, both(b"abc", b"abd")));
    assert!(!st0_after(eqe, true, both(b"abc", b"ab")));
    assert!(!st0_after(eqe, true, |_| {}));
    assert!(st0_after(eqn, false, |_| {}));
    // The empty string is defined: not equal to undefined.
    assert!(!st0_after(eqn, true, |r| set_s(r, 0, b"")));
}

#[test]
fn comparisons_change_no_register() {
    let regs = one(ins("gt", Some("s"), &[a(64, 0), a(64, 1)]), |r| {
        set_a(r, 64, 0, 3);
        set_a(r, 64, 1, 4);
    });
    assert_eq!(regs.defined().len(), 2);
    assert_eq!(
        (get_a(&regs, 64, 0), get_a(&regs, 64, 1)),
        (Some(3), Some(4))
    );
}
