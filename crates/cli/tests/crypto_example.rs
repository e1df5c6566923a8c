//! `examples/sigcheck.alu` through the built `avm`: an Ed25519 signature
//! check that passes, the same check on a changed message that fails, and
//! the digest it leaves, printed as the usual hex of SHA-256.

mod common;

use common::{avm, example};

#[test]
fn sigcheck_accepts_the_rfc8032_signature() {
    let r = avm(&["run", &example("sigcheck.alu")]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.field("stop").unwrap().starts_with("stopped"));
    assert_eq!(r.field("st0").as_deref(), Some("true"));
    // sha256(af82), as `sha256sum` prints it.
    assert_eq!(
        r.reg("r256[0]"),
        "0x0598c67e908a9766b29fe74fd2d7035524a17616ce6a5d1bf3bf9db9b3a6ace7"
    );
    assert_eq!(r.reg("s[0]"), "x\"af82\"");
    assert_eq!(r.registers().len(), 2);
}

#[test]
fn sigcheck_rejects_a_changed_message() {
    let r = avm(&["run", &example("sigcheck.alu"), "--entry", "forged"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.field("stop").unwrap().starts_with("failed"));
    assert_eq!(r.field("st0").as_deref(), Some("false"));
    assert!(!r.registers().contains_key("r256[0]"));
}

#[test]
fn sigcheck_round_trips_through_the_disassembler() {
    let dir = std::env::temp_dir().join(format!("avm-sigcheck-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let lib = dir.join("sigcheck.lib");
    let r = avm(&[
        "asm",
        &example("sigcheck.alu"),
        "-o",
        &lib.display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = avm(&["disasm", &lib.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("ed25519 s[0], s[1], s[2]"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("sha256 r256[0], s[0]"), "{}", r.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}
