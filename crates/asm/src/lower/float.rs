//! Float literals as the bits of a float format: the exact decimal value,
//! rounded once to the nearest value of the format (ties to even) by the
//! VM's own soft-float rounding ([`avm_alu::float::compose`]), so `f80`,
//! `f128` and `f256` literals are as exact as `f32` ones.

use avm_alu::float::{self, Rounding};
use avm_alu::reg::FFormat;
use num_bigint::BigUint;

/// Decimal exponents beyond which every format overflows (`f256` tops out
/// near 1.6e78913) or every literal rounds to zero (its smallest subnormal
/// is near 2.5e-78984); they bound the big-integer work.
const DECIMAL_EXP_LIMIT: i64 = 80_000;

/// Significant bits kept before rounding: far more than `f256`'s 237 + 2.
const KEEP_BITS: u64 = 1000;

/// The literal `text` (float syntax, or a decimal integer) as little-endian bytes of
/// `format`, or why it cannot be.
pub fn float_bytes(text: &str, format: FFormat) -> Result<Vec<u8>, String> {
    let negative = text.starts_with('-');
    let abs_text = text.trim_start_matches('-');
    let invalid = || format!("invalid float literal `{text}`");
    let overflow = || format!("`{text}` overflows {}", format.name());
    let bits = if abs_text == "inf" {
        float::infinity(format, negative)
    } else {
        if abs_text.is_empty()
            || !abs_text
                .bytes()
                .all(|b| b.is_ascii_digit() || b".eE+-".contains(&b))
        {
            return Err(invalid());
        }
        let rounded = match decimal(abs_text).ok_or_else(invalid)? {
            None => float::compose(format, negative, &[], 0, false, Rounding::NearestEven),
            Some((_, k)) if k > DECIMAL_EXP_LIMIT => return Err(overflow()),
            Some((_, k)) if k < -DECIMAL_EXP_LIMIT => {
                float::compose(format, negative, &[], 0, false, Rounding::NearestEven)
            }
            Some((digits, k)) => {
                let (sig, exp, sticky) = binary(&digits, k - digits.len() as i64);
                float::compose(format, negative, &sig, exp, sticky, Rounding::NearestEven)
            }
        }
        .ok_or_else(invalid)?;
        if rounded.overflow {
            return Err(overflow());
        }
        rounded.bits
    };
    Ok(bits.to_le_bytes()[..format.bytes()].to_vec())
}

/// `digits * 10^e` as a significand of at most [`KEEP_BITS`] bits (little-endian bytes),
/// a binary exponent, and whether bits below the significand were dropped.
fn binary(digits: &[u8], e: i64) -> (Vec<u8>, i64, bool) {
    let d = digits.iter().fold(BigUint::ZERO, |acc, &x| acc * 10u8 + x);
    let ten = BigUint::from(10u8);
    let (n, exp, sticky) = if e >= 0 {
        (d * ten.pow(e as u32), 0, false)
    } else {
        let den = ten.pow(e.unsigned_abs() as u32);
        let s = (KEEP_BITS + den.bits()).saturating_sub(d.bits());
        let num = d << s;
        let rem = &num % &den;
        (num / den, -(s as i64), rem != BigUint::ZERO)
    };
    let extra = n.bits().saturating_sub(KEEP_BITS);
    let dropped = extra > 0 && n.trailing_zeros().unwrap_or(0) < extra;
    (
        (n >> extra).to_bytes_le(),
        exp + extra as i64,
        sticky || dropped,
    )
}

/// A positive decimal as significant digits (no leading or trailing zeros) and the
/// exponent `k` with value `0.d1d2... * 10^k`; `Some(None)` for zero, `None` if it is
/// not a decimal.
fn decimal(text: &str) -> Option<Option<(Vec<u8>, i64)>> {
    let (mantissa, exp) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], &text[at + 1..]),
        None => (text, "0"),
    };
    let exp_neg = exp.starts_with('-');
    let exp_digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
    if exp_digits.is_empty() || !exp_digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let exp_abs = exp_digits.bytes().fold(0i64, |acc, d| {
        acc.saturating_mul(10)
            .saturating_add(i64::from(d - b'0'))
            .min(1 << 40)
    });
    let exp = if exp_neg { -exp_abs } else { exp_abs };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits: Vec<u8> = int.bytes().chain(frac.bytes()).map(|d| d - b'0').collect();
    let Some(lead) = digits.iter().position(|&d| d != 0) else {
        return Some(None);
    };
    let trail = digits.iter().rposition(|&d| d != 0).unwrap_or(lead);
    let k = exp + int.len() as i64 - lead as i64;
    Some(Some((digits[lead..=trail].to_vec(), k)))
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
    fn wide_formats_round_the_exact_decimal() {
        // 0.1 in binary128: 0x3ffb999999999999999999999999999a (round to nearest).
        assert_eq!(
            hex("0.1", FFormat::F128),
            "3ffb999999999999999999999999999a"
        );
        // 0.1 in x87 extended: 0x3ffbcccccccccccccccd.
        assert_eq!(hex("0.1", FFormat::F80), "3ffbcccccccccccccccd");
        // 1/3 to 237 bits: 0x3fffd 5555...5555 (the next bit is 0).
        let third = "0.".to_owned() + &"3".repeat(120);
        assert_eq!(
            hex(&third, FFormat::F256),
            format!("3fffd{}", "5".repeat(59))
        );
        // Every f64 decimal gives the f64.
        for x in [0.1f64, 1e300, 2.2250738585072014e-308, 5e-324, 123.456] {
            assert_eq!(
                hex(&format!("{x:e}"), FFormat::F64),
                format!("{:016x}", x.to_bits())
            );
        }
    }

    #[test]
    fn ties_use_the_exact_decimal() {
        // 1 + 2^-11 is a tie between 1.0 and the next f16; it rounds to even (1.0), but a
        // literal slightly above it must round up.
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
        assert!(float_bytes("1e99999999999999999999", FFormat::F32).is_err());
        assert!(float_bytes("1e78914", FFormat::F256).is_err());
        assert!(float_bytes("1e78913", FFormat::F256).is_ok());
        assert_eq!(hex("1e-99999999999", FFormat::F256), "0".repeat(64));
        assert!(float_bytes("nan", FFormat::F32).is_err());
        assert!(float_bytes("1.2.3", FFormat::F32).is_err());
    }
}
