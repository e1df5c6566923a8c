//! A machine: registers, memory and a program, and the interpreter.
//!
//! The interpreter runs the program's pre-decoded slots on two paths: the
//! fast path (`machine/fast.rs`, threaded code over whole paid blocks) and the
//! general path (`Machine::step`, any one instruction). Gas is charged
//! per basic block on entry; when a block would cross the limit, or a store
//! allocates a page, the rest of the block runs charging instruction by
//! instruction so the accounting stays exact.

use std::sync::Arc;

use crate::exec::{self, atomic};
use crate::fault::{Fault, FaultCause};
use crate::gas::{self, Gas, Meter};
use crate::host::{Host, SyscallOutcome};
use crate::memory::{Memory, MemoryError, Perms, StoreMiss, PAGE_SIZE};
use crate::op::Op;
use crate::program::Program;
use crate::trace::{NoTrace, Tracer};

pub(crate) mod fast;

/// The top of the stack (exclusive); sp starts here.
pub const STACK_TOP: u32 = 0xC000_0000;

/// Sizes and limits of a machine's address space.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Config {
    /// Bytes of stack below [`STACK_TOP`] (rounded up to whole pages).
    pub stack_size: u32,
    /// Bytes of heap starting at the first page after the highest segment
    /// (rounded up to whole pages).
    pub heap_size: u32,
    /// Most 4 KiB pages allocated at once, file-backed ones included.
    pub max_resident_pages: u32,
}

impl Default for Config {
    /// 1 MiB of stack, 4 MiB of heap, at most 16 MiB resident.
    fn default() -> Self {
        Config {
            stack_size: 1 << 20,
            heap_size: 4 << 20,
            max_resident_pages: 4096,
        }
    }
}

/// Why a program could not be laid out in a machine's address space.
#[derive(Clone, Copy, PartialEq, Eq, Debug, thiserror::Error)]
pub enum LayoutError {
    /// A segment reaches into the stack, or the heap does.
    #[error("segments and heap end at {end:#x}, above the stack's start {stack:#x}")]
    StackOverlap {
        /// One past the highest segment or heap byte.
        end: u64,
        /// The lowest stack address.
        stack: u32,
    },
    /// The program's file-backed pages exceed the resident page limit.
    #[error("program image does not fit: {0}")]
    Memory(MemoryError),
}

/// A run that ended with `exit`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Exit {
    /// The exit code.
    pub code: u32,
    /// Gas used by the run.
    pub gas_used: Gas,
}

/// One isolated machine: 32 registers, pc, memory, and a shared program.
#[derive(Clone, Debug)]
// The registers first: the interpreter addresses them from the machine's
// own address, with the shortest encodings.
#[repr(C)]
pub struct Machine {
    /// x0..x31, then the sink that x0 writes go to; 256 entries so a u8
    /// register number indexes without a bounds check.
    regs: [u32; 256],
    pc: u32,
    mem: Memory,
    program: Arc<Program>,
    reservation: Option<u32>,
    gas_used: Gas,
    heap: (u32, u32),
    /// The program's code base, for the fast path's link values.
    base: u32,
    /// The fast path's chain of handlers.
    chain: fast::Chain,
}

impl Machine {
    /// A machine at the program's entry, with its segments mapped with their
    /// permissions, a read-write heap after them and a stack below
    /// [`STACK_TOP`]. Registers are zero except sp = [`STACK_TOP`],
    /// a0 = heap start and a1 = heap size.
    pub fn new(program: Arc<Program>, config: &Config) -> Result<Machine, LayoutError> {
        let page = |n: u32| (n as u64).div_ceil(PAGE_SIZE as u64) * PAGE_SIZE as u64;
        let stack = STACK_TOP - page(config.stack_size).min(STACK_TOP as u64) as u32;
        let image_end = program
            .segments()
            .iter()
            .map(|s| s.end())
            .max()
            .unwrap_or(0);
        let heap_start = image_end.div_ceil(PAGE_SIZE as u64) * PAGE_SIZE as u64;
        let heap_end = heap_start + page(config.heap_size);
        if heap_end > stack as u64 {
            return Err(LayoutError::StackOverlap {
                end: heap_end,
                stack,
            });
        }
        let mut mem = Memory::new(config.max_resident_pages);
        for seg in program.segments() {
            mem.map(seg.vaddr, seg.mem_size, seg.perms);
        }
        for seg in program.segments() {
            mem.init(seg.vaddr, &seg.data)
                .map_err(LayoutError::Memory)?;
        }
        let heap = (heap_start as u32, (heap_end - heap_start) as u32);
        mem.map(heap.0, heap.1, Perms::RW);
        mem.map(stack, STACK_TOP - stack, Perms::RW);
        let mut regs = [0; 256];
        regs[2] = STACK_TOP;
        regs[10] = heap.0;
        regs[11] = heap.1;
        Ok(Machine {
            regs,
            pc: program.entry(),
            base: program.code_base,
            mem,
            program,
            reservation: None,
            gas_used: 0,
            heap,
            chain: fast::Chain::default(),
        })
    }

    /// Register `x[r & 31]`.
    pub fn reg(&self, r: u8) -> u32 {
        self.regs[(r & 31) as usize]
    }

    /// Sets register `x[r & 31]`; writes to x0 are ignored.
    pub fn set_reg(&mut self, r: u8, value: u32) {
        if r & 31 != 0 {
            self.regs[(r & 31) as usize] = value;
        }
    }

    /// The pc: where the next run starts (after an exit, past its `ecall`;
    /// after a fault, the fault's pc).
    pub fn pc(&self) -> u32 {
        self.pc
    }

    /// Moves the pc.
    pub fn set_pc(&mut self, pc: u32) {
        self.pc = pc;
    }

    /// The heap: start address and size.
    pub fn heap(&self) -> (u32, u32) {
        self.heap
    }

    /// The memory.
    pub fn memory(&self) -> &Memory {
        &self.mem
    }

    /// The memory, for a host to prepare input.
    pub fn memory_mut(&mut self) -> &mut Memory {
        &mut self.mem
    }

    /// The program.
    pub fn program(&self) -> &Arc<Program> {
        &self.program
    }

    /// Gas used by the last run (never above its limit).
    pub fn gas_used(&self) -> Gas {
        self.gas_used
    }

    /// Runs from the pc until `exit`, a fault, or the gas limit.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use avm_rv32::*;
    /// # let elf = include_bytes!("../tests/fixtures/checksum.elf");
    /// let program = Arc::new(Program::from_elf(elf, &ElfLimits::default()).unwrap());
    /// let mut machine = Machine::new(program, &Config::default()).unwrap();
    /// let exit = machine.run(&mut ExitOnly, 10_000_000).unwrap();
    /// assert!(exit.gas_used <= 10_000_000);
    /// let mut starved = Machine::new(machine.program().clone(), &Config::default()).unwrap();
    /// let fault = starved.run(&mut ExitOnly, 100).unwrap_err();
    /// assert_eq!(fault.cause, FaultCause::OutOfGas);
    /// ```
    pub fn run<H: Host>(&mut self, host: &mut H, gas_limit: Gas) -> Result<Exit, Fault> {
        self.execute(host, gas_limit, &mut NoTrace)
    }

    /// [`Machine::run`], reporting each instruction to `tracer` (see
    /// [`crate::trace`]): the same end, pc and gas used.
    pub fn run_traced<H: Host, T: Tracer>(
        &mut self,
        host: &mut H,
        gas_limit: Gas,
        tracer: &mut T,
    ) -> Result<Exit, Fault> {
        self.execute(host, gas_limit, tracer)
    }

    /// The interpreter: the fast path unless `tracer` is active, the
    /// general path where it must go, with the tracer's calls around each
    /// instruction there.
    fn execute<H: Host, T: Tracer>(
        &mut self,
        host: &mut H,
        gas_limit: Gas,
        tracer: &mut T,
    ) -> Result<Exit, Fault> {
        let mut program = Arc::clone(&self.program);
        let start = self.pc.wrapping_sub(program.code_base);
        let early = if self.pc & 3 != 0 {
            Some(FaultCause::MisalignedJump { target: self.pc })
        } else if (start >> 2) as usize >= program.code_len {
            Some(FaultCause::NoCode)
        } else {
            None
        };
        if let Some(cause) = early {
            self.gas_used = 0;
            return Err(Fault { pc: self.pc, cause });
        }
        let mut at = Cursor {
            idx: (start >> 2) as usize,
            meter: Meter::new(gas_limit),
        };
        let mut paid = false;
        let (end, resume) = 'run: loop {
            // Whole blocks, each paid for on entry, until an instruction
            // needs the general path or a block cannot be paid in full
            // (traced, every instruction takes the general path).
            let mut careful = T::ACTIVE || self.fast(&program.slots, &mut at, paid) == Stop::Unpaid;
            // The general path: the one (prepaid) instruction; or, for a
            // block that cannot be paid in full, the block to its end, each
            // instruction paid on its own, so the run stops exactly before
            // the first it cannot pay for.
            loop {
                let traced = T::ACTIVE && self.trace_before(&program, at.idx, tracer);
                let step = self.step(&program, host, &mut at, !careful);
                if traced
                    && !matches!(&step, Step::End(Err(f), _) if f.cause == FaultCause::OutOfGas)
                {
                    tracer.after(self.registers(), gas_limit - at.meter.left());
                }
                match step {
                    Step::Next if careful => continue,
                    Step::Next => paid = true,
                    Step::Enter => paid = false,
                    Step::Unpaid => {
                        careful = true;
                        continue;
                    }
                    Step::Reload => {
                        program = Arc::clone(&self.program);
                        paid = false;
                    }
                    Step::End(end, resume) => break 'run (end, resume),
                }
                break;
            }
        };
        self.pc = resume;
        self.gas_used = gas_limit - at.meter.left();
        end.map(|code| Exit {
            code,
            gas_used: self.gas_used,
        })
    }

    /// Calls `tracer.before` for the instruction in slot `idx`; false (no
    /// call) for a slot past the code, which only faults.
    fn trace_before<T: Tracer>(&self, program: &Program, idx: usize, tracer: &mut T) -> bool {
        let pc = program.code_base.wrapping_add((idx as u32) << 2);
        let Some(instr) = program.instr_at(pc) else {
            return false;
        };
        tracer.before(pc, &instr, self.registers());
        true
    }

    /// x0..x31.
    fn registers(&self) -> &[u32; 32] {
        self.regs
            .first_chunk()
            .expect("256 entries hold 32 registers")
    }

    /// The general path: runs the one instruction at `at`, any instruction
    /// in any case, paying for it unless the fast path `prepaid` its block.
    /// A fault refunds the prepaid rest of the block; a page allocation the
    /// prepaid block leaves no room for refunds all of it and asks for the
    /// instruction to run again paid on its own ([`Step::Unpaid`]).
    #[inline(never)]
    fn step<H: Host>(
        &mut self,
        program: &Program,
        host: &mut H,
        at: &mut Cursor,
        prepaid: bool,
    ) -> Step {
        let base = program.code_base;
        let n = program.code_len;
        let idx = at.idx;
        let pc = base.wrapping_add((idx as u32) << 2);
        // The loops only stop at a slot; past them is no code all the same.
        let Some(&s) = program.slots.get(idx) else {
            return Step::End(
                Err(Fault {
                    pc,
                    cause: FaultCause::NoCode,
                }),
                pc,
            );
        };
        let class = s.op.class().cost();
        if !prepaid && !at.meter.charge(class) {
            return Step::End(
                Err(Fault {
                    pc,
                    cause: FaultCause::OutOfGas,
                }),
                pc,
            );
        }
        let regs = &mut self.regs;
        let mem = &mut self.mem;
        let (r1, r2) = (regs[s.rs1 as usize], regs[s.rs2 as usize]);

        // Ends the run with a fault here, refunding the prepaid rest of the
        // block; an instruction stopped for gas is refunded too, so a run
        // resumed with more gas pays for it once.
        macro_rules! fault {
            ($cause:expr) => {{
                let cause = $cause;
                if prepaid {
                    at.meter.refund(s.cost as Gas - class);
                }
                if cause == FaultCause::OutOfGas {
                    at.meter.refund(class);
                }
                return Step::End(Err(Fault { pc, cause }), pc);
            }};
        }
        // Writes the destination; on to the next instruction of the block.
        macro_rules! set {
            ($v:expr) => {{
                regs[s.rd as usize] = $v;
                at.idx = idx + 1;
                return Step::Next;
            }};
        }
        // On to the block at slot `$to`, writing the link register.
        macro_rules! jump {
            ($to:expr) => {{
                let to: usize = $to;
                regs[s.rd as usize] = pc.wrapping_add(4);
                at.idx = to;
                return Step::Enter;
            }};
        }
        // The slot of jump target `$t`, or the run's end.
        macro_rules! target {
            ($t:expr) => {{
                let t: u32 = $t;
                if t & 3 != 0 {
                    fault!(FaultCause::MisalignedJump { target: t });
                }
                let i = (t.wrapping_sub(base) >> 2) as usize;
                if i >= n {
                    return Step::End(
                        Err(Fault {
                            pc: t,
                            cause: FaultCause::NoCode,
                        }),
                        t,
                    );
                }
                i
            }};
        }
        macro_rules! load {
            ($n:literal, $addr:expr, $cause:ident) => {
                match mem.load::<$n>($addr) {
                    Ok(bytes) => bytes,
                    Err(addr) => fault!(FaultCause::$cause { addr }),
                }
            };
        }
        // A store; a page it allocates is charged exactly.
        macro_rules! store {
            ($addr:expr, $bytes:expr) => {{
                let (addr, bytes) = ($addr, $bytes);
                loop {
                    match mem.store(addr, bytes) {
                        Ok(()) => break,
                        Err(StoreMiss::Denied(addr)) => fault!(FaultCause::StoreAccess { addr }),
                        Err(StoreMiss::Untouched(vpn)) => {
                            if !at.meter.charge(gas::PAGE) {
                                if prepaid {
                                    at.meter.refund(s.cost as Gas);
                                    return Step::Unpaid;
                                }
                                fault!(FaultCause::OutOfGas);
                            }
                            if !mem.allocate(vpn) {
                                at.meter.refund(gas::PAGE);
                                fault!(FaultCause::MemoryLimit { addr });
                            }
                        }
                    }
                }
            }};
        }
        macro_rules! aligned {
            ($addr:expr) => {{
                let addr: u32 = $addr;
                if addr & 3 != 0 {
                    fault!(FaultCause::MisalignedAtomic { addr });
                }
                addr
            }};
        }

        if let Some(v) = exec::value(s.op, r1, r2, s.imm) {
            set!(v);
        }
        if let Some(taken) = exec::taken(s.op, r1, r2) {
            at.idx = if taken { target!(s.imm) } else { idx + 1 };
            return Step::Enter;
        }
        let addr = r1.wrapping_add(s.imm);
        match s.op {
            Op::Lb => set!(load!(1, addr, LoadAccess)[0] as i8 as u32),
            Op::Lbu => set!(load!(1, addr, LoadAccess)[0] as u32),
            Op::Lh => set!(i16::from_le_bytes(load!(2, addr, LoadAccess)) as u32),
            Op::Lhu => set!(u16::from_le_bytes(load!(2, addr, LoadAccess)) as u32),
            Op::Lw => set!(u32::from_le_bytes(load!(4, addr, LoadAccess))),
            Op::Sb => store!(addr, [r2 as u8]),
            Op::Sh => store!(addr, (r2 as u16).to_le_bytes()),
            Op::Sw => store!(addr, r2.to_le_bytes()),
            Op::FenceI if program.writable_code => {
                // The Zifencei mode: the rest of the block may be new code,
                // so it is refunded and entered afresh after the look.
                if prepaid {
                    at.meter.refund(s.cost as Gas - class);
                }
                if !at.meter.charge(program.fence_i_gas()) {
                    at.meter.refund(class);
                    return Step::End(
                        Err(Fault {
                            pc,
                            cause: FaultCause::OutOfGas,
                        }),
                        pc,
                    );
                }
                at.idx = idx + 1;
                return match program.retranslated(&self.mem) {
                    Some(new) => {
                        self.program = Arc::new(new);
                        Step::Reload
                    }
                    None => Step::Enter,
                };
            }
            Op::Fence | Op::FenceI => {}
            Op::Jal => jump!(target!(s.imm)),
            Op::Jalr => jump!(target!(addr & !1)),
            Op::LrW => {
                let addr = aligned!(r1);
                let word = u32::from_le_bytes(load!(4, addr, LoadAccess));
                self.reservation = Some(addr);
                set!(word)
            }
            Op::ScW => {
                let addr = aligned!(r1);
                let reserved = self.reservation == Some(addr);
                if reserved {
                    store!(addr, r2.to_le_bytes());
                }
                self.reservation = None;
                set!(!reserved as u32)
            }
            Op::AmoswapW
            | Op::AmoaddW
            | Op::AmoxorW
            | Op::AmoandW
            | Op::AmoorW
            | Op::AmominW
            | Op::AmomaxW
            | Op::AmominuW
            | Op::AmomaxuW => {
                let addr = aligned!(r1);
                let old = u32::from_le_bytes(load!(4, addr, StoreAccess));
                store!(addr, atomic::amo(s.op, old, r2).to_le_bytes());
                set!(old)
            }
            Op::Ecall => match ecall(host, regs, mem, &mut at.meter) {
                Ok(None) => {
                    at.idx = idx + 1;
                    return Step::Enter;
                }
                Ok(Some(code)) => return Step::End(Ok(code), pc.wrapping_add(4)),
                Err(cause) => fault!(cause),
            },
            Op::Ebreak => fault!(FaultCause::Breakpoint),
            Op::Illegal => fault!(FaultCause::IllegalInstruction { word: s.imm }),
            Op::NoCode => fault!(FaultCause::NoCode),
            _ => unreachable!("value and branch operations return above"),
        }
        at.idx = idx + 1;
        Step::Next
    }
}

/// Where the interpreter is: the slot to run next and the gas left.
struct Cursor {
    idx: usize,
    meter: Meter,
}

/// Why the fast path stopped.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Stop {
    /// The instruction at the cursor needs the general path; its block is paid for.
    Slow,
    /// The block at the cursor cannot be paid for in full.
    Unpaid,
    /// A chain of fast-path handlers returned after entering the block at
    /// the cursor, paid for.
    Pause,
    /// A chain returned falling through to the cursor (only with debug
    /// assertions), carrying a result.
    Next,
}

/// What the general path did.
enum Step {
    /// On to the next instruction, in the same block.
    Next,
    /// On to a new block, at the cursor.
    Enter,
    /// The instruction at the cursor must run again, paid on its own.
    Unpaid,
    /// On to a new block, at the cursor, in the machine's program, which
    /// `fence.i` re-translated.
    Reload,
    /// The run ended: an `exit` code or a fault, and the pc to resume at.
    End(Result<u32, Fault>, u32),
}

/// Performs the `ecall` in a7 for `host`, charging its gas to `meter`: the
/// host's price before the call, the pages it allocated after. `Ok(None)`
/// continues the run, `Ok(Some(code))` ends it with `exit(code)`. Kept out
/// of the interpreter loop (cold, not inlined) so the loop's registers stay
/// on the instructions that run often.
#[cold]
#[inline(never)]
fn ecall<H: Host>(
    host: &mut H,
    regs: &mut [u32; 256],
    mem: &mut Memory,
    meter: &mut Meter,
) -> Result<Option<u32>, FaultCause> {
    let num = regs[17];
    let args = [regs[10], regs[11], regs[12], regs[13], regs[14], regs[15]];
    let extra = host.gas(num, &args);
    if !meter.charge(extra) {
        return Err(FaultCause::OutOfGas);
    }
    let before = mem.resident_pages();
    let outcome = host.syscall(num, args, mem, meter.left());
    meter.refund(host.refund().min(extra));
    let pages = mem.resident_pages().saturating_sub(before) as Gas * gas::PAGE;
    if !meter.charge(pages) {
        return Err(FaultCause::OutOfGas);
    }
    match outcome? {
        SyscallOutcome::Return(a0) => regs[10] = a0,
        SyscallOutcome::Return2(a0, a1) => {
            regs[10] = a0;
            regs[11] = a1;
        }
        SyscallOutcome::Halt(code) => return Ok(Some(code)),
    }
    Ok(None)
}
