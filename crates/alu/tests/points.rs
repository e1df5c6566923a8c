//! Curve point arithmetic (`pgen padd pneg pmul pchk`) through the VM,
//! compared with k256 and curve25519-dalek called directly, on published
//! key vectors and random scalars.

mod common;

use avm_alu::isa::opcode::{POINT_ADD, POINT_GEN, POINT_MUL, POINT_NEG};
use avm_alu::{Registers, StopReason};
use common::*;
use curve25519_dalek::{EdwardsPoint, Scalar as EdScalar};
use k256::elliptic_curve::sec1::ToEncodedPoint;
use k256::{ProjectivePoint, Scalar as KScalar};
use proptest::prelude::*;
use sha2::Digest as _;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// A 32-byte big-endian scalar as r256 register bytes (little-endian).
fn r256_bytes(be: &[u8; 32]) -> Vec<u8> {
    be.iter().rev().copied().collect()
}

/// Runs one point instruction; `scalars` go to r256[i], `points` to s[i].
fn point_op(
    mnemonic: &str,
    curve: &str,
    ops: &[avm_alu::Operand],
    scalars: &[[u8; 32]],
    points: &[Vec<u8>],
) -> Registers {
    one(ins(mnemonic, Some(curve), ops), |regs| {
        for (i, k) in scalars.iter().enumerate() {
            set_r(regs, 256, i as u8, &r256_bytes(k));
        }
        for (i, p) in points.iter().enumerate() {
            set_s(regs, i as u8, p);
        }
    })
}

/// `pgen.<curve> s[8], r256[0]` with r256[0] = k.
fn vm_gen(curve: &str, k: &[u8; 32]) -> Option<Vec<u8>> {
    get_s(&point_op("pgen", curve, &[s(8), r(256, 0)], &[*k], &[]), 8)
}

/// `pmul.<curve> s[8], r256[0], s[0]`.
fn vm_mul(curve: &str, k: &[u8; 32], p: &[u8]) -> Registers {
    point_op(
        "pmul",
        curve,
        &[s(8), r(256, 0), s(0)],
        &[*k],
        &[p.to_vec()],
    )
}

/// `padd.<curve> s[8], s[0], s[1]`.
fn vm_add(curve: &str, a: &[u8], b: &[u8]) -> Registers {
    point_op(
        "padd",
        curve,
        &[s(8), s(0), s(1)],
        &[],
        &[a.to_vec(), b.to_vec()],
    )
}

/// `pneg.<curve> s[8], s[0]`.
fn vm_neg(curve: &str, p: &[u8]) -> Registers {
    point_op("pneg", curve, &[s(8), s(0)], &[], &[p.to_vec()])
}

fn k_point(k: &[u8; 32]) -> Vec<u8> {
    use k256::elliptic_curve::ops::Reduce;
    let k = <KScalar as Reduce<k256::U256>>::reduce_bytes(k.into());
    (ProjectivePoint::GENERATOR * k)
        .to_affine()
        .to_encoded_point(true)
        .as_bytes()
        .to_vec()
}

fn ed_scalar(k: &[u8; 32]) -> EdScalar {
    let mut le = *k;
    le.reverse();
    EdScalar::from_bytes_mod_order(le)
}

fn ed_point(k: &[u8; 32]) -> Vec<u8> {
    EdwardsPoint::mul_base(&ed_scalar(k))
        .compress()
        .to_bytes()
        .to_vec()
}

fn be(v: u64) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[24..].copy_from_slice(&v.to_be_bytes());
    out
}

/// secp256k1's group order n, big-endian.
const SECP_N: &str = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
/// edwards25519's group order l, big-endian.
const ED_L: &str = "1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed";

#[test]
fn pgen_gives_the_published_public_keys() {
    // secp256k1: 1·G is the generator; BIP-340 test vector 0 (secret key 3).
    assert_eq!(
        vm_gen("secp", &be(1)),
        Some(hex(
            "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
        ))
    );
    let sk3 = vm_gen("secp", &be(3)).unwrap();
    assert_eq!(
        sk3[1..],
        hex("f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9")[..]
    );
    // BIP-340 test vectors 1-3: x-only public keys of their secret keys.
    for (sk, pk) in [
        (
            "b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef",
            "dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba659",
        ),
        (
            "c90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b14e5c9",
            "dd308afec5777e13121fa72b9cc1b7cc0139715309b086c960e18fd969774eb8",
        ),
        (
            "0b432b2677937381aef05bb02a66ecd012773062cf3fa2549e44f58ed2401710",
            "25d1dff95105f5253c4022f628a996ad3a0d95fbf21d468a1b33f8c160d8f517",
        ),
    ] {
        let point = vm_gen("secp", &hex(sk).try_into().unwrap()).unwrap();
        assert_eq!(point[1..], hex(pk)[..], "{sk}");
    }
    // Ed25519: RFC 8032 tests 1-3, the clamped SHA-512 of the seed times B.
    for (seed, public) in [
        (
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        ),
        (
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        ),
        (
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        ),
    ] {
        let h = sha2::Sha512::digest(hex(seed));
        let mut s_le: [u8; 32] = h[..32].try_into().unwrap();
        s_le[0] &= 248;
        s_le[31] &= 127;
        s_le[31] |= 64;
        let mut s_be = s_le;
        s_be.reverse();
        assert_eq!(vm_gen("ed", &s_be), Some(hex(public)), "{seed}");
    }
    assert_eq!(
        vm_gen("ed", &be(1)),
        Some(hex(
            "5866666666666666666666666666666666666666666666666666666666666666"
        ))
    );
}

#[test]
fn scalars_are_reduced_modulo_the_group_order() {
    for (curve, order, identity) in [
        ("secp", SECP_N, vec![0u8]),
        ("ed", ED_L, {
            let mut id = vec![0u8; 32];
            id[0] = 1;
            id
        }),
    ] {
        let n: [u8; 32] = hex(order).try_into().unwrap();
        assert_eq!(vm_gen(curve, &n), Some(identity.clone()), "{curve}");
        assert_eq!(vm_gen(curve, &[0; 32]), Some(identity.clone()), "{curve}");
        // n + 1 is 1.
        let mut n1 = n;
        n1[31] += 1;
        assert_eq!(vm_gen(curve, &n1), vm_gen(curve, &be(1)), "{curve}");
        // The identity is a point: adding it changes nothing, negating keeps it.
        let g = vm_gen(curve, &be(1)).unwrap();
        assert_eq!(get_s(&vm_add(curve, &g, &identity), 8), Some(g.clone()));
        assert_eq!(get_s(&vm_neg(curve, &identity), 8), Some(identity.clone()));
        // P + (-P) is the identity.
        let neg = get_s(&vm_neg(curve, &g), 8).unwrap();
        let sum = vm_add(curve, &g, &neg);
        assert!(sum.st0);
        assert_eq!(get_s(&sum, 8), Some(identity));
    }
    // The all-ones value reduces too.
    assert_eq!(vm_gen("secp", &[0xff; 32]), Some(k_point(&[0xff; 32])));
    assert_eq!(vm_gen("ed", &[0xff; 32]), Some(ed_point(&[0xff; 32])));
}

#[test]
fn secp256k1_points_read_uncompressed_and_write_compressed() {
    let g = ProjectivePoint::GENERATOR.to_affine();
    let unc = g.to_encoded_point(false).as_bytes().to_vec();
    let regs = vm_mul("secp", &be(2), &unc);
    assert!(regs.st0);
    assert_eq!(get_s(&regs, 8), Some(k_point(&be(2))));
    let regs = vm_neg("secp", &unc);
    let mut neg_g = k_point(&be(1));
    neg_g[0] = 0x03;
    assert_eq!(get_s(&regs, 8), Some(neg_g));
}

#[test]
fn invalid_points_make_the_result_undefined_and_clear_st0() {
    let g = k_point(&be(1));
    // x = 5 is not on secp256k1 (5^3 + 7 = 132 is not a square mod p).
    let mut off_curve = vec![0x02];
    off_curve.extend_from_slice(&be(5));
    let mut hybrid = ProjectivePoint::GENERATOR
        .to_affine()
        .to_encoded_point(false)
        .as_bytes()
        .to_vec();
    hybrid[0] = 0x06;
    let bad_secp: [Vec<u8>; 5] = [vec![], vec![2], off_curve, hybrid, g[..32].to_vec()];
    let ed_g = ed_point(&be(1));
    let mut ed_sign_on_identity = ed_point(&be(0));
    ed_sign_on_identity[31] |= 0x80;
    // y = 2 is not the y of a point of edwards25519.
    let mut not_y = vec![0u8; 32];
    not_y[0] = 2;
    let bad_ed: [Vec<u8>; 4] = [vec![], ed_sign_on_identity, not_y, g.clone()];
    for (curve, good, bad) in [
        ("secp", g.clone(), &bad_secp[..]),
        ("ed", ed_g.clone(), &bad_ed[..]),
    ] {
        for b in bad {
            let regs = vm_mul(curve, &be(1), b);
            assert!(!regs.st0, "{curve} pmul {b:02x?}");
            assert_eq!(get_s(&regs, 8), None);
            let regs = vm_add(curve, &good, b);
            assert!(!regs.st0, "{curve} padd {b:02x?}");
            assert_eq!(get_s(&regs, 8), None);
            let regs = vm_neg(curve, b);
            assert!(!regs.st0 && get_s(&regs, 8).is_none(), "{curve} pneg");
            let regs = point_op("pchk", curve, &[s(0)], &[], std::slice::from_ref(b));
            assert!(!regs.st0, "{curve} pchk {b:02x?}");
        }
        let regs = point_op("pchk", curve, &[s(0)], &[], std::slice::from_ref(&good));
        assert!(regs.st0, "{curve} pchk");
    }
}

#[test]
fn undefined_operands_make_the_result_undefined_and_leave_st0() {
    for curve in ["secp", "ed"] {
        let regs = one(ins("pgen", Some(curve), &[s(8), r(256, 0)]), |_| {});
        assert!(regs.st0);
        assert_eq!(get_s(&regs, 8), None);
        let g = vm_gen(curve, &be(1)).unwrap();
        // Scalar undefined, point defined.
        let regs = one(ins("pmul", Some(curve), &[s(8), r(256, 0), s(0)]), |regs| {
            set_s(regs, 0, &g);
            set_s(regs, 8, &g);
        });
        assert!(regs.st0);
        assert_eq!(get_s(&regs, 8), None);
        let regs = one(ins("padd", Some(curve), &[s(8), s(0), s(1)]), |regs| {
            set_s(regs, 0, &g)
        });
        assert!(regs.st0);
        assert_eq!(get_s(&regs, 8), None);
        // pchk of an undefined register is false, like a comparison.
        let regs = one(ins("pchk", Some(curve), &[s(0)]), |_| {});
        assert!(!regs.st0);
    }
}

#[test]
fn point_instructions_cost_their_flat_complexity() {
    let cases = [
        (ins("pgen", Some("secp"), &[s(1), r(256, 0)]), POINT_GEN),
        (ins("padd", Some("ed"), &[s(1), s(0), s(0)]), POINT_ADD),
        (ins("pneg", Some("ed"), &[s(1), s(0)]), POINT_NEG),
        (
            ins("pmul", Some("secp"), &[s(1), r(256, 0), s(0)]),
            POINT_MUL,
        ),
        (ins("pchk", Some("secp"), &[s(0)]), POINT_NEG),
    ];
    for (instr, cost) in cases {
        let (out, _) = run(&[instr, stop()], &[], |_| {});
        assert_eq!(out.reason, StopReason::Stopped);
        assert_eq!(out.ca0, cost + 1, "{instr:?}");
    }
}

#[test]
fn point_instructions_round_trip_through_their_bytes() {
    for curve in ["secp", "ed"] {
        let instrs = [
            ins("pgen", Some(curve), &[s(15), r(256, 31)]),
            ins("padd", Some(curve), &[s(1), s(2), s(3)]),
            ins("pneg", Some(curve), &[s(4), s(5)]),
            ins("pmul", Some(curve), &[s(6), r(256, 7), s(8)]),
            ins("pchk", Some(curve), &[s(9)]),
        ];
        let code = avm_alu::isa::assemble(&instrs);
        let back: Vec<_> = avm_alu::isa::disassemble(&code, avm_alu::isa::no_ext)
            .into_iter()
            .map(|(_, i)| i)
            .collect();
        assert_eq!(back, instrs);
    }
    // The point instructions take only r256 scalars.
    assert!(avm_alu::Instr::from_parts("pgen", Some("ed"), &[s(0), r(512, 0)]).is_err());
    assert!(avm_alu::Instr::from_parts("pgen", None, &[s(0), r(256, 0)]).is_err());
}

fn scalar() -> impl Strategy<Value = [u8; 32]> {
    any::<[u8; 32]>()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn secp256k1_agrees_with_k256(a in scalar(), b in scalar()) {
        let a_g = vm_gen("secp", &a).unwrap();
        let b_g = vm_gen("secp", &b).unwrap();
        prop_assert_eq!(&a_g, &k_point(&a));
        // (a + b)G = aG + bG, with the sum computed by k256.
        use k256::elliptic_curve::ops::Reduce;
        let sa = <KScalar as Reduce<k256::U256>>::reduce_bytes(&a.into());
        let sb = <KScalar as Reduce<k256::U256>>::reduce_bytes(&b.into());
        let sum: [u8; 32] = (sa + sb).to_bytes().into();
        let added = vm_add("secp", &a_g, &b_g);
        prop_assert!(added.st0);
        prop_assert_eq!(get_s(&added, 8), vm_gen("secp", &sum));
        // b(aG) = (ab)G.
        let prod: [u8; 32] = (sa * sb).to_bytes().into();
        prop_assert_eq!(get_s(&vm_mul("secp", &b, &a_g), 8), vm_gen("secp", &prod));
        // -(aG) = (-a)G.
        let neg: [u8; 32] = (-sa).to_bytes().into();
        prop_assert_eq!(get_s(&vm_neg("secp", &a_g), 8), vm_gen("secp", &neg));
    }

    #[test]
    fn ed25519_agrees_with_curve25519_dalek(a in scalar(), b in scalar()) {
        let a_g = vm_gen("ed", &a).unwrap();
        let b_g = vm_gen("ed", &b).unwrap();
        prop_assert_eq!(&a_g, &ed_point(&a));
        let to_be = |s: EdScalar| { let mut x = s.to_bytes(); x.reverse(); x };
        let (sa, sb) = (ed_scalar(&a), ed_scalar(&b));
        let added = vm_add("ed", &a_g, &b_g);
        prop_assert!(added.st0);
        prop_assert_eq!(get_s(&added, 8), vm_gen("ed", &to_be(sa + sb)));
        prop_assert_eq!(get_s(&vm_mul("ed", &b, &a_g), 8), vm_gen("ed", &to_be(sa * sb)));
        prop_assert_eq!(get_s(&vm_neg("ed", &a_g), 8), vm_gen("ed", &to_be(-sa)));
    }

    #[test]
    fn ed25519_pgen_is_the_dalek_public_key(seed in any::<[u8; 32]>()) {
        let key = ed25519_dalek::SigningKey::from_bytes(&seed);
        let mut s_be = key.to_scalar().to_bytes();
        s_be.reverse();
        prop_assert_eq!(vm_gen("ed", &s_be), Some(key.verifying_key().to_bytes().to_vec()));
    }

    #[test]
    fn random_bytes_are_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..70), k in scalar()) {
        for curve in ["secp", "ed"] {
            let regs = vm_mul(curve, &k, &bytes);
            // Either a point (st0 true and a result) or not (st0 false, undefined).
            prop_assert_eq!(regs.st0, get_s(&regs, 8).is_some());
        }
    }
}
