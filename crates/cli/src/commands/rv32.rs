//! `avm rv32`: run RV32 ELF programs; deploy, call, view (read-only) and fund
//! (a dev/test mint) contracts and accounts in a state directory, and show
//! what it holds. Calldata and return values: [`super::rv32_values`].

use super::rv32_values::{address, decode_returns, hex, parse_input, parse_returns, Returns};
use super::{open_store, stdout_err, store_error};
use crate::error::{code, CliError, SEE_EXIT_STATUS};
use avm_rv32::contract::precompile::blake3;
use avm_rv32::contract::store::{StateStore, StateStoreError};
use avm_rv32::contract::{BlockContext, Chain, Receipt, State, Status, Transaction, TxKind};
use avm_rv32::{Config, ElfLimits, ExitOnly, Instr, Machine, Program, Tracer};
use avm_store::RedbStore;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `avm rv32`.
#[derive(Args, Debug)]
pub struct Rv32Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Rv32Command,
}

/// The `avm rv32` subcommands.
#[derive(Subcommand, Debug)]
pub enum Rv32Command {
    /// Run an ELF program until it exits (ecall 93), faults or runs out of gas.
    #[command(
        long_about = "\
Run a static RV32IM(A) ELF executable with only the `exit` syscall (93) and
print how it ended: the exit code, or the fault and its pc; and the gas used.
The exit status is 0 for exit code 0, else 1 (which stops a script under
`set -e`); with --exit-code it is the program's own exit code instead (its low
8 bits, as a shell sees any exit code), and 1 for a fault. Contracts (which
use the contract syscalls) are run with `deploy` and `call` instead.",
        after_long_help = format!("Examples:
  avm rv32 run crates/rv32/tests/fixtures/checksum.elf              exit 3876608269 (status 1)
  avm rv32 run crates/rv32/tests/fixtures/checksum.elf --exit-code  status 13 (3876608269 mod 256)

{SEE_EXIT_STATUS}")
    )]
    Run(RunArgs),
    /// Deploy a contract ELF into a state directory; prints its address.
    #[command(long_about = "\
Deploy the contract in FILE.elf into the state directory: run its
constructor once with INPUT as calldata (same syntax as for `call`; the
example contracts take their 32-byte arguments without a selector) and, if it
succeeds, install the code. Prints the receipt with the new address, or why
the constructor failed; a failed deploy installs nothing.",
        after_long_help = format!("Examples:
  avm rv32 deploy contracts/erc20.elf u256:1000000 --state /tmp/chain

{SEE_EXIT_STATUS}"))]
    Deploy(DeployArgs),
    /// Call a contract (or send value to an account) in a state directory.
    #[command(long_about = "\
Call the account at ADDR with INPUT as calldata and print the receipt:
status, gas used, return data, events, and the new state root.

INPUT is a comma-separated list of items, concatenated: u32:N and u64:N
(little-endian), u256:N (32 bytes little-endian, N decimal or 0x hex),
addr:HEX (32 bytes), hex:HEX (raw bytes), text:STRING (UTF-8 to the end of
INPUT, commas included). The examples' calldata is a u32 selector followed by
32-byte arguments, e.g. 'u32:2,addr:0202...02,u256:1000' for an ERC-20
transfer.

--returns TYPES decodes the return data of a successful call as values, in
order: u32, u64, u256 (printed in decimal), addr (hex), and last bytes (hex) or
text, which take the rest; e.g. --returns u256 for an ERC-20 balance. Data that
does not match the types is an error (exit 2); the transaction is saved anyway.",
        after_long_help = format!("Examples:
  avm rv32 call $T u32:2,addr:$(printf '02%.0s' {{1..32}}),u256:250 --state /tmp/chain
  avm rv32 call $T u32:7 --returns u256 --state /tmp/chain    total supply, in decimal

{SEE_EXIT_STATUS}"))]
    Call(CallArgs),
    /// Run a call read-only: no transaction, nothing saved, no nonce used.
    #[command(long_about = "\
Run a call to ADDR with INPUT as calldata against the state in the directory,
as `call` does, print what it returned (decoded by --returns), the gas it used
and the events it would emit, and save nothing: the state, the sender's nonce
and the state root stay as they were. For queries such as a token balance.",
        after_long_help = format!("Examples:
  avm rv32 view $T u32:5,addr:$(printf '00%.0s' {{1..31}})01 --returns u256 --state /tmp/chain

{SEE_EXIT_STATUS}"))]
    View(ViewArgs),
    /// Show an account: balance, nonce, code size and hash, storage entries.
    #[command(long_about = "\
Show the account at ADDR in the state directory: its native-token balance, its
nonce (transactions it has sent), its code (size and blake3 hash of the ELF; none
for a plain account) and how many storage entries it has. An address with no
account shows balance 0, nonce 0 and no code, as the chain sees it.",
        after_long_help = format!("Examples:
  avm rv32 account $(printf '00%.0s' {{1..31}})01 --state /tmp/chain   the default sender

{SEE_EXIT_STATUS}"))]
    Account(StateAddressArgs),
    /// List the deployed contracts: address, code size and hash.
    #[command(long_about = "\
List every account in the state directory that holds code, in address order:
its address, the size of its ELF and the ELF's blake3 hash.",
        after_long_help = format!("Examples:
  avm rv32 contracts --state /tmp/chain

{SEE_EXIT_STATUS}"))]
    Contracts(StateArgs),
    /// Mint native tokens to an account (dev/test only: changes the state root).
    #[command(long_about = "\
Add AMOUNT native tokens to the balance of ADDR in the state directory,
creating the account if needed, and print the new balance and state root.

A genesis-style mint for development and tests: it is not a transaction (no
sender, no nonce, no receipt), it creates tokens from nothing, and it changes
the state root like any other change to the state.",
        after_long_help = format!("Examples:
  avm rv32 fund $(printf '0a%.0s' {{1..32}}) 1000 --state /tmp/chain

{SEE_EXIT_STATUS}"))]
    Fund(FundArgs),
    /// Run a riscv-tests binary and report pass or the failing test number.
    #[command(long_about = "\
Run an RV32 ELF built for the riscv-tests `p` environment (loaded at
0x80000000, started in machine mode) and report PASS, or FAIL with the number
of the failing test case. The test signals through `ecall` with a7 = 93 and
a0 = 0 (pass) or a0 = (case << 1) | 1, or through the same word in `tohost`
(0x80001000 or 0x80002000). CSR instructions and `mret` of the reset code are
emulated; a fault, an `exit` code that is neither, or no signal within --gas
is a failure with its reason, never a pass. A segment the environment's link
script leaves writable and executable, or without permission flags, is laid
out by the section headers; code is writable here (only here) and `fence.i`
re-translates what changed.",
        after_long_help = format!("Examples:
  avm rv32 test crates/rv32/tests/riscv-tests/rv32ui-p-add

{SEE_EXIT_STATUS}"))]
    Test(crate::cli::Rv32TestArgs),
    /// Create a contract project (Rust or C) that builds and tests itself.
    #[command(long_about = super::rv32_new::LONG_ABOUT, after_long_help = super::rv32_new::after_long_help())]
    New(super::rv32_new::NewArgs),
}

/// `avm rv32 run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// The ELF file.
    #[arg(value_name = "FILE.elf")]
    pub file: PathBuf,
    /// Most gas the run may use.
    #[arg(long, value_name = "N", default_value_t = 10_000_000_000)]
    pub gas: u64,
    /// Print every executed instruction and the registers it changed.
    #[arg(short, long)]
    pub trace: bool,
    /// Exit with the program's exit code (its low 8 bits) instead of 0 or 1.
    #[arg(long)]
    pub exit_code: bool,
}

/// What a transaction needs besides its kind.
#[derive(Args, Debug)]
pub struct TxArgs {
    /// The state directory (created if missing).
    #[arg(long, value_name = "DIR")]
    pub state: PathBuf,
    /// The sender's address (64 hex digits).
    #[arg(long, value_name = "ADDR", default_value = DEFAULT_SENDER)]
    pub from: String,
    /// Native tokens to send with it.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub value: u128,
    /// Most gas the transaction may use.
    #[arg(long, value_name = "N", default_value_t = 100_000_000)]
    pub gas: u64,
    #[command(flatten)]
    pub block: BlockArgs,
}

/// The block context a transaction sees (the `context` syscall); not stored
/// in the state, so each command gives its own.
#[derive(Args, Debug)]
pub struct BlockArgs {
    /// Block height.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub height: u64,
    /// Block time, seconds.
    #[arg(long, value_name = "T", default_value_t = 0)]
    pub timestamp: u64,
    /// Chain id.
    #[arg(long, value_name = "ID", default_value_t = 0)]
    pub chain_id: u64,
}

impl From<&BlockArgs> for BlockContext {
    fn from(b: &BlockArgs) -> BlockContext {
        BlockContext {
            height: b.height,
            timestamp: b.timestamp,
            chain_id: b.chain_id,
        }
    }
}

/// `avm rv32 fund`.
#[derive(Args, Debug)]
pub struct FundArgs {
    /// The state directory (created if missing).
    #[arg(long, value_name = "DIR")]
    pub state: PathBuf,
    /// The account's address (64 hex digits).
    #[arg(value_name = "ADDR")]
    pub address: String,
    /// Native tokens to add to its balance.
    #[arg(value_name = "AMOUNT")]
    pub amount: u128,
}

/// `avm rv32 deploy`.
#[derive(Args, Debug)]
pub struct DeployArgs {
    /// The contract's ELF file.
    #[arg(value_name = "FILE.elf")]
    pub file: PathBuf,
    /// The constructor's calldata (as for `call`); empty for none.
    #[arg(value_name = "INPUT", default_value = "")]
    pub input: String,
    #[command(flatten)]
    pub tx: TxArgs,
}

/// `avm rv32 call`.
#[derive(Args, Debug)]
pub struct CallArgs {
    /// The callee's address (64 hex digits).
    #[arg(value_name = "ADDR")]
    pub address: String,
    /// The calldata (see above); empty for none.
    #[arg(value_name = "INPUT", default_value = "")]
    pub input: String,
    /// Decode the return data as these types: u32, u64, u256, addr, bytes, text.
    #[arg(long, value_name = "TYPES", value_parser = parse_returns)]
    pub returns: Option<Returns>,
    #[command(flatten)]
    pub tx: TxArgs,
}

/// `avm rv32 view`.
#[derive(Args, Debug)]
pub struct ViewArgs {
    /// The callee's address (64 hex digits).
    #[arg(value_name = "ADDR")]
    pub address: String,
    /// The calldata (as for `call`); empty for none.
    #[arg(value_name = "INPUT", default_value = "")]
    pub input: String,
    /// Decode the return data as these types: u32, u64, u256, addr, bytes, text.
    #[arg(long, value_name = "TYPES", value_parser = parse_returns)]
    pub returns: Option<Returns>,
    /// The state directory.
    #[arg(long, value_name = "DIR")]
    pub state: PathBuf,
    /// The caller's address (64 hex digits).
    #[arg(long, value_name = "ADDR", default_value = DEFAULT_SENDER)]
    pub from: String,
    /// Most gas the call may use.
    #[arg(long, value_name = "N", default_value_t = 100_000_000)]
    pub gas: u64,
    #[command(flatten)]
    pub block: BlockArgs,
}

/// `avm rv32 contracts`.
#[derive(Args, Debug)]
pub struct StateArgs {
    /// The state directory.
    #[arg(long, value_name = "DIR")]
    pub state: PathBuf,
}

/// `avm rv32 account`.
#[derive(Args, Debug)]
pub struct StateAddressArgs {
    /// The account's address (64 hex digits).
    #[arg(value_name = "ADDR")]
    pub address: String,
    /// The state directory.
    #[arg(long, value_name = "DIR")]
    pub state: PathBuf,
}

/// The sender when `--from` is not given.
const DEFAULT_SENDER: &str = "0000000000000000000000000000000000000000000000000000000000000001";

/// Runs one `avm rv32` subcommand.
pub fn rv32(args: &Rv32Args, out: &mut dyn Write) -> Result<u8, CliError> {
    match &args.command {
        Rv32Command::Run(a) => run(a, out),
        Rv32Command::Deploy(a) => {
            let code = std::fs::read(&a.file).map_err(|e| CliError::read(&a.file, e))?;
            let input = parse_input(&a.input).map_err(CliError::Usage)?;
            let receipt = transact(&a.tx, TxKind::Deploy { code, input }, out)?;
            Ok(tx_status(&receipt))
        }
        Rv32Command::Call(a) => {
            let to = address(&a.address)?;
            let input = parse_input(&a.input).map_err(CliError::Usage)?;
            let receipt = transact(&a.tx, TxKind::Call { to, input }, out)?;
            returns(&receipt, a.returns.as_ref(), out)
        }
        Rv32Command::View(a) => view(a, out),
        Rv32Command::Account(a) => account(a, out),
        Rv32Command::Contracts(a) => contracts(a, out),
        Rv32Command::Fund(a) => fund(a, out),
        Rv32Command::Test(a) => super::rv32_test::test(a, out),
        Rv32Command::New(a) => super::rv32_new::new(a, out),
    }
}

/// Opens the state directory `dir` and loads its state.
fn open_state(dir: &Path) -> Result<(StateStore<RedbStore>, State), CliError> {
    let store = open_store(dir, avm_rv32::contract::store::KIND)?;
    let name = store.path().display().to_string();
    let store = StateStore::open(store, name).map_err(state_error)?;
    let state = store.load().map_err(state_error)?;
    Ok((store, state))
}

/// Opens an existing state directory for a read-only command, which must not
/// make one as a side effect.
fn open_existing_state(dir: &Path) -> Result<State, CliError> {
    if !dir.is_dir() {
        return Err(CliError::Store(format!(
            "{}: no such state directory (deploy, call and fund make one)",
            dir.display()
        )));
    }
    open_state(dir).map(|(_, state)| state)
}

/// A state store failure: the store's own (exit 10), or a state that is not
/// an avm-rv32 state (exit 9).
fn state_error(e: StateStoreError) -> CliError {
    match e {
        StateStoreError::Store(e) => store_error(e),
        other => CliError::Rv32(other.to_string()),
    }
}

fn fund(args: &FundArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let to = address(&args.address)?;
    let (mut store, mut state) = open_state(&args.state)?;
    let balance = state.balance(&to).checked_add(args.amount).ok_or_else(|| {
        CliError::Rv32(format!(
            "fund {}: the balance {} plus {} is over 2^128 - 1",
            hex(&to),
            state.balance(&to),
            args.amount
        ))
    })?;
    state.set_balance(&to, balance);
    store.save(&mut state).map_err(state_error)?;
    writeln!(out, "balance: {balance}").map_err(stdout_err)?;
    writeln!(out, "state root: {}", hex(&state.root())).map_err(stdout_err)?;
    Ok(code::OK)
}

fn load_program(path: &Path) -> Result<Arc<Program>, CliError> {
    let bytes = std::fs::read(path).map_err(|e| CliError::read(path, e))?;
    Program::from_elf(&bytes, &ElfLimits::default())
        .map(Arc::new)
        .map_err(|e| CliError::BadElf {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
}

fn run(args: &RunArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let program = load_program(&args.file)?;
    let mut machine = Machine::new(program, &Config::default())
        .map_err(|e| CliError::Rv32(format!("{}: {e}", args.file.display())))?;
    let ended = if args.trace {
        let mut printer = TracePrinter {
            out: &mut *out,
            line: String::new(),
            before: [0; 32],
            error: None,
        };
        let ended = machine.run_traced(&mut ExitOnly, args.gas, &mut printer);
        if let Some(e) = printer.error {
            return Err(stdout_err(e));
        }
        ended
    } else {
        machine.run(&mut ExitOnly, args.gas)
    };
    let gas_used = machine.gas_used();
    let status = match ended.map(|exit| exit.code) {
        Ok(code) => {
            writeln!(out, "exit {code}").map_err(stdout_err)?;
            match (args.exit_code, code) {
                // The low 8 bits, as a process's exit code reaches a shell.
                (true, code) => code.to_le_bytes()[0],
                (false, 0) => code::OK,
                (false, _) => code::RUN_FALSE,
            }
        }
        Err(fault) => {
            writeln!(out, "{fault}").map_err(stdout_err)?;
            code::RUN_FALSE
        }
    };
    writeln!(out, "gas used: {gas_used}").map_err(stdout_err)?;
    Ok(status)
}

/// Prints each instruction of a traced run: its pc, its mnemonic and the
/// registers it changed. The first write error stops the printing and is
/// kept for after the run.
struct TracePrinter<'o> {
    out: &'o mut dyn Write,
    line: String,
    before: [u32; 32],
    error: Option<std::io::Error>,
}

impl Tracer for TracePrinter<'_> {
    fn before(&mut self, pc: u32, instr: &Instr, regs: &[u32; 32]) {
        self.line = format!("{pc:#010x}  {:<8}", instr.op.mnemonic());
        self.before = *regs;
    }

    fn after(&mut self, regs: &[u32; 32], _gas_used: u64) {
        if self.error.is_some() {
            return;
        }
        for (r, (now, was)) in regs.iter().zip(self.before).enumerate() {
            if *now != was {
                self.line += &format!("  x{r}={now:#x}");
            }
        }
        if let Err(e) = writeln!(self.out, "{}", self.line) {
            self.error = Some(e);
        }
    }
}

/// Runs one transaction and saves its effects; prints the receipt and the
/// new state root, and gives the receipt.
fn transact(args: &TxArgs, kind: TxKind, out: &mut dyn Write) -> Result<Receipt, CliError> {
    let sender = address(&args.from)?;
    let (mut store, state) = open_state(&args.state)?;
    let mut chain = Chain::new(state);
    chain.set_block(BlockContext::from(&args.block));
    let nonce = chain.state().account(&sender).map_or(0, |a| a.nonce);
    let deploy = matches!(kind, TxKind::Deploy { .. });
    let tx = Transaction {
        sender,
        nonce,
        value: args.value,
        gas_limit: args.gas,
        kind,
    };
    let receipt = chain
        .execute(&tx)
        .map_err(|e| CliError::Rv32(e.to_string()))?;
    // The transaction's effects, nonce included, as one atomic batch.
    store.save(chain.state_mut()).map_err(state_error)?;
    print_receipt(&receipt, deploy, out).map_err(stdout_err)?;
    writeln!(out, "state root: {}", hex(&chain.state().root())).map_err(stdout_err)?;
    Ok(receipt)
}

/// The exit status for a transaction's receipt: 0 for success, else 1.
fn tx_status(receipt: &Receipt) -> u8 {
    if receipt.status == Status::Success {
        code::OK
    } else {
        code::RUN_FALSE
    }
}

/// Prints the values of a successful call's return data decoded as `kinds`
/// (nothing without `--returns`), and gives the exit status.
fn returns(
    receipt: &Receipt,
    kinds: Option<&Returns>,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    if let (Some(kinds), Status::Success) = (kinds, &receipt.status) {
        let values = decode_returns(&kinds.0, &receipt.return_data)
            .map_err(|e| CliError::Usage(format!("--returns: {e}")))?;
        writeln!(out, "returns: {}", values.join(", ")).map_err(stdout_err)?;
    }
    Ok(tx_status(receipt))
}

/// `avm rv32 view`: the call runs on the loaded state as a transaction with
/// the sender's current nonce, and nothing of it is saved.
fn view(args: &ViewArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let sender = address(&args.from)?;
    let to = address(&args.address)?;
    let input = parse_input(&args.input).map_err(CliError::Usage)?;
    let mut chain = Chain::new(open_existing_state(&args.state)?);
    chain.set_block(BlockContext::from(&args.block));
    let tx = Transaction {
        sender,
        nonce: chain.state().account(&sender).map_or(0, |a| a.nonce),
        value: 0,
        gas_limit: args.gas,
        kind: TxKind::Call { to, input },
    };
    let receipt = chain
        .execute(&tx)
        .map_err(|e| CliError::Rv32(e.to_string()))?;
    print_receipt(&receipt, false, out).map_err(stdout_err)?;
    returns(&receipt, args.returns.as_ref(), out)
}

/// `avm rv32 account`.
fn account(args: &StateAddressArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let addr = address(&args.address)?;
    let state = open_existing_state(&args.state)?;
    let account = state.account(&addr).cloned().unwrap_or_default();
    writeln!(out, "balance: {}", account.balance).map_err(stdout_err)?;
    writeln!(out, "nonce: {}", account.nonce).map_err(stdout_err)?;
    if account.code.is_empty() {
        writeln!(out, "code: none").map_err(stdout_err)?;
    } else {
        let (size, hash) = (account.code.len(), hex(&blake3(&account.code)));
        writeln!(out, "code: {size} bytes, blake3 {hash}").map_err(stdout_err)?;
    }
    writeln!(out, "storage: {} entries", account.storage.len()).map_err(stdout_err)?;
    Ok(code::OK)
}

/// `avm rv32 contracts`.
fn contracts(args: &StateArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let state = open_existing_state(&args.state)?;
    let mut any = false;
    for (addr, account) in state.accounts().iter().filter(|(_, a)| !a.code.is_empty()) {
        any = true;
        let (size, hash) = (account.code.len(), hex(&blake3(&account.code)));
        writeln!(out, "{}  {size} bytes  blake3 {hash}", hex(addr)).map_err(stdout_err)?;
    }
    if !any {
        writeln!(out, "no contracts").map_err(stdout_err)?;
    }
    Ok(code::OK)
}

fn print_receipt(r: &Receipt, deploy: bool, out: &mut dyn Write) -> std::io::Result<()> {
    match &r.status {
        Status::Success => writeln!(out, "status: success")?,
        Status::Reverted => writeln!(out, "status: reverted")?,
        Status::Faulted { pc, cause } => {
            writeln!(out, "status: faulted at pc {pc:#010x}: {cause}")?
        }
        Status::OutOfGas => writeln!(out, "status: out of gas")?,
    }
    writeln!(out, "gas used: {}", r.gas_used)?;
    if deploy && r.status == Status::Success {
        writeln!(out, "address: {}", hex(&r.return_data))?;
    } else if !r.return_data.is_empty() {
        let text = std::str::from_utf8(&r.return_data)
            .ok()
            .filter(|s| s.chars().all(|c| !c.is_control()));
        match text {
            Some(t) => writeln!(out, "return data: {} ({t:?})", hex(&r.return_data))?,
            None => writeln!(out, "return data: {}", hex(&r.return_data))?,
        }
    }
    for (i, e) in r.events.iter().enumerate() {
        writeln!(out, "event {i}: from {}", hex(&e.address))?;
        for t in &e.topics {
            writeln!(out, "  topic {}", hex(t))?;
        }
        writeln!(out, "  data {}", hex(&e.data))?;
    }
    Ok(())
}
