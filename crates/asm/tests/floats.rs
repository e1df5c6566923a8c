//! Every float instruction and float literal format through the assembler
//! and back through the disassembler.

use avm_alu::reg::FFormat;
use avm_asm::{assemble, disassemble, float_bytes, ImportNames, NoLibs};

const SOURCE: &str = include_str!("floats.alu");

#[test]
fn every_float_instruction_assembles_and_disassembles_to_the_same_library() {
    let first = assemble("floats.alu", SOURCE, &NoLibs).expect("assembles");
    assert_eq!(first.library.isa, vec!["FLOAT".to_string()]);
    let text = disassemble(&first.library, &ImportNames::default());
    for mnemonic in [
        "add.n", "sub.z", "mul.d", "div.u", "fma.n", "rem", "sqrt.u", "neg", "abs", "min", "max",
        "rnd.z", "gt", "lt", "eq.e", "eq.ulp", "cnv.n", "cpy.n", "cnv.d", "cpy.z", "cnv.u",
    ] {
        assert!(
            text.contains(&format!("\n    {mnemonic} ")),
            "{mnemonic}:\n{text}"
        );
    }
    let second = assemble("again.alu", &text, &NoLibs).expect("reassembles");
    assert_eq!(first.library.id(), second.library.id(), "{text}");
    // The once-checked spellings (`sub.zc` in the source) are aliases: the
    // disassembly shows the plain direction.
    assert!(
        !text.contains("sub.zc") && SOURCE.contains("sub.zc"),
        "{text}"
    );
}

#[test]
fn literals_round_once_in_every_format() {
    let hex = |text: &str, f: FFormat| -> String {
        let bytes = float_bytes(text, f).unwrap();
        bytes.iter().rev().map(|b| format!("{b:02x}")).collect()
    };
    assert_eq!(
        hex("0.1", FFormat::F256),
        format!("3fffb{}a", "9".repeat(58))
    );
    assert_eq!(hex("-2.5e-3", FFormat::F80), "bff6a3d70a3d70a3d70a");
    assert_eq!(hex("3.0", FFormat::Bf16), "4040");
    assert_eq!(hex("0.1", FFormat::F16), "2e66");
}

#[test]
fn float_operand_errors_name_the_operand() {
    let err = assemble("t.alu", "add.n f64[0], f32[1], f64[2]\n", &NoLibs).unwrap_err();
    assert!(err[0].message.contains("same width"), "{}", err[0].message);
    let err = assemble("t.alu", "add.q f64[0], f64[1], f64[2]\n", &NoLibs).unwrap_err();
    assert!(
        err[0].message.contains("unknown flag `.q`"),
        "{}",
        err[0].message
    );
    let err = assemble("t.alu", "put f16[0], 1e5\n", &NoLibs).unwrap_err();
    assert!(
        err[0].message.contains("overflows f16"),
        "{}",
        err[0].message
    );
}
