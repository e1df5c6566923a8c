//! Errors in the specification's layers: objects, introspection,
//! reflection, reification, transactions, pure functions, machines and
//! controllers, plus gas and the VM registry, gathered in [`AvmError`].
//!
//! Every error names what it is about (an object, a transaction, a
//! function, a machine, a controller) and reads as a sentence.

use avm_vm::{Gas, RegistryError};
use thiserror::Error;

use crate::ids::{ControllerId, MachineId, ObjectId, TxId};

/// The object layer: creating, destroying and calling objects.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ObjError {
    /// No object has this id (never created, or destroyed).
    #[error("object {0} does not exist")]
    NotFound(ObjectId),
    /// The object was destroyed already in this transaction.
    #[error("object {0} is already destroyed")]
    AlreadyDestroyed(ObjectId),
    /// An object with this id exists already.
    #[error("object {0} exists already")]
    AlreadyExists(ObjectId),
    /// The input cannot be given to the object's behaviour.
    #[error("object {object} cannot take this input: {reason}")]
    InvalidInput {
        /// The callee.
        object: ObjectId,
        /// Why not.
        reason: String,
    },
    /// The behaviour ran and gave no result: it failed or refused the input.
    #[error("object {object} rejected the call: {reason}")]
    RejectedCall {
        /// The callee.
        object: ObjectId,
        /// What happened.
        reason: String,
    },
    /// The behaviour is not a function value, or names no known native
    /// behaviour.
    #[error("not a runnable behaviour: {0}")]
    NotABehaviour(String),
    /// Calls nest deeper than the runtime allows.
    #[error("calling object {object} would nest calls deeper than {limit}")]
    CallTooDeep {
        /// The callee.
        object: ObjectId,
        /// The bound on nesting.
        limit: usize,
    },
    /// A value too deep or too large to be kept: the store and the trace could not read it
    /// back (see [`crate::limits`]).
    #[error("{what} cannot be kept: {reason}")]
    TooLarge {
        /// Which value (an input, an output, a state, a behaviour), and whose.
        what: String,
        /// Which limit it passes.
        reason: String,
    },
    /// The stored record of an object is damaged.
    #[error("the stored record of object {object} is damaged: {reason}")]
    MetadataCorruption {
        /// The object.
        object: ObjectId,
        /// What is wrong.
        reason: String,
    },
}

/// The introspection layer: reading the current frame.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum IntrospectError {
    /// The instruction reads a frame, but no object is running.
    #[error("`{0}` reads the current object's frame, but no object is running")]
    NoFrame(&'static str),
}

/// The reflection layer: unsafe reads of other objects' metadata.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ReflectError {
    /// The runtime was not given the permission for unsafe instructions.
    #[error("`{0}` is unsafe and this runtime does not allow unsafe instructions")]
    NotPermitted(&'static str),
}

/// The reification layer: the context and transaction state as values.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ReifyError {
    /// The runtime was not given the permission for unsafe instructions.
    #[error("`{0}` is unsafe and this runtime does not allow unsafe instructions")]
    NotPermitted(&'static str),
}

/// The transaction layer.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum TxError {
    /// The read set no longer holds: another commit changed or removed an
    /// object this transaction observed.
    #[error(
        "transaction {tx} conflicts on object {object}: it changed after the transaction read it"
    )]
    Conflict {
        /// The transaction.
        tx: TxId,
        /// The first object (by id) whose version changed.
        object: ObjectId,
    },
    /// The id is not the active transaction's.
    #[error("transaction {given} is not the active one ({active})")]
    NotFound {
        /// The id given.
        given: TxId,
        /// The active transaction.
        active: TxId,
    },
    /// The transaction committed already.
    #[error("transaction {0} committed already")]
    AlreadyCommitted(TxId),
    /// The transaction aborted already.
    #[error("transaction {0} aborted already")]
    AlreadyAborted(TxId),
    /// No transaction is active.
    #[error("no transaction is active")]
    NoActiveTx,
    /// A transaction is active already: transactions do not nest.
    #[error("transaction {0} is active already: transactions do not nest")]
    AlreadyActive(TxId),
    /// The instruction is not allowed inside a transaction.
    #[error("`{0}` is not allowed inside a transaction")]
    InvalidDuringTx(&'static str),
    /// A call tried to commit or abort a transaction that a caller further out began: a
    /// transaction belongs to the call that began it.
    #[error("transaction {tx} was begun by {}, not by this call: only the call that begins a transaction may end it", began_by.map_or_else(|| "the caller of the top-level call".to_string(), |o| o.to_string()))]
    NotOwner {
        /// The transaction.
        tx: TxId,
        /// The object whose call began it (`None`: begun outside any call).
        began_by: Option<ObjectId>,
    },
    /// A call began a transaction and returned without ending it; the transaction was
    /// aborted.
    #[error("the call of {object} began transaction {tx} and returned without committing or aborting it: {tx} aborted, nothing of it changed")]
    LeftOpen {
        /// The transaction.
        tx: TxId,
        /// The object whose call began it.
        object: ObjectId,
    },
    /// The read set no longer holds: a pure function the transaction called (or found
    /// missing) was registered or updated by another commit since.
    #[error("transaction {tx} conflicts on pure function `{name}`: it changed after the transaction called it")]
    PureConflict {
        /// The transaction.
        tx: TxId,
        /// The function's name.
        name: String,
    },
}

/// The pure-function layer.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PureError {
    /// No function has this name.
    #[error("no pure function is named `{0}`")]
    FunctionNotFound(String),
    /// A function has this name already.
    #[error("a pure function named `{0}` is registered already")]
    AlreadyRegistered(String),
    /// The update would not change the function.
    #[error("pure function `{name}` is already version {version} with this code")]
    VersionConflict {
        /// The name.
        name: String,
        /// Its current version.
        version: u64,
    },
    /// The value given is not a function.
    #[error("pure function `{0}` must be a function value")]
    NotAFunction(String),
    /// Registration is unsafe and the runtime does not allow it.
    #[error("`registerPure` is unsafe and this runtime does not allow unsafe instructions")]
    NotPermitted,
}

/// The machine layer.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum MachineError {
    /// The machine cannot be reached from here.
    #[error("machine {0} is unreachable")]
    Unreachable(MachineId),
    /// The object cannot move there.
    #[error("object {object} cannot move to machine {machine}")]
    InvalidMachineTransfer {
        /// The object.
        object: ObjectId,
        /// The target.
        machine: MachineId,
    },
    /// Execution cannot move while a transaction is open.
    #[error("cannot teleport to machine {0} while a transaction is open")]
    TeleportDuringTx(MachineId),
    /// Another machine could not be reached, or broke the protocol.
    #[error("machine {machine} cannot be reached: {reason}")]
    Link {
        /// The machine.
        machine: MachineId,
        /// What went wrong.
        reason: String,
    },
    /// A transaction reached an object on another machine: a transaction
    /// stays on one machine until cross-machine commit is built.
    #[error(
        "object {object} is on machine {machine}: a transaction cannot reach another machine yet"
    )]
    RemoteDuringTx {
        /// The object.
        object: ObjectId,
        /// Its machine.
        machine: MachineId,
    },
}

/// The controller layer.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ControllerError {
    /// The controller cannot be reached from here.
    #[error("controller {0} is unreachable")]
    Unreachable(ControllerId),
    /// The object may not be transferred.
    #[error("object {object} cannot be transferred to controller {to}")]
    UnauthorizedTransfer {
        /// The object.
        object: ObjectId,
        /// The intended controller.
        to: ControllerId,
    },
    /// The object belongs to another controller than the transaction's.
    #[error("object {object} belongs to {}, but transaction {tx} is bound to {}: a transaction stays within one controller", show(.object_controller), show(.tx_controller))]
    CrossControllerTx {
        /// The transaction.
        tx: TxId,
        /// The object touched.
        object: ObjectId,
        /// Its controller.
        object_controller: Option<ControllerId>,
        /// The transaction's controller.
        tx_controller: Option<ControllerId>,
    },
    /// No controller is available for the operation.
    #[error("no controller is available for object {0}")]
    NotAvailable(ObjectId),
    /// Replicas of the object disagree.
    #[error("the replicas of object {0} are not consistent")]
    NotConsistent(ObjectId),
    /// Freezing the object failed.
    #[error("freezing object {0} failed")]
    FreezeFailed(ObjectId),
    /// The operation needs a controller and the object has none.
    #[error("object {0} has no controller")]
    HasNoController(ObjectId),
}

fn show(c: &Option<ControllerId>) -> String {
    c.map_or_else(
        || "no controller".to_string(),
        |c| format!("controller {c}"),
    )
}

/// Where gas ran out: the instruction, the object running it (none at the
/// top level) and the call depth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GasSite {
    /// The instruction that could not be paid for.
    pub instruction: &'static str,
    /// The object whose behaviour was running, if any.
    pub object: Option<ObjectId>,
    /// How many calls deep (0: the top level).
    pub depth: usize,
}

impl std::fmt::Display for GasSite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.object {
            Some(o) => write!(
                f,
                "`{}` in object {o} at call depth {}",
                self.instruction, self.depth
            ),
            None => write!(f, "`{}` at the top level", self.instruction),
        }
    }
}

/// Any error of the object runtime, by layer.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum AvmError {
    /// The object layer.
    #[error(transparent)]
    Obj(#[from] ObjError),
    /// The introspection layer.
    #[error(transparent)]
    Introspect(#[from] IntrospectError),
    /// The reflection layer.
    #[error(transparent)]
    Reflect(#[from] ReflectError),
    /// The reification layer.
    #[error(transparent)]
    Reify(#[from] ReifyError),
    /// The transaction layer.
    #[error(transparent)]
    Tx(#[from] TxError),
    /// The pure-function layer.
    #[error(transparent)]
    Pure(#[from] PureError),
    /// The machine layer.
    #[error(transparent)]
    Machine(#[from] MachineError),
    /// The controller layer.
    #[error(transparent)]
    Controller(#[from] ControllerError),
    /// The call tree ran out of gas; an open transaction was aborted.
    #[error("out of gas at {site}: it needs {needed} more, {left} left")]
    OutOfGas {
        /// Where.
        site: GasSite,
        /// What the step needed.
        needed: Gas,
        /// What was left.
        left: Gas,
    },
    /// The VM registry refused an evaluation.
    #[error("evaluating {what}: {source}")]
    Vm {
        /// What was being evaluated (an object's behaviour, a pure function).
        what: String,
        /// What the registry said.
        source: RegistryError,
    },
    /// The store failed.
    #[error("store: {0}")]
    Store(String),
    /// An instruction of the nondeterminism or finite-domain family
    /// (`choose`, `require`, `newVar`, ...) outside an intent host: they
    /// run when avm-intent extracts or validates an intent, not in an
    /// object call.
    #[error("`{0}` runs only under an intent host (avm intent submit, avm solve), not in an object call")]
    Intent(&'static str),
    /// An error another machine recorded in its trace, as it reported it
    /// ([`crate::remote`]): its layer and message.
    #[error("{message}")]
    Remote {
        /// The layer ([`AvmError::layer`] over there).
        layer: &'static str,
        /// The message.
        message: String,
    },
}

/// Every layer an error can name ([`AvmError::layer`]).
pub const LAYERS: [&str; 13] = [
    "object",
    "introspection",
    "reflection",
    "reification",
    "transaction",
    "pure",
    "machine",
    "controller",
    "gas",
    "vm",
    "store",
    "intent",
    "remote",
];

impl AvmError {
    /// The specification's layer of this error, as a word.
    pub fn layer(&self) -> &'static str {
        match self {
            AvmError::Obj(_) => "object",
            AvmError::Introspect(_) => "introspection",
            AvmError::Reflect(_) => "reflection",
            AvmError::Reify(_) => "reification",
            AvmError::Tx(_) => "transaction",
            AvmError::Pure(_) => "pure",
            AvmError::Machine(_) => "machine",
            AvmError::Controller(_) => "controller",
            AvmError::OutOfGas { .. } => "gas",
            AvmError::Vm { .. } => "vm",
            AvmError::Store(_) => "store",
            AvmError::Intent(_) => "intent",
            AvmError::Remote { layer, .. } => layer,
        }
    }

    /// The error another machine reported with `layer` and `message`
    /// (a layer not in [`LAYERS`] reads as `remote`).
    pub fn remote(layer: &str, message: String) -> AvmError {
        let layer = LAYERS.into_iter().find(|l| *l == layer).unwrap_or("remote");
        AvmError::Remote { layer, message }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_what_they_are_about() {
        let e = AvmError::from(ControllerError::CrossControllerTx {
            tx: TxId(1),
            object: ObjectId(4),
            object_controller: Some(ControllerId(2)),
            tx_controller: Some(ControllerId(1)),
        });
        assert_eq!(e.layer(), "controller");
        assert_eq!(
            e.to_string(),
            "object obj4 belongs to controller c2, but transaction tx1 is bound to controller c1: \
             a transaction stays within one controller"
        );
        let e = AvmError::OutOfGas {
            site: GasSite {
                instruction: "call",
                object: Some(ObjectId(3)),
                depth: 2,
            },
            needed: 10,
            left: 4,
        };
        assert_eq!(
            e.to_string(),
            "out of gas at `call` in object obj3 at call depth 2: it needs 10 more, 4 left"
        );
    }
}
