//! The command line: subcommands, arguments and help texts.

use crate::assign::{self, Assignment};
use crate::error::{code, exit_status_help, SEE_EXIT_STATUS};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const LONG_ABOUT: &str = "\
avm runs deterministic, gas-metered virtual machines:
  - Alu, a register-based, exception-less VM: programs in Alu assembly (.alu
    files, docs/asm.md) compiled to libraries (.lib files), each identified by
    the hash of its contents (an id like alu1...); `asm`, `disasm`, `inspect`,
    `run`, `eval`, and `key`, `sign`, `verify` for signed libraries;
  - RV32, a RISC-V (RV32IMA) machine for ELF programs and C contracts with
    accounts, storage and calls (docs/rv32.md): `rv32`;
  - objects that talk only through messages, over either VM, kept in a store
    and recorded as message sequence charts (docs/objects.md): `obj`, `tx`,
    `trace`.

Every run ends: a program stops, fails, or hits its gas (complexity), jump or
call-depth limit. An Alu program's result is the status register st0.

`avm eval` evaluates a function value on argument values (avm-vm's data values
in text form) through the VM registry, as the object runtime does: arguments
land in registers by the calling convention of docs/alu-vm.md, and the result
is a value.";

const EXAMPLES: &str = "\
Examples:
  avm run examples/sum.alu                  run a source file, print the result
  avm run examples/fib.alu --set a64[0]=50  start with a64[0] = 50
  avm run examples/sum.alu --trace          show every step and what it changed
  avm asm examples/mathlib.alu              write examples/mathlib.lib, print its id
  avm run examples/calls.alu                imports mathlib from the same directory
  avm disasm examples/mathlib.lib           print a library as assembly
  avm inspect examples/mathlib.lib --json   id, ISA, imports and entries as JSON
  avm eval examples/mathlib.lib 12 --gas 100   12 squared through the VM registry
  avm key new --out me.key                  a key pair: me.key (secret), me.key.pub
  avm sign examples/mathlib.lib --key me.key    writes examples/mathlib.lib.sig
  avm run examples/calls.alu --trusted-key me.key.pub   runs only libraries me signed
  avm rv32 run crates/rv32/tests/fixtures/checksum.elf   a RISC-V program
  avm obj create examples/objects/counter.alu            an object in the store .avm";

/// Run Alu, RV32 and object programs: assemble, inspect, run, evaluate, deploy.
#[derive(Parser, Debug)]
#[command(
    name = "avm",
    version,
    about = "Deterministic, gas-metered VMs: Alu programs, RV32 (RISC-V) contracts, objects",
    long_about = LONG_ABOUT,
    after_help = "Run `avm help <COMMAND>` or `avm <COMMAND> --help` for details.",
    after_long_help = format!("{EXAMPLES}\n\n{}", exit_status_help()),
    propagate_version = true,
    disable_help_subcommand = true,
    max_term_width = 100
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Assemble a source file into a library.
    #[command(
        long_about = "\
Assemble an Alu source file (.alu) into a library file (.lib) and print the
library's id on stdout. `.import NAME` directives are resolved from NAME.lib
or NAME.alu in the source file's directory, then in each --lib-path directory,
in order.",
        after_long_help = format!("Examples:
  avm asm examples/mathlib.alu                 writes examples/mathlib.lib
  avm asm prog.alu -o out/prog.lib --lib-path libs

{SEE_EXIT_STATUS}")
    )]
    Asm(AsmArgs),

    /// Compile an Alma source file into a library.
    #[command(
        long_about = "\
Compile an Alma source file (.alma, see docs/language.md) into a library file
(.lib) and print the library's id on stdout. `avm run`, `avm eval` and `avm obj`
also take .alma files directly.",
        after_long_help = format!("Examples:
  avm build examples/lang/gcd.alma           writes examples/lang/gcd.lib
  avm eval examples/lang/gcd.alma 1071 462   compile and evaluate: result 21

{SEE_EXIT_STATUS}")
    )]
    Build(BuildArgs),

    /// Evaluate Alma expressions and definitions line by line.
    #[command(
        long_about = "\
Read Alma (docs/language.md) from the terminal, with line editing and history,
or from standard input when it is not a terminal. A `(define ...)` is kept for
the rest of the session; an expression is compiled with the definitions as the
body of `main`, run, and its value printed in its type with the gas it used
(an expression using intent forms prints the intent it states instead).
An entry goes on over several lines while a list is open. Errors point into the
entry; the session goes on. End with Ctrl-D (end of input) or `:quit`.",
        after_long_help = "Examples:
  avm repl
  > (define (sq (x i64)) (* x x))
  defined sq
  > (- (sq 3) 12)
  -3 : i64
  gas: 9
  echo '(+ 1 2)' | avm repl      without a terminal: no prompt, one result per entry"
    )]
    Repl(ReplArgs),

    /// Format Alma source files in their canonical layout.
    #[command(long_about = "\
Rewrite Alma source files (.alma) in their canonical layout: a list that fits
in 80 columns on one line, else its head and first operand on the opening line
and each other item on a line of its own, two columns deeper. Comments are kept.
With --check, list the files that are not formatted and exit 1 if any is.")]
    Fmt(FmtArgs),

    /// Print a library as assembly source.
    #[command(
        long_about = "\
Print a library file as Alu assembly. The output assembles back to a library
with the same id (imports are printed as `.import NAME alu1...`).",
        after_long_help = format!("Examples:
  avm disasm examples/mathlib.lib
  avm disasm prog.lib > prog.alu && avm asm prog.alu   same id again

{SEE_EXIT_STATUS}")
    )]
    Disasm(DisasmArgs),

    /// Show what a library contains: id, ISA, imports, entries, sizes.
    #[command(
        long_about = "\
Show a library's id, the ISA extensions it commits to, the ids of the libraries
it imports, its named entry points with their code offsets, the sizes of its
code and data segments, and its signature: the detached signature file
FILE.lib.sig beside it, if there is one, with the signer and whether it is
valid for this library (`avm verify` for the exit status).",
        after_long_help = format!("Examples:
  avm inspect examples/mathlib.lib
  avm inspect examples/mathlib.lib --json | jq -r .id

{SEE_EXIT_STATUS}")
    )]
    Inspect(InspectArgs),

    /// Run a program from a source file or a library.
    #[command(
        long_about = format!("\
Run a program and print how it ended: the stop reason (stopped, failed,
complexity-limit, jump-limit, call-stack-limit) and where, st0 (the result),
the gas used (ca0), the jumps taken (cy0) and every defined register. Integer
(A) registers print in decimal, float (F) and wide (R) ones in hex, byte
strings (S) as \"text\" when printable and x\"hex\" otherwise.

A .alu file is assembled first, resolving imports from its own directory and
then each --lib-path directory; a .lib file's imports are found by id in the
same directories. Any other file is read as a library if it starts with the
library magic `AVML`, else as source.

The entry point is --entry, else the label or entry `main` if there is one,
else offset 0.

The exit status is 0 when the run ends with st0 = true and 1 when it ends with
st0 = false, whatever the reason.

With --trusted-key, the program runs only if every library in it has a valid
signature by one of the trusted keys: the signatures are the *.sig files of the
search directories (as `avm sign` writes them) and each --sig FILE; else it
does not start (exit {}).", code::SIGNATURE),
        after_long_help = format!("Initial registers (--set REG=VALUE, quote it for the shell):
  a64[0]=5  a8[1]=-1  a1024[2]=0xff..  a32[3]=0b101    integers, any width
  r256[0]=0xdeadbeef                                   wide registers (unsigned)
  f64[0]=1.5  f32[1]=0x3fc00000  f16[2]=0x3c00         floats: f32/f64 decimal, any raw bits
  's[0]=\"hello\\n\"'  's[1]=x\"00ff\"'  's[2]=plain text'  byte strings

Examples:
  avm run examples/sum.alu
  avm run examples/fib.alu --json
  avm run examples/gcd.alu --set a64[0]=1071 --set a64[1]=462
  avm run examples/out_of_gas.alu --gas 1000
  avm run examples/mathlib.lib --entry square --set a64[0]=12
  avm run examples/hello.alu --trace

{SEE_EXIT_STATUS}")
    )]
    Run(RunArgs),

    /// Evaluate a function value on argument values, through the VM registry.
    #[command(
        long_about = "\
Evaluate FUNCTION on ARGS with at most --gas N gas (10,000,000 unless given), through the VM registry
(Alu, VM number 0x300001, is registered), and print the result value in text
form (or `none`) and the gas used.

FUNCTION and each ARG are data values in text form (docs/vm-interface.md):
  42  0xff  \"text\"  x\"00ff\"  (1, 2)  #1:()  fn(0x300001, x\"41564d4c...\")
or @FILE to read the text from a file. As a convenience, a FUNCTION ending in
.alu is assembled (imports resolved as for `run`) and one ending in .lib is
read, and either becomes an Alu function value: the library with the ones it
imports, starting at its entry `main`, else at offset 0.

Alu's calling convention (docs/alu-vm.md): argument i lands in a64[i] (a
natural below 2^64), a1024[i] (below 2^1024) or s[i] (a byte string; any other
value as its canonical encoding); at most 16 arguments. A run that stops with
st0 = true returns a1024[0], else a64[0], else s[0], else (). Gas is the
complexity, one for one; a run that would exceed --gas, fails, or stops with
st0 = false gives no result (exit 1).",
        after_long_help = format!("Examples:
  avm eval examples/gcd.alu 1071 462 --gas 1000    result: 21 (arguments in a64[0], a64[1])
  avm eval examples/mathlib.lib 12 --gas 100       result: 144
  avm eval examples/calls.alu --gas 100 --json     a bundle of calls and mathlib
  avm eval @function.txt '(1, \"two\")' x\"03\" --gas 5000

{SEE_EXIT_STATUS}")
    )]
    Eval(EvalArgs),

    /// RV32: run ELF programs; deploy, call, view and fund contracts in a state directory.
    #[command(after_long_help = format!("Examples:
  avm rv32 run crates/rv32/tests/fixtures/checksum.elf
  avm rv32 deploy contracts/erc20.elf u256:1000000 --state /tmp/chain
  avm rv32 call ADDR u32:5,addr:0000000000000000000000000000000000000000000000000000000000000001 --state /tmp/chain --height 7 --timestamp 1700000000
  avm rv32 view ADDR u32:7 --returns u256 --state /tmp/chain   read-only: nothing saved
  avm rv32 account ADDR --state /tmp/chain        balance, nonce, code hash
  avm rv32 contracts --state /tmp/chain           the deployed code
  avm rv32 fund ADDR 1000 --state /tmp/chain      (dev/test: mints tokens)

{SEE_EXIT_STATUS}"))]
    Rv32(crate::commands::rv32::Rv32Args),
    /// Create, call, inspect, list and destroy objects in a store directory.
    #[command(
        long_about = "\
Objects kept in a store directory (--store DIR, default .avm in the current
directory, made if missing). An object is a behaviour (a function value of a
registered VM: an Alu library using the OBJ extension, see docs/objects.md)
with an input history, a state and an optional controller. Every command runs
with one gas budget, commits what it did, and appends its events to the
store's trace (see `avm trace`).",
        after_long_help = format!("Examples:
  avm obj create examples/objects/counter.alu                   prints the new id, e.g. obj1
  avm obj create examples/objects/counter.alu --controller c1
  avm obj call obj1 '()'                     output: 1
  avm obj call obj1 '()' --json
  avm obj state obj1
  avm obj list --store /tmp/world
  avm obj destroy obj1                       only objects with a controller

{SEE_EXIT_STATUS}")
    )]
    Obj(crate::commands::objects::ObjArgs),

    /// Run a script of object operations in one transaction.
    #[command(
        long_about = "\
Run FILE, a script of object operations, as one transaction on the store: all
of it commits, or (on the first failure) none of it does. The whole script is
parsed and every behaviour loaded before the transaction begins.

One statement a line; blank lines and lines starting with # are ignored:
  create BEHAVIOUR [as NAME]   a new object (BEHAVIOUR as for `avm obj create`)
  call OBJECT INPUT            send INPUT, a value in text form (rest of line)
  destroy OBJECT
  transfer OBJECT CONTROLLER   hand the object to a controller (c2 or 2)
OBJECT is an id (obj3 or 3) or $NAME from an earlier `create ... as NAME`.

Each statement's result is printed as FILE:LINE: RESULT, then the commit.
Every object touched must belong to the transaction's controller (--controller,
else the first object's), else the cross-controller error.",
        after_long_help = format!("Examples:
  avm tx transfer.tx --controller c1
  avm tx setup.tx --store /tmp/world --gas 50000

A script (transfer.tx):
  # move 30 from account obj1 to account obj2
  call obj1 (2, 30)
  call obj2 (1, 30)

{SEE_EXIT_STATUS}")
    )]
    Tx(crate::commands::objects::TxArgs),

    /// Render the store's trace: Mermaid, SVG, JSON or text.
    #[command(
        long_about = "\
Print the message sequence chart of every command run on the store (or of the
last N): who sent what to whom, with outputs, creations, transactions and
errors, in order. Formats: mermaid (a sequence diagram for Markdown), svg (a
standalone picture: open it in a browser), json (every event with its fields,
and the trace's hash: equal hashes mean equal traces), text (one line per
event).",
        after_long_help = format!("Examples:
  avm trace                                  Mermaid source
  avm trace --format svg > trace.svg
  avm trace --format json --last 1 | jq -r .hash

{SEE_EXIT_STATUS}")
    )]
    Trace(crate::commands::objects::TraceArgs),

    /// Run a node: serve the objects of a store directory over the network.
    #[command(
        long_about = "\
Run a node: a long-lived process that hosts objects in its own store directory
(--dir DIR) and serves the object runtime over TCP to `avm obj|tx|trace --node
ADDR` and to other nodes (docs/distribution.md). The node without --seed is the
seed: it hosts the cluster's directory (which machine holds each object); the
others name it with --seed. Logs go to stderr; SIGTERM or ctrl-c stops it once
the requests it serves are done.",
        after_long_help = format!("Examples:
  avm node --dir /tmp/n1 --listen 127.0.0.1:7001 --machine 1
  avm node --dir /tmp/n2 --listen 127.0.0.1:7002 --machine 2 --seed 127.0.0.1:7001

{SEE_EXIT_STATUS}")
    )]
    Node(crate::commands::node::NodeArgs),

    /// Start, stop or list a cluster of nodes on loopback.
    #[command(
        long_about = "\
A cluster of nodes on this machine's loopback, for trying distribution and for
tests: `up` starts N `avm node` processes (node 1 is the seed) with their stores
in DIR/node1, DIR/node2, ... on free ports, and records their addresses and
pids in DIR/cluster; `down` stops them; `status` says which answer. Starting
again on the same DIR reopens every store and the directory.",
        after_long_help = format!("Examples:
  avm cluster up --nodes 3 --dir /tmp/cluster
  avm obj create examples/objects/player.alu --node ADDR_OF_M2
  avm cluster status --dir /tmp/cluster
  avm cluster down --dir /tmp/cluster

{SEE_EXIT_STATUS}")
    )]
    Cluster(crate::commands::node::ClusterArgs),

    /// Submit intents (programs using choose/require) to a pool; list, show, withdraw.
    #[command(
        long_about = "\
The intent pool of a store directory (--store DIR, default .avm). An intent is
an Alma program using the intent forms (choose, require, new-var, post,
consume, produce, ...; docs/language.md), or an Alu program using the OBJ
intent opcodes (ochoose, orequire, onewvar, opost, oconsume, oproduce, ...);
`submit` runs it symbolically into a constraint problem (docs/intents.md) and
keeps it only if that works: a malformed intent never enters the pool. `fund`
mints a party's holding of a kind (dev/test).",
        after_long_help = format!("Examples:
  avm intent submit examples/intents/swap-alice.alma --controller c1
  avm intent list
  avm intent show 3f2a                       the first digits of an id suffice
  avm intent withdraw 3f2a
  avm intent fund swap-alice apple 3 --controller c1

Exit 8 when a program is not an intent or an id is unknown.
{SEE_EXIT_STATUS}")
    )]
    Intent(crate::commands::intent::IntentArgs),

    /// Find a transaction that satisfies intents of the pool; optionally commit it.
    #[command(
        long_about = "\
Compose the pool's intents into one constraint problem and solve it with
pumpkin: a set of intents whose resources balance (per kind, consumed equals
created), each party's constraints holding. Every solution is checked again
concretely and by re-running each party's program with the chosen values.
--commit makes it one transaction of the object runtime over the parties'
holdings and takes its intents out of the pool; its chart is in `avm trace`.",
        after_long_help = format!("Examples:
  avm solve
  avm solve --json --timeout 2
  avm solve --commit && avm trace
  avm solve --all                            every intent must take part

Exit 1 when there is no solution (with --all, a minimal conflicting set is
named) or the time ran out.
{SEE_EXIT_STATUS}")
    )]
    Solve(crate::commands::intent::SolveArgs),
    /// Make signing keys.
    #[command(subcommand)]
    Key(KeyCommand),

    /// Sign a library's id with a secret key, into a detached signature file.
    #[command(
        long_about = "\
Sign a library's id with a secret key (from `avm key new`) and write the
detached signature to FILE.lib.sig (or -o). The library file and its id do not
change. The signature signs the text `avm 2026 alu library signature v1`
followed by the 32 id bytes (docs/signing.md).",
        after_long_help = format!("Examples:
  avm sign examples/mathlib.lib --key me.key   writes examples/mathlib.lib.sig

{SEE_EXIT_STATUS}")
    )]
    Sign(SignArgs),

    /// Check a library's detached signature.
    #[command(
        long_about = format!("\
Check that the signature file (FILE.lib.sig, or --sig) is a valid signature of
the library's id and, with --key, that it is by that key. Prints the library id
and the signer; exit 0 when valid, {} when the signature is missing, for
another library, invalid or by another key.", code::SIGNATURE),
        after_long_help = format!("Examples:
  avm verify examples/mathlib.lib
  avm verify examples/mathlib.lib --key ed25519:3b6a27bc...   require this signer

{SEE_EXIT_STATUS}")
    )]
    Verify(VerifyArgs),

    /// Prove that a program accepts a public and a private argument (a STARK).
    #[command(
        long_about = "\
Run FILE (an Alu program in the provable subset, docs/provable.md) on
[--public, --private] and prove that it returned true: a STARK proof that
anyone can check with `avm verify-proof` without the private argument. Shows
progress, then the trace size, proof size, timings and security level.
Proofs are transparent, not zero-knowledge. Exit 1 when the program does not
accept the arguments, 8 when it is outside the provable subset.",
        after_long_help = format!("Examples:
  avm prove examples/prove/preimage.alu --public 3261194153156289175 --private 12345
  avm prove examples/prove/fib.alu --public 55 --private 10 --out fib.proof --json

{SEE_EXIT_STATUS}")
    )]
    Prove(crate::commands::prove::ProveArgs),

    /// Check a proof made by `avm prove`.
    #[command(
        long_about = "\
Check that proof P shows that FILE accepts --public with some private
argument. (Library signatures are checked by `avm verify`.) Exit 0 when it
verifies, 1 when it does not (a damaged proof, another program or public
argument), 8 when FILE is outside the provable subset.",
        after_long_help = format!("Examples:
  avm verify-proof examples/prove/preimage.alu --public 3261194153156289175 examples/prove/preimage.proof

{SEE_EXIT_STATUS}")
    )]
    VerifyProof(crate::commands::prove::VerifyProofArgs),

    /// Print the help of avm or of a subcommand (`avm help rv32 call`).
    #[command(after_long_help = "Examples:
  avm help              this text, without the examples and exit codes
  avm help run          the same as `avm run --help`
  avm help rv32 call    the same as `avm rv32 call --help`")]
    Help(HelpArgs),
}

/// `avm help`.
#[derive(Args, Debug)]
pub struct HelpArgs {
    /// The subcommand, and its subcommands, to describe; none for avm itself.
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// `avm key`.
#[derive(Subcommand, Debug)]
pub enum KeyCommand {
    /// Make a fresh key pair: FILE (secret) and FILE.pub (public); print the public key.
    #[command(
        long_about = "\
Make a key pair from the system's random numbers. The secret key goes to FILE
(created readable by its owner only; an existing file is never overwritten) as
one line `avm-secret-key SCHEME:HEX`; the public key to FILE.pub and stdout as
`SCHEME:HEX`. The secret key is never printed.",
        after_long_help = format!("Examples:
  avm key new --out me.key
  avm key new --scheme schnorr --out btc.key

{SEE_EXIT_STATUS}")
    )]
    New(KeyNewArgs),
}

/// `avm key new`.
#[derive(Args, Debug)]
pub struct KeyNewArgs {
    /// The signature scheme: ed25519, or schnorr (BIP-340 over secp256k1).
    #[arg(long, value_name = "SCHEME", default_value = "ed25519")]
    pub scheme: String,
    /// The secret key file to create; the public key goes to FILE.pub.
    #[arg(short, long, value_name = "FILE")]
    pub out: PathBuf,
}

/// `avm sign`.
#[derive(Args, Debug)]
pub struct SignArgs {
    /// The library file.
    #[arg(value_name = "FILE.lib")]
    pub file: PathBuf,
    /// The secret key file.
    #[arg(short, long, value_name = "KEYFILE")]
    pub key: PathBuf,
    /// Where to write the signature [default: FILE.lib.sig].
    #[arg(short, long, value_name = "FILE.sig")]
    pub output: Option<PathBuf>,
}

/// `avm verify`.
#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The library file.
    #[arg(value_name = "FILE.lib")]
    pub file: PathBuf,
    /// The signature file [default: FILE.lib.sig].
    #[arg(long, value_name = "FILE.sig")]
    pub sig: Option<PathBuf>,
    /// Require this signer: `ed25519:HEX`, `schnorr:HEX` or a public key file.
    #[arg(short, long, value_name = "PUB")]
    pub key: Option<String>,
}

/// `avm rv32 test`.
#[derive(Args, Debug)]
pub struct Rv32TestArgs {
    /// The test binary (ELF32, RISC-V).
    #[arg(value_name = "FILE.elf")]
    pub file: PathBuf,
    /// The most gas the test may use.
    #[arg(long, value_name = "N", default_value_t = 100_000_000)]
    pub gas: u64,
}

/// `avm build`.
#[derive(Args, Debug)]
pub struct BuildArgs {
    /// The Alma source file.
    #[arg(value_name = "FILE.alma")]
    pub file: PathBuf,
    /// Where to write the library [default: FILE with the extension .lib].
    #[arg(short, long, value_name = "FILE.lib")]
    pub output: Option<PathBuf>,
}

/// `avm repl`.
#[derive(Args, Debug)]
pub struct ReplArgs {
    /// The gas each expression may use.
    #[arg(long, default_value_t = 1_000_000)]
    pub gas: u64,
}

/// `avm fmt`.
#[derive(Args, Debug)]
pub struct FmtArgs {
    /// The Alma source files.
    #[arg(value_name = "FILE.alma", required = true)]
    pub files: Vec<PathBuf>,
    /// Only list the files that are not formatted (exit 1 if any).
    #[arg(long)]
    pub check: bool,
}

/// `avm asm`.
#[derive(Args, Debug)]
pub struct AsmArgs {
    /// The assembly source file.
    #[arg(value_name = "FILE.alu")]
    pub file: PathBuf,
    /// Where to write the library [default: FILE with the extension .lib].
    #[arg(short, long, value_name = "FILE.lib")]
    pub output: Option<PathBuf>,
    /// A directory to look for imported libraries in (after the source's own); repeatable.
    #[arg(short = 'L', long = "lib-path", value_name = "DIR")]
    pub lib_path: Vec<PathBuf>,
}

/// `avm disasm`.
#[derive(Args, Debug)]
pub struct DisasmArgs {
    /// The library file.
    #[arg(value_name = "FILE.lib")]
    pub file: PathBuf,
    /// A directory to look for imported libraries in, to print their names; repeatable.
    #[arg(short = 'L', long = "lib-path", value_name = "DIR")]
    pub lib_path: Vec<PathBuf>,
}

/// `avm inspect`.
#[derive(Args, Debug)]
pub struct InspectArgs {
    /// The library file.
    #[arg(value_name = "FILE.lib")]
    pub file: PathBuf,
    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `avm run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// The program: an assembly source (.alu) or a library (.lib).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Where to start: a label or entry name, or a code offset (decimal or 0x hex).
    #[arg(short, long, value_name = "LABEL|OFFSET")]
    pub entry: Option<String>,
    /// A directory to look for imported libraries in (after the file's own); repeatable.
    #[arg(short = 'L', long = "lib-path", value_name = "DIR")]
    pub lib_path: Vec<PathBuf>,
    /// Most gas (complexity, ca0) the run may use [default: unlimited].
    #[arg(long, value_name = "N")]
    pub gas: Option<u64>,
    /// Most jumps and calls (cy0) the run may take.
    #[arg(long, value_name = "N", default_value_t = avm_alu::Limits::default().jumps)]
    pub jumps: u64,
    /// Deepest call stack.
    #[arg(long, value_name = "N", default_value_t = avm_alu::Limits::default().call_depth)]
    pub call_depth: usize,
    /// Set a register before the run: REG=VALUE (forms: see --help); repeatable.
    #[arg(short, long = "set", value_name = "REG=VALUE", value_parser = assign::AssignmentParser)]
    pub set: Vec<Assignment>,
    /// Print every executed instruction and the registers it changed.
    #[arg(short, long)]
    pub trace: bool,
    /// Print one JSON document instead of text (with the trace as an array).
    #[arg(long)]
    pub json: bool,
    /// Run only libraries signed by this key (`ed25519:HEX`, `schnorr:HEX` or a public
    /// key file); repeatable.
    #[arg(long = "trusted-key", value_name = "PUB")]
    pub trusted_keys: Vec<String>,
    /// A signature file to consider besides the *.sig files of the search directories;
    /// repeatable.
    #[arg(long = "sig", value_name = "FILE.sig", requires = "trusted_keys")]
    pub sigs: Vec<PathBuf>,
}

/// The gas `avm eval` gives when `--gas` is not given: ample for the examples,
/// and a bound on a program that would loop to its jump limit.
pub const DEFAULT_EVAL_GAS: u64 = 10_000_000;

/// `avm eval`.
#[derive(Args, Debug)]
pub struct EvalArgs {
    /// The function: a value in text form, @FILE, or a .alu or .lib file.
    #[arg(value_name = "FUNCTION")]
    pub function: String,
    /// The arguments: values in text form, or @FILE.
    #[arg(value_name = "ARGS")]
    pub args: Vec<String>,
    /// Most gas the evaluation may use (for Alu: complexity, ca0).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_EVAL_GAS)]
    pub gas: u64,
    /// A directory to look for imported libraries in (after the file's own); repeatable.
    #[arg(short = 'L', long = "lib-path", value_name = "DIR")]
    pub lib_path: Vec<PathBuf>,
    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
