//! Faults: how a run ends when the guest does something it may not.

use crate::memory::MemoryError;

/// A run ended abnormally at `pc` for `cause`. The host is never harmed:
/// every guest misbehaviour ends as one of these.
#[derive(Clone, Copy, PartialEq, Eq, Debug, thiserror::Error)]
#[error("fault at pc {pc:#010x}: {cause}")]
pub struct Fault {
    /// The instruction that faulted, or for [`FaultCause::NoCode`] the
    /// address that was fetched, or for [`FaultCause::OutOfGas`] the first
    /// instruction not paid for.
    pub pc: u32,
    /// What went wrong.
    pub cause: FaultCause,
}

/// Why a run faulted.
#[derive(Clone, Copy, PartialEq, Eq, Debug, thiserror::Error)]
pub enum FaultCause {
    /// The word at pc is not an RV32IMA instruction (compressed, CSR and
    /// floating-point instructions included).
    #[error("illegal instruction {word:#010x}")]
    IllegalInstruction {
        /// The instruction word.
        word: u32,
    },
    /// pc is not in an executable segment (including running off its end).
    #[error("no executable code here")]
    NoCode,
    /// A taken jump or branch to an address that is not 4-aligned.
    #[error("jump to misaligned address {target:#x}")]
    MisalignedJump {
        /// The target address.
        target: u32,
    },
    /// A load from an unmapped or unreadable address.
    #[error("load from {addr:#x} denied")]
    LoadAccess {
        /// The first byte denied.
        addr: u32,
    },
    /// A store (or AMO) to an unmapped or non-writable address.
    #[error("store to {addr:#x} denied")]
    StoreAccess {
        /// The first byte denied.
        addr: u32,
    },
    /// LR/SC or AMO on an address that is not 4-aligned.
    #[error("atomic access to misaligned address {addr:#x}")]
    MisalignedAtomic {
        /// The address.
        addr: u32,
    },
    /// A store would allocate a page past the resident page limit.
    #[error("resident memory limit reached writing {addr:#x}")]
    MemoryLimit {
        /// The address written.
        addr: u32,
    },
    /// `ebreak`.
    #[error("breakpoint (ebreak)")]
    Breakpoint,
    /// `ecall` with a number the host does not know (in a7).
    #[error("unknown syscall {num}")]
    UnknownSyscall {
        /// The syscall number.
        num: u32,
    },
    /// A syscall's arguments were invalid for it.
    #[error("invalid arguments to syscall {num}")]
    InvalidSyscall {
        /// The syscall number.
        num: u32,
    },
    /// A syscall read or wrote guest memory it may not.
    #[error("syscall memory access: {0}")]
    SyscallMemory(MemoryError),
    /// The next instruction, page or syscall would exceed the gas limit.
    #[error("out of gas")]
    OutOfGas,
}

impl From<MemoryError> for FaultCause {
    fn from(e: MemoryError) -> Self {
        FaultCause::SyscallMemory(e)
    }
}
