//! The transaction overlay: effects staged until commit.
//!
//! A [`Tx`] collects creates, destroys, transfers, delivered inputs
//! (messages) and state writes, each with how to undo it (so a failed call's
//! effects roll back), and the read set (`observed`: every object touched or
//! read, with the version it had; a scan's bound; the pure functions called).
//! [`Tx::validate`] checks the
//! read set against the space (optimistic concurrency: the transaction
//! serializes after every commit it did not see only if none of them
//! touched what it read); [`Tx::into_changes`] orders the effects as the
//! specification applies them: creates, transfers, writes (messages),
//! states, destroys.

use std::collections::{BTreeMap, BTreeSet};

use avm_vm::{ContentId, DataValue};

use crate::error::TxError;
use crate::ids::{ControllerId, ObjectId, TxId};
use crate::meta::ReifiedTxState;
use crate::savepoint::StateSaves;
use crate::space::{Change, ObjectRecord, Space};

/// An open transaction.
#[derive(Clone, Debug)]
pub(crate) struct Tx {
    pub id: TxId,
    /// How many calls were open when it began: only a call at that depth (the one that began
    /// it) may commit or abort it.
    pub depth: usize,
    /// The object whose call began it (`None` outside any call).
    pub began_by: Option<ObjectId>,
    /// The controller, once bound (at begin, or by the first object touched).
    pub controller: Option<ControllerId>,
    pub bound: bool,
    pub creates: BTreeMap<ObjectId, ObjectRecord>,
    pub destroys: BTreeSet<ObjectId>,
    /// The read set: every committed object whose record the transaction's outcome may
    /// depend on, with the version it had when first read, or `None` if it was read as
    /// missing.
    pub observed: BTreeMap<ObjectId, Option<u64>>,
    /// Set by a scan of every object (`scryMeta`, `scryDeep`): the first object id not yet
    /// given then. An object from there on was not seen by the scan, so one committed by
    /// another runtime before this transaction commits would have changed its result.
    pub scan_bound: Option<ObjectId>,
    /// The pure functions called, by name, with the content id each had when first called
    /// (`None`: none had the name): part of the read set too.
    pub pure_read: BTreeMap<String, Option<ContentId>>,
    pub states: BTreeMap<ObjectId, Vec<DataValue>>,
    pub transfers: BTreeMap<ObjectId, ControllerId>,
    pub delivered: BTreeMap<ObjectId, Vec<DataValue>>,
    /// How to undo each staged effect, oldest first (see [`Tx::rollback`]).
    journal: Vec<Unstage>,
    /// Which states the journal must still save.
    saves: StateSaves,
}

/// How to undo one staged effect; each holds what the effect replaced.
#[derive(Clone, Debug)]
enum Unstage {
    /// A create: drop it.
    Create(ObjectId),
    /// A create cancelled by a destroy: its record and staged state.
    Cancel(ObjectId, ObjectRecord, Option<Vec<DataValue>>),
    /// A destroy: forget it.
    Destroy(ObjectId),
    /// A state write: the staged state before, if any.
    State(ObjectId, Option<Vec<DataValue>>),
    /// A transfer of a committed object: the staged transfer before, if any.
    Transfer(ObjectId, Option<ControllerId>),
    /// A transfer of an object created in the transaction: its controller before.
    CreatedController(ObjectId, Option<ControllerId>),
    /// An input delivered: take it back.
    Input(ObjectId),
}

impl Tx {
    pub fn new(
        id: TxId,
        controller: Option<ControllerId>,
        depth: usize,
        began_by: Option<ObjectId>,
    ) -> Self {
        Tx {
            id,
            depth,
            began_by,
            controller,
            bound: controller.is_some(),
            creates: BTreeMap::new(),
            destroys: BTreeSet::new(),
            observed: BTreeMap::new(),
            scan_bound: None,
            pure_read: BTreeMap::new(),
            states: BTreeMap::new(),
            transfers: BTreeMap::new(),
            delivered: BTreeMap::new(),
            journal: Vec::new(),
            saves: StateSaves::default(),
        }
    }

    /// Stages the creation of `id`.
    pub fn stage_create(&mut self, id: ObjectId, record: ObjectRecord) {
        self.creates.insert(id, record);
        self.journal.push(Unstage::Create(id));
    }

    /// Cancels the staged creation of `id`; `false` if `id` was not created in this
    /// transaction.
    pub fn cancel_create(&mut self, id: ObjectId) -> bool {
        let Some(record) = self.creates.remove(&id) else {
            return false;
        };
        let state = self.states.remove(&id);
        self.journal.push(Unstage::Cancel(id, record, state));
        true
    }

    /// Stages the destruction of the committed object `id`.
    pub fn stage_destroy(&mut self, id: ObjectId) {
        if self.destroys.insert(id) {
            self.journal.push(Unstage::Destroy(id));
        }
    }

    /// Stages `state` as the state of `id`.
    pub fn stage_state(&mut self, id: ObjectId, state: Vec<DataValue>) {
        let before = self.states.insert(id, state);
        let journal = &self.journal;
        let saved_at = |i: usize| matches!(journal.get(i), Some(Unstage::State(x, _)) if *x == id);
        if self.saves.must_save(id, journal.len(), saved_at) {
            self.journal.push(Unstage::State(id, before));
        }
    }

    /// Stages the transfer of `id` to `to`.
    pub fn stage_transfer(&mut self, id: ObjectId, to: ControllerId) {
        let undo = match self.creates.get_mut(&id) {
            Some(r) => Unstage::CreatedController(id, r.meta.current_controller.replace(to)),
            None => Unstage::Transfer(id, self.transfers.insert(id, to)),
        };
        self.journal.push(undo);
    }

    /// Stages `input` joining the history of `id`.
    pub fn stage_input(&mut self, id: ObjectId, input: DataValue) {
        match self.creates.get_mut(&id) {
            Some(r) => r.history.push(input),
            None => self.delivered.entry(id).or_default().push(input),
        }
        self.journal.push(Unstage::Input(id));
    }

    /// A point to roll the staged effects back to ([`Tx::rollback`]).
    pub fn savepoint(&mut self) -> usize {
        self.saves.savepoint(self.journal.len())
    }

    /// Undoes every effect staged since `savepoint`, newest first: what a call that failed
    /// staged is gone, what its caller staged before it stays. The read set keeps what the
    /// failed call read (the caller's outcome depends on the failure, so on those reads),
    /// and the controller it bound stays bound.
    pub fn rollback(&mut self, savepoint: usize) {
        self.saves.rolled_back(savepoint);
        while self.journal.len() > savepoint {
            let Some(undo) = self.journal.pop() else {
                break;
            };
            match undo {
                Unstage::Create(id) => {
                    self.creates.remove(&id);
                }
                Unstage::Cancel(id, record, state) => {
                    self.creates.insert(id, record);
                    if let Some(state) = state {
                        self.states.insert(id, state);
                    }
                }
                Unstage::Destroy(id) => {
                    self.destroys.remove(&id);
                }
                Unstage::State(id, before) => restore(&mut self.states, id, before),
                Unstage::Transfer(id, before) => restore(&mut self.transfers, id, before),
                Unstage::CreatedController(id, before) => {
                    if let Some(r) = self.creates.get_mut(&id) {
                        r.meta.current_controller = before;
                    }
                }
                Unstage::Input(id) => {
                    if let Some(r) = self.creates.get_mut(&id) {
                        r.history.pop();
                    } else if let Some(inputs) = self.delivered.get_mut(&id) {
                        inputs.pop();
                        if inputs.is_empty() {
                            self.delivered.remove(&id);
                        }
                    }
                }
            }
        }
    }

    /// The conflict with the first observed object (by id) that changed, vanished or
    /// appeared since it was read; then with the first object a scan did not see; then with
    /// the first pure function (by name) that changed since it was called.
    pub fn validate(&self, space: &Space) -> Result<(), TxError> {
        let tx = self.id;
        for (&id, &version) in &self.observed {
            if space.object(id).map(|r| r.version) != version {
                return Err(TxError::Conflict { tx, object: id });
            }
        }
        let unseen = self
            .scan_bound
            .and_then(|from| space.objects_from(from).next());
        if let Some((object, _)) = unseen {
            return Err(TxError::Conflict { tx, object });
        }
        for (name, &hash) in &self.pure_read {
            if space.pure(name).map(|f| f.hash) != hash {
                return Err(TxError::PureConflict {
                    tx,
                    name: name.clone(),
                });
            }
        }
        Ok(())
    }

    /// The effects, in the order the specification applies them.
    pub fn into_changes(self) -> Vec<Change> {
        let mut changes = Vec::with_capacity(
            self.creates.len()
                + self.transfers.len()
                + self.delivered.len()
                + self.states.len()
                + self.destroys.len(),
        );
        for (id, record) in self.creates {
            changes.push(Change::Create(id, record));
        }
        for (id, to) in self.transfers {
            changes.push(Change::Transfer(id, to));
        }
        for (id, inputs) in self.delivered {
            changes.push(Change::Deliver(id, inputs));
        }
        for (id, state) in self.states {
            changes.push(Change::SetState(id, state));
        }
        for id in self.destroys {
            changes.push(Change::Destroy(id));
        }
        changes
    }

    /// The overlay as a value for `reifyTxState`.
    pub fn reify(&self) -> ReifiedTxState {
        ReifiedTxState {
            tx: self.id,
            writes: self.states.keys().copied().collect(),
            creates: self.creates.keys().copied().collect(),
            destroys: self.destroys.iter().copied().collect(),
            observed: self.observed.keys().copied().collect(),
        }
    }
}

/// Puts `before` back under `id` in `map` (removing the entry if there was none).
fn restore<V>(map: &mut BTreeMap<ObjectId, V>, id: ObjectId, before: Option<V>) {
    match before {
        Some(v) => map.insert(id, v),
        None => map.remove(&id),
    };
}
