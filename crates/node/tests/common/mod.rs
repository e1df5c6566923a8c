//! What the tests and the bench of avm-node share.

use avm_vm::DataValue;

/// The behaviour of `examples/objects/NAME.alu`, assembled with the OBJ extension.
pub fn example(name: &str) -> DataValue {
    let path = format!(
        "{}/../../examples/objects/{name}.alu",
        env!("CARGO_MANIFEST_DIR")
    );
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let lib = avm_asm::assemble_with(&path, &source, &avm_asm::NoLibs, &[&avm_obj::alu::ObjIsa])
        .unwrap_or_else(|e| panic!("{e:?}"))
        .library;
    avm_alu::binding::function(&lib, []).expect("a function")
}
