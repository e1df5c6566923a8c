//! `avm key new`, `avm sign`, `avm verify`, the signature in `avm inspect`,
//! and `avm run --trusted-key`, through the built binary.

mod common;

use common::{avm, examples_copy, write};
use std::path::Path;

fn p(path: &Path) -> String {
    path.display().to_string()
}

/// A directory with mathlib.lib and calls.lib assembled, and a key pair `me.key`.
fn setup(name: &str, scheme: &str) -> (std::path::PathBuf, String) {
    let dir = examples_copy(name);
    for lib in ["mathlib", "calls"] {
        let r = avm(&["asm", &p(&dir.join(format!("{lib}.alu")))]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let key = dir.join("me.key");
    let r = avm(&["key", "new", "--scheme", scheme, "--out", &p(&key)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let public = r.stdout.trim().to_string();
    assert!(public.starts_with(&format!("{scheme}:")), "{public}");
    (dir, public)
}

#[test]
fn key_new_writes_a_secret_file_and_never_prints_the_secret() {
    let (dir, public) = setup("keynew", "ed25519");
    let secret = std::fs::read_to_string(dir.join("me.key")).unwrap();
    assert!(secret.starts_with("avm-secret-key ed25519:"), "{secret}");
    let secret_hex = secret.trim().rsplit(':').next().unwrap();
    assert!(!public.contains(secret_hex));
    assert_eq!(
        std::fs::read_to_string(dir.join("me.key.pub"))
            .unwrap()
            .trim(),
        public
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("me.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
    // An existing key file is never overwritten.
    let r = avm(&["key", "new", "--out", &p(&dir.join("me.key"))]);
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(dir.join("me.key")).unwrap(), secret);
    let r = avm(&["key", "new", "--scheme", "rsa", "--out", &p(&dir.join("x"))]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn sign_verify_and_inspect_agree() {
    for scheme in ["ed25519", "schnorr"] {
        let (dir, public) = setup(&format!("sign-{scheme}"), scheme);
        let lib = p(&dir.join("mathlib.lib"));
        let before = std::fs::read(&lib).unwrap();
        let r = avm(&["inspect", &lib]);
        assert!(
            r.field("signature").unwrap().starts_with("none"),
            "{}",
            r.stdout
        );
        let r = avm(&["verify", &lib]);
        assert_eq!(r.code, 12, "{}", r.stderr);
        let r = avm(&["sign", &lib, "--key", &p(&dir.join("me.key"))]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        // The library file (so its id) is unchanged; the signature is beside it.
        assert_eq!(std::fs::read(&lib).unwrap(), before);
        assert_eq!(std::fs::read(format!("{lib}.sig")).unwrap().len(), 134);
        let r = avm(&["verify", &lib]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(r.field("signed by").as_deref(), Some(public.as_str()));
        let r = avm(&["verify", &lib, "--key", &public]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = avm(&["verify", &lib, "--key", &p(&dir.join("me.key.pub"))]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = avm(&["inspect", &lib]);
        let shown = r.field("signature").unwrap();
        assert!(
            shown.contains(&public) && shown.ends_with("(valid)"),
            "{shown}"
        );
        let r = avm(&["inspect", &lib, "--json"]);
        let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(doc["signature"]["key"], public.as_str());
        assert_eq!(doc["signature"]["valid"], true);
    }
}

#[test]
fn verify_refuses_wrong_signatures_with_exit_9() {
    let (dir, _) = setup("verify-wrong", "ed25519");
    let math = p(&dir.join("mathlib.lib"));
    let calls = p(&dir.join("calls.lib"));
    assert_eq!(
        avm(&["sign", &math, "--key", &p(&dir.join("me.key"))]).code,
        0
    );
    // Another library's signature.
    let r = avm(&["verify", &calls, "--sig", &format!("{math}.sig")]);
    assert_eq!(r.code, 12);
    assert!(r.stderr.contains("signs library"), "{}", r.stderr);
    // A flipped signature bit.
    let mut bytes = std::fs::read(format!("{math}.sig")).unwrap();
    bytes[100] ^= 1;
    let forged = write(&dir, "forged.sig", &bytes);
    let r = avm(&["verify", &math, "--sig", &forged]);
    assert_eq!(r.code, 12);
    assert!(r.stderr.contains("does not verify"), "{}", r.stderr);
    // Another expected signer.
    let other = "ed25519:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    let r = avm(&["verify", &math, "--key", other]);
    assert_eq!(r.code, 12);
    assert!(r.stderr.contains("not by"), "{}", r.stderr);
    // A truncated signature file is malformed (exit 4), with the offset.
    let cut = write(&dir, "cut.sig", &bytes[..50]);
    let r = avm(&["verify", &math, "--sig", &cut]);
    assert_eq!(r.code, 4);
    assert!(r.stderr.contains("offset 50"), "{}", r.stderr);
    // A bad public key on the command line is a usage error.
    let r = avm(&["verify", &math, "--key", "ed25519:00"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn run_with_trusted_keys_runs_only_signed_programs() {
    let (dir, public) = setup("run-trusted", "schnorr");
    let calls = p(&dir.join("calls.alu"));
    let key = p(&dir.join("me.key"));
    // Without the policy everything runs.
    assert_eq!(avm(&["run", &calls]).code, 0);
    // Nothing signed yet.
    let r = avm(&["run", &calls, "--trusted-key", &public]);
    assert_eq!(r.code, 12);
    assert!(r.stderr.contains("is not signed"), "{}", r.stderr);
    // The entry library signed, its import not: refused, naming the import.
    assert_eq!(
        avm(&["sign", &p(&dir.join("calls.lib")), "--key", &key]).code,
        0
    );
    let r = avm(&["run", &calls, "--trusted-key", &public]);
    assert_eq!(r.code, 12);
    let math_id = avm(&["asm", &p(&dir.join("mathlib.alu"))]).stdout;
    assert!(r.stderr.contains(math_id.trim()), "{}", r.stderr);
    // Both signed: it runs, the source assembled to the signed id.
    assert_eq!(
        avm(&["sign", &p(&dir.join("mathlib.lib")), "--key", &key]).code,
        0
    );
    let r = avm(&["run", &calls, "--trusted-key", &p(&dir.join("me.key.pub"))]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.field("st0").as_deref(), Some("true"));
    // A damaged signature file beside the valid ones is skipped with a warning
    // naming it, not a refusal of the whole program.
    write(&dir, "junk.sig", b"not a signature");
    let r = avm(&["run", &calls, "--trusted-key", &public]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("junk.sig"), "{}", r.stderr);
    assert!(r.stderr.contains("not a signature file"), "{}", r.stderr);
    assert!(!r.stderr.contains("malformed library"), "{}", r.stderr);
    std::fs::remove_file(dir.join("junk.sig")).unwrap();
    // Signed, but not by a trusted key.
    let other = dir.join("other.key");
    let r = avm(&["key", "new", "--out", &p(&other)]);
    let other_public = r.stdout.trim().to_string();
    let r = avm(&["run", &calls, "--trusted-key", &other_public]);
    assert_eq!(r.code, 12);
    assert!(r.stderr.contains("does not trust"), "{}", r.stderr);
    // A signature given with --sig counts too (subdirectories are not searched).
    std::fs::create_dir(dir.join("sub")).unwrap();
    let elsewhere = p(&dir.join("sub/calls.sig"));
    let math = p(&dir.join("mathlib.lib"));
    let other_key = p(&other);
    assert_eq!(avm(&["sign", &math, "--key", &other_key]).code, 0);
    let calls_lib = p(&dir.join("calls.lib"));
    let r = avm(&["sign", &calls_lib, "--key", &other_key, "-o", &elsewhere]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = avm(&["run", &calls, "--trusted-key", &other_public]);
    assert_eq!(r.code, 12, "calls.lib is signed by `other` only in sub/");
    let r = avm(&[
        "run",
        &calls,
        "--trusted-key",
        &other_public,
        "--sig",
        &elsewhere,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn sign_never_overwrites_the_library_or_the_key() {
    let (dir, _) = setup("signclobber", "ed25519");
    let lib = dir.join("mathlib.lib");
    let key = dir.join("me.key");
    let (lib_bytes, key_text) = (std::fs::read(&lib).unwrap(), std::fs::read(&key).unwrap());
    for target in [&lib, &key] {
        let r = avm(&["sign", &p(&lib), "--key", &p(&key), "-o", &p(target)]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("would overwrite"), "{}", r.stderr);
    }
    // Also through another name for the same file.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&key, dir.join("alias")).unwrap();
        let r = avm(&[
            "sign",
            &p(&lib),
            "--key",
            &p(&key),
            "-o",
            &p(&dir.join("alias")),
        ]);
        assert_eq!(r.code, 2, "{}", r.stderr);
    }
    assert_eq!(std::fs::read(&lib).unwrap(), lib_bytes);
    assert_eq!(std::fs::read(&key).unwrap(), key_text);
    let r = avm(&["sign", &p(&lib), "--key", &p(&key)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn key_new_with_an_existing_public_file_writes_nothing() {
    let dir = common::scratch("keypub");
    let public = write(&dir, "k.pub", "keep me\n");
    let r = avm(&["key", "new", "--out", &p(&dir.join("k"))]);
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert!(r.stderr.contains("k.pub"), "{}", r.stderr);
    assert!(!dir.join("k").exists(), "an orphan secret key was left");
    assert_eq!(std::fs::read_to_string(public).unwrap(), "keep me\n");
}
