//! What can go wrong in a command, and the exit code each kind of failure maps to.
//!
//! The exit codes are part of the command's interface (scripts branch on them), so they
//! are listed once here, in [`EXIT_CODES`], which the `--help` text and `docs/cli.md` repeat.

use std::path::PathBuf;

/// The documented exit codes.
pub mod code {
    /// The run stopped with st0 = true, the evaluation gave a result; any other command
    /// succeeded.
    pub const OK: u8 = 0;
    /// The run ended with st0 = false: it failed, hit a limit, or stopped with st0 false;
    /// or the evaluation gave no result.
    pub const RUN_FALSE: u8 = 1;
    /// Bad command line (clap's own code, also used for a bad `--set` or `--entry`).
    pub const USAGE: u8 = 2;
    /// The assembly source has errors.
    pub const ASSEMBLY: u8 = 3;
    /// A library file is not a valid library, or an ELF file not a loadable RV32 ELF.
    pub const MALFORMED: u8 = 4;
    /// A library the program imports cannot be found.
    pub const MISSING_LIBRARY: u8 = 5;
    /// A library commits to an ISA extension this host does not provide.
    pub const UNSUPPORTED_ISA: u8 = 6;
    /// A file could not be read or written.
    pub const IO: u8 = 7;
    /// `eval`: the registry refused the evaluation (no VM with the function's number);
    /// `prove`, `verify-proof`: the program is outside the provable subset.
    pub const REFUSED: u8 = 8;
    /// `rv32`: an ELF that does not load, a refused transaction or fund, or a
    /// store that is not an avm-rv32 state.
    pub const RV32: u8 = 9;
    /// `obj`, `tx`, `trace`, `rv32`: the store cannot be opened, read or written.
    pub const STORE: u8 = 10;
    /// `obj`, `tx`: the object runtime refused (no such object, a conflict, another
    /// controller's object, out of gas, ...); nothing of a failed `tx` is committed.
    pub const OBJECT: u8 = 11;
    /// A signature is missing, for another library, invalid, or by a key not trusted.
    pub const SIGNATURE: u8 = 12;
}

/// The exit codes as shown by `avm --help`.
pub const EXIT_CODES: &str = "\
Exit status:
  0  success; for `run`: the program stopped with st0 = true; for `eval`: a result;
     for `rv32 test`: the test passed
  1  `run`: the program ended with st0 = false (it failed, hit the gas, jump or
     call-depth limit, or stopped with st0 false); `eval`: no result; `rv32 test`:
     a test case failed, the test faulted, or it gave no verdict within the gas;
     `prove`: the program does not accept the arguments; `verify-proof`: the
     proof does not verify
  2  usage error: bad arguments, a bad --set assignment, an unknown --entry, a
     value that does not parse (with the offset and a caret)
  3  the assembly source has errors (each shown with file:line:col and a caret)
  4  a library, signature or key file is malformed (bad magic, truncated,
     invalid field), or an ELF file is not a loadable RV32 executable
  5  a library the program imports cannot be found
  6  a library uses an ISA extension this host does not support
  7  a file cannot be read or written
  8  `eval`: no VM with the function's number in this build; `prove`,
     `verify-proof`: the program is outside the provable subset
  9  `rv32 deploy|call|fund`: a refused transaction (bad nonce, code that does
     not load), a fund past the largest balance, or a store that is not an
     avm-rv32 state (another format, a damaged entry)
  10 `obj`, `tx`, `trace`, `rv32 deploy|call|fund`: the store cannot be opened,
     read or written (not an avm store, damaged, another version, open in
     another process)
  11 `obj`, `tx`: the object runtime refused (no such object, a conflict, another
     controller's object, out of gas...); a failed `tx` commits nothing
  12 `verify`, `run --trusted-key`: a signature is missing, signs another
     library, does not verify, or is by a key not expected or trusted";

/// A failure of a command, carrying what the user needs to fix it.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A bad argument that clap could not check by itself.
    #[error("{0}")]
    Usage(String),
    /// Assembly diagnostics, already rendered with carets.
    #[error("{rendered}{}", cause.as_ref().map(|c| format!("error: {c}\n")).unwrap_or_default())]
    Assembly {
        /// Every diagnostic, rustc-style.
        rendered: String,
        /// How many errors there were.
        count: usize,
        /// A missing or malformed import behind the errors; it decides the exit code.
        cause: Option<Box<CliError>>,
    },
    /// A file that should hold a library does not.
    #[error("{}: malformed library: {reason}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A file that should hold an RV32 executable does not.
    #[error("{}: not a loadable RV32 ELF: {reason}", path.display())]
    BadElf {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A library that cannot be found.
    #[error("{0}")]
    MissingLibrary(String),
    /// An ISA extension the host does not provide.
    #[error("{0}")]
    UnsupportedIsa(String),
    /// The registry refused an evaluation (an unknown VM number).
    #[error("{0}")]
    Refused(String),
    /// An RV32 ELF, transaction or state directory problem.
    #[error("{0}")]
    Rv32(String),
    /// The object store failed.
    #[error("{0}")]
    Store(String),
    /// The object runtime refused.
    #[error("{0}")]
    Object(String),
    /// A signature is missing, wrong, or by a key not trusted.
    #[error("{0}")]
    Signature(String),
    /// Reading or writing a file failed.
    #[error("cannot {op} {}: {source}", path.display())]
    Io {
        /// `read` or `write`.
        op: &'static str,
        /// The file.
        path: PathBuf,
        /// The error from the OS.
        source: std::io::Error,
    },
}

impl CliError {
    /// The exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => code::USAGE,
            CliError::Assembly { cause: Some(c), .. } => c.exit_code(),
            CliError::Assembly { .. } => code::ASSEMBLY,
            CliError::Malformed { .. } | CliError::BadElf { .. } => code::MALFORMED,
            CliError::MissingLibrary(_) => code::MISSING_LIBRARY,
            CliError::UnsupportedIsa(_) => code::UNSUPPORTED_ISA,
            CliError::Io { .. } => code::IO,
            CliError::Refused(_) => code::REFUSED,
            CliError::Rv32(_) => code::RV32,
            CliError::Store(_) => code::STORE,
            CliError::Object(_) => code::OBJECT,
            CliError::Signature(_) => code::SIGNATURE,
        }
    }

    /// A failure to read `path`.
    pub fn read(path: impl Into<PathBuf>, source: std::io::Error) -> CliError {
        CliError::Io {
            op: "read",
            path: path.into(),
            source,
        }
    }

    /// A failure to write `path`.
    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> CliError {
        CliError::Io {
            op: "write",
            path: path.into(),
            source,
        }
    }
}
