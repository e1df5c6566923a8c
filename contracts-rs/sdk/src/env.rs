//! The frame's environment: calldata, caller, value, block context, gas,
//! native-token balances and transfers, and ending the frame (return,
//! revert).

use core::mem::MaybeUninit;

use crate::address::Address;
use crate::codec::{Abi, WORD};
use crate::sys::{self, num, ptr, syscall};

/// The most words one argument or return value takes.
pub const MAX_WORDS: usize = 8;

/// Ends the call successfully with `data` as its return data.
pub fn return_bytes(data: &[u8]) -> ! {
    sys::end(num::RETURN, data)
}

/// Ends the call successfully, returning `value` in the ABI encoding.
pub fn return_value<T: Abi>(value: &T) -> ! {
    let mut buf = MaybeUninit::<[u8; MAX_WORDS * WORD]>::uninit();
    let out = sys::scratch(&mut buf, WORD * T::WORDS);
    value.encode(out);
    return_bytes(out)
}

/// Reverts the call: undoes all it did (its callees' effects too) and
/// returns `message` as the receipt's return data.
pub fn revert(message: &str) -> ! {
    sys::end(num::REVERT, message.as_bytes())
}

/// Unwraps `value`, reverting with `message` if it is `None` or `Err`.
pub trait OrRevert<T> {
    /// The value, or a revert with `message`.
    fn or_revert(self, message: &str) -> T;
}

impl<T> OrRevert<T> for Option<T> {
    fn or_revert(self, message: &str) -> T {
        match self {
            Some(v) => v,
            None => revert(message),
        }
    }
}

impl<T, E> OrRevert<T> for Result<T, E> {
    fn or_revert(self, message: &str) -> T {
        match self {
            Ok(v) => v,
            Err(_) => revert(message),
        }
    }
}

/// A syscall that writes a fixed-size answer to a pointer.
fn read<const N: usize>(n: u32) -> [u8; N] {
    let mut out = [0; N];
    // SAFETY: the syscalls using this write exactly N bytes to a0.
    unsafe {
        syscall(n, [ptr(out.as_mut_ptr()), 0, 0, 0, 0, 0]);
    }
    out
}

/// The account that made this call (the sender at depth 0, the calling
/// contract below).
pub fn caller() -> Address {
    Address(read(num::CALLER))
}

/// This contract's own address.
pub fn self_address() -> Address {
    Address(read(num::SELF_ADDRESS))
}

/// The native tokens sent with this call.
pub fn call_value() -> u128 {
    u128::from_le_bytes(read(num::CALL_VALUE))
}

/// The block and transaction this call runs in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Block {
    /// The block height.
    pub height: u64,
    /// The block's timestamp (seconds).
    pub timestamp: u64,
    /// The chain's id.
    pub chain_id: u64,
    /// The account that signed the transaction.
    pub origin: Address,
}

/// The block context.
pub fn block() -> Block {
    let b: [u8; 56] = read(num::CONTEXT);
    let u64_at = |i: usize| {
        let mut w = [0; 8];
        w.copy_from_slice(&b[i..i + 8]);
        u64::from_le_bytes(w)
    };
    let mut origin = [0; 32];
    origin.copy_from_slice(&b[24..]);
    Block {
        height: u64_at(0),
        timestamp: u64_at(8),
        chain_id: u64_at(16),
        origin: Address(origin),
    }
}

/// The gas this frame has left, after paying for the question.
pub fn gas_left() -> u64 {
    // SAFETY: gas_left takes no pointer.
    let (lo, hi) = unsafe { syscall(num::GAS_LEFT, [0; 6]) };
    (hi as u64) << 32 | lo as u64
}

/// The native-token balance of `who`.
pub fn balance(who: &Address) -> u128 {
    let mut out = [0; 16];
    // SAFETY: balance reads 32 bytes at a0 and writes 16 at a1.
    unsafe {
        syscall(
            num::BALANCE,
            [ptr(&who.0), ptr(out.as_mut_ptr()), 0, 0, 0, 0],
        );
    }
    u128::from_le_bytes(out)
}

/// The balance was too low for a [`transfer`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct InsufficientBalance;

/// Sends `amount` native tokens from this contract to `to` (runs no code
/// at `to`).
pub fn transfer(to: &Address, amount: u128) -> Result<(), InsufficientBalance> {
    let value = amount.to_le_bytes();
    // SAFETY: transfer reads 32 bytes at a0 and 16 at a1.
    let (status, _) = unsafe { syscall(num::TRANSFER, [ptr(&to.0), ptr(&value), 0, 0, 0, 0]) };
    if status == 0 {
        Ok(())
    } else {
        Err(InsufficientBalance)
    }
}

/// The calldata's length.
pub fn input_size() -> usize {
    // SAFETY: input_size takes no pointer.
    unsafe { syscall(num::INPUT_SIZE, [0; 6]).0 as usize }
}

/// Copies calldata from `offset` into `out`; returns the bytes copied
/// (fewer than `out.len()` where the calldata ends).
pub fn input_copy(out: &mut [u8], offset: usize) -> usize {
    sys::copy_out(num::INPUT_COPY, out, offset)
}

/// The 4-byte little-endian selector; reverts with "no selector" if the
/// calldata is shorter.
pub fn selector() -> u32 {
    let mut s = [0; 4];
    if input_copy(&mut s, 0) != 4 {
        revert("no selector");
    }
    u32::from_le_bytes(s)
}

/// Reads ABI arguments from calldata in order: a call's start after the
/// selector, a constructor's at 0.
pub struct Args {
    offset: usize,
}

impl Args {
    /// The arguments of a call (after the 4-byte selector).
    pub fn call() -> Args {
        Args { offset: 4 }
    }

    /// The arguments of a constructor (no selector).
    pub fn deploy() -> Args {
        Args { offset: 0 }
    }

    /// The next argument; reverts with "missing argument" if the calldata
    /// ends first, "bad argument" if the words do not hold a `T`.
    pub fn next<T: Abi>(&mut self) -> T {
        let mut buf = MaybeUninit::<[u8; MAX_WORDS * WORD]>::uninit();
        let words = sys::scratch(&mut buf, WORD * T::WORDS);
        if input_copy(words, self.offset) != words.len() {
            revert("missing argument");
        }
        self.offset += words.len();
        T::decode(words).or_revert("bad argument")
    }
}
