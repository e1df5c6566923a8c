//! Every input bounded: huge arguments, huge or endless files and deep recursion give a
//! short error or a bounded run, never a hang, a flood on stderr or gigabytes of memory.
//!
//! The runs that once grew without bound run under `ulimit -v` (address space) and
//! `timeout` (wall time), so a regression fails the test instead of the machine.

#![cfg(unix)]

mod common;

use common::{avm, example, examples_copy, scratch, write};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// `avm args` under at most `mem_mib` MiB of address space and 120 s of wall time.
fn bounded(mem_mib: u64, args: &[&str]) -> common::Run {
    let out = limited(mem_mib, true, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("sh runs");
    common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `avm args` under at most `mem_mib` MiB of address space, and 120 s of wall time if
/// `timed` (else `avm` is the child itself, to be killed).
fn limited(mem_mib: u64, timed: bool, args: &[&str]) -> Command {
    let timeout = if timed { "timeout 120 " } else { "" };
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!(
            "ulimit -v {}; exec {timeout}\"$@\"",
            mem_mib * 1024
        ))
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_avm"))
        .args(args);
    cmd
}

/// A 3 MiB unknown mnemonic once took minutes and hundreds of MiB (the did-you-mean
/// distance compared it whole with every mnemonic) and echoed it three times on stderr.
#[test]
fn a_huge_mnemonic_gets_a_short_error_in_little_memory() {
    let dir = scratch("huge-mnemonic");
    let src = write(&dir, "big.alu", format!("{} a64[0]\n", "x".repeat(3 << 20)));
    let r = bounded(256, &["asm", &src]);
    assert_eq!(r.code, 3, "{}", &r.stderr[..r.stderr.len().min(500)]);
    assert!(r.stderr.contains("unknown mnemonic `xxx"), "{}", r.stderr);
    assert!(r.stderr.len() < 2000, "{} bytes on stderr", r.stderr.len());
}

#[test]
fn a_source_over_the_limit_is_refused_unread() {
    let dir = scratch("huge-source");
    let src = write(&dir, "big.alu", " ".repeat(avm_asm::MAX_SOURCE + 1));
    let r = avm(&["asm", &src]);
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert!(
        r.stderr.contains("larger than 4194304 bytes"),
        "{}",
        r.stderr
    );
}

/// A FIFO (once a hang) and a link to /dev/zero (once 14 GB) named `*.lib` in a library
/// search directory are skipped when `run` looks for the libraries a program imports.
#[test]
fn fifos_and_devices_named_lib_are_not_read() {
    let dir = examples_copy("fifo-lib");
    let p = |name: &str| dir.join(name).display().to_string();
    assert_eq!(avm(&["asm", &p("mathlib.alu")]).code, 0);
    assert_eq!(avm(&["asm", &p("calls.alu")]).code, 0);
    // calls.lib imports mathlib by id only: run reads every *.lib to find it.
    let status = Command::new("mkfifo").arg(p("a.lib")).status().unwrap();
    assert!(status.success());
    std::os::unix::fs::symlink("/dev/zero", dir.join("b.lib")).unwrap();
    let r = bounded(512, &["run", &p("calls.lib")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.reg("a64[0]"), "27");
    // Named directly, they are refused with a reason.
    for name in ["a.lib", "b.lib"] {
        let r = bounded(512, &["run", &p(name)]);
        assert_eq!(r.code, 7, "{}", r.stderr);
        assert!(r.stderr.contains("not a regular file"), "{}", r.stderr);
    }
}

/// `--trace --json` writes each step as it runs: the first steps of an endless run
/// arrive while it still runs (once the whole trace was kept until the end: 8 GB).
#[test]
fn json_trace_streams_while_the_run_goes_on() {
    let sum = example("sum.alu");
    // Unlimited in time: the old whole-trace run died of the memory limit before writing.
    let mut child = limited(
        256,
        false,
        &[
            "run",
            &sum,
            "--set",
            "a64[2]=1000000000000",
            "--jumps",
            "18446744073709551615",
            "--trace",
            "--json",
        ],
    )
    .stdout(Stdio::piped())
    .spawn()
    .expect("sh runs");
    let lines: Vec<String> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .take(10_000)
        .map(|l| l.unwrap())
        .collect();
    // Still running: the steps came out before the end.
    assert!(child.try_wait().unwrap().is_none(), "the run ended early");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(lines.len(), 10_000);
    assert_eq!(lines[..2], ["{", "  \"trace\": ["]);
    let step: serde_json::Value =
        serde_json::from_str(lines[5].trim().trim_end_matches(',')).unwrap();
    assert!(step["instr"].is_string(), "{step}");
}

/// A recursion with every limit at its maximum stops at the call stack's ceiling.
#[test]
fn call_depth_max_stops_at_the_ceiling() {
    let dir = scratch("recursion");
    let src = write(&dir, "rec.alu", "f:\n    routine f\n");
    let max = u64::MAX.to_string();
    let r = bounded(256, &["run", &src, "--jumps", &max, "--call-depth", &max]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.field("stop").unwrap().starts_with("call-stack-limit"));
    assert_eq!(
        r.field("jumps"),
        Some(avm_alu::vm::MAX_CALL_DEPTH.to_string())
    );
}

/// Long arguments are quoted in part: once a long `eval` argument came back whole.
#[test]
fn long_arguments_are_quoted_in_part() {
    let long = "1".repeat(100_000);
    let sum = example("sum.alu");
    let set = format!("a64[0]={long}");
    let runs = [
        avm(&["eval", "--gas", "10", &format!("({long}")]),
        avm(&["run", &sum, "--set", &set]),
        avm(&["run", &sum, "--set", &format!("s[0]=\"{long}")]),
        avm(&["run", &sum, "--entry", &long]),
    ];
    for r in runs {
        assert_eq!(r.code, 2, "{}", &r.stderr[..r.stderr.len().min(500)]);
        assert!(r.stderr.contains('…'), "{}", r.stderr);
        assert!(r.stderr.len() < 1500, "{} bytes on stderr", r.stderr.len());
    }
    // A value read from a file: the excerpt is a window around the error.
    let dir = scratch("long-value");
    let file = write(&dir, "v.txt", format!("(1, {long}"));
    let r = avm(&["eval", "--gas", "10", &format!("@{file}")]);
    assert_eq!(r.code, 2, "{}", &r.stderr[..r.stderr.len().min(500)]);
    assert!(r.stderr.len() < 1500, "{} bytes on stderr", r.stderr.len());
}
