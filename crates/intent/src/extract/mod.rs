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
//!   registers (and `clr` of any A register), `inv st0`;
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

use avm_alu::isa::Instr;
use avm_alu::Library;

use crate::ir::{Cmp, Constraint, Domain, Intent, Linear, Side, VarId};

mod core;
mod intent_ops;

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
