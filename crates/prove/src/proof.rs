//! Proofs and their canonical, versioned binary encoding.
//!
//! ```text
//! "AVMP"  version (1 byte, 1)  gas_used (u64 little-endian)  winterfell proof bytes
//! ```
//!
//! Decoding is strict: the magic, the version, and a winterfell proof that
//! takes every remaining byte and encodes back to exactly those bytes.

use winterfell::Proof;

/// The first bytes of an encoded proof.
pub const MAGIC: &[u8; 4] = b"AVMP";

/// The encoding's version.
pub const VERSION: u8 = 1;

const HEADER: usize = MAGIC.len() + 1 + 8;

/// A proof that a program accepted `[public, private]` for some private
/// argument, using `gas_used` gas.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AluProof {
    /// The gas the proved run used; the statement holds for every gas limit
    /// at least this.
    pub gas_used: u64,
    /// The STARK proof.
    pub stark: Proof,
}

/// Why bytes are not a proof.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProofDecodeError {
    /// Too short for the header.
    #[error("a proof is at least {HEADER} bytes; this is {0}")]
    Short(usize),
    /// The magic is not `AVMP`.
    #[error("not an avm proof (the first four bytes are not `AVMP`)")]
    Magic,
    /// An unknown version.
    #[error("proof encoding version {0}; this build reads version {VERSION}")]
    Version(u8),
    /// The STARK proof does not decode.
    #[error("the STARK proof after byte {HEADER}: {0}")]
    Stark(String),
    /// The STARK proof is not in canonical form.
    #[error("the STARK proof after byte {HEADER} is not in canonical form")]
    NotCanonical,
}

impl AluProof {
    /// The canonical encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.push(VERSION);
        out.extend_from_slice(&self.gas_used.to_le_bytes());
        out.extend_from_slice(&self.stark.to_bytes());
        out
    }

    /// Decodes a proof.
    pub fn from_bytes(bytes: &[u8]) -> Result<AluProof, ProofDecodeError> {
        if bytes.len() < HEADER {
            return Err(ProofDecodeError::Short(bytes.len()));
        }
        if &bytes[..4] != MAGIC {
            return Err(ProofDecodeError::Magic);
        }
        if bytes[4] != VERSION {
            return Err(ProofDecodeError::Version(bytes[4]));
        }
        let gas_used = u64::from_le_bytes(bytes[5..HEADER].try_into().expect("8 bytes"));
        let rest = &bytes[HEADER..];
        let stark = Proof::from_bytes(rest).map_err(|e| ProofDecodeError::Stark(e.to_string()))?;
        if stark.to_bytes() != rest {
            return Err(ProofDecodeError::NotCanonical);
        }
        Ok(AluProof { gas_used, stark })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_foreign_and_future_bytes_are_refused_by_name() {
        assert_eq!(
            AluProof::from_bytes(b"AVMP"),
            Err(ProofDecodeError::Short(4))
        );
        let mut b = b"AVMX\x01".to_vec();
        b.extend([0; 8]);
        assert_eq!(AluProof::from_bytes(&b), Err(ProofDecodeError::Magic));
        b[3] = b'P';
        b[4] = 2;
        assert_eq!(AluProof::from_bytes(&b), Err(ProofDecodeError::Version(2)));
        b[4] = 1;
        assert!(matches!(
            AluProof::from_bytes(&b),
            Err(ProofDecodeError::Stark(_))
        ));
    }
}
