//! Digests: a byte string in an S register hashed into an R register.
//!
//! The register's value is the digest read as a big-endian integer, the
//! way ECDSA, BIP-340 and Ethereum turn a hash into a number, so a printed
//! register reads as the digest's usual hex and later modular arithmetic on
//! R registers can use it directly. In the register's little-endian bytes
//! the digest is therefore reversed. An undefined source makes the
//! destination undefined and leaves st0; nothing else can fail.

use crate::isa::shape::{Digest160, Digest256, Digest512};
use crate::registers::{Registers, Slots};
use crate::word::{Word, U160};
use bnum::types::{U256, U512};
use sha2::Digest as _;

/// The digest algorithms, one per opcode.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Hash {
    Sha256,
    Blake3,
    Keccak256,
}

fn src(regs: &Registers, idx: u8) -> Option<&[u8]> {
    regs.s[idx as usize & 15].as_deref()
}

pub(crate) fn hash256(regs: &mut Registers, i: &Digest256, hash: Hash) {
    let out = src(regs, i.src).map(|m| {
        let mut d: [u8; 32] = match hash {
            Hash::Sha256 => sha2::Sha256::digest(m).into(),
            Hash::Blake3 => blake3::hash(m).into(),
            Hash::Keccak256 => sha3::Keccak256::digest(m).into(),
        };
        d.reverse();
        U256::from_le(&d)
    });
    regs.r256.set(i.dst, out);
}

pub(crate) fn sha512(regs: &mut Registers, i: &Digest512) {
    let out = src(regs, i.src).map(|m| U512::from_le(&reversed(&sha2::Sha512::digest(m))));
    regs.r512.set(i.dst, out);
}

pub(crate) fn ripemd160(regs: &mut Registers, i: &Digest160) {
    let out = src(regs, i.src).map(|m| U160::from_le(&reversed(&ripemd::Ripemd160::digest(m))));
    regs.r160.set(i.dst, out);
}

/// The digest's bytes last to first: the register's little-endian bytes.
fn reversed(digest: &[u8]) -> Vec<u8> {
    digest.iter().rev().copied().collect()
}
