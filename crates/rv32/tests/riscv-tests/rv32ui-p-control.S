# RV32I control transfer: every branch taken and not taken on equal,
# signed and unsigned operands; jal and jalr link registers (x0 and
# rd == rs1), jalr clearing bit 0 of its target, and a jump to self that
# ends (the test leaves it through the loop counter).
#include "riscv_test.h"
#include "test_macros.h"
RVTEST_RV32U
RVTEST_CODE_BEGIN
    TEST_BR_TAKEN(1, beq, 5, 5)
    TEST_BR_NOT_TAKEN(2, beq, 5, 6)
    TEST_BR_TAKEN(3, bne, 0, 0x80000000)
    TEST_BR_NOT_TAKEN(4, bne, 7, 7)
    TEST_BR_TAKEN(5, blt, 0x80000000, 0x7fffffff)
    TEST_BR_NOT_TAKEN(6, blt, 0x7fffffff, 0x80000000)
    TEST_BR_NOT_TAKEN(7, blt, 3, 3)
    TEST_BR_TAKEN(8, bge, 3, 3)
    TEST_BR_TAKEN(9, bge, 0, 0xffffffff)
    TEST_BR_NOT_TAKEN(10, bge, 0xffffffff, 0)
    TEST_BR_TAKEN(11, bltu, 0x7fffffff, 0x80000000)
    TEST_BR_NOT_TAKEN(12, bltu, 0xffffffff, 0)
    TEST_BR_NOT_TAKEN(13, bltu, 9, 9)
    TEST_BR_TAKEN(14, bgeu, 0xffffffff, 0)
    TEST_BR_TAKEN(15, bgeu, 9, 9)
    TEST_BR_NOT_TAKEN(16, bgeu, 0, 1)
    /* A backward branch: three round trips. */
    li TESTNUM, 17; li x1, 3; li x14, 0
1:  addi x14, x14, 1; addi x1, x1, -1; bnez x1, 1b
    CHECK(17, x14, 3)
    /* jal links pc + 4; jal x0 links nothing. */
    li TESTNUM, 18
2:  jal x14, 3f
    j fail
3:  la x15, 2b; addi x15, x15, 4; bne x14, x15, fail
    li x14, 0; jal x0, 4f; j fail
4:  CHECK(19, x14, 0)
    /* jalr: target = (rs1 + imm) & ~1; rd == rs1 reads rs1 first. */
    li TESTNUM, 20; la x1, 5f; addi x1, x1, -3; jalr x14, 3(x1); j fail
5:  li TESTNUM, 21; la x1, 6f; addi x1, x1, 1; jalr x0, 0(x1); j fail
6:  li TESTNUM, 22; la x1, 8f; jalr x1, 0(x1)
7:  j fail
8:  la x15, 7b; bne x1, x15, fail
    /* A call and return. */
    li TESTNUM, 23; li x14, 0; call 9f; CHECK(23, x14, 42); j 10f
9:  li x14, 42; ret
10:
    TEST_PASSFAIL
RVTEST_CODE_END
    .data
RVTEST_DATA_BEGIN
RVTEST_DATA_END
