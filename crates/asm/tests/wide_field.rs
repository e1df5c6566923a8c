//! Assembly of the wide-integer, modular and prime-field instructions: the
//! form is picked by the operands, the extension ids are listed, errors name
//! the operand, and the disassembler prints what reassembles to the same bytes.

use avm_alu::isa::{self, Instr};
use avm_asm::{assemble, disassemble, ImportNames, NoLibs};

fn asm(src: &str) -> avm_alu::Library {
    match assemble("t.alu", src, &NoLibs) {
        Ok(out) => out.library,
        Err(diags) => panic!("{}", avm_asm::render_all(&diags, src)),
    }
}

fn first_error(src: &str) -> String {
    let diags = assemble("t.alu", src, &NoLibs).unwrap_err();
    diags[0].message.clone()
}

const SOURCE: &str = "\
    add.uc r256[2], r256[0], r256[1]
    add.uc a256[2], a256[0], a256[1]
    sub.uw r8192[2], r8192[0], r8192[1]
    mul.uc r160[2], r160[0], r160[1]
    div r512[2], r512[0], r512[1]
    rem r128[2], r128[0], r128[1]
    neg r1024[1], r1024[0]
    neg.c a64[1], a64[0]
    inc.uw r2048[0], 256
    dec.uc r4096[0], 1
    addmod r256[3], r256[0], r256[1], r256[2]
    submod r256[3], r256[0], r256[1], r256[2]
    mulmod r8192[3], r8192[0], r8192[1], r8192[2]
    powmod r256[3], r256[0], r256[1], r256[2]
    invmod r256[3], r256[0], r256[2]
    putgl a64[0], 0xffffffff00000000
    movgl a64[1], a64[0]
    eqgl a64[0], a64[1]
    addgl a64[2], a64[0], a64[1]
    subgl a64[2], a64[0], a64[1]
    mulgl a64[2], a64[0], a64[1]
    neggl a64[3], a64[2]
    invgl a64[4], a64[3]
    put25519 r256[0], 0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec
    mov25519 r256[1], r256[0]
    eq25519 r256[0], r256[1]
    add25519 r256[2], r256[0], r256[1]
    sub25519 r256[2], r256[0], r256[1]
    mul25519 r256[2], r256[0], r256[1]
    neg25519 r256[3], r256[2]
    inv25519 r256[4], r256[3]
    stop
";

#[test]
fn every_new_instruction_assembles_to_its_row_and_round_trips() {
    let lib = asm(SOURCE);
    assert_eq!(lib.isa, vec!["F25519".to_string(), "FGL64".to_string()]);
    let ops: Vec<u8> = isa::disassemble(&lib.code, isa::no_ext)
        .iter()
        .map(|(_, i)| i.opcode())
        .collect();
    assert_eq!(
        ops,
        [
            0x49, 0x40, 0x4A, 0x4B, 0x4C, 0x4D, 0x3F, 0x45, 0x3D, 0x3E, 0x63, 0x64, 0x65, 0x66,
            0x67, 0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xBB, 0xBC,
            0xBD, 0xBE, 0xBF, 0x08
        ]
    );
    let text = disassemble(&lib, &ImportNames::default());
    for line in SOURCE.lines().filter(|l| !l.contains("put")) {
        assert!(text.contains(line), "{line}\n{text}");
    }
    assert!(
        text.contains("putgl a64[0], data[0] ; = 18446744069414584320"),
        "{text}"
    );
    assert_eq!(asm(&text), lib);
}

#[test]
fn field_constants_take_the_register_width() {
    let lib = asm("putgl a64[0], 7\nput25519 r256[1], 9\n");
    let mut want = 7u64.to_le_bytes().to_vec();
    want.extend_from_slice(&[9]);
    want.resize(8 + 32, 0);
    assert_eq!(lib.data, want);
    let (instr, _) = isa::decode(&lib.code, isa::no_ext);
    assert!(matches!(instr, Instr::PutGl(s) if s.dst == 0 && s.off == 0));
}

#[test]
fn errors_name_the_operand_that_does_not_fit() {
    assert_eq!(
        first_error("addgl a32[0], a64[1], a64[2]"),
        "expected an a64 register, found an integer register"
    );
    assert_eq!(
        first_error("mul25519 r256[0], r512[1], r256[2]"),
        "expected an r256 register, found a wide register"
    );
    assert_eq!(
        first_error("add.sc r256[0], r256[1], r256[2]"),
        "unknown flag `.sc`"
    );
    assert_eq!(
        first_error("mulmod r256[0], r256[1], r512[2], r256[3]"),
        "all wide register operands must have the same width"
    );
    assert_eq!(
        first_error("div.uc r256[0], r256[1], r256[2]"),
        "this instruction takes no flag suffix"
    );
    assert!(first_error("putgl a64[0], 0x10000000000000000").contains("does not fit"));
}
