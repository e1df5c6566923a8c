//! The assembler on any text: never panics; whatever assembles also
//! disassembles, and the disassembly assembles back to the same library.
#![no_main]

use avm_asm::{assemble, disassemble, ImportNames, NoLibs};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let source = String::from_utf8_lossy(bytes);
    let Ok(out) = assemble("fuzz.alu", &source, &NoLibs) else {
        return;
    };
    let text = disassemble(&out.library, &ImportNames::default());
    let again = assemble("disasm.alu", &text, &NoLibs).expect("the disassembly assembles");
    assert_eq!(again.library, out.library);
});
