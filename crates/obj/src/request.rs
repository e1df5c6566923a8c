//! Requests from a running VM to the object runtime, as plain data.
//!
//! A VM reaches the runtime through [`avm_vm::Env::host_call`] with a
//! [`Request`] spelled as a value, `(opcode, args...)`, and gets the answer
//! as a value (see each variant). The Alu extension ([`crate::alu`]) is
//! one such client; RV32 syscalls can be another. Reflection's scans take
//! a [`Filter`], a value, in place of the host interface's closures.

use avm_vm::DataValue;

use crate::error::AvmError;
use crate::host::{AvmResult, ObjectHost};
use crate::ids::{ControllerId, MachineId, ObjectId, TxId};
use crate::meta::ObjectMeta;
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
    /// `reflect` (unsafe); answers an optional metadata value
    /// ([`ObjectMeta::to_value`]).
    Reflect(ObjectId),
    /// `scryMeta` (unsafe); answers the metadata values of the objects the
    /// filter keeps, ascending by id. Its filter never names a behaviour.
    ScryMeta(Filter),
    /// `scryDeep` (unsafe); answers `(metadata, behaviour)` for each object
    /// the filter keeps, ascending by id.
    ScryDeep(Filter),
    /// `reifyContext`; answers [`crate::ReifiedContext::to_value`].
    ReifyContext,
    /// `reifyTxState` (unsafe); answers an optional
    /// [`crate::ReifiedTxState::to_value`].
    ReifyTxState,
    /// `reifyConstraints` (unsafe); answers
    /// [`crate::ReifiedConstraints::to_value`].
    ReifyConstraints,
    /// `registerPure` (unsafe); answers 1 or 0.
    RegisterPure {
        /// The function's name.
        name: String,
        /// The function value.
        function: DataValue,
    },
    /// `updatePure`; answers 1 or 0.
    UpdatePure {
        /// The function's name.
        name: String,
        /// The new function value.
        function: DataValue,
    },
    /// `teleport`; answers 1 or 0.
    Teleport(MachineId),
    /// `moveObject`; answers 1 or 0.
    MoveObject {
        /// The object.
        object: ObjectId,
        /// Where it goes.
        to: MachineId,
    },
    /// `fetch`; answers 1 or 0.
    Fetch(ObjectId),
    /// `freeze`; answers an optional 1 or 0.
    Freeze(ObjectId),
    /// `choose`: a value of the domain (avm-intent's encoding,
    /// `(0, lo, hi)` or `(1, (int...))`); answers an [`int`].
    Choose(DataValue),
    /// `require`: the condition must hold; answers `()`.
    Require(bool),
    /// `newVar`: a finite-domain variable over the domain; answers its
    /// handle, a natural.
    NewVar(DataValue),
    /// `narrow`: intersects a variable's domain with another; answers 1
    /// or 0.
    Narrow {
        /// The variable's handle.
        var: u64,
        /// The domain to intersect with.
        domain: DataValue,
    },
    /// `post`: a constraint over variable handles (avm-intent's encoding
    /// of a constraint); answers 1 or 0.
    Post(DataValue),
    /// `label`: the variable's value; answers an [`int`].
    Label(u64),
    /// A resource the intent consumes or creates; answers `()`.
    Flow {
        /// Created (`true`) or consumed.
        create: bool,
        /// Its kind.
        kind: String,
        /// How much.
        quantity: i64,
    },
    /// A use-once offer the intent spends; answers `()`.
    Offer(String),
}

/// An integer as a value: `#0:n` for `n >= 0`, `#1:n` for `-n-1`.
pub fn int(v: i64) -> DataValue {
    if v >= 0 {
        DataValue::option(0, DataValue::nat(v as u64))
    } else {
        DataValue::option(1, DataValue::nat((-(v + 1)) as u64))
    }
}

/// The integer a value stands for (see [`int`]), if it is one in `i64`.
pub fn int_of(value: &DataValue) -> Option<i64> {
    match value {
        DataValue::Option { index, value } if *index <= 1 => {
            let n = i64::try_from(value.as_u64()?).ok()?;
            Some(if *index == 0 { n } else { -n - 1 })
        }
        _ => None,
    }
}

/// Which objects a scan keeps, as a value a VM can hold: the register
/// form of the host interface's filter closures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filter {
    /// `#0:()`: every object.
    All,
    /// `#1:c`: objects whose current controller is `c`.
    Controller(ControllerId),
    /// `#2:m`: objects on machine `m`.
    Machine(MachineId),
    /// `#3:f`: objects whose behaviour is the function value `f` (for a
    /// native behaviour, [`crate::native::native`] of its name); only
    /// `scryDeep` sees behaviours.
    Behaviour(DataValue),
}

impl Filter {
    /// The filter as a value.
    pub fn to_value(&self) -> DataValue {
        match self {
            Filter::All => DataValue::option(0, DataValue::unit()),
            Filter::Controller(c) => DataValue::option(1, c.to_value()),
            Filter::Machine(m) => DataValue::option(2, m.to_value()),
            Filter::Behaviour(f) => DataValue::option(3, f.clone()),
        }
    }

    /// The filter a value stands for, or why it stands for none.
    pub fn from_value(value: &DataValue) -> Result<Filter, String> {
        let DataValue::Option { index, value } = value else {
            return Err("the filter is not a coproduct #k:v".into());
        };
        let id = || {
            value
                .as_u64()
                .ok_or_else(|| format!("filter #{index} needs a natural below 2^64"))
        };
        Ok(match index {
            0 if **value == DataValue::unit() => Filter::All,
            0 => return Err("filter #0 takes ()".into()),
            1 => Filter::Controller(ControllerId(id()?)),
            2 => Filter::Machine(MachineId(id()?)),
            3 => Filter::Behaviour((**value).clone()),
            _ => return Err(format!("unknown filter #{index} (0 to 3)")),
        })
    }

    /// Whether the filter keeps an object with `meta` and, if known,
    /// `behaviour`.
    pub fn keeps(&self, behaviour: Option<&DataValue>, meta: &ObjectMeta) -> bool {
        match self {
            Filter::All => true,
            Filter::Controller(c) => meta.current_controller == Some(*c),
            Filter::Machine(m) => meta.machine == *m,
            Filter::Behaviour(f) => behaviour == Some(f),
        }
    }
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
            Request::Reflect(o) => vec![n(18), o.to_value()],
            Request::ScryMeta(f) => vec![n(19), f.to_value()],
            Request::ScryDeep(f) => vec![n(20), f.to_value()],
            Request::ReifyContext => vec![n(21)],
            Request::ReifyTxState => vec![n(22)],
            Request::ReifyConstraints => vec![n(23)],
            Request::RegisterPure { name, function } => {
                vec![n(24), DataValue::string(name), function.clone()]
            }
            Request::UpdatePure { name, function } => {
                vec![n(25), DataValue::string(name), function.clone()]
            }
            Request::Teleport(m) => vec![n(26), m.to_value()],
            Request::MoveObject { object, to } => vec![n(27), object.to_value(), to.to_value()],
            Request::Fetch(o) => vec![n(28), o.to_value()],
            Request::Freeze(o) => vec![n(29), o.to_value()],
            Request::Choose(d) => vec![n(30), d.clone()],
            Request::Require(b) => vec![n(31), flag(*b)],
            Request::NewVar(d) => vec![n(32), d.clone()],
            Request::Narrow { var, domain } => vec![n(33), n(*var), domain.clone()],
            Request::Post(c) => vec![n(34), c.clone()],
            Request::Label(v) => vec![n(35), n(*v)],
            Request::Flow {
                create,
                kind,
                quantity,
            } => vec![
                n(36),
                flag(*create),
                DataValue::string(kind),
                int(*quantity),
            ],
            Request::Offer(o) => vec![n(37), DataValue::string(o)],
        };
        DataValue::Tuple(items)
    }

    /// The request a value stands for, or why it stands for none.
    pub fn from_value(value: &DataValue) -> Result<Request, String> {
        let (op, mut f) = Fields::tagged(value, "the request")?;
        let arity = match op {
            0..=4 | 9 | 15 | 21..=23 => 0,
            5 | 7 | 10..=12 | 14 | 16 | 18..=20 | 26 | 28..=32 | 34 | 35 | 37 => 1,
            6 | 8 | 13 | 17 | 24 | 25 | 27 | 33 => 2,
            36 => 3,
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
            17 => Request::Transfer {
                object: obj(&mut f)?,
                to: ControllerId(f.u64("to")?),
            },
            18 => Request::Reflect(obj(&mut f)?),
            19 => match Filter::from_value(f.value("filter")?)? {
                Filter::Behaviour(_) => {
                    return Err("scryMeta's filter cannot name a behaviour (scryDeep can)".into())
                }
                filter => Request::ScryMeta(filter),
            },
            20 => Request::ScryDeep(Filter::from_value(f.value("filter")?)?),
            21 => Request::ReifyContext,
            22 => Request::ReifyTxState,
            23 => Request::ReifyConstraints,
            24 => Request::RegisterPure {
                name: f.text("name")?,
                function: f.value("function")?.clone(),
            },
            25 => Request::UpdatePure {
                name: f.text("name")?,
                function: f.value("function")?.clone(),
            },
            26 => Request::Teleport(MachineId(f.u64("machine")?)),
            27 => Request::MoveObject {
                object: obj(&mut f)?,
                to: MachineId(f.u64("to")?),
            },
            28 => Request::Fetch(obj(&mut f)?),
            29 => Request::Freeze(obj(&mut f)?),
            30 => Request::Choose(f.value("domain")?.clone()),
            31 => Request::Require(match f.u64("holds")? {
                0 => false,
                1 => true,
                _ => return Err("field `holds` is not 0 or 1".into()),
            }),
            32 => Request::NewVar(f.value("domain")?.clone()),
            33 => Request::Narrow {
                var: f.u64("var")?,
                domain: f.value("domain")?.clone(),
            },
            34 => Request::Post(f.value("constraint")?.clone()),
            35 => Request::Label(f.u64("var")?),
            36 => Request::Flow {
                create: match f.u64("create")? {
                    0 => false,
                    1 => true,
                    _ => return Err("field `create` is not 0 or 1".into()),
                },
                kind: f.text("kind")?,
                quantity: int_of(f.value("quantity")?)
                    .ok_or("field `quantity` is not an integer #0:n or #1:n")?,
            },
            _ => Request::Offer(f.text("offer")?),
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
        Request::Reflect(o) => option(host.reflect(o)?.map(|m| m.to_value())),
        Request::ScryMeta(filter) => DataValue::Tuple(
            host.scry_meta(&|meta| filter.keeps(None, meta))?
                .into_iter()
                .map(|(_, meta)| meta.to_value())
                .collect(),
        ),
        Request::ScryDeep(filter) => DataValue::Tuple(
            host.scry_deep(&|behaviour, meta| filter.keeps(Some(behaviour), meta))?
                .into_iter()
                .map(|(_, behaviour, meta)| DataValue::tuple([meta.to_value(), behaviour]))
                .collect(),
        ),
        Request::ReifyContext => host.reify_context()?.to_value(),
        Request::ReifyTxState => option(host.reify_tx_state()?.map(|t| t.to_value())),
        Request::ReifyConstraints => host.reify_constraints()?.to_value(),
        Request::RegisterPure { name, function } => flag(host.register_pure(&name, function)?),
        Request::UpdatePure { name, function } => flag(host.update_pure(&name, function)?),
        Request::Teleport(m) => flag(host.teleport(m)?),
        Request::MoveObject { object, to } => flag(host.move_object(object, to)?),
        Request::Fetch(o) => flag(host.fetch(o)?),
        Request::Freeze(o) => option(host.freeze(o)?.map(flag)),
        Request::Choose(_) => return Err(AvmError::Intent("choose")),
        Request::Require(_) => return Err(AvmError::Intent("require")),
        Request::NewVar(_) => return Err(AvmError::Intent("newVar")),
        Request::Narrow { .. } => return Err(AvmError::Intent("narrow")),
        Request::Post(_) => return Err(AvmError::Intent("post")),
        Request::Label(_) => return Err(AvmError::Intent("label")),
        Request::Flow { .. } => return Err(AvmError::Intent("flow")),
        Request::Offer(_) => return Err(AvmError::Intent("offer")),
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
    fn filters_round_trip_and_keep_what_they_name() {
        let meta = ObjectMeta {
            object: ObjectId(1),
            machine: MachineId(0),
            creating_controller: None,
            current_controller: Some(ControllerId(2)),
        };
        let echo = crate::native::native("echo");
        for (f, kept) in [
            (Filter::All, true),
            (Filter::Controller(ControllerId(2)), true),
            (Filter::Controller(ControllerId(3)), false),
            (Filter::Machine(MachineId(0)), true),
            (Filter::Machine(MachineId(1)), false),
            (Filter::Behaviour(echo.clone()), true),
        ] {
            assert_eq!(Filter::from_value(&f.to_value()), Ok(f.clone()));
            assert_eq!(f.keeps(Some(&echo), &meta), kept, "{f:?}");
        }
        assert!(!Filter::Behaviour(echo).keeps(None, &meta));
        let bad = DataValue::option(4, DataValue::unit());
        assert_eq!(
            Filter::from_value(&bad).unwrap_err(),
            "unknown filter #4 (0 to 3)"
        );
        assert!(Filter::from_value(&DataValue::option(1, DataValue::unit()))
            .unwrap_err()
            .contains("natural"));
    }

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
            Request::Reflect(ObjectId(4)),
            Request::ScryMeta(Filter::Controller(ControllerId(2))),
            Request::ScryDeep(Filter::Behaviour(crate::native::native("echo"))),
            Request::ReifyContext,
            Request::ReifyTxState,
            Request::ReifyConstraints,
            Request::RegisterPure {
                name: "inc".into(),
                function: DataValue::unit(),
            },
            Request::UpdatePure {
                name: "inc".into(),
                function: DataValue::unit(),
            },
            Request::Teleport(MachineId(1)),
            Request::MoveObject {
                object: ObjectId(1),
                to: MachineId(2),
            },
            Request::Fetch(ObjectId(5)),
            Request::Freeze(ObjectId(6)),
            Request::Choose(DataValue::tuple([DataValue::nat(0u8), int(-3), int(4)])),
            Request::Require(true),
            Request::NewVar(DataValue::unit()),
            Request::Narrow {
                var: 2,
                domain: DataValue::unit(),
            },
            Request::Post(DataValue::unit()),
            Request::Label(1),
            Request::Flow {
                create: false,
                kind: "apple".into(),
                quantity: -2,
            },
            Request::Offer("coin".into()),
        ];
        for v in [0, 5, -1, i64::MIN, i64::MAX] {
            assert_eq!(int_of(&int(v)), Some(v));
        }
        for r in all {
            assert_eq!(Request::from_value(&r.to_value()), Ok(r));
        }
        let bad = DataValue::tuple([DataValue::nat(99u8)]);
        assert_eq!(
            Request::from_value(&bad).unwrap_err(),
            "unknown request opcode 99"
        );
        let deep_meta = DataValue::tuple([
            DataValue::nat(19u8),
            Filter::Behaviour(DataValue::unit()).to_value(),
        ]);
        assert!(Request::from_value(&deep_meta)
            .unwrap_err()
            .contains("cannot name a behaviour"));
        let short = DataValue::tuple([DataValue::nat(8u8), DataValue::nat(1u8)]);
        assert!(Request::from_value(&short)
            .unwrap_err()
            .contains("1 fields, expected 2"));
    }
}
