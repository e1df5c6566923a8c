//! Receipts: how a transaction ended, the gas it used, what it returned
//! and the events it emitted, with a canonical encoding.

use super::abi::{MAX_DATA, MAX_EVENT_DATA, MAX_TOPICS};
use super::codec::{DecodeError, Reader, Writer};
use super::state::Address;
use crate::gas::Gas;

/// Most events one receipt may hold.
pub const MAX_EVENTS: usize = 1 << 16;
/// Longest fault description in a receipt, in bytes.
pub const MAX_CAUSE: usize = 256;

/// An event emitted by a contract.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Event {
    /// The contract that emitted it.
    pub address: Address,
    /// Up to [`MAX_TOPICS`] 32-byte topics.
    pub topics: Vec<[u8; 32]>,
    /// The data.
    pub data: Vec<u8>,
}

/// How a call frame (or transaction) ended.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Status {
    /// Returned: its effects stand.
    Success,
    /// Reverted (the `revert` syscall or a non-zero `exit`): rolled back.
    Reverted,
    /// Faulted at `pc`: rolled back.
    Faulted {
        /// The faulting instruction.
        pc: u32,
        /// The fault, as text.
        cause: String,
    },
    /// Ran out of gas: rolled back.
    OutOfGas,
}

impl Status {
    /// A fault at `pc`, its description cut to [`MAX_CAUSE`] bytes (at a
    /// character boundary) so that every receipt encodes within limits.
    pub fn faulted(pc: u32, cause: impl std::fmt::Display) -> Status {
        let mut cause = cause.to_string();
        let mut end = cause.len().min(MAX_CAUSE);
        while !cause.is_char_boundary(end) {
            end -= 1;
        }
        cause.truncate(end);
        Status::Faulted { pc, cause }
    }

    /// The number the `call` syscall answers in a0: 0 success, 1 reverted,
    /// 2 faulted, 3 out of gas.
    pub fn code(&self) -> u32 {
        match self {
            Status::Success => 0,
            Status::Reverted => 1,
            Status::Faulted { .. } => 2,
            Status::OutOfGas => 3,
        }
    }
}

/// The outcome of a transaction.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Receipt {
    /// How it ended.
    pub status: Status,
    /// Gas used.
    pub gas_used: Gas,
    /// The data returned (or reverted with); for a deploy that succeeded,
    /// the new address.
    pub return_data: Vec<u8>,
    /// Events emitted, in order (none unless it succeeded).
    pub events: Vec<Event>,
}

impl Receipt {
    /// The canonical encoding: status tag u8 (0..=3; a fault adds pc u32
    /// and the cause as a string), gas u64, return data, then the events
    /// (address, topics as a count and 32-byte items, data).
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u8(self.status.code() as u8);
        if let Status::Faulted { pc, cause } = &self.status {
            w.u32(*pc);
            w.bytes(cause.as_bytes());
        }
        w.u64(self.gas_used);
        w.bytes(&self.return_data);
        w.u32(self.events.len() as u32);
        for e in &self.events {
            w.fixed(&e.address);
            w.u32(e.topics.len() as u32);
            for t in &e.topics {
                w.fixed(t);
            }
            w.bytes(&e.data);
        }
        w.bytes
    }

    /// Reads a [`Receipt::encode`] encoding; anything else (truncated,
    /// trailing bytes, unknown status, over-limit lengths, a cause that is
    /// not UTF-8) is an error naming the field and offset.
    pub fn decode(bytes: &[u8]) -> Result<Receipt, DecodeError> {
        let mut r = Reader::new(bytes);
        let status = match r.u8("status")? {
            0 => Status::Success,
            1 => Status::Reverted,
            2 => {
                let pc = r.u32("fault pc")?;
                let raw = r.bytes("fault cause", MAX_CAUSE)?;
                let cause =
                    String::from_utf8(raw).map_err(|_| r.error("fault cause", "not UTF-8"))?;
                Status::Faulted { pc, cause }
            }
            3 => Status::OutOfGas,
            tag => {
                return Err(DecodeError {
                    what: "status",
                    offset: 0,
                    problem: format!("unknown tag {tag}"),
                })
            }
        };
        let gas_used = r.u64("gas used")?;
        let return_data = r.bytes("return data", MAX_DATA as usize)?;
        let n = r.len("event count", MAX_EVENTS)?;
        let mut events = Vec::new();
        for _ in 0..n {
            let address = r.array("event address")?;
            let k = r.len("topic count", MAX_TOPICS as usize)?;
            let mut topics = Vec::with_capacity(k);
            for _ in 0..k {
                topics.push(r.array("topic")?);
            }
            let data = r.bytes("event data", MAX_EVENT_DATA as usize)?;
            events.push(Event {
                address,
                topics,
                data,
            });
        }
        r.finish("receipt")?;
        Ok(Receipt {
            status,
            gas_used,
            return_data,
            events,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn status() -> impl Strategy<Value = Status> {
        prop_oneof![
            Just(Status::Success),
            Just(Status::Reverted),
            (any::<u32>(), "[a-z ]{0,40}").prop_map(|(pc, cause)| Status::Faulted { pc, cause }),
            Just(Status::OutOfGas),
        ]
    }

    fn event() -> impl Strategy<Value = Event> {
        (
            any::<[u8; 32]>(),
            prop::collection::vec(any::<[u8; 32]>(), 0..=4),
            prop::collection::vec(any::<u8>(), 0..64),
        )
            .prop_map(|(address, topics, data)| Event {
                address,
                topics,
                data,
            })
    }

    proptest! {
        #[test]
        fn receipts_round_trip(
            status in status(),
            gas_used in any::<u64>(),
            return_data in prop::collection::vec(any::<u8>(), 0..64),
            events in prop::collection::vec(event(), 0..4),
        ) {
            let receipt = Receipt { status, gas_used, return_data, events };
            let bytes = receipt.encode();
            prop_assert_eq!(Receipt::decode(&bytes), Ok(receipt));
            // Every strict prefix is rejected.
            for cut in 0..bytes.len() {
                prop_assert!(Receipt::decode(&bytes[..cut]).is_err());
            }
        }

        #[test]
        fn decode_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            if let Ok(r) = Receipt::decode(&bytes) {
                prop_assert_eq!(r.encode(), bytes);
            }
        }
    }

    #[test]
    fn fault_causes_are_cut_to_the_limit() {
        let Status::Faulted { cause, .. } = Status::faulted(0, "é".repeat(200)) else {
            panic!("not a fault")
        };
        assert_eq!(cause.len(), MAX_CAUSE);
    }

    #[test]
    fn bad_fields_are_named() {
        let e = Receipt::decode(&[9]).unwrap_err();
        assert_eq!((e.what, e.offset), ("status", 0));
        let mut bytes = Receipt {
            status: Status::Success,
            gas_used: 1,
            return_data: vec![],
            events: vec![],
        }
        .encode();
        bytes.push(0);
        assert_eq!(Receipt::decode(&bytes).unwrap_err().what, "receipt");
    }
}
