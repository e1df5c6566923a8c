//! The [`Vm`] trait, [`Evaluation`], [`Gas`], and the [`Env`] a VM calls
//! back into.
//!
//! A VM is a numbered member of the multiformat with its own internal
//! representation (`Repr`) of values and functions. It converts between
//! `Repr` and [`DataValue`] (`decode`, `encode`, mutual inverses) and
//! evaluates a function on arguments under a gas limit.
//!
//! ```
//! use avm_vm::{DataValue, Env, Evaluation, Gas, Isolated, Vm, VmId};
//!
//! /// A VM whose every function returns its code as a byte string, for 1 gas.
//! struct Echo;
//!
//! impl Vm for Echo {
//!     const ID: VmId = VmId(0x3f_ff10);
//!     type Repr = DataValue; // keeps values as they are
//!     fn decode(&self, value: &DataValue) -> Option<DataValue> { Some(value.clone()) }
//!     fn encode(&self, repr: &DataValue) -> DataValue { repr.clone() }
//!     fn evaluate(&self, f: &DataValue, _args: &[DataValue], gas_limit: Gas, _env: &mut dyn Env)
//!         -> Evaluation<DataValue> {
//!         match f {
//!             DataValue::Function { vm, code } if *vm == Self::ID && gas_limit >= 1 => {
//!                 Evaluation::done(DataValue::bytes(code.clone()), 1)
//!             }
//!             _ => Evaluation::failed(gas_limit.min(1)),
//!         }
//!     }
//! }
//!
//! let f = DataValue::function(Echo::ID, *b"hi");
//! assert_eq!(Echo.evaluate(&f, &[], 10, &mut Isolated).result, Some(DataValue::string("hi")));
//! assert_eq!(Echo.evaluate(&f, &[], 0, &mut Isolated).result, None); // out of gas
//! ```

use crate::registry::RegistryError;
use crate::value::{DataValue, VmId};

/// An amount of gas. Each VM has its own scale; the registry only adds
/// amounts up and compares them with limits.
pub type Gas = u64;

/// What an evaluation gives: a result, or none (failure or out of gas), and
/// the gas it used, which never exceeds the limit it was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation<R> {
    /// The result, or `None` when the evaluation failed or ran out of gas.
    pub result: Option<R>,
    /// The gas used, nested evaluations included.
    pub gas_used: Gas,
}

impl<R> Evaluation<R> {
    /// A successful evaluation.
    pub fn done(result: R, gas_used: Gas) -> Self {
        Evaluation {
            result: Some(result),
            gas_used,
        }
    }

    /// An evaluation with no result.
    pub fn failed(gas_used: Gas) -> Self {
        Evaluation {
            result: None,
            gas_used,
        }
    }

    /// The same evaluation with its result mapped by `f`.
    pub fn map<S>(self, f: impl FnOnce(R) -> S) -> Evaluation<S> {
        Evaluation {
            result: self.result.map(f),
            gas_used: self.gas_used,
        }
    }
}

/// A virtual machine behind the multiformat interface.
///
/// Laws (checked for any VM by the `conformance` module, feature
/// `conformance`):
/// - `decode(&encode(&x)) == Some(x)`;
/// - if `decode(&v) == Some(x)` then `encode(&x) == v`;
/// - `evaluate` is deterministic: the same inputs give the same result and
///   the same gas;
/// - `gas_used <= gas_limit`, and running out of gas gives no result;
/// - a tighter limit never gives a different successful result.
///
/// Decoding a [`DataValue::Function`] of another VM must keep it as data
/// (a `Repr` that encodes back to the same function), so that it can be
/// passed along and evaluated through [`Env::multievaluate`].
///
/// Gas used by nested evaluations through the `env` counts as the VM's own:
/// the VM must add it to its `gas_used` (the registry checks it did).
pub trait Vm {
    /// This VM's number in the multiformat.
    const ID: VmId;
    /// The internal representation of values and functions.
    type Repr;

    /// The internal form of `value`, if this VM can represent it.
    fn decode(&self, value: &DataValue) -> Option<Self::Repr>;

    /// The value that `repr` stands for.
    fn encode(&self, repr: &Self::Repr) -> DataValue;

    /// Applies `function` to `args` with at most `gas_limit` gas.
    ///
    /// `env` evaluates nested functions of any registered VM; use
    /// [`Isolated`] where there is none.
    fn evaluate(
        &self,
        function: &Self::Repr,
        args: &[Self::Repr],
        gas_limit: Gas,
        env: &mut dyn Env,
    ) -> Evaluation<Self::Repr>;

    /// [`Vm::evaluate`] seen through values, as a [`crate::Registry`] calls it:
    /// `function` and `args` decoded, the result encoded.
    ///
    /// The default goes through [`Vm::decode`] and [`Vm::encode`]. A VM may
    /// override it to skip that round trip (on a hot path, say); the result
    /// and the gas used must be the same as the default's.
    fn evaluate_values(
        &self,
        function: &DataValue,
        args: &[DataValue],
        gas_limit: Gas,
        env: &mut dyn Env,
    ) -> Result<Evaluation<DataValue>, RegistryError> {
        let f = self
            .decode(function)
            .ok_or(RegistryError::UndecodableFunction(Self::ID))?;
        let args = args
            .iter()
            .enumerate()
            .map(|(index, a)| {
                self.decode(a).ok_or(RegistryError::UndecodableArgument {
                    vm: Self::ID,
                    index,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self
            .evaluate(&f, &args, gas_limit, env)
            .map(|r| self.encode(&r)))
    }
}

/// The way back from a running VM to the registry: evaluates nested
/// functions of any VM, inside the caller's gas and nesting budget.
///
/// The registry's implementation clamps `gas_limit` to what the calling
/// evaluation has left of its own limit after earlier nested calls, and
/// refuses to nest deeper than its maximum depth.
pub trait Env {
    /// Evaluates `function` (a [`DataValue::Function`] of any VM) on `args`
    /// with at most `gas_limit` gas. The caller adds the returned
    /// `gas_used` to its own.
    fn multievaluate(
        &mut self,
        function: &DataValue,
        args: &[DataValue],
        gas_limit: Gas,
    ) -> Result<Evaluation<DataValue>, RegistryError>;

    /// Asks the embedding [`Host`] (an object runtime, say) to serve
    /// `request` with at most `gas_limit` gas; the caller adds the returned
    /// `gas_used` to its own, as for [`Env::multievaluate`].
    ///
    /// The default refuses with [`RegistryError::NoHost`], so a VM that
    /// never asks, and an environment without a host, need nothing more.
    fn host_call(
        &mut self,
        request: &DataValue,
        gas_limit: Gas,
    ) -> Result<Evaluation<DataValue>, RegistryError> {
        let _ = (request, gas_limit);
        Err(RegistryError::NoHost)
    }
}

/// Services an embedding program offers to the VMs it runs, reached from
/// inside an evaluation through [`Env::host_call`] with plain-data
/// requests and answers (see [`crate::Registry::multievaluate_in`]).
///
/// A host must stay within `gas_limit` and count everything it spends,
/// nested evaluations included, in the answer's `gas_used`; a request it
/// cannot serve is an [`Evaluation`] without a result.
pub trait Host {
    /// Serves `request` with at most `gas_limit` gas.
    fn host_call(&mut self, request: &DataValue, gas_limit: Gas) -> Evaluation<DataValue>;
}

/// An environment with no registry behind it: every nested evaluation is
/// refused with [`RegistryError::Isolated`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Isolated;

impl Env for Isolated {
    fn multievaluate(
        &mut self,
        _function: &DataValue,
        _args: &[DataValue],
        _gas_limit: Gas,
    ) -> Result<Evaluation<DataValue>, RegistryError> {
        Err(RegistryError::Isolated)
    }
}
