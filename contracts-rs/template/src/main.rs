//! {{name}}: a total anyone can add to.
//!   1 add(amount: u256) -> the new total (u256)
//!   2 total()           -> the total (u256)
#![no_std]
#![no_main]

use avm_sdk::{OrRevert, Value, U256};

const TOTAL: Value<U256> = Value::new(b"total");

/// The contract.
pub struct Contract;

avm_sdk::contract! {
    impl Contract {
        #[selector(1)]
        /// Adds `amount` to the total; returns the new total.
        fn add(amount: U256) -> U256 {
            let total = TOTAL.get().checked_add(amount).or_revert("overflow");
            TOTAL.set(&total);
            total
        }

        #[selector(2)]
        /// The total.
        fn total() -> U256 {
            TOTAL.get()
        }
    }
}
