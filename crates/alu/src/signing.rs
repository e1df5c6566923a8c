//! Signed libraries: keys, detached signatures of library ids, and the
//! trust policy a [`Host`](crate::Host) may enforce.
//!
//! A signature signs a library's **id**, so signing never changes the
//! library or its id: the signature lives beside it, in a detached file.
//! The signed message is [`SIGNED_CONTEXT`] followed by the 32 id bytes;
//! both schemes sign it as it is (Ed25519 per RFC 8032; BIP-340 Schnorr on
//! the raw message, with zero auxiliary randomness, so signing is
//! deterministic). A program can check the same signature with the
//! `ed25519` or `schnorr` instruction.
//!
//! # Signature container (version 1), 134 bytes
//!
//! | field     | encoding                                           |
//! |-----------|----------------------------------------------------|
//! | magic     | `AVMS` (4 bytes)                                   |
//! | version   | `u8`, 1                                            |
//! | scheme    | `u8`: 1 Ed25519, 2 BIP-340 Schnorr over secp256k1  |
//! | library   | the 32-byte library id                             |
//! | key       | 32 bytes: Ed25519 public key, or BIP-340 x-only key |
//! | signature | 64 bytes                                           |
//!
//! Nothing may follow. The decoder checks that the key is a valid key of
//! its scheme; whether the signature verifies is [`LibSignature::verify`]'s
//! question, so a tool can say which of the two is wrong.
//!
//! # Key text
//!
//! A public key is written `ed25519:HEX` or `schnorr:HEX` (32 bytes in
//! lowercase hex). A secret key file is the one line
//! `avm-secret-key ed25519:HEX` (or `schnorr:`), HEX the 32-byte Ed25519
//! seed or secp256k1 secret; [`SecretKey`] never prints it except through
//! [`SecretKey::to_file_text`].

use crate::library::LibId;
use core::fmt;
use core::str::FromStr;
use std::collections::BTreeSet;

/// What a library signature signs: this context, then the library id.
pub const SIGNED_CONTEXT: &[u8] = b"avm 2026 alu library signature v1";
/// The magic bytes of a signature file.
pub const SIG_MAGIC: &[u8; 4] = b"AVMS";
/// The signature container version this crate reads and writes.
pub const SIG_VERSION: u8 = 1;
/// Length of a signature file.
pub const SIG_LEN: usize = 4 + 1 + 1 + 32 + 32 + 64;
/// The first word of a secret key file.
pub const SECRET_KEY_TAG: &str = "avm-secret-key";

/// The message a library signature signs.
pub fn signed_message(lib: &LibId) -> Vec<u8> {
    [SIGNED_CONTEXT, &lib.0].concat()
}

/// A signature scheme.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Scheme {
    /// Ed25519 (RFC 8032), verified strictly.
    Ed25519,
    /// BIP-340 Schnorr over secp256k1, with x-only public keys.
    Schnorr,
}

impl Scheme {
    /// Both schemes.
    pub const ALL: [Scheme; 2] = [Scheme::Ed25519, Scheme::Schnorr];

    /// The name used in key text and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Ed25519 => "ed25519",
            Scheme::Schnorr => "schnorr",
        }
    }

    /// The scheme's code in the signature container.
    pub fn code(self) -> u8 {
        match self {
            Scheme::Ed25519 => 1,
            Scheme::Schnorr => 2,
        }
    }

    fn from_code(code: u8) -> Option<Scheme> {
        Scheme::ALL.into_iter().find(|s| s.code() == code)
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Scheme {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scheme::ALL
            .into_iter()
            .find(|x| x.name() == s)
            .ok_or_else(|| KeyError::Scheme(s.to_string()))
    }
}

/// Why a key does not parse or is not a key of its scheme.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum KeyError {
    /// An unknown scheme name.
    #[error("unknown signature scheme `{0}` (expected ed25519 or schnorr)")]
    Scheme(String),
    /// Not `scheme:hex`, or a secret key file without its tag.
    #[error("a {what} is written `{form}`")]
    Form {
        /// Which kind of key.
        what: &'static str,
        /// Its form.
        form: &'static str,
    },
    /// The hex part is not 64 hex digits.
    #[error("a key is 32 bytes as 64 hex digits")]
    Hex,
    /// The bytes are not a key of the scheme.
    #[error("not a valid {0} key")]
    Invalid(Scheme),
}

/// A public key of either scheme; ordered, so a set of them is a policy.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct PublicKey {
    scheme: Scheme,
    bytes: [u8; 32],
}

impl PublicKey {
    /// A public key from its 32 bytes, checked to be a key of the scheme.
    pub fn new(scheme: Scheme, bytes: [u8; 32]) -> Result<PublicKey, KeyError> {
        let valid = match scheme {
            Scheme::Ed25519 => crate::exec::ed25519_key(&bytes).is_some(),
            Scheme::Schnorr => k256::schnorr::VerifyingKey::from_bytes(&bytes).is_ok(),
        };
        valid
            .then_some(PublicKey { scheme, bytes })
            .ok_or(KeyError::Invalid(scheme))
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The key's 32 bytes.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.bytes
    }

    /// Whether `sig` is this key's valid signature of `msg`.
    pub fn verify(&self, msg: &[u8], sig: &[u8; 64]) -> bool {
        // The VM's own signature checks: one definition of "valid".
        match self.scheme {
            Scheme::Ed25519 => crate::exec::ed25519_valid(msg, sig, &self.bytes),
            Scheme::Schnorr => crate::exec::schnorr_valid(msg, sig, &self.bytes),
        }
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}",
            self.scheme,
            base16ct::lower::encode_string(&self.bytes)
        )
    }
}

/// 64 hex digits as 32 bytes.
fn hex32(s: &str) -> Result<[u8; 32], KeyError> {
    let mut out = [0u8; 32];
    match base16ct::mixed::decode(s, &mut out) {
        Ok(b) if b.len() == 32 => Ok(out),
        _ => Err(KeyError::Hex),
    }
}

impl FromStr for PublicKey {
    type Err = KeyError;

    /// Parses `ed25519:HEX` or `schnorr:HEX`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (scheme, hex) = s.trim().split_once(':').ok_or(KeyError::Form {
            what: "public key",
            form: "ed25519:HEX or schnorr:HEX",
        })?;
        PublicKey::new(scheme.parse()?, hex32(hex)?)
    }
}

/// A secret key. It zeroizes on drop (through the crates' key types) and
/// its `Debug` shows only the public key.
#[derive(Clone)]
pub enum SecretKey {
    /// An Ed25519 signing key.
    Ed25519(ed25519_dalek::SigningKey),
    /// A BIP-340 signing key.
    Schnorr(k256::schnorr::SigningKey),
}

impl SecretKey {
    /// A secret key from 32 bytes: an Ed25519 seed (any bytes), or a
    /// secp256k1 secret (not zero, below the group order: fails otherwise,
    /// for about one value in 2^128, so a caller drawing random bytes retries).
    pub fn from_bytes(scheme: Scheme, bytes: &[u8; 32]) -> Result<SecretKey, KeyError> {
        match scheme {
            Scheme::Ed25519 => Ok(SecretKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(
                bytes,
            ))),
            Scheme::Schnorr => k256::schnorr::SigningKey::from_bytes(bytes)
                .map(SecretKey::Schnorr)
                .map_err(|_| KeyError::Invalid(scheme)),
        }
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        match self {
            SecretKey::Ed25519(_) => Scheme::Ed25519,
            SecretKey::Schnorr(_) => Scheme::Schnorr,
        }
    }

    /// The public key.
    pub fn public(&self) -> PublicKey {
        let bytes = match self {
            SecretKey::Ed25519(k) => k.verifying_key().to_bytes(),
            SecretKey::Schnorr(k) => k.verifying_key().to_bytes().into(),
        };
        PublicKey {
            scheme: self.scheme(),
            bytes,
        }
    }

    /// Signs a library id.
    pub fn sign(&self, lib: &LibId) -> LibSignature {
        let msg = signed_message(lib);
        let sig = match self {
            SecretKey::Ed25519(k) => {
                use ed25519_dalek::Signer;
                k.sign(&msg).to_bytes()
            }
            // sign_raw fails only if a derived nonce or s is zero: a hash
            // hitting one value in 2^256, which no one can arrange.
            SecretKey::Schnorr(k) => k
                .sign_raw(&msg, &[0; 32])
                .expect("BIP-340 signing fails with probability 2^-256")
                .to_bytes(),
        };
        LibSignature {
            lib: *lib,
            key: self.public(),
            sig,
        }
    }

    /// The secret key file's text: `avm-secret-key SCHEME:HEX` and a newline.
    pub fn to_file_text(&self) -> String {
        let bytes: [u8; 32] = match self {
            SecretKey::Ed25519(k) => k.to_bytes(),
            SecretKey::Schnorr(k) => k.to_bytes().into(),
        };
        format!(
            "{SECRET_KEY_TAG} {}:{}\n",
            self.scheme(),
            base16ct::lower::encode_string(&bytes)
        )
    }

    /// Parses a secret key file's text.
    pub fn from_file_text(text: &str) -> Result<SecretKey, KeyError> {
        let form = KeyError::Form {
            what: "secret key file",
            form: "avm-secret-key ed25519:HEX (or schnorr:HEX)",
        };
        let rest = text
            .trim()
            .strip_prefix(SECRET_KEY_TAG)
            .ok_or(form.clone())?;
        let (scheme, hex) = rest.trim_start().split_once(':').ok_or(form)?;
        SecretKey::from_bytes(scheme.parse()?, &hex32(hex)?)
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey({})", self.public())
    }
}

/// A detached signature of a library id.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct LibSignature {
    /// The signed library.
    pub lib: LibId,
    /// The signer.
    pub key: PublicKey,
    /// The signature of [`signed_message`]`(lib)`.
    pub sig: [u8; 64],
}

/// Why signature bytes are not a signature container.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum SignatureError {
    /// The input ends inside a field.
    #[error("signature truncated in {field} at offset {offset}")]
    Truncated {
        /// The field being read.
        field: &'static str,
        /// Where the input ended.
        offset: usize,
    },
    /// The magic bytes are wrong.
    #[error("not an avm signature: bad magic at offset 0 (expected `AVMS`)")]
    Magic,
    /// An unknown container version.
    #[error("unsupported signature version {0} at offset 4 (this build reads version 1)")]
    Version(u8),
    /// An unknown scheme code.
    #[error("unknown signature scheme {0} at offset 5 (1 is ed25519, 2 schnorr)")]
    Scheme(u8),
    /// The key is not a key of the scheme.
    #[error("invalid {0} public key at offset 38")]
    Key(Scheme),
    /// Bytes after the signature.
    #[error("{count} trailing bytes after the signature at offset {SIG_LEN}")]
    Trailing {
        /// How many there are.
        count: usize,
    },
}

impl LibSignature {
    /// Whether the signature is the key's valid signature of the library id.
    pub fn verify(&self) -> bool {
        self.key.verify(&signed_message(&self.lib), &self.sig)
    }

    /// The container bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(SIG_LEN);
        out.extend_from_slice(SIG_MAGIC);
        out.push(SIG_VERSION);
        out.push(self.key.scheme.code());
        out.extend_from_slice(&self.lib.0);
        out.extend_from_slice(&self.key.bytes);
        out.extend_from_slice(&self.sig);
        out
    }

    /// Parses container bytes strictly: every field checked, nothing trailing.
    pub fn from_bytes(bytes: &[u8]) -> Result<LibSignature, SignatureError> {
        let field = |start: usize, len: usize, name: &'static str| {
            bytes
                .get(start..start + len)
                .ok_or(SignatureError::Truncated {
                    field: name,
                    offset: bytes.len(),
                })
        };
        if field(0, 4, "magic")? != SIG_MAGIC {
            return Err(SignatureError::Magic);
        }
        let version = field(4, 1, "version")?[0];
        if version != SIG_VERSION {
            return Err(SignatureError::Version(version));
        }
        let code = field(5, 1, "scheme")?[0];
        let scheme = Scheme::from_code(code).ok_or(SignatureError::Scheme(code))?;
        let lib = LibId(field(6, 32, "library id")?.try_into().expect("32 bytes"));
        let key = field(38, 32, "public key")?.try_into().expect("32 bytes");
        let key = PublicKey::new(scheme, key).map_err(|_| SignatureError::Key(scheme))?;
        let sig = field(70, 64, "signature")?.try_into().expect("64 bytes");
        if bytes.len() > SIG_LEN {
            return Err(SignatureError::Trailing {
                count: bytes.len() - SIG_LEN,
            });
        }
        Ok(LibSignature { lib, key, sig })
    }
}

/// The trust policy: libraries run only if signed by one of these keys.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Trust {
    /// The trusted keys.
    pub keys: BTreeSet<PublicKey>,
    /// The signatures known to the host, whoever signed them.
    pub signatures: Vec<LibSignature>,
}

/// Why the trust policy refuses a library.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum TrustError {
    /// No signature names the library.
    #[error("library {0} is not signed, and this host runs only signed libraries")]
    Unsigned(LibId),
    /// A signature of the library does not verify.
    #[error("library {lib} has a signature by {key} that does not verify")]
    BadSignature {
        /// The library.
        lib: LibId,
        /// The key the signature names.
        key: PublicKey,
    },
    /// Every valid signature is by a key the host does not trust.
    #[error("library {lib} is signed by {key}, which this host does not trust")]
    UntrustedKey {
        /// The library.
        lib: LibId,
        /// The signer.
        key: PublicKey,
    },
}

impl Trust {
    /// Accepts `lib` if a valid signature by a trusted key names it;
    /// otherwise says why not (a bad signature before an untrusted one).
    pub fn check(&self, lib: &LibId) -> Result<(), TrustError> {
        let mut refusal = TrustError::Unsigned(*lib);
        for s in self.signatures.iter().filter(|s| s.lib == *lib) {
            if !s.verify() {
                refusal = TrustError::BadSignature {
                    lib: *lib,
                    key: s.key,
                };
            } else if self.keys.contains(&s.key) {
                return Ok(());
            } else if matches!(refusal, TrustError::Unsigned(_)) {
                refusal = TrustError::UntrustedKey {
                    lib: *lib,
                    key: s.key,
                };
            }
        }
        Err(refusal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> [SecretKey; 2] {
        [
            SecretKey::from_bytes(Scheme::Ed25519, &[7; 32]).unwrap(),
            SecretKey::from_bytes(Scheme::Schnorr, &[9; 32]).unwrap(),
        ]
    }

    #[test]
    fn signatures_round_trip_and_verify() {
        let lib = LibId([3; 32]);
        for key in keys() {
            let sig = key.sign(&lib);
            assert!(sig.verify(), "{key:?}");
            let bytes = sig.to_bytes();
            assert_eq!(bytes.len(), SIG_LEN);
            assert_eq!(LibSignature::from_bytes(&bytes), Ok(sig));
            // Signing is deterministic.
            assert_eq!(key.sign(&lib), sig);
            let mut other = sig;
            other.lib = LibId([4; 32]);
            assert!(!other.verify());
        }
    }

    #[test]
    fn the_decoder_names_what_is_wrong_and_where() {
        let sig = keys()[0].sign(&LibId([3; 32])).to_bytes();
        for n in 0..SIG_LEN {
            assert!(matches!(
                LibSignature::from_bytes(&sig[..n]),
                Err(SignatureError::Truncated { offset, .. }) if offset == n
            ));
        }
        let with = |i: usize, b: u8| {
            let mut x = sig.clone();
            x[i] = b;
            LibSignature::from_bytes(&x)
        };
        assert_eq!(with(0, b'X'), Err(SignatureError::Magic));
        assert_eq!(with(4, 2), Err(SignatureError::Version(2)));
        assert_eq!(with(5, 3), Err(SignatureError::Scheme(3)));
        // An x-only key of all 0xff is above the field prime.
        let mut x = sig.clone();
        x[5] = 2;
        x[38..70].fill(0xff);
        assert_eq!(
            LibSignature::from_bytes(&x),
            Err(SignatureError::Key(Scheme::Schnorr))
        );
        let mut long = sig.clone();
        long.push(0);
        assert_eq!(
            LibSignature::from_bytes(&long),
            Err(SignatureError::Trailing { count: 1 })
        );
    }

    #[test]
    fn keys_have_a_text_form_and_secrets_do_not_print() {
        for key in keys() {
            let text = key.to_file_text();
            let back = SecretKey::from_file_text(&text).unwrap();
            assert_eq!(back.public(), key.public());
            let public = key.public().to_string();
            assert_eq!(public.parse::<PublicKey>(), Ok(key.public()));
            let secret_hex = text.trim().rsplit(':').next().unwrap();
            assert!(!format!("{key:?}").contains(secret_hex));
        }
        assert!(SecretKey::from_bytes(Scheme::Schnorr, &[0; 32]).is_err());
        assert!(SecretKey::from_file_text("ed25519:00").is_err());
        assert!("rsa:00".parse::<PublicKey>().is_err());
        assert!("ed25519:zz".parse::<PublicKey>().is_err());
    }

    #[test]
    fn non_canonical_ed25519_keys_are_refused() {
        // y = 2^255 - 1 >= p: ed25519-dalek reduces it modulo p and accepts it.
        assert_eq!(
            PublicKey::new(Scheme::Ed25519, [0xff; 32]),
            Err(KeyError::Invalid(Scheme::Ed25519))
        );
        let mut text = String::from("ed25519:");
        text.push_str(&"ff".repeat(32));
        assert!(text.parse::<PublicKey>().is_err());
        // y = p + 1 names the same point as y = 1 (the identity), written non-canonically.
        let mut p_plus_one = [0xff; 32];
        p_plus_one[0] = 0xee;
        p_plus_one[31] = 0x7f;
        assert!(PublicKey::new(Scheme::Ed25519, p_plus_one).is_err());
        // A real key still parses, and its non-canonical twin (sign bit on x = 0) does not.
        let key = SecretKey::from_bytes(Scheme::Ed25519, &[7; 32])
            .unwrap()
            .public();
        assert!(PublicKey::new(Scheme::Ed25519, *key.bytes()).is_ok());
        let mut identity = [0u8; 32];
        identity[0] = 1;
        identity[31] = 0x80;
        assert!(PublicKey::new(Scheme::Ed25519, identity).is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_decode_canonically_or_not_at_all(
            scheme in 0u8..4,
            body in proptest::collection::vec(proptest::prelude::any::<u8>(), 120..140),
        ) {
            let bytes = [&SIG_MAGIC[..], &[SIG_VERSION, scheme], &body].concat();
            if let Ok(sig) = LibSignature::from_bytes(&bytes) {
                proptest::prop_assert_eq!(sig.to_bytes(), bytes);
            }
        }

        #[test]
        fn every_signature_round_trips_and_verifies(
            seed in proptest::prelude::any::<[u8; 32]>(),
            id in proptest::prelude::any::<[u8; 32]>(),
            schnorr in proptest::prelude::any::<bool>(),
        ) {
            let scheme = if schnorr { Scheme::Schnorr } else { Scheme::Ed25519 };
            let Ok(key) = SecretKey::from_bytes(scheme, &seed) else {
                return Ok(());
            };
            let sig = key.sign(&LibId(id));
            proptest::prop_assert!(sig.verify());
            proptest::prop_assert_eq!(LibSignature::from_bytes(&sig.to_bytes()), Ok(sig));
        }
    }

    #[test]
    fn the_policy_accepts_only_valid_signatures_by_trusted_keys() {
        let [ed, sc] = keys();
        let lib = LibId([3; 32]);
        let mut trust = Trust::default();
        trust.keys.insert(ed.public());
        assert_eq!(trust.check(&lib), Err(TrustError::Unsigned(lib)));
        trust.signatures.push(sc.sign(&lib));
        assert_eq!(
            trust.check(&lib),
            Err(TrustError::UntrustedKey {
                lib,
                key: sc.public()
            })
        );
        let mut forged = ed.sign(&lib);
        forged.sig[0] ^= 1;
        trust.signatures.push(forged);
        assert_eq!(
            trust.check(&lib),
            Err(TrustError::BadSignature {
                lib,
                key: ed.public()
            })
        );
        trust.signatures.push(ed.sign(&lib));
        assert_eq!(trust.check(&lib), Ok(()));
        assert_eq!(
            trust.check(&LibId([5; 32])),
            Err(TrustError::Unsigned(LibId([5; 32])))
        );
    }
}
