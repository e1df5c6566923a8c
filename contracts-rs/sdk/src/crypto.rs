//! Hashes and signature checks, run by the host as precompiles.

use crate::sys::{num, ptr, syscall};

/// A hash syscall over `data`.
fn hash(n: u32, data: &[u8]) -> [u8; 32] {
    let mut out = [0; 32];
    // SAFETY: the hash syscalls read a1 bytes at a0 and write 32 at a2.
    unsafe {
        syscall(
            n,
            [ptr(data), data.len() as u32, ptr(out.as_mut_ptr()), 0, 0, 0],
        );
    }
    out
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    hash(num::SHA256, data)
}

/// Ethereum's Keccak-256 of `data`.
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    hash(num::KECCAK256, data)
}

/// BLAKE3 of `data`.
pub fn blake3(data: &[u8]) -> [u8; 32] {
    hash(num::BLAKE3, data)
}

/// Whether `sig` (r || s) is a valid ECDSA secp256k1 signature of the
/// prehashed `hash` by `key` (SEC1, 33 or 65 bytes). Malformed keys and
/// signatures are simply invalid.
pub fn secp256k1_verify(hash: &[u8; 32], sig: &[u8; 64], key: &[u8]) -> bool {
    // SAFETY: secp256k1_verify reads 32 bytes at a0, 64 at a1, a3 at a2.
    unsafe {
        syscall(
            num::SECP256K1_VERIFY,
            [ptr(hash), ptr(sig), ptr(key), key.len() as u32, 0, 0],
        )
        .0 == 1
    }
}

/// Whether `sig` is a valid ed25519 signature of `msg` by `key`
/// (`verify_strict`).
pub fn ed25519_verify(msg: &[u8], sig: &[u8; 64], key: &[u8; 32]) -> bool {
    // SAFETY: ed25519_verify reads a1 bytes at a0, 64 at a2 and 32 at a3.
    unsafe {
        syscall(
            num::ED25519_VERIFY,
            [ptr(msg), msg.len() as u32, ptr(sig), ptr(key), 0, 0],
        )
        .0 == 1
    }
}
