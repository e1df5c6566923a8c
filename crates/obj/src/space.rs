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
//!
//! A space opened on an [`avm_store::Store`] ([`Space::open`]) writes each
//! application as one atomic store commit before it returns (see
//! [`crate::persist`] for the layout), so a committed transaction is as
//! durable as the store; if the store refuses, the space undoes the
//! application in memory, so memory never shows a change the store does not
//! have.
//!
//! Between [`Space::begin_unit`] and [`Space::end_unit`] applications are
//! gathered into one unit: applied in memory at once (later reads see them),
//! written to the store as one commit at the end, or all undone. The runtime
//! makes every top-level instruction (a whole call, with everything nested in
//! it) such a unit, so a failed or killed call leaves nothing behind. A unit
//! belongs to the space, not to one runtime: runtimes that share a space must
//! take turns by top-level instruction.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, MutexGuard};

use avm_store::{Batch, Store};
use avm_vm::{codec, ContentId, DataValue};

use crate::error::AvmError;
use crate::ids::{ControllerId, MachineId, ObjectId, TxId};
use crate::meta::ObjectMeta;
use crate::persist::{self, store_error};
use crate::savepoint::StateSaves;

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
pub struct Space {
    objects: BTreeMap<ObjectId, ObjectRecord>,
    pure: BTreeMap<String, PureFunction>,
    next_object: u64,
    next_tx: u64,
    clock: u64,
    controllers: BTreeSet<ControllerId>,
    machines: BTreeSet<MachineId>,
    store: Option<Box<dyn Store + Send>>,
    /// The open unit of applications, if any.
    unit: Option<Unit>,
}

/// Applications gathered by [`Space::begin_unit`]: what to write, and how to undo them.
struct Unit {
    written: Written,
    /// How to undo each application, oldest first: undoing from the end back to a
    /// [`Space::savepoint`] restores the space as it was there.
    journal: Vec<Undo>,
    /// Which states the journal must still save.
    saves: StateSaves,
    /// The id counters and the clock when the unit began.
    counters: (u64, u64, u64),
}

/// How to undo one applied [`Change`]. Each holds what the change replaced (moved out, not
/// copied) and the object's version before it. A state write whose object's state is saved
/// since the innermost savepoint has none ([`StateSaves`]): undoing the earlier one restores
/// both state and version.
enum Undo {
    /// A created object: remove it.
    Remove(ObjectId),
    /// A destroyed or replaced object: put it back.
    Restore(ObjectId, ObjectRecord),
    /// A transferred or moved object: its metadata before.
    Meta(ObjectId, ObjectMeta, u64),
    /// Inputs delivered: the history's length before.
    Truncate(ObjectId, usize, u64),
    /// A state replaced: the state before.
    State(ObjectId, Vec<DataValue>, u64),
    /// A pure function registered or updated: what was under its name.
    Pure(String, Option<PureFunction>),
}

impl std::fmt::Debug for Space {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Space")
            .field("objects", &self.objects.len())
            .field("pure", &self.pure.len())
            .field("clock", &self.clock)
            .field("stored", &self.store.is_some())
            .finish()
    }
}

/// What applications changed, for writing it to the store. A space without a store
/// notes nothing (there is nothing to write).
#[derive(Default)]
struct Written {
    /// Whether changes are noted.
    noting: bool,
    objects: BTreeSet<ObjectId>,
    /// Objects whose history grew, and from which index.
    histories: BTreeMap<ObjectId, u64>,
    pure: BTreeSet<String>,
}

impl Written {
    /// Notes that `id`'s record changed.
    fn object(&mut self, id: ObjectId) {
        if self.noting {
            self.objects.insert(id);
        }
    }

    /// Notes that `id` was created (or its record replaced): all of its history is new.
    fn created(&mut self, id: ObjectId) {
        if self.noting {
            self.objects.insert(id);
            self.histories.insert(id, 0);
        }
    }

    /// Notes that `id`'s history grew from index `from` (unless it grew earlier in the unit).
    fn history(&mut self, id: ObjectId, from: u64) {
        if self.noting {
            self.histories.entry(id).or_insert(from);
        }
    }

    /// Notes that the pure function `name` changed.
    fn pure(&mut self, name: &str) {
        if self.noting && !self.pure.contains(name) {
            self.pure.insert(name.to_string());
        }
    }
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
            store: None,
            unit: None,
        }
    }

    /// The space `store` holds (empty if it holds none), writing every
    /// later change to it. Fails on a damaged entry, naming it.
    pub fn open(store: impl Store + Send + 'static) -> Result<Space, AvmError> {
        let mut space = Space::new();
        space.store = Some(Box::new(store));
        space.reload()?;
        Ok(space)
    }

    /// Replaces everything in memory by what the store holds.
    fn reload(&mut self) -> Result<(), AvmError> {
        let Some(store) = &self.store else {
            return Ok(());
        };
        let loaded = persist::load(store.as_ref())?;
        let (next_object, next_tx, clock) = loaded.counters.unwrap_or((1, 1, 0));
        self.objects = loaded.objects;
        self.pure = loaded.pure;
        (self.next_object, self.next_tx, self.clock) = (next_object, next_tx, clock);
        self.controllers.extend(loaded.controllers);
        self.machines.extend(loaded.machines);
        Ok(())
    }

    /// Makes `controller` reachable, durably if the space has a store.
    pub fn add_controller(&mut self, controller: ControllerId) -> Result<(), AvmError> {
        self.controllers.insert(controller);
        self.write_reach()
    }

    /// Makes `machine` reachable, durably if the space has a store.
    pub fn add_machine(&mut self, machine: MachineId) -> Result<(), AvmError> {
        self.machines.insert(machine);
        self.write_reach()
    }

    fn write_reach(&mut self) -> Result<(), AvmError> {
        let Some(store) = &mut self.store else {
            return Ok(());
        };
        let mut batch = Batch::new();
        persist::put_reach(&mut batch, &self.controllers, &self.machines);
        store.commit(batch).map_err(store_error)
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

    /// Every object from id `from` on, ascending by id.
    pub fn objects_from(&self, from: ObjectId) -> impl Iterator<Item = (ObjectId, &ObjectRecord)> {
        self.objects.range(from..).map(|(id, r)| (*id, r))
    }

    /// The id [`Space::fresh_object`] gives next (every object there is has a smaller one).
    pub fn next_object(&self) -> ObjectId {
        ObjectId(self.next_object)
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

    /// A fresh object id, never given before by this space; `None` once
    /// the ids are exhausted (a counter loaded at its maximum).
    pub fn fresh_object(&mut self) -> Option<ObjectId> {
        let id = ObjectId(self.next_object);
        self.next_object = self.next_object.checked_add(1)?;
        Some(id)
    }

    /// A fresh transaction id (ids only tell transactions of one runtime
    /// apart, so at the counter's maximum they repeat).
    pub fn fresh_tx(&mut self) -> TxId {
        let id = TxId(self.next_tx);
        self.next_tx = self.next_tx.saturating_add(1);
        id
    }

    /// Applies `changes` in order, each bumping the clock and the version
    /// of the object it touches, and writes them to the store (if any) in
    /// one atomic commit. Changes to objects that are gone are skipped:
    /// validation before applying rules them out.
    /// Inside a unit ([`Space::begin_unit`]) the store is written at its end.
    pub fn apply(&mut self, changes: Vec<Change>) -> Result<(), AvmError> {
        match self.unit.take() {
            Some(mut unit) => {
                self.apply_into(changes, &mut unit);
                self.unit = Some(unit);
                Ok(())
            }
            None => {
                let mut unit = self.fresh_unit();
                self.apply_into(changes, &mut unit);
                self.finish(unit)
            }
        }
    }

    /// An empty unit that undoes to the counters as they are now.
    fn fresh_unit(&self) -> Unit {
        Unit {
            written: Written {
                noting: self.store.is_some(),
                ..Written::default()
            },
            journal: Vec::new(),
            saves: StateSaves::default(),
            counters: (self.next_object, self.next_tx, self.clock),
        }
    }

    /// Starts gathering applications into one unit (see the module docs); `false` (and
    /// nothing done) if a unit is open already.
    pub fn begin_unit(&mut self) -> bool {
        if self.unit.is_some() {
            return false;
        }
        self.unit = Some(self.fresh_unit());
        true
    }

    /// Ends the open unit: with `keep`, writes it to the store as one commit (undoing it
    /// in memory if the store refuses, and returning the store's error); without, undoes
    /// it. Without an open unit, does nothing.
    pub fn end_unit(&mut self, keep: bool) -> Result<(), AvmError> {
        let Some(unit) = self.unit.take() else {
            return Ok(());
        };
        if keep {
            self.finish(unit)
        } else {
            self.undo(unit);
            Ok(())
        }
    }

    /// A point inside the open unit to roll back to ([`Space::rollback`]); `None` without
    /// an open unit. The runtime takes one at every call, so a nested call that fails
    /// leaves nothing of what it applied, even when its caller goes on and succeeds.
    pub(crate) fn savepoint(&mut self) -> Option<usize> {
        let unit = self.unit.as_mut()?;
        Some(unit.saves.savepoint(unit.journal.len()))
    }

    /// Undoes, in memory, every application of the open unit since `savepoint` (newest
    /// first). Ids drawn since stay drawn and the clock is not turned back, so an id or a
    /// version is never given twice within the unit. The unit still writes the objects
    /// those applications touched, as they now are.
    pub(crate) fn rollback(&mut self, savepoint: usize) {
        let Some(mut unit) = self.unit.take() else {
            return;
        };
        self.rewind(&mut unit.journal, savepoint);
        unit.saves.rolled_back(savepoint);
        self.unit = Some(unit);
    }

    /// Undoes the entries of `journal` after the first `to`, newest first.
    fn rewind(&mut self, journal: &mut Vec<Undo>, to: usize) {
        while journal.len() > to {
            let Some(undo) = journal.pop() else { break };
            let (id, version) = match undo {
                Undo::Remove(id) => {
                    self.objects.remove(&id);
                    continue;
                }
                Undo::Restore(id, record) => {
                    self.objects.insert(id, record);
                    continue;
                }
                Undo::Pure(name, before) => {
                    match before {
                        Some(f) => self.pure.insert(name, f),
                        None => self.pure.remove(&name),
                    };
                    continue;
                }
                Undo::Meta(id, meta, version) => {
                    if let Some(r) = self.objects.get_mut(&id) {
                        r.meta = meta;
                    }
                    (id, version)
                }
                Undo::Truncate(id, len, version) => {
                    if let Some(r) = self.objects.get_mut(&id) {
                        r.history.truncate(len);
                    }
                    (id, version)
                }
                Undo::State(id, state, version) => {
                    if let Some(r) = self.objects.get_mut(&id) {
                        r.state = state;
                    }
                    (id, version)
                }
            };
            if let Some(r) = self.objects.get_mut(&id) {
                r.version = version;
            }
        }
    }

    /// Writes `unit` as one store commit (none if it applied nothing); on failure, undoes
    /// it in memory.
    fn finish(&mut self, unit: Unit) -> Result<(), AvmError> {
        if unit.written.objects.is_empty() && unit.written.pure.is_empty() {
            return Ok(());
        }
        let committed = match self.batch(&unit.written) {
            Ok(None) => return Ok(()),
            Ok(Some(batch)) => match &mut self.store {
                Some(store) => store.commit(batch),
                None => Ok(()),
            },
            Err(e) => Err(e),
        };
        committed.map_err(|e| {
            self.undo(unit);
            store_error(e)
        })
    }

    /// Undoes all of `unit` in memory, counters included.
    fn undo(&mut self, mut unit: Unit) {
        self.rewind(&mut unit.journal, 0);
        (self.next_object, self.next_tx, self.clock) = unit.counters;
    }

    /// Applies `changes` in memory, noting in `unit` what to write and how to undo it.
    fn apply_into(&mut self, changes: Vec<Change>, unit: &mut Unit) {
        let Unit {
            written,
            journal,
            saves,
            ..
        } = unit;
        for change in changes {
            self.clock = self.clock.saturating_add(1);
            let clock = self.clock;
            match change {
                Change::Create(id, mut record) => {
                    record.version = clock;
                    written.created(id);
                    journal.push(match self.objects.insert(id, record) {
                        Some(before) => Undo::Restore(id, before),
                        None => Undo::Remove(id),
                    });
                }
                Change::Transfer(id, to) => {
                    if let Some((r, version)) = touched(&mut self.objects, written, id, clock) {
                        let before = r.meta.clone();
                        r.meta.current_controller = Some(to);
                        journal.push(Undo::Meta(id, before, version));
                    }
                }
                Change::Deliver(id, inputs) => {
                    if let Some((r, version)) = touched(&mut self.objects, written, id, clock) {
                        let len = r.history.len();
                        written.history(id, len as u64);
                        r.history.extend(inputs);
                        journal.push(Undo::Truncate(id, len, version));
                    }
                }
                Change::SetState(id, state) => {
                    if let Some((r, version)) = touched(&mut self.objects, written, id, clock) {
                        let before = std::mem::replace(&mut r.state, state);
                        let saved_at = |i: usize| matches!(journal.get(i), Some(Undo::State(x, ..)) if *x == id);
                        if saves.must_save(id, journal.len(), saved_at) {
                            journal.push(Undo::State(id, before, version));
                        }
                    }
                }
                Change::Move(id, machine) => {
                    if let Some((r, version)) = touched(&mut self.objects, written, id, clock) {
                        let before = r.meta.clone();
                        r.meta.machine = machine;
                        journal.push(Undo::Meta(id, before, version));
                    }
                }
                Change::Destroy(id) => {
                    written.object(id);
                    if let Some(r) = self.objects.remove(&id) {
                        journal.push(Undo::Restore(id, r));
                    }
                }
                Change::Pure(name, f) => {
                    written.pure(&name);
                    let before = self.pure.insert(name.clone(), f);
                    journal.push(Undo::Pure(name, before));
                }
            }
        }
    }

    /// The store commit for `written`; `None` without a store.
    fn batch(&self, written: &Written) -> Result<Option<Batch>, avm_store::StoreError> {
        let Some(store) = &self.store else {
            return Ok(None);
        };
        let mut batch = Batch::new();
        for &id in &written.objects {
            match self.objects.get(&id) {
                Some(r) => persist::put_object(&mut batch, id, r),
                None => {
                    batch.delete(persist::OBJECTS, persist::object_key(id));
                    for (key, _) in store.scan(persist::HISTORY, &persist::object_key(id))? {
                        batch.delete(persist::HISTORY, key);
                    }
                }
            }
        }
        for (&id, &from) in &written.histories {
            if let Some(r) = self.objects.get(&id) {
                for (i, input) in r.history.iter().enumerate().skip(from as usize) {
                    batch.put(
                        persist::HISTORY,
                        persist::history_key(id, i as u64),
                        codec::encode(input),
                    );
                }
            }
        }
        for name in &written.pure {
            if let Some(f) = self.pure.get(name) {
                persist::put_pure(&mut batch, name, f);
            }
        }
        persist::put_counters(&mut batch, self.next_object, self.next_tx, self.clock);
        Ok(Some(batch))
    }
}

/// The record of `id` and its version before, the version set to `clock` and the object
/// noted as written.
fn touched<'a>(
    objects: &'a mut BTreeMap<ObjectId, ObjectRecord>,
    written: &mut Written,
    id: ObjectId,
    clock: u64,
) -> Option<(&'a mut ObjectRecord, u64)> {
    let r = objects.get_mut(&id)?;
    let before = std::mem::replace(&mut r.version, clock);
    written.object(id);
    Some((r, before))
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
