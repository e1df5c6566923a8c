# RV32A: every AMO returns the old word and stores its result; signed
# versus unsigned min/max; lr.w/sc.w success, failure without a
# reservation, and the reservation cleared by sc.w.
#include "riscv_test.h"
#include "test_macros.h"
RVTEST_RV32U
RVTEST_CODE_BEGIN
    TEST_AMO(1, amoswap.w, 0x0000000b, 0xaaaaaaaa, 0x0000000b, cell)
    TEST_AMO(2, amoadd.w, 0x00000001, 0xffffffff, 2, cell)
    TEST_AMO(3, amoxor.w, 0x0f0f0f0f, 0xffffffff, 0xf0f0f0f0, cell)
    TEST_AMO(4, amoand.w, 0xf0000000, 0xff000000, 0xf0f0f0f0, cell)
    TEST_AMO(5, amoor.w, 0xfff0f0f0, 0xff000000, 0xf0f0f0f0, cell)
    TEST_AMO(6, amomin.w, 0x80000000, 0x00000001, 0x80000000, cell)
    TEST_AMO(7, amomax.w, 0x00000001, 0x00000001, 0x80000000, cell)
    TEST_AMO(8, amominu.w, 0x00000001, 0x00000001, 0x80000000, cell)
    TEST_AMO(9, amomaxu.w, 0x80000000, 0x00000001, 0x80000000, cell)
    TEST_AMO(10, amoadd.w, 0x12345678, 0x12345678, 0, cell)
    /* lr.w then sc.w at the same address: success (0) and the store. */
    li TESTNUM, 11; la x4, cell; li x1, 5; sw x1, 0(x4)
    lr.w x14, (x4); CHECK(11, x14, 5)
    addi x14, x14, 1; sc.w x15, x14, (x4); CHECK(12, x15, 0)
    lw x14, 0(x4); CHECK(13, x14, 6)
    /* A second sc.w has no reservation: it fails (nonzero), no store. */
    li x1, 99; sc.w x15, x1, (x4); li TESTNUM, 14; beqz x15, fail
    lw x14, 0(x4); CHECK(15, x14, 6)
    TEST_PASSFAIL
RVTEST_CODE_END
    .data
RVTEST_DATA_BEGIN
    .balign 4
cell: .word 0
RVTEST_DATA_END
