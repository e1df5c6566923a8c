//! The transaction overlay: effects staged until commit.
//!
//! A [`Tx`] collects creates, destroys, transfers, delivered inputs
//! (messages) and state writes, and the read set (`observed`: every
//! object touched, with the version it had). [`Tx::validate`] checks the
//! read set against the space (optimistic concurrency: the transaction
//! serializes after every commit it did not see only if none of them
//! touched what it read); [`Tx::into_changes`] orders the effects as the
//! specification applies them: creates, transfers, writes (messages),
//! states, destroys.

use std::collections::{BTreeMap, BTreeSet};

use avm_vm::DataValue;

use crate::ids::{ControllerId, ObjectId, TxId};
use crate::meta::ReifiedTxState;
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
    pub observed: BTreeMap<ObjectId, u64>,
    pub states: BTreeMap<ObjectId, Vec<DataValue>>,
    pub transfers: BTreeMap<ObjectId, ControllerId>,
    pub delivered: BTreeMap<ObjectId, Vec<DataValue>>,
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
            states: BTreeMap::new(),
            transfers: BTreeMap::new(),
            delivered: BTreeMap::new(),
        }
    }

    /// The first observed object (by id) that changed or vanished since it
    /// was read.
    pub fn validate(&self, space: &Space) -> Result<(), ObjectId> {
        for (&id, &version) in &self.observed {
            match space.object(id) {
                Some(r) if r.version == version => {}
                _ => return Err(id),
            }
        }
        Ok(())
    }

    /// The effects, in the order the specification applies them.
    pub fn into_changes(self) -> Vec<Change> {
        let mut changes = Vec::new();
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
