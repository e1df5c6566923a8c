//! The concrete check of a solution, independent of the solver: every
//! part's values lie in their domains and satisfy every constraint of its
//! intent, every quantity is at least 0, each kind balances (consumed
//! equals created), and no use-once offer is spent twice.

use std::collections::BTreeMap;

use crate::ir::{Intent, Side};
use crate::solve::Solution;

/// `Ok` when `solution` is a valid transaction of `pool`; otherwise what
/// fails, naming the intent, constraint, kind or offer.
pub fn check(pool: &[Intent], solution: &Solution) -> Result<(), String> {
    if solution.parts.is_empty() {
        return Err("the transaction has no parts".into());
    }
    if solution
        .parts
        .windows(2)
        .any(|w| w[0].intent >= w[1].intent)
    {
        return Err("the parts are not ascending by intent".into());
    }
    let mut balance: BTreeMap<&str, i128> = BTreeMap::new();
    let mut spent: BTreeMap<&str, usize> = BTreeMap::new();
    for part in &solution.parts {
        let intent = pool
            .get(part.intent)
            .ok_or_else(|| format!("part names intent {} of {}", part.intent, pool.len()))?;
        intent
            .check(&part.values)
            .map_err(|e| format!("intent {} ({}): {e}", part.intent, intent.party))?;
        for f in &intent.flows {
            let q = f.quantity.eval(&part.values).unwrap_or(0);
            let sign = if f.side == Side::Create { 1 } else { -1 };
            *balance.entry(&f.kind).or_default() += sign * q;
        }
        for o in &intent.offers {
            if let Some(first) = spent.insert(o, part.intent) {
                return Err(format!(
                    "offer {o} is spent by intents {first} and {}",
                    part.intent
                ));
            }
        }
    }
    if let Some((kind, net)) = balance.iter().find(|(_, &n)| n != 0) {
        return Err(format!(
            "kind {kind} does not balance: {net} more created than consumed"
        ));
    }
    Ok(())
}
