//! [`Client`]: a command line's (or a test's) view of a node: the requests
//! of [`crate::wire`], and a driver runtime whose calls reach the cluster.

use std::rc::Rc;

use avm_obj::shape::Fields;
use avm_obj::{AvmError, ControllerId, MachineId, ObjectId, Runtime, Space, Trace};
use avm_vm::DataValue;
use thiserror::Error;

use crate::link::{Conn, LinkError};
use crate::peers::{DirectoryLink, Peers};
use crate::script::{Outcome, Step};
use crate::wire::{Message, ObjectInfo};

/// Why talking to a node failed (rather than the node's runtime refusing).
#[derive(Debug, Error)]
#[error("node {addr}: {reason}")]
pub struct ClientError {
    /// The node's address.
    pub addr: String,
    /// What went wrong.
    pub reason: String,
}

/// A connection to one node.
#[derive(Debug)]
pub struct Client {
    addr: String,
    conn: Conn,
    machine: MachineId,
    seed: String,
}

impl Client {
    /// Connects to the node at `addr` and asks who it is.
    pub fn connect(addr: &str) -> Result<Client, ClientError> {
        let fail = |reason: String| ClientError {
            addr: addr.to_string(),
            reason,
        };
        let mut conn = Conn::connect(addr).map_err(|e| fail(e.to_string()))?;
        let hello = conn
            .ask(&Message::Hello)
            .map_err(|e| fail(e.to_string()))?
            .map_err(|e| fail(e.to_string()))?;
        let mut f = Fields::of(&hello, 2, "the greeting").map_err(&fail)?;
        let machine = MachineId(f.u64("machine").map_err(&fail)?);
        let seed = f.text("seed").map_err(&fail)?;
        Ok(Client {
            addr: addr.to_string(),
            conn,
            machine,
            seed,
        })
    }

    /// The node's machine.
    pub fn machine(&self) -> MachineId {
        self.machine
    }

    /// The address of the cluster's seed (which hosts the directory).
    pub fn seed(&self) -> &str {
        &self.seed
    }

    fn fail(&self, reason: impl std::fmt::Display) -> ClientError {
        ClientError {
            addr: self.addr.clone(),
            reason: reason.to_string(),
        }
    }

    fn ask(&mut self, request: &Message) -> Result<Result<DataValue, AvmError>, ClientError> {
        self.conn.ask(request).map_err(|e| self.fail(e))
    }

    /// Sends an instruction answered by `Return`: its result and the events it recorded.
    fn instruction(
        &mut self,
        request: &Message,
    ) -> Result<(Result<Option<DataValue>, AvmError>, Trace), ClientError> {
        self.conn.send(request).map_err(|e| self.fail(e))?;
        match self.conn.recv().map_err(|e| self.fail(e))? {
            Message::Return { result, events, .. } => Ok((
                result.map_err(|(layer, message)| AvmError::remote(&layer, message)),
                events,
            )),
            Message::Refused(reason) => Err(self.fail(LinkError::Refused(reason))),
            other => Err(self.fail(LinkError::Unexpected(other.name()))),
        }
    }

    /// Sends an instruction answered by `Return`, reading its output with `read`.
    fn answered<T>(
        &mut self,
        request: &Message,
        read: impl FnOnce(Option<&DataValue>) -> Result<T, String>,
    ) -> Result<(Result<T, AvmError>, Trace), ClientError> {
        let (result, events) = self.instruction(request)?;
        let value = match result {
            Ok(v) => Ok(read(v.as_ref()).map_err(|e| self.fail(e))?),
            Err(e) => Err(e),
        };
        Ok((value, events))
    }

    /// Creates an object on the node: its id (or the runtime's error) and
    /// the events.
    pub fn create(
        &mut self,
        behaviour: DataValue,
        controller: Option<ControllerId>,
        gas: u64,
    ) -> Result<(Result<ObjectId, AvmError>, Trace), ClientError> {
        let request = Message::Create {
            behaviour,
            controller,
            gas,
        };
        self.answered(&request, |v| {
            v.and_then(ObjectId::from_value)
                .ok_or_else(|| "the node answered an id that is not a natural".into())
        })
    }

    /// Destroys an object on the node.
    pub fn destroy(
        &mut self,
        object: ObjectId,
        gas: u64,
    ) -> Result<(Result<(), AvmError>, Trace), ClientError> {
        self.answered(&Message::Destroy { object, gas }, |_| Ok(()))
    }

    /// Runs `steps` in one transaction on the node: the outcome (or why the transaction
    /// could not begin) and the events.
    pub fn script(
        &mut self,
        controller: Option<ControllerId>,
        gas: u64,
        steps: Vec<Step>,
    ) -> Result<(Result<Outcome, AvmError>, Trace), ClientError> {
        let request = Message::Script {
            controller,
            gas,
            steps,
        };
        self.answered(&request, |v| {
            v.ok_or_else(|| "the node answered no outcome".to_string())
                .and_then(Outcome::from_value)
        })
    }

    /// An object on the node.
    pub fn state(&mut self, object: ObjectId) -> Result<Result<ObjectInfo, AvmError>, ClientError> {
        match self.ask(&Message::State(object))? {
            Ok(v) => ObjectInfo::from_value(&v).map(Ok).map_err(|e| self.fail(e)),
            Err(e) => Ok(Err(e)),
        }
    }

    /// Every object on the node, ascending by id.
    pub fn list(&mut self) -> Result<Vec<ObjectInfo>, ClientError> {
        let answer = self.ask(&Message::List)?.map_err(|e| self.fail(e))?;
        let DataValue::Tuple(items) = answer else {
            return Err(self.fail("the list is not a tuple"));
        };
        items
            .iter()
            .map(|v| ObjectInfo::from_value(v).map_err(|e| self.fail(e)))
            .collect()
    }

    /// The node's trace log (of the last `last` commands).
    pub fn read_trace(&mut self, last: Option<usize>) -> Result<Trace, ClientError> {
        let v = self
            .ask(&Message::ReadTrace(last.map(|n| n as u64)))?
            .map_err(|e| self.fail(e))?;
        Trace::from_value(&v).map_err(|e| self.fail(e))
    }

    /// Appends one command's trace to the node's log.
    pub fn append_trace(&mut self, trace: Trace) -> Result<(), ClientError> {
        self.ask(&Message::AppendTrace(trace))?
            .map(|_| ())
            .map_err(|e| self.fail(e))
    }

    /// Which machine holds `object` and where it listens, asking the seed.
    pub fn locate(&mut self, object: ObjectId) -> Result<Option<(MachineId, String)>, ClientError> {
        let seed = self.seed.clone();
        let mut at_seed = if seed == self.addr {
            None
        } else {
            Some(Conn::connect(&seed).map_err(|e| self.fail(e))?)
        };
        let conn = at_seed.as_mut().unwrap_or(&mut self.conn);
        let answer = conn
            .ask(&Message::Locate(object))
            .map_err(|e| self.fail(e))?;
        let v = answer.map_err(|e| self.fail(e))?;
        crate::wire::located(&v).map_err(|e| self.fail(e))
    }

    /// A driver: a runtime holding no objects, on machine m0, whose calls
    /// go to the machines the directory names and whose trace records the
    /// whole run.
    pub fn driver(&self) -> Runtime {
        let mut rt = Runtime::new(Space::new().shared(), Rc::new(avm_obj::alu::registry()));
        rt.set_remote(Rc::new(Peers::driver(DirectoryLink::seed(&self.seed))));
        rt
    }
}
