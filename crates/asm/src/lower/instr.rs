//! Lowering one instruction: choosing the form, resolving operands, placing literals.

use std::collections::HashMap;

use avm_alu::isa::ext::{ExtOperand, EXT_MAX_OPERANDS};
use avm_alu::isa::EXT_FIRST;
use avm_alu::isa::{Instr, OpInfo, Operand as Op, OPCODES};
use avm_alu::library::MAX_SEGMENT;

use super::error::LowerError;
use super::operand::{self, describe, Slot};
use super::{fail, float, u16_of, value, Fail, Lower, Symbol};
use crate::ast::{Instruction, Operand, OperandKind, SiteTarget};
use crate::literal::IntLit;
use crate::reg::Reg;
use crate::span::Span;

impl Lower<'_> {
    /// Lowers one instruction to its bytes.
    pub(super) fn instruction(&mut self, ins: &Instruction, span: Span) -> Result<Vec<u8>, Fail> {
        let mnemonic = ins.mnemonic.node.as_str();
        let rows: Vec<&OpInfo> = OPCODES.iter().filter(|r| r.mnemonic == mnemonic).collect();
        if rows.is_empty() {
            return match mnemonic {
                "reserved" => self.reserved(ins, span),
                "ext" => self.ext(ins, span),
                _ => self
                    .ext_named(ins, span)
                    .unwrap_or_else(|| Err(unknown_mnemonic(ins))),
            };
        }
        let suffix = (!ins.flags.is_empty()).then(|| {
            ins.flags
                .iter()
                .map(|f| f.node.as_str())
                .collect::<Vec<_>>()
                .join(".")
        });
        let row_slots: Vec<Vec<Slot>> = rows.iter().map(|r| operand::slots(r)).collect();
        let fits = |slots: &[Slot]| {
            slots.len() == ins.operands.len()
                && slots.iter().zip(&ins.operands).all(|(s, o)| s.accepts(o))
        };
        let Some((row, slots)) = rows.iter().zip(&row_slots).find(|(_, s)| fits(s)) else {
            // Of several forms, the one whose first operand matches explains best.
            let near: Vec<usize> = (0..rows.len())
                .filter(|&i| {
                    let first = row_slots[i].first().zip(ins.operands.first());
                    first.is_some_and(|(slot, op)| slot.accepts(op))
                })
                .collect();
            return Err(match (row_slots.as_slice(), near.as_slice()) {
                ([slots], _) => mismatch(slots, ins, span, rows[0]),
                (_, [i]) => mismatch(&row_slots[*i], ins, span, rows[*i]),
                _ => {
                    let forms: Vec<String> = rows.iter().map(|r| operand::template(r)).collect();
                    let err = LowerError::NoForm {
                        mnemonic: mnemonic.to_owned(),
                        forms: forms.join(" | "),
                    };
                    fail(err, span)
                }
            });
        };
        let mut ops = Vec::with_capacity(slots.len());
        for (slot, op) in slots.iter().zip(&ins.operands) {
            ops.push(self.operand(*slot, op, &ins.operands)?);
        }
        match Instr::from_opcode(row.opcode, suffix.as_deref(), &ops) {
            Ok(instr) => {
                let mut out = Vec::new();
                instr.encode(&mut out);
                Ok(out)
            }
            Err(e) => {
                let at = locate(&e.0, slots, ins, span);
                Err(fail(LowerError::Shape(e.0), at))
            }
        }
    }

    /// One operand for a slot whose kind (register family or value) it already matches.
    fn operand(&mut self, slot: Slot, op: &Operand, all: &[Operand]) -> Result<Op, Fail> {
        let expected = |found: &Operand| {
            let err = LowerError::Expected {
                expected: slot.describe().into(),
                found: describe(found),
            };
            fail(err, found.span)
        };
        match (&op.kind, slot.kind) {
            (OperandKind::Reg(reg), _) => operand::register(*reg).ok_or_else(|| expected(op)),
            (_, "pos") => match &op.kind {
                OperandKind::Int(int) => u16_of(int, op.span, "a code offset (0..=65535)"),
                OperandKind::Ident(name) => self.label(name, op.span),
                _ => Err(expected(op)),
            }
            .map(Op::Pos),
            (_, "site") => self.site(op).ok_or_else(|| expected(op))?,
            (_, "step") => {
                let int = self.int(op).ok_or_else(|| expected(op))??;
                u16_of(&int, op.span, "a step (1..=256)").map(Op::Imm)
            }
            (_, "data") => {
                let reg = all.first().filter(|r| operand::width(r).is_some());
                let reg = reg.ok_or_else(|| expected(op))?;
                self.data_value(op, reg).map(Op::Data)
            }
            (_, "range") => self.data_range(op),
            _ => Err(expected(op)),
        }
    }

    /// An integer value: a literal or a constant; `None` if `op` is not a candidate.
    fn int(&self, op: &Operand) -> Option<Result<IntLit, Fail>> {
        match &op.kind {
            OperandKind::Int(int) => Some(Ok(int.clone())),
            OperandKind::Ident(name) => Some(match self.symbols.get(name) {
                Some(Symbol::Const(int)) => Ok(int.clone()),
                Some(other) => Err(fail(
                    LowerError::WrongKind {
                        name: name.clone(),
                        is: other.what(),
                        expected: "an integer",
                    },
                    op.span,
                )),
                None => Err(fail(LowerError::Undefined(name.clone()), op.span)),
            }),
            _ => None,
        }
    }

    fn site(&self, op: &Operand) -> Option<Result<Op, Fail>> {
        let OperandKind::Site(site) = &op.kind else {
            return None;
        };
        let Some(import) = self.imports.get(&site.lib.node) else {
            let err = LowerError::UndefinedImport(site.lib.node.clone());
            return Some(Err(fail(err, site.lib.span)));
        };
        let pos = match &site.target.node {
            SiteTarget::Int(int) => u16_of(int, site.target.span, "a code offset (0..=65535)"),
            SiteTarget::Ident(name) => import.lib.entry(name).ok_or_else(|| {
                let err = LowerError::NoSuchEntry {
                    lib: site.lib.node.clone(),
                    name: name.clone(),
                };
                fail(err, site.target.span)
            }),
        };
        Some(pos.map(|pos| Op::Site {
            pos,
            lib: import.index,
        }))
    }

    /// The data offset of a value loaded into the register `reg` (by `put`).
    fn data_value(&mut self, op: &Operand, reg: &Operand) -> Result<u16, Fail> {
        let width = operand::width(reg).map_or(0, |bits| usize::from(bits) / 8);
        let float = match reg.kind {
            OperandKind::Reg(Reg::F(format, _)) => Some(operand::fformat(format)),
            _ => None,
        };
        let wrong_length = |what: String, len: usize| {
            let err = LowerError::WrongLength {
                what,
                len,
                reg: reg.to_string(),
                width,
            };
            fail(err, op.span)
        };
        let bytes = match &op.kind {
            OperandKind::DataRef { start, end: None } => {
                return u16_of(start, op.span, "a data offset (0..=65535)");
            }
            OperandKind::Int(int) => self.int_at(int, reg, width, float, op.span)?,
            OperandKind::Float(lit) => match float {
                Some(format) => float::float_bytes(lit.as_str(), format)
                    .map_err(|e| fail(LowerError::Float(e), op.span))?,
                None => return Err(fail(LowerError::FloatIntoInt(reg.to_string()), op.span)),
            },
            OperandKind::Bytes(bytes) if bytes.len() == width => bytes.clone(),
            OperandKind::Bytes(bytes) => {
                return Err(wrong_length("the string".into(), bytes.len()));
            }
            OperandKind::Ident(name) => match self.symbols.get(name) {
                Some(Symbol::Data { off, len, .. }) if *len == width => {
                    return u16_of(&IntLit::from(*off as u128), op.span, "a data offset");
                }
                Some(Symbol::Data { int: Some(int), .. }) | Some(Symbol::Const(int)) => {
                    let int = int.clone();
                    self.int_at(&int, reg, width, float, op.span)?
                }
                Some(Symbol::Data { len, .. }) => {
                    return Err(wrong_length(format!("data `{name}`"), *len));
                }
                Some(Symbol::Label) => {
                    let err = LowerError::WrongKind {
                        name: name.clone(),
                        is: "a label",
                        expected: "a value",
                    };
                    return Err(fail(err, op.span));
                }
                None => return Err(fail(LowerError::Undefined(name.clone()), op.span)),
            },
            _ => {
                let err = LowerError::Expected {
                    expected: "a value or `data[OFFSET]`".into(),
                    found: describe(op),
                };
                return Err(fail(err, op.span));
            }
        };
        self.place(bytes, op.span)
    }

    /// An integer as the bytes of the register `reg`.
    fn int_at(
        &self,
        int: &IntLit,
        reg: &Operand,
        width: usize,
        float: Option<avm_alu::reg::FFormat>,
        span: Span,
    ) -> Result<Vec<u8>, Fail> {
        match float {
            Some(format) => float::float_bytes(&int.to_decimal(), format)
                .map_err(|e| fail(LowerError::Float(e), span)),
            None => value::int_bytes(int, width).ok_or_else(|| {
                let what = match reg.kind {
                    OperandKind::Reg(Reg::A(bits, _) | Reg::R(bits, _)) => {
                        format!("{bits} bits ({})", value::int_range(width))
                    }
                    _ => format!("{width} bytes"),
                };
                fail(
                    LowerError::DoesNotFit {
                        value: int.to_string(),
                        what,
                    },
                    span,
                )
            }),
        }
    }

    /// A byte-string operand as a data range.
    fn data_range(&mut self, op: &Operand) -> Result<Op, Fail> {
        let (off, len) = match &op.kind {
            OperandKind::Bytes(bytes) => {
                let len = bytes.len();
                (self.place(bytes.clone(), op.span)?, len)
            }
            OperandKind::DataRef {
                start,
                end: Some(end),
            } => {
                let start_v = u16_of(start, op.span, "a data offset (0..=65535)")?;
                let end_v = end.to_i128().unwrap_or(i128::MAX);
                let len = end_v - i128::from(start_v);
                if len < 0 {
                    return Err(fail(LowerError::BackwardRange, op.span));
                }
                if len > MAX_SEGMENT as i128 {
                    let err = LowerError::DoesNotFit {
                        value: format!("a range of {len} bytes"),
                        what: "a byte string (at most 65535 bytes)".into(),
                    };
                    return Err(fail(err, op.span));
                }
                (start_v, len as usize)
            }
            OperandKind::Ident(name) => match self.symbols.get(name) {
                Some(Symbol::Data { off, len, .. }) => {
                    let off = u16_of(&IntLit::from(*off as u128), op.span, "a data offset")?;
                    (off, *len)
                }
                Some(other) => {
                    let err = LowerError::WrongKind {
                        name: name.clone(),
                        is: other.what(),
                        expected: "a byte string",
                    };
                    return Err(fail(err, op.span));
                }
                None => return Err(fail(LowerError::Undefined(name.clone()), op.span)),
            },
            _ => {
                let err = LowerError::Expected {
                    expected: "a byte string or `data[START..END]`".into(),
                    found: describe(op),
                };
                return Err(fail(err, op.span));
            }
        };
        Ok(Op::DataRange {
            off,
            len: len as u16,
        })
    }

    /// The offset of `bytes` in the data segment, appending them unless already there.
    fn place(&mut self, bytes: Vec<u8>, span: Span) -> Result<u16, Fail> {
        if bytes.is_empty() {
            return Ok(0);
        }
        if let Some(off) = self.literals.get(&bytes) {
            return Ok(*off);
        }
        let off = self.data.len();
        if off + bytes.len() > MAX_SEGMENT {
            if self.encoding && !self.data_overflow {
                self.data_overflow = true;
                return Err(fail(LowerError::DataTooLarge, span));
            }
            return if self.encoding {
                Ok(0)
            } else {
                Err(fail(LowerError::DataTooLarge, span))
            };
        }
        self.data.extend(&bytes);
        self.literals.insert(bytes, off as u16);
        Ok(off as u16)
    }

    /// `MNEMONIC reg, ...` of a host extension the library lists: the opcode,
    /// then each register's index as an operand byte. `None` if no listed
    /// extension names such an instruction.
    fn ext_named(&self, ins: &Instruction, span: Span) -> Option<Result<Vec<u8>, Fail>> {
        let mnemonic = ins.mnemonic.node.as_str();
        let listed = |id: &str| self.isa.iter().any(|(listed, _)| listed == id);
        let (ext, opcode) = self
            .exts
            .iter()
            .filter(|ext| listed(ext.id()))
            .flat_map(|ext| (EXT_FIRST..=u8::MAX).map(move |op| (ext, op)))
            .find(|(ext, op)| ext.defines(*op) && ext.mnemonic(*op) == mnemonic)?;
        let kinds = ext.operands(opcode)?;
        Some(ext_operands(ins, span, opcode, ext.mnemonic(opcode), kinds))
    }

    /// `reserved 0xNN`: one raw opcode byte.
    fn reserved(&self, ins: &Instruction, span: Span) -> Result<Vec<u8>, Fail> {
        no_flags(ins, "reserved")?;
        let [op] = ins.operands.as_slice() else {
            return Err(count_error(ins, span, 1, "an opcode byte"));
        };
        let int = self.int(op).ok_or_else(|| {
            let err = LowerError::Expected {
                expected: "an opcode byte".into(),
                found: describe(op),
            };
            fail(err, op.span)
        })??;
        Ok(vec![byte_of(&int, op.span)?])
    }

    /// `ext 0xNN, x"..."`: an extension opcode and its raw operand bytes.
    fn ext(&self, ins: &Instruction, span: Span) -> Result<Vec<u8>, Fail> {
        no_flags(ins, "ext")?;
        let [op, bytes] = ins.operands.as_slice() else {
            return Err(count_error(
                ins,
                span,
                2,
                "an opcode byte and operand bytes",
            ));
        };
        let int = self.int(op).ok_or_else(|| {
            let err = LowerError::Expected {
                expected: "an opcode byte".into(),
                found: describe(op),
            };
            fail(err, op.span)
        })??;
        let opcode = byte_of(&int, op.span)?;
        if opcode < avm_alu::isa::EXT_FIRST {
            return Err(fail(LowerError::ExtOpcode(u16::from(opcode)), op.span));
        }
        let OperandKind::Bytes(operands) = &bytes.kind else {
            let err = LowerError::Expected {
                expected: "operand bytes `x\"...\"`".into(),
                found: describe(bytes),
            };
            return Err(fail(err, bytes.span));
        };
        if operands.len() > EXT_MAX_OPERANDS {
            let err = LowerError::ExtOperands {
                len: operands.len(),
                max: EXT_MAX_OPERANDS,
            };
            return Err(fail(err, bytes.span));
        }
        let mut out = vec![opcode];
        out.extend(operands);
        Ok(out)
    }
}

fn byte_of(int: &IntLit, span: Span) -> Result<u8, Fail> {
    int.to_i128()
        .and_then(|v| u8::try_from(v).ok())
        .ok_or_else(|| {
            let err = LowerError::DoesNotFit {
                value: int.to_string(),
                what: "a byte (0..=255)".into(),
            };
            fail(err, span)
        })
}

/// The bytes of a named extension instruction whose operands are `kinds`.
fn ext_operands(
    ins: &Instruction,
    span: Span,
    opcode: u8,
    mnemonic: &'static str,
    kinds: &[ExtOperand],
) -> Result<Vec<u8>, Fail> {
    no_flags(ins, mnemonic)?;
    let name = |kind: &ExtOperand| match kind {
        ExtOperand::A(w) => format!("an a{} register", w.bits()),
        ExtOperand::R(w) => format!("an r{} register", w.bits()),
        ExtOperand::S => "a byte-string register".to_string(),
    };
    if ins.operands.len() != kinds.len() {
        let what: Vec<String> = kinds.iter().map(name).collect();
        return Err(count_error(ins, span, kinds.len(), &what.join(", ")));
    }
    let mut bytes = vec![opcode];
    for (operand, kind) in ins.operands.iter().zip(kinds) {
        let idx = match (&operand.kind, kind) {
            (OperandKind::Reg(Reg::A(bits, idx)), ExtOperand::A(w)) if *bits == w.bits() => *idx,
            (OperandKind::Reg(Reg::R(bits, idx)), ExtOperand::R(w)) if *bits == w.bits() => *idx,
            (OperandKind::Reg(Reg::S(idx)), ExtOperand::S) => *idx,
            _ => {
                let err = LowerError::Expected {
                    expected: name(kind),
                    found: describe(operand),
                };
                return Err(fail(err, operand.span));
            }
        };
        bytes.push(idx);
    }
    Ok(bytes)
}

fn no_flags(ins: &Instruction, mnemonic: &'static str) -> Result<(), Fail> {
    match (ins.flags.first(), ins.flags.last()) {
        (Some(first), Some(last)) => Err(fail(
            LowerError::NoFlags(mnemonic),
            first.span.to(last.span),
        )),
        _ => Ok(()),
    }
}

/// The error for a raw form with the wrong number of operands.
fn count_error(ins: &Instruction, span: Span, want: usize, what: &str) -> Fail {
    match ins.operands.get(want) {
        Some(extra) => fail(
            LowerError::Expected {
                expected: "end of operands".into(),
                found: describe(extra),
            },
            extra.span,
        ),
        None => fail(
            LowerError::Expected {
                expected: what.into(),
                found: "end of operands".into(),
            },
            Span::new(span.end, span.end),
        ),
    }
}

/// "unknown mnemonic", with the closest known ones as a note.
fn unknown_mnemonic(ins: &Instruction) -> Fail {
    let name = ins.mnemonic.node.as_str();
    let mut known: Vec<&str> = OPCODES.iter().map(|r| r.mnemonic).collect();
    known.extend(["reserved", "ext"]);
    known.sort_unstable();
    known.dedup();
    let limit = if name.len() <= 3 { 1 } else { 2 };
    let close: Vec<String> = known
        .into_iter()
        .filter(|k| operand::within(name, k, limit))
        .map(|k| format!("`{k}`"))
        .collect();
    let note = match close.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        many => Some(format!("did you mean one of {}?", many.join(", "))),
    };
    (
        LowerError::UnknownMnemonic(name.to_owned()),
        ins.mnemonic.span,
        note,
    )
}

/// Why the operands do not match the only form of an instruction.
fn mismatch(slots: &[Slot], ins: &Instruction, span: Span, row: &OpInfo) -> Fail {
    for (slot, op) in slots.iter().zip(&ins.operands) {
        if !slot.accepts(op) {
            let err = LowerError::Expected {
                expected: slot.describe().into(),
                found: describe(op),
            };
            return fail(err, op.span);
        }
    }
    match (slots.get(ins.operands.len()), ins.operands.get(slots.len())) {
        (Some(slot), _) => fail(
            LowerError::Expected {
                expected: slot.describe().into(),
                found: "end of operands".into(),
            },
            Span::new(span.end, span.end),
        ),
        (_, Some(extra)) => {
            let expected = if slots.is_empty() {
                "no operands".to_owned()
            } else {
                operand::template(row)
            };
            fail(
                LowerError::Shape(format!("too many operands: expected {expected}")),
                extra.span,
            )
        }
        _ => fail(LowerError::Shape("operands do not match".into()), span),
    }
}

/// The part of an instruction a shape error is about.
fn locate(message: &str, slots: &[Slot], ins: &Instruction, span: Span) -> Span {
    if message.contains("flag") {
        return match (ins.flags.first(), ins.flags.last()) {
            (Some(first), Some(last)) => first.span.to(last.span),
            _ => ins.mnemonic.span,
        };
    }
    let pairs = || slots.iter().zip(&ins.operands);
    if message.contains("same width") {
        let mut widths: HashMap<&str, u16> = HashMap::new();
        for (slot, op) in pairs() {
            if let Some(bits) = operand::width(op) {
                if *widths.entry(slot.var).or_insert(bits) != bits {
                    return op.span;
                }
            }
        }
    }
    if message.starts_with("expected") {
        for (slot, op) in pairs() {
            let narrow = match slot.kind {
                "a16" => Some(16),
                "a8" => Some(8),
                "r160" => Some(160),
                "r256" => Some(256),
                "r512" => Some(512),
                _ => None,
            };
            if narrow.is_some_and(|bits| operand::width(op) != Some(bits)) {
                return op.span;
            }
        }
    }
    if message.starts_with("step") {
        if let Some((_, op)) = pairs().find(|(s, _)| s.kind == "step") {
            return op.span;
        }
    }
    span
}
