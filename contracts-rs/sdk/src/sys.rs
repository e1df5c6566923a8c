//! The raw syscalls (docs/rv32-abi.md): `ecall` with the number in a7 and
//! arguments in a0..a5, results in a0 and a1. Everything else in the SDK
//! is built on [`syscall`].

/// Syscall numbers, as in docs/rv32-abi.md and contracts/include/avm.h.
#[allow(missing_docs)] // each is named after its syscall
pub mod num {
    pub const EXIT: u32 = 93;
    pub const STORAGE_GET: u32 = 0x100;
    pub const STORAGE_SET: u32 = 0x101;
    pub const STORAGE_DELETE: u32 = 0x102;
    pub const EMIT_EVENT: u32 = 0x110;
    pub const CALL: u32 = 0x120;
    pub const RETURN_DATA_COPY: u32 = 0x121;
    pub const CALLER: u32 = 0x130;
    pub const SELF_ADDRESS: u32 = 0x131;
    pub const CALL_VALUE: u32 = 0x132;
    pub const INPUT_SIZE: u32 = 0x133;
    pub const INPUT_COPY: u32 = 0x134;
    pub const CONTEXT: u32 = 0x135;
    pub const GAS_LEFT: u32 = 0x136;
    pub const RETURN: u32 = 0x140;
    pub const REVERT: u32 = 0x141;
    pub const BALANCE: u32 = 0x150;
    pub const TRANSFER: u32 = 0x151;
    pub const SHA256: u32 = 0x160;
    pub const KECCAK256: u32 = 0x161;
    pub const BLAKE3: u32 = 0x162;
    pub const SECP256K1_VERIFY: u32 = 0x170;
    pub const ED25519_VERIFY: u32 = 0x171;
}

/// `storage_get`'s answer for an absent key.
pub const NONE: u32 = u32::MAX;

/// Runs syscall `n` with arguments a0..a5; returns a0 and a1.
///
/// # Safety
/// The arguments that are pointers must be valid for what syscall `n`
/// reads or writes there (a bad one faults the frame, it cannot corrupt
/// the host, but it can overwrite this program's memory).
#[inline(always)]
pub unsafe fn syscall(n: u32, args: [u32; 6]) -> (u32, u32) {
    let (r0, r1);
    core::arch::asm!(
        "ecall",
        inlateout("a0") args[0] => r0,
        inlateout("a1") args[1] => r1,
        in("a2") args[2],
        in("a3") args[3],
        in("a4") args[4],
        in("a5") args[5],
        in("a7") n,
        options(nostack),
    );
    (r0, r1)
}

/// A pointer as a syscall argument.
#[inline(always)]
pub fn ptr<T: ?Sized>(p: *const T) -> u32 {
    p as *const u8 as usize as u32
}

/// A copying syscall (`input_copy`, `return_data_copy`): copies from
/// `offset` of its source into `out`; returns the bytes copied (fewer where
/// the source ends).
#[inline(always)]
pub fn copy_out(n: u32, out: &mut [u8], offset: usize) -> usize {
    let args = [ptr(out.as_mut_ptr()), offset as u32, out.len() as u32, 0, 0, 0];
    // SAFETY: the copying syscalls write at most a2 bytes at a0.
    unsafe { syscall(n, args).0 as usize }
}

/// Syscall `n` with a pointer and a length, which ends the frame
/// (`return`, `revert`).
#[inline(always)]
pub fn end(n: u32, data: &[u8]) -> ! {
    // SAFETY: the syscall only reads `data`.
    unsafe {
        syscall(n, [ptr(data), data.len() as u32, 0, 0, 0, 0]);
    }
    // The syscall does not come back; if it did, exiting reverts.
    loop {
        // SAFETY: exit reads no memory.
        unsafe {
            syscall(num::EXIT, [1, 0, 0, 0, 0, 0]);
        }
    }
}

/// The first `len` bytes of `buf`, zeroed; the rest stays uninitialised,
/// so a scratch buffer sized for the largest case costs only what a call
/// uses. `len` over `N` panics (a revert).
#[inline(always)]
pub fn scratch<const N: usize>(buf: &mut core::mem::MaybeUninit<[u8; N]>, len: usize) -> &mut [u8] {
    assert!(len <= N, "scratch buffer too small");
    let p = buf.as_mut_ptr() as *mut u8;
    // SAFETY: p is valid for N >= len bytes, which are initialised here
    // before the slice is made.
    unsafe {
        core::ptr::write_bytes(p, 0, len);
        core::slice::from_raw_parts_mut(p, len)
    }
}
