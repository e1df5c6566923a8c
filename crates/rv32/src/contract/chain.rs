//! Transactions against a [`State`]: deploy code (running its
//! constructor), call contracts, get a [`Receipt`]. Nonces are checked and
//! bumped outside the journal, so a failed transaction still uses its nonce.

use std::collections::BTreeMap;
use std::sync::Arc;

use avm_vm::{Env, Isolated};

use super::frame::{self, BlockContext, Call, World};
use super::receipt::{Receipt, Status};
use super::state::{Address, State, MAX_CODE};
use crate::elf::{ElfError, ElfLimits};
use crate::gas::Gas;
use crate::program::Program;

/// Gas per byte of code deployed.
pub const DEPLOY_BYTE: Gas = 10;

/// What a transaction does.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum TxKind {
    /// Creates a contract with this ELF at [`deploy_address`], after
    /// running its entry once as the constructor, with `input` as its
    /// calldata (see `docs/rv32-abi.md`).
    Deploy {
        /// The contract's ELF.
        code: Vec<u8>,
        /// The constructor's calldata.
        input: Vec<u8>,
    },
    /// Calls the account at `to` with `input`.
    Call {
        /// The callee.
        to: Address,
        /// The calldata.
        input: Vec<u8>,
    },
}

/// A signed-off transaction (signatures are the node's business, not the
/// VM's): who sends it, with which nonce, value and gas limit.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Transaction {
    /// The sender's address.
    pub sender: Address,
    /// Must equal the sender's account nonce.
    pub nonce: u64,
    /// Native tokens moved from the sender to the callee (or new contract).
    pub value: u128,
    /// Most gas the transaction may use.
    pub gas_limit: Gas,
    /// Deploy or call.
    pub kind: TxKind,
}

/// Why a transaction was refused before it ran (no receipt, no change).
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum TxError {
    /// The nonce is not the sender's next one.
    #[error("nonce {got} for sender; expected {expected}")]
    Nonce {
        /// The account's nonce.
        expected: u64,
        /// The transaction's.
        got: u64,
    },
    /// The code to deploy is not a loadable ELF.
    #[error("code to deploy: {0}")]
    Code(#[from] ElfError),
    /// The code to deploy is larger than [`MAX_CODE`].
    #[error("code to deploy is {0} bytes; the limit is {MAX_CODE}")]
    CodeTooLarge(usize),
}

/// The address of the contract that `sender` deploys with `nonce`:
/// blake3 of `"avm-rv32 deploy"`, the sender and the nonce (u64 LE).
pub fn deploy_address(sender: &Address, nonce: u64) -> Address {
    let mut h = blake3::Hasher::new();
    h.update(b"avm-rv32 deploy");
    h.update(sender);
    h.update(&nonce.to_le_bytes());
    *h.finalize().as_bytes()
}

/// A state, the block context, and decoded programs cached per contract.
#[derive(Clone, Debug, Default)]
pub struct Chain {
    state: State,
    block: BlockContext,
    programs: BTreeMap<Address, Arc<Program>>,
}

impl Chain {
    /// A chain over `state`.
    pub fn new(state: State) -> Chain {
        Chain {
            state,
            ..Chain::default()
        }
    }

    /// The state.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The state, for genesis allocations between transactions (changes
    /// made here are not journaled against any frame).
    pub fn state_mut(&mut self) -> &mut State {
        &mut self.state
    }

    /// Puts `code`, already decoded as `program`, at `address`, replacing
    /// any code there and keeping its balance, nonce and storage (genesis:
    /// between transactions, not journaled).
    pub fn install(&mut self, address: Address, code: Arc<[u8]>, program: Arc<Program>) {
        let mut account = self.state.account(&address).cloned().unwrap_or_default();
        account.code = code;
        self.state.put(address, account);
        self.programs.insert(address, program);
    }

    /// Sets the block context the next transactions see.
    pub fn set_block(&mut self, block: BlockContext) {
        self.block = block;
    }

    /// Runs `tx`. A refused transaction changes nothing; otherwise the
    /// sender's nonce is used and the receipt says how it went (a failed
    /// one leaves the state as it was, apart from that nonce). The
    /// `evaluate` syscall has no registry here: it answers "refused".
    pub fn execute(&mut self, tx: &Transaction) -> Result<Receipt, TxError> {
        self.execute_in(tx, &mut Isolated)
    }

    /// [`Chain::execute`] with `env` behind the `evaluate` syscall (the
    /// registry an evaluation under avm-vm runs in).
    pub fn execute_in(&mut self, tx: &Transaction, env: &mut dyn Env) -> Result<Receipt, TxError> {
        // Changes made through `state_mut` since the last transaction are final.
        self.state.commit();
        let expected = self.state.account(&tx.sender).map_or(0, |a| a.nonce);
        if expected != tx.nonce || tx.nonce == u64::MAX {
            return Err(TxError::Nonce {
                expected,
                got: tx.nonce,
            });
        }
        let receipt = match &tx.kind {
            TxKind::Deploy { code, input } => {
                if code.len() > MAX_CODE {
                    return Err(TxError::CodeTooLarge(code.len()));
                }
                let program = Program::from_elf(code, &ElfLimits::default())?;
                self.use_nonce(tx);
                self.deploy(tx, code, input.clone(), program, env)
            }
            TxKind::Call { to, input } => {
                self.use_nonce(tx);
                let call = Call {
                    caller: tx.sender,
                    address: *to,
                    value: tx.value,
                    input: input.clone(),
                    constructor: None,
                };
                self.run(tx, call, tx.gas_limit, env)
            }
        };
        self.state.commit();
        Ok(receipt)
    }

    /// Bumps the sender's nonce, outside any frame's journal.
    fn use_nonce(&mut self, tx: &Transaction) {
        self.state.set_nonce(&tx.sender, tx.nonce + 1);
    }

    /// Charges the code, runs the constructor as the transaction's frame
    /// (value moved to the new address first) and installs the code only if
    /// it succeeds; a failed constructor leaves no trace but the nonce.
    fn deploy(
        &mut self,
        tx: &Transaction,
        code: &[u8],
        input: Vec<u8>,
        program: Program,
        env: &mut dyn Env,
    ) -> Receipt {
        let code_gas = DEPLOY_BYTE * code.len() as Gas;
        if code_gas > tx.gas_limit {
            return Receipt {
                status: Status::OutOfGas,
                gas_used: tx.gas_limit,
                return_data: Vec::new(),
                events: Vec::new(),
            };
        }
        let address = deploy_address(&tx.sender, tx.nonce);
        let program = Arc::new(program);
        let call = Call {
            caller: tx.sender,
            address,
            value: tx.value,
            input,
            constructor: Some(program.clone()),
        };
        let mut receipt = self.run(tx, call, tx.gas_limit - code_gas, env);
        receipt.gas_used += code_gas;
        if receipt.status == Status::Success {
            let mut account = self.state.account(&address).cloned().unwrap_or_default();
            account.code = code.into();
            self.state.put(address, account);
            self.programs.insert(address, program);
            receipt.return_data = address.to_vec();
        }
        receipt
    }

    /// Runs `call` as the transaction's frame (depth 0) with `gas`.
    fn run(&mut self, tx: &Transaction, call: Call, gas: Gas, env: &mut dyn Env) -> Receipt {
        let mut world = World {
            env,
            state: &mut self.state,
            programs: &mut self.programs,
            events: Vec::new(),
            block: self.block,
            origin: tx.sender,
        };
        let outcome = frame::run(&mut world, call, gas, 0);
        Receipt {
            status: outcome.status,
            gas_used: outcome.gas_used,
            return_data: outcome.return_data,
            events: world.events,
        }
    }
}
