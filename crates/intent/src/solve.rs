//! Composition and solving: a pool of intents becomes one constraint
//! problem for pumpkin (a lazy-clause-generation CP solver, pure Rust),
//! and the solver's answer is re-checked concretely before it is
//! reported ([`crate::check`]).
//!
//! The composed problem:
//!
//! - every intent `i` gets a Boolean `take_i`: whether it takes part in
//!   the transaction, and its own copy of its variables (parties never
//!   share variables; they meet only through resources);
//! - each of intent `i`'s constraints holds when `take_i` (top-level
//!   comparisons and alldifferent are half-reified, `take_i ->
//!   constraint`; nested ones are reified into literals joined by
//!   clauses);
//! - each flow gets a quantity `q >= 0` equal to its linear term when
//!   `take_i`, and 0 otherwise; per resource kind, the quantities created
//!   equal those consumed (the resource machine's balance rule);
//! - per use-once offer, at most one intent spending it takes part (a
//!   cardinality constraint);
//! - [`Mode::Pool`]: at least one intent takes part; [`Mode::All`]: every
//!   intent takes part, stated as assumptions so that an unsatisfiable
//!   pool yields a core, which is then shrunk to a minimal one by
//!   deletion.
//!
//! Pumpkin can log a DRCP proof of unsatisfiability; this crate does not
//! write or check one (pumpkin-checker needs the model as FlatZinc), so an
//! "unsatisfiable" answer rests on the solver, while every "solved" answer
//! is checked here.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use pumpkin_solver::conflict_resolvers::resolvers::ResolutionResolver;
use pumpkin_solver::core::constraints::NegatableConstraint;
use pumpkin_solver::core::predicates::Predicate;
use pumpkin_solver::core::proof::ConstraintTag;
use pumpkin_solver::core::results::{ProblemSolution, SatisfactionResultUnderAssumptions};
use pumpkin_solver::core::termination::{Indefinite, TerminationCondition, TimeBudget};
use pumpkin_solver::core::variables::{AffineView, DomainId, Literal, TransformableVariable};
use pumpkin_solver::{self as cp, Solver};

use crate::ir::{Cmp, Constraint, Domain, Intent, Linear, Side};

/// The largest magnitude a linear term may reach for the solver: 2^30,
/// so that sums and their negations stay within `i32`.
pub const SOLVER_LIMIT: i128 = 1 << 30;

/// Which transactions count as solutions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Any non-empty set of intents that balances (a solver's view of a
    /// pool).
    Pool,
    /// Every intent of the pool takes part (a proposed match); when none
    /// exists, a minimal set of conflicting intents is named.
    All,
}

/// How to solve.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Which transactions count.
    pub mode: Mode,
    /// Give up (with [`Outcome::Unknown`]) after this long; `None` waits.
    /// Shrinking a core shares the budget: when it runs out, the core
    /// found so far is reported (a conflict, perhaps not minimal).
    pub timeout: Option<Duration>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mode: Mode::Pool,
            timeout: None,
        }
    }
}

/// One intent's part in a solution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// The intent's index in the pool.
    pub intent: usize,
    /// The value of each of its variables.
    pub values: Vec<i64>,
}

/// A transaction that satisfies every party in it, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Solution {
    /// The intents taking part, ascending by index.
    pub parts: Vec<Part>,
}

/// What solving found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A solution, re-checked concretely.
    Solved(Solution),
    /// No solution exists. In [`Mode::All`], `conflict` is a minimal set
    /// of intents (indexes, ascending) that no transaction drawn from the
    /// pool can hold together; empty in [`Mode::Pool`] or for an empty
    /// pool.
    Unsatisfiable {
        /// The conflicting intents.
        conflict: Vec<usize>,
    },
    /// The time ran out first.
    Unknown,
}

/// Why a pool could not be solved.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SolveError {
    /// An intent is not well formed.
    #[error("intent {intent}: {error}")]
    Invalid {
        /// Its index in the pool.
        intent: usize,
        /// What is wrong.
        error: crate::ir::Invalid,
    },
    /// A linear term could exceed the solver's integers.
    #[error("intent {intent}: {at} can reach {reach}, beyond the solver's limit ±{SOLVER_LIMIT}")]
    TooLarge {
        /// Its index in the pool.
        intent: usize,
        /// Which term.
        at: String,
        /// The magnitude it can reach.
        reach: i128,
    },
    /// The solver's answer failed the concrete check: a solver defect,
    /// never reported as a solution.
    #[error("the solver's answer failed the concrete check: {0}")]
    Rejected(String),
}

/// The largest magnitude `l` reaches over the domains of `intent`.
fn reach(intent: &Intent, l: &Linear) -> i128 {
    let mut r = i128::from(l.offset()).abs();
    for &(c, v) in l.terms() {
        let (lo, hi) = intent.vars[v.index()].domain.bounds().unwrap_or((0, 0));
        r += i128::from(c).abs() * i128::from(lo.abs().max(hi.abs()));
    }
    r
}

/// The least and greatest values `l` can take over the domains.
fn range(intent: &Intent, l: &Linear) -> (i128, i128) {
    let (mut lo, mut hi) = (i128::from(l.offset()), i128::from(l.offset()));
    for &(c, v) in l.terms() {
        let (a, b) = intent.vars[v.index()].domain.bounds().unwrap_or((0, 0));
        let (x, y) = (i128::from(c) * i128::from(a), i128::from(c) * i128::from(b));
        lo += x.min(y);
        hi += x.max(y);
    }
    (lo, hi)
}

/// Every term and row of `intent` fits the solver.
fn check_size(index: usize, intent: &Intent) -> Result<(), SolveError> {
    fn linears<'a>(c: &'a Constraint, out: &mut Vec<&'a Linear>) {
        match c {
            Constraint::Compare { lhs, rhs, .. } => out.extend([lhs, rhs]),
            Constraint::And(cs) | Constraint::Or(cs) => cs.iter().for_each(|c| linears(c, out)),
            Constraint::Not(c) => linears(c, out),
            _ => {}
        }
    }
    let too_large = |at: String, reach: i128| SolveError::TooLarge {
        intent: index,
        at,
        reach,
    };
    for (k, c) in intent.constraints.iter().enumerate() {
        let mut ls = Vec::new();
        linears(c, &mut ls);
        let r: i128 = ls.iter().map(|l| reach(intent, l)).sum();
        if r > SOLVER_LIMIT {
            return Err(too_large(format!("constraint {k}"), r));
        }
    }
    for (k, f) in intent.flows.iter().enumerate() {
        let r = reach(intent, &f.quantity);
        if r > SOLVER_LIMIT {
            return Err(too_large(format!("flow {k}"), r));
        }
    }
    Ok(())
}

/// `i64` to the solver's `i32`, for values [`check_size`] bounded.
fn small(v: i128) -> i32 {
    i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX })
}

/// The composed problem in a pumpkin solver.
struct Model {
    solver: Solver,
    tag: ConstraintTag,
    take: Vec<Literal>,
    vars: Vec<Vec<DomainId>>,
}

impl Model {
    fn build(pool: &[Intent]) -> Result<Model, SolveError> {
        for (i, intent) in pool.iter().enumerate() {
            intent
                .validate()
                .map_err(|error| SolveError::Invalid { intent: i, error })?;
            check_size(i, intent)?;
        }
        let mut solver = Solver::default();
        let tag = solver.new_constraint_tag();
        let mut m = Model {
            take: Vec::with_capacity(pool.len()),
            vars: Vec::with_capacity(pool.len()),
            solver,
            tag,
        };
        // Per kind, the signed quantities (created +, consumed -); per
        // offer, the intents spending it. Ordered maps: the model, and so
        // the search, does not depend on hashing.
        let mut balance: BTreeMap<&str, Vec<AffineView<DomainId>>> = BTreeMap::new();
        let mut offers: BTreeMap<&str, Vec<Literal>> = BTreeMap::new();
        let mut volume: BTreeMap<&str, i128> = BTreeMap::new();
        for (index, intent) in pool.iter().enumerate() {
            let take = m.solver.new_literal();
            m.take.push(take);
            let vars = intent
                .vars
                .iter()
                .map(|v| match &v.domain {
                    Domain::Range { lo, hi } => m
                        .solver
                        .new_bounded_integer(small((*lo).into()), small((*hi).into())),
                    Domain::Set(values) => m.solver.new_sparse_integer(
                        values.iter().map(|&x| small(x.into())).collect::<Vec<_>>(),
                    ),
                })
                .collect();
            m.vars.push(vars);
            let i = m.take.len() - 1;
            for c in &intent.constraints {
                m.post_under(i, c);
            }
            for f in &intent.flows {
                let (_, hi) = range(intent, &f.quantity);
                let total = volume.entry(&f.kind).or_default();
                *total += hi.max(0);
                if *total > SOLVER_LIMIT {
                    return Err(SolveError::TooLarge {
                        intent: index,
                        at: format!("the pool's total of kind {}", f.kind),
                        reach: *total,
                    });
                }
                let q = m.solver.new_bounded_integer(0, small(hi.max(0)));
                let (mut terms, k) = m.linear(i, &f.quantity);
                terms.push(q.scaled(-1));
                let (tag, solver) = (m.tag, &mut m.solver);
                solver
                    .add_constraint(cp::equals(terms, -k, tag))
                    .implied_by(take);
                solver
                    .add_constraint(cp::equals([q], 0, tag))
                    .implied_by(!take);
                let sign = if f.side == Side::Create { 1 } else { -1 };
                balance.entry(&f.kind).or_default().push(q.scaled(sign));
            }
            for o in &intent.offers {
                offers.entry(o).or_default().push(take);
            }
        }
        let tag = m.tag;
        for terms in balance.into_values() {
            m.solver.add_constraint(cp::equals(terms, 0, tag)).post();
        }
        for spenders in offers.into_values().filter(|s| s.len() > 1) {
            let weights = vec![1; spenders.len()];
            m.solver
                .add_constraint(cp::boolean_less_than_or_equals(weights, spenders, 1, tag))
                .post();
        }
        Ok(m)
    }

    /// A linear term as solver terms and a constant.
    fn linear(&self, i: usize, l: &Linear) -> (Vec<AffineView<DomainId>>, i32) {
        let terms = l
            .terms()
            .iter()
            .map(|&(c, v)| self.vars[i][v.index()].scaled(small(c.into())))
            .collect();
        (terms, small(l.offset().into()))
    }

    /// Posts `c` as holding whenever intent `i` takes part.
    fn post_under(&mut self, i: usize, c: &Constraint) {
        let (take, tag) = (self.take[i], self.tag);
        match c {
            Constraint::AllDifferent(vs) if vs.len() > 1 => {
                let vars: Vec<DomainId> = vs.iter().map(|v| self.vars[i][v.index()]).collect();
                self.solver
                    .add_constraint(cp::all_different(vars, tag))
                    .implied_by(take);
            }
            Constraint::And(cs) => cs.iter().for_each(|c| self.post_under(i, c)),
            _ => {
                let l = self.literal(i, c);
                self.solver
                    .add_clause([(!take).get_true_predicate(), l.get_true_predicate()], tag);
            }
        }
    }

    /// A fresh literal equivalent to `constraint`.
    fn reified(&mut self, constraint: impl NegatableConstraint + 'static) -> Literal {
        let l = self.solver.new_literal();
        self.solver.add_constraint(constraint).reify(l);
        l
    }

    /// A literal equivalent to constraint `c` of intent `i`.
    fn literal(&mut self, i: usize, c: &Constraint) -> Literal {
        let tag = self.tag;
        match c {
            Constraint::Compare { op, lhs, rhs } => {
                let (terms, k) = self.linear(i, &lhs.minus(rhs));
                if terms.is_empty() {
                    return self.constant(op.holds(k.into(), 0));
                }
                // sum(terms) + k op 0, that is sum(terms) op -k.
                match op {
                    Cmp::Eq => self.reified(cp::equals(terms, -k, tag)),
                    Cmp::Neq => self.reified(cp::not_equals(terms, -k, tag)),
                    Cmp::Lt => self.reified(cp::less_than(terms, -k, tag)),
                    Cmp::Leq => self.reified(cp::less_than_or_equals(terms, -k, tag)),
                    Cmp::Gt => self.reified(cp::greater_than(terms, -k, tag)),
                    Cmp::Geq => self.reified(cp::greater_than_or_equals(terms, -k, tag)),
                }
            }
            Constraint::AllDifferent(vs) => {
                let mut pairs = Vec::new();
                for (a, x) in vs.iter().enumerate() {
                    for y in &vs[a + 1..] {
                        let (x, y) = (self.vars[i][x.index()], self.vars[i][y.index()]);
                        pairs.push(self.reified(cp::binary_not_equals(x, y, tag)));
                    }
                }
                self.all(pairs)
            }
            Constraint::Element {
                index,
                array,
                value,
            } => {
                let rows = array
                    .iter()
                    .enumerate()
                    .map(|(k, &v)| vec![small(k as i128), small(v.into())])
                    .collect();
                let vars = [self.vars[i][index.index()], self.vars[i][value.index()]];
                self.reified(cp::table(vars, rows, tag))
            }
            Constraint::Table { vars, rows } => {
                if rows.is_empty() || vars.is_empty() {
                    return self.constant(!rows.is_empty());
                }
                let vars: Vec<DomainId> = vars.iter().map(|v| self.vars[i][v.index()]).collect();
                let rows = rows
                    .iter()
                    .map(|r| r.iter().map(|&v| small(v.into())).collect())
                    .collect();
                self.reified(cp::table(vars, rows, tag))
            }
            Constraint::And(cs) => {
                let ls = cs.iter().map(|c| self.literal(i, c)).collect();
                self.all(ls)
            }
            Constraint::Or(cs) => {
                let ls: Vec<Literal> = cs.iter().map(|c| self.literal(i, c)).collect();
                let negated = ls.into_iter().map(|l| !l).collect();
                !self.all(negated)
            }
            Constraint::Not(c) => !self.literal(i, c),
        }
    }

    fn constant(&self, b: bool) -> Literal {
        if b {
            self.solver.get_true_literal()
        } else {
            self.solver.get_false_literal()
        }
    }

    /// A literal equivalent to the conjunction of `ls`.
    fn all(&mut self, ls: Vec<Literal>) -> Literal {
        if ls.is_empty() {
            return self.constant(true);
        }
        self.reified(cp::conjunction(ls, self.tag))
    }
}

fn termination(timeout: Option<Duration>) -> Box<dyn TerminationCondition> {
    match timeout {
        Some(t) => Box::new(TimeBudget::starting_now(t)),
        None => Box::new(Indefinite),
    }
}

/// What one run of the solver says about the pool with some intents
/// forced to take part.
enum Run {
    Sat(Solution),
    Unsat(Vec<usize>),
    Unknown,
}

fn run(pool: &[Intent], forced: &[usize], timeout: Option<Duration>) -> Result<Run, SolveError> {
    let mut m = Model::build(pool)?;
    let tag = m.tag;
    if forced.is_empty() {
        // At least one intent takes part.
        let any: Vec<Predicate> = m.take.iter().map(|l| l.get_true_predicate()).collect();
        m.solver.add_clause(any, tag);
    }
    let assumptions: Vec<Predicate> = forced
        .iter()
        .map(|&i| m.take[i].get_true_predicate())
        .collect();
    let mut brancher = m.solver.default_brancher();
    let mut resolver = ResolutionResolver::default();
    let mut stop = termination(timeout);
    let read = |s: &dyn Fn(Literal) -> bool, v: &dyn Fn(DomainId) -> i32| {
        let parts = (0..pool.len())
            .filter(|&i| s(m.take[i]))
            .map(|i| Part {
                intent: i,
                values: m.vars[i].iter().map(|&d| i64::from(v(d))).collect(),
            })
            .collect();
        Solution { parts }
    };
    let result = match m.solver.satisfy_under_assumptions(
        &mut brancher,
        &mut stop,
        &mut resolver,
        &assumptions,
    ) {
        SatisfactionResultUnderAssumptions::Satisfiable(sat) => {
            let s = sat.solution();
            Run::Sat(read(&|l| s.get_literal_value(l), &|d| {
                s.get_integer_value(d)
            }))
        }
        SatisfactionResultUnderAssumptions::UnsatisfiableUnderAssumptions(mut unsat) => {
            let core = unsat.extract_core();
            let mut conflict: Vec<usize> = forced
                .iter()
                .copied()
                .filter(|&i| core.contains(&m.take[i].get_true_predicate()))
                .collect();
            conflict.sort_unstable();
            Run::Unsat(conflict)
        }
        SatisfactionResultUnderAssumptions::Unsatisfiable(_) => Run::Unsat(Vec::new()),
        SatisfactionResultUnderAssumptions::Unknown(_) => Run::Unknown,
    };
    Ok(result)
}

/// Composes the pool and solves it.
///
/// ```
/// use avm_intent::{solve, Domain, Intent, Linear, Side};
/// let mut alice = Intent::new("alice");
/// alice.flow(Side::Consume, "apple", Linear::constant(3));
/// alice.flow(Side::Create, "banana", Linear::constant(2));
/// let mut bob = Intent::new("bob");
/// bob.flow(Side::Consume, "banana", Linear::constant(2));
/// bob.flow(Side::Create, "apple", Linear::constant(3));
/// let out = solve::solve(&[alice, bob], solve::Options::default()).unwrap();
/// let solve::Outcome::Solved(s) = out else { panic!() };
/// assert_eq!(s.parts.len(), 2);
/// ```
pub fn solve(pool: &[Intent], options: Options) -> Result<Outcome, SolveError> {
    let forced: Vec<usize> = match options.mode {
        Mode::Pool => Vec::new(),
        Mode::All => (0..pool.len()).collect(),
    };
    if pool.is_empty() {
        return Ok(Outcome::Unsatisfiable {
            conflict: Vec::new(),
        });
    }
    // One deadline for the search and the core's shrinking together.
    let deadline = options.timeout.map(|t| Instant::now() + t);
    let left = || deadline.map(|d| d.saturating_duration_since(Instant::now()));
    match run(pool, &forced, left())? {
        Run::Sat(solution) => {
            crate::check::check(pool, &solution).map_err(SolveError::Rejected)?;
            Ok(Outcome::Solved(solution))
        }
        Run::Unknown => Ok(Outcome::Unknown),
        Run::Unsat(core) if options.mode == Mode::Pool => {
            debug_assert!(core.is_empty());
            Ok(Outcome::Unsatisfiable {
                conflict: Vec::new(),
            })
        }
        Run::Unsat(mut core) => {
            // Deletion: drop each member whose absence keeps the rest
            // unsatisfiable; what remains is minimal.
            let mut k = 0;
            while k < core.len() {
                let mut without = core.clone();
                without.remove(k);
                match run(pool, &without, left())? {
                    Run::Unsat(_) if !without.is_empty() => core = without,
                    _ => k += 1,
                }
            }
            Ok(Outcome::Unsatisfiable { conflict: core })
        }
    }
}
