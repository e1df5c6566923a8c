//! Differential tests of the soft-float core against independent
//! implementations: Berkeley SoftFloat 3 (through `softfloat-wrapper`) for
//! f16, f32, f64 and f128, and LLVM's APFloat (`rustc_apfloat`) for bf16
//! and x87 f80 (softfloat-wrapper's BF16 computes in f32 and truncates, so
//! it is no reference). f256 runs the same generic code these formats run.
//!
//! Operands come from a fixed-seed generator biased toward edge cases. The
//! count per operation, format and rounding direction is
//! `AVM_FLOAT_CASES` (default 1000; e.g. `AVM_FLOAT_CASES=1000000`).

mod floatgen;

use avm_alu::float::{self, Bits, Rounding};
use avm_alu::reg::FFormat;
use floatgen::{cases, Gen};
use rustc_apfloat::{ieee, Round, Status};
use softfloat_wrapper::{ExceptionFlags, Float, RoundingMode, F128, F16, F32, F64};
use std::sync::Mutex;

/// SoftFloat's rounding mode and flags are process globals.
static SOFTFLOAT: Mutex<()> = Mutex::new(());

fn rm(r: Rounding) -> RoundingMode {
    match r {
        Rounding::NearestEven => RoundingMode::TiesToEven,
        Rounding::TowardZero => RoundingMode::TowardZero,
        Rounding::Down => RoundingMode::TowardNegative,
        Rounding::Up => RoundingMode::TowardPositive,
    }
}

/// The operations under test, by name.
#[derive(Clone, Copy, Debug)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Fma,
    Rem,
    Sqrt,
    Rnd,
}

const OPS: [Op; 8] = [
    Op::Add,
    Op::Sub,
    Op::Mul,
    Op::Div,
    Op::Fma,
    Op::Rem,
    Op::Sqrt,
    Op::Rnd,
];

/// What SoftFloat says: the bits, or `None` for a NaN; and the overflow flag.
fn reference<T: Float>(op: Op, x: [T::Payload; 3], r: Rounding) -> (Option<T::Payload>, bool)
where
    T::Payload: Copy,
{
    let [a, b, c] = x.map(T::from_bits);
    let m = rm(r);
    let mut flags = ExceptionFlags::default();
    flags.set();
    let out = match op {
        Op::Add => a.add(&b, m),
        Op::Sub => a.sub(&b, m),
        Op::Mul => a.mul(&b, m),
        Op::Div => a.div(&b, m),
        Op::Fma => a.fused_mul_add(&b, &c, m),
        Op::Rem => a.rem(&b, m),
        Op::Sqrt => a.sqrt(m),
        Op::Rnd => a.round_to_integral(m),
    };
    flags.get();
    ((!out.is_nan()).then(|| out.to_bits()), flags.is_overflow())
}

fn ours(f: FFormat, op: Op, [a, b, c]: [Bits; 3], r: Rounding) -> Option<float::Rounded> {
    match op {
        Op::Add => float::add(f, a, b, r),
        Op::Sub => float::sub(f, a, b, r),
        Op::Mul => float::mul(f, a, b, r),
        Op::Div => float::div(f, a, b, r),
        Op::Fma => float::fma(f, a, b, c, r),
        Op::Rem => float::rem(f, a, b),
        Op::Sqrt => float::sqrt(f, a, r),
        Op::Rnd => float::round_integral(f, a, r),
    }
}

fn check_format<T: Float>(f: FFormat, seed: u64)
where
    T::Payload: Copy + Into<u128> + TryFrom<u128> + std::fmt::Debug,
{
    let _guard = SOFTFLOAT.lock().unwrap_or_else(|e| e.into_inner());
    let n = cases();
    for op in OPS {
        for r in Rounding::ALL {
            let mut g = Gen::new(seed ^ (op as u64) << 8 ^ (r as u64) << 16);
            for _ in 0..n {
                let x = [g.operand(f), g.operand(f), g.operand(f)];
                let payload = x.map(|v| T::Payload::try_from(v).ok().expect("fits"));
                let (want, overflow) = reference::<T>(op, payload, r);
                let got = ours(f, op, x.map(float::bits), r);
                let got_bits = got.map(|g| float::low_u128(g.bits));
                assert_eq!(
                    got_bits,
                    want.map(Into::into),
                    "{op:?} {f:?} {r:?} on {x:#x?}"
                );
                if let Some(g) = got {
                    assert_eq!(
                        g.overflow, overflow,
                        "overflow flag: {op:?} {f:?} {r:?} on {x:#x?}"
                    );
                }
            }
        }
    }
}

/// What APFloat says (it has no square root).
fn apfloat<T: rustc_apfloat::Float>(
    op: Op,
    x: [u128; 3],
    r: Rounding,
) -> Option<(Option<u128>, bool)> {
    let [a, b, c] = x.map(T::from_bits);
    let m = match r {
        Rounding::NearestEven => Round::NearestTiesToEven,
        Rounding::TowardZero => Round::TowardZero,
        Rounding::Down => Round::TowardNegative,
        Rounding::Up => Round::TowardPositive,
    };
    let out = match op {
        Op::Add => a.add_r(b, m),
        Op::Sub => a.sub_r(b, m),
        Op::Mul => a.mul_r(b, m),
        Op::Div => a.div_r(b, m),
        Op::Fma => a.mul_add_r(b, c, m),
        Op::Rem => a.ieee_rem(b),
        Op::Sqrt => return None,
        Op::Rnd => a.round_to_integral(m),
    };
    let overflow = out.status.contains(Status::OVERFLOW);
    Some(((!out.value.is_nan()).then(|| out.value.to_bits()), overflow))
}

fn check_apfloat<T: rustc_apfloat::Float>(f: FFormat, seed: u64) {
    let n = cases();
    for op in OPS {
        for r in Rounding::ALL {
            let mut g = Gen::new(seed ^ (op as u64) << 8 ^ (r as u64) << 16);
            for _ in 0..n {
                let x = [g.operand(f), g.operand(f), g.operand(f)];
                let Some((want, overflow)) = apfloat::<T>(op, x, r) else {
                    break;
                };
                let got = ours(f, op, x.map(float::bits), r);
                let got_bits = got.map(|g| float::low_u128(g.bits));
                assert_eq!(got_bits, want, "{op:?} {f:?} {r:?} on {x:#x?}");
                // APFloat raises no overflow when a directed rounding gives the
                // largest finite value; IEEE 754 (and SoftFloat) does.
                if let (Some(g), Rounding::NearestEven) = (got, r) {
                    assert_eq!(
                        g.overflow, overflow,
                        "overflow flag: {op:?} {f:?} {r:?} on {x:#x?}"
                    );
                }
            }
        }
    }
}

#[test]
fn bf16_matches_apfloat() {
    check_apfloat::<ieee::BFloat>(FFormat::Bf16, 1);
}

#[test]
fn f80_matches_apfloat() {
    check_apfloat::<ieee::X87DoubleExtended>(FFormat::F80, 6);
}

#[test]
fn f16_matches_softfloat() {
    check_format::<F16>(FFormat::F16, 2);
}

#[test]
fn f32_matches_softfloat() {
    check_format::<F32>(FFormat::F32, 3);
}

#[test]
fn f64_matches_softfloat() {
    check_format::<F64>(FFormat::F64, 4);
}

#[test]
fn f128_matches_softfloat() {
    check_format::<F128>(FFormat::F128, 5);
}
