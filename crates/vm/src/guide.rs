//! The guide to the VM interface: docs/vm-interface.md, included here so
//! that its examples run as doctests.
#![doc = include_str!("../../../docs/vm-interface.md")]
