//! `avm intent` and `avm solve` end to end: the pool persists between
//! commands, malformed intents never enter, a solution commits as one
//! transaction whose chart `avm trace` shows.

mod common;

use common::{avm, example, scratch};
use std::path::Path;

fn avm_in(store: &Path, args: &[&str]) -> common::Run {
    let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    all.extend(["--store".into(), store.display().to_string()]);
    avm(&all)
}

#[test]
fn a_swap_is_submitted_solved_and_committed() {
    let store = scratch("intent-swap").join("store");
    for party in ["swap-alice", "swap-bob"] {
        let run = avm_in(
            &store,
            &[
                "intent",
                "submit",
                &example(&format!("intents/{party}.alu")),
                "-c",
                "c1",
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stdout.trim().len(), 64);
    }
    let again = avm_in(
        &store,
        &[
            "intent",
            "submit",
            &example("intents/swap-bob.alu"),
            "-c",
            "c1",
        ],
    );
    assert_eq!(again.code, 8);
    assert!(
        again.stderr.contains("in the pool already"),
        "{}",
        again.stderr
    );
    let list = avm_in(&store, &["intent", "list"]);
    assert_eq!(list.stdout.lines().count(), 2, "{}", list.stdout);
    // Without funds, the commit is refused and nothing changes.
    let poor = avm_in(&store, &["solve", "--commit"]);
    assert_eq!(poor.code, 11, "{}", poor.stderr);
    assert!(
        poor.stderr.contains("cannot change by -3"),
        "{}",
        poor.stderr
    );
    for (party, kind, q) in [("swap-alice", "apple", "3"), ("swap-bob", "banana", "2")] {
        let fund = avm_in(&store, &["intent", "fund", party, kind, q, "-c", "c1"]);
        assert_eq!(fund.code, 0, "{}", fund.stderr);
    }
    let solved = avm_in(&store, &["solve", "--commit", "--json"]);
    assert_eq!(solved.code, 0, "{}", solved.stderr);
    let report: serde_json::Value = serde_json::from_str(&solved.stdout).unwrap();
    assert_eq!(report["outcome"], "solved");
    assert_eq!(report["parts"].as_array().unwrap().len(), 2);
    let tx = report["committed"].as_str().unwrap().to_string();
    let list = avm_in(&store, &["intent", "list"]);
    assert_eq!(list.stdout, "", "solved intents leave the pool");
    let chart = avm_in(&store, &["trace", "--format", "text", "--last", "1"]);
    assert!(
        chart.stdout.contains("TransactionCommitted"),
        "{}",
        chart.stdout
    );
    assert!(
        chart.stdout.contains("(\"swap-bob\", \"apple\", #0:3)"),
        "{} {tx}",
        chart.stdout
    );
}

#[test]
fn malformed_intents_never_enter_and_unsat_pools_say_so() {
    let dir = scratch("intent-bad");
    let store = dir.join("store");
    let bad = dir.join("bad.alu");
    std::fs::write(&bad, ".entry main\nmain:\n  fail\n").unwrap();
    let run = avm_in(&store, &["intent", "submit", bad.to_str().unwrap()]);
    assert_eq!(run.code, 8);
    assert!(
        run.stderr.contains("not an intent: no path"),
        "{}",
        run.stderr
    );
    // In Alma, the refusal names the source line too.
    let alma = dir.join("bad.alma");
    std::fs::write(
        &alma,
        "(define (main)\n  (let ((x (choose (range 0 9))))\n    (produce \"a\" (/ x 2))))\n",
    )
    .unwrap();
    let run = avm_in(&store, &["intent", "submit", alma.to_str().unwrap()]);
    assert_eq!(run.code, 8);
    assert!(
        run.stderr.contains("`div` at offset") && run.stderr.contains("bad.alma:3:18: (produce"),
        "{}",
        run.stderr
    );
    for f in ["greedy-carol", "swap-bob"] {
        let run = avm_in(
            &store,
            &["intent", "submit", &example(&format!("intents/{f}.alu"))],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let none = avm_in(&store, &["solve", "--all"]);
    assert_eq!(none.code, 1, "{}", none.stderr);
    assert!(
        none.stdout.contains("conflicting intents"),
        "{}",
        none.stdout
    );
    let show = avm_in(&store, &["intent", "list", "--json"]);
    let all: serde_json::Value = serde_json::from_str(&show.stdout).unwrap();
    let id = all[0]["id"].as_str().unwrap();
    let shown = avm_in(&store, &["intent", "show", &id[..8]]);
    assert!(shown.stdout.contains("intent "), "{}", shown.stdout);
    let gone = avm_in(&store, &["intent", "withdraw", &id[..8]]);
    assert_eq!(gone.code, 0, "{}", gone.stderr);
    assert_eq!(
        avm_in(&store, &["intent", "list"]).stdout.lines().count(),
        1
    );
}

/// Submits the examples `parties` written in `ext` (`alu` or `alma`) to a
/// fresh store under controller c1, funds what `funds` says, and runs
/// `avm solve --all --json` (with `--commit` if `commit`): the solution's
/// values by party, and the chart of the last transaction.
fn solve_examples(
    ext: &str,
    parties: &[&str],
    funds: &[(&str, &str, &str)],
    commit: bool,
) -> (serde_json::Map<String, serde_json::Value>, String) {
    let store = scratch(&format!("intent-{ext}-{}", parties[0])).join("store");
    for party in parties {
        let file = example(&format!("intents/{party}.{ext}"));
        let run = avm_in(&store, &["intent", "submit", &file, "-c", "c1"]);
        assert_eq!(run.code, 0, "{file}: {}", run.stderr);
    }
    for (party, kind, q) in funds {
        let fund = avm_in(&store, &["intent", "fund", party, kind, q, "-c", "c1"]);
        assert_eq!(fund.code, 0, "{}", fund.stderr);
    }
    let mut args = vec!["solve", "--all", "--json"];
    if commit {
        args.push("--commit");
    }
    let solved = avm_in(&store, &args);
    assert_eq!(solved.code, 0, "{}", solved.stderr);
    let report: serde_json::Value = serde_json::from_str(&solved.stdout).unwrap();
    assert_eq!(report["outcome"], "solved", "{report}");
    let values = report["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["party"].as_str().unwrap().to_string(),
                p["values"].clone(),
            )
        })
        .collect();
    let chart = avm_in(&store, &["trace", "--format", "text", "--last", "1"]);
    (values, chart.stdout)
}

#[test]
fn alma_intents_solve_and_commit_as_the_hand_written_ones() {
    let swap = ["swap-alice", "swap-bob"];
    let funds = [("swap-alice", "apple", "3"), ("swap-bob", "banana", "2")];
    let (alma, alma_chart) = solve_examples("alma", &swap, &funds, true);
    let (alu, alu_chart) = solve_examples("alu", &swap, &funds, true);
    assert_eq!(alma, alu);
    // The same transaction: the same calls on the same holdings.
    assert!(alma_chart.contains("TransactionCommitted"), "{alma_chart}");
    assert_eq!(alma_chart, alu_chart);
    for pool in [
        &["range-alice", "range-bob"][..],
        &["market-alice", "market-bob", "market-charlie"],
        &["queens4"],
    ] {
        let (alma, _) = solve_examples("alma", pool, &[], false);
        let (alu, _) = solve_examples("alu", pool, &[], false);
        assert_eq!(alma, alu, "{pool:?}");
    }
}
