//! How a [`Space`](crate::Space) lies in an [`avm_store::Store`]: tables,
//! keys and the canonical encoding of records, and loading them back with
//! every malformed entry named.
//!
//! | table | key | value |
//! |---|---|---|
//! | `objects` | object id, 8 bytes big-endian | `(behaviour, state, machine, creating controller?, current controller?, version, history length)` |
//! | `history` | object id, then input index, 8 bytes big-endian each | the input |
//! | `pure` | the function's name | `(function, version, hash)` |
//! | `meta` | `counters` | `(next object id, next tx id, clock)` |
//! | `meta` | `controllers`, `machines` | the reachable ids, ascending |
//!
//! Values are avm-vm's canonical encoding, so equal spaces are equal bytes.

use std::collections::{BTreeMap, BTreeSet};

use avm_store::{Batch, Store};
use avm_vm::{codec, ContentId, DataValue};

use crate::error::{AvmError, ObjError};
use crate::ids::{ControllerId, MachineId, ObjectId};
use crate::meta::ObjectMeta;
use crate::shape::{option, Fields};
use crate::space::{ObjectRecord, PureFunction};

/// The kind an object store is marked with at creation (see [`avm_store::RedbStore::open`]),
/// so a store of another kind (an RV32 state) is refused rather than read as empty.
pub const STORE_KIND: &str = "objects";

/// The table of object records.
pub const OBJECTS: &str = "objects";
/// The table of input histories.
pub const HISTORY: &str = "history";
/// The table of pure functions.
pub const PURE: &str = "pure";
/// The table of counters and reachability.
pub const META: &str = "meta";

const COUNTERS: &[u8] = b"counters";
const CONTROLLERS: &[u8] = b"controllers";
const MACHINES: &[u8] = b"machines";

/// Everything a space keeps, as loaded from a store.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub objects: BTreeMap<ObjectId, ObjectRecord>,
    pub pure: BTreeMap<String, PureFunction>,
    pub counters: Option<(u64, u64, u64)>,
    pub controllers: BTreeSet<ControllerId>,
    pub machines: BTreeSet<MachineId>,
}

pub(crate) fn store_error(e: avm_store::StoreError) -> AvmError {
    AvmError::Store(e.to_string())
}

fn corrupt(what: impl std::fmt::Display, reason: impl std::fmt::Display) -> AvmError {
    AvmError::Store(format!("{what} is damaged: {reason}"))
}

/// The key of an object.
pub(crate) fn object_key(id: ObjectId) -> [u8; 8] {
    id.0.to_be_bytes()
}

/// The key of input `index` of an object's history.
pub(crate) fn history_key(id: ObjectId, index: u64) -> Vec<u8> {
    let mut k = id.0.to_be_bytes().to_vec();
    k.extend_from_slice(&index.to_be_bytes());
    k
}

fn ids<T: Copy>(set: &BTreeSet<T>, n: impl Fn(T) -> u64) -> Vec<u8> {
    codec::encode(&DataValue::Tuple(
        set.iter().map(|x| DataValue::nat(n(*x))).collect(),
    ))
}

/// Puts an object's record (not its history) into `batch`.
pub(crate) fn put_object(batch: &mut Batch, id: ObjectId, r: &ObjectRecord) {
    let ctl = |c: Option<ControllerId>| option(c.map(ControllerId::to_value));
    let value = DataValue::tuple([
        r.behaviour.clone(),
        DataValue::Tuple(r.state.clone()),
        r.meta.machine.to_value(),
        ctl(r.meta.creating_controller),
        ctl(r.meta.current_controller),
        DataValue::nat(r.version),
        DataValue::nat(r.history.len() as u64),
    ]);
    batch.put(OBJECTS, object_key(id), codec::encode(&value));
}

/// Puts a pure function into `batch`.
pub(crate) fn put_pure(batch: &mut Batch, name: &str, f: &PureFunction) {
    let value = DataValue::tuple([
        f.function.clone(),
        DataValue::nat(f.version),
        DataValue::bytes(f.hash.0.to_vec()),
    ]);
    batch.put(PURE, name.as_bytes().to_vec(), codec::encode(&value));
}

/// Puts the counters into `batch`.
pub(crate) fn put_counters(batch: &mut Batch, next_object: u64, next_tx: u64, clock: u64) {
    let value = DataValue::tuple([
        DataValue::nat(next_object),
        DataValue::nat(next_tx),
        DataValue::nat(clock),
    ]);
    batch.put(META, COUNTERS.to_vec(), codec::encode(&value));
}

/// Puts the reachable controllers and machines into `batch`.
pub(crate) fn put_reach(
    batch: &mut Batch,
    controllers: &BTreeSet<ControllerId>,
    machines: &BTreeSet<MachineId>,
) {
    batch.put(META, CONTROLLERS.to_vec(), ids(controllers, |c| c.0));
    batch.put(META, MACHINES.to_vec(), ids(machines, |m| m.0));
}

fn decode(what: &str, bytes: &[u8]) -> Result<DataValue, AvmError> {
    codec::decode(bytes).map_err(|e| corrupt(what, e))
}

fn key_u64(what: &str, key: &[u8]) -> Result<u64, AvmError> {
    <[u8; 8]>::try_from(key)
        .map(u64::from_be_bytes)
        .map_err(|_| corrupt(what, format!("a key of {} bytes, expected 8", key.len())))
}

fn id_set(what: &str, bytes: &[u8]) -> Result<Vec<u64>, AvmError> {
    match decode(what, bytes)? {
        DataValue::Tuple(items) => items
            .iter()
            .map(|v| {
                v.as_u64()
                    .ok_or_else(|| corrupt(what, "an id is not a natural"))
            })
            .collect(),
        _ => Err(corrupt(what, "not a tuple of ids")),
    }
}

/// Loads everything from `store`, refusing any malformed entry.
pub(crate) fn load(store: &dyn Store) -> Result<Loaded, AvmError> {
    let mut loaded = Loaded::default();
    for (key, value) in store.scan(OBJECTS, b"").map_err(store_error)? {
        let id = ObjectId(key_u64("an object key", &key)?);
        let what = format!("the record of object {id}");
        let v = decode(&what, &value)?;
        let record = object_record(id, &v)
            .map_err(|reason| AvmError::Obj(ObjError::MetadataCorruption { object: id, reason }))?;
        let (record, len) = record;
        let mut history = Vec::new();
        for (i, (hkey, hvalue)) in store
            .scan(HISTORY, &object_key(id))
            .map_err(store_error)?
            .into_iter()
            .enumerate()
        {
            if hkey != history_key(id, i as u64) {
                return Err(corrupt(
                    format!("the history of object {id}"),
                    format!("entry {i} is missing or out of place"),
                ));
            }
            history.push(decode(&format!("input {i} of object {id}"), &hvalue)?);
        }
        if history.len() as u64 != len {
            return Err(corrupt(
                format!("the history of object {id}"),
                format!("{} inputs, the record says {len}", history.len()),
            ));
        }
        loaded
            .objects
            .insert(id, ObjectRecord { history, ..record });
    }
    for (key, value) in store.scan(PURE, b"").map_err(store_error)? {
        let name =
            String::from_utf8(key).map_err(|_| corrupt("a pure function's name", "not UTF-8"))?;
        let what = format!("pure function `{name}`");
        let v = decode(&what, &value)?;
        let mut f = Fields::of(&v, 3, &what).map_err(|r| corrupt(&what, r))?;
        let read = |f: &mut Fields<'_>| -> Result<PureFunction, String> {
            let function = f.value("function")?.clone();
            let version = f.u64("version")?;
            let hash = <[u8; 32]>::try_from(f.bytes("hash")?)
                .map(ContentId)
                .map_err(|_| "field `hash` is not 32 bytes".to_string())?;
            if hash != ContentId::of(&function) {
                return Err("the hash does not match the function".into());
            }
            Ok(PureFunction {
                function,
                version,
                hash,
            })
        };
        let pf = read(&mut f).map_err(|r| corrupt(&what, r))?;
        loaded.pure.insert(name, pf);
    }
    if let Some(bytes) = store.get(META, COUNTERS).map_err(store_error)? {
        let v = decode("the counters", &bytes)?;
        let mut f = Fields::of(&v, 3, "the counters").map_err(|r| corrupt("the counters", r))?;
        let mut n = |name| f.u64(name).map_err(|r| corrupt("the counters", r));
        loaded.counters = Some((n("next object")?, n("next tx")?, n("clock")?));
    }
    if let Some(bytes) = store.get(META, CONTROLLERS).map_err(store_error)? {
        loaded.controllers = id_set("the controllers", &bytes)?
            .into_iter()
            .map(ControllerId)
            .collect();
    }
    if let Some(bytes) = store.get(META, MACHINES).map_err(store_error)? {
        loaded.machines = id_set("the machines", &bytes)?
            .into_iter()
            .map(MachineId)
            .collect();
    }
    Ok(loaded)
}

/// An object record (with an empty history) and its history length.
fn object_record(id: ObjectId, v: &DataValue) -> Result<(ObjectRecord, u64), String> {
    let mut f = Fields::of(v, 7, "the record")?;
    let behaviour = f.value("behaviour")?.clone();
    let state = f.list("state")?.to_vec();
    let machine = MachineId(f.u64("machine")?);
    let creating_controller = f.option_u64("creating controller")?.map(ControllerId);
    let current_controller = f.option_u64("current controller")?.map(ControllerId);
    let version = f.u64("version")?;
    let len = f.u64("history length")?;
    Ok((
        ObjectRecord {
            behaviour,
            history: Vec::new(),
            state,
            meta: ObjectMeta {
                object: id,
                machine,
                creating_controller,
                current_controller,
            },
            version,
        },
        len,
    ))
}
