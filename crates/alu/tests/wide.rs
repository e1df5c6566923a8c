//! Wide integers: unsigned arithmetic on R registers (r128..r8192), the
//! modular instructions, and the A-register negation, absolute value and
//! steps at every width, each against num-bigint.

mod common;

use avm_alu::isa::{Instr, Operand};
use common::*;
use num_bigint::{BigInt, BigUint};
use proptest::prelude::*;

fn unsigned(bytes: &[u8]) -> BigInt {
    to_big(bytes, false)
}

/// `v` as n bytes if it is in the range of the width, else `None`.
fn fit(v: &BigInt, n: usize, is_signed: bool) -> Option<Vec<u8>> {
    fits(v, n, is_signed).then(|| wrap_bytes(v, n))
}

/// Runs `m.flag r[7], r[0], r[1], ...` with the inputs in r[0..]; returns r[7] and st0.
fn exec_r(m: &str, flag: Option<&str>, bits: u16, inputs: &[&[u8]]) -> (Option<Vec<u8>>, bool) {
    let mut ops = vec![r(bits, 7)];
    ops.extend((0..inputs.len()).map(|i| r(bits, i as u8)));
    let regs = one(ins(m, flag, &ops), |regs| {
        for (i, v) in inputs.iter().enumerate() {
            set_r(regs, bits, i as u8, v);
        }
    });
    (get_r(&regs, bits, 7), regs.st0)
}

/// Runs a step (`inc`/`dec`) on r[0] or a[0]; returns the register and st0.
fn exec_step(m: &str, flag: &str, reg: Operand, x: &[u8], step: u16) -> (Option<Vec<u8>>, bool) {
    let regs = one(ins(m, Some(flag), &[reg, Operand::Imm(step)]), |regs| {
        let r = match reg {
            Operand::A(a) => avm_alu::Reg::A(a),
            Operand::R(r) => avm_alu::Reg::R(r),
            _ => unreachable!(),
        };
        assert!(regs.set(r, Some(x)));
    });
    let r = match reg {
        Operand::A(a) => avm_alu::Reg::A(a),
        Operand::R(r) => avm_alu::Reg::R(r),
        _ => unreachable!(),
    };
    (regs.get(r), regs.st0)
}

/// The unsigned R-register model: exact result, then checked or wrapped.
fn r_model(m: &str, flag: Option<&str>, x: &[u8], y: &[u8]) -> Option<Vec<u8>> {
    let n = x.len();
    let (bx, by) = (unsigned(x), unsigned(y));
    let exact = match m {
        "add" => bx + by,
        "sub" => bx - by,
        "mul" => bx * by,
        "div" | "rem" if by == BigInt::from(0) => return None,
        "div" => bx / by,
        "rem" => bx % by,
        "neg" => -bx,
        _ => unreachable!("{m}"),
    };
    match flag {
        Some("uc") => fit(&exact, n, false),
        _ => Some(wrap_bytes(&exact, n)),
    }
}

/// The modular model; `None` for a zero modulus and a missing inverse.
fn mod_model(m: &str, x: &[u8], y: &[u8], md: &[u8]) -> Option<Vec<u8>> {
    let n = x.len();
    let (bx, by, bm) = (
        BigUint::from_bytes_le(x),
        BigUint::from_bytes_le(y),
        BigUint::from_bytes_le(md),
    );
    if bm == BigUint::ZERO {
        return None;
    }
    let r = match m {
        "addmod" => (bx + by) % &bm,
        "submod" => (bx % &bm + &bm - by % &bm) % &bm,
        "mulmod" => (bx * by) % &bm,
        "powmod" => bx.modpow(&by, &bm),
        "invmod" => bx.modinv(&bm)?,
        _ => unreachable!("{m}"),
    };
    let mut b = r.to_bytes_le();
    b.resize(n, 0);
    Some(b)
}

fn r_case() -> impl Strategy<Value = (u16, Vec<u8>, Vec<u8>, Vec<u8>)> {
    prop::sample::select(R_BITS.to_vec()).prop_flat_map(|bits| {
        let n = bits as usize / 8;
        (Just(bits), edge_bytes(n), edge_bytes(n), edge_bytes(n))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn r_arithmetic_matches_bigint((bits, x, y, _) in r_case()) {
        for (m, flags) in [
            ("add", &[Some("uc"), Some("uw")][..]),
            ("sub", &[Some("uc"), Some("uw")]),
            ("mul", &[Some("uc"), Some("uw")]),
            ("div", &[None]),
            ("rem", &[None]),
        ] {
            for flag in flags {
                let want = r_model(m, *flag, &x, &y);
                let got = exec_r(m, *flag, bits, &[&x, &y]);
                prop_assert_eq!(&got.0, &want, "{}.{:?} r{}", m, flag, bits);
                prop_assert_eq!(got.1, want.is_some());
            }
        }
        let want = r_model("neg", None, &x, &x);
        prop_assert_eq!(exec_r("neg", None, bits, &[&x]), (want, true), "neg r{}", bits);
    }

    #[test]
    fn r_steps_match_bigint((bits, x, _, _) in r_case(), step in 1u16..=256) {
        for (m, sign) in [("inc", 1), ("dec", -1)] {
            for flag in ["uc", "uw"] {
                let exact = unsigned(&x) + BigInt::from(sign * i32::from(step));
                let want = if flag == "uc" {
                    fit(&exact, x.len(), false)
                } else {
                    Some(wrap_bytes(&exact, x.len()))
                };
                let got = exec_step(m, flag, r(bits, 0), &x, step);
                prop_assert_eq!(&got.0, &want, "{}.{} r{} {}", m, flag, bits, step);
                prop_assert_eq!(got.1, want.is_some());
            }
        }
    }

}

proptest! {
    // Each case runs five modular operations; r4096 and r8192 are slow in debug builds.
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn modular_arithmetic_matches_bigint((bits, x, y, md) in r_case()) {
        // Full-width exponents are slow in debug builds above r256: keep 64 bits there.
        let mut e = y.clone();
        if bits > 256 {
            e[8..].fill(0);
        }
        for (m, b) in [("addmod", &y), ("submod", &y), ("mulmod", &y), ("powmod", &e)] {
            let want = mod_model(m, &x, b, &md);
            let got = exec_r(m, None, bits, &[&x, b, &md]);
            prop_assert_eq!(&got.0, &want, "{} r{}", m, bits);
            prop_assert_eq!(got.1, want.is_some());
        }
        let want = mod_model("invmod", &x, &x, &md);
        let got = exec_r("invmod", None, bits, &[&x, &md]);
        prop_assert_eq!(&got.0, &want, "invmod r{}", bits);
        prop_assert_eq!(got.1, want.is_some());
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn inverses_of_odd_moduli_exist_and_multiply_to_one(
        (bits, x, _, mut md) in r_case(),
    ) {
        md[0] |= 1;
        let inv = exec_r("invmod", None, bits, &[&x, &md]);
        let coprime = mod_model("invmod", &x, &x, &md).is_some();
        prop_assert_eq!(inv.1, coprime);
        if let Some(v) = inv.0 {
            let one = mod_model("mulmod", &x, &v, &md).unwrap();
            prop_assert_eq!(unsigned(&one), BigInt::from(1) % unsigned(&md));
        }
    }

    #[test]
    fn a_unary_and_steps_match_bigint(
        (bits, x) in prop::sample::select(A_BITS.to_vec())
            .prop_flat_map(|bits| (Just(bits), edge_bytes(bits as usize / 8))),
        step in 1u16..=256,
    ) {
        let n = x.len();
        for (m, flag) in [("neg", "c"), ("neg", "w"), ("abs", "c"), ("abs", "w")] {
            let exact = if m == "neg" { -to_big(&x, true) } else { to_big(&x, true).magnitude().clone().into() };
            let want = if flag == "c" { fit(&exact, n, true) } else { Some(wrap_bytes(&exact, n)) };
            let regs = one(ins(m, Some(flag), &[a(bits, 2), a(bits, 0)]), |r| set_a_bytes(r, bits, 0, &x));
            prop_assert_eq!(get_a_bytes(&regs, bits, 2), want.clone(), "{}.{} a{}", m, flag, bits);
            prop_assert_eq!(regs.st0, want.is_some());
        }
        for (m, sign) in [("inc", 1), ("dec", -1)] {
            for flag in ["uc", "uw", "sc", "sw"] {
                let is_signed = flag.starts_with('s');
                let base = if is_signed { to_big(&x, true) } else { unsigned(&x) };
                let exact = base + BigInt::from(sign * i32::from(step));
                let want = if flag.ends_with('c') {
                    fit(&exact, n, is_signed)
                } else {
                    Some(wrap_bytes(&exact, n))
                };
                let got = exec_step(m, flag, a(bits, 0), &x, step);
                prop_assert_eq!(&got.0, &want, "{}.{} a{} {}", m, flag, bits, step);
                prop_assert_eq!(got.1, want.is_some());
            }
        }
    }
}

#[test]
fn full_width_powmod_matches_bigint_at_r1024() {
    let n = 128;
    let x: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
    let e: Vec<u8> = (0..n).map(|i| (i * 101 + 3) as u8).collect();
    let mut m: Vec<u8> = (0..n).map(|i| (i * 53 + 29) as u8).collect();
    m[n - 1] |= 0x80;
    let got = exec_r("powmod", None, 1024, &[&x, &e, &m]);
    assert_eq!(got, (mod_model("powmod", &x, &e, &m), true));
}

#[test]
fn zero_modulus_and_missing_inverses_fail() {
    for bits in R_BITS {
        let n = bits as usize / 8;
        let (zero, six, nine) = (le(bits, 0), le(bits, 6), le(bits, 9));
        for m in ["addmod", "submod", "mulmod", "powmod"] {
            assert_eq!(exec_r(m, None, bits, &[&six, &nine, &zero]), (None, false));
        }
        assert_eq!(exec_r("invmod", None, bits, &[&six, &zero]), (None, false));
        assert_eq!(exec_r("invmod", None, bits, &[&six, &nine]), (None, false));
        assert_eq!(exec_r("invmod", None, bits, &[&zero, &nine]), (None, false));
        // Modulo 1 everything is 0, and 0 is its own inverse.
        let one = le(bits, 1);
        assert_eq!(
            exec_r("invmod", None, bits, &[&six, &one]),
            (Some(zero.clone()), true)
        );
        assert_eq!(
            exec_r("powmod", None, bits, &[&zero, &zero, &one]),
            (Some(zero.clone()), true)
        );
        // 0^0 = 1; operands at or above m are reduced first.
        assert_eq!(
            exec_r("powmod", None, bits, &[&zero, &zero, &nine]),
            (Some(one.clone()), true)
        );
        let max = vec![0xFF; n];
        let want = mod_model("addmod", &max, &max, &nine);
        assert_eq!(
            exec_r("addmod", None, bits, &[&max, &max, &nine]),
            (want, true)
        );
    }
}

#[test]
fn undefined_operands_give_undefined_and_leave_st0() {
    let bits = 256;
    let v = le(bits, 5);
    for (m, flag, arity) in [
        ("add", Some("uc"), 2),
        ("sub", Some("uc"), 2),
        ("mul", Some("uw"), 2),
        ("div", None, 2),
        ("rem", None, 2),
        ("neg", None, 1),
        ("addmod", None, 3),
        ("submod", None, 3),
        ("mulmod", None, 3),
        ("powmod", None, 3),
        ("invmod", None, 2),
    ] {
        for missing in 0..arity {
            let mut ops = vec![r(bits, 7)];
            ops.extend((0..arity).map(|i| r(bits, i as u8)));
            let regs = one(ins(m, flag, &ops), |regs| {
                set_r(regs, bits, 7, &v);
                for i in (0..arity).filter(|i| *i != missing) {
                    set_r(regs, bits, i as u8, &le(bits, 0));
                }
            });
            assert_eq!(
                (get_r(&regs, bits, 7), regs.st0),
                (None, true),
                "{m} {missing}"
            );
        }
    }
    let regs = one(
        ins("inc", Some("uc"), &[r(bits, 0), Operand::Imm(1)]),
        |_| {},
    );
    assert_eq!((get_r(&regs, bits, 0), regs.st0), (None, true));
}

fn complexity(m: &str, bits: u16, arity: usize) -> u64 {
    let ops: Vec<Operand> = (0..=arity).map(|i| r(bits, i as u8)).collect();
    let flag = ["add", "sub", "mul"].contains(&m).then_some("uw");
    let i: Instr = ins(m, flag, &ops);
    i.complexity()
}

#[test]
fn complexity_grows_with_width_as_documented() {
    use avm_alu::isa::opcode::{MOD_INV, MOD_MUL, MOD_POW};
    let poly = |c: [u64; 4], l: u64| c[0] + c[1] * l + c[2] * l * l + c[3] * l * l * l;
    for (m, arity, at_r8192) in [
        ("add", 2, 128),
        ("mul", 2, 2 * 128 * 128),
        ("div", 2, 4 * 128 * 128),
        ("addmod", 3, poly(MOD_MUL, 128)),
        ("mulmod", 3, poly(MOD_MUL, 128)),
        ("powmod", 3, poly(MOD_POW, 128)),
        ("invmod", 2, poly(MOD_INV, 128)),
    ] {
        let costs: Vec<u64> = R_BITS.iter().map(|b| complexity(m, *b, arity)).collect();
        assert!(costs.windows(2).all(|w| w[0] < w[1]), "{m}: {costs:?}");
        // r8192 has 128 limbs of 64 bits.
        assert_eq!(costs[7], at_r8192, "{m}");
    }
    // powmod is charged two mulmods per exponent bit.
    for bits in R_BITS {
        let limbs = u64::from(bits).div_ceil(64);
        assert_eq!(
            complexity("powmod", bits, 3),
            2 * 64 * limbs * complexity("mulmod", bits, 3)
        );
    }
}
