//! What the help says: the exit codes once in `avm --help`, the right code for
//! a signature failure, `avm help` as an ordinary subcommand, `eval`'s default gas.

mod common;

use common::avm;

#[test]
fn the_exit_codes_are_in_the_top_level_help_only() {
    let top = avm(&["--help"]);
    assert_eq!(top.code, 0, "{}", top.stderr);
    assert!(
        top.stdout.contains("Exit status:\n  0  success"),
        "{}",
        top.stdout
    );
    for vm in ["Alu", "RV32", "objects"] {
        assert!(
            top.stdout.contains(vm),
            "{vm} missing from:\n{}",
            top.stdout
        );
    }
    for sub in [
        &["run", "--help"][..],
        &["rv32", "call", "--help"],
        &["obj", "--help"],
    ] {
        let help = avm(sub);
        assert_eq!(help.code, 0, "{sub:?}: {}", help.stderr);
        assert!(!help.stdout.contains("  12 "), "{sub:?} repeats the table");
        assert!(
            help.stdout.contains("every code: `avm --help`"),
            "{sub:?}: {}",
            help.stdout
        );
    }
}

#[test]
fn a_signature_failure_is_documented_as_exit_12() {
    for sub in ["run", "verify"] {
        let help = avm(&[sub, "--help"]);
        assert!(help.stdout.contains("12"), "{sub}: {}", help.stdout);
        assert!(!help.stdout.contains("exit 9"), "{sub}: {}", help.stdout);
        assert!(!help.stdout.contains(", 9 when"), "{sub}: {}", help.stdout);
    }
}

#[test]
fn help_is_a_subcommand_with_its_own_help() {
    let own = avm(&["help", "--help"]);
    assert_eq!(own.code, 0, "{}", own.stderr);
    assert!(
        own.stdout.contains("Usage: avm help [COMMAND]..."),
        "{}",
        own.stdout
    );
    let nested = avm(&["help", "rv32", "call"]);
    assert_eq!(nested.code, 0, "{}", nested.stderr);
    assert_eq!(nested.stdout, avm(&["rv32", "call", "--help"]).stdout);
    let unknown = avm(&["help", "rv32", "nope"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown
            .stderr
            .contains("`avm rv32` has no subcommand `nope`; it has: run"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn obj_examples_name_the_real_file() {
    let help = avm(&["obj", "--help"]);
    assert!(
        help.stdout
            .contains("avm obj create examples/objects/counter.alu"),
        "{}",
        help.stdout
    );
    assert!(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/objects/counter.alu")
        .exists());
}

#[test]
fn eval_has_a_default_gas() {
    let gcd = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/gcd.alu");
    let run = avm(&["eval", gcd.to_str().unwrap(), "1071", "462"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("result: 21\n"), "{}", run.stdout);
}
