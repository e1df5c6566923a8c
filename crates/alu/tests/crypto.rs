//! Digests and signature checks, run through the VM and compared with the
//! crates directly, on the published test vectors of each scheme.

mod common;

use avm_alu::isa::opcode::{DIGEST_BASE, DIGEST_BLOCK, ED25519_VERIFY};
use avm_alu::isa::{self, Instr};
use avm_alu::{Limits, Registers, StopReason};
use common::*;
use proptest::prelude::*;
use sha2::Digest as _;

/// The register's little-endian bytes of a digest (which it holds big-endian).
fn rev(mut digest: Vec<u8>) -> Vec<u8> {
    digest.reverse();
    digest
}

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

// ---------------------------------------------------------------- digests

/// A digest mnemonic, its register width and the crate's answer.
type DigestRow = (&'static str, u16, fn(&[u8]) -> Vec<u8>);

/// Every digest mnemonic.
fn digests() -> [DigestRow; 5] {
    [
        ("sha256", 256, |m| sha2::Sha256::digest(m).to_vec()),
        ("sha512", 512, |m| sha2::Sha512::digest(m).to_vec()),
        ("ripemd160", 160, |m| ripemd::Ripemd160::digest(m).to_vec()),
        ("blake3", 256, |m| blake3::hash(m).as_bytes().to_vec()),
        ("keccak256", 256, |m| sha3::Keccak256::digest(m).to_vec()),
    ]
}

/// Hashes `msg`, loaded into s[3] from the data segment, into r<bits>[5].
fn vm_digest(mnemonic: &str, bits: u16, msg: &[u8]) -> (avm_alu::Outcome, Registers) {
    let put = ins(
        "put",
        None,
        &[
            s(3),
            avm_alu::Operand::DataRange {
                off: 0,
                len: msg.len() as u16,
            },
        ],
    );
    let hash = ins(mnemonic, None, &[r(bits, 5), s(3)]);
    run(&[put, hash, stop()], msg, |_| {})
}

#[test]
fn digests_match_the_crates_through_the_vm() {
    let long: Vec<u8> = (0..1000u32).map(|i| (i * 7 + 3) as u8).collect();
    for (mnemonic, bits, reference) in digests() {
        for msg in [&b""[..], b"abc", &long] {
            let (out, regs) = vm_digest(mnemonic, bits, msg);
            assert_eq!(out.reason, StopReason::Stopped, "{mnemonic}");
            assert!(out.st0, "{mnemonic}");
            assert_eq!(
                get_r(&regs, bits, 5),
                Some(rev(reference(msg))),
                "{mnemonic} of {} bytes",
                msg.len()
            );
        }
    }
}

#[test]
fn a_digest_runs_only_in_a_library_that_lists_its_extension() {
    let put = ins(
        "put",
        None,
        &[s(3), avm_alu::Operand::DataRange { off: 0, len: 3 }],
    );
    let code = [put, ins("sha256", None, &[r(256, 5), s(3)]), stop()];
    let listed = lib(&code, b"abc");
    assert_eq!(listed.isa, vec!["DIGEST".to_string()]);
    let (out, regs) = run_lib(&listed, &Limits::default(), |_| {});
    assert_eq!(out.reason, StopReason::Stopped);
    assert!(get_r(&regs, 256, 5).is_some());

    let unlisted =
        avm_alu::Library::new(vec![], vec![], isa::assemble(&code), b"abc".to_vec()).unwrap();
    let (out, regs) = run_lib(&unlisted, &Limits::default(), |_| {});
    assert_eq!(out.reason, StopReason::Failed, "sha256 runs as fail");
    assert_eq!(get_r(&regs, 256, 5), None);
}

#[test]
fn digests_give_the_published_answers() {
    // FIPS 180-2 appendix B, the RIPEMD-160 paper, the BLAKE3 and Keccak teams' vectors.
    let known = [
        (
            "sha256",
            256,
            &b"abc"[..],
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        (
            "sha512",
            512,
            b"abc",
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a
             2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
        ),
        (
            "ripemd160",
            160,
            b"abc",
            "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc",
        ),
        (
            "blake3",
            256,
            b"",
            "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262",
        ),
        (
            "keccak256",
            256,
            b"",
            "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
        ),
    ];
    for (mnemonic, bits, msg, digest) in known {
        let (_, regs) = vm_digest(mnemonic, bits, msg);
        assert_eq!(get_r(&regs, bits, 5), Some(rev(hex(digest))), "{mnemonic}");
    }
}

#[test]
fn digest_is_the_registers_big_endian_value() {
    // sha256("abc") = ba7816bf ... f20015ad: read big-endian, its low 64
    // bits are the digest's last eight bytes.
    let (_, regs) = vm_digest("sha256", 256, b"abc");
    let mut a = Registers::new();
    let bytes = get_r(&regs, 256, 5).unwrap();
    set_a_bytes(&mut a, 64, 0, &bytes[..8]);
    assert_eq!(get_a(&a, 64, 0), Some(0xb410ff61_f20015ad));
}

#[test]
fn digest_of_an_undefined_string_is_undefined_and_leaves_st0() {
    for (mnemonic, bits, _) in digests() {
        for st0 in [true, false] {
            let (out, regs) = run(
                &[ins(mnemonic, None, &[r(bits, 1), s(9)]), stop()],
                &[],
                |r| {
                    set_r(r, bits, 1, &vec![0xAA; bits as usize / 8]);
                    r.st0 = st0;
                },
            );
            assert_eq!(out.reason, StopReason::Stopped);
            assert_eq!((get_r(&regs, bits, 1), regs.st0), (None, st0), "{mnemonic}");
        }
    }
}

#[test]
fn digests_take_only_their_own_width() {
    for (mnemonic, bits, _) in digests() {
        for other in R_BITS.into_iter().filter(|b| *b != bits) {
            assert!(Instr::from_parts(mnemonic, None, &[r(other, 0), s(0)]).is_err());
        }
        assert!(Instr::from_parts(mnemonic, None, &[a(64, 0), s(0)]).is_err());
    }
}

#[test]
fn digest_complexity_grows_per_64_bytes() {
    for len in [0usize, 63, 64, 1000, 65535] {
        let msg = vec![0x5A; len];
        let (out, _) = vm_digest("sha256", 256, &msg);
        // put s (2 + len/64) + sha256 (base + 32 x len/64) + stop (1).
        let want = 2 + DIGEST_BASE + 1 + (1 + DIGEST_BLOCK) * (len as u64 / 64);
        assert_eq!(out.ca0, want, "{len} bytes");
    }
    // A limit one short of the digest stops the run before it.
    let msg = vec![0; 6400];
    let lim = Limits {
        complexity: 2 + 100 + DIGEST_BASE + 100 * DIGEST_BLOCK - 1,
        ..Limits::default()
    };
    let main = lib(
        &[
            ins(
                "put",
                None,
                &[s(0), avm_alu::Operand::DataRange { off: 0, len: 6400 }],
            ),
            ins("sha256", None, &[r(256, 0), s(0)]),
            stop(),
        ],
        &msg,
    );
    let (out, regs) = run_lib(&main, &lim, |_| {});
    assert_eq!(out.reason, StopReason::ComplexityLimit);
    assert_eq!(get_r(&regs, 256, 0), None);
}

// --------------------------------------------------------- signature checks

/// Runs `mnemonic s[0], s[1], s[2]` with msg, sig and key (None: undefined),
/// starting with st0 as given; returns st0 after.
fn check(
    mnemonic: &str,
    msg: Option<&[u8]>,
    sig: Option<&[u8]>,
    key: Option<&[u8]>,
    st0: bool,
) -> bool {
    let (out, regs) = run(
        &[ins(mnemonic, None, &[s(0), s(1), s(2)]), stop()],
        &[],
        |r| {
            r.st0 = st0;
            for (i, v) in [msg, sig, key].into_iter().enumerate() {
                if let Some(v) = v {
                    set_s(r, i as u8, v);
                }
            }
        },
    );
    assert_eq!(out.reason, StopReason::Stopped);
    // No register changes.
    assert_eq!(get_s(&regs, 0).as_deref(), msg);
    assert_eq!(get_s(&regs, 1).as_deref(), sig);
    assert_eq!(get_s(&regs, 2).as_deref(), key);
    regs.st0
}

fn verifies(mnemonic: &str, msg: &[u8], sig: &[u8], key: &[u8]) -> bool {
    let v = check(mnemonic, Some(msg), Some(sig), Some(key), false);
    // The answer does not depend on st0 before.
    assert_eq!(check(mnemonic, Some(msg), Some(sig), Some(key), true), v);
    v
}

// The k256 crate's ECDSA/secp256k1 test vector (src/test_vectors/ecdsa.rs).
const ECDSA_QX: &str = "779dd197a5df977ed2cf6cb31d82d43328b790dc6b3b7d4437a427bd5847dfcd";
const ECDSA_QY: &str = "e94b724a555b6d017bb7607c3e3281daf5b1699d6ef4124975c9237b917d426f";
const ECDSA_M: &str = "4b688df40bcedbe641ddb16ff0a1842d9c67ea1c3bf63f3e0471baa664531d1a";
const ECDSA_R: &str = "241097efbf8b63bf145c8961dbdf10c310efbb3b2676bbc0f8b08505c9e2f795";
const ECDSA_S: &str = "021006b7838609339e8b415a7f9acb1b661828131aef1ecbc7955dfb01f3ca0e";

fn ecdsa_keys() -> (Vec<u8>, Vec<u8>) {
    let (x, y) = (hex(ECDSA_QX), hex(ECDSA_QY));
    let uncompressed = [&[4u8][..], &x, &y].concat();
    let compressed = [&[2 + (y[31] & 1)][..], &x].concat();
    (compressed, uncompressed)
}

#[test]
fn ecdsa_accepts_the_crate_vector_with_either_key_form() {
    let (compressed, uncompressed) = ecdsa_keys();
    let sig = [hex(ECDSA_R), hex(ECDSA_S)].concat();
    let m = hex(ECDSA_M);
    assert!(verifies("ecdsa", &m, &sig, &compressed));
    assert!(verifies("ecdsa", &m, &sig, &uncompressed));
    // Another message, a flipped signature bit, the other parity of the key.
    let mut m2 = m.clone();
    m2[0] ^= 1;
    assert!(!verifies("ecdsa", &m2, &sig, &compressed));
    let mut bad = sig.clone();
    bad[40] ^= 0x10;
    assert!(!verifies("ecdsa", &m, &bad, &compressed));
    let mut other = compressed.clone();
    other[0] ^= 1;
    assert!(!verifies("ecdsa", &m, &sig, &other));
}

#[test]
fn ecdsa_rejects_high_s() {
    use k256::ecdsa::Signature;
    let (compressed, _) = ecdsa_keys();
    let m = hex(ECDSA_M);
    let low = Signature::from_slice(&[hex(ECDSA_R), hex(ECDSA_S)].concat()).unwrap();
    let high = Signature::from_scalars(low.r().to_bytes(), (-*low.s()).to_bytes()).unwrap();
    assert_eq!(high.normalize_s(), Some(low));
    assert!(!verifies("ecdsa", &m, &high.to_bytes(), &compressed));
}

#[test]
fn ecdsa_agrees_with_k256_on_fresh_signatures() {
    use k256::ecdsa::signature::hazmat::PrehashSigner;
    use k256::ecdsa::{Signature, SigningKey};
    for seed in 1u8..=8 {
        let sk = SigningKey::from_slice(&[seed; 32]).unwrap();
        let prehash = sha2::Sha256::digest([seed; 3]);
        let sig: Signature = sk.sign_prehash(&prehash).unwrap();
        let key = sk.verifying_key().to_encoded_point(true);
        assert!(verifies("ecdsa", &prehash, &sig.to_bytes(), key.as_bytes()));
    }
}

#[test]
fn a_program_hashes_a_message_and_checks_its_ecdsa_signature() {
    use k256::ecdsa::signature::hazmat::PrehashSigner;
    use k256::ecdsa::{Signature, SigningKey};
    let msg = b"pay 10 to bob".to_vec();
    let sk = SigningKey::from_slice(&[7; 32]).unwrap();
    let sig: Signature = sk.sign_prehash(&sha2::Sha256::digest(&msg)).unwrap();
    let key = sk.verifying_key().to_encoded_point(true);
    // sha256 r256[0], s[0]; cpy s[3], r256[0]; ecdsa s[3], s[1], s[2]; stop
    let code = [
        ins("sha256", None, &[r(256, 0), s(0)]),
        ins("cpy", None, &[s(3), r(256, 0)]),
        ins("ecdsa", None, &[s(3), s(1), s(2)]),
        stop(),
    ];
    let setup = |regs: &mut Registers, sig: &[u8]| {
        set_s(regs, 0, &msg);
        set_s(regs, 1, sig);
        set_s(regs, 2, key.as_bytes());
    };
    let (out, regs) = run(&code, &[], |r| setup(r, &sig.to_bytes()));
    assert!(out.st0);
    assert_eq!(get_s(&regs, 3), Some(sha2::Sha256::digest(&msg).to_vec()));
    let mut forged = sig.to_bytes().to_vec();
    forged[5] ^= 1;
    let (out, _) = run(&code, &[], |r| setup(r, &forged));
    assert!(!out.st0);
}

#[test]
fn byte_strings_and_wide_registers_convert_big_endian() {
    // cpy r160[0], s[0]: a short string zero-extends; cpy s[1], r160[0] gives 20 bytes.
    let code = [
        ins("cpy", None, &[r(160, 0), s(0)]),
        ins("cpy", None, &[s(1), r(160, 0)]),
        stop(),
    ];
    let (out, regs) = run(&code, &[], |r| set_s(r, 0, &[1, 2]));
    assert!(out.st0);
    let mut want = vec![0u8; 18];
    want.extend([1, 2]);
    assert_eq!(get_s(&regs, 1), Some(want));
    assert_eq!(get_r(&regs, 160, 0).unwrap()[..2], [2, 1]);
    // Longer than the register: undefined and st0 false.
    let (out, regs) = run(&code, &[], |r| set_s(r, 0, &[9; 21]));
    assert!(!out.st0);
    assert_eq!((get_r(&regs, 160, 0), get_s(&regs, 1)), (None, None));
}

struct Bip340 {
    index: u8,
    key: &'static str,
    msg: &'static str,
    sig: &'static str,
    valid: bool,
}

/// Rows of BIP-340's test-vectors.csv (as the k256 crate carries them).
const BIP340: &[Bip340] = &[
    Bip340 {
        index: 0,
        key: "F9308A019258C31049344F85F89D5229B531C845836F99B08601F113BCE036F9",
        msg: "0000000000000000000000000000000000000000000000000000000000000000",
        sig: "E907831F80848D1069A5371B402410364BDF1C5F8307B0084C55F1CE2DCA8215
              25F66A4A85EA8B71E482A74F382D2CE5EBEEE8FDB2172F477DF4900D310536C0",
        valid: true,
    },
    Bip340 {
        index: 1,
        key: "DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659",
        msg: "243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89",
        sig: "6896BD60EEAE296DB48A229FF71DFE071BDE413E6D43F917DC8DCF8C78DE3341
              8906D11AC976ABCCB20B091292BFF4EA897EFCB639EA871CFA95F6DE339E4B0A",
        valid: true,
    },
    Bip340 {
        index: 2,
        key: "DD308AFEC5777E13121FA72B9CC1B7CC0139715309B086C960E18FD969774EB8",
        msg: "7E2D58D8B3BCDF1ABADEC7829054F90DDA9805AAB56C77333024B9D0A508B75C",
        sig: "5831AAEED7B44BB74E5EAB94BA9D4294C49BCF2A60728D8B4C200F50DD313C1B
              AB745879A5AD954A72C45A91C3A51D3C7ADEA98D82F8481E0E1E03674A6F3FB7",
        valid: true,
    },
    Bip340 {
        index: 3,
        key: "25D1DFF95105F5253C4022F628A996AD3A0D95FBF21D468A1B33F8C160D8F517",
        msg: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        sig: "7EB0509757E246F19449885651611CB965ECC1A187DD51B64FDA1EDC9637D5EC
              97582B9CB13DB3933705B32BA982AF5AF25FD78881EBB32771FC5922EFC66EA3",
        valid: true,
    },
    Bip340 {
        index: 4,
        key: "D69C3509BB99E412E68B0FE8544E72837DFA30746D8BE2AA65975F29D22DC7B9",
        msg: "4DF3C3F68FCC83B27E9D42C90431A72499F17875C81A599B566C9889B9696703",
        sig: "00000000000000000000003B78CE563F89A0ED9414F5AA28AD0D96D6795F9C63
              76AFB1548AF603B3EB45C9F8207DEE1060CB71C04E80F593060B07D28308D7F4",
        valid: true,
    },
    // Public key not on the curve.
    Bip340 {
        index: 5,
        key: "EEFDEA4CDB677750A420FEE807EACF21EB9898AE79B9768766E4FAA04A2D4A34",
        msg: "243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89",
        sig: "6CFF5C3BA86C69EA4B7376F31A9BCB4F74C1976089B2D9963DA2E5543E177769
              69E89B4C5564D00349106B8497785DD7D1D713A8AE82B32FA79D5F7FC407D39B",
        valid: false,
    },
    // has_even_y(R) is false.
    Bip340 {
        index: 6,
        key: "DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659",
        msg: "243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89",
        sig: "FFF97BD5755EEEA420453A14355235D382F6472F8568A18B2F057A1460297556
              3CC27944640AC607CD107AE10923D9EF7A73C643E166BE5EBEAFA34B1AC553E2",
        valid: false,
    },
    // Negated message.
    Bip340 {
        index: 7,
        key: "DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659",
        msg: "243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89",
        sig: "1FA62E331EDBC21C394792D2AB1100A7B432B013DF3F6FF4F99FCB33E0E1515F
              28890B3EDB6E7189B630448B515CE4F8622A954CFE545735AAEA5134FCCDB2BD",
        valid: false,
    },
    // Negated s.
    Bip340 {
        index: 8,
        key: "DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659",
        msg: "243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89",
        sig: "6CFF5C3BA86C69EA4B7376F31A9BCB4F74C1976089B2D9963DA2E5543E177769
              961764B3AA9B2FFCB6EF947B6887A226E8D7C93E00C5ED0C1834FF0D0C2E6DA6",
        valid: false,
    },
    // sG - eP is infinite.
    Bip340 {
        index: 9,
        key: "DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659",
        msg: "243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89",
        sig: "0000000000000000000000000000000000000000000000000000000000000000
              123DDA8328AF9C23A94C1FEECFD123BA4FB73476F0D594DCB65C6425BD186051",
        valid: false,
    },
    Bip340 {
        index: 10,
        key: "DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659",
        msg: "243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89",
        sig: "0000000000000000000000000000000000000000000000000000000000000001
              7615FBAF5AE28864013C099742DEADB4DBA87F11AC6754F93780D5A1837CF197",
        valid: false,
    },
    // sig[0:32] is not an x coordinate on the curve.
    Bip340 {
        index: 11,
        key: "DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659",
        msg: "243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89",
        sig: "4A298DACAE57395A15D0795DDBFD1DCB564DA82B0F269BC70A74F8220429BA1D
              69E89B4C5564D00349106B8497785DD7D1D713A8AE82B32FA79D5F7FC407D39B",
        valid: false,
    },
    // sig[0:32] is the field size.
    Bip340 {
        index: 12,
        key: "DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659",
        msg: "243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89",
        sig: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F
              69E89B4C5564D00349106B8497785DD7D1D713A8AE82B32FA79D5F7FC407D39B",
        valid: false,
    },
    // sig[32:64] is the curve order.
    Bip340 {
        index: 13,
        key: "DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659",
        msg: "243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89",
        sig: "6CFF5C3BA86C69EA4B7376F31A9BCB4F74C1976089B2D9963DA2E5543E177769
              FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141",
        valid: false,
    },
    // Public key exceeds the field size.
    Bip340 {
        index: 14,
        key: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC30",
        msg: "243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89",
        sig: "6CFF5C3BA86C69EA4B7376F31A9BCB4F74C1976089B2D9963DA2E5543E177769
              69E89B4C5564D00349106B8497785DD7D1D713A8AE82B32FA79D5F7FC407D39B",
        valid: false,
    },
];

#[test]
fn schnorr_follows_the_bip340_vectors() {
    for v in BIP340 {
        let got = verifies("schnorr", &hex(v.msg), &hex(v.sig), &hex(v.key));
        assert_eq!(got, v.valid, "BIP-340 vector {}", v.index);
    }
}

#[test]
fn schnorr_takes_messages_of_any_length() {
    // BIP-340 vectors 15-18: key from secret 0340..0340, messages of 0, 1, 17, 100 bytes.
    let sk = k256::schnorr::SigningKey::from_bytes(&hex(
        "0340034003400340034003400340034003400340034003400340034003400340",
    ))
    .unwrap();
    let key = sk.verifying_key().to_bytes();
    let cases = [
        (
            vec![],
            "71535DB165ECD9FBBC046E5FFAEA61186BB6AD436732FCCC25291A55895464CF
                  6069CE26BF03466228F19A3A62DB8A649F2D560FAC652827D1AF0574E427AB63",
        ),
        (
            hex("11"),
            "08A20A0AFEF64124649232E0693C583AB1B9934AE63B4C3511F3AE1134C6A303
                     EA3173BFEA6683BD101FA5AA5DBC1996FE7CACFC5A577D33EC14564CEC2BACBF",
        ),
        (
            hex("0102030405060708090A0B0C0D0E0F1011"),
            "5130F39A4059B43BC7CAC09A19ECE52B5D8699D1A71E3C52DA9AFDB6B50AC370
          C4A482B77BF960F8681540E25B6771ECE1E5A37FD80E5A51897C5566A97EA5A5",
        ),
        (
            vec![0x99; 100],
            "403B12B0D8555A344175EA7EC746566303321E5DBFA8BE6F091635163ECA79A8
                           585ED3E3170807E7C03B720FC54C7B23897FCBA0E9D0B4A06894CFD249F22367",
        ),
    ];
    for (msg, sig) in cases {
        assert!(
            verifies("schnorr", &msg, &hex(sig), &key),
            "{} bytes",
            msg.len()
        );
        let mut longer = msg.clone();
        longer.push(0);
        assert!(!verifies("schnorr", &longer, &hex(sig), &key));
    }
}

/// RFC 8032 section 7.1, tests 1 to 3: (public key, message, signature).
const RFC8032: [(&str, &str, &str); 3] = [
    (
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155
         5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da
         085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
    (
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac
         18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
    ),
];

#[test]
fn ed25519_follows_rfc8032() {
    for (key, msg, sig) in RFC8032 {
        let (key, msg, sig) = (hex(key), hex(msg), hex(sig));
        assert!(verifies("ed25519", &msg, &sig, &key));
        let mut bad = sig.clone();
        bad[0] ^= 1;
        assert!(!verifies("ed25519", &msg, &bad, &key));
        let mut other = msg.clone();
        other.push(0);
        assert!(!verifies("ed25519", &other, &sig, &key));
    }
}

#[test]
fn ed25519_is_strict() {
    // The identity point as a public key: small order, and with R = identity
    // and s = 0 the signature satisfies the plain verification equation for
    // every message; verify_strict refuses it.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let sig = [&identity[..], &[0u8; 32]].concat();
    assert!(!verifies("ed25519", b"anything", &sig, &identity));
    // s not reduced modulo the group order (s = l + s of RFC 8032 test 1).
    let (key, _, sig) = RFC8032[0];
    let (key, mut sig) = (hex(key), hex(sig));
    let l = hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
    let mut carry = 0u16;
    for i in 0..32 {
        let v = u16::from(sig[32 + i]) + u16::from(l[i]) + carry;
        sig[32 + i] = v as u8;
        carry = v >> 8;
    }
    assert!(!verifies("ed25519", b"", &sig, &key));
}

#[test]
fn signature_checks_with_wrong_lengths_are_false() {
    let (compressed, _) = ecdsa_keys();
    let ecdsa_sig = [hex(ECDSA_R), hex(ECDSA_S)].concat();
    let m = hex(ECDSA_M);
    let (ed_key, ed_msg, ed_sig) = (hex(RFC8032[1].0), hex(RFC8032[1].1), hex(RFC8032[1].2));
    let bip = &BIP340[1];
    let (sc_key, sc_msg, sc_sig) = (hex(bip.key), hex(bip.msg), hex(bip.sig));
    let cut = |v: &[u8], n: usize| v[..v.len().min(n)].to_vec();
    let grow = |v: &[u8]| [v, &[0][..]].concat();
    for n in [0, 1, 31, 32, 33, 63] {
        assert!(!verifies("ecdsa", &cut(&m, n), &ecdsa_sig, &compressed) || n >= 32);
        assert!(!verifies("ecdsa", &m, &cut(&ecdsa_sig, n), &compressed));
        assert!(!verifies("ecdsa", &m, &ecdsa_sig, &cut(&compressed, n)) || n >= 33);
        assert!(!verifies("schnorr", &sc_msg, &cut(&sc_sig, n), &sc_key));
        assert!(!verifies("schnorr", &sc_msg, &sc_sig, &cut(&sc_key, n)) || n >= 32);
        assert!(!verifies("ed25519", &ed_msg, &cut(&ed_sig, n), &ed_key));
        assert!(!verifies("ed25519", &ed_msg, &ed_sig, &cut(&ed_key, n)) || n >= 32);
    }
    assert!(!verifies("ecdsa", &grow(&m), &ecdsa_sig, &compressed));
    assert!(!verifies("ecdsa", &m, &grow(&ecdsa_sig), &compressed));
    assert!(!verifies("ecdsa", &m, &ecdsa_sig, &grow(&compressed)));
    assert!(!verifies("schnorr", &sc_msg, &grow(&sc_sig), &sc_key));
    assert!(!verifies("schnorr", &sc_msg, &sc_sig, &grow(&sc_key)));
    assert!(!verifies("ed25519", &ed_msg, &grow(&ed_sig), &ed_key));
    assert!(!verifies("ed25519", &ed_msg, &ed_sig, &grow(&ed_key)));
}

#[test]
fn signature_checks_with_undefined_operands_are_false() {
    let (key, msg, sig) = (hex(RFC8032[0].0), hex(RFC8032[0].1), hex(RFC8032[0].2));
    assert!(check("ed25519", Some(&msg), Some(&sig), Some(&key), false));
    for missing in 0..3 {
        let parts: Vec<Option<&[u8]>> = [&msg, &sig, &key]
            .iter()
            .enumerate()
            .map(|(i, v)| (i != missing).then_some(v.as_slice()))
            .collect();
        for mnemonic in ["ecdsa", "schnorr", "ed25519"] {
            assert!(!check(mnemonic, parts[0], parts[1], parts[2], true));
        }
    }
}

#[test]
fn signature_checks_cost_flat_plus_bytes_read() {
    let (key, _, sig) = (hex(RFC8032[0].0), hex(RFC8032[0].1), hex(RFC8032[0].2));
    let msg = vec![7u8; 6400];
    let (out, _) = run(
        &[ins("ed25519", None, &[s(0), s(1), s(2)]), stop()],
        &[],
        |r| {
            set_s(r, 0, &msg);
            set_s(r, 1, &sig);
            set_s(r, 2, &key);
        },
    );
    assert_eq!(out.ca0, ED25519_VERIFY + (6400 + 64 + 32) / 64 + 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary bytes never panic a check and (all but surely) never pass it.
    #[test]
    fn random_operands_are_rejected(
        msg in proptest::collection::vec(any::<u8>(), 0..80),
        sig in proptest::collection::vec(any::<u8>(), 0..80),
        key in proptest::collection::vec(any::<u8>(), 0..80),
        scheme in 0..3usize,
    ) {
        let mnemonic = ["ecdsa", "schnorr", "ed25519"][scheme];
        prop_assert!(!verifies(mnemonic, &msg, &sig, &key));
    }

    /// Right-length random operands, where the parsers do real work.
    #[test]
    fn random_well_sized_operands_are_rejected(
        msg in proptest::collection::vec(any::<u8>(), 32),
        sig in proptest::collection::vec(any::<u8>(), 64),
        key in proptest::collection::vec(any::<u8>(), 33),
        scheme in 0..3usize,
    ) {
        let mnemonic = ["ecdsa", "schnorr", "ed25519"][scheme];
        let key = if scheme == 0 { key } else { key[1..].to_vec() };
        prop_assert!(!verifies(mnemonic, &msg, &sig, &key));
    }
}
