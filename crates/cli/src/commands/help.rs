//! `avm help [COMMAND...]`: the help of avm or of a subcommand.
//!
//! clap's built-in `help` subcommand rejects `avm help --help`; this one is an
//! ordinary subcommand, so it has its own help like any other.

use super::stdout_err;
use crate::cli::{Cli, HelpArgs};
use crate::error::{code, CliError};
use clap::CommandFactory;
use std::io::Write;

/// Prints the help of the subcommand named by `args.command` (avm's own when
/// empty): the short form for avm itself, the long form for a subcommand.
pub fn help(args: &HelpArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let mut command = Cli::command();
    command.build();
    let mut current = &mut command;
    let mut path = String::from("avm");
    for name in &args.command {
        let names: Vec<String> = current
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        current = current.find_subcommand_mut(name).ok_or_else(|| {
            CliError::Usage(format!(
                "`{path}` has no subcommand `{name}`; it has: {}",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            ))
        })?;
        path = format!("{path} {name}");
    }
    let text = if args.command.is_empty() {
        current.render_help()
    } else {
        current.render_long_help()
    }
    .to_string();
    // As `--help` prints it: ending in exactly one newline.
    writeln!(out, "{}", text.trim_end_matches('\n')).map_err(stdout_err)?;
    Ok(code::OK)
}
