//! `avm verify`: whether a library's detached signature is valid, and by whom.

use super::stdout_err;
use crate::cli::VerifyArgs;
use crate::error::{code, CliError};
use crate::{load, signatures};
use avm_alu::{LibSignature, Library};
use std::io::Write;
use std::path::Path;

pub fn verify(args: &VerifyArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let lib = load::read_library(&args.file)?;
    let path = args
        .sig
        .clone()
        .unwrap_or_else(|| signatures::default_sig_path(&args.file));
    if !path.is_file() {
        return Err(CliError::Signature(format!(
            "{} has no signature: no file {}",
            args.file.display(),
            path.display()
        )));
    }
    let sig = signatures::read_signature(&path)?;
    check(&lib, &sig, &path)?;
    if let Some(expected) = &args.key {
        let expected = signatures::public_key(expected)?;
        if sig.key != expected {
            return Err(CliError::Signature(format!(
                "{} is signed by {}, not by {expected}",
                lib.id(),
                sig.key
            )));
        }
    }
    writeln!(out, "valid:      {}", lib.id()).map_err(stdout_err)?;
    writeln!(out, "signed by:  {}", sig.key).map_err(stdout_err)?;
    Ok(code::OK)
}

/// Whether `sig` (read from `path`) is a valid signature of `lib`; the error says what is wrong.
pub fn check(lib: &Library, sig: &LibSignature, path: &Path) -> Result<(), CliError> {
    if sig.lib != lib.id() {
        return Err(CliError::Signature(format!(
            "{} signs library {}, not {}",
            path.display(),
            sig.lib,
            lib.id()
        )));
    }
    if !sig.verify() {
        return Err(CliError::Signature(format!(
            "{}: the signature by {} of {} does not verify",
            path.display(),
            sig.key,
            lib.id()
        )));
    }
    Ok(())
}
