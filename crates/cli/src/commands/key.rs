//! `avm key new`: a fresh key pair in a secret key file and a public key file.

use super::stdout_err;
use crate::cli::KeyNewArgs;
use crate::error::{code, CliError};
use avm_alu::{Scheme, SecretKey};
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn key_new(args: &KeyNewArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let scheme: Scheme = args
        .scheme
        .parse()
        .map_err(|e| CliError::Usage(format!("--scheme: {e}")))?;
    let pub_path = public_path(&args.out);
    // Both files are checked before either is written, so an existing FILE.pub cannot
    // leave a new secret key without its public half.
    for path in [&args.out, &pub_path] {
        if path.symlink_metadata().is_ok() {
            return Err(CliError::write(
                path,
                std::io::Error::new(std::io::ErrorKind::AlreadyExists, "the file exists"),
            ));
        }
    }
    let key = fresh(scheme)?;
    let public = key.public();
    write_new(&args.out, key.to_file_text().as_bytes(), true)?;
    if let Err(e) = write_new(&pub_path, format!("{public}\n").as_bytes(), false) {
        // Made by another process since the check: take back the secret half.
        let _ = std::fs::remove_file(&args.out);
        return Err(e);
    }
    writeln!(out, "{public}").map_err(stdout_err)?;
    Ok(code::OK)
}

/// `FILE.pub`, beside the secret key file.
fn public_path(secret: &Path) -> PathBuf {
    let mut name = secret.as_os_str().to_owned();
    name.push(".pub");
    PathBuf::from(name)
}

/// A key from the operating system's random numbers. A secp256k1 secret is
/// invalid for about one draw in 2^128; draw again then.
fn fresh(scheme: Scheme) -> Result<SecretKey, CliError> {
    loop {
        let mut seed = [0u8; 32];
        getrandom::getrandom(&mut seed)
            .map_err(|e| CliError::Usage(format!("no random numbers from the system: {e}")))?;
        if let Ok(key) = SecretKey::from_bytes(scheme, &seed) {
            return Ok(key);
        }
    }
}

/// Writes a file that must not exist yet; a secret one readable by its owner only.
fn write_new(path: &Path, bytes: &[u8], secret: bool) -> Result<(), CliError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    options
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|e| CliError::write(path, e))
}
