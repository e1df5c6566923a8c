//! The interpreter loop: control flow, limits and complexity accounting.
//!
//! Complexity is charged per basic block: on entering a block the static
//! cost of the whole block (to its terminating jump, call, return or stop)
//! is added to ca0 at once. Only the terminator can leave a block, so the
//! charge is exact. When a block would cross the complexity limit, the block
//! runs one instruction at a time so the run stops exactly before the
//! instruction that would exceed it.

use avm_vm::{Env, Isolated};

use crate::exec;
use crate::isa::Instr;
use crate::program::{Program, Site};
use crate::registers::Registers;

/// Limits of one run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Limits {
    /// Most complexity (gas) the run may accumulate in ca0.
    pub complexity: u64,
    /// Most jumps and calls (cy0); 2^16 - 1 by default, as cy0 is 16 bits in AluVM.
    pub jumps: u64,
    /// Deepest call stack (cs0/cp0); never more than [`MAX_CALL_DEPTH`], whatever it says.
    pub call_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            complexity: u64::MAX,
            jumps: u16::MAX as u64,
            call_depth: DEFAULT_CALL_DEPTH,
        }
    }
}

/// The default call-stack depth.
pub const DEFAULT_CALL_DEPTH: usize = 1024;

/// The deepest call stack of any run, whatever [`Limits::call_depth`] asks: 2^16 - 1
/// frames (cp0 is 16 bits in AluVM), so the stack of return sites never holds more than
/// 1 MiB. Each frame is paid for by the `routine` or `call` that pushes it
/// ([`FRAME`](crate::isa::FRAME) on top of the instruction's own cost).
pub const MAX_CALL_DEPTH: usize = u16::MAX as usize;

/// Why a run stopped.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum StopReason {
    /// `stop`, or `ret` with an empty call stack; st0 is as the program left it.
    Stopped,
    /// `fail`, a failed `test`, a reserved opcode, or a call through an
    /// import index the library does not have; st0 is false.
    Failed,
    /// The next instruction would exceed the complexity limit.
    ComplexityLimit,
    /// The next jump or call would exceed the jump limit.
    JumpLimit,
    /// A call would exceed the call-stack depth (the limit's, or [`MAX_CALL_DEPTH`]).
    CallStackLimit,
}

impl StopReason {
    /// A short name for people and scripts.
    pub fn name(self) -> &'static str {
        match self {
            StopReason::Stopped => "stopped",
            StopReason::Failed => "failed",
            StopReason::ComplexityLimit => "complexity-limit",
            StopReason::JumpLimit => "jump-limit",
            StopReason::CallStackLimit => "call-stack-limit",
        }
    }
}

/// How a run ended.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Outcome {
    /// Why it stopped.
    pub reason: StopReason,
    /// The final st0: the run's result.
    pub st0: bool,
    /// Complexity used (never above the limit).
    pub ca0: u64,
    /// Jumps and calls taken.
    pub cy0: u64,
    /// The instruction at which it stopped.
    pub site: Site,
}

/// Observes a run step by step (for `avm run --trace`). The default methods
/// do nothing and compile away.
pub trait Tracer {
    /// Whether the tracer observes anything; `false` lets the loop skip the calls.
    const ACTIVE: bool = true;
    /// Called before each instruction.
    fn before(&mut self, _site: Site, _instr: &Instr, _regs: &Registers) {}
    /// Called after each instruction that did not end the run.
    fn after(&mut self, _regs: &Registers) {}
}

/// A tracer that observes nothing.
pub struct NoTrace;

impl Tracer for NoTrace {
    const ACTIVE: bool = false;
}

/// What a control instruction does next.
enum Flow {
    Goto(u32, usize),
    End(StopReason),
}

impl Program {
    /// Runs the program from its entry with the given registers.
    ///
    /// ```
    /// use avm_alu::{Host, Library, Limits, Program, Registers, Site, StopReason};
    /// // inc.uw a64[0], 1 ; stop   (a64[0] starts undefined, so it stays undefined)
    /// let lib = Library::new(vec![], vec![], vec![0x47, 0x0D, 0x00, 0x00, 0x08], vec![]).unwrap();
    /// let program = Program::new([lib.clone()], Site { lib: lib.id(), pos: 0 }, &Host::new()).unwrap();
    /// let mut regs = Registers::new();
    /// let out = program.run(&mut regs, &Limits::default());
    /// assert_eq!(out.reason, StopReason::Stopped);
    /// assert!(out.st0);
    /// ```
    pub fn run(&self, regs: &mut Registers, limits: &Limits) -> Outcome {
        self.execute::<true, _>(regs, limits, &mut NoTrace, &mut Isolated)
    }

    /// Runs the program with `env` at hand for ISA extension instructions
    /// that reach the host ([`crate::isa::IsaExtension::uses_env`]); the
    /// gas they use there is added to ca0.
    pub fn run_in(&self, regs: &mut Registers, limits: &Limits, env: &mut dyn Env) -> Outcome {
        self.execute::<true, _>(regs, limits, &mut NoTrace, env)
    }

    /// Runs the program, reporting each step to `tracer`.
    pub fn run_traced<T: Tracer>(
        &self,
        regs: &mut Registers,
        limits: &Limits,
        tracer: &mut T,
    ) -> Outcome {
        self.execute::<true, _>(regs, limits, tracer, &mut Isolated)
    }

    /// Runs the program without complexity accounting: ca0 stays 0 and only
    /// the jump and call-stack limits bound the run. It exists to measure
    /// what accounting costs; hosts that charge gas use [`Program::run`].
    pub fn run_unmetered(&self, regs: &mut Registers, limits: &Limits) -> Outcome {
        self.execute::<false, _>(regs, limits, &mut NoTrace, &mut Isolated)
    }

    fn execute<const METER: bool, T: Tracer>(
        &self,
        regs: &mut Registers,
        limits: &Limits,
        tracer: &mut T,
        env: &mut dyn Env,
    ) -> Outcome {
        let (mut lib, mut pc) = (self.entry.0, self.entry.1 as usize);
        let mut ca0: u64 = 0;
        let mut cy0: u64 = 0;
        let mut stack: Vec<(u32, usize)> = Vec::new();
        let mut code = &*self.codes[lib as usize];
        let end = |reason, regs: &mut Registers, ca0, cy0, lib: u32, pc: usize| {
            if reason != StopReason::Stopped {
                regs.st0 = false;
            }
            Outcome {
                reason,
                st0: regs.st0,
                ca0,
                cy0,
                // Running off a full 64 KiB segment leaves pc past u16::MAX:
                // report the last offset of the address space.
                site: Site {
                    lib: self.ids[lib as usize],
                    pos: pc.min(u16::MAX as usize) as u16,
                },
            }
        };
        'block: loop {
            // Charge the whole basic block up front; near the limit, go
            // instruction by instruction so the run stops exactly.
            let mut careful = false;
            if METER {
                let block_cost = code.slot(pc).block_cost;
                careful = ca0.saturating_add(block_cost) > limits.complexity;
                if !careful {
                    ca0 += block_cost;
                }
            }
            loop {
                let slot = code.slot(pc);
                if METER && careful {
                    if ca0.saturating_add(slot.cost) > limits.complexity {
                        return end(StopReason::ComplexityLimit, regs, ca0, cy0, lib, pc);
                    }
                    ca0 += slot.cost;
                }
                if T::ACTIVE {
                    let site = Site {
                        lib: self.ids[lib as usize],
                        pos: pc as u16,
                    };
                    tracer.before(site, &slot.instr, regs);
                }
                let next = pc + slot.len as usize;
                if !slot.ends_block {
                    if METER && slot.per64 > 0 {
                        // The dynamic part is known only now: take back the
                        // charge for the rest of the block and go one by one.
                        if !careful {
                            ca0 -= slot.block_cost - slot.cost;
                            careful = true;
                        }
                        let extra = (exec::input_bytes(&slot.instr, regs) as u64 / 64)
                            .saturating_mul(slot.per64);
                        if ca0.saturating_add(extra) > limits.complexity {
                            let ca0 = ca0 - slot.cost;
                            return end(StopReason::ComplexityLimit, regs, ca0, cy0, lib, pc);
                        }
                        ca0 += extra;
                    }
                    (slot.handler)(regs, slot, code);
                    if T::ACTIVE {
                        tracer.after(regs);
                    }
                    pc = next;
                    continue;
                }
                let flow = match &slot.instr {
                    Instr::Jif(p) if regs.st0 => jump(&mut cy0, limits, lib, p.pos as usize),
                    Instr::Jif(_) => Flow::Goto(lib, next),
                    Instr::Jmp(p) => jump(&mut cy0, limits, lib, p.pos as usize),
                    Instr::Test(_) if regs.st0 => Flow::Goto(lib, next),
                    Instr::Stop(_) => Flow::End(StopReason::Stopped),
                    Instr::Routine(p) => call(
                        &mut cy0,
                        limits,
                        &mut stack,
                        (lib, next),
                        lib,
                        p.pos as usize,
                    ),
                    Instr::Call(s) | Instr::Exec(s) => {
                        match self.imports[lib as usize].get(s.lib as usize) {
                            None => Flow::End(StopReason::Failed),
                            Some(&target) if matches!(slot.instr, Instr::Call(_)) => call(
                                &mut cy0,
                                limits,
                                &mut stack,
                                (lib, next),
                                target,
                                s.pos as usize,
                            ),
                            Some(&target) => jump(&mut cy0, limits, target, s.pos as usize),
                        }
                    }
                    Instr::Ext(e) => match code.ext_for(e.opcode) {
                        Some(x) => {
                            let left = limits.complexity.saturating_sub(ca0);
                            let used = x.execute_in(e, regs, env, left).min(left);
                            if METER {
                                ca0 += used;
                            }
                            Flow::Goto(lib, next)
                        }
                        None => Flow::End(StopReason::Failed),
                    },
                    Instr::Ret(_) => match stack.pop() {
                        Some((l, p)) => Flow::Goto(l, p),
                        None => Flow::End(StopReason::Stopped),
                    },
                    // fail, a failed test, reserved opcodes.
                    _ => Flow::End(StopReason::Failed),
                };
                match flow {
                    Flow::Goto(l, p) => {
                        if T::ACTIVE {
                            tracer.after(regs);
                        }
                        if l != lib {
                            lib = l;
                            code = &*self.codes[lib as usize];
                        }
                        pc = p;
                        continue 'block;
                    }
                    Flow::End(reason) => return end(reason, regs, ca0, cy0, lib, pc),
                }
            }
        }
    }
}

#[inline(always)]
fn jump(cy0: &mut u64, limits: &Limits, lib: u32, pos: usize) -> Flow {
    if *cy0 >= limits.jumps {
        return Flow::End(StopReason::JumpLimit);
    }
    *cy0 += 1;
    Flow::Goto(lib, pos)
}

#[inline(always)]
fn call(
    cy0: &mut u64,
    limits: &Limits,
    stack: &mut Vec<(u32, usize)>,
    ret: (u32, usize),
    lib: u32,
    pos: usize,
) -> Flow {
    if stack.len() >= limits.call_depth.min(MAX_CALL_DEPTH) {
        return Flow::End(StopReason::CallStackLimit);
    }
    let flow = jump(cy0, limits, lib, pos);
    if let Flow::Goto(..) = flow {
        stack.push(ret);
    }
    flow
}
