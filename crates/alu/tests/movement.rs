//! Movement: clr, put, putif, mov, dup, swp, cpy, cnv, st, inv.

mod common;

use avm_alu::isa::Operand;
use avm_alu::reg::{FFormat, RegF};
use avm_alu::{Reg, Registers, StopReason};
use common::*;

fn data(off: u16) -> Operand {
    Operand::Data(off)
}

#[test]
fn clr_makes_every_kind_of_register_undefined() {
    let regs = one(ins("clr", None, &[a(64, 3)]), |r| set_a(r, 64, 3, 9));
    assert_eq!(get_a(&regs, 64, 3), None);
    assert!(regs.st0);
    let regs = one(ins("clr", None, &[r(160, 1)]), |r| {
        set_r(r, 160, 1, &[1; 20])
    });
    assert_eq!(get_r(&regs, 160, 1), None);
    let regs = one(ins("clr", None, &[s(15)]), |r| set_s(r, 15, b"x"));
    assert_eq!(get_s(&regs, 15), None);
    let f32_0 = Reg::F(RegF {
        format: FFormat::F32,
        idx: 0,
    });
    let regs = one(ins("clr", None, &[f(FFormat::F32, 0)]), |r| {
        r.set(f32_0, Some(&[1, 2, 3, 4]));
    });
    assert_eq!(regs.get(f32_0), None);
    // Clearing an undefined register is fine.
    let regs = one(ins("clr", None, &[a(1024, 31)]), |_| {});
    assert!(regs.st0 && regs.defined().is_empty());
}

#[test]
fn put_loads_little_endian_bytes_of_the_register_width() {
    let mut d: Vec<u8> = (1..=40).collect();
    // The x87 integer bit of the f80 loaded from data[30..40], so it is a number.
    d[37] |= 0x80;
    for bits in A_BITS.into_iter().filter(|b| *b <= 256) {
        let (out, regs) = run(
            &[ins("put", None, &[a(bits, 0), data(2)]), stop()],
            &d,
            |_| {},
        );
        assert!(out.st0);
        let n = bits as usize / 8;
        assert_eq!(get_a_bytes(&regs, bits, 0).unwrap(), d[2..2 + n], "a{bits}");
    }
    let (out, regs) = run(
        &[ins("put", None, &[r(160, 2), data(0)]), stop()],
        &d,
        |_| {},
    );
    assert!(out.st0);
    assert_eq!(get_r(&regs, 160, 2).unwrap(), d[..20]);
    let f80 = RegF {
        format: FFormat::F80,
        idx: 1,
    };
    let (out, regs) = run(
        &[ins("put", None, &[Operand::F(f80), data(30)]), stop()],
        &d,
        |_| {},
    );
    assert!(out.st0);
    assert_eq!(regs.get(Reg::F(f80)).unwrap(), d[30..40]);
}

#[test]
fn put_past_the_end_of_data_is_undefined_and_clears_st0() {
    let d = [1u8, 2, 3, 4];
    // Exactly to the end is fine.
    let (out, regs) = run(
        &[ins("put", None, &[a(32, 0), data(0)]), stop()],
        &d,
        |_| {},
    );
    assert_eq!((out.st0, get_a(&regs, 32, 0)), (true, Some(0x0403_0201)));
    // One byte short.
    let (out, regs) = run(&[ins("put", None, &[a(32, 0), data(1)]), stop()], &d, |r| {
        set_a(r, 32, 0, 7)
    });
    assert_eq!(
        (out.reason, out.st0, get_a(&regs, 32, 0)),
        (StopReason::Stopped, false, None)
    );
    for ops in [
        [a(8, 0), data(4)],
        [a(8, 0), data(u16::MAX)],
        [r(128, 0), data(0)],
        [f(FFormat::F64, 0), data(0)],
    ] {
        let (out, _) = run(&[ins("put", None, &ops), stop()], &d, |_| {});
        assert!(!out.st0, "{ops:?}");
    }
    // Empty data.
    let (out, _) = run(
        &[ins("put", None, &[a(8, 0), data(0)]), stop()],
        &[],
        |_| {},
    );
    assert!(!out.st0);
}

#[test]
fn put_s_loads_a_data_range() {
    let d = b"hello world";
    let range = |off, len| Operand::DataRange { off, len };
    let (out, regs) = run(&[ins("put", None, &[s(0), range(6, 5)]), stop()], d, |_| {});
    assert!(out.st0);
    assert_eq!(get_s(&regs, 0).unwrap(), b"world");
    let (out, regs) = run(
        &[ins("put", None, &[s(0), range(11, 0)]), stop()],
        d,
        |_| {},
    );
    assert!(out.st0);
    assert_eq!(get_s(&regs, 0).unwrap(), b"");
    let (out, regs) = run(&[ins("put", None, &[s(0), range(6, 6)]), stop()], d, |r| {
        set_s(r, 0, b"old")
    });
    assert!(!out.st0);
    assert_eq!(get_s(&regs, 0), None);
    let (out, _) = run(
        &[ins("put", None, &[s(0), range(u16::MAX, u16::MAX)]), stop()],
        d,
        |_| {},
    );
    assert!(!out.st0);
}

#[test]
fn putif_loads_only_into_undefined_registers() {
    let d = [5u8, 6, 7, 8];
    let code = [ins("putif", None, &[a(16, 0), data(0)]), stop()];
    let (out, regs) = run(&code, &d, |_| {});
    assert_eq!((out.st0, get_a(&regs, 16, 0)), (true, Some(0x0605)));
    let (out, regs) = run(&code, &d, |r| set_a(r, 16, 0, 1));
    assert_eq!((out.st0, get_a(&regs, 16, 0)), (true, Some(1)));
    // Past the end: only an undefined register fails.
    let code = [ins("putif", None, &[a(64, 0), data(0)]), stop()];
    let (out, regs) = run(&code, &d, |r| set_a(r, 64, 0, 1));
    assert_eq!((out.st0, get_a(&regs, 64, 0)), (true, Some(1)));
    let (out, regs) = run(&code, &d, |_| {});
    assert_eq!((out.st0, get_a(&regs, 64, 0)), (false, None));
    // R and F forms.
    let code = [ins("putif", None, &[r(128, 0), data(0)]), stop()];
    let (out, regs) = run(&code, &[9; 16], |_| {});
    assert_eq!((out.st0, get_r(&regs, 128, 0)), (true, Some(vec![9; 16])));
    let code = [ins("putif", None, &[f(FFormat::Bf16, 0), data(0)]), stop()];
    let (out, _) = run(&code, &[9; 16], |_| {});
    assert!(out.st0);
}

#[test]
fn mov_dup_swp_on_a_registers() {
    let regs = one(ins("mov", None, &[a(64, 1), a(64, 0)]), |r| {
        set_a(r, 64, 0, 5)
    });
    assert_eq!((get_a(&regs, 64, 1), get_a(&regs, 64, 0)), (Some(5), None));
    let regs = one(ins("dup", None, &[a(64, 1), a(64, 0)]), |r| {
        set_a(r, 64, 0, 5)
    });
    assert_eq!(
        (get_a(&regs, 64, 1), get_a(&regs, 64, 0)),
        (Some(5), Some(5))
    );
    let regs = one(ins("swp", None, &[a(64, 1), a(64, 0)]), |r| {
        set_a(r, 64, 0, 5)
    });
    assert_eq!((get_a(&regs, 64, 1), get_a(&regs, 64, 0)), (Some(5), None));
    let regs = one(ins("swp", None, &[a(512, 1), a(512, 0)]), |r| {
        set_a(r, 512, 0, 5);
        set_a(r, 512, 1, 6);
    });
    assert_eq!(
        (get_a(&regs, 512, 1), get_a(&regs, 512, 0)),
        (Some(5), Some(6))
    );
    // Moving an undefined register makes the destination undefined.
    let regs = one(ins("mov", None, &[a(8, 1), a(8, 0)]), |r| set_a(r, 8, 1, 5));
    assert_eq!(get_a(&regs, 8, 1), None);
    assert!(regs.st0);
}

#[test]
fn mov_dup_swp_on_f_r_s_registers() {
    let f0 = Reg::F(RegF {
        format: FFormat::F128,
        idx: 0,
    });
    let f1 = Reg::F(RegF {
        format: FFormat::F128,
        idx: 1,
    });
    let regs = one(
        ins("mov", None, &[f(FFormat::F128, 1), f(FFormat::F128, 0)]),
        |r| {
            r.set(f0, Some(&[3; 16]));
        },
    );
    assert_eq!((regs.get(f1), regs.get(f0)), (Some(vec![3; 16]), None));
    let regs = one(
        ins("dup", None, &[f(FFormat::F128, 1), f(FFormat::F128, 0)]),
        |r| {
            r.set(f0, Some(&[3; 16]));
        },
    );
    assert_eq!(
        (regs.get(f1), regs.get(f0)),
        (Some(vec![3; 16]), Some(vec![3; 16]))
    );
    let regs = one(
        ins("swp", None, &[f(FFormat::F128, 1), f(FFormat::F128, 0)]),
        |r| {
            r.set(f0, Some(&[3; 16]));
        },
    );
    assert_eq!((regs.get(f1), regs.get(f0)), (Some(vec![3; 16]), None));

    let regs = one(ins("mov", None, &[r(8192, 1), r(8192, 0)]), |r| {
        set_r(r, 8192, 0, &[7; 1024])
    });
    assert_eq!(
        (get_r(&regs, 8192, 1), get_r(&regs, 8192, 0)),
        (Some(vec![7; 1024]), None)
    );
    let regs = one(ins("dup", None, &[r(160, 1), r(160, 0)]), |r| {
        set_r(r, 160, 0, &[7; 20])
    });
    assert_eq!(get_r(&regs, 160, 1), get_r(&regs, 160, 0));
    let regs = one(ins("swp", None, &[r(256, 1), r(256, 0)]), |r| {
        set_r(r, 256, 0, &[1; 32]);
        set_r(r, 256, 1, &[2; 32]);
    });
    assert_eq!(
        (get_r(&regs, 256, 0), get_r(&regs, 256, 1)),
        (Some(vec![2; 32]), Some(vec![1; 32]))
    );

    let regs = one(ins("mov", None, &[s(1), s(0)]), |r| set_s(r, 0, b"abc"));
    assert_eq!(
        (get_s(&regs, 1), get_s(&regs, 0)),
        (Some(b"abc".to_vec()), None)
    );
    let regs = one(ins("dup", None, &[s(1), s(0)]), |r| set_s(r, 0, b"abc"));
    assert_eq!(
        (get_s(&regs, 1), get_s(&regs, 0)),
        (Some(b"abc".to_vec()), Some(b"abc".to_vec()))
    );
    let regs = one(ins("swp", None, &[s(1), s(0)]), |r| set_s(r, 0, b"abc"));
    assert_eq!(
        (get_s(&regs, 1), get_s(&regs, 0)),
        (Some(b"abc".to_vec()), None)
    );
}

fn cpy(m: &str, dst: Operand, src: Operand, setup: impl FnOnce(&mut Registers)) -> Registers {
    one(ins(m, None, &[dst, src]), setup)
}

#[test]
fn cpy_zero_extends_and_cnv_sign_extends() {
    for bits in A_BITS {
        let regs = cpy("cpy", a(bits, 1), a(8, 0), |r| set_a(r, 8, 0, 0xFF));
        assert_eq!(
            (regs.st0, get_a(&regs, bits, 1)),
            (true, Some(0xFF)),
            "a{bits}"
        );
        let regs = cpy("cnv", a(bits, 1), a(8, 0), |r| set_a(r, 8, 0, 0xFF));
        assert_eq!(
            (regs.st0, get_i(&regs, bits, 1)),
            (true, Some(-1)),
            "a{bits}"
        );
        let regs = cpy("cnv", a(bits, 1), a(8, 0), |r| set_a(r, 8, 0, 0x7F));
        assert_eq!(
            (regs.st0, get_i(&regs, bits, 1)),
            (true, Some(127)),
            "a{bits}"
        );
    }
    let regs = cpy("cnv", a(1024, 1), a(64, 0), |r| set_i(r, 64, 0, i64::MIN));
    assert_eq!(get_i(&regs, 1024, 1), Some(i64::MIN));
    assert_eq!(get_a_bytes(&regs, 1024, 1).unwrap()[8..], [0xFF; 120]);
}

#[test]
fn narrowing_keeps_values_that_fit() {
    let regs = cpy("cpy", a(8, 1), a(64, 0), |r| set_a(r, 64, 0, 255));
    assert_eq!((regs.st0, get_a(&regs, 8, 1)), (true, Some(255)));
    let regs = cpy("cnv", a(8, 1), a(64, 0), |r| set_i(r, 64, 0, -128));
    assert_eq!((regs.st0, get_i(&regs, 8, 1)), (true, Some(-128)));
    let regs = cpy("cnv", a(8, 1), a(1024, 0), |r| set_i(r, 1024, 0, -1));
    assert_eq!((regs.st0, get_i(&regs, 8, 1)), (true, Some(-1)));
    let regs = cpy("cnv", a(16, 1), a(32, 0), |r| set_i(r, 32, 0, 32767));
    assert_eq!((regs.st0, get_i(&regs, 16, 1)), (true, Some(32767)));
}

#[test]
fn narrowing_that_loses_bits_is_undefined_and_clears_st0() {
    let cases: [(&str, u16, u16, i64); 7] = [
        ("cpy", 8, 64, 256),
        ("cpy", 8, 16, -1), // 0xFFFF does not fit 8 unsigned bits
        ("cpy", 32, 1024, 1 << 32),
        ("cnv", 8, 64, 128),
        ("cnv", 8, 64, -129),
        ("cnv", 8, 16, 0xFF), // 255 is not an i8
        ("cnv", 16, 32, -32769),
    ];
    for (m, to, from, v) in cases {
        let regs = cpy(m, a(to, 1), a(from, 0), |r| {
            set_i(r, from, 0, v);
            set_a(r, to, 1, 42);
        });
        assert_eq!(
            (regs.st0, get_a(&regs, to, 1)),
            (false, None),
            "{m} a{to} <- a{from} {v}"
        );
    }
}

#[test]
fn copying_an_undefined_register_leaves_st0_alone() {
    for m in ["cpy", "cnv"] {
        let regs = cpy(m, a(8, 1), a(64, 0), |r| set_a(r, 8, 1, 1));
        assert_eq!((regs.st0, get_a(&regs, 8, 1)), (true, None), "{m}");
    }
    let regs = cpy("cpy", r(128, 1), a(64, 0), |r| set_r(r, 128, 1, &[1; 16]));
    assert_eq!((regs.st0, get_r(&regs, 128, 1)), (true, None));
    let regs = cpy("cpy", a(64, 1), r(128, 0), |r| set_a(r, 64, 1, 1));
    assert_eq!((regs.st0, get_a(&regs, 64, 1)), (true, None));
    let regs = cpy("cpy", r(128, 1), r(256, 0), |_| {});
    assert_eq!((regs.st0, get_r(&regs, 128, 1)), (true, None));
}

#[test]
fn cpy_between_wide_registers() {
    let regs = cpy("cpy", r(8192, 1), r(160, 0), |r| {
        set_r(r, 160, 0, &[0xEE; 20])
    });
    let mut want = vec![0u8; 1024];
    want[..20].fill(0xEE);
    assert_eq!((regs.st0, get_r(&regs, 8192, 1)), (true, Some(want)));
    let mut v = vec![0u8; 32];
    v[19] = 0x80;
    let regs = cpy("cpy", r(160, 1), r(256, 0), |r| set_r(r, 256, 0, &v));
    assert_eq!(
        (regs.st0, get_r(&regs, 160, 1)),
        (true, Some(v[..20].to_vec()))
    );
    v[20] = 1;
    let regs = cpy("cpy", r(160, 1), r(256, 0), |r| set_r(r, 256, 0, &v));
    assert_eq!((regs.st0, get_r(&regs, 160, 1)), (false, None));
}

#[test]
fn cpy_between_a_and_r_registers() {
    let regs = cpy("cpy", r(128, 1), a(8, 0), |r| set_a(r, 8, 0, 0x80));
    assert_eq!(
        (regs.st0, get_r(&regs, 128, 1)),
        (true, Some(le(128, 0x80)))
    );
    let regs = cpy("cpy", r(128, 1), a(1024, 0), |r| {
        set_a(r, 1024, 0, u64::MAX)
    });
    assert_eq!(
        (regs.st0, get_r(&regs, 128, 1)),
        (true, Some(le(128, u64::MAX)))
    );
    let regs = cpy("cpy", r(128, 1), a(1024, 0), |r| {
        let mut b = vec![0; 128];
        b[16] = 1;
        set_a_bytes(r, 1024, 0, &b);
    });
    assert_eq!((regs.st0, get_r(&regs, 128, 1)), (false, None));
    let regs = cpy("cpy", a(16, 1), r(4096, 0), |r| {
        set_r(r, 4096, 0, &le(4096, 0xFFFF))
    });
    assert_eq!((regs.st0, get_a(&regs, 16, 1)), (true, Some(0xFFFF)));
    let regs = cpy("cpy", a(16, 1), r(4096, 0), |r| {
        set_r(r, 4096, 0, &le(4096, 0x1_0000))
    });
    assert_eq!((regs.st0, get_a(&regs, 16, 1)), (false, None));
    let regs = cpy("cpy", a(1024, 1), r(8192, 0), |r| {
        set_r(r, 8192, 0, &le(8192, 3))
    });
    assert_eq!((regs.st0, get_a(&regs, 1024, 1)), (true, Some(3)));
}

fn st(flag: &str, reg_value: Option<u64>, st0: bool) -> Option<u64> {
    let regs = one(ins("st", Some(flag), &[a(8, 0)]), |r| {
        r.st0 = st0;
        if let Some(v) = reg_value {
            set_a(r, 8, 0, v);
        }
    });
    assert_eq!(regs.st0, st0, "st leaves st0 alone");
    get_a(&regs, 8, 0)
}

#[test]
fn st_merges_st0_into_a_register() {
    // .s sets 0 or 1 whatever the register held.
    assert_eq!(st("s", None, true), Some(1));
    assert_eq!(st("s", Some(7), false), Some(0));
    // .a adds, wrapping, undefined counting as 0.
    assert_eq!(st("a", Some(7), true), Some(8));
    assert_eq!(st("a", Some(7), false), Some(7));
    assert_eq!(st("a", Some(255), true), Some(0));
    assert_eq!(st("a", None, true), Some(1));
    assert_eq!(st("a", None, false), Some(0));
    // .n: 1 if the register is non-zero and st0.
    assert_eq!(st("n", Some(7), true), Some(1));
    assert_eq!(st("n", Some(0), true), Some(0));
    assert_eq!(st("n", Some(7), false), Some(0));
    assert_eq!(st("n", None, true), Some(0));
    // .o: 1 if the register is non-zero or st0.
    assert_eq!(st("o", Some(7), false), Some(1));
    assert_eq!(st("o", Some(0), false), Some(0));
    assert_eq!(st("o", None, true), Some(1));
    assert_eq!(st("o", None, false), Some(0));
    // Wide registers too.
    let regs = one(ins("st", Some("a"), &[a(1024, 0)]), |r| {
        set_a(r, 1024, 0, u64::MAX)
    });
    assert_eq!(
        get_a_bytes(&regs, 1024, 0).unwrap()[..9],
        [0, 0, 0, 0, 0, 0, 0, 0, 1]
    );
}

#[test]
fn inv_flips_st0() {
    let (out, _) = run(&[ins("inv", None, &[Operand::St0]), stop()], &[], |_| {});
    assert!(!out.st0);
    let (out, _) = run(&[ins("inv", None, &[Operand::St0]), stop()], &[], |r| {
        r.st0 = false
    });
    assert!(out.st0);
}
