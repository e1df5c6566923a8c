//! Prime fields: FGL64 (Goldilocks, in a64) and F25519 (2^255 - 19, in
//! r256) against num-bigint modular arithmetic, the canonical-input rule and
//! the extension-id rule.

mod common;

use avm_alu::isa::{self, Instr, Operand};
use avm_alu::reg::RegA;
use avm_alu::{Limits, Reg, Registers, StopReason};
use common::*;
use num_bigint::BigUint;
use proptest::prelude::*;

/// One of the two fields: its prime, register width and mnemonic suffix.
#[derive(Clone, Copy, Debug)]
struct Field {
    suffix: &'static str,
    bits: u16,
}

const GL: Field = Field {
    suffix: "gl",
    bits: 64,
};
const FE: Field = Field {
    suffix: "25519",
    bits: 256,
};

impl Field {
    fn p(self) -> BigUint {
        if self.bits == 64 {
            (BigUint::from(1u8) << 64) - (BigUint::from(1u8) << 32) + 1u8
        } else {
            (BigUint::from(1u8) << 255) - 19u8
        }
    }

    fn reg(self, idx: u8) -> Operand {
        if self.bits == 64 {
            a(64, idx)
        } else {
            r(256, idx)
        }
    }

    fn name(self, idx: u8) -> Reg {
        match self.reg(idx) {
            Operand::A(a) => Reg::A(a),
            Operand::R(r) => Reg::R(r),
            _ => unreachable!(),
        }
    }

    fn instr(self, op: &str, ops: &[Operand]) -> Instr {
        ins(&format!("{op}{}", self.suffix), None, ops)
    }

    fn bytes(self, v: &BigUint) -> Vec<u8> {
        let mut b = v.to_bytes_le();
        b.resize(self.bits as usize / 8, 0);
        b
    }
}

/// Runs one field instruction with registers 0.. set to `inputs` (and 7 to
/// a stale value); returns register 7 and st0.
fn exec(f: Field, op: &str, inputs: &[&[u8]]) -> (Option<Vec<u8>>, bool) {
    let mut ops = vec![f.reg(7)];
    ops.extend((0..inputs.len()).map(|i| f.reg(i as u8)));
    let regs = one(f.instr(op, &ops), |regs| {
        assert!(regs.set(f.name(7), Some(&f.bytes(&BigUint::from(5u8)))));
        for (i, v) in inputs.iter().enumerate() {
            assert!(regs.set(f.name(i as u8), Some(v)));
        }
    });
    (regs.get(f.name(7)), regs.st0)
}

/// The model: exact arithmetic modulo p; `None` (and st0 cleared) for a
/// non-canonical operand or the inverse of 0.
fn model(f: Field, op: &str, inputs: &[&[u8]]) -> Option<Vec<u8>> {
    let p = f.p();
    let v: Vec<BigUint> = inputs.iter().map(|b| BigUint::from_bytes_le(b)).collect();
    if v.iter().any(|x| *x >= p) {
        return None;
    }
    let r = match op {
        "add" => (&v[0] + &v[1]) % &p,
        "sub" => (&v[0] + &p - &v[1]) % &p,
        "mul" => (&v[0] * &v[1]) % &p,
        "neg" => (&p - &v[0]) % &p,
        "inv" => v[0].modinv(&p)?,
        "mov" => v[0].clone(),
        _ => unreachable!("{op}"),
    };
    Some(f.bytes(&r))
}

/// Field-sized values biased toward 0, 1, p - 1, p and just above.
fn element(f: Field) -> impl Strategy<Value = Vec<u8>> {
    let n = f.bits as usize / 8;
    (0u8..6, prop::collection::vec(any::<u8>(), n), 0u8..4).prop_map(move |(kind, raw, k)| {
        let p = f.p();
        let v = match kind {
            0 | 1 => BigUint::from_bytes_le(&raw) % &p,
            2 => BigUint::from(k),
            3 => &p - 1u8 - k,
            4 => &p + k,
            _ => BigUint::from_bytes_le(&raw),
        };
        let mut b = v.to_bytes_le();
        b.resize(n, 0);
        b
    })
}

fn check(f: Field, x: &[u8], y: &[u8]) -> Result<(), TestCaseError> {
    for op in ["add", "sub", "mul"] {
        let want = model(f, op, &[x, y]);
        let got = exec(f, op, &[x, y]);
        prop_assert_eq!(&got.0, &want, "{}{}", op, f.suffix);
        prop_assert_eq!(got.1, want.is_some());
    }
    for op in ["neg", "inv", "mov"] {
        let want = model(f, op, &[x]);
        let got = exec(f, op, &[x]);
        prop_assert_eq!(&got.0, &want, "{}{}", op, f.suffix);
        prop_assert_eq!(got.1, want.is_some());
    }
    let regs = one(f.instr("eq", &[f.reg(0), f.reg(1)]), |regs| {
        assert!(regs.set(f.name(0), Some(x)));
        assert!(regs.set(f.name(1), Some(y)));
    });
    let canonical = model(f, "mov", &[x]).is_some() && model(f, "mov", &[y]).is_some();
    prop_assert_eq!(regs.st0, canonical && x == y);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn goldilocks_matches_bigint(x in element(GL), y in element(GL), same in any::<bool>()) {
        check(GL, &x, if same { &x } else { &y })?;
    }

    #[test]
    fn f25519_matches_bigint(x in element(FE), y in element(FE), same in any::<bool>()) {
        check(FE, &x, if same { &x } else { &y })?;
    }
}

#[test]
fn put_loads_only_canonical_elements() {
    for f in [GL, FE] {
        let n = f.bits as usize / 8;
        let p = f.bytes(&f.p());
        let below = f.bytes(&(f.p() - 1u8));
        let mut data = below.clone();
        data.extend_from_slice(&p);
        let put = |off: u16| f.instr("put", &[f.reg(0), Operand::Data(off)]);
        for (off, want) in [
            (0, Some(below.clone())),
            (n as u16, None),
            (n as u16 + 1, None),
        ] {
            let (out, regs) = run(&[put(off), stop()], &data, |_| {});
            assert_eq!(out.reason, StopReason::Stopped);
            assert_eq!(regs.get(f.name(0)), want, "{}", f.suffix);
            assert_eq!(regs.st0, off == 0, "{}", f.suffix);
        }
    }
}

#[test]
fn known_values() {
    // Goldilocks: 2^32 * 2^32 = 2^64 = 2^32 - 1 mod p; (p - 1)^-1 = p - 1.
    let gl = |v: u64| v.to_le_bytes().to_vec();
    let two32 = gl(1 << 32);
    assert_eq!(
        exec(GL, "mul", &[&two32, &two32]),
        (Some(gl(0xFFFF_FFFF)), true)
    );
    let minus1 = gl(0xFFFF_FFFF_0000_0000);
    assert_eq!(exec(GL, "inv", &[&minus1]), (Some(minus1.clone()), true));
    assert_eq!(exec(GL, "neg", &[&gl(0)]), (Some(gl(0)), true));
    // 2^255 - 19: 2^-1 = (p + 1) / 2.
    let half = FE.bytes(&((FE.p() + 1u8) >> 1));
    assert_eq!(
        exec(FE, "inv", &[&FE.bytes(&BigUint::from(2u8))]),
        (Some(half), true)
    );
    assert_eq!(exec(FE, "inv", &[&FE.bytes(&BigUint::ZERO)]), (None, false));
}

#[test]
fn undefined_operands_give_undefined_and_leave_st0() {
    for f in [GL, FE] {
        let one_v = f.bytes(&BigUint::from(1u8));
        for (op, arity) in [
            ("add", 2),
            ("sub", 2),
            ("mul", 2),
            ("neg", 1),
            ("inv", 1),
            ("mov", 1),
        ] {
            let mut ops = vec![f.reg(7)];
            ops.extend((0..arity).map(|i| f.reg(i as u8)));
            let regs = one(f.instr(op, &ops), |regs| {
                assert!(regs.set(f.name(7), Some(&one_v)));
                if arity == 2 {
                    assert!(regs.set(f.name(1), Some(&one_v)));
                }
            });
            assert_eq!((regs.get(f.name(7)), regs.st0), (None, true), "{op}");
        }
        // A non-canonical operand clears st0 even when the other is undefined.
        let p = f.bytes(&f.p());
        let regs = one(f.instr("add", &[f.reg(7), f.reg(0), f.reg(1)]), |regs| {
            assert!(regs.set(f.name(1), Some(&p)));
        });
        assert_eq!((regs.get(f.name(7)), regs.st0), (None, false));
        // eq of two undefined registers is false.
        let regs = one(f.instr("eq", &[f.reg(0), f.reg(1)]), |_| {});
        assert!(!regs.st0);
    }
}

#[test]
fn field_opcodes_run_only_in_a_library_that_lists_the_extension() {
    for (f, id) in [(GL, "FGL64"), (FE, "F25519")] {
        let code = [f.instr("neg", &[f.reg(1), f.reg(0)]), stop()];
        let set = |regs: &mut Registers| {
            assert!(regs.set(f.name(0), Some(&f.bytes(&BigUint::from(3u8)))));
        };
        let listed = lib(&code, &[]);
        assert_eq!(listed.isa, vec![id.to_string()]);
        let (out, regs) = run_lib(&listed, &Limits::default(), set);
        assert_eq!(out.reason, StopReason::Stopped);
        assert_eq!(regs.get(f.name(1)), Some(f.bytes(&(f.p() - 3u8))));
        let unlisted = avm_alu::Library::new(vec![], vec![], isa::assemble(&code), vec![]).unwrap();
        let (out, regs) = run_lib(&unlisted, &Limits::default(), set);
        assert_eq!(out.reason, StopReason::Failed, "{id}");
        assert_eq!(regs.get(f.name(1)), None);
    }
    // The Goldilocks registers are the ordinary a64 bank.
    let regs = one(GL.instr("mov", &[GL.reg(1), GL.reg(0)]), |r| {
        r.set_a_u64(
            RegA {
                width: avm_alu::reg::AWidth::A64,
                idx: 0,
            },
            9,
        )
    });
    assert_eq!(get_a(&regs, 64, 1), Some(9));
    assert_eq!(get_a(&regs, 64, 0), Some(9), "mov copies");
}
