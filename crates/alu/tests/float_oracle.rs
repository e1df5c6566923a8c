//! A second, arbitrary-precision reference for every format, f80 and f256
//! included: exact rational results in `num-bigint` and a plain rounding
//! written from the IEEE 754 definition (nothing shared with the VM's core).
//! At binary16/32/64 the oracle is itself checked by agreeing with the core,
//! which agrees with Berkeley SoftFloat there (`float_reference.rs`).
//!
//! `AVM_FLOAT_CASES` sets the count per operation, format and direction.

mod floatgen;

use avm_alu::float::{self, Bits, Layout, Rounding};
use avm_alu::reg::FFormat;
use floatgen::{cases, Gen};
use num_bigint::BigUint;

/// A decoded operand: `None` for NaN (and x87 non-numbers).
#[derive(Clone, Debug)]
enum Val {
    Inf(bool),
    /// `(-1)^neg * m * 2^e`, `m` possibly zero.
    Fin(bool, BigUint, i64),
}

fn big(b: Bits) -> BigUint {
    BigUint::from_bytes_le(&b.to_le_bytes())
}

fn field(x: &BigUint, at: u32, n: u32) -> BigUint {
    (x >> at) & ((BigUint::from(1u8) << n) - 1u8)
}

fn decode(l: Layout, bits: &BigUint) -> Option<Val> {
    let int = u32::from(l.explicit_int);
    let neg = bits.bit(u64::from(l.total_bits() - 1));
    let frac = field(bits, 0, l.frac_bits);
    let exp: u64 = field(bits, l.frac_bits + int, l.exp_bits)
        .try_into()
        .unwrap();
    let int_bit = l.explicit_int && bits.bit(u64::from(l.frac_bits));
    let bias = (1i64 << (l.exp_bits - 1)) - 1;
    let max = (1u64 << l.exp_bits) - 1;
    let implicit = BigUint::from(1u8) << l.frac_bits;
    if exp == max {
        let inf = frac == BigUint::ZERO && int_bit == l.explicit_int;
        return inf.then_some(Val::Inf(neg));
    }
    let e = |biased: i64| biased - bias - i64::from(l.frac_bits);
    if exp == 0 {
        let m = if int_bit { frac + implicit } else { frac };
        return Some(Val::Fin(neg, m, e(1)));
    }
    if l.explicit_int && !int_bit {
        return None;
    }
    Some(Val::Fin(neg, frac + implicit, e(exp as i64)))
}

fn encode(l: Layout, neg: bool, biased: u64, m: &BigUint) -> BigUint {
    let int = u32::from(l.explicit_int);
    let m = if l.explicit_int {
        m.clone()
    } else {
        m & ((BigUint::from(1u8) << l.frac_bits) - 1u8)
    };
    let sign = if neg {
        BigUint::from(1u8) << (l.total_bits() - 1)
    } else {
        BigUint::ZERO
    };
    sign | (BigUint::from(biased) << (l.frac_bits + int)) | m
}

fn inf(l: Layout, neg: bool) -> BigUint {
    let max = (1u64 << l.exp_bits) - 1;
    encode(l, neg, max, &(BigUint::from(1u8) << l.frac_bits))
}

/// Whether the rounding moves the magnitude up, given the kept part's
/// parity and how the discarded part compares with one half.
fn up(r: Rounding, neg: bool, odd: bool, half: std::cmp::Ordering, inexact: bool) -> bool {
    use std::cmp::Ordering::*;
    match r {
        Rounding::NearestEven => half == Greater || (half == Equal && odd),
        Rounding::TowardZero => false,
        Rounding::Down => neg && inexact,
        Rounding::Up => !neg && inexact,
    }
}

/// A positive exact value `num / den * 2^e` rounded into `l` (`den` > 0).
fn round(
    l: Layout,
    neg: bool,
    num: &BigUint,
    den: &BigUint,
    e: i64,
    r: Rounding,
) -> (BigUint, bool) {
    if *num == BigUint::ZERO {
        return (encode(l, neg, 0, &BigUint::ZERO), false);
    }
    let p = i64::from(l.frac_bits) + 1;
    let bias = (1i64 << (l.exp_bits - 1)) - 1;
    let emin = 1 - bias;
    // floor(log2(num / den)) + e.
    let mut t = num.bits() as i64 - den.bits() as i64;
    let ge = |t: i64| shl(num, -t) >= shl(den, t);
    while !ge(t) {
        t -= 1;
    }
    while ge(t + 1) {
        t += 1;
    }
    let q = (t + e).max(emin) - (p - 1);
    // m = floor(num / den * 2^(e - q)), and the rest.
    let s = e - q;
    let (n2, d2) = (shl(num, s), shl(den, -s));
    let mut m = &n2 / &d2;
    let rest = &n2 - &m * &d2;
    let half = (&rest << 1u8).cmp(&d2);
    let inexact = rest != BigUint::ZERO;
    let mut q = q;
    if up(r, neg, m.bit(0), half, inexact) {
        m += 1u8;
        if m.bits() as i64 > p {
            m >>= 1u8;
            q += 1;
        }
    }
    if m.bits() as i64 == p && q + p - 1 > bias {
        let to_inf = match r {
            Rounding::NearestEven => true,
            Rounding::TowardZero => false,
            Rounding::Down => neg,
            Rounding::Up => !neg,
        };
        let max = (1u64 << l.exp_bits) - 1;
        let bits = if to_inf {
            inf(l, neg)
        } else {
            encode(l, neg, max - 1, &((BigUint::from(1u8) << p) - 1u8))
        };
        return (bits, true);
    }
    let biased = if m.bits() as i64 == p {
        (q + p - 1 + bias) as u64
    } else {
        0
    };
    (encode(l, neg, biased, &m), false)
}

/// `x * 2^s` for `s >= 0`, else `x` unchanged (the other side takes the shift).
fn shl(x: &BigUint, s: i64) -> BigUint {
    if s > 0 {
        x << (s as u64)
    } else {
        x.clone()
    }
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Add,
    Mul,
    Div,
    Sqrt,
}

/// The oracle's answer: `None` for an invalid operation.
fn oracle(l: Layout, op: Op, a: Val, b: Val, r: Rounding) -> Option<(BigUint, bool)> {
    use Val::*;
    let one = BigUint::from(1u8);
    let zero_sign = |x: bool, y: bool| if x == y { x } else { r == Rounding::Down };
    Some(match (op, a, b) {
        (Op::Add, Inf(x), Inf(y)) if x != y => return None,
        (Op::Add, Inf(x), _) | (Op::Add, _, Inf(x)) => (inf(l, x), false),
        (Op::Add, Fin(x, ma, ea), Fin(y, mb, eb)) => {
            let e = ea.min(eb);
            let (ma, mb) = (ma << ((ea - e) as u64), mb << ((eb - e) as u64));
            let (neg, m) = if x == y {
                (x, ma + mb)
            } else if ma >= mb {
                (x, ma - mb)
            } else {
                (y, mb - ma)
            };
            let neg = if m == BigUint::ZERO {
                zero_sign(x, y)
            } else {
                neg
            };
            round(l, neg, &m, &one, e, r)
        }
        (Op::Mul, Inf(_), Fin(_, m, _)) | (Op::Mul, Fin(_, m, _), Inf(_)) if m == BigUint::ZERO => {
            return None
        }
        (Op::Mul, Inf(x), Inf(y))
        | (Op::Mul, Inf(x), Fin(y, ..))
        | (Op::Mul, Fin(x, ..), Inf(y)) => (inf(l, x ^ y), false),
        (Op::Mul, Fin(x, ma, ea), Fin(y, mb, eb)) => round(l, x ^ y, &(ma * mb), &one, ea + eb, r),
        (Op::Div, Inf(_), Inf(_)) => return None,
        (Op::Div, Inf(x), Fin(y, ..)) => (inf(l, x ^ y), false),
        (Op::Div, Fin(x, ..), Inf(y)) => round(l, x ^ y, &BigUint::ZERO, &one, 0, r),
        (Op::Div, Fin(x, ma, ea), Fin(y, mb, eb)) => {
            match (ma == BigUint::ZERO, mb == BigUint::ZERO) {
                (true, true) => return None,
                (false, true) => (inf(l, x ^ y), false),
                _ => round(l, x ^ y, &ma, &mb, ea - eb, r),
            }
        }
        (Op::Sqrt, Inf(false), _) => (inf(l, false), false),
        (Op::Sqrt, Inf(true), _) => return None,
        (Op::Sqrt, Fin(neg, m, e), _) => {
            if m == BigUint::ZERO {
                return Some((encode(l, neg, 0, &m), false));
            }
            if neg {
                return None;
            }
            // m * 2^e = n * 2^(2h) with n an integer of at least 2p + 6 bits; its
            // root's floor s is exact or has a remainder strictly inside (s, s+1),
            // which rounds like s + 1/2 since s is far wider than the format.
            let (m, e) = if e % 2 != 0 {
                (m << 1u8, e - 1)
            } else {
                (m, e)
            };
            let p = i64::from(l.frac_bits) + 1;
            let k = ((2 * p + 6 - m.bits() as i64).max(0) + 1) / 2;
            let n = m << ((2 * k) as u64);
            let h = (e - 2 * k) / 2;
            let s = n.sqrt();
            if &s * &s == n {
                round(l, false, &s, &one, h, r)
            } else {
                round(l, false, &((s << 1u8) + 1u8), &BigUint::from(2u8), h, r)
            }
        }
    })
}

fn check(f: FFormat, op: Op, seed: u64) {
    let l = Layout::of(f);
    let n = cases();
    for r in Rounding::ALL {
        let mut g = Gen::new(seed ^ (op as u64) << 8 ^ (r as u64) << 16);
        for _ in 0..n {
            let (a, b) = (wide_operand(&mut g, f), wide_operand(&mut g, f));
            let want = match (decode(l, &big(a)), decode(l, &big(b))) {
                (Some(x), Some(y)) => oracle(l, op, x, y, r),
                (Some(x), None) if matches!(op, Op::Sqrt) => oracle(l, op, x, Val::Inf(false), r),
                _ => None,
            };
            let got = match op {
                Op::Add => float::add(f, a, b, r),
                Op::Mul => float::mul(f, a, b, r),
                Op::Div => float::div(f, a, b, r),
                Op::Sqrt => float::sqrt(f, a, r),
            };
            let got = got.map(|g| (big(g.bits), g.overflow));
            assert_eq!(got, want, "{op:?} {f:?} {r:?} on {:x} {:x}", big(a), big(b));
        }
    }
}

/// An operand of any width: f256 takes two 128-bit draws for its top and bottom.
fn wide_operand(g: &mut Gen, f: FFormat) -> Bits {
    if f != FFormat::F256 {
        return float::bits(g.operand(f));
    }
    // Draw an f128-shaped operand and widen its fields to f256 (exponent
    // scaled by the bias ratio keeps the edge cases at the edges).
    let x = g.operand(FFormat::F128);
    let neg = x >> 127 != 0;
    let exp = (x >> 112) & 0x7fff;
    let exp = match exp {
        0 => 0u128,
        0x7fff => 0x7ffff,
        e if e < 0x40 => e,
        e if e > 0x7fff - 0x40 => 0x7ffff - (0x7fff - e),
        e => e + 0x3ffff - 0x3fff,
    };
    let frac_hi = x & ((1u128 << 112) - 1);
    let frac_lo = g.wide() >> (g.below(128) as u32);
    let mut bytes = [0u8; 32];
    bytes[..16].copy_from_slice(&frac_lo.to_le_bytes());
    let top = (u128::from(neg) << 127) | (exp << 108) | (frac_hi >> 4);
    bytes[16..].copy_from_slice(&top.to_le_bytes());
    Bits::from_le_slice(&bytes).unwrap_or_default()
}

#[test]
fn f32_agrees_with_the_oracle() {
    for op in [Op::Add, Op::Mul, Op::Div, Op::Sqrt] {
        check(FFormat::F32, op, 21);
    }
}

#[test]
fn f64_agrees_with_the_oracle() {
    for op in [Op::Add, Op::Mul, Op::Div, Op::Sqrt] {
        check(FFormat::F64, op, 22);
    }
}

#[test]
fn f80_agrees_with_the_oracle() {
    for op in [Op::Add, Op::Mul, Op::Div, Op::Sqrt] {
        check(FFormat::F80, op, 23);
    }
}

#[test]
fn f256_agrees_with_the_oracle() {
    for op in [Op::Add, Op::Mul, Op::Div, Op::Sqrt] {
        check(FFormat::F256, op, 24);
    }
}

#[test]
fn bf16_f16_and_f128_agree_with_the_oracle() {
    for (f, seed) in [(FFormat::Bf16, 25), (FFormat::F16, 26), (FFormat::F128, 27)] {
        for op in [Op::Add, Op::Mul, Op::Div, Op::Sqrt] {
            check(f, op, seed);
        }
    }
}
