//! The soft-float core on any operand bits: never panics, and every result
//! is a canonical encoding of its format (no NaN, no stray high bits).
#![no_main]

use avm_alu::float::{self, Bits, Rounded, Rounding};
use avm_alu::reg::FFormat;
use libfuzzer_sys::fuzz_target;

fn operand(bytes: &[u8], i: usize, f: FFormat) -> Bits {
    let mut buf = [0u8; 32];
    let chunk = bytes.get(3 + 32 * i..).unwrap_or(&[]);
    let n = chunk.len().min(f.bytes());
    buf[..n].copy_from_slice(&chunk[..n]);
    Bits::from_le_slice(&buf).unwrap_or_default()
}

fn check(f: FFormat, bits: Bits) {
    assert!(bits.unbounded_shr(u32::from(f.bits())) == Bits::MIN, "{f:?} {bits:x}");
    assert_eq!(float::canonical(f, bits), Some(bits), "{f:?} {bits:x}");
}

fuzz_target!(|bytes: &[u8]| {
    let f = FFormat::ALL[usize::from(bytes.first().copied().unwrap_or(0)) % 7];
    let op = bytes.get(1).copied().unwrap_or(0);
    let r = Rounding::ALL[usize::from(bytes.get(2).copied().unwrap_or(0) % 4)];
    let (a, b, c) = (operand(bytes, 0, f), operand(bytes, 1, f), operand(bytes, 2, f));
    let run = || -> Option<Rounded> {
        match op % 12 {
            0 => float::add(f, a, b, r),
            1 => float::sub(f, a, b, r),
            2 => float::mul(f, a, b, r),
            3 => float::div(f, a, b, r),
            4 => float::fma(f, a, b, c, r),
            5 => float::rem(f, a, b),
            6 => float::sqrt(f, a, r),
            7 => float::round_integral(f, a, r),
            8 => float::convert(f, FFormat::ALL[usize::from(op / 12) % 7], a, r),
            9 => float::min(f, a, b).map(|bits| Rounded { bits, overflow: false, inexact: false }),
            10 => float::neg(f, a).map(|bits| Rounded { bits, overflow: false, inexact: false }),
            _ => {
                let width = 8u32 << (op / 12 % 8);
                float::to_int(f, a, r, width, op & 0x80 != 0).map(|v| {
                    let back = float::from_int(f, v, width, op & 0x80 != 0, r);
                    check(f, back.bits);
                    back
                })
            }
        }
    };
    let out = run();
    assert_eq!(out, run());
    if let Some(out) = out {
        let to = if op % 12 == 8 { FFormat::ALL[usize::from(op / 12) % 7] } else { f };
        check(to, out.bits);
    }
    if op % 12 == 1 {
        let neg_b = float::neg(f, b);
        let via_add = neg_b.and_then(|nb| float::add(f, a, nb, r));
        assert_eq!(out, via_add);
    }
});
