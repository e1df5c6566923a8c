//! Printing the syntax tree back as canonical source (used by the disassembler).
//!
//! The printout of a [`Module`] parses back to an equal module, up to spans.

use core::fmt::{self, Display, Formatter};

use crate::ast::{
    DataValue, Directive, Instruction, Item, ItemKind, Module, Operand, OperandKind, SiteTarget,
};
use crate::literal::IntLit;

/// Indentation of instructions in a printed module.
const INDENT: &str = "    ";

/// An integer literal in decimal, e.g. `-1234`.
pub fn print_int(lit: &IntLit) -> String {
    lit.to_decimal()
}

/// A byte string as a `"..."` literal: printable ASCII is kept, `"` and `\` are escaped,
/// every other byte is written `\xNN`.
pub fn print_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for &b in bytes {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

/// A byte string as an `x"..."` literal: lowercase hex pairs separated by spaces.
pub fn print_hex(bytes: &[u8]) -> String {
    let pairs: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("x\"{}\"", pairs.join(" "))
}

impl Display for Module {
    /// One item per line; instructions indented, labels and directives not.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for item in &self.items {
            if let ItemKind::Instruction(_) = item.kind {
                f.write_str(INDENT)?;
            }
            writeln!(f, "{item}")?;
        }
        Ok(())
    }
}

impl Display for Item {
    /// The item on one line, without indentation or line break.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ItemKind::Label(name) => write!(f, "{}:", name.node),
            ItemKind::Directive(directive) => directive.fmt(f),
            ItemKind::Instruction(instruction) => instruction.fmt(f),
        }
    }
}

impl Display for Directive {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Directive::Isa(ids) => {
                f.write_str(".isa")?;
                ids.iter().try_for_each(|id| write!(f, " {}", id.node))
            }
            Directive::Import { name, lib_id } => {
                write!(f, ".import {}", name.node)?;
                match lib_id {
                    Some(id) => write!(f, " {}", id.node),
                    None => Ok(()),
                }
            }
            Directive::Entry { name, target } => {
                write!(f, ".entry {}", name.node)?;
                match target {
                    Some(target) => write!(f, " {}", target.node),
                    None => Ok(()),
                }
            }
            Directive::Bytes(bytes) => write!(f, ".bytes {}", print_hex(&bytes.node)),
            Directive::Data { name, value } => write!(f, ".data {} {}", name.node, value.node),
            Directive::Const { name, value } => write!(f, ".const {} {}", name.node, value.node),
        }
    }
}

impl Display for DataValue {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            DataValue::Bytes(bytes) => f.write_str(&print_bytes(bytes)),
            DataValue::Int(int) => int.fmt(f),
        }
    }
}

impl Display for Instruction {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.mnemonic.node)?;
        for flag in &self.flags {
            write!(f, ".{}", flag.node)?;
        }
        for (i, operand) in self.operands.iter().enumerate() {
            f.write_str(if i == 0 { " " } else { ", " })?;
            operand.fmt(f)?;
        }
        Ok(())
    }
}

impl Display for Operand {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl Display for OperandKind {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            OperandKind::Reg(reg) => reg.fmt(f),
            OperandKind::Int(int) => int.fmt(f),
            OperandKind::Float(float) => float.fmt(f),
            OperandKind::Bytes(bytes) => f.write_str(&print_bytes(bytes)),
            OperandKind::Ident(name) => f.write_str(name),
            OperandKind::Site(site) => write!(f, "{} @ {}", site.target.node, site.lib.node),
            OperandKind::DataRef { start, end } => match end {
                Some(end) => write!(f, "data[{start}..{end}]"),
                None => write!(f, "data[{start}]"),
            },
        }
    }
}

impl Display for SiteTarget {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            SiteTarget::Ident(name) => f.write_str(name),
            SiteTarget::Int(int) => int.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes() {
        assert_eq!(print_bytes(b""), r#""""#);
        assert_eq!(print_bytes(b"hi \"x\" \\"), r#""hi \"x\" \\""#);
        assert_eq!(print_bytes(b"\n\0\x7f\xff~"), r#""\x0a\x00\x7f\xff~""#);
    }

    #[test]
    fn hex() {
        assert_eq!(print_hex(b""), r#"x"""#);
        assert_eq!(print_hex(b"\x00\xab\x10"), r#"x"00 ab 10""#);
    }

    #[test]
    fn ints() {
        assert_eq!(print_int(&IntLit::from(-42i128)), "-42");
        assert_eq!(print_int(&IntLit::default()), "0");
    }

    #[test]
    fn module_round_trip_text() {
        let src = "\
.isa ALU64 FPU
.import std alu1qqqq
.import math
.entry main
.entry alias main
.entry at 12
.data msg \"hi\\x0a\"
.data big -12
.const n 10
main:
    put a64[0], n
    add.uc.sw a64[2], a64[0], -1
    fadd f32[1], f32[0], -2.0e-3
    call fn @ std
    call 16 @ math
    mov s[0], msg
    ret
    tst st0, inf, -inf
    put a64[0], data[3]
    put s[0], data[0..16]
.bytes x\"05 ff\"
";
        let module = crate::parse("t.s", src).unwrap();
        assert_eq!(module.to_string(), src);
    }
}
