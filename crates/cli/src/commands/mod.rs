//! The subcommands, one module each. Each writes its report to `out` and returns the
//! exit code; failures come back as [`CliError`] values for `main` to print.

mod asm;
mod disasm;
mod eval;
mod inspect;
mod run;
mod rv32_test;

use crate::cli::{Command, Rv32Command};
use crate::error::CliError;
use std::io::Write;

/// Runs one subcommand.
pub fn dispatch(command: Command, out: &mut dyn Write) -> Result<u8, CliError> {
    match command {
        Command::Asm(args) => asm::asm(&args, out),
        Command::Disasm(args) => disasm::disasm(&args, out),
        Command::Inspect(args) => inspect::inspect(&args, out),
        Command::Run(args) => run::run(&args, out),
        Command::Eval(args) => eval::eval(&args, out),
        Command::Rv32(Rv32Command::Test(args)) => rv32_test::test(&args, out),
    }
}

/// Maps a write error on stdout to a [`CliError`].
pub fn stdout_err(e: std::io::Error) -> CliError {
    CliError::write("<stdout>", e)
}
