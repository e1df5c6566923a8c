//! What `avm obj`, `avm tx` and `avm trace` promise under misuse: a transaction belongs to
//! whoever began it, a call leaves all or nothing, a store of another kind is refused,
//! inputs are bounded.

mod common;

use common::{avm, example, scratch, write};
use std::path::Path;

fn avm_in(store: &Path, args: &[&str]) -> common::Run {
    let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    all.extend(["--store".into(), store.display().to_string()]);
    avm(&all)
}

/// An Alu behaviour with `body` after `.isa OBJ`.
fn behaviour(dir: &Path, name: &str, body: &str) -> String {
    write(
        dir,
        name,
        format!(".isa OBJ\n.entry main\nmain:\n{body}\n    stop\n"),
    )
}

#[test]
fn a_behaviour_cannot_commit_the_scripts_transaction() {
    let dir = scratch("tx-owner");
    let store = dir.join("store");
    // Commits the transaction whose id is its input.
    let committer = behaviour(
        &dir,
        "committer.alu",
        "    ext 0xC2, x\"01\"  ; oinput a64[1]\n    ext 0xCC, x\"01\"  ; ocommit a64[1]",
    );
    assert_eq!(avm_in(&store, &["obj", "create", &committer]).code, 0);
    let counter = example("objects/counter.alu");
    let script = write(
        &dir,
        "script.tx",
        format!("create {counter} as c\ncall $c ()\ncall obj1 1\ncall $c ()\n"),
    );
    let run = avm_in(&store, &["tx", &script]);
    assert_eq!(run.code, 11, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("aborted, nothing changed"),
        "{}",
        run.stderr
    );
    // Nothing of the script persisted: only the committer exists.
    let list = avm_in(&store, &["obj", "list"]);
    assert_eq!(list.stdout.lines().count(), 1, "{}", list.stdout);
}

#[test]
fn a_call_that_leaves_a_transaction_open_fails_and_changes_nothing() {
    let dir = scratch("tx-left-open");
    let store = dir.join("store");
    // Begins a transaction, sets state[0] := 1 in it, and returns.
    let opener = behaviour(
        &dir,
        "opener.alu",
        "    ext 0xCB, x\"05\"  ; obegin a64[5]\n    put a64[1], 0\n    put a64[2], 1\n    ext 0xC7, x\"0102\"  ; oset a64[1], a64[2]",
    );
    assert_eq!(avm_in(&store, &["obj", "create", &opener]).code, 0);
    let call = avm_in(&store, &["obj", "call", "obj1", "()"]);
    assert_eq!(call.code, 11, "{}\n{}", call.stdout, call.stderr);
    assert!(
        call.stderr.contains("without committing"),
        "{}",
        call.stderr
    );
    let state = avm_in(&store, &["obj", "state", "obj1"]);
    assert!(state.stdout.contains("inputs:     0"), "{}", state.stdout);
    assert!(state.stdout.contains("(empty)"), "{}", state.stdout);
    let trace = avm_in(&store, &["trace", "--format", "text", "--last", "1"]);
    assert!(
        trace.stdout.contains("TransactionAborted tx="),
        "{}",
        trace.stdout
    );
}

#[test]
fn a_nested_call_that_fails_leaves_nothing_though_its_caller_succeeds() {
    let dir = scratch("savepoint");
    let store = dir.join("store");
    // obj1 sets state[0] := 7, then fails.
    let failing = behaviour(
        &dir,
        "failing.alu",
        "    put a64[1], 0\n    put a64[2], 7\n    oset a64[1], a64[2]\n    fail",
    );
    // obj2 calls obj1, sees the failure in st0, and succeeds.
    let caller = behaviour(
        &dir,
        "caller.alu",
        "    put a64[1], 1\n    put a64[2], 0\n    ocall a64[3], a64[1], a64[2]\n    inv st0",
    );
    for source in [&failing, &caller] {
        assert_eq!(avm_in(&store, &["obj", "create", source]).code, 0);
    }
    let call = avm_in(&store, &["obj", "call", "obj2", "0"]);
    assert_eq!(call.code, 0, "{}\n{}", call.stdout, call.stderr);
    let state = avm_in(&store, &["obj", "state", "obj1"]);
    assert!(state.stdout.contains("inputs:     0"), "{}", state.stdout);
    assert!(state.stdout.contains("(empty)"), "{}", state.stdout);
    let state = avm_in(&store, &["obj", "state", "obj2"]);
    assert!(state.stdout.contains("inputs:     1"), "{}", state.stdout);
}

#[test]
fn a_store_of_the_other_kind_is_refused_with_exit_10() {
    let dir = scratch("store-kinds");
    let objects = dir.join("objects");
    let state = dir.join("state");
    let counter = example("objects/counter.alu");
    assert_eq!(avm_in(&objects, &["obj", "create", &counter]).code, 0);
    let address = "11".repeat(32);
    let fund = |d: &Path| {
        avm(&[
            "rv32",
            "fund",
            "--state",
            &d.display().to_string(),
            &address,
            "5",
        ])
    };
    assert_eq!(fund(&state).code, 0, "{}", fund(&state).stderr);
    let wrong = fund(&objects);
    assert_eq!(wrong.code, 10, "{}", wrong.stderr);
    assert!(
        wrong.stderr.contains("kind \"objects\""),
        "{}",
        wrong.stderr
    );
    let wrong = avm_in(&state, &["obj", "list"]);
    assert_eq!(wrong.code, 10, "{}", wrong.stderr);
    assert!(
        wrong.stderr.contains("kind \"rv32-state\""),
        "{}",
        wrong.stderr
    );
}

#[test]
fn a_dangling_store_link_is_refused() {
    let dir = scratch("store-dangling");
    let store = dir.join("store");
    std::fs::create_dir_all(&store).unwrap();
    std::os::unix::fs::symlink(dir.join("nowhere"), store.join("store.redb")).unwrap();
    let run = avm_in(&store, &["obj", "list"]);
    assert_eq!(run.code, 10, "{}", run.stderr);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert!(!dir.join("nowhere").exists());
}

#[test]
fn trace_last_zero_prints_nothing() {
    let store = scratch("trace-last-0").join("store");
    let counter = example("objects/counter.alu");
    assert_eq!(avm_in(&store, &["obj", "create", &counter]).code, 0);
    let run = avm_in(&store, &["trace", "--format", "text", "--last", "0"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
}

#[test]
fn a_script_over_the_size_limit_is_refused() {
    let dir = scratch("tx-huge");
    let line = "# a comment line of a huge script, repeated\n";
    let script = write(&dir, "huge.tx", line.repeat((1 << 20) / line.len() + 1));
    let run = avm_in(&dir.join("store"), &["tx", &script]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("more than 1048576 bytes"),
        "{}",
        run.stderr
    );
    let not_a_file = avm_in(&dir.join("store"), &["tx", &dir.display().to_string()]);
    assert_ne!(not_a_file.code, 0);
}
