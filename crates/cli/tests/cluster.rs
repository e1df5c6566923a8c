//! `avm cluster`, `avm node` and `--node`: real node processes on loopback (free ports),
//! stopped by a guard even when a test fails.

use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const AVM: &str = env!("CARGO_BIN_EXE_avm");
const PLAYER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/objects/player.alu"
);

fn avm(args: &[&str]) -> Output {
    Command::new(AVM).args(args).output().unwrap()
}

fn ok(args: &[&str]) -> String {
    let out = avm(args);
    assert!(
        out.status.success(),
        "avm {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A cluster that `avm cluster down` stops when dropped.
struct Cluster {
    dir: PathBuf,
    addrs: Vec<String>,
}

impl Cluster {
    fn up(dir: &Path, nodes: usize) -> Cluster {
        let dir = dir.to_path_buf();
        let d = dir.to_str().unwrap();
        let mut cluster = Cluster {
            dir: dir.clone(),
            addrs: Vec::new(),
        };
        let printed = ok(&["cluster", "up", "--nodes", &nodes.to_string(), "--dir", d]);
        cluster.addrs = printed
            .lines()
            .map(|l| l.split_whitespace().nth(1).unwrap().to_string())
            .collect();
        assert_eq!(cluster.addrs.len(), nodes, "{printed}");
        cluster
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = avm(&["cluster", "down", "--dir", self.dir.to_str().unwrap()]);
    }
}

/// Three players (obj1 and obj3 on the first node, obj2 on the second of `homes`) in a
/// ring, then obj1 called with 2 through `via`: obj1 calls obj2 calls obj3. Gives the
/// output and the JSON of the last command's trace.
fn ring(c: &Cluster, homes: [usize; 3], via: usize) -> (String, serde_json::Value) {
    for (i, home) in homes.iter().enumerate() {
        let id = ok(&["obj", "create", PLAYER, "--node", &c.addrs[*home]]);
        assert_eq!(id.trim(), format!("obj{}", i + 1));
    }
    for (obj, partner) in [("obj1", "2"), ("obj2", "3"), ("obj3", "1")] {
        ok(&["obj", "call", obj, partner, "--node", &c.addrs[via]]);
    }
    let output = ok(&["obj", "call", "obj1", "2", "--node", &c.addrs[via]]);
    let json = ok(&[
        "trace",
        "--node",
        &c.addrs[via],
        "--last",
        "1",
        "--format",
        "json",
    ]);
    (output, serde_json::from_str(&json).unwrap())
}

#[test]
fn a_cluster_runs_nested_calls_across_nodes_as_one_node_does() {
    let tmp = tempfile::tempdir().unwrap();
    let three = Cluster::up(&tmp.path().join("three"), 3);
    // Through m3, which holds none of them.
    let (spread, spread_trace) = ring(&three, [0, 1, 0], 2);
    let alone_cluster = Cluster::up(&tmp.path().join("one"), 1);
    let (alone, alone_trace) = ring(&alone_cluster, [0, 0, 0], 0);
    assert_eq!(spread, "output: 2\ngas:    92\n");
    assert_eq!(spread, alone);
    assert_eq!(spread_trace["hash"], alone_trace["hash"]);
    assert_eq!(spread_trace["entries"].as_array().unwrap().len(), 6);

    let chart = ok(&["trace", "--node", &three.addrs[2], "--last", "1"]);
    assert!(chart.contains("obj1@m1->>obj2@m2: 1"), "{chart}");
    assert!(chart.contains("obj2@m2->>obj3@m1: 0"), "{chart}");

    // Any node reads any object.
    let state = ok(&["obj", "state", "obj2", "--node", &three.addrs[0]]);
    assert!(state.contains("machine:    m2"), "{state}");
    assert!(state.contains("inputs:     2"), "{state}");
    let listed = ok(&["obj", "list", "--node", &three.addrs[1]]);
    assert_eq!(listed.lines().count(), 1, "m2 holds obj2 only: {listed}");

    let status = ok(&["cluster", "status", "--dir", three.dir.to_str().unwrap()]);
    assert_eq!(status.matches(" up").count(), 3, "{status}");
    let again = avm(&["cluster", "up", "--dir", three.dir.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already"));
}

#[test]
fn nodes_survive_garbage_and_a_restart_keeps_objects_and_the_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    let c = Cluster::up(&dir, 2);
    ok(&["obj", "create", PLAYER, "--node", &c.addrs[1]]);
    ok(&["obj", "create", PLAYER, "--node", &c.addrs[0]]);
    ok(&["obj", "call", "obj1", "2", "--node", &c.addrs[0]]);

    // Garbage, then an oversize frame: each refused, and the node serves on.
    for bytes in [&[0u8, 0, 0, 2, 0xff, 0xfe][..], &u32::MAX.to_be_bytes()[..]] {
        let mut s = TcpStream::connect(&c.addrs[1]).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        s.write_all(bytes).unwrap();
        let answer = avm_node::frame::read(&mut s).unwrap();
        let message = avm_node::wire::Message::from_value(&answer).unwrap();
        assert!(
            matches!(message, avm_node::wire::Message::Refused(_)),
            "{message:?}"
        );
    }
    assert_eq!(
        ok(&["obj", "list", "--node", &c.addrs[1]]).lines().count(),
        1
    );

    ok(&["cluster", "down", "--dir", dir.to_str().unwrap()]);
    let down = avm(&["obj", "list", "--node", &c.addrs[0]]);
    assert_eq!(
        down.status.code(),
        Some(10),
        "a node that is gone is a store error"
    );
    let c = Cluster::up(&dir, 2);
    let out = ok(&["obj", "call", "obj1", "2", "--node", &c.addrs[0]]);
    assert!(out.starts_with("output: 2"), "{out}");
    let state = ok(&["obj", "state", "obj1", "--node", &c.addrs[0]]);
    assert!(state.contains("machine:    m2"), "{state}");
    assert!(state.contains("inputs:     2"), "{state}");
    let id = ok(&["obj", "create", PLAYER, "--node", &c.addrs[0]]);
    assert_eq!(id.trim(), "obj3", "the seed's id counter survived");

    let log = std::fs::read_to_string(dir.join("node2/node.log")).unwrap();
    assert!(log.contains("refused a malformed frame"), "{log}");
    assert!(
        log.contains("node stopped"),
        "SIGTERM stops it gracefully: {log}"
    );
}

#[test]
fn a_script_runs_in_one_transaction_on_a_node() {
    let tmp = tempfile::tempdir().unwrap();
    let c = Cluster::up(&tmp.path().join("c"), 2);
    let script = tmp.path().join("ring.tx");
    std::fs::write(
        &script,
        format!("create {PLAYER} as a\ncreate {PLAYER} as b\ncall $a 2\ncall $b 1\ncall $a 3\n"),
    )
    .unwrap();
    let out = ok(&[
        "tx",
        script.to_str().unwrap(),
        "-c",
        "c1",
        "--node",
        &c.addrs[1],
    ]);
    let s = script.display();
    assert_eq!(
        out,
        format!("{s}:1: obj1\n{s}:2: obj2\n{s}:3: 2\n{s}:4: 1\n{s}:5: 3\ntx1 committed, gas 390\n")
    );
    let state = ok(&["obj", "state", "obj1", "--node", &c.addrs[0]]);
    assert!(state.contains("machine:    m2"), "{state}");

    // A step that reaches another machine fails the whole transaction.
    ok(&["obj", "create", PLAYER, "--node", &c.addrs[0]]);
    std::fs::write(&script, "call obj1 9\ncall obj3 2\n").unwrap();
    let failed = avm(&["tx", script.to_str().unwrap(), "--node", &c.addrs[1]]);
    assert_eq!(failed.status.code(), Some(11));
    let err = String::from_utf8_lossy(&failed.stderr);
    assert!(
        err.contains(":2: machine error: object obj3 is on machine m1"),
        "{err}"
    );
    let state = ok(&["obj", "state", "obj1", "--node", &c.addrs[1]]);
    assert!(
        state.contains("inputs:     3"),
        "nothing of the script changed: {state}"
    );
}
