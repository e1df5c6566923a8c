//! Instruction semantics by family, as pure functions on register values.
//! The interpreter loop ([`crate::machine`]) applies them.

pub mod alu;
pub mod atomic;
pub mod muldiv;
