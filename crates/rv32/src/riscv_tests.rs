//! A runner for binaries built for the riscv-tests `p` environment: loaded
//! at 0x8000_0000, started in machine mode, ending with `ecall` (a7 = 93,
//! a0 = 0 for pass or `test << 1 | 1` for a failing test number) or by
//! storing the same kind of word (1 for pass) to `tohost`.
//!
//! The machine has no CSRs or privilege modes, so the runner supplies the
//! little of them the environment's reset code uses: CSR instructions
//! (`csrr*`, `csrw*`, `csrs*`, `csrc*`) read and write a plain register
//! file where every CSR starts at 0 (so `mhartid` is 0), and `mret` jumps
//! to `mepc`. A write to a read-only CSR (address bits 11:10 = 0b11, as in
//! `unimp`) stays an illegal instruction. Traps are not delivered to
//! `mtvec`: a fault ends the test as a failure naming the pc and cause.
//!
//! Versions of the environment's linker script put `.tohost`, `.text` and
//! `.data` in one writable and executable segment, or in one segment with
//! no permission flags, which the loader refuses. The runner splits such a
//! segment along page boundaries before loading, using the section
//! headers: pages of executable sections become R-X, pages of writable
//! ones RW- (see [`SplitError`] for when it cannot).
//!
//! The runner then loads the program in the Zifencei mode, which only it
//! uses (contracts keep W^X): every page of the image is readable,
//! writable and executable, and `fence.i` re-translates the code from
//! memory if it changed (for [`crate::gas::FENCE_I_PAGE`] gas per page of
//! code). Until a `fence.i`, the machine runs the code as it was, as a
//! hart with an instruction cache may.
//!
//! Every way a test can go wrong is an error: a fault, running out of gas
//! (a test spinning in `RVTEST_FAIL`'s wait loop), an `exit` code that is
//! neither 0 nor odd. Only an explicit pass signal passes.
//!
//! ```
//! use avm_rv32::riscv_tests::{run, Outcome};
//! let elf = include_bytes!("../tests/riscv-tests/rv32ui-p-simple.elf");
//! assert_eq!(run(elf, 1_000_000).unwrap().outcome, Outcome::Pass);
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::elf::{ElfError, ElfLimits};
use crate::fault::{Fault, FaultCause};
use crate::gas::Gas;
use crate::host::ExitOnly;
use crate::machine::{Config, LayoutError, Machine};
use crate::program::Program;

mod split;
pub use split::SplitError;

/// Where versions of the environment's linker script put `tohost` (the
/// first page after `.text.init`, or the one after that). Each is polled
/// only if a segment maps it writable.
pub const TOHOST: [u32; 2] = [0x8000_1000, 0x8000_2000];

/// Gas between two looks at `tohost`.
const POLL: Gas = 100_000;

/// `mret`.
const MRET: u32 = 0x3020_0073;

/// The CSR `mepc`, where `mret` returns to.
const MEPC: u16 = 0x341;

/// How a test that ran to its end signalled.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Outcome {
    /// Every test case passed.
    Pass,
    /// Test case number `test` failed.
    Fail {
        /// The failing case's number (`TESTNUM`).
        test: u32,
    },
}

/// A finished test: its outcome and the gas it used.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Report {
    /// Pass, or the failing case.
    pub outcome: Outcome,
    /// Gas used, CSR instructions emulated by the runner counted as 1 each.
    pub gas_used: Gas,
}

/// Why a test binary did not report a pass or a failing case.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum RiscvTestError {
    /// The file is not a loadable ELF.
    #[error("not a loadable RV32 ELF: {0}")]
    Elf(#[from] ElfError),
    /// A writable and executable segment cannot be split into code and
    /// data pages.
    #[error("not a loadable RV32 ELF: {0}")]
    Split(#[from] SplitError),
    /// The program does not fit the machine's address space.
    #[error("cannot lay out the program: {0}")]
    Layout(#[from] LayoutError),
    /// The test faulted (an instruction the machine lacks, a bad access...).
    #[error("test faulted: {0}")]
    Fault(Fault),
    /// The gas ran out before a pass or fail signal.
    #[error("no pass or fail signal within {limit} gas (stopped at pc {pc:#010x})")]
    OutOfGas {
        /// The gas limit.
        limit: Gas,
        /// Where the run stopped.
        pc: u32,
    },
    /// `exit` or `tohost` carried a code that is neither 0/1 (pass) nor odd.
    #[error("malformed pass/fail code {code:#x} (via {via})")]
    BadCode {
        /// The code.
        code: u32,
        /// `ecall` or `tohost`.
        via: &'static str,
    },
}

/// The machine-mode state the environment touches: CSRs, all 0 until written.
#[derive(Default)]
struct Csrs(BTreeMap<u16, u32>);

impl Csrs {
    /// Emulates the CSR instruction or `mret` in `word` at `pc` on
    /// `machine`; false if `word` is neither (or writes a read-only CSR).
    fn emulate(&mut self, machine: &mut Machine, word: u32, pc: u32) -> bool {
        if word == MRET {
            machine.set_pc(self.0.get(&MEPC).copied().unwrap_or(0));
            return true;
        }
        let funct3 = word >> 12 & 7;
        if word & 0x7f != 0x73 || funct3 == 0 || funct3 == 4 {
            return false;
        }
        let csr = (word >> 20) as u16;
        let rd = (word >> 7 & 31) as u8;
        let src = (word >> 15 & 31) as u8;
        let operand = if funct3 >= 5 {
            src as u32
        } else {
            machine.reg(src)
        };
        let old = self.0.get(&csr).copied().unwrap_or(0);
        let (new, writes) = match funct3 & 3 {
            1 => (operand, true),
            2 => (old | operand, src != 0),
            _ => (old & !operand, src != 0),
        };
        if writes {
            if csr >> 10 == 3 {
                return false;
            }
            self.0.insert(csr, new);
        }
        machine.set_reg(rd, old);
        machine.set_pc(pc.wrapping_add(4));
        true
    }
}

/// What a pass/fail word means.
fn outcome(code: u32, pass: u32, via: &'static str) -> Result<Outcome, RiscvTestError> {
    if code == pass {
        Ok(Outcome::Pass)
    } else if code & 1 == 1 {
        Ok(Outcome::Fail { test: code >> 1 })
    } else {
        Err(RiscvTestError::BadCode { code, via })
    }
}

/// Loads `elf` (splitting a writable and executable or flags-0 segment
/// into code and data pages) in the Zifencei mode and runs it with at most `gas_limit` gas until it signals
/// pass or fail through `ecall` 93 or `tohost`.
///
/// ```
/// use avm_rv32::riscv_tests::{run, Outcome, RiscvTestError};
/// let failing = include_bytes!("../tests/riscv-tests/fails-case-3.elf");
/// assert_eq!(run(failing, 1_000_000).unwrap().outcome, Outcome::Fail { test: 3 });
/// assert!(matches!(run(b"not an elf", 1_000), Err(RiscvTestError::Elf(_))));
/// ```
pub fn run(elf: &[u8], gas_limit: Gas) -> Result<Report, RiscvTestError> {
    let elf = split::split_by_sections(elf)?;
    let limits = ElfLimits::default();
    let program = Program::from_elf(&elf, &limits)?;
    // Where the file's own layout has writable data (every page is
    // writable in the Zifencei mode).
    let tohost: Vec<u32> = TOHOST
        .into_iter()
        .filter(|&addr| {
            program
                .segments()
                .iter()
                .any(|s| s.perms.writable() && s.vaddr <= addr && addr as u64 + 8 <= s.end())
        })
        .collect();
    let program = Arc::new(program.with_writable_code(&limits)?);
    let mut machine = Machine::new(program, &Config::default())?;
    let mut csrs = Csrs::default();
    let mut used: Gas = 0;
    loop {
        let slice = POLL.min(gas_limit - used);
        // This slice reaches the limit: running out in it ends the test
        // (the next instruction may cost more than the gas that is left).
        let last = slice == gas_limit - used;
        let result = machine.run(&mut ExitOnly, slice);
        used += machine.gas_used();
        match result {
            Ok(exit) => {
                return Ok(Report {
                    outcome: outcome(exit.code, 0, "ecall")?,
                    gas_used: used,
                })
            }
            Err(Fault {
                pc,
                cause: FaultCause::IllegalInstruction { word },
            }) if used < gas_limit && csrs.emulate(&mut machine, word, pc) => used += 1,
            Err(Fault {
                cause: FaultCause::OutOfGas,
                pc,
            }) => {
                for &addr in &tohost {
                    let mut word = [0; 4];
                    machine.memory().read(addr, &mut word).ok();
                    let code = u32::from_le_bytes(word);
                    if code != 0 {
                        return Ok(Report {
                            outcome: outcome(code, 1, "tohost")?,
                            gas_used: used,
                        });
                    }
                }
                if last {
                    return Err(RiscvTestError::OutOfGas {
                        limit: gas_limit,
                        pc,
                    });
                }
            }
            Err(fault) => return Err(RiscvTestError::Fault(fault)),
        }
    }
}
