//! `avm inspect`: what a library file holds.

use super::stdout_err;
use crate::cli::InspectArgs;
use crate::error::{code, CliError};
use crate::load;
use serde_json::json;
use std::io::Write;

/// Why there is no signature to show.
const NO_SIGNATURE: &str = "libraries are not signed yet: the container has no signature field";

pub fn inspect(args: &InspectArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let lib = load::read_library(&args.file)?;
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
            "signature": null,
            "signature_note": NO_SIGNATURE,
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
        writeln!(w, "signature:  none ({NO_SIGNATURE})")?;
        Ok(())
    })()
    .map_err(stdout_err)?;
    Ok(code::OK)
}
