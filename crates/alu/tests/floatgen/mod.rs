//! Fixed-seed float operands biased toward the edge cases of a format.
#![allow(dead_code)]

use avm_alu::float::Layout;
use avm_alu::reg::FFormat;

/// Cases per operation, format and rounding direction: `AVM_FLOAT_CASES`, or 500.
pub fn cases() -> usize {
    std::env::var("AVM_FLOAT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500)
}

/// A splitmix64 generator: deterministic, so every run tests the same operands.
pub struct Gen(u64);

impl Gen {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Gen {
        Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// 128 random bits.
    pub fn wide(&mut self) -> u128 {
        u128::from(self.next()) << 64 | u128::from(self.next())
    }

    /// An encoding of `f` (up to f128: the low 128 bits), a quarter of them
    /// special values, a quarter with extreme exponents, a quarter near one
    /// (so sums cancel and quotients tie), the rest uniform bits. NaNs come
    /// up too: operations on them must be impossible.
    pub fn operand(&mut self, f: FFormat) -> u128 {
        let l = Layout::of(f);
        let bias = (1u128 << (l.exp_bits - 1)) - 1;
        let max_field = (1u128 << l.exp_bits) - 1;
        let frac_mask = (1u128 << l.frac_bits) - 1;
        let sign = u128::from(self.next() & 1);
        let int_shift = l.frac_bits + u32::from(l.explicit_int);
        let build = |field: u128, frac: u128| {
            let int = if l.explicit_int && field != 0 {
                1u128 << l.frac_bits
            } else {
                0
            };
            sign << (int_shift + l.exp_bits) | field << int_shift | int | frac
        };
        let frac = self.wide() & frac_mask;
        // Few trailing ones or zeros make ties and exact results likelier.
        let frac = match self.below(3) {
            0 => frac & !((1u128 << self.below(u64::from(l.frac_bits) + 1)) - 1),
            _ => frac,
        };
        match self.below(4) {
            0 => {
                let specials = [
                    build(0, 0),
                    build(max_field, 0),
                    build(0, 1),
                    build(0, frac_mask),
                    build(1, 0),
                    build(max_field - 1, frac_mask),
                    build(bias, 0),
                    build(bias + 1, 0),
                    build(max_field, 1),
                ];
                specials[self.below(specials.len() as u64) as usize]
            }
            1 => {
                let near = self.below(u64::from(l.frac_bits) + 4) as u128;
                let field = if self.next() & 1 == 0 {
                    near.min(max_field - 1)
                } else {
                    max_field - 1 - near.min(max_field - 1)
                };
                build(field, frac)
            }
            2 => {
                let spread = self.below(u64::from(l.frac_bits) + 8) as u128;
                let field =
                    (bias + spread).saturating_sub(self.below(2 * spread as u64 + 1) as u128);
                build(field.min(max_field - 1), frac)
            }
            _ => build(self.wide() % max_field, frac),
        }
    }
}
