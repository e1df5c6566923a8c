//! [`ObjectHost`]: one method per instruction of every family of the AVM
//! instruction set (objects, introspection, reflection, reification,
//! transactions, pure functions, machine, controller).
//!
//! The [`crate::Runtime`] implements it; native behaviours receive it as
//! `&mut dyn ObjectHost`, and VMs reach it through plain-data requests
//! ([`crate::request`]). Names follow the specification (`createObj` is
//! [`ObjectHost::create_obj`], and so on). Instructions marked *unsafe*
//! fail unless the runtime was given the permission for them.

use avm_vm::DataValue;

use crate::error::AvmError;
use crate::ids::{ControllerId, MachineId, ObjectId, TxId};
use crate::meta::{ObjectMeta, ReifiedConstraints, ReifiedContext, ReifiedTxState};

/// What every instruction returns: its value, or the error that stops the
/// program.
pub type AvmResult<T> = Result<T, AvmError>;

/// A filter over object metadata, for [`ObjectHost::scry_meta`].
pub type MetaFilter<'a> = &'a dyn Fn(&ObjectMeta) -> bool;

/// A filter over behaviours and metadata, for [`ObjectHost::scry_deep`].
pub type DeepFilter<'a> = &'a dyn Fn(&DataValue, &ObjectMeta) -> bool;

/// The AVM instruction set, as a host offers it to running behaviours.
pub trait ObjectHost {
    // Objects.

    /// `createObj`: a new object with `behaviour` (a function value of any
    /// registered VM) and an empty history and state, under `controller`,
    /// else the transaction's controller, else none.
    fn create_obj(
        &mut self,
        behaviour: DataValue,
        controller: Option<ControllerId>,
    ) -> AvmResult<ObjectId>;
    /// `destroyObj`: removes the object (at commit, inside a transaction).
    fn destroy_obj(&mut self, object: ObjectId) -> AvmResult<bool>;
    /// `call`: runs the object's behaviour on `input`, synchronously, and
    /// returns its output, if it gives one.
    fn call(&mut self, object: ObjectId, input: DataValue) -> AvmResult<Option<DataValue>>;
    /// `receive`: the next message for the running object. Calls are
    /// synchronous, so this is the current input (the specification's
    /// placeholder); `None` at the top level.
    fn receive(&mut self) -> AvmResult<Option<DataValue>>;

    // Introspection.

    /// `self`: the running object.
    fn self_id(&mut self) -> AvmResult<ObjectId>;
    /// `input`: the input of the running call.
    fn input(&mut self) -> AvmResult<DataValue>;
    /// `sender`: the calling object, `None` when called from the top level.
    fn sender(&mut self) -> AvmResult<Option<ObjectId>>;
    /// `getCurrentMachine`: where execution runs.
    fn current_machine(&mut self) -> AvmResult<MachineId>;
    /// `getState`: the running object's state (starts empty).
    fn get_state(&mut self) -> AvmResult<Vec<DataValue>>;
    /// `setState`: replaces the running object's state.
    fn set_state(&mut self, state: Vec<DataValue>) -> AvmResult<()>;

    // Reflection (unsafe).

    /// `reflect`: an object's metadata.
    fn reflect(&mut self, object: ObjectId) -> AvmResult<Option<ObjectMeta>>;
    /// `scryMeta`: every object whose metadata passes `filter`, ascending
    /// by id; gas is charged per object scanned.
    fn scry_meta(&mut self, filter: MetaFilter<'_>) -> AvmResult<Vec<(ObjectId, ObjectMeta)>>;
    /// `scryDeep`: like `scryMeta`, also exposing behaviours.
    fn scry_deep(
        &mut self,
        filter: DeepFilter<'_>,
    ) -> AvmResult<Vec<(ObjectId, DataValue, ObjectMeta)>>;

    // Reification.

    /// `reifyContext`: the current frame as a value.
    fn reify_context(&mut self) -> AvmResult<ReifiedContext>;
    /// `reifyTxState` (unsafe): the open transaction's overlay.
    fn reify_tx_state(&mut self) -> AvmResult<Option<ReifiedTxState>>;
    /// `reifyConstraints` (unsafe): the constraint store (always empty).
    fn reify_constraints(&mut self) -> AvmResult<ReifiedConstraints>;

    // Transactions.

    /// `beginTx`: opens a transaction bound to `controller`, or to the
    /// controller of the first object it touches.
    fn begin_tx(&mut self, controller: Option<ControllerId>) -> AvmResult<TxId>;
    /// `commitTx`: validates the read set and applies every effect
    /// atomically; a conflict aborts the transaction and is an error.
    fn commit_tx(&mut self, tx: TxId) -> AvmResult<bool>;
    /// `abortTx`: discards every effect of the transaction.
    fn abort_tx(&mut self, tx: TxId) -> AvmResult<()>;

    // Pure functions.

    /// `registerPure` (unsafe): names a function value, at version 0.
    fn register_pure(&mut self, name: &str, function: DataValue) -> AvmResult<bool>;
    /// `callPure`: evaluates the named function; `None` if no function has
    /// the name or it gives no result.
    fn call_pure(&mut self, name: &str, args: Vec<DataValue>) -> AvmResult<Option<DataValue>>;
    /// `updatePure`: replaces the named function, bumping its version.
    fn update_pure(&mut self, name: &str, function: DataValue) -> AvmResult<bool>;

    // Machines.

    /// `getMachine`: where an object lives.
    fn get_machine(&mut self, object: ObjectId) -> AvmResult<Option<MachineId>>;
    /// `teleport`: moves execution to another machine (not inside a
    /// transaction).
    fn teleport(&mut self, machine: MachineId) -> AvmResult<bool>;
    /// `moveObject`: moves an object to another machine.
    fn move_object(&mut self, object: ObjectId, machine: MachineId) -> AvmResult<bool>;
    /// `fetch`: brings an object to the current machine.
    fn fetch(&mut self, object: ObjectId) -> AvmResult<bool>;

    // Controllers.

    /// `getCurrentController`: the open transaction's controller.
    fn current_controller(&mut self) -> AvmResult<Option<ControllerId>>;
    /// `getController`: an object's controller (pending transfers first).
    fn get_controller(&mut self, object: ObjectId) -> AvmResult<Option<ControllerId>>;
    /// `transferObject`: hands an object to another controller.
    fn transfer_object(&mut self, object: ObjectId, to: ControllerId) -> AvmResult<bool>;
    /// `freeze`: syncs an object's replicas through its controller;
    /// `None` if it has no controller, `Some(false)` if it is missing.
    fn freeze(&mut self, object: ObjectId) -> AvmResult<Option<bool>>;
}
