//! A program: a validated ELF image with its code decoded once into an
//! array of slots, one per 4-byte word, that the interpreter dispatches over.
//! A program is immutable and may be shared (`Arc`) by any number of
//! machines.
//!
//! Code is W^X and decoded once, with one exception: the riscv-tests
//! runner's Zifencei mode (crate-private, never for contracts), where every
//! segment is mapped read, write and execute and `fence.i` re-translates
//! the code from memory ([`crate::riscv_tests`]).

use crate::decode::{decode, Instr};
use crate::elf::{self, ElfError, ElfLimits, Image, Segment};
use crate::gas::{self, Class, Gas};
use crate::machine::fast::{self, Handler};
use crate::memory::{Memory, Perms, PAGE_SIZE};
use crate::op::Op;

/// The register index that writes to x0 are redirected to at decode time,
/// so x0 is never written and always reads 0.
pub(crate) const SINK: u8 = 32;

/// Marks a [`Slot::target`] that is not a slot: the instruction has no
/// static target, or it is misaligned or outside the code.
pub(crate) const NO_TARGET: u32 = u32::MAX;

/// One pre-decoded instruction, with what the interpreter needs on entering
/// it and on leaving it for a static target, so neither needs another
/// lookup. 32 bytes.
#[derive(Clone, Copy, Debug)]
#[repr(C)]
pub(crate) struct Slot {
    /// The fast path's handler of this slot when a jump enters it
    /// ([`fast::handlers`]).
    pub entry: Handler,
    /// Its handler when the instruction before falls through into it.
    pub run: Handler,
    pub op: Op,
    /// Destination register, with x0 replaced by [`SINK`].
    pub rd: u8,
    pub rs1: u8,
    pub rs2: u8,
    pub imm: u32,
    /// The gas of this instruction and the rest of its basic block: what
    /// entering a block here costs.
    pub cost: u32,
    /// For `jal` and branches, the slot index of the target, or
    /// [`NO_TARGET`] if jumping there faults.
    pub target: u32,
}

impl Slot {
    const NO_CODE: Slot = Slot {
        entry: fast::SLOW,
        run: fast::SLOW,
        op: Op::NoCode,
        rd: SINK,
        rs1: 0,
        rs2: 0,
        imm: 0,
        cost: 0,
        target: NO_TARGET,
    };

    fn new(i: Instr) -> Slot {
        Slot {
            entry: fast::SLOW,
            run: fast::SLOW,
            op: i.op,
            rd: if i.rd == 0 { SINK } else { i.rd },
            rs1: i.rs1,
            rs2: i.rs2,
            imm: i.imm,
            cost: 0,
            target: NO_TARGET,
        }
    }

    /// Whether the instruction's target is static (in `imm`).
    fn has_static_target(&self) -> bool {
        matches!(self.op.class(), Class::Branch) || self.op == Op::Jal
    }
}

/// A loaded, pre-decoded program.
#[derive(Clone, Debug)]
pub struct Program {
    /// The code span's slots, then one `NoCode` slot for running off the end.
    pub(crate) slots: Box<[Slot]>,
    pub(crate) code_base: u32,
    pub(crate) code_len: usize,
    entry: u32,
    segments: Vec<Segment>,
    /// The Zifencei mode: every segment RWX, `fence.i` re-translates.
    pub(crate) writable_code: bool,
}

impl Program {
    /// Parses, validates and pre-decodes an ELF executable.
    ///
    /// ```
    /// use avm_rv32::{ElfError, Program};
    /// let err = Program::from_elf(&[0; 64], &Default::default()).unwrap_err();
    /// assert!(matches!(err, ElfError::Field { field: "EI_MAG", offset: 0, .. }));
    /// ```
    pub fn from_elf(bytes: &[u8], limits: &ElfLimits) -> Result<Program, ElfError> {
        Ok(Program::from_image(elf::parse(bytes, limits)?))
    }

    /// Pre-decodes a validated image (as [`elf::parse`] returns it).
    fn from_image(image: Image) -> Program {
        let code: Vec<&Segment> = image
            .segments
            .iter()
            .filter(|s| s.perms.executable())
            .collect();
        // parse() guarantees at least one executable segment (the entry's).
        let base = code.first().map_or(image.entry, |s| s.vaddr);
        let end = code.last().map_or(base as u64, |s| s.end());
        let len = ((end - base as u64).div_ceil(4)) as usize;
        let mut slots = vec![Slot::NO_CODE; len + 1];
        for seg in &code {
            let words = (seg.mem_size as usize).div_ceil(4);
            let first = ((seg.vaddr - base) / 4) as usize;
            for k in 0..words {
                let mut word = [0u8; 4];
                for (j, b) in word.iter_mut().enumerate() {
                    *b = seg.data.get(4 * k + j).copied().unwrap_or(0);
                }
                let addr = seg.vaddr.wrapping_add(4 * k as u32);
                slots[first + k] = Slot::new(decode(u32::from_le_bytes(word), addr));
            }
        }
        let mut next = 0u32;
        for slot in slots.iter_mut().rev() {
            let rest = if slot.op.ends_block() { 0 } else { next };
            slot.cost = slot.op.class().cost() as u32 + rest;
            next = slot.cost;
        }
        for i in 0..len {
            let prev = i.checked_sub(1).map(|p| &slots[p]);
            let next = slots.get(i + 1).filter(|_| i + 1 < len);
            (slots[i].entry, slots[i].run) = fast::handlers(prev, &slots[i], next);
        }
        for slot in slots.iter_mut().filter(|s| s.has_static_target()) {
            let off = slot.imm.wrapping_sub(base);
            if off % 4 == 0 && ((off / 4) as usize) < len {
                slot.target = off / 4;
            }
        }
        Program {
            slots: slots.into_boxed_slice(),
            code_base: base,
            code_len: len,
            entry: image.entry,
            segments: image.segments,
            writable_code: false,
        }
    }

    /// This program in the Zifencei mode of the riscv-tests runner: every
    /// segment (code and data alike) readable, writable and executable and
    /// decoded as code, so a test may write instructions anywhere in its
    /// image and run them after `fence.i`. The span of all segments must
    /// fit `limits.max_code_span`, as the executable ones do at load.
    pub(crate) fn with_writable_code(self, limits: &ElfLimits) -> Result<Program, ElfError> {
        let mut segments = self.segments;
        let start = segments.first().map_or(0, |s| s.vaddr as u64);
        let span = segments.last().map_or(0, |s| s.end() - start);
        if span > limits.max_code_span as u64 {
            return Err(ElfError::CodeTooLarge {
                span,
                limit: limits.max_code_span,
            });
        }
        for s in &mut segments {
            s.perms = Perms::from_elf_flags(7);
        }
        let image = Image {
            entry: self.entry,
            segments,
        };
        Ok(Program {
            writable_code: true,
            ..Program::from_image(image)
        })
    }

    /// What `fence.i` costs in the Zifencei mode on top of its class: a
    /// look at every page of code for changes ([`gas::FENCE_I_PAGE`] each).
    pub(crate) fn fence_i_gas(&self) -> Gas {
        (self.code_len as Gas * 4).div_ceil(PAGE_SIZE as Gas) * gas::FENCE_I_PAGE
    }

    /// In the Zifencei mode, the program decoded afresh from the code in
    /// `mem`, if any of it changed since this one was decoded.
    pub(crate) fn retranslated(&self, mem: &Memory) -> Option<Program> {
        let mut changed = false;
        let mut segments = self.segments.clone();
        for s in &mut segments {
            let mut now = vec![0; s.mem_size as usize];
            mem.read(s.vaddr, &mut now).ok()?;
            let (file, rest) = now.split_at(s.data.len().min(now.len()));
            if file != s.data.as_slice() || rest.iter().any(|&b| b != 0) {
                changed = true;
                s.data = now;
            }
        }
        let image = Image {
            entry: self.entry,
            segments,
        };
        changed.then(|| Program {
            writable_code: true,
            ..Program::from_image(image)
        })
    }

    /// The entry point.
    pub fn entry(&self) -> u32 {
        self.entry
    }

    /// The loadable segments, in address order.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The executable address range `[start, end)` that was pre-decoded
    /// (gaps between executable segments fault with `NoCode`).
    pub fn code_range(&self) -> (u32, u64) {
        (
            self.code_base,
            self.code_base as u64 + 4 * self.code_len as u64,
        )
    }

    /// The decoded instruction at `addr`, if it is executable code.
    pub fn instr_at(&self, addr: u32) -> Option<Instr> {
        let off = addr.wrapping_sub(self.code_base);
        let slot = self
            .slots
            .get((off / 4) as usize)
            .filter(|_| off.is_multiple_of(4))?;
        if slot.op == Op::NoCode {
            return None;
        }
        Some(Instr {
            op: slot.op,
            rd: if slot.rd == SINK { 0 } else { slot.rd },
            rs1: slot.rs1,
            rs2: slot.rs2,
            imm: slot.imm,
        })
    }
}
