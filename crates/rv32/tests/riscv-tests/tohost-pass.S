# Passes through tohost: stores 1 and spins.
#include "riscv_test.h"
RVTEST_RV32U
RVTEST_CODE_BEGIN
    la t5, tohost
    li t6, 1
    sw t6, 0(t5)
1:  j 1b
RVTEST_CODE_END
    .data
RVTEST_DATA_BEGIN
RVTEST_DATA_END
