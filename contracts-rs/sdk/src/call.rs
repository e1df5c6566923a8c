//! Calls to other contracts: calldata built from typed arguments, the
//! callee's status, and its return data decoded.

use core::mem::MaybeUninit;

use crate::address::Address;
use crate::codec::{Abi, WORD};
use crate::env::MAX_WORDS;
use crate::sys::{self, num, ptr, syscall};

/// The gas a typed call ([`crate::interface!`]) gives its callee unless
/// told otherwise (the C AMM's `TOKEN_GAS`).
pub const DEFAULT_GAS: u64 = 5_000_000;

/// The most calldata [`Calldata`] builds: a selector and 16 words.
pub const MAX_CALLDATA: usize = 4 + 16 * WORD;

/// Calldata in the C runtime's convention: a 4-byte little-endian selector,
/// then each argument's 32-byte words.
pub struct Calldata {
    buf: [u8; MAX_CALLDATA],
    len: usize,
}

impl Calldata {
    /// Calldata that starts with `selector`.
    pub fn new(selector: u32) -> Calldata {
        let mut buf = [0; MAX_CALLDATA];
        buf[..4].copy_from_slice(&selector.to_le_bytes());
        Calldata { buf, len: 4 }
    }

    /// Appends an argument; reverts with "calldata too long" past
    /// [`MAX_CALLDATA`].
    pub fn arg<T: Abi>(mut self, value: &T) -> Calldata {
        let end = self.len + WORD * T::WORDS;
        if end > MAX_CALLDATA {
            crate::env::revert("calldata too long");
        }
        value.encode(&mut self.buf[self.len..end]);
        self.len = end;
        self
    }

    /// The bytes built so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// How a call that did not succeed ended (its effects are undone).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CallError {
    /// The callee reverted; its message is the return data.
    Reverted,
    /// The callee faulted, or the call was too deep.
    Faulted,
    /// The callee ran out of its gas budget.
    OutOfGas,
    /// The callee succeeded but its return data is not the type expected.
    BadReturn,
}

/// The return data of the last call, `len` bytes, read with
/// [`ReturnData::copy`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ReturnData {
    /// Its length.
    pub len: usize,
}

impl ReturnData {
    /// Copies return data from `offset` into `out`; returns the bytes copied.
    pub fn copy(&self, out: &mut [u8], offset: usize) -> usize {
        sys::copy_out(num::RETURN_DATA_COPY, out, offset)
    }

    /// The return data decoded as a `T`, if it is exactly one.
    pub fn decode<T: Abi>(&self) -> Option<T> {
        let n = WORD * T::WORDS;
        if self.len != n || T::WORDS > MAX_WORDS {
            return None;
        }
        let mut buf = MaybeUninit::<[u8; MAX_WORDS * WORD]>::uninit();
        let out = sys::scratch(&mut buf, n);
        (self.copy(out, 0) == n).then(|| T::decode(out)).flatten()
    }
}

/// Calls `to` with `input`, sending `value` native tokens and a gas
/// budget of `gas` (prepaid by this frame, the unused part refunded).
/// A failed callee's effects are undone; this frame goes on either way,
/// and the return data (a revert's message too) is in the answer.
pub fn call(
    to: &Address,
    input: &[u8],
    value: u128,
    gas: u64,
) -> (Result<(), CallError>, ReturnData) {
    let value = value.to_le_bytes();
    // SAFETY: call reads 32 bytes at a0, a2 at a1 and 16 at a3.
    let (status, len) = unsafe {
        syscall(
            num::CALL,
            [
                ptr(&to.0),
                ptr(input),
                input.len() as u32,
                ptr(&value),
                gas as u32,
                (gas >> 32) as u32,
            ],
        )
    };
    let status = match status {
        0 => Ok(()),
        1 => Err(CallError::Reverted),
        3 => Err(CallError::OutOfGas),
        _ => Err(CallError::Faulted),
    };
    (status, ReturnData { len: len as usize })
}

/// Calls `to` with `input` and decodes its return data as `R`: what the
/// methods [`crate::interface!`] generates do.
pub fn call_typed<R: Abi>(
    to: &Address,
    input: &Calldata,
    value: u128,
    gas: u64,
) -> Result<R, CallError> {
    let (status, ret) = call(to, input.as_bytes(), value, gas);
    status?;
    ret.decode().ok_or(CallError::BadReturn)
}
