//! The wire protocol: every message is one canonical [`DataValue`] in one
//! frame ([`crate::frame`]), a tuple `(version, tag, fields...)`.
//!
//! | tag | message | fields | answered by |
//! |---|---|---|---|
//! | 0 | `Hello` | | `Done((machine, seed address))` |
//! | 1 | `Call` | object, input, sender?, depth, gas, events | `Return`, after any number of `Call`s back |
//! | 2 | `Return` | `#0:output?` or `#1:(layer, message)`, gas, events | |
//! | 3 | `Create` | behaviour, controller?, gas | `Return` (the id, and the events) |
//! | 4 | `State` | object | `Done(info)` |
//! | 5 | `List` | | `Done((info...))` |
//! | 6 | `Destroy` | object, gas | `Return` (no output, and the events) |
//! | 7 | `ReadTrace` | last? | `Done(trace)` |
//! | 8 | `AppendTrace` | trace | `Done(())` |
//! | 9 | `Register` | machine, address | `Done(())` (the seed only) |
//! | 10 | `Locate` | object | `Done((machine, address)?)` (the seed only) |
//! | 11 | `Allocate` | machine | `Done(id)` (the seed only) |
//! | 12 | `Script` | controller?, gas, (step...) | `Return` (the [`crate::script::Outcome`], and the events) |
//! | 20 | `Done` | value | |
//! | 21 | `Failed` | layer, message: the object runtime refused | |
//! | 22 | `Refused` | message: the request was not understood | |
//!
//! Options are `#0:()` / `#1:v`, ids and counters naturals, strings byte
//! strings, events a trace ([`Trace::to_value`]).

use avm_obj::remote::RemoteCall;
use avm_obj::shape::{option, Fields};
use avm_obj::{AvmError, ControllerId, MachineId, ObjectId, Trace};
use avm_vm::{ContentId, DataValue};

use crate::script::Step;

/// The protocol version this build speaks.
pub const VERSION: u64 = 1;

/// What a call gave: its output, or the error (layer, message) it failed with.
pub type CallResult = Result<Option<DataValue>, (String, String)>;

/// One message (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// Who are you: the node's machine and the seed's address.
    Hello,
    /// Run a call here; events are the sender's since its last message.
    Call {
        /// The call.
        call: RemoteCall,
        /// Events the sender recorded since its last message.
        events: Trace,
    },
    /// A call's answer.
    Return {
        /// Its output or error.
        result: CallResult,
        /// The gas the call tree has left.
        gas: u64,
        /// Events the sender recorded since its last message.
        events: Trace,
    },
    /// Create an object on this node.
    Create {
        /// Its behaviour.
        behaviour: DataValue,
        /// Its controller.
        controller: Option<ControllerId>,
        /// Gas for the instruction.
        gas: u64,
    },
    /// An object's record on this node.
    State(ObjectId),
    /// Every object on this node.
    List,
    /// Destroy an object on this node.
    Destroy {
        /// The object.
        object: ObjectId,
        /// Gas for the instruction.
        gas: u64,
    },
    /// The node's trace log (of the last `last` commands).
    ReadTrace(Option<u64>),
    /// Append one command's trace to the node's log.
    AppendTrace(Trace),
    /// A node tells the seed where it listens.
    Register {
        /// Its machine.
        machine: MachineId,
        /// Its address.
        addr: String,
    },
    /// Which machine holds an object, and where it listens.
    Locate(ObjectId),
    /// A fresh object id for an object on a machine.
    Allocate(MachineId),
    /// Run a script of steps in one transaction on this node.
    Script {
        /// The controller the transaction is bound to.
        controller: Option<ControllerId>,
        /// Gas for the whole script.
        gas: u64,
        /// The steps.
        steps: Vec<Step>,
    },
    /// Success, with the request's answer.
    Done(DataValue),
    /// The object runtime refused: an error's layer and message.
    Failed {
        /// The layer.
        layer: String,
        /// The message.
        message: String,
    },
    /// The request was not understood (garbage, an unknown version or tag,
    /// a request this node does not serve).
    Refused(String),
}

impl Message {
    /// The message's name, for errors.
    pub fn name(&self) -> &'static str {
        match self {
            Message::Hello => "Hello",
            Message::Call { .. } => "Call",
            Message::Return { .. } => "Return",
            Message::Create { .. } => "Create",
            Message::State(_) => "State",
            Message::List => "List",
            Message::Destroy { .. } => "Destroy",
            Message::ReadTrace(_) => "ReadTrace",
            Message::AppendTrace(_) => "AppendTrace",
            Message::Register { .. } => "Register",
            Message::Locate(_) => "Locate",
            Message::Allocate(_) => "Allocate",
            Message::Script { .. } => "Script",
            Message::Done(_) => "Done",
            Message::Failed { .. } => "Failed",
            Message::Refused(_) => "Refused",
        }
    }

    /// The failure an object-runtime error gives.
    pub fn failed(e: &AvmError) -> Message {
        Message::Failed {
            layer: e.layer().to_string(),
            message: e.to_string(),
        }
    }

    /// The message as a value.
    pub fn to_value(&self) -> DataValue {
        let n = DataValue::nat;
        let s = |t: &str| DataValue::string(t);
        let (tag, fields): (u64, Vec<DataValue>) = match self {
            Message::Hello => (0, vec![]),
            Message::Call { call, events } => (
                1,
                vec![
                    call.object.to_value(),
                    call.input.clone(),
                    option(call.sender.map(ObjectId::to_value)),
                    n(call.depth as u64),
                    n(call.gas),
                    events.to_value(),
                ],
            ),
            Message::Return {
                result,
                gas,
                events,
            } => {
                let r = match result {
                    Ok(output) => DataValue::option(0, option(output.clone())),
                    Err((layer, message)) => {
                        DataValue::option(1, DataValue::tuple([s(layer), s(message)]))
                    }
                };
                (2, vec![r, n(*gas), events.to_value()])
            }
            Message::Create {
                behaviour,
                controller,
                gas,
            } => (
                3,
                vec![
                    behaviour.clone(),
                    option(controller.map(ControllerId::to_value)),
                    n(*gas),
                ],
            ),
            Message::State(o) => (4, vec![o.to_value()]),
            Message::List => (5, vec![]),
            Message::Destroy { object, gas } => (6, vec![object.to_value(), n(*gas)]),
            Message::ReadTrace(last) => (7, vec![option(last.map(n))]),
            Message::AppendTrace(t) => (8, vec![t.to_value()]),
            Message::Register { machine, addr } => (9, vec![machine.to_value(), s(addr)]),
            Message::Locate(o) => (10, vec![o.to_value()]),
            Message::Allocate(m) => (11, vec![m.to_value()]),
            Message::Script {
                controller,
                gas,
                steps,
            } => (
                12,
                vec![
                    option(controller.map(ControllerId::to_value)),
                    n(*gas),
                    DataValue::Tuple(steps.iter().map(Step::to_value).collect()),
                ],
            ),
            Message::Done(v) => (20, vec![v.clone()]),
            Message::Failed { layer, message } => (21, vec![s(layer), s(message)]),
            Message::Refused(m) => (22, vec![s(m)]),
        };
        let mut items = vec![n(VERSION), n(tag)];
        items.extend(fields);
        DataValue::Tuple(items)
    }

    /// The message a value stands for, or why it stands for none (an
    /// unknown version included).
    pub fn from_value(value: &DataValue) -> Result<Message, String> {
        let (version, mut f) = Fields::tagged(value, "the message")?;
        if version != VERSION {
            return Err(format!(
                "protocol version {version} is not spoken here (this node speaks version {VERSION})"
            ));
        }
        let tag = f.u64("tag")?;
        let arity = match tag {
            0 | 5 => 0,
            4 | 7 | 8 | 10 | 11 | 20 | 22 => 1,
            6 | 9 | 21 => 2,
            2 | 3 | 12 => 3,
            1 => 6,
            _ => return Err(format!("unknown message tag {tag}")),
        };
        f.expect(arity, "the message")?;
        let obj = |f: &mut Fields<'_>| f.u64("object").map(ObjectId);
        let trace = |f: &mut Fields<'_>, name: &str| {
            Trace::from_value(f.value(name)?).map_err(|e| format!("field `{name}`: {e}"))
        };
        Ok(match tag {
            0 => Message::Hello,
            1 => Message::Call {
                call: RemoteCall {
                    object: obj(&mut f)?,
                    input: f.value("input")?.clone(),
                    sender: f.option_u64("sender")?.map(ObjectId),
                    depth: usize::try_from(f.u64("depth")?)
                        .map_err(|_| "field `depth` does not fit".to_string())?,
                    gas: f.u64("gas")?,
                },
                events: trace(&mut f, "events")?,
            },
            2 => {
                let result = match f.value("result")? {
                    DataValue::Option { index: 0, value } => {
                        Ok(Fields::items(std::slice::from_ref(value.as_ref()))
                            .option("output")?
                            .cloned())
                    }
                    DataValue::Option { index: 1, value } => {
                        let mut e = Fields::of(value, 2, "the error")?;
                        Err((e.text("layer")?, e.text("message")?))
                    }
                    _ => {
                        return Err("field `result` is not #0:output? or #1:(layer, message)".into())
                    }
                };
                Message::Return {
                    result,
                    gas: f.u64("gas")?,
                    events: trace(&mut f, "events")?,
                }
            }
            3 => Message::Create {
                behaviour: f.value("behaviour")?.clone(),
                controller: f.option_u64("controller")?.map(ControllerId),
                gas: f.u64("gas")?,
            },
            4 => Message::State(obj(&mut f)?),
            5 => Message::List,
            6 => Message::Destroy {
                object: obj(&mut f)?,
                gas: f.u64("gas")?,
            },
            7 => Message::ReadTrace(f.option_u64("last")?),
            8 => Message::AppendTrace(trace(&mut f, "trace")?),
            9 => Message::Register {
                machine: MachineId(f.u64("machine")?),
                addr: f.text("addr")?,
            },
            10 => Message::Locate(obj(&mut f)?),
            11 => Message::Allocate(MachineId(f.u64("machine")?)),
            12 => Message::Script {
                controller: f.option_u64("controller")?.map(ControllerId),
                gas: f.u64("gas")?,
                steps: f
                    .list("steps")?
                    .iter()
                    .map(Step::from_value)
                    .collect::<Result<_, _>>()?,
            },
            20 => Message::Done(f.value("answer")?.clone()),
            21 => Message::Failed {
                layer: f.text("layer")?,
                message: f.text("message")?,
            },
            _ => Message::Refused(f.text("message")?),
        })
    }
}

/// An object as `State` and `List` answer it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectInfo {
    /// The object.
    pub object: ObjectId,
    /// The content id of its behaviour.
    pub behaviour: ContentId,
    /// Its state.
    pub state: Vec<DataValue>,
    /// Its machine.
    pub machine: MachineId,
    /// Its controller.
    pub controller: Option<ControllerId>,
    /// How many inputs its history holds.
    pub inputs: u64,
}

impl ObjectInfo {
    /// The info as a value: `(object, behaviour hash, state, machine, controller?, inputs)`.
    pub fn to_value(&self) -> DataValue {
        DataValue::tuple([
            self.object.to_value(),
            DataValue::bytes(self.behaviour.0.to_vec()),
            DataValue::Tuple(self.state.clone()),
            self.machine.to_value(),
            option(self.controller.map(ControllerId::to_value)),
            DataValue::nat(self.inputs),
        ])
    }

    /// The info a value stands for.
    pub fn from_value(value: &DataValue) -> Result<ObjectInfo, String> {
        let mut f = Fields::of(value, 6, "the object info")?;
        Ok(ObjectInfo {
            object: ObjectId(f.u64("object")?),
            behaviour: <[u8; 32]>::try_from(f.bytes("behaviour")?)
                .map(ContentId)
                .map_err(|_| "field `behaviour` is not 32 bytes".to_string())?,
            state: f.list("state")?.to_vec(),
            machine: MachineId(f.u64("machine")?),
            controller: f.option_u64("controller")?.map(ControllerId),
            inputs: f.u64("inputs")?,
        })
    }
}

/// The answer to `Locate` as a value: `#0:()` or `#1:(machine, address)`.
pub fn location(found: Option<(MachineId, String)>) -> DataValue {
    option(found.map(|(m, a)| DataValue::tuple([m.to_value(), DataValue::string(&a)])))
}

/// The location an answer to `Locate` gives ([`location`]).
pub fn located(value: &DataValue) -> Result<Option<(MachineId, String)>, String> {
    let Some(pair) = Fields::items(std::slice::from_ref(value)).option("location")? else {
        return Ok(None);
    };
    let mut f = Fields::of(pair, 2, "the location")?;
    Ok(Some((MachineId(f.u64("machine")?), f.text("address")?)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use avm_obj::trace::Event;

    #[test]
    fn messages_round_trip_and_bad_ones_are_named() {
        let mut events = Trace::default();
        events.push(
            None,
            Event::ObjectDestroyed {
                object: ObjectId(3),
            },
        );
        let call = RemoteCall {
            object: ObjectId(2),
            input: DataValue::nat(5u8),
            sender: Some(ObjectId(1)),
            depth: 1,
            gas: 900,
        };
        let all = [
            Message::Hello,
            Message::Call {
                call,
                events: events.clone(),
            },
            Message::Return {
                result: Ok(Some(DataValue::unit())),
                gas: 7,
                events: events.clone(),
            },
            Message::Return {
                result: Ok(None),
                gas: 0,
                events: Trace::default(),
            },
            Message::Return {
                result: Err(("gas".into(), "out of gas".into())),
                gas: 0,
                events,
            },
            Message::Create {
                behaviour: DataValue::unit(),
                controller: Some(ControllerId(1)),
                gas: 5,
            },
            Message::State(ObjectId(4)),
            Message::List,
            Message::Destroy {
                object: ObjectId(4),
                gas: 1,
            },
            Message::ReadTrace(Some(2)),
            Message::AppendTrace(Trace::default()),
            Message::Register {
                machine: MachineId(2),
                addr: "127.0.0.1:9".into(),
            },
            Message::Locate(ObjectId(9)),
            Message::Allocate(MachineId(3)),
            Message::Script {
                controller: None,
                gas: 9,
                steps: vec![Step::Destroy(crate::script::Target::Name("x".into()))],
            },
            Message::Done(DataValue::unit()),
            Message::Failed {
                layer: "object".into(),
                message: "no".into(),
            },
            Message::Refused("what".into()),
        ];
        for m in all {
            assert_eq!(Message::from_value(&m.to_value()), Ok(m));
        }
        let future = DataValue::tuple([DataValue::nat(2u8), DataValue::nat(0u8)]);
        assert!(Message::from_value(&future)
            .unwrap_err()
            .contains("protocol version 2"));
        let unknown = DataValue::tuple([DataValue::nat(1u8), DataValue::nat(99u8)]);
        assert_eq!(
            Message::from_value(&unknown).unwrap_err(),
            "unknown message tag 99"
        );
        let info = ObjectInfo {
            object: ObjectId(1),
            behaviour: ContentId([7; 32]),
            state: vec![DataValue::nat(1u8)],
            machine: MachineId(2),
            controller: None,
            inputs: 3,
        };
        assert_eq!(ObjectInfo::from_value(&info.to_value()), Ok(info));
    }
}
