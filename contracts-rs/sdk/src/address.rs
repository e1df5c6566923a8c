//! `Address`: a 32-byte account address, and `topic`, an event topic made
//! from a name.

/// A 32-byte account address (a contract's or an externally owned one).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug, PartialOrd, Ord)]
pub struct Address(pub [u8; 32]);

impl Address {
    /// The all-zero address: `from` of a mint, `to` of a burn.
    pub const ZERO: Address = Address([0; 32]);
}

/// An event topic: `name`'s bytes, zero-padded to 32 (the C examples'
/// convention, e.g. `topic("Transfer")`). Names longer than 32 bytes are
/// cut at 32.
pub const fn topic(name: &str) -> [u8; 32] {
    let b = name.as_bytes();
    let mut t = [0; 32];
    let mut i = 0;
    while i < b.len() && i < 32 {
        t[i] = b[i];
        i += 1;
    }
    t
}
