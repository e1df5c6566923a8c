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

/// A key or signature file that is not what it should be: exit 4, naming the file.
fn malformed(path: &Path, what: &str, reason: impl std::fmt::Display) -> CliError {
    CliError::BadKeyFile {
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
/// directory. A `.sig` file that does not parse is skipped with a warning on
/// stderr naming it: one damaged file in a shared directory must not refuse
/// a library that another file signs validly, and a library that ends up
/// unsigned is refused with the policy's own error.
pub fn signatures_in(dirs: &[PathBuf]) -> Result<Vec<LibSignature>, CliError> {
    let (found, skipped) = scan_signatures(dirs);
    for error in skipped {
        eprintln!("warning: {error} (skipped)");
    }
    Ok(found)
}

/// The signatures of `*.sig` files in `dirs`, and the errors of those that
/// could not be read or parsed.
fn scan_signatures(dirs: &[PathBuf]) -> (Vec<LibSignature>, Vec<CliError>) {
    let (mut found, mut skipped) = (Vec::new(), Vec::new());
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
            match read_signature(&p) {
                Ok(sig) => found.push(sig),
                Err(e) => skipped.push(e),
            }
        }
    }
    (found, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_signature_file_is_skipped_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let key = SecretKey::from_bytes(avm_alu::Scheme::Ed25519, &[3; 32]).unwrap();
        let sig = key.sign(&avm_alu::LibId([9; 32]));
        std::fs::write(dir.path().join("a.lib.sig"), b"garbage").unwrap();
        std::fs::write(dir.path().join("b.lib.sig"), sig.to_bytes()).unwrap();
        let (found, skipped) = scan_signatures(&[dir.path().to_path_buf()]);
        assert_eq!(found, vec![sig]);
        assert_eq!(skipped.len(), 1);
        let message = skipped[0].to_string();
        assert!(message.contains("a.lib.sig") && message.contains("not a signature file"));
        assert!(!message.contains("malformed library"), "{message}");
        assert_eq!(skipped[0].exit_code(), crate::error::code::MALFORMED);
    }
}
