//! A node: a long-lived process that hosts objects in its own store and
//! serves the object runtime over TCP (see [`crate::wire`]).
//!
//! Each connection gets a thread and a runtime over the node's one space;
//! a gate lets one request run the runtime at a time (a call holds it
//! until it returns, the calls it is sent back included), and the
//! directory, if this node is the seed, answers without it. A peer that
//! sends garbage, an oversize frame or another protocol version gets a
//! `Refused` naming the fault; the node keeps serving (a connection whose
//! framing is lost is closed). Stopping ([`Node::stopper`], or SIGTERM and
//! SIGINT under [`run`]) ends accepting, lets each connection finish the
//! request it is serving, and closes the store.

use std::cell::{Cell, RefCell};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use avm_obj::{
    AvmError, ControllerId, MachineId, ObjError, ObjectHost, Runtime, Space, SpaceHandle,
};
use avm_store::{Batch, RedbStore, Store};
use avm_vm::{codec, ContentId, DataValue};
use thiserror::Error;
use tracing::{info, warn};

use crate::directory::Directory;
use crate::frame::FrameError;
use crate::link::{self, Conn, LinkError, Outbox};
use crate::peers::{DirectoryLink, Peers};
use crate::script::{self, Step};
use crate::tracelog;
use crate::wire::{self, Message, ObjectInfo};

/// The file in a node's directory that holds the address it listens at.
pub const ADDR_FILE: &str = "node.addr";

/// The most connections served at once; more are refused.
pub const MAX_CONNECTIONS: usize = 64;

/// How long a request waits for the runtime while another runs it.
pub const GATE_TIMEOUT: Duration = Duration::from_secs(10);

/// How often an idle connection and the accept loop look at the stop flag.
const POLL: Duration = Duration::from_millis(50);

const NODE_TABLE: &str = "node";
const MACHINE_KEY: &[u8] = b"machine";

/// How a node is set up.
#[derive(Clone, Debug)]
pub struct NodeConfig {
    /// Its store directory.
    pub dir: PathBuf,
    /// The address to listen at (`127.0.0.1:0` picks a free port).
    pub listen: String,
    /// Its machine id (not 0, which is the driver's).
    pub machine: MachineId,
    /// The seed's address; `None`: this node is the seed and hosts the directory.
    pub seed: Option<String>,
}

/// Why a node could not start or run.
#[derive(Debug, Error)]
pub enum NodeError {
    /// The store failed.
    #[error("{dir}: {message}")]
    Store {
        /// The node's directory.
        dir: PathBuf,
        /// What failed.
        message: String,
    },
    /// The address could not be bound, or accepting failed.
    #[error("{addr}: {source}")]
    Net {
        /// The address.
        addr: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The seed could not be reached or refused.
    #[error("registering with the seed at {seed}: {reason}")]
    Seed {
        /// The seed's address.
        seed: String,
        /// What went wrong.
        reason: String,
    },
    /// The configuration does not fit the directory.
    #[error("{0}")]
    Config(String),
}

/// One request at a time on the runtime.
#[derive(Default)]
struct Gate {
    busy: Mutex<bool>,
    free: Condvar,
}

/// Holding the gate.
struct Pass<'a>(&'a Gate);

impl Gate {
    fn enter(&self, timeout: Duration) -> Option<Pass<'_>> {
        let busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        let (mut busy, _) = self
            .free
            .wait_timeout_while(busy, timeout, |b| *b)
            .unwrap_or_else(|e| e.into_inner());
        if *busy {
            return None;
        }
        *busy = true;
        Some(Pass(self))
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        *self.0.busy.lock().unwrap_or_else(|e| e.into_inner()) = false;
        self.0.free.notify_one();
    }
}

/// What every connection of a node shares.
struct Shared {
    machine: MachineId,
    space: SpaceHandle,
    store: Arc<Mutex<RedbStore>>,
    directory: Option<Arc<Directory>>,
    /// The seed's address (this node's own if it is the seed).
    seed: String,
    gate: Gate,
    stop: Arc<AtomicBool>,
}

/// A node, bound and ready to serve ([`Node::serve`]).
pub struct Node {
    listener: TcpListener,
    addr: SocketAddr,
    shared: Arc<Shared>,
}

fn store_error(dir: &Path) -> impl Fn(String) -> NodeError + '_ {
    move |message| NodeError::Store {
        dir: dir.to_path_buf(),
        message,
    }
}

/// Checks that `store` belongs to `machine`, marking it if new.
fn claim(store: &mut impl Store, machine: MachineId) -> Result<(), String> {
    match store
        .get(NODE_TABLE, MACHINE_KEY)
        .map_err(|e| e.to_string())?
    {
        Some(bytes) => {
            let owner = codec::decode(&bytes)
                .ok()
                .and_then(|v| v.as_u64())
                .ok_or("the node's machine entry is damaged")?;
            if owner != machine.0 {
                return Err(format!(
                    "this directory is machine m{owner}'s, not {machine}'s"
                ));
            }
            Ok(())
        }
        None => {
            let mut batch = Batch::new();
            batch.put(
                NODE_TABLE,
                MACHINE_KEY.to_vec(),
                codec::encode(&machine.to_value()),
            );
            store.commit(batch).map_err(|e| e.to_string())
        }
    }
}

impl Node {
    /// Opens the store, binds the address, registers with the seed (or
    /// itself, as the seed) and writes the address to [`ADDR_FILE`].
    pub fn start(config: &NodeConfig) -> Result<Node, NodeError> {
        let dir = &config.dir;
        if config.machine == MachineId::LOCAL {
            return Err(NodeError::Config(
                "machine m0 is the driver's; give a node a machine id of 1 or more".into(),
            ));
        }
        let mut store = RedbStore::open(dir, avm_obj::persist::STORE_KIND)
            .map_err(|e| store_error(dir)(e.to_string()))?;
        claim(&mut store, config.machine).map_err(store_error(dir))?;
        let store = Arc::new(Mutex::new(store));
        let mut space =
            Space::open(Arc::clone(&store)).map_err(|e| store_error(dir)(e.to_string()))?;
        if !space.reaches_machine(config.machine) {
            space
                .add_machine(config.machine)
                .map_err(|e| store_error(dir)(e.to_string()))?;
        }
        let listener = TcpListener::bind(&config.listen).map_err(|source| NodeError::Net {
            addr: config.listen.clone(),
            source,
        })?;
        let net = |source| NodeError::Net {
            addr: config.listen.clone(),
            source,
        };
        let addr = listener.local_addr().map_err(net)?;
        listener.set_nonblocking(true).map_err(net)?;
        let (directory, seed) = match &config.seed {
            None => {
                let d = Arc::new(Directory::new(Arc::clone(&store)));
                d.register(config.machine, &addr.to_string())
                    .map_err(store_error(dir))?;
                (Some(d), addr.to_string())
            }
            Some(seed) => {
                let fail = |reason: String| NodeError::Seed {
                    seed: seed.clone(),
                    reason,
                };
                let mut conn = Conn::connect(seed).map_err(|e| fail(e.to_string()))?;
                let registered = conn
                    .ask(&Message::Register {
                        machine: config.machine,
                        addr: addr.to_string(),
                    })
                    .map_err(|e| fail(e.to_string()))?;
                registered.map_err(|e| fail(e.to_string()))?;
                (None, seed.clone())
            }
        };
        std::fs::write(dir.join(ADDR_FILE), addr.to_string())
            .map_err(|e| store_error(dir)(format!("writing {ADDR_FILE}: {e}")))?;
        info!(machine = %config.machine, %addr, seed = %seed, "node started");
        Ok(Node {
            listener,
            addr,
            shared: Arc::new(Shared {
                machine: config.machine,
                space: space.shared(),
                store,
                directory,
                seed,
                gate: Gate::default(),
                stop: Arc::new(AtomicBool::new(false)),
            }),
        })
    }

    /// The address it listens at.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The flag that stops it when set.
    pub fn stopper(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.shared.stop)
    }

    /// Serves until stopped, then waits for every connection to finish the
    /// request it is serving.
    pub fn serve(self) -> Result<(), NodeError> {
        let mut workers: Vec<std::thread::JoinHandle<()>> = Vec::new();
        while !self.shared.stop.load(Ordering::Relaxed) {
            match self.listener.accept() {
                Ok((stream, peer)) => {
                    workers.retain(|w| !w.is_finished());
                    if workers.len() >= MAX_CONNECTIONS {
                        warn!(%peer, "refused: {MAX_CONNECTIONS} connections are open");
                        refuse(
                            stream,
                            &format!(
                                "this node serves at most {MAX_CONNECTIONS} connections at once"
                            ),
                        );
                        continue;
                    }
                    let shared = Arc::clone(&self.shared);
                    let spawned = std::thread::Builder::new()
                        .name(format!("conn {peer}"))
                        .spawn(move || connection(&shared, stream, peer));
                    match spawned {
                        Ok(w) => workers.push(w),
                        Err(e) => warn!(%peer, "no thread for the connection: {e}"),
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => std::thread::sleep(POLL),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => warn!("accepting: {e}"),
            }
        }
        info!(machine = %self.shared.machine, "stopping: waiting for {} connections", workers.len());
        for w in workers {
            let _ = w.join();
        }
        info!(machine = %self.shared.machine, "node stopped");
        Ok(())
    }
}

/// Runs a node until SIGTERM or SIGINT.
pub fn run(config: &NodeConfig) -> Result<(), NodeError> {
    let node = Node::start(config)?;
    let stop = node.stopper();
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(|source| {
            NodeError::Net {
                addr: "signal handler".into(),
                source,
            }
        })?;
    }
    node.serve()
}

/// Tells a peer it is not served, and closes.
fn refuse(stream: TcpStream, reason: &str) {
    if let Ok(mut conn) = Conn::new(stream) {
        let _ = conn.send(&Message::Refused(reason.to_string()));
    }
}

/// Waits until a request arrives (`true`), or the peer closes or the node
/// stops (`false`).
fn wait_for_request(stream: &TcpStream, stop: &AtomicBool) -> bool {
    if stream.set_read_timeout(Some(POLL)).is_err() {
        return false;
    }
    let mut byte = [0u8; 1];
    let ready = loop {
        if stop.load(Ordering::Relaxed) {
            break false;
        }
        match stream.peek(&mut byte) {
            Ok(0) => break false,
            Ok(_) => break true,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock
                        | std::io::ErrorKind::TimedOut
                        | std::io::ErrorKind::Interrupted
                ) => {}
            Err(_) => break false,
        }
    };
    ready && stream.set_read_timeout(Some(link::PEER_TIMEOUT)).is_ok()
}

/// Serves one connection until it closes or the node stops.
fn connection(shared: &Shared, stream: TcpStream, peer: SocketAddr) {
    let conn = match Conn::new(stream) {
        Ok(c) => Rc::new(RefCell::new(c)),
        Err(e) => {
            warn!(%peer, "setting up the connection: {e}");
            return;
        }
    };
    let directory = match &shared.directory {
        Some(d) => DirectoryLink::Local(Arc::clone(d)),
        None => DirectoryLink::seed(&shared.seed),
    };
    let config = avm_obj::Config {
        machine: shared.machine,
        ..avm_obj::Config::default()
    };
    let mut rt = Runtime::with_config(
        shared.space.clone(),
        Rc::new(avm_obj::alu::registry()),
        config,
    );
    let outbox = Outbox::Send(Rc::new(Cell::new(0)));
    rt.set_remote(Rc::new(Peers::upstream(
        shared.machine,
        directory,
        Rc::clone(&conn),
        outbox.clone(),
    )));
    loop {
        let ready = {
            let c = conn.borrow();
            wait_for_request(c.stream(), &shared.stop)
        };
        if !ready {
            break;
        }
        let received = conn.borrow_mut().recv();
        let reply = match received {
            Ok(request) => {
                let reply = handle(shared, &mut rt, &conn, &outbox, request);
                outbox.reset(&mut rt);
                reply
            }
            Err(LinkError::Frame(e)) if e.resumable() => {
                warn!(%peer, "refused a malformed frame: {e}");
                Some(Message::Refused(e.to_string()))
            }
            Err(LinkError::Message(reason)) => {
                warn!(%peer, "refused a message: {reason}");
                Some(Message::Refused(reason))
            }
            Err(LinkError::Frame(FrameError::Closed)) => break,
            Err(e) => {
                warn!(%peer, "closing the connection: {e}");
                let _ = conn.borrow_mut().send(&Message::Refused(e.to_string()));
                break;
            }
        };
        if let Some(reply) = reply {
            if let Err(e) = conn.borrow_mut().send(&reply) {
                warn!(%peer, "closing the connection: {e}");
                break;
            }
        }
    }
}

/// The reply to `request` (`None` if it was sent already, as a call's is).
fn handle(
    shared: &Shared,
    rt: &mut Runtime,
    conn: &RefCell<Conn>,
    outbox: &Outbox,
    request: Message,
) -> Option<Message> {
    Some(match request {
        Message::Hello => Message::Done(DataValue::tuple([
            shared.machine.to_value(),
            DataValue::string(&shared.seed),
        ])),
        Message::Call { call, events } => {
            let mut answered = false;
            let refused = gated(shared, || {
                rt.append_events(events);
                if let Err(e) = link::answer(conn, rt, &call, outbox) {
                    warn!("answering a call of {}: {e}", call.object);
                }
                answered = true;
                Message::Done(DataValue::unit())
            });
            return (!answered).then_some(refused);
        }
        Message::Create {
            behaviour,
            controller,
            gas,
        } => gated(shared, || {
            let result = reach(shared, controller).and_then(|()| {
                rt.set_gas(gas.min(link::MAX_GAS));
                rt.create_obj(behaviour, controller)
            });
            link::returned(rt, outbox, result.map(|id| Some(id.to_value())))
        }),
        Message::Destroy { object, gas } => gated(shared, || {
            rt.set_gas(gas.min(link::MAX_GAS));
            let result = rt.destroy_obj(object);
            link::returned(rt, outbox, result.map(|_| None))
        }),
        Message::Script {
            controller,
            gas,
            steps,
        } => gated(shared, || {
            let named = steps.iter().filter_map(|s| match s {
                Step::Transfer { to, .. } => Some(*to),
                _ => None,
            });
            let reached = std::iter::once(controller)
                .chain(named.map(Some))
                .try_for_each(|c| reach(shared, c));
            let result = reached.and_then(|()| {
                rt.set_gas(gas.min(link::MAX_GAS));
                script::run(rt, controller, &steps)
            });
            link::returned(rt, outbox, result.map(|o| Some(o.to_value())))
        }),
        Message::State(object) => {
            let space = shared.space.lock();
            match space.object(object) {
                Some(r) => Message::Done(info(object, r).to_value()),
                None => Message::failed(&ObjError::NotFound(object).into()),
            }
        }
        Message::List => {
            let space = shared.space.lock();
            Message::Done(DataValue::Tuple(
                space
                    .objects()
                    .map(|(id, r)| info(id, r).to_value())
                    .collect(),
            ))
        }
        Message::ReadTrace(last) => {
            let last = last.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
            match tracelog::read(&shared.store, last) {
                Ok(trace) => Message::Done(trace.to_value()),
                Err(e) => Message::failed(&AvmError::Store(e.to_string())),
            }
        }
        Message::AppendTrace(trace) => {
            let mut store = Arc::clone(&shared.store);
            match tracelog::append(&mut store, &trace) {
                Ok(()) => Message::Done(DataValue::unit()),
                Err(e) => Message::failed(&AvmError::Store(e.to_string())),
            }
        }
        Message::Register { machine, addr } => directory(shared, |d| {
            d.register(machine, &addr)?;
            info!(%machine, %addr, "registered");
            Ok(DataValue::unit())
        }),
        Message::Locate(object) => directory(shared, |d| {
            let found = match d.locate(object)? {
                Some(m) => Some((m, d.address(m)?.unwrap_or_default())),
                None => None,
            };
            Ok(wire::location(found))
        }),
        Message::Allocate(machine) => {
            directory(shared, |d| d.allocate(machine).map(|id| id.to_value()))
        }
        other => Message::Refused(format!("`{}` is an answer, not a request", other.name())),
    })
}

/// Runs `f` holding the node's runtime, or says the machine is busy.
fn gated(shared: &Shared, f: impl FnOnce() -> Message) -> Message {
    match shared.gate.enter(GATE_TIMEOUT) {
        Some(_pass) => f(),
        None => Message::Refused(format!(
            "machine {} is busy with another caller's call; try again",
            shared.machine
        )),
    }
}

/// Makes `controller` reachable, as the command line does for every controller it names.
fn reach(shared: &Shared, controller: Option<ControllerId>) -> Result<(), AvmError> {
    let Some(c) = controller else {
        return Ok(());
    };
    let mut space = shared.space.lock();
    if space.reaches_controller(c) {
        return Ok(());
    }
    space.add_controller(c)
}

/// Answers a directory request, or refuses it if this node is not the seed.
fn directory(shared: &Shared, f: impl FnOnce(&Directory) -> Result<DataValue, String>) -> Message {
    match &shared.directory {
        Some(d) => match f(d) {
            Ok(v) => Message::Done(v),
            Err(e) => Message::failed(&AvmError::Store(e)),
        },
        None => Message::Refused(format!(
            "machine {} does not host the directory; the seed at {} does",
            shared.machine, shared.seed
        )),
    }
}

/// What `State` and `List` answer of an object.
fn info(object: avm_obj::ObjectId, r: &avm_obj::space::ObjectRecord) -> ObjectInfo {
    ObjectInfo {
        object,
        behaviour: ContentId::of(&r.behaviour),
        state: r.state.clone(),
        machine: r.meta.machine,
        controller: r.meta.current_controller,
        inputs: r.history.len() as u64,
    }
}

/// Waits until `path` holds an address (a node writes it once bound), at
/// most `timeout`.
pub fn wait_for_address(path: &Path, timeout: Duration) -> Option<String> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            if !text.trim().is_empty() {
                return Some(text.trim().to_string());
            }
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(POLL);
    }
}
