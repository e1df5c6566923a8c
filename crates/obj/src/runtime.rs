//! The [`Runtime`]: one machine's execution over a shared [`Space`], with
//! a call stack of frames, at most one open transaction, one gas budget
//! and a trace.
//!
//! The instructions themselves are in [`crate::instructions`]; this module
//! holds the state they share and the parts every instruction uses: gas,
//! error recording, the view of objects through the open transaction's
//! overlay, and running behaviours.
//!
//! [`Space`]: crate::space::Space

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use avm_vm::{DataValue, Evaluation, Gas, Registry};

use crate::error::{
    AvmError, ControllerError, GasSite, IntrospectError, MachineError, ObjError, TxError,
};
use crate::host::AvmResult;
use crate::ids::{ControllerId, MachineId, ObjectId, TxId};
use crate::meta::ObjectMeta;
use crate::native::{NativeFn, NATIVE_VM};
use crate::remote::{Remote, RemoteCall};
use crate::request::Request;
use crate::space::{Change, SpaceHandle};
use crate::trace::{Event, Trace};
use crate::tx::Tx;

/// The default bound on nested calls.
pub const DEFAULT_MAX_DEPTH: usize = 32;

/// How a runtime is set up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// The most calls that may be open at once. Each nested call takes
    /// native stack (a VM's interpreter frames included), so the default
    /// suits a thread with the usual 2 MiB stack; raise it with care.
    pub max_depth: usize,
    /// The permission for unsafe instructions (reflection, `reifyTxState`,
    /// `reifyConstraints`, `registerPure`).
    pub allow_unsafe: bool,
    /// The machine execution starts on.
    pub machine: MachineId,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_depth: DEFAULT_MAX_DEPTH,
            allow_unsafe: false,
            machine: MachineId::LOCAL,
        }
    }
}

/// One open call: the running object, its input, its caller and machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Frame {
    pub self_id: ObjectId,
    pub input: DataValue,
    pub sender: Option<ObjectId>,
    pub machine: MachineId,
}

/// An object seen through the open transaction's overlay.
pub(crate) struct View {
    pub behaviour: DataValue,
    pub meta: ObjectMeta,
    /// The committed version; `None` for an object created in the open
    /// transaction.
    pub version: Option<u64>,
}

/// The object runtime (see the module docs and [`crate::ObjectHost`]).
///
/// ```
/// use std::rc::Rc;
/// use avm_obj::{native::native, ObjectHost, Runtime, Space};
/// use avm_vm::{DataValue, Registry};
///
/// let mut rt = Runtime::new(Space::new().shared(), Rc::new(Registry::new()));
/// // A counter: its output is how many inputs it has had.
/// rt.register_native("counter", |host| {
///     let n = host.get_state()?.first().and_then(DataValue::as_u64).unwrap_or(0) + 1;
///     host.set_state(vec![DataValue::nat(n)])?;
///     Ok(Some(DataValue::nat(n)))
/// });
/// rt.set_gas(1_000);
/// let counter = rt.create_obj(native("counter"), None).unwrap();
/// rt.call(counter, DataValue::unit()).unwrap();
/// assert_eq!(rt.call(counter, DataValue::unit()).unwrap(), Some(DataValue::nat(2u8)));
/// ```
pub struct Runtime {
    pub(crate) space: SpaceHandle,
    pub(crate) registry: Rc<Registry>,
    natives: BTreeMap<String, NativeFn>,
    pub(crate) config: Config,
    pub(crate) machine: MachineId,
    pub(crate) frames: Vec<Frame>,
    pub(crate) tx: Option<Tx>,
    /// The last transaction that ended, and whether it committed.
    pub(crate) last_tx: Option<(TxId, bool)>,
    trace: Trace,
    pub(crate) gas_left: Gas,
    /// The first error inside a VM behaviour's host calls, reported when
    /// the evaluation fails.
    fault: Option<AvmError>,
    /// The error last written to the trace, and where, so that an error
    /// propagating out of nested instructions is written once.
    last_error: Option<(usize, AvmError)>,
    /// How objects on other machines are reached, if they are.
    pub(crate) remote: Option<Rc<dyn Remote>>,
}

impl Runtime {
    /// A runtime over `space`, evaluating behaviours with `registry`, with
    /// the default [`Config`] and no gas.
    pub fn new(space: SpaceHandle, registry: Rc<Registry>) -> Self {
        Runtime::with_config(space, registry, Config::default())
    }

    /// A runtime with `config`.
    pub fn with_config(space: SpaceHandle, registry: Rc<Registry>, config: Config) -> Self {
        Runtime {
            space,
            registry,
            natives: BTreeMap::new(),
            config,
            machine: config.machine,
            frames: Vec::new(),
            tx: None,
            last_tx: None,
            trace: Trace::default(),
            gas_left: 0,
            fault: None,
            last_error: None,
            remote: None,
        }
    }

    /// Reaches objects this runtime's space does not hold through `remote`
    /// (see [`crate::remote`]); objects it creates take their ids from it.
    pub fn set_remote(&mut self, remote: Rc<dyn Remote>) {
        self.remote = Some(remote);
    }

    /// Appends events another machine recorded (see [`crate::remote`]),
    /// renumbered after this trace's own.
    pub fn append_events(&mut self, events: Trace) {
        for entry in events.entries() {
            self.trace.push(entry.controller, entry.event.clone());
        }
    }

    /// Serves a call another machine ships here: `call.object` called by
    /// `call.sender` with `call.depth` calls open along the chain, out of
    /// the gas [`Runtime::set_gas`] gave (the caller paid for the `call`
    /// instruction). While it runs, frames standing for the calls open on
    /// other machines are on the stack, so `sender` and the depth bound
    /// read as on one machine. A call that does not fit the calls open here
    /// (a peer's mistake) is refused.
    pub fn serve_call(&mut self, call: &RemoteCall) -> AvmResult<Option<DataValue>> {
        let base = self.frames.len();
        let result = self.instr("call", 0, |rt| {
            let top = rt.frames.last().map(|f| f.self_id);
            let fits = call.depth <= rt.config.max_depth
                && if call.depth == base {
                    call.sender == top
                } else {
                    call.depth > base && call.sender.is_some()
                };
            if !fits {
                return Err(ObjError::InvalidInput {
                    object: call.object,
                    reason: format!(
                        "a call from another machine at depth {} does not fit the {base} calls open here",
                        call.depth
                    ),
                }
                .into());
            }
            let machine = rt.current_machine_now();
            while rt.frames.len() < call.depth {
                rt.frames.push(Frame {
                    self_id: call.sender.unwrap_or(ObjectId(0)),
                    input: DataValue::unit(),
                    sender: None,
                    machine,
                });
            }
            rt.call_object(call.object, call.input.clone())
        });
        self.frames.truncate(base);
        result
    }

    /// Registers the native behaviour `name` (see [`crate::native`]),
    /// replacing any of the same name.
    pub fn register_native(
        &mut self,
        name: &str,
        f: impl Fn(&mut dyn crate::ObjectHost) -> AvmResult<Option<DataValue>> + Send + Sync + 'static,
    ) {
        self.natives.insert(name.to_string(), Arc::new(f));
    }

    /// Sets the gas budget for what runs next.
    pub fn set_gas(&mut self, gas: Gas) {
        self.gas_left = gas;
    }

    /// The gas left.
    pub fn gas_left(&self) -> Gas {
        self.gas_left
    }

    /// The trace so far. It grows with every event until taken
    /// ([`Runtime::take_trace`]); gas bounds how fast.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// Takes the trace, leaving an empty one.
    pub fn take_trace(&mut self) -> Trace {
        std::mem::take(&mut self.trace)
    }

    /// The space this runtime works on.
    pub fn space(&self) -> &SpaceHandle {
        &self.space
    }

    /// The open transaction, if any.
    pub fn open_tx(&self) -> Option<TxId> {
        self.tx.as_ref().map(|t| t.id)
    }

    /// An object's state as this runtime sees it (through the open
    /// transaction's overlay), without charging gas.
    pub fn state_of(&self, object: ObjectId) -> AvmResult<Vec<DataValue>> {
        self.view(object)?;
        Ok(self.state_view(object))
    }

    /// An object's committed input history, oldest first.
    pub fn history_of(&self, object: ObjectId) -> AvmResult<Vec<DataValue>> {
        let space = self.space.lock();
        let r = space.object(object).ok_or(ObjError::NotFound(object))?;
        Ok(r.history.clone())
    }

    // What every instruction shares.

    /// Pays `cost` for `instruction`, or fails with where gas ran out.
    pub(crate) fn charge(&mut self, instruction: &'static str, cost: Gas) -> AvmResult<()> {
        if self.gas_left < cost {
            let left = self.gas_left;
            self.gas_left = 0;
            return Err(AvmError::OutOfGas {
                site: GasSite {
                    instruction,
                    object: self.frames.last().map(|f| f.self_id),
                    depth: self.frames.len(),
                },
                needed: cost,
                left,
            });
        }
        self.gas_left -= cost;
        Ok(())
    }

    /// Runs one instruction: charges `cost`, runs `f`, and writes a failure
    /// to the trace. Out of gas reaching the top level aborts the open
    /// transaction.
    ///
    /// A top-level instruction (one no other instruction is running) is one
    /// unit of the space ([`Space::begin_unit`](crate::Space::begin_unit)):
    /// everything it applies, nested calls included, reaches the store as one
    /// commit if it succeeds, and is undone if it fails.
    pub(crate) fn instr<T>(
        &mut self,
        name: &'static str,
        cost: Gas,
        f: impl FnOnce(&mut Self) -> AvmResult<T>,
    ) -> AvmResult<T> {
        let top = self.space.lock().begin_unit();
        let result = self.instr_in_unit(name, cost, f);
        if !top {
            return result;
        }
        let ended = self.space.lock().end_unit(result.is_ok());
        match (result, ended) {
            (Ok(_), Err(e)) => {
                self.emit(Event::Error {
                    layer: e.layer().to_string(),
                    message: e.to_string(),
                });
                Err(e)
            }
            (result, _) => result,
        }
    }

    fn instr_in_unit<T>(
        &mut self,
        name: &'static str,
        cost: Gas,
        f: impl FnOnce(&mut Self) -> AvmResult<T>,
    ) -> AvmResult<T> {
        let mark = self.trace.len();
        let result = self.charge(name, cost).and_then(|()| f(self));
        if let Err(e) = &result {
            // An equal error written since this instruction began came from
            // inside it: it is the same failure, propagating.
            let propagated =
                matches!(&self.last_error, Some((at, last)) if *at >= mark && last == e);
            if !propagated {
                self.last_error = Some((self.trace.len(), e.clone()));
                self.emit(Event::Error {
                    layer: e.layer().to_string(),
                    message: e.to_string(),
                });
            }
            if self.frames.is_empty() && matches!(e, AvmError::OutOfGas { .. }) {
                if let Some(tx) = self.tx.take() {
                    self.end_tx(tx.id, tx.controller, false);
                }
            }
        }
        result
    }

    /// Appends `event`, stamped with the open transaction's controller.
    pub(crate) fn emit(&mut self, event: Event) {
        let controller = self.tx.as_ref().and_then(|t| t.controller);
        self.trace.push(controller, event);
    }

    /// Records the end of a transaction that was taken out of `self.tx`.
    pub(crate) fn end_tx(&mut self, id: TxId, controller: Option<ControllerId>, committed: bool) {
        self.last_tx = Some((id, committed));
        let event = if committed {
            Event::TxCommitted { tx: id }
        } else {
            Event::TxAborted { tx: id }
        };
        self.trace.push(controller, event);
    }

    /// The running call's frame, or the introspection error for `what`.
    pub(crate) fn frame(&self, what: &'static str) -> AvmResult<&Frame> {
        self.frames
            .last()
            .ok_or_else(|| IntrospectError::NoFrame(what).into())
    }

    /// Applies `changes` to the space at once (outside a transaction).
    pub(crate) fn apply_now(&mut self, changes: Vec<Change>) -> AvmResult<()> {
        self.space.lock().apply(changes)
    }

    /// An object as the open transaction sees it.
    pub(crate) fn view(&self, id: ObjectId) -> AvmResult<View> {
        if let Some(tx) = &self.tx {
            if tx.destroys.contains(&id) {
                return Err(ObjError::AlreadyDestroyed(id).into());
            }
            if let Some(r) = tx.creates.get(&id) {
                return Ok(View {
                    behaviour: r.behaviour.clone(),
                    meta: r.meta.clone(),
                    version: None,
                });
            }
        }
        let space = self.space.lock();
        let r = space.object(id).ok_or(ObjError::NotFound(id))?;
        Ok(View {
            behaviour: r.behaviour.clone(),
            meta: r.meta.clone(),
            version: Some(r.version),
        })
    }

    /// An existing object's state as the open transaction sees it.
    pub(crate) fn state_view(&self, id: ObjectId) -> Vec<DataValue> {
        if let Some(tx) = &self.tx {
            if let Some(s) = tx.states.get(&id) {
                return s.clone();
            }
            if let Some(r) = tx.creates.get(&id) {
                return r.state.clone();
            }
        }
        let space = self.space.lock();
        space
            .object(id)
            .map(|r| r.state.clone())
            .unwrap_or_default()
    }

    /// Inside a transaction: checks that `id` (controlled by `controller`)
    /// belongs to the transaction's controller, binding a deferred one, and
    /// adds it to the read set.
    pub(crate) fn touch(
        &mut self,
        id: ObjectId,
        controller: Option<ControllerId>,
        version: Option<u64>,
    ) -> AvmResult<()> {
        let Some(tx) = &mut self.tx else {
            return Ok(());
        };
        if !tx.bound {
            tx.controller = controller;
            tx.bound = true;
        } else if tx.controller != controller {
            return Err(ControllerError::CrossControllerTx {
                tx: tx.id,
                object: id,
                object_controller: controller,
                tx_controller: tx.controller,
            }
            .into());
        }
        if let Some(v) = version {
            tx.observed.entry(id).or_insert(Some(v));
        }
        Ok(())
    }

    /// Inside a transaction: adds `id` to the read set as it is committed now (its version,
    /// or that it is missing), unless the transaction created or destroyed it itself. For
    /// instructions that read an object's record without touching it (`getMachine`,
    /// `getController`, `reflect`, `freeze`): their answer is part of the outcome.
    pub(crate) fn observe(&mut self, id: ObjectId) {
        let Some(tx) = &mut self.tx else {
            return;
        };
        if tx.creates.contains_key(&id) || tx.destroys.contains(&id) {
            return;
        }
        let version = self.space.lock().object(id).map(|r| r.version);
        tx.observed.entry(id).or_insert(version);
    }

    /// `call` once paid for, as a savepoint: if the call fails, everything it did is undone
    /// (what it applied to the space, what it staged in the open transaction), whatever its
    /// caller does next. What it read stays in the read set.
    pub(crate) fn call_object(
        &mut self,
        object: ObjectId,
        input: DataValue,
    ) -> AvmResult<Option<DataValue>> {
        let in_space = self.space.lock().savepoint();
        let in_tx = self.tx.as_mut().map(|tx| (tx.id, tx.savepoint()));
        let result = self.run_call(object, input);
        if result.is_err() {
            if let Some(mark) = in_space {
                self.space.lock().rollback(mark);
            }
            if let (Some((id, mark)), Some(tx)) = (in_tx, &mut self.tx) {
                if tx.id == id {
                    tx.rollback(mark);
                }
            }
        }
        result
    }

    /// The call itself: the frame, the behaviour, the trace, and the input joining the
    /// callee's history.
    fn run_call(&mut self, object: ObjectId, input: DataValue) -> AvmResult<Option<DataValue>> {
        if self.frames.len() >= self.config.max_depth {
            return Err(ObjError::CallTooDeep {
                object,
                limit: self.config.max_depth,
            }
            .into());
        }
        crate::limits::check(&input, crate::limits::MESSAGE).map_err(|reason| {
            ObjError::TooLarge {
                what: format!("the input to {object}"),
                reason,
            }
        })?;
        if let Some((remote, machine)) = self.holder(object)? {
            return self.call_remote(remote.as_ref(), machine, object, input);
        }
        let view = self.view(object)?;
        self.touch(object, view.meta.current_controller, view.version)?;
        let sender = self.frames.last().map(|f| f.self_id);
        self.emit(Event::ObjectCalled {
            sender,
            callee: object,
            input: input.clone(),
        });
        self.frames.push(Frame {
            self_id: object,
            input: input.clone(),
            sender,
            machine: view.meta.machine,
        });
        let output = self.run_behaviour(object, &view.behaviour, &input);
        self.frames.pop();
        // A transaction this call began and left open can be ended by no one now.
        if let Some(tx) = self.tx.take_if(|tx| tx.depth > self.frames.len()) {
            self.end_tx(tx.id, tx.controller, false);
            output?;
            return Err(TxError::LeftOpen { tx: tx.id, object }.into());
        }
        let output = output?;
        if let Some(output) = &output {
            crate::limits::check(output, crate::limits::MESSAGE).map_err(|reason| {
                ObjError::TooLarge {
                    what: format!("the output of {object}"),
                    reason,
                }
            })?;
        }
        match &mut self.tx {
            Some(tx) => tx.stage_input(object, input),
            None => self.apply_now(vec![Change::Deliver(object, vec![input])])?,
        }
        self.emit(Event::ObjectReturned {
            callee: object,
            sender,
            output: output.clone(),
        });
        Ok(output)
    }

    /// The remote and machine that hold `object`, if this runtime's space
    /// (and open transaction) does not and another machine does.
    fn holder(&self, object: ObjectId) -> AvmResult<Option<(Rc<dyn Remote>, MachineId)>> {
        let Some(remote) = &self.remote else {
            return Ok(None);
        };
        let created = self
            .tx
            .as_ref()
            .is_some_and(|t| t.creates.contains_key(&object));
        if created || self.space.lock().object(object).is_some() {
            return Ok(None);
        }
        Ok(remote.locate(object)?.map(|m| (Rc::clone(remote), m)))
    }

    /// `call` of an object on another machine: shipped there through
    /// `remote`, which records its events here.
    fn call_remote(
        &mut self,
        remote: &dyn Remote,
        machine: MachineId,
        object: ObjectId,
        input: DataValue,
    ) -> AvmResult<Option<DataValue>> {
        if self.tx.is_some() {
            return Err(MachineError::RemoteDuringTx { object, machine }.into());
        }
        let call = RemoteCall {
            object,
            input,
            sender: self.frames.last().map(|f| f.self_id),
            depth: self.frames.len(),
            gas: self.gas_left,
        };
        let result = remote.call(self, machine, call);
        if let Err(e @ AvmError::Remote { .. }) = &result {
            // Recorded over there: the same failure, propagating.
            self.last_error = Some((self.trace.len(), e.clone()));
        }
        result
    }

    fn run_behaviour(
        &mut self,
        object: ObjectId,
        behaviour: &DataValue,
        input: &DataValue,
    ) -> AvmResult<Option<DataValue>> {
        match behaviour {
            DataValue::Function { vm, code } if *vm == NATIVE_VM => {
                self.charge("native", crate::gas::NATIVE)?;
                let f = std::str::from_utf8(code)
                    .ok()
                    .and_then(|name| self.natives.get(name))
                    .cloned()
                    .ok_or_else(|| {
                        ObjError::NotABehaviour(format!(
                            "object {object} names a native behaviour this runtime does not have"
                        ))
                    })?;
                f(self)
            }
            DataValue::Function { .. } => self.evaluate(object, behaviour, input),
            _ => Err(ObjError::NotABehaviour(format!(
                "object {object}'s behaviour is not a function"
            ))
            .into()),
        }
    }

    /// Evaluates a VM behaviour through the registry, with this runtime as
    /// its host, out of the one gas budget.
    fn evaluate(
        &mut self,
        object: ObjectId,
        behaviour: &DataValue,
        input: &DataValue,
    ) -> AvmResult<Option<DataValue>> {
        let start = self.gas_left;
        self.fault = None;
        let registry = Rc::clone(&self.registry);
        let evaluation = registry
            .multievaluate_in(behaviour, std::slice::from_ref(input), start, self)
            .map_err(|source| AvmError::Vm {
                what: format!("the behaviour of {object}"),
                source,
            })?;
        self.gas_left = start.saturating_sub(evaluation.gas_used);
        match evaluation.result {
            Some(output) => {
                self.fault = None;
                Ok(Some(output))
            }
            None => Err(match self.fault.take() {
                Some(e) => e,
                None if evaluation.gas_used >= start => AvmError::OutOfGas {
                    site: GasSite {
                        instruction: "evaluate",
                        object: Some(object),
                        depth: self.frames.len(),
                    },
                    needed: 1,
                    left: 0,
                },
                // Alu gives no result, and uses no gas, for code that is
                // not a program and for an input it cannot take: say which.
                None if evaluation.gas_used == 0 => {
                    if let Some(reason) = crate::alu::not_a_program(behaviour) {
                        ObjError::NotABehaviour(format!("object {object}'s behaviour: {reason}"))
                            .into()
                    } else if let Some(reason) = crate::alu::unfit_input(input) {
                        ObjError::InvalidInput { object, reason }.into()
                    } else {
                        ObjError::RejectedCall {
                            object,
                            reason: "its behaviour gave no result and used no gas".into(),
                        }
                        .into()
                    }
                }
                // A VM need not say why it gave no result: Alu, for one,
                // stops short of its limit when the next step would cross it.
                None => ObjError::RejectedCall {
                    object,
                    reason: format!(
                        "its behaviour gave no result (it failed, or ran out of gas: it used {} of {start})",
                        evaluation.gas_used
                    ),
                }
                .into(),
            }),
        }
    }
}

impl avm_vm::Host for Runtime {
    fn host_call(&mut self, request: &DataValue, gas_limit: Gas) -> Evaluation<DataValue> {
        let outer = self.gas_left;
        self.gas_left = gas_limit.min(outer);
        let answer = match Request::from_value(request) {
            Ok(r) => crate::request::serve(self, r),
            Err(reason) => {
                let object = self.frames.last().map_or(ObjectId(0), |f| f.self_id);
                let e = AvmError::from(ObjError::InvalidInput {
                    object,
                    reason: format!("a malformed request to the host: {reason}"),
                });
                self.instr("host", 0, |_| Err(e))
            }
        };
        let used = gas_limit.min(outer) - self.gas_left;
        match answer {
            Ok(v) => Evaluation::done(v, used),
            Err(e) => {
                if self.fault.is_none() {
                    self.fault = Some(e);
                }
                Evaluation::failed(used)
            }
        }
    }
}
