//! The RV32 benchmark workload (`crates/rv32/tests/fixtures/bench.c`: a
//! PRNG, a sieve, a matrix multiply, a CRC-32 and division, about 10^8
//! RV32IM instructions) and the engines that run it: avm-rv32, ckb-vm's
//! Rust interpreter (on the same rv32im ELF) and its x86-64 assembly
//! interpreter (64-bit only, so on the rv64im build), and PolkaVM's
//! interpreter (on the rv32em build, relinked by polkavm-linker). Every
//! engine returns the workload's checksum so the benchmark can check it.

use std::sync::Arc;

use avm_rv32::{Config, ElfLimits, ExitOnly, Gas, Machine, Program};
use ckb_vm::machine::asm::{AsmCoreMachine, AsmMachine};
use ckb_vm::machine::VERSION2;
use ckb_vm::{
    registers::A0, Bytes, CoreMachine, DefaultCoreMachine, DefaultMachineBuilder,
    DefaultMachineRunner, SparseMemory, SupportMachine, TraceMachine, WXorXMemory, ISA_IMC,
};

/// The rv32im build, for avm and ckb-vm's Rust interpreter.
pub const ELF32: &[u8] = include_bytes!("../../rv32/tests/fixtures/bench.elf");
/// The rv64im build, for ckb-vm's assembly interpreter.
pub const ELF64: &[u8] = include_bytes!("../../rv32/tests/fixtures/bench64.elf");
/// The rv32em build with PolkaVM's export tables, for polkavm-linker.
pub const ELF_POLKAVM: &[u8] = include_bytes!("../../rv32/tests/fixtures/bench-polkavm.elf");
/// The rounds the ELFs are built with (`ROUNDS` in `bench.c`).
pub const ROUNDS: u32 = 600;
/// The checksum every build returns (the native build's, in
/// `crates/rv32/tests/fixtures/expected.txt`).
pub const EXPECTED: u32 = 224_987_482;

/// Parses and pre-decodes the rv32im build for avm.
pub fn avm_program() -> Arc<Program> {
    Arc::new(Program::from_elf(ELF32, &ElfLimits::default()).expect("bench.elf loads"))
}

/// Runs the workload on avm-rv32 with `gas` and returns the checksum.
pub fn avm(program: &Arc<Program>, gas: Gas) -> u32 {
    let mut machine =
        Machine::new(Arc::clone(program), &Config::default()).expect("bench.elf lays out");
    machine
        .run(&mut ExitOnly, gas)
        .expect("bench.elf exits")
        .code
}

/// One cycle per instruction: with it, ckb-vm's cycle count is the
/// dynamic instruction count.
fn one_cycle(_: ckb_vm::Instruction) -> u64 {
    1
}

/// Runs the rv32im build on ckb-vm's Rust interpreter (`TraceMachine`, its
/// fastest Rust mode, with 32-bit registers and W^X memory) and returns
/// the checksum and the instructions executed.
pub fn ckb_rust() -> (u32, u64) {
    let core =
        DefaultCoreMachine::<u32, WXorXMemory<SparseMemory<u32>>>::new(ISA_IMC, VERSION2, u64::MAX);
    let machine = DefaultMachineBuilder::new(core)
        .instruction_cycle_func(Box::new(one_cycle))
        .build();
    let mut machine = TraceMachine::new(machine);
    machine
        .load_program(&Bytes::from_static(ELF32), [].into_iter())
        .expect("ckb-vm loads bench.elf");
    machine.run().expect("ckb-vm runs bench.elf");
    let code = machine.machine.registers()[A0];
    (code, machine.machine.cycles())
}

/// Runs the rv64im build on ckb-vm's assembly interpreter and returns the
/// checksum (a0 truncated to 32 bits) and the instructions executed.
pub fn ckb_asm() -> (u32, u64) {
    let core = <Box<AsmCoreMachine> as SupportMachine>::new(ISA_IMC, VERSION2, u64::MAX);
    let machine = DefaultMachineBuilder::new(core)
        .instruction_cycle_func(Box::new(one_cycle))
        .build();
    let mut machine = AsmMachine::new(machine);
    machine
        .load_program(&Bytes::from_static(ELF64), [].into_iter())
        .expect("ckb-vm loads bench64.elf");
    machine.run().expect("ckb-vm runs bench64.elf");
    let code = machine.machine.registers()[A0] as u32;
    (code, machine.machine.cycles())
}

/// The rv32em build linked into a PolkaVM module, on its interpreter.
pub struct PolkaVm {
    module: polkavm::Module,
    gas: bool,
}

impl PolkaVm {
    /// Links `bench-polkavm.elf` with polkavm-linker and compiles it for
    /// the interpreter backend, with gas metering (synchronous, PolkaVM's
    /// per-basic-block kind) if `gas`.
    pub fn new(gas: bool) -> PolkaVm {
        let blob = polkavm_linker::program_from_elf(
            polkavm_linker::Config::default(),
            polkavm_linker::TargetInstructionSet::Latest,
            ELF_POLKAVM,
        )
        .expect("polkavm-linker links bench-polkavm.elf");
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

    /// Instantiates the module and calls `main`; returns the checksum.
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

/// Each test runs 10^8 instructions: `cargo test --release -p avm-bench`.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(debug_assertions, ignore = "10^8 instructions: run with --release")]
    fn avm_computes_the_checksum() {
        assert_eq!(avm(&avm_program(), Gas::MAX), EXPECTED);
    }

    #[test]
    #[cfg_attr(debug_assertions, ignore = "10^8 instructions: run with --release")]
    fn ckb_vm_computes_the_checksum() {
        let (code, instructions) = ckb_rust();
        assert_eq!(code, EXPECTED);
        assert!(instructions > 90_000_000, "{instructions}");
        assert_eq!(ckb_asm().0, EXPECTED);
    }

    #[test]
    #[cfg_attr(debug_assertions, ignore = "10^8 instructions: run with --release")]
    fn polkavm_computes_the_checksum() {
        assert_eq!(PolkaVm::new(true).run(), EXPECTED);
        assert_eq!(PolkaVm::new(false).run(), EXPECTED);
    }
}
