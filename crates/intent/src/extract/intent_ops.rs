//! The intent opcodes of `OBJ` (0xE3..=0xEC) under extraction.

use avm_alu::isa::{ExtInstr, Instr};
use avm_vm::codec;

use super::{unsupported, ExtractError, Extractor, Flag, Path, Step, Val};
use crate::ir::{Cmp, Constraint, Domain, Intent, Linear, Side, VarId};

impl Extractor<'_> {
    /// Runs one intent opcode on the path.
    pub(super) fn intent_op(
        &mut self,
        p: &mut Path,
        instr: &Instr,
        e: &ExtInstr,
        at: u16,
    ) -> Result<Step, ExtractError> {
        let bad = |what: &str| unsupported(instr, at, what.to_string());
        let ops = e.operands();
        let reg = |k: usize| usize::from(ops.get(k).copied().unwrap_or(0));
        if ops.iter().any(|&r| r >= 32) {
            return Err(bad("a register index is out of range"));
        }
        let concrete_a = |p: &Path, k: usize| -> Result<Option<u64>, ExtractError> {
            match &p.a[reg(k)] {
                Val::Undef => Ok(None),
                Val::Bits(b) => Ok(Some(*b)),
                Val::Sym(_) => Err(bad("this operand must be concrete, and it is symbolic")),
            }
        };
        let s_reg = |p: &Path, k: usize| -> Result<Option<Vec<u8>>, ExtractError> {
            if reg(k) >= 16 {
                return Err(bad("a byte-string register index is out of range"));
            }
            Ok(p.s[reg(k)].clone())
        };
        let decoded =
            |bytes: Option<Vec<u8>>, what: &str| -> Result<avm_vm::DataValue, ExtractError> {
                let b = bytes.ok_or_else(|| bad(&format!("the {what} register is undefined")))?;
                codec::decode(&b).map_err(|err| bad(&format!("the {what} is not a value: {err}")))
            };
        let text = |bytes: Option<Vec<u8>>, what: &str| -> Result<String, ExtractError> {
            let b = bytes.ok_or_else(|| bad(&format!("the {what} register is undefined")))?;
            String::from_utf8(b).map_err(|_| bad(&format!("the {what} is not UTF-8 text")))
        };
        let domain = |v: &avm_vm::DataValue| -> Result<Domain, ExtractError> {
            let d = crate::encode::domain_of(v, "domain").map_err(|err| bad(&err.to_string()))?;
            check_domain(&d).map_err(|err| bad(&err))?;
            Ok(d)
        };
        match e.opcode {
            0xE3 | 0xE4 => {
                let d = if e.opcode == 0xE3 {
                    let (lo, hi) = (concrete_a(p, 1)?, concrete_a(p, 2)?);
                    let (Some(lo), Some(hi)) = (lo, hi) else {
                        return Err(bad("a bound register is undefined"));
                    };
                    Domain::Range {
                        lo: lo as i64,
                        hi: hi as i64,
                    }
                } else {
                    domain(&decoded(s_reg(p, 1)?, "domain")?)?
                };
                check_domain(&d).map_err(|err| bad(&err))?;
                let v = self.new_var("c", d, at)?;
                p.choices.push(v);
                p.a[reg(0)] = Val::Sym(Linear::var(v));
            }
            0xE5 => match p.st0.clone() {
                Flag::Known(true) => {}
                Flag::Known(false) => return Ok(Step::Done(false)),
                Flag::Sym(c) => {
                    // Where the path goes on, the condition holds.
                    p.cond.push(c);
                    p.st0 = Flag::Known(true);
                }
            },
            0xE6 => {
                let d = domain(&decoded(s_reg(p, 1)?, "domain")?)?;
                let v = self.new_var("v", d, at)?;
                let handle = p.choices.len() as u64;
                p.choices.push(v);
                p.a[reg(0)] = Val::Bits(handle);
            }
            0xE7 | 0xE9 => {
                let h = concrete_a(p, if e.opcode == 0xE7 { 0 } else { 1 })?
                    .ok_or_else(|| bad("the handle register is undefined"))?;
                let var = usize::try_from(h)
                    .ok()
                    .and_then(|h| p.choices.get(h).copied())
                    .ok_or_else(|| bad(&format!("no variable has handle {h}")))?;
                if e.opcode == 0xE7 {
                    let d = domain(&decoded(s_reg(p, 1)?, "domain")?)?;
                    p.cond.push(member(var, &d));
                    p.st0 = Flag::Known(true);
                } else {
                    p.a[reg(0)] = Val::Sym(Linear::var(var));
                }
            }
            0xE8 => {
                let v = decoded(s_reg(p, 0)?, "constraint")?;
                let c = crate::encode::constraint_of(&v, "constraint", 0)
                    .map_err(|err| bad(&err.to_string()))?;
                let mut missing = None;
                let c = c.map_vars(&mut |h| match p.choices.get(h.index()) {
                    Some(&v) => v,
                    None => {
                        missing = Some(h);
                        h
                    }
                });
                if let Some(h) = missing {
                    return Err(bad(&format!(
                        "the constraint names handle {}, which no newVar made",
                        h.0
                    )));
                }
                p.cond.push(c);
                p.st0 = Flag::Known(true);
            }
            0xEA | 0xEB => {
                let kind = text(s_reg(p, 0)?, "kind")?;
                let q = match &p.a[reg(1)] {
                    Val::Undef => return Err(bad("the quantity register is undefined")),
                    Val::Bits(b) => Linear::constant(*b as i64),
                    Val::Sym(l) => l.clone(),
                };
                let side = if e.opcode == 0xEA {
                    Side::Consume
                } else {
                    Side::Create
                };
                p.flows.push((side, kind, q));
            }
            0xEC => {
                let o = text(s_reg(p, 0)?, "offer")?;
                p.offers.push(o);
            }
            _ => {
                return Err(bad(
                    "an object-runtime instruction: extraction runs the intent families only",
                ))
            }
        }
        Ok(Step::Next)
    }
}

/// Whether `d` is a domain a variable may have (non-empty, within the
/// value limit, normalised).
fn check_domain(d: &Domain) -> Result<(), String> {
    let mut probe = Intent::new("probe");
    probe.var("x", d.clone());
    probe.validate().map_err(|err| err.what)
}

/// `var` lies in `d`.
fn member(var: VarId, d: &Domain) -> Constraint {
    match d {
        Domain::Range { lo, hi } => Constraint::And(vec![
            Constraint::compare(Linear::var(var), Cmp::Geq, Linear::constant(*lo)),
            Constraint::compare(Linear::var(var), Cmp::Leq, Linear::constant(*hi)),
        ]),
        Domain::Set(values) => Constraint::Table {
            vars: vec![var],
            rows: values.iter().map(|&v| vec![v]).collect(),
        },
    }
}
