//! Plain data the instructions return: [`ObjectMeta`] and the reified
//! context, transaction state and constraints.

use avm_vm::DataValue;

use crate::ids::{ControllerId, MachineId, ObjectId, TxId};
use crate::shape::option;

/// An optional controller as a value.
fn controller(c: Option<ControllerId>) -> DataValue {
    option(c.map(ControllerId::to_value))
}

/// Ids as a tuple of naturals.
fn ids(ids: &[ObjectId]) -> DataValue {
    DataValue::Tuple(ids.iter().map(|o| o.to_value()).collect())
}

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

impl ObjectMeta {
    /// The metadata as a value: `(object, machine, creating?, current?)`,
    /// each controller an option.
    pub fn to_value(&self) -> DataValue {
        DataValue::tuple([
            self.object.to_value(),
            self.machine.to_value(),
            controller(self.creating_controller),
            controller(self.current_controller),
        ])
    }
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

impl ReifiedContext {
    /// The context as a value: `(self, input, sender?, machine,
    /// controller?)`.
    pub fn to_value(&self) -> DataValue {
        DataValue::tuple([
            self.self_id.to_value(),
            self.input.clone(),
            option(self.sender.map(ObjectId::to_value)),
            self.machine.to_value(),
            controller(self.controller),
        ])
    }
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

impl ReifiedTxState {
    /// The overlay as a value: `(tx, writes, creates, destroys, observed)`,
    /// each set a tuple of ids.
    pub fn to_value(&self) -> DataValue {
        DataValue::tuple([
            self.tx.to_value(),
            ids(&self.writes),
            ids(&self.creates),
            ids(&self.destroys),
            ids(&self.observed),
        ])
    }
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

impl ReifiedConstraints {
    /// The store as a value: `(vars, count)`.
    pub fn to_value(&self) -> DataValue {
        DataValue::tuple([DataValue::nat(self.vars), DataValue::nat(self.count)])
    }
}
