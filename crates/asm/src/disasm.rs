//! The disassembler: a library back to assembly source that reassembles to the same bytes.
//!
//! The code is decoded by a linear sweep from offset 0. Every jump target and entry point
//! that lands on an instruction boundary gets a label; everything else is printed as a
//! raw offset. The data segment is printed whole as one `.data` entry, and `put` operands
//! refer into it by `data[..]`, so reassembly reproduces it byte for byte.

use core::fmt::Write as _;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use avm_alu::isa::ext::IsaExtension;
use avm_alu::isa::{self, ExtInstr, ExtOperand, Instr, Operand as Op};
use avm_alu::library::{LibId, Library};
use avm_alu::reg::FFormat;

use crate::parser::RESERVED;
use crate::print::{print_bytes, print_hex};
use crate::reg::{REGS_PER_FAMILY, S_REGS};

/// How the disassembler names imported libraries and their entry points.
#[derive(Clone, Debug, Default)]
pub struct ImportNames {
    /// The name of each import, by index; a missing, invalid or repeated name is replaced
    /// by `lib<index>`.
    pub names: Vec<String>,
    /// Imported libraries by id: sites into them are printed by entry name when one
    /// points there.
    pub libs: HashMap<LibId, Library>,
}

/// Longest byte string shown in a `; = "..."` comment.
const COMMENT_BYTES: usize = 48;

/// One item of the linear sweep.
enum Item {
    /// A whole instruction.
    Instr(Instr),
    /// Bytes printed raw with `.bytes`, and a comment saying why.
    Raw(Vec<u8>, String),
}

/// Disassembles `lib` into source that [`crate::assemble`] turns back into the same
/// library, byte for byte (given a resolver that finds its imports by id).
///
/// `lib` is expected to pass [`Library::check`].
///
/// ```
/// use avm_asm::{assemble, disassemble, ImportNames, NoLibs};
/// let src = ".entry main\nmain:\n    put a64[0], 7\n    jmp main\n";
/// let lib = assemble("a.alu", src, &NoLibs).unwrap().library;
/// let text = disassemble(&lib, &ImportNames::default());
/// assert!(text.contains("main:\n    put a64[0], data[0] ; = 7\n    jmp main\n"));
/// assert_eq!(assemble("b.alu", &text, &NoLibs).unwrap().library, lib);
/// ```
pub fn disassemble(lib: &Library, names: &ImportNames) -> String {
    disassemble_with(lib, names, isa::no_ext)
}

/// [`disassemble`], decoding host-range opcodes with the ISA extensions `ext` resolves:
/// such an instruction is printed in the raw form `ext 0xNN, x"operands"`, followed by
/// its mnemonic in a comment. Without a resolver they are `reserved`.
pub fn disassemble_with<'e>(
    lib: &Library,
    names: &ImportNames,
    ext: impl Fn(u8) -> Option<&'e dyn IsaExtension> + Copy,
) -> String {
    let code = &lib.code;
    let mut items: Vec<(usize, Item)> = Vec::new();
    let mut pos = 0;
    while pos < code.len() {
        let (instr, len) = isa::decode(&code[pos..], ext);
        let undeclared = isa::builtin_isa(instr.opcode()).filter(|b| {
            !matches!(instr, Instr::Reserved(_)) && !lib.isa.iter().any(|id| id == b.id)
        });
        let end = pos + if undeclared.is_some() { 1 } else { len };
        let item = if let Some(b) = undeclared {
            Item::Raw(
                code[pos..end].to_vec(),
                format!(
                    "{}: extension {} is not listed, so this runs as `fail`",
                    instr.mnemonic(),
                    b.id
                ),
            )
        } else if end > code.len() {
            Item::Raw(
                code[pos..].to_vec(),
                format!("{} cut by the end of the code", instr.mnemonic()),
            )
        } else if let Some(lib_idx) = bad_site(&instr, lib.libs.len()) {
            Item::Raw(
                code[pos..end].to_vec(),
                format!(
                    "{} into import #{lib_idx}, which does not exist",
                    instr.mnemonic()
                ),
            )
        } else {
            Item::Instr(instr)
        };
        items.push((pos, item));
        pos = end.min(code.len());
    }
    let boundaries: BTreeSet<usize> = items.iter().map(|(p, _)| *p).chain([code.len()]).collect();
    let labels = label_names(lib, &items, &boundaries);
    let label_set: HashSet<&str> = labels.values().map(String::as_str).collect();
    let import_names = import_names(lib, names);

    let mut out = String::new();
    if !lib.isa.is_empty() {
        let _ = writeln!(out, ".isa {}", lib.isa.join(" "));
    }
    for (name, id) in import_names.iter().zip(&lib.libs) {
        let _ = writeln!(out, ".import {name} {id}");
    }
    for (name, off) in &lib.entries {
        match labels.get(&usize::from(*off)) {
            Some(label) if label == name => {
                let _ = writeln!(out, ".entry {name}");
            }
            Some(label) => {
                let _ = writeln!(out, ".entry {name} {label}");
            }
            None => {
                let _ = writeln!(out, ".entry {name} {off}");
            }
        }
    }
    if !lib.data.is_empty() {
        let mut data_name = "segment".to_owned();
        while label_set.contains(data_name.as_str()) {
            data_name.push('_');
        }
        let _ = writeln!(out, ".data {data_name} {}", print_hex(&lib.data));
    }
    if !out.is_empty() && !items.is_empty() {
        out.push('\n');
    }
    let printer = Printer {
        lib,
        names,
        labels: &labels,
        imports: &import_names,
    };
    for (pos, item) in &items {
        if let Some(label) = labels.get(pos) {
            let _ = writeln!(out, "{label}:");
        }
        match item {
            Item::Instr(Instr::Ext(e)) => {
                let x = ext(e.opcode);
                match x.and_then(|x| named_ext(x, e)) {
                    Some(text) => {
                        let _ = writeln!(out, "    {text}");
                    }
                    None => {
                        let mnemonic = x.map_or("?", |x| x.mnemonic(e.opcode));
                        let _ =
                            writeln!(out, "    {} ; {mnemonic}", printer.instr(&Instr::Ext(*e)));
                    }
                }
            }
            Item::Instr(instr) => {
                let _ = writeln!(out, "    {}", printer.instr(instr));
            }
            Item::Raw(bytes, why) => {
                let _ = writeln!(out, ".bytes {} ; {why}", print_hex(bytes));
            }
        }
    }
    if let Some(label) = labels.get(&code.len()) {
        let _ = writeln!(out, "{label}:");
    }
    out
}

/// The import index of a call or exec into an import the library does not have.
fn bad_site(instr: &Instr, imports: usize) -> Option<u8> {
    instr.operands().iter().find_map(|op| match op {
        Op::Site { lib, .. } if usize::from(*lib) >= imports => Some(*lib),
        _ => None,
    })
}

/// Whether `name` can be written where a label is referred to.
fn usable_label(name: &str) -> bool {
    !RESERVED.contains(&name)
}

/// The label of every boundary that is a jump target or an entry point.
fn label_names(
    lib: &Library,
    items: &[(usize, Item)],
    boundaries: &BTreeSet<usize>,
) -> BTreeMap<usize, String> {
    let mut targets: BTreeSet<usize> = items
        .iter()
        .filter_map(|(_, item)| match item {
            Item::Instr(instr) => Some(instr.operands()),
            Item::Raw(..) => None,
        })
        .flatten()
        .filter_map(|op| match op {
            Op::Pos(p) => Some(usize::from(p)),
            _ => None,
        })
        .collect();
    targets.extend(lib.entries.iter().map(|(_, off)| usize::from(*off)));
    targets.retain(|t| boundaries.contains(t));

    let mut labels = BTreeMap::new();
    let mut from_entries = HashSet::new();
    // Entries are sorted by name, so the first usable name at an offset wins.
    for (name, off) in &lib.entries {
        let off = usize::from(*off);
        if targets.contains(&off) && !labels.contains_key(&off) && usable_label(name) {
            labels.insert(off, name.clone());
            from_entries.insert(name.clone());
        }
    }
    for t in targets {
        labels.entry(t).or_insert_with(|| {
            let mut name = format!("l_{t:04x}");
            while from_entries.contains(&name) {
                name.push('_');
            }
            name
        });
    }
    labels
}

/// The name of every import: the caller's when usable, else `lib<index>`.
/// `MNEMONIC reg, ...` for an extension instruction whose extension names
/// its operands and whose operand bytes are all valid register indices;
/// `None` leaves it to the raw `ext` form.
fn named_ext(ext: &dyn IsaExtension, e: &ExtInstr) -> Option<String> {
    let kinds = ext.operands(e.opcode)?;
    if kinds.len() != e.operands().len() {
        return None;
    }
    let regs: Option<Vec<String>> = kinds
        .iter()
        .zip(e.operands())
        .map(|(kind, &idx)| match kind {
            ExtOperand::A(w) if idx < REGS_PER_FAMILY => Some(format!("a{}[{idx}]", w.bits())),
            ExtOperand::R(w) if idx < REGS_PER_FAMILY => Some(format!("r{}[{idx}]", w.bits())),
            ExtOperand::S if idx < S_REGS => Some(format!("s[{idx}]")),
            _ => None,
        })
        .collect();
    let regs = regs?;
    let mnemonic = ext.mnemonic(e.opcode);
    Some(if regs.is_empty() {
        mnemonic.to_string()
    } else {
        format!("{mnemonic} {}", regs.join(", "))
    })
}

fn import_names(lib: &Library, names: &ImportNames) -> Vec<String> {
    let mut used = HashSet::new();
    let mut out = Vec::new();
    for i in 0..lib.libs.len() {
        let given = names
            .names
            .get(i)
            .filter(|n| is_ident(n) && !used.contains(*n));
        let mut name = given.cloned().unwrap_or_else(|| format!("lib{i}"));
        while used.contains(&name) {
            name.push('_');
        }
        used.insert(name.clone());
        out.push(name);
    }
    out
}

fn is_ident(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

struct Printer<'a> {
    lib: &'a Library,
    names: &'a ImportNames,
    labels: &'a BTreeMap<usize, String>,
    imports: &'a [String],
}

impl Printer<'_> {
    fn instr(&self, instr: &Instr) -> String {
        let mut text = instr.mnemonic().to_owned();
        match instr {
            Instr::Reserved(op) => return format!("reserved {op:#04x}"),
            Instr::Ext(e) => {
                return format!("ext {:#04x}, {}", e.opcode, print_hex(e.operands()));
            }
            _ => {}
        }
        if let Some(suffix) = instr.suffix() {
            text.push('.');
            text.push_str(suffix);
        }
        let ops = instr.operands();
        let mut comments = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            text.push_str(if i == 0 { " " } else { ", " });
            text.push_str(&self.operand(op, ops.first(), &mut comments));
        }
        if !comments.is_empty() {
            text.push_str(" ; ");
            text.push_str(&comments.join(", "));
        }
        text
    }

    fn operand(&self, op: &Op, first: Option<&Op>, comments: &mut Vec<String>) -> String {
        match op {
            Op::Pos(p) => self
                .labels
                .get(&usize::from(*p))
                .cloned()
                .unwrap_or_else(|| p.to_string()),
            Op::Site { pos, lib } => {
                let index = usize::from(*lib);
                let target = self
                    .lib
                    .libs
                    .get(index)
                    .and_then(|id| self.names.libs.get(id))
                    .and_then(|import| {
                        import
                            .entries
                            .iter()
                            .find(|(name, off)| off == pos && usable_label(name))
                    })
                    .map_or_else(|| pos.to_string(), |(name, _)| name.clone());
                let lib_name = self.imports.get(index).map_or("?", String::as_str);
                format!("{target} @ {lib_name}")
            }
            Op::Data(off) => {
                comments.push(self.value_comment(usize::from(*off), first));
                format!("data[{off}]")
            }
            Op::DataRange { off, len } => {
                let (start, end) = (usize::from(*off), usize::from(*off) + usize::from(*len));
                comments.push(match self.lib.data.get(start..end) {
                    Some(bytes) if bytes.len() > COMMENT_BYTES => {
                        format!("= {}...", print_bytes(&bytes[..COMMENT_BYTES]))
                    }
                    Some(bytes) => format!("= {}", print_bytes(bytes)),
                    None => "past the end of data".into(),
                });
                format!("data[{start}..{end}]")
            }
            other => other.to_string(),
        }
    }

    /// `= value` for the bytes a `put` of `reg` reads at `off`.
    fn value_comment(&self, off: usize, reg: Option<&Op>) -> String {
        let (width, format) = match reg {
            Some(Op::A(r)) => (r.width.bytes(), None),
            Some(Op::R(r)) => (r.width.bytes(), None),
            Some(Op::F(r)) => (r.format.bytes(), Some(r.format)),
            _ => (0, None),
        };
        let Some(bytes) = self.lib.data.get(off..off + width) else {
            return "past the end of data".into();
        };
        match format {
            None => format!(
                "= {}",
                crate::IntLit::new(false, bytes.to_vec()).unwrap_or_default()
            ),
            Some(FFormat::F32) => {
                let v = f32::from_le_bytes(bytes.try_into().unwrap_or_default());
                format!("= {v:?}")
            }
            Some(FFormat::F64) => {
                let v = f64::from_le_bytes(bytes.try_into().unwrap_or_default());
                format!("= {v:?}")
            }
            Some(_) => {
                let hex: String = bytes.iter().rev().map(|b| format!("{b:02x}")).collect();
                format!("= 0x{hex}")
            }
        }
    }
}

#[cfg(test)]
mod tests;
