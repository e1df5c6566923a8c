//! RV32 behind the multiformat interface: the conformance laws over the
//! committed contracts and fixtures, and the calling convention.

use avm_rv32::binding::{Rv32Value, Rv32Vm};
use avm_vm::conformance::{any_value, Laws};
use avm_vm::{codec, DataValue, Registry, Vm, VmId};
use proptest::prelude::*;

const ELFS: [&[u8]; 4] = [
    include_bytes!("../../../contracts/hash.elf"),
    include_bytes!("../../../contracts/erc20.elf"),
    include_bytes!("../../../contracts/faulty.elf"),
    include_bytes!("fixtures/checksum.elf"),
];

fn decode(v: &DataValue) -> Rv32Value {
    Rv32Vm.decode(v).expect("every value decodes")
}

fn any_function() -> impl Strategy<Value = Rv32Value> {
    prop_oneof![
        3 => (0..ELFS.len()).prop_map(|i| decode(&DataValue::function(VmId::RV32, ELFS[i].to_vec()))),
        1 => any_value().prop_map(|v| decode(&v)),
    ]
}

#[test]
fn conformance() {
    let args = prop::collection::vec(any_value().prop_map(|v| decode(&v)), 0..3);
    Laws::new(&Rv32Vm, any_function(), args)
        .gas(300_000)
        .cases(48)
        .check();
}

#[test]
fn a_malformed_elf_is_data_and_gives_no_result() {
    let f = DataValue::function(VmId::RV32, b"\x7fELF nope".to_vec());
    assert_eq!(Rv32Vm.decode(&f), Some(Rv32Value::Data(f.clone())));
    let mut registry = Registry::new();
    registry.register(Rv32Vm).unwrap();
    let e = registry.multievaluate(&f, &[], 1000).unwrap();
    assert_eq!((e.result, e.gas_used), (None, 0));
}

#[test]
fn arguments_are_the_canonical_tuple_and_reverts_give_no_result() {
    let mut registry = Registry::new();
    registry.register(Rv32Vm).unwrap();
    let hash = DataValue::function(VmId::RV32, ELFS[0].to_vec());
    let args = [DataValue::string("a"), DataValue::nat(1u8)];
    let e = registry.multievaluate(&hash, &args, 1_000_000).unwrap();
    let input = codec::encode(&DataValue::tuple(args));
    assert_eq!(
        e.result,
        Some(DataValue::bytes(*blake3::hash(&input).as_bytes()))
    );
    assert!(e.gas_used > 0);
    // The ERC-20 reverts on calldata that is not its own.
    let erc20 = DataValue::function(VmId::RV32, ELFS[1].to_vec());
    let e = registry.multievaluate(&erc20, &[], 1_000_000).unwrap();
    assert_eq!(e.result, None);
    assert!(e.gas_used > 0);
}
