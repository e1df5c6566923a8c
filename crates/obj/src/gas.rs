//! What each instruction costs, in one place.
//!
//! One budget pays for a whole call tree: the runtime charges these before
//! each instruction, and a VM behaviour's own gas (its instructions, its
//! nested evaluations) comes out of the same budget.

use avm_vm::Gas;

/// `call`, before the callee's behaviour runs.
pub const CALL: Gas = 10;
/// Running a native behaviour, on top of the instructions it uses.
pub const NATIVE: Gas = 1;
/// `createObj`, plus [`CREATE_PER_BYTE`] per byte of the behaviour's encoding.
pub const CREATE: Gas = 20;
/// Per byte of a new object's behaviour: what it adds to memory and to the store is paid
/// for, so a gas budget bounds both.
pub const CREATE_PER_BYTE: Gas = 1;
/// `destroyObj`.
pub const DESTROY: Gas = 10;
/// `receive` and every introspection read (`self`, `input`, `sender`,
/// `getCurrentMachine`, `getCurrentController`).
pub const READ: Gas = 1;
/// `getState` and `setState`, plus [`PER_VALUE`] per value of the state.
pub const STATE: Gas = 2;
/// Per value of a state read or written.
pub const PER_VALUE: Gas = 1;
/// `reflect`, `getMachine`, `getController`, `reifyContext`,
/// `reifyTxState`, `reifyConstraints`.
pub const META: Gas = 3;
/// Per object scanned by `scryMeta` and `scryDeep`.
pub const SCAN_PER_OBJECT: Gas = 5;
/// `beginTx`, `abortTx`.
pub const TX: Gas = 10;
/// `commitTx`, plus [`PER_VALUE`] per object in the read set.
pub const COMMIT: Gas = 20;
/// `registerPure`, `updatePure`.
pub const PURE_REGISTER: Gas = 20;
/// `callPure`, before the function's own gas.
pub const PURE_CALL: Gas = 5;
/// `teleport`, `moveObject`, `fetch`, `transferObject`, `freeze`.
pub const MOVE: Gas = 10;
