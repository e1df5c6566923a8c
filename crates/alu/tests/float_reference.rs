//! Differential tests of the soft-float core against LLVM's APFloat
//! (`rustc_apfloat`, pure Rust) in every format it has: bf16, f16, f32, f64,
//! x87 f80 and f128, for arithmetic, rounding to integral, conversions
//! between every pair of those formats and to and from 32- and 64-bit
//! integers. f256 runs the same generic code these formats run; square roots
//! (APFloat has none) are checked by `float_oracle.rs`. Berkeley SoftFloat is
//! a second reference behind the `softfloat-reference` feature
//! (`float_softfloat.rs`).
//!
//! Operands come from a fixed-seed generator biased toward edge cases. The
//! count per operation, format and rounding direction is
//! `AVM_FLOAT_CASES` (default 500; e.g. `AVM_FLOAT_CASES=1000000`).

mod floatgen;
mod floatops;

use avm_alu::float::{self, Bits, Rounding};
use avm_alu::reg::FFormat;
use floatops::{each_conversion_case, each_op_case, int1024, ours, widen_low, Op, INT_SHAPES};
use rustc_apfloat::ieee::{self, IeeeFloat, Semantics};
use rustc_apfloat::{Float, FloatConvert, Round, Status, StatusAnd};

fn round(r: Rounding) -> Round {
    match r {
        Rounding::NearestEven => Round::NearestTiesToEven,
        Rounding::TowardZero => Round::TowardZero,
        Rounding::Down => Round::TowardNegative,
        Rounding::Up => Round::TowardPositive,
    }
}

/// APFloat's result as (bits or `None` for a NaN, overflow flag).
fn outcome<T: Float>(out: StatusAnd<T>) -> (Option<u128>, bool) {
    let overflow = out.status.contains(Status::OVERFLOW);
    ((!out.value.is_nan()).then(|| out.value.to_bits()), overflow)
}

/// What APFloat says (it has no square root).
fn apfloat<T: Float>(op: Op, x: [u128; 3], r: Rounding) -> Option<(Option<u128>, bool)> {
    let [a, b, c] = x.map(T::from_bits);
    let m = round(r);
    Some(outcome(match op {
        Op::Add => a.add_r(b, m),
        Op::Sub => a.sub_r(b, m),
        Op::Mul => a.mul_r(b, m),
        Op::Div => a.div_r(b, m),
        Op::Fma => a.mul_add_r(b, c, m),
        Op::Rem => a.ieee_rem(b),
        Op::Sqrt => return None,
        Op::Rnd => a.round_to_integral(m),
    }))
}

/// Checks `got` against APFloat's `want`. APFloat raises no overflow when a
/// directed rounding gives the largest finite value; IEEE 754 (and
/// SoftFloat) does, so the flag is compared when rounding to nearest.
fn agree(
    got: Option<float::Rounded>,
    want: (Option<u128>, bool),
    r: Rounding,
    what: &dyn Fn() -> String,
) {
    assert_eq!(got.map(|g| float::low_u128(g.bits)), want.0, "{}", what());
    if let (Some(g), Rounding::NearestEven) = (got, r) {
        assert_eq!(g.overflow, want.1, "overflow flag: {}", what());
    }
}

fn check_ops<T: Float>(f: FFormat, seed: u64) {
    each_op_case(f, seed, |op, r, x| {
        let Some(want) = apfloat::<T>(op, x, r) else {
            return false;
        };
        let got = ours(f, op, x.map(float::bits), r);
        agree(got, want, r, &|| format!("{op:?} {f:?} {r:?} on {x:#x?}"));
        true
    });
}

#[test]
fn bf16_matches_apfloat() {
    check_ops::<ieee::BFloat>(FFormat::Bf16, 1);
}

#[test]
fn f16_matches_apfloat() {
    check_ops::<ieee::Half>(FFormat::F16, 2);
}

#[test]
fn f32_matches_apfloat() {
    check_ops::<ieee::Single>(FFormat::F32, 3);
}

#[test]
fn f64_matches_apfloat() {
    check_ops::<ieee::Double>(FFormat::F64, 4);
}

#[test]
fn f80_matches_apfloat() {
    check_ops::<ieee::X87DoubleExtended>(FFormat::F80, 6);
}

#[test]
fn f128_matches_apfloat() {
    check_ops::<ieee::Quad>(FFormat::F128, 5);
}

/// APFloat's conversion of `x` to the format `U`.
fn convert_to<S: Semantics, U: Semantics>(x: IeeeFloat<S>, r: Rounding) -> (Option<u128>, bool) {
    outcome::<IeeeFloat<U>>(x.convert_r(round(r), &mut false))
}

/// APFloat's conversions of `x` to every format it shares with the core.
fn conversions<S: Semantics>(x: IeeeFloat<S>, r: Rounding) -> [(FFormat, (Option<u128>, bool)); 6] {
    [
        (FFormat::Bf16, convert_to::<S, ieee::BFloatS>(x, r)),
        (FFormat::F16, convert_to::<S, ieee::HalfS>(x, r)),
        (FFormat::F32, convert_to::<S, ieee::SingleS>(x, r)),
        (FFormat::F64, convert_to::<S, ieee::DoubleS>(x, r)),
        (
            FFormat::F80,
            convert_to::<S, ieee::X87DoubleExtendedS>(x, r),
        ),
        (FFormat::F128, convert_to::<S, ieee::QuadS>(x, r)),
    ]
}

fn check_conversions<S: Semantics>(f: FFormat, seed: u64) {
    each_conversion_case(f, seed, |r, x, g| {
        let t = IeeeFloat::<S>::from_bits(x);
        for (to, want) in conversions(t, r) {
            let got = float::convert(f, to, float::bits(x), r);
            agree(got, want, r, &|| format!("{f:?} -> {to:?} {r:?} of {x:#x}"));
        }
        // To integers: APFloat reports an invalid operation where ours is impossible.
        for (bits, signed) in INT_SHAPES {
            let width = bits as usize;
            let mask = u64::MAX >> (64 - bits);
            let out = if signed {
                let v = t.to_i128_r(width, round(r), &mut false);
                StatusAnd {
                    status: v.status,
                    value: v.value as u64 & mask,
                }
            } else {
                let v = t.to_u128_r(width, round(r), &mut false);
                StatusAnd {
                    status: v.status,
                    value: v.value as u64,
                }
            };
            let want = (!out.status.contains(Status::INVALID_OP)).then_some(out.value);
            let got = float::to_int(f, float::bits(x), r, bits, signed)
                .map(|v| float::low_u128(widen_low(v)) as u64 & mask);
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
            (
                false,
                v,
                IeeeFloat::<S>::from_u128_r(u128::from(v), round(r)),
            ),
            (
                true,
                i as u64,
                IeeeFloat::<S>::from_i128_r(i128::from(i), round(r)),
            ),
        ] {
            let got = float::from_int(f, int1024(raw), 64, signed, r);
            assert_eq!(
                float::low_u128(got.bits),
                want.value.to_bits(),
                "{f:?} from {raw:#x} signed {signed} {r:?}"
            );
        }
    });
}

#[test]
fn bf16_conversions_match_apfloat() {
    check_conversions::<ieee::BFloatS>(FFormat::Bf16, 10);
}

#[test]
fn f16_conversions_match_apfloat() {
    check_conversions::<ieee::HalfS>(FFormat::F16, 11);
}

#[test]
fn f32_conversions_match_apfloat() {
    check_conversions::<ieee::SingleS>(FFormat::F32, 12);
}

#[test]
fn f64_conversions_match_apfloat() {
    check_conversions::<ieee::DoubleS>(FFormat::F64, 13);
}

#[test]
fn f80_conversions_match_apfloat() {
    check_conversions::<ieee::X87DoubleExtendedS>(FFormat::F80, 15);
}

#[test]
fn f128_conversions_match_apfloat() {
    check_conversions::<ieee::QuadS>(FFormat::F128, 14);
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
