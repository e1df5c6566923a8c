//! `avm rv32 new`: a contract project that builds and tests itself out of the box,
//! written from the templates `contracts-rs/template` (Rust) and `contracts/template`
//! (C), which are embedded in the binary so an installed `avm` works anywhere.

use super::stdout_err;
use crate::error::{CliError, SEE_EXIT_STATUS};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The long help of `avm rv32 new`.
pub const LONG_ABOUT: &str = "\
Create a contract project in the new directory NAME: a counter anyone can add
to, with a Makefile whose `make` builds NAME.elf and whose `make test` deploys
it into a scratch state, calls and views it with `avm` (on the PATH, or
AVM=path/to/avm). The last component of NAME names the contract: for Rust a
cargo package name (letters, digits, `_`, `-`), for C an identifier; neither
a keyword. An existing NAME is refused (exit 2).

Rust (the default): Cargo.toml, src/main.rs and the Makefile; the project
uses the SDK (contracts-rs/sdk) and cargo-rv32 of an avm clone, by default the
one this avm was built from (--avm DIR names another). Needs the toolchain of
`make -C contracts-rs setup`.

C: NAME.c, the Makefile, and the runtime include/avm.h and link.ld copied
from the avm this binary was built from, so the project needs no clone. Needs
riscv64-unknown-elf-gcc (`make -C contracts setup`).

Walkthrough: docs/contracts.md.";

/// The examples under the long help of `avm rv32 new`.
pub fn after_long_help() -> String {
    format!(
        "Examples:
  avm rv32 new token && make -C token test            a Rust contract
  avm rv32 new counter --lang c && make -C counter test

{SEE_EXIT_STATUS}"
    )
}

/// `avm rv32 new`.
#[derive(Args, Debug)]
pub struct NewArgs {
    /// The directory to create; its last component is the contract's name.
    #[arg(value_name = "NAME")]
    pub path: PathBuf,
    /// The contract's language.
    #[arg(long, value_enum, default_value_t = Lang::Rust)]
    pub lang: Lang,
    /// The avm clone whose SDK and cargo-rv32 a Rust project uses [default: the clone
    /// this avm was built from].
    #[arg(long, value_name = "DIR")]
    pub avm: Option<PathBuf>,
}

/// The language of a new contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// Rust with the avm-sdk crate.
    Rust,
    /// C with the header-only runtime avm.h.
    C,
}

/// One file of a project: its path (where `{{name}}` is the contract's name), its
/// text, and whether `{{name}}` and `{{avm}}` in the text are to be filled (not in
/// a file copied as it is, such as avm.h, whose `{{0}}` is C).
type File = (&'static str, &'static str, bool);

/// `contracts-rs/template`.
const RUST: &[File] = &[
    (
        "Cargo.toml",
        include_str!("../../../../contracts-rs/template/Cargo.toml"),
        true,
    ),
    (
        "src/main.rs",
        include_str!("../../../../contracts-rs/template/src/main.rs"),
        true,
    ),
    (
        "Makefile",
        include_str!("../../../../contracts-rs/template/Makefile"),
        true,
    ),
];

/// `contracts/template`, with the C runtime and link script as they are.
const C: &[File] = &[
    (
        "{{name}}.c",
        include_str!("../../../../contracts/template/contract.c"),
        true,
    ),
    (
        "Makefile",
        include_str!("../../../../contracts/template/Makefile"),
        true,
    ),
    (
        "include/avm.h",
        include_str!("../../../../contracts/include/avm.h"),
        false,
    ),
    (
        "link.ld",
        include_str!("../../../../contracts/link.ld"),
        false,
    ),
];

/// The longest contract name accepted.
const MAX_NAME: usize = 64;

/// Words a Rust package cannot be named: the keywords, and the crates a
/// contract build already has (or that cargo refuses as a target name).
const RUST_RESERVED: &[&str] = &[
    "as",
    "async",
    "await",
    "break",
    "const",
    "continue",
    "crate",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "self",
    "Self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "abstract",
    "become",
    "box",
    "do",
    "final",
    "macro",
    "override",
    "priv",
    "try",
    "typeof",
    "unsized",
    "virtual",
    "yield",
    "core",
    "std",
    "alloc",
    "test",
    "proc_macro",
    "proc-macro",
    "compiler_builtins",
    "avm_sdk",
    "avm-sdk",
    "build",
    "deps",
    "examples",
    "incremental",
];

/// The C keywords (C17 and the C23 additions).
const C_KEYWORDS: &[&str] = &[
    "auto",
    "break",
    "case",
    "char",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extern",
    "float",
    "for",
    "goto",
    "if",
    "inline",
    "int",
    "long",
    "register",
    "restrict",
    "return",
    "short",
    "signed",
    "sizeof",
    "static",
    "struct",
    "switch",
    "typedef",
    "union",
    "unsigned",
    "void",
    "volatile",
    "while",
    "alignas",
    "alignof",
    "bool",
    "constexpr",
    "false",
    "nullptr",
    "static_assert",
    "thread_local",
    "true",
    "typeof",
    "typeof_unqual",
];

/// Writes the project and prints what it made and how to test it.
pub fn new(args: &NewArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let name = args
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| {
            CliError::Usage(format!(
                "{}: not a contract name (the last component of NAME names the contract)",
                args.path.display()
            ))
        })?;
    check_name(name, args.lang).map_err(|why| CliError::Usage(format!("`{name}`: {why}")))?;
    let (template, avm) = match args.lang {
        Lang::Rust => (RUST, clone(args.avm.as_deref())?),
        Lang::C if args.avm.is_some() => {
            return Err(CliError::Usage(
                "--avm is for --lang rust: a C project carries its runtime".into(),
            ))
        }
        Lang::C => (C, String::new()),
    };
    make_dir(&args.path)?;
    for &(path, text, fill) in template {
        let path = args.path.join(path.replace("{{name}}", name));
        let text = if fill {
            text.replace("{{name}}", name).replace("{{avm}}", &avm)
        } else {
            text.to_owned()
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| CliError::write(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| CliError::write(&path, e))?;
        writeln!(out, "created {}", path.display()).map_err(stdout_err)?;
    }
    writeln!(out, "next: make -C {} test", args.path.display()).map_err(stdout_err)?;
    Ok(crate::error::code::OK)
}

/// Why `name` cannot name a contract in `lang`, if it cannot.
fn check_name(name: &str, lang: Lang) -> Result<(), String> {
    let (what, dash, reserved) = match lang {
        Lang::Rust => ("a cargo package name", true, RUST_RESERVED),
        Lang::C => ("a C identifier", false, C_KEYWORDS),
    };
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || (dash && c == '-'));
    if !first_ok || !rest_ok || name == "_" {
        let allowed = if dash {
            "letters, digits, `_` and `-`"
        } else {
            "letters, digits and `_`"
        };
        return Err(format!(
            "not {what}: {allowed}, starting with a letter or `_`"
        ));
    }
    if name.len() > MAX_NAME {
        return Err(format!("longer than {MAX_NAME} characters"));
    }
    if reserved.contains(&name) {
        return Err(format!("reserved, cannot be {what}"));
    }
    Ok(())
}

/// The absolute path of the avm clone a Rust project builds with: `dir`, or the
/// clone this binary was built from; it must hold the SDK and `cargo-rv32`, and
/// be a path a Makefile and Cargo.toml can hold as they are.
fn clone(dir: Option<&Path>) -> Result<String, CliError> {
    let given = dir.is_some();
    let dir = dir.map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."),
        Path::to_path_buf,
    );
    let not_a_clone = |why: &str| {
        let hint = if given {
            "--avm names the top directory of a clone of avm"
        } else {
            "this avm was built from a clone that has moved: pass --avm DIR, a clone of avm"
        };
        CliError::Usage(format!("{}: {why}; {hint}", dir.display()))
    };
    let dir = dir
        .canonicalize()
        .map_err(|e| not_a_clone(&e.to_string()))?;
    for part in ["contracts-rs/sdk/Cargo.toml", "contracts-rs/cargo-rv32"] {
        if !dir.join(part).is_file() {
            return Err(not_a_clone(&format!("no {part}")));
        }
    }
    match dir.to_str() {
        Some(s) if !s.contains(|c: char| c.is_whitespace() || "\"'\\$#%:;".contains(c)) => {
            Ok(s.to_owned())
        }
        _ => Err(not_a_clone(
            "a path with characters a Makefile or Cargo.toml cannot hold as they are (spaces, quotes, `$`, `#`, ...); link it from a plain path",
        )),
    }
}

/// Creates the project's directory, which must not exist yet (its parents may not either).
fn make_dir(dir: &Path) -> Result<(), CliError> {
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| CliError::write(parent, e))?;
    }
    std::fs::create_dir(dir).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => CliError::Usage(format!(
            "{}: already exists; name a new directory",
            dir.display()
        )),
        _ => CliError::write(dir, e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_identifiers_and_not_keywords() {
        for ok in ["token", "my_token", "_x", "T2", &"a".repeat(MAX_NAME)] {
            assert_eq!(check_name(ok, Lang::Rust), Ok(()), "{ok}");
            assert_eq!(check_name(ok, Lang::C), Ok(()), "{ok}");
        }
        assert_eq!(check_name("my-token", Lang::Rust), Ok(()));
        assert!(check_name("my-token", Lang::C).is_err());
        for bad in [
            "",
            "_",
            "2x",
            "-x",
            "a b",
            "a.b",
            "é",
            &"a".repeat(MAX_NAME + 1),
        ] {
            assert!(check_name(bad, Lang::Rust).is_err(), "{bad}");
            assert!(check_name(bad, Lang::C).is_err(), "{bad}");
        }
        for rust_only in ["fn", "core", "test", "avm_sdk", "deps"] {
            assert!(check_name(rust_only, Lang::Rust).is_err(), "{rust_only}");
            assert_eq!(check_name(rust_only, Lang::C), Ok(()), "{rust_only}");
        }
        assert!(check_name("int", Lang::C).is_err());
        assert_eq!(check_name("int", Lang::Rust), Ok(()));
    }

    #[test]
    fn every_placeholder_is_one_that_new_fills() {
        for (path, text, _) in RUST.iter().chain(C).filter(|f| f.2) {
            let open = text.replace("{{name}}", "").replace("{{avm}}", "");
            assert!(!open.contains("{{"), "{path} has another placeholder");
        }
        assert!(C.iter().all(|(_, text, _)| !text.contains("{{avm}}")));
    }
}
