//! `avm asm`: source to library file.

use super::stdout_err;
use crate::cli::AsmArgs;
use crate::error::{code, CliError};
use crate::load;
use std::io::Write;

pub fn asm(args: &AsmArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let output = super::library_output(&args.file, args.output.as_deref())?;
    let bytes = load::read_at_most(&args.file, avm_asm::MAX_SOURCE)?;
    let dirs = load::search_dirs(&args.file, &args.lib_path);
    let (assembled, _) = load::assemble(&args.file, &bytes, &dirs)?;
    let library = assembled.library;
    std::fs::write(&output, library.to_bytes()).map_err(|e| CliError::write(&output, e))?;
    writeln!(out, "{}", library.id()).map_err(stdout_err)?;
    Ok(code::OK)
}
