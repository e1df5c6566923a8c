//! ELF validation: every rejected field is named with its offset, and no
//! input makes the loader (or a machine built from what it accepts) panic.

mod common;
use std::sync::Arc;

use avm_rv32::elf::{self, SegmentProblem};
use avm_rv32::{Config, ElfError, ElfLimits, ExitOnly, Machine, Perms, Program};
use common::*;
use proptest::prelude::*;

fn valid() -> Vec<u8> {
    let mut code = vec![addi(A0, ZERO, 3)];
    code.extend(EXIT);
    elf_with(&code, b"data", b"rodata")
}

fn parse(bytes: &[u8]) -> Result<avm_rv32::Image, ElfError> {
    elf::parse(bytes, &ElfLimits::default())
}

fn patch(bytes: &mut [u8], at: usize, value: &[u8]) {
    bytes[at..at + value.len()].copy_from_slice(value);
}

fn field_error(at: usize, value: &[u8]) -> (&'static str, u64) {
    let mut b = valid();
    patch(&mut b, at, value);
    match parse(&b) {
        Err(ElfError::Field { field, offset, .. }) => (field, offset),
        other => panic!("expected a field error, got {other:?}"),
    }
}

/// Offset of field `f` (0 = p_type .. 7 = p_align) of program header `k`.
fn ph(k: usize, f: usize) -> usize {
    52 + 32 * k + 4 * f
}

fn segment_error(k: usize, f: usize, value: u32) -> SegmentProblem {
    let mut b = valid();
    patch(&mut b, ph(k, f), &value.to_le_bytes());
    match parse(&b) {
        Err(ElfError::Segment { index, problem, .. }) => {
            assert_eq!(index, k);
            problem
        }
        other => panic!("expected a segment error, got {other:?}"),
    }
}

#[test]
fn accepts_the_valid_image() {
    let image = parse(&valid()).unwrap();
    assert_eq!(image.entry, TEXT);
    let perms: Vec<Perms> = image.segments.iter().map(|s| s.perms).collect();
    assert_eq!(perms, [Perms::RX, Perms::RW, Perms::R]);
    let mut m = Machine::new(
        Arc::new(Program::from_elf(&valid(), &ElfLimits::default()).unwrap()),
        &Config::default(),
    )
    .unwrap();
    assert_eq!(m.run(&mut ExitOnly, 100).unwrap().code, 3);
}

#[test]
fn header_fields_are_checked() {
    assert_eq!(field_error(0, b"\x7fELG"), ("EI_MAG", 0));
    assert_eq!(field_error(4, &[2]), ("EI_CLASS", 4));
    assert_eq!(field_error(5, &[2]), ("EI_DATA", 5));
    assert_eq!(field_error(6, &[0]), ("EI_VERSION", 6));
    assert_eq!(field_error(7, &[3]), ("EI_OSABI", 7));
    assert_eq!(field_error(16, &3u16.to_le_bytes()), ("e_type", 16));
    assert_eq!(field_error(18, &62u16.to_le_bytes()), ("e_machine", 18));
    assert_eq!(field_error(20, &2u32.to_le_bytes()), ("e_version", 20));
    assert_eq!(field_error(36, &1u32.to_le_bytes()), ("e_flags", 36)); // RVC
    assert_eq!(field_error(36, &2u32.to_le_bytes()), ("e_flags", 36)); // single-float ABI
    assert_eq!(field_error(40, &64u16.to_le_bytes()), ("e_ehsize", 40));
    assert_eq!(field_error(42, &56u16.to_le_bytes()), ("e_phentsize", 42));
    assert_eq!(field_error(44, &0u16.to_le_bytes()), ("e_phnum", 44));
    let msg = ElfError::Field {
        field: "e_machine",
        offset: 18,
        found: 62,
        expected: "243 (EM_RISCV)",
    }
    .to_string();
    assert_eq!(
        msg,
        "e_machine at offset 0x12 is 0x3e; expected 243 (EM_RISCV)"
    );
}

#[test]
fn truncation() {
    let b = valid();
    assert!(matches!(
        parse(&b[..51]),
        Err(ElfError::Truncated {
            what: "ELF header",
            ..
        })
    ));
    assert!(matches!(
        parse(&b[..100]),
        Err(ElfError::Truncated {
            what: "program header table",
            ..
        })
    ));
    let mut b = valid();
    patch(&mut b, 28, &u32::MAX.to_le_bytes());
    assert!(matches!(parse(&b), Err(ElfError::Truncated { .. })));
}

#[test]
fn segments_are_checked() {
    assert_eq!(segment_error(0, 1, 1 << 30), SegmentProblem::OutsideFile);
    assert_eq!(segment_error(0, 4, 1 << 20), SegmentProblem::OutsideFile);
    assert_eq!(segment_error(2, 5, 1), SegmentProblem::FileSizeAboveMemSize);
    assert_eq!(
        segment_error(1, 2, 0xffff_f004),
        SegmentProblem::AddressWraps
    );
    assert_eq!(
        segment_error(0, 6, 7),
        SegmentProblem::WritableAndExecutable
    );
    assert_eq!(segment_error(0, 6, 0x15), SegmentProblem::UnknownFlags);
    assert_eq!(segment_error(0, 7, 3), SegmentProblem::Alignment);
    assert_eq!(segment_error(0, 7, 0x1000), SegmentProblem::Alignment); // vaddr and offset differ mod 4 KiB
    assert_eq!(segment_error(0, 0, 2), SegmentProblem::NotStatic);
    assert_eq!(segment_error(0, 0, 7), SegmentProblem::NotStatic);
    // An executable segment at a 2-aligned address.
    let mut b = valid();
    patch(&mut b, ph(0, 2), &(TEXT + 2).to_le_bytes());
    patch(&mut b, ph(0, 7), &1u32.to_le_bytes());
    patch(&mut b, 24, &(TEXT + 2).to_le_bytes());
    assert!(matches!(
        parse(&b),
        Err(ElfError::Segment {
            problem: SegmentProblem::MisalignedCode,
            ..
        })
    ));
}

#[test]
fn an_empty_segment_is_ignored_wherever_it_is() {
    // GNU ld's empty PT_LOAD: no bytes, address 0, an offset that does not
    // honour its alignment.
    let mut b = valid();
    for (field, value) in [(1, 0x23), (2, 0), (4, 0), (5, 0), (7, 0x1000)] {
        patch(&mut b, ph(2, field), &(value as u32).to_le_bytes());
    }
    assert_eq!(parse(&b).unwrap().segments.len(), 2);
}

#[test]
fn other_header_types_are_ignored() {
    let mut b = valid();
    patch(&mut b, ph(2, 0), &0x7000_0003u32.to_le_bytes()); // PT_RISCV_ATTRIBUTES
    assert_eq!(parse(&b).unwrap().segments.len(), 2);
}

#[test]
fn overlaps_are_rejected() {
    // rodata moved onto the data page: different permissions.
    let mut b = valid();
    patch(&mut b, ph(2, 2), &(DATA + 0x800).to_le_bytes());
    assert!(matches!(
        parse(&b),
        Err(ElfError::Overlap {
            first: 1,
            second: 2,
            page: 0x20000
        })
    ));
    // rodata moved into the data segment's bytes.
    let mut b = valid();
    patch(&mut b, ph(2, 2), &(DATA + 4).to_le_bytes());
    assert!(matches!(parse(&b), Err(ElfError::Overlap { .. })));
}

#[test]
fn entry_must_be_aligned_code() {
    for entry in [DATA, TEXT + 2, TEXT + 12, 0] {
        let mut b = valid();
        patch(&mut b, 24, &entry.to_le_bytes());
        assert_eq!(parse(&b), Err(ElfError::Entry { entry }), "{entry:#x}");
    }
}

#[test]
fn limits() {
    let limits = ElfLimits {
        max_image_size: 4096,
        ..ElfLimits::default()
    };
    assert!(matches!(
        elf::parse(&valid(), &limits),
        Err(ElfError::ImageTooLarge { .. })
    ));
    let limits = ElfLimits {
        max_code_span: 8,
        ..ElfLimits::default()
    };
    assert!(matches!(
        elf::parse(&valid(), &limits),
        Err(ElfError::CodeTooLarge { span: 12, limit: 8 })
    ));
    let limits = ElfLimits {
        max_program_headers: 2,
        ..ElfLimits::default()
    };
    assert!(matches!(
        elf::parse(&valid(), &limits),
        Err(ElfError::Field {
            field: "e_phnum",
            ..
        })
    ));
}

#[test]
fn the_real_fixture_parses() {
    let image = parse(include_bytes!("fixtures/checksum.elf")).unwrap();
    assert_eq!(image.segments.len(), 3);
    assert!(image
        .segments
        .iter()
        .all(|s| !(s.perms.writable() && s.perms.executable())));
}

/// Loads whatever parses and runs it briefly: nothing may panic.
fn load_and_run(bytes: &[u8]) {
    if let Ok(p) = Program::from_elf(bytes, &ElfLimits::default()) {
        if let Ok(mut m) = Machine::new(Arc::new(p), &Config::default()) {
            let _ = m.run(&mut ExitOnly, 10_000);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        load_and_run(&bytes);
    }

    #[test]
    fn mutated_valid_elfs_never_panic(
        edits in proptest::collection::vec((0usize..400, any::<u8>()), 1..8),
        cut in 0usize..400,
    ) {
        let mut b = valid();
        for (at, v) in edits {
            let n = b.len();
            b[at % n] = v;
        }
        load_and_run(&b);
        b.truncate(cut.max(1));
        load_and_run(&b);
    }

    #[test]
    fn random_code_never_panics_and_stays_within_gas(words in proptest::collection::vec(any::<u32>(), 1..64), gas in 0u64..5000) {
        let mut m = machine_with(&words, &[0; 64], &Config::default());
        let _ = m.run(&mut ExitOnly, gas);
        prop_assert!(m.gas_used() <= gas);
        prop_assert_eq!(m.reg(0), 0);
    }
}
