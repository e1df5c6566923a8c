//! Concrete re-execution: a party's program run on the real Alu
//! interpreter with the values a solution chose, through a host that
//! answers the intent requests. A solution stands only if every party's
//! program succeeds, every `require`, `narrow` and `post` holds, and the
//! resources it consumes and creates are those the solution balanced.

use std::collections::BTreeMap;

use avm_alu::Library;
use avm_obj::request::{flag, int, Request};
use avm_vm::{DataValue, Evaluation, Gas, Host, Registry};

use crate::extract::{extract, ExtractError, Extracted, Limits};
use crate::ir::{Domain, Side, VarId};
use crate::solve::{solve, Options, Outcome, SolveError};

/// Gas for one replay: the extraction's step bound is the program's
/// size; a replay follows one path of it.
pub const REPLAY_GAS: Gas = 10_000_000;

/// A party's program and the intent extracted from it.
#[derive(Clone, Debug)]
pub struct Program {
    /// The library as submitted.
    pub library: Library,
    /// Its function value (what the Alu VM evaluates).
    pub function: DataValue,
    /// The intent and the paths' variables.
    pub extracted: Extracted,
}

impl Program {
    /// Extracts `party`'s intent from `library`.
    pub fn new(party: &str, library: Library, limits: Limits) -> Result<Program, ExtractError> {
        let extracted = extract(party, &library, limits)?;
        let function = avm_alu::binding::function(&library, [])
            .map_err(|e| ExtractError::Library(e.to_string()))?;
        Ok(Program {
            library,
            function,
            extracted,
        })
    }

    /// Runs the program concretely with `values` (one per variable of the
    /// intent): the gas the run used when it succeeds and agrees with the
    /// intent, else what went wrong.
    pub fn replay(&self, registry: &Registry, values: &[i64]) -> Result<Gas, String> {
        let x = &self.extracted;
        let path = x.path_of(values);
        let choices = x
            .paths
            .get(path)
            .ok_or_else(|| format!("the solution picks path {path} of {}", x.paths.len()))?;
        let mut host = Replay {
            values,
            choices,
            next: 0,
            failures: Vec::new(),
            flows: BTreeMap::new(),
            offers: Vec::new(),
            posted: 0,
        };
        let run = registry
            .multievaluate_in(&self.function, &[], REPLAY_GAS, &mut host)
            .map_err(|e| format!("the program did not run: {e}"))?;
        if let Some(f) = host.failures.first() {
            return Err(f.clone());
        }
        if run.result.is_none() {
            return Err("the program failed with the chosen values".into());
        }
        if host.next != choices.len() {
            return Err(format!(
                "the program made {} of the path's {} choices",
                host.next,
                choices.len()
            ));
        }
        let mut expected: BTreeMap<(bool, String), i128> = BTreeMap::new();
        for f in &x.intent.flows {
            let q = f
                .quantity
                .eval(values)
                .ok_or("a flow names a missing value")?;
            *expected
                .entry((f.side == Side::Create, f.kind.clone()))
                .or_default() += q;
        }
        expected.retain(|_, q| *q != 0);
        host.flows.retain(|_, q| *q != 0);
        if expected != host.flows {
            return Err(format!(
                "the program's resources {:?} differ from the intent's {:?}",
                host.flows, expected
            ));
        }
        if let Some(o) = host.offers.iter().find(|o| !x.intent.offers.contains(o)) {
            return Err(format!(
                "the program spends offer {o}, which the intent does not name"
            ));
        }
        Ok(run.gas_used)
    }
}

/// The host of a replay.
struct Replay<'a> {
    values: &'a [i64],
    choices: &'a [VarId],
    next: usize,
    failures: Vec<String>,
    flows: BTreeMap<(bool, String), i128>,
    offers: Vec<String>,
    posted: u64,
}

impl Replay<'_> {
    fn value_of_handle(&self, h: u64) -> Option<i64> {
        let v = self.choices.get(usize::try_from(h).ok()?)?;
        self.values.get(v.index()).copied()
    }

    fn next_choice(&mut self, what: &str) -> Option<i64> {
        let Some(v) = self.choices.get(self.next) else {
            self.failures.push(format!(
                "{what} number {} is beyond the path's choices",
                self.next
            ));
            return None;
        };
        self.next += 1;
        self.values.get(v.index()).copied()
    }

    fn serve(&mut self, request: Request) -> Option<DataValue> {
        let domain = |v: &DataValue| crate::encode::domain_of(v, "domain").ok();
        Some(match request {
            Request::Choose(d) => {
                let v = self.next_choice("choose")?;
                if !domain(&d)?.contains(v) {
                    self.failures
                        .push(format!("choose gave {v}, outside its domain"));
                }
                int(v)
            }
            Request::NewVar(d) => {
                let handle = self.next as u64;
                let v = self.next_choice("newVar")?;
                if !domain(&d)?.contains(v) {
                    self.failures
                        .push(format!("newVar's value {v} is outside its domain"));
                }
                DataValue::nat(handle)
            }
            Request::Label(h) => int(self.value_of_handle(h)?),
            Request::Narrow { var, domain: d } => {
                let holds = domain(&d)
                    .zip(self.value_of_handle(var))
                    .is_some_and(|(d, v): (Domain, i64)| d.contains(v));
                if !holds {
                    self.failures
                        .push(format!("narrow of handle {var} does not hold"));
                }
                self.posted += 1;
                flag(holds)
            }
            Request::Post(c) => {
                let c = crate::encode::constraint_of(&c, "constraint", 0).ok()?;
                let values: Vec<i64> = (0..self.choices.len() as u64)
                    .map(|h| self.value_of_handle(h).unwrap_or(0))
                    .collect();
                let holds = c.holds(&values) == Some(true);
                if !holds {
                    self.failures
                        .push("a posted constraint does not hold".into());
                }
                self.posted += 1;
                flag(holds)
            }
            Request::Require(holds) => {
                if !holds {
                    self.failures.push(format!(
                        "a require does not hold (after {} choices)",
                        self.next
                    ));
                }
                self.posted += 1;
                DataValue::unit()
            }
            Request::Flow {
                create,
                kind,
                quantity,
            } => {
                *self.flows.entry((create, kind)).or_default() += i128::from(quantity);
                DataValue::unit()
            }
            Request::Offer(o) => {
                self.offers.push(o);
                DataValue::unit()
            }
            Request::ReifyConstraints => avm_obj::ReifiedConstraints {
                vars: self.next as u64,
                count: self.posted,
            }
            .to_value(),
            _ => {
                self.failures
                    .push("the program asked the object runtime during a replay".into());
                return None;
            }
        })
    }
}

impl Host for Replay<'_> {
    fn host_call(&mut self, request: &DataValue, gas_limit: Gas) -> Evaluation<DataValue> {
        if gas_limit == 0 {
            return Evaluation {
                result: None,
                gas_used: 0,
            };
        }
        let result = Request::from_value(request)
            .ok()
            .and_then(|r| self.serve(r));
        Evaluation {
            result,
            gas_used: 1,
        }
    }
}

/// Solves a pool of programs: composes their intents, solves, and
/// replays every part of the solution concretely; a part that does not
/// replay is a [`SolveError::Rejected`], never a solution.
pub fn solve_programs(programs: &[Program], options: Options) -> Result<Outcome, SolveError> {
    let intents: Vec<_> = programs
        .iter()
        .map(|p| p.extracted.intent.clone())
        .collect();
    let out = solve(&intents, options)?;
    if let Outcome::Solved(s) = &out {
        let registry = avm_obj::alu::registry();
        for part in &s.parts {
            programs[part.intent]
                .replay(&registry, &part.values)
                .map_err(|e| {
                    SolveError::Rejected(format!(
                        "intent {} ({}) does not replay: {e}",
                        part.intent, programs[part.intent].extracted.intent.party
                    ))
                })?;
        }
    }
    Ok(out)
}
