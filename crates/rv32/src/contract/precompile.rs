//! Precompiles: hashes and signature checks, run natively for a fixed gas
//! price (see [`super::abi::gas`]).

use ed25519_dalek::{Signature as EdSignature, VerifyingKey as EdKey};
use k256::ecdsa::{signature::hazmat::PrehashVerifier, Signature, VerifyingKey};
use sha2::Digest;

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    sha2::Sha256::digest(data).into()
}

/// Keccak-256 (the pre-standard SHA-3 padding Ethereum uses) of `data`.
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    sha3::Keccak256::digest(data).into()
}

/// BLAKE3 (32-byte output) of `data`.
pub fn blake3(data: &[u8]) -> [u8; 32] {
    *blake3::hash(data).as_bytes()
}

/// Whether `sig` (64 bytes, r || s big-endian) is a valid secp256k1 ECDSA
/// signature of the 32-byte `hash` under `pubkey` (SEC1, 33 or 65 bytes).
/// Malformed keys or signatures are simply invalid.
pub fn secp256k1_verify(hash: &[u8; 32], sig: &[u8; 64], pubkey: &[u8]) -> bool {
    let (Ok(key), Ok(sig)) = (
        VerifyingKey::from_sec1_bytes(pubkey),
        Signature::from_slice(sig),
    ) else {
        return false;
    };
    key.verify_prehash(hash, &sig).is_ok()
}

/// Whether `sig` is a valid ed25519 signature of `msg` under `pubkey`,
/// checked strictly (`verify_strict`: no small-order keys, canonical S).
pub fn ed25519_verify(msg: &[u8], sig: &[u8; 64], pubkey: &[u8; 32]) -> bool {
    let Ok(key) = EdKey::from_bytes(pubkey) else {
        return false;
    };
    key.verify_strict(msg, &EdSignature::from_bytes(sig))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn hashes_match_known_vectors() {
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(&keccak256(b"")),
            "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
        );
        assert_eq!(
            hex(&blake3(b"")),
            "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"
        );
    }

    #[test]
    fn signatures_verify_and_forgeries_do_not() {
        use ed25519_dalek::Signer as _;
        let sk = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
        let sig = sk.sign(b"msg").to_bytes();
        let pk = sk.verifying_key().to_bytes();
        assert!(ed25519_verify(b"msg", &sig, &pk));
        assert!(!ed25519_verify(b"msh", &sig, &pk));

        use k256::ecdsa::signature::hazmat::PrehashSigner;
        let sk = k256::ecdsa::SigningKey::from_slice(&[9; 32]).unwrap();
        let hash = sha256(b"msg");
        let sig: Signature = sk.sign_prehash(&hash).unwrap();
        let sig: [u8; 64] = sig.to_bytes().into();
        let pk = sk.verifying_key().to_encoded_point(true);
        assert!(secp256k1_verify(&hash, &sig, pk.as_bytes()));
        assert!(!secp256k1_verify(&sha256(b"msh"), &sig, pk.as_bytes()));
        assert!(!secp256k1_verify(&hash, &sig, &[2; 5]));
    }
}
