//! The Alma compiler on any text: never panics, whatever compiles is an Alu
//! program the VM runs (on two small arguments, with a little gas), and its
//! intent extraction never panics.
#![no_main]

use avm_alu::AluVm;
use avm_vm::{DataValue, Registry};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let source = String::from_utf8_lossy(bytes);
    let Ok(compiled) = avm_lang::compile("fuzz.alma", &source) else {
        return;
    };
    let vm = AluVm::new();
    let avm_vm::DataValue::Function { code, .. } = &compiled.function else {
        panic!("a compiled program is a function");
    };
    vm.program(code).expect("a compiled program is an Alu program");
    let mut registry = Registry::new();
    registry.register(vm).expect("an empty registry");
    let args = [DataValue::nat(3u8), DataValue::nat(1u8)];
    registry
        .multievaluate(&compiled.function, &args, 10_000)
        .expect("the registry evaluates it");
    // An intent (or not): extraction answers or refuses, never panics.
    let _ = avm_intent::extract::extract("fuzz", &compiled.library, Default::default());
});
