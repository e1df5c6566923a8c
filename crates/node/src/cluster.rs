//! A cluster on loopback: node processes started and stopped together,
//! for users and tests (`avm cluster up|down|status`).
//!
//! `up` starts `program node --dir DIR/nodeN --listen 127.0.0.1:0
//! --machine N [--seed ADDR]` for N = 1, 2, ...: node 1 is the seed, the
//! others register with it. Each node writes the address it bound to
//! ([`crate::server::ADDR_FILE`]) and logs to `DIR/nodeN/node.log`; `up`
//! records `machine pid address` lines in `DIR/cluster`. `down` sends each
//! SIGTERM and waits for it to exit (SIGKILL after [`STOP_TIMEOUT`]).
//! Starting again on the same directory reopens every node's store and the
//! seed's directory.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use avm_obj::MachineId;
use thiserror::Error;

use crate::server::{wait_for_address, ADDR_FILE};

/// The file in a cluster directory that lists its nodes.
pub const CLUSTER_FILE: &str = "cluster";

/// The log file in each node's directory.
pub const LOG_FILE: &str = "node.log";

/// How long `up` waits for a node to bind.
pub const START_TIMEOUT: Duration = Duration::from_secs(20);

/// How long `down` waits for a node to exit after SIGTERM.
pub const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// The most nodes `up` starts.
pub const MAX_NODES: usize = 16;

/// One node of a cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// Its machine.
    pub machine: MachineId,
    /// Its process id.
    pub pid: u32,
    /// Where it listens.
    pub addr: String,
}

/// Why a cluster command failed.
#[derive(Debug, Error)]
pub enum ClusterError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// What was asked cannot be done.
    #[error("{0}")]
    Refused(String),
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ClusterError + '_ {
    move |source| ClusterError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The directory of node `machine` in the cluster directory `dir`, absolute when `dir`
/// exists (so a node is recognised whatever path names its cluster).
pub fn node_dir(dir: &Path, machine: MachineId) -> PathBuf {
    let dir = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    dir.join(format!("node{}", machine.0))
}

/// The nodes `dir` records (none if it records none).
pub fn members(dir: &Path) -> Result<Vec<Member>, ClusterError> {
    let path = dir.join(CLUSTER_FILE);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(&path)(e)),
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let bad = || {
                ClusterError::Refused(format!(
                    "{}:{}: expected `machine pid address`",
                    path.display(),
                    i + 1
                ))
            };
            let mut parts = line.split_whitespace();
            let machine = parts
                .next()
                .and_then(|m| m.strip_prefix('m'))
                .and_then(|m| m.parse().ok())
                .ok_or_else(bad)?;
            let pid = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
            let addr = parts.next().ok_or_else(bad)?.to_string();
            Ok(Member {
                machine: MachineId(machine),
                pid,
                addr,
            })
        })
        .collect()
}

/// Whether `member`'s process is running and is the node of `dir` (not a
/// process that took its id since, nor a zombie, whose command line is empty).
pub fn alive(dir: &Path, member: &Member) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(cmdline) = fs::read(format!("/proc/{}/cmdline", member.pid)) else {
        return false;
    };
    let node = node_dir(dir, member.machine);
    let mut args = cmdline.split(|b| *b == 0);
    args.any(|a| Path::new(std::ffi::OsStr::from_bytes(a)) == node)
}

/// Sends `signal` to process `pid`.
#[allow(unsafe_code)]
fn signal(pid: u32, signal: libc::c_int) {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return;
    };
    // SAFETY: kill(2) takes plain integers and touches no memory of ours.
    unsafe {
        libc::kill(pid, signal);
    }
}

/// Starts `nodes` node processes of `program` (the `avm` binary) on
/// loopback with their stores under `dir`, records them, and gives them.
pub fn up(program: &Path, dir: &Path, nodes: usize) -> Result<Vec<Member>, ClusterError> {
    if nodes == 0 || nodes > MAX_NODES {
        return Err(ClusterError::Refused(format!(
            "a cluster has 1 to {MAX_NODES} nodes, not {nodes}"
        )));
    }
    let running: Vec<Member> = members(dir)?
        .into_iter()
        .filter(|m| alive(dir, m))
        .collect();
    if let Some(m) = running.first() {
        return Err(ClusterError::Refused(format!(
            "a cluster is up in {} already ({} is pid {}); stop it first with `avm cluster down --dir {}`",
            dir.display(),
            m.machine,
            m.pid,
            dir.display()
        )));
    }
    fs::create_dir_all(dir).map_err(io(dir))?;
    let mut started: Vec<Member> = Vec::new();
    for n in 1..=nodes as u64 {
        let machine = MachineId(n);
        match start(
            program,
            dir,
            machine,
            started.first().map(|s| s.addr.as_str()),
        ) {
            Ok(member) => started.push(member),
            Err(e) => {
                stop(dir, &started);
                return Err(e);
            }
        }
    }
    let listing: String = started
        .iter()
        .map(|m| format!("{} {} {}\n", m.machine, m.pid, m.addr))
        .collect();
    let path = dir.join(CLUSTER_FILE);
    if let Err(e) = fs::write(&path, listing) {
        stop(dir, &started);
        return Err(io(&path)(e));
    }
    Ok(started)
}

/// Starts one node and waits until it listens.
fn start(
    program: &Path,
    dir: &Path,
    machine: MachineId,
    seed: Option<&str>,
) -> Result<Member, ClusterError> {
    use std::os::unix::process::CommandExt;
    let home = node_dir(dir, machine);
    fs::create_dir_all(&home).map_err(io(&home))?;
    let addr_file = home.join(ADDR_FILE);
    match fs::remove_file(&addr_file) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(&addr_file)(e)),
    }
    let log_path = home.join(LOG_FILE);
    let log = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log_path)
        .map_err(io(&log_path))?;
    let err_log = log.try_clone().map_err(io(&log_path))?;
    let mut command = Command::new(program);
    command.arg("node").arg("--dir").arg(&home).args([
        "--listen",
        "127.0.0.1:0",
        "--machine",
        &machine.0.to_string(),
    ]);
    if let Some(seed) = seed {
        command.args(["--seed", seed]);
    }
    // Its own process group: a ctrl-c meant for the command that started it does not stop it.
    let mut child = command
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(err_log)
        .process_group(0)
        .spawn()
        .map_err(io(program))?;
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if let Some(addr) = wait_for_address(&addr_file, Duration::from_millis(100)) {
            return Ok(Member {
                machine,
                pid: child.id(),
                addr,
            });
        }
        let exited = child.try_wait().ok().flatten();
        if exited.is_some() || Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            let tail = fs::read_to_string(&log_path).unwrap_or_default();
            let tail: Vec<&str> = tail.lines().rev().take(5).collect();
            let why = match exited {
                Some(status) => format!("it exited ({status})"),
                None => format!("it did not listen within {} s", START_TIMEOUT.as_secs()),
            };
            return Err(ClusterError::Refused(format!(
                "node {machine} did not start: {why}; the end of {}:\n{}",
                log_path.display(),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            )));
        }
    }
}

/// Stops `members` (SIGTERM, then SIGKILL after [`STOP_TIMEOUT`]); gives
/// those that were running.
fn stop(dir: &Path, members: &[Member]) -> Vec<Member> {
    let running: Vec<Member> = members.iter().filter(|m| alive(dir, m)).cloned().collect();
    for m in &running {
        signal(m.pid, libc::SIGTERM);
    }
    let deadline = Instant::now() + STOP_TIMEOUT;
    while running.iter().any(|m| alive(dir, m)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    for m in running.iter().filter(|m| alive(dir, m)) {
        signal(m.pid, libc::SIGKILL);
    }
    running
}

/// Stops the nodes `dir` records and forgets them; gives those that were running.
pub fn down(dir: &Path) -> Result<Vec<Member>, ClusterError> {
    let all = members(dir)?;
    let stopped = stop(dir, &all);
    let path = dir.join(CLUSTER_FILE);
    match fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(&path)(e)),
    }
    Ok(stopped)
}

/// Each node `dir` records, and whether it answers.
pub fn status(dir: &Path) -> Result<Vec<(Member, bool)>, ClusterError> {
    Ok(members(dir)?
        .into_iter()
        .map(|m| {
            let up = alive(dir, &m) && crate::Client::connect(&m.addr).is_ok();
            (m, up)
        })
        .collect())
}
