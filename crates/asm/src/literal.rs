//! Numeric literal values: arbitrary-size integers and float source text.

use core::fmt;

use crate::error::SyntaxError;

/// The largest integer magnitude a literal may have, in bits.
pub const MAX_INT_BITS: usize = 8192;

const MAX_INT_BYTES: usize = MAX_INT_BITS / 8;

/// An integer literal: a sign and a little-endian magnitude of at most [`MAX_INT_BITS`].
///
/// Always normalized: the magnitude has no trailing (most significant) zero bytes, zero is
/// the empty magnitude, and zero is never negative. So `==` compares values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct IntLit {
    negative: bool,
    magnitude: Vec<u8>,
}

impl IntLit {
    /// The literal `-magnitude` (if `negative`) or `magnitude`, with `magnitude` given
    /// little-endian; `None` if it needs more than [`MAX_INT_BITS`] bits.
    pub fn new(negative: bool, mut magnitude: Vec<u8>) -> Option<IntLit> {
        while magnitude.last() == Some(&0) {
            magnitude.pop();
        }
        if magnitude.len() > MAX_INT_BYTES {
            return None;
        }
        let negative = negative && !magnitude.is_empty();
        Some(IntLit {
            negative,
            magnitude,
        })
    }

    /// Whether the value is below zero.
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The absolute value as little-endian bytes, without high zero bytes (empty for zero).
    pub fn magnitude(&self) -> &[u8] {
        &self.magnitude
    }

    /// The value as an `i128`, if it fits.
    pub fn to_i128(&self) -> Option<i128> {
        if self.magnitude.len() > 16 {
            return None;
        }
        let mut bytes = [0u8; 16];
        bytes[..self.magnitude.len()].copy_from_slice(&self.magnitude);
        let abs = u128::from_le_bytes(bytes);
        if self.negative {
            0i128.checked_sub_unsigned(abs)
        } else {
            i128::try_from(abs).ok()
        }
    }

    /// The value in decimal, e.g. `-1234`.
    pub fn to_decimal(&self) -> String {
        // Base 10^9 limbs by repeated division of base 2^32 limbs; at most 256 limbs.
        let mut limbs: Vec<u32> = self
            .magnitude
            .chunks(4)
            .map(|c| {
                let mut b = [0u8; 4];
                b[..c.len()].copy_from_slice(c);
                u32::from_le_bytes(b)
            })
            .collect();
        let mut chunks = Vec::new();
        while limbs.iter().any(|&l| l != 0) {
            let mut rem = 0u64;
            for limb in limbs.iter_mut().rev() {
                let cur = (rem << 32) | u64::from(*limb);
                *limb = (cur / 1_000_000_000) as u32;
                rem = cur % 1_000_000_000;
            }
            while limbs.last() == Some(&0) {
                limbs.pop();
            }
            chunks.push(rem as u32);
        }
        let mut out = String::from(if self.negative { "-" } else { "" });
        match chunks.split_last() {
            None => out.push('0'),
            Some((top, rest)) => {
                out.push_str(&top.to_string());
                for chunk in rest.iter().rev() {
                    out.push_str(&format!("{chunk:09}"));
                }
            }
        }
        out
    }

    /// The same magnitude with the sign flipped (zero stays zero).
    pub fn negated(mut self) -> IntLit {
        self.negative = !self.negative && !self.magnitude.is_empty();
        self
    }
}

impl From<u128> for IntLit {
    fn from(value: u128) -> Self {
        IntLit::new(false, value.to_le_bytes().to_vec()).unwrap_or_default()
    }
}

impl From<i128> for IntLit {
    fn from(value: i128) -> Self {
        let magnitude = value.unsigned_abs().to_le_bytes().to_vec();
        IntLit::new(value < 0, magnitude).unwrap_or_default()
    }
}

impl fmt::Display for IntLit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal())
    }
}

/// A float literal, kept as its exact source text (rounding to a format happens later).
///
/// The text is `[-]DIGITS[.DIGITS][(e|E)[+|-]DIGITS]` with a fraction or an exponent or both,
/// or `inf` / `-inf`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FloatLit {
    text: String,
}

impl FloatLit {
    /// The literal with source text `text`, if it is valid float syntax (see [`FloatLit`]).
    pub fn new(text: &str) -> Option<FloatLit> {
        is_float_text(text).then(|| FloatLit {
            text: text.to_owned(),
        })
    }

    /// The source text, e.g. `-2.0e-3` or `inf`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The literal with a `-` put in front (callers only negate unsigned text).
    pub(crate) fn negated(self) -> FloatLit {
        FloatLit {
            text: format!("-{}", self.text),
        }
    }

    /// An unsigned literal from text the lexer already validated.
    pub(crate) fn from_lexer(text: &str) -> FloatLit {
        FloatLit {
            text: text.to_owned(),
        }
    }
}

impl fmt::Display for FloatLit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn is_float_text(text: &str) -> bool {
    let text = text.strip_prefix('-').unwrap_or(text);
    if text == "inf" {
        return true;
    }
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let int = digits(text);
    if int == 0 {
        return false;
    }
    let mut rest = &text[int..];
    let mut fraction_or_exponent = false;
    if let Some(after) = rest.strip_prefix('.') {
        let n = digits(after);
        if n == 0 {
            return false;
        }
        rest = &after[n..];
        fraction_or_exponent = true;
    }
    if let Some(after) = rest.strip_prefix(['e', 'E']) {
        let after = after.strip_prefix(['+', '-']).unwrap_or(after);
        let n = digits(after);
        if n == 0 {
            return false;
        }
        rest = &after[n..];
        fraction_or_exponent = true;
    }
    rest.is_empty() && fraction_or_exponent
}

/// Parses an unsigned integer literal's text (`10`, `0xff`, `0b101`, `1_000`) into a
/// little-endian magnitude. On error also returns the byte offset of the culprit in `text`.
pub(crate) fn parse_int(text: &str) -> Result<Vec<u8>, (SyntaxError, usize)> {
    let lower = text.get(..2).map(str::to_ascii_lowercase);
    let (radix, name, start) = match lower.as_deref() {
        Some("0x") => (16, "hexadecimal", 2),
        Some("0b") => (2, "binary", 2),
        _ => (10, "decimal", 0),
    };
    let mut digits = Vec::with_capacity(text.len());
    for (offset, ch) in text[start..].char_indices() {
        if ch == '_' {
            continue;
        }
        match ch.to_digit(radix) {
            Some(d) => digits.push(d as u8),
            None => return Err((SyntaxError::BadDigit(ch, name), start + offset)),
        }
    }
    if digits.is_empty() {
        return Err((SyntaxError::NoDigits(name), 0));
    }
    let first_nonzero = digits.iter().position(|&d| d != 0).unwrap_or(digits.len());
    let digits = &digits[first_nonzero..];
    let too_large = (SyntaxError::IntTooLarge, 0);
    if radix == 10 {
        let mut mag: Vec<u8> = Vec::new();
        for &d in digits {
            let mut carry = u16::from(d);
            for byte in mag.iter_mut() {
                let v = u16::from(*byte) * 10 + carry;
                *byte = v as u8;
                carry = v >> 8;
            }
            if carry > 0 {
                mag.push(carry as u8);
            }
            // Stop early so that work stays linear in the text length.
            if mag.len() > MAX_INT_BYTES {
                return Err(too_large);
            }
        }
        Ok(mag)
    } else {
        let bits_per_digit = if radix == 16 { 4 } else { 1 };
        let bits = digits.len() * bits_per_digit;
        let top_unused = digits
            .first()
            .map_or(0, |&d| bits_per_digit - (8 - d.leading_zeros() as usize));
        if bits - top_unused > MAX_INT_BITS {
            return Err(too_large);
        }
        let mut mag = vec![0u8; bits.div_ceil(8)];
        for (i, &d) in digits.iter().rev().enumerate() {
            let bit = i * bits_per_digit;
            mag[bit / 8] |= d << (bit % 8);
        }
        while mag.last() == Some(&0) {
            mag.pop();
        }
        Ok(mag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(text: &str) -> Vec<u8> {
        parse_int(text).unwrap()
    }

    #[test]
    fn decimal_hex_binary() {
        assert_eq!(int("0"), Vec::<u8>::new());
        assert_eq!(int("10"), vec![10]);
        assert_eq!(int("1_000"), vec![0xe8, 0x03]);
        assert_eq!(int("0xff"), vec![0xff]);
        assert_eq!(int("0XdeAD_beef"), vec![0xef, 0xbe, 0xad, 0xde]);
        assert_eq!(int("0x000100"), vec![0x00, 0x01]);
        assert_eq!(int("0b101"), vec![5]);
        assert_eq!(int("0b1_0000_0000"), vec![0, 1]);
        assert_eq!(int("007"), vec![7]);
    }

    #[test]
    fn int_errors() {
        assert_eq!(
            parse_int("0xfg"),
            Err((SyntaxError::BadDigit('g', "hexadecimal"), 3))
        );
        assert_eq!(
            parse_int("0b102"),
            Err((SyntaxError::BadDigit('2', "binary"), 4))
        );
        assert_eq!(
            parse_int("0x_"),
            Err((SyntaxError::NoDigits("hexadecimal"), 0))
        );
        assert_eq!(
            parse_int("12a"),
            Err((SyntaxError::BadDigit('a', "decimal"), 2))
        );
    }

    #[test]
    fn int_size_limit() {
        let max_hex = format!("0x{}", "f".repeat(2048));
        assert_eq!(int(&max_hex).len(), 1024);
        let over_hex = format!("0x1{}", "0".repeat(2048));
        assert_eq!(
            parse_int(&over_hex).unwrap_err().0,
            SyntaxError::IntTooLarge
        );
        let leading_zeros = format!("0x{}1", "0".repeat(5000));
        assert_eq!(int(&leading_zeros), vec![1]);
        let max_bin = format!("0b{}", "1".repeat(8192));
        assert_eq!(int(&max_bin).len(), 1024);
        let over_bin = format!("0b1{}", "0".repeat(8192));
        assert!(parse_int(&over_bin).is_err());
        // 2^8192 - 1 in decimal fits, 2^8192 does not.
        let max = IntLit::new(false, vec![0xff; 1024]).unwrap().to_decimal();
        assert_eq!(int(&max), vec![0xff; 1024]);
        assert!(max.ends_with('5'));
        let over = format!("{}6", &max[..max.len() - 1]);
        assert_eq!(parse_int(&over).unwrap_err().0, SyntaxError::IntTooLarge);
    }

    #[test]
    fn decimal_printing() {
        assert_eq!(IntLit::default().to_decimal(), "0");
        assert_eq!(IntLit::from(-5i128).to_decimal(), "-5");
        assert_eq!(IntLit::from(u128::MAX).to_decimal(), u128::MAX.to_string());
        assert_eq!(IntLit::from(i128::MIN).to_decimal(), i128::MIN.to_string());
        assert_eq!(IntLit::from(1_000_000_000u128).to_decimal(), "1000000000");
        assert_eq!(IntLit::from(i128::MIN).to_i128(), Some(i128::MIN));
        assert_eq!(IntLit::from(u128::MAX).to_i128(), None);
    }

    #[test]
    fn normalization() {
        assert_eq!(IntLit::new(true, vec![0, 0]), Some(IntLit::default()));
        assert_eq!(IntLit::new(false, vec![1, 0]), Some(IntLit::from(1u128)));
        assert_eq!(IntLit::new(false, vec![1; 1025]), None);
        assert_eq!(IntLit::default().negated(), IntLit::default());
    }

    #[test]
    fn float_text() {
        for ok in ["1.5", "-2.0e-3", "1e5", "0.0", "3E+7", "inf", "-inf"] {
            assert!(FloatLit::new(ok).is_some(), "{ok}");
        }
        for bad in [
            "1", "1.", ".5", "1e", "1.5e+", "nan", "--1.0", "1_0.5", "1.5x", "",
        ] {
            assert!(FloatLit::new(bad).is_none(), "{bad}");
        }
    }
}
