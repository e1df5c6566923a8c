//! Elliptic-curve signature checks over byte strings; they write st0.
//!
//! Each check takes the message, the signature and the public key from S
//! registers and sets st0 to whether the signature is valid. An undefined
//! operand, a wrong length or an encoding the scheme rejects is simply an
//! invalid signature: st0 := false. The crates are called only after the
//! lengths are checked, so no input can reach a panicking path.
//!
//! The flat complexities come from `cargo bench -p avm-bench --bench crypto`
//! (one x86-64 machine, SHA-NI): through the VM, `sha256` of 64 bytes takes
//! 139 ns and costs `DIGEST_BASE` + 1 = 9 units; `ecdsa` takes 136 µs (980
//! times as long), `schnorr` 114 µs (820 times), `ed25519` 45 µs (324
//! times). At the sha256 rate that is about 8800, 7400 and 2900 units:
//! [`SECP256K1_VERIFY`] = 9000 for both secp256k1 checks and
//! [`ED25519_VERIFY`] = 3000. The message's bytes/64 come on top.
//!
//! [`SECP256K1_VERIFY`]: crate::isa::opcode::SECP256K1_VERIFY
//! [`ED25519_VERIFY`]: crate::isa::opcode::ED25519_VERIFY

use crate::isa::shape::SigCheck;
use crate::registers::Registers;

/// The signature schemes, one per opcode.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Scheme {
    /// ECDSA over secp256k1 on a 32-byte prehash, low-s only.
    Ecdsa,
    /// BIP-340 Schnorr over secp256k1.
    Schnorr,
    /// Ed25519 (RFC 8032), strict.
    Ed25519,
}

pub(crate) fn verify(regs: &mut Registers, i: &SigCheck, scheme: Scheme) {
    let s = |idx: u8| regs.s[idx as usize & 15].as_deref();
    regs.st0 = match (s(i.msg), s(i.sig), s(i.key)) {
        (Some(msg), Some(sig), Some(key)) => match scheme {
            Scheme::Ecdsa => ecdsa(msg, sig, key),
            Scheme::Schnorr => schnorr(msg, sig, key),
            Scheme::Ed25519 => ed25519(msg, sig, key),
        },
        _ => false,
    };
}

/// ECDSA: `msg` is the 32-byte prehash (the caller hashes), `sig` is r ‖ s
/// as 32-byte big-endian scalars, `key` a SEC1 point, compressed (33 bytes)
/// or uncompressed (65 bytes). A high s (above n/2) is rejected, as Bitcoin's
/// standardness rule (BIP-62/146) and libsecp256k1 do, so a signature has one
/// valid form.
pub(crate) fn ecdsa(msg: &[u8], sig: &[u8], key: &[u8]) -> bool {
    use k256::ecdsa::signature::hazmat::PrehashVerifier;
    use k256::ecdsa::{Signature, VerifyingKey};
    if msg.len() != 32 || sig.len() != 64 || !matches!(key.len(), 33 | 65) {
        return false;
    }
    let (Ok(sig), Ok(key)) = (
        Signature::from_slice(sig),
        VerifyingKey::from_sec1_bytes(key),
    ) else {
        return false;
    };
    // k256 rejects high s as well; checking here makes the rule ours.
    if sig.normalize_s().is_some() {
        return false;
    }
    key.verify_prehash(msg, &sig).is_ok()
}

/// BIP-340: `key` is the 32-byte x coordinate, `sig` is R.x ‖ s, and `msg`
/// any length (the 2023 revision of BIP-340; 32 bytes in Taproot).
pub(crate) fn schnorr(msg: &[u8], sig: &[u8], key: &[u8]) -> bool {
    use k256::schnorr::{Signature, VerifyingKey};
    if sig.len() != 64 || key.len() != 32 {
        return false;
    }
    let (Ok(sig), Ok(key)) = (Signature::try_from(sig), VerifyingKey::from_bytes(key)) else {
        return false;
    };
    key.verify_raw(msg, &sig).is_ok()
}

/// Ed25519 with `verify_strict`: besides RFC 8032's checks it rejects
/// small-order public keys and R points and non-canonical encodings, so a
/// signature that passes here passes every conforming verifier.
pub(crate) fn ed25519(msg: &[u8], sig: &[u8], key: &[u8]) -> bool {
    use ed25519_dalek::Signature;
    let (Ok(sig), Ok(key)) = (<[u8; 64]>::try_from(sig), <[u8; 32]>::try_from(key)) else {
        return false;
    };
    let Some(key) = ed25519_key(&key) else {
        return false;
    };
    key.verify_strict(msg, &Signature::from_bytes(&sig)).is_ok()
}

/// An Ed25519 public key from its canonical encoding only: y < p, and no
/// sign bit on x = 0. `VerifyingKey::from_bytes` reduces y modulo p, so
/// 32 bytes of 0xff would otherwise name the same point as a canonical key.
pub(crate) fn ed25519_key(key: &[u8; 32]) -> Option<ed25519_dalek::VerifyingKey> {
    use curve25519_dalek::edwards::CompressedEdwardsY;
    let compressed = CompressedEdwardsY(*key);
    let canonical = compressed.decompress()?.compress() == compressed;
    canonical
        .then(|| ed25519_dalek::VerifyingKey::from_bytes(key).ok())
        .flatten()
}
