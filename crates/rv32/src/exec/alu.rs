//! RV32I arithmetic, logic, shifts and comparisons.

/// `sll`: shift left by the low 5 bits of `b`.
#[inline(always)]
pub fn sll(a: u32, b: u32) -> u32 {
    a << (b & 31)
}

/// `srl`: logical shift right by the low 5 bits of `b`.
#[inline(always)]
pub fn srl(a: u32, b: u32) -> u32 {
    a >> (b & 31)
}

/// `sra`: arithmetic shift right by the low 5 bits of `b`.
#[inline(always)]
pub fn sra(a: u32, b: u32) -> u32 {
    ((a as i32) >> (b & 31)) as u32
}

/// `slt`: 1 if `a < b` as signed numbers.
#[inline(always)]
pub fn slt(a: u32, b: u32) -> u32 {
    ((a as i32) < (b as i32)) as u32
}

/// `sltu`: 1 if `a < b` as unsigned numbers.
#[inline(always)]
pub fn sltu(a: u32, b: u32) -> u32 {
    (a < b) as u32
}
