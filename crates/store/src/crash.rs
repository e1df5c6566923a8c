//! A SIGKILL crash harness for tests of durable state (feature `crash-test`).
//!
//! A crash test is one integration-test executable playing two parts. As the **parent**,
//! a test calls [`run`]: it starts the same executable again as a **child**, running only
//! one named test function with [`CHILD_ENV`] set to a store directory, lets it work for a
//! pseudo-random delay from a fixed seed, kills it with SIGKILL, and then calls a check
//! with every commit the child acknowledged. The child test function calls [`child_dir`]:
//! outside a crash test it gets `None` and returns at once; inside, it runs its workload
//! against the directory and calls [`ack`] after each commit returns. The check reopens the
//! store and verifies that every acknowledged commit is there and nothing partial is.
//!
//! ```no_run
//! # fn workload(_: std::path::PathBuf) {}
//! # fn check(_: &std::path::Path, _: &[u64]) -> Result<(), String> { Ok(()) }
//! use avm_store::crash;
//!
//! #[test]
//! fn crash_child() {
//!     if let Some(dir) = crash::child_dir() {
//!         workload(dir); // commits, calling crash::ack(n) after commit n returns
//!     }
//! }
//!
//! #[test]
//! fn survives_sigkill() {
//!     let dir = tempfile::tempdir().unwrap();
//!     let report = crash::run(&crash::Plan::default(), "crash_child", dir.path(), check);
//!     assert!(report.acks > 0);
//! }
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;

/// The environment variable that makes a test function the child, naming its directory.
pub const CHILD_ENV: &str = "AVM_CRASH_CHILD_DIR";

/// How many kills, after how long.
#[derive(Clone, Debug)]
pub struct Plan {
    /// How many times to start and kill the child.
    pub runs: usize,
    /// The seed of the delays, so a failing run can be reproduced (nearly: the child's
    /// speed still varies).
    pub seed: u64,
    /// Each child is killed after a delay drawn uniformly below this.
    pub max_delay: Duration,
}

impl Default for Plan {
    /// 100 kills, each within 150 ms of the start, about 10 s in all.
    fn default() -> Self {
        Plan {
            runs: 100,
            seed: 0x5eed_a11c_e5a1_7ed5,
            max_delay: Duration::from_millis(150),
        }
    }
}

/// What the kills saw.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// How many children were killed.
    pub kills: usize,
    /// How many commits were acknowledged over all runs.
    pub acks: u64,
    /// How many children were killed before their first acknowledgement (during start-up,
    /// opening or recovering the store, or the first commit).
    pub killed_before_first_ack: usize,
}

/// In a child, the store directory it must work in; `None` when this process is not a
/// crash-test child.
pub fn child_dir() -> Option<PathBuf> {
    std::env::var_os(CHILD_ENV).map(PathBuf::from)
}

/// In a child, acknowledges commit `n`: call it only after the commit returned.
pub fn ack(n: u64) {
    let mut out = std::io::stdout().lock();
    // A parent that stopped listening is about to kill us anyway.
    let _ = writeln!(out, "ack {n}").and_then(|()| out.flush());
}

/// Runs `plan.runs` crash cycles of the test function `child_test` of the current test
/// executable in `dir`, calling `check(dir, acknowledged)` after each kill with the commits
/// that child acknowledged, in order.
///
/// # Panics
///
/// Panics (failing the test) when the child cannot be started, exits by itself before it is
/// killed (its stderr is in the message), or a check fails; the message names the run.
pub fn run(
    plan: &Plan,
    child_test: &str,
    dir: &Path,
    mut check: impl FnMut(&Path, &[u64]) -> Result<(), String>,
) -> Report {
    let exe = std::env::current_exe().expect("the test executable's path");
    let mut delays = SplitMix64(plan.seed);
    let mut report = Report::default();
    for run in 0..plan.runs {
        let delay = delays.below(plan.max_delay.as_micros() as u64);
        let mut child = Command::new(&exe)
            .args([child_test, "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the crash-test child");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut stderr = child.stderr.take().expect("piped stderr");
        let acks = thread::spawn(move || read_acks(stdout));
        let errors = thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        thread::sleep(Duration::from_micros(delay));
        let exited = child.try_wait().expect("poll the child");
        child.kill().expect("SIGKILL the child");
        child.wait().expect("reap the child");
        let acked = acks.join().expect("the ack reader");
        let stderr = errors.join().expect("the stderr reader");
        if let Some(status) = exited {
            panic!("crash run {run}: the child exited by itself ({status}) before the kill; its stderr:\n{stderr}");
        }
        report.kills += 1;
        report.acks += acked.len() as u64;
        if acked.is_empty() {
            report.killed_before_first_ack += 1;
        }
        if let Err(problem) = check(dir, &acked) {
            panic!(
                "crash run {run} (seed {:#x}, killed after {delay} us, {} acks): {problem}",
                plan.seed,
                acked.len()
            );
        }
    }
    report
}

/// The numbers of the complete `ack N` lines the child printed; the test harness's own lines
/// and a line cut short by the kill are ignored.
fn read_acks(stdout: impl Read) -> Vec<u64> {
    let mut reader = BufReader::new(stdout);
    let mut acks = Vec::new();
    let mut line = Vec::new();
    while reader.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
        if let Some(n) = line
            .strip_suffix(b"\n")
            .and_then(|l| l.strip_prefix(b"ack "))
            .and_then(|n| std::str::from_utf8(n).ok())
            .and_then(|n| n.parse().ok())
        {
            acks.push(n);
        }
        line.clear();
    }
    acks
}

/// The SplitMix64 generator: enough to spread kill points reproducibly.
struct SplitMix64(u64);

impl SplitMix64 {
    /// A number below `bound` (0 if `bound` is 0); the slight modulo bias is harmless here.
    fn below(&mut self, bound: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        z.checked_rem(bound).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_complete_ack_lines() {
        let out = b"running 1 test\nack 1\nack 2\nnoise ack 3\nack x\nack 4";
        assert_eq!(read_acks(&out[..]), vec![1, 2]);
    }

    #[test]
    fn delays_are_reproducible_and_bounded() {
        let draw = |seed| {
            let mut g = SplitMix64(seed);
            (0..50).map(|_| g.below(1000)).collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
        assert!(draw(7).iter().all(|&d| d < 1000));
        assert_eq!(SplitMix64(1).below(0), 0);
    }
}
