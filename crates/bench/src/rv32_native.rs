//! The RV32 benchmark workload compiled natively (by `build.rs`, from the
//! same `bench.c` the guests run): the baseline of the RV32 ratios.

#![allow(unsafe_code)]

use std::sync::Mutex;

extern "C" {
    /// `uint32_t bench(uint32_t rounds)` in `crates/rv32/tests/fixtures/bench.c`.
    fn bench(rounds: u32) -> u32;
}

/// `bench` works in static buffers, so calls must not overlap.
static SERIAL: Mutex<()> = Mutex::new(());

/// Runs the workload natively for `rounds` rounds and returns its checksum.
pub fn run(rounds: u32) -> u32 {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    // SAFETY: `bench` is plain C that takes and returns an integer, reads no
    // pointer from us and touches only its own static buffers, which the
    // lock above keeps to one caller at a time. Every loop in it is bounded
    // by constants or by `rounds`.
    unsafe { bench(rounds) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn native_matches_the_committed_checksum() {
        assert_eq!(super::run(crate::rv32::ROUNDS), crate::rv32::EXPECTED);
    }
}
