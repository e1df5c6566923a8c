//! A connection to another party, and the conversation of a call across
//! machines over it.
//!
//! A call shipped to another machine is a conversation on one connection:
//! `Call` goes out, and until its `Return` comes back the other side may
//! send `Call`s back (its own calls of objects elsewhere), each served here
//! on the waiting runtime and answered with a `Return`. Both sides run the
//! same loop ([`converse`]); only one of them records the trace: the driver
//! keeps every event, a node sends its events with each message it sends.

use std::cell::{Cell, RefCell};
use std::io;
use std::net::TcpStream;
use std::rc::Rc;
use std::time::Duration;

use avm_obj::remote::RemoteCall;
use avm_obj::{AvmError, MachineError, MachineId, Runtime, Trace};
use avm_vm::DataValue;
use thiserror::Error;

use crate::frame::{self, FrameError};
use crate::wire::{CallResult, Message};

/// How long a party waits for the next message of a conversation (or an
/// answer) before it gives up on the peer.
pub const PEER_TIMEOUT: Duration = Duration::from_secs(30);

/// The most gas a party runs one request (or one call sent back) with: a peer that asks
/// for more gets this much, so no request runs unbounded.
pub const MAX_GAS: u64 = 1_000_000_000;

/// How long connecting to a peer may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a connection failed.
#[derive(Debug, Error)]
pub enum LinkError {
    /// A frame could not be read.
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// A frame was read but is not a message of this protocol.
    #[error("not a message: {0}")]
    Message(String),
    /// Writing failed.
    #[error("sending: {0}")]
    Send(io::Error),
    /// The peer refused what was sent.
    #[error("refused: {0}")]
    Refused(String),
    /// A message that does not belong here.
    #[error("unexpected message `{0}`")]
    Unexpected(&'static str),
    /// Connecting failed.
    #[error("connecting to {addr}: {source}")]
    Connect {
        /// The address.
        addr: String,
        /// What the system said.
        source: io::Error,
    },
}

/// A connection carrying messages.
#[derive(Debug)]
pub struct Conn {
    stream: TcpStream,
}

impl Conn {
    /// A connection over `stream`, waiting at most [`PEER_TIMEOUT`] for a message.
    pub fn new(stream: TcpStream) -> io::Result<Conn> {
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(PEER_TIMEOUT))?;
        Ok(Conn { stream })
    }

    /// Connects to `addr` (a `host:port`).
    pub fn connect(addr: &str) -> Result<Conn, LinkError> {
        let fail = |source| LinkError::Connect {
            addr: addr.to_string(),
            source,
        };
        let mut last = io::Error::new(io::ErrorKind::NotFound, "the address resolves to nothing");
        for a in std::net::ToSocketAddrs::to_socket_addrs(addr).map_err(fail)? {
            match TcpStream::connect_timeout(&a, CONNECT_TIMEOUT) {
                Ok(stream) => return Conn::new(stream).map_err(fail),
                Err(e) => last = e,
            }
        }
        Err(fail(last))
    }

    /// The stream (to poll it, or to ask whom it reaches).
    pub fn stream(&self) -> &TcpStream {
        &self.stream
    }

    /// Sends one message.
    pub fn send(&mut self, message: &Message) -> Result<(), LinkError> {
        frame::write(&mut self.stream, &message.to_value()).map_err(LinkError::Send)
    }

    /// Receives one message.
    pub fn recv(&mut self) -> Result<Message, LinkError> {
        let value = frame::read(&mut self.stream)?;
        Message::from_value(&value).map_err(LinkError::Message)
    }

    /// Sends `request` and receives its answer: `Done`'s value, or the
    /// refusal or failure as an error.
    pub fn ask(&mut self, request: &Message) -> Result<Result<DataValue, AvmError>, LinkError> {
        self.send(request)?;
        match self.recv()? {
            Message::Done(v) => Ok(Ok(v)),
            Message::Failed { layer, message } => Ok(Err(AvmError::remote(&layer, message))),
            Message::Refused(reason) => Err(LinkError::Refused(reason)),
            other => Err(LinkError::Unexpected(other.name())),
        }
    }
}

/// The error a broken link to `machine` gives the runtime.
pub fn link_error(machine: MachineId, e: &LinkError) -> AvmError {
    MachineError::Link {
        machine,
        reason: e.to_string(),
    }
    .into()
}

/// A call's outcome on the wire.
fn on_wire(result: Result<Option<DataValue>, AvmError>) -> CallResult {
    result.map_err(|e| (e.layer().to_string(), e.to_string()))
}

/// What a party does with the events it records.
#[derive(Clone, Debug)]
pub enum Outbox {
    /// Keeps them: the driver's trace is the whole run's.
    Keep,
    /// Sends them along with each message it sends: a node's, from this
    /// position of its trace on. The trace is not cut while a request runs,
    /// so positions the runtime remembers stay true.
    Send(Rc<Cell<usize>>),
}

impl Outbox {
    /// The events to send with the next message.
    fn take(&self, rt: &Runtime) -> Trace {
        let mut out = Trace::default();
        if let Outbox::Send(sent) = self {
            let entries = rt.trace().entries();
            for e in entries.get(sent.get()..).unwrap_or_default() {
                out.push(e.controller, e.event.clone());
            }
            sent.set(entries.len());
        }
        out
    }

    /// After a request: drops what was sent, to count from 0 again.
    pub fn reset(&self, rt: &mut Runtime) {
        if let Outbox::Send(sent) = self {
            rt.take_trace();
            sent.set(0);
        }
    }
}

/// Ships `call` to `machine` over `conn` and serves the calls it makes
/// back, until its `Return`; `outbox` says what becomes of the events.
pub fn converse(
    conn: &RefCell<Conn>,
    rt: &mut Runtime,
    machine: MachineId,
    call: RemoteCall,
    outbox: &Outbox,
) -> Result<Option<DataValue>, AvmError> {
    let broken = |e: LinkError| link_error(machine, &e);
    let events = outbox.take(rt);
    conn.borrow_mut()
        .send(&Message::Call { call, events })
        .map_err(broken)?;
    loop {
        let message = conn.borrow_mut().recv().map_err(broken)?;
        match message {
            Message::Return {
                result,
                gas,
                events,
            } => {
                rt.append_events(events);
                rt.set_gas(gas);
                return result.map_err(|(layer, message)| AvmError::remote(&layer, message));
            }
            Message::Call { call, events } => {
                rt.append_events(events);
                answer(conn, rt, &call, outbox).map_err(broken)?;
            }
            Message::Refused(reason) => return Err(broken(LinkError::Refused(reason))),
            other => return Err(broken(LinkError::Unexpected(other.name()))),
        }
    }
}

/// Serves `call` on `rt` and sends its `Return` over `conn`.
pub fn answer(
    conn: &RefCell<Conn>,
    rt: &mut Runtime,
    call: &RemoteCall,
    outbox: &Outbox,
) -> Result<(), LinkError> {
    rt.set_gas(call.gas.min(MAX_GAS));
    let result = on_wire(rt.serve_call(call));
    let events = outbox.take(rt);
    let gas = rt.gas_left();
    conn.borrow_mut().send(&Message::Return {
        result,
        gas,
        events,
    })
}

/// The `Return` of an instruction run here at a client's request (create,
/// destroy), with the events it recorded.
pub fn returned(
    rt: &Runtime,
    outbox: &Outbox,
    result: Result<Option<DataValue>, AvmError>,
) -> Message {
    Message::Return {
        result: on_wire(result),
        gas: rt.gas_left(),
        events: outbox.take(rt),
    }
}
