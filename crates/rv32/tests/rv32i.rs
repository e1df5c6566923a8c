//! RV32I instruction tests with hand-encoded words.

mod common;
use common::*;

fn with(setup: &[(u8, u32)], code: &[u32]) -> avm_rv32::Machine {
    let mut all = Vec::new();
    for &(r, v) in setup {
        all.extend_from_slice(&li(r, v));
    }
    all.extend_from_slice(code);
    run(&all)
}

fn rr(op: fn(u8, u8, u8) -> u32, a: u32, b: u32) -> u32 {
    with(&[(T0, a), (T1, b)], &[op(A1, T0, T1)]).reg(A1)
}

fn ri(op: fn(u8, u8, i32) -> u32, a: u32, imm: i32) -> u32 {
    with(&[(T0, a)], &[op(A1, T0, imm)]).reg(A1)
}

#[test]
fn register_register() {
    assert_eq!(rr(add, 0xffff_ffff, 2), 1);
    assert_eq!(rr(sub, 1, 2), 0xffff_ffff);
    assert_eq!(rr(xor, 0xf0f0, 0xff00), 0x0ff0);
    assert_eq!(rr(or, 0xf0f0, 0xff00), 0xfff0);
    assert_eq!(rr(and, 0xf0f0, 0xff00), 0xf000);
    assert_eq!(rr(slt, 0xffff_ffff, 0), 1);
    assert_eq!(rr(slt, 0, 0xffff_ffff), 0);
    assert_eq!(rr(sltu, 0xffff_ffff, 0), 0);
    assert_eq!(rr(sltu, 0, 0xffff_ffff), 1);
    assert_eq!(rr(slt, 0x8000_0000, 0x7fff_ffff), 1);
}

#[test]
fn shifts_use_the_low_five_bits() {
    assert_eq!(rr(sll, 1, 31), 0x8000_0000);
    assert_eq!(rr(sll, 1, 32), 1);
    assert_eq!(rr(sll, 1, 33), 2);
    assert_eq!(rr(srl, 0x8000_0000, 31), 1);
    assert_eq!(rr(srl, 0x8000_0000, 0xffff_ffe0), 0x8000_0000);
    assert_eq!(rr(sra, 0x8000_0000, 31), 0xffff_ffff);
    assert_eq!(rr(sra, 0x8000_0000, 63), 0xffff_ffff);
    assert_eq!(rr(sra, 0x4000_0000, 30), 1);
    let sh = |op: fn(u8, u8, u32) -> u32, a, n| with(&[(T0, a)], &[op(A1, T0, n)]).reg(A1);
    assert_eq!(sh(slli, 3, 31), 0x8000_0000);
    assert_eq!(sh(srli, 0x8000_0000, 31), 1);
    assert_eq!(sh(srai, 0x8000_0000, 31), 0xffff_ffff);
    assert_eq!(sh(srai, 0x8000_0000, 0), 0x8000_0000);
}

#[test]
fn register_immediate() {
    assert_eq!(ri(addi, 5, -6), 0xffff_ffff);
    assert_eq!(ri(addi, 0, 2047), 2047);
    assert_eq!(ri(addi, 0, -2048), (-2048i32) as u32);
    assert_eq!(ri(slti, 0xffff_ffff, 0), 1);
    assert_eq!(ri(sltiu, 5, -1), 1); // the immediate is sign-extended, then compared unsigned
    assert_eq!(ri(sltiu, 0xffff_ffff, -1), 0);
    assert_eq!(ri(xori, 0x0f, -1), 0xffff_fff0);
    assert_eq!(ri(ori, 0x100, 0x0f), 0x10f);
    assert_eq!(ri(andi, 0xffff_ffff, -16), 0xffff_fff0);
}

#[test]
fn upper_immediates() {
    let m = run(&[lui(A0, 0xfffff), auipc(A1, 1), auipc(A2, 0)]);
    assert_eq!(m.reg(A0), 0xffff_f000);
    assert_eq!(m.reg(A1), TEXT + 4 + 0x1000);
    assert_eq!(m.reg(A2), TEXT + 8);
}

#[test]
fn x0_stays_zero() {
    let mut code = vec![addi(ZERO, ZERO, 5), lui(ZERO, 1), add(ZERO, ZERO, ZERO)];
    code.extend(li(T0, DATA));
    code.extend([
        lw(ZERO, T0, 0),
        jal(ZERO, 4),
        addi(A0, ZERO, 0),
        add(A1, ZERO, ZERO),
    ]);
    let m = run(&code);
    assert_eq!(m.reg(0), 0);
    assert_eq!(m.reg(A1), 0);
}

#[test]
fn loads_sign_and_zero_extend() {
    let data = [0x80, 0xff, 0x7f, 0x01, 0xfe, 0xca, 0, 0];
    let mut code = li(T0, DATA).to_vec();
    code.extend([
        lb(A0, T0, 0),
        lbu(A1, T0, 0),
        lh(A2, T0, 0),
        lhu(A3, T0, 0),
        lw(T1, T0, 0),
        lh(T2, T0, 4),
    ]);
    code.extend(EXIT);
    let mut m = machine_with(&code, &data, &Default::default());
    m.run(&mut avm_rv32::ExitOnly, 1000).unwrap();
    assert_eq!(m.reg(A0), 0xffff_ff80);
    assert_eq!(m.reg(A1), 0x80);
    assert_eq!(m.reg(A2), 0xffff_ff80);
    assert_eq!(m.reg(A3), 0xff80);
    assert_eq!(m.reg(T1), 0x017f_ff80);
    assert_eq!(m.reg(T2), 0xffff_cafe);
}

#[test]
fn stores_and_negative_offsets() {
    let mut code = li(T0, DATA + 16).to_vec();
    code.extend(li(T1, 0x1234_5678));
    code.extend([
        sw(T1, T0, -16),
        sh(T1, T0, -12),
        sb(T1, T0, -10),
        lw(A0, T0, -16),
        lw(A1, T0, -12),
    ]);
    let m = run(&code);
    assert_eq!(m.reg(A0), 0x1234_5678);
    assert_eq!(m.reg(A1), 0x0078_5678);
    let mut bytes = [0; 8];
    m.memory().read(DATA, &mut bytes).unwrap();
    assert_eq!(bytes, [0x78, 0x56, 0x34, 0x12, 0x78, 0x56, 0x78, 0]);
}

#[test]
fn misaligned_accesses_are_performed_bytewise() {
    // Within a page, and across the boundary between two pages.
    for addr in [DATA + 1, DATA + 4093, DATA + 4095] {
        let mut code = li(T0, addr).to_vec();
        code.extend(li(T1, 0xdead_beef));
        code.extend([
            sw(T1, T0, 0),
            lw(A0, T0, 0),
            lhu(A1, T0, 1),
            sh(T1, T0, 1),
            lh(A2, T0, 1),
        ]);
        let data = vec![0; 8192];
        let mut all = code.clone();
        all.extend(EXIT);
        let mut m = machine_with(&all, &data, &Default::default());
        m.run(&mut avm_rv32::ExitOnly, 10_000).unwrap();
        assert_eq!(m.reg(A0), 0xdead_beef, "at {addr:#x}");
        assert_eq!(m.reg(A1), 0xadbe);
        assert_eq!(m.reg(A2), 0xffff_beef);
    }
}

#[test]
fn branches() {
    // Each test sets a0 = 1 if the branch is taken.
    let case = |br: fn(u8, u8, i32) -> u32, a: u32, b: u32| {
        with(
            &[(T0, a), (T1, b)],
            &[
                addi(A0, ZERO, 0),
                br(T0, T1, 8),
                jal(ZERO, 8),
                addi(A0, ZERO, 1),
            ],
        )
        .reg(A0)
    };
    assert_eq!(case(beq, 3, 3), 1);
    assert_eq!(case(beq, 3, 4), 0);
    assert_eq!(case(bne, 3, 4), 1);
    assert_eq!(case(blt, 0xffff_ffff, 0), 1);
    assert_eq!(case(blt, 0, 0xffff_ffff), 0);
    assert_eq!(case(bge, 0, 0xffff_ffff), 1);
    assert_eq!(case(bge, 5, 5), 1);
    assert_eq!(case(bltu, 0, 0xffff_ffff), 1);
    assert_eq!(case(bgeu, 0xffff_ffff, 0), 1);
    assert_eq!(case(bgeu, 0, 1), 0);
}

#[test]
fn backward_branch_loop() {
    // t0 = 10; loop: a0 += t0; t0 -= 1; bnez t0, loop
    let m = run(&[
        addi(T0, ZERO, 10),
        add(A0, A0, T0),
        addi(T0, T0, -1),
        bne(T0, ZERO, -8),
    ]);
    assert_eq!(
        m.reg(A0),
        avm_rv32::Machine::new(m.program().clone(), &Default::default())
            .unwrap()
            .reg(A0)
            + 55
    );
}

#[test]
fn jal_and_jalr_link_and_jalr_clears_bit_zero() {
    // jal ra, +8 ; (skipped) ; auipc t0, 0 ; jalr t1, t0, 13 (-> t0+12, bit 0 cleared) ; skipped ; target
    let m = run(&[
        jal(RA, 8),
        addi(A0, ZERO, 99),
        auipc(T0, 0),
        jalr(T1, T0, 13),
        addi(A0, ZERO, 98),
        addi(A1, ZERO, 7),
    ]);
    assert_eq!(m.reg(RA), TEXT + 4);
    assert_eq!(m.reg(T1), TEXT + 16);
    assert_eq!(m.reg(A1), 7);
    assert_ne!(m.reg(A0), 99);
    assert_ne!(m.reg(A0), 98);
}

#[test]
fn jalr_with_rd_equal_rs1_uses_the_old_value() {
    let mut code = li(T0, TEXT + 16).to_vec(); // 0, 4
    code.extend([jalr(T0, T0, 0), addi(A0, ZERO, 1), addi(A1, ZERO, 2)]); // 8, 12, 16
    let m = run(&code);
    assert_eq!(m.reg(T0), TEXT + 12);
    assert_eq!(m.reg(A1), 2);
    assert_eq!(
        m.reg(A0),
        avm_rv32::Machine::new(m.program().clone(), &Default::default())
            .unwrap()
            .reg(A0)
    );
}

#[test]
fn fences_are_no_ops() {
    let m = run(&[FENCE, 0x0000_100f, addi(A1, ZERO, 3)]);
    assert_eq!(m.reg(A1), 3);
}

#[test]
fn initial_registers() {
    let m = machine(&EXIT);
    assert_eq!(m.reg(SP), avm_rv32::STACK_TOP);
    assert_eq!(m.reg(A0), m.heap().0);
    assert_eq!(m.reg(A1), m.heap().1);
    assert_eq!(m.pc(), TEXT);
}

#[test]
fn stack_and_heap_are_writable() {
    let m = run(&[
        addi(SP, SP, -16),
        sw(SP, SP, 0),
        lw(A2, SP, 0),
        sw(SP, A0, 0),
        lw(A3, A0, 0),
    ]);
    assert_eq!(m.reg(A2), avm_rv32::STACK_TOP - 16);
    assert_eq!(m.reg(A3), avm_rv32::STACK_TOP - 16);
}
