//! Alu behind the multiformat interface: [`AluVm`], VM number
//! [`VmId::ALU`] (0x30_0001).
//!
//! The calling convention is documented in docs/alu-vm.md; in short:
//!
//! - **function**: `fn(0x300001, code)` where `code` is a library container
//!   without imports, or a *bundle* (the canonical encoding of a tuple of
//!   library containers: the entry library, then exactly the libraries it
//!   reaches, ascending by id). The run starts at the entry `main` of the
//!   first library, else at offset 0. Any other value, a malformed Alu
//!   function included, decodes as data, and evaluating data gives no
//!   result;
//! - **arguments** (at most 16): argument `i` lands in `a64[i]` (a natural
//!   below 2^64), `a1024[i]` (a natural below 2^1024), `s[i]` (a byte
//!   string as it is; a tuple, option or function as its canonical
//!   encoding);
//! - **result**: a run that stops with st0 = true returns `a1024[0]` if it
//!   is defined, else `a64[0]`, else `s[0]` (a byte string), else `()`;
//! - **gas**: the complexity ca0, limited by the gas limit; the jump limit
//!   is the gas limit too, so it never binds first.
//!
//! ```
//! use avm_alu::binding::{self, AluVm};
//! use avm_alu::{isa, Instr, Library, Operand};
//! use avm_alu::reg::{AWidth, RegA};
//! use avm_vm::{DataValue, Registry};
//!
//! // a64[0] := a64[0] + a64[1]; stop
//! let a64 = |idx| Operand::A(RegA { width: AWidth::A64, idx });
//! let code = isa::assemble(&[
//!     Instr::from_parts("add", Some("uc"), &[a64(0), a64(0), a64(1)]).unwrap(),
//!     Instr::from_parts("stop", None, &[]).unwrap(),
//! ]);
//! let lib = Library::new(vec![], vec![], code, vec![]).unwrap();
//! let add = binding::function(&lib, []).unwrap();
//!
//! let mut registry = Registry::new();
//! registry.register(AluVm::new()).unwrap();
//! let e = registry.multievaluate(&add, &[DataValue::nat(40u8), DataValue::nat(2u8)], 100).unwrap();
//! assert_eq!(e.result, Some(DataValue::nat(42u8)));
//! assert_eq!(e.gas_used, 2); // add (1) + stop (1)
//! // Out of gas: no result, and never more gas than the limit.
//! let e = registry.multievaluate(&add, &[DataValue::nat(40u8), DataValue::nat(2u8)], 1).unwrap();
//! assert_eq!((e.result, e.gas_used), (None, 1));
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use avm_vm::{codec, BigUint, DataValue, Env, Evaluation, Gas, RegistryError, Vm, VmId};

use crate::library::{LibId, Library, LibraryError, MAGIC};
use crate::program::{Host, Program, ProgramError, Site};
use crate::reg::{AWidth, RegA, RegS};
use crate::registers::{Reg, Registers, Slots, S_MAX_LEN};
use crate::vm::{Limits, StopReason, DEFAULT_CALL_DEPTH};

/// Most arguments a function takes: one per byte-string register.
pub const MAX_ARGS: usize = 16;

/// The entry point a function starts at, if its library exports it.
pub const ENTRY: &str = "main";

/// The Alu VM as a member of the multiformat.
///
/// Its host decides which ISA extensions programs may use; [`AluVm::new`]
/// provides the core set only. Translated libraries are cached in the host,
/// so decoding the same function twice translates it once; the programs of
/// the functions decoded lately are kept too, so evaluating a function again
/// neither parses nor hashes its code again.
#[derive(Clone, Default)]
pub struct AluVm {
    host: Host,
    decoded: Decoded,
}

/// Most programs an [`AluVm`] keeps decoded; past that it starts afresh.
const DECODED_MAX: usize = 64;

/// The programs of functions an [`AluVm`] (and its clones) decoded lately,
/// by their code. A program depends only on its code and the VM's host, so
/// the cache changes no result. Bounded by [`DECODED_MAX`].
#[derive(Clone, Default)]
struct Decoded(Arc<Mutex<BTreeMap<Arc<[u8]>, AluProgram>>>);

impl Decoded {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<Arc<[u8]>, AluProgram>> {
        // Inserts are atomic: a panic elsewhere cannot leave the map half-written.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl AluVm {
    /// The Alu VM with the core instruction set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The Alu VM with `host`'s ISA extensions.
    pub fn with_host(host: Host) -> Self {
        AluVm {
            host,
            decoded: Decoded::default(),
        }
    }

    /// The program a function's code stands for, or why it stands for none.
    pub fn program(&self, code: &[u8]) -> Result<AluProgram, CodeError> {
        if let Some(p) = self.decoded.lock().get(code) {
            return Ok(p.clone());
        }
        let p = AluProgram::from_code(code, &self.host)?;
        let mut decoded = self.decoded.lock();
        if decoded.len() >= DECODED_MAX {
            decoded.clear();
        }
        decoded.insert(p.code.clone(), p.clone());
        Ok(p)
    }
}

/// Alu's internal representation of values: a program, or any other value
/// kept as data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AluValue {
    /// An Alu function whose code is a runnable program.
    Program(AluProgram),
    /// Anything else: naturals, byte strings, tuples, options, functions
    /// of other VMs, and Alu functions whose code is not a program.
    Data(DataValue),
}

/// A function's code, checked and translated: ready to run many times.
#[derive(Clone)]
pub struct AluProgram {
    code: Arc<[u8]>,
    program: Arc<Program>,
}

impl PartialEq for AluProgram {
    fn eq(&self, other: &Self) -> bool {
        // Everything else is derived from the code.
        self.code == other.code
    }
}

impl Eq for AluProgram {}

impl std::fmt::Debug for AluProgram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AluProgram")
            .field("entry", &self.program.entry())
            .field("libraries", &self.program.libraries().len())
            .field("code_len", &self.code.len())
            .finish()
    }
}

/// Why a function's code is not a program.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// A library container in the code is malformed.
    #[error("library {index} of the function: {source}")]
    Library {
        /// Its position in the bundle (0: the entry library).
        index: usize,
        /// What is wrong with it.
        source: LibraryError,
    },
    /// The code is neither a library container nor a bundle.
    #[error("the code is neither a library container (`AVML...`) nor a bundle: {0}")]
    NotABundle(String),
    /// The bundle breaks its canonical form.
    #[error("bundle: {0}")]
    Bundle(String),
    /// The libraries do not make a program (a missing import, an
    /// unsupported ISA extension).
    #[error(transparent)]
    Program(#[from] ProgramError),
}

impl AluProgram {
    /// Checks and translates a function's code (see the module docs).
    pub fn from_code(code: &[u8], host: &Host) -> Result<AluProgram, CodeError> {
        let libs = if code.starts_with(MAGIC) {
            vec![Library::from_bytes(code)
                .map_err(|source| CodeError::Library { index: 0, source })?]
        } else {
            bundle_libraries(code)?
        };
        let entry = &libs[0];
        let site = Site {
            lib: entry.id(),
            pos: entry.entry(ENTRY).unwrap_or(0),
        };
        let program = Program::new(libs.iter().cloned(), site, host)?;
        // Canonical form: exactly the reachable libraries, in id order.
        let reachable: BTreeSet<LibId> = program.libraries()[1..].iter().copied().collect();
        let given: Vec<LibId> = libs[1..].iter().map(Library::id).collect();
        if !given.iter().copied().eq(reachable.iter().copied()) {
            return Err(CodeError::Bundle(
                "the libraries after the first must be exactly those it imports, directly \
                 or not, each once, ascending by id"
                    .into(),
            ));
        }
        Ok(AluProgram {
            code: code.into(),
            program: Arc::new(program),
        })
    }

    /// The code bytes this program was decoded from.
    pub fn code(&self) -> &[u8] {
        &self.code
    }

    /// The checked, translated program.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// The function value of this program.
    pub fn to_value(&self) -> DataValue {
        DataValue::function(VmId::ALU, self.code.to_vec())
    }
}

fn bundle_libraries(code: &[u8]) -> Result<Vec<Library>, CodeError> {
    let value = codec::decode(code).map_err(|e| CodeError::NotABundle(e.to_string()))?;
    let DataValue::Tuple(items) = value else {
        return Err(CodeError::NotABundle("not a tuple".into()));
    };
    if items.len() < 2 {
        return Err(CodeError::Bundle(
            "a bundle holds at least two libraries (one alone is given as its container)".into(),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(index, item)| match item {
            DataValue::Bytes(b) => {
                Library::from_bytes(b).map_err(|source| CodeError::Library { index, source })
            }
            _ => Err(CodeError::Bundle(format!(
                "item {index} is not a byte string"
            ))),
        })
        .collect()
}

/// The function value of the program that starts in `entry` (at its entry
/// `main`, else offset 0): `entry`'s container if it imports nothing, else
/// the bundle of `entry` and the libraries of `deps` it reaches. Libraries
/// of `deps` it does not reach are left out.
pub fn function(
    entry: &Library,
    deps: impl IntoIterator<Item = Library>,
) -> Result<DataValue, ProgramError> {
    let deps: Vec<Library> = deps.into_iter().collect();
    // ISA extensions are the evaluating host's business: only imports are
    // checked here.
    let reachable = reachable_ids(entry, &deps)?;
    if reachable.is_empty() {
        return Ok(DataValue::function(VmId::ALU, entry.to_bytes()));
    }
    let mut items = vec![DataValue::bytes(entry.to_bytes())];
    for id in &reachable {
        let lib = deps
            .iter()
            .find(|l| l.id() == *id)
            .expect("reachable means given");
        items.push(DataValue::bytes(lib.to_bytes()));
    }
    Ok(DataValue::function(
        VmId::ALU,
        codec::encode(&DataValue::Tuple(items)),
    ))
}

/// The ids of the libraries `entry` reaches through `deps`, without it.
fn reachable_ids(entry: &Library, deps: &[Library]) -> Result<BTreeSet<LibId>, ProgramError> {
    let mut seen = BTreeSet::new();
    let mut queue: Vec<(LibId, LibId)> = entry.libs.iter().map(|d| (*d, entry.id())).collect();
    while let Some((id, needed_by)) = queue.pop() {
        if id == entry.id() || !seen.insert(id) {
            continue;
        }
        let lib = deps
            .iter()
            .find(|l| l.id() == id)
            .ok_or(ProgramError::MissingLibrary {
                lib: id,
                needed_by: Some(needed_by),
            })?;
        queue.extend(lib.libs.iter().map(|d| (*d, id)));
    }
    Ok(seen)
}

const fn a1024(idx: u8) -> Reg {
    Reg::A(RegA {
        width: AWidth::A1024,
        idx,
    })
}

const fn s(idx: u8) -> Reg {
    Reg::S(RegS(idx))
}

/// Loads the arguments into a fresh register file; `None` when one does
/// not fit the convention.
pub fn load_arguments(args: &[DataValue]) -> Option<Registers> {
    let mut regs = Registers::new();
    load_into(&mut regs, args).then_some(regs)
}

/// Loads the arguments into `regs`, a fresh register file; `false` when one
/// does not fit the convention.
fn load_into(regs: &mut Registers, args: &[DataValue]) -> bool {
    if args.len() > MAX_ARGS {
        return false;
    }
    for (i, arg) in args.iter().enumerate() {
        let i = i as u8;
        let fits = match arg {
            DataValue::Nat(n) if n.bits() <= 64 => {
                regs.a64
                    .set(i, Some(n.iter_u64_digits().next().unwrap_or(0)));
                true
            }
            DataValue::Nat(n) if n.bits() <= 1024 => {
                let mut bytes = n.to_bytes_le();
                bytes.resize(128, 0);
                regs.set(a1024(i), Some(&bytes))
            }
            DataValue::Nat(_) => false,
            DataValue::Bytes(b) => regs.set(s(i), Some(b)),
            other => {
                codec::encoded_len(other) <= S_MAX_LEN
                    && regs.set(s(i), Some(&codec::encode(other)))
            }
        };
        if !fits {
            return false;
        }
    }
    true
}

/// The result a run left in `regs`: `a1024[0]`, else `a64[0]`, else
/// `s[0]`, else `()`.
pub fn read_result(regs: &Registers) -> DataValue {
    if let Some(bytes) = regs.get(a1024(0)) {
        return DataValue::Nat(BigUint::from_bytes_le(&bytes));
    }
    if let Some(n) = regs.a64.get(0) {
        return DataValue::nat(n);
    }
    match regs.get(s(0)) {
        Some(bytes) => DataValue::Bytes(bytes),
        None => DataValue::unit(),
    }
}

/// The limits of a run with `gas_limit` gas.
pub fn limits(gas_limit: Gas) -> Limits {
    Limits {
        complexity: gas_limit,
        // Every jump costs at least 2, so ca0 reaches the limit first.
        jumps: gas_limit,
        call_depth: DEFAULT_CALL_DEPTH,
    }
}

impl Vm for AluVm {
    const ID: VmId = VmId::ALU;
    type Repr = AluValue;

    fn decode(&self, value: &DataValue) -> Option<AluValue> {
        Some(match value {
            DataValue::Function { vm, code } if *vm == VmId::ALU => match self.program(code) {
                Ok(p) => AluValue::Program(p),
                Err(_) => AluValue::Data(value.clone()),
            },
            other => AluValue::Data(other.clone()),
        })
    }

    fn encode(&self, repr: &AluValue) -> DataValue {
        match repr {
            AluValue::Program(p) => p.to_value(),
            AluValue::Data(v) => v.clone(),
        }
    }

    fn evaluate(
        &self,
        function: &AluValue,
        args: &[AluValue],
        gas_limit: Gas,
        env: &mut dyn Env,
    ) -> Evaluation<AluValue> {
        let AluValue::Program(p) = function else {
            return Evaluation::failed(0);
        };
        let values: Vec<DataValue> = args.iter().map(|a| self.encode(a)).collect();
        run(p, &values, gas_limit, env).map(AluValue::Data)
    }

    /// Without the round trip through [`AluValue`]: every value decodes, and
    /// an argument encodes back to itself.
    fn evaluate_values(
        &self,
        function: &DataValue,
        args: &[DataValue],
        gas_limit: Gas,
        env: &mut dyn Env,
    ) -> Result<Evaluation<DataValue>, RegistryError> {
        Ok(match function {
            DataValue::Function { vm, code } if *vm == VmId::ALU => match self.program(code) {
                Ok(p) => run(&p, args, gas_limit, env),
                Err(_) => Evaluation::failed(0),
            },
            _ => Evaluation::failed(0),
        })
    }
}

/// Runs `p` on `args` under the calling convention.
fn run(
    p: &AluProgram,
    args: &[DataValue],
    gas_limit: Gas,
    env: &mut dyn Env,
) -> Evaluation<DataValue> {
    // Filled in place: a register file is about a kilobyte to move.
    let mut regs = Registers::new();
    if !load_into(&mut regs, args) {
        return Evaluation::failed(0);
    }
    let out = p.program.run_in(&mut regs, &limits(gas_limit), env);
    if out.reason != StopReason::Stopped || !out.st0 {
        return Evaluation::failed(out.ca0);
    }
    Evaluation::done(read_result(&regs), out.ca0)
}

/// The calling convention in full: docs/alu-vm.md, whose Rust examples run
/// as doctests.
#[doc = include_str!("../../../docs/alu-vm.md")]
pub mod convention {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoded_programs_stay_bounded() {
        let vm = AluVm::new();
        let code = |n: usize| {
            let lib = Library::new(vec![], vec![], vec![0x08], n.to_le_bytes().to_vec());
            lib.expect("a library").to_bytes()
        };
        for n in 0..DECODED_MAX + 10 {
            let p = vm.program(&code(n)).expect("a program");
            assert_eq!(p.code(), code(n));
            assert!(vm.decoded.lock().len() <= DECODED_MAX);
        }
        // A program comes back the same from the cache.
        let last = code(DECODED_MAX + 9);
        assert!(vm.decoded.lock().contains_key(&*last));
        assert_eq!(vm.program(&last).expect("cached").code(), last);
    }
}
