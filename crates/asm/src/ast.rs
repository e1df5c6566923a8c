//! The checked syntax tree of one assembly source file.

use crate::literal::{FloatLit, IntLit};
use crate::reg::Reg;
use crate::span::{Name, Span, Spanned};

/// One parsed source file: its statements in source order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Module {
    /// Labels, directives and instructions; a label followed by an instruction on the same
    /// line gives two items.
    pub items: Vec<Item>,
}

/// One statement with the span it covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// What the statement is.
    pub kind: ItemKind,
    /// From its first to its last token (a label's span includes the `:`).
    pub span: Span,
}

/// The kinds of statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// `name:` defines a label at the next instruction.
    Label(Name),
    /// A directive such as `.entry main`.
    Directive(Directive),
    /// An instruction such as `add.uc a64[2], a64[0], a64[1]`.
    Instruction(Instruction),
}

/// An instruction as written; the syntax layer does not know the instruction set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// The lowercase mnemonic, e.g. `add`.
    pub mnemonic: Name,
    /// The flags after dots, e.g. `uc` in `add.uc` (at most two).
    pub flags: Vec<Name>,
    /// The operands, destination first.
    pub operands: Vec<Operand>,
}

/// An instruction operand with its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operand {
    /// What the operand is.
    pub kind: OperandKind,
    /// Where it was written (for a site, from target to library name).
    pub span: Span,
}

/// The kinds of operand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OperandKind {
    /// A register, e.g. `a64[0]` or `st0`.
    Reg(Reg),
    /// An integer literal, e.g. `-5` or `0xff`.
    Int(IntLit),
    /// A float literal, e.g. `1.5` or `-inf`.
    Float(FloatLit),
    /// A byte-string literal, `"text"` or `x"de ad"`.
    Bytes(Vec<u8>),
    /// A label, data, constant or other name.
    Ident(String),
    /// An external call site `target @ lib`.
    Site(Site),
    /// A raw data-segment reference: `data[OFF]` or `data[START..END]`.
    DataRef {
        /// The first byte's offset.
        start: IntLit,
        /// One past the last byte, for a range.
        end: Option<IntLit>,
    },
}

/// An external site `target @ lib`: a position in an imported library.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// The label name or offset inside the library.
    pub target: Spanned<SiteTarget>,
    /// The name the library was imported under.
    pub lib: Name,
}

/// What a [`Site`] or an entry point points at: a label name or a code offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SiteTarget {
    /// An exported label, by name.
    Ident(String),
    /// An offset.
    Int(IntLit),
}

/// An assembler directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Directive {
    /// `.isa ID ...`: the ISA extensions the code uses.
    Isa(Vec<Name>),
    /// `.import NAME [alu1...]`: a library, found on the search path or by its id.
    Import {
        /// The name sites refer to the library by.
        name: Name,
        /// The library id text as written (checked later), if given.
        lib_id: Option<Name>,
    },
    /// `.entry NAME [TARGET]`: exports a code offset as an entry point.
    Entry {
        /// The exported name.
        name: Name,
        /// Where it points (a label or an offset); the label `NAME` if absent.
        target: Option<Spanned<SiteTarget>>,
    },
    /// `.bytes x"..."`: raw code bytes, emitted verbatim.
    Bytes(Spanned<Vec<u8>>),
    /// `.data NAME value`: a named data constant.
    Data {
        /// The constant's name.
        name: Name,
        /// Its value.
        value: Spanned<DataValue>,
    },
    /// `.const NAME 1234`: a named integer usable wherever an integer operand is.
    Const {
        /// The constant's name.
        name: Name,
        /// Its value.
        value: Spanned<IntLit>,
    },
}

/// The value of a `.data` directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataValue {
    /// A byte string, `"..."` or `x"..."`.
    Bytes(Vec<u8>),
    /// An integer.
    Int(IntLit),
}

impl Module {
    /// Sets every span to `0..0`, so that two modules compare equal when only their
    /// positions differ (e.g. a module and the parse of its printout).
    pub fn clear_spans(&mut self) {
        for item in &mut self.items {
            item.clear_spans();
        }
    }
}

impl Item {
    /// Sets every span in the item to `0..0`; see [`Module::clear_spans`].
    pub fn clear_spans(&mut self) {
        let none = Span::default();
        self.span = none;
        match &mut self.kind {
            ItemKind::Label(name) => name.span = none,
            ItemKind::Instruction(instr) => {
                instr.mnemonic.span = none;
                instr.flags.iter_mut().for_each(|f| f.span = none);
                for operand in &mut instr.operands {
                    operand.span = none;
                    if let OperandKind::Site(site) = &mut operand.kind {
                        site.target.span = none;
                        site.lib.span = none;
                    }
                }
            }
            ItemKind::Directive(directive) => match directive {
                Directive::Isa(ids) => ids.iter_mut().for_each(|id| id.span = none),
                Directive::Import { name, lib_id } => {
                    name.span = none;
                    if let Some(id) = lib_id {
                        id.span = none;
                    }
                }
                Directive::Entry { name, target } => {
                    name.span = none;
                    if let Some(target) = target {
                        target.span = none;
                    }
                }
                Directive::Bytes(bytes) => bytes.span = none,
                Directive::Data { name, value } => {
                    name.span = none;
                    value.span = none;
                }
                Directive::Const { name, value } => {
                    name.span = none;
                    value.span = none;
                }
            },
        }
    }
}
