//! Prime-field arithmetic: the FGL64 extension (the Goldilocks field,
//! p = 2^64 - 2^32 + 1, in a64 registers) and the F25519 extension
//! (p = 2^255 - 19, in r256 registers).
//!
//! A field element is a register value below p. Any defined operand at or
//! above p makes the destination undefined and clears st0; an undefined
//! operand makes it undefined and leaves st0 alone.

use crate::modular::{self, Modular};
use crate::registers::{Bank, LazyBank, Registers, Slots};
use crate::word::Word;
use bnum::types::U256;

/// A prime field and the register bank its elements live in.
pub(crate) trait Prime {
    /// The register word.
    type T: Modular;
    /// The bank of the register file the field uses.
    type B: Slots<Self::T>;
    /// The prime.
    const P: Self::T;
    /// The bank.
    fn bank(regs: &mut Registers) -> &mut Self::B;
    /// `a * b mod p` for elements: the same value as
    /// [`Modular::mul_reduced`], by the reduction the prime's form allows.
    fn mul(a: Self::T, b: Self::T) -> Self::T;
}

/// The Goldilocks field in a64 registers.
pub(crate) struct Goldilocks;

impl Prime for Goldilocks {
    type T = u64;
    type B = Bank<u64>;
    const P: u64 = 0xFFFF_FFFF_0000_0001;
    #[inline]
    fn bank(regs: &mut Registers) -> &mut Bank<u64> {
        &mut regs.a64
    }
    /// 2^64 = 2^32 - 1 and 2^96 = -1 modulo p, so the 128-bit product
    /// `hi_hi * 2^96 + hi_lo * 2^64 + lo` is `lo - hi_hi + hi_lo * (2^32 - 1)`.
    #[inline]
    fn mul(a: u64, b: u64) -> u64 {
        const EPSILON: u64 = 0xFFFF_FFFF; // 2^64 mod p
        let x = u128::from(a) * u128::from(b);
        let (lo, hi) = (x as u64, (x >> 64) as u64);
        let (hi_hi, hi_lo) = (hi >> 32, hi & EPSILON);
        let (mut t0, borrow) = lo.overflowing_sub(hi_hi);
        if borrow {
            // t0 wrapped to t0 + 2^64 >= 2^64 - 2^32 + 1: take 2^64 = EPSILON back.
            t0 -= EPSILON;
        }
        let t1 = hi_lo * EPSILON; // < 2^64
        let (t2, carry) = t0.overflowing_add(t1);
        // After a carry t2 < t1 <= 2^64 - 2^33 + 1, so adding EPSILON cannot overflow.
        let t2 = if carry { t2 + EPSILON } else { t2 };
        if t2 >= Self::P {
            t2 - Self::P
        } else {
            t2
        }
    }
}

/// The field of 2^255 - 19 in r256 registers.
pub(crate) struct F25519;

const fn p25519_be() -> [u8; 32] {
    let mut b = [0xFF; 32];
    b[0] = 0x7F;
    b[31] = 0xED;
    b
}

impl Prime for F25519 {
    type T = U256;
    type B = LazyBank<U256>;
    const P: U256 = U256::from_be_bytes(p25519_be());
    #[inline]
    fn bank(regs: &mut Registers) -> &mut LazyBank<U256> {
        &mut regs.r256
    }
    /// 2^256 = 38 modulo p: fold the high half of the 512-bit product into
    /// the low half twice, then subtract p at most twice.
    #[inline]
    fn mul(a: U256, b: U256) -> U256 {
        let k38 = U256::from_u64_wrapping(38);
        let (lo, hi) = a.widening_mul(b);
        // hi < 2^254, so hi * 38 < 2^260: its high half is below 2^4.
        let (h_lo, h_hi) = hi.widening_mul(k38);
        let (s, carry) = lo.overflowing_add(h_lo);
        let k = (h_hi + U256::from(carry)) * k38; // < 2^10
        let (mut r, over) = s.overflowing_add(k);
        if over {
            // r wrapped below 2^10: adding 2^256 = 38 back cannot overflow.
            r += k38;
        }
        for _ in 0..2 {
            if r >= Self::P {
                r -= Self::P;
            }
        }
        r
    }
}

/// The binary operations.
#[derive(Clone, Copy)]
pub(crate) enum FieldOp {
    Add,
    Sub,
    Mul,
}

/// What reading the operands of a field instruction found.
enum Operands<T, const N: usize> {
    /// Every operand is an element.
    Elements([T; N]),
    /// An operand is undefined (and none is non-canonical).
    Undefined,
    /// An operand is defined but not below p.
    NonCanonical,
}

fn read<F: Prime, const N: usize>(bank: &F::B, idx: [u8; N]) -> Operands<F::T, N> {
    let mut out = [F::T::ZERO; N];
    let mut undefined = false;
    for (o, i) in out.iter_mut().zip(idx) {
        match bank.get(i) {
            Some(v) if v < F::P => *o = v,
            Some(_) => return Operands::NonCanonical,
            None => undefined = true,
        }
    }
    if undefined {
        Operands::Undefined
    } else {
        Operands::Elements(out)
    }
}

/// dst := f(operands); `f` returning `None` is an impossible operation.
fn compute<F: Prime, const N: usize>(
    regs: &mut Registers,
    dst: u8,
    srcs: [u8; N],
    f: impl Fn([F::T; N]) -> Option<F::T>,
) {
    let bank = F::bank(regs);
    let (r, ok) = match read::<F, N>(bank, srcs) {
        Operands::NonCanonical => (None, false),
        Operands::Undefined => (None, true),
        Operands::Elements(v) => {
            let r = f(v);
            (r, r.is_some())
        }
    };
    bank.set(dst, r);
    regs.st0 &= ok;
}

/// `put`: an element from the data segment.
pub(crate) fn put<F: Prime>(regs: &mut Registers, dst: u8, data: &[u8], off: u16) {
    let start = usize::from(off);
    let v = data
        .get(start..start + F::T::BYTES)
        .map(F::T::from_le)
        .filter(|v| *v < F::P);
    F::bank(regs).set(dst, v);
    regs.st0 &= v.is_some();
}

/// `mov`: a copy that checks the element.
pub(crate) fn mov<F: Prime>(regs: &mut Registers, dst: u8, src: u8) {
    compute::<F, 1>(regs, dst, [src], |[x]| Some(x));
}

/// `eq`: st0 := both operands are elements and equal.
pub(crate) fn eq<F: Prime>(regs: &mut Registers, a: u8, b: u8) {
    regs.st0 = matches!(read::<F, 2>(F::bank(regs), [a, b]), Operands::Elements([x, y]) if x == y);
}

/// `add`, `sub`, `mul`.
pub(crate) fn binary<F: Prime>(regs: &mut Registers, dst: u8, a: u8, b: u8, op: FieldOp) {
    compute::<F, 2>(regs, dst, [a, b], |[x, y]| {
        Some(match op {
            FieldOp::Add => x.add_reduced(y, F::P),
            FieldOp::Sub => x.sub_reduced(y, F::P),
            FieldOp::Mul => F::mul(x, y),
        })
    });
}

/// `neg`: p - x, and 0 for 0.
pub(crate) fn neg<F: Prime>(regs: &mut Registers, dst: u8, src: u8) {
    compute::<F, 1>(regs, dst, [src], |[x]| {
        Some(F::T::ZERO.sub_reduced(x, F::P))
    });
}

/// `inv`: the inverse; 0 has none.
pub(crate) fn inv<F: Prime>(regs: &mut Registers, dst: u8, src: u8) {
    compute::<F, 1>(regs, dst, [src], |[x]| modular::inv_mod(x, F::P));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_mul<F: Prime>(values: &[F::T]) {
        for &a in values {
            for &b in values {
                assert_eq!(F::mul(a, b), a.mul_reduced(b, F::P), "{a} * {b}");
            }
        }
    }

    #[test]
    fn special_reductions_match_the_generic_one() {
        let p = Goldilocks::P;
        let mut gl = vec![0, 1, 2, 0xFFFF_FFFF, 1 << 32, p - 1, p - 2, p >> 1, 1 << 63];
        gl.extend((0..64u64).map(|i| 0x9E37_79B9_7F4A_7C15u64.wrapping_mul(i + 1) % p));
        check_mul::<Goldilocks>(&gl);
        let p = F25519::P;
        let one = U256::one();
        let mut fe = vec![
            U256::ZERO,
            one,
            p - one,
            p - U256::from_u64_wrapping(2),
            p >> 1u32,
        ];
        fe.extend((0..16u64).map(|i| {
            let v = U256::from_u64_wrapping(0x9E37_79B9_7F4A_7C15 ^ i);
            (v.wrapping_mul(v).wrapping_mul(v) ^ (v << 200u32)) % p
        }));
        check_mul::<F25519>(&fe);
    }

    #[test]
    fn the_primes_are_the_named_ones() {
        assert_eq!(Goldilocks::P, (1u64 << 32).wrapping_neg() + 1);
        let p = (U256::one() << 255u32) - U256::from_u64_wrapping(19);
        assert_eq!(F25519::P, p);
    }
}
