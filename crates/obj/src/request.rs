//! Requests from a running VM to the object runtime, as plain data.
//!
//! A VM reaches the runtime through [`avm_vm::Env::host_call`] with a
//! [`Request`] spelled as a value, `(opcode, args...)`, and gets the answer
//! as a value (see each variant). The Alu extension ([`crate::alu`]) is
//! one such client; RV32 syscalls can be another. The families that take
//! Rust closures (reflection's scans) are not offered here.

use avm_vm::DataValue;

use crate::host::{AvmResult, ObjectHost};
use crate::ids::{ControllerId, MachineId, ObjectId, TxId};
use crate::shape::{option, Fields};

/// An instruction asked of the runtime by a VM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// `self`; answers the id.
    SelfId,
    /// `input`; answers the input.
    Input,
    /// `sender`; answers an optional id.
    Sender,
    /// `getCurrentMachine`; answers the id.
    CurrentMachine,
    /// `getState`; answers the state as a tuple.
    GetState,
    /// `setState`; answers `()`.
    SetState(Vec<DataValue>),
    /// `createObj`; answers the id.
    Create {
        /// The behaviour.
        behaviour: DataValue,
        /// The controller.
        controller: Option<ControllerId>,
    },
    /// `destroyObj`; answers 1 or 0.
    Destroy(ObjectId),
    /// `call`; answers an optional output.
    Call {
        /// The callee.
        object: ObjectId,
        /// The message.
        input: DataValue,
    },
    /// `receive`; answers an optional input.
    Receive,
    /// `beginTx`; answers the id.
    BeginTx(Option<ControllerId>),
    /// `commitTx`; answers 1 or 0.
    CommitTx(TxId),
    /// `abortTx`; answers `()`.
    AbortTx(TxId),
    /// `callPure`; answers an optional result.
    CallPure {
        /// The function's name.
        name: String,
        /// Its arguments.
        args: Vec<DataValue>,
    },
    /// `getMachine`; answers an optional id.
    GetMachine(ObjectId),
    /// `getCurrentController`; answers an optional id.
    CurrentController,
    /// `getController`; answers an optional id.
    GetController(ObjectId),
    /// `transferObject`; answers 1 or 0.
    Transfer {
        /// The object.
        object: ObjectId,
        /// Its new controller.
        to: ControllerId,
    },
}

impl Request {
    /// The request as a value: `(opcode, args...)`.
    pub fn to_value(&self) -> DataValue {
        let n = |x: u64| DataValue::nat(x);
        let items = match self {
            Request::SelfId => vec![n(0)],
            Request::Input => vec![n(1)],
            Request::Sender => vec![n(2)],
            Request::CurrentMachine => vec![n(3)],
            Request::GetState => vec![n(4)],
            Request::SetState(state) => vec![n(5), DataValue::Tuple(state.clone())],
            Request::Create {
                behaviour,
                controller,
            } => vec![
                n(6),
                behaviour.clone(),
                option(controller.map(ControllerId::to_value)),
            ],
            Request::Destroy(o) => vec![n(7), o.to_value()],
            Request::Call { object, input } => vec![n(8), object.to_value(), input.clone()],
            Request::Receive => vec![n(9)],
            Request::BeginTx(c) => vec![n(10), option(c.map(ControllerId::to_value))],
            Request::CommitTx(t) => vec![n(11), t.to_value()],
            Request::AbortTx(t) => vec![n(12), t.to_value()],
            Request::CallPure { name, args } => vec![
                n(13),
                DataValue::string(name),
                DataValue::Tuple(args.clone()),
            ],
            Request::GetMachine(o) => vec![n(14), o.to_value()],
            Request::CurrentController => vec![n(15)],
            Request::GetController(o) => vec![n(16), o.to_value()],
            Request::Transfer { object, to } => vec![n(17), object.to_value(), to.to_value()],
        };
        DataValue::Tuple(items)
    }

    /// The request a value stands for, or why it stands for none.
    pub fn from_value(value: &DataValue) -> Result<Request, String> {
        let (op, mut f) = Fields::tagged(value, "the request")?;
        let arity = match op {
            0..=4 | 9 | 15 => 0,
            5 | 7 | 10..=12 | 14 | 16 => 1,
            6 | 8 | 13 | 17 => 2,
            _ => return Err(format!("unknown request opcode {op}")),
        };
        f.expect(arity, "the request")?;
        let obj = |f: &mut Fields<'_>| f.u64("object").map(ObjectId);
        Ok(match op {
            0 => Request::SelfId,
            1 => Request::Input,
            2 => Request::Sender,
            3 => Request::CurrentMachine,
            4 => Request::GetState,
            5 => Request::SetState(f.list("state")?.to_vec()),
            6 => Request::Create {
                behaviour: f.value("behaviour")?.clone(),
                controller: f.option_u64("controller")?.map(ControllerId),
            },
            7 => Request::Destroy(obj(&mut f)?),
            8 => Request::Call {
                object: obj(&mut f)?,
                input: f.value("input")?.clone(),
            },
            9 => Request::Receive,
            10 => Request::BeginTx(f.option_u64("controller")?.map(ControllerId)),
            11 => Request::CommitTx(TxId(f.u64("tx")?)),
            12 => Request::AbortTx(TxId(f.u64("tx")?)),
            13 => Request::CallPure {
                name: f.text("name")?,
                args: f.list("args")?.to_vec(),
            },
            14 => Request::GetMachine(obj(&mut f)?),
            15 => Request::CurrentController,
            16 => Request::GetController(obj(&mut f)?),
            _ => Request::Transfer {
                object: obj(&mut f)?,
                to: ControllerId(f.u64("to")?),
            },
        })
    }
}

/// Serves `request` with `host`'s instructions, giving the answer as a value.
pub fn serve(host: &mut dyn ObjectHost, request: Request) -> AvmResult<DataValue> {
    let id = |o: Option<u64>| option(o.map(DataValue::nat));
    Ok(match request {
        Request::SelfId => host.self_id()?.to_value(),
        Request::Input => host.input()?,
        Request::Sender => id(host.sender()?.map(|o| o.0)),
        Request::CurrentMachine => host.current_machine()?.to_value(),
        Request::GetState => DataValue::Tuple(host.get_state()?),
        Request::SetState(s) => {
            host.set_state(s)?;
            DataValue::unit()
        }
        Request::Create {
            behaviour,
            controller,
        } => host.create_obj(behaviour, controller)?.to_value(),
        Request::Destroy(o) => flag(host.destroy_obj(o)?),
        Request::Call { object, input } => option(host.call(object, input)?),
        Request::Receive => option(host.receive()?),
        Request::BeginTx(c) => host.begin_tx(c)?.to_value(),
        Request::CommitTx(t) => flag(host.commit_tx(t)?),
        Request::AbortTx(t) => {
            host.abort_tx(t)?;
            DataValue::unit()
        }
        Request::CallPure { name, args } => option(host.call_pure(&name, args)?),
        Request::GetMachine(o) => machine_answer(host.get_machine(o)?),
        Request::CurrentController => id(host.current_controller()?.map(|c| c.0)),
        Request::GetController(o) => id(host.get_controller(o)?.map(|c| c.0)),
        Request::Transfer { object, to } => flag(host.transfer_object(object, to)?),
    })
}

/// `true` as 1, `false` as 0.
pub fn flag(b: bool) -> DataValue {
    DataValue::nat(u8::from(b))
}

/// An optional machine id as an answer.
pub fn machine_answer(m: Option<MachineId>) -> DataValue {
    option(m.map(MachineId::to_value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_round_trip_and_bad_ones_are_named() {
        let all = [
            Request::SelfId,
            Request::SetState(vec![DataValue::nat(1u8)]),
            Request::Create {
                behaviour: DataValue::function(avm_vm::VmId::ALU, [1, 2]),
                controller: Some(ControllerId(2)),
            },
            Request::Call {
                object: ObjectId(3),
                input: DataValue::string("ping"),
            },
            Request::BeginTx(None),
            Request::CallPure {
                name: "add".into(),
                args: vec![],
            },
            Request::Transfer {
                object: ObjectId(1),
                to: ControllerId(9),
            },
        ];
        for r in all {
            assert_eq!(Request::from_value(&r.to_value()), Ok(r));
        }
        let bad = DataValue::tuple([DataValue::nat(99u8)]);
        assert_eq!(
            Request::from_value(&bad).unwrap_err(),
            "unknown request opcode 99"
        );
        let short = DataValue::tuple([DataValue::nat(8u8), DataValue::nat(1u8)]);
        assert!(Request::from_value(&short)
            .unwrap_err()
            .contains("1 fields, expected 2"));
    }
}
