//! The wire decoder on any value and any bytes: a message or a reason, never a panic; what
//! it accepts round-trips.

use avm_node::frame;
use avm_node::wire::Message;
use avm_obj::remote::RemoteCall;
use avm_obj::{ObjectId, Trace};
use avm_vm::conformance::any_value;
use avm_vm::DataValue;
use proptest::prelude::*;

proptest! {
    #[test]
    fn any_value_is_a_message_or_a_reason(v in any_value()) {
        if let Ok(m) = Message::from_value(&v) {
            prop_assert_eq!(m.to_value(), v);
        }
    }

    #[test]
    fn calls_and_returns_round_trip(
        input in any_value(),
        output in proptest::option::of(any_value()),
        object in any::<u64>(),
        sender in proptest::option::of(any::<u64>()),
        depth in 0usize..64,
        gas in any::<u64>(),
    ) {
        let call = Message::Call {
            call: RemoteCall { object: ObjectId(object), input, sender: sender.map(ObjectId), depth, gas },
            events: Trace::default(),
        };
        let ret = Message::Return { result: Ok(output), gas, events: Trace::default() };
        for m in [call, ret] {
            let mut bytes = Vec::new();
            frame::write(&mut bytes, &m.to_value()).unwrap();
            let back = Message::from_value(&frame::read(&mut &bytes[..]).unwrap());
            prop_assert_eq!(back, Ok(m));
        }
    }

    #[test]
    fn any_bytes_are_a_frame_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let _ = frame::read(&mut &bytes[..]).map(|v| Message::from_value(&v));
    }
}

#[test]
fn a_tuple_with_the_version_but_no_tag_is_named() {
    let v = DataValue::tuple([DataValue::nat(1u8)]);
    assert!(Message::from_value(&v).unwrap_err().contains("tag"));
}
