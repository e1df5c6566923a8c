//! Objects on other machines: the [`Remote`] a [`Runtime`] consults for an
//! object its own space does not hold.
//!
//! The runtime stays network-free: a node (avm-node) implements [`Remote`]
//! over its connections and directory, and sets it with
//! [`Runtime::set_remote`]. A call of an object another machine holds then
//! goes through [`Remote::call`], which ships a [`RemoteCall`] there; the
//! machine that runs it serves it with [`Runtime::serve_call`], and calls it
//! makes back are served the same way, on the runtime that waits. Events
//! the other side recorded come back with its answer and join this
//! runtime's trace ([`Runtime::append_events`]) in order, so a run spread
//! over machines has one trace, equal to the same run on one machine.
//!
//! ```
//! use std::rc::Rc;
//! use avm_obj::remote::{Remote, RemoteCall};
//! use avm_obj::{native::native, AvmResult, MachineId, ObjectHost, ObjectId, Runtime, Space};
//! use avm_vm::{DataValue, Registry};
//!
//! /// A second runtime in the same process, standing for another machine.
//! struct Other(std::cell::RefCell<Runtime>);
//!
//! impl Remote for Other {
//!     fn fresh_object(&self) -> AvmResult<Option<ObjectId>> {
//!         Ok(None)
//!     }
//!     fn locate(&self, object: ObjectId) -> AvmResult<Option<MachineId>> {
//!         let other = self.0.borrow();
//!         let held = other.space().lock().object(object).is_some();
//!         Ok(held.then_some(MachineId(2)))
//!     }
//!     fn call(&self, rt: &mut Runtime, _to: MachineId, call: RemoteCall) -> AvmResult<Option<DataValue>> {
//!         let mut other = self.0.borrow_mut();
//!         other.set_gas(call.gas);
//!         let output = other.serve_call(&call);
//!         rt.append_events(other.take_trace());
//!         rt.set_gas(other.gas_left());
//!         output
//!     }
//! }
//!
//! let mut far = Runtime::new(Space::new().shared(), Rc::new(Registry::new()));
//! far.register_native("echo", |host| host.input().map(Some));
//! far.set_gas(100);
//! let echo = far.create_obj(native("echo"), None).unwrap();
//! far.take_trace();
//!
//! let mut near = Runtime::new(Space::new().shared(), Rc::new(Registry::new()));
//! near.set_remote(Rc::new(Other(std::cell::RefCell::new(far))));
//! near.set_gas(100);
//! assert_eq!(near.call(echo, DataValue::nat(7u8)).unwrap(), Some(DataValue::nat(7u8)));
//! assert_eq!(near.trace().len(), 2); // called, returned: recorded over there
//! ```

use avm_vm::{DataValue, Gas};

use crate::host::AvmResult;
use crate::ids::{MachineId, ObjectId};
use crate::runtime::Runtime;

/// A call shipped to the machine that holds its object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteCall {
    /// The object called.
    pub object: ObjectId,
    /// The message.
    pub input: DataValue,
    /// The caller, `None` at the top level.
    pub sender: Option<ObjectId>,
    /// How many calls are open (on every machine of the chain) below this one.
    pub depth: usize,
    /// The gas left to the whole call tree.
    pub gas: Gas,
}

/// How a runtime reaches objects on other machines (see the module docs).
pub trait Remote {
    /// A fresh object id, unique across every machine, for an object this
    /// runtime creates; `None` to take the space's own counter.
    fn fresh_object(&self) -> AvmResult<Option<ObjectId>>;

    /// The machine that holds `object`, which this runtime's space does
    /// not; `None` if no machine does.
    fn locate(&self, object: ObjectId) -> AvmResult<Option<MachineId>>;

    /// Runs `call` on machine `to` and gives its output. While it waits,
    /// it serves the calls `to` makes back with [`Runtime::serve_call`] on
    /// `rt`, appends the events the other side recorded to `rt`'s trace
    /// ([`Runtime::append_events`]) and leaves `rt` with the gas the call
    /// tree has left. An error the other side recorded in its trace comes
    /// back as [`crate::AvmError::Remote`].
    fn call(
        &self,
        rt: &mut Runtime,
        to: MachineId,
        call: RemoteCall,
    ) -> AvmResult<Option<DataValue>>;
}
