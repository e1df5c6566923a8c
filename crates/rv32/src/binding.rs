//! RV32 behind the multiformat interface: [`Rv32Vm`], VM number
//! [`VmId::RV32`] (0x30_0002). The convention is documented in
//! docs/rv32-abi.md; in short:
//!
//! - **function**: `fn(0x300002, code)` where `code` is an ELF that
//!   [`Program::from_elf`] accepts. Any other value, a malformed RV32
//!   function included, decodes as data; evaluating data gives no result;
//! - **arguments**: the calldata is the canonical encoding
//!   ([`avm_vm::codec`]) of the tuple of the arguments;
//! - **run**: as a call to a contract at [`CONTRACT`] from [`CALLER`] in an
//!   otherwise empty state that is thrown away afterwards (storage and
//!   events live only during the evaluation; `call` reaches no code);
//! - **result**: a call that succeeds gives its return data as a byte
//!   string; a revert, fault or running out of gas gives no result;
//! - **nested evaluation**: the `evaluate` syscall (0x180) evaluates a
//!   function of any registered VM through the [`Env`], its gas taken from
//!   the call's budget (prepaid, the unused part refunded);
//! - **gas**: the RV32 gas of the call (instructions, pages, syscalls,
//!   nested evaluations).
//!
//! ```
//! use avm_rv32::binding::Rv32Vm;
//! use avm_vm::{codec, DataValue, Registry, VmId};
//!
//! let elf = include_bytes!("../../../contracts/hash.elf");
//! let f = DataValue::function(VmId::RV32, elf.to_vec());
//! let mut registry = Registry::new();
//! registry.register(Rv32Vm).unwrap();
//! let args = [DataValue::nat(7u8)];
//! let e = registry.multievaluate(&f, &args, 100_000).unwrap();
//! let input = codec::encode(&DataValue::tuple(args));
//! assert_eq!(e.result, Some(DataValue::bytes(*blake3::hash(&input).as_bytes())));
//! // Out of gas: no result, and never more gas than the limit.
//! let e = registry.multievaluate(&f, &[], 10).unwrap();
//! assert_eq!((e.result, e.gas_used), (None, 10));
//! ```

use std::sync::Arc;

use avm_vm::{codec, DataValue, Env, Evaluation, Gas, Vm, VmId};

use crate::contract::abi::MAX_DATA;
use crate::contract::{Address, Chain, Status, Transaction, TxKind};
use crate::elf::ElfLimits;
use crate::program::Program;

/// The address the evaluated contract runs at.
pub const CONTRACT: Address = [1; 32];
/// The caller (and transaction sender) of an evaluation.
pub const CALLER: Address = [0; 32];

/// The RV32 VM as a member of the multiformat.
#[derive(Clone, Copy, Debug, Default)]
pub struct Rv32Vm;

/// RV32's internal representation of values: a program, or any other
/// value kept as data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rv32Value {
    /// An RV32 function whose code is a loadable ELF.
    Program(Rv32Program),
    /// Anything else.
    Data(DataValue),
}

/// A function's ELF, loaded and decoded once.
#[derive(Clone)]
pub struct Rv32Program {
    code: Arc<[u8]>,
    program: Arc<Program>,
}

impl Rv32Program {
    /// The ELF.
    pub fn code(&self) -> &[u8] {
        &self.code
    }
}

impl PartialEq for Rv32Program {
    fn eq(&self, other: &Self) -> bool {
        // The program is derived from the code.
        self.code == other.code
    }
}

impl Eq for Rv32Program {}

impl std::fmt::Debug for Rv32Program {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rv32Program")
            .field("entry", &self.program.entry())
            .field("code_len", &self.code.len())
            .finish()
    }
}

impl Vm for Rv32Vm {
    const ID: VmId = VmId::RV32;
    type Repr = Rv32Value;

    fn decode(&self, value: &DataValue) -> Option<Rv32Value> {
        Some(match value {
            DataValue::Function { vm, code } if *vm == Self::ID => {
                match Program::from_elf(code, &ElfLimits::default()) {
                    Ok(program) => Rv32Value::Program(Rv32Program {
                        code: code.as_slice().into(),
                        program: Arc::new(program),
                    }),
                    Err(_) => Rv32Value::Data(value.clone()),
                }
            }
            _ => Rv32Value::Data(value.clone()),
        })
    }

    fn encode(&self, repr: &Rv32Value) -> DataValue {
        match repr {
            Rv32Value::Program(p) => DataValue::function(Self::ID, p.code.to_vec()),
            Rv32Value::Data(d) => d.clone(),
        }
    }

    fn evaluate(
        &self,
        function: &Rv32Value,
        args: &[Rv32Value],
        gas_limit: Gas,
        env: &mut dyn Env,
    ) -> Evaluation<Rv32Value> {
        let Rv32Value::Program(p) = function else {
            return Evaluation::failed(0);
        };
        let input = codec::encode(&DataValue::tuple(args.iter().map(|a| self.encode(a))));
        if input.len() > MAX_DATA as usize {
            return Evaluation::failed(0);
        }
        let mut chain = Chain::default();
        chain.install(CONTRACT, p.code.clone(), p.program.clone());
        let tx = Transaction {
            sender: CALLER,
            nonce: 0,
            value: 0,
            gas_limit,
            kind: TxKind::Call {
                to: CONTRACT,
                input,
            },
        };
        match chain.execute_in(&tx, env) {
            Ok(r) if r.status == Status::Success => {
                Evaluation::done(Rv32Value::Data(DataValue::bytes(r.return_data)), r.gas_used)
            }
            Ok(r) => Evaluation::failed(r.gas_used),
            Err(_) => Evaluation::failed(0),
        }
    }
}
