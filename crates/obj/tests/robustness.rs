//! Untrusted input never panics the runtime: random requests round-trip or
//! are refused, and random OBJ instruction sequences in an Alu behaviour run
//! to an end within the budget, leaving a decodable trace.

mod common;

use avm_obj::request::Request;
use avm_obj::trace::Trace;
use avm_obj::{ControllerId, ObjectHost, ObjectId, Space, TxId};
use avm_vm::DataValue;
use common::{alu, runtime};
use proptest::prelude::*;

fn request() -> impl Strategy<Value = Request> {
    let obj = (0u64..4).prop_map(ObjectId);
    let val = any::<u64>().prop_map(DataValue::nat);
    prop_oneof![
        Just(Request::SelfId),
        Just(Request::Input),
        Just(Request::Sender),
        Just(Request::GetState),
        Just(Request::Receive),
        proptest::collection::vec(val.clone(), 0..4).prop_map(Request::SetState),
        (obj.clone(), val.clone()).prop_map(|(object, input)| Request::Call { object, input }),
        obj.clone().prop_map(Request::Destroy),
        proptest::option::of((0u64..3).prop_map(ControllerId)).prop_map(Request::BeginTx),
        (0u64..3).prop_map(|t| Request::CommitTx(TxId(t))),
        (0u64..3).prop_map(|t| Request::AbortTx(TxId(t))),
        ("[a-z]{0,4}", proptest::collection::vec(val, 0..3))
            .prop_map(|(name, args)| Request::CallPure { name, args }),
        (obj.clone(), (0u64..3).prop_map(ControllerId))
            .prop_map(|(object, to)| Request::Transfer { object, to }),
        obj.prop_map(Request::GetController),
    ]
}

/// One OBJ instruction with operand bytes that may be out of range.
fn ext_line() -> impl Strategy<Value = String> {
    (0xC0u8..=0xCD, proptest::collection::vec(0u8..40, 3)).prop_map(|(op, bytes)| {
        let n = avm_alu::isa::ext::IsaExtension::operand_len(&avm_obj::alu::ObjIsa, op);
        let hex: String = bytes[..n].iter().map(|b| format!("{b:02x}")).collect();
        format!("    ext {op:#04x}, x\"{hex}\"\n")
    })
}

proptest! {
    #[test]
    fn requests_round_trip(r in request()) {
        prop_assert_eq!(Request::from_value(&r.to_value()), Ok(r));
    }

    #[test]
    fn any_value_is_a_request_or_a_reason(v in avm_vm::conformance::any_value()) {
        if let Ok(r) = Request::from_value(&v) {
            prop_assert_eq!(r.to_value(), v);
        }
    }

    #[test]
    fn random_obj_programs_end_within_the_budget(
        lines in proptest::collection::vec(ext_line(), 0..12),
        seeds in proptest::collection::vec(0u64..4, 4),
    ) {
        let mut source = String::from(".isa OBJ\n.entry main\nmain:\n");
        for (i, s) in seeds.iter().enumerate() {
            source.push_str(&format!("    put a64[{i}], {s}\n"));
        }
        for l in &lines {
            source.push_str(l);
        }
        source.push_str("    stop\n");
        let space = Space::new().with_controller(ControllerId(1)).shared();
        let mut rt = runtime(&space);
        rt.set_gas(5_000);
        let behaviour = alu(&source);
        let a = rt.create_obj(behaviour.clone(), Some(ControllerId(1))).unwrap();
        let _b = rt.create_obj(behaviour, None).unwrap();
        let _ = rt.call(a, DataValue::nat(1u8));
        prop_assert!(rt.gas_left() <= 5_000);
        prop_assert_eq!(&Trace::decode(&rt.trace().encode()).unwrap(), rt.trace());
    }
}
