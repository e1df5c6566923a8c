//! A node's reading of a connection (`avm_node::frame::read`, then
//! `avm_node::wire::Message::from_value`) on any bytes: never panics, never
//! allocates past the frame cap, and a message it accepts round-trips.
#![no_main]

use avm_node::frame;
use avm_node::wire::Message;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let mut input = bytes;
    // Several frames in a row, as a connection carries them.
    for _ in 0..4 {
        let Ok(value) = frame::read(&mut input) else {
            return;
        };
        if let Ok(message) = Message::from_value(&value) {
            assert_eq!(Message::from_value(&message.to_value()), Ok(message));
        }
    }
});
