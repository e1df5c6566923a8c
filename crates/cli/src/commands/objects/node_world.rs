//! A command's world on a node (`--node ADDR`): creations, destructions and reads are
//! requests to that node, calls run on a driver runtime that reaches every machine of the
//! cluster, and closing appends the command's trace (the whole run's) to the node's log.

use super::world::{Objects, Summary};
use crate::error::CliError;
use avm_node::script::{Outcome, Step};
use avm_node::{Client, ClientError};
use avm_obj::{AvmError, ControllerId, MachineId, ObjectId, Runtime, Trace};
use avm_vm::DataValue;
use std::collections::BTreeMap;

/// A node, and a driver runtime for calls.
pub struct NodeWorld {
    client: Client,
    driver: Runtime,
}

/// A node that cannot be reached, or that broke the protocol: a store failure (exit 10).
pub fn node_error(e: ClientError) -> CliError {
    CliError::Store(format!("store error: {e}"))
}

impl NodeWorld {
    /// Connects to the node at `addr`.
    pub fn open(addr: &str) -> Result<NodeWorld, CliError> {
        let client = Client::connect(addr).map_err(node_error)?;
        let driver = client.driver();
        Ok(NodeWorld { client, driver })
    }

    /// A client of the node that holds `object` (this one if the directory does not know it).
    fn client_for(&mut self, object: ObjectId) -> Result<Option<Client>, CliError> {
        match self.client.locate(object).map_err(node_error)? {
            Some((m, addr)) if m != self.client.machine() => {
                Client::connect(&addr).map(Some).map_err(node_error)
            }
            _ => Ok(None),
        }
    }

    /// Runs an instruction with the driver's gas on the node holding `object` (this one
    /// if none is named, or the directory does not know it), and records its events.
    fn instruction<T>(
        &mut self,
        object: Option<ObjectId>,
        ask: impl FnOnce(&mut Client, u64) -> Result<(Result<T, AvmError>, Trace), ClientError>,
    ) -> Result<T, AvmError> {
        let gas = self.driver.gas_left();
        let store = |e: String| AvmError::Store(e);
        let mut other = match object {
            Some(o) => self.client_for(o).map_err(|e| store(e.to_string()))?,
            None => None,
        };
        let client = other.as_mut().unwrap_or(&mut self.client);
        let (result, events) = ask(client, gas).map_err(|e| store(e.to_string()))?;
        self.driver.append_events(events);
        result
    }
}

impl Objects for NodeWorld {
    fn runtime(&mut self) -> &mut Runtime {
        &mut self.driver
    }

    fn create(
        &mut self,
        behaviour: DataValue,
        controller: Option<ControllerId>,
    ) -> Result<ObjectId, AvmError> {
        self.instruction(None, |client, gas| {
            client.create(behaviour, controller, gas)
        })
    }

    fn destroy(&mut self, object: ObjectId) -> Result<(), AvmError> {
        self.instruction(Some(object), |client, gas| client.destroy(object, gas))
    }

    fn script(
        &mut self,
        controller: Option<ControllerId>,
        steps: Vec<Step>,
    ) -> Result<Outcome, AvmError> {
        self.instruction(None, |client, gas| client.script(controller, gas, steps))
    }

    fn summary(&mut self, object: ObjectId) -> Result<Summary, CliError> {
        let mut other = self.client_for(object)?;
        let client = other.as_mut().unwrap_or(&mut self.client);
        match client.state(object).map_err(node_error)? {
            Ok(info) => Ok(Summary::of_info(&info)),
            Err(e) => Err(CliError::Object(format!("{} error: {e}", e.layer()))),
        }
    }

    fn summaries(&mut self) -> Result<Vec<Summary>, CliError> {
        let all = self.client.list().map_err(node_error)?;
        Ok(all.iter().map(Summary::of_info).collect())
    }

    fn close(mut self: Box<Self>) -> Result<(), CliError> {
        let trace = self.driver.take_trace();
        self.client.append_trace(trace).map_err(node_error)
    }
}

/// The trace log of the node at `addr` (of its last `last` commands), and the machine of
/// every object in it that the directory knows.
pub fn read_trace(
    addr: &str,
    last: Option<usize>,
) -> Result<(Trace, BTreeMap<ObjectId, MachineId>), CliError> {
    let mut client = Client::connect(addr).map_err(node_error)?;
    let trace = client.read_trace(last).map_err(node_error)?;
    let mut machines = BTreeMap::new();
    for entry in trace.entries() {
        for object in super::chart::objects_in(&entry.event) {
            if machines.contains_key(&object) {
                continue;
            }
            if let Some((m, _)) = client.locate(object).map_err(node_error)? {
                machines.insert(object, m);
            }
        }
    }
    Ok((trace, machines))
}
