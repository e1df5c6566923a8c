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

#[test]
fn an_rwx_segment_is_split_and_a_page_mixing_code_and_data_is_a_bad_file() {
    let file = format!("{TESTS}rwx-segment.elf");
    let run = avm(&["rv32", "test", &file]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.starts_with("PASS "), "{}", run.stdout);
    // Move .data (section 4) onto the .text page: no W^X split exists.
    let mut elf = std::fs::read(&file).unwrap();
    let shoff = u32::from_le_bytes(elf[0x20..0x24].try_into().unwrap()) as usize;
    let addr = shoff + 4 * 40 + 12;
    elf[addr..addr + 4].copy_from_slice(&0x8000_2040u32.to_le_bytes());
    let dir = scratch("rv32-test-rwx");
    let mixed = dir.join("mixed.elf");
    std::fs::write(&mixed, &elf).unwrap();
    let bad = avm(&["rv32", "test", mixed.to_str().unwrap()]);
    assert_eq!(bad.code, 4, "{}", bad.stderr);
    assert!(
        bad.stderr
            .contains("page 0x80002000 holds both code (.text) and writable data (.data)"),
        "{}",
        bad.stderr
    );
}

#[test]
fn a_program_over_the_stack_exits_9_under_run_and_test() {
    // rv32ui-p-simple moved up to 0xbff00000: it loads, but its segments
    // and heap reach into the stack below 0xc0000000.
    let mut elf = std::fs::read(format!("{TESTS}rv32ui-p-simple.elf")).unwrap();
    let word = |elf: &[u8], at: usize| u32::from_le_bytes(elf[at..at + 4].try_into().unwrap());
    let delta = 0xbff0_0000u32 - 0x8000_0000;
    let entry = word(&elf, 24) + delta;
    elf[24..28].copy_from_slice(&entry.to_le_bytes());
    let (phoff, phnum) = (word(&elf, 28) as usize, elf[44] as usize);
    for ph in (0..phnum).map(|i| phoff + 32 * i) {
        if word(&elf, ph) == 1 {
            for at in [ph + 8, ph + 12] {
                let moved = word(&elf, at) + delta;
                elf[at..at + 4].copy_from_slice(&moved.to_le_bytes());
            }
        }
    }
    let dir = scratch("rv32-test-stack");
    let file = dir.join("over-stack.elf");
    std::fs::write(&file, &elf).unwrap();
    let file = file.display().to_string();
    for command in ["run", "test"] {
        let bad = avm(&["rv32", command, &file]);
        assert_eq!(bad.code, 9, "rv32 {command}: {}{}", bad.stdout, bad.stderr);
        assert!(
            bad.stderr.contains("above the stack's start 0xbff00000"),
            "rv32 {command}: {}",
            bad.stderr
        );
    }
}
