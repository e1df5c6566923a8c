//! RV32A on one hart: LR/SC and AMOs.

mod common;
use avm_rv32::FaultCause;
use common::*;

fn amo_case(funct5: u32, old: u32, src: u32) -> (u32, u32) {
    let mut code = li(T0, DATA).to_vec();
    code.extend(li(T1, old));
    code.push(sw(T1, T0, 0));
    code.extend(li(T2, src));
    code.extend([amo(funct5, A1, T0, T2), lw(A2, T0, 0)]);
    let m = run(&code);
    (m.reg(A1), m.reg(A2))
}

#[test]
fn amos_return_the_old_value_and_store_the_new() {
    assert_eq!(amo_case(0x01, 5, 9), (5, 9)); // swap
    assert_eq!(amo_case(0x00, 5, 9), (5, 14)); // add
    assert_eq!(amo_case(0x00, 0xffff_ffff, 2), (0xffff_ffff, 1));
    assert_eq!(amo_case(0x04, 0b1100, 0b1010), (0b1100, 0b0110)); // xor
    assert_eq!(amo_case(0x0c, 0b1100, 0b1010), (0b1100, 0b1000)); // and
    assert_eq!(amo_case(0x08, 0b1100, 0b1010), (0b1100, 0b1110)); // or
    assert_eq!(amo_case(0x10, 0xffff_ffff, 1), (0xffff_ffff, 0xffff_ffff)); // min (signed)
    assert_eq!(amo_case(0x14, 0xffff_ffff, 1), (0xffff_ffff, 1)); // max
    assert_eq!(amo_case(0x18, 0xffff_ffff, 1), (0xffff_ffff, 1)); // minu
    assert_eq!(amo_case(0x1c, 0xffff_ffff, 1), (0xffff_ffff, 0xffff_ffff)); // maxu
}

#[test]
fn lr_sc_succeeds_once_then_fails() {
    let mut code = li(T0, DATA).to_vec();
    code.extend([
        addi(T1, ZERO, 77),
        lr_w(A1, T0),
        sc_w(A2, T0, T1),
        sc_w(A3, T0, T1),
        lw(T2, T0, 0),
    ]);
    let m = run(&code);
    assert_eq!(m.reg(A1), 0);
    assert_eq!(m.reg(A2), 0, "sc after lr succeeds");
    assert_eq!(m.reg(A3), 1, "the reservation is used up");
    assert_eq!(m.reg(T2), 77);
}

#[test]
fn sc_without_reservation_fails_and_stores_nothing() {
    let mut code = li(T0, DATA).to_vec();
    code.extend([addi(T1, ZERO, 77), sc_w(A2, T0, T1), lw(T2, T0, 0)]);
    let m = run(&code);
    assert_eq!((m.reg(A2), m.reg(T2)), (1, 0));
}

#[test]
fn sc_to_another_address_fails() {
    let mut code = li(T0, DATA).to_vec();
    code.extend([
        addi(A0, T0, 4),
        addi(T1, ZERO, 77),
        lr_w(A1, T0),
        sc_w(A2, A0, T1),
    ]);
    assert_eq!(run(&code).reg(A2), 1);
}

#[test]
fn misaligned_atomics_fault() {
    for word in [lr_w(A1, T0), sc_w(A1, T0, T1), amo(0x00, A1, T0, T1)] {
        let mut code = li(T0, DATA + 2).to_vec();
        code.push(word);
        let f = fault(&code);
        assert_eq!(f.cause, FaultCause::MisalignedAtomic { addr: DATA + 2 });
        assert_eq!(f.pc, TEXT + 8);
    }
}

#[test]
fn amo_on_read_only_memory_is_a_store_fault() {
    let mut code = li(T0, RODATA).to_vec();
    code.push(amo(0x00, A1, T0, T1));
    assert_eq!(fault(&code).cause, FaultCause::StoreAccess { addr: RODATA });
}
