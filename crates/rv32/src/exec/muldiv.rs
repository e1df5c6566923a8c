//! RV32M: multiplication and division, with the spec's results for
//! division by zero (quotient all ones, remainder the dividend) and signed
//! overflow (`MIN / -1 = MIN`, remainder 0). Nothing traps.

/// `mul`: low 32 bits of the product.
#[inline(always)]
pub fn mul(a: u32, b: u32) -> u32 {
    a.wrapping_mul(b)
}

/// `mulh`: high 32 bits of signed × signed.
#[inline(always)]
pub fn mulh(a: u32, b: u32) -> u32 {
    ((a as i32 as i64 * b as i32 as i64) >> 32) as u32
}

/// `mulhsu`: high 32 bits of signed `a` × unsigned `b`.
#[inline(always)]
pub fn mulhsu(a: u32, b: u32) -> u32 {
    ((a as i32 as i64).wrapping_mul(b as i64) >> 32) as u32
}

/// `mulhu`: high 32 bits of unsigned × unsigned.
#[inline(always)]
pub fn mulhu(a: u32, b: u32) -> u32 {
    ((a as u64 * b as u64) >> 32) as u32
}

/// `div`: signed quotient rounded toward zero.
#[inline(always)]
pub fn div(a: u32, b: u32) -> u32 {
    if b == 0 {
        u32::MAX
    } else {
        (a as i32).wrapping_div(b as i32) as u32
    }
}

/// `divu`: unsigned quotient.
#[inline(always)]
pub fn divu(a: u32, b: u32) -> u32 {
    a.checked_div(b).unwrap_or(u32::MAX)
}

/// `rem`: signed remainder, with the sign of the dividend.
#[inline(always)]
pub fn rem(a: u32, b: u32) -> u32 {
    if b == 0 {
        a
    } else {
        (a as i32).wrapping_rem(b as i32) as u32
    }
}

/// `remu`: unsigned remainder.
#[inline(always)]
pub fn remu(a: u32, b: u32) -> u32 {
    a.checked_rem(b).unwrap_or(a)
}
