# RV32I loads and stores: every width, sign and zero extension, negative
# offsets, and misaligned accesses (allowed by avm's policy, docs/rv32.md),
# also across a page boundary.
#include "riscv_test.h"
#include "test_macros.h"
RVTEST_RV32U
RVTEST_CODE_BEGIN
    TEST_LD(1, lb,  0xffffff80, 0, bytes)
    TEST_LD(2, lbu, 0x00000080, 0, bytes)
    TEST_LD(3, lb,  0x0000007f, 1, bytes)
    TEST_LD(4, lh,  0xffff807f, 0, halves)
    TEST_LD(5, lhu, 0x0000807f, 0, halves)
    TEST_LD(6, lh,  0x00007f01, 2, halves)
    TEST_LD(7, lw,  0x7f01807f, 0, words)
    TEST_LD(8, lw,  0xdeadbeef, 4, words)
    TEST_LD(9, lw,  0x7f01807f, -8, words_end)
    TEST_LD(10, lhu, 0x0000adbe, 5, words)
    TEST_LD(11, lw,  0xadbeef7f, 3, words)
    TEST_LD(12, lh,  0xffffadbe, 5, words)
    TEST_ST(13, lw, sw, 0xaabbccdd, 0xaabbccdd, 0, scratch)
    TEST_ST(14, lbu, sb, 0x000000ee, 0x123456ee, 1, scratch)
    TEST_ST(15, lw, sw, 0xaabbeedd, 0xaabbeedd, 0, scratch)
    TEST_ST(16, lh, sh, 0xffff8001, 0x55558001, 2, scratch)
    TEST_ST(17, lhu, sh, 0x00008001, 0x55558001, 2, scratch)
    TEST_ST(18, lw, sw, 0x01020304, 0x01020304, -8, scratch_end)
    TEST_ST(19, lw, sw, 0xcafef00d, 0xcafef00d, 1, scratch)
    TEST_ST(20, lh, sh, 0x00001234, 0x00001234, 3, scratch)
    /* A misaligned word across the page boundary at page_end. */
    TEST_ST(21, lw, sw, 0x89abcdef, 0x89abcdef, -2, page_end)
    TEST_LD(22, lhu, 0x0000cdef, -2, page_end)
    TEST_LD(23, lhu, 0x000089ab, 0, page_end)
    /* A load into x0 is discarded. */
    la x1, words; lw x0, 0(x1); CHECK(24, x0, 0)
    TEST_PASSFAIL
RVTEST_CODE_END
    .data
RVTEST_DATA_BEGIN
bytes:  .byte 0x80, 0x7f, 0x01, 0x7f
halves: .half 0x807f, 0x7f01
words:  .word 0x7f01807f, 0xdeadbeef
words_end:
scratch: .word 0, 0, 0, 0
scratch_end:
    .space 16
    .balign 4096
page_end:
    .space 8
RVTEST_DATA_END
