//! The subcommands, one module each. Each writes its report to `out` and returns the
//! exit code; failures come back as [`CliError`] values for `main` to print.

mod asm;
mod disasm;
mod eval;
mod help;
mod inspect;
pub mod intent;
mod key;
pub mod lang;
pub mod node;
pub mod objects;
pub mod prove;
mod repl;
mod run;
pub mod rv32;
mod rv32_new;
mod rv32_test;
mod rv32_values;
mod sign;
mod verify;

use crate::cli::{Command, KeyCommand};
use crate::error::CliError;
use avm_store::{RedbStore, StoreError};
use std::io::Write;
use std::path::Path;
use std::sync::Once;

/// Runs one subcommand.
pub fn dispatch(command: Command, out: &mut dyn Write) -> Result<u8, CliError> {
    match command {
        Command::Asm(args) => asm::asm(&args, out),
        Command::Build(args) => lang::build(&args, out),
        Command::Fmt(args) => lang::fmt(&args, out),
        Command::Repl(args) => repl::repl(&args, out),
        Command::Disasm(args) => disasm::disasm(&args, out),
        Command::Inspect(args) => inspect::inspect(&args, out),
        Command::Run(args) => run::run(&args, out),
        Command::Eval(args) => eval::eval(&args, out),
        Command::Rv32(args) => rv32::rv32(&args, out),
        Command::Obj(args) => objects::obj(&args, out),
        Command::Tx(args) => objects::tx(&args, out),
        Command::Trace(args) => objects::trace(&args, out),
        Command::Node(args) => node::node(&args),
        Command::Cluster(args) => node::cluster(&args, out),
        Command::Intent(args) => intent::intent(&args, out),
        Command::Solve(args) => intent::solve(&args, out),
        Command::Key(KeyCommand::New(args)) => key::key_new(&args, out),
        Command::Sign(args) => sign::sign(&args, out),
        Command::Verify(args) => verify::verify(&args, out),
        Command::Help(args) => help::help(&args, out),
        Command::Prove(args) => prove::prove(&args, out),
        Command::VerifyProof(args) => prove::verify_proof(&args, out),
    }
}

/// Maps a write error on stdout to a [`CliError`].
pub fn stdout_err(e: std::io::Error) -> CliError {
    CliError::write("<stdout>", e)
}

/// A store failure as the command line reports it (exit 10).
pub fn store_error(e: StoreError) -> CliError {
    CliError::Store(e.to_string())
}

/// Opens the store of kind `kind` in `dir` (the objects' store, or an RV32 state directory);
/// a store of another kind is refused (exit 10).
///
/// redb checks some header fields of a damaged file with `assert!`; avm-store catches such
/// a panic and returns `NotAStore`, but the default panic hook would first print the
/// assertion on stderr, where the command line promises only its own `error:` line. So
/// panics raised inside redb's own code are kept quiet; every other panic still prints.
pub fn open_store(dir: &Path, kind: &str) -> Result<RedbStore, CliError> {
    static QUIET_REDB: Once = Once::new();
    QUIET_REDB.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_redb = info.location().is_some_and(|l| l.file().contains("/redb-"));
            if !in_redb {
                default(info);
            }
        }));
    });
    RedbStore::open(dir, kind).map_err(store_error)
}

/// Where `asm` and `build` write the library of `source`: `output`, or the
/// source's path with the extension `.lib`; never over the source itself.
pub fn library_output(
    source: &std::path::Path,
    output: Option<&std::path::Path>,
) -> Result<std::path::PathBuf, CliError> {
    let output = output.map_or_else(|| source.with_extension("lib"), ToOwned::to_owned);
    if output == source {
        return Err(CliError::Usage(format!(
            "{}: the library would overwrite its source; name it with -o",
            source.display()
        )));
    }
    Ok(output)
}
