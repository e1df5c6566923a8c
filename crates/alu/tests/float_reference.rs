//! Differential tests of the soft-float core against independent
//! implementations: Berkeley SoftFloat 3 (through `softfloat-wrapper`) for
//! f16, f32, f64 and f128, and LLVM's APFloat (`rustc_apfloat`) for bf16
//! and x87 f80 (softfloat-wrapper's BF16 computes in f32 and truncates, so
//! it is no reference). f256 runs the same generic code these formats run.
//!
//! Operands come from a fixed-seed generator biased toward edge cases. The
//! count per operation, format and rounding direction is
//! `AVM_FLOAT_CASES` (default 500; e.g. `AVM_FLOAT_CASES=1000000`).

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

/// SoftFloat's conversions of `x` (a `T`) to every other SoftFloat format.
fn convert_reference<T: Float>(x: &T, m: RoundingMode) -> [(FFormat, Option<u128>, bool); 4] {
    fn out<U: Float>(f: FFormat, v: U) -> (FFormat, Option<u128>, bool)
    where
        U::Payload: Into<u128>,
    {
        let mut flags = ExceptionFlags::default();
        flags.get();
        (
            f,
            (!v.is_nan()).then(|| v.to_bits().into()),
            flags.is_overflow(),
        )
    }
    let flags = ExceptionFlags::default();
    let one = |f: FFormat| {
        flags.set();
        match f {
            FFormat::F16 => out(f, x.to_f16(m)),
            FFormat::F32 => out(f, x.to_f32(m)),
            FFormat::F64 => out(f, x.to_f64(m)),
            _ => out(f, x.to_f128(m)),
        }
    };
    [
        one(FFormat::F16),
        one(FFormat::F32),
        one(FFormat::F64),
        one(FFormat::F128),
    ]
}

fn check_conversions<T: Float>(f: FFormat, seed: u64)
where
    T::Payload: TryFrom<u128> + Into<u128>,
{
    let _guard = SOFTFLOAT.lock().unwrap_or_else(|e| e.into_inner());
    let n = cases();
    for r in Rounding::ALL {
        let mut g = Gen::new(seed ^ (r as u64) << 16);
        for _ in 0..n {
            let x = g.operand(f);
            let t = T::from_bits(T::Payload::try_from(x).ok().expect("fits"));
            for (to, want, overflow) in convert_reference(&t, rm(r)) {
                let got = float::convert(f, to, float::bits(x), r);
                assert_eq!(
                    got.map(|g| float::low_u128(g.bits)),
                    want,
                    "{f:?} -> {to:?} {r:?} of {x:#x}"
                );
                if let Some(g) = got {
                    assert_eq!(g.overflow, overflow, "{f:?} -> {to:?} {r:?} of {x:#x}");
                }
            }
            // To integers: SoftFloat raises invalid where ours is impossible.
            for (bits, signed) in [(32, false), (32, true), (64, false), (64, true)] {
                let mut flags = ExceptionFlags::default();
                flags.set();
                let v: u64 = match (bits, signed) {
                    (32, false) => u64::from(t.to_u32(rm(r), false)),
                    (32, true) => t.to_i32(rm(r), false) as u32 as u64,
                    (_, false) => t.to_u64(rm(r), false),
                    _ => t.to_i64(rm(r), false) as u64,
                };
                flags.get();
                let want = (!flags.is_invalid()).then_some(v);
                let got = float::to_int(f, float::bits(x), r, bits, signed)
                    .map(|v| float::low_u128(widen_low(v)) as u64);
                assert_eq!(
                    got, want,
                    "{f:?} to {bits} bits signed {signed} {r:?} of {x:#x}"
                );
            }
            // From integers.
            let v = g.next() >> g.below(64);
            let neg = g.next() & 1 == 1;
            let i = if neg {
                (v as i64).wrapping_neg()
            } else {
                v as i64
            };
            for (signed, raw, want) in [
                (false, v, T::from_u64(v, rm(r))),
                (true, i as u64, T::from_i64(i, rm(r))),
            ] {
                let got = float::from_int(f, int1024(raw), 64, signed, r);
                let want: u128 = want.to_bits().into();
                assert_eq!(
                    float::low_u128(got.bits),
                    want,
                    "{f:?} from {raw:#x} signed {signed} {r:?}"
                );
            }
        }
    }
}

/// The low 256 bits of a 1024-bit integer.
fn widen_low(v: bnum::types::U1024) -> Bits {
    Bits::from_le_slice(&v.to_le_bytes()[..32]).unwrap_or_default()
}

fn int1024(v: u64) -> bnum::types::U1024 {
    let mut bytes = [0u8; 128];
    bytes[..8].copy_from_slice(&v.to_le_bytes());
    bnum::types::U1024::from_le_slice(&bytes).unwrap_or_default()
}

#[test]
fn f16_conversions_match_softfloat() {
    check_conversions::<F16>(FFormat::F16, 11);
}

#[test]
fn f32_conversions_match_softfloat() {
    check_conversions::<F32>(FFormat::F32, 12);
}

#[test]
fn f64_conversions_match_softfloat() {
    check_conversions::<F64>(FFormat::F64, 13);
}

#[test]
fn f128_conversions_match_softfloat() {
    check_conversions::<F128>(FFormat::F128, 14);
}

/// Time per operation of the core, for setting complexity: the worst cases
/// (f256, and the remainder with the largest exponent gap) against an f64
/// add. `cargo test --release -p avm-alu --test float_reference -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing() {
    use std::time::Instant;
    let f256 = |top: u128, low: u128| {
        let mut bytes = [0u8; 32];
        bytes[..16].copy_from_slice(&low.to_le_bytes());
        bytes[16..].copy_from_slice(&top.to_le_bytes());
        Bits::from_le_slice(&bytes).unwrap_or_default()
    };
    let big = f256(0x7fff_e123_4567_89ab_cdef_0123_4567_89ab, u128::MAX / 3);
    let small = f256(0x0000_1123_4567_89ab_cdef_0123_4567_89ab, u128::MAX / 7);
    let one = f256(0x3fff_f555_5555_5555_5555_5555_5555_5555, u128::MAX / 5);
    let x64 = float::bits(0x3ff0_1234_5678_9abc);
    let y64 = float::bits(0x4009_8765_4321_0fed);
    let r = Rounding::NearestEven;
    let time = |name: &str, op: &dyn Fn() -> Option<float::Rounded>| {
        let n = 20_000;
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(op());
        }
        println!(
            "{name:24} {:8.0} ns",
            t.elapsed().as_nanos() as f64 / f64::from(n)
        );
    };
    let f = FFormat::F64;
    time("f64 add", &|| float::add(f, x64, y64, r));
    time("f64 mul", &|| float::mul(f, x64, y64, r));
    time("f64 div", &|| float::div(f, x64, y64, r));
    time("f64 sqrt", &|| float::sqrt(f, x64, r));
    time("f64 fma", &|| float::fma(f, x64, y64, x64, r));
    time("f64 rem (max gap)", &|| {
        float::rem(f, float::bits(0x7fef_ffff_ffff_ffff), float::bits(1))
    });
    let f = FFormat::F128;
    let (x, y) = (
        float::bits(0x3fff_1234 << 96),
        float::bits(0x4009_8765 << 96 | 12345),
    );
    time("f128 add", &|| float::add(f, x, y, r));
    time("f128 mul", &|| float::mul(f, x, y, r));
    time("f128 div", &|| float::div(f, x, y, r));
    let f = FFormat::F256;
    time("f256 add", &|| float::add(f, one, small, r));
    time("f256 mul", &|| float::mul(f, one, one, r));
    time("f256 div", &|| float::div(f, one, small, r));
    time("f256 sqrt", &|| float::sqrt(f, big, r));
    time("f256 fma", &|| float::fma(f, one, one, small, r));
    time("f256 rem (max gap)", &|| float::rem(f, big, small));
    time("f256 rnd", &|| float::round_integral(f, one, r));
    time("f256 to f16", &|| float::convert(f, FFormat::F16, one, r));
}
