//! What can go wrong in a command, and the exit code each kind of failure maps to.
//!
//! The exit codes are part of the command's interface (scripts branch on them), so they
//! are listed once here, in [`EXIT_STATUS`], from which the `--help` text and the table in
//! `docs/cli.md` are generated (a test keeps the file so).

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
    /// `rv32`: an ELF that does not fit the machine's address space, a refused
    /// transaction or fund, or a store that is not an avm-rv32 state.
    pub const RV32: u8 = 9;
    /// `obj`, `tx`, `trace`, `rv32`: the store cannot be opened, read or written.
    pub const STORE: u8 = 10;
    /// `obj`, `tx`: the object runtime refused (no such object, a conflict, another
    /// controller's object, out of gas, ...); nothing of a failed `tx` is committed.
    pub const OBJECT: u8 = 11;
    /// A signature is missing, for another library, invalid, or by a key not trusted.
    pub const SIGNATURE: u8 = 12;
}

/// Every exit code with what it means: the one table from which `avm --help`
/// ([`exit_status_help`]) and the table in `docs/cli.md` are generated.
pub const EXIT_STATUS: [(u8, &str); 13] = [
    (code::OK, "success; for `run`: the program ended with st0 = true (so it stopped); for `eval`: the evaluation gave a result; for `rv32 run`: the program exited with code 0; for `rv32 call|deploy`: the transaction succeeded; for `rv32 test`: the test passed"),
    (code::RUN_FALSE, "`run`: the program ended with st0 = false: it failed, hit the gas, jump or call-depth limit, or stopped with st0 false; `eval`: no result; `rv32 run`: the program exited with a nonzero code or faulted (`--exit-code` passes the program's own code on instead); `rv32 call|deploy`: the transaction reverted, faulted or ran out of gas; `rv32 test`: a test case failed, the test faulted, or it gave no verdict within the gas; `solve`: no solution, or the time ran out; `prove`: the program does not accept the arguments within the gas (no proof is written); `verify-proof`: the proof does not verify (damaged, or for another program or public argument). The report is printed as usual."),
    (code::USAGE, "usage error: bad arguments, a bad `--set` assignment, an unknown `--entry` name or a bad offset, `asm` told to overwrite its source; for `eval`: a value that does not parse (with its offset), a `FUNCTION` that is not a function; for `rv32`: a bad `INPUT`, address or amount; for `rv32 new`: a `NAME` that exists or is not a valid contract name, an `--avm` that is not a clone of avm"),
    (code::ASSEMBLY, "the assembly source has errors; every error is shown rustc-style, with `file:line:col` and a caret under the fault"),
    (code::MALFORMED, "a library, signature or key file is malformed (bad magic, unknown version, truncated, an invalid or trailing field), including a `NAME.lib` found for an `.import`; for `eval`: an Alu function whose code is neither a library container nor a canonical bundle; for `rv32 run` and `rv32 test`: the file is not a loadable RV32 ELF (the loader's error names the field and offset)"),
    (code::MISSING_LIBRARY, "a library is missing: an `.import NAME` with no `NAME.lib` or `NAME.alu` on the search path, or a library imported by id that is not on it; for `eval`: an Alu function value whose code lacks a library it imports"),
    (code::UNSUPPORTED_ISA, "a library commits to an ISA extension this host does not provide (`run` and `eval` provide the core set, `ALU`, and the built-in extensions `FLOAT`, `DIGEST`, `CURVE`, `FGL64` and `F25519`; the object commands add `OBJ`)"),
    (code::IO, "a file cannot be read or written (including stdout)"),
    (code::REFUSED, "`eval`: no VM with the function's number is registered in this build; `intent`: a program that is not an intent (the extraction's error), an intent already in the pool, an unknown id; `prove`, `verify-proof`: the program is outside the provable subset (the error names the instruction and its offset)"),
    (code::RV32, "`rv32 run|test`: the ELF loads but does not fit the machine's address space (a segment, or the heap after the segments, over the stack below 0xc0000000); `rv32 deploy|call|view|fund`: a refused transaction (bad nonce, code that does not load), a fund past the largest balance, a store that is not an avm-rv32 state (another format, a damaged entry)"),
    (code::STORE, "`obj`, `tx`, `trace`, `intent`, `solve`, `rv32 deploy|call|view|fund|account|contracts`: the store cannot be opened, read or written: not an avm store (garbage, empty, another program's database, damaged), another format version, open in another process, or a damaged entry"),
    (code::OBJECT, "`solve --commit`, `intent fund`: the transaction was refused (as below), or spans controllers; `obj`, `tx`: the object runtime refused: no such object, a conflict, an object of another controller in the transaction, destroying an object without a controller, out of gas (naming the object and depth), a behaviour that gave no result; a failed `tx` commits nothing"),
    (code::SIGNATURE, "`verify`: the signature is missing, signs another library, does not verify, or is not by `--key`; `run --trusted-key`: a library of the program is unsigned, wrongly signed, or signed only by keys not trusted"),
];

/// The exit codes as `avm --help` shows them: one paragraph per code,
/// wrapped to 80 columns.
pub fn exit_status_help() -> String {
    let mut text = String::from("Exit status:");
    for (code, meaning) in EXIT_STATUS {
        let mut line = format!("\n  {code:<3}");
        for word in meaning.split(' ') {
            if line.len() + 1 + word.len() > 80 {
                text += &line;
                line = format!("\n     {word}");
            } else {
                if !line.ends_with(' ') {
                    line.push(' ');
                }
                line += word;
            }
        }
        text += &line;
    }
    text
}

/// The line under every subcommand's help that points to the table.
pub const SEE_EXIT_STATUS: &str =
    "Exit status: 0 success, 1 a run or transaction that ended badly, 2 usage;\n\
every code: `avm --help` or docs/cli.md.";

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
    /// A key or signature file that is not one (the reason says which it should be).
    #[error("{}: {reason}", path.display())]
    BadKeyFile {
        /// The file.
        path: PathBuf,
        /// What it should be and what is wrong with it.
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
            CliError::Malformed { .. } | CliError::BadKeyFile { .. } | CliError::BadElf { .. } => {
                code::MALFORMED
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The exit codes as the Markdown table of `docs/cli.md`.
    pub fn exit_status_markdown() -> String {
        let mut md = String::from("| code | meaning |\n| --- | --- |\n");
        for (code, meaning) in EXIT_STATUS {
            md += &format!("| {code} | {} |\n", meaning.replace('|', "\\|"));
        }
        md
    }

    /// `docs/cli.md`'s exit-status table is generated from [`EXIT_STATUS`]; run with
    /// `UPDATE_DOCS=1` to rewrite it after changing the table.
    #[test]
    fn docs_cli_md_exit_status_is_generated_from_the_table() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/cli.md");
        let doc = std::fs::read_to_string(&path).expect("read docs/cli.md");
        let start = doc
            .find("| code | meaning |")
            .expect("the exit-status table");
        let end = start + doc[start..].find("\n\n").expect("the end of the table") + 1;
        let want = exit_status_markdown();
        if std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1") {
            let updated = format!("{}{want}{}", &doc[..start], &doc[end..]);
            std::fs::write(&path, updated).expect("write docs/cli.md");
            return;
        }
        assert!(
            doc[start..end] == want,
            "docs/cli.md's exit status is out of date: run `UPDATE_DOCS=1 cargo test -p avm exit_status`"
        );
    }

    #[test]
    fn every_code_is_listed_once_in_order_and_help_lines_fit() {
        let codes: Vec<u8> = EXIT_STATUS.iter().map(|(c, _)| *c).collect();
        assert_eq!(codes, (0..13).collect::<Vec<u8>>());
        let help = exit_status_help();
        assert!(help.lines().all(|l| l.len() <= 80), "{help}");
        assert!(
            help.contains("\n  12 `verify`: the signature is missing"),
            "{help}"
        );
    }
}
