//! Soft-float operations, one call each: criterion per operation and
//! format, and (feature `softfloat`, which needs CMake) a table beside
//! Berkeley SoftFloat 3 through `softfloat-wrapper` on the same operands,
//! timed in turns in the same run: `cargo bench -p avm-bench --features
//! softfloat --bench float`. The ratio is the figure that holds on a loaded
//! machine.

use avm_alu::float::{self, Bits, Layout, Rounding};
use avm_alu::reg::FFormat;
#[cfg(feature = "softfloat")]
use cpu_time::ThreadTime;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
#[cfg(feature = "softfloat")]
use std::time::Duration;

/// Operand sets per benchmark: the loop cycles through them.
const SETS: usize = 16;

/// Normal operands of `bits` bits with exponents near one's: a fixed-seed
/// xorshift for the fraction, the exponent field within 8 of the bias.
fn operands(f: FFormat) -> Vec<[Bits; 3]> {
    let l = Layout::of(f);
    let (exp_bits, frac_bits) = (l.exp_bits, l.frac_bits);
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut one = || {
        let mut bytes = [0u8; 32];
        for chunk in bytes.chunks_exact_mut(8) {
            chunk.copy_from_slice(&next().to_le_bytes());
        }
        let frac =
            Bits::from_le_bytes(bytes) & (Bits::power_of_two(frac_bits) - Bits::power_of_two(0));
        let bias = (1u64 << (exp_bits - 1)) - 1;
        let field = bias - 8 + next() % 16;
        // x87 stores the integer bit; a normal number has it set.
        let int = float::bits(u128::from(l.explicit_int)) << frac_bits;
        frac | int | float::bits(u128::from(field)) << (frac_bits + u32::from(l.explicit_int))
    };
    (0..SETS).map(|_| [one(), one(), one()]).collect()
}

type Op = fn(FFormat, [Bits; 3]) -> Option<float::Rounded>;

const OPS: [(&str, Op); 5] = [
    ("add", |f, [a, b, _]| {
        float::add(f, a, b, Rounding::NearestEven)
    }),
    ("mul", |f, [a, b, _]| {
        float::mul(f, a, b, Rounding::NearestEven)
    }),
    ("fma", |f, [a, b, c]| {
        float::fma(f, a, b, c, Rounding::NearestEven)
    }),
    ("div", |f, [a, b, _]| {
        float::div(f, a, b, Rounding::NearestEven)
    }),
    ("sqrt", |f, [a, _, _]| {
        float::sqrt(f, a, Rounding::NearestEven)
    }),
];

fn avm(c: &mut Criterion) {
    let mut group = c.benchmark_group("float");
    for f in [
        FFormat::F32,
        FFormat::F64,
        FFormat::F80,
        FFormat::F128,
        FFormat::F256,
    ] {
        let sets = operands(f);
        for (name, op) in OPS {
            group.bench_function(format!("{name}_{}", f.name()), |b| {
                let mut i = 0;
                b.iter(|| {
                    i = (i + 1) % SETS;
                    op(f, black_box(sets[i]))
                })
            });
        }
    }
    group.finish();
}

/// Calls per timed batch.
#[cfg(feature = "softfloat")]
const BATCH: u32 = 20_000;

/// The best thread CPU time per call of `run` over its batches so far.
#[cfg(feature = "softfloat")]
fn time_batch(best: &mut Duration, mut run: impl FnMut(usize)) {
    let t = ThreadTime::now();
    for k in 0..BATCH {
        run(k as usize % SETS);
    }
    *best = (*best).min(t.elapsed() / BATCH);
}

/// Every operation and format beside SoftFloat's, the two in turns for 15
/// rounds, each keeping its best batch in thread CPU time (on a shared
/// machine the least disturbed figure; CPU time leaves out the time other
/// processes held the core). Prints ns per call and the ratio.
#[cfg(feature = "softfloat")]
fn interleaved(_: &mut Criterion) {
    use softfloat_wrapper::{Float, RoundingMode, F128, F32, F64};
    /// Five operations of one format, each called with an operand set's index.
    type Calls = [Box<dyn FnMut(usize)>; 5];
    fn reference<T>(f: FFormat, of: fn(Bits) -> T::Payload) -> Calls
    where
        T: Float + Clone + 'static,
        T::Payload: Copy,
    {
        let m = RoundingMode::TiesToEven;
        let sets: Vec<[T; 3]> = operands(f)
            .iter()
            .map(|s| s.map(|x| T::from_bits(of(x))))
            .collect();
        let ops: [fn(&[T; 3], RoundingMode) -> T; 5] = [
            |[a, b, _], m| a.add(b, m),
            |[a, b, _], m| a.mul(b, m),
            |[a, b, c], m| a.fused_mul_add(b, c, m),
            |[a, b, _], m| a.div(b, m),
            |[a, _, _], m| a.sqrt(m),
        ];
        ops.map(|op| {
            let sets = sets.clone();
            Box::new(move |i: usize| {
                black_box(op(black_box(&sets[i]), m));
            }) as Box<dyn FnMut(usize)>
        })
    }
    let formats: [(FFormat, Option<Calls>); 5] = [
        (
            FFormat::F32,
            Some(reference::<F32>(FFormat::F32, |x| {
                float::low_u128(x) as u32
            })),
        ),
        (
            FFormat::F64,
            Some(reference::<F64>(FFormat::F64, |x| {
                float::low_u128(x) as u64
            })),
        ),
        (FFormat::F80, None),
        (
            FFormat::F128,
            Some(reference::<F128>(FFormat::F128, float::low_u128)),
        ),
        (FFormat::F256, None),
    ];
    println!("float interleaved, best of 15 batches, thread CPU ns per call: op format avm softfloat ratio");
    for (f, mut refs) in formats {
        let sets = operands(f);
        for (k, (name, op)) in OPS.iter().enumerate() {
            let (mut ours, mut theirs) = (Duration::MAX, Duration::MAX);
            for _ in 0..15 {
                time_batch(&mut ours, |i| {
                    black_box(op(f, black_box(sets[i])));
                });
                if let Some(r) = refs.as_mut() {
                    time_batch(&mut theirs, &mut r[k]);
                }
            }
            let ns = |d: Duration| d.as_secs_f64() * 1e9;
            match refs {
                Some(_) => println!(
                    "  {name:5} {:5} {:8.1} {:8.1} {:6.2}",
                    f.name(),
                    ns(ours),
                    ns(theirs),
                    ns(ours) / ns(theirs)
                ),
                None => println!("  {name:5} {:5} {:8.1}        -      -", f.name(), ns(ours)),
            }
        }
    }
}

#[cfg(feature = "softfloat")]
criterion_group!(benches, interleaved, avm);
#[cfg(not(feature = "softfloat"))]
criterion_group!(benches, avm);
criterion_main!(benches);
