//! [`Peers`]: how a runtime on a node, or a driver's runtime, reaches
//! objects on other machines ([`avm_obj::remote::Remote`]).
//!
//! Calls follow the driver: a node sends a call of an object it does not
//! hold back up the connection it is serving (to whoever called it), and
//! the driver, which holds no objects, ships every call to the machine the
//! directory names, one connection per machine, reused by nested calls.
//! Execution is one thread of calls, so every party it passes is waiting on
//! exactly the connection the next message comes on.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use avm_obj::remote::{Remote, RemoteCall};
use avm_obj::{AvmError, AvmResult, MachineId, ObjectId, Runtime};
use avm_vm::DataValue;

use crate::directory::Directory;
use crate::link::{self, Conn, LinkError, Outbox};
use crate::wire::Message;

/// Where the directory is.
pub enum DirectoryLink {
    /// In this process (the seed).
    Local(Arc<Directory>),
    /// At the seed.
    Seed(SeedLink),
}

/// The seed's address, and a connection to it made when first needed.
pub struct SeedLink {
    addr: String,
    conn: RefCell<Option<Conn>>,
}

impl SeedLink {
    /// Asks the seed `request`; a broken connection is dropped, to be made
    /// again next time.
    fn ask(&self, request: &Message) -> AvmResult<DataValue> {
        let addr = &self.addr;
        let failed = |e: LinkError| AvmError::Store(format!("the directory at {addr}: {e}"));
        let mut slot = self.conn.borrow_mut();
        let conn = match slot.as_mut() {
            Some(conn) => conn,
            None => slot.insert(Conn::connect(addr).map_err(failed)?),
        };
        match conn.ask(request) {
            Ok(answer) => answer,
            Err(e) => {
                *slot = None;
                Err(failed(e))
            }
        }
    }
}

impl DirectoryLink {
    /// The directory at the seed's `addr`.
    pub fn seed(addr: &str) -> DirectoryLink {
        DirectoryLink::Seed(SeedLink {
            addr: addr.to_string(),
            conn: RefCell::new(None),
        })
    }

    /// A fresh object id for `machine`.
    pub fn allocate(&self, machine: MachineId) -> AvmResult<ObjectId> {
        match self {
            DirectoryLink::Local(d) => d.allocate(machine).map_err(AvmError::Store),
            DirectoryLink::Seed(seed) => {
                let v = seed.ask(&Message::Allocate(machine))?;
                ObjectId::from_value(&v).ok_or_else(|| {
                    AvmError::Store("the directory answered an id that is not a natural".into())
                })
            }
        }
    }

    /// The machine that holds `object` and its address, if known.
    pub fn locate(&self, object: ObjectId) -> AvmResult<Option<(MachineId, String)>> {
        match self {
            DirectoryLink::Local(d) => {
                let Some(m) = d.locate(object).map_err(AvmError::Store)? else {
                    return Ok(None);
                };
                let addr = d.address(m).map_err(AvmError::Store)?.unwrap_or_default();
                Ok(Some((m, addr)))
            }
            DirectoryLink::Seed(seed) => {
                let v = seed.ask(&Message::Locate(object))?;
                crate::wire::located(&v).map_err(|reason| {
                    AvmError::Store(format!("the directory's answer for {object}: {reason}"))
                })
            }
        }
    }
}

/// Where calls of objects on other machines go.
enum Route {
    /// Up the connection this node serves, sending its events along.
    Upstream(Rc<RefCell<Conn>>, Outbox),
    /// To each machine directly (the driver), over these connections.
    Direct(RefCell<BTreeMap<MachineId, Rc<RefCell<Conn>>>>),
}

/// The [`Remote`] of a node's runtime or of a driver (see the module docs).
pub struct Peers {
    machine: MachineId,
    directory: DirectoryLink,
    route: Route,
    located: RefCell<BTreeMap<ObjectId, (MachineId, String)>>,
}

impl Peers {
    /// The peers of a node on `machine` serving `upstream`, sending the
    /// events of its runtime through `outbox`.
    pub fn upstream(
        machine: MachineId,
        directory: DirectoryLink,
        upstream: Rc<RefCell<Conn>>,
        outbox: Outbox,
    ) -> Peers {
        Peers {
            machine,
            directory,
            route: Route::Upstream(upstream, outbox),
            located: RefCell::new(BTreeMap::new()),
        }
    }

    /// The peers of a driver, which holds no objects and keeps the trace.
    pub fn driver(directory: DirectoryLink) -> Peers {
        Peers {
            machine: MachineId::LOCAL,
            directory,
            route: Route::Direct(RefCell::new(BTreeMap::new())),
            located: RefCell::new(BTreeMap::new()),
        }
    }

    /// The connection to `machine` among `links`, made if missing.
    fn direct(
        &self,
        links: &RefCell<BTreeMap<MachineId, Rc<RefCell<Conn>>>>,
        machine: MachineId,
    ) -> AvmResult<Rc<RefCell<Conn>>> {
        if let Some(c) = links.borrow().get(&machine) {
            return Ok(Rc::clone(c));
        }
        let addr = self
            .located
            .borrow()
            .values()
            .find(|(m, _)| *m == machine)
            .map(|(_, a)| a.clone())
            .unwrap_or_default();
        let conn = Conn::connect(&addr).map_err(|e| link::link_error(machine, &e))?;
        let conn = Rc::new(RefCell::new(conn));
        links.borrow_mut().insert(machine, Rc::clone(&conn));
        Ok(conn)
    }
}

impl Remote for Peers {
    fn fresh_object(&self) -> AvmResult<Option<ObjectId>> {
        self.directory.allocate(self.machine).map(Some)
    }

    fn locate(&self, object: ObjectId) -> AvmResult<Option<MachineId>> {
        if let Some((m, _)) = self.located.borrow().get(&object) {
            return Ok(Some(*m));
        }
        let Some((m, addr)) = self.directory.locate(object)? else {
            return Ok(None);
        };
        if m == self.machine {
            // Listed here, but no longer in this space: destroyed.
            return Ok(None);
        }
        self.located.borrow_mut().insert(object, (m, addr));
        Ok(Some(m))
    }

    fn call(
        &self,
        rt: &mut Runtime,
        to: MachineId,
        call: RemoteCall,
    ) -> AvmResult<Option<DataValue>> {
        match &self.route {
            Route::Upstream(conn, outbox) => link::converse(conn, rt, to, call, outbox),
            Route::Direct(links) => {
                let conn = self.direct(links, to)?;
                link::converse(&conn, rt, to, call, &Outbox::Keep)
            }
        }
    }
}
