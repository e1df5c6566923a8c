//! The command line: subcommands, arguments and help texts.

use crate::assign::{self, Assignment};
use crate::error::EXIT_CODES;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const LONG_ABOUT: &str = "\
avm assembles, inspects, runs and evaluates programs for the Alu virtual machine: a
register-based, exception-less, gas-metered VM. Programs are written in Alu
assembly (.alu files, see docs/asm.md) and compiled to libraries (.lib files),
each identified by the hash of its contents (an id like alu1...).

Every run ends: a program stops, fails, or hits its gas (complexity), jump or
call-depth limit. Its result is the status register st0.

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
  avm eval examples/mathlib.lib 12 --gas 100   12 squared through the VM registry";

/// Assemble, inspect and run Alu VM programs.
#[derive(Parser, Debug)]
#[command(
    name = "avm",
    version,
    about = "Assemble, inspect and run Alu VM programs",
    long_about = LONG_ABOUT,
    after_help = "Run `avm help <COMMAND>` or `avm <COMMAND> --help` for details.",
    after_long_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"),
    propagate_version = true,
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

{EXIT_CODES}")
    )]
    Asm(AsmArgs),

    /// Print a library as assembly source.
    #[command(
        long_about = "\
Print a library file as Alu assembly. The output assembles back to a library
with the same id (imports are printed as `.import NAME alu1...`).",
        after_long_help = format!("Examples:
  avm disasm examples/mathlib.lib
  avm disasm prog.lib > prog.alu && avm asm prog.alu   same id again

{EXIT_CODES}")
    )]
    Disasm(DisasmArgs),

    /// Show what a library contains: id, ISA, imports, entries, sizes.
    #[command(
        long_about = "\
Show a library's id, the ISA extensions it commits to, the ids of the libraries
it imports, its named entry points with their code offsets, the sizes of its
code and data segments, and its signature. Libraries are not signed yet: the
container format has no signature field, so the signature is always \"none\".",
        after_long_help = format!("Examples:
  avm inspect examples/mathlib.lib
  avm inspect examples/mathlib.lib --json | jq -r .id

{EXIT_CODES}")
    )]
    Inspect(InspectArgs),

    /// Run a program from a source file or a library.
    #[command(
        long_about = "\
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
st0 = false, whatever the reason.",
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

{EXIT_CODES}")
    )]
    Run(RunArgs),

    /// Evaluate a function value on argument values, through the VM registry.
    #[command(
        long_about = "\
Evaluate FUNCTION on ARGS with at most --gas N gas, through the VM registry
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

{EXIT_CODES}")
    )]
    Eval(EvalArgs),

    /// The RV32 machine (RISC-V RV32IMA ELF executables).
    #[command(subcommand)]
    Rv32(Rv32Command),
}

/// `avm rv32` subcommands.
#[derive(Subcommand, Debug)]
pub enum Rv32Command {
    /// Run a riscv-tests binary and report pass or the failing test number.
    #[command(
        long_about = "\
Run an RV32 ELF built for the riscv-tests `p` environment (loaded at
0x80000000, started in machine mode) and report PASS, or FAIL with the number
of the failing test case. The test signals through `ecall` with a7 = 93 and
a0 = 0 (pass) or a0 = (case << 1) | 1, or through the same word in `tohost`
(0x80001000 or 0x80002000). CSR instructions and `mret` of the reset code are
emulated; a fault, an `exit` code that is neither, or no signal within --gas
is a failure with its reason, never a pass.",
        after_long_help = format!("Examples:
  avm rv32 test crates/rv32/tests/riscv-tests/rv32ui-p-alu.elf        PASS
  avm rv32 test crates/rv32/tests/riscv-tests/fails-case-3.elf        FAIL: test 3 failed (exit 1)

{EXIT_CODES}")
    )]
    Test(Rv32TestArgs),
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
    #[arg(short, long = "set", value_name = "REG=VALUE", value_parser = assign::parse)]
    pub set: Vec<Assignment>,
    /// Print every executed instruction and the registers it changed.
    #[arg(short, long)]
    pub trace: bool,
    /// Print one JSON document instead of text (with the trace as an array).
    #[arg(long)]
    pub json: bool,
}

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
    #[arg(long, value_name = "N", required = true)]
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
