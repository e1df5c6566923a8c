//! The Alu assembler and disassembler: source text to libraries and back.
//!
//! - Syntax: [`parse`] reads a whole file, line by line, and either returns its [`Module`]
//!   or every [`Diagnostic`] it found (one per bad line at most, plus duplicate names). The
//!   `Display` impls, [`print_int`], [`print_bytes`] and [`print_hex`] go the other way.
//! - Lowering: [`assemble`] turns source into a [`Library`](avm_alu::Library), finding
//!   imports through a [`LibResolver`] ([`NoLibs`], [`DirResolver`]).
//! - Disassembly: [`disassemble`] prints any library as source that assembles back to it
//!   byte for byte.
//! - Files: [`read_regular_file`] reads a source or library from disk with a size cap,
//!   refusing FIFOs and devices.
//!
//! The language is described in `docs/asm.md`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod ast;
mod check;
mod diagnostic;
mod disasm;
mod error;
mod lexer;
mod literal;
mod lower;
mod parser;
mod print;
mod read;
mod reg;
mod span;

pub use ast::{
    DataValue, Directive, Instruction, Item, ItemKind, Module, Operand, OperandKind, Site,
    SiteTarget,
};
pub use diagnostic::{
    excerpt, render_all, shorten, Diagnostic, MAX_DIAGNOSTICS, MAX_EXCERPT, MAX_MESSAGE,
};
pub use disasm::{disassemble, disassemble_with, ImportNames};
pub use literal::{FloatLit, IntLit, MAX_INT_BITS};
pub use lower::{
    assemble, assemble_with, float_bytes, libraries_in, lower_module, Assembled, DirResolver,
    LibResolver, NoLibs, MAX_IMPORT_DEPTH,
};
pub use print::{print_bytes, print_hex, print_int};
pub use read::{read_regular_file, MAX_LIBRARY_FILE};
pub use reg::{FloatFormat, Reg, A_WIDTHS, REGS_PER_FAMILY, R_WIDTHS, S_REGS};
pub use span::{Name, Span, Spanned};

use diagnostic::LineIndex;

/// The longest source [`parse`] (and so [`assemble`]) accepts, in bytes: 4 MiB, about four
/// times the disassembly of a library with both segments full, so that work and memory
/// stay bounded (the worst sources, millions of labels or tokens, take about 130 bytes of
/// memory per source byte while they are assembled).
pub const MAX_SOURCE: usize = 4 << 20;

/// Parses the assembly source `source` of the file named `file` (the name only appears in
/// diagnostics).
///
/// Work is linear in the length of `source`, and no input makes it panic; a source longer
/// than [`MAX_SOURCE`] is refused. After an error the rest of the line is skipped and
/// parsing goes on with the next one, so bad lines are reported at once, in source order:
/// the first [`MAX_DIAGNOSTICS`], then how many more there were.
pub fn parse(file: &str, source: &str) -> Result<Module, Vec<Diagnostic>> {
    let (module, errors, dropped) = parse_recovering(file, source)?;
    if errors.is_empty() {
        Ok(module)
    } else {
        Err(diagnostic::diagnostics(errors, dropped, file))
    }
}

/// An error of a line that did not parse: its message, span and optional note.
pub(crate) type LineError = (String, Span, Option<String>);

/// [`parse`], giving the module of the lines that parsed together with the
/// errors of those that did not (sorted by place; at most one past
/// [`MAX_DIAGNOSTICS`] kept, and how many more were dropped), so the
/// assembler can report what is wrong in the good lines too. Only a source
/// over [`MAX_SOURCE`] is refused outright.
pub(crate) fn parse_recovering(
    file: &str,
    source: &str,
) -> Result<(Module, Vec<LineError>, usize), Vec<Diagnostic>> {
    if source.len() > MAX_SOURCE {
        let message = format!(
            "the source is {} bytes, more than the {MAX_SOURCE} an assembly source may have",
            source.len()
        );
        return Err(vec![Diagnostic::new(message, Span::new(0, 0), None, file)]);
    }
    let mut module = Module::default();
    let mut errors = Vec::new();
    let mut dropped = 0;
    let mut base = 0;
    for line in source.split('\n') {
        let parsed = lexer::lex_line(line, base).and_then(|tokens| {
            let line_end = tokens.last().map_or(base, |t| t.span.end);
            parser::parse_line(&tokens, line_end, &mut module.items)
        });
        if let Err((err, span)) = parsed {
            // Keep one past the limit: it is where "more errors" points.
            if errors.len() <= MAX_DIAGNOSTICS {
                errors.push((err, span, None));
            } else {
                dropped += 1;
            }
        }
        base += line.len() + 1;
    }
    let index = LineIndex::new(source);
    errors.extend(check::duplicates(&module, &index));
    errors.sort_by_key(|(_, span, _)| span.start);
    let errors = errors
        .into_iter()
        .map(|(err, span, label)| (err.to_string(), span, label))
        .collect();
    Ok((module, errors, dropped))
}
