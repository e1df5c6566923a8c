//! The RV32 benchmark workloads and the engines that run them: avm-rv32,
//! ckb-vm's Rust interpreter (on the same rv32im ELF) and its x86-64
//! assembly interpreter (64-bit only, so on an rv64im build), PolkaVM's
//! interpreter (on an rv32em build, relinked by polkavm-linker) and the same
//! C compiled natively (`build.rs`), the baseline of the ratios.
//!
//! Two workloads (see [`WORKLOADS`]): [`BENCH`]
//! (`crates/rv32/tests/fixtures/bench.c`: a PRNG, a sieve, a matrix
//! multiply, a CRC-32 and division; about 10^8 RV32IM instructions) and
//! [`REFERENCE`] (`checksum.c`'s `work()` loop, division-bound, the kind of
//! loop behind the reference figures; about 6.5 * 10^7). Every engine returns the workload's checksum so the
//! benchmark can check it.

use std::hint::black_box;
use std::sync::Arc;

use avm_rv32::{Config, ElfLimits, ExitOnly, Gas, Machine, Program};
use ckb_vm::machine::asm::{AsmCoreMachine, AsmMachine};
use ckb_vm::machine::VERSION2;
use ckb_vm::{
    registers::A0, Bytes, CoreMachine, DefaultCoreMachine, DefaultMachineBuilder,
    DefaultMachineRunner, SparseMemory, SupportMachine, TraceMachine, WXorXMemory, ISA_IMC,
};

use crate::rv32_native;

/// One benchmark workload: the same C source built for every engine.
#[derive(Debug)]
pub struct Workload {
    /// The workload's name, also its criterion group (`rv32`, `rv32_reference`).
    pub name: &'static str,
    /// The rv32im build, for avm and ckb-vm's Rust interpreter.
    pub elf32: &'static [u8],
    /// The rv64im build, for ckb-vm's assembly interpreter.
    pub elf64: &'static [u8],
    /// The rv32em build with PolkaVM's export tables, for polkavm-linker.
    pub elf_polkavm: &'static [u8],
    /// The same C compiled natively; takes [`Workload::param`].
    pub native: fn(u32) -> u32,
    /// The size the ELFs are built with (`ROUNDS` in `bench.c`, `N_ITER`
    /// in `checksum.c`), passed to [`Workload::native`].
    pub param: u32,
    /// The checksum every build returns (the native build's, in
    /// `crates/rv32/tests/fixtures/expected.txt`).
    pub expected: u32,
    /// avm's gas limit: above the run's use, so a guest that runs away
    /// stops, with room for changes to the gas schedule.
    pub gas: Gas,
}

/// `bench.c`: a PRNG, a sieve, a 16x16 matrix multiply, a bitwise CRC-32
/// and 32-bit division, 600 rounds. avm uses about 1.55 * 10^8 gas.
pub const BENCH: Workload = Workload {
    name: "rv32",
    elf32: include_bytes!("../../rv32/tests/fixtures/bench.elf"),
    elf64: include_bytes!("../../rv32/tests/fixtures/bench64.elf"),
    elf_polkavm: include_bytes!("../../rv32/tests/fixtures/bench-polkavm.elf"),
    native: rv32_native::bench,
    param: 600,
    expected: 224_987_482,
    gas: 500_000_000,
};

/// `checksum.c`'s `work()` at 2.5 million iterations (`work.elf`): an LCG
/// step, unsigned division by a varying divisor and by 97, signed division
/// and remainder by constants and a 64-bit multiply-accumulate (through
/// libgcc on rv32) per iteration: about 6.5 * 10^7 RV32IM instructions,
/// 1.58 * 10^8 avm gas.
pub const REFERENCE: Workload = Workload {
    name: "rv32_reference",
    elf32: include_bytes!("../../rv32/tests/fixtures/work.elf"),
    elf64: include_bytes!("../../rv32/tests/fixtures/work64.elf"),
    elf_polkavm: include_bytes!("../../rv32/tests/fixtures/work-polkavm.elf"),
    native: rv32_native::work,
    param: 2_500_000,
    expected: 4_065_286_098,
    gas: 500_000_000,
};

/// Every workload, in the order the benchmark runs them.
pub const WORKLOADS: [&Workload; 2] = [&BENCH, &REFERENCE];

/// Parses and pre-decodes the workload's rv32im build for avm.
pub fn avm_program(workload: &Workload) -> Arc<Program> {
    let program = Program::from_elf(workload.elf32, &ElfLimits::default());
    Arc::new(program.unwrap_or_else(|e| panic!("{}: avm loads the ELF: {e}", workload.name)))
}

/// Runs a program on avm-rv32 with `gas` and returns the checksum; panics
/// if it does not exit within `gas`.
pub fn avm(program: &Arc<Program>, gas: Gas) -> u32 {
    let mut machine = Machine::new(Arc::clone(program), &Config::default()).expect("ELF lays out");
    let exit = machine.run(&mut ExitOnly, gas).expect("ELF exits");
    exit.code
}

/// One cycle per instruction: with it, ckb-vm's cycle count is the
/// dynamic instruction count.
fn one_cycle(_: ckb_vm::Instruction) -> u64 {
    1
}

/// Runs the rv32im build on ckb-vm's Rust interpreter (`TraceMachine`, its
/// fastest Rust mode, with 32-bit registers and W^X memory) and returns
/// the checksum and the instructions executed.
pub fn ckb_rust(workload: &Workload) -> (u32, u64) {
    let core =
        DefaultCoreMachine::<u32, WXorXMemory<SparseMemory<u32>>>::new(ISA_IMC, VERSION2, u64::MAX);
    let machine = DefaultMachineBuilder::new(core)
        .instruction_cycle_func(Box::new(one_cycle))
        .build();
    let mut machine = TraceMachine::new(machine);
    let name = workload.name;
    machine
        .load_program(&Bytes::from_static(workload.elf32), [].into_iter())
        .unwrap_or_else(|e| panic!("{name}: ckb-vm loads the rv32 ELF: {e:?}"));
    machine
        .run()
        .unwrap_or_else(|e| panic!("{name}: ckb-vm runs the rv32 ELF: {e:?}"));
    let code = machine.machine.registers()[A0];
    (code, machine.machine.cycles())
}

/// Runs the rv64im build on ckb-vm's assembly interpreter and returns the
/// checksum (a0 truncated to 32 bits) and the instructions executed.
pub fn ckb_asm(workload: &Workload) -> (u32, u64) {
    let core = <Box<AsmCoreMachine> as SupportMachine>::new(ISA_IMC, VERSION2, u64::MAX);
    let machine = DefaultMachineBuilder::new(core)
        .instruction_cycle_func(Box::new(one_cycle))
        .build();
    let mut machine = AsmMachine::new(machine);
    let name = workload.name;
    machine
        .load_program(&Bytes::from_static(workload.elf64), [].into_iter())
        .unwrap_or_else(|e| panic!("{name}: ckb-vm loads the rv64 ELF: {e:?}"));
    machine
        .run()
        .unwrap_or_else(|e| panic!("{name}: ckb-vm runs the rv64 ELF: {e:?}"));
    let code = machine.machine.registers()[A0] as u32;
    (code, machine.machine.cycles())
}

/// A workload's rv32em build linked into a PolkaVM module, on its interpreter.
pub struct PolkaVm {
    module: polkavm::Module,
    gas: bool,
}

impl PolkaVm {
    /// Links the workload's PolkaVM ELF with polkavm-linker and compiles it
    /// for the interpreter backend, with gas metering (synchronous,
    /// PolkaVM's per-basic-block kind) if `gas`.
    pub fn new(workload: &Workload, gas: bool) -> PolkaVm {
        let blob = polkavm_linker::program_from_elf(
            polkavm_linker::Config::default(),
            polkavm_linker::TargetInstructionSet::Latest,
            workload.elf_polkavm,
        )
        .unwrap_or_else(|e| panic!("{}: polkavm-linker links the ELF: {e}", workload.name));
        let mut config = polkavm::Config::new();
        config.set_backend(Some(polkavm::BackendKind::Interpreter));
        let engine = polkavm::Engine::new(&config).expect("PolkaVM engine");
        let mut module_config = polkavm::ModuleConfig::new();
        if gas {
            module_config.set_gas_metering(Some(polkavm::GasMeteringKind::Sync));
        }
        let module =
            polkavm::Module::new(&engine, &module_config, blob.into()).expect("PolkaVM module");
        PolkaVm { module, gas }
    }

    /// Instantiates the module (fresh memory) and calls `main`; returns the
    /// checksum.
    pub fn run(&self) -> u32 {
        let linker = polkavm::Linker::<(), core::convert::Infallible>::new();
        let mut instance = linker
            .instantiate_pre(&self.module)
            .and_then(|pre| pre.instantiate())
            .expect("PolkaVM instance");
        if self.gas {
            instance.set_gas(i64::MAX);
        }
        instance
            .call_typed_and_get_result::<u32, ()>(&mut (), "main", ())
            .expect("PolkaVM runs main")
    }
}

/// A workload made ready for every engine (parsed, linked), so that a run
/// times only loading and executing, as each engine does per call.
pub struct Engines {
    workload: &'static Workload,
    program: Arc<Program>,
    polkavm_gas: PolkaVm,
    polkavm: PolkaVm,
}

/// One engine's run of a workload, returning the checksum.
pub type Run<'a> = Box<dyn Fn() -> u32 + 'a>;

impl Engines {
    /// Prepares `workload` for every engine.
    pub fn new(workload: &'static Workload) -> Engines {
        Engines {
            workload,
            program: avm_program(workload),
            polkavm_gas: PolkaVm::new(workload, true),
            polkavm: PolkaVm::new(workload, false),
        }
    }

    /// The workload.
    pub fn workload(&self) -> &'static Workload {
        self.workload
    }

    /// Every engine by name, native first (the baseline of the ratios).
    pub fn list(&self) -> Vec<(&'static str, Run<'_>)> {
        let w = self.workload;
        vec![
            ("native", Box::new(move || (w.native)(black_box(w.param)))),
            ("avm_gas", Box::new(move || avm(&self.program, w.gas))),
            ("polkavm_interp_gas", Box::new(|| self.polkavm_gas.run())),
            ("polkavm_interp", Box::new(|| self.polkavm.run())),
            ("ckb_vm_asm_rv64", Box::new(move || ckb_asm(w).0)),
            ("ckb_vm_rust_trace", Box::new(move || ckb_rust(w).0)),
        ]
    }

    /// Runs every engine once and panics, naming the workload and engine,
    /// unless each returns the native checksum and that is
    /// [`Workload::expected`].
    pub fn check(&self) {
        let engines = self.list();
        let name = self.workload.name;
        let native = (engines[0].1)();
        assert_eq!(native, self.workload.expected, "{name}: native");
        for (engine, run) in &engines[1..] {
            assert_eq!(run(), native, "{name}: {engine}");
        }
    }
}

/// Each workload runs about 10^8 instructions per engine: `cargo test --release
/// -p avm-bench`.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(debug_assertions, ignore = "10^8 instructions: run with --release")]
    fn every_engine_computes_each_checksum() {
        for workload in WORKLOADS {
            Engines::new(workload).check();
        }
    }

    #[test]
    #[cfg_attr(debug_assertions, ignore = "10^8 instructions: run with --release")]
    fn the_workloads_are_the_size_they_claim_and_fit_avms_gas() {
        for workload in WORKLOADS {
            let (code, instructions) = ckb_rust(workload);
            assert_eq!(code, workload.expected, "{}", workload.name);
            assert!(
                (50_000_000..200_000_000).contains(&instructions),
                "{}: {instructions}",
                workload.name
            );
            let code = avm(&avm_program(workload), workload.gas);
            assert_eq!(code, workload.expected, "{}", workload.name);
        }
    }

    #[test]
    fn the_workloads_have_distinct_names_and_builds() {
        let [a, b] = WORKLOADS;
        assert_ne!(a.name, b.name);
        assert_ne!(a.elf32, b.elf32);
        assert_ne!(a.elf64, b.elf64);
        assert_ne!(a.elf_polkavm, b.elf_polkavm);
    }
}
