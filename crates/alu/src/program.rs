//! Programs: a set of libraries with an entry site, checked and translated
//! once before any run.
//!
//! A program refuses to start when a library reachable from its entry is
//! missing or commits to an ISA extension the host does not provide; the
//! error names the library and what it lacks.

use crate::exec;
use crate::isa::{self, Instr, IsaExtension, EXT_FIRST};
use crate::library::{LibId, Library};
use crate::signing::{Trust, TrustError};
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

/// The id of the core instruction set, implied by every library.
pub const CORE_ISA: &str = "ALU";

/// A position in a library's code.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Site {
    /// The library.
    pub lib: LibId,
    /// Byte offset in its code segment.
    pub pos: u16,
}

impl core::fmt::Display for Site {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:#06x}@{}", self.pos, self.lib)
    }
}

/// What the host provides: the ISA extensions it supports, a cache of
/// translated libraries shared by every program built against it, and
/// optionally a trust policy for library signatures.
#[derive(Clone, Default)]
pub struct Host {
    extensions: BTreeMap<&'static str, Arc<dyn IsaExtension>>,
    cache: Arc<Mutex<BTreeMap<LibId, Arc<Code>>>>,
    trust: Option<Arc<Trust>>,
}

impl Host {
    /// A host with the core instruction set only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an ISA extension.
    pub fn with_extension(mut self, ext: Arc<dyn IsaExtension>) -> Self {
        self.extensions.insert(ext.id(), ext);
        // Translations depend on the extensions: start a fresh cache.
        self.cache = Arc::default();
        self
    }

    /// Runs only signed libraries: a program starts only if every library
    /// in it has a valid signature by one of `trust.keys` among
    /// `trust.signatures`. Off by default (every library runs).
    pub fn with_trust(mut self, trust: Trust) -> Self {
        self.trust = Some(Arc::new(trust));
        self
    }

    /// The trust policy, if the host enforces one.
    pub fn trust(&self) -> Option<&Trust> {
        self.trust.as_deref()
    }

    /// How many translated libraries the cache holds.
    pub fn cached(&self) -> usize {
        self.lock_cache().len()
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, BTreeMap<LibId, Arc<Code>>> {
        // A panic elsewhere cannot leave the map half-written: inserts are atomic.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The translation of a library, from the cache or made now.
    fn code(&self, lib: &Library, id: LibId) -> Result<Arc<Code>, ProgramError> {
        if let Some(code) = self.lock_cache().get(&id) {
            return Ok(code.clone());
        }
        let code = Arc::new(Code::translate(lib, id, self)?);
        self.lock_cache().insert(id, code.clone());
        Ok(code)
    }

    /// Whether the host supports an ISA id.
    pub fn supports(&self, id: &str) -> bool {
        id == CORE_ISA || is_builtin(id) || self.extensions.contains_key(id)
    }

    /// The extension with this id.
    pub fn extension(&self, id: &str) -> Option<&Arc<dyn IsaExtension>> {
        self.extensions.get(id)
    }
}

/// Whether `id` names a built-in ISA extension (see [`isa::BUILTIN_ISA`]).
fn is_builtin(id: &str) -> bool {
    isa::BUILTIN_ISA.iter().any(|b| b.id == id)
}

/// Why a program cannot start.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum ProgramError {
    /// A library is missing.
    #[error("library {lib} is missing{}", needed_by.map(|n| format!(" (imported by {n})")).unwrap_or_default())]
    MissingLibrary {
        /// The missing library.
        lib: LibId,
        /// The library that imports it; `None` for the entry library.
        needed_by: Option<LibId>,
    },
    /// A library uses an ISA extension the host lacks.
    #[error("library {lib} uses ISA extension {isa}, which this host does not support")]
    UnsupportedIsa {
        /// The library.
        lib: LibId,
        /// The extension id.
        isa: String,
    },
    /// Two extensions a library commits to define the same opcode.
    #[error("library {lib} uses ISA extensions {first} and {second}, which both define opcode {opcode:#04x}")]
    ConflictingExtensions {
        /// The library.
        lib: LibId,
        /// One extension.
        first: String,
        /// The other.
        second: String,
        /// The opcode both define.
        opcode: u8,
    },
    /// The host's trust policy refuses a library.
    #[error(transparent)]
    Untrusted(#[from] TrustError),
}

/// One decoded instruction at a byte offset, with its costs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Slot {
    pub instr: Instr,
    pub len: u8,
    /// Static complexity of this instruction.
    pub cost: u64,
    /// Static complexity from here to the end of the basic block.
    pub block_cost: u64,
    /// Whether the instruction ends a basic block (may change control flow).
    pub ends_block: bool,
    /// Executes a data instruction.
    pub handler: exec::Handler,
    /// Units per 64 bytes of the dynamic part of the complexity (0: none).
    pub per64: u64,
}

/// What executing past the end of the code means: reading zeros, `fail`.
pub(crate) const FAIL_SLOT: Slot = Slot {
    instr: Instr::Fail(isa::shape::Nullary {}),
    len: 1,
    cost: 1,
    block_cost: 1,
    ends_block: true,
    handler: exec::generic,
    per64: 0,
};

/// A library translated for execution: an instruction decoded at every byte
/// offset (so any jump target is valid), with basic-block costs.
pub(crate) struct Code {
    pub slots: Vec<Slot>,
    pub data: Vec<u8>,
    /// The extension owning each host-range opcode.
    pub ext: Vec<Option<Arc<dyn IsaExtension>>>,
}

impl Code {
    #[inline(always)]
    pub fn slot(&self, pc: usize) -> &Slot {
        self.slots.get(pc).unwrap_or(&FAIL_SLOT)
    }

    #[inline(always)]
    pub fn ext_for(&self, opcode: u8) -> Option<&dyn IsaExtension> {
        let i = opcode.checked_sub(EXT_FIRST)? as usize;
        self.ext.get(i)?.as_deref()
    }

    fn translate(lib: &Library, id: LibId, host: &Host) -> Result<Code, ProgramError> {
        let mut ext: Vec<Option<Arc<dyn IsaExtension>>> = vec![None; 256 - EXT_FIRST as usize];
        let mut owner: Vec<Option<&str>> = vec![None; ext.len()];
        for isa in &lib.isa {
            if isa == CORE_ISA || is_builtin(isa) {
                continue;
            }
            let e = host
                .extension(isa)
                .ok_or_else(|| ProgramError::UnsupportedIsa {
                    lib: id,
                    isa: isa.clone(),
                })?;
            for op in EXT_FIRST..=255 {
                if e.defines(op) {
                    let i = (op - EXT_FIRST) as usize;
                    if let Some(first) = owner[i] {
                        return Err(ProgramError::ConflictingExtensions {
                            lib: id,
                            first: first.to_string(),
                            second: isa.clone(),
                            opcode: op,
                        });
                    }
                    owner[i] = Some(isa);
                    ext[i] = Some(e.clone());
                }
            }
        }
        let mut code = Code {
            slots: Vec::with_capacity(lib.code.len()),
            data: lib.data.clone(),
            ext,
        };
        let undeclared: Vec<&isa::BuiltinIsa> = isa::BUILTIN_ISA
            .iter()
            .filter(|b| !lib.isa.iter().any(|id| id == b.id))
            .collect();
        for pc in 0..lib.code.len() {
            let (mut instr, mut len) = isa::decode(&lib.code[pc..], |op| code.ext_for(op));
            let op = instr.opcode();
            if undeclared.iter().any(|b| (b.first..=b.last).contains(&op)) {
                (instr, len) = (Instr::Reserved(op), 1);
            }
            let cost = match &instr {
                Instr::Ext(e) => code.ext_for(e.opcode).map_or(1, |x| x.complexity(e)),
                other => other.complexity(),
            };
            code.slots.push(Slot {
                instr,
                len: len as u8,
                cost,
                block_cost: 0,
                // An instruction that calls out to the host ends its block,
                // so the interpreter runs it with the environment at hand.
                ends_block: instr.ends_block()
                    || matches!(&instr, Instr::Ext(e)
                        if code.ext_for(e.opcode).is_some_and(|x| x.uses_env(e.opcode))),
                handler: exec::handler(&instr),
                per64: match instr.info().map(|i| i.cost) {
                    Some(isa::Cost::Bytes(_, k)) => k,
                    _ => 0,
                },
            });
        }
        for pc in (0..code.slots.len()).rev() {
            let slot = code.slots[pc];
            let rest = if slot.ends_block {
                0
            } else {
                code.slot(pc + slot.len as usize).block_cost
            };
            code.slots[pc].block_cost = slot.cost.saturating_add(rest);
        }
        Ok(code)
    }
}

/// A checked, translated program ready to run any number of times.
pub struct Program {
    pub(crate) ids: Vec<LibId>,
    pub(crate) codes: Vec<Arc<Code>>,
    /// Per library, the program index of each of its imports.
    pub(crate) imports: Vec<Vec<u32>>,
    pub(crate) entry: (u32, u16),
}

impl Program {
    /// Checks and translates the libraries reachable from `entry`.
    ///
    /// ```
    /// use avm_alu::{Host, Library, Program, Site};
    /// let lib = Library::new(vec![], vec![], vec![0x08], vec![]).unwrap(); // stop
    /// let program = Program::new([lib.clone()], Site { lib: lib.id(), pos: 0 }, &Host::new()).unwrap();
    /// assert_eq!(program.libraries(), &[lib.id()]);
    /// ```
    pub fn new(
        libs: impl IntoIterator<Item = Library>,
        entry: Site,
        host: &Host,
    ) -> Result<Program, ProgramError> {
        let all: BTreeMap<LibId, Library> = libs.into_iter().map(|l| (l.id(), l)).collect();
        let mut index: BTreeMap<LibId, u32> = BTreeMap::new();
        let mut order: Vec<LibId> = Vec::new();
        let mut queue = VecDeque::from([(entry.lib, None)]);
        while let Some((id, needed_by)) = queue.pop_front() {
            if index.contains_key(&id) {
                continue;
            }
            let lib = all
                .get(&id)
                .ok_or(ProgramError::MissingLibrary { lib: id, needed_by })?;
            index.insert(id, order.len() as u32);
            order.push(id);
            queue.extend(lib.libs.iter().map(|dep| (*dep, Some(id))));
        }
        let mut codes = Vec::with_capacity(order.len());
        let mut imports = Vec::with_capacity(order.len());
        for id in &order {
            if let Some(trust) = &host.trust {
                trust.check(id)?;
            }
            let lib = &all[id];
            codes.push(host.code(lib, *id)?);
            imports.push(lib.libs.iter().map(|dep| index[dep]).collect());
        }
        Ok(Program {
            ids: order,
            codes,
            imports,
            entry: (0, entry.pos),
        })
    }

    /// The libraries of the program, entry library first.
    pub fn libraries(&self) -> &[LibId] {
        &self.ids
    }

    /// The entry site.
    pub fn entry(&self) -> Site {
        Site {
            lib: self.ids[self.entry.0 as usize],
            pos: self.entry.1,
        }
    }

    /// The same program entered at another offset of its entry library.
    pub fn with_entry(mut self, pos: u16) -> Program {
        self.entry.1 = pos;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lib(code: Vec<u8>, libs: Vec<LibId>, isa: Vec<String>) -> Library {
        Library::new(isa, libs, code, vec![]).unwrap()
    }

    #[test]
    fn missing_libraries_are_named() {
        let dep = lib(vec![0x07], vec![], vec![]);
        let main = lib(vec![0x05, 0, 0, 0], vec![dep.id()], vec![]);
        let err = Program::new(
            [main.clone()],
            Site {
                lib: main.id(),
                pos: 0,
            },
            &Host::new(),
        )
        .err();
        assert_eq!(
            err,
            Some(ProgramError::MissingLibrary {
                lib: dep.id(),
                needed_by: Some(main.id())
            })
        );
        let err = Program::new(
            [],
            Site {
                lib: main.id(),
                pos: 0,
            },
            &Host::new(),
        )
        .err();
        assert_eq!(
            err,
            Some(ProgramError::MissingLibrary {
                lib: main.id(),
                needed_by: None
            })
        );
        assert!(Program::new(
            [main.clone(), dep],
            Site {
                lib: main.id(),
                pos: 0
            },
            &Host::new()
        )
        .is_ok());
    }

    #[test]
    fn unsupported_extensions_are_named() {
        let main = lib(vec![0x08], vec![], vec!["ALU".into(), "ZKFIELD".into()]);
        let err = Program::new(
            [main.clone()],
            Site {
                lib: main.id(),
                pos: 0,
            },
            &Host::new(),
        )
        .err();
        assert_eq!(
            err,
            Some(ProgramError::UnsupportedIsa {
                lib: main.id(),
                isa: "ZKFIELD".into()
            })
        );
    }

    #[test]
    fn translations_are_cached_by_library_id() {
        let main = lib(vec![0x08], vec![], vec![]);
        let host = Host::new();
        let site = Site {
            lib: main.id(),
            pos: 0,
        };
        let a = Program::new([main.clone()], site, &host).unwrap();
        let b = Program::new([main.clone()], site, &host).unwrap();
        assert_eq!(host.cached(), 1);
        assert!(Arc::ptr_eq(&a.codes[0], &b.codes[0]));
    }

    #[test]
    fn block_costs_sum_to_the_next_terminator() {
        // nop; nop; stop; nop
        let main = lib(vec![0x09, 0x09, 0x08, 0x09], vec![], vec![]);
        let p = Program::new(
            [main.clone()],
            Site {
                lib: main.id(),
                pos: 0,
            },
            &Host::new(),
        )
        .unwrap();
        let costs: Vec<u64> = p.codes[0].slots.iter().map(|s| s.block_cost).collect();
        // The last nop runs into the zero-extension: fail costs 1.
        assert_eq!(costs, [3, 2, 1, 2]);
    }
}
