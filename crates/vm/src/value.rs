//! Values and types: [`DataValue`], [`DataType`], [`VmId`] and [`typecheck`].
//!
//! These follow the Anoma specification of data values (`BasicValue`,
//! `DataValue`, `DataType`), plus one addition: a byte-string value,
//! [`DataValue::Bytes`], which messages, storage and source text need and
//! which the specification would otherwise spell as a tuple of naturals.

use std::fmt;

use num_bigint::BigUint;

/// The number of a virtual machine in the multiformat.
///
/// A [`DataValue::Function`] carries the number of the VM that runs its code.
/// 0x00 and 0x01 are reserved, 0x02 is Nockma, 0x03 Cairo and 0x04 RISC0 in
/// the published table; avm's own VMs live in the private-use range
/// `0x30_0000..=0x3f_ffff` (see the constants on this type and
/// docs/vm-interface.md).
///
/// ```
/// use avm_vm::VmId;
/// assert_eq!(VmId::ALU.0, 0x30_0001);
/// assert_eq!(VmId::ALU.to_string(), "0x300001");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VmId(pub u64);

impl VmId {
    /// Nockma (Nock 4K plus scry), published number 0x02.
    pub const NOCKMA: VmId = VmId(0x02);
    /// Cairo, published number 0x03.
    pub const CAIRO: VmId = VmId(0x03);
    /// RISC Zero, published number 0x04.
    pub const RISC0: VmId = VmId(0x04);
    /// The first number of avm's private range (inclusive).
    pub const PRIVATE_FIRST: VmId = VmId(0x30_0000);
    /// The last number of avm's private range (inclusive).
    pub const PRIVATE_LAST: VmId = VmId(0x3f_ffff);
    /// The Alu register VM (avm-alu).
    pub const ALU: VmId = VmId(0x30_0001);
    /// The RV32IM VM (avm-rv32).
    pub const RV32: VmId = VmId(0x30_0002);
    /// The first number set aside for tests and experiments; never shipped.
    pub const TEST_FIRST: VmId = VmId(0x3f_ff00);

    /// Whether this number is reserved by the published table (0x00, 0x01).
    pub fn is_reserved(self) -> bool {
        self.0 <= 0x01
    }
}

impl fmt::Display for VmId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#x}", self.0)
    }
}

/// The one value type that crosses every boundary in avm.
///
/// - [`Nat`](DataValue::Nat): a natural number of any size (`NatV`);
/// - [`Function`](DataValue::Function): code for the VM numbered `vm`
///   (`FunctionV`);
/// - [`Tuple`](DataValue::Tuple): a sequence of values (`TupleV`);
/// - [`Option`](DataValue::Option): alternative `index` of a coproduct,
///   holding `value` (`OptionV`);
/// - [`Bytes`](DataValue::Bytes): a byte string, **avm's addition** to the
///   specification.
///
/// Everyday shapes (bool, integer, string, list, map) are conventions on top
/// of these, see [`crate::convention`]. The derived order is structural and
/// only meant for collections; canonical map order is by encoding.
///
/// ```
/// use avm_vm::DataValue;
/// let v = DataValue::tuple([DataValue::nat(7u8), DataValue::string("hi")]);
/// assert_eq!(v.to_string(), r#"(7, "hi")"#);
/// assert_eq!("(7, \"hi\")".parse::<DataValue>().unwrap(), v);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataValue {
    /// A natural number.
    Nat(BigUint),
    /// A function: code for the VM with number `vm`.
    Function {
        /// The VM that runs `code`.
        vm: VmId,
        /// The code, opaque to everyone but that VM.
        code: Vec<u8>,
    },
    /// A tuple of values.
    Tuple(Vec<DataValue>),
    /// A value of a coproduct: alternative `index`, holding `value`.
    ///
    /// The index is a `u64` where the specification has a natural: a
    /// coproduct type lists its alternatives, so no type has more.
    Option {
        /// Which alternative, from 0.
        index: u64,
        /// The value of that alternative.
        value: Box<DataValue>,
    },
    /// A byte string (avm's addition to the specification).
    Bytes(Vec<u8>),
}

impl DataValue {
    /// The natural number `n`.
    pub fn nat(n: impl Into<BigUint>) -> DataValue {
        DataValue::Nat(n.into())
    }

    /// The empty tuple, the one value of the unit type.
    pub fn unit() -> DataValue {
        DataValue::Tuple(Vec::new())
    }

    /// A tuple of the given values.
    pub fn tuple(items: impl IntoIterator<Item = DataValue>) -> DataValue {
        DataValue::Tuple(items.into_iter().collect())
    }

    /// Alternative `index` of a coproduct, holding `value`.
    pub fn option(index: u64, value: DataValue) -> DataValue {
        DataValue::Option {
            index,
            value: Box::new(value),
        }
    }

    /// A function of VM `vm` with the given code.
    pub fn function(vm: VmId, code: impl Into<Vec<u8>>) -> DataValue {
        DataValue::Function {
            vm,
            code: code.into(),
        }
    }

    /// A byte string.
    pub fn bytes(bytes: impl Into<Vec<u8>>) -> DataValue {
        DataValue::Bytes(bytes.into())
    }

    /// A UTF-8 string, stored as a byte string (see [`crate::convention`]).
    pub fn string(s: &str) -> DataValue {
        DataValue::Bytes(s.as_bytes().to_vec())
    }

    /// The natural number, if this is one and it fits in a `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            DataValue::Nat(n) => u64::try_from(n).ok(),
            _ => None,
        }
    }

    /// The VM number, if this is a function.
    pub fn function_vm(&self) -> Option<VmId> {
        match self {
            DataValue::Function { vm, .. } => Some(*vm),
            _ => None,
        }
    }

    /// How deeply tuples and options nest in this value (a leaf has depth 1).
    pub fn depth(&self) -> usize {
        match self {
            DataValue::Tuple(items) => 1 + items.iter().map(DataValue::depth).max().unwrap_or(0),
            DataValue::Option { value, .. } => 1 + value.depth(),
            _ => 1,
        }
    }
}

/// The type of a [`DataValue`], after the specification's `DataType`.
///
/// `FinSet`, `Nat`, `Function`, `Product` and `Coproduct` are the
/// specification's; `Bytes`, `List` and `Any` are avm's additions: the type
/// of byte strings, of tuples of any length with elements of one type, and
/// of every value.
///
/// ```
/// use avm_vm::{typecheck, DataType, DataValue};
/// let pair = DataType::Product(vec![DataType::Nat, DataType::Bytes]);
/// assert!(typecheck(&DataValue::tuple([DataValue::nat(1u8), DataValue::bytes(*b"x")]), &pair));
/// assert!(!typecheck(&DataValue::nat(1u8), &pair));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataType {
    /// The naturals below `n` (`FinSetT n`); `FinSet(2)` is the bool type.
    FinSet(BigUint),
    /// Every natural number (`NatT`).
    Nat,
    /// Functions from one type to another (`FunctionT`). Code is opaque, so
    /// every function value checks against every function type.
    Function(Box<DataType>, Box<DataType>),
    /// Tuples with exactly these element types (`ProductT`).
    Product(Vec<DataType>),
    /// Options whose index names one of these alternatives (`CoproductT`).
    Coproduct(Vec<DataType>),
    /// Byte strings (avm's addition).
    Bytes,
    /// Tuples of any length whose elements all have this type (avm's
    /// addition; the specification's products have a fixed length).
    List(Box<DataType>),
    /// Every value (avm's addition, for untyped decoding).
    Any,
}

impl DataType {
    /// The unit type: the empty product.
    pub fn unit() -> DataType {
        DataType::Product(Vec::new())
    }

    /// The function type `from -> to`.
    pub fn function(from: DataType, to: DataType) -> DataType {
        DataType::Function(Box::new(from), Box::new(to))
    }

    /// The list type with elements of type `t`.
    pub fn list(t: DataType) -> DataType {
        DataType::List(Box::new(t))
    }
}

/// Whether `value` has type `ty` (the specification's `typecheck`).
///
/// Maps (see [`crate::convention`]) check as lists of pairs; the order of
/// their keys is checked by [`crate::convention::map_entries`], not here.
pub fn typecheck(value: &DataValue, ty: &DataType) -> bool {
    match (value, ty) {
        (_, DataType::Any) => true,
        (DataValue::Nat(_), DataType::Nat) => true,
        (DataValue::Nat(n), DataType::FinSet(size)) => n < size,
        (DataValue::Function { .. }, DataType::Function(..)) => true,
        (DataValue::Bytes(_), DataType::Bytes) => true,
        (DataValue::Tuple(items), DataType::Product(types)) => {
            items.len() == types.len() && items.iter().zip(types).all(|(v, t)| typecheck(v, t))
        }
        (DataValue::Tuple(items), DataType::List(t)) => items.iter().all(|v| typecheck(v, t)),
        (DataValue::Option { index, value }, DataType::Coproduct(types)) => usize::try_from(*index)
            .ok()
            .and_then(|i| types.get(i))
            .is_some_and(|t| typecheck(value, t)),
        _ => false,
    }
}
