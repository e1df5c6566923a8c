//! The assembler on any text: never panics; whatever assembles also
//! disassembles, and the disassembly assembles back to the same library.
//! The OBJ extension is at hand, so its named instructions are covered too.
//! What does not assemble gets a bounded report: at most `MAX_DIAGNOSTICS`
//! diagnostics and one more, each message cut to `MAX_MESSAGE` chars and each
//! rendered line to a window of the source.
#![no_main]

use avm_alu::isa::IsaExtension;
use avm_asm::{
    assemble_with, disassemble_with, ImportNames, NoLibs, MAX_DIAGNOSTICS, MAX_EXCERPT, MAX_MESSAGE,
};
use avm_obj::alu::{resolve, ObjIsa};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let exts: [&dyn IsaExtension; 1] = [&ObjIsa];
    let source = String::from_utf8_lossy(bytes);
    let out = match assemble_with("fuzz.alu", &source, &NoLibs, &exts) {
        Ok(out) => out,
        Err(diags) => {
            assert!(!diags.is_empty() && diags.len() <= MAX_DIAGNOSTICS + 1);
            for d in &diags {
                assert!(d.message.chars().count() <= MAX_MESSAGE);
                for line in d.render(&source).lines() {
                    // Gutter and marks, the excerpt window, a label.
                    assert!(line.chars().count() <= 32 + MAX_EXCERPT + MAX_MESSAGE);
                }
            }
            return;
        }
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
