//! One command's world: the store directory opened, the object runtime over its state, and
//! the trace log; closing it appends what the command did to the log. [`Objects`] is what
//! `avm obj` needs of a world, local or on a node ([`super::node_world`]).

use super::object_error;
use crate::commands::{open_store, store_error};
use crate::error::CliError;
use avm_node::script::{Outcome, Step};
use avm_node::tracelog;
use avm_node::wire::ObjectInfo;
use avm_obj::space::ObjectRecord;
use avm_obj::{AvmError, ControllerId, ObjectHost, ObjectId, Runtime, Space, Trace};
use avm_store::RedbStore;
use avm_vm::DataValue;
use avm_vm::{text, ContentId};
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

/// Where a command's objects are: what `avm obj` does with them.
pub trait Objects {
    /// The runtime calls run on.
    fn runtime(&mut self) -> &mut Runtime;
    /// Creates an object with the runtime's gas.
    fn create(
        &mut self,
        behaviour: DataValue,
        controller: Option<ControllerId>,
    ) -> Result<ObjectId, AvmError>;
    /// Destroys an object with the runtime's gas.
    fn destroy(&mut self, object: ObjectId) -> Result<(), AvmError>;
    /// Runs `steps` in one transaction with the runtime's gas (`avm tx`).
    fn script(
        &mut self,
        controller: Option<ControllerId>,
        steps: Vec<Step>,
    ) -> Result<Outcome, AvmError>;
    /// What `avm obj state` shows of `object`.
    fn summary(&mut self, object: ObjectId) -> Result<Summary, CliError>;
    /// Every object, ascending by id.
    fn summaries(&mut self) -> Result<Vec<Summary>, CliError>;
    /// Appends the command's trace to the log and lets go.
    fn close(self: Box<Self>) -> Result<(), CliError>;
}

/// The store, and a runtime over the objects in it.
pub struct World {
    /// The runtime every command drives.
    pub runtime: Runtime,
    /// The store, shared with the runtime's space (which persists every change it
    /// applies); the world appends the trace log to it.
    store: Arc<Mutex<RedbStore>>,
}

impl World {
    /// Opens the store in `dir` with `controllers` reachable, besides every controller an
    /// object in it has.
    pub fn open(dir: &Path, controllers: &[ControllerId]) -> Result<World, CliError> {
        let store = Arc::new(Mutex::new(open_store(dir, avm_obj::persist::STORE_KIND)?));
        let mut space = Space::open(Arc::clone(&store)).map_err(object_error)?;
        // The command line is one machine where every controller it names is reachable.
        let named: Vec<ControllerId> = space
            .objects()
            .filter_map(|(_, r)| r.meta.current_controller)
            .chain(controllers.iter().copied())
            .collect();
        for c in named {
            if !space.reaches_controller(c) {
                space.add_controller(c).map_err(object_error)?;
            }
        }
        // The VMs objects may be written for: Alu, with the OBJ extension.
        let runtime = Runtime::new(space.shared(), Rc::new(avm_obj::alu::registry()));
        Ok(World { runtime, store })
    }

    /// The store, shared with the runtime's space (for tables of other
    /// layers, such as the intent pool).
    pub fn store(&self) -> Arc<Mutex<RedbStore>> {
        Arc::clone(&self.store)
    }

    /// Appends this command's trace to the log and closes the store.
    pub fn close(mut self) -> Result<(), CliError> {
        let trace = self.runtime.take_trace();
        tracelog::append(&mut self.store, &trace).map_err(store_error)
    }
}

impl Objects for World {
    fn runtime(&mut self) -> &mut Runtime {
        &mut self.runtime
    }

    fn create(
        &mut self,
        behaviour: DataValue,
        controller: Option<ControllerId>,
    ) -> Result<ObjectId, AvmError> {
        self.runtime.create_obj(behaviour, controller)
    }

    fn destroy(&mut self, object: ObjectId) -> Result<(), AvmError> {
        self.runtime.destroy_obj(object).map(|_| ())
    }

    fn script(
        &mut self,
        controller: Option<ControllerId>,
        steps: Vec<Step>,
    ) -> Result<Outcome, AvmError> {
        avm_node::script::run(&mut self.runtime, controller, &steps)
    }

    fn summary(&mut self, object: ObjectId) -> Result<Summary, CliError> {
        let space = self.runtime.space().lock();
        space
            .object(object)
            .map(|r| Summary::of(object, r))
            .ok_or_else(|| CliError::Object(format!("object error: {object} does not exist")))
    }

    fn summaries(&mut self) -> Result<Vec<Summary>, CliError> {
        let space = self.runtime.space().lock();
        Ok(space.objects().map(|(id, r)| Summary::of(id, r)).collect())
    }

    fn close(self: Box<Self>) -> Result<(), CliError> {
        World::close(*self)
    }
}

/// The trace of every command run on the store in `dir` (or of the last `last`).
pub fn read_trace(dir: &Path, last: Option<usize>) -> Result<Trace, CliError> {
    let store = open_store(dir, avm_obj::persist::STORE_KIND)?;
    tracelog::read(&store, last).map_err(|e| CliError::Store(e.to_string()))
}

/// An object as `avm obj state` and `avm obj list` show it.
pub struct Summary {
    object: ObjectId,
    behaviour: ContentId,
    controller: Option<ControllerId>,
    machine: String,
    inputs: usize,
    state: Vec<String>,
}

impl Summary {
    fn of(object: ObjectId, r: &ObjectRecord) -> Summary {
        Summary {
            object,
            behaviour: ContentId::of(&r.behaviour),
            controller: r.meta.current_controller,
            machine: r.meta.machine.to_string(),
            inputs: r.history.len(),
            state: r.state.iter().map(text::print).collect(),
        }
    }

    /// An object as a node answers it.
    pub fn of_info(info: &ObjectInfo) -> Summary {
        Summary {
            object: info.object,
            behaviour: info.behaviour,
            controller: info.controller,
            machine: info.machine.to_string(),
            inputs: info.inputs as usize,
            state: info.state.iter().map(text::print).collect(),
        }
    }

    /// The JSON form.
    pub fn to_json(&self) -> Value {
        json!({
            "object": self.object.to_string(),
            "behaviour": self.behaviour.to_string(),
            "controller": self.controller.map(|c| c.to_string()),
            "machine": self.machine,
            "inputs": self.inputs,
            "state": self.state,
        })
    }

    /// One line for `avm obj list`.
    pub fn write_line(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(
            out,
            "{:<8} {:<4} {:<4} {:>6} inputs  behaviour {}..  state ({})",
            self.object.to_string(),
            self.controller
                .map_or_else(|| "-".to_owned(), |c| c.to_string()),
            self.machine,
            self.inputs,
            &self.behaviour.to_string()[..16],
            self.state.join(", ")
        )
    }

    /// The long form for `avm obj state`.
    pub fn write_long(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "object:     {}", self.object)?;
        writeln!(out, "behaviour:  {}", self.behaviour)?;
        let controller = self
            .controller
            .map_or_else(|| "none".to_owned(), |c| c.to_string());
        writeln!(out, "controller: {controller}")?;
        writeln!(out, "machine:    {}", self.machine)?;
        writeln!(out, "inputs:     {}", self.inputs)?;
        if self.state.is_empty() {
            writeln!(out, "state:      (empty)")?;
        }
        for (i, v) in self.state.iter().enumerate() {
            writeln!(out, "state[{i}]:   {v}")?;
        }
        Ok(())
    }
}
