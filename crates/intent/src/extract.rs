//! Symbolic extraction: a party's Alu program, run once with every
//! chosen value as a symbolic term, becomes one [`Intent`].
//!
//! The program is one library (no imports) that commits to the `OBJ`
//! extension and runs from its entry `main` (else offset 0). The
//! interpreter here follows Alu's semantics on a subset, tracking `a64`
//! registers as concrete bits, undefined, or a linear term over the
//! intent's variables, and `st0` as a concrete flag or a constraint:
//!
//! - control: `fail`, `test`, `jmp`, `jif`, `routine`, `ret`, `stop`, `nop`;
//! - movement: `clr`, `put`, `mov`, `dup`, `swp` on `a64` and `s`
//!   registers, `inv st0`;
//! - comparison: `gt`, `lt`, `eq`, `ifz`, `ifn` on `a64`;
//! - arithmetic: `add`, `sub`, `neg`, `inc`, `dec` on `a64`, and `mul`
//!   when one side is concrete;
//! - the intent opcodes of `OBJ` (0xE3..=0xEC, docs/intents.md).
//!
//! A comparison on a symbolic value makes `st0` a constraint; `jif` on
//! it forks the run into two paths, each carrying the condition or its
//! negation; `test`, `stop` and `orequire` add it to the path. A path
//! that fails is dropped; the intent is the disjunction of the paths
//! that stop with `st0` set (a path variable picks one; flows made on a
//! path count only when it is picked). Symbolic arithmetic is exact: it
//! is refused where the operands' ranges allow an overflow, and an
//! unsigned operation or comparison needs operands that cannot be
//! negative. Any other instruction, or a symbolic value where a concrete
//! one is needed (a jump target, a multiplication of two symbolic
//! values, a handle), is an error naming the instruction and its offset:
//! nothing is silently made concrete. Runs are bounded by
//! [`Limits::max_steps`] instructions over all paths and
//! [`Limits::max_paths`] paths.

use avm_alu::isa::flags::{IntFlags, NoneEqFlag, SignFlag, WrapFlag};
use avm_alu::isa::{self as alu_isa, ExtInstr, Instr};
use avm_alu::reg::AWidth;
use avm_alu::Library;
use avm_vm::codec;

use crate::ir::{Cmp, Constraint, Domain, Intent, Linear, Side, VarId};

/// Bounds on one extraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Instructions executed, over all paths.
    pub max_steps: u64,
    /// Paths alive or finished: the fork limit.
    pub max_paths: usize,
    /// Variables created (`choose`, `newVar`).
    pub max_vars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_steps: 100_000,
            max_paths: 64,
            max_vars: 1024,
        }
    }
}

/// Why a program does not extract, naming where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// The library is not a program this extractor runs.
    #[error("the library cannot be extracted: {0}")]
    Library(String),
    /// An instruction outside the subset, or a symbolic value where a
    /// concrete one is needed.
    #[error("`{instr}` at offset {offset:#06x}: {what}")]
    Unsupported {
        /// The instruction, as the disassembler spells its mnemonic.
        instr: String,
        /// Its code offset.
        offset: u16,
        /// Why.
        what: String,
    },
    /// A limit of [`Limits`] was reached.
    #[error("{what} at offset {offset:#06x}")]
    Limit {
        /// Where.
        offset: u16,
        /// Which limit.
        what: String,
    },
    /// No path stops with `st0` set: the intent can never hold.
    #[error("no path of the program succeeds: the intent can never hold")]
    NeverSucceeds,
    /// The extracted intent is not well formed (a constant beyond the
    /// value limit, say).
    #[error("the extracted intent is not well formed: {0}")]
    Invalid(#[from] crate::ir::Invalid),
}

/// The extracted intent and what concrete validation needs to replay it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extracted {
    /// The intent.
    pub intent: Intent,
    /// Per successful path, the variables its `choose` and `newVar`
    /// instructions created, in the order they ran.
    pub paths: Vec<Vec<VarId>>,
    /// The variable picking the path, when there are several.
    pub path_var: Option<VarId>,
}

impl Extracted {
    /// Which path a solution's values take.
    pub fn path_of(&self, values: &[i64]) -> usize {
        self.path_var
            .and_then(|v| values.get(v.index()))
            .map_or(0, |&p| usize::try_from(p).unwrap_or(0))
    }
}

/// An `a64` register.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Val {
    Undef,
    Bits(u64),
    Sym(Linear),
}

/// `st0`.
#[derive(Clone, Debug)]
enum Flag {
    Known(bool),
    Sym(Constraint),
}

#[derive(Clone, Debug)]
struct Path {
    pc: u16,
    a: Vec<Val>,
    s: Vec<Option<Vec<u8>>>,
    st0: Flag,
    stack: Vec<u16>,
    cond: Vec<Constraint>,
    flows: Vec<(Side, String, Linear)>,
    offers: Vec<String>,
    choices: Vec<VarId>,
}

/// How a path's step ended.
enum Step {
    Next,
    Fork(Box<Path>),
    Done(bool),
}

struct Extractor<'a> {
    lib: &'a Library,
    ext: bool,
    limits: Limits,
    vars: Vec<crate::ir::Var>,
    steps: u64,
}

const CALL_STACK: usize = 1024;

/// Extracts the intent of `party` from the library.
///
/// ```
/// use avm_asm::assemble_with;
/// use avm_intent::extract::{extract, Limits};
/// let src = ".isa OBJ\n.entry main\nmain:\n  put a64[1], 1\n  put a64[2], 9\n  \
///            ochoose a64[0], a64[1], a64[2]\n  put a64[3], 4\n  gt.s a64[0], a64[3]\n  \
///            orequire\n  stop\n";
/// let lib = assemble_with("a.alu", src, &avm_asm::NoLibs, &[&avm_obj::alu::ObjIsa])
///     .unwrap()
///     .library;
/// let x = extract("alice", &lib, Limits::default()).unwrap();
/// assert_eq!(x.intent.to_string(), "intent alice\n  var c0 in 1..=9\n  require c0 > 4\n");
/// ```
pub fn extract(party: &str, lib: &Library, limits: Limits) -> Result<Extracted, ExtractError> {
    if !lib.libs.is_empty() {
        return Err(ExtractError::Library(
            "it imports other libraries; extraction runs one library".into(),
        ));
    }
    let ext = match lib.isa.as_slice() {
        [] => false,
        [one] if one == avm_obj::alu::ISA_ID => true,
        other => {
            return Err(ExtractError::Library(format!(
                "it commits to ISA extensions {other:?}; only OBJ is known here"
            )))
        }
    };
    let mut x = Extractor {
        lib,
        ext,
        limits,
        vars: Vec::new(),
        steps: 0,
    };
    let start = Path {
        pc: lib.entry("main").unwrap_or(0),
        a: vec![Val::Undef; 32],
        s: vec![None; 16],
        st0: Flag::Known(true),
        stack: Vec::new(),
        cond: Vec::new(),
        flows: Vec::new(),
        offers: Vec::new(),
        choices: Vec::new(),
    };
    let mut live = vec![start];
    let mut done: Vec<Path> = Vec::new();
    let mut forks = 1usize;
    while let Some(mut p) = live.pop() {
        loop {
            match x.step(&mut p)? {
                Step::Next => {}
                Step::Fork(other) => {
                    forks += 1;
                    if forks > limits.max_paths {
                        return Err(ExtractError::Limit {
                            offset: p.pc,
                            what: format!("more than {} paths (the fork limit)", limits.max_paths),
                        });
                    }
                    live.push(*other);
                }
                Step::Done(ok) => {
                    if ok {
                        done.push(p);
                    }
                    break;
                }
            }
        }
    }
    x.assemble(party, done)
}

fn unsupported(instr: &Instr, offset: u16, what: impl Into<String>) -> ExtractError {
    ExtractError::Unsupported {
        instr: instr.mnemonic().to_string(),
        offset,
        what: what.into(),
    }
}

/// The least and greatest value of a term over the variables' domains.
fn bounds(vars: &[crate::ir::Var], l: &Linear) -> (i128, i128) {
    let (mut lo, mut hi) = (i128::from(l.offset()), i128::from(l.offset()));
    for &(c, v) in l.terms() {
        let (a, b) = vars[v.index()].domain.bounds().unwrap_or((0, 0));
        let (x, y) = (i128::from(c) * i128::from(a), i128::from(c) * i128::from(b));
        lo += x.min(y);
        hi += x.max(y);
    }
    (lo, hi)
}

/// Scales a term exactly, or `None` if a coefficient overflows.
fn scaled(l: &Linear, k: i64) -> Option<Linear> {
    let terms = l
        .terms()
        .iter()
        .map(|&(c, v)| c.checked_mul(k).map(|c| (c, v)))
        .collect::<Option<Vec<_>>>()?;
    Some(Linear::new(terms, l.offset().checked_mul(k)?))
}

impl Extractor<'_> {
    fn new_var(&mut self, prefix: &str, domain: Domain, at: u16) -> Result<VarId, ExtractError> {
        if self.vars.len() >= self.limits.max_vars {
            return Err(ExtractError::Limit {
                offset: at,
                what: format!("more than {} variables", self.limits.max_vars),
            });
        }
        let id = VarId(self.vars.len() as u32);
        self.vars.push(crate::ir::Var {
            name: format!("{prefix}{}", id.0),
            domain,
        });
        Ok(id)
    }

    /// A value as a term of the signedness given: concrete bits read as
    /// signed or unsigned; a symbolic term must be non-negative for
    /// unsigned use.
    fn term(&self, v: &Val, signed: bool) -> Result<Option<Linear>, String> {
        Ok(match v {
            Val::Undef => None,
            Val::Bits(b) if signed => Some(Linear::constant(*b as i64)),
            Val::Bits(b) => Some(Linear::constant(i64::try_from(*b).map_err(|_| {
                format!("the unsigned constant {b} is too large to meet a symbolic value")
            })?)),
            Val::Sym(l) => {
                if !signed && bounds(&self.vars, l).0 < 0 {
                    return Err(
                        "an unsigned operation on a symbolic value that may be negative".into(),
                    );
                }
                Some(l.clone())
            }
        })
    }

    /// A symbolic result, refused unless its range fits the operation.
    fn fits(&self, l: Linear, signed: bool) -> Result<Val, String> {
        let (lo, hi) = bounds(&self.vars, &l);
        let (min, max) = if signed {
            (i128::from(i64::MIN), i128::from(i64::MAX))
        } else {
            (0, i128::from(u64::MAX))
        };
        if lo < min || hi > max {
            return Err(format!(
                "the symbolic result ranges over {lo}..={hi}, which may overflow"
            ));
        }
        Ok(match l.terms() {
            [] => Val::Bits(l.offset() as u64),
            _ => Val::Sym(l),
        })
    }

    fn step(&mut self, p: &mut Path) -> Result<Step, ExtractError> {
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
            Instr::ClrA(r) => {
                a64(r.width)?;
                p.a[usize::from(r.reg)] = Val::Undef;
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
                                ([], _) => scaled(&ly, lx.offset()),
                                (_, []) => scaled(&lx, ly.offset()),
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
                        let n =
                            scaled(&l, -1).ok_or_else(|| bad("a coefficient overflows".into()))?;
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

    fn intent_op(
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

    /// The intent: one path as it is, several under a path variable.
    fn assemble(mut self, party: &str, mut done: Vec<Path>) -> Result<Extracted, ExtractError> {
        let mut intent = Intent::new(party);
        let (constraints, flows, offers, paths, path_var) = match done.len() {
            0 => return Err(ExtractError::NeverSucceeds),
            1 => {
                let p = done.remove(0);
                (p.cond, p.flows, p.offers, vec![p.choices], None)
            }
            n => {
                let pv = self.new_var(
                    "path",
                    Domain::Range {
                        lo: 0,
                        hi: n as i64 - 1,
                    },
                    0,
                )?;
                let is = |k: usize| {
                    Constraint::compare(Linear::var(pv), Cmp::Eq, Linear::constant(k as i64))
                };
                let isnt = |k: usize| {
                    Constraint::compare(Linear::var(pv), Cmp::Neq, Linear::constant(k as i64))
                };
                let mut constraints = Vec::new();
                let mut flows = Vec::new();
                let mut offers = Vec::new();
                let mut paths = Vec::new();
                for (k, p) in done.into_iter().enumerate() {
                    constraints.push(Constraint::Or(vec![isnt(k), Constraint::And(p.cond)]));
                    for (side, kind, q) in p.flows {
                        let (_, hi) = bounds(&self.vars, &q);
                        let hi = i64::try_from(hi.max(0)).unwrap_or(i64::MAX);
                        let f = self.new_var("q", Domain::Range { lo: 0, hi }, 0)?;
                        constraints.push(Constraint::Or(vec![
                            isnt(k),
                            Constraint::compare(Linear::var(f), Cmp::Eq, q),
                        ]));
                        constraints.push(Constraint::Or(vec![
                            is(k),
                            Constraint::compare(Linear::var(f), Cmp::Eq, Linear::constant(0)),
                        ]));
                        flows.push((side, kind, Linear::var(f)));
                    }
                    offers.extend(p.offers);
                    paths.push(p.choices);
                }
                (constraints, flows, offers, paths, Some(pv))
            }
        };
        intent.vars = std::mem::take(&mut self.vars);
        intent.constraints = constraints;
        for (side, kind, q) in flows {
            intent.flows.push(crate::ir::Flow {
                side,
                kind,
                quantity: q,
                owner: party.to_string(),
            });
        }
        offers.iter().for_each(|o| intent.offer(o));
        intent.validate()?;
        Ok(Extracted {
            intent,
            paths,
            path_var,
        })
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
