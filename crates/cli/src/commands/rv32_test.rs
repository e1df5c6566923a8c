//! `avm rv32 test`: runs a binary built for the riscv-tests environment.

use super::stdout_err;
use crate::cli::Rv32TestArgs;
use crate::error::{code, CliError};
use avm_rv32::riscv_tests::{self, Outcome, RiscvTestError};
use std::io::Write;

pub fn test(args: &Rv32TestArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let bytes = std::fs::read(&args.file).map_err(|e| CliError::read(&args.file, e))?;
    let name = args.file.display();
    let (line, exit) = match riscv_tests::run(&bytes, args.gas) {
        Ok(report) => match report.outcome {
            Outcome::Pass => (format!("PASS {name} (gas {})", report.gas_used), code::OK),
            Outcome::Fail { test } => (
                format!("FAIL {name}: test {test} failed (gas {})", report.gas_used),
                code::RUN_FALSE,
            ),
        },
        Err(RiscvTestError::Elf(e)) => return Err(bad_elf(args, &e)),
        Err(RiscvTestError::Split(e)) => return Err(bad_elf(args, &e)),
        // As `rv32 run` reports it: the file loads, the machine cannot hold it.
        Err(RiscvTestError::Layout(e)) => return Err(CliError::Rv32(format!("{name}: {e}"))),
        Err(e) => (format!("FAIL {name}: {e}"), code::RUN_FALSE),
    };
    writeln!(out, "{line}").map_err(stdout_err)?;
    Ok(exit)
}

/// A file the runner cannot load: malformed input (exit 4).
fn bad_elf(args: &Rv32TestArgs, reason: &dyn std::fmt::Display) -> CliError {
    CliError::BadElf {
        path: args.file.clone(),
        reason: reason.to_string(),
    }
}
