//! `avm disasm`: library file to source.

use super::stdout_err;
use crate::cli::DisasmArgs;
use crate::error::{code, CliError};
use crate::load::{self, RecordingResolver};
use avm_asm::ImportNames;
use std::io::Write;

pub fn disasm(args: &DisasmArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let lib = load::read_library(&args.file)?;
    // Imports found next to the file (or on --lib-path) are printed by name, and calls
    // into them by entry name; the others as `lib<index>` and offsets.
    let resolver = RecordingResolver::new(load::search_dirs(&args.file, &args.lib_path));
    let mut names = ImportNames::default();
    for (i, id) in lib.libs.iter().enumerate() {
        match resolver.find(id) {
            Some((name, import)) => {
                names.names.push(name.unwrap_or_else(|| format!("lib{i}")));
                names.libs.insert(*id, import);
            }
            None => names.names.push(format!("lib{i}")),
        }
    }
    // Host-range opcodes are decoded by the extensions this build provides
    // (OBJ) when the library lists them; otherwise they are `reserved`.
    let text = if lib.isa.iter().any(|id| id == avm_obj::alu::ISA_ID) {
        avm_asm::disassemble_with(&lib, &names, avm_obj::alu::resolve)
    } else {
        avm_asm::disassemble(&lib, &names)
    };
    out.write_all(text.as_bytes()).map_err(stdout_err)?;
    Ok(code::OK)
}
