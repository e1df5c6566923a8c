//! The assembler on any text: never panics; whatever assembles also
//! disassembles, and the disassembly assembles back to the same library.
//! The OBJ extension is at hand, so its named instructions are covered too.
#![no_main]

use avm_alu::isa::IsaExtension;
use avm_asm::{assemble_with, disassemble_with, ImportNames, NoLibs};
use avm_obj::alu::{resolve, ObjIsa};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let exts: [&dyn IsaExtension; 1] = [&ObjIsa];
    let source = String::from_utf8_lossy(bytes);
    let Ok(out) = assemble_with("fuzz.alu", &source, &NoLibs, &exts) else {
        return;
    };
    let text = if out.library.isa.iter().any(|id| id == avm_obj::alu::ISA_ID) {
        disassemble_with(&out.library, &ImportNames::default(), resolve)
    } else {
        disassemble_with(&out.library, &ImportNames::default(), |_| None)
    };
    let again =
        assemble_with("disasm.alu", &text, &NoLibs, &exts).expect("the disassembly assembles");
    assert_eq!(again.library, out.library);
});
