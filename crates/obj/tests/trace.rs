//! The trace codec: every trace round-trips, and every byte string is
//! either a trace that re-encodes to the same bytes or an error.

mod common;

use avm_obj::native::native;
use avm_obj::trace::{Event, Trace, TraceError};
use avm_obj::{ControllerId, MachineId, ObjectHost, ObjectId, Space, TxId};
use avm_vm::{codec, ContentId, DataValue};
use proptest::prelude::*;

fn event() -> impl Strategy<Value = Event> {
    let obj = any::<u64>().prop_map(ObjectId);
    let opt_obj = proptest::option::of(any::<u64>().prop_map(ObjectId));
    let val = any::<u64>().prop_map(DataValue::nat);
    prop_oneof![
        (
            obj.clone(),
            any::<[u8; 32]>(),
            proptest::option::of(any::<u64>())
        )
            .prop_map(|(object, h, c)| Event::ObjectCreated {
                object,
                behaviour: ContentId(h),
                controller: c.map(ControllerId),
            }),
        (opt_obj.clone(), obj.clone(), val.clone()).prop_map(|(sender, callee, input)| {
            Event::ObjectCalled {
                sender,
                callee,
                input,
            }
        }),
        (obj.clone(), opt_obj, proptest::option::of(val)).prop_map(|(callee, sender, output)| {
            Event::ObjectReturned {
                callee,
                sender,
                output,
            }
        }),
        (obj.clone(), any::<u64>()).prop_map(|(object, m)| Event::ObjectMoved {
            object,
            to: MachineId(m),
        }),
        ("[a-z]{0,8}", any::<u64>(), any::<[u8; 32]>()).prop_map(|(name, version, h)| {
            Event::FunctionUpdated {
                name,
                version,
                hash: ContentId(h),
            }
        }),
        (any::<u64>(), proptest::option::of(any::<u64>())).prop_map(|(t, c)| {
            Event::TxStarted {
                tx: TxId(t),
                controller: c.map(ControllerId),
            }
        }),
        any::<u64>().prop_map(|t| Event::TxAborted { tx: TxId(t) }),
        ("[a-z]{1,8}", ".{0,20}").prop_map(|(layer, message)| Event::Error { layer, message }),
        obj.prop_map(|object| Event::ObjectFrozen { object }),
    ]
}

fn trace() -> impl Strategy<Value = Trace> {
    proptest::collection::vec((proptest::option::of(any::<u64>()), event()), 0..10).prop_map(
        |events| {
            let mut t = Trace::default();
            for (c, e) in events {
                t.push(c.map(ControllerId), e);
            }
            t
        },
    )
}

proptest! {
    #[test]
    fn traces_round_trip(t in trace()) {
        let bytes = t.encode();
        let back = Trace::decode(&bytes).unwrap();
        prop_assert_eq!(back.hash(), t.hash());
        prop_assert_eq!(back, t);
    }

    #[test]
    fn any_bytes_decode_canonically_or_not_at_all(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(t) = Trace::decode(&bytes) {
            prop_assert_eq!(t.encode(), bytes);
        }
    }

    #[test]
    fn a_changed_trace_has_another_hash(t in trace(), e in event()) {
        let mut longer = t.clone();
        longer.push(None, e);
        prop_assert_ne!(longer.hash(), t.hash());
    }
}

#[test]
fn bad_traces_are_refused_with_where() {
    let entry = |items: Vec<DataValue>| DataValue::tuple([DataValue::Tuple(items)]);
    let n = |x: u64| DataValue::nat(x);
    let none = DataValue::option(0, DataValue::unit());
    // An unknown tag.
    let bad = entry(vec![n(0), none.clone(), n(99)]);
    assert_eq!(
        Trace::decode(&codec::encode(&bad)).unwrap_err(),
        TraceError::Entry {
            index: 0,
            reason: "unknown event tag 99".into()
        }
    );
    // A sequence number out of order.
    let bad = entry(vec![n(5), none.clone(), n(13), n(1)]);
    assert!(Trace::decode(&codec::encode(&bad))
        .unwrap_err()
        .to_string()
        .contains("out of order"));
    // A missing field.
    let bad = entry(vec![n(0), none, n(13)]);
    assert!(Trace::decode(&codec::encode(&bad))
        .unwrap_err()
        .to_string()
        .contains("0 fields, expected 1"));
    // Truncated bytes: the codec names the offset.
    let err = Trace::decode(&[0x05]).unwrap_err();
    assert!(matches!(err, TraceError::Codec(_)), "{err}");
    assert!(err.to_string().contains("at byte"), "{err}");
}

#[test]
fn a_run_trace_round_trips_and_prints_one_line_per_event() {
    let space = Space::new().shared();
    let mut rt = common::runtime(&space);
    let c = rt.create_obj(native("counter"), None).unwrap();
    rt.call(c, DataValue::unit()).unwrap();
    let t = rt.trace().clone();
    assert_eq!(Trace::decode(&t.encode()).unwrap(), t);
    let text = t.to_string();
    assert_eq!(text.lines().count(), 3);
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .contains("ObjectCalled sender=#0:() callee=1 input=()"),
        "{text}"
    );
}
