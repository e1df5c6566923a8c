//! The committed state of a world of objects: a [`Space`].
//!
//! A space holds every object's record (behaviour, input history, state,
//! metadata, version), the pure-function registry, the id counters and the
//! reachable controllers and machines. It changes only through
//! [`Space::apply`], one [`Change`] list at a time: a committed
//! transaction, or one instruction outside a transaction. Every change
//! bumps the version of the objects it touches, which is what commit-time
//! validation of read sets compares.
//!
//! Several runtimes share one space through a [`SpaceHandle`], as clients
//! of one store do; each applies its changes under the handle's lock, so
//! an application is atomic.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, MutexGuard};

use avm_vm::{ContentId, DataValue};

use crate::ids::{ControllerId, MachineId, ObjectId, TxId};
use crate::meta::ObjectMeta;

/// An object as the space keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectRecord {
    /// Its behaviour: a function value of any VM.
    pub behaviour: DataValue,
    /// Every input it accepted, oldest first.
    pub history: Vec<DataValue>,
    /// Its state (starts empty).
    pub state: Vec<DataValue>,
    /// Where it lives and who controls it.
    pub meta: ObjectMeta,
    /// The space's clock when it last changed.
    pub version: u64,
}

/// A named, versioned, content-hashed pure function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PureFunction {
    /// The function value (any VM).
    pub function: DataValue,
    /// 0 at registration, one more per update.
    pub version: u64,
    /// The content id of `function`.
    pub hash: ContentId,
}

/// One change to a space.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A new object.
    Create(ObjectId, ObjectRecord),
    /// An object's controller changes.
    Transfer(ObjectId, ControllerId),
    /// Inputs join an object's history.
    Deliver(ObjectId, Vec<DataValue>),
    /// An object's state is replaced.
    SetState(ObjectId, Vec<DataValue>),
    /// An object moves to a machine.
    Move(ObjectId, MachineId),
    /// An object is removed.
    Destroy(ObjectId),
    /// A pure function is registered or updated.
    Pure(String, PureFunction),
}

/// The committed state (see the module docs).
#[derive(Clone, Debug)]
pub struct Space {
    objects: BTreeMap<ObjectId, ObjectRecord>,
    pure: BTreeMap<String, PureFunction>,
    next_object: u64,
    next_tx: u64,
    clock: u64,
    controllers: BTreeSet<ControllerId>,
    machines: BTreeSet<MachineId>,
}

impl Default for Space {
    fn default() -> Self {
        Space::new()
    }
}

impl Space {
    /// An empty space on [`MachineId::LOCAL`], with no controllers.
    pub fn new() -> Self {
        Space {
            objects: BTreeMap::new(),
            pure: BTreeMap::new(),
            next_object: 1,
            next_tx: 1,
            clock: 0,
            controllers: BTreeSet::new(),
            machines: BTreeSet::from([MachineId::LOCAL]),
        }
    }

    /// The same space with `controller` reachable.
    pub fn with_controller(mut self, controller: ControllerId) -> Self {
        self.controllers.insert(controller);
        self
    }

    /// The same space with `machine` reachable.
    pub fn with_machine(mut self, machine: MachineId) -> Self {
        self.machines.insert(machine);
        self
    }

    /// This space behind a handle that runtimes share.
    pub fn shared(self) -> SpaceHandle {
        SpaceHandle(Arc::new(Mutex::new(self)))
    }

    /// An object's record.
    pub fn object(&self, id: ObjectId) -> Option<&ObjectRecord> {
        self.objects.get(&id)
    }

    /// Every object, ascending by id.
    pub fn objects(&self) -> impl Iterator<Item = (ObjectId, &ObjectRecord)> {
        self.objects.iter().map(|(id, r)| (*id, r))
    }

    /// A pure function by name.
    pub fn pure(&self, name: &str) -> Option<&PureFunction> {
        self.pure.get(name)
    }

    /// Whether `controller` is reachable.
    pub fn reaches_controller(&self, controller: ControllerId) -> bool {
        self.controllers.contains(&controller)
    }

    /// Whether `machine` is reachable.
    pub fn reaches_machine(&self, machine: MachineId) -> bool {
        self.machines.contains(&machine)
    }

    /// A fresh object id, never given before by this space.
    pub fn fresh_object(&mut self) -> ObjectId {
        let id = ObjectId(self.next_object);
        self.next_object += 1;
        id
    }

    /// A fresh transaction id.
    pub fn fresh_tx(&mut self) -> TxId {
        let id = TxId(self.next_tx);
        self.next_tx += 1;
        id
    }

    /// Applies `changes` in order, each bumping the clock and the version
    /// of the object it touches. Changes to objects that are gone are
    /// skipped: validation before applying rules them out.
    pub fn apply(&mut self, changes: Vec<Change>) {
        for change in changes {
            self.clock += 1;
            let clock = self.clock;
            match change {
                Change::Create(id, mut record) => {
                    record.version = clock;
                    self.objects.insert(id, record);
                }
                Change::Transfer(id, to) => {
                    if let Some(r) = touched(&mut self.objects, id, clock) {
                        r.meta.current_controller = Some(to);
                    }
                }
                Change::Deliver(id, inputs) => {
                    if let Some(r) = touched(&mut self.objects, id, clock) {
                        r.history.extend(inputs);
                    }
                }
                Change::SetState(id, state) => {
                    if let Some(r) = touched(&mut self.objects, id, clock) {
                        r.state = state;
                    }
                }
                Change::Move(id, machine) => {
                    if let Some(r) = touched(&mut self.objects, id, clock) {
                        r.meta.machine = machine;
                    }
                }
                Change::Destroy(id) => {
                    self.objects.remove(&id);
                }
                Change::Pure(name, f) => {
                    self.pure.insert(name, f);
                }
            }
        }
    }
}

/// The record of `id`, its version set to `clock`.
fn touched(
    objects: &mut BTreeMap<ObjectId, ObjectRecord>,
    id: ObjectId,
    clock: u64,
) -> Option<&mut ObjectRecord> {
    let r = objects.get_mut(&id)?;
    r.version = clock;
    Some(r)
}

/// A shared [`Space`]: runtimes over one handle see each other's commits.
#[derive(Clone, Debug)]
pub struct SpaceHandle(Arc<Mutex<Space>>);

impl SpaceHandle {
    /// The space, locked. A panic in another holder does not poison it for
    /// good: changes are applied whole or not at all.
    pub fn lock(&self) -> MutexGuard<'_, Space> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}
