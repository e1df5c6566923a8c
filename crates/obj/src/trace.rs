//! The message sequence chart: every event of a runtime, in order, with a
//! canonical encoding and a hash so that two runs compare by hash.
//!
//! A [`Trace`] is a list of [`Entry`]s: a sequence number, the controller
//! of the open transaction (if any) and an [`Event`]. It encodes as a
//! [`DataValue`] (a tuple of entries, each a tuple `(seq, controller, tag,
//! fields...)`, see [`Event::tag`]) in avm-vm's canonical binary encoding;
//! [`Trace::decode`] is strict: it rejects every byte string that
//! [`Trace::encode`] would not produce, naming the byte offset or the entry
//! and field at fault.
//!
//! ```
//! use avm_obj::trace::{Entry, Event, Trace};
//! use avm_obj::ObjectId;
//! use avm_vm::DataValue;
//! let mut trace = Trace::default();
//! trace.push(None, Event::MessageReceived { object: ObjectId(1), input: DataValue::nat(5u8) });
//! let bytes = trace.encode();
//! assert_eq!(Trace::decode(&bytes).unwrap(), trace);
//! assert_eq!(Trace::decode(&bytes).unwrap().hash(), trace.hash());
//! assert!(Trace::decode(&bytes[..bytes.len() - 1]).is_err());
//! ```

use std::fmt;

use avm_vm::{codec, ContentId, DataValue, DecodeError};
use thiserror::Error;

use crate::ids::{ControllerId, MachineId, ObjectId, TxId};
use crate::shape::{option, Fields};

/// Something that happened in the runtime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// An object was created (at commit, inside a transaction: the event
    /// records the `createObj` instruction).
    ObjectCreated {
        /// The new object.
        object: ObjectId,
        /// The content id of its behaviour.
        behaviour: ContentId,
        /// Its controller.
        controller: Option<ControllerId>,
    },
    /// An object was destroyed (or its destruction staged).
    ObjectDestroyed {
        /// The object.
        object: ObjectId,
    },
    /// A message was sent: `sender` called `callee` with `input`.
    ObjectCalled {
        /// The caller, `None` at the top level.
        sender: Option<ObjectId>,
        /// The object called.
        callee: ObjectId,
        /// The message.
        input: DataValue,
    },
    /// The call returned `output` (`None`: no output) to `sender`.
    ObjectReturned {
        /// The object that was called.
        callee: ObjectId,
        /// Its caller, `None` at the top level.
        sender: Option<ObjectId>,
        /// Its output.
        output: Option<DataValue>,
    },
    /// An object took a message with `receive`.
    MessageReceived {
        /// The object.
        object: ObjectId,
        /// The message.
        input: DataValue,
    },
    /// An object moved to another machine.
    ObjectMoved {
        /// The object.
        object: ObjectId,
        /// Its new machine.
        to: MachineId,
    },
    /// Execution moved to another machine.
    ExecutionMoved {
        /// Where it ran.
        from: MachineId,
        /// Where it runs now.
        to: MachineId,
    },
    /// An object was fetched to a machine.
    ObjectFetched {
        /// The object.
        object: ObjectId,
        /// The machine.
        machine: MachineId,
    },
    /// An object was handed to another controller.
    ObjectTransferred {
        /// The object.
        object: ObjectId,
        /// Its new controller.
        to: ControllerId,
    },
    /// An object's replicas were synced.
    ObjectFrozen {
        /// The object.
        object: ObjectId,
    },
    /// A pure function was registered.
    FunctionRegistered {
        /// Its name.
        name: String,
        /// Its version (0).
        version: u64,
        /// The content id of its code.
        hash: ContentId,
    },
    /// A pure function was updated.
    FunctionUpdated {
        /// Its name.
        name: String,
        /// Its new version.
        version: u64,
        /// The content id of its new code.
        hash: ContentId,
    },
    /// A transaction began.
    TxStarted {
        /// The transaction.
        tx: TxId,
        /// The controller it was bound to at begin, if any.
        controller: Option<ControllerId>,
    },
    /// A transaction committed.
    TxCommitted {
        /// The transaction.
        tx: TxId,
    },
    /// A transaction aborted (asked for, a conflict, or out of gas).
    TxAborted {
        /// The transaction.
        tx: TxId,
    },
    /// An instruction failed.
    Error {
        /// The error's layer ([`crate::AvmError::layer`]).
        layer: String,
        /// The error's message.
        message: String,
    },
}

/// One line of the chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Position in the trace, from 0: the specification's timestamp.
    pub seq: u64,
    /// The controller of the open transaction, if any.
    pub controller: Option<ControllerId>,
    /// What happened.
    pub event: Event,
}

/// A message sequence chart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trace {
    entries: Vec<Entry>,
}

/// Why bytes are not a trace.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum TraceError {
    /// The bytes are not a canonical value.
    #[error("trace: {0}")]
    Codec(#[from] DecodeError),
    /// The value is not a tuple of entries.
    #[error("trace: the value is not a tuple of entries")]
    NotATrace,
    /// An entry is malformed.
    #[error("trace entry {index}: {reason}")]
    Entry {
        /// The entry's position.
        index: usize,
        /// What is wrong.
        reason: String,
    },
}

impl Event {
    /// The number that stands for this kind of event in the encoding.
    pub fn tag(&self) -> u64 {
        match self {
            Event::ObjectCreated { .. } => 0,
            Event::ObjectDestroyed { .. } => 1,
            Event::ObjectCalled { .. } => 2,
            Event::ObjectReturned { .. } => 3,
            Event::MessageReceived { .. } => 4,
            Event::ObjectMoved { .. } => 5,
            Event::ExecutionMoved { .. } => 6,
            Event::ObjectFetched { .. } => 7,
            Event::ObjectTransferred { .. } => 8,
            Event::ObjectFrozen { .. } => 9,
            Event::FunctionRegistered { .. } => 10,
            Event::FunctionUpdated { .. } => 11,
            Event::TxStarted { .. } => 12,
            Event::TxCommitted { .. } => 13,
            Event::TxAborted { .. } => 14,
            Event::Error { .. } => 15,
        }
    }

    /// The event's name, as in the specification's event types.
    pub fn name(&self) -> &'static str {
        match self {
            Event::ObjectCreated { .. } => "ObjectCreated",
            Event::ObjectDestroyed { .. } => "ObjectDestroyed",
            Event::ObjectCalled { .. } => "ObjectCalled",
            Event::ObjectReturned { .. } => "ObjectReturned",
            Event::MessageReceived { .. } => "MessageReceived",
            Event::ObjectMoved { .. } => "ObjectMoved",
            Event::ExecutionMoved { .. } => "ExecutionMoved",
            Event::ObjectFetched { .. } => "ObjectFetched",
            Event::ObjectTransferred { .. } => "ObjectTransferred",
            Event::ObjectFrozen { .. } => "ObjectFrozen",
            Event::FunctionRegistered { .. } => "FunctionRegistered",
            Event::FunctionUpdated { .. } => "FunctionUpdated",
            Event::TxStarted { .. } => "TransactionStarted",
            Event::TxCommitted { .. } => "TransactionCommitted",
            Event::TxAborted { .. } => "TransactionAborted",
            Event::Error { .. } => "ErrorOccurred",
        }
    }

    /// The names of the event's fields, in the order of [`Event::fields`].
    fn field_names(&self) -> &'static [&'static str] {
        match self {
            Event::ObjectCreated { .. } => &["object", "behaviour", "controller"],
            Event::ObjectDestroyed { .. } | Event::ObjectFrozen { .. } => &["object"],
            Event::ObjectCalled { .. } => &["sender", "callee", "input"],
            Event::ObjectReturned { .. } => &["callee", "sender", "output"],
            Event::MessageReceived { .. } => &["object", "input"],
            Event::ObjectMoved { .. } | Event::ObjectTransferred { .. } => &["object", "to"],
            Event::ExecutionMoved { .. } => &["from", "to"],
            Event::ObjectFetched { .. } => &["object", "machine"],
            Event::FunctionRegistered { .. } | Event::FunctionUpdated { .. } => {
                &["name", "version", "hash"]
            }
            Event::TxStarted { .. } => &["tx", "controller"],
            Event::TxCommitted { .. } | Event::TxAborted { .. } => &["tx"],
            Event::Error { .. } => &["layer", "message"],
        }
    }

    /// The event's fields as values, after the tag.
    fn fields(&self) -> Vec<DataValue> {
        let obj = |o: &ObjectId| o.to_value();
        let opt_obj = |o: &Option<ObjectId>| option(o.map(ObjectId::to_value));
        let hash = |h: &ContentId| DataValue::bytes(h.0.to_vec());
        match self {
            Event::ObjectCreated {
                object,
                behaviour,
                controller,
            } => vec![
                obj(object),
                hash(behaviour),
                option(controller.map(ControllerId::to_value)),
            ],
            Event::ObjectDestroyed { object } | Event::ObjectFrozen { object } => {
                vec![obj(object)]
            }
            Event::ObjectCalled {
                sender,
                callee,
                input,
            } => vec![opt_obj(sender), obj(callee), input.clone()],
            Event::ObjectReturned {
                callee,
                sender,
                output,
            } => vec![obj(callee), opt_obj(sender), option(output.clone())],
            Event::MessageReceived { object, input } => vec![obj(object), input.clone()],
            Event::ObjectMoved { object, to } => vec![obj(object), to.to_value()],
            Event::ExecutionMoved { from, to } => vec![from.to_value(), to.to_value()],
            Event::ObjectFetched { object, machine } => vec![obj(object), machine.to_value()],
            Event::ObjectTransferred { object, to } => vec![obj(object), to.to_value()],
            Event::FunctionRegistered {
                name,
                version,
                hash: h,
            }
            | Event::FunctionUpdated {
                name,
                version,
                hash: h,
            } => vec![DataValue::string(name), DataValue::nat(*version), hash(h)],
            Event::TxStarted { tx, controller } => {
                vec![
                    tx.to_value(),
                    option(controller.map(ControllerId::to_value)),
                ]
            }
            Event::TxCommitted { tx } | Event::TxAborted { tx } => vec![tx.to_value()],
            Event::Error { layer, message } => {
                vec![DataValue::string(layer), DataValue::string(message)]
            }
        }
    }

    fn from_fields(tag: u64, f: &mut Fields<'_>) -> Result<Event, String> {
        let arity = match tag {
            1 | 9 | 13 | 14 => 1,
            2 | 3 | 10 | 11 | 0 => 3,
            4..=8 | 12 | 15 => 2,
            _ => return Err(format!("unknown event tag {tag}")),
        };
        f.expect(arity, "the event")?;
        let hash = |f: &mut Fields<'_>, name: &str| -> Result<ContentId, String> {
            let b = f.bytes(name)?;
            <[u8; 32]>::try_from(b)
                .map(ContentId)
                .map_err(|_| format!("field `{name}` is not 32 bytes"))
        };
        Ok(match tag {
            0 => Event::ObjectCreated {
                object: ObjectId(f.u64("object")?),
                behaviour: hash(f, "behaviour")?,
                controller: f.option_u64("controller")?.map(ControllerId),
            },
            1 => Event::ObjectDestroyed {
                object: ObjectId(f.u64("object")?),
            },
            2 => Event::ObjectCalled {
                sender: f.option_u64("sender")?.map(ObjectId),
                callee: ObjectId(f.u64("callee")?),
                input: f.value("input")?.clone(),
            },
            3 => Event::ObjectReturned {
                callee: ObjectId(f.u64("callee")?),
                sender: f.option_u64("sender")?.map(ObjectId),
                output: f.option("output")?.cloned(),
            },
            4 => Event::MessageReceived {
                object: ObjectId(f.u64("object")?),
                input: f.value("input")?.clone(),
            },
            5 => Event::ObjectMoved {
                object: ObjectId(f.u64("object")?),
                to: MachineId(f.u64("to")?),
            },
            6 => Event::ExecutionMoved {
                from: MachineId(f.u64("from")?),
                to: MachineId(f.u64("to")?),
            },
            7 => Event::ObjectFetched {
                object: ObjectId(f.u64("object")?),
                machine: MachineId(f.u64("machine")?),
            },
            8 => Event::ObjectTransferred {
                object: ObjectId(f.u64("object")?),
                to: ControllerId(f.u64("to")?),
            },
            9 => Event::ObjectFrozen {
                object: ObjectId(f.u64("object")?),
            },
            10 | 11 => {
                let name = f.text("name")?;
                let version = f.u64("version")?;
                let hash = hash(f, "hash")?;
                if tag == 10 {
                    Event::FunctionRegistered {
                        name,
                        version,
                        hash,
                    }
                } else {
                    Event::FunctionUpdated {
                        name,
                        version,
                        hash,
                    }
                }
            }
            12 => Event::TxStarted {
                tx: TxId(f.u64("tx")?),
                controller: f.option_u64("controller")?.map(ControllerId),
            },
            13 => Event::TxCommitted {
                tx: TxId(f.u64("tx")?),
            },
            14 => Event::TxAborted {
                tx: TxId(f.u64("tx")?),
            },
            _ => Event::Error {
                layer: f.text("layer")?,
                message: f.text("message")?,
            },
        })
    }
}

impl Entry {
    /// The entry as a value: `(seq, controller, tag, fields...)`.
    pub fn to_value(&self) -> DataValue {
        let mut items = vec![
            DataValue::nat(self.seq),
            option(self.controller.map(ControllerId::to_value)),
            DataValue::nat(self.event.tag()),
        ];
        items.extend(self.event.fields());
        DataValue::Tuple(items)
    }

    /// The entry a value stands for.
    pub fn from_value(value: &DataValue) -> Result<Entry, String> {
        let DataValue::Tuple(items) = value else {
            return Err("the entry is not a tuple".into());
        };
        let mut f = Fields::items(items);
        let seq = f.u64("seq")?;
        let controller = f.option_u64("controller")?.map(ControllerId);
        let tag = f.u64("tag")?;
        let event = Event::from_fields(tag, &mut f)?;
        Ok(Entry {
            seq,
            controller,
            event,
        })
    }
}

impl Trace {
    /// Appends an event; its sequence number is its position.
    pub fn push(&mut self, controller: Option<ControllerId>, event: Event) {
        let seq = self.entries.len() as u64;
        self.entries.push(Entry {
            seq,
            controller,
            event,
        });
    }

    /// The entries, in order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The trace as a value: a tuple of entries.
    pub fn to_value(&self) -> DataValue {
        DataValue::Tuple(self.entries.iter().map(Entry::to_value).collect())
    }

    /// The trace a value stands for; sequence numbers must count from 0.
    pub fn from_value(value: &DataValue) -> Result<Trace, TraceError> {
        let DataValue::Tuple(items) = value else {
            return Err(TraceError::NotATrace);
        };
        let mut entries = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let entry =
                Entry::from_value(item).map_err(|reason| TraceError::Entry { index, reason })?;
            if entry.seq != index as u64 {
                return Err(TraceError::Entry {
                    index,
                    reason: format!("sequence number {} out of order", entry.seq),
                });
            }
            entries.push(entry);
        }
        Ok(Trace { entries })
    }

    /// The canonical bytes of the trace.
    pub fn encode(&self) -> Vec<u8> {
        codec::encode(&self.to_value())
    }

    /// The trace `bytes` encode, rejecting anything non-canonical.
    pub fn decode(bytes: &[u8]) -> Result<Trace, TraceError> {
        Trace::from_value(&codec::decode(bytes)?)
    }

    /// The blake3 hash of the canonical bytes: equal traces, equal hashes.
    pub fn hash(&self) -> ContentId {
        ContentId(*blake3::hash(&self.encode()).as_bytes())
    }
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:>4} {}", self.seq, self.event.name())?;
        for (name, value) in self.event.field_names().iter().zip(self.event.fields()) {
            write!(f, " {name}={value}")?;
        }
        if let Some(c) = self.controller {
            write!(f, " [{c}]")?;
        }
        Ok(())
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.entries {
            writeln!(f, "{e}")?;
        }
        Ok(())
    }
}
