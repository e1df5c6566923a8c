//! Key and signature files: reading them, and finding a library's signatures.
//!
//! A library's signature lives beside it as `FILE.lib.sig` (the library
//! file's name with `.sig` appended); `run --trusted-key` reads every
//! `*.sig` file of the library search directories.

use crate::error::CliError;
use crate::load;
use avm_alu::{LibSignature, PublicKey, SecretKey};
use std::path::{Path, PathBuf};

/// Where a library file's signature goes by default: `FILE.lib.sig`.
pub fn default_sig_path(lib: &Path) -> PathBuf {
    let mut name = lib.as_os_str().to_owned();
    name.push(".sig");
    PathBuf::from(name)
}

/// A file that is not what it should be: exit 4, naming the file.
fn malformed(path: &Path, what: &str, reason: impl std::fmt::Display) -> CliError {
    CliError::Malformed {
        path: path.to_path_buf(),
        reason: format!("not {what}: {reason}"),
    }
}

/// Reads a signature file.
pub fn read_signature(path: &Path) -> Result<LibSignature, CliError> {
    let bytes = load::read_at_most(path, load::MAX_KEY_FILE)?;
    LibSignature::from_bytes(&bytes).map_err(|e| malformed(path, "a signature file", e))
}

/// Reads a secret key file.
pub fn read_secret_key(path: &Path) -> Result<SecretKey, CliError> {
    let bytes = load::read_at_most(path, load::MAX_KEY_FILE)?;
    let text = String::from_utf8_lossy(&bytes);
    // The error never quotes the file: it may hold a secret.
    SecretKey::from_file_text(&text).map_err(|e| malformed(path, "a secret key file", e))
}

/// A public key given on the command line: `ed25519:HEX`, `schnorr:HEX`,
/// or the path of a file holding that text (as `avm key new` writes).
pub fn public_key(arg: &str) -> Result<PublicKey, CliError> {
    if arg.starts_with("ed25519:") || arg.starts_with("schnorr:") {
        return arg
            .parse()
            .map_err(|e| CliError::Usage(format!("public key `{arg}`: {e}")));
    }
    let path = Path::new(arg);
    if !path.is_file() {
        return Err(CliError::Usage(format!(
            "`{arg}` is neither a public key (ed25519:HEX or schnorr:HEX) nor a file"
        )));
    }
    let bytes = load::read_at_most(path, load::MAX_KEY_FILE)?;
    String::from_utf8_lossy(&bytes)
        .parse()
        .map_err(|e| malformed(path, "a public key file", e))
}

/// Every signature in the `*.sig` files of `dirs`, in file-name order per
/// directory. A `.sig` file that does not parse is an error: a policy that
/// skipped it would hide why a library is refused.
pub fn signatures_in(dirs: &[PathBuf]) -> Result<Vec<LibSignature>, CliError> {
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "sig") && p.is_file())
            .collect();
        paths.sort();
        for p in paths {
            out.push(read_signature(&p)?);
        }
    }
    Ok(out)
}
