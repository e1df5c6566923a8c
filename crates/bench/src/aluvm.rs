//! The same workloads on the `aluvm` crates, for side-by-side ratios:
//! `aluvm` 0.11.0-beta.9 (the rich ISA) and `aluvm` 0.12 with `zk-aluvm`
//! (the field-arithmetic ISA).
//!
//! Notes from building these (see the issue notes for details):
//! - 0.11 counts every taken jump in a 16-bit cy0 and has no way to raise
//!   the limit, so one run sums at most 1..=65536.
//! - 0.11's `inc`/`dec` panics in release builds (the step is resized only
//!   inside a `debug_assert!`), so the loop adds a register holding 1.
//! - 0.11's `aluasm!` hard-codes `::aluvm`, which names 0.12 here, so the
//!   programs are built from `Instr` values.

/// aluvm 0.11.0-beta.9: sum 1..=n in a64 registers.
pub mod v011 {
    use aluvm011::data::MaybeNumber;
    use aluvm011::isa::{ArithmeticOp, CmpOp, ControlFlowOp, Instr, IntFlags, PutOp, SignFlag};
    use aluvm011::library::{Lib, LibSite};
    use aluvm011::reg::{Reg32, RegA};
    use aluvm011::Vm;

    /// Largest n one run can sum (the loop takes n - 1 jumps).
    pub const MAX_N: u64 = 65_536;

    fn put_a64(idx: Reg32, val: u64) -> Instr {
        Instr::Put(PutOp::PutA(
            RegA::A64,
            idx,
            Box::new(MaybeNumber::from(val)),
        ))
    }

    /// The library: `a64[0]` = sum, `a64[1]` = i, `a64[2]` = n + 1, `a64[3]` = 1;
    /// the loop is `add.uc; add.uc; lt.u; jif`, 4 instructions per iteration.
    pub fn program(n: u64) -> Lib {
        let n = n.clamp(1, MAX_N);
        let prologue = vec![
            put_a64(Reg32::Reg0, 0),
            put_a64(Reg32::Reg1, 1),
            put_a64(Reg32::Reg2, n + 1),
            put_a64(Reg32::Reg3, 1),
        ];
        let start = Lib::assemble(&prologue)
            .expect("assembles")
            .code_segment()
            .len() as u16;
        let unsigned = IntFlags {
            signed: false,
            wrap: false,
        };
        let mut code = prologue;
        code.extend([
            Instr::Arithmetic(ArithmeticOp::AddA(
                unsigned,
                RegA::A64,
                Reg32::Reg1,
                Reg32::Reg0,
            )),
            Instr::Arithmetic(ArithmeticOp::AddA(
                unsigned,
                RegA::A64,
                Reg32::Reg3,
                Reg32::Reg1,
            )),
            Instr::Cmp(CmpOp::LtA(
                SignFlag::Unsigned,
                RegA::A64,
                Reg32::Reg1,
                Reg32::Reg2,
            )),
            Instr::ControlFlow(ControlFlowOp::Jif(start)),
        ]);
        Lib::assemble(&code).expect("assembles")
    }

    /// Instructions one run executes.
    pub fn instructions(n: u64) -> u64 {
        4 + 4 * n
    }

    /// Runs on a fresh VM (cy0 cannot be reset) and returns the sum.
    pub fn run(lib: &Lib) -> Option<u64> {
        let id = lib.id();
        let mut vm = Vm::<Instr>::new();
        vm.exec(LibSite::with(0, id), |i| (i == id).then_some(lib), &());
        vm.registers.a64(Reg32::Reg0)
    }
}

/// aluvm 0.12 with zk-aluvm: sum 1..=n in field elements.
pub mod v012 {
    use aluvm::isa::CtrlInstr;
    use aluvm::{CoreExt, Lib, LibId, LibSite, Vm};
    use zkaluvm::gfa::{ConstVal, FieldInstr, Instr};
    use zkaluvm::{fe256, RegE};

    /// The VM type.
    pub type ZkVm = Vm<Instr<LibId>>;

    /// The library: E1 = 1, E2 = sum, E3 = i, E4 = n; the loop is
    /// `add; add; eq; jif CO` (which jumps while CO is Fail), 4 per iteration.
    pub fn program(n: u64) -> Lib {
        let prologue: Vec<Instr<LibId>> = vec![
            FieldInstr::PutV {
                dst: RegE::E1,
                val: ConstVal::Val1,
            }
            .into(),
            FieldInstr::PutZ { dst: RegE::E2 }.into(),
            FieldInstr::PutZ { dst: RegE::E3 }.into(),
            FieldInstr::PutD {
                dst: RegE::E4,
                data: fe256::from(n.max(1)),
            }
            .into(),
        ];
        let start = Lib::assemble(&prologue).expect("assembles").code.len() as u16;
        let mut code = prologue;
        code.extend::<[Instr<LibId>; 4]>([
            FieldInstr::Add {
                dst_src: RegE::E3,
                src: RegE::E1,
            }
            .into(),
            FieldInstr::Add {
                dst_src: RegE::E2,
                src: RegE::E3,
            }
            .into(),
            FieldInstr::Eq {
                src1: RegE::E3,
                src2: RegE::E4,
            }
            .into(),
            CtrlInstr::JiOvfl { pos: start }.into(),
        ]);
        Lib::assemble(&code).expect("assembles")
    }

    /// Instructions one run executes.
    pub fn instructions(n: u64) -> u64 {
        4 + 4 * n
    }

    /// Runs on a fresh VM and returns the low 64 bits of the sum.
    pub fn run(lib: &Lib) -> Option<u64> {
        let id = lib.lib_id();
        let mut vm = ZkVm::new();
        vm.exec(LibSite::new(id, 0), &(), |i| (i == id).then_some(lib));
        vm.core.cx.get(RegE::E2).map(|v| v.to_u256().low_u64())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_aluvm_versions_sum_correctly() {
        assert_eq!(super::v011::run(&super::v011::program(100)), Some(5050));
        assert_eq!(super::v012::run(&super::v012::program(100)), Some(5050));
    }
}
