/* avm's riscv-tests environment: the interface of the standard `p`
   environment (RVTEST_* macros, TESTNUM in gp, pass/fail through ecall
   a7 = 93, a tohost word at 0x80001000), written for avm-rv32. The reset
   code runs the machine-mode steps the standard environment runs (read
   mhartid; clear satp, mie and the delegations; open PMP region 0; set
   mtvec and mepc; mret into the test) so `avm rv32 test` exercises its CSR
   emulation on every test. `avm_trap` stands for the environment's trap
   handler: it stores TESTNUM | 1 to tohost and spins. */
#ifndef AVM_RISCV_TEST_H
#define AVM_RISCV_TEST_H

#define TESTNUM gp

#define RVTEST_RV32U
#define RVTEST_RV64U

#define RVTEST_CODE_BEGIN                 \
    .section .text.init, "ax";            \
    .globl _start;                        \
_start:                                   \
    csrr a0, mhartid;                     \
99: bnez a0, 99b;                         \
    csrwi satp, 0;                        \
    li t0, -1;                            \
    csrw pmpaddr0, t0;                    \
    li t0, 0x1f;                          \
    csrw pmpcfg0, t0;                     \
    csrwi mie, 0;                         \
    csrwi medeleg, 0;                     \
    csrwi mideleg, 0;                     \
    la t0, avm_trap;                      \
    csrw mtvec, t0;                       \
    csrwi mstatus, 0;                     \
    li TESTNUM, 0;                        \
    la t0, avm_test;                      \
    csrw mepc, t0;                        \
    mret;                                 \
avm_trap:                                 \
    ori TESTNUM, TESTNUM, 1;              \
    la t5, tohost;                        \
    sw TESTNUM, 0(t5);                    \
    sw zero, 4(t5);                       \
98: j 98b;                                \
    .section .text, "ax";                 \
avm_test:

#define RVTEST_CODE_END unimp

#define RVTEST_PASS                       \
    fence;                                \
    li TESTNUM, 1;                        \
    li a7, 93;                            \
    li a0, 0;                             \
    ecall

#define RVTEST_FAIL                       \
    fence;                                \
97: beqz TESTNUM, 97b;                    \
    slli TESTNUM, TESTNUM, 1;             \
    ori TESTNUM, TESTNUM, 1;              \
    li a7, 93;                            \
    mv a0, TESTNUM;                       \
    ecall

#define RVTEST_DATA_BEGIN                 \
    .pushsection .tohost, "aw", @progbits; \
    .align 3; .globl tohost; tohost: .word 0, 0; \
    .popsection;                          \
    .align 4; .globl begin_signature; begin_signature:

#define RVTEST_DATA_END .align 4; .globl end_signature; end_signature:

#endif
