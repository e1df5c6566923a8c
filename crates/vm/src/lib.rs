//! # avm-vm: the interface every avm VM stands behind
//!
//! The bottom layer of avm, after the Anoma specification of virtual
//! machines: one value type, one encoding, one trait, one registry.
//!
//! - [`value`] holds [`DataValue`], [`DataType`], [`VmId`], [`typecheck`];
//! - [`convention`] spells bool, integers, strings, lists, maps as values;
//! - [`codec`] is the canonical binary encoding, strict decoding, [`ContentId`];
//! - [`text`] is the text form for people;
//! - [`vm`] holds the [`Vm`] trait, [`Evaluation`], [`Gas`], [`Env`];
//! - [`registry`] holds the [`Registry`] and `multievaluate`;
//! - [`provable`] holds the [`ProvableVm`] trait;
//! - `conformance` (feature `conformance`) runs the laws as property tests;
//! - [`guide`] is docs/vm-interface.md, whose examples run as doctests.
//!
//! ```
//! use avm_vm::{codec, DataType, DataValue};
//! let v: DataValue = r#"(1, #0:"yes", x"00ff")"#.parse().unwrap();
//! let bytes = codec::multiencode(&v);
//! let back = codec::multidecode(&bytes, &DataType::Any).unwrap();
//! assert_eq!(back, v);
//! assert_eq!(back.to_string(), r#"(1, #0:"yes", x"00ff")"#);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod codec;
#[cfg(feature = "conformance")]
pub mod conformance;
pub mod convention;
pub mod guide;
pub mod provable;
pub mod registry;
pub mod text;
pub mod value;
pub mod vm;

pub use codec::{multidecode, multiencode, ContentId, DecodeError, DecodeErrorKind, Limits};
pub use convention::Convention;
pub use num_bigint::{self, BigInt, BigUint};
pub use provable::{ProvableVm, ProveError};
pub use registry::{Registry, RegistryError};
pub use text::{ParseError, ParseErrorKind};
pub use value::{typecheck, DataType, DataValue, VmId};
pub use vm::{Env, Evaluation, Gas, Host, Isolated, Vm};

/// Any error of this crate, for callers that handle them alike.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Binary decoding failed.
    #[error("decode: {0}")]
    Decode(#[from] DecodeError),
    /// Text parsing failed.
    #[error("parse: {0}")]
    Parse(#[from] ParseError),
    /// Evaluation through the registry failed.
    #[error("evaluate: {0}")]
    Registry(#[from] RegistryError),
    /// Proving failed.
    #[error("prove: {0}")]
    Prove(#[from] ProveError),
}
