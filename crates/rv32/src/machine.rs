//! A machine: registers, memory and a program, and the interpreter loop.
//!
//! The loop dispatches over the program's pre-decoded slots. Gas is charged
//! per basic block on entry; when a block would cross the limit, or a store
//! allocates a page, the rest of the block runs charging instruction by
//! instruction so the accounting stays exact.

use std::sync::Arc;

use crate::exec::{alu, atomic, muldiv};
use crate::fault::{Fault, FaultCause};
use crate::gas::{self, Gas};
use crate::host::{Host, SyscallOutcome};
use crate::memory::{Memory, MemoryError, Perms, StoreMiss, PAGE_SIZE};
use crate::op::Op;
use crate::program::{Program, Slot};

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
            mem,
            program,
            reservation: None,
            gas_used: 0,
            heap,
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
        let program = Arc::clone(&self.program);
        let slots: &[Slot] = &program.slots;
        let block_costs: &[u32] = &program.block_costs;
        let base = program.code_base;
        let n = program.code_len;
        let regs = &mut self.regs;
        let mem = &mut self.mem;
        let reservation = &mut self.reservation;
        let pc_of = |idx: usize| base.wrapping_add((idx as u32) << 2);
        let mut used: Gas = 0;
        let mut careful: bool;
        let resume: u32;

        let start = self.pc.wrapping_sub(base);
        let mut idx = (start >> 2) as usize;
        let early = if self.pc & 3 != 0 {
            Some(FaultCause::MisalignedJump { target: self.pc })
        } else if idx >= n {
            Some(FaultCause::NoCode)
        } else {
            None
        };
        if let Some(cause) = early {
            self.gas_used = 0;
            return Err(Fault { pc: self.pc, cause });
        }

        let result = 'run: loop {
            // A new basic block: pay for all of it, unless that would cross
            // the limit; then pay instruction by instruction.
            let block = block_costs[idx] as Gas;
            careful = used.saturating_add(block) > gas_limit;
            if !careful {
                used += block;
            }
            loop {
                let s = slots[idx];
                if careful {
                    let cost = s.op.class().cost();
                    if used + cost > gas_limit {
                        resume = pc_of(idx);
                        break 'run Err(Fault {
                            pc: resume,
                            cause: FaultCause::OutOfGas,
                        });
                    }
                    used += cost;
                }
                let r1 = regs[s.rs1 as usize];
                let r2 = regs[s.rs2 as usize];

                // Ends the run with a fault at this instruction, refunding
                // the prepaid rest of its block.
                macro_rules! fault {
                    ($cause:expr) => {{
                        if !careful {
                            used -= block_costs[idx] as Gas - s.op.class().cost();
                        }
                        resume = pc_of(idx);
                        break 'run Err(Fault {
                            pc: resume,
                            cause: $cause,
                        });
                    }};
                }
                // The slot index of a jump target, or a fault.
                macro_rules! target {
                    ($t:expr) => {{
                        let t: u32 = $t;
                        if t & 3 != 0 {
                            fault!(FaultCause::MisalignedJump { target: t });
                        }
                        let i = (t.wrapping_sub(base) >> 2) as usize;
                        if i >= n {
                            resume = t;
                            break 'run Err(Fault {
                                pc: t,
                                cause: FaultCause::NoCode,
                            });
                        }
                        i
                    }};
                }
                macro_rules! load {
                    ($n:literal, $fault:ident) => {
                        match mem.load::<$n>(r1.wrapping_add(s.imm)) {
                            Ok(bytes) => bytes,
                            Err(addr) => fault!(FaultCause::$fault { addr }),
                        }
                    };
                }
                // A store; allocating a page charges for it exactly.
                macro_rules! store {
                    ($addr:expr, $bytes:expr) => {{
                        let (addr, bytes) = ($addr, $bytes);
                        loop {
                            match mem.store(addr, bytes) {
                                Ok(()) => break,
                                Err(StoreMiss::Denied(addr)) => {
                                    fault!(FaultCause::StoreAccess { addr })
                                }
                                Err(StoreMiss::Untouched(vpn)) => {
                                    if !careful {
                                        used -= block_costs[idx] as Gas - s.op.class().cost();
                                        careful = true;
                                    }
                                    if used + gas::PAGE > gas_limit {
                                        fault!(FaultCause::OutOfGas);
                                    }
                                    if !mem.allocate(vpn) {
                                        fault!(FaultCause::MemoryLimit { addr });
                                    }
                                    used += gas::PAGE;
                                }
                            }
                        }
                    }};
                }
                // Writes the destination and goes on with the next slot.
                macro_rules! set {
                    ($v:expr) => {{
                        regs[s.rd as usize] = $v;
                        idx += 1;
                        continue;
                    }};
                }
                // A conditional branch: to its target if taken, else on; either
                // way a new block.
                macro_rules! branch {
                    ($taken:expr) => {{
                        idx = if $taken { target!(s.imm) } else { idx + 1 };
                        continue 'run;
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

                match s.op {
                    Op::Lui | Op::Auipc => set!(s.imm),
                    Op::Addi => set!(r1.wrapping_add(s.imm)),
                    Op::Slti => set!(alu::slt(r1, s.imm)),
                    Op::Sltiu => set!(alu::sltu(r1, s.imm)),
                    Op::Xori => set!(r1 ^ s.imm),
                    Op::Ori => set!(r1 | s.imm),
                    Op::Andi => set!(r1 & s.imm),
                    Op::Slli => set!(alu::sll(r1, s.imm)),
                    Op::Srli => set!(alu::srl(r1, s.imm)),
                    Op::Srai => set!(alu::sra(r1, s.imm)),
                    Op::Add => set!(r1.wrapping_add(r2)),
                    Op::Sub => set!(r1.wrapping_sub(r2)),
                    Op::Sll => set!(alu::sll(r1, r2)),
                    Op::Slt => set!(alu::slt(r1, r2)),
                    Op::Sltu => set!(alu::sltu(r1, r2)),
                    Op::Xor => set!(r1 ^ r2),
                    Op::Srl => set!(alu::srl(r1, r2)),
                    Op::Sra => set!(alu::sra(r1, r2)),
                    Op::Or => set!(r1 | r2),
                    Op::And => set!(r1 & r2),
                    Op::Mul => set!(muldiv::mul(r1, r2)),
                    Op::Mulh => set!(muldiv::mulh(r1, r2)),
                    Op::Mulhsu => set!(muldiv::mulhsu(r1, r2)),
                    Op::Mulhu => set!(muldiv::mulhu(r1, r2)),
                    Op::Div => set!(muldiv::div(r1, r2)),
                    Op::Divu => set!(muldiv::divu(r1, r2)),
                    Op::Rem => set!(muldiv::rem(r1, r2)),
                    Op::Remu => set!(muldiv::remu(r1, r2)),
                    Op::Lb => set!(load!(1, LoadAccess)[0] as i8 as u32),
                    Op::Lbu => set!(load!(1, LoadAccess)[0] as u32),
                    Op::Lh => set!(i16::from_le_bytes(load!(2, LoadAccess)) as u32),
                    Op::Lhu => set!(u16::from_le_bytes(load!(2, LoadAccess)) as u32),
                    Op::Lw => set!(u32::from_le_bytes(load!(4, LoadAccess))),
                    Op::Sb => {
                        store!(r1.wrapping_add(s.imm), [r2 as u8]);
                        idx += 1;
                        continue;
                    }
                    Op::Sh => {
                        store!(r1.wrapping_add(s.imm), (r2 as u16).to_le_bytes());
                        idx += 1;
                        continue;
                    }
                    Op::Sw => {
                        store!(r1.wrapping_add(s.imm), r2.to_le_bytes());
                        idx += 1;
                        continue;
                    }
                    Op::Fence | Op::FenceI => {
                        idx += 1;
                        continue;
                    }
                    Op::Beq => branch!(r1 == r2),
                    Op::Bne => branch!(r1 != r2),
                    Op::Blt => branch!((r1 as i32) < (r2 as i32)),
                    Op::Bge => branch!((r1 as i32) >= (r2 as i32)),
                    Op::Bltu => branch!(r1 < r2),
                    Op::Bgeu => branch!(r1 >= r2),
                    Op::Jal => {
                        let to = target!(s.imm);
                        regs[s.rd as usize] = pc_of(idx).wrapping_add(4);
                        idx = to;
                        continue 'run;
                    }
                    Op::Jalr => {
                        let to = target!(r1.wrapping_add(s.imm) & !1);
                        regs[s.rd as usize] = pc_of(idx).wrapping_add(4);
                        idx = to;
                        continue 'run;
                    }
                    Op::LrW => {
                        let addr = aligned!(r1);
                        let word = match mem.load::<4>(addr) {
                            Ok(bytes) => u32::from_le_bytes(bytes),
                            Err(addr) => fault!(FaultCause::LoadAccess { addr }),
                        };
                        *reservation = Some(addr);
                        set!(word)
                    }
                    Op::ScW => {
                        let addr = aligned!(r1);
                        let reserved = reservation.take() == Some(addr);
                        if reserved {
                            store!(addr, r2.to_le_bytes());
                        }
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
                        let old = match mem.load::<4>(addr) {
                            Ok(bytes) => u32::from_le_bytes(bytes),
                            Err(addr) => fault!(FaultCause::StoreAccess { addr }),
                        };
                        store!(addr, atomic::amo(s.op, old, r2).to_le_bytes());
                        set!(old)
                    }
                    Op::Ecall => match ecall(host, regs, mem, &mut used, gas_limit) {
                        Ok(None) => {
                            idx += 1;
                            continue 'run;
                        }
                        Ok(Some(code)) => {
                            resume = pc_of(idx).wrapping_add(4);
                            break 'run Ok(Exit {
                                code,
                                gas_used: used,
                            });
                        }
                        Err(cause) => fault!(cause),
                    },
                    Op::Ebreak => fault!(FaultCause::Breakpoint),
                    Op::Illegal => fault!(FaultCause::IllegalInstruction { word: s.imm }),
                    Op::NoCode => fault!(FaultCause::NoCode),
                }
            }
        };
        self.pc = resume;
        self.gas_used = used;
        result
    }
}

/// Performs the `ecall` in a7 for `host`, charging its gas to `used`: the
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
    used: &mut Gas,
    gas_limit: Gas,
) -> Result<Option<u32>, FaultCause> {
    let num = regs[17];
    let args = [regs[10], regs[11], regs[12], regs[13], regs[14], regs[15]];
    let extra = host.gas(num, &args);
    if used.saturating_add(extra) > gas_limit {
        return Err(FaultCause::OutOfGas);
    }
    *used += extra;
    let before = mem.resident_pages();
    let outcome = host.syscall(num, args, mem, gas_limit - *used);
    *used -= host.refund().min(extra);
    let pages = mem.resident_pages().saturating_sub(before) as Gas * gas::PAGE;
    if used.saturating_add(pages) > gas_limit {
        return Err(FaultCause::OutOfGas);
    }
    *used += pages;
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
