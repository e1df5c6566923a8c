//! Curve point arithmetic on secp256k1 and edwards25519 (`pgen padd pneg
//! pmul pchk`); the instruction's flag picks the curve.
//!
//! Points live in S registers as their standard byte encodings, so a point
//! moves, compares (`eq.s`), hashes and feeds the signature checks as it is:
//!
//! - secp256k1: SEC1. Read: compressed (33 bytes, `02`/`03` ‖ x),
//!   uncompressed (65 bytes, `04` ‖ x ‖ y) or the point at infinity (the one
//!   byte `00`). Written: always compressed, or `00` for infinity, so every
//!   result has one encoding.
//! - edwards25519: the 32-byte compressed Edwards y with the sign of x in
//!   the top bit (RFC 8032). Only canonical encodings are read (y < p, and
//!   no sign bit on x = 0): the encoding must be the one the point writes.
//!   The identity is `01 00 .. 00`. Points outside the prime-order subgroup
//!   are points of the curve and are accepted; `pmul` by the group order
//!   tells them apart.
//!
//! Scalars are the value of an r256 register reduced modulo the group order
//! (n for secp256k1, l for edwards25519), so any defined value is a scalar,
//! a digest included.
//!
//! An undefined operand makes the destination undefined and leaves st0; an
//! operand that is not a point of the curve makes it undefined and clears
//! st0. The crates (k256, curve25519-dalek) are called only on checked
//! lengths and return errors as values, so no input panics.
//!
//! The flat complexities come from `cargo bench -p avm-bench --bench crypto`
//! (groups `pgen_*`, `padd_*`, `pneg_*`, `pmul_*`), measured relative to
//! `schnorr` in the same run, whose time is worth about 7400 units (the
//! rate of `exec/curve.rs`: `sha256` of 64 bytes, 9 units). On the loaded
//! 2-core machine, over two runs (`schnorr` at 409 and 289 µs), secp256k1
//! then ed25519: `pmul` 4220-4560 and 3050-3270 units, `pgen` 1900-2560 and
//! 1050-1440, `padd` 1250-1510 and 1320-1340, `pneg` 985-1300 and 700-960.
//! Each opcode costs the same on both curves, the highest figure rounded
//! up: [`POINT_GEN`] = 2600, [`POINT_ADD`] = 1600, [`POINT_NEG`] = 1300
//! (also `pchk`, which decodes only) and [`POINT_MUL`] = 5000. Decoding
//! dominates the cheap ones: a SEC1 or Edwards decompression is a field
//! square root.
//!
//! [`POINT_GEN`]: crate::isa::opcode::POINT_GEN
//! [`POINT_ADD`]: crate::isa::opcode::POINT_ADD
//! [`POINT_NEG`]: crate::isa::opcode::POINT_NEG
//! [`POINT_MUL`]: crate::isa::opcode::POINT_MUL

use crate::isa::flags::CurveFlag;
use crate::isa::shape::{PointAdd, PointChk, PointGen, PointMul, PointNeg};
use crate::registers::{Registers, Slots};
use crate::word::Word;

/// A prime-order group of points with its byte encoding, as the VM sees it.
trait Group: Sized {
    /// Reads a point; `None` if the bytes encode no point of the curve.
    fn decode(bytes: &[u8]) -> Option<Self>;
    /// The point's one encoding.
    fn encode(&self) -> Vec<u8>;
    /// The generator times the scalar `k` (big-endian, any 256-bit value).
    fn gen(k: &[u8; 32]) -> Self;
    /// The point times the scalar `k` (big-endian, any 256-bit value).
    fn mul(&self, k: &[u8; 32]) -> Self;
    /// The sum of two points.
    fn add(&self, other: &Self) -> Self;
    /// The point's negation.
    fn neg(&self) -> Self;
}

impl Group for k256::ProjectivePoint {
    fn decode(bytes: &[u8]) -> Option<Self> {
        use k256::elliptic_curve::sec1::FromEncodedPoint;
        // SEC1's compact and hybrid forms are not points here.
        match (bytes.first(), bytes.len()) {
            (Some(0), 1) | (Some(2 | 3), 33) | (Some(4), 65) => {}
            _ => return None,
        }
        let encoded = k256::EncodedPoint::from_bytes(bytes).ok()?;
        let affine: Option<k256::AffinePoint> =
            k256::AffinePoint::from_encoded_point(&encoded).into();
        affine.map(Self::from)
    }

    fn encode(&self) -> Vec<u8> {
        use k256::elliptic_curve::sec1::ToEncodedPoint;
        self.to_affine().to_encoded_point(true).as_bytes().to_vec()
    }

    fn gen(k: &[u8; 32]) -> Self {
        // With k256's precomputed tables: 4-5 times faster than GENERATOR * k.
        use k256::elliptic_curve::ops::MulByGenerator;
        Self::mul_by_generator(&secp_scalar(k))
    }

    fn mul(&self, k: &[u8; 32]) -> Self {
        *self * secp_scalar(k)
    }

    fn add(&self, other: &Self) -> Self {
        *self + other
    }

    fn neg(&self) -> Self {
        -*self
    }
}

/// A big-endian 256-bit value modulo secp256k1's group order n.
fn secp_scalar(k: &[u8; 32]) -> k256::Scalar {
    use k256::elliptic_curve::ops::Reduce;
    <k256::Scalar as Reduce<k256::U256>>::reduce_bytes(k.into())
}

impl Group for curve25519_dalek::EdwardsPoint {
    fn decode(bytes: &[u8]) -> Option<Self> {
        let compressed = curve25519_dalek::edwards::CompressedEdwardsY::from_slice(bytes).ok()?;
        let point = compressed.decompress()?;
        // decompress reduces y modulo p and ignores a sign bit on x = 0;
        // only the encoding the point writes back is canonical.
        (point.compress() == compressed).then_some(point)
    }

    fn encode(&self) -> Vec<u8> {
        self.compress().to_bytes().to_vec()
    }

    fn gen(k: &[u8; 32]) -> Self {
        Self::mul_base(&ed_scalar(k))
    }

    fn mul(&self, k: &[u8; 32]) -> Self {
        self * ed_scalar(k)
    }

    fn add(&self, other: &Self) -> Self {
        self + other
    }

    fn neg(&self) -> Self {
        -self
    }
}

/// A big-endian 256-bit value modulo edwards25519's group order l.
fn ed_scalar(k: &[u8; 32]) -> curve25519_dalek::Scalar {
    let mut le = *k;
    le.reverse();
    curve25519_dalek::Scalar::from_bytes_mod_order(le)
}

/// The big-endian bytes of an r256 register.
fn scalar(regs: &Registers, idx: u8) -> Option<[u8; 32]> {
    let mut be = [0u8; 32];
    regs.r256.get(idx)?.write_le(&mut be);
    be.reverse();
    Some(be)
}

fn s(regs: &Registers, idx: u8) -> Option<&[u8]> {
    regs.s[idx as usize & 15].as_deref()
}

/// A point operand: `Ok(None)` if undefined, `Err(())` if not a point.
fn point<G: Group>(regs: &Registers, idx: u8) -> Result<Option<G>, ()> {
    s(regs, idx).map(|b| G::decode(b).ok_or(())).transpose()
}

/// Writes a result: `Ok(Some)` a point, `Ok(None)` undefined because an
/// input was, `Err(())` undefined because an input is not a point.
fn finish<G: Group>(regs: &mut Registers, dst: u8, result: Result<Option<G>, ()>) {
    regs.st0 &= result.is_ok();
    regs.s[dst as usize & 15] = result.ok().flatten().map(|p| p.encode());
}

/// Runs `op` on the group the flag names.
macro_rules! on_curve {
    ($flag:expr, $op:ident($($arg:expr),*)) => {
        match $flag {
            CurveFlag::Secp256k1 => $op::<k256::ProjectivePoint>($($arg),*),
            CurveFlag::Ed25519 => $op::<curve25519_dalek::EdwardsPoint>($($arg),*),
        }
    };
}

pub(crate) fn pgen(regs: &mut Registers, i: &PointGen) {
    fn go<G: Group>(regs: &mut Registers, i: &PointGen) {
        let result = Ok(scalar(regs, i.k).map(|k| G::gen(&k)));
        finish::<G>(regs, i.dst, result);
    }
    on_curve!(i.flag, go(regs, i));
}

pub(crate) fn padd(regs: &mut Registers, i: &PointAdd) {
    fn go<G: Group>(regs: &mut Registers, i: &PointAdd) {
        let result = point::<G>(regs, i.a).and_then(|a| {
            let b = point::<G>(regs, i.b)?;
            Ok(a.zip(b).map(|(a, b)| a.add(&b)))
        });
        finish(regs, i.dst, result);
    }
    on_curve!(i.flag, go(regs, i));
}

pub(crate) fn pneg(regs: &mut Registers, i: &PointNeg) {
    fn go<G: Group>(regs: &mut Registers, i: &PointNeg) {
        let result = point::<G>(regs, i.src).map(|p| p.map(|p| p.neg()));
        finish(regs, i.dst, result);
    }
    on_curve!(i.flag, go(regs, i));
}

pub(crate) fn pmul(regs: &mut Registers, i: &PointMul) {
    fn go<G: Group>(regs: &mut Registers, i: &PointMul) {
        let k = scalar(regs, i.k);
        let result = point::<G>(regs, i.src).map(|p| p.zip(k).map(|(p, k)| p.mul(&k)));
        finish(regs, i.dst, result);
    }
    on_curve!(i.flag, go(regs, i));
}

pub(crate) fn pchk(regs: &mut Registers, i: &PointChk) {
    fn go<G: Group>(regs: &mut Registers, i: &PointChk) {
        regs.st0 = matches!(point::<G>(regs, i.src), Ok(Some(_)));
    }
    on_curve!(i.flag, go(regs, i));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secp256k1_reads_three_forms_and_writes_one() {
        let g = k256::ProjectivePoint::gen(&{
            let mut one = [0u8; 32];
            one[31] = 1;
            one
        });
        let compressed = g.encode();
        assert_eq!(compressed.len(), 33);
        use k256::elliptic_curve::sec1::ToEncodedPoint;
        let uncompressed = g.to_affine().to_encoded_point(false);
        let back = k256::ProjectivePoint::decode(uncompressed.as_bytes()).unwrap();
        assert_eq!(back.encode(), compressed);
        let infinity = k256::ProjectivePoint::gen(&[0; 32]);
        assert_eq!(infinity.encode(), [0]);
        assert!(k256::ProjectivePoint::decode(&[0]).is_some());
        // Hybrid (06/07) and compact forms, and junk, are not points.
        let mut hybrid = uncompressed.as_bytes().to_vec();
        hybrid[0] = 6;
        assert!(k256::ProjectivePoint::decode(&hybrid).is_none());
        assert!(k256::ProjectivePoint::decode(&compressed[1..]).is_none());
        assert!(k256::ProjectivePoint::decode(&[]).is_none());
    }

    #[test]
    fn ed25519_reads_only_canonical_encodings() {
        let identity = curve25519_dalek::EdwardsPoint::gen(&[0; 32]);
        let mut bytes = identity.encode();
        assert_eq!(bytes[0], 1);
        assert!(bytes[1..].iter().all(|b| *b == 0));
        // x = 0 with its sign bit set decompresses, but is not canonical.
        bytes[31] |= 0x80;
        assert!(
            curve25519_dalek::edwards::CompressedEdwardsY(bytes.clone().try_into().unwrap())
                .decompress()
                .is_some()
        );
        assert!(curve25519_dalek::EdwardsPoint::decode(&bytes).is_none());
        // y = p + 1 reads as y = 1 in the crate: not canonical here.
        let mut p_plus_1 = [0xffu8; 32];
        p_plus_1[0] = 0xee;
        p_plus_1[31] = 0x7f;
        assert!(curve25519_dalek::EdwardsPoint::decode(&p_plus_1).is_none());
        assert!(curve25519_dalek::EdwardsPoint::decode(&[1; 31]).is_none());
    }
}
