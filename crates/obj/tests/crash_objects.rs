//! Crash safety through the object runtime: a child process runs bank transfers, each one
//! transaction, on a redb-backed space and is killed with SIGKILL at pseudo-random points;
//! after every kill the reopened space must hold every acknowledged transaction and no part
//! of any other.

mod common;

use avm_obj::native::native;
use avm_obj::{ControllerId, ObjectHost, ObjectId, Space};
use avm_store::{crash, RedbStore};
use avm_vm::DataValue;
use common::{alu, op, runtime};
use std::path::Path;

const C1: ControllerId = ControllerId(1);
/// Alice's opening balance; Bob starts at 0.
const OPENING: u64 = 1_000_000;
/// The three objects, made by the first child in one transaction.
const ALICE: ObjectId = ObjectId(1);
const BOB: ObjectId = ObjectId(2);
const COUNTER: ObjectId = ObjectId(3);

/// Transfer `k` (from 1) moves this much from Alice to Bob.
fn amount(k: u64) -> u64 {
    k % 5 + 1
}

fn nat_state(space: &Space, id: ObjectId) -> Option<u64> {
    let record = space.object(id)?;
    match record.state.as_slice() {
        [] => Some(0),
        [v] => v.as_u64(),
        _ => None,
    }
}

/// The child: transfer after transfer, each in one transaction that also bumps an Alu
/// counter, acknowledging transfer k once `commit_tx` has returned.
#[test]
fn crash_child_objects() {
    let Some(dir) = crash::child_dir() else {
        return;
    };
    let mut space = Space::open(RedbStore::open(&dir, avm_obj::persist::STORE_KIND).expect("open"))
        .expect("load");
    if !space.reaches_controller(C1) {
        space.add_controller(C1).expect("controller");
    }
    let fresh = space.object(ALICE).is_none();
    let space = space.shared();
    let mut rt = runtime(&space);
    if fresh {
        let tx = rt.begin_tx(Some(C1)).unwrap();
        assert_eq!(rt.create_obj(native("account"), Some(C1)).unwrap(), ALICE);
        assert_eq!(rt.create_obj(native("account"), Some(C1)).unwrap(), BOB);
        let counter = alu(include_str!("../../../examples/objects/counter.alu"));
        assert_eq!(rt.create_obj(counter, Some(C1)).unwrap(), COUNTER);
        rt.call(ALICE, op(1, OPENING)).unwrap();
        rt.commit_tx(tx).unwrap();
    }
    loop {
        rt.set_gas(1_000_000);
        let tx = rt.begin_tx(Some(C1)).unwrap();
        let k = rt
            .call(COUNTER, DataValue::unit())
            .unwrap()
            .and_then(|v| v.as_u64())
            .unwrap();
        rt.call(ALICE, op(2, amount(k))).unwrap();
        rt.call(BOB, op(1, amount(k))).unwrap();
        assert!(rt.commit_tx(tx).unwrap());
        crash::ack(k);
        rt.take_trace();
    }
}

/// After a kill: either nothing was ever committed, or the counter says how many transfers
/// committed (at least the last acknowledged), and both balances and all three histories
/// agree with exactly that many.
fn check(dir: &Path, acked: &[u64]) -> Result<(), String> {
    let store =
        RedbStore::open(dir, avm_obj::persist::STORE_KIND).map_err(|e| format!("reopen: {e}"))?;
    let space = Space::open(store).map_err(|e| format!("load: {e}"))?;
    if space.object(ALICE).is_none() {
        return match (space.objects().count(), acked.last()) {
            (0, None) => Ok(()),
            (n, _) => Err(format!("{n} objects without the accounts: a partial setup")),
        };
    }
    let state = |id| nat_state(&space, id).ok_or(format!("{id} is missing or malformed"));
    let (alice, bob, k) = (state(ALICE)?, state(BOB)?, state(COUNTER)?);
    if let Some(&last) = acked.last() {
        if k < last {
            return Err(format!(
                "transfer {last} was acknowledged, the counter is at {k}"
            ));
        }
    }
    let moved: u64 = (1..=k).map(amount).sum();
    if (alice, bob) != (OPENING - moved, moved) {
        return Err(format!(
            "after {k} transfers: alice {alice}, bob {bob}; expected {} and {moved}",
            OPENING - moved
        ));
    }
    let history = |id: ObjectId| space.object(id).map_or(0, |r| r.history.len() as u64);
    let lengths = (history(ALICE), history(BOB), history(COUNTER));
    if lengths != (k + 1, k, k) {
        return Err(format!(
            "after {k} transfers the histories have lengths {lengths:?}"
        ));
    }
    Ok(())
}

#[test]
fn every_acknowledged_transaction_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let plan = crash::Plan::default();
    let report = crash::run(&plan, "crash_child_objects", dir.path(), check);
    eprintln!("{report:?}");
    assert_eq!(report.kills, plan.runs);
    assert!(report.acks > plan.runs as u64, "{report:?}");
    assert!(report.killed_before_first_ack > 0, "{report:?}");
}

/// The counter, the wrapper that calls it and the spoiler, in the second test.
const COUNTED: ObjectId = ObjectId(1);
const WRAPPER: ObjectId = ObjectId(2);
const SPOILER: ObjectId = ObjectId(3);

/// The child of the second test: calls outside any transaction, each one top-level call of
/// the wrapper, which calls the Alu counter (setting its state and adding to its history),
/// then the spoiler, which sets its own state, calls the counter too, and fails; the wrapper
/// ignores that and answers the count k it got, which the child acknowledges.
#[test]
fn crash_child_calls() {
    let Some(dir) = crash::child_dir() else {
        return;
    };
    let space = Space::open(RedbStore::open(&dir, avm_obj::persist::STORE_KIND).expect("open"))
        .expect("load")
        .shared();
    let mut rt = runtime(&space);
    rt.register_native("wrapper", |host| {
        let k = host.call(COUNTED, DataValue::unit())?;
        let _ = host.call(SPOILER, DataValue::unit());
        Ok(k)
    });
    rt.register_native("spoiler", |host| {
        host.set_state(vec![DataValue::nat(1u8)])?;
        host.call(COUNTED, DataValue::unit())?;
        Err(avm_obj::ObjError::RejectedCall {
            object: SPOILER,
            reason: "it spoils".into(),
        }
        .into())
    });
    let behaviours = [
        alu(include_str!("../../../examples/objects/counter.alu")),
        native("wrapper"),
        native("spoiler"),
    ];
    for (id, behaviour) in [COUNTED, WRAPPER, SPOILER].into_iter().zip(behaviours) {
        if space.lock().object(id).is_none() {
            assert_eq!(rt.create_obj(behaviour, None).unwrap(), id);
        }
    }
    loop {
        rt.set_gas(1_000_000);
        let k = rt.call(WRAPPER, DataValue::unit()).unwrap();
        crash::ack(k.and_then(|v| v.as_u64()).unwrap());
        rt.take_trace();
    }
}

/// After a kill: the counter's state and its history agree (a call's state change and its
/// input land together or not at all), the counter counts exactly the wrapper's calls and
/// the spoiler has nothing (what a failed nested call did never lands), and every
/// acknowledged call is there.
fn check_calls(dir: &Path, acked: &[u64]) -> Result<(), String> {
    let store =
        RedbStore::open(dir, avm_obj::persist::STORE_KIND).map_err(|e| format!("reopen: {e}"))?;
    let space = Space::open(store).map_err(|e| format!("load: {e}"))?;
    let Some(record) = space.object(COUNTED) else {
        return match acked.last() {
            None => Ok(()),
            Some(k) => Err(format!("call {k} was acknowledged, the counter is gone")),
        };
    };
    let count = nat_state(&space, COUNTED).ok_or("a malformed counter state")?;
    let inputs = record.history.len() as u64;
    if count != inputs {
        return Err(format!(
            "the counter says {count} but its history holds {inputs} inputs"
        ));
    }
    let wrapped = space.object(WRAPPER).map_or(0, |r| r.history.len() as u64);
    if count != wrapped {
        return Err(format!(
            "the counter says {count} but the wrapper was called {wrapped} times"
        ));
    }
    if let Some(spoiler) = space.object(SPOILER) {
        if !spoiler.state.is_empty() || !spoiler.history.is_empty() {
            return Err("the spoiler's failed calls left their state or input".into());
        }
    }
    match acked.last() {
        Some(&k) if count < k => Err(format!("call {k} was acknowledged, the count is {count}")),
        _ => Ok(()),
    }
}

#[test]
fn a_killed_call_leaves_state_and_history_in_step() {
    let dir = tempfile::tempdir().unwrap();
    let plan = crash::Plan {
        runs: 30,
        max_delay: std::time::Duration::from_millis(300),
        ..crash::Plan::default()
    };
    let report = crash::run(&plan, "crash_child_calls", dir.path(), check_calls);
    eprintln!("{report:?}");
    assert_eq!(report.kills, plan.runs);
    assert!(report.acks > 0, "{report:?}");
}
