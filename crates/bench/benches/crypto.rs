//! Digests and signature checks through the VM against the crates directly.
//!
//! - `sha256_1mib`: an S register holds at most 65535 bytes, so "1 MiB" is
//!   16 digests of a 65535-byte string (1,048,560 bytes), 16 `sha256`
//!   instructions in one run; the baseline is the same 16 digests with sha2.
//!   The VM cannot stream one digest over 1 MiB (there is no incremental
//!   digest instruction), so both sides do 16 separate digests.
//! - `sha256_64b`, `ecdsa`, `schnorr`, `ed25519`: one instruction per run,
//!   against the crate parsing the same bytes and verifying; these are the
//!   measurements behind the complexity of a signature check.
//! - `pgen_*`, `padd_*`, `pneg_*`, `pmul_*` (`secp`, `ed`): one point
//!   instruction per run against the crate doing the same work: decode the
//!   point bytes, compute, encode the result (compressed). These are the
//!   measurements behind the complexity of the point instructions.

use avm_alu::isa::{self, Instr, Operand};
use avm_alu::reg::RegS;
use avm_alu::{Host, Library, Limits, Program, Reg, Registers, Site};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use sha2::Digest as _;

const CHUNK: usize = u16::MAX as usize;
const CHUNKS: usize = 16;

fn s(idx: u8) -> Operand {
    Operand::S(RegS(idx))
}

fn program(code: &[Instr]) -> Program {
    // The built-in extensions the code uses (DIGEST, CURVE), as the assembler lists them.
    let mut ids: Vec<String> = code
        .iter()
        .filter_map(|i| isa::builtin_isa(i.opcode()))
        .map(|b| b.id.to_string())
        .collect();
    ids.sort();
    ids.dedup();
    let lib = Library::new(ids, vec![], isa::assemble(code), vec![]).expect("a library");
    let entry = Site {
        lib: lib.id(),
        pos: 0,
    };
    Program::new([lib], entry, &Host::new()).expect("a program")
}

fn ins(mnemonic: &str, ops: &[Operand]) -> Instr {
    Instr::from_parts(mnemonic, None, ops).expect("an instruction")
}

fn r256(idx: u8) -> Operand {
    Operand::R(avm_alu::reg::RegR {
        width: avm_alu::reg::RWidth::R256,
        idx,
    })
}

fn regs_with(strings: &[&[u8]]) -> Registers {
    let mut regs = Registers::new();
    for (i, v) in strings.iter().enumerate() {
        assert!(regs.set(Reg::S(RegS(i as u8)), Some(v)));
    }
    regs
}

/// Runs `p` on a fresh copy of `regs` per iteration (the copy is not timed).
fn run_vm(c: &mut Criterion, group: &str, name: &str, p: &Program, regs: &Registers, want: bool) {
    let mut g = c.benchmark_group(group);
    g.bench_function(name, |b| {
        b.iter_batched_ref(
            || regs.clone(),
            |regs| {
                let out = p.run(regs, &Limits::default());
                assert_eq!(out.st0, want);
                out
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

fn sha256(c: &mut Criterion) {
    let chunk: Vec<u8> = (0..CHUNK).map(|i| (i * 31 + 7) as u8).collect();
    let mut code = vec![ins("sha256", &[r256(0), s(0)]); CHUNKS];
    code.push(ins("stop", &[]));
    let p = program(&code);
    let regs = regs_with(&[&chunk]);
    let mut g = c.benchmark_group("sha256_1mib");
    g.throughput(Throughput::Bytes((CHUNK * CHUNKS) as u64));
    g.bench_function("vm", |b| {
        b.iter_batched_ref(
            || regs.clone(),
            |regs| p.run(regs, &Limits::default()),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("sha2", |b| {
        b.iter(|| {
            let mut last = [0u8; 32];
            for _ in 0..CHUNKS {
                last = sha2::Sha256::digest(std::hint::black_box(&chunk)).into();
            }
            last
        })
    });
    g.finish();

    let p = program(&[ins("sha256", &[r256(0), s(0)]), ins("stop", &[])]);
    run_vm(c, "sha256_64b", "vm", &p, &regs_with(&[&[7u8; 64]]), true);
    c.benchmark_group("sha256_64b").bench_function("sha2", |b| {
        b.iter(|| sha2::Sha256::digest(std::hint::black_box([7u8; 64])))
    });
}

fn signatures(c: &mut Criterion) {
    use k256::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
    let check = |m| program(&[ins(m, &[s(0), s(1), s(2)]), ins("stop", &[])]);

    // ECDSA over secp256k1.
    let sk = k256::ecdsa::SigningKey::from_slice(&[0x42; 32]).unwrap();
    let prehash = sha2::Sha256::digest(b"avm");
    let sig: k256::ecdsa::Signature = sk.sign_prehash(&prehash).unwrap();
    let (sig, key) = (
        sig.to_bytes().to_vec(),
        sk.verifying_key()
            .to_encoded_point(true)
            .as_bytes()
            .to_vec(),
    );
    let regs = regs_with(&[&prehash, &sig, &key]);
    run_vm(c, "ecdsa", "vm", &check("ecdsa"), &regs, true);
    c.benchmark_group("ecdsa").bench_function("k256", |b| {
        b.iter(|| {
            let k = k256::ecdsa::VerifyingKey::from_sec1_bytes(&key).unwrap();
            let s = k256::ecdsa::Signature::from_slice(&sig).unwrap();
            k.verify_prehash(&prehash, &s).is_ok()
        })
    });

    // BIP-340 Schnorr.
    let sk = k256::schnorr::SigningKey::from_bytes(&[0x43; 32]).unwrap();
    let msg = [0x5Au8; 32];
    let sig = sk.sign_raw(&msg, &[0; 32]).unwrap().to_bytes().to_vec();
    let key = sk.verifying_key().to_bytes().to_vec();
    run_vm(
        c,
        "schnorr",
        "vm",
        &check("schnorr"),
        &regs_with(&[&msg, &sig, &key]),
        true,
    );
    c.benchmark_group("schnorr").bench_function("k256", |b| {
        b.iter(|| {
            let k = k256::schnorr::VerifyingKey::from_bytes(&key).unwrap();
            let s = k256::schnorr::Signature::try_from(sig.as_slice()).unwrap();
            k.verify_raw(&msg, &s).is_ok()
        })
    });

    // Ed25519.
    use ed25519_dalek::Signer;
    let sk = ed25519_dalek::SigningKey::from_bytes(&[0x44; 32]);
    let sig = sk.sign(&msg).to_bytes().to_vec();
    let key = sk.verifying_key().to_bytes().to_vec();
    run_vm(
        c,
        "ed25519",
        "vm",
        &check("ed25519"),
        &regs_with(&[&msg, &sig, &key]),
        true,
    );
    c.benchmark_group("ed25519").bench_function("dalek", |b| {
        b.iter(|| {
            let k =
                ed25519_dalek::VerifyingKey::from_bytes(&key.clone().try_into().unwrap()).unwrap();
            let s = ed25519_dalek::Signature::from_bytes(&sig.clone().try_into().unwrap());
            k.verify_strict(&msg, &s).is_ok()
        })
    });
}

/// One point instruction through the VM against `direct`, in group `name`.
fn point_pair<T>(
    c: &mut Criterion,
    name: &str,
    instr: Instr,
    regs: &Registers,
    direct: impl Fn() -> T,
) {
    let p = program(&[instr, ins("stop", &[])]);
    run_vm(c, name, "vm", &p, regs, true);
    c.benchmark_group(name)
        .bench_function("crate", |b| b.iter(&direct));
}

fn points(c: &mut Criterion) {
    use curve25519_dalek::edwards::CompressedEdwardsY;
    use k256::elliptic_curve::ops::Reduce;
    use k256::elliptic_curve::sec1::{FromEncodedPoint, ToEncodedPoint};
    let pi = |m: &str, f: &str, ops: &[Operand]| Instr::from_parts(m, Some(f), ops).unwrap();
    let scalar = [0x5Au8; 32];
    let mut regs = Registers::new();
    let mut le = scalar;
    le.reverse();
    assert!(regs.set(
        Reg::R(avm_alu::reg::RegR {
            width: avm_alu::reg::RWidth::R256,
            idx: 0
        }),
        Some(&le)
    ));

    // secp256k1: the crate parses SEC1, computes, and compresses, as the VM does.
    let k = || <k256::Scalar as Reduce<k256::U256>>::reduce_bytes(&scalar.into());
    let g2 = (k256::ProjectivePoint::GENERATOR * k256::Scalar::from(2u64)).to_affine();
    let (a, b) = (
        g2.to_encoded_point(true).as_bytes().to_vec(),
        k256::AffinePoint::GENERATOR
            .to_encoded_point(true)
            .as_bytes()
            .to_vec(),
    );
    let decode = |bytes: &[u8]| {
        let e = k256::EncodedPoint::from_bytes(bytes).unwrap();
        k256::ProjectivePoint::from(k256::AffinePoint::from_encoded_point(&e).unwrap())
    };
    let encode = |p: k256::ProjectivePoint| p.to_affine().to_encoded_point(true);
    let mut secp = regs.clone();
    assert!(secp.set(Reg::S(RegS(0)), Some(&a)));
    assert!(secp.set(Reg::S(RegS(1)), Some(&b)));
    point_pair(
        c,
        "pgen_secp",
        pi("pgen", "secp", &[s(2), r256(0)]),
        &secp,
        || {
            use k256::elliptic_curve::ops::MulByGenerator;
            encode(k256::ProjectivePoint::mul_by_generator(&k()))
        },
    );
    point_pair(
        c,
        "padd_secp",
        pi("padd", "secp", &[s(2), s(0), s(1)]),
        &secp,
        || encode(decode(&a) + decode(&b)),
    );
    point_pair(
        c,
        "pneg_secp",
        pi("pneg", "secp", &[s(2), s(0)]),
        &secp,
        || encode(-decode(&a)),
    );
    point_pair(
        c,
        "pmul_secp",
        pi("pmul", "secp", &[s(2), r256(0), s(0)]),
        &secp,
        || encode(decode(&a) * k()),
    );

    // edwards25519.
    let k = || {
        let mut le = scalar;
        le.reverse();
        curve25519_dalek::Scalar::from_bytes_mod_order(le)
    };
    let p2 = curve25519_dalek::EdwardsPoint::mul_base(&curve25519_dalek::Scalar::from(2u64));
    let (a, b) = (
        p2.compress().to_bytes(),
        curve25519_dalek::constants::ED25519_BASEPOINT_COMPRESSED.to_bytes(),
    );
    let decode = |bytes: &[u8; 32]| CompressedEdwardsY(*bytes).decompress().unwrap();
    let mut ed = regs.clone();
    assert!(ed.set(Reg::S(RegS(0)), Some(&a)));
    assert!(ed.set(Reg::S(RegS(1)), Some(&b)));
    point_pair(
        c,
        "pgen_ed",
        pi("pgen", "ed", &[s(2), r256(0)]),
        &ed,
        || curve25519_dalek::EdwardsPoint::mul_base(&k()).compress(),
    );
    point_pair(
        c,
        "padd_ed",
        pi("padd", "ed", &[s(2), s(0), s(1)]),
        &ed,
        || (decode(&a) + decode(&b)).compress(),
    );
    point_pair(c, "pneg_ed", pi("pneg", "ed", &[s(2), s(0)]), &ed, || {
        (-decode(&a)).compress()
    });
    point_pair(
        c,
        "pmul_ed",
        pi("pmul", "ed", &[s(2), r256(0), s(0)]),
        &ed,
        || (decode(&a) * k()).compress(),
    );
}

criterion_group!(benches, sha256, signatures, points);
criterion_main!(benches);
