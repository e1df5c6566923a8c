//! Differential tests of the soft-float core against Berkeley SoftFloat 3
//! (through `softfloat-wrapper`) for f16, f32, f64 and f128: a second
//! reference beside LLVM's APFloat (`float_reference.rs`), with square roots
//! and IEEE overflow flags under every rounding direction.
//!
//! Its build needs CMake (softfloat-sys depends on the `c99` crate, whose
//! build script runs it), so it is behind a feature:
//! `cargo test -p avm-alu --features softfloat-reference --test float_softfloat`.
//! CI installs CMake and runs it.
//!
//! Operands come from a fixed-seed generator biased toward edge cases. The
//! count per operation, format and rounding direction is
//! `AVM_FLOAT_CASES` (default 500; e.g. `AVM_FLOAT_CASES=1000000`).

mod floatgen;
mod floatops;

use avm_alu::float::{self, Rounding};
use avm_alu::reg::FFormat;
use floatops::{each_conversion_case, each_op_case, int1024, ours, widen_low, Op, INT_SHAPES};
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

fn check_format<T: Float>(f: FFormat, seed: u64)
where
    T::Payload: Copy + Into<u128> + TryFrom<u128> + std::fmt::Debug,
{
    let _guard = SOFTFLOAT.lock().unwrap_or_else(|e| e.into_inner());
    each_op_case(f, seed, |op, r, x| {
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
        true
    });
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
    each_conversion_case(f, seed, |r, x, g| {
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
        for (bits, signed) in INT_SHAPES {
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
    });
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
