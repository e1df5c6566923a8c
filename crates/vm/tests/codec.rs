//! The binary codec: round trips, canonicity, and every way of refusing input.

use avm_vm::codec::{self, DecodeErrorKind as K};
use avm_vm::conformance::any_value;
use avm_vm::{multidecode, multiencode, BigUint, DataType, DataValue, Limits, VmId};
use proptest::prelude::*;

fn kind_at(bytes: &[u8]) -> (usize, K) {
    let e = codec::decode(bytes).unwrap_err();
    (e.offset, e.kind)
}

#[test]
fn known_encodings() {
    let cases: Vec<(DataValue, Vec<u8>)> = vec![
        (DataValue::nat(0u8), vec![0x00, 0x00]),
        (DataValue::nat(127u8), vec![0x00, 0x7f]),
        (DataValue::nat(128u8), vec![0x00, 0x80, 0x01]),
        (
            DataValue::nat(u64::MAX),
            vec![
                0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
            ],
        ),
        (
            DataValue::function(VmId(2), [0xaa]),
            vec![0x01, 0x02, 0x01, 0xaa],
        ),
        (DataValue::unit(), vec![0x02, 0x00]),
        (
            DataValue::option(1, DataValue::unit()),
            vec![0x03, 0x01, 0x02, 0x00],
        ),
        (DataValue::bytes([]), vec![0x04, 0x00]),
        (DataValue::string("ab"), vec![0x04, 0x02, b'a', b'b']),
    ];
    for (value, bytes) in cases {
        assert_eq!(codec::encode(&value), bytes, "{value}");
        assert_eq!(codec::decode(&bytes).unwrap(), value);
    }
}

#[test]
fn big_naturals_round_trip() {
    for bits in [63u32, 64, 65, 70, 127, 128, 129, 1000, 4096] {
        for delta in [0u8, 1] {
            let n = (BigUint::from(1u8) << bits) - BigUint::from(delta);
            let v = DataValue::Nat(n.clone());
            let bytes = codec::encode(&v);
            // LEB128: ceil(bits / 7) groups after the tag.
            assert_eq!(bytes.len(), 1 + (n.bits() as usize).div_ceil(7).max(1));
            assert_eq!(codec::decode(&bytes).unwrap(), v);
        }
    }
}

#[test]
fn refuses_truncated_input() {
    assert_eq!(kind_at(&[]), (0, K::Truncated));
    assert_eq!(kind_at(&[0x00]), (1, K::Truncated));
    assert_eq!(kind_at(&[0x00, 0x80]), (2, K::Truncated));
    assert_eq!(kind_at(&[0x04, 0x03, 1, 2]), (4, K::Truncated));
    assert_eq!(kind_at(&[0x01, 0x02, 0x05, 1]), (4, K::Truncated));
    assert_eq!(kind_at(&[0x03, 0x00]), (2, K::Truncated));
}

#[test]
fn refuses_unknown_tags_and_trailing_bytes() {
    assert_eq!(kind_at(&[0x05]), (0, K::UnknownTag(0x05)));
    assert_eq!(kind_at(&[0x02, 0x01, 0xff, 0x00]), (2, K::UnknownTag(0xff)));
    // A count the rest of the input cannot hold is refused at the count.
    assert_eq!(kind_at(&[0x02, 0x01, 0xff]), (1, K::Truncated));
    assert_eq!(kind_at(&[0x00, 0x00, 0x00]), (2, K::Trailing));
}

#[test]
fn refuses_non_minimal_numbers() {
    assert_eq!(kind_at(&[0x00, 0x80, 0x00]), (1, K::NonMinimal));
    assert_eq!(kind_at(&[0x00, 0xff, 0x80, 0x00]), (1, K::NonMinimal));
    assert_eq!(kind_at(&[0x04, 0x80, 0x00]), (1, K::NonMinimal));
    assert_eq!(kind_at(&[0x02, 0x80, 0x00]), (1, K::NonMinimal));
    assert_eq!(kind_at(&[0x03, 0x81, 0x00, 0x02, 0x00]), (1, K::NonMinimal));
    assert_eq!(kind_at(&[0x01, 0x82, 0x00, 0x00]), (1, K::NonMinimal));
}

#[test]
fn refuses_numbers_over_64_bits() {
    let mut over = vec![0x04];
    over.extend([0xff; 9]);
    over.push(0x02); // bit 64 set
    assert_eq!(kind_at(&over), (1, K::Overflow));
    let mut long = vec![0x03];
    long.extend([0x80; 10]);
    long.push(0x01);
    assert_eq!(kind_at(&long), (1, K::Overflow));
    // The same groups are a fine natural: naturals have no size limit.
    let mut nat = vec![0x00];
    nat.extend([0xff; 9]);
    nat.push(0x02);
    assert_eq!(
        codec::decode(&nat).unwrap(),
        DataValue::Nat(BigUint::from(1u8) << 64u32 | BigUint::from(u64::MAX >> 1))
    );
}

#[test]
fn refuses_huge_counts_without_allocating() {
    // A tuple that claims 2^62 items in a few bytes.
    let bytes = [0x02, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40];
    assert_eq!(kind_at(&bytes), (1, K::Truncated));
    // Byte strings and code that claim more than the input holds.
    assert_eq!(
        kind_at(&[0x04, 0xff, 0xff, 0xff, 0xff, 0x0f]),
        (6, K::Truncated)
    );
    assert_eq!(
        kind_at(&[0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f]),
        (7, K::Truncated)
    );
}

fn nested(depth: usize) -> DataValue {
    let mut v = DataValue::nat(0u8);
    for i in 1..depth {
        v = if i % 2 == 0 {
            DataValue::option(0, v)
        } else {
            DataValue::tuple([v])
        };
    }
    v
}

#[test]
fn depth_limit() {
    let limits = Limits {
        max_depth: 10,
        ..Limits::default()
    };
    let ok = codec::encode(&nested(10));
    assert_eq!(codec::decode_with(&ok, &limits).unwrap(), nested(10));
    let deep = codec::encode(&nested(11));
    let e = codec::decode_with(&deep, &limits).unwrap_err();
    assert_eq!(e.kind, K::TooDeep(10));
    assert!(e.offset > 0 && e.offset < deep.len());
    // The default limit stops a pathological input long before the stack does.
    let mut bomb = [0x03, 0x00].repeat(100_000);
    bomb.extend([0x00, 0x00]);
    assert_eq!(
        codec::decode(&bomb).unwrap_err().kind,
        K::TooDeep(Limits::default().max_depth)
    );
}

#[test]
fn size_and_count_limits() {
    let v = DataValue::bytes(vec![7; 100]);
    let bytes = codec::encode(&v);
    let small = Limits {
        max_size: 50,
        ..Limits::default()
    };
    let e = codec::decode_with(&bytes, &small).unwrap_err();
    assert_eq!(
        e.kind,
        K::TooLarge {
            size: bytes.len(),
            max: 50
        }
    );
    let list = DataValue::tuple((0..10u8).map(DataValue::nat));
    let few = Limits {
        max_values: 10,
        ..Limits::default()
    };
    assert_eq!(
        codec::decode_with(&codec::encode(&list), &few)
            .unwrap_err()
            .kind,
        K::TooManyValues(10)
    );
    let enough = Limits {
        max_values: 11,
        ..Limits::default()
    };
    assert!(codec::decode_with(&codec::encode(&list), &enough).is_ok());
}

#[test]
fn multidecode_checks_the_type() {
    let pair = DataValue::tuple([DataValue::nat(1u8), DataValue::string("x")]);
    let bytes = multiencode(&pair);
    let ty = DataType::Product(vec![DataType::Nat, DataType::Bytes]);
    assert_eq!(multidecode(&bytes, &ty).unwrap(), pair);
    let wrong = DataType::Product(vec![DataType::Bytes, DataType::Nat]);
    assert_eq!(
        multidecode(&bytes, &wrong).unwrap_err().kind,
        K::TypeMismatch(wrong)
    );
}

#[test]
fn content_id_is_blake3_of_the_encoding() {
    let v = DataValue::tuple([DataValue::nat(1u8), DataValue::string("x")]);
    assert_eq!(
        v.content_id().0,
        *blake3::hash(&codec::encode(&v)).as_bytes()
    );
}

proptest! {
    #[test]
    fn round_trip(v in any_value()) {
        let bytes = codec::encode(&v);
        prop_assert_eq!(codec::decode(&bytes).unwrap(), v);
    }

    #[test]
    fn encoded_len_is_the_encoding_length(v in any_value()) {
        prop_assert_eq!(codec::encoded_len(&v), codec::encode(&v).len());
    }

    #[test]
    fn equal_encodings_mean_equal_values(a in any_value(), b in any_value()) {
        prop_assert_eq!(codec::encode(&a) == codec::encode(&b), a == b);
    }

    #[test]
    fn every_strict_prefix_is_refused(v in any_value()) {
        let bytes = codec::encode(&v);
        for len in 0..bytes.len() {
            let e = codec::decode(&bytes[..len]).unwrap_err();
            prop_assert!(e.offset <= len);
        }
    }

    #[test]
    fn trailing_bytes_are_refused(v in any_value(), extra in prop::collection::vec(any::<u8>(), 1..4)) {
        let mut bytes = codec::encode(&v);
        let len = bytes.len();
        bytes.extend(extra);
        let e = codec::decode(&bytes).unwrap_err();
        prop_assert_eq!(e.offset, len);
        prop_assert_eq!(e.kind, K::Trailing);
    }

    /// Strictness: whatever decodes is canonical, so encoding it gives the
    /// very same bytes. Arbitrary bytes never panic the decoder.
    #[test]
    fn whatever_decodes_is_canonical(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(v) = codec::decode(&bytes) {
            prop_assert_eq!(codec::encode(&v), bytes);
        }
    }

    #[test]
    fn mutated_encodings_are_canonical_or_refused(v in any_value(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut bytes = codec::encode(&v);
        let i = at.index(bytes.len());
        bytes[i] = byte;
        if let Ok(w) = codec::decode(&bytes) {
            prop_assert_eq!(codec::encode(&w), bytes);
        }
    }
}
