//! Helpers shared by the integration tests.
#![allow(dead_code)]

use avm_alu::{AluProgram, AluVm};
use avm_prove::Statement;

/// Assembles `source` into a program.
pub fn program(source: &str) -> AluProgram {
    let lib = avm_asm::assemble("test.alu", source, &avm_asm::NoLibs)
        .expect("assembles")
        .library;
    AluVm::new().program(&lib.to_bytes()).expect("a program")
}

/// Assembles and compiles `source`.
pub fn statement(source: &str) -> Statement {
    Statement::new(&program(source)).expect("in the provable subset")
}

/// An example of examples/prove.
pub fn example(name: &str) -> String {
    let path = format!("{}/../../examples/prove/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Knows a square root of a64[0]: the smallest statement.
pub const SQRT: &str = "main:\n    mulgl a64[2], a64[1], a64[1]\n    eqgl a64[2], a64[0]\n    test\n    putgl a64[0], 1\n    stop\n";
