//! Frame placement: where each function's registers start.
//!
//! A function may only call functions defined before it, so the call graph
//! has no cycles and at most one activation of a function is live at a time.
//! Each function's frame therefore has a fixed place: above the frame of
//! every function that calls it. Functions that never call each other share
//! registers. A program whose deepest call chain needs more than the 32
//! registers of one width is refused (no spilling yet).

use crate::codegen::{FrameSize, BANKS};
use crate::types::{BYTES_BANK, INT_WIDTHS};

/// The number of registers in each A bank.
pub const BANK_SIZE: u32 = 32;

/// The number of byte-string registers.
pub const BYTES_BANK_SIZE: u32 = 16;

/// A frame that does not fit: the function and the width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overflow {
    /// The function's index.
    pub func: usize,
    /// The register width that ran out ([`BYTES_BANK`] for the byte strings).
    pub bits: u16,
    /// How many registers of that width its call chain needs.
    pub needed: u32,
}

/// The base of each function's frame, by bank. `callers[f]` lists the
/// functions calling `f`; every caller has a higher index than its callee
/// (the entry stub, calling `main`, is the last). `reachable[f]` says
/// whether `f` is called at all; unreachable functions get base 0.
pub fn place(
    sizes: &[FrameSize],
    callers: &[Vec<usize>],
    reachable: &[bool],
) -> Result<Vec<FrameSize>, Overflow> {
    let n = sizes.len();
    let mut bases = vec![[0u32; BANKS]; n];
    for f in (0..n).rev() {
        if !reachable[f] {
            continue;
        }
        let mut base = [0u32; BANKS];
        for &c in &callers[f] {
            if !reachable[c] {
                continue;
            }
            for b in 0..BANKS {
                base[b] = base[b].max(bases[c][b] + sizes[c][b]);
            }
        }
        for b in 0..BANKS {
            let needed = base[b] + sizes[f][b];
            let (bits, size) = match (INT_WIDTHS.get(b), b) {
                (Some(bits), _) => (*bits, BANK_SIZE),
                (None, 8) => (BYTES_BANK, BYTES_BANK_SIZE),
                // A float format's code is its bank past the byte strings.
                (None, _) => ((b - 8) as u16, BANK_SIZE),
            };
            if needed > size {
                return Err(Overflow {
                    func: f,
                    bits,
                    needed,
                });
            }
        }
        bases[f] = base;
    }
    Ok(bases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callees_sit_above_callers_and_siblings_share() {
        // 0 and 1 are called by 2 (main), which the stub 3 calls.
        let sizes = [
            [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [1; 16],
        ];
        let callers = vec![vec![2], vec![2], vec![3], vec![]];
        let bases = place(&sizes, &callers, &[true; 4]).unwrap();
        assert_eq!(bases[3][0], 0);
        assert_eq!(bases[2][0], 1);
        assert_eq!(bases[0][0], 5);
        assert_eq!(bases[1][0], 5);
    }

    #[test]
    fn a_chain_too_deep_is_refused() {
        let sizes = [
            [20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [0; 16],
        ];
        let callers = vec![vec![1], vec![2], vec![]];
        let err = place(&sizes, &callers, &[true; 3]).unwrap_err();
        assert_eq!((err.func, err.bits, err.needed), (0, 8, 40));
    }
}
