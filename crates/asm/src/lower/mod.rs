//! Lowering: a parsed module to a [`Library`].
//!
//! Three walks over the module: the first collects names, constants, `.data` entries and
//! imports; the second lays out the code (every opcode row has a fixed length, so each
//! label's offset is known before any operand is resolved); the third encodes. Inline
//! literals are placed in the data segment the first time they are met (in the second
//! walk) and deduplicated by their bytes, so the third walk finds them where they are.
//! See `docs/asm.md` for the data layout rule.

mod error;
mod float;
mod instr;
mod operand;
mod resolve;
mod value;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use avm_alu::isa::{self, IsaExtension, OPCODES};
use avm_alu::library::{
    is_valid_entry_name, LibId, Library, MAX_ENTRIES, MAX_IMPORTS, MAX_ISA, MAX_SEGMENT,
};

pub use float::float_bytes;
pub use resolve::{libraries_in, DirResolver, LibResolver, NoLibs, MAX_IMPORT_DEPTH};

use crate::ast::{DataValue, Directive, ItemKind, Module, SiteTarget};
use crate::diagnostic::Diagnostic;
use crate::literal::IntLit;
use crate::span::{Span, Spanned};
use error::LowerError;

/// An assembled library with the offsets of its labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assembled {
    /// The library: code, data, imports, ISA ids and entry points.
    pub library: Library,
    /// Every label's code offset, by name.
    pub labels: BTreeMap<String, u16>,
}

/// Assembles the source `source` of the file named `file` into a library, finding
/// imports through `resolver`.
///
/// Reports every error it can find, sorted by position: every line that does
/// not parse, and every bad instruction or directive among the lines that do
/// (but not an undefined name while some line does not parse: its definition
/// may be on that line). No input makes it panic.
///
/// ```
/// use avm_asm::{assemble, NoLibs};
/// let src = ".entry main\nmain:\n    put a64[0], 42\n    stop\n";
/// let out = assemble("main.alu", src, &NoLibs).unwrap();
/// assert_eq!(out.library.data, 42u64.to_le_bytes());
/// assert_eq!(out.library.entries, vec![("main".to_string(), 0)]);
/// assert_eq!(out.labels["main"], 0);
/// ```
pub fn assemble(
    file: &str,
    source: &str,
    resolver: &dyn LibResolver,
) -> Result<Assembled, Vec<Diagnostic>> {
    assemble_with(file, source, resolver, &[])
}

/// [`assemble`], also accepting the named instructions of the host ISA
/// extensions `exts` (those whose [`IsaExtension::operands`] describes
/// them) in a source that lists the extension with `.isa`.
pub fn assemble_with(
    file: &str,
    source: &str,
    resolver: &dyn LibResolver,
    exts: &[&dyn IsaExtension],
) -> Result<Assembled, Vec<Diagnostic>> {
    let (module, mut errors, dropped) = crate::parse_recovering(file, source)?;
    let syntax_ok = errors.is_empty();
    let lower_errors = match Lower::new(resolver, exts).run(&module) {
        Ok(assembled) if syntax_ok => return Ok(assembled),
        Ok(_) => Vec::new(),
        Err(e) => e,
    };
    errors.extend(
        lower_errors
            .into_iter()
            .filter(|(err, ..)| syntax_ok || !err.may_follow_from_a_bad_line())
            .map(|(err, span, label)| (err.to_string(), span, label)),
    );
    errors.sort_by_key(|(_, span, _)| span.start);
    Err(crate::diagnostic::diagnostics(errors, dropped, file))
}

/// Lowers a module built without source text (by a compiler, say) into a
/// library, exactly as [`assemble_with`] lowers a parsed one. Diagnostics
/// carry the module's spans and `file`, bounded as the assembler's are.
pub fn lower_module(
    file: &str,
    module: &Module,
    resolver: &dyn LibResolver,
    exts: &[&dyn IsaExtension],
) -> Result<Assembled, Vec<Diagnostic>> {
    Lower::new(resolver, exts).run(module).map_err(|errors| {
        let errors = errors
            .into_iter()
            .map(|(err, span, label)| (err.to_string(), span, label))
            .collect();
        crate::diagnostic::diagnostics(errors, 0, file)
    })
}

/// An error with its span and an optional note.
type Fail = (LowerError, Span, Option<String>);

fn fail(err: LowerError, span: Span) -> Fail {
    (err, span, None)
}

/// What a bare name refers to.
enum Symbol {
    Label,
    Const(IntLit),
    Data {
        off: usize,
        len: usize,
        /// The value, for data given as an integer.
        int: Option<IntLit>,
    },
}

impl Symbol {
    fn what(&self) -> &'static str {
        match self {
            Symbol::Label => "a label",
            Symbol::Const(_) => "a constant",
            Symbol::Data { .. } => "data",
        }
    }
}

struct Import {
    index: u8,
    lib: Library,
}

struct Lower<'r> {
    resolver: &'r dyn LibResolver,
    /// The host extensions whose named instructions may be used.
    exts: &'r [&'r dyn IsaExtension],
    errors: Vec<Fail>,
    symbols: HashMap<String, Symbol>,
    labels: HashMap<String, u32>,
    imports: HashMap<String, Import>,
    lib_ids: Vec<(LibId, String)>,
    isa: Vec<(String, Span)>,
    data: Vec<u8>,
    /// Where each byte string already in the data segment starts (first occurrence).
    literals: HashMap<Vec<u8>, u16>,
    data_overflow: bool,
    /// Whether this is the encoding walk (errors count; labels have offsets).
    encoding: bool,
}

impl<'r> Lower<'r> {
    fn new(resolver: &'r dyn LibResolver, exts: &'r [&'r dyn IsaExtension]) -> Self {
        Lower {
            resolver,
            exts,
            errors: Vec::new(),
            symbols: HashMap::new(),
            labels: HashMap::new(),
            imports: HashMap::new(),
            lib_ids: Vec::new(),
            isa: Vec::new(),
            data: Vec::new(),
            literals: HashMap::new(),
            data_overflow: false,
            encoding: false,
        }
    }

    fn run(mut self, module: &Module) -> Result<Assembled, Vec<Fail>> {
        for item in &module.items {
            match &item.kind {
                ItemKind::Label(name) => {
                    self.symbols.insert(name.node.clone(), Symbol::Label);
                }
                ItemKind::Directive(d) => self.declare(d),
                ItemKind::Instruction(_) => {}
            }
        }
        // Layout: label offsets.
        let mut offset = 0u32;
        for item in &module.items {
            match &item.kind {
                ItemKind::Label(name) => {
                    self.labels.insert(name.node.clone(), offset);
                }
                ItemKind::Instruction(ins) => {
                    offset += self
                        .instruction(ins, item.span)
                        .map_or(0, |b| b.len() as u32);
                }
                ItemKind::Directive(Directive::Bytes(bytes)) => offset += bytes.node.len() as u32,
                ItemKind::Directive(_) => {}
            }
        }
        // Encoding.
        self.encoding = true;
        let mut code = Vec::new();
        let mut code_overflow = false;
        let mut used_builtins = BTreeSet::new();
        for item in &module.items {
            match &item.kind {
                ItemKind::Instruction(ins) => match self.instruction(ins, item.span) {
                    Ok(bytes) => {
                        // A named instruction of a built-in extension lists it;
                        // raw `reserved` bytes do not.
                        let named = OPCODES.iter().any(|r| r.mnemonic == ins.mnemonic.node);
                        if let Some(b) = bytes.first().and_then(|op| isa::builtin_isa(*op)) {
                            if named {
                                used_builtins.insert(b.id);
                            }
                        }
                        code.extend(bytes)
                    }
                    Err(err) => self.errors.push(err),
                },
                ItemKind::Directive(Directive::Bytes(bytes)) => code.extend(&bytes.node),
                _ => continue,
            }
            if code.len() > MAX_SEGMENT && !code_overflow {
                code_overflow = true;
                self.errors.push(fail(LowerError::CodeTooLarge, item.span));
            }
        }
        let entries = self.entries(module);
        let mut isa: Vec<String> = self.isa.iter().map(|(id, _)| id.clone()).collect();
        isa.extend(used_builtins.into_iter().map(String::from));
        isa.sort();
        isa.dedup();
        if let Some((_, span)) = self.isa.get(MAX_ISA) {
            let err = LowerError::TooMany {
                what: "ISA extension ids",
                max: MAX_ISA,
            };
            self.errors.push(fail(err, *span));
        }
        if !self.errors.is_empty() {
            self.errors.sort_by_key(|(_, span, _)| span.start);
            return Err(self.errors);
        }
        let library = Library {
            isa,
            libs: self.lib_ids.iter().map(|(id, _)| *id).collect(),
            code,
            data: self.data,
            entries,
        };
        if let Err(e) = library.check() {
            let err = LowerError::Library(e.to_string());
            return Err(vec![fail(err, Span::default())]);
        }
        let labels = self
            .labels
            .into_iter()
            .filter_map(|(name, off)| Some((name, u16::try_from(off).ok()?)))
            .collect();
        Ok(Assembled { library, labels })
    }

    /// First walk: names, constants, data entries, imports and ISA ids.
    fn declare(&mut self, directive: &Directive) {
        match directive {
            Directive::Isa(ids) => {
                self.isa
                    .extend(ids.iter().map(|id| (id.node.clone(), id.span)));
            }
            Directive::Const { name, value } => {
                self.symbols
                    .insert(name.node.clone(), Symbol::Const(value.node.clone()));
            }
            Directive::Data { name, value } => {
                let (bytes, int) = match &value.node {
                    DataValue::Bytes(bytes) => (bytes.clone(), None),
                    DataValue::Int(int) => match value::int_bytes_smallest(int) {
                        Some(bytes) => (bytes, Some(int.clone())),
                        None => {
                            let err = LowerError::DoesNotFit {
                                value: int.to_string(),
                                what: "1024 bytes".into(),
                            };
                            self.errors.push(fail(err, value.span));
                            (Vec::new(), None)
                        }
                    },
                };
                let off = self.data.len();
                self.data.extend(&bytes);
                if self.data.len() > MAX_SEGMENT {
                    if !self.data_overflow {
                        self.errors.push(fail(LowerError::DataTooLarge, value.span));
                    }
                    self.data_overflow = true;
                } else {
                    self.literals.entry(bytes.clone()).or_insert(off as u16);
                }
                let len = bytes.len();
                self.symbols
                    .insert(name.node.clone(), Symbol::Data { off, len, int });
            }
            Directive::Import { name, lib_id } => {
                if let Err(err) = self.import(&name.node, lib_id.as_ref()) {
                    let span = lib_id.as_ref().map_or(name.span, |id| id.span);
                    self.errors.push(fail(err, span));
                }
            }
            Directive::Entry { .. } | Directive::Bytes(_) => {}
        }
    }

    fn import(&mut self, name: &str, lib_id: Option<&Spanned<String>>) -> Result<(), LowerError> {
        let lib = match lib_id {
            None => self.resolver.by_name(name).map_err(LowerError::Import)?,
            Some(text) => {
                let id: LibId = text
                    .node
                    .parse()
                    .map_err(|e: avm_alu::library::LibIdError| {
                        LowerError::BadLibId(e.to_string())
                    })?;
                self.resolver
                    .by_id(&id)
                    .ok_or_else(|| LowerError::Import(format!("library {id} not found")))?
            }
        };
        let id = lib.id();
        if let Some((_, first)) = self.lib_ids.iter().find(|(i, _)| *i == id) {
            return Err(LowerError::DuplicateImport {
                id: id.to_string(),
                first: first.clone(),
            });
        }
        if self.lib_ids.len() >= MAX_IMPORTS {
            return Err(LowerError::TooMany {
                what: "imports",
                max: MAX_IMPORTS,
            });
        }
        let index = self.lib_ids.len() as u8;
        self.lib_ids.push((id, name.to_owned()));
        self.imports.insert(name.to_owned(), Import { index, lib });
        Ok(())
    }

    /// The entry points, sorted by name; errors go to `self.errors`.
    fn entries(&mut self, module: &Module) -> Vec<(String, u16)> {
        let mut entries = Vec::new();
        for item in &module.items {
            let ItemKind::Directive(Directive::Entry { name, target }) = &item.kind else {
                continue;
            };
            if !is_valid_entry_name(&name.node) {
                let err = LowerError::BadEntryName(name.node.clone());
                self.errors.push(fail(err, name.span));
                continue;
            }
            let pos = match target {
                None => self.label(&name.node, name.span),
                Some(Spanned {
                    node: SiteTarget::Ident(label),
                    span,
                }) => self.label(label, *span),
                Some(Spanned {
                    node: SiteTarget::Int(int),
                    span,
                }) => u16_of(int, *span, "a code offset (0..=65535)"),
            };
            match pos {
                Ok(pos) => entries.push((name.node.clone(), pos)),
                Err(err) => self.errors.push(err),
            }
            if entries.len() == MAX_ENTRIES + 1 {
                let err = LowerError::TooMany {
                    what: "entry points",
                    max: MAX_ENTRIES,
                };
                self.errors.push(fail(err, name.span));
            }
        }
        entries.sort();
        entries
    }

    /// The offset of a label or constant used as a code position.
    fn label(&self, name: &str, span: Span) -> Result<u16, Fail> {
        match self.symbols.get(name) {
            Some(Symbol::Label) => {
                let off = if self.encoding {
                    self.labels.get(name).copied().unwrap_or(0)
                } else {
                    0
                };
                u16::try_from(off).map_err(|_| {
                    let err = LowerError::DoesNotFit {
                        value: format!("label `{name}` at {off}"),
                        what: "a code offset (0..=65535)".into(),
                    };
                    fail(err, span)
                })
            }
            Some(Symbol::Const(int)) => u16_of(int, span, "a code offset (0..=65535)"),
            Some(other) => Err(fail(
                LowerError::WrongKind {
                    name: name.to_owned(),
                    is: other.what(),
                    expected: "a label",
                },
                span,
            )),
            None => Err(fail(LowerError::UndefinedLabel(name.to_owned()), span)),
        }
    }
}

fn u16_of(int: &IntLit, span: Span, what: &str) -> Result<u16, Fail> {
    int.to_i128()
        .and_then(|v| u16::try_from(v).ok())
        .ok_or_else(|| {
            let err = LowerError::DoesNotFit {
                value: int.to_string(),
                what: what.into(),
            };
            fail(err, span)
        })
}

#[cfg(test)]
mod tests;
