# RV32M: the four multiplies' low and high halves with every sign mix, and
# division by zero and signed overflow as the spec defines them (no trap:
# x / 0 = -1, x % 0 = x, MIN / -1 = MIN, MIN % -1 = 0).
#include "riscv_test.h"
#include "test_macros.h"
RVTEST_RV32U
RVTEST_CODE_BEGIN
    TEST_RR(1, mul, 42, 7, 6)
    TEST_RR(2, mul, 1, 0xffffffff, 0xffffffff)
    TEST_RR(3, mul, 0x00000000, 0x80000000, 2)
    TEST_RR(4, mulh, 0x00000000, 0xffffffff, 0xffffffff)
    TEST_RR(5, mulh, 0x40000000, 0x80000000, 0x80000000)
    TEST_RR(6, mulh, 0xffffffff, 0x80000000, 1)
    TEST_RR(7, mulhu, 0xfffffffe, 0xffffffff, 0xffffffff)
    TEST_RR(8, mulhu, 0x00000001, 0x80000000, 2)
    TEST_RR(9, mulhsu, 0xffffffff, 0xffffffff, 0xffffffff)
    TEST_RR(10, mulhsu, 0x80000000, 0x80000000, 0xffffffff)
    TEST_RR(11, mulhsu, 0x00000000, 1, 0xffffffff)
    TEST_RR(12, div, 0xfffffffd, 0xfffffff9, 2)
    TEST_RR(13, div, 0xfffffffd, 7, 0xfffffffe)
    TEST_RR(14, div, 3, 0xfffffff9, 0xfffffffe)
    TEST_RR(15, rem, 0xffffffff, 0xfffffff9, 2)
    TEST_RR(16, rem, 1, 7, 0xfffffffe)
    TEST_RR(17, divu, 0x7fffffff, 0xffffffff, 2)
    TEST_RR(18, remu, 5, 0xffffffff, 10)
    TEST_RR(19, div, 0xffffffff, 42, 0)
    TEST_RR(20, div, 0xffffffff, 0x80000000, 0)
    TEST_RR(21, divu, 0xffffffff, 42, 0)
    TEST_RR(22, rem, 42, 42, 0)
    TEST_RR(23, rem, 0x80000000, 0x80000000, 0)
    TEST_RR(24, remu, 42, 42, 0)
    TEST_RR(25, div, 0x80000000, 0x80000000, 0xffffffff)
    TEST_RR(26, rem, 0, 0x80000000, 0xffffffff)
    TEST_RR(27, divu, 0, 0x80000000, 0xffffffff)
    TEST_RR(28, remu, 0x80000000, 0x80000000, 0xffffffff)
    TEST_RR_ZERO_DEST(29, mul, 3, 4)
    TEST_RR_ZERO_DEST(30, div, 1, 0)
    TEST_RR_SRC12_EQ_DEST(31, mulhu, 0x3fffffff, 0x7fffffff)
    TEST_PASSFAIL
RVTEST_CODE_END
    .data
RVTEST_DATA_BEGIN
RVTEST_DATA_END
