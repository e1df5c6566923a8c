//! Shared proptest strategies: random well-formed intents.

#![allow(dead_code)]

use avm_intent::{Cmp, Constraint, Domain, Intent, Linear, Side, VarId};
use proptest::prelude::*;

/// A small domain.
pub fn domain() -> impl Strategy<Value = Domain> {
    prop_oneof![
        (-5i64..5, 0i64..6).prop_map(|(lo, w)| Domain::Range { lo, hi: lo + w }),
        prop::collection::vec(-6i64..7, 1..4).prop_map(Domain::set),
    ]
}

/// A linear term over `n` variables (none when `n` is 0).
pub fn linear(n: u32) -> impl Strategy<Value = Linear> {
    let terms = prop::collection::vec((-3i64..4, 0..n.max(1)), 0..3);
    (terms, -6i64..7).prop_map(move |(t, k)| {
        let t = if n == 0 { vec![] } else { t };
        Linear::new(t.into_iter().map(|(c, v)| (c, VarId(v))), k)
    })
}

fn cmp() -> impl Strategy<Value = Cmp> {
    prop::sample::select(Cmp::ALL.to_vec())
}

/// A constraint over `n >= 1` variables, with Boolean combinations.
pub fn constraint(n: u32) -> impl Strategy<Value = Constraint> {
    let var = move || (0..n).prop_map(VarId);
    let leaf = prop_oneof![
        4 => (linear(n), cmp(), linear(n)).prop_map(|(l, op, r)| Constraint::compare(l, op, r)),
        1 => prop::collection::vec(var(), 0..4).prop_map(Constraint::AllDifferent),
        1 => (var(), prop::collection::vec(-4i64..5, 1..4), var())
            .prop_map(|(index, array, value)| Constraint::Element { index, array, value }),
        1 => (prop::collection::vec(var(), 1..3), prop::collection::vec(-3i64..4, 0..6))
            .prop_map(|(vars, flat)| {
                let rows = flat.chunks_exact(vars.len()).map(<[i64]>::to_vec).collect();
                Constraint::Table { vars, rows }
            }),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Constraint::And),
            prop::collection::vec(inner.clone(), 0..3).prop_map(Constraint::Or),
            inner.prop_map(|c| Constraint::Not(Box::new(c))),
        ]
    })
}

/// A kind among a few, so that random flows can balance.
pub fn kind() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["apple", "banana", "cherry"]).prop_map(String::from)
}

/// A well-formed intent with up to three variables.
pub fn intent() -> impl Strategy<Value = Intent> {
    (1u32..4, "[a-z]{1,6}").prop_flat_map(|(n, party)| {
        (
            prop::collection::vec(domain(), n as usize),
            prop::collection::vec(constraint(n), 0..3),
            prop::collection::vec((any::<bool>(), kind(), linear(n)), 0..3),
            prop::collection::vec("[a-c]", 0..2),
        )
            .prop_map(move |(domains, constraints, flows, offers)| {
                let mut i = Intent::new(&party);
                for (k, d) in domains.into_iter().enumerate() {
                    i.var(&format!("v{k}"), d);
                }
                constraints.into_iter().for_each(|c| i.require(c));
                for (create, kind, q) in flows {
                    let side = if create { Side::Create } else { Side::Consume };
                    i.flow(side, &kind, q);
                }
                offers.iter().for_each(|o| i.offer(o));
                i
            })
    })
}
