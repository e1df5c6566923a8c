# The smallest test: the environment's reset code, then pass.
#include "riscv_test.h"
RVTEST_RV32U
RVTEST_CODE_BEGIN
    RVTEST_PASS
RVTEST_CODE_END
    .data
RVTEST_DATA_BEGIN
RVTEST_DATA_END
