//! The object model's laws, property-tested: the example object types are
//! well formed, runtime objects agree with their denotation step by step,
//! histories grow by prefixes, and runs are deterministic (equal traces,
//! equal hashes).

mod common;

use avm_obj::model::{self, Counter, Echo, ObjectType};
use avm_obj::native::native;
use avm_obj::{ObjectHost, Space};
use avm_vm::DataValue;
use common::runtime;
use proptest::prelude::*;

fn input() -> impl Strategy<Value = DataValue> {
    prop_oneof![
        any::<u64>().prop_map(DataValue::nat),
        proptest::collection::vec(any::<u8>(), 0..8).prop_map(DataValue::bytes),
        Just(DataValue::unit()),
    ]
}

fn inputs() -> impl Strategy<Value = Vec<DataValue>> {
    proptest::collection::vec(input(), 0..12)
}

/// Runs `name` on `xs`, returning each output and the final history.
fn run(name: &str, xs: &[DataValue]) -> (Vec<Option<DataValue>>, Vec<DataValue>, avm_obj::Trace) {
    let space = Space::new().shared();
    let mut rt = runtime(&space);
    let o = rt.create_obj(native(name), None).unwrap();
    let outs = xs.iter().map(|x| rt.call(o, x.clone()).unwrap()).collect();
    (outs, rt.history_of(o).unwrap(), rt.take_trace())
}

proptest! {
    #[test]
    fn the_examples_are_well_formed(xs in inputs()) {
        prop_assert!(model::well_formed_on(&Counter, &xs));
        prop_assert!(model::well_formed_on(&Echo, &xs));
    }

    #[test]
    fn runtime_objects_agree_with_their_denotation(xs in inputs()) {
        for (name, phi) in [("counter", &Counter as &dyn ObjectType), ("echo", &Echo)] {
            let (outs, history, _) = run(name, &xs);
            let mut h: Vec<DataValue> = Vec::new();
            for (x, out) in xs.iter().zip(&outs) {
                let (expected, next) = model::step(phi, &h, x.clone()).unwrap();
                prop_assert_eq!(out, &expected);
                h = next;
            }
            // The history is exactly the inputs, so each earlier history is
            // a prefix of each later one.
            prop_assert_eq!(&history, &xs);
        }
    }

    #[test]
    fn runs_are_deterministic(xs in inputs()) {
        let (outs1, _, t1) = run("counter", &xs);
        let (outs2, _, t2) = run("counter", &xs);
        prop_assert_eq!(outs1, outs2);
        prop_assert_eq!(t1.hash(), t2.hash());
        prop_assert_eq!(&t1, &t2);
    }
}
