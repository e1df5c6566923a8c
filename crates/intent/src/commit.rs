//! Committing a solution: the balanced transaction becomes one
//! transaction of the object runtime, validated at commit like any other.
//!
//! The resource view: a party's quantity of a kind is a **holding**, an
//! object whose behaviour is the native `intent-holding` and whose state
//! is `[owner, kind, balance]` (so the holdings of a space can be found
//! from the space alone, [`holdings`]). A solution changes each
//! `(owner, kind)` holding by what the owner's intents create minus what
//! they consume; the transaction is one call per changed holding, with
//! input `(owner, kind, change)` (the change an integer, `#0:n` / `#1:n`).
//! A holding refuses to go below zero, which aborts the transaction. Holdings and their changes are visited in order of
//! `(owner, kind)`, so the transaction and its chart are deterministic.
//!
//! A transaction stays within one controller (avm-obj); a solution whose
//! parties belong to different controllers is refused before anything
//! runs: cross-controller commit arrives with the distribution work.

use std::collections::BTreeMap;

use avm_obj::native::native;
use avm_obj::request::{int, int_of};
use avm_obj::{AvmError, ControllerId, ObjError, ObjectHost, ObjectId, Runtime, TxId};
use avm_vm::DataValue;

use crate::ir::{Intent, Side};
use crate::solve::Solution;

/// The name of the holding behaviour (see the module docs).
pub const HOLDING: &str = "intent-holding";

/// The holding objects, by `(owner, kind)`.
pub type Holdings = BTreeMap<(String, String), ObjectId>;

/// Why a solution did not commit.
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    /// The parties belong to different controllers.
    #[error(
        "the solution spans controllers {0}: cross-controller commit is not yet available \
         (a transaction stays within one controller until two-phase commit lands)"
    )]
    CrossController(String),
    /// A quantity does not fit a holding's integer.
    #[error("the change of {kind} for {owner} does not fit in 64 bits")]
    TooLarge {
        /// The owner.
        owner: String,
        /// The kind.
        kind: String,
    },
    /// The runtime refused: a holding would go below zero, a conflict at
    /// commit, gas. The transaction was aborted.
    #[error("the transaction was refused: {0}")]
    Runtime(#[from] AvmError),
}

/// Registers the holding behaviour in `rt`.
pub fn register(rt: &mut Runtime) {
    rt.register_native(HOLDING, |host| {
        let object = host.self_id()?;
        let refuse = |reason: String| ObjError::RejectedCall { object, reason };
        let input = host.input()?;
        let (owner, kind, delta) = match &input {
            DataValue::Tuple(f) if f.len() == 3 => (&f[0], &f[1], int_of(&f[2])),
            _ => (&input, &input, None),
        };
        let delta =
            delta.ok_or_else(|| refuse("a holding takes (owner, kind, integer change)".into()))?;
        let state = host.get_state()?;
        if state.len() == 3 && (&state[0], &state[1]) != (owner, kind) {
            return Err(refuse("the change names another owner or kind".into()).into());
        }
        let balance = state.get(2).and_then(int_of).unwrap_or(0);
        let after = balance
            .checked_add(delta)
            .filter(|b| *b >= 0)
            .ok_or_else(|| {
                refuse(format!(
                    "the holding has {balance} and cannot change by {delta}"
                ))
            })?;
        host.set_state(vec![owner.clone(), kind.clone(), int(after)])?;
        Ok(Some(int(after)))
    });
}

/// The balance a holding's state records.
pub fn balance(state: &[DataValue]) -> i64 {
    state.get(2).and_then(int_of).unwrap_or(0)
}

/// Every holding of the space, by `(owner, kind)`.
pub fn holdings(space: &avm_obj::Space) -> Holdings {
    let behaviour = native(HOLDING);
    let text = |v: &DataValue| match v {
        DataValue::Bytes(b) => String::from_utf8(b.clone()).ok(),
        _ => None,
    };
    space
        .objects()
        .filter(|(_, r)| r.behaviour == behaviour && r.state.len() == 3)
        .filter_map(|(id, r)| Some(((text(&r.state[0])?, text(&r.state[1])?), id)))
        .collect()
}

/// A transaction staged in a runtime, not yet committed.
#[derive(Debug)]
pub struct Staged {
    /// The open transaction.
    pub tx: TxId,
    /// Holdings created in it, to record once it commits.
    pub created: Holdings,
}

impl Staged {
    /// Commits the transaction (validating its read set).
    pub fn commit(self, rt: &mut Runtime) -> Result<(TxId, Holdings), CommitError> {
        rt.commit_tx(self.tx)?;
        Ok((self.tx, self.created))
    }
}

/// The one controller of the parts, or the refusal naming them all.
fn controller(
    solution: &Solution,
    controllers: &[Option<ControllerId>],
) -> Result<Option<ControllerId>, CommitError> {
    let mut seen: Vec<Option<ControllerId>> = solution
        .parts
        .iter()
        .map(|p| controllers.get(p.intent).copied().flatten())
        .collect();
    seen.sort_unstable();
    seen.dedup();
    match seen.as_slice() {
        [] => Ok(None),
        [one] => Ok(*one),
        many => Err(CommitError::CrossController(
            many.iter()
                .map(|c| c.map_or("none".to_string(), |c| c.to_string()))
                .collect::<Vec<_>>()
                .join(", "),
        )),
    }
}

/// Opens a transaction and makes every holding change of `solution` in
/// it; the caller commits with [`Staged::commit`]. `controllers` gives
/// each intent's controller (by pool index). On an error the transaction
/// is aborted.
pub fn stage(
    rt: &mut Runtime,
    pool: &[Intent],
    solution: &Solution,
    controllers: &[Option<ControllerId>],
    holdings: &Holdings,
) -> Result<Staged, CommitError> {
    let ctl = controller(solution, controllers)?;
    let mut change: BTreeMap<(String, String), i128> = BTreeMap::new();
    for part in &solution.parts {
        let intent = &pool[part.intent];
        for f in &intent.flows {
            let q = f.quantity.eval(&part.values).unwrap_or(0);
            let sign = if f.side == Side::Create { 1 } else { -1 };
            *change.entry((f.owner.clone(), f.kind.clone())).or_default() += sign * q;
        }
    }
    let tx = rt.begin_tx(ctl)?;
    let mut created = Holdings::new();
    let mut run = |rt: &mut Runtime| -> Result<(), CommitError> {
        for ((owner, kind), delta) in change.iter().filter(|(_, d)| **d != 0) {
            let delta = i64::try_from(*delta).map_err(|_| CommitError::TooLarge {
                owner: owner.clone(),
                kind: kind.clone(),
            })?;
            let key = (owner.clone(), kind.clone());
            let holding = match holdings.get(&key) {
                Some(&h) => h,
                None => {
                    let h = rt.create_obj(native(HOLDING), ctl)?;
                    created.insert(key, h);
                    h
                }
            };
            let input = DataValue::tuple([
                DataValue::string(owner),
                DataValue::string(kind),
                int(delta),
            ]);
            rt.call(holding, input)?;
        }
        Ok(())
    };
    match run(rt) {
        Ok(()) => Ok(Staged { tx, created }),
        Err(e) => {
            // The runtime may have aborted already (out of gas does).
            let _ = rt.abort_tx(tx);
            Err(e)
        }
    }
}

/// Stages and commits `solution` in one go; returns the transaction and
/// the holdings it created.
pub fn commit(
    rt: &mut Runtime,
    pool: &[Intent],
    solution: &Solution,
    controllers: &[Option<ControllerId>],
    holdings: &Holdings,
) -> Result<(TxId, Holdings), CommitError> {
    stage(rt, pool, solution, controllers, holdings)?.commit(rt)
}

/// Adds `quantity` of `kind` to `owner`'s holding, in a transaction of its
/// own (a test and demo faucet, like `avm rv32 fund`).
pub fn fund(
    rt: &mut Runtime,
    holdings: &Holdings,
    owner: &str,
    kind: &str,
    quantity: i64,
    controller: Option<ControllerId>,
) -> Result<(TxId, Holdings), CommitError> {
    let mut gift = Intent::new(owner);
    gift.flow(Side::Create, kind, crate::ir::Linear::constant(quantity));
    let solution = Solution {
        parts: vec![crate::solve::Part {
            intent: 0,
            values: vec![],
        }],
    };
    commit(rt, &[gift], &solution, &[controller], holdings)
}
