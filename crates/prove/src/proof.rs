//! Proofs and their canonical, versioned binary encoding.
//!
//! ```text
//! "AVMP"  version (1 byte, 1)  gas_used (u64 little-endian)  winterfell proof bytes
//! ```
//!
//! Decoding is strict: the magic, the version, and a winterfell proof that
//! takes every remaining byte and encodes back to exactly those bytes.
//! winterfell's own decoder and verifier are not hardened against damaged
//! bytes: they assert (panic) on some trace shapes and proof options,
//! reserve whatever a length prefix claims, and shift by an unchecked Merkle
//! depth. So `check_shape` walks the whole proof first: the context must
//! be one avm makes, every length prefix must fit in the bytes left, and
//! every Merkle multiproof must have a sane depth and node counts.

use winter_utils::Serializable;
use winterfell::math::{fields::f64::BaseElement, StarkField};
use winterfell::{Proof, TraceInfo};

use crate::engine;
use crate::trace::MAX_TRACE_ROWS;

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
    /// The STARK proof's trace shape, field or options are not avm's.
    #[error("the STARK proof's context (trace shape, field, options) is not one avm makes")]
    Context,
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
        check_shape(rest)?;
        let stark = Proof::from_bytes(rest).map_err(|e| ProofDecodeError::Stark(e.to_string()))?;
        if stark.to_bytes() != rest {
            return Err(ProofDecodeError::NotCanonical);
        }
        Ok(AluProof { gas_used, stark })
    }
}

/// Checks that a winterfell proof starts with a context avm makes: a main
/// trace of 1 to 255 columns and 8 to [`MAX_TRACE_ROWS`] rows with no
/// auxiliary segment or metadata, over Goldilocks, with
/// [`engine::options`]. (The number of constraints follows, which
/// winterfell reads without asserting.)
/// Returns the length of the checked prefix.
fn check_context(stark: &[u8]) -> Result<usize, ProofDecodeError> {
    let [width, 0, 0, log_len, 0, 0, ..] = *stark else {
        return Err(ProofDecodeError::Context);
    };
    let max_log = MAX_TRACE_ROWS.ilog2() as u8;
    if width == 0 || !(3..=max_log).contains(&log_len) {
        return Err(ProofDecodeError::Context);
    }
    let mut expected = TraceInfo::new(usize::from(width), 1 << log_len).to_bytes();
    let modulus = BaseElement::get_modulus_le_bytes();
    expected.push(modulus.len() as u8);
    expected.extend_from_slice(&modulus);
    expected.extend_from_slice(&engine::options().to_bytes());
    if !stark.starts_with(&expected) {
        return Err(ProofDecodeError::Context);
    }
    Ok(expected.len())
}

/// A reader of a byte slice for [`check_shape`]: every read is
/// bounds-checked without overflow (winter-utils' `SliceReader` adds the
/// length to its position unchecked).
struct Cursor<'a> {
    bytes: &'a [u8],
}

/// The bytes ran out.
struct Short;

impl<'a> Cursor<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Cursor { bytes }
    }

    fn read_slice(&mut self, n: usize) -> Result<&'a [u8], Short> {
        if n > self.bytes.len() {
            return Err(Short);
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    fn read_le<const N: usize>(&mut self) -> Result<u64, Short> {
        let mut b = [0u8; 8];
        b[..N].copy_from_slice(self.read_slice(N)?);
        Ok(u64::from_le_bytes(b))
    }

    fn read_u8(&mut self) -> Result<u8, Short> {
        Ok(self.read_le::<1>()? as u8)
    }

    fn read_u16(&mut self) -> Result<u16, Short> {
        Ok(self.read_le::<2>()? as u16)
    }

    fn read_u32(&mut self) -> Result<u32, Short> {
        Ok(self.read_le::<4>()? as u32)
    }

    fn read_u64(&mut self) -> Result<u64, Short> {
        self.read_le::<8>()
    }

    /// winter-utils' variable-length `usize`: the first byte's trailing
    /// zeros give the length (9 bytes when it is 0).
    fn read_usize(&mut self) -> Result<usize, Short> {
        let first = *self.bytes.first().ok_or(Short)?;
        let len = first.trailing_zeros() as usize + 1;
        let value = if len == 9 {
            self.read_u8()?;
            self.read_u64()?
        } else {
            let mut b = [0u8; 8];
            b[..len].copy_from_slice(self.read_slice(len)?);
            u64::from_le_bytes(b) >> len
        };
        usize::try_from(value).map_err(|_| Short)
    }

    fn has_more_bytes(&self) -> bool {
        !self.bytes.is_empty()
    }
}

/// Walks a winterfell proof's layout (winter-air 0.13's `Proof`
/// serialisation) without building it: the context ([`check_context`]),
/// the number of queries, the commitments, the trace and constraint
/// queries, the out-of-domain frame, the FRI layers and remainder, the
/// proof-of-work nonce, and nothing after.
fn check_shape(stark: &[u8]) -> Result<(), ProofDecodeError> {
    let prefix = check_context(stark)?;
    let r = &mut Cursor::new(&stark[prefix..]);
    let bad = |_| ProofDecodeError::Stark("a length runs past the end of the proof".into());
    r.read_usize().map_err(bad)?; // number of constraints
    r.read_u8().map_err(bad)?; // unique queries
    let n = r.read_u16().map_err(bad)?;
    r.read_slice(n.into()).map_err(bad)?; // commitments
    for _ in 0..2 {
        // The main trace's queries, then the constraint evaluations'.
        let n = r.read_usize().map_err(bad)?;
        r.read_slice(n).map_err(bad)?;
        let n = r.read_usize().map_err(bad)?;
        check_multiproof(r.read_slice(n).map_err(bad)?)?;
    }
    for _ in 0..2 {
        // Out-of-domain rows: the frame size (always 2, which winterfell
        // asserts), then the values.
        let n = r.read_u16().map_err(bad)?;
        if r.read_slice(n.into()).map_err(bad)?.first() != Some(&2) {
            return Err(ProofDecodeError::Stark(
                "an out-of-domain frame is not of two rows".into(),
            ));
        }
    }
    let layers = r.read_u8().map_err(bad)?;
    for _ in 0..layers {
        let n = r.read_u32().map_err(bad)?;
        r.read_slice(n as usize).map_err(bad)?;
        let n = r.read_u32().map_err(bad)?;
        check_multiproof(r.read_slice(n as usize).map_err(bad)?)?;
    }
    let n = r.read_u16().map_err(bad)?;
    r.read_slice(n.into()).map_err(bad)?; // FRI remainder
                                          // log2 of the FRI partitions: avm's options have one; winterfell
                                          // ignores the byte for one partition, so any other value is refused
                                          // (it would make the encoding malleable, and 2^255 overflows).
    if r.read_u8().map_err(bad)? != 0 {
        return Err(ProofDecodeError::Stark(
            "FRI partitions other than one".into(),
        ));
    }
    r.read_u64().map_err(bad)?; // proof-of-work nonce
    if r.has_more_bytes() {
        return Err(ProofDecodeError::Stark("bytes after the proof".into()));
    }
    Ok(())
}

/// Most levels of a Merkle tree over an extended trace of at most
/// [`MAX_TRACE_ROWS`] rows with blowup [`engine::BLOWUP`].
const MAX_MERKLE_DEPTH: u8 = 32;

/// Checks a serialised Merkle multiproof (winter-crypto's
/// `BatchMerkleProof`): a depth, then vectors of 32-byte digests, every
/// count within the bytes left, and nothing after.
fn check_multiproof(bytes: &[u8]) -> Result<(), ProofDecodeError> {
    let bad = |_| ProofDecodeError::Stark("a Merkle path runs past its end".into());
    let r = &mut Cursor::new(bytes);
    if r.read_u8().map_err(bad)? > MAX_MERKLE_DEPTH {
        return Err(ProofDecodeError::Stark("a Merkle path is too deep".into()));
    }
    let vectors = r.read_usize().map_err(bad)?;
    if vectors > bytes.len() {
        return Err(ProofDecodeError::Stark(
            "a Merkle path runs past its end".into(),
        ));
    }
    for _ in 0..vectors {
        let digests = r.read_usize().map_err(bad)?;
        r.read_slice(digests.saturating_mul(32)).map_err(bad)?;
    }
    if r.has_more_bytes() {
        return Err(ProofDecodeError::Stark("bytes after a Merkle path".into()));
    }
    Ok(())
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
        assert_eq!(AluProof::from_bytes(&b), Err(ProofDecodeError::Context));
    }
}
