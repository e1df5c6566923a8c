//! A solution becomes one transaction of the object runtime.

use std::rc::Rc;

use avm_intent::commit::{self, balance, CommitError, Holdings};
use avm_intent::solve::{solve, Options, Outcome};
use avm_intent::{Intent, Linear, Side};
use avm_obj::trace::Event;
use avm_obj::{AvmError, ControllerId, Runtime, Space, SpaceHandle, TxError};

fn swap(party: &str, give: (i64, &str), take: (i64, &str)) -> Intent {
    let mut i = Intent::new(party);
    i.flow(Side::Consume, give.1, Linear::constant(give.0));
    i.flow(Side::Create, take.1, Linear::constant(take.0));
    i
}

fn runtime(space: &SpaceHandle) -> Runtime {
    let mut rt = Runtime::new(space.clone(), Rc::new(avm_obj::alu::registry()));
    commit::register(&mut rt);
    rt.set_gas(1_000_000);
    rt
}

fn funded(rt: &mut Runtime) -> Holdings {
    let mut h = Holdings::new();
    for (owner, kind, q) in [("alice", "apple", 3), ("bob", "banana", 2)] {
        let (_, made) = commit::fund(rt, &h, owner, kind, q, Some(ControllerId(1))).unwrap();
        h.extend(made);
    }
    h
}

fn space() -> SpaceHandle {
    let mut s = Space::new();
    s.add_controller(ControllerId(1)).unwrap();
    s.add_controller(ControllerId(2)).unwrap();
    s.shared()
}

#[test]
fn a_swap_commits_as_one_transaction() {
    let space = space();
    let mut rt = runtime(&space);
    let mut holdings = funded(&mut rt);
    let pool = [
        swap("alice", (3, "apple"), (2, "banana")),
        swap("bob", (2, "banana"), (3, "apple")),
    ];
    let Outcome::Solved(s) = solve(&pool, Options::default()).unwrap() else {
        panic!()
    };
    rt.take_trace();
    let c = [Some(ControllerId(1)); 2];
    let (_, made) = commit::commit(&mut rt, &pool, &s, &c, &holdings).unwrap();
    holdings.extend(made);
    let bal = |rt: &Runtime, o: &str, k: &str| {
        balance(
            &rt.state_of(holdings[&(o.to_string(), k.to_string())])
                .unwrap(),
        )
    };
    assert_eq!(bal(&rt, "alice", "apple"), 0);
    assert_eq!(bal(&rt, "alice", "banana"), 2);
    assert_eq!(bal(&rt, "bob", "apple"), 3);
    assert_eq!(bal(&rt, "bob", "banana"), 0);
    assert_eq!(commit::holdings(&space.lock()), holdings);
    let trace = rt.take_trace();
    let commits = trace
        .entries()
        .iter()
        .filter(|e| matches!(e.event, Event::TxCommitted { .. }))
        .count();
    assert_eq!(commits, 1);
}

#[test]
fn an_overdraft_aborts_and_changes_nothing() {
    let space = space();
    let mut rt = runtime(&space);
    let holdings = funded(&mut rt);
    let pool = [
        swap("alice", (5, "apple"), (2, "banana")),
        swap("bob", (2, "banana"), (5, "apple")),
    ];
    let Outcome::Solved(s) = solve(&pool, Options::default()).unwrap() else {
        panic!()
    };
    let e = commit::commit(&mut rt, &pool, &s, &[Some(ControllerId(1)); 2], &holdings).unwrap_err();
    assert!(e.to_string().contains("cannot change by -5"), "{e}");
    let h = holdings[&("alice".to_string(), "apple".to_string())];
    assert_eq!(balance(&rt.state_of(h).unwrap()), 3);
}

#[test]
fn a_solution_across_controllers_is_refused() {
    let space = space();
    let mut rt = runtime(&space);
    let holdings = funded(&mut rt);
    let pool = [
        swap("alice", (3, "apple"), (2, "banana")),
        swap("bob", (2, "banana"), (3, "apple")),
    ];
    let Outcome::Solved(s) = solve(&pool, Options::default()).unwrap() else {
        panic!()
    };
    let c = [Some(ControllerId(1)), Some(ControllerId(2))];
    let e = commit::commit(&mut rt, &pool, &s, &c, &holdings).unwrap_err();
    assert!(matches!(e, CommitError::CrossController(_)));
    assert!(
        e.to_string()
            .contains("cross-controller commit is not yet available"),
        "{e}"
    );
}

#[test]
fn two_solvers_spending_one_holding_make_one_commit_and_one_conflict() {
    let space = space();
    let mut first = runtime(&space);
    let holdings = funded(&mut first);
    let mut second = runtime(&space);
    let pool = [
        swap("alice", (3, "apple"), (2, "banana")),
        swap("bob", (2, "banana"), (3, "apple")),
    ];
    let Outcome::Solved(s) = solve(&pool, Options::default()).unwrap() else {
        panic!()
    };
    let c = [Some(ControllerId(1)); 2];
    let a = commit::stage(&mut first, &pool, &s, &c, &holdings).unwrap();
    let b = commit::stage(&mut second, &pool, &s, &c, &holdings).unwrap();
    a.commit(&mut first).unwrap();
    let e = b.commit(&mut second).unwrap_err();
    assert!(
        matches!(
            e,
            CommitError::Runtime(AvmError::Tx(TxError::Conflict { .. }))
        ),
        "{e}"
    );
}
