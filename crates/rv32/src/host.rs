//! The syscall boundary: `ecall` hands the number (a7) and arguments
//! (a0..a5) to a [`Host`], which answers with plain data.
//! The contract ABI (numbers and argument layouts) is in `docs/rv32-abi.md`
//! and implemented by [`crate::contract`].

use crate::fault::FaultCause;
use crate::gas::Gas;
use crate::memory::Memory;

/// `exit(code)`: ends the run with the exit code in a0.
pub const SYS_EXIT: u32 = 93;

/// What the machine does after a syscall.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SyscallOutcome {
    /// Continue after the `ecall`, with a0 set.
    Return(u32),
    /// Continue after the `ecall`, with a0 and a1 set.
    Return2(u32, u32),
    /// End the run with this exit code.
    Halt(u32),
}

/// The environment a guest runs in.
pub trait Host {
    /// Gas charged for the syscall before it runs, on top of
    /// [`crate::gas::SYSCALL`]; if the run cannot pay, it ends with
    /// [`FaultCause::OutOfGas`] and the syscall does not run. Pages the
    /// syscall allocates in guest memory are charged after it returns.
    fn gas(&self, _num: u32, _args: &[u32; 6]) -> Gas {
        0
    }

    /// Gas to give back after the syscall that just ran, out of what
    /// [`Host::gas`] charged for it (more is capped): a `call` prepays the
    /// callee's budget and returns what the callee did not use.
    fn refund(&mut self) -> Gas {
        0
    }

    /// Performs syscall `num` with arguments a0..a5. Memory accesses go
    /// through [`Memory::read`] and [`Memory::write`], which enforce the
    /// guest's permissions. `gas_left` is what the run has left, the
    /// `ecall` and this syscall's [`Host::gas`] already paid (pages the
    /// syscall allocates are charged after it, out of this).
    fn syscall(
        &mut self,
        num: u32,
        args: [u32; 6],
        mem: &mut Memory,
        gas_left: Gas,
    ) -> Result<SyscallOutcome, FaultCause>;
}

/// A host with only `exit` (93): for running plain programs and tests.
///
/// ```
/// use avm_rv32::{ExitOnly, Host, Memory, SyscallOutcome, FaultCause};
/// let mut mem = Memory::new(0);
/// assert_eq!(ExitOnly.syscall(93, [7, 0, 0, 0, 0, 0], &mut mem, 0), Ok(SyscallOutcome::Halt(7)));
/// assert_eq!(ExitOnly.syscall(1, [0; 6], &mut mem, 0), Err(FaultCause::UnknownSyscall { num: 1 }));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct ExitOnly;

impl Host for ExitOnly {
    fn syscall(
        &mut self,
        num: u32,
        args: [u32; 6],
        _mem: &mut Memory,
        _gas_left: Gas,
    ) -> Result<SyscallOutcome, FaultCause> {
        match num {
            SYS_EXIT => Ok(SyscallOutcome::Halt(args[0])),
            _ => Err(FaultCause::UnknownSyscall { num }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, ElfLimits, Machine, Program};
    use std::sync::Arc;

    /// `exit`, charging 100 before and giving back 60 after.
    struct Refunding;

    impl Host for Refunding {
        fn gas(&self, _num: u32, _args: &[u32; 6]) -> Gas {
            100
        }
        fn refund(&mut self) -> Gas {
            60
        }
        fn syscall(
            &mut self,
            num: u32,
            args: [u32; 6],
            mem: &mut Memory,
            gas_left: Gas,
        ) -> Result<SyscallOutcome, FaultCause> {
            ExitOnly.syscall(num, args, mem, gas_left)
        }
    }

    #[test]
    fn refunds_come_off_the_syscall_charge() {
        let elf = include_bytes!("../tests/fixtures/checksum.elf");
        let program = Arc::new(Program::from_elf(elf, &ElfLimits::default()).unwrap());
        let machine = || Machine::new(program.clone(), &Config::default()).unwrap();
        let plain = machine().run(&mut ExitOnly, u64::MAX).unwrap().gas_used;
        let refunded = machine().run(&mut Refunding, u64::MAX).unwrap().gas_used;
        assert_eq!(refunded, plain + 40);
        // The charge is due in full before the syscall, whatever comes back.
        let fault = machine().run(&mut Refunding, plain + 99).unwrap_err();
        assert_eq!(fault.cause, FaultCause::OutOfGas);
    }
}
