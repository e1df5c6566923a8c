//! `avm intent submit|list|show|withdraw|fund` and `avm solve`: the intent
//! pool in the store directory, solved with avm-intent and committed as one
//! transaction of the object runtime (docs/intents.md).

use super::lang::SourceLines;
use super::objects::world::World;
use super::objects::{object_error, parse_controller, StoreArg};
use super::{open_store, stdout_err};
use crate::error::{code, CliError};
use crate::load;
use avm_intent::commit::{self, CommitError};
use avm_intent::extract::ExtractError;
use avm_intent::pool::{self, Entry, PoolError};
use avm_intent::replay::solve_programs;
use avm_intent::{Mode, Options, Outcome, Solution};
use avm_obj::ControllerId;
use clap::{Args, Subcommand};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// `avm intent`.
#[derive(Args, Debug)]
pub struct IntentArgs {
    /// What to do with the pool.
    #[command(subcommand)]
    pub command: IntentCommand,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub store: StoreArg,
}

/// The `avm intent` subcommands.
#[derive(Subcommand, Debug)]
pub enum IntentCommand {
    /// Extract the intent of a program and add it to the pool; print its id.
    Submit {
        /// The program: an Alma source (.alma) using the intent forms, or an Alu source
        /// (.alu) or library (.lib) using the OBJ intent opcodes.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Who states it [default: the file's name without extension].
        #[arg(long, value_name = "NAME")]
        party: Option<String>,
        /// The controller of the party's holdings (`c1` or `1`) [default: none].
        #[arg(short, long, value_name = "CONTROLLER", value_parser = parse_controller)]
        controller: Option<ControllerId>,
    },
    /// List the pool: id, party, controller, variables and constraints.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print an intent in text form.
    Show {
        /// Its id, or the first digits of it.
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Remove an intent from the pool.
    Withdraw {
        /// Its id, or the first digits of it.
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Add a quantity of a kind to a party's holding (dev/test: mints).
    Fund {
        /// The party.
        party: String,
        /// The kind.
        kind: String,
        /// How much.
        quantity: u32,
        /// The holding's controller (`c1` or `1`) [default: none].
        #[arg(short, long, value_name = "CONTROLLER", value_parser = parse_controller)]
        controller: Option<ControllerId>,
    },
}

/// `avm solve`.
#[derive(Args, Debug)]
pub struct SolveArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Commit the solution as one transaction and take its intents out of the pool.
    #[arg(long)]
    pub commit: bool,
    /// Every intent of the pool must take part (else: any balanced set); a pool with
    /// no solution then names a minimal set of conflicting intents.
    #[arg(long)]
    pub all: bool,
    /// Give up after S seconds.
    #[arg(long, value_name = "S")]
    pub timeout: Option<f64>,
    /// The gas for the commit.
    #[arg(long, default_value_t = 1_000_000)]
    pub gas: u64,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub store: StoreArg,
}

fn pool_error(e: PoolError) -> CliError {
    match e {
        PoolError::Store(e) => CliError::Store(format!("store error: {e}")),
        PoolError::Damaged { .. } => CliError::Store(e.to_string()),
        e => CliError::Refused(e.to_string()),
    }
}

/// `avm intent ...`.
pub fn intent(args: &IntentArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let dir = &args.store.store;
    match &args.command {
        IntentCommand::Submit {
            file,
            party,
            controller,
        } => {
            let input = load::load_input(file, &[])?;
            let party = party.clone().unwrap_or_else(|| load::stem(file));
            let mut store = open_store(dir, avm_obj::persist::STORE_KIND)?;
            let id =
                pool::submit(&mut store, &party, *controller, input.library).map_err(
                    |e| match e {
                        PoolError::Malformed(e) => {
                            // In an Alma source, the offset's expression too.
                            let offset = match &e {
                                ExtractError::Unsupported { offset, .. }
                                | ExtractError::Limit { offset, .. } => Some(*offset),
                                _ => None,
                            };
                            let site = offset
                                .zip(SourceLines::of(file))
                                .and_then(|(o, lines)| lines.site(o))
                                .map_or_else(String::new, |s| format!("\n  at {s}"));
                            CliError::Refused(format!(
                                "{}: not an intent: {e}{site}",
                                file.display()
                            ))
                        }
                        e => pool_error(e),
                    },
                )?;
            writeln!(out, "{}", id.hex()).map_err(stdout_err)?;
        }
        IntentCommand::List { json } => {
            let store = open_store(dir, avm_obj::persist::STORE_KIND)?;
            let entries = pool::list(&store).map_err(pool_error)?;
            if *json {
                let all: Vec<_> = entries.iter().map(entry_json).collect();
                writeln!(out, "{:#}", json!(all)).map_err(stdout_err)?;
            } else {
                for e in &entries {
                    let i = &e.program.extracted.intent;
                    writeln!(
                        out,
                        "{}  {}  {}  {} vars, {} constraints, {} flows",
                        e.id,
                        e.party,
                        e.controller.map_or("-".into(), |c| c.to_string()),
                        i.vars.len(),
                        i.constraints.len(),
                        i.flows.len()
                    )
                    .map_err(stdout_err)?;
                }
            }
        }
        IntentCommand::Show { id } => {
            let store = open_store(dir, avm_obj::persist::STORE_KIND)?;
            let e = pool::find(&store, id).map_err(pool_error)?;
            writeln!(out, "# {}", e.id.hex()).map_err(stdout_err)?;
            write!(out, "{}", e.program.extracted.intent).map_err(stdout_err)?;
        }
        IntentCommand::Withdraw { id } => {
            let mut store = open_store(dir, avm_obj::persist::STORE_KIND)?;
            let e = pool::find(&store, id).map_err(pool_error)?;
            pool::remove(&mut store, &[e.id]).map_err(pool_error)?;
            writeln!(out, "withdrew {}", e.id.hex()).map_err(stdout_err)?;
        }
        IntentCommand::Fund {
            party,
            kind,
            quantity,
            controller,
        } => {
            let controllers: Vec<ControllerId> = controller.iter().copied().collect();
            let mut world = World::open(dir, &controllers)?;
            commit::register(&mut world.runtime);
            world.runtime.set_gas(100_000);
            let holdings = commit::holdings(&world.runtime.space().lock());
            let (tx, _) = commit::fund(
                &mut world.runtime,
                &holdings,
                party,
                kind,
                i64::from(*quantity),
                *controller,
            )
            .map_err(commit_error)?;
            world.close()?;
            writeln!(out, "funded {party} with {quantity} {kind} ({tx})").map_err(stdout_err)?;
        }
    }
    Ok(code::OK)
}

fn commit_error(e: CommitError) -> CliError {
    match e {
        CommitError::Runtime(e) => object_error(e),
        e => CliError::Object(format!("commit error: {e}")),
    }
}

fn entry_json(e: &Entry) -> serde_json::Value {
    json!({
        "id": e.id.hex(),
        "party": e.party,
        "controller": e.controller.map(|c| c.to_string()),
        "intent": e.program.extracted.intent.to_string(),
    })
}

/// The parts of a solution: each intent's id, party and variables' values.
fn parts_json(entries: &[Entry], s: &Solution) -> serde_json::Value {
    let parts: Vec<_> = s
        .parts
        .iter()
        .map(|p| {
            let e = &entries[p.intent];
            let values: serde_json::Map<_, _> = e
                .program
                .extracted
                .intent
                .vars
                .iter()
                .zip(&p.values)
                .map(|(v, x)| (v.name.clone(), json!(x)))
                .collect();
            json!({"id": e.id.hex(), "party": e.party, "values": values})
        })
        .collect();
    json!(parts)
}

/// `avm solve`.
pub fn solve(args: &SolveArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let entries = pool::list(&open_store(
        &args.store.store,
        avm_obj::persist::STORE_KIND,
    )?)
    .map_err(pool_error)?;
    // The parties' controllers are reachable from this machine.
    let named: Vec<ControllerId> = entries.iter().filter_map(|e| e.controller).collect();
    let mut world = World::open(&args.store.store, &named)?;
    let store = world.store();
    let timeout = match args.timeout {
        Some(s) if s.is_finite() && s > 0.0 => Some(Duration::from_secs_f64(s.min(1e6))),
        Some(_) => {
            return Err(CliError::Usage(
                "--timeout takes a positive number of seconds".into(),
            ))
        }
        None => None,
    };
    let options = Options {
        mode: if args.all { Mode::All } else { Mode::Pool },
        timeout,
    };
    let programs: Vec<_> = entries.iter().map(|e| e.program.clone()).collect();
    let outcome = solve_programs(&programs, options)
        .map_err(|e| CliError::Object(format!("solve error: {e}")))?;
    let mut report = json!({});
    let code = match &outcome {
        Outcome::Solved(s) => {
            report = json!({"outcome": "solved", "parts": parts_json(&entries, s)});
            if !args.json {
                writeln!(out, "solved: {} intents", s.parts.len()).map_err(stdout_err)?;
                for p in &s.parts {
                    let e = &entries[p.intent];
                    let vars = &e.program.extracted.intent.vars;
                    let values: Vec<String> = vars
                        .iter()
                        .zip(&p.values)
                        .map(|(v, x)| format!("{} = {x}", v.name))
                        .collect();
                    let line = format!("  {}  {}  {}", e.id, e.party, values.join(", "));
                    writeln!(out, "{}", line.trim_end()).map_err(stdout_err)?;
                }
            }
            if args.commit {
                commit::register(&mut world.runtime);
                world.runtime.set_gas(args.gas);
                let intents: Vec<_> = programs
                    .iter()
                    .map(|p| p.extracted.intent.clone())
                    .collect();
                let controllers: Vec<_> = entries.iter().map(|e| e.controller).collect();
                let holdings = commit::holdings(&world.runtime.space().lock());
                let committed =
                    commit::commit(&mut world.runtime, &intents, s, &controllers, &holdings);
                let (tx, _) = match committed {
                    Ok(done) => done,
                    Err(e) => {
                        world.close()?;
                        return Err(commit_error(e));
                    }
                };
                let solved: Vec<_> = s.parts.iter().map(|p| entries[p.intent].id).collect();
                {
                    let mut guard = store
                        .lock()
                        .map_err(|_| CliError::Store("the store lock is poisoned".into()))?;
                    pool::remove(&mut *guard, &solved).map_err(pool_error)?;
                }
                report["committed"] = json!(tx.to_string());
                if !args.json {
                    writeln!(out, "committed: {tx} (see `avm trace`)").map_err(stdout_err)?;
                }
            }
            code::OK
        }
        Outcome::Unsatisfiable { conflict } => {
            let ids: Vec<String> = conflict.iter().map(|&k| entries[k].id.hex()).collect();
            report = json!({"outcome": "unsatisfiable", "conflict": ids});
            if !args.json {
                writeln!(out, "no solution").map_err(stdout_err)?;
                if !conflict.is_empty() {
                    writeln!(out, "conflicting intents (a minimal set):").map_err(stdout_err)?;
                    for &k in conflict {
                        writeln!(out, "  {}  {}", entries[k].id, entries[k].party)
                            .map_err(stdout_err)?;
                    }
                }
            }
            code::RUN_FALSE
        }
        Outcome::Unknown => {
            report = json!({"outcome": "unknown"});
            if !args.json {
                writeln!(out, "unknown: the time ran out").map_err(stdout_err)?;
            }
            code::RUN_FALSE
        }
    };
    world.close()?;
    if args.json {
        writeln!(out, "{report:#}").map_err(stdout_err)?;
    }
    Ok(code)
}
