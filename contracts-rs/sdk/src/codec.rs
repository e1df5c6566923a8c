//! The two encodings a contract uses, as traits:
//!
//! - [`Abi`]: calldata arguments and return data, the C runtime's
//!   convention (contracts/include/avm.h): every value is one or more
//!   32-byte words; numbers little-endian, zero-extended.
//! - [`Stored`]: storage keys and values, packed: each type takes exactly
//!   [`Stored::LEN`] bytes (a `U256` 32, a `u64` 8, a `bool` 1), so a map key
//!   `(Address, Address)` is the 64 bytes the C examples build.
//!
//! Decoding never panics: a word that does not hold a value of the type
//! (a `u64` with high bytes set, a `bool` other than 0 or 1) is `None`.

use crate::address::Address;
use crate::u256::U256;

/// The size of one calldata or return word.
pub const WORD: usize = 32;

/// A value in calldata or return data: [`Abi::WORDS`] 32-byte words.
pub trait Abi: Sized {
    /// How many 32-byte words the value takes.
    const WORDS: usize;
    /// Writes the value into `out`, which is `32 * WORDS` bytes long.
    fn encode(&self, out: &mut [u8]);
    /// Reads a value from `words` (`32 * WORDS` bytes), if they hold one.
    fn decode(words: &[u8]) -> Option<Self>;
}

/// A word's low `N` bytes, if the other bytes are zero.
fn low<const N: usize>(w: &[u8]) -> Option<[u8; N]> {
    if w.len() != WORD || w[N..].iter().any(|&b| b != 0) {
        return None;
    }
    let mut out = [0; N];
    out.copy_from_slice(&w[..N]);
    Some(out)
}

/// Writes `bytes` zero-extended into the word `out`.
fn put(out: &mut [u8], bytes: &[u8]) {
    out[..bytes.len()].copy_from_slice(bytes);
    out[bytes.len()..WORD].fill(0);
}

impl Abi for U256 {
    const WORDS: usize = 1;
    fn encode(&self, out: &mut [u8]) {
        out[..WORD].copy_from_slice(&self.to_le_bytes());
    }
    fn decode(w: &[u8]) -> Option<U256> {
        low::<32>(w).map(U256::from_le_bytes)
    }
}

impl Abi for Address {
    const WORDS: usize = 1;
    fn encode(&self, out: &mut [u8]) {
        out[..WORD].copy_from_slice(&self.0);
    }
    fn decode(w: &[u8]) -> Option<Address> {
        low::<32>(w).map(Address)
    }
}

/// Unsigned integers as a zero-extended little-endian word.
macro_rules! abi_uint {
    ($($t:ty),*) => {$(
        impl Abi for $t {
            const WORDS: usize = 1;
            fn encode(&self, out: &mut [u8]) {
                put(out, &self.to_le_bytes());
            }
            fn decode(w: &[u8]) -> Option<$t> {
                low(w).map(<$t>::from_le_bytes)
            }
        }
    )*};
}
abi_uint!(u8, u32, u64, u128);

impl Abi for bool {
    const WORDS: usize = 1;
    fn encode(&self, out: &mut [u8]) {
        put(out, &[*self as u8]);
    }
    fn decode(w: &[u8]) -> Option<bool> {
        match low::<1>(w)? {
            [0] => Some(false),
            [1] => Some(true),
            _ => None,
        }
    }
}

impl Abi for () {
    const WORDS: usize = 0;
    fn encode(&self, _: &mut [u8]) {}
    fn decode(w: &[u8]) -> Option<()> {
        w.is_empty().then_some(())
    }
}

impl<A: Abi, B: Abi> Abi for (A, B) {
    const WORDS: usize = A::WORDS + B::WORDS;
    fn encode(&self, out: &mut [u8]) {
        let (a, b) = out.split_at_mut(WORD * A::WORDS);
        self.0.encode(a);
        self.1.encode(b);
    }
    fn decode(w: &[u8]) -> Option<(A, B)> {
        if w.len() != WORD * Self::WORDS {
            return None;
        }
        let (a, b) = w.split_at(WORD * A::WORDS);
        Some((A::decode(a)?, B::decode(b)?))
    }
}

/// A value in storage, or a part of a storage key: exactly `LEN` bytes.
pub trait Stored: Sized {
    /// The encoded length.
    const LEN: usize;
    /// Writes the value into `out`, which is `LEN` bytes long.
    fn store(&self, out: &mut [u8]);
    /// Reads a value from `bytes` (`LEN` bytes), if they hold one.
    fn load(bytes: &[u8]) -> Option<Self>;
}

/// A fixed-size array from a slice of exactly its length.
fn exact<const N: usize>(b: &[u8]) -> Option<[u8; N]> {
    b.try_into().ok()
}

impl Stored for U256 {
    const LEN: usize = 32;
    fn store(&self, out: &mut [u8]) {
        out.copy_from_slice(&self.to_le_bytes());
    }
    fn load(b: &[u8]) -> Option<U256> {
        exact(b).map(U256::from_le_bytes)
    }
}

impl Stored for Address {
    const LEN: usize = 32;
    fn store(&self, out: &mut [u8]) {
        out.copy_from_slice(&self.0);
    }
    fn load(b: &[u8]) -> Option<Address> {
        exact(b).map(Address)
    }
}

/// Unsigned integers as their little-endian bytes.
macro_rules! stored_uint {
    ($($t:ty),*) => {$(
        impl Stored for $t {
            const LEN: usize = core::mem::size_of::<$t>();
            fn store(&self, out: &mut [u8]) {
                out.copy_from_slice(&self.to_le_bytes());
            }
            fn load(b: &[u8]) -> Option<$t> {
                exact(b).map(<$t>::from_le_bytes)
            }
        }
    )*};
}
stored_uint!(u8, u32, u64, u128);

impl Stored for bool {
    const LEN: usize = 1;
    fn store(&self, out: &mut [u8]) {
        out[0] = *self as u8;
    }
    fn load(b: &[u8]) -> Option<bool> {
        match b {
            [0] => Some(false),
            [1] => Some(true),
            _ => None,
        }
    }
}

impl<A: Stored, B: Stored> Stored for (A, B) {
    const LEN: usize = A::LEN + B::LEN;
    fn store(&self, out: &mut [u8]) {
        let (a, b) = out.split_at_mut(A::LEN);
        self.0.store(a);
        self.1.store(b);
    }
    fn load(b: &[u8]) -> Option<(A, B)> {
        if b.len() != Self::LEN {
            return None;
        }
        let (x, y) = b.split_at(A::LEN);
        Some((A::load(x)?, B::load(y)?))
    }
}
