//! Float instructions through the VM: the IEEE 754 edge cases by name, the
//! undefined-value rules, comparisons, conversions and complexity. (Host
//! floats only spell expected bit patterns here; the VM never uses them.)

mod common;

use avm_alu::reg::FFormat::{self, F128, F16, F256, F32, F64};
use avm_alu::{Reg, Registers};
use common::*;

fn set_f(regs: &mut Registers, format: FFormat, idx: u8, bits: u128) {
    let bytes = bits.to_le_bytes();
    let mut v = bytes[..format.bytes().min(16)].to_vec();
    v.resize(format.bytes(), 0);
    assert!(regs.set(Reg::F(rf(format, idx)), Some(&v)));
}

fn get_f(regs: &Registers, format: FFormat, idx: u8) -> Option<u128> {
    let bytes = regs.get(Reg::F(rf(format, idx)))?;
    let mut low = [0u8; 16];
    let n = bytes.len().min(16);
    low[..n].copy_from_slice(&bytes[..n]);
    Some(u128::from_le_bytes(low))
}

fn rf(format: FFormat, idx: u8) -> avm_alu::reg::RegF {
    avm_alu::reg::RegF { format, idx }
}

/// f[2] := f[0] op f[1] in `format`; returns the result bits and st0.
fn bin(
    m: &str,
    flag: Option<&str>,
    format: FFormat,
    x: Option<u128>,
    y: Option<u128>,
) -> (Option<u128>, bool) {
    let regs = one(
        ins(m, flag, &[f(format, 2), f(format, 0), f(format, 1)]),
        |r| {
            set_f(r, format, 2, 0);
            if let Some(x) = x {
                set_f(r, format, 0, x);
            }
            if let Some(y) = y {
                set_f(r, format, 1, y);
            }
        },
    );
    (get_f(&regs, format, 2), regs.st0)
}

fn d(x: f64) -> Option<u128> {
    Some(x.to_bits().into())
}

fn b64(bits: Option<u128>) -> Option<f64> {
    bits.map(|b| f64::from_bits(b as u64))
}

fn un(m: &str, flag: Option<&str>, format: FFormat, x: u128) -> (Option<u128>, bool) {
    let regs = one(ins(m, flag, &[f(format, 1), f(format, 0)]), |r| {
        set_f(r, format, 0, x)
    });
    (get_f(&regs, format, 1), regs.st0)
}

#[test]
fn signed_zeros() {
    assert_eq!(bin("add", Some("n"), F64, d(0.0), d(-0.0)), (d(0.0), true));
    assert_eq!(bin("add", Some("d"), F64, d(0.0), d(-0.0)), (d(-0.0), true));
    assert_eq!(
        bin("add", Some("n"), F64, d(-0.0), d(-0.0)),
        (d(-0.0), true)
    );
    assert_eq!(bin("sub", Some("n"), F64, d(1.5), d(1.5)), (d(0.0), true));
    assert_eq!(bin("sub", Some("d"), F64, d(1.5), d(1.5)), (d(-0.0), true));
    assert_eq!(bin("mul", Some("n"), F64, d(-0.0), d(5.0)), (d(-0.0), true));
    assert_eq!(un("neg", None, F64, 0), (d(-0.0), true));
    assert_eq!(
        un("sqrt", Some("n"), F64, (-0.0f64).to_bits().into()),
        (d(-0.0), true)
    );
    assert_eq!(
        un("rnd", Some("n"), F64, (-0.4f64).to_bits().into()),
        (d(-0.0), true)
    );
    assert_eq!(bin("min", None, F64, d(0.0), d(-0.0)), (d(-0.0), true));
    assert_eq!(bin("max", None, F64, d(-0.0), d(0.0)), (d(0.0), true));
}

#[test]
fn subnormals() {
    let tiny = f64::from_bits(1);
    // Half the smallest subnormal is a tie between 0 and it: even is 0.
    assert_eq!(bin("mul", Some("n"), F64, d(tiny), d(0.5)), (d(0.0), true));
    assert_eq!(bin("mul", Some("u"), F64, d(tiny), d(0.5)), (d(tiny), true));
    assert_eq!(
        bin("mul", Some("d"), F64, d(-tiny), d(0.5)),
        (d(-tiny), true)
    );
    // Underflow gives the subnormal: the smallest normal halved is exact.
    let half = f64::MIN_POSITIVE / 2.0;
    assert_eq!(
        bin("div", Some("nc"), F64, d(f64::MIN_POSITIVE), d(2.0)),
        (d(half), true)
    );
    assert_eq!(
        bin("sub", Some("n"), F64, d(f64::MIN_POSITIVE), d(half)),
        (d(half), true)
    );
}

#[test]
fn largest_finite_and_overflow() {
    let max = f64::MAX;
    // AluVM's rule: an overflow is undefined and clears st0 in every
    // direction (IEEE would give an infinity or the largest finite value);
    // the once-checked spellings are aliases.
    for flag in ["n", "z", "d", "u", "nc", "zc", "dc", "uc"] {
        assert_eq!(
            bin("add", Some(flag), F64, d(max), d(max)),
            (None, false),
            "{flag}"
        );
        assert_eq!(
            bin("mul", Some(flag), F64, d(-max), d(2.0)),
            (None, false),
            "{flag}"
        );
    }
    // Overflow is IEEE's: the result rounded as if the exponent had no
    // bound is beyond the largest finite value. Half an ulp above it rounds
    // up to nearest (a tie, the largest value is odd) and up, not toward zero.
    let half_ulp = 2f64.powi(970);
    assert_eq!(
        bin("add", Some("n"), F64, d(max), d(half_ulp)),
        (None, false)
    );
    assert_eq!(
        bin("add", Some("u"), F64, d(max), d(half_ulp)),
        (None, false)
    );
    assert_eq!(
        bin("add", Some("z"), F64, d(max), d(half_ulp)),
        (d(max), true)
    );
    assert_eq!(
        bin("add", Some("n"), F64, d(max), d(half_ulp / 2.0)),
        (d(max), true)
    );
    // An exact largest value is no overflow.
    assert_eq!(bin("add", Some("n"), F64, d(max), d(0.0)), (d(max), true));
    // Infinite operands do not overflow either.
    assert_eq!(
        bin("add", Some("nc"), F64, d(f64::INFINITY), d(1.0)),
        (d(f64::INFINITY), true)
    );
}

#[test]
fn ties_to_even() {
    let ulp = f32::EPSILON as f64; // 2^-23
    let f = |x: f64| Some(u128::from((x as f32).to_bits()));
    // 1 + 2^-24 is halfway between 1 and 1 + 2^-23: even is 1.
    assert_eq!(
        bin("add", Some("n"), F32, f(1.0), f(ulp / 2.0)),
        (f(1.0), true)
    );
    // 1 + 3 * 2^-24 is halfway between 1 + 2^-23 and 1 + 2^-22: even is the latter.
    assert_eq!(
        bin("add", Some("n"), F32, f(1.0 + ulp), f(ulp / 2.0)),
        (f(1.0 + 2.0 * ulp), true)
    );
    assert_eq!(
        bin("add", Some("z"), F32, f(1.0 + ulp), f(ulp / 2.0)),
        (f(1.0 + ulp), true)
    );
    assert_eq!(
        un("rnd", Some("n"), F64, 2.5f64.to_bits().into()),
        (d(2.0), true)
    );
    assert_eq!(
        un("rnd", Some("n"), F64, 3.5f64.to_bits().into()),
        (d(4.0), true)
    );
    assert_eq!(
        un("rnd", Some("d"), F64, (-2.5f64).to_bits().into()),
        (d(-3.0), true)
    );
    assert_eq!(
        un("rnd", Some("z"), F64, (-2.5f64).to_bits().into()),
        (d(-2.0), true)
    );
}

#[test]
fn infinity_arithmetic_and_impossible_operations() {
    let inf = f64::INFINITY;
    assert_eq!(bin("add", Some("n"), F64, d(inf), d(1.0)), (d(inf), true));
    assert_eq!(bin("mul", Some("n"), F64, d(-inf), d(2.0)), (d(-inf), true));
    assert_eq!(bin("div", Some("n"), F64, d(1.0), d(inf)), (d(0.0), true));
    assert_eq!(bin("div", Some("n"), F64, d(1.0), d(0.0)), (d(inf), true));
    assert_eq!(bin("div", Some("n"), F64, d(-1.0), d(0.0)), (d(-inf), true));
    assert_eq!(
        bin("div", Some("nc"), F64, d(1.0), d(-0.0)),
        (d(-inf), true)
    );
    for (m, x, y) in [
        ("sub", inf, inf),
        ("add", inf, -inf),
        ("mul", inf, 0.0),
        ("div", 0.0, 0.0),
        ("div", inf, inf),
        ("rem", 1.0, 0.0),
        ("rem", inf, 1.0),
    ] {
        let flag = (m != "rem").then_some("n");
        assert_eq!(bin(m, flag, F64, d(x), d(y)), (None, false), "{m} {x} {y}");
    }
    assert_eq!(
        un("sqrt", Some("n"), F64, (-1.0f64).to_bits().into()),
        (None, false)
    );
}

#[test]
fn a_nan_operand_is_impossible_and_undefined_passes_through() {
    let nan: u128 = f64::NAN.to_bits().into();
    assert_eq!(bin("add", Some("n"), F64, Some(nan), d(1.0)), (None, false));
    assert_eq!(un("neg", None, F64, nan), (None, false));
    // An undefined operand: undefined result, st0 untouched.
    assert_eq!(bin("add", Some("n"), F64, None, d(1.0)), (None, true));
    assert_eq!(bin("rem", None, F64, d(1.0), None), (None, true));
}

#[test]
fn remainder_and_fused_multiply_add() {
    assert_eq!(bin("rem", None, F64, d(5.0), d(3.0)), (d(-1.0), true));
    // 7 / 2 = 3.5 ties to 4: 7 - 8 = -1; 5 / 2 = 2.5 ties to 2: 5 - 4 = 1.
    assert_eq!(bin("rem", None, F64, d(7.0), d(2.0)), (d(-1.0), true));
    assert_eq!(bin("rem", None, F64, d(5.0), d(2.0)), (d(1.0), true));
    assert_eq!(bin("rem", None, F64, d(-4.0), d(2.0)), (d(-0.0), true));
    // The f64 nearest 1e300 is an integer divisible by 3 (a huge exponent gap).
    assert_eq!(bin("rem", None, F64, d(1e300), d(3.0)), (d(0.0), true));
    assert_eq!(bin("rem", None, F64, d(1e300), d(7.0)), (d(1.0), true));
    // fma(x, x, -x*x) is the rounding error of x*x, which mul then add loses.
    let x = 1.0 + f64::EPSILON;
    let regs = one(
        ins(
            "fma",
            Some("n"),
            &[f(F64, 3), f(F64, 0), f(F64, 0), f(F64, 1)],
        ),
        |r| {
            set_f(r, F64, 0, x.to_bits().into());
            set_f(r, F64, 1, (-(x * x)).to_bits().into());
        },
    );
    assert_eq!(b64(get_f(&regs, F64, 3)), Some(f64::EPSILON * f64::EPSILON));
}

#[test]
fn comparisons_write_st0() {
    let cmp = |m: &str, flag: Option<&str>, x: Option<u128>, y: Option<u128>| {
        let regs = one(ins(m, flag, &[f(F64, 0), f(F64, 1)]), |r| {
            if let Some(x) = x {
                set_f(r, F64, 0, x);
            }
            if let Some(y) = y {
                set_f(r, F64, 1, y);
            }
        });
        regs.st0
    };
    assert!(cmp("gt", None, d(2.0), d(1.0)));
    assert!(!cmp("gt", None, d(1.0), d(1.0)));
    assert!(cmp("lt", None, d(-f64::INFINITY), d(-1e308)));
    assert!(!cmp("lt", None, d(-0.0), d(0.0)));
    assert!(cmp("eq", Some("e"), d(-0.0), d(0.0)));
    assert!(!cmp("eq", Some("e"), d(1.0), d(1.0 + f64::EPSILON)));
    assert!(cmp("eq", Some("ulp"), d(1.0), d(1.0 + f64::EPSILON)));
    assert!(!cmp("eq", Some("ulp"), d(1.0), d(1.0 + 2.0 * f64::EPSILON)));
    assert!(cmp("eq", Some("ulp"), Some(1), d(-0.0)));
    assert!(!cmp("eq", Some("ulp"), d(f64::MAX), d(f64::INFINITY)));
    assert!(!cmp("eq", Some("e"), None, None));
    assert!(!cmp("gt", None, Some(f64::NAN.to_bits().into()), d(1.0)));
}

#[test]
fn conversions_between_formats() {
    let conv = |flag: &str, to: FFormat, from: FFormat, x: u128| {
        let regs = one(ins("cnv", Some(flag), &[f(to, 1), f(from, 0)]), |r| {
            set_f(r, from, 0, x)
        });
        (get_f(&regs, to, 1), regs.st0)
    };
    let third = (1.0f64 / 3.0).to_bits().into();
    let f32_third = u128::from((1.0f32 / 3.0).to_bits());
    assert_eq!(conv("n", F32, F64, third), (Some(f32_third), true));
    assert_eq!(conv("u", F32, F64, third), (Some(f32_third), true));
    assert_eq!(conv("z", F32, F64, third), (Some(f32_third - 1), true));
    // Beyond f16's range: an overflow, undefined.
    assert_eq!(conv("n", F16, F64, 1e6f64.to_bits().into()), (None, false));
    assert_eq!(conv("z", F16, F64, 1e6f64.to_bits().into()), (None, false));
    // Widening is exact, and narrowing back gives the value again.
    let (out, regs) = run(
        &[
            ins("cnv", Some("n"), &[f(F256, 1), f(F64, 0)]),
            ins("cnv", Some("n"), &[f(F64, 2), f(F256, 1)]),
            stop(),
        ],
        &[],
        |r| set_f(r, F64, 0, third),
    );
    assert!(out.st0);
    assert_eq!(get_f(&regs, F64, 2), Some(third));
    let q = conv("n", F128, F64, third).0.unwrap();
    assert_eq!(q >> 112, 0x3ffd);
}

#[test]
fn conversions_with_integers() {
    let to_int = |m: &str, flag: &str, bits: u16, x: f64| {
        let regs = one(ins(m, Some(flag), &[a(bits, 0), f(F64, 0)]), |r| {
            set_f(r, F64, 0, x.to_bits().into())
        });
        (get_i(&regs, bits, 0), get_a(&regs, bits, 0), regs.st0)
    };
    assert_eq!(to_int("cnv", "n", 32, -2.5).0, Some(-2));
    assert_eq!(to_int("cnv", "d", 32, -2.5).0, Some(-3));
    assert_eq!(to_int("cnv", "u", 32, -2.5).0, Some(-2));
    assert_eq!(to_int("cnv", "n", 8, -128.4).0, Some(-128));
    assert_eq!(to_int("cnv", "n", 8, 127.6), (None, None, false));
    assert_eq!(to_int("cpy", "z", 8, 255.9).1, Some(255));
    assert_eq!(to_int("cpy", "n", 8, -0.4).1, Some(0));
    assert_eq!(to_int("cpy", "n", 8, -1.0), (None, None, false));
    assert_eq!(to_int("cnv", "n", 64, f64::INFINITY), (None, None, false));
    assert!(to_int("cpy", "n", 1024, 1e300).2);

    let from_int = |m: &str, flag: &str, to: FFormat, bits: u16, v: i64| {
        let regs = one(ins(m, Some(flag), &[f(to, 0), a(bits, 0)]), |r| {
            set_i(r, bits, 0, v)
        });
        (get_f(&regs, to, 0), regs.st0)
    };
    assert_eq!(from_int("cnv", "n", F64, 64, -1), (d(-1.0), true));
    assert_eq!(
        from_int("cpy", "n", F64, 64, -1),
        (d(18446744073709551616.0), true)
    );
    assert_eq!(from_int("cpy", "z", F32, 32, -1), (Some(0x4f7f_ffff), true));
    assert_eq!(from_int("cnv", "n", F16, 1024, -1), (Some(0xbc00), true));
    // a1024's largest unsigned value is far beyond f16: an overflow.
    assert_eq!(from_int("cpy", "n", F16, 1024, -1), (None, false));
    assert_eq!(from_int("cpy", "u", F16, 1024, -1), (None, false));
}

#[test]
fn f256_computes_with_its_own_precision() {
    let one_256 = (0x3ffffu128) << 108; // biased exponent of 1.0, in the top 128 bits
    let regs = one(
        ins("div", Some("n"), &[f(F256, 2), f(F256, 0), f(F256, 1)]),
        |r| {
            let mut top = vec![0u8; 16];
            top.extend_from_slice(&one_256.to_le_bytes());
            assert!(r.set(Reg::F(rf(F256, 0)), Some(&top)));
            let mut three = vec![0u8; 16];
            three.extend_from_slice(&((0x40000u128 << 108) | (1u128 << 107)).to_le_bytes());
            assert!(r.set(Reg::F(rf(F256, 1)), Some(&three)));
        },
    );
    let third = regs.get(Reg::F(rf(F256, 2))).unwrap();
    // 1/3 = 0x3fffd 5555...5555 (236 fraction bits of 01 repeated, rounded to nearest).
    let hex: String = third.iter().rev().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, format!("3fffd{}", "5".repeat(59)));
}

#[test]
fn wider_formats_cost_more() {
    let cost = |m: &str, flag: Option<&str>, format: FFormat| {
        ins(m, flag, &[f(format, 2), f(format, 0), f(format, 1)]).complexity()
    };
    assert!(cost("add", Some("n"), F64) < cost("add", Some("n"), F128));
    assert!(cost("add", Some("n"), F128) < cost("add", Some("n"), F256));
    assert!(cost("mul", Some("n"), F64) < cost("mul", Some("n"), F256));
    assert!(cost("div", Some("n"), F64) >= cost("mul", Some("n"), F64));
    let conv = ins("cnv", Some("n"), &[f(F16, 0), a(1024, 0)]).complexity();
    assert!(conv > cost("add", Some("n"), F16));
}

#[test]
fn put_refuses_nan_bits() {
    let nan = f64::NAN.to_bits().to_le_bytes();
    let (out, regs) = run(
        &[
            ins("put", None, &[f(F64, 0), avm_alu::isa::Operand::Data(0)]),
            stop(),
        ],
        &nan,
        |_| {},
    );
    assert!(!out.st0);
    assert_eq!(get_f(&regs, F64, 0), None);
    let one = 1.0f64.to_bits().to_le_bytes();
    let (out, regs) = run(
        &[
            ins("put", None, &[f(F64, 0), avm_alu::isa::Operand::Data(0)]),
            stop(),
        ],
        &one,
        |_| {},
    );
    assert!(out.st0);
    assert_eq!(get_f(&regs, F64, 0), d(1.0));
    // An x87 unnormal (exponent set, integer bit clear) is no number either.
    let mut unnormal = [0u8; 10];
    unnormal[8] = 0xff;
    unnormal[9] = 0x3f;
    let (out, _) = run(
        &[
            ins(
                "put",
                None,
                &[f(FFormat::F80, 0), avm_alu::isa::Operand::Data(0)],
            ),
            stop(),
        ],
        &unnormal,
        |_| {},
    );
    assert!(!out.st0);
}
