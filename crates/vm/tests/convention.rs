//! Everyday conventions round-trip, check against their types, and are
//! canonical.

use std::collections::BTreeMap;

use avm_vm::conformance::any_value;
use avm_vm::convention::{map, map_entries};
use avm_vm::num_bigint::Sign;
use avm_vm::{typecheck, BigInt, Convention, DataType, DataValue};
use proptest::prelude::*;

fn laws<T: Convention + PartialEq + std::fmt::Debug>(x: T) -> Result<(), TestCaseError> {
    let v = x.to_value();
    prop_assert!(
        typecheck(&v, &T::data_type()),
        "{v} is not a {:?}",
        T::data_type()
    );
    prop_assert_eq!(T::from_value(&v), Some(x));
    Ok(())
}

fn inverse<T: Convention>(v: &DataValue) -> Result<(), TestCaseError> {
    if let Some(x) = T::from_value(v) {
        prop_assert_eq!(&x.to_value(), v);
    }
    Ok(())
}

#[test]
fn spellings() {
    assert_eq!(true.to_value().to_string(), "1");
    assert_eq!(0i8.to_value().to_string(), "#0:0");
    assert_eq!((-1i8).to_value().to_string(), "#1:0");
    assert_eq!(
        i128::MIN.to_value(),
        DataValue::option(1, DataValue::nat(i128::MAX as u128))
    );
    assert_eq!(Some(5u8).to_value().to_string(), "#1:5");
    assert_eq!(None::<u8>.to_value().to_string(), "#0:()");
    assert_eq!(vec![1u8, 2].to_value().to_string(), "(1, 2)");
    assert_eq!(String::from("é").to_value().to_string(), "\"é\"");
    assert_eq!(bool::from_value(&DataValue::nat(2u8)), None);
    assert_eq!(u8::from_value(&DataValue::nat(256u16)), None);
    assert_eq!(i8::from_value(&(-129i16).to_value()), None);
    assert_eq!(String::from_value(&DataValue::bytes([0xff])), None);
}

#[test]
fn maps_are_sorted_by_key_encoding() {
    // 200 encodes as 00 c8 01 and 3 as 00 03: 3 sorts first.
    let m: BTreeMap<u64, bool> = [(200, true), (3, false)].into();
    assert_eq!(m.to_value().to_string(), "((3, 0), (200, 1))");
    // Keys of different shapes sort by tag first.
    let mixed = map([
        (DataValue::string("a"), DataValue::unit()),
        (DataValue::nat(9u8), DataValue::unit()),
    ]);
    assert_eq!(mixed.to_string(), "((9, ()), (\"a\", ()))");
    // Out of order, or a repeated key: not a map.
    let unsorted: DataValue = "((200, 1), (3, 0))".parse().unwrap();
    assert_eq!(map_entries(&unsorted), None);
    assert_eq!(BTreeMap::<u64, bool>::from_value(&unsorted), None);
    let repeated: DataValue = "((3, 1), (3, 0))".parse().unwrap();
    assert_eq!(map_entries(&repeated), None);
    assert!(map_entries(&"()".parse().unwrap()).unwrap().is_empty());
}

#[test]
fn typecheck_follows_the_specification() {
    use avm_vm::BigUint;
    let fin3 = DataType::FinSet(BigUint::from(3u8));
    assert!(typecheck(&DataValue::nat(2u8), &fin3));
    assert!(!typecheck(&DataValue::nat(3u8), &fin3));
    let f = DataType::function(DataType::Nat, DataType::Nat);
    assert!(typecheck(&DataValue::function(avm_vm::VmId::ALU, []), &f));
    assert!(!typecheck(&DataValue::nat(0u8), &f));
    let either = DataType::Coproduct(vec![DataType::Nat, DataType::Bytes]);
    assert!(typecheck(
        &DataValue::option(1, DataValue::bytes([])),
        &either
    ));
    assert!(!typecheck(
        &DataValue::option(1, DataValue::nat(0u8)),
        &either
    ));
    assert!(!typecheck(
        &DataValue::option(2, DataValue::nat(0u8)),
        &either
    ));
    assert!(!typecheck(
        &DataValue::option(u64::MAX, DataValue::nat(0u8)),
        &either
    ));
    let pair = DataType::Product(vec![DataType::Nat, DataType::Nat]);
    assert!(!typecheck(&DataValue::tuple([DataValue::nat(0u8)]), &pair));
    assert!(typecheck(
        &DataValue::unit(),
        &DataType::list(DataType::Bytes)
    ));
}

proptest! {
    #[test]
    fn round_trips(
        b in any::<bool>(), n in any::<u64>(), w in any::<u128>(), i in any::<i64>(), j in any::<i128>(),
        s in "\\PC{0,10}", l in prop::collection::vec(any::<i32>(), 0..5),
        o in any::<Option<u16>>(), t in any::<(u8, bool, i16)>(),
        m in prop::collection::btree_map("\\PC{0,4}", any::<i64>(), 0..6),
        big in prop::collection::vec(any::<u8>(), 0..40), neg in any::<bool>(),
    ) {
        laws(b)?; laws(n)?; laws(w)?; laws(i)?; laws(j)?; laws(s)?; laws(l)?; laws(o)?; laws(t)?; laws(m)?;
        let big = BigInt::from_bytes_le(if neg { Sign::Minus } else { Sign::Plus }, &big);
        laws(big)?;
        laws(((), (true, 1u8)))?;
    }

    #[test]
    fn accepted_values_spell_back(v in any_value()) {
        inverse::<bool>(&v)?; inverse::<u64>(&v)?; inverse::<i64>(&v)?; inverse::<BigInt>(&v)?;
        inverse::<String>(&v)?; inverse::<Option<u8>>(&v)?; inverse::<Vec<DataValue>>(&v)?;
        inverse::<(DataValue, DataValue)>(&v)?; inverse::<BTreeMap<DataValue, DataValue>>(&v)?;
        inverse::<()>(&v)?;
    }
}
