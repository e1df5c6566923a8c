//! `avm node` and `avm cluster`: a node serving objects over the network, and a cluster of
//! them on loopback (crates/node, docs/distribution.md).

use super::stdout_err;
use crate::error::CliError;
use avm_node::cluster::{self, ClusterError};
use avm_node::NodeConfig;
use avm_obj::MachineId;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::PathBuf;

/// `avm node`.
#[derive(Args, Debug)]
pub struct NodeArgs {
    /// The node's store directory (made if missing).
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,
    /// The address to listen at (port 0: a free one; the bound address is written to
    /// DIR/node.addr).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    pub listen: String,
    /// The node's machine (`m2` or `2`; not 0, the command line's).
    #[arg(long, value_name = "MACHINE", default_value = "1", value_parser = parse_machine)]
    pub machine: MachineId,
    /// The seed's address (the node that hosts the directory) [default: this node is the
    /// seed].
    #[arg(long, visible_alias = "peer", value_name = "ADDR")]
    pub seed: Option<String>,
}

/// `avm cluster`.
#[derive(Args, Debug)]
pub struct ClusterArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: ClusterCommand,
}

/// The `avm cluster` subcommands.
#[derive(Subcommand, Debug)]
pub enum ClusterCommand {
    /// Start nodes on loopback (node 1 is the seed); print their addresses.
    Up {
        /// How many nodes.
        #[arg(long, value_name = "N", default_value_t = 3)]
        nodes: usize,
        /// The cluster directory: one store directory per node, their logs, their pids.
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
    },
    /// Stop the cluster's nodes (SIGTERM; they finish what they serve).
    Down {
        /// The cluster directory.
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
    },
    /// Print each node and whether it answers.
    Status {
        /// The cluster directory.
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
    },
}

fn parse_machine(s: &str) -> Result<MachineId, String> {
    s.strip_prefix('m')
        .unwrap_or(s)
        .parse()
        .map(MachineId)
        .map_err(|_| "expected a machine like m2 (or 2)".into())
}

/// `avm node`: serves until SIGTERM or ctrl-c, logging to stderr.
pub fn node(args: &NodeArgs) -> Result<u8, CliError> {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
    let config = NodeConfig {
        dir: args.dir.clone(),
        listen: args.listen.clone(),
        machine: args.machine,
        seed: args.seed.clone(),
    };
    avm_node::server::run(&config).map_err(|e| CliError::Store(format!("node: {e}")))?;
    Ok(crate::error::code::OK)
}

fn cluster_error(e: ClusterError) -> CliError {
    match e {
        ClusterError::Io { path, source } => CliError::write(path, source),
        ClusterError::Refused(message) => CliError::Usage(message),
    }
}

/// `avm cluster ...`.
pub fn cluster(args: &ClusterArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    match &args.command {
        ClusterCommand::Up { nodes, dir } => {
            let program =
                std::env::current_exe().map_err(|e| CliError::read("the avm binary", e))?;
            let members = cluster::up(&program, dir, *nodes).map_err(cluster_error)?;
            for m in &members {
                let seed = if m.machine == MachineId(1) {
                    "  seed"
                } else {
                    ""
                };
                writeln!(out, "{}  {}  pid {}{seed}", m.machine, m.addr, m.pid)
                    .map_err(stdout_err)?;
            }
        }
        ClusterCommand::Down { dir } => {
            let stopped = cluster::down(dir).map_err(cluster_error)?;
            if stopped.is_empty() {
                writeln!(out, "no node was running").map_err(stdout_err)?;
            }
            for m in &stopped {
                writeln!(out, "stopped {} (pid {})", m.machine, m.pid).map_err(stdout_err)?;
            }
        }
        ClusterCommand::Status { dir } => {
            let all = cluster::status(dir).map_err(cluster_error)?;
            if all.is_empty() {
                writeln!(out, "no cluster is recorded in {}", dir.display()).map_err(stdout_err)?;
            }
            for (m, up) in &all {
                let state = if *up { "up" } else { "down" };
                writeln!(out, "{}  {}  pid {}  {state}", m.machine, m.addr, m.pid)
                    .map_err(stdout_err)?;
            }
        }
    }
    Ok(crate::error::code::OK)
}
