//! `U256`: an unsigned 256-bit integer, eight little-endian 32-bit limbs,
//! the same layout and algorithms as the C runtime's `u256`
//! (contracts/include/avm.h), so both languages agree bit for bit.
//!
//! Why not `ruint`: every `ruint` release declares a `rust-version` newer
//! than the rustc 1.63 that builds contracts here (and pulls in features
//! that need it), so this small type, with checked operations only, takes
//! its place. It is tested against `num-bigint` (crates/rv32/tests/rust_sdk.rs).

use core::cmp::Ordering;

/// An unsigned 256-bit integer. Arithmetic is checked: every operation that
/// can overflow returns `None` instead of wrapping.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
pub struct U256([u32; 8]);

impl U256 {
    /// 0.
    pub const ZERO: U256 = U256([0; 8]);
    /// 1.
    pub const ONE: U256 = U256([1, 0, 0, 0, 0, 0, 0, 0]);
    /// 2^256 - 1.
    pub const MAX: U256 = U256([u32::MAX; 8]);

    /// The number whose limbs, least significant first, are `limbs`.
    pub const fn from_limbs(limbs: [u32; 8]) -> U256 {
        U256(limbs)
    }

    /// The limbs, least significant first.
    pub const fn limbs(self) -> [u32; 8] {
        self.0
    }

    /// `x` as a 256-bit number.
    pub const fn from_u128(x: u128) -> U256 {
        U256([
            x as u32,
            (x >> 32) as u32,
            (x >> 64) as u32,
            (x >> 96) as u32,
            0,
            0,
            0,
            0,
        ])
    }

    /// The number if it fits in 128 bits.
    pub fn to_u128(self) -> Option<u128> {
        if self.0[4..].iter().any(|&w| w != 0) {
            return None;
        }
        Some(
            self.0[..4]
                .iter()
                .rev()
                .fold(0, |acc, &w| acc << 32 | w as u128),
        )
    }

    /// The number from 32 little-endian bytes.
    pub fn from_le_bytes(bytes: [u8; 32]) -> U256 {
        let mut w = [0; 8];
        for (limb, chunk) in w.iter_mut().zip(bytes.chunks_exact(4)) {
            *limb = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        U256(w)
    }

    /// The number as 32 little-endian bytes.
    pub fn to_le_bytes(self) -> [u8; 32] {
        let mut out = [0; 32];
        for (chunk, limb) in out.chunks_exact_mut(4).zip(self.0) {
            chunk.copy_from_slice(&limb.to_le_bytes());
        }
        out
    }

    /// Whether the number is 0.
    pub fn is_zero(self) -> bool {
        self.0.iter().fold(0, |acc, &w| acc | w) == 0
    }

    /// `self + rhs`, or `None` past 2^256 - 1.
    pub fn checked_add(self, rhs: U256) -> Option<U256> {
        let mut r = [0; 8];
        let mut carry = 0u64;
        for (i, limb) in r.iter_mut().enumerate() {
            carry += self.0[i] as u64 + rhs.0[i] as u64;
            *limb = carry as u32;
            carry >>= 32;
        }
        (carry == 0).then_some(U256(r))
    }

    /// `self - rhs`, or `None` below 0.
    pub fn checked_sub(self, rhs: U256) -> Option<U256> {
        let (r, borrow) = self.overflowing_sub(rhs);
        (!borrow).then_some(r)
    }

    /// `self - rhs` modulo 2^256, and whether it borrowed.
    fn overflowing_sub(self, rhs: U256) -> (U256, bool) {
        let mut r = [0; 8];
        let mut borrow = 0u32;
        for (i, limb) in r.iter_mut().enumerate() {
            let d = (self.0[i] as u64)
                .wrapping_sub(rhs.0[i] as u64)
                .wrapping_sub(borrow as u64);
            *limb = d as u32;
            borrow = (d >> 63) as u32;
        }
        (U256(r), borrow != 0)
    }

    /// `self * rhs`, or `None` past 2^256 - 1.
    pub fn checked_mul(self, rhs: U256) -> Option<U256> {
        let mut t = [0u32; 16];
        for i in 0..8 {
            let mut c = 0u64;
            for j in 0..8 {
                c += self.0[i] as u64 * rhs.0[j] as u64 + t[i + j] as u64;
                t[i + j] = c as u32;
                c >>= 32;
            }
            t[i + 8] = c as u32;
        }
        let mut r = [0; 8];
        r.copy_from_slice(&t[..8]);
        t[8..].iter().all(|&w| w == 0).then_some(U256(r))
    }

    /// The quotient and remainder of `self / rhs`, or `None` for `rhs` = 0.
    /// Schoolbook binary long division from the highest set bit of `self`.
    pub fn checked_div_rem(self, rhs: U256) -> Option<(U256, U256)> {
        if rhs.is_zero() {
            return None;
        }
        let mut q = [0u32; 8];
        let mut r = U256::ZERO;
        for i in (0..self.bits()).rev() {
            let top = r.0[7] >> 31;
            for k in (1..8).rev() {
                r.0[k] = r.0[k] << 1 | r.0[k - 1] >> 31;
            }
            r.0[0] = r.0[0] << 1 | (self.0[i / 32] >> (i % 32) & 1);
            if top != 0 || r >= rhs {
                r = r.overflowing_sub(rhs).0;
                q[i / 32] |= 1 << (i % 32);
            }
        }
        Some((U256(q), r))
    }

    /// `self / rhs`, or `None` for `rhs` = 0.
    pub fn checked_div(self, rhs: U256) -> Option<U256> {
        self.checked_div_rem(rhs).map(|(q, _)| q)
    }

    /// The number of significant bits (0 for 0).
    pub fn bits(self) -> usize {
        match self.0.iter().rposition(|&w| w != 0) {
            Some(i) => 32 * i + 32 - self.0[i].leading_zeros() as usize,
            None => 0,
        }
    }
}

impl From<u128> for U256 {
    fn from(x: u128) -> U256 {
        U256::from_u128(x)
    }
}

impl From<u64> for U256 {
    fn from(x: u64) -> U256 {
        U256::from_u128(x as u128)
    }
}

impl From<u32> for U256 {
    fn from(x: u32) -> U256 {
        U256::from_u128(x as u128)
    }
}

impl Ord for U256 {
    fn cmp(&self, other: &U256) -> Ordering {
        for i in (0..8).rev() {
            if self.0[i] != other.0[i] {
                return self.0[i].cmp(&other.0[i]);
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for U256 {
    fn partial_cmp(&self, other: &U256) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
