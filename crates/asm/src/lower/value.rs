//! Literal values as the bytes the data segment holds.

use crate::literal::IntLit;

/// `lit` as `width` little-endian bytes, two's complement when negative; `None` if it is
/// outside `-2^(8w-1) ..= 2^(8w)-1`.
pub(crate) fn int_bytes(lit: &IntLit, width: usize) -> Option<Vec<u8>> {
    let mag = lit.magnitude();
    if mag.len() > width {
        return None;
    }
    let mut out = mag.to_vec();
    out.resize(width, 0);
    if !lit.is_negative() {
        return Some(out);
    }
    // Two's complement: invert, add one. A negative value fits if the sign bit is set.
    let mut carry = true;
    for b in &mut out {
        let (v, c) = (!*b).overflowing_add(u8::from(carry));
        *b = v;
        carry = c;
    }
    (out.last().is_some_and(|b| b & 0x80 != 0)).then_some(out)
}

/// `lit` in the fewest bytes of an integer register width (1, 2, 4, ... 1024 bytes).
pub(crate) fn int_bytes_smallest(lit: &IntLit) -> Option<Vec<u8>> {
    let mut width = 1;
    while width <= 1024 {
        if let Some(bytes) = int_bytes(lit, width) {
            return Some(bytes);
        }
        width *= 2;
    }
    None
}

/// The range of values `width` bytes hold, for error messages.
pub(crate) fn int_range(width: usize) -> String {
    if width <= 8 {
        let bits = width * 8;
        let min = -(1i128 << (bits - 1));
        let max = (1u128 << bits) - 1;
        format!("{min}..={max}")
    } else {
        format!("-2^{}..=2^{}-1", width * 8 - 1, width * 8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(v: i128) -> IntLit {
        IntLit::from(v)
    }

    #[test]
    fn widths_and_signs() {
        assert_eq!(int_bytes(&lit(0), 2), Some(vec![0, 0]));
        assert_eq!(int_bytes(&lit(255), 1), Some(vec![0xff]));
        assert_eq!(int_bytes(&lit(256), 1), None);
        assert_eq!(int_bytes(&lit(-1), 2), Some(vec![0xff, 0xff]));
        assert_eq!(int_bytes(&lit(-128), 1), Some(vec![0x80]));
        assert_eq!(int_bytes(&lit(-129), 1), None);
        assert_eq!(int_bytes(&lit(-256), 1), None);
        assert_eq!(int_bytes(&lit(-129), 2), Some(vec![0x7f, 0xff]));
        assert_eq!(int_bytes_smallest(&lit(1234)), Some(vec![0xd2, 0x04]));
        assert_eq!(int_bytes_smallest(&lit(-3)), Some(vec![0xfd]));
        assert_eq!(int_bytes_smallest(&lit(1 << 40)).map(|b| b.len()), Some(8));
        assert_eq!(int_range(1), "-128..=255");
    }
}
