//! `avm sign`: a detached signature of a library's id.

use super::stdout_err;
use crate::cli::SignArgs;
use crate::error::{code, CliError};
use crate::{load, signatures};
use std::io::Write;
use std::path::Path;

pub fn sign(args: &SignArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let lib = load::read_library(&args.file)?;
    let key = signatures::read_secret_key(&args.key)?;
    let sig = key.sign(&lib.id());
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| signatures::default_sig_path(&args.file));
    for (input, what) in [(&args.file, "library"), (&args.key, "secret key")] {
        if same_file(&path, input) {
            return Err(CliError::Usage(format!(
                "{}: the signature would overwrite the {what}; name another file with -o",
                path.display()
            )));
        }
    }
    std::fs::write(&path, sig.to_bytes()).map_err(|e| CliError::write(&path, e))?;
    writeln!(out, "signed:     {}", lib.id()).map_err(stdout_err)?;
    writeln!(out, "key:        {}", sig.key).map_err(stdout_err)?;
    writeln!(out, "signature:  {}", path.display()).map_err(stdout_err)?;
    Ok(code::OK)
}

/// Whether `a` and `b` name the same existing file, through symbolic or hard links.
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        x.dev() == y.dev() && x.ino() == y.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (x, y);
        std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok()
    }
}
