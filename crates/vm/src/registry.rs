//! The [`Registry`] of VMs and `multievaluate`.
//!
//! The registry maps VM numbers to implementations and evaluates a
//! [`DataValue::Function`] by dispatching on its VM number. A running VM
//! reaches back through the [`Env`] it is handed to evaluate functions of
//! other VMs (or its own); every such frame keeps a gas meter:
//!
//! - a nested evaluation gets at most what its caller has left of its own
//!   limit after earlier nested evaluations, so the outermost limit bounds
//!   the whole tree;
//! - after a VM returns, the registry checks that it used no more than its
//!   limit and that it counted at least the gas its nested evaluations used
//!   ([`RegistryError::GasOverrun`], [`RegistryError::GasUnderReported`]);
//! - nesting stops at [`Registry::max_depth`].

use std::collections::{BTreeMap, BTreeSet};

use thiserror::Error;

use crate::provable::ProvableVm;
use crate::value::{DataValue, VmId};
use crate::vm::{Env, Evaluation, Gas, Host, Vm};

/// The default bound on nesting of evaluations through [`Env`].
pub const DEFAULT_MAX_DEPTH: usize = 64;

/// Why the registry could not evaluate, or a VM broke the rules of gas.
///
/// A VM's own failures (a trap, running out of gas) are not errors: they are
/// an [`Evaluation`] without a result.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum RegistryError {
    /// The value to evaluate is not a function.
    #[error("not a function: only a function value can be evaluated")]
    NotAFunction,
    /// No VM with this number is registered.
    #[error("no VM with number {0} is registered")]
    UnknownVm(VmId),
    /// A VM with this number is registered already.
    #[error("a VM with number {0} is registered already")]
    AlreadyRegistered(VmId),
    /// The VM cannot decode the function.
    #[error("VM {0} cannot decode the function")]
    UndecodableFunction(VmId),
    /// The VM cannot decode an argument.
    #[error("VM {vm} cannot decode argument {index}")]
    UndecodableArgument {
        /// The VM.
        vm: VmId,
        /// The argument's position, from 0.
        index: usize,
    },
    /// Evaluations nest deeper than the registry allows.
    #[error("evaluations nest deeper than {0}")]
    TooDeep(usize),
    /// A VM reported more gas used than its limit.
    #[error("VM {vm} used {used} gas over its limit of {limit}")]
    GasOverrun {
        /// The VM.
        vm: VmId,
        /// The gas it reported.
        used: Gas,
        /// Its limit.
        limit: Gas,
    },
    /// A VM reported less gas than its nested evaluations used.
    #[error("VM {vm} reported {used} gas, less than the {nested} its nested evaluations used")]
    GasUnderReported {
        /// The VM.
        vm: VmId,
        /// The gas it reported.
        used: Gas,
        /// The gas its nested evaluations used.
        nested: Gas,
    },
    /// A nested evaluation was asked of an environment without a registry.
    #[error("no registry to evaluate a nested function")]
    Isolated,
    /// A host service was asked of an evaluation that runs without a host.
    #[error("no host services are available to this evaluation")]
    NoHost,
    /// The host reported more gas used than the limit it was given.
    #[error("the host used {used} gas over its limit of {limit}")]
    HostGasOverrun {
        /// The gas it reported.
        used: Gas,
        /// Its limit.
        limit: Gas,
    },
}

/// VMs by number, and `multievaluate` over them.
///
/// ```
/// use avm_vm::{DataValue, Registry, RegistryError, VmId};
/// let registry = Registry::new();
/// let f = DataValue::function(VmId(0x3f_ff42), []);
/// assert_eq!(
///     registry.multievaluate(&f, &[], 100).unwrap_err(),
///     RegistryError::UnknownVm(VmId(0x3f_ff42)),
/// );
/// ```
pub struct Registry {
    vms: BTreeMap<VmId, Box<dyn ErasedVm>>,
    /// The registered VMs that also prove ([`Registry::register_provable`]).
    provable: BTreeSet<VmId>,
    max_depth: usize,
}

impl Default for Registry {
    fn default() -> Self {
        Registry::new()
    }
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("vms", &self.vms.keys().collect::<Vec<_>>())
            .field("max_depth", &self.max_depth)
            .finish()
    }
}

impl Registry {
    /// An empty registry with nesting bounded by [`DEFAULT_MAX_DEPTH`].
    pub fn new() -> Self {
        Registry {
            vms: BTreeMap::new(),
            provable: BTreeSet::new(),
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }

    /// The same registry with nesting bounded by `max_depth` (0: no nested
    /// evaluation at all).
    pub fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// The bound on nesting.
    pub fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// Registers `vm` under its number [`Vm::ID`].
    pub fn register<V: Vm + 'static>(&mut self, vm: V) -> Result<&mut Self, RegistryError> {
        if self.vms.contains_key(&V::ID) {
            return Err(RegistryError::AlreadyRegistered(V::ID));
        }
        self.vms.insert(V::ID, Box::new(vm));
        Ok(self)
    }

    /// Registers the provable VM `vm` under its number, listed among
    /// [`Registry::provable_ids`] too.
    pub fn register_provable<V: ProvableVm + 'static>(
        &mut self,
        vm: V,
    ) -> Result<&mut Self, RegistryError> {
        self.register(vm)?;
        self.provable.insert(V::ID);
        Ok(self)
    }

    /// The numbers of the registered VMs that prove, in ascending order.
    pub fn provable_ids(&self) -> impl Iterator<Item = VmId> + '_ {
        self.provable.iter().copied()
    }

    /// Whether a VM with number `id` is registered.
    pub fn contains(&self, id: VmId) -> bool {
        self.vms.contains_key(&id)
    }

    /// The numbers of the registered VMs, in ascending order.
    pub fn ids(&self) -> impl Iterator<Item = VmId> + '_ {
        self.vms.keys().copied()
    }

    /// The specification's `multievaluate`: evaluates `function` on `args`
    /// with at most `gas_limit` gas, in the VM its number names.
    pub fn multievaluate(
        &self,
        function: &DataValue,
        args: &[DataValue],
        gas_limit: Gas,
    ) -> Result<Evaluation<DataValue>, RegistryError> {
        self.dispatch(function, args, gas_limit, 0, None)
    }

    /// [`Registry::multievaluate`] with `host` behind [`Env::host_call`]
    /// for this evaluation and every evaluation nested in it.
    pub fn multievaluate_in(
        &self,
        function: &DataValue,
        args: &[DataValue],
        gas_limit: Gas,
        host: &mut dyn Host,
    ) -> Result<Evaluation<DataValue>, RegistryError> {
        self.dispatch(function, args, gas_limit, 0, Some(host))
    }

    /// Evaluates `function` of `vm` directly in its own representation, with
    /// this registry behind the [`Env`] and the same gas checks as
    /// [`Registry::multievaluate`]. `vm` need not be registered.
    pub fn evaluate<V: Vm>(
        &self,
        vm: &V,
        function: &V::Repr,
        args: &[V::Repr],
        gas_limit: Gas,
    ) -> Result<Evaluation<V::Repr>, RegistryError> {
        let mut frame = Frame::new(self, 0, gas_limit, None);
        let evaluation = vm.evaluate(function, args, gas_limit, &mut frame);
        frame.check(V::ID, evaluation.gas_used)?;
        Ok(evaluation)
    }

    fn dispatch(
        &self,
        function: &DataValue,
        args: &[DataValue],
        gas_limit: Gas,
        depth: usize,
        host: Option<&mut dyn Host>,
    ) -> Result<Evaluation<DataValue>, RegistryError> {
        let id = function.function_vm().ok_or(RegistryError::NotAFunction)?;
        let vm = self.vms.get(&id).ok_or(RegistryError::UnknownVm(id))?;
        let mut frame = Frame::new(self, depth, gas_limit, host);
        let evaluation = vm.evaluate_values(function, args, gas_limit, &mut frame)?;
        frame.check(id, evaluation.gas_used)?;
        Ok(evaluation)
    }
}

/// One evaluation in progress: its place in the nesting, its gas meter and
/// the host it may call.
struct Frame<'r, 'h> {
    registry: &'r Registry,
    depth: usize,
    limit: Gas,
    nested_used: Gas,
    host: Option<&'h mut dyn Host>,
}

impl<'r, 'h> Frame<'r, 'h> {
    fn new(
        registry: &'r Registry,
        depth: usize,
        limit: Gas,
        host: Option<&'h mut dyn Host>,
    ) -> Self {
        Frame {
            registry,
            depth,
            limit,
            nested_used: 0,
            host,
        }
    }

    fn check(&self, vm: VmId, used: Gas) -> Result<(), RegistryError> {
        if used > self.limit {
            return Err(RegistryError::GasOverrun {
                vm,
                used,
                limit: self.limit,
            });
        }
        if used < self.nested_used {
            return Err(RegistryError::GasUnderReported {
                vm,
                used,
                nested: self.nested_used,
            });
        }
        Ok(())
    }
}

impl Env for Frame<'_, '_> {
    fn multievaluate(
        &mut self,
        function: &DataValue,
        args: &[DataValue],
        gas_limit: Gas,
    ) -> Result<Evaluation<DataValue>, RegistryError> {
        if self.depth >= self.registry.max_depth {
            return Err(RegistryError::TooDeep(self.registry.max_depth));
        }
        let available = self.limit.saturating_sub(self.nested_used);
        let host: Option<&mut dyn Host> = match &mut self.host {
            Some(h) => Some(&mut **h),
            None => None,
        };
        let evaluation = self.registry.dispatch(
            function,
            args,
            gas_limit.min(available),
            self.depth + 1,
            host,
        )?;
        self.nested_used += evaluation.gas_used;
        Ok(evaluation)
    }

    fn host_call(
        &mut self,
        request: &DataValue,
        gas_limit: Gas,
    ) -> Result<Evaluation<DataValue>, RegistryError> {
        let host = self.host.as_mut().ok_or(RegistryError::NoHost)?;
        let limit = gas_limit.min(self.limit.saturating_sub(self.nested_used));
        let evaluation = host.host_call(request, limit);
        if evaluation.gas_used > limit {
            return Err(RegistryError::HostGasOverrun {
                used: evaluation.gas_used,
                limit,
            });
        }
        self.nested_used += evaluation.gas_used;
        Ok(evaluation)
    }
}

/// A [`Vm`] seen through values only, so VMs of different `Repr` can share
/// one registry.
trait ErasedVm {
    fn evaluate_values(
        &self,
        function: &DataValue,
        args: &[DataValue],
        gas_limit: Gas,
        env: &mut dyn Env,
    ) -> Result<Evaluation<DataValue>, RegistryError>;
}

impl<V: Vm> ErasedVm for V {
    fn evaluate_values(
        &self,
        function: &DataValue,
        args: &[DataValue],
        gas_limit: Gas,
        env: &mut dyn Env,
    ) -> Result<Evaluation<DataValue>, RegistryError> {
        Vm::evaluate_values(self, function, args, gas_limit, env)
    }
}
