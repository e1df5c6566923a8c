//! The interpreter against a straightforward reference model: random
//! instruction sequences (every RV32IMA instruction, faults included) run
//! on both, and the registers, the data page and the fault must agree.
//!
//! The model executes a structured instruction (not the encoded word, so
//! the decoder is under test too) with one `match` arm of spec semantics
//! per instruction, over a sparse byte map with the machine's layout.
//! A second property cuts runs at random gas limits and resumes them.

mod common;

use std::collections::BTreeMap;

use avm_rv32::{Config, ExitOnly, Fault, FaultCause, STACK_TOP};
use common::*;
use proptest::prelude::*;

/// The register the tests keep pointing into the data page.
const BASE: u8 = 31;
const BASE_VALUE: u32 = DATA + 0x800;

#[derive(Clone, Copy, Debug)]
enum Ins {
    /// R-type: op index into `R_OPS`.
    R(usize, u8, u8, u8),
    /// I-type arithmetic: index into `I_OPS`.
    I(usize, u8, u8, i32),
    /// Shift by immediate: 0 slli, 1 srli, 2 srai.
    Shift(u8, u8, u8, u32),
    Lui(u8, u32),
    Auipc(u8, u32),
    /// Load: index into `LOADS` (lb lh lw lbu lhu).
    Load(usize, u8, u8, i32),
    /// Store: width 1, 2 or 4.
    Store(u32, u8, u8, i32),
    /// Branch: index into `BRANCHES`, rs1, rs2, byte offset (forward).
    Branch(usize, u8, u8, i32),
    Jal(u8, i32),
    Jalr(u8, u8, i32),
    /// AMO: funct5, rd, rs1, rs2.
    Amo(u32, u8, u8, u8),
    Lr(u8, u8),
    Sc(u8, u8, u8),
    Ebreak,
    Illegal(u32),
    /// Only in the exit sequence after the body.
    Ecall,
}

const R_OPS: [fn(u8, u8, u8) -> u32; 18] = [
    add, sub, sll, slt, sltu, xor, srl, sra, or, and, mul, mulh, mulhsu, mulhu, div, divu, rem,
    remu,
];
const I_OPS: [fn(u8, u8, i32) -> u32; 6] = [addi, slti, sltiu, xori, ori, andi];
const LOADS: [fn(u8, u8, i32) -> u32; 5] = [lb, lh, lw, lbu, lhu];
const BRANCHES: [fn(u8, u8, i32) -> u32; 6] = [beq, bne, blt, bge, bltu, bgeu];
const AMOS: [u32; 9] = [0x01, 0x00, 0x04, 0x0c, 0x08, 0x10, 0x14, 0x18, 0x1c];
const ILLEGAL: [u32; 3] = [0, 0xffff_ffff, 0x3402_9073];

fn encode(i: Ins) -> u32 {
    match i {
        Ins::R(op, rd, a, b) => R_OPS[op](rd, a, b),
        Ins::I(op, rd, a, imm) => I_OPS[op](rd, a, imm),
        Ins::Shift(0, rd, a, sh) => slli(rd, a, sh),
        Ins::Shift(1, rd, a, sh) => srli(rd, a, sh),
        Ins::Shift(_, rd, a, sh) => srai(rd, a, sh),
        Ins::Lui(rd, imm) => lui(rd, imm),
        Ins::Auipc(rd, imm) => auipc(rd, imm),
        Ins::Load(op, rd, base, imm) => LOADS[op](rd, base, imm),
        Ins::Store(1, v, base, imm) => sb(v, base, imm),
        Ins::Store(2, v, base, imm) => sh(v, base, imm),
        Ins::Store(_, v, base, imm) => sw(v, base, imm),
        Ins::Branch(op, a, b, off) => BRANCHES[op](a, b, off),
        Ins::Jal(rd, off) => jal(rd, off),
        Ins::Jalr(rd, a, imm) => jalr(rd, a, imm),
        Ins::Amo(f5, rd, a, b) => amo(f5, rd, a, b),
        Ins::Lr(rd, a) => lr_w(rd, a),
        Ins::Sc(rd, a, b) => sc_w(rd, a, b),
        Ins::Ebreak => EBREAK,
        Ins::Ecall => ECALL,
        Ins::Illegal(w) => w,
    }
}

fn reg() -> impl Strategy<Value = u8> {
    0u8..16
}

/// Mostly the data-page base, sometimes any register (usually a fault).
fn base() -> impl Strategy<Value = u8> {
    prop_oneof![4 => Just(BASE), 1 => reg()]
}

fn imm12() -> impl Strategy<Value = i32> {
    -2048i32..2048
}

fn ins() -> impl Strategy<Value = Ins> {
    prop_oneof![
        6 => (0..R_OPS.len(), reg(), reg(), reg()).prop_map(|(o, d, a, b)| Ins::R(o, d, a, b)),
        3 => (0..I_OPS.len(), reg(), reg(), imm12()).prop_map(|(o, d, a, i)| Ins::I(o, d, a, i)),
        2 => (0u8..3, reg(), reg(), 0u32..32).prop_map(|(o, d, a, s)| Ins::Shift(o, d, a, s)),
        1 => (reg(), 0u32..1 << 20).prop_map(|(d, i)| Ins::Lui(d, i)),
        1 => (reg(), 0u32..1 << 20).prop_map(|(d, i)| Ins::Auipc(d, i)),
        3 => (0..LOADS.len(), reg(), base(), imm12()).prop_map(|(o, d, b, i)| Ins::Load(o, d, b, i)),
        3 => (prop::sample::select(vec![1u32, 2, 4]), reg(), base(), imm12())
            .prop_map(|(w, v, b, i)| Ins::Store(w, v, b, i)),
        2 => (0..BRANCHES.len(), reg(), reg(), prop::sample::select(vec![4, 8, 12, 16, 2, 6]))
            .prop_map(|(o, a, b, off)| Ins::Branch(o, a, b, off)),
        1 => (reg(), prop::sample::select(vec![4, 8, 12, 2])).prop_map(|(d, off)| Ins::Jal(d, off)),
        1 => (reg(), reg(), imm12()).prop_map(|(d, a, i)| Ins::Jalr(d, a, i)),
        2 => (prop::sample::select(AMOS.to_vec()), reg(), base(), reg())
            .prop_map(|(f, d, a, b)| Ins::Amo(f, d, a, b)),
        1 => (reg(), base()).prop_map(|(d, a)| Ins::Lr(d, a)),
        1 => (reg(), base(), reg()).prop_map(|(d, a, b)| Ins::Sc(d, a, b)),
        1 => Just(Ins::Ebreak),
        1 => prop::sample::select(ILLEGAL.to_vec()).prop_map(Ins::Illegal),
    ]
}

/// A result or load, then a branch that tests it as its first source, its
/// second, or neither: the pairs the fast path fuses into one handler.
fn fused_pair() -> impl Strategy<Value = Vec<Ins>> {
    let first = prop_oneof![
        (0..R_OPS.len(), reg(), reg()).prop_map(|(o, a, b)| Ins::R(o, 0, a, b)),
        (0..I_OPS.len(), reg(), imm12()).prop_map(|(o, a, i)| Ins::I(o, 0, a, i)),
        (0u8..3, reg(), 0u32..32).prop_map(|(o, a, s)| Ins::Shift(o, 0, a, s)),
        (0..LOADS.len(), base(), imm12()).prop_map(|(o, b, i)| Ins::Load(o, 0, b, i)),
    ];
    let offsets = prop::sample::select(vec![4, 8, 12, 16, 2]);
    (first, reg(), 0..BRANCHES.len(), 0u8..3, reg(), offsets).prop_map(
        |(first, rd, op, side, other, off)| {
            let first = match first {
                Ins::R(o, _, a, b) => Ins::R(o, rd, a, b),
                Ins::I(o, _, a, i) => Ins::I(o, rd, a, i),
                Ins::Shift(o, _, a, s) => Ins::Shift(o, rd, a, s),
                Ins::Load(o, _, b, i) => Ins::Load(o, rd, b, i),
                other => other,
            };
            let (a, b) = match side {
                0 => (rd, other),
                1 => (other, rd),
                _ => (other, other),
            };
            vec![first, Ins::Branch(op, a, b, off)]
        },
    )
}

/// A program body: single instructions and fused pairs.
fn body() -> impl Strategy<Value = Vec<Ins>> {
    prop::collection::vec(
        prop_oneof![3 => ins().prop_map(|i| vec![i]), 1 => fused_pair()],
        1..30,
    )
    .prop_map(|parts| parts.concat())
}

/// The reference machine.
struct Model {
    x: [u32; 32],
    mem: BTreeMap<u32, u8>,
    text_end: u32,
    reservation: Option<u32>,
}

/// How a model run ended.
#[derive(Debug, PartialEq)]
enum End {
    Exit(u32),
    Fault(Fault),
    /// The model gave up (a jump back into the code made a loop).
    Spun,
}

impl Model {
    fn readable(&self, a: u32) -> bool {
        (TEXT..self.text_end.next_multiple_of(4096)).contains(&a)
            || (RODATA..RODATA + 4096).contains(&a)
            || self.writable(a)
    }
    fn writable(&self, a: u32) -> bool {
        let heap = RODATA + 4096;
        let c = Config::default();
        (DATA..DATA + 4096).contains(&a)
            || (heap..heap + c.heap_size).contains(&a)
            || (STACK_TOP - c.stack_size..STACK_TOP).contains(&a)
    }
    fn load(&self, a: u32, n: u32) -> Result<u32, u32> {
        let mut v = 0;
        for k in 0..n {
            let b = a.wrapping_add(k);
            if !self.readable(b) {
                return Err(b);
            }
            v |= (*self.mem.get(&b).unwrap_or(&0) as u32) << (8 * k);
        }
        Ok(v)
    }
    fn store(&mut self, a: u32, n: u32, v: u32) -> Result<(), u32> {
        if let Some(bad) = (0..n)
            .map(|k| a.wrapping_add(k))
            .find(|&b| !self.writable(b))
        {
            return Err(bad);
        }
        for k in 0..n {
            self.mem.insert(a.wrapping_add(k), (v >> (8 * k)) as u8);
        }
        Ok(())
    }
    fn set(&mut self, rd: u8, v: u32) {
        if rd != 0 {
            self.x[rd as usize] = v;
        }
    }

    /// Runs from `pc` over `code` (the whole text segment).
    fn run(&mut self, code: &[Ins], mut pc: u32) -> End {
        for _ in 0..10_000 {
            let idx = (pc.wrapping_sub(TEXT) / 4) as usize;
            let Some(&ins) = code.get(idx).filter(|_| pc >= TEXT) else {
                return End::Fault(Fault {
                    pc,
                    cause: FaultCause::NoCode,
                });
            };
            let fault = |cause| End::Fault(Fault { pc, cause });
            let mut next = pc.wrapping_add(4);
            macro_rules! jump {
                ($t:expr) => {{
                    let t: u32 = $t;
                    if t % 4 != 0 {
                        return fault(FaultCause::MisalignedJump { target: t });
                    }
                    if !(TEXT..self.text_end).contains(&t) {
                        return End::Fault(Fault {
                            pc: t,
                            cause: FaultCause::NoCode,
                        });
                    }
                    t
                }};
            }
            let x = self.x;
            let r = |i: u8| x[i as usize];
            match ins {
                Ins::R(op, rd, a, b) => {
                    let (a, b) = (r(a), r(b));
                    let (sa, sb) = (a as i32 as i64, b as i32 as i64);
                    let v = match op {
                        0 => a.wrapping_add(b),
                        1 => a.wrapping_sub(b),
                        2 => a << (b & 31),
                        3 => ((a as i32) < (b as i32)) as u32,
                        4 => (a < b) as u32,
                        5 => a ^ b,
                        6 => a >> (b & 31),
                        7 => ((a as i32) >> (b & 31)) as u32,
                        8 => a | b,
                        9 => a & b,
                        10 => (sa * sb) as u32,
                        11 => ((sa * sb) >> 32) as u32,
                        12 => ((sa * b as i64) >> 32) as u32,
                        13 => ((a as u64 * b as u64) >> 32) as u32,
                        14 if b == 0 => u32::MAX,
                        14 if a == 0x8000_0000 && b == u32::MAX => a,
                        14 => (sa / sb) as u32,
                        15 if b == 0 => u32::MAX,
                        15 => a / b,
                        16 if b == 0 => a,
                        16 if a == 0x8000_0000 && b == u32::MAX => 0,
                        16 => (sa % sb) as u32,
                        _ if b == 0 => a,
                        _ => a % b,
                    };
                    self.set(rd, v);
                }
                Ins::I(op, rd, a, imm) => {
                    let (a, i) = (r(a), imm as u32);
                    let v = match op {
                        0 => a.wrapping_add(i),
                        1 => ((a as i32) < imm) as u32,
                        2 => (a < i) as u32,
                        3 => a ^ i,
                        4 => a | i,
                        _ => a & i,
                    };
                    self.set(rd, v);
                }
                Ins::Shift(op, rd, a, sh) => {
                    let a = r(a);
                    let v = match op {
                        0 => a << sh,
                        1 => a >> sh,
                        _ => ((a as i32) >> sh) as u32,
                    };
                    self.set(rd, v);
                }
                Ins::Lui(rd, imm) => self.set(rd, imm << 12),
                Ins::Auipc(rd, imm) => self.set(rd, pc.wrapping_add(imm << 12)),
                Ins::Load(op, rd, b, imm) => {
                    let a = r(b).wrapping_add(imm as u32);
                    let n = [1, 2, 4, 1, 2][op];
                    let v = match self.load(a, n) {
                        Ok(v) => v,
                        Err(addr) => return fault(FaultCause::LoadAccess { addr }),
                    };
                    let v = match op {
                        0 => v as u8 as i8 as u32,
                        1 => v as u16 as i16 as u32,
                        _ => v,
                    };
                    self.set(rd, v);
                }
                Ins::Store(n, v, b, imm) => {
                    let a = r(b).wrapping_add(imm as u32);
                    if let Err(addr) = self.store(a, n, r(v)) {
                        return fault(FaultCause::StoreAccess { addr });
                    }
                }
                Ins::Branch(op, a, b, off) => {
                    let (a, b) = (r(a), r(b));
                    let taken = match op {
                        0 => a == b,
                        1 => a != b,
                        2 => (a as i32) < (b as i32),
                        3 => (a as i32) >= (b as i32),
                        4 => a < b,
                        _ => a >= b,
                    };
                    if taken {
                        next = jump!(pc.wrapping_add(off as u32));
                    }
                }
                Ins::Jal(rd, off) => {
                    next = jump!(pc.wrapping_add(off as u32));
                    self.set(rd, pc.wrapping_add(4));
                }
                Ins::Jalr(rd, a, imm) => {
                    next = jump!(r(a).wrapping_add(imm as u32) & !1);
                    self.set(rd, pc.wrapping_add(4));
                }
                Ins::Amo(f5, rd, a, b) => {
                    let addr = r(a);
                    if addr % 4 != 0 {
                        return fault(FaultCause::MisalignedAtomic { addr });
                    }
                    let old = match self.load(addr, 4) {
                        Ok(v) => v,
                        Err(addr) => return fault(FaultCause::StoreAccess { addr }),
                    };
                    let b = r(b);
                    let new = match f5 {
                        0x01 => b,
                        0x00 => old.wrapping_add(b),
                        0x04 => old ^ b,
                        0x0c => old & b,
                        0x08 => old | b,
                        0x10 => (old as i32).min(b as i32) as u32,
                        0x14 => (old as i32).max(b as i32) as u32,
                        0x18 => old.min(b),
                        _ => old.max(b),
                    };
                    if let Err(addr) = self.store(addr, 4, new) {
                        return fault(FaultCause::StoreAccess { addr });
                    }
                    self.set(rd, old);
                }
                Ins::Lr(rd, a) => {
                    let addr = r(a);
                    if addr % 4 != 0 {
                        return fault(FaultCause::MisalignedAtomic { addr });
                    }
                    match self.load(addr, 4) {
                        Ok(v) => self.set(rd, v),
                        Err(addr) => return fault(FaultCause::LoadAccess { addr }),
                    }
                    self.reservation = Some(addr);
                }
                Ins::Sc(rd, a, b) => {
                    let addr = r(a);
                    if addr % 4 != 0 {
                        return fault(FaultCause::MisalignedAtomic { addr });
                    }
                    let ok = self.reservation.take() == Some(addr);
                    if ok {
                        if let Err(addr) = self.store(addr, 4, r(b)) {
                            return fault(FaultCause::StoreAccess { addr });
                        }
                    }
                    self.set(rd, !ok as u32);
                }
                Ins::Ebreak => return fault(FaultCause::Breakpoint),
                Ins::Ecall if self.x[17] == 93 => return End::Exit(self.x[10]),
                Ins::Ecall => return fault(FaultCause::UnknownSyscall { num: self.x[17] }),
                Ins::Illegal(word) => return fault(FaultCause::IllegalInstruction { word }),
            }
            pc = next;
        }
        End::Spun
    }
}

/// `PROPTEST_CASES` if set (for a longer run), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The words that set x1..x15 and the base register, and their model.
fn prelude(init: &[u32; 15]) -> (Vec<u32>, Vec<Ins>) {
    let mut words = Vec::new();
    for (k, &v) in init.iter().enumerate() {
        words.extend(li(k as u8 + 1, v));
    }
    words.extend(li(BASE, BASE_VALUE));
    // The model starts after the prelude; its slots only need to exist.
    let model = vec![Ins::Illegal(0); words.len()];
    (words, model)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(512)))]

    #[test]
    fn interpreter_matches_the_model(
        init in prop::array::uniform15(prop_oneof![
            Just(0u32), Just(u32::MAX), Just(0x8000_0000), Just(31), Just(32),
            Just(BASE_VALUE), any::<u32>()
        ]),
        data in prop::collection::vec(any::<u8>(), 0..64),
        body in body(),
    ) {
        let (mut words, mut model_code) = prelude(&init);
        let start = TEXT + 4 * words.len() as u32;
        words.extend(body.iter().map(|&i| encode(i)));
        model_code.extend(body.iter().copied());
        // The exit sequence: `li a7, 93` and `ecall`.
        words.extend(EXIT);
        model_code.push(Ins::I(0, A7, 0, 93));
        model_code.push(Ins::Ecall);

        let mut model = Model {
            x: [0; 32],
            mem: BTreeMap::new(),
            text_end: TEXT + 4 * words.len() as u32,
            reservation: None,
        };
        for (k, w) in words.iter().enumerate() {
            for (j, b) in w.to_le_bytes().into_iter().enumerate() {
                model.mem.insert(TEXT + 4 * k as u32 + j as u32, b);
            }
        }
        for (k, &b) in data.iter().enumerate() {
            model.mem.insert(DATA + k as u32, b);
        }
        model.mem.insert(RODATA, b'r');
        model.mem.insert(RODATA + 1, b'o');
        // The machine's entry registers (sp, a0, a1), then the prelude's.
        model.x[SP as usize] = STACK_TOP;
        model.x[A0 as usize] = RODATA + 4096;
        model.x[A1 as usize] = Config::default().heap_size;
        model.x[1..16].copy_from_slice(&init);
        model.x[BASE as usize] = BASE_VALUE;
        let end = model.run(&model_code, start);
        prop_assume!(end != End::Spun);

        let mut m = machine_with(&words, &data, &Config::default());
        let got = m.run(&mut ExitOnly, 1_000_000);
        match (&end, got) {
            (End::Exit(code), Ok(exit)) => prop_assert_eq!(*code, exit.code),
            (End::Fault(f), Err(g)) => prop_assert_eq!(*f, g),
            (e, g) => prop_assert!(false, "model {:?}, machine {:?}", e, g),
        }
        for r in 1..32u8 {
            prop_assert_eq!(model.x[r as usize], m.reg(r), "x{}", r);
        }
        let mut page = vec![0u8; 4096];
        m.memory().read(DATA, &mut page).unwrap();
        let want: Vec<u8> = (0..4096).map(|k| *model.mem.get(&(DATA + k)).unwrap_or(&0)).collect();
        prop_assert_eq!(want, page);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]

    /// A run stopped by gas at any point and resumed with more ends exactly
    /// as one uninterrupted run, on the same total gas: the fast loop (whole
    /// blocks) and the general path (one instruction at a time near the
    /// limit) agree on every instruction and every charge.
    #[test]
    fn a_run_cut_by_gas_resumes_to_the_same_end(
        init in prop::array::uniform15(prop_oneof![
            Just(0u32), Just(u32::MAX), Just(BASE_VALUE), any::<u32>()
        ]),
        data in prop::collection::vec(any::<u8>(), 0..64),
        body in body(),
        cut in any::<u64>(),
    ) {
        const LIMIT: u64 = 1_000_000;
        let (mut words, _) = prelude(&init);
        words.extend(body.iter().map(|&i| encode(i)));
        words.extend(EXIT);
        let mut whole = machine_with(&words, &data, &Config::default());
        let end = whole.run(&mut ExitOnly, LIMIT).map(|exit| exit.code);
        let full = whole.gas_used();
        prop_assume!(full < LIMIT);

        let cut = cut % (full + 1);
        let mut parts = machine_with(&words, &data, &Config::default());
        let first = parts.run(&mut ExitOnly, cut);
        let mut used = parts.gas_used();
        let resumed = if cut < full {
            prop_assert_eq!(
                first.map(|exit| exit.code),
                Err(Fault { pc: parts.pc(), cause: FaultCause::OutOfGas })
            );
            prop_assert!(used <= cut);
            let second = parts.run(&mut ExitOnly, LIMIT);
            used += parts.gas_used();
            second.map(|exit| exit.code)
        } else {
            first.map(|exit| exit.code)
        };
        prop_assert_eq!(end, resumed);
        prop_assert_eq!(full, used);
        for r in 1..32u8 {
            prop_assert_eq!(whole.reg(r), parts.reg(r), "x{}", r);
        }
        let (mut a, mut b) = (vec![0u8; 4096], vec![0u8; 4096]);
        whole.memory().read(DATA, &mut a).unwrap();
        parts.memory().read(DATA, &mut b).unwrap();
        prop_assert_eq!(a, b);
    }
}
