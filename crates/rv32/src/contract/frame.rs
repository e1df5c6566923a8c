//! Call frames: one isolated [`Machine`] per call, with a [`Host`] that
//! implements the contract syscalls against the state the transaction's
//! frames share. A frame that does not succeed is rolled back, callees
//! included.

use std::collections::BTreeMap;
use std::sync::Arc;

use avm_vm::{codec, DataValue, Env};

use super::abi::{self, MAX_DATA, MAX_DEPTH, MAX_EVENT_DATA, MAX_KEY, MAX_TOPICS, MAX_VALUE};
use super::precompile;
use super::receipt::{Event, Status, MAX_EVENTS};
use super::state::{Address, State};
use crate::elf::ElfLimits;
use crate::fault::FaultCause;
use crate::gas::Gas;
use crate::host::{Host, SyscallOutcome, SYS_EXIT};
use crate::machine::{Config, Machine};
use crate::memory::Memory;
use crate::program::Program;

/// The address space of every call frame: 64 KiB of stack, 256 KiB of
/// heap, at most 1 MiB resident.
pub const FRAME_CONFIG: Config = Config {
    stack_size: 64 << 10,
    heap_size: 256 << 10,
    max_resident_pages: 256,
};

/// The block a transaction runs in, as the `context` syscall reports it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct BlockContext {
    /// Block height.
    pub height: u64,
    /// Block time, seconds.
    pub timestamp: u64,
    /// Chain id.
    pub chain_id: u64,
}

/// What every frame of one transaction shares.
pub(crate) struct World<'c> {
    pub state: &'c mut State,
    pub programs: &'c mut BTreeMap<Address, Arc<Program>>,
    pub events: Vec<Event>,
    pub block: BlockContext,
    pub origin: Address,
    /// Where `evaluate` sends functions of other VMs (the registry).
    pub env: &'c mut dyn Env,
}

impl World<'_> {
    /// The decoded program of the contract at `addr` (decoded once per
    /// chain; code never changes after deploy).
    fn program(&mut self, addr: &Address, code: &[u8]) -> Result<Arc<Program>, String> {
        if let Some(p) = self.programs.get(addr) {
            return Ok(p.clone());
        }
        let p = Arc::new(
            Program::from_elf(code, &ElfLimits::default()).map_err(|e| format!("code: {e}"))?,
        );
        self.programs.insert(*addr, p.clone());
        Ok(p)
    }
}

/// One call: who calls whom, with what value and input.
pub(crate) struct Call {
    pub caller: Address,
    pub address: Address,
    pub value: u128,
    pub input: Vec<u8>,
    /// In a deploy, the new contract's program, run as its constructor
    /// (the code is not installed yet); `None` runs the code at `address`.
    pub constructor: Option<Arc<Program>>,
}

/// How a frame ended.
pub(crate) struct Outcome {
    pub status: Status,
    pub gas_used: Gas,
    pub return_data: Vec<u8>,
}

/// Runs `call` in a new machine with `gas`, at call depth `depth`: moves
/// the value, runs the callee's code (none: a plain transfer), and rolls
/// everything back unless it succeeds.
pub(crate) fn run(world: &mut World, call: Call, gas: Gas, depth: u32) -> Outcome {
    let checkpoint = world.state.checkpoint();
    let events = world.events.len();
    let outcome = execute(world, call, gas, depth);
    if outcome.status != Status::Success {
        world.state.revert_to(checkpoint);
        world.events.truncate(events);
    }
    outcome
}

fn execute(world: &mut World, call: Call, gas: Gas, depth: u32) -> Outcome {
    let failed = |status| Outcome {
        status,
        gas_used: 0,
        return_data: Vec::new(),
    };
    if !world
        .state
        .transfer(&call.caller, &call.address, call.value)
    {
        return failed(Status::Reverted);
    }
    let program = match &call.constructor {
        Some(program) => Ok(program.clone()),
        None => match world.state.account(&call.address) {
            Some(a) if !a.code.is_empty() => {
                let code = a.code.clone();
                world.program(&call.address, &code)
            }
            _ => return failed(Status::Success),
        },
    };
    let machine = program.and_then(|p| Machine::new(p, &FRAME_CONFIG).map_err(|e| e.to_string()));
    let mut machine = match machine {
        Ok(m) => m,
        Err(cause) => return failed(Status::faulted(0, cause)),
    };
    machine.set_reg(abi::DEPLOY_FLAG_REG, call.constructor.is_some() as u32);
    let mut frame = Frame {
        world,
        call,
        depth,
        return_data: Vec::new(),
        output: None,
        refund: 0,
    };
    let run = machine.run(&mut frame, gas);
    let (status, return_data) = match (run, frame.output.take()) {
        (Ok(_), Some((true, data))) => (Status::Success, data),
        (Ok(_), Some((false, data))) => (Status::Reverted, data),
        (Ok(exit), None) if exit.code == 0 => (Status::Success, Vec::new()),
        (Ok(_), None) => (Status::Reverted, Vec::new()),
        (Err(f), _) if f.cause == FaultCause::OutOfGas => (Status::OutOfGas, Vec::new()),
        (Err(f), _) => (Status::faulted(f.pc, f.cause), Vec::new()),
    };
    // Running out of gas uses the whole budget, to the last unit that no
    // instruction could use.
    let gas_used = match status {
        Status::OutOfGas => gas,
        _ => machine.gas_used(),
    };
    Outcome {
        status,
        gas_used,
        return_data,
    }
}

/// The host of one running frame.
struct Frame<'w, 'c> {
    world: &'w mut World<'c>,
    call: Call,
    depth: u32,
    /// What the last callee returned.
    return_data: Vec<u8>,
    /// Set by `return` (true) or `revert` (false).
    output: Option<(bool, Vec<u8>)>,
    /// Unused callee budget to give back after a `call`.
    refund: Gas,
}

/// Reads `len` guest bytes at `ptr`, refusing (as invalid arguments to
/// `num`) more than `max`.
fn read(mem: &Memory, num: u32, ptr: u32, len: u32, max: u32) -> Result<Vec<u8>, FaultCause> {
    if len > max {
        return Err(FaultCause::InvalidSyscall { num });
    }
    let mut buf = vec![0; len as usize];
    mem.read(ptr, &mut buf)?;
    Ok(buf)
}

/// Reads a fixed-size guest value at `ptr`.
fn read_array<const N: usize>(mem: &Memory, ptr: u32) -> Result<[u8; N], FaultCause> {
    let mut buf = [0; N];
    mem.read(ptr, &mut buf)?;
    Ok(buf)
}

/// Copies `data[offset..offset + len]` (clipped to its end) to `out`;
/// answers the bytes copied.
fn copy_out(
    mem: &mut Memory,
    data: &[u8],
    out: u32,
    offset: u32,
    len: u32,
) -> Result<SyscallOutcome, FaultCause> {
    let start = (offset as usize).min(data.len());
    let end = start + (len as usize).min(data.len() - start);
    mem.write(out, &data[start..end])?;
    Ok(SyscallOutcome::Return((end - start) as u32))
}

/// Evaluates `function` on `args` in `env` with `budget`: the `evaluate`
/// status, and the gas used with the result's canonical encoding (if the
/// status is [`abi::EVAL_RESULT`]).
fn evaluate(
    env: &mut dyn Env,
    function: &DataValue,
    args: &[DataValue],
    budget: Gas,
) -> (u32, avm_vm::Evaluation<Vec<u8>>) {
    let refused = |gas_used| (abi::EVAL_REFUSED, avm_vm::Evaluation::failed(gas_used));
    let evaluation = match env.multievaluate(function, args, budget) {
        Ok(e) => e,
        // Refused before it ran, or a VM broke the rules of gas: nothing
        // of the budget is known to be used.
        Err(_) => return refused(0),
    };
    let gas_used = evaluation.gas_used.min(budget);
    match evaluation.result.map(|v| codec::encode(&v)) {
        Some(bytes) if bytes.len() <= MAX_DATA as usize => {
            (abi::EVAL_RESULT, avm_vm::Evaluation::done(bytes, gas_used))
        }
        Some(_) => refused(gas_used),
        None => (abi::EVAL_NO_RESULT, avm_vm::Evaluation::failed(gas_used)),
    }
}

impl Host for Frame<'_, '_> {
    fn gas(&self, num: u32, args: &[u32; 6]) -> Gas {
        abi::gas(num, args)
    }

    fn refund(&mut self) -> Gas {
        std::mem::take(&mut self.refund)
    }

    fn syscall(
        &mut self,
        num: u32,
        a: [u32; 6],
        mem: &mut Memory,
        gas_left: Gas,
    ) -> Result<SyscallOutcome, FaultCause> {
        use SyscallOutcome::{Halt, Return, Return2};
        let me = self.call.address;
        let state = &mut *self.world.state;
        Ok(match num {
            SYS_EXIT => Halt(a[0]),
            abi::STORAGE_GET => {
                let key = read(mem, num, a[0], a[1], MAX_KEY)?;
                match state.storage(&me, &key) {
                    None => Return(abi::NONE),
                    Some(v) => {
                        let n = v.len().min(a[3] as usize);
                        mem.write(a[2], &v[..n])?;
                        Return(v.len() as u32)
                    }
                }
            }
            abi::STORAGE_SET => {
                let key = read(mem, num, a[0], a[1], MAX_KEY)?;
                let value = read(mem, num, a[2], a[3], MAX_VALUE)?;
                state.set_storage(&me, &key, Some(value));
                Return(0)
            }
            abi::STORAGE_DELETE => {
                let key = read(mem, num, a[0], a[1], MAX_KEY)?;
                Return(state.set_storage(&me, &key, None).is_some() as u32)
            }
            abi::EMIT_EVENT => {
                if a[1] > MAX_TOPICS || self.world.events.len() >= MAX_EVENTS {
                    return Err(FaultCause::InvalidSyscall { num });
                }
                let raw = read(mem, num, a[0], a[1] * 32, MAX_TOPICS * 32)?;
                let topics = raw
                    .chunks_exact(32)
                    .map(|t| {
                        let mut topic = [0; 32];
                        topic.copy_from_slice(t);
                        topic
                    })
                    .collect();
                let data = read(mem, num, a[2], a[3], MAX_EVENT_DATA)?;
                self.world.events.push(Event {
                    address: me,
                    topics,
                    data,
                });
                Return(0)
            }
            abi::CALL => {
                let address = read_array(mem, a[0])?;
                let input = read(mem, num, a[1], a[2], MAX_DATA)?;
                let value = u128::from_le_bytes(read_array(mem, a[3])?);
                let budget = a[4] as Gas | (a[5] as Gas) << 32;
                if self.depth + 1 > MAX_DEPTH {
                    self.refund = budget;
                    self.return_data.clear();
                    return Ok(Return2(2, 0));
                }
                let call = Call {
                    caller: me,
                    address,
                    value,
                    input,
                    constructor: None,
                };
                let outcome = run(self.world, call, budget, self.depth + 1);
                self.refund = budget.saturating_sub(outcome.gas_used);
                self.return_data = outcome.return_data;
                Return2(outcome.status.code(), self.return_data.len() as u32)
            }
            abi::EVALUATE => {
                let call = read(mem, num, a[0], a[1], MAX_DATA)?;
                let budget = a[2] as Gas | (a[3] as Gas) << 32;
                let Ok(DataValue::Tuple(items)) = codec::decode(&call) else {
                    return Err(FaultCause::InvalidSyscall { num });
                };
                let Some((function, args)) = items.split_first() else {
                    return Err(FaultCause::InvalidSyscall { num });
                };
                let (status, result) = evaluate(self.world.env, function, args, budget);
                self.refund = budget - result.gas_used;
                self.return_data = result.result.unwrap_or_default();
                Return2(status, self.return_data.len() as u32)
            }
            abi::RETURN_DATA_COPY => copy_out(mem, &self.return_data, a[0], a[1], a[2])?,
            abi::CALLER => {
                mem.write(a[0], &self.call.caller)?;
                Return(0)
            }
            abi::SELF_ADDRESS => {
                mem.write(a[0], &me)?;
                Return(0)
            }
            abi::CALL_VALUE => {
                mem.write(a[0], &self.call.value.to_le_bytes())?;
                Return(0)
            }
            abi::INPUT_SIZE => Return(self.call.input.len() as u32),
            abi::INPUT_COPY => copy_out(mem, &self.call.input, a[0], a[1], a[2])?,
            abi::CONTEXT => {
                let b = self.world.block;
                let mut out = [0u8; 56];
                out[..8].copy_from_slice(&b.height.to_le_bytes());
                out[8..16].copy_from_slice(&b.timestamp.to_le_bytes());
                out[16..24].copy_from_slice(&b.chain_id.to_le_bytes());
                out[24..].copy_from_slice(&self.world.origin);
                mem.write(a[0], &out)?;
                Return(0)
            }
            abi::GAS_LEFT => Return2(gas_left as u32, (gas_left >> 32) as u32),
            abi::RETURN | abi::REVERT => {
                let data = read(mem, num, a[0], a[1], MAX_DATA)?;
                self.output = Some((num == abi::RETURN, data));
                Halt(0)
            }
            abi::BALANCE => {
                let addr = read_array(mem, a[0])?;
                mem.write(a[1], &state.balance(&addr).to_le_bytes())?;
                Return(0)
            }
            abi::TRANSFER => {
                let to = read_array(mem, a[0])?;
                let value = u128::from_le_bytes(read_array(mem, a[1])?);
                Return(!state.transfer(&me, &to, value) as u32)
            }
            abi::SHA256 | abi::KECCAK256 | abi::BLAKE3 => {
                let data = read(mem, num, a[0], a[1], MAX_DATA)?;
                let hash = match num {
                    abi::SHA256 => precompile::sha256(&data),
                    abi::KECCAK256 => precompile::keccak256(&data),
                    _ => precompile::blake3(&data),
                };
                mem.write(a[2], &hash)?;
                Return(0)
            }
            abi::SECP256K1_VERIFY => {
                let hash = read_array(mem, a[0])?;
                let sig = read_array(mem, a[1])?;
                if a[3] != 33 && a[3] != 65 {
                    return Err(FaultCause::InvalidSyscall { num });
                }
                let key = read(mem, num, a[2], a[3], 65)?;
                Return(precompile::secp256k1_verify(&hash, &sig, &key) as u32)
            }
            abi::ED25519_VERIFY => {
                let msg = read(mem, num, a[0], a[1], MAX_DATA)?;
                let sig = read_array(mem, a[2])?;
                let key = read_array(mem, a[3])?;
                Return(precompile::ed25519_verify(&msg, &sig, &key) as u32)
            }
            _ => return Err(FaultCause::UnknownSyscall { num }),
        })
    }
}
