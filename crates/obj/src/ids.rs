//! Typed identifiers: [`ObjectId`], [`MachineId`], [`ControllerId`], [`TxId`].
//!
//! Each is a number in its own type, so an object id can never be passed
//! where a controller id is meant. All four print with a short prefix
//! (`obj7`, `m0`, `c1`, `tx3`) and encode as naturals in values and traces.

use std::fmt;

use avm_vm::DataValue;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u64);

        impl $name {
            /// The id as a value: a natural number.
            pub fn to_value(self) -> DataValue {
                DataValue::nat(self.0)
            }

            /// The id a value stands for, if it is a natural below 2^64.
            pub fn from_value(value: &DataValue) -> Option<Self> {
                value.as_u64().map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}

id_type!(
    /// An object, unique within a space (see [`crate::Space`]).
    ObjectId,
    "obj"
);
id_type!(
    /// A machine: where objects live and where execution runs.
    MachineId,
    "m"
);
id_type!(
    /// A controller: the authority that orders an object's transactions.
    ControllerId,
    "c"
);
id_type!(
    /// A transaction, unique within a space.
    TxId,
    "tx"
);

impl MachineId {
    /// The machine a runtime runs on unless told otherwise.
    pub const LOCAL: MachineId = MachineId(0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_print_with_their_prefix_and_round_trip_as_values() {
        assert_eq!(ObjectId(7).to_string(), "obj7");
        assert_eq!(ControllerId(1).to_string(), "c1");
        assert_eq!(TxId::from_value(&TxId(3).to_value()), Some(TxId(3)));
        assert_eq!(MachineId::from_value(&DataValue::unit()), None);
    }
}
