//! # avm: the command-line front end of the Alu VM
//!
//! - [`cli`]: the command line (clap), with the help texts;
//! - [`commands`]: one module per subcommand;
//! - [`load`]: reading sources and libraries, resolving imports;
//! - [`assign`]: parsing `--set REG=VALUE`;
//! - [`value`]: printing register values;
//! - [`trace`]: `run --trace`;
//! - [`signatures`]: key and signature files;
//! - [`error`]: failures and their exit codes.

#![forbid(unsafe_code)]

mod assign;
mod cli;
mod commands;
mod error;
mod load;
mod signatures;
mod trace;
mod value;

use clap::Parser;
use error::CliError;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = commands::dispatch(cli.command, &mut out);
    let flushed = out.flush();
    let code = match (result, flushed) {
        (Ok(code), Ok(())) => code,
        (Err(e), _) => report(&e),
        (Ok(_), Err(e)) => report(&CliError::write("<stdout>", e)),
    };
    ExitCode::from(code)
}

/// Prints the failure on stderr (nothing for a closed pipe) and gives its exit code.
fn report(e: &CliError) -> u8 {
    let quiet =
        matches!(e, CliError::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe);
    if !quiet {
        let text = e.to_string();
        let mut err = std::io::stderr().lock();
        if text.starts_with("error:") {
            let _ = write!(err, "{text}");
            if !text.ends_with('\n') {
                let _ = writeln!(err);
            }
        } else {
            let _ = writeln!(err, "error: {text}");
        }
    }
    e.exit_code()
}
