//! `avm rv32 test`: pass, a failing case by number, and every non-pass as a
//! failure (exit 1) or a bad file (exit 4, 7), never a silent pass.

mod common;

use common::{avm, scratch, write};

const TESTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../rv32/tests/riscv-tests/");

#[test]
fn a_passing_test_exits_0() {
    let file = format!("{TESTS}rv32ui-p-alu.elf");
    let run = avm(&["rv32", "test", &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("PASS "), "{}", run.stdout);
}

#[test]
fn a_failing_case_is_named_and_exits_1() {
    let file = format!("{TESTS}fails-case-3.elf");
    let run = avm(&["rv32", "test", &file]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("test 3 failed"), "{}", run.stdout);
}

#[test]
fn running_out_of_gas_is_a_failure() {
    let file = format!("{TESTS}rv32ui-p-alu.elf");
    let run = avm(&["rv32", "test", &file, "--gas", "100"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("no pass or fail signal within 100 gas"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_missing_file_exits_7_and_a_bad_one_4() {
    let missing = avm(&["rv32", "test", "/nonexistent/rv32ui-p-add.elf"]);
    assert_eq!(missing.code, 7);
    assert!(missing.stderr.contains("cannot read"), "{}", missing.stderr);
    let dir = scratch("rv32-test");
    let junk = write(&dir, "junk.elf", "not an elf");
    let bad = avm(&["rv32", "test", &junk]);
    assert_eq!(bad.code, 4);
    assert!(
        bad.stderr.contains("not a loadable RV32 ELF"),
        "{}",
        bad.stderr
    );
}
