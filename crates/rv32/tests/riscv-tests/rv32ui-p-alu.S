# RV32I register-register and register-immediate operations, lui and
# auipc: sign extension of immediates, shifts by 0, 31 and by register
# values above 31 (only the low five bits count), signed versus unsigned
# comparison, x0 as destination and source, destination equal to source.
#include "riscv_test.h"
#include "test_macros.h"
RVTEST_RV32U
RVTEST_CODE_BEGIN
    TEST_RR(1, add, 0x00000000, 0xffffffff, 0x00000001)
    TEST_RR(2, add, 0x80000000, 0x7fffffff, 0x00000001)
    TEST_RR(3, sub, 0xffffffff, 0x00000000, 0x00000001)
    TEST_RR(4, sub, 0x7fffffff, 0x80000000, 0x00000001)
    TEST_RR(5, xor, 0x0ff00ff0, 0xff00ff00, 0xf0f0f0f0)
    TEST_RR(6, or,  0xfff0fff0, 0xff00ff00, 0xf0f0f0f0)
    TEST_RR(7, and, 0xf000f000, 0xff00ff00, 0xf0f0f0f0)
    TEST_RR(8, slt, 1, 0x80000000, 0x7fffffff)
    TEST_RR(9, slt, 0, 0x7fffffff, 0x80000000)
    TEST_RR(10, slt, 0, 5, 5)
    TEST_RR(11, sltu, 0, 0x80000000, 0x7fffffff)
    TEST_RR(12, sltu, 1, 0, 0xffffffff)
    TEST_RR(13, sll, 0x80000000, 1, 31)
    TEST_RR(14, sll, 0x00000001, 1, 32)
    TEST_RR(15, sll, 0x00000002, 1, 33)
    TEST_RR(16, sll, 0x80000000, 1, 0xffffffff)
    TEST_RR(17, srl, 0x00000001, 0x80000000, 31)
    TEST_RR(18, srl, 0x80000000, 0x80000000, 0xffffffe0)
    TEST_RR(19, srl, 0x40000000, 0x80000000, 0x21)
    TEST_RR(20, sra, 0xffffffff, 0x80000000, 31)
    TEST_RR(21, sra, 0xffffffff, 0x80000000, 63)
    TEST_RR(22, sra, 0xc0000000, 0x80000000, 0x41)
    TEST_RR(23, sra, 0x3fffffff, 0x7fffffff, 1)
    TEST_RI(24, addi, 0xffffffff, 0, -1)
    TEST_RI(25, addi, 0x000007ff, 0, 2047)
    TEST_RI(26, addi, 0xfffff800, 0, -2048)
    TEST_RI(27, addi, 0x80000000, 0x7fffffff, 1)
    TEST_RI(28, slti, 1, 0xffffffff, 0)
    TEST_RI(29, slti, 0, 0, -1)
    TEST_RI(30, sltiu, 1, 5, -1)
    TEST_RI(31, sltiu, 0, 0xffffffff, -1)
    TEST_RI(32, sltiu, 1, 0, 1)
    TEST_RI(33, xori, 0xfffff0f0, 0x00000f0f, -1)
    TEST_RI(34, xori, 0x000008f0, 0x00000f0f, 0x7ff)
    TEST_RI(35, ori,  0xffffff0f, 0x00000f0f, -241)
    TEST_RI(36, andi, 0x00000f0f, 0x00000f0f, -1)
    TEST_RI(37, andi, 0x00000000, 0xfffff0f0, 0x70f)
    TEST_RI(38, slli, 0x80000000, 0x00000003, 31)
    TEST_RI(39, slli, 0x00000003, 0x00000003, 0)
    TEST_RI(40, srli, 0x00000001, 0x80000000, 31)
    TEST_RI(41, srli, 0x80000000, 0x80000000, 0)
    TEST_RI(42, srai, 0xffffffff, 0x80000000, 31)
    TEST_RI(43, srai, 0x00000000, 0x7fffffff, 31)
    TEST_RI(44, srai, 0xf8000000, 0x80000000, 4)
    TEST_RR_SRC1_EQ_DEST(45, add, 24, 13, 11)
    TEST_RR_SRC12_EQ_DEST(46, sub, 0, 0x12345678)
    TEST_RR_SRC12_EQ_DEST(47, sll, 0x00000380, 7)
    TEST_RR_ZERO_DEST(48, add, 1, 2)
    TEST_RR_ZERO_DEST(49, sra, 0x80000000, 1)
    TEST_RI_ZERO_DEST(50, addi, 5, 7)
    TEST_RR_ZERO_SRC1(51, sub, 0xfffffff9, 7)
    TEST_RR_ZERO_SRC2(52, sltu, 0, 7)
    TEST_RR_ZERO_SRC1(53, sltu, 1, 7)
    /* lui fills the upper 20 bits, auipc adds them to its own pc. */
    lui x14, 0xfffff; CHECK(54, x14, 0xfffff000)
    lui x14, 0x80000; srai x14, x14, 12; CHECK(55, x14, 0xfff80000)
    lui x0, 0x12345; CHECK(56, x0, 0)
    li TESTNUM, 57; 1: auipc x14, 0; la x15, 1b; bne x14, x15, fail
    TEST_PASSFAIL
RVTEST_CODE_END
    .data
RVTEST_DATA_BEGIN
RVTEST_DATA_END
