//! Savepoints, property-tested: a random tree of nested calls, some of which fail, ends
//! exactly as the same tree with every failing call left out (and nothing at all when the
//! top-level call fails), in a transaction and outside one, in memory and in the store.

mod common;

use std::sync::{Arc, Mutex};

use avm_obj::native::native;
use avm_obj::{ControllerId, ObjError, ObjectHost, ObjectId, Runtime, Space, SpaceHandle};
use avm_store::MemStore;
use avm_vm::DataValue;
use proptest::prelude::*;

const C1: ControllerId = ControllerId(1);
/// How many script objects there are (ids 1..=OBJECTS).
const OBJECTS: u64 = 3;

/// One step of a script.
#[derive(Clone, Debug)]
enum Step {
    /// Set the running object's state to `[n]`.
    Set(u64),
    /// Create an echo object.
    Create,
    /// Call script object `k` with a script, going on whether it fails or not.
    Call(u64, Vec<Step>),
    /// Fail here.
    Fail,
}

fn step(depth: u32) -> BoxedStrategy<Step> {
    let leaf = prop_oneof![
        (0..100u64).prop_map(Step::Set),
        Just(Step::Create),
        Just(Step::Fail),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        3 => leaf,
        2 => (1..=OBJECTS, script(depth - 1)).prop_map(|(k, s)| Step::Call(k, s)),
    ]
    .boxed()
}

fn script(depth: u32) -> BoxedStrategy<Vec<Step>> {
    proptest::collection::vec(step(depth), 0..5).boxed()
}

fn encode(script: &[Step]) -> DataValue {
    DataValue::tuple(script.iter().map(|s| match s {
        Step::Set(n) => DataValue::tuple([DataValue::nat(0u8), DataValue::nat(*n)]),
        Step::Create => DataValue::tuple([DataValue::nat(1u8)]),
        Step::Call(k, s) => DataValue::tuple([DataValue::nat(2u8), DataValue::nat(*k), encode(s)]),
        Step::Fail => DataValue::tuple([DataValue::nat(3u8)]),
    }))
}

/// Whether a script fails at its own level (its calls' failures are caught).
fn fails(script: &DataValue) -> bool {
    let DataValue::Tuple(steps) = script else {
        return true;
    };
    steps
        .iter()
        .any(|s| matches!(s, DataValue::Tuple(f) if f[0].as_u64() == Some(3)))
}

/// A runtime whose `script` native runs its input; with `prune`, it leaves out every call
/// whose script fails (the reference), else it makes it and ignores the failure.
fn runtime(space: &SpaceHandle, prune: bool) -> Runtime {
    let mut rt = common::runtime(space);
    rt.register_native("script", move |host| {
        let DataValue::Tuple(steps) = host.input()? else {
            return Ok(None);
        };
        for s in steps {
            let DataValue::Tuple(f) = s else {
                return Ok(None);
            };
            match f[0].as_u64() {
                Some(0) => host.set_state(vec![f[1].clone()])?,
                Some(1) => {
                    host.create_obj(native("echo"), None)?;
                }
                Some(2) if prune && fails(&f[2]) => {}
                Some(2) => {
                    let k = ObjectId(f[1].as_u64().unwrap_or(0));
                    let _ = host.call(k, f[2].clone());
                }
                _ => {
                    let me = host.self_id()?;
                    return Err(ObjError::RejectedCall {
                        object: me,
                        reason: "the script says so".into(),
                    }
                    .into());
                }
            }
        }
        Ok(Some(DataValue::unit()))
    });
    rt
}

/// Every object's state and history, and how many objects there are.
type Outcome = (Vec<(Vec<DataValue>, Vec<DataValue>)>, usize);

fn outcome(space: &Space) -> Outcome {
    let scripts = (1..=OBJECTS)
        .map(|k| {
            let r = space.object(ObjectId(k)).unwrap();
            (r.state.clone(), r.history.clone())
        })
        .collect();
    (scripts, space.objects().count())
}

/// Runs `top` on object 1 in a fresh space (in a transaction with `in_tx`); the reference
/// makes the top-level call only if it succeeds. Returns the outcome in memory, and as
/// reloaded from the store.
fn run(top: &DataValue, prune: bool, in_tx: bool) -> (Outcome, Outcome) {
    let store = Arc::new(Mutex::new(MemStore::new()));
    let space = Space::open(Arc::clone(&store))
        .unwrap()
        .with_controller(C1)
        .shared();
    let mut rt = runtime(&space, prune);
    for _ in 0..OBJECTS {
        rt.create_obj(native("script"), Some(C1)).unwrap();
    }
    let tx = in_tx.then(|| rt.begin_tx(Some(C1)).unwrap());
    if !(prune && fails(top)) {
        let result = rt.call(ObjectId(1), top.clone());
        assert_eq!(result.is_err(), fails(top), "{result:?}");
    }
    if let Some(tx) = tx {
        assert!(rt.commit_tx(tx).unwrap());
    }
    let memory = outcome(&space.lock());
    let reloaded = Space::open(Arc::clone(&store)).unwrap();
    // Every record, metadata and version included, is in the store as in memory.
    assert!(space.lock().objects().eq(reloaded.objects()));
    (memory, outcome(&reloaded))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_call_tree_ends_as_if_its_failing_calls_never_ran(top in script(3), in_tx in any::<bool>()) {
        let top = encode(&top);
        let (actual, stored) = run(&top, false, in_tx);
        let (reference, _) = run(&top, true, in_tx);
        prop_assert_eq!(&actual, &reference);
        prop_assert_eq!(&stored, &actual);
    }
}
