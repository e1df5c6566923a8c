//! The RV32 benchmark workloads compiled natively (by `build.rs`, from the
//! same C the guests run): the baseline of the RV32 ratios.

#![allow(unsafe_code)]

use std::sync::Mutex;

/// The C entry points, apart from the safe wrappers of the same names.
mod ffi {
    extern "C" {
        /// `uint32_t bench(uint32_t rounds)` in `crates/rv32/tests/fixtures/bench.c`.
        pub fn bench(rounds: u32) -> u32;
        /// `uint32_t checksum_work(uint32_t n)` in
        /// `crates/rv32/tests/fixtures/checksum.c`: zeroes `work()`'s table,
        /// then runs `work(n)`.
        pub fn checksum_work(n: u32) -> u32;
    }
}

/// The workloads work in static buffers, so calls must not overlap.
static SERIAL: Mutex<()> = Mutex::new(());

/// Runs one C workload with the lock held.
fn serial(f: unsafe extern "C" fn(u32) -> u32, arg: u32) -> u32 {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    // SAFETY: both workloads are plain C that take and return an integer,
    // read no pointer from us and touch only their own static buffers,
    // which the lock above keeps to one caller at a time. Every loop in
    // them is bounded by constants or by `arg`.
    unsafe { f(arg) }
}

/// Runs `bench.c`'s workload natively for `rounds` rounds and returns its
/// checksum.
pub fn bench(rounds: u32) -> u32 {
    serial(ffi::bench, rounds)
}

/// Runs `checksum.c`'s `work()` natively for `n` iterations (from a zeroed
/// table, as a guest starts) and returns its checksum.
pub fn work(n: u32) -> u32 {
    serial(ffi::checksum_work, n)
}

#[cfg(test)]
mod tests {
    use crate::rv32::{BENCH, REFERENCE};

    #[test]
    fn native_matches_the_committed_checksums() {
        assert_eq!(super::bench(BENCH.param), BENCH.expected);
        assert_eq!(super::work(REFERENCE.param), REFERENCE.expected);
    }

    #[test]
    fn native_work_starts_each_call_afresh() {
        assert_eq!(super::work(1000), super::work(1000));
    }
}
