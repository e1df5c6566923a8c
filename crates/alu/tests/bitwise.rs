//! Bitwise logic, shifts, rotations and bit reversal on A and R registers.

mod common;

use common::*;

/// a<bits>[2] := op(a<bits>[0], a<amt_bits>[1]) for shifts.
fn shift(m: &str, bits: u16, x: u64, amt_bits: u16, amt: Option<u64>) -> Option<u64> {
    let regs = one(
        ins(m, None, &[a(bits, 2), a(bits, 0), a(amt_bits, 1)]),
        |r| {
            set_a(r, bits, 0, x);
            if let Some(n) = amt {
                set_a(r, amt_bits, 1, n);
            }
        },
    );
    assert!(regs.st0, "shifts never fail");
    get_a(&regs, bits, 2)
}

fn logic(m: &str, bits: u16, x: u64, y: u64) -> Option<u64> {
    let regs = one(ins(m, None, &[a(bits, 2), a(bits, 0), a(bits, 1)]), |r| {
        set_a(r, bits, 0, x);
        set_a(r, bits, 1, y);
    });
    get_a(&regs, bits, 2)
}

#[test]
fn and_or_xor_not() {
    for bits in [8, 16, 32, 64] {
        let mask = if bits == 64 {
            u64::MAX
        } else {
            (1 << bits) - 1
        };
        assert_eq!(logic("and", bits, 0b1100, 0b1010), Some(0b1000));
        assert_eq!(logic("or", bits, 0b1100, 0b1010), Some(0b1110));
        assert_eq!(logic("xor", bits, 0b1100, 0b1010), Some(0b0110));
        let regs = one(ins("not", None, &[a(bits, 2), a(bits, 0)]), |r| {
            set_a(r, bits, 0, 0b1100)
        });
        assert_eq!(get_a(&regs, bits, 2), Some(!0b1100u64 & mask));
    }
    // Wide: not of zero is all ones.
    let regs = one(ins("not", None, &[a(1024, 2), a(1024, 0)]), |r| {
        set_a(r, 1024, 0, 0)
    });
    assert_eq!(get_a_bytes(&regs, 1024, 2), Some(vec![0xFF; 128]));
    // Undefined in, undefined out, st0 unchanged.
    let regs = one(ins("and", None, &[a(64, 2), a(64, 0), a(64, 1)]), |r| {
        set_a(r, 64, 0, 1)
    });
    assert_eq!((get_a(&regs, 64, 2), regs.st0), (None, true));
    let regs = one(ins("not", None, &[a(64, 2), a(64, 0)]), |r| {
        set_a(r, 64, 2, 1)
    });
    assert_eq!((get_a(&regs, 64, 2), regs.st0), (None, true));
}

#[test]
fn shifts_within_the_width() {
    assert_eq!(shift("shl", 8, 0b1000_0001, 8, Some(1)), Some(0b0000_0010));
    assert_eq!(shift("shr", 8, 0b1000_0001, 8, Some(1)), Some(0b0100_0000));
    assert_eq!(shift("sar", 8, 0b1000_0001, 8, Some(1)), Some(0b1100_0000));
    assert_eq!(shift("sar", 8, 0b0100_0001, 8, Some(1)), Some(0b0010_0000));
    assert_eq!(shift("shl", 64, 1, 8, Some(63)), Some(1 << 63));
    assert_eq!(shift("sar", 64, 1 << 63, 8, Some(63)), Some(u64::MAX));
    assert_eq!(shift("shl", 32, 3, 64, Some(0)), Some(3));
}

#[test]
fn shifts_of_the_width_or_more_give_zero_or_the_sign() {
    for bits in [8u16, 16, 32, 64] {
        for amt in [u64::from(bits), u64::from(bits) + 1, 255] {
            assert_eq!(
                shift("shl", bits, 1, 8, Some(amt)),
                Some(0),
                "a{bits} {amt}"
            );
            assert_eq!(
                shift("shr", bits, u64::MAX, 8, Some(amt)),
                Some(0),
                "a{bits} {amt}"
            );
            assert_eq!(
                shift("sar", bits, 1 << (bits - 1), 8, Some(amt)),
                get_all_ones(bits)
            );
            assert_eq!(shift("sar", bits, 1, 8, Some(amt)), Some(0));
        }
        // Amounts from wide registers saturate.
        assert_eq!(shift("shl", bits, 1, 64, Some(u64::MAX)), Some(0));
        assert_eq!(
            shift("sar", bits, 1 << (bits - 1), 64, Some(1 << 40)),
            get_all_ones(bits)
        );
    }
    // An amount beyond u64 in a1024.
    let regs = one(ins("shr", None, &[a(64, 2), a(64, 0), a(1024, 1)]), |r| {
        set_a(r, 64, 0, u64::MAX);
        let mut b = vec![0; 128];
        b[100] = 1;
        set_a_bytes(r, 1024, 1, &b);
    });
    assert_eq!(get_a(&regs, 64, 2), Some(0));
    // a1024 shifted by 1023 and 1024.
    let regs = one(ins("shl", None, &[a(1024, 2), a(1024, 0), a(16, 1)]), |r| {
        set_a(r, 1024, 0, 1);
        set_a(r, 16, 1, 1023);
    });
    let mut top = vec![0u8; 128];
    top[127] = 0x80;
    assert_eq!(get_a_bytes(&regs, 1024, 2), Some(top));
    let regs = one(ins("shl", None, &[a(1024, 2), a(1024, 0), a(16, 1)]), |r| {
        set_a(r, 1024, 0, 1);
        set_a(r, 16, 1, 1024);
    });
    assert_eq!(get_a_bytes(&regs, 1024, 2), Some(vec![0; 128]));
}

fn get_all_ones(bits: u16) -> Option<u64> {
    Some(if bits == 64 {
        u64::MAX
    } else {
        (1 << bits) - 1
    })
}

#[test]
fn an_undefined_shift_amount_gives_undefined() {
    for m in ["shl", "shr", "sar", "rol", "ror"] {
        assert_eq!(shift(m, 32, 5, 8, None), None, "{m}");
    }
    let regs = one(ins("shl", None, &[a(32, 2), a(32, 0), a(8, 1)]), |r| {
        set_a(r, 8, 1, 1)
    });
    assert_eq!((get_a(&regs, 32, 2), regs.st0), (None, true));
}

#[test]
fn rotations_are_modulo_the_width() {
    assert_eq!(shift("rol", 8, 0b1000_0001, 8, Some(1)), Some(0b0000_0011));
    assert_eq!(shift("ror", 8, 0b1000_0001, 8, Some(1)), Some(0b1100_0000));
    assert_eq!(shift("rol", 8, 0b1000_0001, 8, Some(9)), Some(0b0000_0011));
    assert_eq!(shift("rol", 8, 0b1000_0001, 8, Some(8)), Some(0b1000_0001));
    assert_eq!(shift("ror", 16, 1, 64, Some(u64::MAX)), Some(2)); // u32::MAX % 16 = 15
    assert_eq!(shift("rol", 64, 1 << 63, 8, Some(1)), Some(1));
    assert_eq!(shift("ror", 64, 1, 8, Some(65)), Some(1 << 63));
    // a1024 rotation crosses limbs.
    let regs = one(ins("ror", None, &[a(1024, 2), a(1024, 0), a(8, 1)]), |r| {
        set_a(r, 1024, 0, 1);
        set_a(r, 8, 1, 1);
    });
    let mut top = vec![0u8; 128];
    top[127] = 0x80;
    assert_eq!(get_a_bytes(&regs, 1024, 2), Some(top));
}

#[test]

fn rotation_by_a_huge_amount_is_modulo_the_width() {
    // 2^32 is 0 modulo 16, so ror by 2^32 is the identity.
    assert_eq!(shift("ror", 16, 1, 64, Some(1 << 32)), Some(1));
    // u64::MAX % 16 = 15: ror by 15 = rol by 1.
    assert_eq!(shift("ror", 16, 1, 64, Some(u64::MAX)), Some(2));
}

#[test]
fn rev_reverses_bits() {
    let regs = one(ins("rev", None, &[a(8, 2), a(8, 0)]), |r| {
        set_a(r, 8, 0, 0b1100_0001)
    });
    assert_eq!(get_a(&regs, 8, 2), Some(0b1000_0011));
    let regs = one(ins("rev", None, &[a(64, 2), a(64, 0)]), |r| {
        set_a(r, 64, 0, 1)
    });
    assert_eq!(get_a(&regs, 64, 2), Some(1 << 63));
    let regs = one(ins("rev", None, &[a(256, 2), a(256, 0)]), |r| {
        set_a(r, 256, 0, 1)
    });
    let mut top = vec![0u8; 32];
    top[31] = 0x80;
    assert_eq!(get_a_bytes(&regs, 256, 2), Some(top));
    let regs = one(ins("rev", None, &[a(16, 2), a(16, 0)]), |_| {});
    assert_eq!((get_a(&regs, 16, 2), regs.st0), (None, true));
}

/// A wide register's bytes with bit `n` set.
fn bit(bits: u16, n: usize) -> Vec<u8> {
    let mut v = vec![0u8; bits as usize / 8];
    v[n / 8] |= 1 << (n % 8);
    v
}

#[test]
fn wide_register_logic() {
    for bits in R_BITS {
        let n = bits as usize / 8;
        let x: Vec<u8> = (0..n).map(|i| i as u8).collect();
        let y: Vec<u8> = (0..n).map(|i| (i * 7) as u8).collect();
        for (m, f) in [
            ("and", (|p, q| p & q) as fn(u8, u8) -> u8),
            ("or", |p, q| p | q),
            ("xor", |p, q| p ^ q),
        ] {
            let regs = one(ins(m, None, &[r(bits, 2), r(bits, 0), r(bits, 1)]), |r| {
                set_r(r, bits, 0, &x);
                set_r(r, bits, 1, &y);
            });
            let want: Vec<u8> = x.iter().zip(&y).map(|(p, q)| f(*p, *q)).collect();
            assert_eq!(get_r(&regs, bits, 2), Some(want), "{m} r{bits}");
        }
        let regs = one(ins("not", None, &[r(bits, 2), r(bits, 0)]), |r| {
            set_r(r, bits, 0, &x)
        });
        assert_eq!(get_r(&regs, bits, 2), Some(x.iter().map(|b| !b).collect()));
        let regs = one(
            ins("and", None, &[r(bits, 2), r(bits, 0), r(bits, 1)]),
            |r| set_r(r, bits, 0, &x),
        );
        assert_eq!((get_r(&regs, bits, 2), regs.st0), (None, true));
    }
}

fn rshift(m: &str, bits: u16, x: &[u8], amt: u64) -> Option<Vec<u8>> {
    let regs = one(ins(m, None, &[r(bits, 2), r(bits, 0), a(16, 1)]), |r| {
        set_r(r, bits, 0, x);
        set_a(r, 16, 1, amt);
    });
    get_r(&regs, bits, 2)
}

#[test]
fn wide_register_shifts_rotations_and_rev() {
    for bits in R_BITS {
        let w = bits as usize;
        let top = bit(bits, w - 1);
        let low = bit(bits, 0);
        assert_eq!(
            rshift("shl", bits, &low, (w - 1) as u64),
            Some(top.clone()),
            "r{bits}"
        );
        assert_eq!(
            rshift("shl", bits, &low, w as u64),
            Some(vec![0; w / 8]),
            "r{bits}"
        );
        assert_eq!(
            rshift("shr", bits, &top, (w - 1) as u64),
            Some(low.clone()),
            "r{bits}"
        );
        assert_eq!(
            rshift("shr", bits, &top, 60_000),
            Some(vec![0; w / 8]),
            "r{bits}"
        );
        assert_eq!(rshift("rol", bits, &top, 1), Some(low.clone()), "r{bits}");
        assert_eq!(rshift("ror", bits, &low, 1), Some(top.clone()), "r{bits}");
        assert_eq!(
            rshift("rol", bits, &low, w as u64 + 3),
            Some(bit(bits, 3)),
            "r{bits}"
        );
        assert_eq!(
            rshift("ror", bits, &low, w as u64),
            Some(low.clone()),
            "r{bits}"
        );
        let regs = one(ins("rev", None, &[r(bits, 2), r(bits, 0)]), |r| {
            set_r(r, bits, 0, &low)
        });
        assert_eq!(get_r(&regs, bits, 2), Some(top.clone()), "rev r{bits}");
        // An undefined amount.
        let regs = one(ins("shl", None, &[r(bits, 2), r(bits, 0), a(8, 9)]), |r| {
            set_r(r, bits, 0, &low)
        });
        assert_eq!((get_r(&regs, bits, 2), regs.st0), (None, true));
    }
}
