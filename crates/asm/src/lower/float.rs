//! Float literals as the bits of a float format, rounded to nearest, ties to even.
//!
//! The literal is parsed to the nearest `f64` (exact in std), then rounded to the target.
//! Rounding twice goes wrong only when the `f64` lands exactly on a tie of the target, so
//! that case compares the literal's exact decimal value with the `f64`'s to break it.
//! Formats wider than `f64` take only literals an `f64` holds exactly (no wide decimal
//! conversion yet).

use core::cmp::Ordering;

use avm_alu::reg::FFormat;

/// Exponent bits, fraction bits (without the integer bit), and whether the integer bit
/// is stored (x87 `f80`).
fn layout(format: FFormat) -> (u32, u32, bool) {
    match format {
        FFormat::Bf16 => (8, 7, false),
        FFormat::F16 => (5, 10, false),
        FFormat::F32 => (8, 23, false),
        FFormat::F64 => (11, 52, false),
        FFormat::F80 => (15, 63, true),
        FFormat::F128 => (15, 112, false),
        FFormat::F256 => (19, 236, false),
    }
}

/// The literal `text` (float syntax, or a decimal integer) as little-endian bytes of
/// `format`, or why it cannot be.
pub(crate) fn float_bytes(text: &str, format: FFormat) -> Result<Vec<u8>, String> {
    let negative = text.starts_with('-');
    let abs_text = text.trim_start_matches('-');
    let x: f64 = abs_text
        .parse()
        .map_err(|_| format!("invalid float literal `{text}`"))?;
    let (exp_bits, frac_bits, int_bit) = layout(format);
    let total = 1 + exp_bits + frac_bits + u32::from(int_bit);
    let mut out = vec![0u8; total as usize / 8];
    set_bits(&mut out, total - 1, u128::from(negative), 1);
    let bias = (1i64 << (exp_bits - 1)) - 1;
    let max_biased = (1u128 << exp_bits) - 1;
    if x.is_infinite() {
        if abs_text != "inf" {
            return Err(format!("`{text}` overflows {}", format.name()));
        }
        set_bits(
            &mut out,
            frac_bits + u32::from(int_bit),
            max_biased,
            exp_bits,
        );
        if int_bit {
            set_bits(&mut out, frac_bits, 1, 1);
        }
        return Ok(out);
    }
    if x == 0.0 {
        return Ok(out);
    }
    // |x| = m * 2^(e - 52) with bit 52 of m set.
    let (mut m, mut e) = {
        let bits = x.to_bits();
        let field = ((bits >> 52) & 0x7ff) as i64;
        let frac = bits & ((1 << 52) - 1);
        if field == 0 {
            (frac, -1022)
        } else {
            (frac | 1 << 52, field - 1023)
        }
    };
    while m & (1 << 52) == 0 {
        m <<= 1;
        e -= 1;
    }
    if frac_bits >= 52 {
        if frac_bits > 52 && exact_cmp(abs_text, x) != Ordering::Equal {
            return Err(format!(
                "`{text}` is not exact in f64; {} literals must be (wide rounding is not implemented)",
                format.name()
            ));
        }
        let biased = (e + bias) as u128;
        let stored = if int_bit { m } else { m & ((1 << 52) - 1) };
        let width = if int_bit { 53 } else { 52 };
        set_bits(
            &mut out,
            frac_bits + u32::from(int_bit) - width,
            stored.into(),
            width,
        );
        set_bits(&mut out, frac_bits + u32::from(int_bit), biased, exp_bits);
        return Ok(out);
    }
    // Narrowing: round m * 2^(e-52) to a multiple of 2^q.
    let emin = 1 - bias;
    let fb = i64::from(frac_bits);
    let q = (e - fb).max(emin - fb);
    let shift = q - (e - 52);
    let (mut r, dir) = if shift > 60 {
        (0, Ordering::Less)
    } else {
        let rem = m & ((1u64 << shift) - 1);
        let half = 1u64 << (shift - 1);
        (m >> shift, rem.cmp(&half))
    };
    let up = match dir {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => match exact_cmp(abs_text, x) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => r & 1 == 1,
        },
    };
    let mut q = q;
    if up {
        r += 1;
        if r == 1 << (frac_bits + 1) {
            r >>= 1;
            q += 1;
        }
    }
    let (biased, frac) = if r >= 1 << frac_bits {
        ((q + fb + bias) as u128, r - (1 << frac_bits))
    } else {
        (0, r)
    };
    if biased >= max_biased {
        return Err(format!("`{text}` overflows {}", format.name()));
    }
    set_bits(&mut out, 0, frac.into(), frac_bits);
    set_bits(&mut out, frac_bits, biased, exp_bits);
    Ok(out)
}

/// Writes the low `n` bits of `value` at bit `at` of the little-endian `out`.
fn set_bits(out: &mut [u8], at: u32, value: u128, n: u32) {
    for i in 0..n {
        if value >> i & 1 == 1 {
            let bit = (at + i) as usize;
            out[bit / 8] |= 1 << (bit % 8);
        }
    }
}

/// A positive decimal as significant digits (no leading or trailing zeros) and the
/// exponent `k` with value `0.d1d2... * 10^k`; `None` for zero.
fn decimal(text: &str) -> Option<(Vec<u8>, i64)> {
    let (mantissa, exp) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], &text[at + 1..]),
        None => (text, "0"),
    };
    let exp_neg = exp.starts_with('-');
    let exp_abs = exp
        .trim_start_matches(['+', '-'])
        .bytes()
        .fold(0i64, |acc, d| {
            acc.saturating_mul(10)
                .saturating_add(i64::from(d - b'0'))
                .min(1 << 40)
        });
    let exp = if exp_neg { -exp_abs } else { exp_abs };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: Vec<u8> = int.bytes().chain(frac.bytes()).map(|d| d - b'0').collect();
    let lead = digits.iter().position(|&d| d != 0)?;
    let trail = digits.iter().rposition(|&d| d != 0)?;
    let k = exp + int.len() as i64 - lead as i64;
    Some((digits[lead..=trail].to_vec(), k))
}

/// How the exact value of the decimal `text` compares with the finite `x >= 0`.
fn exact_cmp(text: &str, x: f64) -> Ordering {
    let exact = format!("{x:.1100e}");
    match (decimal(text), decimal(&exact)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some((a, ka)), Some((b, kb))) => ka.cmp(&kb).then_with(|| a.cmp(&b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str, format: FFormat) -> String {
        let bytes = float_bytes(text, format).unwrap();
        bytes.iter().rev().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn common_values() {
        assert_eq!(hex("1.5", FFormat::F32), "3fc00000");
        assert_eq!(hex("-2.0", FFormat::F64), "c000000000000000");
        assert_eq!(
            hex("0.1", FFormat::F32),
            format!("{:08x}", 0.1f32.to_bits())
        );
        assert_eq!(hex("1.0", FFormat::F16), "3c00");
        assert_eq!(hex("65504.0", FFormat::F16), "7bff");
        assert_eq!(hex("1.0", FFormat::Bf16), "3f80");
        assert_eq!(hex("inf", FFormat::F16), "7c00");
        assert_eq!(hex("-inf", FFormat::F80), "ffff8000000000000000");
        assert_eq!(hex("1.0", FFormat::F80), "3fff8000000000000000");
        assert_eq!(
            hex("1.0", FFormat::F128),
            "3fff0000000000000000000000000000"
        );
        assert_eq!(hex("-0.0", FFormat::F32), "80000000");
        assert_eq!(hex("5.960464477539063e-8", FFormat::F16), "0001");
        assert_eq!(hex("1e-30", FFormat::F16), "0000");
        assert_eq!(
            hex("1.5", FFormat::F256),
            "3ffff8".to_owned() + &"0".repeat(58)
        );
    }

    #[test]
    fn ties_use_the_exact_decimal() {
        // 1 + 2^-11 is a tie between 1.0 and the next f16; it rounds to even (1.0), but a
        // literal slightly above it must round up even though it parses to the same f64.
        assert_eq!(hex("1.00048828125", FFormat::F16), "3c00");
        assert_eq!(
            hex("1.000488281250000000000000000001", FFormat::F16),
            "3c01"
        );
        assert_eq!(hex("1.00146484375", FFormat::F16), "3c02");
    }

    #[test]
    fn errors() {
        assert_eq!(
            float_bytes("65520.0", FFormat::F16).unwrap_err(),
            "`65520.0` overflows f16"
        );
        assert!(float_bytes("1e400", FFormat::F64).is_err());
        assert!(float_bytes("0.1", FFormat::F128).is_err());
        assert!(float_bytes("1e99999999999999999999", FFormat::F32).is_err());
    }
}
