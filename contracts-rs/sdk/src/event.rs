//! Events: up to four 32-byte topics and a data blob, in the receipt.

use crate::sys::{num, ptr, syscall};

/// The most topics an event has.
pub const MAX_TOPICS: usize = 4;

/// Emits an event with `topics` (at most [`MAX_TOPICS`]; more faults the
/// frame) and `data`. Topic 0 is by convention [`crate::topic`] of the
/// event's name.
pub fn emit(topics: &[[u8; 32]], data: &[u8]) {
    // SAFETY: emit_event reads a1 * 32 bytes at a0 and a3 at a2.
    unsafe {
        syscall(
            num::EMIT_EVENT,
            [
                ptr(topics),
                topics.len() as u32,
                ptr(data),
                data.len() as u32,
                0,
                0,
            ],
        );
    }
}
