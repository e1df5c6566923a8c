//! Everyday shapes as conventions on top of [`DataValue`].
//!
//! The core values are naturals, functions, tuples, options and byte
//! strings. Everything else is spelled with them, one way only:
//!
//! | Rust type | value | type |
//! |---|---|---|
//! | `()` | `()` | `Product([])` |
//! | `bool` | `0` (false), `1` (true) | `FinSet(2)` |
//! | `u8`..`u128`, `BigUint` | the natural | `Nat` |
//! | `i8`..`i128`, `BigInt` | `#0:n` for n >= 0, `#1:m` for -(m+1) | `Coproduct([Nat, Nat])` |
//! | `String` | its UTF-8 bytes | `Bytes` |
//! | `Option<T>` | `#0:()` (None), `#1:t` (Some) | `Coproduct([(), T])` |
//! | `(A, B)`, `(A, B, C)` | a tuple | `Product([A, B, ..])` |
//! | `Vec<T>` (a list) | a tuple of any length | `List(T)` |
//! | `BTreeMap<K, V>` (a map) | a tuple of `(key, value)` pairs, keys in strictly ascending order of their canonical encodings | `List(Product([K, V]))` |
//! | `DataValue` | itself | `Any` |
//!
//! Every spelling is a bijection onto the values it accepts, so the
//! conventions keep the equality law: equal encodings mean equal values.
//!
//! ```
//! use std::collections::BTreeMap;
//! use avm_vm::{typecheck, Convention, DataValue};
//! let m: BTreeMap<String, i64> = [("b".into(), -2), ("a".into(), 1)].into();
//! let v = m.to_value();
//! assert_eq!(v.to_string(), r#"(("a", #0:1), ("b", #1:1))"#);
//! assert!(typecheck(&v, &<BTreeMap<String, i64>>::data_type()));
//! assert_eq!(BTreeMap::<String, i64>::from_value(&v), Some(m));
//! ```

use std::collections::BTreeMap;

use num_bigint::{BigInt, BigUint, Sign};

use crate::codec::encode;
use crate::value::{DataType, DataValue};

/// A Rust type with one spelling as a [`DataValue`].
///
/// Laws: `from_value(&x.to_value()) == Some(x)`, and `to_value` of
/// anything `from_value` accepts gives back the same value;
/// `typecheck(&x.to_value(), &data_type())` holds.
pub trait Convention: Sized {
    /// The type of every value this spelling produces.
    fn data_type() -> DataType;
    /// This value, spelled as a [`DataValue`].
    fn to_value(&self) -> DataValue;
    /// The value spelled by `value`, if it is a spelling of one.
    fn from_value(value: &DataValue) -> Option<Self>;
}

impl Convention for DataValue {
    fn data_type() -> DataType {
        DataType::Any
    }
    fn to_value(&self) -> DataValue {
        self.clone()
    }
    fn from_value(value: &DataValue) -> Option<Self> {
        Some(value.clone())
    }
}

impl Convention for () {
    fn data_type() -> DataType {
        DataType::unit()
    }
    fn to_value(&self) -> DataValue {
        DataValue::unit()
    }
    fn from_value(value: &DataValue) -> Option<Self> {
        matches!(value, DataValue::Tuple(items) if items.is_empty()).then_some(())
    }
}

impl Convention for bool {
    fn data_type() -> DataType {
        DataType::FinSet(BigUint::from(2u8))
    }
    fn to_value(&self) -> DataValue {
        DataValue::nat(u8::from(*self))
    }
    fn from_value(value: &DataValue) -> Option<Self> {
        match value.as_u64()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

impl Convention for BigUint {
    fn data_type() -> DataType {
        DataType::Nat
    }
    fn to_value(&self) -> DataValue {
        DataValue::Nat(self.clone())
    }
    fn from_value(value: &DataValue) -> Option<Self> {
        match value {
            DataValue::Nat(n) => Some(n.clone()),
            _ => None,
        }
    }
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Convention for $t {
            fn data_type() -> DataType {
                DataType::Nat
            }
            fn to_value(&self) -> DataValue {
                DataValue::nat(*self)
            }
            fn from_value(value: &DataValue) -> Option<Self> {
                match value {
                    DataValue::Nat(n) => <$t>::try_from(n).ok(),
                    _ => None,
                }
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64, u128);

impl Convention for BigInt {
    fn data_type() -> DataType {
        DataType::Coproduct(vec![DataType::Nat, DataType::Nat])
    }
    fn to_value(&self) -> DataValue {
        match self.sign() {
            Sign::Minus => {
                DataValue::option(1, DataValue::Nat(self.magnitude() - BigUint::from(1u8)))
            }
            _ => DataValue::option(0, DataValue::Nat(self.magnitude().clone())),
        }
    }
    fn from_value(value: &DataValue) -> Option<Self> {
        match value {
            DataValue::Option { index: 0, value } => match &**value {
                DataValue::Nat(n) => Some(BigInt::from(n.clone())),
                _ => None,
            },
            DataValue::Option { index: 1, value } => match &**value {
                DataValue::Nat(m) => Some(-BigInt::from(m + BigUint::from(1u8))),
                _ => None,
            },
            _ => None,
        }
    }
}

macro_rules! signed {
    ($($t:ty),*) => {$(
        impl Convention for $t {
            fn data_type() -> DataType {
                BigInt::data_type()
            }
            fn to_value(&self) -> DataValue {
                BigInt::from(*self).to_value()
            }
            fn from_value(value: &DataValue) -> Option<Self> {
                <$t>::try_from(BigInt::from_value(value)?).ok()
            }
        }
    )*};
}
signed!(i8, i16, i32, i64, i128);

impl Convention for String {
    fn data_type() -> DataType {
        DataType::Bytes
    }
    fn to_value(&self) -> DataValue {
        DataValue::string(self)
    }
    fn from_value(value: &DataValue) -> Option<Self> {
        match value {
            DataValue::Bytes(b) => String::from_utf8(b.clone()).ok(),
            _ => None,
        }
    }
}

impl<T: Convention> Convention for Option<T> {
    fn data_type() -> DataType {
        DataType::Coproduct(vec![DataType::unit(), T::data_type()])
    }
    fn to_value(&self) -> DataValue {
        match self {
            None => DataValue::option(0, DataValue::unit()),
            Some(t) => DataValue::option(1, t.to_value()),
        }
    }
    fn from_value(value: &DataValue) -> Option<Self> {
        match value {
            DataValue::Option { index: 0, value } => <()>::from_value(value).map(|()| None),
            DataValue::Option { index: 1, value } => T::from_value(value).map(Some),
            _ => None,
        }
    }
}

impl<T: Convention> Convention for Vec<T> {
    fn data_type() -> DataType {
        DataType::list(T::data_type())
    }
    fn to_value(&self) -> DataValue {
        DataValue::Tuple(self.iter().map(T::to_value).collect())
    }
    fn from_value(value: &DataValue) -> Option<Self> {
        match value {
            DataValue::Tuple(items) => items.iter().map(T::from_value).collect(),
            _ => None,
        }
    }
}

impl<A: Convention, B: Convention> Convention for (A, B) {
    fn data_type() -> DataType {
        DataType::Product(vec![A::data_type(), B::data_type()])
    }
    fn to_value(&self) -> DataValue {
        DataValue::tuple([self.0.to_value(), self.1.to_value()])
    }
    fn from_value(value: &DataValue) -> Option<Self> {
        match value {
            DataValue::Tuple(items) => match items.as_slice() {
                [a, b] => Some((A::from_value(a)?, B::from_value(b)?)),
                _ => None,
            },
            _ => None,
        }
    }
}

impl<A: Convention, B: Convention, C: Convention> Convention for (A, B, C) {
    fn data_type() -> DataType {
        DataType::Product(vec![A::data_type(), B::data_type(), C::data_type()])
    }
    fn to_value(&self) -> DataValue {
        DataValue::tuple([self.0.to_value(), self.1.to_value(), self.2.to_value()])
    }
    fn from_value(value: &DataValue) -> Option<Self> {
        match value {
            DataValue::Tuple(items) => match items.as_slice() {
                [a, b, c] => Some((A::from_value(a)?, B::from_value(b)?, C::from_value(c)?)),
                _ => None,
            },
            _ => None,
        }
    }
}

impl<K: Convention + Ord, V: Convention> Convention for BTreeMap<K, V> {
    fn data_type() -> DataType {
        DataType::list(DataType::Product(vec![K::data_type(), V::data_type()]))
    }
    fn to_value(&self) -> DataValue {
        map(self.iter().map(|(k, v)| (k.to_value(), v.to_value())))
    }
    fn from_value(value: &DataValue) -> Option<Self> {
        let entries = map_entries(value)?;
        let mut out = BTreeMap::new();
        for (k, v) in entries {
            if out.insert(K::from_value(k)?, V::from_value(v)?).is_some() {
                return None;
            }
        }
        Some(out)
    }
}

/// A map value from `(key, value)` entries: the pairs sorted by the canonical
/// encoding of their keys; of entries with equal keys, the last one stays.
///
/// ```
/// use avm_vm::{convention, DataValue};
/// let m = convention::map([
///     (DataValue::nat(2u8), DataValue::string("two")),
///     (DataValue::nat(1u8), DataValue::string("one")),
///     (DataValue::nat(2u8), DataValue::string("deux")),
/// ]);
/// assert_eq!(m.to_string(), r#"((1, "one"), (2, "deux"))"#);
/// assert_eq!(convention::map_entries(&m).unwrap().len(), 2);
/// ```
pub fn map(entries: impl IntoIterator<Item = (DataValue, DataValue)>) -> DataValue {
    let mut keyed: BTreeMap<Vec<u8>, (DataValue, DataValue)> = BTreeMap::new();
    for (k, v) in entries {
        keyed.insert(encode(&k), (k, v));
    }
    DataValue::Tuple(
        keyed
            .into_values()
            .map(|(k, v)| DataValue::tuple([k, v]))
            .collect(),
    )
}

/// The entries of a map value, if `value` is one: a tuple of pairs whose keys
/// are in strictly ascending order of their canonical encodings.
pub fn map_entries(value: &DataValue) -> Option<Vec<(&DataValue, &DataValue)>> {
    let DataValue::Tuple(items) = value else {
        return None;
    };
    let mut entries = Vec::with_capacity(items.len());
    let mut previous: Option<Vec<u8>> = None;
    for item in items {
        let DataValue::Tuple(pair) = item else {
            return None;
        };
        let [k, v] = pair.as_slice() else {
            return None;
        };
        let key = encode(k);
        if previous.as_ref().is_some_and(|p| *p >= key) {
            return None;
        }
        previous = Some(key);
        entries.push((k, v));
    }
    Some(entries)
}
