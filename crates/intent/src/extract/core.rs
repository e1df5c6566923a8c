//! The core Alu instructions of the extraction subset, concretely or
//! symbolically.

use avm_alu::isa::flags::{IntFlags, NoneEqFlag, SignFlag, WrapFlag};
use avm_alu::isa::{self as alu_isa, Instr};
use avm_alu::reg::AWidth;

use super::{unsupported, ExtractError, Extractor, Flag, Path, Step, Val, CALL_STACK};
use crate::ir::{Cmp, Constraint, Linear};

impl Extractor<'_> {
    /// Runs one instruction of the path.
    pub(super) fn step(&mut self, p: &mut Path) -> Result<Step, ExtractError> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            return Err(ExtractError::Limit {
                offset: p.pc,
                what: format!("more than {} steps", self.limits.max_steps),
            });
        }
        let code = &self.lib.code;
        let at = p.pc;
        let rest = code.get(usize::from(at)..).unwrap_or(&[]);
        let ext = self.ext;
        let (instr, len) =
            alu_isa::decode(
                rest,
                |op| {
                    if ext {
                        avm_obj::alu::resolve(op)
                    } else {
                        None
                    }
                },
            );
        let next = usize::from(at) + len;
        let Ok(next) = u16::try_from(next) else {
            return Ok(Step::Done(false));
        };
        p.pc = next;
        let bad = |what: String| unsupported(&instr, at, what);
        let a64 = |w: AWidth| -> Result<(), ExtractError> {
            if w == AWidth::A64 {
                Ok(())
            } else {
                Err(unsupported(
                    &instr,
                    at,
                    "only a64 registers are in the subset",
                ))
            }
        };
        match instr {
            Instr::Fail(_) | Instr::Reserved(_) => return Ok(Step::Done(false)),
            Instr::Nop(_) => {}
            Instr::Stop(_) => return Ok(self.finish(p)),
            Instr::Ret(_) => match p.stack.pop() {
                Some(site) => p.pc = site,
                None => return Ok(self.finish(p)),
            },
            Instr::Test(_) => match p.st0.clone() {
                Flag::Known(false) => return Ok(Step::Done(false)),
                Flag::Known(true) => {}
                Flag::Sym(c) => {
                    p.cond.push(c);
                    p.st0 = Flag::Known(true);
                }
            },
            Instr::Jmp(s) => p.pc = s.pos,
            Instr::Routine(s) => {
                if p.stack.len() >= CALL_STACK {
                    return Ok(Step::Done(false));
                }
                p.stack.push(next);
                p.pc = s.pos;
            }
            Instr::Jif(s) => match p.st0.clone() {
                Flag::Known(true) => p.pc = s.pos,
                Flag::Known(false) => {}
                Flag::Sym(c) => {
                    let mut taken = p.clone();
                    taken.pc = s.pos;
                    taken.cond.push(c.clone());
                    taken.st0 = Flag::Known(true);
                    p.cond.push(Constraint::Not(Box::new(c)));
                    p.st0 = Flag::Known(false);
                    return Ok(Step::Fork(Box::new(taken)));
                }
            },
            Instr::Inv(_) => {
                p.st0 = match p.st0.clone() {
                    Flag::Known(b) => Flag::Known(!b),
                    Flag::Sym(Constraint::Not(c)) => Flag::Sym(*c),
                    Flag::Sym(c) => Flag::Sym(Constraint::Not(Box::new(c))),
                }
            }
            // Clearing a register of another width changes nothing tracked
            // (every instruction that reads one is outside the subset).
            Instr::ClrA(r) => {
                if r.width == AWidth::A64 {
                    p.a[usize::from(r.reg)] = Val::Undef;
                }
            }
            Instr::ClrS(r) => p.s[usize::from(r.reg)] = None,
            Instr::PutA(d) => {
                a64(d.width)?;
                let off = usize::from(d.off);
                match self.lib.data.get(off..off + 8) {
                    Some(b) => {
                        let bytes: [u8; 8] = b.try_into().unwrap_or([0; 8]);
                        p.a[usize::from(d.reg)] = Val::Bits(u64::from_le_bytes(bytes));
                    }
                    None => {
                        p.a[usize::from(d.reg)] = Val::Undef;
                        p.st0 = Flag::Known(false);
                    }
                }
            }
            Instr::PutS(d) => {
                let (off, len) = (usize::from(d.off), usize::from(d.len));
                match self.lib.data.get(off..off + len) {
                    Some(b) => p.s[usize::from(d.reg)] = Some(b.to_vec()),
                    None => {
                        p.s[usize::from(d.reg)] = None;
                        p.st0 = Flag::Known(false);
                    }
                }
            }
            Instr::MovA(r) | Instr::DupA(r) | Instr::SwpA(r) => {
                a64(r.width)?;
                let (d, s) = (usize::from(r.dst), usize::from(r.src));
                match instr {
                    Instr::SwpA(_) => p.a.swap(d, s),
                    _ => {
                        let v = p.a[s].clone();
                        if matches!(instr, Instr::MovA(_)) {
                            p.a[s] = Val::Undef;
                        }
                        p.a[d] = v;
                    }
                }
            }
            Instr::MovS(r) | Instr::DupS(r) | Instr::SwpS(r) => {
                let (d, s) = (usize::from(r.dst), usize::from(r.src));
                match instr {
                    Instr::SwpS(_) => p.s.swap(d, s),
                    _ => {
                        let v = p.s[s].clone();
                        if matches!(instr, Instr::MovS(_)) {
                            p.s[s] = None;
                        }
                        p.s[d] = v;
                    }
                }
            }
            Instr::GtA(c) | Instr::LtA(c) => {
                a64(c.width)?;
                let signed = c.flag == SignFlag::Signed;
                let (x, y) = (&p.a[usize::from(c.a)], &p.a[usize::from(c.b)]);
                let op = if matches!(instr, Instr::GtA(_)) {
                    Cmp::Gt
                } else {
                    Cmp::Lt
                };
                p.st0 = match (x, y) {
                    (Val::Bits(x), Val::Bits(y)) => Flag::Known(if signed {
                        op.holds((*x as i64).into(), (*y as i64).into())
                    } else {
                        op.holds((*x).into(), (*y).into())
                    }),
                    (Val::Undef, _) | (_, Val::Undef) => Flag::Known(false),
                    _ => {
                        let lhs = self.term(x, signed).map_err(bad)?.unwrap_or_default();
                        let rhs = self.term(y, signed).map_err(bad)?.unwrap_or_default();
                        Flag::Sym(Constraint::compare(lhs, op, rhs))
                    }
                };
            }
            Instr::EqA(c) => {
                a64(c.width)?;
                let (x, y) = (&p.a[usize::from(c.a)], &p.a[usize::from(c.b)]);
                p.st0 = match (x, y) {
                    (Val::Undef, Val::Undef) => Flag::Known(c.flag == NoneEqFlag::Equal),
                    (Val::Undef, _) | (_, Val::Undef) => Flag::Known(false),
                    (Val::Bits(x), Val::Bits(y)) => Flag::Known(x == y),
                    _ => {
                        // Equal bits are equal signed integers.
                        let lhs = self.term(x, true).map_err(bad)?.unwrap_or_default();
                        let rhs = self.term(y, true).map_err(bad)?.unwrap_or_default();
                        Flag::Sym(Constraint::compare(lhs, Cmp::Eq, rhs))
                    }
                };
            }
            Instr::IfzA(r) => {
                a64(r.width)?;
                p.st0 = match &p.a[usize::from(r.reg)] {
                    Val::Undef => Flag::Known(false),
                    Val::Bits(b) => Flag::Known(*b == 0),
                    Val::Sym(l) => {
                        Flag::Sym(Constraint::compare(l.clone(), Cmp::Eq, Linear::constant(0)))
                    }
                };
            }
            Instr::IfnA(r) => {
                a64(r.width)?;
                p.st0 = Flag::Known(p.a[usize::from(r.reg)] == Val::Undef);
            }
            Instr::Add(s) | Instr::Sub(s) | Instr::Mul(s) => {
                a64(s.width)?;
                let (x, y) = (p.a[usize::from(s.a)].clone(), p.a[usize::from(s.b)].clone());
                let signed = s.flag.signed();
                let op = match instr {
                    Instr::Add(_) => Arith::Add,
                    Instr::Sub(_) => Arith::Sub,
                    _ => Arith::Mul,
                };
                let r = match (&x, &y) {
                    (Val::Undef, _) | (_, Val::Undef) => Val::Undef,
                    (Val::Bits(a), Val::Bits(b)) => {
                        concrete(op, *a, *b, s.flag).map_or(Val::Undef, Val::Bits)
                    }
                    _ => {
                        let lx = self.term(&x, signed).map_err(bad)?.unwrap_or_default();
                        let ly = self.term(&y, signed).map_err(bad)?.unwrap_or_default();
                        let l = match op {
                            Arith::Add => lx.checked_combine(&ly, 1),
                            Arith::Sub => lx.checked_combine(&ly, -1),
                            Arith::Mul => match (lx.terms(), ly.terms()) {
                                ([], _) => ly.checked_scale(lx.offset()),
                                (_, []) => lx.checked_scale(ly.offset()),
                                _ => {
                                    return Err(bad(
                                        "a product of two symbolic values is not linear".into(),
                                    ))
                                }
                            },
                        };
                        let l =
                            l.ok_or_else(|| bad("the symbolic term overflows 64 bits".into()))?;
                        self.fits(l, signed).map_err(bad)?
                    }
                };
                // A checked operation that overflows clears st0.
                if r == Val::Undef && !matches!((&x, &y), (Val::Undef, _) | (_, Val::Undef)) {
                    p.st0 = Flag::Known(false);
                }
                p.a[usize::from(s.dst)] = r;
            }
            Instr::Inc(s) | Instr::Dec(s) => {
                a64(s.width)?;
                let step = i64::from(s.step) + 1;
                let step = if matches!(instr, Instr::Inc(_)) {
                    step
                } else {
                    -step
                };
                let reg = usize::from(s.reg);
                match p.a[reg].clone() {
                    Val::Undef => {}
                    Val::Bits(b) => {
                        let op = if step > 0 { Arith::Add } else { Arith::Sub };
                        let r = concrete(op, b, step.unsigned_abs(), s.flag);
                        match r {
                            Some(v) => p.a[reg] = Val::Bits(v),
                            None => {
                                p.a[reg] = Val::Undef;
                                p.st0 = Flag::Known(false);
                            }
                        }
                    }
                    Val::Sym(l) => {
                        let signed = s.flag.signed();
                        self.term(&Val::Sym(l.clone()), signed).map_err(bad)?;
                        let moved = l
                            .checked_combine(&Linear::constant(step), 1)
                            .ok_or_else(|| bad("the constant overflows".into()))?;
                        p.a[reg] = self.fits(moved, signed).map_err(bad)?;
                    }
                }
            }
            Instr::Neg(s) => {
                a64(s.width)?;
                let v = p.a[usize::from(s.src)].clone();
                p.a[usize::from(s.dst)] = match v {
                    Val::Undef => Val::Undef,
                    Val::Bits(b) => {
                        let x = b as i64;
                        match (x.checked_neg(), s.flag) {
                            (Some(n), _) => Val::Bits(n as u64),
                            (None, WrapFlag::Wrapped) => Val::Bits(b),
                            (None, WrapFlag::Checked) => {
                                p.st0 = Flag::Known(false);
                                Val::Undef
                            }
                        }
                    }
                    Val::Sym(l) => {
                        let n = l
                            .checked_scale(-1)
                            .ok_or_else(|| bad("a coefficient overflows".into()))?;
                        self.fits(n, true).map_err(bad)?
                    }
                };
            }
            Instr::Ext(e) => return self.intent_op(p, &instr, &e, at),
            other => {
                return Err(unsupported(
                    &other,
                    at,
                    "the instruction is outside the extraction subset (docs/intents.md)",
                ))
            }
        }
        Ok(Step::Next)
    }

    fn finish(&self, p: &mut Path) -> Step {
        match p.st0.clone() {
            Flag::Known(b) => Step::Done(b),
            Flag::Sym(c) => {
                p.cond.push(c);
                Step::Done(true)
            }
        }
    }
}

/// The arithmetic of the subset.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arith {
    Add,
    Sub,
    Mul,
}

/// Alu's `add`, `sub`, `mul` on two concrete `a64` values; `None` where
/// a checked operation overflows.
fn concrete(op: Arith, a: u64, b: u64, flag: IntFlags) -> Option<u64> {
    let (sa, sb) = (a as i64, b as i64);
    match (op, flag.signed(), flag.wrapped()) {
        (Arith::Add, _, true) => Some(a.wrapping_add(b)),
        (Arith::Sub, _, true) => Some(a.wrapping_sub(b)),
        (Arith::Mul, _, true) => Some(a.wrapping_mul(b)),
        (Arith::Add, false, false) => a.checked_add(b),
        (Arith::Sub, false, false) => a.checked_sub(b),
        (Arith::Mul, false, false) => a.checked_mul(b),
        (Arith::Add, true, false) => sa.checked_add(sb).map(|v| v as u64),
        (Arith::Sub, true, false) => sa.checked_sub(sb).map(|v| v as u64),
        (Arith::Mul, true, false) => sa.checked_mul(sb).map(|v| v as u64),
    }
}
