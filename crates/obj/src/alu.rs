//! The `OBJ` ISA extension: Alu instructions that reach the object runtime.
//!
//! Alu behaviours commit to the extension with `.isa OBJ` and use its
//! opcodes through the assembler's raw form, `ext 0xNN, x"operands"`,
//! one operand byte per register index. Each instruction sends a
//! [`Request`] through the evaluation's [`Env`] to the runtime, which
//! charges the instruction's gas (and, for `call`, the callee's) to the
//! one budget. A request that fails, or an undefined operand register,
//! clears `st0` and leaves the destination undefined; the failure is in
//! the trace.
//!
//! Values travel in registers as in Alu's calling convention: a natural
//! below 2^64 in an `a64` register; a byte string as it is in an `s`
//! register (other values as their canonical encoding).
//!
//! | opcode | mnemonic | operands | effect |
//! |---|---|---|---|
//! | 0xC0 | `oself` | a64 d | `d := self` |
//! | 0xC1 | `osender` | a64 d | `d := sender` (fails at the top level) |
//! | 0xC2 | `oinput` | a64 d | `d := input`, a natural |
//! | 0xC3 | `oinputs` | s d | `d := input`, as bytes |
//! | 0xC4 | `ocall` | a64 d, a64 o, a64 i | `d := call(o, i)`, naturals |
//! | 0xC5 | `ocalls` | s d, a64 o, s i | `d := call(o, i)`, byte strings |
//! | 0xC6 | `oget` | a64 d, a64 k | `d := state[k]`, a natural |
//! | 0xC7 | `oset` | a64 k, a64 v | `state[k] := v` (`k` at most the length) |
//! | 0xC8 | `olen` | a64 d | `d :=` length of the state |
//! | 0xC9 | `ocreate` | a64 d, s b | `d := createObj(b)`, `b` a function's encoding |
//! | 0xCA | `odestroy` | a64 o | `st0 := destroyObj(o)` |
//! | 0xCB | `obegin` | a64 d | `d := beginTx()` |
//! | 0xCC | `ocommit` | a64 t | `st0 := commitTx(t)` |
//! | 0xCD | `oabort` | a64 t | `abortTx(t)` |

use std::sync::Arc;

use avm_alu::isa::ext::{ExtInstr, IsaExtension};
use avm_alu::reg::{AWidth, RegA, RegS};
use avm_alu::{AluVm, Host, Reg, Registers};
use avm_vm::{codec, BigUint, DataValue, Env, Gas, Registry};

use crate::ids::{ObjectId, TxId};
use crate::request::Request;

/// The extension's id, for `.isa OBJ`.
pub const ISA_ID: &str = "OBJ";

/// A registry with Alu, whose host carries the `OBJ` extension: what a
/// [`crate::Runtime`] needs to run Alu behaviours.
///
/// ```
/// use std::rc::Rc;
/// use avm_obj::{alu, Runtime, Space};
/// let rt = Runtime::new(Space::new().shared(), Rc::new(alu::registry()));
/// # drop(rt);
/// ```
pub fn registry() -> Registry {
    let mut registry = Registry::new();
    registry
        .register(AluVm::with_host(
            Host::new().with_extension(Arc::new(ObjIsa)),
        ))
        .expect("an empty registry has no VM under Alu's number");
    registry
}

/// What an operand byte names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    A64,
    S,
}

use Kind::{A64, S};

/// The opcode table: the single source of mnemonics and operand shapes.
const OPS: [(u8, &str, &[Kind]); 14] = [
    (0xC0, "oself", &[A64]),
    (0xC1, "osender", &[A64]),
    (0xC2, "oinput", &[A64]),
    (0xC3, "oinputs", &[S]),
    (0xC4, "ocall", &[A64, A64, A64]),
    (0xC5, "ocalls", &[S, A64, S]),
    (0xC6, "oget", &[A64, A64]),
    (0xC7, "oset", &[A64, A64]),
    (0xC8, "olen", &[A64]),
    (0xC9, "ocreate", &[A64, S]),
    (0xCA, "odestroy", &[A64]),
    (0xCB, "obegin", &[A64]),
    (0xCC, "ocommit", &[A64]),
    (0xCD, "oabort", &[A64]),
];

fn op(opcode: u8) -> Option<&'static (u8, &'static str, &'static [Kind])> {
    OPS.iter().find(|(o, ..)| *o == opcode)
}

/// The `OBJ` extension (see the module docs). Register it in the Alu host:
/// `AluVm::with_host(Host::new().with_extension(Arc::new(ObjIsa)))`.
#[derive(Clone, Copy, Debug, Default)]
pub struct ObjIsa;

impl IsaExtension for ObjIsa {
    fn id(&self) -> &'static str {
        ISA_ID
    }

    fn defines(&self, opcode: u8) -> bool {
        op(opcode).is_some()
    }

    fn operand_len(&self, opcode: u8) -> usize {
        op(opcode).map_or(0, |(_, _, kinds)| kinds.len())
    }

    fn mnemonic(&self, opcode: u8) -> &'static str {
        op(opcode).map_or("?", |(_, m, _)| m)
    }

    fn complexity(&self, _instr: &ExtInstr) -> u64 {
        // The runtime charges the instruction itself out of the same budget.
        1
    }

    fn execute(&self, _instr: &ExtInstr, regs: &mut Registers) {
        // Without an environment there is no runtime to ask.
        regs.st0 = false;
    }

    fn uses_env(&self, opcode: u8) -> bool {
        self.defines(opcode)
    }

    fn execute_in(
        &self,
        instr: &ExtInstr,
        regs: &mut Registers,
        env: &mut dyn Env,
        gas_left: Gas,
    ) -> Gas {
        let mut call = HostCalls {
            env,
            gas_left,
            used: 0,
        };
        if run(instr, regs, &mut call).is_none() {
            regs.st0 = false;
        }
        call.used
    }
}

/// Requests to the runtime within one instruction's gas.
struct HostCalls<'e> {
    env: &'e mut dyn Env,
    gas_left: Gas,
    used: Gas,
}

impl HostCalls<'_> {
    fn ask(&mut self, request: Request) -> Option<DataValue> {
        let e = self
            .env
            .host_call(&request.to_value(), self.gas_left - self.used)
            .ok()?;
        self.used = (self.used + e.gas_used).min(self.gas_left);
        e.result
    }
}

/// The operand registers, checked against the opcode's shape.
fn operands(instr: &ExtInstr) -> Option<Vec<Reg>> {
    let (_, _, kinds) = op(instr.opcode)?;
    let bytes = instr.operands();
    if bytes.len() != kinds.len() {
        return None;
    }
    kinds
        .iter()
        .zip(bytes)
        .map(|(k, &idx)| match k {
            A64 if idx < 32 => Some(Reg::A(RegA {
                width: AWidth::A64,
                idx,
            })),
            S if idx < 16 => Some(Reg::S(RegS(idx))),
            _ => None,
        })
        .collect()
}

fn read_u64(regs: &Registers, reg: Reg) -> Option<u64> {
    let b = regs.get(reg)?;
    Some(u64::from_le_bytes(b.try_into().ok()?))
}

fn write_u64(regs: &mut Registers, reg: Reg, v: u64) {
    regs.set(reg, Some(&v.to_le_bytes()));
}

fn value_as_u64(v: &DataValue) -> Option<u64> {
    v.as_u64()
}

fn value_as_bytes(v: DataValue) -> Vec<u8> {
    match v {
        DataValue::Bytes(b) => b,
        other => codec::encode(&other),
    }
}

/// A `#1:v` answer's `v`.
fn some(answer: DataValue) -> Option<DataValue> {
    match answer {
        DataValue::Option { index: 1, value } => Some(*value),
        _ => None,
    }
}

fn run(instr: &ExtInstr, regs: &mut Registers, host: &mut HostCalls<'_>) -> Option<()> {
    let r = operands(instr)?;
    // Every destination is undefined until the instruction succeeds.
    let nat = |v: u64| DataValue::Nat(BigUint::from(v));
    match instr.opcode {
        0xC0 | 0xC1 | 0xC2 | 0xC8 | 0xCB => {
            regs.set(r[0], None);
            let answer = match instr.opcode {
                0xC0 => host.ask(Request::SelfId)?,
                0xC1 => some(host.ask(Request::Sender)?)?,
                0xC2 => host.ask(Request::Input)?,
                0xC8 => match host.ask(Request::GetState)? {
                    DataValue::Tuple(items) => nat(items.len() as u64),
                    _ => return None,
                },
                _ => host.ask(Request::BeginTx(None))?,
            };
            write_u64(regs, r[0], value_as_u64(&answer)?);
        }
        0xC3 => {
            regs.set(r[0], None);
            let input = value_as_bytes(host.ask(Request::Input)?);
            regs.set(r[0], Some(&input)).then_some(())?;
        }
        0xC4 => {
            let (object, input) = (read_u64(regs, r[1])?, read_u64(regs, r[2])?);
            regs.set(r[0], None);
            let out = some(host.ask(Request::Call {
                object: ObjectId(object),
                input: nat(input),
            })?)?;
            write_u64(regs, r[0], value_as_u64(&out)?);
        }
        0xC5 => {
            let object = read_u64(regs, r[1])?;
            let input = regs.get(r[2])?;
            regs.set(r[0], None);
            let out = some(host.ask(Request::Call {
                object: ObjectId(object),
                input: DataValue::Bytes(input),
            })?)?;
            regs.set(r[0], Some(&value_as_bytes(out))).then_some(())?;
        }
        0xC6 => {
            let k = read_u64(regs, r[1])?;
            regs.set(r[0], None);
            let DataValue::Tuple(state) = host.ask(Request::GetState)? else {
                return None;
            };
            let v = state.get(usize::try_from(k).ok()?)?;
            write_u64(regs, r[0], value_as_u64(v)?);
        }
        0xC7 => {
            let (k, v) = (read_u64(regs, r[0])?, read_u64(regs, r[1])?);
            let DataValue::Tuple(mut state) = host.ask(Request::GetState)? else {
                return None;
            };
            let k = usize::try_from(k).ok()?;
            match k.cmp(&state.len()) {
                std::cmp::Ordering::Less => state[k] = nat(v),
                std::cmp::Ordering::Equal => state.push(nat(v)),
                std::cmp::Ordering::Greater => return None,
            }
            host.ask(Request::SetState(state))?;
        }
        0xC9 => {
            let code = regs.get(r[1])?;
            regs.set(r[0], None);
            let behaviour = codec::decode(&code).ok()?;
            let id = host.ask(Request::Create {
                behaviour,
                controller: None,
            })?;
            write_u64(regs, r[0], value_as_u64(&id)?);
        }
        0xCA => {
            let o = read_u64(regs, r[0])?;
            let done = host.ask(Request::Destroy(ObjectId(o)))?;
            regs.st0 = done.as_u64() == Some(1);
        }
        0xCC => {
            let t = read_u64(regs, r[0])?;
            let done = host.ask(Request::CommitTx(TxId(t)))?;
            regs.st0 = done.as_u64() == Some(1);
        }
        0xCD => {
            let t = read_u64(regs, r[0])?;
            host.ask(Request::AbortTx(TxId(t)))?;
        }
        _ => return None,
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_gives_mnemonics_and_operand_lengths() {
        assert!(ObjIsa.defines(0xC4));
        assert!(!ObjIsa.defines(0xCE));
        assert_eq!(ObjIsa.operand_len(0xC4), 3);
        assert_eq!(ObjIsa.mnemonic(0xC7), "oset");
        assert!(avm_alu::isa::ext::is_valid_id(ISA_ID));
    }

    #[test]
    fn bad_register_indexes_are_refused() {
        assert!(operands(&ExtInstr::new(0xC0, &[32])).is_none());
        assert!(operands(&ExtInstr::new(0xC3, &[16])).is_none());
        assert!(operands(&ExtInstr::new(0xC0, &[31])).is_some());
    }

    #[test]
    fn without_a_host_every_instruction_fails() {
        let mut regs = Registers::new();
        let used = ObjIsa.execute_in(
            &ExtInstr::new(0xC0, &[0]),
            &mut regs,
            &mut avm_vm::Isolated,
            100,
        );
        assert_eq!(used, 0);
        assert!(!regs.st0);
    }
}
