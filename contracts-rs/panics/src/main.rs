//! A test contract for panics with the SDK's `fmt-panic` feature, which
//! formats panic messages (crates/rv32/tests/rust_interop.rs).
//!
//!   1 literal()        panics with "a literal message"
//!   2 formatted(x)     panics with "x is {x}"
//!   3 expect(x)        `Option::expect("no value")` on None if x is 0,
//!                      else returns x
//!   4 long()           panics with a 300-byte message: the first 256 bytes
//!                      are the revert's
#![no_std]
#![no_main]

/// The contract.
pub struct Panics;

avm_sdk::contract! {
    impl Panics {
        #[selector(1)]
        /// Panics with a literal.
        fn literal() {
            panic!("a literal message");
        }

        #[selector(2)]
        /// Panics with a formatted message.
        fn formatted(x: u32) {
            panic!("x is {}", x);
        }

        #[selector(3)]
        /// `expect` on `None` for 0.
        fn expect(x: u32) -> u32 {
            let v = if x == 0 { None } else { Some(x) };
            v.expect("no value")
        }

        #[selector(4)]
        /// Panics with a message past the 256-byte buffer.
        fn long() {
            panic!("{:0>300}", 7);
        }
    }
}
