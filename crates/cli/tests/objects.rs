//! `avm obj`, `avm tx` and `avm trace` end to end: state persists between commands in the
//! store directory, a transaction commits all or nothing, traces render and compare by hash.

mod common;

use common::{avm, example, scratch, write};
use std::path::Path;

/// `avm` with `--store DIR` appended.
fn avm_in(store: &Path, args: &[&str]) -> common::Run {
    let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    all.extend(["--store".into(), store.display().to_string()]);
    avm(&all)
}

fn counter() -> String {
    example("objects/counter.alu")
}

fn player() -> String {
    example("objects/player.alu")
}

#[test]
fn a_counter_keeps_counting_across_commands() {
    let store = scratch("obj-counter").join("store");
    let created = avm_in(&store, &["obj", "create", &counter()]);
    assert_eq!(
        (created.code, created.stdout.as_str()),
        (0, "obj1\n"),
        "{}",
        created.stderr
    );
    for n in 1..=3 {
        let call = avm_in(&store, &["obj", "call", "obj1", "()"]);
        assert_eq!(call.code, 0, "{}", call.stderr);
        assert_eq!(call.field("output"), Some(n.to_string()));
    }
    let state = avm_in(&store, &["obj", "state", "obj1"]);
    assert!(state.stdout.contains("state[0]:   3"), "{}", state.stdout);
    assert!(state.stdout.contains("inputs:     3"), "{}", state.stdout);
    let json = avm_in(&store, &["obj", "list", "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc[0]["object"], "obj1");
    assert_eq!(doc[0]["state"][0], "3");
    assert_eq!(doc[0]["controller"], serde_json::Value::Null);
}

#[test]
fn ping_pong_nests_calls_and_renders_them() {
    let store = scratch("obj-pingpong").join("store");
    for _ in 0..2 {
        assert_eq!(avm_in(&store, &["obj", "create", &player()]).code, 0);
    }
    assert_eq!(avm_in(&store, &["obj", "call", "obj1", "2"]).code, 0);
    assert_eq!(avm_in(&store, &["obj", "call", "obj2", "1"]).code, 0);
    let rally = avm_in(&store, &["obj", "call", "obj1", "3"]);
    assert_eq!(rally.field("output"), Some("3".into()), "{}", rally.stderr);

    let mermaid = avm_in(&store, &["trace", "--last", "1"]).stdout;
    assert_eq!(
        mermaid,
        "\
sequenceDiagram
    participant driver
    participant obj1
    participant obj2
    driver->>obj1: 3
    obj1->>obj2: 2
    obj2->>obj1: 1
    obj1->>obj2: 0
    obj2-->>obj1: 0
    obj1-->>obj2: 1
    obj2-->>obj1: 2
    obj1-->>driver: 3
"
    );
    let svg = avm_in(&store, &["trace", "--format", "svg"]).stdout;
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_eq!(
        svg.matches("marker-end").count(),
        2 * 2 + 8,
        "two setup calls and the rally"
    );
    let text = avm_in(&store, &["trace", "--format", "text"]).stdout;
    assert_eq!(text.lines().count(), 2 + 2 * 2 + 8);
}

#[test]
fn equal_runs_give_equal_trace_hashes() {
    let hash = |name: &str, input: &str| {
        let store = scratch(name).join("store");
        avm_in(&store, &["obj", "create", &counter()]);
        avm_in(&store, &["obj", "call", "obj1", input]);
        let json = avm_in(&store, &["trace", "--format", "json"]);
        let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        assert_eq!(doc["entries"].as_array().unwrap().len(), 3);
        doc["hash"].as_str().unwrap().to_owned()
    };
    assert_eq!(hash("hash-a", "()"), hash("hash-b", "()"));
    assert_ne!(hash("hash-c", "()"), hash("hash-d", "7"));
}

#[test]
fn a_transaction_commits_everything_or_nothing() {
    let dir = scratch("tx");
    let store = dir.join("store");
    let good = write(
        &dir,
        "good.tx",
        format!(
            "# two counters\ncreate {} as a\ncall $a ()\n\ncall $a ()\ncreate {} as b\ncall $b 5\n",
            counter(),
            counter()
        ),
    );
    let run = avm_in(&store, &["tx", &good, "--controller", "c1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("good.tx:3: 1\n"), "{}", run.stdout);
    assert!(run.stdout.contains("good.tx:5: 2\n"), "{}", run.stdout);
    assert!(run.stdout.contains("tx1 committed"), "{}", run.stdout);
    let list = avm_in(&store, &["obj", "list"]).stdout;
    assert_eq!(list.lines().count(), 2, "{list}");

    // The third statement fails (no object 9): the first two leave no trace in the state.
    let bad = write(&dir, "bad.tx", "call obj1 ()\ncall obj2 ()\ncall obj9 ()\n");
    let run = avm_in(&store, &["tx", &bad, "--controller", "c1"]);
    assert_eq!(run.code, 11, "{}", run.stdout);
    assert!(
        run.stderr.contains("bad.tx:3: object error"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing changed"), "{}", run.stderr);
    assert_eq!(avm_in(&store, &["obj", "list"]).stdout, list);
}

#[test]
fn a_transaction_may_not_cross_controllers() {
    let dir = scratch("tx-cross");
    let store = dir.join("store");
    avm_in(&store, &["obj", "create", &counter(), "--controller", "c1"]);
    avm_in(&store, &["obj", "create", &counter(), "--controller", "c2"]);
    let script = write(&dir, "cross.tx", "call obj1 ()\ncall obj2 ()\n");
    let run = avm_in(&store, &["tx", &script]);
    assert_eq!(run.code, 11, "{}", run.stdout);
    assert!(run.stderr.contains("controller error"), "{}", run.stderr);
    let state = avm_in(&store, &["obj", "state", "obj1", "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&state.stdout).unwrap();
    assert_eq!(doc["inputs"], 0);
}

#[test]
fn script_errors_point_at_the_line_and_column() {
    let dir = scratch("tx-syntax");
    let store = dir.join("store");
    let script = write(&dir, "typo.tx", "call obj1 ()\ncal obj1 ()\n");
    let run = avm_in(&store, &["tx", &script]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("typo.tx:2:1: unknown statement `cal`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("\n  cal obj1 ()\n  ^"),
        "{}",
        run.stderr
    );
}

#[test]
fn object_errors_exit_11() {
    let store = scratch("obj-errors").join("store");
    let run = avm_in(&store, &["obj", "call", "obj4", "()"]);
    assert_eq!(run.code, 11);
    assert!(run.stderr.contains("object error"), "{}", run.stderr);
    avm_in(&store, &["obj", "create", &counter()]);
    let run = avm_in(&store, &["obj", "destroy", "obj1"]);
    assert_eq!(run.code, 11, "an object without a controller stays");
    let run = avm_in(&store, &["obj", "call", "obj1", "()", "--gas", "3"]);
    assert_eq!(run.code, 11);
    assert!(run.stderr.contains("gas"), "{}", run.stderr);
    let run = avm_in(&store, &["obj", "call", "objx", "()"]);
    assert_eq!(run.code, 2);
}

#[test]
fn a_file_that_is_not_a_store_exits_10() {
    let dir = scratch("not-a-store");
    std::fs::write(dir.join("store.redb"), b"hello, I am a text file\n").unwrap();
    for args in [
        &["obj", "list"][..],
        &["trace"],
        &["obj", "create", &counter()],
    ] {
        let run = avm_in(&dir, args);
        assert_eq!(run.code, 10, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("is not an avm store"), "{}", run.stderr);
        assert!(run.stderr.contains("store.redb"), "{}", run.stderr);
    }
}

#[test]
fn a_cut_short_store_exits_10_without_a_panic_message() {
    let made = scratch("cut-short").join("store");
    avm_in(&made, &["obj", "create", &counter()]);
    let file = std::fs::read(made.join("store.redb")).unwrap();
    let dir = scratch("cut-short-copy");
    // redb asserts on a file shorter than its header says; the store turns that into an
    // error, and the command line prints only that error.
    std::fs::write(dir.join("store.redb"), &file[..file.len() / 2]).unwrap();
    let run = avm_in(&dir, &["obj", "list"]);
    assert_eq!(run.code, 10, "{}", run.stderr);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn the_readme_shows_the_ping_pong_trace_these_commands_make() {
    let store = scratch("readme-pingpong").join("store");
    for _ in 0..2 {
        assert_eq!(
            avm_in(&store, &["obj", "create", &player(), "-c", "c1"]).code,
            0
        );
    }
    for (object, input) in [("obj1", "2"), ("obj2", "1"), ("obj1", "3")] {
        assert_eq!(avm_in(&store, &["obj", "call", object, input]).code, 0);
    }
    let mermaid = avm_in(&store, &["trace"]).stdout;
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .unwrap();
    let section = &readme[readme.find("## Objects").expect("an objects section")..];
    let block = section
        .split("```mermaid\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a mermaid block");
    assert_eq!(block, mermaid);
    let json = avm_in(&store, &["trace", "--format", "json"]).stdout;
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let hash = doc["hash"].as_str().unwrap();
    assert!(
        section.contains(&format!("`{}...`", &hash[..8])),
        "the README names hash {hash}"
    );
}
