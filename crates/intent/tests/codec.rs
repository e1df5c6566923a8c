//! The canonical encoding: round trips, canonicity, and total decoding.

mod common;

use avm_intent::encode;
use avm_vm::conformance::any_value;
use avm_vm::DataValue;
use proptest::prelude::*;

proptest! {
    #[test]
    fn intents_round_trip_through_values_and_bytes(i in common::intent()) {
        prop_assert_eq!(i.validate(), Ok(()));
        let v = encode::to_value(&i);
        prop_assert_eq!(encode::from_value(&v), Ok(i.clone()));
        let bytes = encode::to_bytes(&i);
        prop_assert_eq!(encode::from_bytes(&bytes), Ok(i.clone()));
        prop_assert_eq!(encode::id(&i), encode::id(&encode::from_bytes(&bytes).unwrap()));
        prop_assert!(!i.to_string().is_empty());
    }

    #[test]
    fn any_value_decodes_canonically_or_is_refused(v in any_value()) {
        if let Ok(i) = encode::from_value(&v) {
            prop_assert_eq!(encode::to_value(&i), v);
        }
    }

    #[test]
    fn damaged_encodings_are_refused_or_canonical(i in common::intent(), at in any::<prop::sample::Index>(), b in any::<u8>()) {
        let mut bytes = encode::to_bytes(&i);
        let k = at.index(bytes.len());
        bytes[k] = b;
        if let Ok(j) = encode::from_bytes(&bytes) {
            prop_assert_eq!(encode::to_bytes(&j), bytes);
        }
    }
}

#[test]
fn a_term_not_normalised_is_refused_naming_it() {
    let mut i = avm_intent::Intent::new("a");
    let x = i.var("x", avm_intent::Domain::Range { lo: 0, hi: 1 });
    i.require(avm_intent::Constraint::compare(
        avm_intent::Linear::var(x),
        avm_intent::Cmp::Eq,
        avm_intent::Linear::constant(1),
    ));
    let DataValue::Tuple(mut top) = encode::to_value(&i) else {
        unreachable!()
    };
    // The term 1*x written twice.
    let term = DataValue::tuple([
        DataValue::option(0, DataValue::nat(1u8)),
        DataValue::nat(0u8),
    ]);
    let lhs = DataValue::tuple([
        term.clone(),
        term,
        DataValue::option(0, DataValue::nat(0u8)),
    ]);
    let c = DataValue::tuple([
        DataValue::nat(0u8),
        DataValue::nat(0u8),
        lhs,
        DataValue::tuple([DataValue::option(0, DataValue::nat(1u8))]),
    ]);
    top[2] = DataValue::tuple([c]);
    let e = encode::from_value(&DataValue::Tuple(top)).unwrap_err();
    assert_eq!(e.at, "constraint 0 lhs");
    assert!(e.what.contains("normalised"), "{e}");
    assert!(encode::from_bytes(&[0xff, 0x00]).unwrap_err().at == "bytes");
}
