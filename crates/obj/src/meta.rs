//! Plain data the instructions return: [`ObjectMeta`] and the reified
//! context, transaction state and constraints.

use avm_vm::DataValue;

use crate::ids::{ControllerId, MachineId, ObjectId, TxId};

/// What the runtime knows about an object besides its behaviour and state
/// (the specification's `ObjectMeta`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectMeta {
    /// The object.
    pub object: ObjectId,
    /// The machine it lives on.
    pub machine: MachineId,
    /// The controller it was created under, if any.
    pub creating_controller: Option<ControllerId>,
    /// The controller that orders its transactions now, if any.
    pub current_controller: Option<ControllerId>,
}

/// The current frame as a value (`reifyContext`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReifiedContext {
    /// The running object.
    pub self_id: ObjectId,
    /// Its input.
    pub input: DataValue,
    /// Its caller, if an object.
    pub sender: Option<ObjectId>,
    /// The machine execution runs on.
    pub machine: MachineId,
    /// The open transaction's controller, if any.
    pub controller: Option<ControllerId>,
}

/// The open transaction's overlay as a value (`reifyTxState`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReifiedTxState {
    /// The transaction.
    pub tx: TxId,
    /// Objects whose state it writes, ascending.
    pub writes: Vec<ObjectId>,
    /// Objects it creates, ascending.
    pub creates: Vec<ObjectId>,
    /// Objects it destroys, ascending.
    pub destroys: Vec<ObjectId>,
    /// Its read set, ascending.
    pub observed: Vec<ObjectId>,
}

/// The constraint store as a value (`reifyConstraints`). The finite-domain
/// layer is not built yet, so it is always empty.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReifiedConstraints {
    /// Constraint variables.
    pub vars: u64,
    /// Posted constraints.
    pub count: u64,
}
