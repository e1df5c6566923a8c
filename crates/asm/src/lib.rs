//! The Alu assembler and disassembler: source text to libraries and back.
//!
//! - Syntax: [`parse`] reads a whole file, line by line, and either returns its [`Module`]
//!   or every [`Diagnostic`] it found (one per bad line at most, plus duplicate names). The
//!   `Display` impls, [`print_int`], [`print_bytes`] and [`print_hex`] go the other way.
//! - Lowering: [`assemble`] turns source into a [`Library`](avm_alu::Library), finding
//!   imports through a [`LibResolver`] ([`NoLibs`], [`DirResolver`]).
//! - Disassembly: [`disassemble`] prints any library as source that assembles back to it
//!   byte for byte.
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
mod reg;
mod span;

pub use ast::{
    DataValue, Directive, Instruction, Item, ItemKind, Module, Operand, OperandKind, Site,
    SiteTarget,
};
pub use diagnostic::{render_all, Diagnostic};
pub use disasm::{disassemble, disassemble_with, ImportNames};
pub use literal::{FloatLit, IntLit, MAX_INT_BITS};
pub use lower::{
    assemble, assemble_with, float_bytes, libraries_in, lower_module, Assembled, DirResolver,
    LibResolver, NoLibs, MAX_IMPORT_DEPTH,
};
pub use print::{print_bytes, print_hex, print_int};
pub use reg::{FloatFormat, Reg, A_WIDTHS, REGS_PER_FAMILY, R_WIDTHS, S_REGS};
pub use span::{Name, Span, Spanned};

use diagnostic::LineIndex;

/// Parses the assembly source `source` of the file named `file` (the name only appears in
/// diagnostics).
///
/// Work is linear in the length of `source`, and no input makes it panic. After an error
/// the rest of the line is skipped and parsing goes on with the next one, so all bad lines
/// are reported at once, in source order.
pub fn parse(file: &str, source: &str) -> Result<Module, Vec<Diagnostic>> {
    let mut module = Module::default();
    let mut errors = Vec::new();
    let mut base = 0;
    for line in source.split('\n') {
        let parsed = lexer::lex_line(line, base).and_then(|tokens| {
            let line_end = tokens.last().map_or(base, |t| t.span.end);
            parser::parse_line(&tokens, line_end, &mut module.items)
        });
        if let Err((err, span)) = parsed {
            errors.push((err, span, None));
        }
        base += line.len() + 1;
    }
    let index = LineIndex::new(source);
    errors.extend(check::duplicates(&module, &index));
    if errors.is_empty() {
        return Ok(module);
    }
    errors.sort_by_key(|(_, span, _)| span.start);
    Err(errors
        .into_iter()
        .map(|(err, span, label)| Diagnostic {
            message: err.to_string(),
            span,
            label,
            file: file.to_owned(),
        })
        .collect())
}
