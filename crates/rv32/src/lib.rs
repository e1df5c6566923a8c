//! # avm-rv32: the RV32 virtual machine
//!
//! A deterministic, gas-metered interpreter for RV32IMA (little-endian,
//! one hart, no C extension, no CSRs) running static ELF executables, such
//! as contracts compiled from C with `riscv64-unknown-elf-gcc
//! -march=rv32im -mabi=ilp32`. Nothing a guest does can crash or hang the
//! host: every misbehaviour ends the run with a [`Fault`], and every run
//! ends within its gas.
//!
//! - [`elf`]: strict ELF32 loading into an [`Image`];
//! - [`op`], [`decode`](mod@decode): the opcode table and the decoder;
//! - [`program`]: an image pre-decoded once into slots ([`Program`]);
//! - [`memory`]: a lazily paged 32-bit address space with permissions;
//! - [`exec`]: instruction semantics by family;
//! - [`gas`]: costs per instruction class, page and syscall;
//! - [`host`]: the `ecall` boundary ([`Host`]);
//! - [`machine`]: registers, memory and the interpreter loop ([`Machine`]);
//! - [`trace`]: observing a run instruction by instruction ([`Tracer`]);
//! - [`fault`]: how runs end abnormally;
//! - [`contract`]: the contract platform (syscalls, state, transactions);
//! - [`binding`]: RV32 behind the multiformat interface ([`binding::Rv32Vm`]).
//! - [`riscv_tests`]: a runner for binaries built for the riscv-tests
//!   environment (`avm rv32 test`).
//!
//! ```
//! use std::sync::Arc;
//! use avm_rv32::{Config, ElfLimits, ExitOnly, Machine, Program};
//! let elf = include_bytes!("../tests/fixtures/checksum.elf");
//! let program = Arc::new(Program::from_elf(elf, &ElfLimits::default()).unwrap());
//! let mut machine = Machine::new(program, &Config::default()).unwrap();
//! let exit = machine.run(&mut ExitOnly, 100_000_000).unwrap();
//! assert_eq!(exit.code, 3_876_608_269); // the same C compiled natively (tests/fixtures/expected.txt)
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod binding;
pub mod contract;
pub mod decode;
pub mod elf;
pub mod exec;
pub mod fault;
pub mod gas;
pub mod host;
pub mod machine;
pub mod memory;
pub mod op;
pub mod program;
pub mod riscv_tests;
pub mod trace;

pub use decode::{decode, Instr};
pub use elf::{ElfError, ElfLimits, Image, Segment};
pub use fault::{Fault, FaultCause};
pub use gas::Gas;
pub use host::{ExitOnly, Host, SyscallOutcome, SYS_EXIT};
pub use machine::{Config, Exit, LayoutError, Machine, STACK_TOP};
pub use memory::{Memory, MemoryError, Perms, PAGE_SIZE};
pub use op::Op;
pub use program::Program;
pub use trace::{NoTrace, Tracer};
