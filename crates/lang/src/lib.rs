//! Alma: an S-expression language compiled to Alu libraries.
//!
//! The pipeline, one module per stage:
//! - [`reader`]: text to S-expressions with spans (bounded, every error at once);
//! - [`check`]: S-expressions to a typed [`ast::Program`] (types inferred, names resolved);
//! - [`fold`]: constant folding with the run-time semantics;
//! - [`handles`]: the handles of the intent variables a `post` names;
//! - [`codegen`] and [`emit`]: typed expressions to an instruction stream over frame registers;
//! - [`inline`]: which calls are expanded in place;
//! - [`frame`]: where each function's registers go;
//! - [`format`](mod@format): the canonical layout, for `avm fmt`;
//! - [`program`]: the entry stub and the lowering, through the assembler's syntax
//!   tree, to a [`Library`](avm_alu::Library) and a function value;
//! - [`session`]: definitions kept across entries and expressions run, for `avm repl`.
//!
//! The language is described in `docs/language.md`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod ast;
pub mod check;
pub mod codegen;
pub mod emit;
pub mod fold;
pub mod format;
pub mod frame;
pub mod handles;
pub mod inline;
pub mod program;
pub mod reader;
pub mod session;
pub mod types;

pub use avm_asm::{render_all, Diagnostic, Span};
pub use program::{Compiled, SourceMap};
pub use types::{IntType, Type};

/// The file extension of Alma source files.
pub const EXTENSION: &str = "alma";

/// Compiles the Alma source `source` of the file named `file` (the name only
/// appears in diagnostics) into a library and its function value.
///
/// Reports every error it finds, sorted by position. No input makes it panic,
/// and the work is bounded by the source size limit ([`reader::MAX_SOURCE`]).
///
/// ```
/// let src = "(define (main (n u64)) (* n 2))";
/// let compiled = avm_lang::compile("double.alma", src).unwrap();
/// assert_eq!(compiled.library.entries[0].0, "main");
/// ```
pub fn compile(file: &str, source: &str) -> Result<Compiled, Vec<Diagnostic>> {
    let diag = |message: String, span: Span| Diagnostic {
        message,
        span,
        label: None,
        file: file.to_owned(),
    };
    let read = reader::read(source).map_err(|errs| {
        errs.into_iter()
            .map(|e| diag(e.message, e.span))
            .collect::<Vec<_>>()
    })?;
    let program = check::check(&read.forms).map_err(|errs| {
        errs.into_iter()
            .map(|e| diag(e.message, e.span))
            .collect::<Vec<_>>()
    })?;
    program::build(&program).map_err(|(message, span)| vec![diag(message, span)])
}
