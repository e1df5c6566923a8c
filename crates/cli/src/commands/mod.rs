//! The subcommands, one module each. Each writes its report to `out` and returns the
//! exit code; failures come back as [`CliError`] values for `main` to print.

mod asm;
mod disasm;
mod eval;
mod inspect;
mod key;
pub mod objects;
mod run;
pub mod rv32;
mod rv32_test;
mod sign;
mod verify;

use crate::cli::{Command, KeyCommand};
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
        Command::Rv32(args) => rv32::rv32(&args, out),
        Command::Obj(args) => objects::obj(&args, out),
        Command::Tx(args) => objects::tx(&args, out),
        Command::Trace(args) => objects::trace(&args, out),
        Command::Key(KeyCommand::New(args)) => key::key_new(&args, out),
        Command::Sign(args) => sign::sign(&args, out),
        Command::Verify(args) => verify::verify(&args, out),
    }
}

/// Maps a write error on stdout to a [`CliError`].
pub fn stdout_err(e: std::io::Error) -> CliError {
    CliError::write("<stdout>", e)
}
