# Cases 1 and 2 pass, case 3 is wrong on purpose: the runner must report
# "test 3 failed", never a pass.
#include "riscv_test.h"
#include "test_macros.h"
RVTEST_RV32U
RVTEST_CODE_BEGIN
    TEST_RR(1, add, 3, 1, 2)
    TEST_RR(2, sub, 1, 3, 2)
    TEST_RR(3, add, 5, 2, 2)
    TEST_PASSFAIL
RVTEST_CODE_END
    .data
RVTEST_DATA_BEGIN
RVTEST_DATA_END
