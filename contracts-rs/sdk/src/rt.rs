//! The runtime around a contract: the entry point, and panics as reverts.
//!
//! The host starts a frame at `_start` with a2 = 1 for the constructor and
//! 0 for a call (docs/rv32-abi.md). `_start` calls the contract's
//! `__avm_call` or `__avm_deploy` (defined by [`crate::contract!`]) and
//! exits with what it returns: 0 succeeds, anything else reverts.

core::arch::global_asm!(
    ".section .text.start, \"ax\"",
    ".globl _start",
    "_start:",
    "  bnez a2, 1f",
    "  call __avm_call",
    "  j 2f",
    "1: call __avm_deploy",
    "2: li a7, 93",
    "  ecall",
    "3: j 3b",
    ".text",
);

/// A panic reverts the call with the panic's message as return data: a
/// `panic!("literal")` as it is; any other message (`panic!("x is {}", x)`,
/// `expect`, `unwrap`, a bounds check) formatted, up to 256 bytes, with the
/// `fmt-panic` feature, else "panic" (formatting adds code: 1.4 KB in
/// contracts-rs/probe). [`crate::OrRevert`] reverts with a message and no
/// formatting.
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    match info.message() {
        Some(args) => match args.as_str() {
            Some(s) => crate::env::revert(s),
            None => formatted(args),
        },
        None => crate::env::revert("panic"),
    }
}

/// A formatted panic message.
#[cfg(feature = "fmt-panic")]
fn formatted(args: &core::fmt::Arguments) -> ! {
    /// Writes into a fixed buffer, dropping what does not fit.
    struct Buf {
        bytes: [u8; 256],
        len: usize,
    }
    impl core::fmt::Write for Buf {
        fn write_str(&mut self, s: &str) -> core::fmt::Result {
            let n = s.len().min(self.bytes.len() - self.len);
            self.bytes[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
            self.len += n;
            Ok(())
        }
    }
    let mut buf = Buf {
        bytes: [0; 256],
        len: 0,
    };
    let _ = core::fmt::write(&mut buf, *args);
    crate::sys::end(crate::sys::num::REVERT, &buf.bytes[..buf.len])
}

/// Without `fmt-panic`, a formatted message is not formatted.
#[cfg(not(feature = "fmt-panic"))]
fn formatted(_: &core::fmt::Arguments) -> ! {
    crate::env::revert("panic")
}
