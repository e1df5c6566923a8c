//! Composition and solving: the ready-made cases of the Anoma notes, and a
//! differential test against an exhaustive solver on small random pools.

mod common;

use avm_intent::solve::{solve, Mode, Options, Outcome};
use avm_intent::{check, Cmp, Constraint, Domain, Intent, Linear, Side, VarId};
use proptest::prelude::*;

fn pool_mode() -> Options {
    Options::default()
}

fn all_mode() -> Options {
    Options {
        mode: Mode::All,
        timeout: None,
    }
}

/// Gives `give` of one kind for `take` of another.
fn swap(party: &str, give: (i64, &str), take: (i64, &str)) -> Intent {
    let mut i = Intent::new(party);
    i.flow(Side::Consume, give.1, Linear::constant(give.0));
    i.flow(Side::Create, take.1, Linear::constant(take.0));
    i
}

fn solved(out: Outcome) -> avm_intent::Solution {
    match out {
        Outcome::Solved(s) => s,
        other => panic!("expected a solution, got {other:?}"),
    }
}

#[test]
fn exact_swap_balances() {
    let pool = [
        swap("alice", (3, "apple"), (2, "banana")),
        swap("bob", (2, "banana"), (3, "apple")),
    ];
    let s = solved(solve(&pool, all_mode()).unwrap());
    assert_eq!(s.parts.len(), 2);
    let s = solved(solve(&pool, pool_mode()).unwrap());
    assert_eq!(s.parts.len(), 2);
}

#[test]
fn range_swap_meets_in_the_overlap() {
    // Alice gives exactly 4 apples for at least 4 bananas; Bob gives at
    // most 5 bananas for at least 3 apples.
    let mut alice = Intent::new("alice");
    let b = alice.var("bananas", Domain::Range { lo: 0, hi: 100 });
    alice.require(Constraint::compare(
        Linear::var(b),
        Cmp::Geq,
        Linear::constant(4),
    ));
    alice.flow(Side::Consume, "apple", Linear::constant(4));
    alice.flow(Side::Create, "banana", Linear::var(b));
    let mut bob = Intent::new("bob");
    let (gb, ta) = (
        bob.var("bananas", Domain::Range { lo: 0, hi: 5 }),
        bob.var("apples", Domain::Range { lo: 3, hi: 100 }),
    );
    bob.flow(Side::Consume, "banana", Linear::var(gb));
    bob.flow(Side::Create, "apple", Linear::var(ta));
    let pool = [alice, bob];
    let s = solved(solve(&pool, all_mode()).unwrap());
    let bananas = s.parts[0].values[0];
    assert!((4..=5).contains(&bananas), "{s:?}");
    assert_eq!(s.parts[1].values, vec![bananas, 4]);
}

/// The three-party ticket market: Alice sells up to 20 tickets at 1 unit
/// of ETH, BTC or USDC each (prices scaled to whole units), Bob buys 2 for
/// at most 15 centi-ETH, Charlie 3 to 5 for at most 2 deci-BTC.
fn market() -> Vec<Intent> {
    let mut alice = Intent::new("alice");
    let eth = alice.var("eth_tickets", Domain::Range { lo: 0, hi: 20 });
    let btc = alice.var("btc_tickets", Domain::Range { lo: 0, hi: 20 });
    let usdc = alice.var("usdc_tickets", Domain::Range { lo: 0, hi: 20 });
    alice.require(Constraint::compare(
        Linear::new([(1, eth), (1, btc), (1, usdc)], 0),
        Cmp::Leq,
        Linear::constant(20),
    ));
    alice.flow(
        Side::Consume,
        "ticket",
        Linear::new([(1, eth), (1, btc), (1, usdc)], 0),
    );
    // Prices: 7 centi-ETH, 4 centi-BTC, 300 USDC a ticket.
    alice.flow(Side::Create, "ETH", Linear::new([(7, eth)], 0));
    alice.flow(Side::Create, "BTC", Linear::new([(4, btc)], 0));
    alice.flow(Side::Create, "USDC", Linear::new([(300, usdc)], 0));
    let mut bob = Intent::new("bob");
    let pay = bob.var("eth", Domain::Range { lo: 0, hi: 15 });
    bob.flow(Side::Consume, "ETH", Linear::var(pay));
    bob.flow(Side::Create, "ticket", Linear::constant(2));
    let mut charlie = Intent::new("charlie");
    let n = charlie.var("tickets", Domain::Range { lo: 3, hi: 5 });
    let asset = charlie.var("asset", Domain::set([0, 1]));
    let (p_btc, p_usdc) = (
        charlie.var("btc", Domain::Range { lo: 0, hi: 20 }),
        charlie.var("usdc", Domain::Range { lo: 0, hi: 2000 }),
    );
    // Charlie pays in BTC (asset 0, at most 20 centi-BTC) or in USDC
    // (asset 1, at most 1000), one or the other.
    charlie.require(Constraint::Or(vec![
        Constraint::And(vec![
            Constraint::compare(Linear::var(asset), Cmp::Eq, Linear::constant(0)),
            Constraint::compare(Linear::var(p_usdc), Cmp::Eq, Linear::constant(0)),
        ]),
        Constraint::And(vec![
            Constraint::compare(Linear::var(asset), Cmp::Eq, Linear::constant(1)),
            Constraint::compare(Linear::var(p_btc), Cmp::Eq, Linear::constant(0)),
            Constraint::compare(Linear::var(p_usdc), Cmp::Leq, Linear::constant(1000)),
        ]),
    ]));
    charlie.flow(Side::Consume, "BTC", Linear::var(p_btc));
    charlie.flow(Side::Consume, "USDC", Linear::var(p_usdc));
    charlie.flow(Side::Create, "ticket", Linear::var(n));
    vec![alice, bob, charlie]
}

#[test]
fn three_party_market_chooses_an_asset() {
    let pool = market();
    let s = solved(solve(&pool, all_mode()).unwrap());
    assert_eq!(s.parts.len(), 3);
    let (alice, charlie) = (&s.parts[0].values, &s.parts[2].values);
    assert_eq!(alice[0], 2, "Bob's two tickets are sold for ETH");
    // 3 to 5 tickets at 4 centi-BTC fit 20; USDC at 300 a ticket, at most
    // 1000, fits 3.
    assert_eq!(charlie[1] == 0, alice[1] == charlie[0]);
    assert!(check::check(&pool, &s).is_ok());
}

fn ring(n: usize) -> Vec<Intent> {
    (0..n)
        .map(|k| {
            let give = format!("good{k}");
            let take = format!("good{}", (k + 1) % n);
            swap(&format!("p{k}"), (1, &give), (1, &take))
        })
        .collect()
}

#[test]
fn barter_ring_only_the_cycle_balances() {
    let pool = ring(3);
    let s = solved(solve(&pool, pool_mode()).unwrap());
    assert_eq!(s.parts.len(), 3);
    for (a, b) in [(0, 1), (1, 2), (0, 2)] {
        let pair = [pool[a].clone(), pool[b].clone()];
        assert_eq!(
            solve(&pair, pool_mode()).unwrap(),
            Outcome::Unsatisfiable { conflict: vec![] }
        );
        match solve(&pair, all_mode()).unwrap() {
            Outcome::Unsatisfiable { conflict } => assert_eq!(conflict.len(), 1),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn n_queens_through_the_finite_domain_family() {
    let n = 8;
    let mut q = Intent::new("queens");
    let rows: Vec<VarId> = (0..n)
        .map(|c| q.var(&format!("q{c}"), Domain::Range { lo: 0, hi: n - 1 }))
        .collect();
    q.require(Constraint::AllDifferent(rows.clone()));
    for a in 0..rows.len() {
        for b in a + 1..rows.len() {
            let d = (b - a) as i64;
            let diff = Linear::new([(1, rows[a]), (-1, rows[b])], 0);
            q.require(Constraint::compare(
                diff.clone(),
                Cmp::Neq,
                Linear::constant(d),
            ));
            q.require(Constraint::compare(diff, Cmp::Neq, Linear::constant(-d)));
        }
    }
    let s = solved(solve(&[q], all_mode()).unwrap());
    assert_eq!(s.parts[0].values.len(), 8);
}

#[test]
fn an_unsatisfiable_pool_names_a_minimal_conflict() {
    // Alice wants 5 bananas for her apples; Bob gives at most 3. Carol's
    // intent has nothing to do with them and is satisfiable alone.
    let mut pool = vec![
        swap("alice", (2, "apple"), (5, "banana")),
        swap("bob", (3, "banana"), (2, "apple")),
    ];
    let mut carol = Intent::new("carol");
    let x = carol.var("x", Domain::Range { lo: 0, hi: 3 });
    carol.require(Constraint::compare(
        Linear::var(x),
        Cmp::Gt,
        Linear::constant(1),
    ));
    pool.push(carol);
    match solve(&pool, all_mode()).unwrap() {
        Outcome::Unsatisfiable { conflict } => {
            assert_eq!(conflict.len(), 1);
            assert!(conflict[0] < 2, "{conflict:?}");
        }
        other => panic!("{other:?}"),
    }
    // Carol alone is a (trivial) transaction of the pool.
    let s = solved(solve(&pool, pool_mode()).unwrap());
    assert_eq!(
        s.parts.iter().map(|p| p.intent).collect::<Vec<_>>(),
        vec![2]
    );
}

#[test]
fn a_use_once_offer_goes_to_one_buyer() {
    let mut a = swap("alice", (1, "coin"), (1, "ticket"));
    a.offer("alice-coin");
    let mut b = swap("alice", (1, "coin"), (1, "pass"));
    b.offer("alice-coin");
    let c = swap("bob", (1, "ticket"), (1, "coin"));
    let d = swap("carol", (1, "pass"), (1, "coin"));
    let pool = [a, b, c, d];
    match solve(&pool, all_mode()).unwrap() {
        Outcome::Unsatisfiable { conflict } => assert_eq!(conflict, vec![0, 1]),
        other => panic!("{other:?}"),
    }
    let s = solved(solve(&pool, pool_mode()).unwrap());
    assert_eq!(s.parts.len(), 2);
}

#[test]
fn an_invalid_or_too_large_intent_is_refused() {
    let mut i = Intent::new("a");
    i.var("x", Domain::Range { lo: 3, hi: 1 });
    let e = solve(&[i], pool_mode()).unwrap_err();
    assert!(e.to_string().starts_with("intent 0: var 0 (x)"), "{e}");
    let mut j = Intent::new("b");
    let x = j.var("x", Domain::Range { lo: 0, hi: 1 << 20 });
    j.require(Constraint::compare(
        Linear::new([(1 << 20, x)], 0),
        Cmp::Eq,
        Linear::constant(0),
    ));
    let e = solve(&[j], pool_mode()).unwrap_err();
    assert!(e.to_string().contains("constraint 0 can reach"), "{e}");
}

/// Every assignment of the intent's variables, in order.
fn assignments(i: &Intent) -> Vec<Vec<i64>> {
    let mut out = vec![vec![]];
    for v in &i.vars {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                v.domain.values().map(move |x| {
                    let mut p = prefix.clone();
                    p.push(x);
                    p
                })
            })
            .collect();
    }
    out
}

/// The exhaustive solver: whether some subset (every intent, in
/// [`Mode::All`]) with some assignment passes the concrete check.
fn exhaustive(pool: &[Intent], mode: Mode) -> bool {
    let n = pool.len();
    let subsets: Vec<u32> = match mode {
        Mode::Pool => (1..(1u32 << n)).collect(),
        Mode::All => vec![(1u32 << n) - 1],
    };
    subsets.into_iter().any(|set| {
        let members: Vec<usize> = (0..n).filter(|k| set & (1 << k) != 0).collect();
        let choices: Vec<Vec<Vec<i64>>> = members.iter().map(|&k| assignments(&pool[k])).collect();
        let mut idx = vec![0usize; members.len()];
        loop {
            let parts = members
                .iter()
                .zip(&idx)
                .enumerate()
                .map(|(m, (&k, &c))| avm_intent::solve::Part {
                    intent: k,
                    values: choices[m][c].clone(),
                })
                .collect();
            if check::check(pool, &avm_intent::Solution { parts }).is_ok() {
                return true;
            }
            // The next combination, odometer style.
            let mut d = 0;
            loop {
                if d == idx.len() {
                    return false;
                }
                idx[d] += 1;
                if idx[d] < choices[d].len() {
                    break;
                }
                idx[d] = 0;
                d += 1;
            }
        }
    })
}

/// A small intent for the differential test: at most two variables of at
/// most four values, flows over two kinds.
fn small_intent() -> impl Strategy<Value = Intent> {
    let domain = prop_oneof![
        (-2i64..3, 0i64..4).prop_map(|(lo, w)| Domain::Range { lo, hi: lo + w }),
        prop::collection::vec(-3i64..4, 1..4).prop_map(Domain::set),
    ];
    (1u32..3).prop_flat_map(move |n| {
        (
            prop::collection::vec(domain.clone(), n as usize),
            prop::collection::vec(common::constraint(n), 0..3),
            prop::collection::vec(
                (
                    any::<bool>(),
                    prop::sample::select(vec!["x", "y"]),
                    common::linear(n),
                ),
                0..3,
            ),
            prop::collection::vec("[ab]", 0..2),
        )
            .prop_map(|(domains, constraints, flows, offers)| {
                let mut i = Intent::new("p");
                for (k, d) in domains.into_iter().enumerate() {
                    i.var(&format!("v{k}"), d);
                }
                constraints.into_iter().for_each(|c| i.require(c));
                for (create, kind, q) in flows {
                    let side = if create { Side::Create } else { Side::Consume };
                    i.flow(side, kind, q);
                }
                offers.iter().for_each(|o| i.offer(o));
                i
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn pumpkin_agrees_with_the_exhaustive_solver(pool in prop::collection::vec(small_intent(), 1..4)) {
        for mode in [Mode::Pool, Mode::All] {
            let out = solve(&pool, Options { mode, timeout: None }).unwrap();
            let expected = exhaustive(&pool, mode);
            prop_assert_eq!(matches!(out, Outcome::Solved(_)), expected, "{:?} {:?}", mode, out);
            if let Outcome::Solved(s) = &out {
                prop_assert!(check::check(&pool, s).is_ok());
            }
            if let (Mode::All, Outcome::Unsatisfiable { conflict }) = (mode, &out) {
                // The conflict cannot hold together, and is minimal.
                prop_assert!(!conflict.is_empty());
                prop_assert!(!exhaustive_with(&pool, conflict));
                for drop in 0..conflict.len() {
                    let mut fewer = conflict.clone();
                    fewer.remove(drop);
                    if !fewer.is_empty() {
                        prop_assert!(exhaustive_with(&pool, &fewer), "{:?} not minimal", conflict);
                    }
                }
            }
        }
    }

    #[test]
    fn a_planted_ring_among_noise_is_always_found(k in 2usize..6, noise in 0usize..12, seed in any::<u64>()) {
        let mut pool = ring(k);
        for j in 0..noise {
            // Noise consumes a kind nobody creates.
            pool.push(swap(&format!("n{j}"), (1, &format!("rare{j}")), (1, "good0")));
        }
        let mut order: Vec<usize> = (0..pool.len()).collect();
        let mut s = seed;
        for a in (1..order.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            order.swap(a, (s >> 33) as usize % (a + 1));
        }
        let shuffled: Vec<Intent> = order.iter().map(|&o| pool[o].clone()).collect();
        let sol = solved(solve(&shuffled, pool_mode()).unwrap());
        prop_assert_eq!(sol.parts.len(), k);
    }
}

/// Whether some transaction of the pool holds every intent of `forced`.
fn exhaustive_with(pool: &[Intent], forced: &[usize]) -> bool {
    let n = pool.len();
    (1..(1u32 << n))
        .filter(|set| forced.iter().all(|&k| set & (1 << k) != 0))
        .any(|set| {
            let sub: Vec<usize> = (0..n).filter(|k| set & (1 << k) != 0).collect();
            let pool_sub: Vec<Intent> = sub.iter().map(|&k| pool[k].clone()).collect();
            exhaustive(&pool_sub, Mode::All)
        })
}

#[test]
fn one_pool_gives_one_answer() {
    let mut pool = ring(4);
    pool.extend(ring(3));
    pool.push(swap("x", (2, "good0"), (1, "good1")));
    let first = solve(&pool, pool_mode()).unwrap();
    for _ in 0..3 {
        assert_eq!(solve(&pool, pool_mode()).unwrap(), first);
    }
}
