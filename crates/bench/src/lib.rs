//! Fixed workloads for the avm benchmarks, shared by the criterion benches
//! and their tests (which check that each workload computes what it claims).

#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod alu;
pub mod aluvm;
pub mod modular;
pub mod rv32;
pub mod rv32_native;
pub mod stark;
