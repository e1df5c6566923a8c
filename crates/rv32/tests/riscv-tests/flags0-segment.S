# Built with env/link-flags0.ld: .tohost, .text and .data share one
# PT_LOAD with flags 0, as in binaries built with the current standard
# environment. Passes if the code runs and .data and .bss are readable and
# writable after the runner's split.
#include "riscv_test.h"
#include "test_macros.h"
RVTEST_RV32U
RVTEST_CODE_BEGIN
    TEST_LD(2, lw, 0x00001234, 0, word)
    TEST_ST(3, lw, sw, 0x0000abcd, 0x0000abcd, 0, word)
    TEST_ST(4, lw, sw, 0x00000007, 0x00000007, 0, zeroed)
    TEST_PASSFAIL
RVTEST_CODE_END
    .data
RVTEST_DATA_BEGIN
word:   .word 0x1234
RVTEST_DATA_END
    .bss
zeroed: .word 0
