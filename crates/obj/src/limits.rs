//! What the store and the trace can hold.
//!
//! Every value the runtime keeps (an input joining a history and the trace, an output in the
//! trace, a state, a behaviour) is written in avm-vm's canonical encoding and read back
//! through its decoder, which refuses values deeper, larger or with more parts than its
//! [`Limits`]. Records and trace entries wrap a value in a few more levels and put several
//! values side by side, so each kind of value gets a share of the limits, checked when the
//! value arrives: nothing is written that could not be read back.

use avm_vm::codec::{self, Limits};
use avm_vm::DataValue;

/// How many levels the store and the trace may wrap around a value (a record's tuple, its
/// state tuple, an option; a trace entry and its event).
pub const WRAP_DEPTH: usize = 4;

/// A share of the decoder's limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bound {
    /// The most bytes of its canonical encoding.
    pub bytes: usize,
    /// The most values it may hold, itself included.
    pub values: usize,
}

/// An input or an output: 1/8 of the decoder's size and value limits.
pub const MESSAGE: Bound = share(8);
/// A behaviour: 1/4 of the limits.
pub const BEHAVIOUR: Bound = share(4);
/// A whole state: 1/2 of the limits (with a behaviour, a record stays within them).
pub const STATE: Bound = share(2);

const fn share(part: usize) -> Bound {
    let limits = default_limits();
    Bound {
        bytes: limits.0 / part,
        values: limits.1 / part,
    }
}

/// The decoder's default size and value limits, as constants.
const fn default_limits() -> (usize, usize) {
    (16 << 20, 1 << 21)
}

/// Checks `value` against `bound` and the depth the decoder allows less [`WRAP_DEPTH`];
/// gives the length of its encoding, or says which limit it passes.
pub fn check(value: &DataValue, bound: Bound) -> Result<usize, String> {
    check_parts(std::slice::from_ref(value), 1, bound)
}

/// [`check`] for a state: its values, as the tuple that holds them.
pub fn check_state(state: &[DataValue]) -> Result<usize, String> {
    check_parts(state, 2, STATE)
}

fn check_parts(parts: &[DataValue], depth: usize, bound: Bound) -> Result<usize, String> {
    let max_depth = Limits::default().max_depth - WRAP_DEPTH;
    let mut values = depth - 1;
    for part in parts {
        walk(part, depth, max_depth, bound.values, &mut values)?;
    }
    let mut bytes = 0;
    for part in parts {
        bytes += codec::encoded_len(part);
        if bytes > bound.bytes {
            return Err(format!(
                "its encoding passes {} bytes, the limit",
                bound.bytes
            ));
        }
    }
    Ok(bytes)
}

/// Counts the values under `value` (at `depth`), stopping at the first limit passed.
fn walk(
    value: &DataValue,
    depth: usize,
    max_depth: usize,
    max_values: usize,
    values: &mut usize,
) -> Result<(), String> {
    if depth > max_depth {
        return Err(format!("it nests deeper than {max_depth} levels"));
    }
    *values += 1;
    if *values > max_values {
        return Err(format!("it holds more than {max_values} values"));
    }
    match value {
        DataValue::Tuple(items) => items
            .iter()
            .try_for_each(|v| walk(v, depth + 1, max_depth, max_values, values)),
        DataValue::Option { value, .. } => walk(value, depth + 1, max_depth, max_values, values),
        DataValue::Nat(_) | DataValue::Bytes(_) | DataValue::Function { .. } => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> DataValue {
        (1..depth).fold(DataValue::unit(), |v, _| DataValue::tuple([v]))
    }

    #[test]
    fn the_shares_match_the_decoders_limits() {
        let limits = Limits::default();
        assert_eq!(default_limits(), (limits.max_size, limits.max_values));
        assert!(STATE.bytes + BEHAVIOUR.bytes + 1024 < limits.max_size);
        assert!(STATE.values + BEHAVIOUR.values < limits.max_values);
    }

    #[test]
    fn depth_is_limited_to_what_wrapping_leaves() {
        let max = Limits::default().max_depth - WRAP_DEPTH;
        assert!(check(&nested(max), MESSAGE).is_ok());
        assert!(check_state(&[nested(max - 1)]).is_ok());
        assert!(check_state(&[nested(max)]).is_err());
        // Wrapped as the store and the trace wrap it, it still decodes.
        let wrapped = (0..WRAP_DEPTH).fold(nested(max), |v, _| DataValue::tuple([v]));
        assert!(codec::decode(&codec::encode(&wrapped)).is_ok());
        let err = check(&nested(max + 1), MESSAGE).unwrap_err();
        assert!(err.contains("deeper than"), "{err}");
    }

    #[test]
    fn size_and_count_are_limited() {
        let big = DataValue::bytes(vec![0; MESSAGE.bytes]);
        assert!(check(&big, MESSAGE).unwrap_err().contains("bytes"));
        assert!(check(&big, STATE).is_ok());
        let many = DataValue::Tuple(vec![DataValue::nat(0u8); MESSAGE.values]);
        assert!(check(&many, MESSAGE).unwrap_err().contains("values"));
    }
}
