//! `avm sign`: a detached signature of a library's id.

use super::stdout_err;
use crate::cli::SignArgs;
use crate::error::{code, CliError};
use crate::{load, signatures};
use std::io::Write;

pub fn sign(args: &SignArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let lib = load::read_library(&args.file)?;
    let key = signatures::read_secret_key(&args.key)?;
    let sig = key.sign(&lib.id());
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| signatures::default_sig_path(&args.file));
    std::fs::write(&path, sig.to_bytes()).map_err(|e| CliError::write(&path, e))?;
    writeln!(out, "signed:     {}", lib.id()).map_err(stdout_err)?;
    writeln!(out, "key:        {}", sig.key).map_err(stdout_err)?;
    writeln!(out, "signature:  {}", path.display()).map_err(stdout_err)?;
    Ok(code::OK)
}
