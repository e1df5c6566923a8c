//! Which calls are expanded in place.
//!
//! A function called from exactly one place (and not `main`) is expanded
//! there: its body is generated in the caller's frame, which saves the
//! argument copies, the `routine` and the `ret`. Expansions nest at most
//! [`MAX_NESTING`] deep, so a long chain of single-use functions still
//! compiles in bounded depth; past that, calls are routines again.

use crate::ast::{ExprKind, Program};

/// The deepest nesting of expansions in one function.
pub const MAX_NESTING: usize = 8;

/// The functions each function calls, once per call site, in order.
fn call_sites(program: &Program) -> Vec<Vec<usize>> {
    program
        .functions
        .iter()
        .map(|f| {
            let mut calls = Vec::new();
            f.body.visit(&mut |e| {
                if let ExprKind::Call(g, _) = e.kind {
                    calls.push(g);
                }
            });
            calls
        })
        .collect()
}

/// Whether calls to each function are expanded in place.
pub fn plan(program: &Program) -> Vec<bool> {
    let n = program.functions.len();
    let sites = call_sites(program);
    let mut count = vec![0usize; n];
    for calls in &sites {
        for &g in calls {
            count[g] += 1;
        }
    }
    let mut inline = vec![false; n];
    // How deep the expansions inside each function nest; callees come first.
    let mut nesting = vec![0usize; n];
    for f in 0..n {
        nesting[f] = sites[f]
            .iter()
            .filter(|g| inline[**g])
            .map(|g| nesting[*g] + 1)
            .max()
            .unwrap_or(0);
        inline[f] = count[f] == 1 && f != program.main && nesting[f] < MAX_NESTING;
    }
    inline
}

/// The functions each function calls with `routine` once the calls in
/// `inline` are expanded (the calls of an expanded body are its caller's).
pub fn routine_calls(program: &Program, inline: &[bool]) -> Vec<Vec<usize>> {
    let sites = call_sites(program);
    let mut routine: Vec<Vec<usize>> = Vec::with_capacity(sites.len());
    for calls in &sites {
        let mut out = Vec::new();
        for &g in calls {
            let more = if inline[g] {
                routine[g].clone()
            } else {
                vec![g]
            };
            for h in more {
                if !out.contains(&h) {
                    out.push(h);
                }
            }
        }
        routine.push(out);
    }
    routine
}
