//! The instruction set on the [`Runtime`]: `impl ObjectHost`, family by
//! family (requests from VMs are served by
//! [`crate::request::serve`]).

use avm_vm::{ContentId, DataValue};

use crate::error::{
    AvmError, ControllerError, MachineError, ObjError, PureError, ReflectError, ReifyError, TxError,
};
use crate::gas;
use crate::host::{AvmResult, DeepFilter, MetaFilter, ObjectHost};
use crate::ids::{ControllerId, MachineId, ObjectId, TxId};
use crate::meta::{ObjectMeta, ReifiedConstraints, ReifiedContext, ReifiedTxState};
use crate::runtime::Runtime;
use crate::space::{Change, ObjectRecord, PureFunction};
use crate::trace::Event;
use crate::tx::Tx;

impl Runtime {
    fn unsafe_permitted(&self) -> bool {
        self.config.allow_unsafe
    }

    /// Charges `what` for scanning (per committed object and per object
    /// created in the open transaction), then gives every live object:
    /// those, minus the ones the transaction destroys, ascending by id,
    /// with pending transfers applied. Charging first bounds the work and
    /// memory by the gas.
    fn scan(&mut self, what: &'static str) -> AvmResult<Vec<(ObjectId, DataValue, ObjectMeta)>> {
        let count =
            self.space.lock().objects().count() + self.tx.as_ref().map_or(0, |t| t.creates.len());
        self.charge(what, gas::SCAN_PER_OBJECT.saturating_mul(count as u64))?;
        let space = self.space.lock();
        let mut all: Vec<(ObjectId, DataValue, ObjectMeta)> = space
            .objects()
            .map(|(id, r)| (id, r.behaviour.clone(), r.meta.clone()))
            .collect();
        // Inside a transaction the answer depends on every object there is, and on there
        // being no others: all go into the read set, and the scan's bound with them.
        if let Some(tx) = &mut self.tx {
            for (id, r) in space.objects() {
                tx.observed.entry(id).or_insert(Some(r.version));
            }
            tx.scan_bound.get_or_insert(space.next_object());
        }
        drop(space);
        if let Some(tx) = &self.tx {
            all.retain(|(id, ..)| !tx.destroys.contains(id));
            for (id, r) in &tx.creates {
                all.push((*id, r.behaviour.clone(), r.meta.clone()));
            }
            all.sort_by_key(|(id, ..)| *id);
            for (id, _, meta) in &mut all {
                if let Some(c) = tx.transfers.get(id) {
                    meta.current_controller = Some(*c);
                }
            }
        }
        Ok(all)
    }

    /// Checks that `given` is the open transaction and that the running call began it.
    fn check_tx(&self, given: TxId) -> AvmResult<()> {
        match &self.tx {
            Some(tx) if tx.id == given && tx.depth != self.frames.len() => Err(TxError::NotOwner {
                tx: given,
                began_by: tx.began_by,
            }
            .into()),
            Some(tx) if tx.id == given => Ok(()),
            Some(tx) => Err(TxError::NotFound {
                given,
                active: tx.id,
            }
            .into()),
            None => Err(match self.last_tx {
                Some((t, true)) if t == given => TxError::AlreadyCommitted(t),
                Some((t, false)) if t == given => TxError::AlreadyAborted(t),
                _ => TxError::NoActiveTx,
            }
            .into()),
        }
    }

    /// A pure function this runtime registered or updated is its own write: if the open
    /// transaction called it before, it reads the new version from now on.
    fn wrote_pure(&mut self, name: &str, hash: ContentId) {
        if let Some(read) = self.tx.as_mut().and_then(|tx| tx.pure_read.get_mut(name)) {
            *read = Some(hash);
        }
    }

    fn reachable_controller(&self, c: ControllerId) -> AvmResult<()> {
        if self.space.lock().reaches_controller(c) {
            Ok(())
        } else {
            Err(ControllerError::Unreachable(c).into())
        }
    }

    fn reachable_machine(&self, m: MachineId) -> AvmResult<()> {
        if self.space.lock().reaches_machine(m) {
            Ok(())
        } else {
            Err(MachineError::Unreachable(m).into())
        }
    }
}

impl ObjectHost for Runtime {
    fn create_obj(
        &mut self,
        behaviour: DataValue,
        controller: Option<ControllerId>,
    ) -> AvmResult<ObjectId> {
        self.instr("createObj", gas::CREATE, |rt| {
            if !matches!(behaviour, DataValue::Function { .. }) {
                return Err(ObjError::NotABehaviour(
                    "createObj needs a function value as the behaviour".into(),
                )
                .into());
            }
            if let DataValue::Function { vm, .. } = &behaviour {
                if *vm != crate::native::NATIVE_VM && !rt.registry.contains(*vm) {
                    return Err(ObjError::NotABehaviour(format!(
                        "the behaviour is a function of VM {}, which this runtime does not run",
                        vm.0
                    ))
                    .into());
                }
            }
            let bytes =
                crate::limits::check(&behaviour, crate::limits::BEHAVIOUR).map_err(|reason| {
                    ObjError::TooLarge {
                        what: "the behaviour of a new object".into(),
                        reason,
                    }
                })?;
            rt.charge(
                "createObj",
                gas::CREATE_PER_BYTE.saturating_mul(bytes as u64),
            )?;
            // Decoding is paid for by the charge above.
            if let Some(reason) = crate::alu::not_a_program(&behaviour) {
                return Err(ObjError::NotABehaviour(format!(
                    "the new object's behaviour: {reason}"
                ))
                .into());
            }
            if let Some(c) = controller {
                rt.reachable_controller(c)?;
            }
            let controller = controller.or(rt.tx.as_ref().and_then(|t| t.controller));
            let given = match rt.remote.clone() {
                Some(remote) => remote.fresh_object()?,
                None => None,
            };
            let id = match given {
                Some(id) => id,
                None => rt
                    .space
                    .lock()
                    .fresh_object()
                    .ok_or(ObjError::AlreadyExists(ObjectId(u64::MAX)))?,
            };
            let hash = ContentId::of(&behaviour);
            let record = ObjectRecord {
                behaviour,
                history: Vec::new(),
                state: Vec::new(),
                meta: ObjectMeta {
                    object: id,
                    machine: rt.current_machine_now(),
                    creating_controller: controller,
                    current_controller: controller,
                },
                version: 0,
            };
            if rt.tx.is_some() {
                rt.touch(id, controller, None)?;
                if let Some(tx) = &mut rt.tx {
                    tx.stage_create(id, record);
                }
            } else {
                rt.apply_now(vec![Change::Create(id, record)])?;
            }
            rt.emit(Event::ObjectCreated {
                object: id,
                behaviour: hash,
                controller,
            });
            Ok(id)
        })
    }

    fn destroy_obj(&mut self, object: ObjectId) -> AvmResult<bool> {
        self.instr("destroyObj", gas::DESTROY, |rt| {
            if let Some(tx) = &mut rt.tx {
                if tx.cancel_create(object) {
                    rt.emit(Event::ObjectDestroyed { object });
                    return Ok(true);
                }
                let view = rt.view(object)?;
                rt.touch(object, view.meta.current_controller, view.version)?;
                if let Some(tx) = &mut rt.tx {
                    tx.stage_destroy(object);
                }
            } else {
                let view = rt.view(object)?;
                if view.meta.current_controller.is_none() {
                    return Err(ControllerError::HasNoController(object).into());
                }
                rt.apply_now(vec![Change::Destroy(object)])?;
            }
            rt.emit(Event::ObjectDestroyed { object });
            Ok(true)
        })
    }

    fn call(&mut self, object: ObjectId, input: DataValue) -> AvmResult<Option<DataValue>> {
        self.instr("call", gas::CALL, |rt| rt.call_object(object, input))
    }

    fn receive(&mut self) -> AvmResult<Option<DataValue>> {
        self.instr("receive", gas::READ, |rt| {
            let Some(f) = rt.frames.last() else {
                return Ok(None);
            };
            let (object, input) = (f.self_id, f.input.clone());
            rt.emit(Event::MessageReceived {
                object,
                input: input.clone(),
            });
            Ok(Some(input))
        })
    }

    fn self_id(&mut self) -> AvmResult<ObjectId> {
        self.instr("self", gas::READ, |rt| Ok(rt.frame("self")?.self_id))
    }

    fn input(&mut self) -> AvmResult<DataValue> {
        self.instr("input", gas::READ, |rt| {
            Ok(rt.frame("input")?.input.clone())
        })
    }

    fn sender(&mut self) -> AvmResult<Option<ObjectId>> {
        self.instr("sender", gas::READ, |rt| Ok(rt.frame("sender")?.sender))
    }

    fn current_machine(&mut self) -> AvmResult<MachineId> {
        self.instr("getCurrentMachine", gas::READ, |rt| {
            Ok(rt.current_machine_now())
        })
    }

    fn get_state(&mut self) -> AvmResult<Vec<DataValue>> {
        self.instr("getState", gas::STATE, |rt| {
            let me = rt.frame("getState")?.self_id;
            let state = rt.state_view(me);
            rt.charge(
                "getState",
                gas::PER_VALUE.saturating_mul(state.len() as u64),
            )?;
            Ok(state)
        })
    }

    fn set_state(&mut self, state: Vec<DataValue>) -> AvmResult<()> {
        self.instr("setState", gas::STATE, |rt| {
            let me = rt.frame("setState")?.self_id;
            rt.charge(
                "setState",
                gas::PER_VALUE.saturating_mul(state.len() as u64),
            )?;
            crate::limits::check_state(&state).map_err(|reason| ObjError::TooLarge {
                what: format!("the state of {me}"),
                reason,
            })?;
            match &mut rt.tx {
                Some(tx) => tx.stage_state(me, state),
                None => rt.apply_now(vec![Change::SetState(me, state)])?,
            }
            Ok(())
        })
    }

    fn reflect(&mut self, object: ObjectId) -> AvmResult<Option<ObjectMeta>> {
        self.instr("reflect", gas::META, |rt| {
            if !rt.unsafe_permitted() {
                return Err(ReflectError::NotPermitted("reflect").into());
            }
            rt.observe(object);
            Ok(rt.view(object).ok().map(|v| v.meta))
        })
    }

    fn scry_meta(&mut self, filter: MetaFilter<'_>) -> AvmResult<Vec<(ObjectId, ObjectMeta)>> {
        self.instr("scryMeta", gas::META, |rt| {
            if !rt.unsafe_permitted() {
                return Err(ReflectError::NotPermitted("scryMeta").into());
            }
            Ok(rt
                .scan("scryMeta")?
                .into_iter()
                .filter(|(_, _, meta)| filter(meta))
                .map(|(id, _, meta)| (id, meta))
                .collect())
        })
    }

    fn scry_deep(
        &mut self,
        filter: DeepFilter<'_>,
    ) -> AvmResult<Vec<(ObjectId, DataValue, ObjectMeta)>> {
        self.instr("scryDeep", gas::META, |rt| {
            if !rt.unsafe_permitted() {
                return Err(ReflectError::NotPermitted("scryDeep").into());
            }
            Ok(rt
                .scan("scryDeep")?
                .into_iter()
                .filter(|(_, behaviour, meta)| filter(behaviour, meta))
                .collect())
        })
    }

    fn reify_context(&mut self) -> AvmResult<ReifiedContext> {
        self.instr("reifyContext", gas::META, |rt| {
            let f = rt.frame("reifyContext")?;
            Ok(ReifiedContext {
                self_id: f.self_id,
                input: f.input.clone(),
                sender: f.sender,
                machine: f.machine,
                controller: rt.tx.as_ref().and_then(|t| t.controller),
            })
        })
    }

    fn reify_tx_state(&mut self) -> AvmResult<Option<ReifiedTxState>> {
        self.instr("reifyTxState", gas::META, |rt| {
            if !rt.unsafe_permitted() {
                return Err(ReifyError::NotPermitted("reifyTxState").into());
            }
            Ok(rt.tx.as_ref().map(Tx::reify))
        })
    }

    fn reify_constraints(&mut self) -> AvmResult<ReifiedConstraints> {
        self.instr("reifyConstraints", gas::META, |rt| {
            if !rt.unsafe_permitted() {
                return Err(ReifyError::NotPermitted("reifyConstraints").into());
            }
            Ok(ReifiedConstraints::default())
        })
    }

    fn begin_tx(&mut self, controller: Option<ControllerId>) -> AvmResult<TxId> {
        self.instr("beginTx", gas::TX, |rt| {
            if let Some(tx) = &rt.tx {
                return Err(TxError::AlreadyActive(tx.id).into());
            }
            if let Some(c) = controller {
                rt.reachable_controller(c)?;
            }
            let id = rt.space.lock().fresh_tx();
            let began_by = rt.frames.last().map(|f| f.self_id);
            rt.tx = Some(Tx::new(id, controller, rt.frames.len(), began_by));
            rt.emit(Event::TxStarted { tx: id, controller });
            Ok(id)
        })
    }

    fn commit_tx(&mut self, tx: TxId) -> AvmResult<bool> {
        self.instr("commitTx", gas::COMMIT, |rt| {
            rt.check_tx(tx)?;
            let observed = rt.tx.as_ref().map_or(0, |t| t.observed.len() as u64);
            rt.charge("commitTx", gas::PER_VALUE.saturating_mul(observed))?;
            let Some(open) = rt.tx.take() else {
                return Err(TxError::NoActiveTx.into());
            };
            let controller = open.controller;
            let applied = {
                let mut space = rt.space.lock();
                match open.validate(&space) {
                    Ok(()) => space.apply(open.into_changes()),
                    Err(conflict) => Err(conflict.into()),
                }
            };
            rt.end_tx(tx, controller, applied.is_ok());
            applied.map(|()| true)
        })
    }

    fn abort_tx(&mut self, tx: TxId) -> AvmResult<()> {
        self.instr("abortTx", gas::TX, |rt| {
            rt.check_tx(tx)?;
            if let Some(open) = rt.tx.take() {
                rt.end_tx(tx, open.controller, false);
            }
            Ok(())
        })
    }

    fn register_pure(&mut self, name: &str, function: DataValue) -> AvmResult<bool> {
        self.instr("registerPure", gas::PURE_REGISTER, |rt| {
            if !rt.unsafe_permitted() {
                return Err(PureError::NotPermitted.into());
            }
            if !matches!(function, DataValue::Function { .. }) {
                return Err(PureError::NotAFunction(name.into()).into());
            }
            if rt.space.lock().pure(name).is_some() {
                return Err(PureError::AlreadyRegistered(name.into()).into());
            }
            let hash = ContentId::of(&function);
            let f = PureFunction {
                function,
                version: 0,
                hash,
            };
            rt.apply_now(vec![Change::Pure(name.into(), f)])?;
            rt.wrote_pure(name, hash);
            rt.emit(Event::FunctionRegistered {
                name: name.into(),
                version: 0,
                hash,
            });
            Ok(true)
        })
    }

    fn call_pure(&mut self, name: &str, args: Vec<DataValue>) -> AvmResult<Option<DataValue>> {
        self.instr("callPure", gas::PURE_CALL, |rt| {
            let found = rt
                .space
                .lock()
                .pure(name)
                .map(|f| (f.function.clone(), f.hash));
            if let Some(tx) = &mut rt.tx {
                if !tx.pure_read.contains_key(name) {
                    tx.pure_read
                        .insert(name.into(), found.as_ref().map(|(_, h)| *h));
                }
            }
            let Some((f, _)) = found else {
                return Ok(None);
            };
            let start = rt.gas_left;
            let evaluation = rt
                .registry
                .multievaluate(&f, &args, start)
                .map_err(|source| AvmError::Vm {
                    what: format!("pure function `{name}`"),
                    source,
                })?;
            rt.gas_left = start.saturating_sub(evaluation.gas_used);
            if evaluation.result.is_none() && evaluation.gas_used >= start {
                return rt.charge("callPure", 1).map(|()| None);
            }
            Ok(evaluation.result)
        })
    }

    fn update_pure(&mut self, name: &str, function: DataValue) -> AvmResult<bool> {
        self.instr("updatePure", gas::PURE_REGISTER, |rt| {
            if !matches!(function, DataValue::Function { .. }) {
                return Err(PureError::NotAFunction(name.into()).into());
            }
            let old = rt
                .space
                .lock()
                .pure(name)
                .cloned()
                .ok_or_else(|| PureError::FunctionNotFound(name.into()))?;
            let hash = ContentId::of(&function);
            if hash == old.hash {
                return Err(PureError::VersionConflict {
                    name: name.into(),
                    version: old.version,
                }
                .into());
            }
            let version = old.version + 1;
            rt.apply_now(vec![Change::Pure(
                name.into(),
                PureFunction {
                    function,
                    version,
                    hash,
                },
            )])?;
            rt.wrote_pure(name, hash);
            rt.emit(Event::FunctionUpdated {
                name: name.into(),
                version,
                hash,
            });
            Ok(true)
        })
    }

    fn get_machine(&mut self, object: ObjectId) -> AvmResult<Option<MachineId>> {
        self.instr("getMachine", gas::META, |rt| {
            rt.observe(object);
            Ok(rt.view(object).ok().map(|v| v.meta.machine))
        })
    }

    fn teleport(&mut self, machine: MachineId) -> AvmResult<bool> {
        self.instr("teleport", gas::MOVE, |rt| {
            if rt.tx.is_some() {
                return Err(MachineError::TeleportDuringTx(machine).into());
            }
            rt.reachable_machine(machine)?;
            let from = rt.current_machine_now();
            match rt.frames.last_mut() {
                Some(f) => f.machine = machine,
                None => rt.machine = machine,
            }
            rt.emit(Event::ExecutionMoved { from, to: machine });
            Ok(true)
        })
    }

    fn move_object(&mut self, object: ObjectId, machine: MachineId) -> AvmResult<bool> {
        self.instr("moveObject", gas::MOVE, |rt| {
            if rt.tx.is_some() {
                return Err(TxError::InvalidDuringTx("moveObject").into());
            }
            rt.reachable_machine(machine)
                .map_err(|_| MachineError::InvalidMachineTransfer { object, machine })?;
            rt.view(object)?;
            rt.apply_now(vec![Change::Move(object, machine)])?;
            rt.emit(Event::ObjectMoved {
                object,
                to: machine,
            });
            Ok(true)
        })
    }

    fn fetch(&mut self, object: ObjectId) -> AvmResult<bool> {
        self.instr("fetch", gas::MOVE, |rt| {
            if rt.tx.is_some() {
                return Err(TxError::InvalidDuringTx("fetch").into());
            }
            if rt.view(object).is_err() {
                return Ok(false);
            }
            let machine = rt.current_machine_now();
            rt.apply_now(vec![Change::Move(object, machine)])?;
            rt.emit(Event::ObjectFetched { object, machine });
            Ok(true)
        })
    }

    fn current_controller(&mut self) -> AvmResult<Option<ControllerId>> {
        self.instr("getCurrentController", gas::READ, |rt| {
            Ok(rt.tx.as_ref().and_then(|t| t.controller))
        })
    }

    fn get_controller(&mut self, object: ObjectId) -> AvmResult<Option<ControllerId>> {
        self.instr("getController", gas::META, |rt| {
            if let Some(c) = rt.tx.as_ref().and_then(|t| t.transfers.get(&object)) {
                return Ok(Some(*c));
            }
            rt.observe(object);
            Ok(rt.view(object).ok().and_then(|v| v.meta.current_controller))
        })
    }

    fn transfer_object(&mut self, object: ObjectId, to: ControllerId) -> AvmResult<bool> {
        self.instr("transferObject", gas::MOVE, |rt| {
            rt.reachable_controller(to)?;
            let view = rt.view(object)?;
            if rt.tx.is_some() {
                rt.touch(object, view.meta.current_controller, view.version)?;
                if let Some(tx) = &mut rt.tx {
                    tx.stage_transfer(object, to);
                }
            } else {
                rt.apply_now(vec![Change::Transfer(object, to)])?;
            }
            rt.emit(Event::ObjectTransferred { object, to });
            Ok(true)
        })
    }

    fn freeze(&mut self, object: ObjectId) -> AvmResult<Option<bool>> {
        self.instr("freeze", gas::MOVE, |rt| {
            rt.observe(object);
            let Ok(view) = rt.view(object) else {
                return Ok(Some(false));
            };
            let Some(c) = view.meta.current_controller else {
                return Ok(None);
            };
            if rt.reachable_controller(c).is_err() {
                return Ok(Some(false));
            }
            rt.emit(Event::ObjectFrozen { object });
            Ok(Some(true))
        })
    }
}

impl Runtime {
    /// The machine execution runs on now.
    pub(crate) fn current_machine_now(&self) -> MachineId {
        self.frames.last().map_or(self.machine, |f| f.machine)
    }
}
