//! # avm-alu: the Alu virtual machine
//!
//! A register-based, exception-less VM in the AluVM tradition. Every byte
//! string decodes to exactly one program; no instruction traps: an
//! impossible operation makes its destination undefined and clears st0;
//! every run ends, bounded by its jump counter (cy0) and complexity (ca0).
//!
//! - [`reg`]: register names and widths;
//! - [`registers`]: the register file;
//! - [`float`]: soft-float arithmetic for the F registers;
//! - [`isa`]: the opcode table, operand shapes, bytecode codec, extensions;
//! - [`library`]: libraries and their ids;
//! - [`modular`]: exact modular arithmetic (R-register `*mod` instructions, prime fields);
//! - [`program`]: programs of libraries, checked and translated;
//! - [`signing`]: keys, detached signatures of library ids, the trust policy;
//! - [`vm`]: the interpreter loop;
//! - [`binding`]: Alu behind the multiformat interface of avm-vm ([`AluVm`]).
//!
//! ```
//! use avm_alu::{isa, Host, Library, Limits, Program, Registers, Site};
//! use avm_alu::reg::{AWidth, RegA};
//! // a64[2] := a64[0] + a64[1]; stop
//! let code = isa::assemble(&[
//!     isa::Instr::from_parts("add", Some("uc"), &[
//!         isa::Operand::A(RegA { width: AWidth::A64, idx: 2 }),
//!         isa::Operand::A(RegA { width: AWidth::A64, idx: 0 }),
//!         isa::Operand::A(RegA { width: AWidth::A64, idx: 1 }),
//!     ]).unwrap(),
//!     isa::Instr::from_parts("stop", None, &[]).unwrap(),
//! ]);
//! let lib = Library::new(vec![], vec![], code, vec![]).unwrap();
//! let program = Program::new([lib.clone()], Site { lib: lib.id(), pos: 0 }, &Host::new()).unwrap();
//! let mut regs = Registers::new();
//! regs.set_a_u64(RegA { width: AWidth::A64, idx: 0 }, 40);
//! regs.set_a_u64(RegA { width: AWidth::A64, idx: 1 }, 2);
//! let out = program.run(&mut regs, &Limits::default());
//! assert!(out.st0);
//! assert_eq!(regs.a_u64(RegA { width: AWidth::A64, idx: 2 }), Some(42));
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod binding;
mod exec;
pub mod float;
pub mod isa;
pub mod library;
pub mod modular;
pub mod program;
pub mod reg;
pub mod registers;
pub mod signing;
pub mod vm;
pub mod word;

pub use binding::{AluProgram, AluValue, AluVm};
pub use isa::{Instr, IsaExtension, Operand};
pub use library::{LibId, Library, LibraryError};
pub use program::{Host, Program, ProgramError, Site, CORE_ISA};
pub use registers::{Reg, Registers};
pub use signing::{LibSignature, PublicKey, Scheme, SecretKey, Trust};
pub use vm::{Limits, NoTrace, Outcome, StopReason, Tracer};
