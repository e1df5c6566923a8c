//! `avm obj`, `avm tx` and `avm trace`: objects kept in a store directory, or on a node.
//!
//! Every command opens the store (`--store DIR`, default `.avm`), runs on the object
//! runtime with Alu (and its OBJ extension) as the VM, persists what it committed and
//! appends its trace, and closes the store. With `--node ADDR` the same commands work
//! against a node of a cluster ([`node_world`]).

mod chart;
mod json;
mod mermaid;
mod node_world;
mod script;
mod svg;
pub(crate) mod world;

use super::eval;
use super::stdout_err;
use crate::error::{code, CliError};
use avm_node::script::{Done, End, Step, Target};
use avm_obj::{AvmError, ControllerId, ObjectHost, ObjectId};
use avm_vm::{text, DataValue};
use clap::{Args, Subcommand, ValueEnum};
use script::{ObjectRef, Op};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use world::{Objects, World};

/// The store directory when `--store` is not given.
pub const DEFAULT_STORE: &str = ".avm";

/// Gas for one command when `--gas` is not given.
pub const DEFAULT_GAS: u64 = 1_000_000;

/// The largest `avm tx` script, in bytes: parsing holds the whole script and its values
/// in memory, a few dozen times its size.
pub const MAX_SCRIPT: u64 = 1 << 20;

/// `--store DIR`.
#[derive(Args, Debug)]
pub struct StoreArg {
    /// The store directory (made if missing).
    #[arg(long, value_name = "DIR", default_value = DEFAULT_STORE, global = true)]
    pub store: PathBuf,
}

/// `--node ADDR`.
#[derive(Args, Debug)]
pub struct NodeArg {
    /// Work against the node at ADDR (see `avm cluster`) instead of a store directory.
    #[arg(long, value_name = "ADDR", global = true, conflicts_with = "store")]
    pub node: Option<String>,
}

/// `avm obj`.
#[derive(Args, Debug)]
pub struct ObjArgs {
    /// What to do with objects.
    #[command(subcommand)]
    pub command: ObjCommand,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub store: StoreArg,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub node: NodeArg,
}

/// The `avm obj` subcommands.
#[derive(Subcommand, Debug)]
pub enum ObjCommand {
    /// Create an object; print its id.
    Create {
        /// Its behaviour: a .alu or .lib file, a function value in text form, or @FILE.
        #[arg(value_name = "BEHAVIOUR")]
        behaviour: String,
        /// Its controller (`c1` or `1`) [default: none].
        #[arg(short, long, value_name = "CONTROLLER", value_parser = parse_controller)]
        controller: Option<ControllerId>,
        /// A directory to look for imported libraries in; repeatable.
        #[arg(short = 'L', long = "lib-path", value_name = "DIR")]
        lib_path: Vec<PathBuf>,
    },
    /// Send an object a message; print its output.
    Call {
        /// The object (`obj1` or `1`).
        #[arg(value_name = "OBJECT", value_parser = parse_object)]
        object: ObjectId,
        /// The message: a value in text form, or @FILE.
        #[arg(value_name = "INPUT")]
        input: String,
        /// Most gas the call (with every nested call) may use.
        #[arg(long, value_name = "N", default_value_t = DEFAULT_GAS)]
        gas: u64,
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print an object's state, history length, controller and behaviour.
    State {
        /// The object (`obj1` or `1`).
        #[arg(value_name = "OBJECT", value_parser = parse_object)]
        object: ObjectId,
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List every object, ascending by id.
    List {
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Destroy an object (it must have a controller).
    Destroy {
        /// The object (`obj1` or `1`).
        #[arg(value_name = "OBJECT", value_parser = parse_object)]
        object: ObjectId,
    },
}

/// `avm tx`.
#[derive(Args, Debug)]
pub struct TxArgs {
    /// The script (see `avm tx --help` for its format).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The controller the transaction is bound to [default: the first object's].
    #[arg(short, long, value_name = "CONTROLLER", value_parser = parse_controller)]
    pub controller: Option<ControllerId>,
    /// Most gas the whole transaction may use.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_GAS)]
    pub gas: u64,
    /// A directory to look for imported libraries in; repeatable.
    #[arg(short = 'L', long = "lib-path", value_name = "DIR")]
    pub lib_path: Vec<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub store: StoreArg,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub node: NodeArg,
}

/// How `avm trace` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TraceFormat {
    /// One line per event.
    Text,
    /// A Mermaid sequence diagram.
    Mermaid,
    /// A standalone SVG picture.
    Svg,
    /// One JSON document with the trace's hash.
    Json,
}

/// `avm trace`.
#[derive(Args, Debug)]
pub struct TraceArgs {
    /// The output format.
    #[arg(short, long, value_enum, default_value = "mermaid")]
    pub format: TraceFormat,
    /// Only the events of the last N commands.
    #[arg(long, value_name = "N")]
    pub last: Option<usize>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub store: StoreArg,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub node: NodeArg,
}

fn parse_object(s: &str) -> Result<ObjectId, String> {
    match script::object_ref(s) {
        Some(ObjectRef::Id(id)) => Ok(id),
        _ => Err("expected an object id like obj3 (or 3)".into()),
    }
}

pub(crate) fn parse_controller(s: &str) -> Result<ControllerId, String> {
    script::controller(s).ok_or_else(|| "expected a controller like c2 (or 2)".into())
}

/// The message an object-runtime error gives on the command line.
pub(crate) fn object_error(e: AvmError) -> CliError {
    match e {
        AvmError::Store(message) => CliError::Store(format!("store error: {message}")),
        e => CliError::Object(format!("{} error: {e}", e.layer())),
    }
}

/// `avm obj ...`.
pub fn obj(args: &ObjArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let controllers: Vec<ControllerId> = match &args.command {
        ObjCommand::Create {
            controller: Some(c),
            ..
        } => vec![*c],
        _ => Vec::new(),
    };
    let mut world: Box<dyn Objects> = match &args.node.node {
        Some(addr) => Box::new(node_world::NodeWorld::open(addr)?),
        None => Box::new(World::open(&args.store.store, &controllers)?),
    };
    let result = obj_command(&args.command, world.as_mut(), out);
    // What ran is recorded even when it failed: the trace shows the error.
    finish(result, world)
}

/// Closes `world` (appending its trace) after a command; the command's own error, if it
/// failed, is the one reported (a full disk fails the trace too, with a vaguer message).
fn finish(result: Result<u8, CliError>, world: Box<dyn Objects>) -> Result<u8, CliError> {
    let closed = world.close();
    let code = result?;
    closed?;
    Ok(code)
}

fn obj_command(
    command: &ObjCommand,
    world: &mut dyn Objects,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    match command {
        ObjCommand::Create {
            behaviour,
            controller,
            lib_path,
        } => {
            let behaviour = eval::function(behaviour, lib_path)?;
            world.runtime().set_gas(DEFAULT_GAS);
            let id = world.create(behaviour, *controller).map_err(object_error)?;
            writeln!(out, "{id}").map_err(stdout_err)?;
        }
        ObjCommand::Call {
            object,
            input,
            gas,
            json,
        } => {
            let input = eval::value(input, "INPUT")?;
            let rt = world.runtime();
            rt.set_gas(*gas);
            let output = rt.call(*object, input).map_err(object_error)?;
            let used = gas - rt.gas_left();
            let printed = output.as_ref().map(text::print);
            if *json {
                let doc = json!({"object": object.to_string(), "output": printed, "gas": used});
                writeln!(out, "{doc:#}").map_err(stdout_err)?;
            } else {
                writeln!(out, "output: {}", printed.as_deref().unwrap_or("none"))
                    .and_then(|()| writeln!(out, "gas:    {used}"))
                    .map_err(stdout_err)?;
            }
        }
        ObjCommand::State { object, json } => {
            let summary = world.summary(*object)?;
            if *json {
                writeln!(out, "{:#}", summary.to_json()).map_err(stdout_err)?;
            } else {
                summary.write_long(out).map_err(stdout_err)?;
            }
        }
        ObjCommand::List { json } => {
            let all = world.summaries()?;
            if *json {
                let doc: Vec<_> = all.iter().map(world::Summary::to_json).collect();
                writeln!(out, "{:#}", json!(doc)).map_err(stdout_err)?;
            } else {
                for s in &all {
                    s.write_line(out).map_err(stdout_err)?;
                }
            }
        }
        ObjCommand::Destroy { object } => {
            world.runtime().set_gas(DEFAULT_GAS);
            world.destroy(*object).map_err(object_error)?;
            writeln!(out, "destroyed {object}").map_err(stdout_err)?;
        }
    }
    Ok(code::OK)
}

/// The script in `path`: a regular file of at most [`MAX_SCRIPT`] bytes.
fn read_script(path: &std::path::Path) -> Result<Vec<u8>, CliError> {
    use std::io::Read;
    // Checked before opening: opening a FIFO would wait for a writer.
    let meta = std::fs::metadata(path).map_err(|e| CliError::read(path, e))?;
    if !meta.is_file() {
        return Err(CliError::Usage(format!(
            "{}: not a regular file",
            path.display()
        )));
    }
    let file = std::fs::File::open(path).map_err(|e| CliError::read(path, e))?;
    let mut bytes = Vec::new();
    file.take(MAX_SCRIPT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::read(path, e))?;
    if bytes.len() as u64 > MAX_SCRIPT {
        return Err(CliError::Usage(format!(
            "{}: a script of more than {MAX_SCRIPT} bytes; split it into several transactions",
            path.display()
        )));
    }
    Ok(bytes)
}

/// `avm tx FILE`.
pub fn tx(args: &TxArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let bytes = read_script(&args.file)?;
    let source = String::from_utf8(bytes).map_err(|e| {
        CliError::Usage(format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            args.file.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    let statements = script::parse(&source).map_err(|e| {
        let line = source.lines().nth(e.line - 1).unwrap_or("");
        CliError::Usage(format!(
            "{}:{}:{}: {}\n  {line}\n  {}^",
            args.file.display(),
            e.line,
            e.col,
            e.message,
            " ".repeat(e.col - 1)
        ))
    })?;
    // Every behaviour is loaded before the transaction begins.
    let mut behaviours = Vec::new();
    let mut controllers: Vec<ControllerId> = args.controller.into_iter().collect();
    for s in &statements {
        match &s.op {
            Op::Create { behaviour, .. } => behaviours.push(
                eval::function(behaviour, &args.lib_path).map_err(|e| at_line(args, s.line, e))?,
            ),
            Op::Transfer { to, .. } => controllers.push(*to),
            Op::Call { .. } | Op::Destroy { .. } => {}
        }
    }
    let mut world: Box<dyn Objects> = match &args.node.node {
        Some(addr) => Box::new(node_world::NodeWorld::open(addr)?),
        None => Box::new(World::open(&args.store.store, &controllers)?),
    };
    let result = run_script(args, &statements, behaviours, world.as_mut(), out);
    finish(result, world)
}

/// A failure while preparing line `line` of the script.
fn at_line(args: &TxArgs, line: usize, e: CliError) -> CliError {
    let code = e.exit_code();
    let message = format!("{}:{line}: {e}", args.file.display());
    match code {
        code::USAGE => CliError::Usage(message),
        _ => e,
    }
}

fn run_script(
    args: &TxArgs,
    statements: &[script::Statement],
    behaviours: Vec<DataValue>,
    world: &mut dyn Objects,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    let target = |r: &ObjectRef| match r {
        ObjectRef::Id(id) => Target::Id(*id),
        ObjectRef::Name(n) => Target::Name(n.clone()),
    };
    let mut behaviours = behaviours.into_iter();
    let steps: Vec<Step> = statements
        .iter()
        .map(|s| match &s.op {
            Op::Create { name, .. } => Step::Create {
                behaviour: behaviours.next().unwrap_or_else(DataValue::unit),
                name: name.clone(),
            },
            Op::Call { object, input } => Step::Call {
                object: target(object),
                input: input.clone(),
            },
            Op::Destroy { object } => Step::Destroy(target(object)),
            Op::Transfer { object, to } => Step::Transfer {
                object: target(object),
                to: *to,
            },
        })
        .collect();
    world.runtime().set_gas(args.gas);
    let outcome = world.script(args.controller, steps).map_err(object_error)?;
    let file = args.file.display();
    let tx = outcome.tx;
    for (s, done) in statements.iter().zip(&outcome.done) {
        let result = match done {
            Done::Created(id) => id.to_string(),
            Done::Called(output) => output
                .as_ref()
                .map_or_else(|| "none".to_owned(), text::print),
            Done::Destroyed => "destroyed".to_owned(),
            Done::Transferred(to) => format!("transferred to {to}"),
        };
        writeln!(out, "{file}:{}: {result}", s.line).map_err(stdout_err)?;
    }
    let line = statements.get(outcome.done.len()).map_or(0, |s| s.line);
    match outcome.end {
        End::Committed(used) => {
            writeln!(out, "{tx} committed, gas {used}").map_err(stdout_err)?;
            Ok(code::OK)
        }
        // A statement cannot end the script's transaction (the runtime refuses a call that
        // tries), but what is reported must be what happened.
        End::Ended => Err(CliError::Object(format!(
            "{file}:{line}: {tx} is no longer open after this statement: it was ended by \
             another call; nothing is reported committed"
        ))),
        End::Failed(e) => Err(CliError::Object(format!(
            "{file}:{line}: {} error: {e}; {tx} aborted, nothing changed",
            e.layer()
        ))),
        End::NotCommitted => Err(CliError::Object(format!("{tx} did not commit"))),
        End::CommitFailed(e) => Err(object_error(e)),
    }
}

/// `avm trace`.
pub fn trace(args: &TraceArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let (trace, machines) = match &args.node.node {
        Some(addr) => node_world::read_trace(addr, args.last)?,
        None => (
            world::read_trace(&args.store.store, args.last)?,
            BTreeMap::new(),
        ),
    };
    let chart = || chart::Chart::of(&trace).with_machines(&machines);
    let rendered = match args.format {
        TraceFormat::Text => trace.to_string(),
        TraceFormat::Mermaid => mermaid::render(&chart()),
        TraceFormat::Svg => svg::render(&chart()),
        TraceFormat::Json => format!("{:#}\n", json::render(&trace)),
    };
    out.write_all(rendered.as_bytes()).map_err(stdout_err)?;
    Ok(code::OK)
}
