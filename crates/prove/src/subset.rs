//! The provable subset of Alu: a program is compiled into a list of
//! [`Step`]s, one per code offset the run can reach, before anything is
//! proved. An instruction outside the subset is refused by name and offset.
//!
//! The subset: `fail`, `test`, `jmp`, `jif`, `routine`, `ret`, `stop`,
//! `nop`, `inv` (st0), and the FGL64 instructions `putgl`, `movgl`, `eqgl`,
//! `addgl`, `subgl`, `mulgl`, `neggl`, `invgl`, over at most
//! [`MAX_REGISTERS`] distinct `a64` registers. Opcodes that execute as
//! `fail` (reserved ones, FGL64 in a library that does not declare it, and
//! running past the end of the code) are in the subset as `fail`.

use std::collections::{BTreeMap, BTreeSet};

use avm_alu::isa::{self, BUILTIN_ISA};
use avm_alu::library::MAGIC;
use avm_alu::{AluProgram, Instr, LibId, Library};

/// Most distinct `a64` registers a provable program may name (`a64[0]` and
/// `a64[1]`, the arguments, always count).
pub const MAX_REGISTERS: usize = 16;

/// Most code offsets a provable program may reach (each is a trace column).
pub const MAX_STEPS: usize = 256;

/// Deepest routine nesting a provable run may reach (Alu allows 1024; each
/// level is a trace column, so the subset keeps few).
pub const CALL_DEPTH: usize = 4;

/// The Goldilocks prime, p = 2^64 - 2^32 + 1.
pub const P: u64 = 0xFFFF_FFFF_0000_0001;

/// The FGL64 binary operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `addgl`
    Add,
    /// `subgl`
    Sub,
    /// `mulgl`
    Mul,
}

/// What one step does. Registers are indices into [`Circuit::registers`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `stop` (and `ret` in a program without routines): halt, st0 as it is.
    Stop,
    /// `fail`, reserved opcodes, past the end of code: st0 := false, halt.
    Fail,
    /// `test`: halt (failing) if st0 is false.
    Test,
    /// `nop`.
    Nop,
    /// `inv`: st0 := not st0.
    NotSt0,
    /// `jmp`.
    Jmp(u32),
    /// `jif`: jump if st0.
    Jif(u32),
    /// `routine`: push the return offset, jump.
    Routine(u32),
    /// `ret`: pop and jump; with an empty call stack, halt.
    Ret,
    /// `putgl`: a constant, or `None` (past the data, or not below p):
    /// undefined and st0 := false.
    Put {
        /// Destination.
        dst: usize,
        /// The element loaded.
        value: Option<u64>,
    },
    /// `movgl`: dst := src.
    Mov {
        /// Destination.
        dst: usize,
        /// Source.
        src: usize,
    },
    /// `neggl`: dst := -src.
    Neg {
        /// Destination.
        dst: usize,
        /// Source.
        src: usize,
    },
    /// `invgl`: dst := 1/src; src = 0 makes dst undefined and st0 false.
    Inv {
        /// Destination.
        dst: usize,
        /// Source.
        src: usize,
    },
    /// `addgl`, `subgl`, `mulgl`.
    Bin {
        /// Which.
        op: BinOp,
        /// Destination.
        dst: usize,
        /// First operand.
        a: usize,
        /// Second operand.
        b: usize,
    },
    /// `eqgl`: st0 := both defined and equal.
    Eq {
        /// First operand.
        a: usize,
        /// Second operand.
        b: usize,
    },
}

impl Op {
    /// Whether the step uses the zero-test helper columns, and on what.
    pub(crate) fn uses_zero_test(self) -> bool {
        matches!(self, Op::Inv { .. } | Op::Eq { .. } | Op::Ret)
    }
}

/// One reachable code offset, compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// The code offset.
    pub addr: u32,
    /// The offset of the next instruction (fall-through).
    pub next: u32,
    /// The gas the instruction costs.
    pub cost: u64,
    /// What it does.
    pub op: Op,
}

/// A program compiled to the provable subset: what the AIR is built from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Circuit {
    /// The library id: the commitment to the code the proof is bound to.
    pub id: LibId,
    /// The entry offset.
    pub entry: u32,
    /// Every reachable offset, ascending.
    pub steps: Vec<Step>,
    /// The `a64` register each register column holds (`0` and `1` first).
    pub registers: Vec<u8>,
    /// Call-stack columns: [`CALL_DEPTH`] if the program has a reachable
    /// `routine`, else 0 (`ret` is then `stop`).
    pub depth: usize,
}

/// Why a program is not in the provable subset.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SubsetError {
    /// The function's code is a bundle of several libraries.
    #[error("the provable subset takes programs of one library; this one is a bundle of several")]
    Bundle,
    /// The code does not decode as a library.
    #[error("the code is not a library: {0}")]
    NotALibrary(String),
    /// A reachable instruction is outside the subset.
    #[error("`{mnemonic}` at offset {offset} is outside the provable subset: {why}")]
    Outside {
        /// Its mnemonic.
        mnemonic: &'static str,
        /// Its code offset.
        offset: u32,
        /// What the subset lacks.
        why: &'static str,
    },
    /// Too many registers.
    #[error("`{mnemonic}` at offset {offset} names a{bits}[{index}]; the provable subset takes at most {MAX_REGISTERS} distinct a64 registers")]
    TooManyRegisters {
        /// Its mnemonic.
        mnemonic: &'static str,
        /// Its code offset.
        offset: u32,
        /// The register's width.
        bits: u32,
        /// The register's index.
        index: u8,
    },
    /// Too many reachable offsets.
    #[error("the program reaches more than {MAX_STEPS} code offsets")]
    TooLarge,
}

/// Compiles `program` into the provable subset.
pub fn compile(program: &AluProgram) -> Result<Circuit, SubsetError> {
    let code = program.code();
    if !code.starts_with(MAGIC) {
        return Err(SubsetError::Bundle);
    }
    let lib = Library::from_bytes(code).map_err(|e| SubsetError::NotALibrary(e.to_string()))?;
    let entry = u32::from(program.program().entry().pos);
    let undeclared: Vec<_> = BUILTIN_ISA
        .iter()
        .filter(|b| !lib.isa.iter().any(|id| id == b.id))
        .collect();
    let mut registers: Vec<u8> = vec![0, 1];
    let mut routines = false;
    let mut steps: BTreeMap<u32, Step> = BTreeMap::new();
    let mut todo: BTreeSet<u32> = BTreeSet::from([entry]);
    while let Some(addr) = todo.pop_first() {
        if steps.contains_key(&addr) {
            continue;
        }
        if steps.len() == MAX_STEPS {
            return Err(SubsetError::TooLarge);
        }
        let (instr, len) = match lib.code.get(addr as usize..) {
            Some(bytes) if !bytes.is_empty() => isa::decode(bytes, |_| None),
            // Past the end of the code: `fail`.
            _ => (Instr::Reserved(0), 1),
        };
        let instr = if undeclared
            .iter()
            .any(|b| (b.first..=b.last).contains(&instr.opcode()))
        {
            Instr::Reserved(instr.opcode())
        } else {
            instr
        };
        let next = addr + len as u32;
        let mut reg = |index: u8| -> Result<usize, SubsetError> {
            if let Some(i) = registers.iter().position(|r| *r == index) {
                return Ok(i);
            }
            if registers.len() == MAX_REGISTERS {
                return Err(SubsetError::TooManyRegisters {
                    mnemonic: instr.mnemonic(),
                    offset: addr,
                    bits: 64,
                    index,
                });
            }
            registers.push(index);
            Ok(registers.len() - 1)
        };
        let op = match instr {
            Instr::Stop(_) => Op::Stop,
            Instr::Fail(_) | Instr::Reserved(_) => Op::Fail,
            Instr::Test(_) => Op::Test,
            Instr::Nop(_) => Op::Nop,
            Instr::Inv(_) => Op::NotSt0,
            Instr::Jmp(p) => Op::Jmp(u32::from(p.pos)),
            Instr::Jif(p) => Op::Jif(u32::from(p.pos)),
            Instr::Routine(p) => {
                routines = true;
                Op::Routine(u32::from(p.pos))
            }
            Instr::Ret(_) => Op::Ret,
            Instr::PutGl(s) => Op::Put {
                dst: reg(s.dst)?,
                value: lib
                    .data
                    .get(usize::from(s.off)..usize::from(s.off) + 8)
                    .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
                    .filter(|v| *v < P),
            },
            Instr::MovGl(s) => Op::Mov {
                dst: reg(s.dst)?,
                src: reg(s.src)?,
            },
            Instr::NegGl(s) => Op::Neg {
                dst: reg(s.dst)?,
                src: reg(s.src)?,
            },
            Instr::InvGl(s) => Op::Inv {
                dst: reg(s.dst)?,
                src: reg(s.src)?,
            },
            Instr::EqGl(s) => Op::Eq {
                a: reg(s.a)?,
                b: reg(s.b)?,
            },
            Instr::AddGl(s) | Instr::SubGl(s) | Instr::MulGl(s) => Op::Bin {
                op: match instr {
                    Instr::AddGl(_) => BinOp::Add,
                    Instr::SubGl(_) => BinOp::Sub,
                    _ => BinOp::Mul,
                },
                dst: reg(s.dst)?,
                a: reg(s.a)?,
                b: reg(s.b)?,
            },
            other => {
                return Err(SubsetError::Outside {
                    mnemonic: other.mnemonic(),
                    offset: addr,
                    why: outside_why(&other),
                })
            }
        };
        let cost = match op {
            Op::Fail => 1,
            _ => instr.complexity(),
        };
        steps.insert(
            addr,
            Step {
                addr,
                next,
                cost,
                op,
            },
        );
        match op {
            Op::Stop | Op::Fail => {}
            Op::Jmp(t) => {
                todo.insert(t);
            }
            Op::Jif(t) | Op::Routine(t) => {
                todo.insert(t);
                todo.insert(next);
            }
            // A `ret` goes to the offset after some `routine`, already queued.
            Op::Ret => {}
            _ => {
                todo.insert(next);
            }
        }
    }
    let mut steps: Vec<Step> = steps.into_values().collect();
    if !routines {
        // With no routine the call stack is always empty: `ret` stops.
        for step in steps.iter_mut().filter(|s| s.op == Op::Ret) {
            step.op = Op::Stop;
        }
    }
    Ok(Circuit {
        id: lib.id(),
        entry,
        steps,
        registers,
        depth: if routines { CALL_DEPTH } else { 0 },
    })
}

/// Why an instruction outside the subset is outside it.
fn outside_why(instr: &Instr) -> &'static str {
    match instr {
        Instr::Call(_) | Instr::Exec(_) => "calls into other libraries are not provable yet",
        Instr::Ext(_) => "host ISA extensions are not provable",
        i if i.info().is_some_and(|i| i.family == isa::Family::Field) => {
            "only the FGL64 (Goldilocks) field is provable"
        }
        _ => "the subset is control flow, st0 and the FGL64 field family on a64 registers",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use avm_alu::AluVm;

    fn program(source: &str) -> AluProgram {
        let lib = avm_asm::assemble("t.alu", source, &avm_asm::NoLibs)
            .expect("assembles")
            .library;
        AluVm::new().program(&lib.to_bytes()).expect("a program")
    }

    #[test]
    fn an_instruction_outside_the_subset_is_refused_by_name_and_offset() {
        let p = program(
            "main:\n  addgl a64[0], a64[0], a64[1]\n  add.uc a64[0], a64[0], a64[1]\n  stop\n",
        );
        let err = compile(&p).unwrap_err();
        assert!(
            matches!(
                err,
                SubsetError::Outside {
                    mnemonic: "add",
                    offset: 3,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("`add` at offset 3"), "{err}");
    }

    #[test]
    fn unreachable_code_outside_the_subset_is_not_refused() {
        let p = program("main:\n  stop\n  add.uc a64[0], a64[0], a64[1]\n");
        let c = compile(&p).unwrap();
        assert_eq!(c.steps.len(), 1);
        assert_eq!(c.steps[0].op, Op::Stop);
    }

    #[test]
    fn too_many_registers_are_refused() {
        let mut src = String::from("main:\n");
        for i in 2..20 {
            src.push_str(&format!("  movgl a64[{i}], a64[0]\n"));
        }
        src.push_str("  stop\n");
        let err = compile(&program(&src)).unwrap_err();
        assert!(
            matches!(err, SubsetError::TooManyRegisters { index: 16, .. }),
            "{err}"
        );
    }

    #[test]
    fn field_ops_of_an_undeclared_extension_are_fail() {
        // addgl a64[0], a64[0], a64[0] as raw bytes, with no `.isa FGL64`:
        // the opcode executes as `fail`.
        let p = program("main:\n  .bytes x\"b3 00 00\"\n  stop\n");
        let c = compile(&p).unwrap();
        assert_eq!(c.steps[0].op, Op::Fail);
    }

    #[test]
    fn jumps_past_the_end_compile_to_fail() {
        let p = program("main:\n  jmp 200\n");
        let c = compile(&p).unwrap();
        let last = c.steps.last().unwrap();
        assert_eq!((last.addr, last.op), (200, Op::Fail));
    }
}
