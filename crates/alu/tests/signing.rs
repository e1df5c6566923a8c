//! Signed libraries: a host with a trust policy refuses unsigned and wrongly
//! signed libraries, imports included; the signatures are the ones the VM's
//! own `ed25519` and `schnorr` instructions check.

mod common;

use avm_alu::signing::{signed_message, TrustError};
use avm_alu::{Host, LibId, Library, Program, ProgramError, Scheme, SecretKey, Site, Trust};
use common::*;

fn keys() -> [SecretKey; 2] {
    [
        SecretKey::from_bytes(Scheme::Ed25519, &[1; 32]).unwrap(),
        SecretKey::from_bytes(Scheme::Schnorr, &[2; 32]).unwrap(),
    ]
}

/// A library that calls into `dep` and one that returns.
fn libs() -> (Library, Library) {
    let dep = Library::new(vec![], vec![], vec![0x07], vec![]).unwrap();
    let main = Library::new(vec![], vec![dep.id()], vec![0x05, 0, 0, 0, 0x08], vec![]).unwrap();
    (main, dep)
}

fn start(main: &Library, dep: &Library, host: &Host) -> Result<Program, ProgramError> {
    Program::new(
        [main.clone(), dep.clone()],
        Site {
            lib: main.id(),
            pos: 0,
        },
        host,
    )
}

#[test]
fn without_a_policy_every_library_runs() {
    let (main, dep) = libs();
    assert!(start(&main, &dep, &Host::new()).is_ok());
}

#[test]
fn the_policy_refuses_unsigned_and_wrongly_signed_libraries() {
    let (main, dep) = libs();
    for key in keys() {
        let mut trust = Trust::default();
        trust.keys.insert(key.public());
        // Nothing signed: the entry library is refused first.
        let host = Host::new().with_trust(trust.clone());
        assert_eq!(
            start(&main, &dep, &host).err(),
            Some(ProgramError::Untrusted(TrustError::Unsigned(main.id())))
        );
        // The entry signed, its import not: the import is named.
        trust.signatures.push(key.sign(&main.id()));
        let host = Host::new().with_trust(trust.clone());
        assert_eq!(
            start(&main, &dep, &host).err(),
            Some(ProgramError::Untrusted(TrustError::Unsigned(dep.id())))
        );
        // A signature of the import with a flipped bit does not verify.
        let mut forged = key.sign(&dep.id());
        forged.sig[10] ^= 0x40;
        trust.signatures.push(forged);
        let host = Host::new().with_trust(trust.clone());
        let err = start(&main, &dep, &host).err().unwrap();
        assert!(
            err.to_string().contains("does not verify"),
            "{err}: {}",
            key.public()
        );
        // Signed by someone else: refused, naming the signer.
        let other = SecretKey::from_bytes(key.scheme(), &[3; 32]).unwrap();
        let mut by_other = trust.clone();
        by_other.signatures.pop();
        by_other.signatures.push(other.sign(&dep.id()));
        let host = Host::new().with_trust(by_other);
        assert_eq!(
            start(&main, &dep, &host).err(),
            Some(ProgramError::Untrusted(TrustError::UntrustedKey {
                lib: dep.id(),
                key: other.public()
            }))
        );
        // Both signed by the trusted key: the program starts.
        trust.signatures.push(key.sign(&dep.id()));
        let host = Host::new().with_trust(trust);
        assert!(start(&main, &dep, &host).is_ok());
    }
}

#[test]
fn signing_leaves_the_library_and_its_id_unchanged() {
    let (main, _) = libs();
    let before = (main.to_bytes(), main.id());
    let _ = keys()[0].sign(&main.id());
    assert_eq!((main.to_bytes(), main.id()), before);
}

#[test]
fn the_vm_checks_a_library_signature_with_its_own_instructions() {
    let lib = LibId([42; 32]);
    for (key, mnemonic) in keys().iter().zip(["ed25519", "schnorr"]) {
        let sig = key.sign(&lib);
        let check = ins(mnemonic, None, &[s(0), s(1), s(2)]);
        let (out, _) = run(&[check, stop()], &[], |regs| {
            set_s(regs, 0, &signed_message(&lib));
            set_s(regs, 1, &sig.sig);
            set_s(regs, 2, sig.key.bytes());
        });
        assert!(out.st0, "{mnemonic}");
    }
}
