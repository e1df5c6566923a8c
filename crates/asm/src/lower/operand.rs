//! Operand templates of opcode-table rows, and how source operands match them.

use avm_alu::isa::{OpInfo, Operand as Op};
use avm_alu::reg::{AWidth, FFormat, RWidth, RegA, RegF, RegR, RegS};

use crate::ast::{Operand, OperandKind};
use crate::reg::{FloatFormat, Reg};

/// One operand slot of a row's template (flags are not operands and are left out).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Slot {
    /// The template element: `a`, `a16`, `a8`, `a64`, `f`, `r`, `s`, `st0`, `pos`, `site`,
    /// `data`, `range` or `step`.
    pub(crate) kind: &'static str,
    /// Its first argument, e.g. the width variable of `a(width, dst)`.
    pub(crate) var: &'static str,
}

/// The operand slots of `row`, e.g. `[a, data]` for `put a64[0], 5`.
pub(crate) fn slots(row: &OpInfo) -> Vec<Slot> {
    row.template
        .split("),")
        .filter_map(|piece| {
            let piece = piece.trim().trim_end_matches(')');
            let (kind, args) = piece.split_once('(')?;
            let var = args.split(',').next().unwrap_or("").trim();
            (kind.trim() != "flag").then_some(Slot {
                kind: kind.trim(),
                var,
            })
        })
        .collect()
}

impl Slot {
    /// The register family the slot takes, or `None` for a value slot.
    fn family(self) -> Option<char> {
        match self.kind {
            "a" | "a16" | "a8" | "a64" => Some('a'),
            "f" => Some('f'),
            "r" | "r160" | "r256" | "r512" => Some('r'),
            "s" => Some('s'),
            "st0" => Some('0'),
            _ => None,
        }
    }

    /// Whether `op` is the right kind for the slot: a register of its family, or a value.
    pub(crate) fn accepts(self, op: &Operand) -> bool {
        self.family() == family(op)
    }

    /// What the slot expects, worded as the instruction set's shape errors are.
    pub(crate) fn describe(self) -> &'static str {
        match self.kind {
            "a" => "an integer register",
            "a16" => "an a16 register",
            "a8" => "an a8 register",
            "a64" => "an a64 register",
            "f" => "a float register",
            "r" => "a wide register",
            "r160" => "an r160 register",
            "r256" => "an r256 register",
            "r512" => "an r512 register",
            "s" => "a byte-string register",
            "st0" => "st0",
            "pos" => "a label or code position",
            "site" => "an external site `label @ library`",
            "data" => "a constant",
            "range" => "a byte string",
            "step" => "a step from 1 to 256",
            _ => "an operand",
        }
    }
}

/// The register family of `op` (`'0'` for st0), or `None` for a value.
fn family(op: &Operand) -> Option<char> {
    match &op.kind {
        OperandKind::Reg(Reg::A(..)) => Some('a'),
        OperandKind::Reg(Reg::F(..)) => Some('f'),
        OperandKind::Reg(Reg::R(..)) => Some('r'),
        OperandKind::Reg(Reg::S(_)) => Some('s'),
        OperandKind::Reg(Reg::St0) => Some('0'),
        _ => None,
    }
}

/// How an operand is named in "expected ..., found ..." messages.
pub(crate) fn describe(op: &Operand) -> String {
    match &op.kind {
        OperandKind::Reg(Reg::A(..)) => "an integer register".into(),
        OperandKind::Reg(Reg::F(..)) => "a float register".into(),
        OperandKind::Reg(Reg::R(..)) => "a wide register".into(),
        OperandKind::Reg(Reg::S(_)) => "a byte-string register".into(),
        OperandKind::Reg(Reg::St0) => "st0".into(),
        OperandKind::Int(_) => "an integer literal".into(),
        OperandKind::Float(_) => "a float literal".into(),
        OperandKind::Bytes(_) => "a string literal".into(),
        OperandKind::Ident(name) => format!("`{name}`"),
        OperandKind::Site(_) => "an external site".into(),
        OperandKind::DataRef { end: None, .. } => "a data offset".into(),
        OperandKind::DataRef { end: Some(_), .. } => "a data range".into(),
    }
}

/// The float format of the instruction set for a source float format.
pub(crate) fn fformat(format: FloatFormat) -> FFormat {
    match format {
        FloatFormat::Bf16 => FFormat::Bf16,
        FloatFormat::F16 => FFormat::F16,
        FloatFormat::F32 => FFormat::F32,
        FloatFormat::F64 => FFormat::F64,
        FloatFormat::F80 => FFormat::F80,
        FloatFormat::F128 => FFormat::F128,
        FloatFormat::F256 => FFormat::F256,
    }
}

/// A register operand as the instruction set names it (`None` for widths the parser
/// never produces).
pub(crate) fn register(reg: Reg) -> Option<Op> {
    Some(match reg {
        Reg::A(bits, idx) => Op::A(RegA {
            width: AWidth::with_bits(bits)?,
            idx,
        }),
        Reg::F(format, idx) => Op::F(RegF {
            format: fformat(format),
            idx,
        }),
        Reg::R(bits, idx) => Op::R(RegR {
            width: RWidth::with_bits(bits)?,
            idx,
        }),
        Reg::S(idx) => Op::S(RegS(idx)),
        Reg::St0 => Op::St0,
    })
}

/// The register width in bits of `op`, if it is an `a`, `f` or `r` register.
pub(crate) fn width(op: &Operand) -> Option<u16> {
    match op.kind {
        OperandKind::Reg(Reg::A(bits, _) | Reg::R(bits, _)) => Some(bits),
        OperandKind::Reg(Reg::F(format, _)) => Some(fformat(format).bits()),
        _ => None,
    }
}

/// Whether `name` is at most `limit` edits from `known` (a short word), counting a swap of
/// neighbours as one edit. Words whose lengths differ by more than `limit` are not compared,
/// so a huge `name` costs no more than a short one: a few chars are counted, and the
/// distance itself is taken only between words of about the length of `known`.
pub(crate) fn within(name: &str, known: &str, limit: usize) -> bool {
    let known_len = known.chars().count();
    let name_len = name.chars().take(known_len + limit + 1).count();
    name_len.abs_diff(known_len) <= limit && strsim::osa_distance(name, known) <= limit
}

/// A row's operand template as written in messages, e.g. `a(width, reg), data(off)`.
pub(crate) fn template(row: &OpInfo) -> String {
    row.template.replace(" (", "(")
}

#[cfg(test)]
mod tests {
    use super::*;
    use avm_alu::isa::OPCODES;

    #[test]
    fn every_template_parses() {
        for row in OPCODES {
            let slots = slots(row);
            for slot in &slots {
                assert_ne!(slot.describe(), "an operand", "{}", row.template);
            }
            let commas = row.template.matches("),").count();
            let flags = template(row).matches("flag(").count();
            let elements = if row.template.is_empty() {
                0
            } else {
                commas + 1
            };
            assert_eq!(slots.len() + flags, elements, "{}", row.template);
        }
    }

    #[test]
    fn within_counts_edits_and_swaps() {
        assert!(within("add", "add", 0));
        assert!(within("ad", "add", 1));
        assert!(!within("ad", "add", 0));
        assert!(within("mvo", "mov", 1));
        assert!(within("mvoe", "move", 1));
        assert!(within("", "jmp", 3));
        assert!(!within("", "jmp", 2));
        assert!(!within("xyz", "jmp", 2));
    }

    #[test]
    fn within_cuts_off_by_length() {
        assert!(within("addd", "add", 1));
        assert!(!within("adddd", "add", 1));
        assert!(!within(&"a".repeat(1 << 20), "add", 2));
        assert!(!within(&"é".repeat(1 << 20), "add", 2));
    }
}
