//! # avm-obj: message-passing objects over any avm VM
//!
//! The Anoma VM's object model: programs are objects that talk only
//! through messages, whose every interaction is recorded, and which change
//! state only in atomic transactions ordered by controllers. An object's
//! behaviour is a function value of any VM in the [`avm_vm::Registry`]
//! (or a native Rust function, for tests and benchmarks).
//!
//! - [`host`] holds [`ObjectHost`], one method per instruction of every
//!   family of the specification;
//! - [`ids`] holds [`ObjectId`], [`MachineId`], [`ControllerId`], [`TxId`];
//! - [`error`] holds the layered errors, gathered in [`AvmError`];
//! - [`meta`] holds [`ObjectMeta`] and the reified context and tx state;
//! - [`runtime`] holds the [`Runtime`]; [`instructions`] its instruction
//!   set; [`gas`] what each instruction costs;
//! - [`space`] holds the committed state ([`Space`]), [`persist`] its
//!   layout in an [`avm_store::Store`]; `tx` the overlay;
//! - [`trace`] is the message sequence chart, canonically encoded and
//!   hashed;
//! - [`request`] is how VMs reach the runtime as plain data, [`alu`] the
//!   Alu ISA extension that does so, [`native`] the native behaviours;
//! - [`remote`] holds [`remote::Remote`], how a runtime reaches objects
//!   on other machines (a node implements it);
//! - [`model`] states the object model's laws over input histories;
//! - [`guide`] is docs/objects.md.
//!
//! ```
//! use std::rc::Rc;
//! use avm_obj::{native::native, ObjectHost, Runtime, Space};
//! use avm_vm::{DataValue, Registry};
//!
//! let mut rt = Runtime::new(Space::new().shared(), Rc::new(Registry::new()));
//! rt.register_native("echo", |host| host.input().map(Some));
//! rt.set_gas(100);
//! let echo = rt.create_obj(native("echo"), None).unwrap();
//! assert_eq!(rt.call(echo, DataValue::nat(7u8)).unwrap(), Some(DataValue::nat(7u8)));
//! assert_eq!(rt.trace().len(), 3); // created, called, returned
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod alu;
pub mod error;
pub mod gas;
pub mod guide;
pub mod host;
pub mod ids;
pub mod instructions;
pub mod limits;
pub mod meta;
pub mod model;
pub mod native;
pub mod persist;
pub mod remote;
pub mod request;
pub mod runtime;
mod savepoint;
pub mod shape;
pub mod space;
pub mod trace;
mod tx;

pub use error::{
    AvmError, ControllerError, GasSite, IntrospectError, MachineError, ObjError, PureError,
    ReflectError, ReifyError, TxError,
};
pub use host::{AvmResult, ObjectHost};
pub use ids::{ControllerId, MachineId, ObjectId, TxId};
pub use meta::{ObjectMeta, ReifiedConstraints, ReifiedContext, ReifiedTxState};
pub use runtime::{Config, Runtime};
pub use space::{Space, SpaceHandle};
pub use trace::{Event, Trace};
