//! `avm inspect`: what a library file holds.

use super::stdout_err;
use crate::cli::InspectArgs;
use crate::error::{code, CliError};
use crate::{load, signatures};
use avm_alu::{LibSignature, Library};
use serde_json::json;
use std::io::Write;

/// The signature beside the library (`FILE.lib.sig`), if any, and whether it
/// is a valid signature of this library.
fn signature(args: &InspectArgs, lib: &Library) -> Result<Option<(LibSignature, bool)>, CliError> {
    let path = signatures::default_sig_path(&args.file);
    if !path.is_file() {
        return Ok(None);
    }
    let sig = signatures::read_signature(&path)?;
    let valid = sig.lib == lib.id() && sig.verify();
    Ok(Some((sig, valid)))
}

pub fn inspect(args: &InspectArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let lib = load::read_library(&args.file)?;
    let sig = signature(args, &lib)?;
    let sig_file = signatures::default_sig_path(&args.file);
    if args.json {
        let entries: serde_json::Map<String, serde_json::Value> = lib
            .entries
            .iter()
            .map(|(name, pos)| (name.clone(), json!(pos)))
            .collect();
        let doc = json!({
            "id": lib.id().to_string(),
            "isa": lib.isa,
            "imports": lib.libs.iter().map(|id| id.to_string()).collect::<Vec<_>>(),
            "entries": entries,
            "code_size": lib.code.len(),
            "data_size": lib.data.len(),
            "signature": sig.map(|(s, valid)| json!({
                "file": sig_file.display().to_string(),
                "key": s.key.to_string(),
                "valid": valid,
            })),
        });
        writeln!(out, "{doc:#}").map_err(stdout_err)?;
        return Ok(code::OK);
    }
    let w = &mut *out;
    (|| -> std::io::Result<()> {
        writeln!(w, "id:         {}", lib.id())?;
        if lib.isa.is_empty() {
            writeln!(w, "isa:        none (core instruction set only)")?;
        } else {
            writeln!(w, "isa:        {}", lib.isa.join(" "))?;
        }
        if lib.libs.is_empty() {
            writeln!(w, "imports:    none")?;
        } else {
            writeln!(w, "imports:    {}", lib.libs.len())?;
            for (i, id) in lib.libs.iter().enumerate() {
                writeln!(w, "  {i:>3}  {id}")?;
            }
        }
        if lib.entries.is_empty() {
            writeln!(w, "entries:    none")?;
        } else {
            writeln!(w, "entries:    {}", lib.entries.len())?;
            let width = lib.entries.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
            for (name, pos) in &lib.entries {
                writeln!(w, "  {name:<width$}  {pos:#06x}")?;
            }
        }
        writeln!(w, "code:       {} bytes", lib.code.len())?;
        writeln!(w, "data:       {} bytes", lib.data.len())?;
        match &sig {
            None => writeln!(w, "signature:  none (no {})", sig_file.display())?,
            Some((s, valid)) => writeln!(
                w,
                "signature:  {} by {} ({})",
                sig_file.display(),
                s.key,
                if *valid {
                    "valid"
                } else {
                    "NOT VALID for this library"
                }
            )?,
        }
        Ok(())
    })()
    .map_err(stdout_err)?;
    Ok(code::OK)
}
