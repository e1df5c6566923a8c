//! The object model's denotational form and its laws.
//!
//! An I–O object is a partial function φ from input histories to output
//! lists (`behaviour : InputSequence → Maybe (List Output)`). It is well
//! formed when φ is defined on the empty history, prefix-closed (if φ is
//! defined on `xs·x` it is defined on `xs`) and deterministic (one value
//! per history). The runtime is the operational form: an object with a
//! history takes an input `x` and answers the head of φ(history·x); the
//! tests check that the two agree ([`step`]).
//!
//! ```
//! use avm_obj::model::{self, Counter, Echo, ObjectType};
//! use avm_vm::DataValue;
//! let xs = [DataValue::nat(4u8), DataValue::nat(9u8)];
//! assert_eq!(Counter.outputs(&xs), Some(vec![DataValue::nat(2u8)]));
//! assert_eq!(Echo.outputs(&xs), Some(vec![DataValue::nat(9u8)])); // the most recent
//! assert!(model::well_formed_on(&Echo, &xs));
//! ```

use avm_vm::DataValue;

/// An object type φ : I* ⇀ O*.
pub trait ObjectType {
    /// φ(history): the outputs after `history`, oldest input first; `None`
    /// where φ is undefined (the object crashed).
    fn outputs(&self, history: &[DataValue]) -> Option<Vec<DataValue>>;
}

/// The counter: `φ(xs) = [length xs]`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counter;

impl ObjectType for Counter {
    fn outputs(&self, history: &[DataValue]) -> Option<Vec<DataValue>> {
        Some(vec![DataValue::nat(history.len() as u64)])
    }
}

/// The echo: `φ([]) = ["Echo is ready!"]`, `φ(xs·x) = [x]`.
///
/// The specification's formula pattern-matches the head of the history
/// (`φ(inp ∷ _) = [inp]`), and histories grow at the end, so it returns the
/// *first* input, while its prose says the echo answers the *most recent*
/// one. We follow the prose: an echo that answers the message it was just
/// sent is what the name promises, and it is what a behaviour reading its
/// `input` computes, so the denotational and operational forms agree
/// without keeping the whole history.
#[derive(Clone, Copy, Debug, Default)]
pub struct Echo;

/// What the echo answers before any input.
pub const ECHO_READY: &str = "Echo is ready!";

impl ObjectType for Echo {
    fn outputs(&self, history: &[DataValue]) -> Option<Vec<DataValue>> {
        Some(vec![history
            .last()
            .cloned()
            .unwrap_or_else(|| DataValue::string(ECHO_READY))])
    }
}

/// The operational form: after `history`, input `x` gives the head of
/// φ(history·x) (if any) and the history `history·x`; `None` if φ is
/// undefined there (a crash leaves the object as it was).
pub fn step(
    phi: &dyn ObjectType,
    history: &[DataValue],
    x: DataValue,
) -> Option<(Option<DataValue>, Vec<DataValue>)> {
    let mut next = history.to_vec();
    next.push(x);
    let out = phi.outputs(&next)?;
    Some((out.into_iter().next(), next))
}

/// φ is defined on the empty history.
pub fn empty_defined(phi: &dyn ObjectType) -> bool {
    phi.outputs(&[]).is_some()
}

/// For every prefix `p·x` of `history`: if φ(p·x) is defined, so is φ(p).
pub fn prefix_closed_on(phi: &dyn ObjectType, history: &[DataValue]) -> bool {
    (1..=history.len())
        .all(|n| phi.outputs(&history[..n]).is_none() || phi.outputs(&history[..n - 1]).is_some())
}

/// φ gives the same value every time on every prefix of `history`.
pub fn deterministic_on(phi: &dyn ObjectType, history: &[DataValue]) -> bool {
    (0..=history.len()).all(|n| phi.outputs(&history[..n]) == phi.outputs(&history[..n]))
}

/// All three laws, checked on `history` and its prefixes.
pub fn well_formed_on(phi: &dyn ObjectType, history: &[DataValue]) -> bool {
    empty_defined(phi) && prefix_closed_on(phi, history) && deterministic_on(phi, history)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Defined only on histories shorter than 2: prefix-closed still.
    struct Fragile;

    impl ObjectType for Fragile {
        fn outputs(&self, history: &[DataValue]) -> Option<Vec<DataValue>> {
            (history.len() < 2).then(Vec::new)
        }
    }

    /// Undefined on the empty history but defined later: not well formed.
    struct Late;

    impl ObjectType for Late {
        fn outputs(&self, history: &[DataValue]) -> Option<Vec<DataValue>> {
            (!history.is_empty()).then(Vec::new)
        }
    }

    #[test]
    fn the_laws_tell_well_formed_types_apart() {
        let xs = vec![DataValue::unit(); 3];
        assert!(well_formed_on(&Fragile, &xs));
        assert!(!empty_defined(&Late));
        assert!(!prefix_closed_on(&Late, &xs));
        assert_eq!(
            step(&Fragile, &[], DataValue::unit()).map(|s| s.0),
            Some(None)
        );
        assert!(step(&Fragile, &xs[..1], DataValue::unit()).is_none());
    }
}
