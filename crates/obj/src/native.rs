//! Native behaviours: Rust functions standing in for VM code, for tests
//! and benchmarks.
//!
//! A native behaviour is the function value `fn(NATIVE_VM, name)`; the
//! runtime that runs it must have a function registered under `name`
//! ([`crate::Runtime::register_native`]). It runs with the runtime as its
//! [`ObjectHost`], so it uses exactly the instructions a VM behaviour
//! uses, and pays for them the same way (plus [`crate::gas::NATIVE`]).

use std::sync::Arc;

use avm_vm::{DataValue, VmId};

use crate::host::{AvmResult, ObjectHost};

/// The VM number of native behaviours. It is never registered in a
/// [`avm_vm::Registry`]: the object runtime runs these itself.
pub const NATIVE_VM: VmId = VmId(0x30_00ff);

/// A native behaviour: reads its frame and state through the host and
/// returns its output, if any.
pub type NativeFn = Arc<dyn Fn(&mut dyn ObjectHost) -> AvmResult<Option<DataValue>> + Send + Sync>;

/// The behaviour value that names the native function `name`.
///
/// ```
/// use avm_obj::native::{native, NATIVE_VM};
/// assert_eq!(native("counter").function_vm(), Some(NATIVE_VM));
/// ```
pub fn native(name: &str) -> DataValue {
    DataValue::function(NATIVE_VM, name.as_bytes())
}
