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
//! | 0xCE | `oreceive` | s d | `d := receive()`, as `oinputs` |
//! | 0xCF | `omachine` | a64 d | `d := getCurrentMachine()` |
//! | 0xD0 | `oreflect` | s d, a64 o | `d := reflect(o)` (unsafe), a metadata value; fails for a missing object |
//! | 0xD1 | `oscrym` | s d, s f | `d := scryMeta(f)` (unsafe): the metadata values the filter keeps, ascending by id |
//! | 0xD2 | `oscryd` | s d, s f | `d := scryDeep(f)` (unsafe): `(metadata, behaviour)` for each object the filter keeps |
//! | 0xD3 | `octx` | s d | `d := reifyContext()`: `(self, input, sender?, machine, controller?)` |
//! | 0xD4 | `otxstate` | s d | `d := reifyTxState()` (unsafe): `(tx, writes, creates, destroys, observed)`; fails outside a transaction |
//! | 0xD5 | `oconstr` | s d | `d := reifyConstraints()` (unsafe): `(vars, count)` |
//! | 0xD6 | `opreg` | s n, s f | `st0 := registerPure(n, f)` (unsafe); `n` UTF-8, `f` a function's encoding |
//! | 0xD7 | `opcall` | s d, s n, s a | `d := callPure(n, a)`, `a` the encoding of the argument tuple; fails when there is no result |
//! | 0xD8 | `opupd` | s n, s f | `st0 := updatePure(n, f)` |
//! | 0xD9 | `ogetm` | a64 d, a64 o | `d := getMachine(o)`; fails for a missing object |
//! | 0xDA | `oteleport` | a64 m | `st0 := teleport(m)`; refused inside a transaction |
//! | 0xDB | `omove` | a64 o, a64 m | `st0 := moveObject(o, m)`; refused inside a transaction |
//! | 0xDC | `ofetch` | a64 o | `st0 := fetch(o)`; refused inside a transaction |
//! | 0xDD | `octl` | a64 d | `d := getCurrentController()`; fails without one |
//! | 0xDE | `octlof` | a64 d, a64 o | `d := getController(o)`; fails without one |
//! | 0xDF | `otransfer` | a64 o, a64 c | `st0 := transferObject(o, c)` |
//! | 0xE0 | `ofreeze` | a64 d, a64 o | `d := freeze(o)`: 1 synced, 0 missing; fails when `o` has no controller |
//! | 0xE1 | `ocreatec` | a64 d, s b, a64 c | `d := createObj(b, c)` |
//! | 0xE2 | `obeginc` | a64 d, a64 c | `d := beginTx(c)` |
//! | 0xE3 | `ochoose` | a64 d, a64 lo, a64 hi | `d := choose(lo..=hi)`, signed |
//! | 0xE4 | `ochooses` | a64 d, s dom | `d := choose(dom)`, `dom` a domain's encoding |
//! | 0xE5 | `orequire` | | `require(st0)` |
//! | 0xE6 | `onewvar` | a64 d, s dom | `d := newVar(dom)`, a handle |
//! | 0xE7 | `onarrow` | a64 v, s dom | `st0 := narrow(v, dom)` |
//! | 0xE8 | `opost` | s c | `st0 := post(c)`, `c` a constraint's encoding over handles |
//! | 0xE9 | `olabel` | a64 d, a64 v | `d := label(v)`, signed |
//! | 0xEA | `oconsume` | s k, a64 q | the intent consumes `q` of kind `k` |
//! | 0xEB | `oproduce` | s k, a64 q | the intent creates `q` of kind `k` |
//! | 0xEC | `ooffer` | s o | the intent spends the use-once offer `o` |
//!
//! The last ten are the nondeterminism and finite-domain families; the
//! object runtime refuses them ([`crate::AvmError::Intent`]): avm-intent
//! runs them, symbolically to extract an intent and concretely to
//! validate a solution (docs/intents.md). Signed values are an `a64`'s
//! bits as two's complement.
//!
//! `s` operands and results hold canonical encodings ([`avm_vm::codec`]),
//! except a byte string, which is held as it is; ids are naturals, and an
//! optional id `#0:()`/`#1:n` (see [`crate::shape`]). A filter `f` is the
//! encoding of a [`Filter`]: `#0:()` every object, `#1:c` controller `c`,
//! `#2:m` machine `m`, `#3:b` behaviour `b` (`scryDeep` only). An
//! answer longer than an `s` register holds (65535 bytes) fails the
//! instruction. An instruction whose answer goes to `st0` overwrites an
//! earlier failure, so test `st0` after each instruction that may fail.

use std::sync::Arc;

use avm_alu::isa::ext::{ExtInstr, ExtOperand, IsaExtension};
use avm_alu::reg::{AWidth, RegA, RegS};
use avm_alu::{AluVm, Host, Reg, Registers};
use avm_vm::{codec, BigUint, DataValue, Env, Gas, Registry};

use crate::ids::{ControllerId, MachineId, ObjectId, TxId};
use crate::request::{Filter, Request};

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

/// Why `behaviour`, an Alu function value, is not a program Alu can run with the `OBJ`
/// extension (`None` if it is one, or is not an Alu function).
pub fn not_a_program(behaviour: &DataValue) -> Option<String> {
    match behaviour {
        DataValue::Function { vm, code } if *vm == avm_vm::VmId::ALU => {
            let vm = AluVm::with_host(Host::new().with_extension(Arc::new(ObjIsa)));
            vm.program(code)
                .err()
                .map(|e| format!("its code is not an Alu program: {e}"))
        }
        _ => None,
    }
}

/// Why `input` cannot be an Alu behaviour's argument (`None` if it can): a natural over
/// 1024 bits, or a byte string (or another value's encoding) longer than an `s` register.
pub fn unfit_input(input: &DataValue) -> Option<String> {
    avm_alu::binding::load_arguments(std::slice::from_ref(input))
        .is_none()
        .then(|| {
            format!(
                "an Alu behaviour takes a natural of at most 1024 bits, or a byte string (or \
                 another value's encoding) of at most {} bytes",
                avm_alu::registers::S_MAX_LEN
            )
        })
}

/// The extension that defines `opcode`, if `OBJ` does: the resolver for
/// decoding code that uses it, as in
/// `avm_alu::isa::disassemble(code, alu::resolve)`.
pub fn resolve(opcode: u8) -> Option<&'static dyn IsaExtension> {
    ObjIsa.defines(opcode).then_some(&ObjIsa)
}

/// An operand byte naming an a64 register.
const A64: ExtOperand = ExtOperand::A(AWidth::A64);

/// An operand byte naming a byte-string register.
const S: ExtOperand = ExtOperand::S;

/// An opcode, its mnemonic, its operands' kinds, and whether the first
/// operand is its destination.
type Op = (u8, &'static str, &'static [ExtOperand], bool);

/// The opcode table: the single source of mnemonics and operand shapes.
const OPS: [Op; 45] = [
    (0xC0, "oself", &[A64], true),
    (0xC1, "osender", &[A64], true),
    (0xC2, "oinput", &[A64], true),
    (0xC3, "oinputs", &[S], true),
    (0xC4, "ocall", &[A64, A64, A64], true),
    (0xC5, "ocalls", &[S, A64, S], true),
    (0xC6, "oget", &[A64, A64], true),
    (0xC7, "oset", &[A64, A64], false),
    (0xC8, "olen", &[A64], true),
    (0xC9, "ocreate", &[A64, S], true),
    (0xCA, "odestroy", &[A64], false),
    (0xCB, "obegin", &[A64], true),
    (0xCC, "ocommit", &[A64], false),
    (0xCD, "oabort", &[A64], false),
    (0xCE, "oreceive", &[S], true),
    (0xCF, "omachine", &[A64], true),
    (0xD0, "oreflect", &[S, A64], true),
    (0xD1, "oscrym", &[S, S], true),
    (0xD2, "oscryd", &[S, S], true),
    (0xD3, "octx", &[S], true),
    (0xD4, "otxstate", &[S], true),
    (0xD5, "oconstr", &[S], true),
    (0xD6, "opreg", &[S, S], false),
    (0xD7, "opcall", &[S, S, S], true),
    (0xD8, "opupd", &[S, S], false),
    (0xD9, "ogetm", &[A64, A64], true),
    (0xDA, "oteleport", &[A64], false),
    (0xDB, "omove", &[A64, A64], false),
    (0xDC, "ofetch", &[A64], false),
    (0xDD, "octl", &[A64], true),
    (0xDE, "octlof", &[A64, A64], true),
    (0xDF, "otransfer", &[A64, A64], false),
    (0xE0, "ofreeze", &[A64, A64], true),
    (0xE1, "ocreatec", &[A64, S, A64], true),
    (0xE2, "obeginc", &[A64, A64], true),
    (0xE3, "ochoose", &[A64, A64, A64], true),
    (0xE4, "ochooses", &[A64, S], true),
    (0xE5, "orequire", &[], false),
    (0xE6, "onewvar", &[A64, S], true),
    (0xE7, "onarrow", &[A64, S], false),
    (0xE8, "opost", &[S], false),
    (0xE9, "olabel", &[A64, A64], true),
    (0xEA, "oconsume", &[S, A64], false),
    (0xEB, "oproduce", &[S, A64], false),
    (0xEC, "ooffer", &[S], false),
];

fn op(opcode: u8) -> Option<&'static Op> {
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
        op(opcode).map_or(0, |(_, _, kinds, _)| kinds.len())
    }

    fn mnemonic(&self, opcode: u8) -> &'static str {
        op(opcode).map_or("?", |(_, m, ..)| m)
    }

    fn operands(&self, opcode: u8) -> Option<&'static [ExtOperand]> {
        op(opcode).map(|(_, _, kinds, _)| *kinds)
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
    let (_, _, kinds, _) = op(instr.opcode)?;
    let bytes = instr.operands();
    if bytes.len() != kinds.len() {
        return None;
    }
    kinds
        .iter()
        .zip(bytes)
        .map(|(&k, &idx)| match k {
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

/// Where an instruction's answer goes.
enum Answer {
    /// A natural into an `a64` register.
    Nat(Reg),
    /// `#1:n`'s natural into an `a64` register; `#0:()` fails.
    SomeNat(Reg),
    /// A value into an `s` register (a byte string as it is, other values
    /// as their canonical encoding).
    Bytes(Reg),
    /// `#1:v`'s value into an `s` register; `#0:()` fails.
    SomeBytes(Reg),
    /// An integer (`#0:n`/`#1:n`) into an `a64` register, as two's
    /// complement.
    Int(Reg),
    /// 1 or 0 into `st0`.
    Flag,
    /// Nothing.
    Unit,
}

/// A value decoded from the canonical encoding in an `s` register.
fn decoded(regs: &Registers, reg: Reg) -> Option<DataValue> {
    codec::decode(&regs.get(reg)?).ok()
}

/// UTF-8 text in an `s` register.
fn text(regs: &Registers, reg: Reg) -> Option<String> {
    String::from_utf8(regs.get(reg)?).ok()
}

/// The request an instruction makes, read from its operand registers,
/// and where its answer goes. `None` for an undefined or malformed operand.
fn request(opcode: u8, regs: &Registers, r: &[Reg]) -> Option<(Request, Answer)> {
    use Answer::{Bytes, Flag, Int, Nat, SomeBytes, SomeNat, Unit};
    let nat = |v: u64| DataValue::Nat(BigUint::from(v));
    let u = |i: usize| read_u64(regs, r[i]);
    let filter = |i: usize| Filter::from_value(&decoded(regs, r[i])?).ok();
    Some(match opcode {
        0xC0 => (Request::SelfId, Nat(r[0])),
        0xC1 => (Request::Sender, SomeNat(r[0])),
        0xC2 => (Request::Input, Nat(r[0])),
        0xC3 => (Request::Input, Bytes(r[0])),
        0xC4 => {
            let (object, input) = (ObjectId(u(1)?), nat(u(2)?));
            (Request::Call { object, input }, SomeNat(r[0]))
        }
        0xC5 => {
            let (object, input) = (ObjectId(u(1)?), DataValue::Bytes(regs.get(r[2])?));
            (Request::Call { object, input }, SomeBytes(r[0]))
        }
        0xC9 | 0xE1 => {
            let behaviour = decoded(regs, r[1])?;
            let controller = match opcode {
                0xE1 => Some(ControllerId(u(2)?)),
                _ => None,
            };
            let create = Request::Create {
                behaviour,
                controller,
            };
            (create, Nat(r[0]))
        }
        0xCA => (Request::Destroy(ObjectId(u(0)?)), Flag),
        0xCB => (Request::BeginTx(None), Nat(r[0])),
        0xE2 => (Request::BeginTx(Some(ControllerId(u(1)?))), Nat(r[0])),
        0xCC => (Request::CommitTx(TxId(u(0)?)), Flag),
        0xCD => (Request::AbortTx(TxId(u(0)?)), Unit),
        0xCE => (Request::Receive, SomeBytes(r[0])),
        0xCF => (Request::CurrentMachine, Nat(r[0])),
        0xD0 => (Request::Reflect(ObjectId(u(1)?)), SomeBytes(r[0])),
        0xD1 => match filter(1)? {
            Filter::Behaviour(_) => return None,
            f => (Request::ScryMeta(f), Bytes(r[0])),
        },
        0xD2 => (Request::ScryDeep(filter(1)?), Bytes(r[0])),
        0xD3 => (Request::ReifyContext, Bytes(r[0])),
        0xD4 => (Request::ReifyTxState, SomeBytes(r[0])),
        0xD5 => (Request::ReifyConstraints, Bytes(r[0])),
        0xD6 | 0xD8 => {
            let (name, function) = (text(regs, r[0])?, decoded(regs, r[1])?);
            let request = match opcode {
                0xD6 => Request::RegisterPure { name, function },
                _ => Request::UpdatePure { name, function },
            };
            (request, Flag)
        }
        0xD7 => {
            let name = text(regs, r[1])?;
            let DataValue::Tuple(args) = decoded(regs, r[2])? else {
                return None;
            };
            (Request::CallPure { name, args }, SomeBytes(r[0]))
        }
        0xD9 => (Request::GetMachine(ObjectId(u(1)?)), SomeNat(r[0])),
        0xDA => (Request::Teleport(MachineId(u(0)?)), Flag),
        0xDB => {
            let (object, to) = (ObjectId(u(0)?), MachineId(u(1)?));
            (Request::MoveObject { object, to }, Flag)
        }
        0xDC => (Request::Fetch(ObjectId(u(0)?)), Flag),
        0xDD => (Request::CurrentController, SomeNat(r[0])),
        0xDE => (Request::GetController(ObjectId(u(1)?)), SomeNat(r[0])),
        0xDF => {
            let (object, to) = (ObjectId(u(0)?), ControllerId(u(1)?));
            (Request::Transfer { object, to }, Flag)
        }
        0xE0 => (Request::Freeze(ObjectId(u(1)?)), SomeNat(r[0])),
        0xE3 => {
            let (lo, hi) = (u(1)? as i64, u(2)? as i64);
            let range =
                DataValue::tuple([nat(0), crate::request::int(lo), crate::request::int(hi)]);
            (Request::Choose(range), Int(r[0]))
        }
        0xE4 => (Request::Choose(decoded(regs, r[1])?), Int(r[0])),
        0xE5 => (Request::Require(regs.st0), Unit),
        0xE6 => (Request::NewVar(decoded(regs, r[1])?), Nat(r[0])),
        0xE7 => {
            let (var, domain) = (u(0)?, decoded(regs, r[1])?);
            (Request::Narrow { var, domain }, Flag)
        }
        0xE8 => (Request::Post(decoded(regs, r[0])?), Flag),
        0xE9 => (Request::Label(u(1)?), Int(r[0])),
        0xEA | 0xEB => {
            let flow = Request::Flow {
                create: opcode == 0xEB,
                kind: text(regs, r[0])?,
                quantity: u(1)? as i64,
            };
            (flow, Unit)
        }
        0xEC => (Request::Offer(text(regs, r[0])?), Unit),
        _ => return None,
    })
}

fn run(instr: &ExtInstr, regs: &mut Registers, host: &mut HostCalls<'_>) -> Option<()> {
    let r = operands(instr)?;
    let nat = |v: u64| DataValue::Nat(BigUint::from(v));
    match instr.opcode {
        // The state instructions work on one natural of the state list.
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
        0xC8 => {
            regs.set(r[0], None);
            let DataValue::Tuple(items) = host.ask(Request::GetState)? else {
                return None;
            };
            write_u64(regs, r[0], items.len() as u64);
        }
        opcode => {
            let made = request(opcode, regs, &r);
            // Every destination is undefined until the instruction succeeds.
            if op(opcode).is_some_and(|(.., dest)| *dest) {
                regs.set(r[0], None);
            }
            let (request, answer) = made?;
            let value = host.ask(request)?;
            match answer {
                Answer::Nat(d) => write_u64(regs, d, value_as_u64(&value)?),
                Answer::SomeNat(d) => write_u64(regs, d, value_as_u64(&some(value)?)?),
                Answer::Bytes(d) => regs.set(d, Some(&value_as_bytes(value))).then_some(())?,
                Answer::SomeBytes(d) => regs
                    .set(d, Some(&value_as_bytes(some(value)?)))
                    .then_some(())?,
                Answer::Int(d) => {
                    write_u64(regs, d, crate::request::int_of(&value)? as u64);
                }
                Answer::Flag => regs.st0 = value.as_u64() == Some(1),
                Answer::Unit => {}
            }
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_gives_mnemonics_and_operand_lengths() {
        assert!(ObjIsa.defines(0xC4));
        assert!(ObjIsa.defines(0xE2));
        assert!(ObjIsa.defines(0xEC));
        assert!(!ObjIsa.defines(0xED));
        assert_eq!(ObjIsa.operand_len(0xE5), 0);
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
