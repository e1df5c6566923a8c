//! Named instructions of host ISA extensions: assembled from their
//! mnemonics in a library that lists the extension, printed back the same way.

use avm_alu::isa::ext::{ExtInstr, ExtOperand, IsaExtension};
use avm_alu::reg::AWidth;
use avm_alu::Registers;
use avm_asm::{assemble, assemble_with, disassemble_with, render_all, ImportNames, NoLibs};

/// `TEST`: 0xC0 `tput a64, s`, 0xC1 `traw` (operands not described).
struct TestIsa;

const OPS: &[ExtOperand] = &[ExtOperand::A(AWidth::A64), ExtOperand::S];

impl IsaExtension for TestIsa {
    fn id(&self) -> &'static str {
        "TEST"
    }
    fn defines(&self, opcode: u8) -> bool {
        matches!(opcode, 0xC0 | 0xC1)
    }
    fn operand_len(&self, opcode: u8) -> usize {
        if opcode == 0xC0 {
            2
        } else {
            1
        }
    }
    fn mnemonic(&self, opcode: u8) -> &'static str {
        if opcode == 0xC0 {
            "tput"
        } else {
            "traw"
        }
    }
    fn operands(&self, opcode: u8) -> Option<&'static [ExtOperand]> {
        (opcode == 0xC0).then_some(OPS)
    }
    fn complexity(&self, _instr: &ExtInstr) -> u64 {
        1
    }
    fn execute(&self, _instr: &ExtInstr, regs: &mut Registers) {
        regs.st0 = false;
    }
}

fn resolve(op: u8) -> Option<&'static dyn IsaExtension> {
    TestIsa.defines(op).then_some(&TestIsa)
}

fn errors(src: &str) -> String {
    let diags = assemble_with("t.alu", src, &NoLibs, &[&TestIsa]).expect_err("should fail");
    render_all(&diags, src)
}

#[test]
fn a_named_instruction_assembles_to_its_opcode_and_register_indices() {
    let src = ".isa TEST\n    tput a64[3], s[7]\n    stop\n";
    let lib = assemble_with("t.alu", src, &NoLibs, &[&TestIsa])
        .unwrap()
        .library;
    assert_eq!(lib.code, [0xC0, 3, 7, 0x08]);
    let raw = ".isa TEST\n    ext 0xc0, x\"03 07\"\n    stop\n";
    assert_eq!(assemble("t.alu", raw, &NoLibs).unwrap().library, lib);
}

#[test]
fn disassembly_names_it_and_reassembles_to_the_same_library() {
    let src = ".isa TEST\n    tput a64[3], s[7]\n    ext 0xc1, x\"05\"\n    ext 0xc0, x\"40 01\"\n";
    let lib = assemble_with("t.alu", src, &NoLibs, &[&TestIsa])
        .unwrap()
        .library;
    let text = disassemble_with(&lib, &ImportNames::default(), resolve);
    assert!(text.contains("    tput a64[3], s[7]\n"), "{text}");
    // Undescribed operands, and an index no register has, stay raw.
    assert!(text.contains("ext 0xc1, x\"05\" ; traw"), "{text}");
    assert!(text.contains("ext 0xc0, x\"40 01\" ; tput"), "{text}");
    let again = assemble_with("u.alu", &text, &NoLibs, &[&TestIsa])
        .unwrap()
        .library;
    assert_eq!(again, lib);
}

#[test]
fn mistakes_are_named_where_they_are() {
    let e = errors(".isa TEST\n    tput s[3], s[7]\n");
    assert!(e.contains("expected an a64 register, found"), "{e}");
    assert!(e.contains("t.alu:2:10"), "{e}");
    let e = errors(".isa TEST\n    tput a64[3]\n");
    assert!(e.contains("an a64 register, a byte-string register"), "{e}");
    let e = errors(".isa TEST\n    tput.n a64[3], s[1]\n");
    assert!(e.contains("takes no flag"), "{e}");
    // Undescribed instructions have only the raw form.
    let e = errors(".isa TEST\n    traw a64[1]\n");
    assert!(e.contains("unknown"), "{e}");
}

#[test]
fn the_extension_must_be_listed() {
    let e = errors("    tput a64[3], s[7]\n");
    assert!(e.contains("unknown"), "{e}");
    // Without the extension at hand, its mnemonics are unknown too.
    let diags = assemble("t.alu", ".isa TEST\n    tput a64[3], s[7]\n", &NoLibs).unwrap_err();
    assert!(diags[0].message.contains("unknown"), "{}", diags[0].message);
}
