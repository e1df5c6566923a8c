//! # avm-node: the object runtime across machines
//!
//! A node is a long-lived process that hosts objects in its own store
//! (avm-obj's persist layer on redb) and serves the object runtime over
//! TCP; a cluster is a few nodes, one of which (the seed) hosts the
//! directory that says which machine holds each object. A call of an
//! object on another node works as a local one, nested calls included, and
//! records one trace, equal to the same run's on one node.
//!
//! - [`frame`]: length-prefixed frames of canonical values, with a cap;
//! - [`wire`]: the messages, each a versioned [`avm_vm::DataValue`];
//! - [`link`]: a connection, and the conversation of a call over it;
//! - [`peers`]: [`peers::Peers`], the [`avm_obj::remote::Remote`] of nodes
//!   and drivers;
//! - [`directory`]: object ids and where objects live, on the seed;
//! - [`script`]: a script of steps in one transaction (`avm tx`);
//! - [`server`]: the node itself;
//! - [`client`]: requests to a node, and a driver runtime;
//! - [`cluster`]: starting and stopping node processes on loopback;
//! - [`tracelog`]: the trace log a store keeps.
//!
//! docs/distribution.md describes the design.

#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod client;
pub mod cluster;
pub mod directory;
pub mod frame;
pub mod link;
pub mod peers;
pub mod script;
pub mod server;
pub mod tracelog;
pub mod wire;

pub use client::{Client, ClientError};
pub use server::{Node, NodeConfig, NodeError};
